/**
 * Service-mesh decisions, as Envoy makes them for a sidecar's upstream cluster (and as
 * Istio configures them): pure functions and a small state machine over host indices,
 * with the clock and random numbers passed in, so each is testable on its own against
 * Envoy's source (ground-truth.md §5).
 *
 * - `retryBackoffBoundMs`: the upper bound of retry n's jittered wait. Envoy's current
 *   `JitteredExponentialBackOffStrategy`: the bound starts at the base interval (25 ms by
 *   default) and doubles while it is below half the maximum (10 × base), then stays at
 *   the maximum; the wait is a uniform integer number of ms in [0, bound).
 * - `OutlierDetector`: consecutive-5xx and consecutive-gateway-failure ejection, the
 *   max-ejection-percent check (in its Envoy ≥ 1.28 form, or the older one), ejection
 *   times of base × multiplier checked only on interval ticks, and the multiplier's decay.
 * - `retryOnMatches`: which failed attempts a `retryOn` list retries.
 */

/** Envoy's `JitteredExponentialBackOffStrategy`: the bound (ms) of retry `n` (1, 2, ...). */
export function retryBackoffBoundMs(n: number, baseMs: number, maxMs: number): number {
  let next = baseMs;
  let b = next;
  for (let i = 1; i <= n; i++) {
    b = next;
    next = next < maxMs / 2 ? next * 2 : maxMs;
  }
  return b;
}

/** The wait (µs) before retry `n`: `random() % bound` ms, from a uniform `u` in [0, 1). */
export function retryBackoffUs(n: number, baseMs: number, maxMs: number, u: number): number {
  const bound = Math.max(1, Math.floor(retryBackoffBoundMs(n, baseMs, maxMs)));
  return Math.floor(u * bound) * 1000;
}

/** Failure classes a `retryOn` list can name (Envoy's `retry_on` values that apply here). */
export const RETRY_ON_CONDITIONS = ['5xx', 'gateway-error', 'connect-failure', 'reset', 'retriable-4xx'] as const;

/** How an attempt failed, as the retry policy and outlier detection see it. */
export const AttemptFailure = {
  /** The host answered with this status (a 5xx, 4xx...). */
  Status: 0,
  /** The host was down when the attempt arrived: connection refused. */
  ConnectFailure: 1,
  /** The host lost the attempt (crashed while holding it): the stream was reset. */
  Reset: 2,
  /** No answer within the per-try timeout. */
  PerTryTimeout: 3,
} as const;
export type AttemptFailure = (typeof AttemptFailure)[keyof typeof AttemptFailure];

/**
 * Whether `retryOn` retries an attempt that failed as `how` with `status` (the status
 * the sidecar got: for a connect failure 503, a reset "dropped", a per-try timeout 504).
 * As in Envoy: `5xx` covers every 5xx and no answer at all (connect failure, reset, per-try
 * timeout); `gateway-error` 502/503/504 and the same local failures; `connect-failure`
 * only refused connections; `reset` resets and per-try timeouts; `retriable-4xx` 409;
 * a bare code ("503") that status as an upstream answer.
 */
export function retryOnMatches(retryOn: readonly string[], how: AttemptFailure, status: number): boolean {
  const local = how !== AttemptFailure.Status;
  for (const c of retryOn) {
    switch (c) {
      case '5xx':
        if (local || (status >= 500 && status <= 599)) return true;
        break;
      case 'gateway-error':
        if (local || status === 502 || status === 503 || status === 504) return true;
        break;
      case 'connect-failure':
        if (how === AttemptFailure.ConnectFailure) return true;
        break;
      case 'reset':
        if (how === AttemptFailure.Reset || how === AttemptFailure.PerTryTimeout) return true;
        break;
      case 'retriable-4xx':
        if (!local && status === 409) return true;
        break;
      default:
        if (!local && Number(c) === status) return true;
    }
  }
  return false;
}

export interface OutlierConfig {
  /** Consecutive 5xx (local failures included) that eject a host; 0: off. */
  consecutive5xx: number;
  /** Consecutive 502/503/504 (local failures included) that eject a host; 0: off. */
  consecutiveGatewayErrors: number;
  /** µs between detector ticks. */
  interval: number;
  /** µs: an ejection lasts base × the host's multiplier (checked at ticks). */
  baseEjectionTime: number;
  /** µs: the longest ejection. */
  maxEjectionTime: number;
  /** Percent of the cluster's hosts that may be ejected at once. */
  maxEjectionPercent: number;
  /** Envoy ≥ 1.28 counts the host about to be ejected in the percentage; older Envoy did not. */
  percentCheck: 'since-1.28' | 'before-1.28';
  /** Envoy ≥ 1.31: one host may always be ejected, whatever the percentage says. */
  alwaysEjectOneHost: boolean;
}

