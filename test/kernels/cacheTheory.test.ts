/**
 * The eviction kernels under the Independent Reference Model against theory
 * (ground-truth.md §2): requests drawn independently from Zipf(alpha) over 10,000 keys,
 * looked up directly in a `CacheStore` (no events), 200,000 warm-up then 400,000
 * measured requests per cell.
 *
 * Tolerance: the measured hit ratio is a mean of 400,000 correlated 0/1 outcomes; its
 * standard error `se` is estimated by batch means (20 batches of 20,000, much longer than
 * the correlation of hits, which lasts about T_C ≈ 100–5,000 requests). Che's
 * approximation itself is off from exact LRU by up to 0.0013 in the reference table.
 * So each cell must lie within 0.0015 + 4·se of the prediction (se ≈ 0.0005–0.0008 here,
 * so about ±0.004), and always within the 0.01.
 */
import { describe, expect, it } from 'vitest';
import { createStream } from '../../engine/core/rng.ts';
import { CacheStore } from '../../engine/kernels/cache.ts';
import { cheLru, fifoRandomApprox, staticTopC, ttlHitProbability, ttlHitRatio, zipfProbabilities } from '../../engine/kernels/cacheTheory.ts';
import type { EvictionPolicy } from '../../engine/kernels/eviction.ts';
import { zipfKeys } from '../../engine/kernels/keys.ts';

const N = 10_000;
const WARM = 200_000;
const BATCHES = 20;
const BATCH = 20_000;

/** Hit ratio over reads; with `readFraction` < 1 the other requests are writes that delete their key. */
function simulate(policy: EvictionPolicy, alpha: number, c: number, seed: string, readFraction = 1): { hit: number; se: number } {
  const keys = zipfKeys(N, alpha);
  const rng = createStream(seed, 'keys');
  const kinds = createStream(seed, 'kinds');
  const s = new CacheStore({ policy, capacity: c, capacityBytes: Infinity }, createStream(seed, 'evict'));
  const batch: number[] = [];
  let hits = 0;
  let reads = 0;
  for (let i = 0; i < WARM + BATCHES * BATCH; i++) {
    const k = keys.sample(rng);
    if (readFraction < 1 && kinds.next() >= readFraction) s.remove(k);
    else {
      if (i >= WARM) reads++;
      if (s.lookup(k, 0) >= 0) {
        if (i >= WARM) hits++;
      } else s.put(k, 0, Infinity, 0);
    }
    if (i >= WARM && (i - WARM + 1) % BATCH === 0) {
      batch.push(hits / reads);
      hits = 0;
      reads = 0;
    }
  }
  const mean = batch.reduce((a, b) => a + b, 0) / BATCHES;
  const sd = Math.sqrt(batch.reduce((a, b) => a + (b - mean) ** 2, 0) / (BATCHES - 1));
  return { hit: mean, se: sd / Math.sqrt(BATCHES) };
}

describe('cache kernels under IRM against theory (seeded)', () => {
  it('reproduces the reference numbers of ground-truth.md §2.4', () => {
    const p = zipfProbabilities(N, 0.8);
    expect(cheLru(p, 1000).tc).toBeCloseTo(1472.48, 1);
    expect(cheLru(p, 1000).hitRatio).toBeCloseTo(0.4367, 4);
    expect(fifoRandomApprox(p, 1000)).toBeCloseTo(0.3942, 4);
    expect(staticTopC(p, 1000)).toBeCloseTo(0.5706, 4);
    expect(ttlHitProbability(10, 0.1, false)).toBeCloseTo(0.5, 6);
    expect(ttlHitProbability(1, 1, true)).toBeCloseTo(0.632121, 6);
    expect(ttlHitRatio(p, 1000, 10, false)).toBeCloseTo(0.6517, 4);
    expect(ttlHitRatio(p, 1000, 10, true)).toBeCloseTo(0.7408, 4);
  });

  const cells = [
    [0.6, 100],
    [0.6, 1000],
    [0.8, 100],
    [0.8, 1000],
    [1.0, 100],
    [1.0, 1000],
    [1.2, 100],
    [1.2, 1000],
  ] as const;

  for (const [alpha, c] of cells) {
    it(`lru matches Che's approximation at alpha ${alpha}, C ${c}`, () => {
      const p = zipfProbabilities(N, alpha);
      const che = cheLru(p, c).hitRatio;
      const { hit, se } = simulate('lru', alpha, c, `lru-${alpha}-${c}`);
      expect(Math.abs(hit - che)).toBeLessThan(0.0015 + 4 * se);
      expect(Math.abs(hit - che)).toBeLessThan(0.01);
    });
  }

  for (const [alpha, c, r] of [[0.9, 1000, 0.9], [0.8, 100, 0.7], [1.2, 1000, 0.5]] as const) {
    it(`lru with writes that invalidate matches Che's approximation extended to them at alpha ${alpha}, C ${c}, ${r * 100}% reads`, () => {
      const p = zipfProbabilities(N, alpha);
      const che = cheLru(p, c, r).hitRatio;
      const { hit, se } = simulate('lru', alpha, c, `lru-inval-${alpha}-${c}-${r}`, r);
      expect(Math.abs(hit - che)).toBeLessThan(0.0015 + 4 * se);
      // and the writes matter: without them Che predicts more than the measured hits
      expect(cheLru(p, c).hitRatio - hit).toBeGreaterThan(0.02);
    });
  }

  for (const [alpha, c] of [cells[1], cells[2], cells[5], cells[6]]) {
    it(`fifo and random match their approximation, below lru, at alpha ${alpha}, C ${c}`, () => {
      const p = zipfProbabilities(N, alpha);
      const approx = fifoRandomApprox(p, c);
      for (const policy of ['fifo', 'random'] as const) {
        const { hit, se } = simulate(policy, alpha, c, `${policy}-${alpha}-${c}`);
        // the FIFO/RANDOM approximation is of the same family and accuracy as Che's
        expect(Math.abs(hit - approx)).toBeLessThan(0.0015 + 4 * se);
        expect(hit).toBeLessThan(cheLru(p, c).hitRatio);
      }
    });
  }

  for (const [alpha, c] of [cells[1], cells[2], cells[5], cells[6]]) {
    it(`lfu comes close to the static top-C bound at alpha ${alpha}, C ${c}`, () => {
      const p = zipfProbabilities(N, alpha);
      const top = staticTopC(p, c);
      const { hit, se } = simulate('lfu', alpha, c, `lfu-${alpha}-${c}`);
      // perfect LFU keeps the top C-1 keys plus one slot that churns, so it sits just below
      // the bound: by at most about the popularity of key C plus sampling error
      expect(hit).toBeLessThan(top + 4 * se);
      expect(top - hit).toBeLessThan(p[c - 1]! + 0.002 + 4 * se);
      expect(hit).toBeGreaterThan(cheLru(p, c).hitRatio);
    });
  }
});
