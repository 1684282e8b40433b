/**
 * Probability distributions for durations and sizes.
 *
 * A spec (as parsed from a scenario, values already in µs or bytes) becomes a `Sampler`
 * with `createSampler`. Samplers hold no random state: every draw takes the caller's
 * stream, so one sampler can serve several streams and stream independence is the
 * caller's choice. Each sampler also knows its mean and variance analytically (used by
 * the theory overlays and load warnings), and `NaN` where they do not exist.
 */
import type { Rng } from './rng.ts';

export type DistSpec =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; mean: number; p99: number }
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'erlang'; k: number; mean: number }
  | { dist: 'pareto'; alpha: number; min?: number; mean?: number; max?: number }
  | { dist: 'mixture'; of: Array<{ weight: number } & DistSpec> }
  | { dist: 'empirical'; bins: Array<{ from: number; to: number; weight: number }> }
  | { dist: 'empirical'; values: number[]; weights?: number[] };

export interface Sampler {
  /** One draw (µs or bytes, never negative). */
  sample(rng: Rng): number;
  readonly mean: number;
  readonly variance: number;
}

/** z such that Φ(z) = 0.99. */
export const Z99 = 2.3263478740408408;

export class Constant implements Sampler {
  readonly variance = 0;
  constructor(readonly mean: number) {}
  sample(): number {
    return this.mean;
  }
}

export class Uniform implements Sampler {
  readonly mean: number;
  readonly variance: number;
  constructor(private readonly lo: number, private readonly hi: number) {
    this.mean = (lo + hi) / 2;
    this.variance = (hi - lo) ** 2 / 12;
  }
  sample(rng: Rng): number {
    return this.lo + (this.hi - this.lo) * rng.next();
  }
}

export class Exponential implements Sampler {
  readonly variance: number;
  constructor(readonly mean: number) {
    this.variance = mean * mean;
  }
  sample(rng: Rng): number {
    return rng.exp() * this.mean;
  }
}

/** Standard normal by Box–Muller (two uniforms per draw, no cached state). */
export function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** A normal truncated at 0 by rejection (so the mean shifts slightly when mean/sd is small). */
export class TruncatedNormal implements Sampler {
  readonly mean: number;
  readonly variance: number;
  constructor(private readonly mu: number, private readonly sd: number) {
    // moments of the normal truncated to [0, inf)
    if (sd === 0) {
      this.mean = mu;
      this.variance = 0;
    } else {
      const a = -mu / sd;
      const phi = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
      const Z = 1 - normalCdf(a);
      const lam = phi / Z;
      this.mean = mu + sd * lam;
      this.variance = sd * sd * (1 + a * lam - lam * lam);
    }
  }
  sample(rng: Rng): number {
    for (let i = 0; i < 1000; i++) {
      const x = this.mu + this.sd * gaussian(rng);
      if (x >= 0) return x;
    }
    return 0;
  }
}

export class LogNormal implements Sampler {
  readonly mean: number;
  readonly variance: number;
  /** mu and sigma of ln(value), value in the sampler's unit (µs or bytes). */
  constructor(readonly mu: number, readonly sigma: number) {
    this.mean = Math.exp(mu + sigma * sigma / 2);
    this.variance = (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma);
  }
  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * gaussian(rng));
  }
}

/**
 * (mu, sigma) of the lognormal with the given mean and 99th percentile, taking the
 * smaller-sigma root. Null when no lognormal fits (p99 <= mean, or p99 > ~14.97 × mean).
 */
export function lognormalFromMeanP99(mean: number, p99: number): { mu: number; sigma: number } | null {
  if (!(mean > 0) || !(p99 > mean)) return null;
  const d = Math.log(p99) - Math.log(mean);
  const disc = Z99 * Z99 - 2 * d;
  if (disc < 0) return null;
  const sigma = Z99 - Math.sqrt(disc);
  return { mu: Math.log(mean) - sigma * sigma / 2, sigma };
}

export class Erlang implements Sampler {
  readonly variance: number;
  private readonly scale: number;
  constructor(private readonly k: number, readonly mean: number) {
    this.scale = mean / k;
    this.variance = (mean * mean) / k;
  }
  sample(rng: Rng): number {
    // product of uniforms needs one log; sum logs beyond 20 terms to avoid underflow
    let s = 0;
    for (let i = 0; i < this.k; i++) s += rng.exp();
    return s * this.scale;
  }
}

/** Pareto type I with scale `min` and shape `alpha`; bounded above by `max` if finite. */
export class Pareto implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly la: number;
  private readonly ha: number;
  constructor(private readonly min: number, private readonly alpha: number, private readonly max = Infinity) {
    const a = alpha;
    if (Number.isFinite(max)) {
      this.la = min ** a;
      this.ha = max ** a;
      // E[X^k] = a L^a / (1 - (L/H)^a) * (L^(k-a) - H^(k-a)) / (a - k), or * ln(H/L) when k = a
      const c = (a * this.la) / (1 - (min / max) ** a);
      const moment = (k: number) =>
        a === k ? c * Math.log(max / min) : (c * (min ** (k - a) - max ** (k - a))) / (a - k);
      const m1 = moment(1);
      this.mean = m1;
      this.variance = moment(2) - m1 * m1;
    } else {
      this.la = 0;
      this.ha = 0;
      this.mean = a > 1 ? (a * min) / (a - 1) : Infinity;
      this.variance = a > 2 ? (min * min * a) / ((a - 1) ** 2 * (a - 2)) : Infinity;
    }
  }
  sample(rng: Rng): number {
    const u = rng.next();
    if (this.ha === 0) return this.min / u ** (1 / this.alpha);
    // inverse CDF of the bounded Pareto
    return (-(u * this.ha - u * this.la - this.ha) / (this.ha * this.la)) ** (-1 / this.alpha);
  }
}

