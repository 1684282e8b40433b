/**
 * Cache-aside, as an app server does it when it has an edge to a cache-aside cache and
 * an edge to a database (the cache's `pattern` is cache-aside, its default):
 *
 * - a read GETs the cache; on a hit the step is done. On a miss (or if the cache fails:
 *   a cache outage falls back to the database) it reads the database, then SETs the
 *   value it read into the cache without waiting for that (fire and forget).
 * - a write goes to the database; once committed, the server invalidates the cached copy
 *   (DELETE) or updates it (SET the new version), as the cache's `onWrite` says, and
 *   waits for that before answering.
 *
 * The cache edge and the database edges form one step of the server's calls, taken at
 * the cache edge's place in the sequence (or alongside the others with parallel calls).
 * Edge `kinds` apply to the request: with kinds "read" on the server → cache edge, writes
 * never touch the cache (write-around without invalidation: stale until the TTL ends).
 */
import type { Call } from '../core/call.ts';
import type { TopologyView } from '../core/component.ts';
import type { Edge } from '../core/edge.ts';
import { OK, R } from '../core/status.ts';
import type { CacheConfig } from './cacheParams.ts';
import { CacheNode, NOT_FOUND } from './cacheNode.ts';
import type { ServerNode } from './server.ts';
import type { ScenarioIssue } from '../scenario/types.ts';

// what a call the server makes for cache-aside is for (the caller scratch `mark`; 0 = an ordinary call)
const GET = 1;
const DB_READ = 2;
const FILL = 3;
const DB_WRITE = 4;
const CACHE_WRITE = 5;

export class CacheAside {
  /** Cache GETs that failed and fell back to the database. */
  cacheErrors = 0;

  constructor(
    private readonly server: ServerNode,
    private readonly cacheEdge: Edge,
    private readonly dbRead: Edge | null,
    private readonly dbWrite: Edge | null,
    private readonly onWrite: CacheConfig['onWrite'],
  ) {}

  /** Whether `e` belongs to the cache-aside step (the cache edge or a database edge). */
  owns(e: Edge): boolean {
    return e === this.cacheEdge || e === this.dbRead || e === this.dbWrite;
  }

  /**
   * Starts the cache-aside step for `parent` if `e` is the cache edge and there is
   * something to do; the server's `resume` is then called exactly once. Returns false
   * (and does nothing) otherwise: database edges are driven from the cache edge's step.
   */
  begin(parent: Call, e: Edge): boolean {
    if (e !== this.cacheEdge) return false;
    if (parent.kind === 0) {
      if (this.cacheEdge.accepts(0)) this.send(parent, this.cacheEdge, GET, 0, 0);
      else if (this.dbRead !== null) this.send(parent, this.dbRead, DB_READ, 0, 0);
      else return false;
      return true;
    }
    if (this.dbWrite === null) return false;
    this.send(parent, this.dbWrite, DB_WRITE, 1, 0);
    return true;
  }

  /** An answer to one of the step's calls (its `mark` is not 0). */
  onResponse(child: Call): void {
    const sim = this.server.sim;
    const phase = child.mark;
    const parent = sim.parentOf(child);
    const { status, reason, origin, version, abandoned } = child;
    sim.release(child);
    if (phase === FILL || parent === null || abandoned) return;
    switch (phase) {
      case GET:
        if (status === OK && version !== NOT_FOUND) this.server.resume(parent, OK, R.OK, -1);
        else {
          if (status !== OK) this.cacheErrors++;
          if (this.dbRead !== null) this.send(parent, this.dbRead, DB_READ, 0, 0);
          else this.server.resume(parent, OK, R.OK, -1);
        }
        return;
      case DB_READ:
        if (status === OK && this.cacheEdge.accepts(0)) {
          // fill the cache, and answer without waiting for it
          const fill = sim.child(parent);
          fill.kind = 1;
          fill.version = version;
          fill.mark = FILL;
          sim.send(this.server, this.cacheEdge, fill);
        }
        this.server.resume(parent, status, reason, origin);
        return;
      case DB_WRITE:
        if (status === OK && this.cacheEdge.accepts(1)) {
          this.send(parent, this.cacheEdge, CACHE_WRITE, 1, this.onWrite === 'update' ? version : -1);
        } else this.server.resume(parent, status, reason, origin);
        return;
      case CACHE_WRITE:
        // the write is committed; a failed invalidation does not undo it
        this.server.resume(parent, OK, R.OK, -1);
        return;
    }
  }

  private send(parent: Call, e: Edge, phase: number, kind: number, version: number): void {
    const c = this.server.sim.child(parent);
    c.mark = phase;
    c.kind = kind;
    c.version = version;
    this.server.sendCall(c, e);
  }
}

/** The cache-aside step of `server`, or null if it calls no cache-aside cache. */
export function createCacheAside(server: ServerNode): CacheAside | null {
  const cacheEdge = server.out.find((e) => e.to instanceof CacheNode && e.to.aside);
  if (cacheEdge === undefined) return null;
  const dbRead = server.out.find((e) => e.to.type === 'database' && e.accepts(0)) ?? null;
  const dbWrite = server.out.find((e) => e.to.type === 'database' && e.accepts(1)) ?? null;
  return new CacheAside(server, cacheEdge, dbRead, dbWrite, (cacheEdge.to as CacheNode).cfg.onWrite);
}

/** A server's checks for cache-aside: one cache, and a database to load misses from. */
export function validateCacheAside(view: TopologyView): ScenarioIssue[] {
  const caches = view.out.filter((o) => o.type === 'cache' && (view.peer(o.to)?.params as Partial<CacheConfig> | undefined)?.pattern === 'cache-aside');
  if (caches.length === 0) return [];
  const id = view.node.id;
  const issues: ScenarioIssue[] = [];
  if (caches.length > 1) {
    issues.push({
      path: view.path,
      message: `"${id}" calls ${caches.length} cache-aside caches (${caches.map((c) => c.to).join(', ')}); a server does cache-aside with one cache. Remove the extra edges, or put the others in read-through.`,
    });
  }
  const c = caches[0]!;
  const dbs = view.out.filter((o) => o.type === 'database');
  const reads = dbs.filter((o) => o.edge.kinds !== 'write');
  const writes = dbs.filter((o) => o.edge.kinds !== 'read');
  if (reads.length === 0 && c.edge.kinds !== 'write') {
    issues.push({
      path: view.path,
      message: `"${id}" reads the cache-aside cache "${c.to}" but has no database to load misses from: draw an edge from "${id}" to the database (or set the pattern of "${c.to}" to read-through and draw an edge from "${c.to}" to the database).`,
    });
  }
  for (const [list, what] of [
    [reads, 'reads'],
    [writes, 'writes'],
  ] as const) {
    if (list.length > 1) {
      issues.push({
        path: view.path,
        message: `"${id}" does cache-aside with "${c.to}" but has ${list.length} database edges for ${what} (${list.map((o) => o.to).join(', ')}); which one is behind the cache? Keep one, or split them with kinds "read" and "write".`,
      });
    }
  }
  for (const o of [c, ...dbs]) {
    if (o.edge.probability !== 1) {
      issues.push({ path: `edges[${o.index}]`, message: `warning: probability has no effect on the edges of a cache-aside step (${id}->${o.to}); every read and write takes them` });
    }
  }
  return issues;
}
