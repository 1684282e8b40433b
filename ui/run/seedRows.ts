/**
 * The rows of the replications table: each headline metric (the CLI's names, e.g.
 * `endToEnd.latencyMs.p99`, `nodes.api.utilization`) with its scope, a readable label,
 * and how to show it. Pure, for tests.
 */
import type { MetricSummary } from '../store/seeds.ts';

export interface SeedRow {
  /** The metric's full name, as in the CLI's replication summary. */
  name: string;
  /** "end to end" or a node id. */
  scope: string;
  label: string;
  /** Ratios are shown as percentages. */
  percent: boolean;
  summary: MetricSummary;
}

const E2E: Record<string, { label: string; percent?: boolean }> = {
  throughputPerSec: { label: 'throughput /s' },
  successRatio: { label: 'success', percent: true },
  'latencyMs.mean': { label: 'mean ms' },
  'latencyMs.p50': { label: 'p50 ms' },
  'latencyMs.p90': { label: 'p90 ms' },
  'latencyMs.p99': { label: 'p99 ms' },
  'latencyMs.p999': { label: 'p99.9 ms' },
};

/** Per-node metrics, longest suffix first (node ids may contain dots). */
const NODE: Array<[string, { label: string; percent?: boolean }]> = [
  ['queueLength.mean', { label: 'queue (mean)' }],
  ['latencyMs.p99', { label: 'p99 ms' }],
  ['utilization', { label: 'utilisation', percent: true }],
  ['hitRatio', { label: 'hit ratio', percent: true }],
  ['staleRatio', { label: 'stale reads', percent: true }],
  ['rejectedShare', { label: 'rejected share', percent: true }],
];

/** One row per metric: end to end first (in the CLI's order), then node by node. */
export function seedRows(summary: Record<string, MetricSummary>, nodeOrder: readonly string[] = []): SeedRow[] {
  const e2e: SeedRow[] = [];
  const nodes = new Map<string, SeedRow[]>();
  for (const [name, s] of Object.entries(summary)) {
    if (name.startsWith('endToEnd.')) {
      const key = name.slice('endToEnd.'.length);
      const d = E2E[key] ?? { label: key };
      e2e.push({ name, scope: 'end to end', label: d.label, percent: !!d.percent, summary: s });
    } else if (name.startsWith('nodes.')) {
      const rest = name.slice('nodes.'.length);
      const known = NODE.find(([suffix]) => rest.endsWith(`.${suffix}`));
      const suffix = known ? known[0] : rest.slice(rest.lastIndexOf('.') + 1);
      const id = rest.slice(0, rest.length - suffix.length - 1);
      const d = known?.[1] ?? { label: suffix };
      const list = nodes.get(id) ?? [];
      list.push({ name, scope: id, label: d.label, percent: !!d.percent, summary: s });
      nodes.set(id, list);
    }
  }
  const order = [...nodeOrder.filter((id) => nodes.has(id)), ...[...nodes.keys()].filter((id) => !nodeOrder.includes(id))];
  return [...e2e, ...order.flatMap((id) => nodes.get(id)!)];
}
