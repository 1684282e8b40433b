import { describe, expect, it } from 'vitest';
import { BACKUP_PREFIX, readSaved, restore, save, STORAGE_KEY, startAutosave } from '../../ui/store/persist.ts';
import { createEditorStore } from '../../ui/store/editor.ts';
import { forgetRecent, keptAgo, readRecent, RECENT_KEY, rememberDoc, withRecent, type RecentEntry } from '../../ui/store/recent.ts';
import { createTabGuard, OTHER_WORK_WHY, OWN_WORK_WHY } from '../../ui/store/tabs.ts';
import { emptyDoc, type Doc } from '../../ui/store/doc.ts';

class MemoryStorage {
  items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

describe('autosave', () => {
  it('restores exactly what was saved, invalid work included', () => {
    const st = new MemoryStorage();
    const store = createEditorStore();
    store.getState().apply({ kind: 'addNode', type: 'loadBalancer', position: { x: 1, y: 2 } }); // no backends: invalid
    store.getState().setDraft('lb|workers', 'abc');
    store.getState().setPrefs({ theme: 'dark' });
    expect(save(st, store.getState())).toBeNull();
    const r = restore(st);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.saved.doc).toEqual(store.getState().doc);
    expect(r.saved.drafts).toEqual({ 'lb|workers': 'abc' });
    expect(r.saved.prefs.theme).toBe('dark');
    expect(r.saved.selection.nodes).toEqual(['loadBalancer1']);
  });

  it('moves unreadable state to a backup key and starts clean', () => {
    const st = new MemoryStorage();
    st.setItem(STORAGE_KEY, '{"v":1,"doc":{"nodes":"oops"}}');
    const r = restore(st, 1234);
    expect(r).toMatchObject({ kind: 'corrupt', reason: 'doc: nodes is not a list', backupKey: `${BACKUP_PREFIX}1234` });
    expect(st.getItem(`${BACKUP_PREFIX}1234`)).toBe('{"v":1,"doc":{"nodes":"oops"}}');
    expect(st.getItem(STORAGE_KEY)).toBeNull();
    st.setItem(STORAGE_KEY, '{not json');
    expect(restore(st, 5).kind).toBe('corrupt');
  });

  it('rejects polluting keys in stored documents', () => {
    expect(readSaved(JSON.parse('{"v":1,"doc":{"nodes":[],"__proto__":{"x":1}}}'))).toMatch(/__proto__/);
  });

  it('fills unknown preferences with defaults', () => {
    const r = readSaved({ v: 1, doc: { nodes: [] }, prefs: { speed: 12345, theme: 'neon' } });
    expect(typeof r !== 'string' && r.prefs).toMatchObject({ speed: 10, theme: 'light' });
  });

  it('saves after changes, debounced', async () => {
    const st = new MemoryStorage();
    const store = createEditorStore();
    const stop = startAutosave(store, st, () => {}, 5);
    store.getState().apply({ kind: 'addNode', type: 'server', position: { x: 0, y: 0 } });
    expect(st.getItem(STORAGE_KEY)).toBeNull();
    await new Promise((r) => setTimeout(r, 30));
    expect(JSON.parse(st.getItem(STORAGE_KEY)!).doc.nodes).toEqual([{ id: 'server1', type: 'server' }]);
    stop();
  });

  it('reports a refused write', async () => {
    const store = createEditorStore();
    const errors: string[] = [];
    const full = { getItem: () => null, removeItem: () => {}, setItem: () => { throw new Error('QuotaExceededError'); } };
    const stop = startAutosave(store, full, (m) => errors.push(m), 1);
    store.getState().apply({ kind: 'addNode', type: 'server', position: { x: 0, y: 0 } });
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual(['QuotaExceededError']);
    stop();
  });
});

const docNamed = (name: string, nodes = 1): Doc => ({ ...emptyDoc(), name, nodes: Array.from({ length: nodes }, (_, i) => ({ id: `s${i}`, type: 'server' })) });

