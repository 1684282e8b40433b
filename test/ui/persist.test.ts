import { describe, expect, it } from 'vitest';
import { BACKUP_PREFIX, readSaved, restore, save, STORAGE_KEY, startAutosave } from '../../ui/store/persist.ts';
import { createEditorStore } from '../../ui/store/editor.ts';

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
