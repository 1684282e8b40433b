/**
 * Choosing one of several outgoing edges for a request: among the edges that carry its
 * kind (read/write), at random in proportion to their weights. With a single edge no
 * random number is drawn, so adding a second edge elsewhere never shifts a node's draws.
 */
import type { Edge } from '../core/edge.ts';
import type { Rng } from '../core/rng.ts';

/** The edge for a request of `kind` (0 read, 1 write), or null if no edge carries it. */
export function pickWeightedEdge(out: readonly Edge[], kind: number, rng: Rng): Edge | null {
  if (out.length === 1) return out[0]!.accepts(kind) ? out[0]! : null;
  let total = 0;
  for (const e of out) if (e.accepts(kind)) total += e.weight;
  if (total === 0) return null;
  let x = rng.next() * total;
  let last: Edge | null = null;
  for (const e of out) {
    if (!e.accepts(kind)) continue;
    last = e;
    x -= e.weight;
    if (x < 0) return e;
  }
  return last;
}
