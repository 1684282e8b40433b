/**
 * Cache hit ratios of the cache component against theory (ground-truth.md §2). The hit
 * ratio is never a parameter: clients request Zipf-distributed keys independently (the
 * Independent Reference Model), the cache holds what those requests brought in, and the
 * report counts hits. Loads are instant (database service 0), so the cache is the ideal
 * one the formulas describe.
 *
 * Tolerance: R independent replications give a 99.9% confidence interval of the mean hit
 * ratio (Student's t; see stats.ts). The approximations themselves are not exact: Che's
 * is within 0.0013 of exact LRU over the reference table, and the FIFO/RANDOM one is of
 * the same family, so the prediction must lie within the CI widened by 0.0015 — and, as
 * the issue asks, within 0.01 absolute. The TTL formulas are exact for Poisson requests,
 * so there the prediction must lie in the CI itself. Each case also checks the CI is
 * narrow enough for the test to mean something.
 */
import { describe, expect, it } from 'vitest';
import { cheLru, fifoRandomApprox, staticTopC, ttlHitProbability, ttlHitRatio, zipfProbabilities } from '../../engine/kernels/cacheTheory.ts';
import { estimate, replicate } from './stats.ts';

const N = 10_000;
const RATE = 1000;
const APPROX_BIAS = 0.0015;

interface Cell {
  alpha: number;
  capacity: number;
  eviction?: string;
  ttl?: string;
  ttlRefresh?: string;
  keys?: number;
  rate?: number;
  seconds: number;
  warmup: number;
  aside?: boolean;
}

function irm(c: Cell): Record<string, unknown> {
  const cache = { id: 'cache', type: 'cache', capacity: c.capacity, eviction: c.eviction ?? 'lru', latency: 0, ...(c.ttl ? { ttl: c.ttl, ttlRefresh: c.ttlRefresh ?? 'on-write' } : {}) };
  const client = {
    id: 'c',
    type: 'client',
    arrival: { process: 'poisson', rate: c.rate ?? RATE },
    keys: { popularity: 'zipf', count: c.keys ?? N, alpha: c.alpha },
    writeFraction: 0,
    timeout: 'none',
  };
  const db = { id: 'db', type: 'database', readService: 0 };
  return {
    version: 1,
    name: 'cache theory',
    duration: `${c.seconds + c.warmup}s`,
    warmup: `${c.warmup}s`,
    window: '10s',
    nodes: c.aside
      ? [client, { id: 'api', type: 'server', service: 0, workers: 1000 }, cache, db]
      : [client, { ...cache, pattern: 'read-through' }, db],
    edges: c.aside
      ? [{ from: 'c', to: 'api' }, { from: 'api', to: 'cache' }, { from: 'api', to: 'db' }]
      : [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
  };
}

function hitRatio(c: Cell, r: number) {
  return estimate(replicate(irm(c), r).map((rep) => rep.nodes.cache!.hitRatio as number));
}

function expectNear(name: string, e: ReturnType<typeof estimate>, theory: number, bias: number, maxHalfWidth: number) {
  const msg = `${name}: simulated ${e.mean.toFixed(5)} ± ${e.halfWidth.toFixed(5)} (99.9% CI, ${e.values.length} runs), theory ${theory.toFixed(5)}`;
  expect(e.halfWidth, `${msg}: CI too wide to test`).toBeLessThan(maxHalfWidth);
  expect(Math.abs(e.mean - theory), msg).toBeLessThanOrEqual(e.halfWidth + bias);
  expect(Math.abs(e.mean - theory), msg).toBeLessThan(0.01);
}

describe('cache hit ratio emerges from the keys, as theory predicts', () => {
  for (const [alpha, capacity] of [
    [0.6, 1000],
    [0.8, 100],
    [1.0, 1000],
    [1.2, 100],
  ] as const) {
    it(`LRU, Zipf(${alpha}) over ${N} keys, ${capacity} entries: Che's approximation`, () => {
      const che = cheLru(zipfProbabilities(N, alpha), capacity).hitRatio;
      expectNear(`LRU a=${alpha} C=${capacity}`, hitRatio({ alpha, capacity, seconds: 150, warmup: 20 }, 6), che, APPROX_BIAS, 0.006);
    });
  }

  it('LRU through an app server doing cache-aside gives the same hit ratio', () => {
    const che = cheLru(zipfProbabilities(N, 0.8), 1000).hitRatio;
    expectNear('cache-aside LRU a=0.8 C=1000', hitRatio({ alpha: 0.8, capacity: 1000, seconds: 150, warmup: 20, aside: true }, 6), che, APPROX_BIAS, 0.006);
  });

  it('FIFO and RANDOM: the Martina–Garetto–Leonardi approximation, below LRU', () => {
    const p = zipfProbabilities(N, 0.8);
    const approx = fifoRandomApprox(p, 1000);
    for (const eviction of ['fifo', 'random']) {
      const e = hitRatio({ alpha: 0.8, capacity: 1000, eviction, seconds: 150, warmup: 20 }, 6);
      expectNear(`${eviction} a=0.8 C=1000`, e, approx, APPROX_BIAS, 0.006);
      expect(e.mean).toBeLessThan(cheLru(p, 1000).hitRatio);
    }
  });

  it('LFU approaches the static top-C bound (the best any policy can do under IRM)', () => {
    const p = zipfProbabilities(N, 0.8);
    const top = staticTopC(p, 1000);
    // Perfect LFU keeps the keys with the highest counts so far. Keys near the boundary
    // differ little in popularity (p_1000 ≈ 0.00040 vs p_1100 ≈ 0.00037), so telling them
    // apart takes many requests and the hit ratio approaches the bound slowly: 0.5672 over
    // 60–210 s, 0.5690 over 200–1000 s (seed 1), against 0.5706. Assert it is under the
    // bound, within the same 0.01 as the other approximations, and far above LRU.
    const e = hitRatio({ alpha: 0.8, capacity: 1000, eviction: 'lfu', seconds: 150, warmup: 60 }, 6);
    expect(e.mean).toBeLessThanOrEqual(top + e.halfWidth);
    expect(top - e.mean).toBeLessThan(0.01);
    expect(e.mean).toBeGreaterThan(cheLru(p, 1000).hitRatio + 0.1);
  });

  for (const refresh of ['on-write', 'on-access'] as const) {
    it(`TTL 10 s (${refresh === 'on-write' ? 'not reset by hits' : 'reset by every hit'}), Zipf(0.8), 1000 requests/s, no capacity limit`, () => {
      const theory = ttlHitRatio(zipfProbabilities(N, 0.8), RATE, 10, refresh === 'on-access');
      const e = hitRatio({ alpha: 0.8, capacity: N, ttl: '10s', ttlRefresh: refresh, seconds: 150, warmup: 40 }, 6);
      expectNear(`TTL ${refresh}`, e, theory, 0, 0.006);
    });
  }

  for (const refresh of ['on-write', 'on-access'] as const) {
    it(`TTL 100 ms, one key requested 10 times a second (${refresh}): h = ${refresh === 'on-write' ? 'λT/(1+λT) = 0.5' : '1 − e^(−λT) = 0.632'}`, () => {
      const theory = ttlHitProbability(10, 0.1, refresh === 'on-access');
      const e = hitRatio({ alpha: 1, keys: 1, rate: 10, capacity: 10, ttl: '100ms', ttlRefresh: refresh, seconds: 4000, warmup: 10 }, 10);
      expectNear(`single key TTL ${refresh}`, e, theory, 0, 0.012);
    });
  }
});
