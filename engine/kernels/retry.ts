/**
 * Client retry decisions as pure functions: how long to back off before retry n, and
 * whether a retry budget allows one more retry.
 *
 * Backoff (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), for
 * retry n = 1, 2, ... with v = min(cap, base · 2^(n−1)):
 * - none / immediate: 0 (immediate retries; `none` means no retries at all and is handled by the caller)
 * - fixed: the fixed delay
 * - exponential, jitter none: v
 * - full jitter: uniform(0, v)
 * - equal jitter: v/2 + uniform(0, v/2)
 * - decorrelated jitter: min(cap, uniform(base, 3 · previous sleep)), previous sleep
 *   starting at base
 * The first retry waits about `base` (the AWS SDK convention). The AWS study's simulator
 * uses base · 2^n, so its "base 5 ms" is our base 10 ms for exponential, full and equal
 * jitter; decorrelated jitter does not use the exponent, and keeps base 5 ms.
 */

export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

export type Backoff =
  | { policy: 'none' }
  | { policy: 'immediate' }
  | { policy: 'fixed'; delay: number }
  | { policy: 'exponential'; base: number; cap: number; jitter: Jitter };

/**
 * The wait before retry `n` (1-based) in µs (fractional; the caller rounds).
 * `prevSleep` is the previous wait of this request (decorrelated jitter only; pass
 * `base` for the first retry); `u` is a uniform draw in [0, 1), used only by jittered
 * policies (the caller may skip drawing it for the others).
 */
export function backoffUs(b: Backoff, n: number, prevSleep: number, u: number): number {
  switch (b.policy) {
    case 'none':
    case 'immediate':
      return 0;
    case 'fixed':
      return b.delay;
    case 'exponential': {
      if (b.jitter === 'decorrelated') {
        const hi = prevSleep * 3;
        const s = b.base + u * (hi - b.base);
        return s < b.cap ? s : b.cap;
      }
      // 2^(n-1) overflows to Infinity past n = 1024; min() with the cap handles it
      const raw = b.base * 2 ** (n - 1);
      const v = raw < b.cap ? raw : b.cap;
      if (b.jitter === 'none') return v;
      if (b.jitter === 'full') return u * v;
      return v / 2 + (u * v) / 2;
    }
  }
}

/** Whether a policy's backoff uses a random draw. */
export function isJittered(b: Backoff): boolean {
  return b.policy === 'exponential' && b.jitter !== 'none';
}

/**
 * A retry budget (Finagle's RetryBudget, Linkerd's `retryRatio`): over a sliding window
 * of `windowUs`, retries may be at most `ratio` × requests + `minPerSec` × window.
 * With ratio 0.2 a collapsed service sees at most ~1.2× its offered load instead of
 * (R+1)×. The window is kept as 10 buckets, so memory is fixed.
 */
export class RetryBudget {
  private static readonly N = 10;
  private readonly reqs = new Float64Array(RetryBudget.N);
  private readonly retries = new Float64Array(RetryBudget.N);
  private bucket = 0;
  private readonly bucketUs: number;
  private sumReqs = 0;
  private sumRetries = 0;

  constructor(
    readonly ratio: number,
    readonly minPerSec: number,
    readonly windowUs: number,
  ) {
    this.bucketUs = Math.max(1, windowUs / RetryBudget.N);
  }

  private advance(nowUs: number): void {
    const b = Math.floor(nowUs / this.bucketUs);
    if (b === this.bucket) return;
    const steps = Math.min(RetryBudget.N, b - this.bucket);
    for (let i = 1; i <= steps; i++) {
      const j = (this.bucket + i) % RetryBudget.N;
      this.sumReqs -= this.reqs[j]!;
      this.sumRetries -= this.retries[j]!;
      this.reqs[j] = 0;
      this.retries[j] = 0;
    }
    this.bucket = b;
  }

  /** Counts a new (first-attempt) request. */
  onRequest(nowUs: number): void {
    this.advance(nowUs);
    this.reqs[this.bucket % RetryBudget.N]!++;
    this.sumReqs++;
  }

  /** Whether one more retry fits the budget now; if so it is counted. */
  tryRetry(nowUs: number): boolean {
    this.advance(nowUs);
    const allowed = this.ratio * this.sumReqs + (this.minPerSec * this.windowUs) / 1e6;
    if (this.sumRetries + 1 > allowed) return false;
    this.retries[this.bucket % RetryBudget.N]!++;
    this.sumRetries++;
    return true;
  }
}
