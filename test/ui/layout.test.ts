import { describe, expect, it } from 'vitest';
import { COLUMN_GAP, depths, layoutByDepth, ROW_GAP, withLayout } from '../../ui/store/layout.ts';
import { emptyDoc } from '../../ui/store/doc.ts';

const nodes = (...ids: string[]) => ids.map((id) => ({ id, type: 'server' }));

describe('auto-layout', () => {
  it('puts each node one column right of its deepest predecessor', () => {
    const d = depths(['c', 'lb', 'a', 'b', 'db'], [
      { from: 'c', to: 'lb' },
      { from: 'lb', to: 'a' },
      { from: 'lb', to: 'b' },
      { from: 'a', to: 'db' },
      { from: 'c', to: 'db' },
    ]);
    expect(Object.fromEntries(d)).toEqual({ c: 0, lb: 1, a: 2, b: 2, db: 3 });
  });

  it('terminates on cycles', () => {
    const d = depths(['a', 'b'], [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ]);
    expect([...d.values()].every((x) => x < 2)).toBe(true);
  });

  it('centres shorter columns against the tallest', () => {
    const pos = layoutByDepth({ nodes: nodes('c', 'a', 'b'), edges: [{ from: 'c', to: 'a' }, { from: 'c', to: 'b' }] });
    expect(pos).toEqual({ c: { x: 0, y: ROW_GAP / 2 }, a: { x: COLUMN_GAP, y: 0 }, b: { x: COLUMN_GAP, y: ROW_GAP } });
  });

  it('keeps existing positions and places only the missing nodes', () => {
    const doc = { ...emptyDoc(), nodes: nodes('c', 'a'), edges: [{ from: 'c', to: 'a' }], layout: { c: { x: 500, y: 500 } } };
    const out = withLayout(doc);
    expect(out.layout.c).toEqual({ x: 500, y: 500 });
    expect(out.layout.a!.x).toBe(COLUMN_GAP);
    expect(out.layout.a!.y).toBeGreaterThan(500);
    const full = withLayout(out);
    expect(full).toBe(out);
  });
});