/** Picks a component by weight, then draws from it. */
export class Mixture implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly cum: Float64Array;
  constructor(private readonly parts: Sampler[], weights: number[]) {
    const total = weights.reduce((a, b) => a + b, 0);
    this.cum = new Float64Array(weights.length);
    let acc = 0;
    let m = 0;
    let m2 = 0;
    weights.forEach((w, i) => {
      const p = w / total;
      acc += p;
      this.cum[i] = acc;
      const s = parts[i]!;
      m += p * s.mean;
      m2 += p * (s.variance + s.mean * s.mean);
    });
    this.cum[weights.length - 1] = 1;
    this.mean = m;
    this.variance = m2 - m * m;
  }
  sample(rng: Rng): number {
    const u = rng.next();
    let i = 0;
    while (u > this.cum[i]!) i++;
    return this.parts[i]!.sample(rng);
  }
}

/** Cumulative probabilities of weights (the last is exactly 1). */
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    cum[i] = acc;
  });
  cum[weights.length - 1] = 1;
  return cum;
}

/** The first index i with u <= cum[i] (binary search). */
function searchCumulative(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u <= cum[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A histogram of bins [from, to) with weights; uniform within a bin. */
export class EmpiricalBins implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly cum: Float64Array;
  constructor(private readonly bins: Array<{ from: number; to: number; weight: number }>) {
    this.cum = cumulative(bins.map((b) => b.weight));
    const total = bins.reduce((a, b) => a + b.weight, 0);
    let m = 0;
    let m2 = 0;
    for (const b of bins) {
      const p = b.weight / total;
      m += (p * (b.from + b.to)) / 2;
      m2 += (p * (b.from * b.from + b.from * b.to + b.to * b.to)) / 3;
    }
    this.mean = m;
    this.variance = m2 - m * m;
  }
  sample(rng: Rng): number {
    const b = this.bins[searchCumulative(this.cum, rng.next())]!;
    return b.from + (b.to - b.from) * rng.next();
  }
}

/** A discrete distribution over the listed values (equally likely unless weighted). */
export class EmpiricalValues implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly cum: Float64Array;
  constructor(private readonly values: number[], weights?: number[]) {
    const w = weights ?? values.map(() => 1);
    this.cum = cumulative(w);
    const total = w.reduce((a, b) => a + b, 0);
    let m = 0;
    let m2 = 0;
    values.forEach((v, i) => {
      const p = w[i]! / total;
      m += p * v;
      m2 += p * v * v;
    });
    this.mean = m;
    this.variance = m2 - m * m;
  }
  sample(rng: Rng): number {
    return this.values[searchCumulative(this.cum, rng.next())]!;
  }
}

/** Builds the sampler for a validated spec. */
/** A sampler, or null for nothing (no spec, or a constant 0): the caller then skips the delay. */
export function samplerOrNull(spec: DistSpec | undefined): Sampler | null {
  if (spec === undefined || (spec.dist === 'constant' && spec.value === 0)) return null;
  return createSampler(spec);
}

export function createSampler(spec: DistSpec): Sampler {
  switch (spec.dist) {
    case 'constant':
      return new Constant(spec.value);
    case 'uniform':
      return new Uniform(spec.min, spec.max);
    case 'exponential':
      return new Exponential(spec.mean);
    case 'normal':
      return new TruncatedNormal(spec.mean, spec.stddev);
    case 'lognormal': {
      if ('p99' in spec) {
        const f = lognormalFromMeanP99(spec.mean, spec.p99);
        if (!f) throw new Error(`no lognormal has mean ${spec.mean} and p99 ${spec.p99}`);
        return new LogNormal(f.mu, f.sigma);
      }
      return new LogNormal(spec.mu, spec.sigma);
    }
    case 'erlang':
      return new Erlang(spec.k, spec.mean);
    case 'pareto': {
      const max = spec.max ?? Infinity;
      let min = spec.min;
      if (min === undefined) {
        // scale from the mean of the unbounded Pareto
        min = (spec.mean! * (spec.alpha - 1)) / spec.alpha;
      }
      return new Pareto(min, spec.alpha, max);
    }
    case 'mixture':
      return new Mixture(
        spec.of.map((p) => createSampler(p)),
        spec.of.map((p) => p.weight),
      );
    case 'empirical':
      if ('bins' in spec) return new EmpiricalBins(spec.bins);
      return new EmpiricalValues(spec.values, spec.weights);
  }
}

/** The standard normal CDF (Zelen & Severo 26.2.17 refined; |error| < 1e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - p : p;
}
