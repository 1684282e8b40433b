/**
 * Fixed-window counters, in three flavours that differ in exactly the ways that trip
 * people up.
 *
 * - `aligned`: windows [kW, (k+1)W) on the simulation clock (Redis "rate limiter 1":
 *   key `ip:<unix second>`, INCR, reject if the result > limit). Admits `limit` per
 *   window, and so up to 2 × limit within an instant straddling a boundary.
 * - `redisIncrExpire`: the article's pattern. One key per client: INCR; if the result is
 *   1, EXPIRE key W; reject if the result > limit. The window starts at the client's
 *   first request, not on a clock boundary. Rejected requests still increment the counter
 *   (harmless: the key expires on schedule anyway). Admits `limit` per window.
 * - `redisGetIncr`: Redis's documented "rate limiter 2": GET; reject if the value exists
 *   and is > limit; else INCR (and EXPIRE on 1). The check reads the count *before* this
 *   request, so it admits limit + 1 per window (11 for a limit of 10). Rejected requests
 *   do not increment.
 *
 * Redis time is milliseconds, and a key with an expiry `when` still exists while
 * now ≤ when (Redis deletes it only once mstime() > when). So a key set at t = 0 with a
 * 60 s expiry is still there at t = 60.000 s and gone at 60.001 s: a Redis window is
 * W + 1 ms long. The Redis flavours reproduce that.
 */
import { type Plan, type RateAlgorithm } from './plan.ts';

export type FixedWindowCounter = 'aligned' | 'redisIncrExpire' | 'redisGetIncr';

export interface FixedWindowConfig {
  limit: number;
  windowUs: number;
  counter: FixedWindowCounter;
}

export interface FixedWindowState {
  /** aligned: the window number; Redis: the key's expiry (ms), -1 when the key does not exist. */
  window: number;
  count: number;
}

export class FixedWindow implements RateAlgorithm<FixedWindowState> {
  private readonly windowMs: number;
  constructor(readonly cfg: FixedWindowConfig) {
    this.windowMs = Math.max(1, Math.round(cfg.windowUs / 1000));
  }

  create(): FixedWindowState {
    return { window: -1, count: 0 };
  }

  decide(s: FixedWindowState, nowUs: number, plan: Plan): void {
    const { limit, windowUs, counter } = this.cfg;
    if (counter === 'aligned') {
      const w = Math.floor(nowUs / windowUs);
      if (s.window !== w) {
        s.window = w;
        s.count = 0;
      }
      s.count++;
      if (s.count <= limit) plan.admit();
      else plan.reject((w + 1) * windowUs - nowUs);
      return;
    }
    const nowMs = Math.floor(nowUs / 1000);
    if (s.window >= 0 && nowMs > s.window) {
      s.window = -1; // expired: the key is gone
      s.count = 0;
    }
    // the key disappears at the first millisecond after its expiry
    const goneUs = () => (s.window + 1) * 1000 - nowUs;
    if (counter === 'redisIncrExpire') {
      s.count++;
      if (s.count === 1) s.window = nowMs + this.windowMs;
      if (s.count <= limit) plan.admit();
      else plan.reject(goneUs());
      return;
    }
    // redisGetIncr: GET, compare, then INCR
    if (s.window >= 0 && s.count > limit) {
      plan.reject(goneUs());
      return;
    }
    s.count++;
    if (s.count === 1) s.window = nowMs + this.windowMs;
    plan.admit();
  }

  canForget(s: FixedWindowState, nowUs: number): boolean {
    if (this.cfg.counter === 'aligned') return s.window !== Math.floor(nowUs / this.cfg.windowUs);
    return s.window < 0 || Math.floor(nowUs / 1000) > s.window;
  }
}
