/**
 * The shared shape of rate-limiting kernels.
 *
 * Every algorithm is a small object holding its configuration (`RateAlgorithm`) and a
 * per-key state it creates. `decide(state, nowUs, plan)` is the whole decision: it reads
 * and updates the state and writes a plan (admit now, admit after a delay, or reject
 * with a retry-after). Kernels never schedule anything; the component acts on the plan.
 * Time is integer microseconds of simulated time; algorithms that model a real system
 * with a coarser clock (nginx, Redis: milliseconds) truncate it themselves.
 */

export const ADMIT = 0;
export const DELAY = 1;
export const REJECT = 2;
export type Verdict = typeof ADMIT | typeof DELAY | typeof REJECT;

/** What to do with one request. Reused between decisions (no allocation per request). */
export class Plan {
  verdict: Verdict = ADMIT;
  /** For DELAY: how long the request waits inside the limiter before it is forwarded (µs). */
  delayUs = 0;
  /** For REJECT: the earliest time a retry could be admitted, from now (µs), if nothing else arrives. */
  retryAfterUs = 0;

  admit(): void {
    this.verdict = ADMIT;
    this.delayUs = 0;
    this.retryAfterUs = 0;
  }

  delay(us: number): void {
    this.verdict = us > 0 ? DELAY : ADMIT;
    this.delayUs = us > 0 ? us : 0;
    this.retryAfterUs = 0;
  }

  reject(retryAfterUs: number): void {
    this.verdict = REJECT;
    this.delayUs = 0;
    this.retryAfterUs = retryAfterUs > 0 ? Math.ceil(retryAfterUs) : 0;
  }
}

/** A rate-limiting algorithm with its configuration; `S` is its per-key state. */
export interface RateAlgorithm<S = unknown> {
  /** Fresh state for a key seen for the first time (or again after it was forgotten). */
  create(nowUs: number): S;
  /**
   * Decides on one request of a key at `nowUs` and updates the key's state. `isNew` is
   * true when `s` was just created for this request (nginx treats a new key specially).
   */
  decide(s: S, nowUs: number, plan: Plan, isNew: boolean): void;
  /**
   * Whether the key's state may be dropped at `nowUs`. For every algorithm but nginx this
   * holds only when the state is that of a fresh key and stays so while the key is idle,
   * so forgetting never changes a decision (a token bucket that starts empty is never
   * forgotten). nginx has its own rule (idle 60 s and drained), which, as in nginx, can
   * change a decision: a kept key is rejected until one more request's worth has drained.
   */
  canForget(s: S, nowUs: number): boolean;
}

/** Microseconds per second. */
export const US = 1_000_000;

/**
 * Float tolerance for token counts and virtual times. Rates like 3 r/s make 1/rate a
 * repeating fraction; without a tolerance a bucket that should hold exactly one token
 * could hold 0.9999999999 and reject. One part in 10^9 of a token is far below anything
 * a request could observe.
 */
export const EPS = 1e-9;
