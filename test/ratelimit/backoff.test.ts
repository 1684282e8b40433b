/**
 * The AWS "Exponential Backoff And Jitter" study (ground truth §6.4), re-run in archsim:
 * scenarios/backoff-jitter-occ.json (50 writers per strategy on one OCC row each).
 *
 * Sizing: from 100 seeds, the per-run standard deviations at n = 50 are about 19/29/6/5/13
 * write calls (none/exponential/equal/full/decorrelated) and 45/2970/600/535/517 ms of
 * completion time. With R = 20 runs every asserted ordering is at least 7 standard
 * errors of the difference apart (the closest: time full vs equal, 1320 ms apart with
 * SE_diff = sqrt(535² + 602²)/√20 ≈ 180 ms), so a flipped ordering would not be luck. The
 * test re-checks that each margin exceeds 3 SE with the SDs of its own runs.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenarioText } from '../../engine/index.ts';

const R = 20;
const KINDS = ['none', 'exponential', 'equal', 'full', 'decorrelated'] as const;
type Kind = (typeof KINDS)[number];
/** Ground truth §6.4 at 50 clients (refs.py --mc, 100 runs each): [completion ms, write calls]. */
const REF: Record<Kind, [number, number]> = {
  none: [1142, 688],
  exponential: [36402, 623],
  equal: [4317, 347],
  full: [2786, 333],
  decorrelated: [2232, 372],
};

interface Stat {
  mean: number;
  sd: number;
}
const stat = (xs: number[]): Stat => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) };
};

function study(): Record<Kind, { calls: Stat; time: Stat }> {
  const parsed = parseScenarioText(readFileSync(new URL('../../scenarios/backoff-jitter-occ.json', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const calls: Record<string, number[]> = {};
  const time: Record<string, number[]> = {};
  for (let seed = 1; seed <= R; seed++) {
    const sim = createSimulation(parsed.scenario, { seed });
    sim.runToEnd();
    const rep = buildReport(sim, { series: false });
    for (const k of KINDS) {
      const row = rep.nodes[`row_${k}`] as unknown as { writes: number };
      // a client's report carries its end-to-end view: ok count, latency from first send
      const writers = rep.nodes[`writers_${k}`] as unknown as { ok: number; latencyMs: { max: number } };
      expect(writers.ok).toBe(50); // everyone finished
      (calls[k] ??= []).push(row.writes);
      (time[k] ??= []).push(writers.latencyMs.max);
    }
  }
  return Object.fromEntries(KINDS.map((k) => [k, { calls: stat(calls[k]!), time: stat(time[k]!) }])) as Record<Kind, { calls: Stat; time: Stat }>;
}

describe('exponential backoff and jitter on optimistic concurrency (50 clients, 20 runs)', () => {
  let s: ReturnType<typeof study>;
  beforeAll(() => {
    s = study();
  });
  const se = (a: Stat, b: Stat) => Math.sqrt((a.sd ** 2 + b.sd ** 2) / R);
  /** a < b, by more than 3 standard errors of the difference. */
  const less = (a: Stat, b: Stat) => expect(b.mean - a.mean).toBeGreaterThan(3 * se(a, b));

  it('work (write calls): full ≈ equal < decorrelated < exponential < none', () => {
    const c = (k: Kind) => s[k].calls;
    // "≈": the reference ratio is 347/333 = 1.042; ours may differ by 4 SE of the ratio
    const ratio = c('equal').mean / c('full').mean;
    const seRatio = ratio * Math.sqrt((c('equal').sd / c('equal').mean) ** 2 / R + (c('full').sd / c('full').mean) ** 2 / R);
    expect(Math.abs(ratio - 347 / 333)).toBeLessThan(4 * seRatio + 0.01);
    less(c('full'), c('decorrelated'));
    less(c('equal'), c('decorrelated'));
    less(c('decorrelated'), c('exponential'));
    less(c('exponential'), c('none'));
  });

  it('completion time: none < {full, decorrelated} < equal < exponential, and exponential ≥ 8 × full', () => {
    const t = (k: Kind) => s[k].time;
    less(t('none'), t('full'));
    less(t('none'), t('decorrelated'));
    less(t('full'), t('equal'));
    less(t('decorrelated'), t('equal'));
    less(t('equal'), t('exponential'));
    expect(t('exponential').mean).toBeGreaterThan(8 * t('full').mean);
  });

  it('agrees with the reference numbers within sampling error', () => {
    // both sides are means of noisy runs: ours over R = 20, the reference over 100;
    // the SD of one run estimates both, and 4 SE of the difference is the tolerance
    for (const k of KINDS) {
      const [refTime, refCalls] = REF[k];
      const tol = (x: Stat) => 4 * x.sd * Math.sqrt(1 / R + 1 / 100);
      expect(Math.abs(s[k].calls.mean - refCalls), `${k} calls`).toBeLessThan(tol(s[k].calls));
      expect(Math.abs(s[k].time.mean - refTime), `${k} time`).toBeLessThan(tol(s[k].time));
    }
  });

  it('gives the means docs/rate-limiting.md and the scenario quote, rounded as quoted', () => {
    // these 20 runs are deterministic: each quoted mean must round to the figure as written
    const rounds = (x: number, quoted: number, unit: number, what: string) => {
      expect(x, what).toBeGreaterThanOrEqual(quoted - unit / 2);
      expect(x, what).toBeLessThan(quoted + unit / 2);
    };
    rounds(s.exponential.calls.mean, 623, 1, 'exponential write calls');
    rounds(s.none.calls.mean, 693, 1, 'no-backoff write calls');
    rounds(s.full.calls.mean, 333, 1, 'full-jitter write calls');
    rounds(s.exponential.time.mean / 1000, 36.6, 0.1, 'exponential completion (s)');
    rounds(s.full.time.mean / 1000, 2.9, 0.1, 'full-jitter completion (s)');
    rounds(s.decorrelated.time.mean / 1000, 2.2, 0.1, 'decorrelated completion (s)');
    rounds(s.exponential.time.mean / s.full.time.mean, 13, 1, '"13 times longer" than full jitter');
    rounds(s.exponential.time.mean / s.none.time.mean, 30, 10, 'the scenario\'s "30× longer" than no backoff');
  });
});
