import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram, bucketOf, valueOf } from '../../engine/core/histogram.ts';
import { createStream } from '../../engine/core/rng.ts';

const exactQuantile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

describe('Histogram', () => {
  it('is exact below 256 and within 0.4% above, for any value', () => {
    for (let v = 0; v < 256; v++) expect(valueOf(bucketOf(v))).toBe(v);
    fc.assert(
      fc.property(fc.integer({ min: 256, max: 2 ** 39 }), (v) => Math.abs(valueOf(bucketOf(v)) - v) / v <= 1 / 256 + 1e-12),
      { seed: 3, numRuns: 20000 },
    );
  });

  it('quantiles are within 1% of the exact nearest-rank quantiles (fast-check seed 5)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 2000 }), (xs) => {
        const h = new Histogram();
        xs.forEach((x) => h.record(x));
        const s = [...xs].sort((a, b) => a - b);
        for (const q of [0.01, 0.5, 0.9, 0.99, 0.999, 1]) {
          const e = exactQuantile(s, q);
          const got = h.quantile(q);
          if (Math.abs(got - e) > Math.max(0.01 * e, 0.5)) return false;
        }
        return h.count === xs.length && h.min === s[0] && h.max === s[s.length - 1];
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('quantiles(qs) in one pass equal quantile(q) each', () => {
    const r = createStream(1, 'h');
    const h = new Histogram();
    for (let i = 0; i < 10000; i++) h.record(Math.round(r.exp() * 5000));
    const out = [0, 0, 0, 0];
    h.quantiles([0.5, 0.9, 0.99, 1], out);
    expect(out).toEqual([h.quantile(0.5), h.quantile(0.9), h.quantile(0.99), h.quantile(1)]);
  });

  it('mean is exact and merge equals recording everything in one', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 0; i < 1000; i++) {
      (i % 3 ? a : b).record(i * 37);
      all.record(i * 37);
    }
    a.merge(b);
    expect(a.count).toBe(all.count);
    expect(a.mean()).toBe(all.mean());
    for (const q of [0.1, 0.5, 0.99]) expect(a.quantile(q)).toBe(all.quantile(q));
  });

  it('drain equals quantiles, then merge into the target, then reset (fast-check seed 11)', () => {
    const qs = [0.5, 0.9, 0.99, 1];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50_000_000 }), { maxLength: 800 }),
        fc.array(fc.integer({ min: 0, max: 50_000_000 }), { maxLength: 300 }),
        fc.boolean(),
        (xs, before, compact) => {
          const a = new Histogram(compact);
          const b = new Histogram(compact);
          const intoA = new Histogram();
          const intoB = new Histogram();
          before.forEach((x) => (intoA.record(x), intoB.record(x)));
          xs.forEach((x) => (a.record(x), b.record(x)));
          const want = [0, 0, 0, 0];
          const got = [0, 0, 0, 0];
          a.quantiles(qs, want);
          intoA.merge(a);
          a.reset();
          b.drain(qs, got, intoB);
          expect(got).toEqual(want);
          expect([...b.counts].every((c) => c === 0)).toBe(true);
          expect([b.count, b.sum, b.min, b.max]).toEqual([a.count, a.sum, a.min, a.max]);
          expect([...intoB.counts]).toEqual([...intoA.counts]);
          expect([intoB.count, intoB.sum, intoB.min, intoB.max]).toEqual([intoA.count, intoA.sum, intoA.min, intoA.max]);
          // both keep working afterwards: the touched range was reset too
          b.record(7);
          expect(b.quantile(0.5)).toBe(7);
          expect(intoB.quantile(1)).toBe(intoA.quantile(1));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('reset forgets everything; an empty histogram answers NaN', () => {
    const h = new Histogram();
    h.record(5);
    h.record(50000);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean()).toBeNaN();
    h.record(7);
    expect(h.quantile(0.5)).toBe(7);
  });

  it('uses fixed memory whatever the number of values', () => {
    const h = new Histogram();
    const before = h.counts.length;
    for (let i = 0; i < 1_000_000; i++) h.record(i * 1000);
    expect(h.counts.length).toBe(before);
    expect(h.quantile(0.5) / 500_000_000).toBeCloseTo(1, 2);
  });
});
