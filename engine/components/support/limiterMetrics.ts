/**
 * What a rate limiter counts: decisions (admitted, delayed, rejected) in total, per tier
 * and per window; the delay distribution; how long decisions took (a shared store's
 * round trip); the heaviest requesters and the most rejected keys in bounded memory
 * (space-saving summaries); and what happened when the store could not be reached.
 * Summary counts cover decisions on requests that arrived after warm-up, like the
 * kernel's node statistics.
 */
import { Histogram } from '../../core/histogram.ts';
import { ADMIT, DELAY, type Verdict } from '../../kernels/ratelimit/plan.ts';
import { SpaceSaving } from '../../kernels/topk.ts';
import { latencyMs, round } from '../../report/summary.ts';

const TOP = 10;

export class LimiterMetrics {
  admitted = 0;
  delayed = 0;
  rejected = 0;
  /** Admitted because the store could not be reached (fail open). */
  failedOpen = 0;
  /** Rejected because the store could not be reached (fail closed). */
  failedClosed = 0;
  storeTimeouts = 0;
  storeErrors = 0;
  /** Delayed requests whose client had gone when their turn came. */
  abandoned = 0;
  /** Forwarded requests the protected target did not answer within the upstream timeout. */
  upstreamTimeouts = 0;
  /** admitted, delayed, rejected per tier. */
  readonly perTier: Float64Array;
  readonly delays = new Histogram();
  readonly decisionTime = new Histogram();
  // 256 counters: exact for up to 256 distinct keys, and any key above 1/256 of the
  // stream is always found (space-saving's guarantee)
  readonly topRejected = new SpaceSaving(256);
  readonly topRequesters = new SpaceSaving(256);
  w = { admitted: 0, delayed: 0, rejected: 0, failOpen: 0, failClosed: 0 };

  constructor(readonly tierNames: string[]) {
    this.perTier = new Float64Array(tierNames.length * 3);
  }

  /** Records one decision; `counted` is whether the request arrived after warm-up. */
  decision(verdict: Verdict, tier: number, key: number, delayUs: number, decisionUs: number, counted: boolean): void {
    const w = this.w;
    if (verdict === ADMIT) w.admitted++;
    else if (verdict === DELAY) w.delayed++;
    else w.rejected++;
    if (!counted) return;
    this.perTier[tier * 3 + verdict]!++;
    if (verdict === ADMIT) this.admitted++;
    else if (verdict === DELAY) {
      this.delayed++;
      this.delays.record(delayUs);
    } else {
      this.rejected++;
      this.topRejected.add(key);
    }
    this.topRequesters.add(key);
    this.decisionTime.record(decisionUs);
  }

  /** The store could not be reached; `open` admits. */
  storeFailure(open: boolean, timedOut: boolean, counted: boolean): void {
    if (open) this.w.failOpen++;
    else this.w.failClosed++;
    if (!counted) return;
    if (timedOut) this.storeTimeouts++;
    else this.storeErrors++;
    if (open) this.failedOpen++;
    else this.failedClosed++;
  }

  /** The closing window's counts (and the number of keys held); resets them. */
  windowExtras(keys: number, withStore: boolean): Record<string, number> {
    const w = this.w;
    const out: Record<string, number> = { admitted: w.admitted, delayed: w.delayed, rejected: w.rejected, keys };
    if (withStore) {
      out.failOpen = w.failOpen;
      out.failClosed = w.failClosed;
    }
    this.w = { admitted: 0, delayed: 0, rejected: 0, failOpen: 0, failClosed: 0 };
    return out;
  }

  report(nameOf: (key: number) => string | number, withStore: boolean): Record<string, unknown> {
    const total = this.admitted + this.delayed + this.rejected;
    // tier names are the user's: Object.fromEntries defines them as own properties, so a
    // tier named "__proto__" is listed like any other (assigning it would set the prototype)
    const tiers = Object.fromEntries(
      this.tierNames.map((n, i) => [n, { admitted: this.perTier[i * 3]!, delayed: this.perTier[i * 3 + 1]!, rejected: this.perTier[i * 3 + 2]! }]),
    );
    const hitters = (s: SpaceSaving) => s.top(TOP).map((h) => ({ key: nameOf(h.key), count: h.count, ...(h.error ? { overestimateAtMost: h.error } : {}) }));
    return {
      decisions: { admitted: this.admitted, delayed: this.delayed, rejected: this.rejected },
      rejectedShare: total ? round(this.rejected / total, 6) : null,
      ...(this.delayed ? { delayMs: latencyMs(this.delays) } : {}),
      ...(this.tierNames.length > 1 ? { tiers } : {}),
      topRejected: hitters(this.topRejected),
      topRequesters: hitters(this.topRequesters),
      ...(this.abandoned ? { abandonedWhileDelayed: this.abandoned } : {}),
      ...(this.upstreamTimeouts ? { upstreamTimeouts: this.upstreamTimeouts } : {}),
      ...(withStore
        ? {
            decisionMs: latencyMs(this.decisionTime),
            store: { failedOpen: this.failedOpen, failedClosed: this.failedClosed, timeouts: this.storeTimeouts, errors: this.storeErrors },
          }
        : {}),
    };
  }
}
