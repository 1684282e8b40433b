/**
 * Recent work: documents that were replaced (by an example, a file, a share link, or by
 * another tab's autosave) kept in localStorage so that they survive a reload, which the
 * undo history does not. At most `RECENT_MAX` entries, newest first, and at most
 * `RECENT_MAX_CHARS` of JSON in all (the oldest go first); the same document is kept once.
 */
import type { Doc } from './doc.ts';
import { readDoc } from './persist.ts';

export const RECENT_KEY = 'archsim:recent:v1';
export const RECENT_MAX = 5;
/** ~1 MB of JSON (UTF-16 in storage: ~2 MB), leaving room in a 5 MB origin for the autosave. */
export const RECENT_MAX_CHARS = 1_000_000;

export interface RecentEntry {
  /** Unique; an entry added with an existing id replaces it. */
  id: string;
  /** When it was kept (ms since the epoch). */
  at: number;
  /** The document's name then. */
  name: string;
  /** What replaced it, in words ("replaced by the shared scenario "x""). */
  why: string;
  doc: Doc;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Whether a document holds work worth keeping (an empty canvas is not). */
export function isWork(doc: Doc): boolean {
  return doc.nodes.length > 0;
}

/** The stored entries, newest first; unreadable ones are left out, never thrown about. */
export function readRecent(storage: Storage): RecentEntry[] {
  let text: string | null;
  try {
    text = storage.getItem(RECENT_KEY);
  } catch {
    return [];
  }
  if (!text) return [];
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return [];
  }
  const list = x !== null && typeof x === 'object' && Array.isArray((x as { entries?: unknown }).entries) ? ((x as { entries: unknown[] }).entries) : [];
  const out: RecentEntry[] = [];
  for (const e of list) {
    if (e === null || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    const doc = readDoc(r.doc);
    if (typeof doc === 'string' || typeof r.id !== 'string' || !Number.isFinite(r.at)) continue;
    out.push({ id: r.id, at: r.at as number, name: typeof r.name === 'string' ? r.name : doc.name, why: typeof r.why === 'string' ? r.why : '', doc });
  }
  return out;
}

/**
 * The list with `entry` first: an entry with the same id, or with the same document, is
 * dropped; then the oldest go until there are at most `max` and their JSON is at most
 * `maxChars` long. `kept` is false if the entry alone is larger than that (then it is not
 * in the list).
 */
export function withRecent(list: RecentEntry[], entry: RecentEntry, max = RECENT_MAX, maxChars = RECENT_MAX_CHARS): { list: RecentEntry[]; kept: boolean } {
  const same = JSON.stringify(entry.doc);
  const rest = list.filter((e) => e.id !== entry.id && JSON.stringify(e.doc) !== same);
  if (JSON.stringify(entry).length > maxChars) return { list: rest.slice(0, max), kept: false };
  const out = [entry, ...rest].slice(0, max);
  while (out.length > 1 && JSON.stringify({ v: 1, entries: out }).length > maxChars) out.pop();
  return { list: out, kept: true };
}

function write(storage: Storage, list: RecentEntry[]): boolean {
  try {
    if (list.length) storage.setItem(RECENT_KEY, JSON.stringify({ v: 1, entries: list }));
    else storage.removeItem(RECENT_KEY);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps `doc` as a recent entry (nothing happens for an empty document). Returns whether
 * it is stored: false when it is too large or storage refused.
 */
export function rememberDoc(storage: Storage, doc: Doc, why: string, opts: { id?: string; now?: number } = {}): boolean {
  if (!isWork(doc)) return false;
  const at = opts.now ?? Date.now();
  const id = opts.id ?? `${at}-${Math.random().toString(36).slice(2, 8)}`;
  const r = withRecent(readRecent(storage), { id, at, name: doc.name, why, doc });
  return r.kept && write(storage, r.list);
}

/** Removes an entry (after it was restored). */
export function forgetRecent(storage: Storage, id: string): void {
  const list = readRecent(storage);
  const rest = list.filter((e) => e.id !== id);
  if (rest.length !== list.length) write(storage, rest);
}

/** When an entry was kept, for people: "just now", "5 min ago", "3 h ago", or the date. */
export function keptAgo(at: number, now: number): string {
  const s = Math.max(0, (now - at) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(at).toISOString().slice(0, 10);
}
