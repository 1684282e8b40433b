/**
 * The component registry as the editor sees it: every type from `componentDefs()`, in
 * palette order, with lookups and the connection rules the definitions imply. Nothing
 * here names a particular component type, so new types need no UI change.
 */
import { componentDefs, type ComponentDef } from '../sim/client.ts';
import type { Doc } from './doc.ts';

let cached: ComponentDef[] | null = null;

/** Every registered component definition. */
export function allDefs(): ComponentDef[] {
  return (cached ??= componentDefs());
}

/** The definition of a type, if registered. */
export function defOf(type: string): ComponentDef | undefined {
  return allDefs().find((d) => d.type === type);
}

export const CATEGORY_ORDER = ['traffic', 'network', 'compute', 'data', 'control'] as const;
export const CATEGORY_LABEL: Record<string, string> = {
  traffic: 'Traffic',
  network: 'Network',
  compute: 'Compute',
  data: 'Data',
  control: 'Control',
};

/** Definitions grouped by category, known categories first, others after in first-seen order. */
export function defsByCategory(defs: ComponentDef[] = allDefs()): Array<{ category: string; defs: ComponentDef[] }> {
  const order: string[] = [...CATEGORY_ORDER];
  for (const d of defs) if (!order.includes(d.category)) order.push(d.category);
  return order.map((category) => ({ category, defs: defs.filter((d) => d.category === category) })).filter((g) => g.defs.length);
}

/**
 * Why an edge from `from` to `to` cannot be drawn, or null if it can. This mirrors the
 * validator's topology rules so that the canvas refuses an edge as it is drawn.
 */
export function connectProblem(doc: Doc, from: string, to: string): string | null {
  if (from === to) return 'an edge cannot connect a node to itself';
  const a = doc.nodes.find((n) => n.id === from);
  const b = doc.nodes.find((n) => n.id === to);
  if (!a || !b) return 'both ends must be nodes on the canvas';
  if (doc.edges.some((e) => e.from === from && e.to === to)) return `there is already an edge ${from} → ${to}`;
  const da = defOf(a.type);
  const db = defOf(b.type);
  if (da && da.outgoing === null) return `a ${da.title.toLowerCase()} does not send requests to other nodes`;
  if (db && !db.incoming) return `nothing can send requests to a ${db.title.toLowerCase()}`;
  return null;
}
