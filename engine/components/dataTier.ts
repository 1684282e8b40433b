/**
 * What the data-tier components (database, cache, cdn) share: where the current version
 * of a key lives, and how a stale read is made known to the request it belongs to.
 */
import type { Call } from '../core/call.ts';
import type { Node } from '../core/node.ts';

/** A node that knows the current (primary) version of every key. */
export interface VersionSource {
  /** The primary's version of `key` now, or -1 if this node cannot tell. */
  currentVersion(key: number): number;
  /** Writes committed so far: while 0, every key is at version 0 and nothing can be stale. */
  readonly commits: number;
}

export function isVersionSource(n: unknown): n is Node & VersionSource {
  return typeof (n as Partial<VersionSource>).currentVersion === 'function';
}

/**
 * Marks the root request of `call` as having read stale data, so its client counts a
 * stale read end to end. Walks up the parent chain while every link is still the same
 * call (ids match); if a link is gone the request has been answered already.
 */
export function markStale(call: Call): void {
  let c = call;
  for (;;) {
    const p = c.parent;
    if (p === null) break;
    if (p.id !== c.parentId) return;
    c = p;
  }
  c.stale = true;
}
