/**
 * Independent replications: R runs of one scenario from seeds derived from a base seed,
 * and for each headline metric the mean across runs with a 95% confidence interval
 * (Student's t on the run means; runs are independent, so no batch-means correction).
 */

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
