/**
 * Key popularity: which key a request asks for. Keys are integers 0..count-1; with a
 * skewed popularity key 0 is the most popular, key 1 the next, and so on.
 */
import type { Rng } from '../core/rng.ts';

export interface KeySampler {
  /** One key in [0, count). */
  sample(rng: Rng): number;
  readonly count: number;
  /** Probability of key i (for theory checks and overlays). */
  probability(i: number): number;
}

export class UniformKeys implements KeySampler {
  constructor(readonly count: number) {}
  sample(rng: Rng): number {
    return Math.floor(rng.next() * this.count);
  }
  probability(i: number): number {
    return i >= 0 && i < this.count ? 1 / this.count : 0;
  }
}

/**
 * Zipf(alpha) over `count` keys: P(key = i) ∝ (i+1)^-alpha. Exact sampling in O(1)
 * time and memory by rejection-inversion (Hörmann & Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", ACM TOMACS 1996), so a
 * hundred million keys cost nothing to set up.
 */
export class ZipfKeys implements KeySampler {
  private readonly hX1: number;
  private readonly hN: number;
  private readonly s: number;
  private harmonic = NaN;

  constructor(readonly count: number, readonly alpha: number) {
    this.hX1 = this.hIntegral(1.5) - 1;
    this.hN = this.hIntegral(count + 0.5);
    this.s = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  sample(rng: Rng): number {
    if (this.alpha === 0) return Math.floor(rng.next() * this.count);
    for (;;) {
      const u = this.hN + rng.next() * (this.hX1 - this.hN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > this.count) k = this.count;
      if (k - x <= this.s || u >= this.hIntegral(k + 0.5) - this.h(k)) return k - 1;
    }
  }

  probability(i: number): number {
    if (i < 0 || i >= this.count) return 0;
    if (Number.isNaN(this.harmonic)) {
      let h = 0;
      for (let k = this.count; k >= 1; k--) h += k ** -this.alpha;
      this.harmonic = h;
    }
    return (i + 1) ** -this.alpha / this.harmonic;
  }

  private h(x: number): number {
    return Math.exp(-this.alpha * Math.log(x));
  }

  /** ∫ x^-alpha dx, continued smoothly through alpha = 1. */
  private hIntegral(x: number): number {
    const lx = Math.log(x);
    return helper2((1 - this.alpha) * lx) * lx;
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.alpha);
    if (t < -1) t = -1;
    return Math.exp(helper1(t) * x);
  }
}

/** log1p(x)/x, accurate near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** expm1(x)/x, accurate near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/**
 * Zipf(alpha) by Walker's alias method (Vose's construction): one uniform (two above
 * 2^16 keys) and one comparison per draw, 12 bytes per key. Used up to 2^20 keys; larger key spaces use
 * rejection-inversion, which needs no table.
 */
export class AliasZipfKeys implements KeySampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  private readonly p: Float64Array;

  constructor(readonly count: number, readonly alpha: number) {
    const n = count;
    const p = zipfProbabilities(n, alpha);
    this.p = p;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = p[i]! * n;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: Rng): number {
    const x = rng.next() * this.count;
    const i = x | 0;
    // Up to 2^16 keys the fraction of one 32-bit uniform has 16+ bits left for the
    // coin (total variation error < 2e-5); beyond that, draw a second uniform.
    const coin = this.count <= 65536 ? x - i : rng.next();
    return coin < this.prob[i]! ? i : this.alias[i]!;
  }

  probability(i: number): number {
    return i >= 0 && i < this.count ? this.p[i]! : 0;
  }
}

/** Zipf(alpha) probabilities over n keys: p_i ∝ (i+1)^-alpha (key 0 most popular). */
export function zipfProbabilities(n: number, alpha: number): Float64Array {
  const p = new Float64Array(n);
  let sum = 0;
  // smallest terms first, for an accurate sum
  for (let i = n - 1; i >= 0; i--) {
    p[i] = (i + 1) ** -alpha;
    sum += p[i]!;
  }
  for (let i = 0; i < n; i++) p[i]! /= sum;
  return p;
}

/** The Zipf sampler suited to the key count. */
export function zipfKeys(count: number, alpha: number): KeySampler {
  return count <= 1 << 20 ? new AliasZipfKeys(count, alpha) : new ZipfKeys(count, alpha);
}

/**
 * Hotspot: a share `hotShare` of requests goes to the first `hotFraction` of the keys
 * (uniformly), the rest to the other keys (uniformly). "90% of requests on 10% of keys"
 * is hotShare 0.9, hotFraction 0.1.
 */
export class HotspotKeys implements KeySampler {
  readonly hot: number;
  constructor(readonly count: number, readonly hotFraction: number, readonly hotShare: number) {
    this.hot = Math.min(count, Math.max(1, Math.round(hotFraction * count)));
  }
  sample(rng: Rng): number {
    if (this.hot === this.count || rng.next() < this.hotShare) return Math.floor(rng.next() * this.hot);
    return this.hot + Math.floor(rng.next() * (this.count - this.hot));
  }
  probability(i: number): number {
    if (i < 0 || i >= this.count) return 0;
    if (this.hot === this.count) return 1 / this.count;
    return i < this.hot ? this.hotShare / this.hot : (1 - this.hotShare) / (this.count - this.hot);
  }
}
