/**
 * Statistics for theory checks: run R independent replications of a scenario and test
 * that the theoretical value lies within the 99.9% confidence interval of the
 * replication means. Replications are independent (derived seeds), so the CI needs no
 * batch-means correction; warm-up removes the empty-start transient.
 */
import { expect } from 'vitest';
import { buildReport, createSimulation, deriveSeed, parseScenario, type Report } from '../../engine/index.ts';

/** The 0.9995 quantile of Student's t (two-sided 99.9%) for df 1..30, then normal-ish. */
export function t9995(df: number): number {
  const t = [NaN, 636.62, 31.6, 12.924, 8.61, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587, 4.437, 4.318, 4.221, 4.14, 4.073, 4.015, 3.965, 3.922, 3.883, 3.85, 3.819, 3.792, 3.768, 3.745, 3.725, 3.707, 3.69, 3.674, 3.659, 3.646];
  return df < t.length ? t[df]! : 3.291 + 7 / df;
}

export interface Estimate {
  mean: number;
  /** Half-width of the 99.9% CI of the mean over replications. */
  halfWidth: number;
  values: number[];
}

export function estimate(values: number[]): Estimate {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, halfWidth: (t9995(n - 1) * sd) / Math.sqrt(n), values };
}

/** Runs R replications of a raw scenario; returns the reports. */
export function replicate(raw: Record<string, unknown>, r: number, baseSeed = 1): Report[] {
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return Array.from({ length: r }, (_, i) => {
    const sim = createSimulation(parsed.scenario, { seed: deriveSeed(baseSeed, i) });
    sim.runToEnd();
    return buildReport(sim, { series: false });
  });
}

/**
 * Asserts that `theory` lies in the 99.9% CI of the estimate, and that the CI is tight
 * enough (relative half-width below `maxRel`) for the check to mean something.
 */
export function expectTheory(name: string, e: Estimate, theory: number, maxRel: number): void {
  const msg = `${name}: simulated ${e.mean.toFixed(5)} ± ${e.halfWidth.toFixed(5)} (99.9% CI over ${e.values.length} runs), theory ${theory.toFixed(5)}`;
  expect(e.halfWidth / Math.abs(theory), `${msg}: CI too wide to test`).toBeLessThan(maxRel);
  expect(Math.abs(e.mean - theory), msg).toBeLessThanOrEqual(e.halfWidth);
}

/**
 * A reference value that is itself a Monte Carlo estimate: its mean, its standard error
 * and the degrees of freedom of that standard error (independent runs − 1).
 */
export interface McReference {
  mean: number;
  se: number;
  df: number;
}

/**
 * Asserts that a simulated estimate agrees with a Monte Carlo reference, allowing for the
 * sampling error of both: |mean − ref| ≤ t · √(se_sim² + se_ref²), t the two-sided 99.9%
 * quantile of Student's t with Welch–Satterthwaite degrees of freedom (rounded down). As
 * in expectTheory, the combined half-width must also be below `maxRel` of the reference.
 */
export function expectReference(name: string, e: Estimate, ref: McReference, maxRel: number): void {
  const n = e.values.length;
  const seSim = e.halfWidth / t9995(n - 1);
  const a = seSim ** 2;
  const b = ref.se ** 2;
  const df = Math.floor((a + b) ** 2 / (a ** 2 / (n - 1) + b ** 2 / ref.df));
  const half = t9995(Math.max(1, df)) * Math.sqrt(a + b);
  const msg = `${name}: simulated ${e.mean.toFixed(5)} (se ${seSim.toFixed(5)}, ${n} runs), reference ${ref.mean.toFixed(5)} (se ${ref.se.toFixed(5)}); allowed ±${half.toFixed(5)} (99.9%, ${df} df)`;
  expect(half / Math.abs(ref.mean), `${msg}: interval too wide to test`).toBeLessThan(maxRel);
  expect(Math.abs(e.mean - ref.mean), msg).toBeLessThanOrEqual(half);
}
