/**
 * Autosave: the editor's document, selection, drafts and preferences go to localStorage
 * shortly after every change and when the page is hidden, and come back on load. The
 * document is restored exactly as it was, valid or not (unfinished work is still work).
 * A stored state that cannot be read is kept under a backup key, never thrown away.
 */
import type { Doc, RawEdge, RawFault, RawNode, XY } from './doc.ts';
import { DEFAULT_PREFS, type EditorState, type EditorStore, type Prefs, type Selection } from './editor.ts';
import { SPEEDS } from '../sim/protocol.ts';

export const STORAGE_KEY = 'archsim:editor:v1';
export const BACKUP_PREFIX = 'archsim:backup:';

/** What is saved. */
export interface Saved {
  v: 1;
  doc: Doc;
  selection: Selection;
  drafts: Record<string, string>;
  prefs: Prefs;
  focus: string | null;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The part of the editor state that is saved. */
export function toSaved(s: EditorState): Saved {
  return { v: 1, doc: s.doc, selection: s.selection, drafts: s.drafts, prefs: s.prefs, focus: s.focus };
}

export type Restored =
  | { kind: 'empty' }
  | { kind: 'ok'; saved: Saved }
  /** The stored text was unusable; it was copied to `backupKey`. */
  | { kind: 'corrupt'; reason: string; backupKey: string | null; text: string };

/** Reads the saved state, moving an unreadable one to a backup key. */
export function restore(storage: Storage, now = Date.now()): Restored {
  let text: string | null;
  try {
    text = storage.getItem(STORAGE_KEY);
  } catch {
    return { kind: 'empty' };
  }
  if (text === null) return { kind: 'empty' };
  let reason: string;
  try {
    const r = readSaved(JSON.parse(text));
    if (typeof r !== 'string') return { kind: 'ok', saved: r };
    reason = r;
  } catch (e) {
    reason = `not JSON (${(e as Error).message})`;
  }
  let backupKey: string | null = `${BACKUP_PREFIX}${now}`;
  try {
    storage.setItem(backupKey, text);
    storage.removeItem(STORAGE_KEY);
  } catch {
    backupKey = null;
  }
  return { kind: 'corrupt', reason, backupKey, text };
}

/** Writes the state; returns an error message if storage refused (full, disabled). */
export function save(storage: Storage, s: EditorState): string | null {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(toSaved(s)));
    return null;
  } catch (e) {
    return (e as Error).message || 'storage refused the write';
  }
}

/** What the autosave asks before each write (see tabs.ts): paused, it hands the state over instead. */
export interface SaveGate {
  isPaused(): boolean;
  savePaused(s: EditorState): void;
}

/**
 * Saves the store after each change (debounced) and when the page is hidden. Returns a
 * function that stops it. `onError` hears about refused writes (once per kind of error).
 * While `gate` is paused, the state goes to `gate.savePaused` instead of the save key.
 */
export function startAutosave(store: EditorStore, storage: Storage, onError: (msg: string) => void, delayMs = 250, gate?: SaveGate): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastError: string | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (gate?.isPaused()) {
      gate.savePaused(store.getState());
      return;
    }
    const err = save(storage, store.getState());
    if (err && err !== lastError) onError(err);
    lastError = err;
  };
  const unsub = store.subscribe((s, prev) => {
    if (s.doc === prev.doc && s.selection === prev.selection && s.drafts === prev.drafts && s.prefs === prev.prefs && s.focus === prev.focus) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  const onHide = () => {
    if (timer !== null) flush();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    document.addEventListener('visibilitychange', onHide);
  }
  return () => {
    unsub();
    if (timer !== null) flush();
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      document.removeEventListener('visibilitychange', onHide);
    }
  };
}

