/**
 * nginx `limit_req`, reproduced decision for decision from
 * `src/http/modules/ngx_http_limit_req_module.c` (nginx 1.15.7+, single limit).
 *
 * All quantities are integers, as in nginx: the rate in milli-requests per second
 * (`rate=N r/s` → N·1000, `N r/m` → N·1000/60 truncated, so 1r/m is 16 not 16.667),
 * `burst` and `delay` in milli-requests, and time in whole milliseconds
 * (`ngx_current_msec`, modelled as floor(now µs / 1000)). Per key nginx keeps `excess`
 * and `last`:
 *
 *   new key:   excess = 0, last = now; PASS (the burst check is skipped)
 *   otherwise: ms = now − last (negative: 0; below −60 s: 1)
 *              excess = max(0, excess − rate·ms/1000 + 1000)     (integer division)
 *              excess > burst → REJECT, and the state is NOT changed
 *              else store excess; last = now only if ms ≠ 0
 *   excess ≤ delay → PASS; else DELAY by (excess − delay)·1000/rate ms.
 *
 * `nodelay` is delay = ∞. A delayed request has already been charged; it is always
 * served after its delay, never rejected later. nginx frees a key's state once it has
 * been idle ≥ 60 s with its excess fully drained (checked on allocation of new keys).
 */
import { type Plan, type RateAlgorithm } from './plan.ts';

export interface NginxConfig {
  /** milli-requests per second (ctx->rate). */
  rateMilli: number;
  /** milli-requests (limit->burst = burst·1000). */
  burstMilli: number;
  /** milli-requests (limit->delay = delay·1000); Infinity for `nodelay`. */
  delayMilli: number;
}

export interface NginxState {
  /** milli-requests */
  excess: number;
  /** ms */
  lastMs: number;
}

/** nginx's ctx->rate for a rate in requests per second (as parsed from "5r/s" or "30r/m"). */
export function nginxRateMilli(ratePerSec: number): number {
  // N r/m parses to N/60 per second; N·1000/60 in floating point can land a hair below
  // an integer, which nginx's exact integer division never does, hence the nudge.
  return Math.floor(ratePerSec * 1000 + 1e-6);
}

/** nginx's config for `rate`, `burst`, and `delay=` / `nodelay`. */
export function nginxConfig(ratePerSec: number, burst: number, delay: number | 'nodelay'): NginxConfig {
  return {
    rateMilli: nginxRateMilli(ratePerSec),
    burstMilli: burst * 1000,
    delayMilli: delay === 'nodelay' ? Infinity : delay * 1000,
  };
}

/** floor(a / b) for non-negative integers a < 2^53, exactly (a / b in floating point can round up). */
function idiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

export class NginxLimitReq implements RateAlgorithm<NginxState> {
  /** Beyond this many ms, rate·ms would exceed 2^53; the decay then drains any excess anyway. */
  private readonly maxExactMs: number;
  constructor(readonly cfg: NginxConfig) {
    if (!(cfg.rateMilli >= 1)) throw new Error('nginx rate must be at least 0.001 r/s');
    this.maxExactMs = Math.floor(Number.MAX_SAFE_INTEGER / cfg.rateMilli);
  }

  create(nowUs: number): NginxState {
    return { excess: 0, lastMs: Math.floor(nowUs / 1000) };
  }

  /** rate·ms/1000, truncated. */
  private decay(ms: number): number {
    return ms > this.maxExactMs ? Infinity : idiv(this.cfg.rateMilli * ms, 1000);
  }

  decide(s: NginxState, nowUs: number, plan: Plan, isNew: boolean): void {
    const { rateMilli, burstMilli, delayMilli } = this.cfg;
    const now = Math.floor(nowUs / 1000);
    let excess = 0;
    if (!isNew) {
      let ms = now - s.lastMs;
      if (ms < -60000) ms = 1;
      else if (ms < 0) ms = 0;
      excess = s.excess - this.decay(ms) + 1000;
      if (excess < 0) excess = 0;
      if (excess > burstMilli) {
        plan.reject(this.retryAfterUs(s, nowUs));
        return;
      }
      s.excess = excess;
      if (ms !== 0) s.lastMs = now;
    }
    if (excess <= delayMilli) {
      plan.admit();
      return;
    }
    const delayMs = idiv((excess - delayMilli) * 1000, rateMilli);
    // the write-event timer fires when ngx_current_msec reaches now + delay
    plan.delay(delayMs === 0 ? 0 : (now + delayMs) * 1000 - nowUs);
  }

  /**
   * When a request would next pass (nginx itself sends no Retry-After; this is what an
   * `add_header Retry-After` computed from the zone would say): the first ms at which
   * excess − rate·ms/1000 + 1000 ≤ burst.
   */
  retryAfterUs(s: NginxState, nowUs: number): number {
    const need = s.excess + 1000 - this.cfg.burstMilli; // milli-requests to drain
    const ms = Math.ceil((need * 1000) / this.cfg.rateMilli);
    return (s.lastMs + ms) * 1000 - nowUs;
  }

  canForget(s: NginxState, nowUs: number): boolean {
    const ms = Math.abs(Math.floor(nowUs / 1000) - s.lastMs);
    return ms >= 60000 && s.excess - this.decay(ms) <= 0;
  }
}
