/**
 * Independent replications: R runs of one scenario from seeds derived from a base seed,
 * and for each headline metric the mean across runs with a 95% confidence interval
 * (Student's t on the run means; runs are independent, so no batch-means correction).
 */
import { deriveSeed } from '../core/rng.ts';
import type { Report } from './report.ts';

/** Seeds of R replications derived from a base seed (the CLI's and the app's). */
export function replicationSeeds(seed: number | string, r: number): number[] {
  return Array.from({ length: r }, (_, i) => deriveSeed(seed, i));
}

/** The 0.975 quantile of Student's t with `df` degrees of freedom. */
export function tQuantile975(df: number): number {
  const table = [
    NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
    2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
  ];
  if (df < 1) return NaN;
  if (df < table.length) return table[df]!;
  // Cornish-Fisher expansion around the normal quantile
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

export interface Interval {
  mean: number;
  /** Half-width of the 95% confidence interval. */
  halfWidth: number;
  ci95: [number, number];
  stddev: number;
  n: number;
}

/** Mean and 95% CI of independent observations (NaNs are skipped). */
export function confidenceInterval(xs: number[]): Interval {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, halfWidth: NaN, ci95: [NaN, NaN], stddev: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, halfWidth: NaN, ci95: [NaN, NaN], stddev: NaN, n };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const hw = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { mean, halfWidth: hw, ci95: [mean - hw, mean + hw], stddev: sd, n };
}

/** The metrics summarised across replications: name -> value in one report. */
export function headlineMetrics(r: Report): Record<string, number> {
  const e = r.endToEnd;
  const m: Record<string, number> = {
    'endToEnd.throughputPerSec': e.throughputPerSec,
    'endToEnd.successRatio': e.successRatio,
    'endToEnd.latencyMs.mean': e.latencyMs.mean,
    'endToEnd.latencyMs.p50': e.latencyMs.p50,
    'endToEnd.latencyMs.p90': e.latencyMs.p90,
    'endToEnd.latencyMs.p99': e.latencyMs.p99,
    'endToEnd.latencyMs.p999': e.latencyMs.p999,
  };
  for (const [id, n] of Object.entries(r.nodes)) {
    if (n.type === 'client') continue;
    if (n.utilization !== null) m[`nodes.${id}.utilization`] = n.utilization;
    m[`nodes.${id}.queueLength.mean`] = n.queueLength.mean;
    m[`nodes.${id}.latencyMs.p99`] = n.latencyMs.p99;
    // the component's own ratios, when its report has them (caches, CDN edges, databases
    // with replicas, rate limiters); NaN when there was nothing to divide, so that every
    // run of a scenario has the same names
    for (const k of ['hitRatio', 'staleRatio', 'rejectedShare']) {
      if (k in n) m[`nodes.${id}.${k}`] = typeof n[k] === 'number' ? n[k] : NaN;
    }
  }
  return m;
}
