/**
 * Leaky bucket, in its two classic forms.
 *
 * As a **queue** (`LeakyQueue`): a FIFO of `capacity` waiting requests drained at exactly
 * `ratePerSec`. A request that finds the bucket idle (nothing waiting, and the last
 * departure at least 1/rate ago) leaves at once; otherwise it waits for the next free
 * departure slot, unless `capacity` requests already wait, in which case it overflows
 * (rejected). Departures are exactly 1/rate apart: the output is smooth. nginx
 * `limit_req` without `nodelay` produces this departure schedule with capacity = burst.
 *
 * As a **meter** (`LeakyMeter`): the Generic Cell Rate Algorithm (virtual scheduling).
 * A theoretical arrival time TAT advances by 1/rate per conforming request; a request
 * conforms iff TAT − now ≤ (capacity − 1)/rate. Nothing waits: non-conforming requests
 * are rejected. It makes exactly the decisions of a token bucket of the same capacity
 * that starts full (tested), which is why the two names are often used for one thing.
 */
import { type Plan, type RateAlgorithm, US } from './plan.ts';

export interface LeakyConfig {
  ratePerSec: number;
  /** Queue: requests that may wait. Meter: bucket size (the burst it tolerates). */
  capacity: number;
}

/**
 * Queue state: the current busy period ("block") started at `startUs` and has `n`
 * departures scheduled, the k-th at startUs + round(k·interval). Computing departures
 * from the block start (rather than adding the interval up) keeps them exact for rates
 * like 3 r/s whose interval is not a whole number of µs.
 */
export interface LeakyQueueState {
  startUs: number;
  n: number;
}

export class LeakyQueue implements RateAlgorithm<LeakyQueueState> {
  readonly intervalUs: number;
  constructor(readonly cfg: LeakyConfig) {
    this.intervalUs = US / cfg.ratePerSec;
  }

  create(): LeakyQueueState {
    return { startUs: -Infinity, n: 0 };
  }

  /** Time of departure k of the current block (µs). */
  departure(s: LeakyQueueState, k: number): number {
    return s.n === 0 ? -Infinity : s.startUs + Math.round(k * this.intervalUs);
  }

  /** Departures of the current block at or before `nowUs`. */
  departed(s: LeakyQueueState, nowUs: number): number {
    if (s.n === 0) return 0;
    let k = Math.floor((nowUs - s.startUs) / this.intervalUs) + 1;
    if (k < 0) k = 0;
    if (k > s.n) k = s.n;
    while (k < s.n && this.departure(s, k) <= nowUs) k++;
    while (k > 0 && this.departure(s, k - 1) > nowUs) k--;
    return k;
  }

  /** Requests waiting at `nowUs` (scheduled to leave strictly later). */
  waiting(s: LeakyQueueState, nowUs: number): number {
    return s.n - this.departed(s, nowUs);
  }

  decide(s: LeakyQueueState, nowUs: number, plan: Plan): void {
    const done = this.departed(s, nowUs);
    const waiting = s.n - done;
    if (waiting === 0 && (s.n === 0 || this.departure(s, s.n) <= nowUs)) {
      s.startUs = nowUs;
      s.n = 1;
      plan.admit();
      return;
    }
    if (waiting < this.cfg.capacity) {
      const at = this.departure(s, s.n);
      s.n++;
      plan.delay(at - nowUs);
      return;
    }
    // full: a place frees when the oldest waiting request leaves
    plan.reject(this.departure(s, done) - nowUs);
  }

  canForget(s: LeakyQueueState, nowUs: number): boolean {
    return s.n === 0 || this.departure(s, s.n) <= nowUs;
  }
}

/** Meter state: the theoretical arrival time (µs, fractional). */
export interface LeakyMeterState {
  tat: number;
}

/**
 * Tolerance on virtual times (µs). A TAT is a sum of 1/rate steps in floating point; at
 * a month of simulated time (2.6e12 µs) a double is exact to ~5e-4 µs, so 1e-3 µs (one
 * nanosecond, golang's own tolerance) absorbs rounding without admitting anything early.
 */
const EPS_US = 1e-3;

export class LeakyMeter implements RateAlgorithm<LeakyMeterState> {
  readonly intervalUs: number;
  readonly toleranceUs: number;
  constructor(readonly cfg: LeakyConfig) {
    this.intervalUs = US / cfg.ratePerSec;
    this.toleranceUs = (cfg.capacity - 1) * this.intervalUs;
  }

  create(nowUs: number): LeakyMeterState {
    return { tat: nowUs };
  }

  decide(s: LeakyMeterState, nowUs: number, plan: Plan): void {
    const tat = s.tat > nowUs ? s.tat : nowUs;
    if (tat - nowUs > this.toleranceUs + EPS_US) {
      plan.reject(tat - this.toleranceUs - nowUs);
      return;
    }
    s.tat = tat + this.intervalUs;
    plan.admit();
  }

  canForget(s: LeakyMeterState, nowUs: number): boolean {
    return s.tat <= nowUs;
  }
}
