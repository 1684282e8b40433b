/**
 * A streaming latency histogram with bounded relative error, in the spirit of
 * HdrHistogram: values below 256 are counted exactly; above, each power of two is split
 * into 128 equal buckets, so a bucket spans at most 1/128 of its values and its midpoint
 * is within 0.4% of any value in it. Memory is fixed (about 35 KB) whatever the number
 * of values recorded; mean, min and max are exact.
 *
 * Values are non-negative numbers (archsim records integer microseconds); fractions
 * are floored. Values of 2^40 and above share the top bucket (max stays exact).
 */

const EXACT = 256; // values [0, 256) have their own bucket
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS; // buckets per power of two above EXACT
const MIN_EXP = 8; // 2^8 = EXACT
const MAX_EXP = 40;
const NBUCKETS = EXACT + (MAX_EXP - MIN_EXP) * SUB;

export class Histogram {
  /**
   * Counts per bucket. A `compact` histogram counts in 32 bits (half the memory, so the
   * hot per-window histograms stay in cache); use it only where fewer than 2^32 values
   * are recorded before a reset.
   */
  readonly counts: Float64Array | Uint32Array;

  constructor(compact = false) {
    this.counts = compact ? new Uint32Array(NBUCKETS) : new Float64Array(NBUCKETS);
  }

  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private lo = NBUCKETS;
  private hi = -1;

  /** Adds one value. */
  record(value: number): void {
    const i = bucketOf(value);
    this.counts[i]!++;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (i < this.lo) this.lo = i;
    if (i > this.hi) this.hi = i;
  }

  /** Mean of the recorded values, NaN when empty. */
  mean(): number {
    return this.count > 0 ? this.sum / this.count : NaN;
  }

  /**
   * The q-quantile (0 < q <= 1) by nearest rank: the smallest recorded value v such that
   * at least ceil(q * count) values are <= v, to within 0.4%. NaN when empty.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    if (q >= 1) return this.max;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let acc = 0;
    const c = this.counts;
    for (let i = this.lo; i <= this.hi; i++) {
      acc += c[i]!;
      if (acc >= rank) {
        const v = valueOf(i);
        return v < this.min ? this.min : v > this.max ? this.max : v;
      }
    }
    return this.max;
  }

  /**
   * Several quantiles in one pass: `qs` ascending; results go into `out` (same order).
   */
  quantiles(qs: readonly number[], out: number[]): void {
    if (this.count === 0) {
      for (let k = 0; k < qs.length; k++) out[k] = NaN;
      return;
    }
    let k = 0;
    let acc = 0;
    const c = this.counts;
    let rank = Math.max(1, Math.ceil(qs[0]! * this.count));
    for (let i = this.lo; i <= this.hi && k < qs.length; i++) {
      acc += c[i]!;
      while (k < qs.length && acc >= rank) {
        if (qs[k]! >= 1) out[k] = this.max;
        else {
          const v = valueOf(i);
          out[k] = v < this.min ? this.min : v > this.max ? this.max : v;
        }
        k++;
        if (k < qs.length) rank = Math.max(1, Math.ceil(qs[k]! * this.count));
      }
    }
    for (; k < qs.length; k++) out[k] = this.max;
  }

  /** Adds every value of `other` to this histogram. */
  merge(other: Histogram): void {
    if (other.count === 0) return;
    for (let i = other.lo; i <= other.hi; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /**
   * Ends this histogram's period in one pass over its touched buckets: writes the
   * quantiles `qs` (ascending, as `quantiles`) into `out`, adds every value to `into`
   * (unless null) and forgets them. Equivalent to `quantiles`, `into.merge(this)` and
   * `reset()`, which would walk the buckets three times (a metric window closes on every
   * node, so this is the hot part of closing one).
   */
  drain(qs: readonly number[], out: number[], into: Histogram | null): void {
    const n = this.count;
    if (n === 0) {
      for (let k = 0; k < qs.length; k++) out[k] = NaN;
      return;
    }
    const c = this.counts;
    const min = this.min, max = this.max, lo = this.lo, hi = this.hi;
    const dst = into === null ? null : into.counts;
    let k = 0;
    let acc = 0;
    let rank = Math.max(1, Math.ceil(qs[0]! * n));
    for (let i = lo; i <= hi; i++) {
      const x = c[i]!;
      if (x === 0) continue;
      c[i] = 0;
      if (dst !== null) dst[i]! += x;
      if (k < qs.length) {
        acc += x;
        while (k < qs.length && acc >= rank) {
          if (qs[k]! >= 1) out[k] = max;
          else {
            const v = valueOf(i);
            out[k] = v < min ? min : v > max ? max : v;
          }
          k++;
          if (k < qs.length) rank = Math.max(1, Math.ceil(qs[k]! * n));
        }
      }
    }
    for (; k < qs.length; k++) out[k] = max;
    if (into !== null) {
      into.count += n;
      into.sum += this.sum;
      if (min < into.min) into.min = min;
      if (max > into.max) into.max = max;
      if (lo < into.lo) into.lo = lo;
      if (hi > into.hi) into.hi = hi;
    }
    this.clearTotals(); // the buckets were zeroed on the way
  }

  /** Forgets every value. Clears only the buckets that were touched. */
  reset(): void {
    if (this.hi >= this.lo) this.counts.fill(0, this.lo, this.hi + 1);
    this.clearTotals();
  }

  private clearTotals(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.lo = NBUCKETS;
    this.hi = -1;
  }
}

/** The bucket index of a value. */
export function bucketOf(value: number): number {
  if (value < 2147483648) {
    // fast path: integer arithmetic on a 31-bit value
    const v = value > 0 ? value | 0 : 0;
    if (v < EXACT) return v;
    const e = 31 - Math.clz32(v);
    return EXACT + (e - MIN_EXP) * SUB + ((v >>> (e - SUB_BITS)) - SUB);
  }
  const v = Math.floor(value);
  const e = Math.floor(Math.log2(v));
  if (e >= MAX_EXP) return NBUCKETS - 1;
  const sub = Math.floor(v / 2 ** (e - SUB_BITS)) - SUB;
  return EXACT + (e - MIN_EXP) * SUB + sub;
}

/** The representative value of a bucket: the value itself below 256, else the midpoint. */
export function valueOf(i: number): number {
  if (i < EXACT) return i;
  const k = i - EXACT;
  const e = MIN_EXP + Math.floor(k / SUB);
  const sub = k % SUB;
  const width = 2 ** (e - SUB_BITS);
  return (SUB + sub) * width + (width - 1) / 2;
}
