/**
 * Automatic layout for scenarios that come without positions: left to right by graph
 * depth (the longest path from a node without incoming edges), one column per depth,
 * nodes of a column stacked and centred. Cycles are tolerated: depth stops growing
 * after as many rounds as there are nodes.
 */
import type { Doc, XY } from './doc.ts';

export const COLUMN_GAP = 260;
export const ROW_GAP = 120;

/** Depth of every node: 0 for sources, otherwise 1 + the deepest predecessor. */
export function depths(ids: string[], edges: Array<{ from: string; to: string }>): Map<string, number> {
  const depth = new Map(ids.map((id) => [id, 0]));
  const known = edges.filter((e) => depth.has(e.from) && depth.has(e.to) && e.from !== e.to);
  // Bellman-Ford style relaxation, capped so that a cycle cannot loop for ever
  for (let round = 0; round < ids.length; round++) {
    let changed = false;
    for (const e of known) {
      const d = depth.get(e.from)! + 1;
      if (d > depth.get(e.to)! && d < ids.length) {
        depth.set(e.to, d);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return depth;
}

/** Positions for every node, laid out by depth (scenario order within a column). */
export function layoutByDepth(doc: Pick<Doc, 'nodes' | 'edges'>): Record<string, XY> {
  const ids = doc.nodes.map((n) => n.id);
  const depth = depths(ids, doc.edges);
  const columns: string[][] = [];
  for (const id of ids) {
    const d = depth.get(id)!;
    (columns[d] ??= []).push(id);
  }
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const out: Record<string, XY> = {};
  columns.forEach((col, d) => {
    if (!col) return;
    const top = ((tallest - col.length) * ROW_GAP) / 2;
    col.forEach((id, i) => {
      out[id] = { x: d * COLUMN_GAP, y: top + i * ROW_GAP };
    });
  });
  return out;
}

/**
 * The document with a position for every node: positions it has are kept, and nodes
 * without one are laid out by depth (shifted below the placed ones if some exist).
 */
export function withLayout(doc: Doc): Doc {
  const missing = doc.nodes.filter((n) => !Object.hasOwn(doc.layout, n.id));
  if (!missing.length) return doc;
  const auto = layoutByDepth(doc);
  const placed = doc.nodes.filter((n) => Object.hasOwn(doc.layout, n.id));
  const dy = placed.length ? Math.max(...placed.map((n) => doc.layout[n.id]!.y)) + ROW_GAP * 1.5 - Math.min(...missing.map((n) => auto[n.id]!.y)) : 0;
  const layout: Record<string, XY> = {};
  for (const n of doc.nodes) {
    layout[n.id] = Object.hasOwn(doc.layout, n.id) ? doc.layout[n.id]! : { x: auto[n.id]!.x, y: auto[n.id]!.y + dy };
  }
  return { ...doc, layout };
}