/** Per-host outlier detection state for one cluster (host indices 0..n-1). */
export class OutlierDetector {
  readonly ejected: Uint8Array;
  /** Ejections of each host. */
  readonly ejections: Float64Array;
  /** Hosts ejected now. */
  active = 0;
  /** Ejections refused by the max-ejection-percent check. */
  overflow = 0;
  private readonly c5xx: Int32Array;
  private readonly gw: Int32Array;
  private readonly multiplier: Int32Array;
  private readonly lastEjection: Float64Array;
  private readonly lastUneject: Float64Array;

  constructor(
    readonly n: number,
    readonly cfg: OutlierConfig,
  ) {
    this.ejected = new Uint8Array(n);
    this.ejections = new Float64Array(n);
    this.c5xx = new Int32Array(n);
    this.gw = new Int32Array(n);
    this.multiplier = new Int32Array(n);
    this.lastEjection = new Float64Array(n);
    this.lastUneject = new Float64Array(n).fill(-Infinity);
  }

  /**
   * An attempt on host `h` ended with `status` (a local failure mapped to 503 or 504, as
   * Envoy does without split external/local errors). Returns true if this ejected `h`.
   * Envoy counts with `==`: a streak ejects once when it reaches the threshold, and the
   * counter starts again from 0 after the detector acted on it.
   */
  onResult(h: number, status: number, now: number): boolean {
    const cfg = this.cfg;
    if (status >= 500 && status <= 599) {
      let fire = false;
      if (status === 502 || status === 503 || status === 504) {
        if (cfg.consecutiveGatewayErrors > 0 && ++this.gw[h]! === cfg.consecutiveGatewayErrors) {
          fire = true;
          this.gw[h] = 0;
        }
      } else this.gw[h] = 0;
      if (cfg.consecutive5xx > 0 && ++this.c5xx[h]! === cfg.consecutive5xx) {
        fire = true;
        this.c5xx[h] = 0;
      }
      return fire && !this.ejected[h] && this.eject(h, now);
    }
    this.c5xx[h] = 0;
    this.gw[h] = 0;
    return false;
  }

  /** How many hosts may be ejected at once (for reports and validation). */
  static capacity(n: number, cfg: Pick<OutlierConfig, 'maxEjectionPercent' | 'percentCheck' | 'alwaysEjectOneHost'>): number {
    let k = 0;
    while (k < n && OutlierDetector.allowed(k, n, cfg)) k++;
    return k;
  }

  private static allowed(active: number, n: number, cfg: Pick<OutlierConfig, 'maxEjectionPercent' | 'percentCheck' | 'alwaysEjectOneHost'>): boolean {
    const ok =
      cfg.percentCheck === 'since-1.28'
        ? (100 * (active + 1)) / n <= cfg.maxEjectionPercent
        : (100 * active) / n < cfg.maxEjectionPercent;
    return ok || (cfg.alwaysEjectOneHost && active === 0);
  }

  private eject(h: number, now: number): boolean {
    const cfg = this.cfg;
    if (!OutlierDetector.allowed(this.active, this.n, cfg)) {
      this.overflow++;
      return false;
    }
    this.active++;
    this.ejected[h] = 1;
    this.ejections[h]!++;
    this.lastEjection[h] = now;
    if (this.multiplier[h]! * cfg.baseEjectionTime < cfg.maxEjectionTime + cfg.baseEjectionTime) this.multiplier[h]!++;
    return true;
  }

  /**
   * A detector tick: brings back each ejected host whose time is up, and lowers the
   * multiplier of each host that has been back for at least an interval. Returns the
   * hosts brought back.
   */
  tick(now: number): number[] {
    const cfg = this.cfg;
    const back: number[] = [];
    for (let h = 0; h < this.n; h++) {
      if (this.ejected[h]) {
        const t = Math.min(cfg.baseEjectionTime * this.multiplier[h]!, cfg.maxEjectionTime);
        if (t <= now - this.lastEjection[h]!) {
          this.ejected[h] = 0;
          this.active--;
          this.c5xx[h] = 0;
          this.gw[h] = 0;
          this.lastUneject[h] = now;
          back.push(h);
        }
      } else if (this.multiplier[h]! > 0 && now - this.lastUneject[h]! >= cfg.interval) {
        this.multiplier[h]!--;
      }
    }
    return back;
  }

  /** The ejection multiplier of host `h` (1 after a first ejection, 2 after a quick second...). */
  multiplierOf(h: number): number {
    return this.multiplier[h]!;
  }
}
