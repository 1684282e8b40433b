/**
 * Comparing a run with a kept baseline: the rows of the "compared with the baseline"
 * table. Pure: both sides are engine reports, nothing is recomputed beyond the
 * difference. With the same seed, nodes with the same id draw the same random numbers in
 * both runs (common random numbers), so a difference comes from the change, not from luck.
 */
import type { Report } from '../sim/client.ts';

/** Which way is good for a metric (null: neither, e.g. a throughput that follows the load). */
export type Better = 'lower' | 'higher' | null;

export interface CompareRow {
  /** "end to end" or a node id. */
  scope: string;
  metric: string;
  unit: '' | 'ms' | '/s' | '%' | 'ratio';
  base: number | null;
  cur: number | null;
  better: Better;
}

export interface Change {
  /** cur − base, or null when either side is missing. */
  diff: number | null;
  /** (cur − base) / |base|, or null when base is 0 or missing. */
  rel: number | null;
  /** Whether the change is an improvement, a regression, or neither (null: no change or no direction). */
  verdict: 'better' | 'worse' | null;
}

type NodeReport = Report['nodes'][string] & Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function failedTotal(n: NodeReport | undefined): number | null {
  return n ? Object.values(n.failed).reduce((a, b) => a + b, 0) : null;
}

/**
 * The rows comparing `cur` with `base`: end to end first, then every non-client node in
 * either run (the current run's order, then nodes only the baseline has). A node
 * missing from one side shows null there.
 */
export function compareReports(base: Report, cur: Report): CompareRow[] {
  const rows: CompareRow[] = [];
  const a = base.endToEnd;
  const b = cur.endToEnd;
  const e2e = (metric: string, unit: CompareRow['unit'], x: number | null, y: number | null, better: Better) => rows.push({ scope: 'end to end', metric, unit, base: x, cur: y, better });
  // throughput follows the offered load; success and failures say whether it got better
  e2e('throughput', '/s', a.throughputPerSec, b.throughputPerSec, null);
  e2e('success', '%', a.successRatio * 100, b.successRatio * 100, 'higher');
  e2e('failed', '', a.failedTotal, b.failedTotal, 'lower');
  e2e('mean', 'ms', a.latencyMs.mean, b.latencyMs.mean, 'lower');
  e2e('p50', 'ms', a.latencyMs.p50, b.latencyMs.p50, 'lower');
  e2e('p99', 'ms', a.latencyMs.p99, b.latencyMs.p99, 'lower');
  e2e('p99.9', 'ms', a.latencyMs.p999, b.latencyMs.p999, 'lower');
  if (a.amplification > 1.0001 || b.amplification > 1.0001) e2e('attempts per request', 'ratio', a.amplification, b.amplification, 'lower');
  if (a.staleReads > 0 || b.staleReads > 0) e2e('stale reads', '', a.staleReads, b.staleReads, 'lower');

  const ids = [...Object.keys(cur.nodes), ...Object.keys(base.nodes).filter((id) => !(id in cur.nodes))];
  for (const id of ids) {
    const x = base.nodes[id] as NodeReport | undefined;
    const y = cur.nodes[id] as NodeReport | undefined;
    if ((x ?? y)!.type === 'client') continue;
    const row = (metric: string, unit: CompareRow['unit'], get: (n: NodeReport) => number | null, better: Better) => {
      const bv = x ? get(x) : null;
      const cv = y ? get(y) : null;
      if (bv !== null || cv !== null) rows.push({ scope: id, metric, unit, base: bv, cur: cv, better });
    };
    row('utilisation', '%', (n) => (n.utilization === null ? null : n.utilization * 100), null);
    row('queue (mean)', '', (n) => n.queueLength.mean, 'lower');
    row('p99', 'ms', (n) => (n.completed > 0 || n.arrivals > 0 ? n.latencyMs.p99 : null), 'lower');
    row('failed', '', (n) => failedTotal(n), 'lower');
    row('hit ratio', '%', (n) => (num(n.hitRatio) === null ? null : (n.hitRatio as number) * 100), 'higher');
    row('origin reads', '', (n) => num(n.originReads), 'lower');
    row('rejected share', '%', (n) => (num(n.rejectedShare) === null ? null : (n.rejectedShare as number) * 100), null);
    // a node on one side only still gets a row saying so
    if (!x || !y) {
      if (!rows.some((r) => r.scope === id)) rows.push({ scope: id, metric: 'arrivals', unit: '', base: x ? x.arrivals : null, cur: y ? y.arrivals : null, better: null });
    }
  }
  return rows;
}

/** The change from base to cur, and whether it is for the better. */
export function change(r: CompareRow): Change {
  if (r.base === null || r.cur === null) return { diff: null, rel: null, verdict: null };
  const diff = r.cur - r.base;
  const rel = r.base !== 0 ? diff / Math.abs(r.base) : null;
  // differences below a part in a million of the larger value are rounding, not change
  const scale = Math.max(Math.abs(r.base), Math.abs(r.cur));
  const same = Math.abs(diff) <= 1e-6 * scale;
  const verdict = same || r.better === null ? null : (diff < 0) === (r.better === 'lower') ? 'better' : 'worse';
  return { diff: same ? 0 : diff, rel: same ? 0 : rel, verdict };
}
