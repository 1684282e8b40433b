import { describe, expect, it } from 'vitest';
import { createSampler, lognormalFromMeanP99, type DistSpec } from '../../engine/core/dist.ts';
import { distSchema } from '../../engine/core/params.ts';
import { createStream } from '../../engine/core/rng.ts';

function moments(spec: DistSpec, n: number, name: string) {
  const s = createSampler(spec);
  const r = createStream(99, name);
  let sum = 0, sum2 = 0, min = Infinity;
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = s.sample(r);
    sum += x;
    sum2 += x * x;
    if (x < min) min = x;
    xs.push(x);
  }
  const mean = sum / n;
  return { s, mean, variance: sum2 / n - mean * mean, min, xs };
}

/**
 * Each distribution's sample mean and variance against its analytic values. With n draws
 * the sample mean's sd is sqrt(var/n); the tolerance is 5 of those. Variance is checked to
 * 5% (its sampling error is well below that at n = 400k for these light-tailed laws).
 */
const cases: Array<[string, DistSpec, { mean: number; variance: number }]> = [
  ['constant', { dist: 'constant', value: 5000 }, { mean: 5000, variance: 0 }],
  ['uniform', { dist: 'uniform', min: 1000, max: 3000 }, { mean: 2000, variance: 2000 ** 2 / 12 }],
  ['exponential', { dist: 'exponential', mean: 4000 }, { mean: 4000, variance: 4000 ** 2 }],
  ['normal (far from 0)', { dist: 'normal', mean: 10000, stddev: 2000 }, { mean: 10000, variance: 2000 ** 2 }],
  ['erlang-4', { dist: 'erlang', k: 4, mean: 4000 }, { mean: 4000, variance: 4000 ** 2 / 4 }],
  ['lognormal mu/sigma', { dist: 'lognormal', mu: Math.log(10000), sigma: 0.5 }, { mean: 10000 * Math.exp(0.125), variance: (Math.exp(0.25) - 1) * 10000 ** 2 * Math.exp(0.25) }],
  ['bounded pareto', { dist: 'pareto', alpha: 1.5, min: 1000, max: 100000 }, { mean: NaN, variance: NaN }],
  ['mixture', { dist: 'mixture', of: [{ weight: 0.9, dist: 'constant', value: 1000 }, { weight: 0.1, dist: 'constant', value: 11000 }] } as DistSpec, { mean: 2000, variance: 0.9 * 0.1 * 10000 ** 2 }],
  ['empirical bins', { dist: 'empirical', bins: [{ from: 0, to: 1000, weight: 1 }, { from: 1000, to: 3000, weight: 1 }] }, { mean: 1250, variance: NaN }],
  ['empirical values', { dist: 'empirical', values: [1000, 2000, 4000], weights: [2, 1, 1] }, { mean: 2000, variance: (2 * 1e6 + 0 + 4e6) / 4 }],
];

describe('distributions', () => {
  for (const [name, spec, want] of cases) {
    it(`${name}: sample mean and variance match ${Number.isNaN(want.mean) ? 'the sampler\'s own analytic values' : 'theory'}`, () => {
      const n = 400_000;
      const m = moments(spec, n, name);
      const mean = Number.isNaN(want.mean) ? m.s.mean : want.mean;
      const variance = Number.isNaN(want.variance) ? m.s.variance : want.variance;
      expect(Math.abs(m.s.mean - mean)).toBeLessThanOrEqual(1e-5 * Math.abs(mean));
      expect(Math.abs(m.mean - mean)).toBeLessThanOrEqual(5 * Math.sqrt(variance / n) + 1e-9);
      if (variance === 0) expect(m.variance).toBeCloseTo(0, 6);
      else expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.05);
      expect(m.min).toBeGreaterThanOrEqual(0);
    });
  }

  it('a normal is truncated at 0 (never negative) and its mean shifts as the truncated law says', () => {
    const m = moments({ dist: 'normal', mean: 1000, stddev: 1000 }, 400_000, 'tn');
    expect(m.min).toBeGreaterThanOrEqual(0);
    // E[X | X>=0] for N(1000, 1000^2) = 1000 + 1000 * phi(1)/Phi(1) = 1287.6
    expect(m.s.mean).toBeCloseTo(1287.6, 0);
    expect(Math.abs(m.mean - 1287.6)).toBeLessThan(10);
  });

  it('lognormal by mean and p99 has that mean and that 99th percentile', () => {
    const f = lognormalFromMeanP99(10000, 50000)!;
    const m = moments({ dist: 'lognormal', mean: 10000, p99: 50000 }, 400_000, 'ln');
    expect(m.s.mean).toBeCloseTo(10000, 3);
    const sorted = m.xs.sort((a, b) => a - b);
    expect(Math.abs(sorted[Math.floor(0.99 * sorted.length)]! / 50000 - 1)).toBeLessThan(0.03);
    expect(f.sigma).toBeGreaterThan(0);
    expect(lognormalFromMeanP99(10000, 9000)).toBeNull();
    expect(lognormalFromMeanP99(10000, 200000)).toBeNull();
  });

  it('pareto by mean has that mean (alpha 3, finite variance)', () => {
    const m = moments({ dist: 'pareto', alpha: 3, mean: 6000 }, 400_000, 'par');
    expect(m.s.mean).toBeCloseTo(6000, 6);
    expect(Math.abs(m.mean - 6000)).toBeLessThan(5 * Math.sqrt(m.s.variance / 400_000));
    expect(m.min).toBeGreaterThanOrEqual(4000);
  });

  it('the scenario syntax parses each kind, with units, and a bare value is a constant', () => {
    const d = distSchema('duration');
    expect(d.parse('5ms')).toEqual({ dist: 'constant', value: 5000 });
    expect(d.parse({ dist: 'erlang', k: 2, mean: '1s' })).toEqual({ dist: 'erlang', k: 2, mean: 1_000_000 });
    expect(d.safeParse({ dist: 'exponential', mean: 0 }).success).toBe(false);
    expect(d.safeParse({ dist: 'pareto', alpha: 1 , mean: '1ms' }).success).toBe(false);
    expect(d.safeParse({ dist: 'lognormal', mean: '1ms' }).success).toBe(false);
  });
});
