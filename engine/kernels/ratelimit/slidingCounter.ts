/**
 * Sliding-window counter (Cloudflare, 2017): two fixed-window counters, the current and
 * the previous one, and an estimate of the count over the last W that assumes the
 * previous window's requests were spread evenly:
 *
 *   estimate = previous × (W − elapsed) / W + current
 *
 * where `elapsed` is the time since the current window began. A request is admitted iff
 * the estimate including this request is at most the limit (for a limit of 50, 42
 * previous and 17 current 15 s into a minute: 42 × 45/60 + 17 + 1 = 49.5 ≤ 50). It needs
 * two numbers per key, and is approximate: it over-admits when the previous window's
 * requests came late (up to about 2L in a window, spread over ≈W) and under-admits when
 * they came early.
 */
import { EPS, type Plan, type RateAlgorithm } from './plan.ts';
import type { SlidingConfig } from './slidingLog.ts';

export interface SlidingCounterState {
  window: number;
  current: number;
  previous: number;
}

export class SlidingCounter implements RateAlgorithm<SlidingCounterState> {
  constructor(readonly cfg: SlidingConfig) {}

  create(): SlidingCounterState {
    return { window: -2, current: 0, previous: 0 };
  }

  /** Rolls the counters forward to the window containing `nowUs`. */
  roll(s: SlidingCounterState, nowUs: number): void {
    const w = Math.floor(nowUs / this.cfg.windowUs);
    if (w === s.window) return;
    s.previous = w === s.window + 1 ? s.current : 0;
    s.current = 0;
    s.window = w;
  }

  /** The estimated count over the last W, before this request. */
  estimate(s: SlidingCounterState, nowUs: number): number {
    this.roll(s, nowUs);
    const W = this.cfg.windowUs;
    const elapsed = nowUs - s.window * W;
    return (s.previous * (W - elapsed)) / W + s.current;
  }

  decide(s: SlidingCounterState, nowUs: number, plan: Plan): void {
    const { limit, windowUs: W, countRejected } = this.cfg;
    const est = this.estimate(s, nowUs);
    if (est + 1 <= limit + EPS) {
      s.current++;
      plan.admit();
      return;
    }
    const elapsed = nowUs - s.window * W;
    // when would est + 1 <= limit hold if nothing else arrived?
    const need = limit - 1 - s.current;
    let retry: number;
    if (need >= 0 && s.previous > 0) retry = W * (1 - need / s.previous) - elapsed;
    else retry = W - elapsed + (s.current > limit - 1 && s.current > 0 ? W * (1 - (limit - 1) / s.current) : 0);
    if (countRejected) s.current++;
    plan.reject(retry);
  }

  canForget(s: SlidingCounterState, nowUs: number): boolean {
    return Math.floor(nowUs / this.cfg.windowUs) > s.window + 1 || (s.current === 0 && s.previous === 0);
  }
}