/** Checks the shape of saved state; returns it (with defaults filled in) or why not. */
export function readSaved(x: unknown): Saved | string {
  if (!isObj(x)) return 'not an object';
  if (x.v !== 1) return `unknown format version ${JSON.stringify(x.v)}`;
  const doc = readDoc(x.doc);
  if (typeof doc === 'string') return `doc: ${doc}`;
  const sel = isObj(x.selection) ? x.selection : {};
  const strs = (a: unknown) => (Array.isArray(a) ? a.filter((s): s is string => typeof s === 'string') : []);
  const drafts: Record<string, string> = {};
  if (isObj(x.drafts)) for (const [k, v] of Object.entries(x.drafts)) if (typeof v === 'string' && safeKey(k)) drafts[k] = v;
  return {
    v: 1,
    doc,
    selection: { nodes: strs(sel.nodes), edges: strs(sel.edges) },
    drafts,
    prefs: readPrefs(x.prefs),
    focus: typeof x.focus === 'string' ? x.focus : null,
  };
}

/**
 * Checks that `x` has the shape of an editor document (not that it is a valid
 * scenario: work in progress may not be). Returns the document or why not.
 */
export function readDoc(x: unknown): Doc | string {
  if (!isObj(x)) return 'not an object';
  if (!Array.isArray(x.nodes)) return 'nodes is not a list';
  if (!Array.isArray(x.edges ?? [])) return 'edges is not a list';
  if (!Array.isArray(x.faults ?? [])) return 'faults is not a list';
  const bad = findUnsafeKey(x, '');
  if (bad) return `${bad}: a key named like this is not allowed`;
  for (const [i, n] of (x.nodes as unknown[]).entries()) {
    if (!isObj(n) || typeof n.id !== 'string' || typeof n.type !== 'string') return `nodes[${i}] needs a string id and type`;
  }
  for (const [i, e] of ((x.edges ?? []) as unknown[]).entries()) {
    if (!isObj(e) || typeof e.from !== 'string' || typeof e.to !== 'string') return `edges[${i}] needs string from and to`;
  }
  for (const [i, f] of ((x.faults ?? []) as unknown[]).entries()) {
    if (!isObj(f) || typeof f.action !== 'string') return `faults[${i}] needs an action`;
  }
  const layout: Record<string, XY> = {};
  if (isObj(x.layout)) {
    for (const [k, p] of Object.entries(x.layout)) {
      if (isObj(p) && Number.isFinite(p.x) && Number.isFinite(p.y)) layout[k] = { x: p.x as number, y: p.y as number };
    }
  }
  const { nodes, edges, faults, layout: _l, ...top } = x;
  return {
    ...(top as Partial<Doc>),
    version: 1,
    name: typeof top.name === 'string' ? top.name : 'untitled',
    nodes: nodes as RawNode[],
    edges: (edges ?? []) as RawEdge[],
    faults: (faults ?? []) as RawFault[],
    layout,
  };
}

function readPrefs(x: unknown): Prefs {
  const p = isObj(x) ? x : {};
  const d = DEFAULT_PREFS;
  return {
    theme: p.theme === 'dark' ? 'dark' : p.theme === 'light' ? 'light' : d.theme,
    speed: SPEEDS.includes(p.speed as never) ? (p.speed as Prefs['speed']) : d.speed,
    latencyScale: p.latencyScale === 'log' ? 'log' : 'linear',
    dockHeight: typeof p.dockHeight === 'number' && p.dockHeight >= 120 && p.dockHeight <= 2000 ? p.dockHeight : d.dockHeight,
    dockTab: ['charts', 'summary', 'seeds', 'problems', 'timeline'].includes(p.dockTab as string) ? (p.dockTab as Prefs['dockTab']) : d.dockTab,
    showAdvanced: p.showAdvanced === true,
    showMinimap: p.showMinimap !== false,
  };
}

const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

/** Whether an object key is safe to use as data. */
export function safeKey(k: string): boolean {
  return !UNSAFE.has(k);
}

/** The path of the first key named `__proto__`, `prototype` or `constructor`, if any. */
export function findUnsafeKey(x: unknown, path: string): string | null {
  // iterative: the nesting of untrusted input must not be able to overflow the stack
  const stack: Array<[unknown, string]> = [[x, path]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}[${i}]`]);
    } else if (isObj(v)) {
      const keys = Object.keys(v);
      for (const k of keys) if (!safeKey(k)) return p ? `${p}.${k}` : k;
      for (let i = keys.length - 1; i >= 0; i--) stack.push([v[keys[i]!], p ? `${p}.${keys[i]}` : keys[i]!]);
    }
  }
  return null;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
