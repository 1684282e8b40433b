/**
 * Hit ratios predicted by theory for independent requests (the Independent Reference
 * Model: each request asks for key i with probability p_i, independently). Used by the
 * validation tests, the benchmark and reports, never by the simulation itself: in a run
 * the hit ratio emerges from the keys requested and what the cache holds.
 *
 * Sources: Che, Tung & Wang, IEEE JSAC 2002 (LRU); Martina, Garetto & Leonardi,
 * INFOCOM 2014 (FIFO/RANDOM); Aho, Denning & Ullman, JACM 1971 (static top-C, the LFU
 * limit); Jung, Berger & Balakrishnan, INFOCOM 2003 (TTL caches). Reference tables:
 * docs/caching.md.
 */

import { zipfProbabilities } from './keys.ts';

export { zipfProbabilities };

/** The root of an increasing function f on [0, ∞) by doubling then bisection. */
function solveIncreasing(f: (x: number) => number): number {
  let hi = 1;
  while (f(hi) < 0) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Che's approximation for LRU with capacity `c` entries: the characteristic time T_C
 * (in requests) solves Σ(1 − e^(−p_i T)) = C, and the hit ratio is Σ p_i (1 − e^(−p_i T)).
 *
 * With `readFraction` r < 1, the other requests are writes that delete the key
 * (invalidation), each request being a read with probability r whatever its key. Under
 * Che's assumption (an entry leaves T_C after its last use) key i is cached iff its last
 * request was a read less than T_C ago, with probability r(1 − e^(−p_i T)); so T_C solves
 * Σ r(1 − e^(−p_i T)) = C and the hit ratio over reads is Σ p_i r (1 − e^(−p_i T)).
 */
export function cheLru(p: ArrayLike<number>, c: number, readFraction = 1): { tc: number; hitRatio: number } {
  const r = readFraction;
  if (c >= r * p.length) return { tc: Infinity, hitRatio: r };
  const tc = solveIncreasing((t) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) s += -Math.expm1(-p[i]! * t);
    return r * s - c;
  });
  let h = 0;
  for (let i = 0; i < p.length; i++) h += p[i]! * -Math.expm1(-p[i]! * tc);
  return { tc, hitRatio: r * h };
}

/** FIFO and RANDOM (same hit ratio under IRM): h_i = p_i T / (1 + p_i T) with Σ h_i = C. */
export function fifoRandomApprox(p: ArrayLike<number>, c: number): number {
  if (c >= p.length) return 1;
  const t = solveIncreasing((t) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) s += (p[i]! * t) / (1 + p[i]! * t);
    return s - c;
  });
  let h = 0;
  for (let i = 0; i < p.length; i++) h += (p[i]! * (p[i]! * t)) / (1 + p[i]! * t);
  return h;
}

/** The optimal static cache (the C most popular keys): an upper bound under IRM, and perfect LFU's limit. */
export function staticTopC(p: ArrayLike<number>, c: number): number {
  const sorted = Float64Array.from(p).sort().reverse();
  let h = 0;
  for (let i = 0; i < Math.min(c, sorted.length); i++) h += sorted[i]!;
  return h;
}

/**
 * Hit probability of one key requested as a Poisson stream of `rate` per second in a TTL
 * cache with no capacity limit and instant loads. `resetOnHit` false: the TTL starts at the
 * miss that loads the key (h = λT/(1+λT)); true: every access restarts it (h = 1 − e^(−λT)).
 */
export function ttlHitProbability(rate: number, ttlSeconds: number, resetOnHit: boolean): number {
  const x = rate * ttlSeconds;
  return resetOnHit ? -Math.expm1(-x) : x / (1 + x);
}

/** Aggregate TTL hit ratio for total rate `rate` spread over keys with probabilities p. */
export function ttlHitRatio(p: ArrayLike<number>, rate: number, ttlSeconds: number, resetOnHit: boolean): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) h += p[i]! * ttlHitProbability(rate * p[i]!, ttlSeconds, resetOnHit);
  return h;
}
