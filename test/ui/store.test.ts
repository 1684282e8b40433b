import { describe, expect, it } from 'vitest';
import { createEditorStore, HISTORY_LIMIT } from '../../ui/store/editor.ts';

describe('editor store', () => {
  it('undoes and redoes every edit', () => {
    const s = createEditorStore();
    const st = () => s.getState();
    st().apply({ kind: 'addNode', type: 'client', position: { x: 0, y: 0 } });
    st().apply({ kind: 'addNode', type: 'server', position: { x: 200, y: 0 } });
    st().apply({ kind: 'connect', from: 'client1', to: 'server1' });
    const full = st().doc;
    st().undo();
    expect(st().doc.edges).toEqual([]);
    st().undo();
    expect(st().doc.nodes.map((n) => n.id)).toEqual(['client1']);
    st().redo();
    st().redo();
    expect(st().doc).toBe(full);
    st().undo();
    st().apply({ kind: 'moveNodes', positions: { client1: { x: 5, y: 5 } } });
    expect(st().future).toEqual([]);
  });

  it('selects what was added and forgets what was removed', () => {
    const s = createEditorStore();
    s.getState().apply({ kind: 'addNode', type: 'server', position: { x: 0, y: 0 } });
    expect(s.getState().selection).toEqual({ nodes: ['server1'], edges: [] });
    s.getState().apply({ kind: 'duplicate', ids: ['server1'], offset: { x: 10, y: 10 } });
    expect(s.getState().selection.nodes).toEqual(['server2']);
    s.getState().apply({ kind: 'removeNodes', ids: ['server2'] });
    expect(s.getState().selection.nodes).toEqual([]);
    s.getState().select({ nodes: ['server1'] });
    s.getState().apply({ kind: 'renameNode', id: 'server1', to: 'api' });
    expect(s.getState().selection.nodes).toEqual(['api']);
  });

  it('merges quick edits of one field into one undo step', () => {
    const s = createEditorStore();
    s.getState().apply({ kind: 'addNode', type: 'server', position: { x: 0, y: 0 } });
    for (const [i, v] of [2, 25, 250].entries()) {
      s.getState().apply({ kind: 'setParam', node: 'server1', path: ['workers'], value: v }, { coalesce: 'server1|workers', at: 1000 + i * 200 });
    }
    expect(s.getState().past).toHaveLength(2);
    s.getState().undo();
    expect(s.getState().doc.nodes[0]).toEqual({ id: 'server1', type: 'server' });
    // a pause makes a new step
    s.getState().apply({ kind: 'setParam', node: 'server1', path: ['workers'], value: 3 }, { coalesce: 'k', at: 0 });
    s.getState().apply({ kind: 'setParam', node: 'server1', path: ['workers'], value: 4 }, { coalesce: 'k', at: 5000 });
    expect(s.getState().past).toHaveLength(3);
  });

  it('does not record edits that change nothing', () => {
    const s = createEditorStore();
    s.getState().apply({ kind: 'removeNodes', ids: ['ghost'] });
    expect(s.getState().past).toEqual([]);
  });

  it('keeps a bounded history', () => {
    const s = createEditorStore();
    s.getState().apply({ kind: 'addNode', type: 'server', position: { x: 0, y: 0 } });
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) s.getState().apply({ kind: 'moveNodes', positions: { server1: { x: i + 1, y: 0 } } });
    expect(s.getState().past).toHaveLength(HISTORY_LIMIT);
  });

  it('clears drafts when the document is replaced', () => {
    const s = createEditorStore();
    s.getState().setDraft('a|b', 'x');
    s.getState().apply({ kind: 'replace', doc: { version: 1, name: 'n', nodes: [], edges: [], faults: [], layout: {} } });
    expect(s.getState().drafts).toEqual({});
  });

  it('keeps one notice per title, and per key', () => {
    const s = createEditorStore();
    s.getState().notify({ tone: 'error', title: 'x' });
    s.getState().notify({ tone: 'error', title: 'x' });
    expect(s.getState().notices).toHaveLength(1);
    s.getState().dismiss(s.getState().notices[0]!.id);
    expect(s.getState().notices).toEqual([]);
    s.getState().notify({ key: 'doc', tone: 'success', title: 'Opened a' });
    s.getState().notify({ key: 'doc', tone: 'success', title: 'Opened b' });
    expect(s.getState().notices.map((n) => n.title)).toEqual(['Opened b']);
  });
});
