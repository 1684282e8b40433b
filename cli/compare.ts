/**
 * Paired comparison of two scenario variants. Each replication runs both variants under
 * the same derived seed; because random streams are per component and purpose, nodes
 * with the same id draw the same numbers in both (common random numbers), so the
 * per-replication differences vary much less than two independent runs would, and the
 * confidence interval on "B − A" is correspondingly tighter.
 */
import type { Report, Scenario } from '../engine/index.ts';
import { confidenceInterval } from '../engine/report/replications.ts';
import { headlineMetrics } from './replicate.ts';
import { replicationSeeds, runScenario } from './run.ts';

export interface Comparison {
  a: string;
  b: string;
  baseSeed: number | string;
  replications: number;
  metrics: Record<string, { a: number; b: number; diff: number; halfWidth: number; ci95: [number, number]; significant: boolean }>;
}

export function compare(a: Scenario, b: Scenario, baseSeed: number | string, r: number, duration?: number): Comparison {
  const seeds = replicationSeeds(baseSeed, r);
  const runs: Array<[Report, Report]> = seeds.map((seed) => [
    runScenario(a, { seed, duration, series: false }),
    runScenario(b, { seed, duration, series: false }),
  ]);
  const ma = runs.map(([x]) => headlineMetrics(x));
  const mb = runs.map(([, y]) => headlineMetrics(y));
  const names = Object.keys(ma[0]!).filter((k) => k in mb[0]!);
  const metrics: Comparison['metrics'] = {};
  for (const k of names) {
    const d = confidenceInterval(ma.map((m, i) => mb[i]![k]! - m[k]!));
    const mean = (xs: Record<string, number>[]) => xs.reduce((s, m) => s + m[k]!, 0) / xs.length;
    metrics[k] = {
      a: mean(ma),
      b: mean(mb),
      diff: d.mean,
      halfWidth: d.halfWidth,
      ci95: d.ci95,
      significant: Number.isFinite(d.halfWidth) && (d.ci95[0] > 0 || d.ci95[1] < 0),
    };
  }
  return { a: a.name, b: b.name, baseSeed, replications: r, metrics };
}

export function formatComparison(c: Comparison): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');
  const rows = [['metric', 'A', 'B', 'B − A', '± 95%', '']];
  for (const [k, m] of Object.entries(c.metrics)) rows.push([k, f(m.a), f(m.b), f(m.diff), f(m.halfWidth), m.significant ? '*' : '']);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `A: ${c.a}`,
    `B: ${c.b}`,
    `${c.replications} paired replications from seed ${c.baseSeed} (common random numbers); * = the 95% interval of B − A excludes 0`,
    '',
    ...rows.map((r) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ')),
  ].join('\n');
}
