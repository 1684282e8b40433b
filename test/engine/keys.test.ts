import { describe, expect, it } from 'vitest';
import { createStream } from '../../engine/core/rng.ts';
import { AliasZipfKeys, HotspotKeys, UniformKeys, ZipfKeys, type KeySampler } from '../../engine/kernels/keys.ts';

/** Pearson chi-square of observed key counts against the sampler's probabilities, over bins. */
function chiSquare(s: KeySampler, n: number, name: string): { stat: number; df: number } {
  const r = createStream(5, name);
  const counts = new Float64Array(s.count);
  for (let i = 0; i < n; i++) counts[s.sample(r)]!++;
  // merge the tail into bins with an expected count of at least 50
  let stat = 0, df = -1, obs = 0, exp = 0;
  for (let i = 0; i < s.count; i++) {
    obs += counts[i]!;
    exp += s.probability(i) * n;
    if (exp >= 50 || i === s.count - 1) {
      stat += (obs - exp) ** 2 / exp;
      df++;
      obs = 0;
      exp = 0;
    }
  }
  return { stat, df };
}

/** Upper 0.999 quantile of chi-square with df degrees of freedom (Wilson–Hilferty). */
function chi2Crit(df: number): number {
  const z = 3.090232;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

describe('key popularity', () => {
  const samplers: Array<[string, KeySampler]> = [
    ['uniform', new UniformKeys(500)],
    ['zipf 0.9 (alias)', new AliasZipfKeys(10000, 0.9)],
    ['zipf 1.2 (alias)', new AliasZipfKeys(1000, 1.2)],
    ['zipf 0.9 (rejection-inversion)', new ZipfKeys(10000, 0.9)],
    ['zipf 1.0 (rejection-inversion)', new ZipfKeys(5000, 1.0)],
    ['zipf 0.6 (alias, > 2^16 keys)', new AliasZipfKeys(100000, 0.6)],
    ['hotspot 90/10', new HotspotKeys(1000, 0.1, 0.9)],
  ];
  for (const [name, s] of samplers) {
    it(`${name}: frequencies pass a chi-square test against the probabilities (p = 0.001)`, () => {
      const { stat, df } = chiSquare(s, 500_000, name);
      expect(stat).toBeLessThan(chi2Crit(df));
    });
  }

  it('zipf probabilities sum to 1 and key 0 is the most popular', () => {
    const z = new ZipfKeys(1000, 0.9);
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += z.probability(i);
    expect(sum).toBeCloseTo(1, 10);
    expect(z.probability(0)).toBeGreaterThan(z.probability(1));
    const a = new AliasZipfKeys(1000, 0.9);
    expect(a.probability(17)).toBeCloseTo(z.probability(17), 12);
  });

  it('hotspot sends hotShare of requests to hotFraction of keys', () => {
    const h = new HotspotKeys(1000, 0.1, 0.9);
    const r = createStream(1, 'hot');
    let hot = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) if (h.sample(r) < 100) hot++;
    expect(Math.abs(hot / n - 0.9)).toBeLessThan(4 * Math.sqrt(0.09 / n));
  });
});
