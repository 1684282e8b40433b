import { describe, expect, it } from 'vitest';
import { createStream, deriveSeed } from '../../engine/core/rng.ts';

/** Kolmogorov–Smirnov statistic of samples against a CDF. */
function ks(xs: number[], cdf: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs(f - (i + 1) / s.length));
  });
  return d;
}

describe('random streams', () => {
  it('the same (seed, name) gives the same sequence; another name or seed a different one', () => {
    const a = createStream(42, 'api/service');
    const b = createStream(42, 'api/service');
    const c = createStream(42, 'api/errors');
    const d = createStream(43, 'api/service');
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
    expect(Array.from({ length: 5 }, () => d.u32())).not.toEqual(xs);
  });

  it('a stream is unaffected by how much another stream has drawn (independence by construction)', () => {
    const first = createStream(1, 'x');
    const seqAlone = Array.from({ length: 10 }, () => first.next());
    const y = createStream(1, 'y');
    for (let i = 0; i < 12345; i++) y.next();
    const again = createStream(1, 'x');
    expect(Array.from({ length: 10 }, () => again.next())).toEqual(seqAlone);
  });

  it('streams with related names are uncorrelated', () => {
    const a = createStream(1, 'node-1/arrivals');
    const b = createStream(1, 'node-2/arrivals');
    const n = 100_000;
    let sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) {
      const x = a.next(), y = b.next();
      sab += x * y; sa += x; sb += y; saa += x * x; sbb += y * y;
    }
    const r = (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
    // sd of r under independence is 1/sqrt(n) = 0.0032; allow 4 sd
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('next() is uniform on (0,1): never 0 or 1, KS distance within the 99.9% critical value', () => {
    const r = createStream(7, 'u');
    const xs = Array.from({ length: 50_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(ks(xs, (x) => x)).toBeLessThan(1.95 / Math.sqrt(xs.length));
  });

  it('exp() (ziggurat) is a standard exponential: KS, mean, variance and tail', () => {
    const r = createStream(11, 'e');
    const n = 400_000;
    const xs = Array.from({ length: n }, () => r.exp());
    // KS against 1 - e^-x at the 99.9% level
    expect(ks(xs.slice(0, 100_000), (x) => 1 - Math.exp(-x))).toBeLessThan(1.95 / Math.sqrt(100_000));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    // sd(mean) = 1/sqrt(n) = 0.0016; sd(var) ~ sqrt(8/n) = 0.0045; allow 4 sd
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(8 / n));
    // the tail beyond the last layer (x > 7.697) has probability e^-7.697 = 4.5e-4
    const tail = xs.filter((x) => x > 7.697117470131487).length / n;
    expect(Math.abs(tail - Math.exp(-7.697117470131487))).toBeLessThan(4 * Math.sqrt(4.5e-4 / n));
    // and the quantiles match: p99 = ln 100
    const sorted = [...xs].sort((a, b) => a - b);
    expect(Math.abs(sorted[Math.floor(0.99 * n)]! - Math.log(100)) / Math.log(100)).toBeLessThan(0.02);
  });

  it('deriveSeed(seed, i) gives distinct replication seeds', () => {
    const seeds = Array.from({ length: 1000 }, (_, i) => deriveSeed(42, i));
    expect(new Set(seeds).size).toBe(1000);
    expect(deriveSeed(42, 3)).toBe(deriveSeed(42, 3));
  });
});