describe('recent work', () => {
  it('keeps replaced documents newest first, the same document once, at most five', () => {
    const st = new MemoryStorage();
    for (let i = 1; i <= 7; i++) expect(rememberDoc(st, docNamed(`work ${i}`), `replaced by example ${i}`, { now: i * 1000 })).toBe(true);
    rememberDoc(st, docNamed('work 5'), 'replaced again', { now: 8000 });
    expect(readRecent(st).map((e) => [e.name, e.at, e.why])).toEqual([
      ['work 5', 8000, 'replaced again'],
      ['work 7', 7000, 'replaced by example 7'],
      ['work 6', 6000, 'replaced by example 6'],
      ['work 4', 4000, 'replaced by example 4'],
      ['work 3', 3000, 'replaced by example 3'],
    ]);
  });

  it('does not keep an empty canvas', () => {
    const st = new MemoryStorage();
    expect(rememberDoc(st, emptyDoc(), 'replaced')).toBe(false);
    expect(st.getItem(RECENT_KEY)).toBeNull();
  });

  it('drops the oldest entries to stay under its size cap, and refuses one entry over it', () => {
    const entry = (id: string, nodes: number): RecentEntry => ({ id, at: 0, name: id, why: '', doc: docNamed(id, nodes) });
    const size = JSON.stringify({ v: 1, entries: [entry('a', 20), entry('b', 20)] }).length;
    let list: RecentEntry[] = [];
    for (const id of ['a', 'b', 'c']) list = withRecent(list, entry(id, 20), 5, size).list;
    expect(list.map((e) => e.id)).toEqual(['c', 'b']);
    const big = withRecent(list, entry('huge', 400), 5, size);
    expect(big).toEqual({ list, kept: false });
  });

  it('replaces an entry with the same id (a paused tab updating its own entry)', () => {
    const st = new MemoryStorage();
    rememberDoc(st, docNamed('draft', 1), 'x', { id: 'tab:a', now: 1 });
    rememberDoc(st, docNamed('draft', 2), 'x', { id: 'tab:a', now: 2 });
    expect(readRecent(st).map((e) => [e.id, e.doc.nodes.length])).toEqual([['tab:a', 2]]);
    forgetRecent(st, 'tab:a');
    expect(readRecent(st)).toEqual([]);
  });

  it('reads past damaged storage and entries with polluting keys', () => {
    const st = new MemoryStorage();
    st.setItem(RECENT_KEY, '{oops');
    expect(readRecent(st)).toEqual([]);
    st.setItem(RECENT_KEY, JSON.stringify({ v: 1, entries: [null, { id: 'x', at: 1, doc: { nodes: 'no' } }, { id: 'y', at: 2, name: 'ok', why: 'w', doc: { nodes: [] } }] }));
    expect(readRecent(st).map((e) => [e.id, e.name, e.why])).toEqual([['y', 'ok', 'w']]);
    st.setItem(RECENT_KEY, st.getItem(RECENT_KEY)!.replace('"nodes":[]', '"nodes":[],"__proto__":{"polluted":1}'));
    expect(readRecent(st)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says when an entry was kept in words', () => {
    const now = Date.UTC(2025, 0, 31, 12);
    expect([keptAgo(now - 5000, now), keptAgo(now - 5 * 60e3, now), keptAgo(now - 3 * 3600e3, now), keptAgo(now - 3 * 86400e3, now)]).toEqual(['just now', '5 min ago', '3 h ago', '2025-01-28']);
  });
});

describe('two tabs sharing the autosave', () => {
  /** A tab with some work, saved, and the text another tab would save for `doc`. */
  function setup() {
    const st = new MemoryStorage();
    const store = createEditorStore();
    store.getState().apply({ kind: 'replace', doc: docNamed('mine', 2) });
    save(st, store.getState());
    const opened: Array<[string, string]> = [];
    const guard = createTabGuard(store, st, (doc, what) => opened.push([doc.name, what]), 'A');
    const other = (doc: Doc) => {
      const s = createEditorStore();
      s.getState().apply({ kind: 'replace', doc });
      save(st, s.getState()); // what the other tab writes, then the event this tab hears
      return { key: STORAGE_KEY, newValue: st.getItem(STORAGE_KEY) };
    };
    return { st, store, guard, opened, other };
  }

  it('ignores other keys and saves of the same document', () => {
    const { store, guard, other } = setup();
    guard.onStorage({ key: RECENT_KEY, newValue: '{}' });
    guard.onStorage(other(store.getState().doc));
    expect(guard.isPaused()).toBe(false);
    expect(store.getState().notices).toEqual([]);
  });

  it('keeps this tab’s work when another tab saves different work, and stops overwriting it', async () => {
    const { st, store, guard, other } = setup();
    const stop = startAutosave(store, st, () => {}, 1, guard);
    guard.onStorage(other(docNamed('from a link', 1)));
    expect(guard.isPaused()).toBe(true);
    expect(readRecent(st).map((e) => [e.id, e.name, e.why])).toEqual([['tab:A', 'mine', OWN_WORK_WHY]]);
    const notice = store.getState().notices.find((n) => n.key === 'other-tab')!;
    expect(notice.actions!.map((a) => a.id)).toEqual(['load-other-tab', 'keep-this-tab']);
    // edits go on being kept, in the same entry, not over the other tab's save
    store.getState().apply({ kind: 'addNode', type: 'server', position: { x: 0, y: 0 } });
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(st.getItem(STORAGE_KEY)!).doc.name).toBe('from a link');
    expect(readRecent(st).map((e) => [e.id, e.doc.nodes.length])).toEqual([['tab:A', 3]]);
    stop();
  });

  it('keeping this tab’s work saves it and keeps the other tab’s as recent work', () => {
    const { st, store, guard, other } = setup();
    guard.onStorage(other(docNamed('from a link', 1)));
    guard.keepMine();
    expect(guard.isPaused()).toBe(false);
    expect(JSON.parse(st.getItem(STORAGE_KEY)!).doc.name).toBe('mine');
    expect(readRecent(st).map((e) => [e.name, e.why])).toEqual([['from a link', OTHER_WORK_WHY]]);
    expect(store.getState().notices.filter((n) => n.key === 'other-tab')).toEqual([]);
  });

  it('loading the other tab’s work opens it (this tab’s stays in recent work)', () => {
    const { st, guard, opened, other } = setup();
    guard.onStorage(other(docNamed('from a link', 1)));
    guard.loadOther();
    expect(guard.isPaused()).toBe(false);
    expect(opened).toEqual([['from a link', 'the work saved by another tab ("from a link")']]);
    expect(readRecent(st).map((e) => e.name)).toEqual(['mine']);
  });
});
