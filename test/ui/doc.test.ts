import { describe, expect, it } from 'vitest';
import { applyEdit, emptyDoc, freshId, getIn, setIn, type Doc } from '../../ui/store/doc.ts';

function threeTier(): Doc {
  return {
    ...emptyDoc('t'),
    nodes: [
      { id: 'users', type: 'client' },
      { id: 'lb', type: 'loadBalancer' },
      { id: 'a', type: 'server', workers: 2 },
      { id: 'b', type: 'server' },
    ],
    edges: [
      { from: 'users', to: 'lb' },
      { from: 'lb', to: 'a' },
      { from: 'lb', to: 'b', weight: 2 },
    ],
    faults: [
      { at: '5s', action: 'crash', node: 'b' },
      { at: '6s', action: 'partition', edge: 'lb->a' },
    ],
    layout: { users: { x: 0, y: 0 }, lb: { x: 200, y: 0 }, a: { x: 400, y: -60 }, b: { x: 400, y: 60 } },
  };
}

describe('applyEdit', () => {
  it('adds a node with the next free id of its type at a rounded position', () => {
    const d = applyEdit(applyEdit(emptyDoc(), { kind: 'addNode', type: 'server', position: { x: 10.4, y: 20.6 } }), {
      kind: 'addNode',
      type: 'server',
      position: { x: 0, y: 0 },
    });
    expect(d.nodes).toEqual([
      { id: 'server1', type: 'server' },
      { id: 'server2', type: 'server' },
    ]);
    expect(d.layout.server1).toEqual({ x: 10, y: 21 });
  });

  it('removes nodes with their edges, the faults that name them, and their positions', () => {
    const d = applyEdit(threeTier(), { kind: 'removeNodes', ids: ['a'] });
    expect(d.nodes.map((n) => n.id)).toEqual(['users', 'lb', 'b']);
    expect(d.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['users->lb', 'lb->b']);
    expect(d.faults).toEqual([{ at: '5s', action: 'crash', node: 'b' }]);
    expect(Object.keys(d.layout)).toEqual(['users', 'lb', 'b']);
  });

  it('moves only nodes that exist', () => {
    const d0 = threeTier();
    const d = applyEdit(d0, { kind: 'moveNodes', positions: { a: { x: 1, y: 2 }, ghost: { x: 5, y: 5 } } });
    expect(d.layout.a).toEqual({ x: 1, y: 2 });
    expect(d.layout.ghost).toBeUndefined();
    expect(applyEdit(d0, { kind: 'moveNodes', positions: { ghost: { x: 1, y: 1 } } })).toBe(d0);
  });

  it('connects two nodes once, never a node to itself', () => {
    const d0 = threeTier();
    const d = applyEdit(d0, { kind: 'connect', from: 'a', to: 'b' });
    expect(d.edges.at(-1)).toEqual({ from: 'a', to: 'b' });
    expect(applyEdit(d, { kind: 'connect', from: 'a', to: 'b' })).toBe(d);
    expect(applyEdit(d0, { kind: 'connect', from: 'a', to: 'a' })).toBe(d0);
    expect(applyEdit(d0, { kind: 'connect', from: 'a', to: 'nope' })).toBe(d0);
  });

  it('removes edges and the faults on them', () => {
    const d = applyEdit(threeTier(), { kind: 'removeEdges', ids: ['lb->a'] });
    expect(d.edges).toHaveLength(2);
    expect(d.faults).toEqual([{ at: '5s', action: 'crash', node: 'b' }]);
  });

  it('sets and unsets nested parameters without touching the input', () => {
    const d0 = threeTier();
    const d1 = applyEdit(d0, { kind: 'setParam', node: 'a', path: ['service', 'mean'], value: '5ms' });
    expect(d1.nodes[2]).toEqual({ id: 'a', type: 'server', workers: 2, service: { mean: '5ms' } });
    expect(d0.nodes[2]).toEqual({ id: 'a', type: 'server', workers: 2 });
    const d2 = applyEdit(d1, { kind: 'setParam', node: 'a', path: ['workers'], value: undefined });
    expect(d2.nodes[2]).toEqual({ id: 'a', type: 'server', service: { mean: '5ms' } });
    expect(applyEdit(d0, { kind: 'setParam', node: 'a', path: ['id'], value: 'x' })).toBe(d0);
  });

  it('sets edge fields but never its ends', () => {
    const d0 = threeTier();
    const d = applyEdit(d0, { kind: 'setEdgeParam', edge: 'lb->b', path: ['latency'], value: '2ms' });
    expect(d.edges[2]).toEqual({ from: 'lb', to: 'b', weight: 2, latency: '2ms' });
    expect(applyEdit(d0, { kind: 'setEdgeParam', edge: 'lb->b', path: ['to'], value: 'a' })).toBe(d0);
  });

  it('renames a node everywhere it is named', () => {
    const d = applyEdit(threeTier(), { kind: 'renameNode', id: 'a', to: 'api' });
    expect(d.nodes[2]!.id).toBe('api');
    expect(d.edges[1]).toEqual({ from: 'lb', to: 'api' });
    expect(d.faults[1]!.edge).toBe('lb->api');
    expect(d.layout.api).toEqual({ x: 400, y: -60 });
    expect(d.layout.a).toBeUndefined();
    const d0 = threeTier();
    expect(applyEdit(d0, { kind: 'renameNode', id: 'a', to: 'b' })).toBe(d0);
  });

  it('duplicates nodes with fresh ids, the edges among them, and offset positions', () => {
    const d = applyEdit(threeTier(), { kind: 'duplicate', ids: ['lb', 'a'], offset: { x: 40, y: 40 } });
    expect(d.nodes.slice(4)).toEqual([
      { id: 'lb1', type: 'loadBalancer' },
      { id: 'a1', type: 'server', workers: 2 },
    ]);
    expect(d.edges.slice(3)).toEqual([{ from: 'lb1', to: 'a1' }]);
    expect(d.layout.a1).toEqual({ x: 440, y: -20 });
  });

  it('sets top-level fields but not the lists', () => {
    const d0 = threeTier();
    expect(applyEdit(d0, { kind: 'setTop', path: ['seed'], value: 7 }).seed).toBe(7);
    expect(applyEdit(d0, { kind: 'setTop', path: ['limits', 'maxEvents'], value: 10 }).limits).toEqual({ maxEvents: 10 });
    expect(applyEdit(d0, { kind: 'setTop', path: ['nodes'], value: [] })).toBe(d0);
  });

  it('adds, changes and removes faults', () => {
    let d = applyEdit(threeTier(), { kind: 'addFault', fault: { at: 1, action: 'slowdown', node: 'a', factor: 3 } });
    expect(d.faults).toHaveLength(3);
    d = applyEdit(d, { kind: 'setFault', index: 2, fault: { at: 2, action: 'slowdown', node: 'a', factor: 4 } });
    expect(d.faults[2]).toEqual({ at: 2, action: 'slowdown', node: 'a', factor: 4 });
    d = applyEdit(d, { kind: 'removeFault', index: 0 });
    expect(d.faults.map((f) => f.action)).toEqual(['partition', 'slowdown']);
  });

  it('replaces the whole document with a copy', () => {
    const other = threeTier();
    const d = applyEdit(emptyDoc(), { kind: 'replace', doc: other });
    expect(d).toEqual(other);
    expect(d).not.toBe(other);
  });
});

describe('setIn / getIn', () => {
  it('stores a "__proto__" key as plain data, never as a prototype', () => {
    const o = setIn({}, ['__proto__'], { polluted: true }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(o)).toEqual(['__proto__']);
  });

  it('reads own values only', () => {
    expect(getIn({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(getIn({}, ['toString'])).toBeUndefined();
  });

  it('removes list items with undefined', () => {
    expect(setIn([1, 2, 3], [1], undefined)).toEqual([1, 3]);
  });
});

describe('freshId', () => {
  it('strips trailing digits and counts from 1', () => {
    expect(freshId(threeTier(), 'server3')).toBe('server1');
    expect(freshId(threeTier(), '9lives')).toBe('node1');
  });
});
