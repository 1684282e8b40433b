/**
 * Client retries: the `retry` parameter of a client and the controller that decides, for
 * each failed attempt, whether and when to try again. The backoff and budget arithmetic
 * is in `kernels/retry.ts`; this module only applies it to calls.
 *
 * What is retried (`retryOn`, by default 429, 503, 504, dropped and timeout):
 * - a status code ("429", "503", ...) answered by the system;
 * - "dropped": the request was lost (a node crashed while holding it);
 * - "timeout": the client's own timeout fired (the attempt is abandoned, its late answer
 *   ignored).
 * 500 is not retried by default: an application error usually fails again. 409 (a
 * write conflict, as in optimistic concurrency) can be added.
 *
 * The client's `timeout` applies to each attempt. End-to-end latency runs from the first
 * send to the final outcome, and each request records how many attempts it made.
 */
import type { Call } from '../../core/call.ts';
import type { Param } from '../../core/params.ts';
import type { Rng } from '../../core/rng.ts';
import { DROPPED } from '../../core/status.ts';
import { backoffUs, isJittered, RetryBudget, type Backoff } from '../../kernels/retry.ts';

const RETRY_ON_PATTERN = '^([1-5]\\d\\d|dropped|timeout)$';

/** The client's `retry` parameter (optional: without it the client never retries). */
export const retryParam = {
  kind: 'object',
  optional: true,
  label: 'retries',
  help: 'What the client does when an attempt fails: the backoff policy, how many attempts, which failures, Retry-After, and a retry budget. Omitted: no retries.',
  fields: {
    backoff: {
      kind: 'variant',
      tag: 'policy',
      help: 'How long to wait before each retry.',
      default: { policy: 'exponential', base: '100ms', cap: '10s', jitter: 'full' },
      variants: {
        none: { label: 'no retries', help: 'Never retry.', fields: {} },
        immediate: { label: 'immediate', help: 'Retry at once (the retry-storm classic).', fields: {} },
        fixed: {
          label: 'fixed delay',
          help: 'Wait the same time before every retry.',
          fields: { delay: { kind: 'duration', default: '1s', help: 'Wait before each retry.' } },
        },
        exponential: {
          label: 'exponential backoff',
          help: 'Retry n waits up to min(cap, base·2^(n−1)), with jitter spreading clients apart.',
          fields: {
            base: { kind: 'duration', default: '100ms', min: '1us', help: 'Wait before the first retry (the lower bound, for decorrelated jitter).' },
            cap: { kind: 'duration', default: '10s', min: '1us', help: 'Longest wait.' },
            jitter: {
              kind: 'enum',
              values: ['none', 'full', 'equal', 'decorrelated'],
              default: 'full',
              labels: { none: 'none', full: 'full: U(0, v)', equal: 'equal: v/2 + U(0, v/2)', decorrelated: 'decorrelated: U(base, 3·previous)' },
              help: 'Randomness in the wait: without it, clients that failed together retry together.',
            },
          },
        },
      },
    },
    maxAttempts: { kind: 'int', default: 3, min: 1, max: 1000, help: 'Attempts per request, the first included (3 = up to 2 retries).' },
    retryOn: {
      kind: 'list',
      default: ['429', '503', '504', 'dropped', 'timeout'],
      help: 'Failures worth retrying: status codes, "dropped" (lost to a crash) and "timeout" (the client gave up on the attempt).',
      item: { kind: 'string', pattern: RETRY_ON_PATTERN, patternHelp: 'expected a status code like "503", "dropped" or "timeout"', help: 'A retryable failure.' },
    },
    honorRetryAfter: {
      kind: 'bool',
      default: true,
      help: 'Wait at least the Retry-After a rate limiter answers with (the wait is the larger of it and the backoff).',
    },
    deadline: {
      kind: 'duration',
      default: null,
      orNone: true,
      help: 'No retry starts later than this after the first send ("none": no overall deadline).',
    },
    budget: {
      kind: 'object',
      optional: true,
      help: 'A retry budget: retries at most `ratio` × requests (plus a small floor) over a sliding window. Omitted: no budget.',
      fields: {
        ratio: { kind: 'number', default: 0.2, min: 0, max: 100, help: 'Retries allowed per request sent (Linkerd and Finagle default to 0.2).' },
        minPerSec: { kind: 'number', default: 10, min: 0, help: 'Retries per second always allowed, so a quiet client can still retry.', unit: 'retries/s' },
        window: { kind: 'duration', default: '10s', min: '1ms', help: 'How far back requests and retries are counted.' },
      },
    },
  },
} satisfies Param;

export interface RetryConfig {
  backoff: Backoff;
  maxAttempts: number;
  retryOn: string[];
  honorRetryAfter: boolean;
  deadline: number | null;
  budget?: { ratio: number; minPerSec: number; window: number };
}

/** Decides the retries of one client. */
export class RetryController {
  /** Retries made. */
  retries = 0;
  /** Failures that were retryable but hit `maxAttempts`. */
  exhausted = 0;
  /** Retries refused by the budget. */
  budgetDenied = 0;
  /** Retries refused by the deadline. */
  pastDeadline = 0;
  /** Retries whose wait was lengthened to honour a Retry-After. */
  honoured = 0;
  private readonly statuses = new Set<number>();
  private readonly onDropped: boolean;
  private readonly onTimeout: boolean;
  private readonly budget: RetryBudget | null;
  private readonly jittered: boolean;
  private readonly decorrelated: boolean;
  /** Previous wait of each request in its retry chain (decorrelated jitter only). */
  private readonly prevSleep = new Map<number, number>();

  constructor(
    readonly cfg: RetryConfig,
    private readonly rng: Rng,
  ) {
    for (const s of cfg.retryOn) if (/^\d+$/.test(s)) this.statuses.add(Number(s));
    this.onDropped = cfg.retryOn.includes('dropped');
    this.onTimeout = cfg.retryOn.includes('timeout');
    this.budget = cfg.budget ? new RetryBudget(cfg.budget.ratio, cfg.budget.minPerSec, cfg.budget.window) : null;
    this.jittered = isJittered(cfg.backoff);
    this.decorrelated = cfg.backoff.policy === 'exponential' && cfg.backoff.jitter === 'decorrelated';
  }

  /** Whether the controller ever retries. */
  get active(): boolean {
    return this.cfg.backoff.policy !== 'none' && this.cfg.maxAttempts > 1;
  }

  /** A new request (first attempt) was sent: it adds to the budget. */
  onRequest(nowUs: number): void {
    this.budget?.onRequest(nowUs);
  }

  /**
   * The wait (µs) before retrying the failed attempt `c`, or -1 to give up. Either `c`
   * was answered (its status and retryAfter tell why it failed), or the client's timeout
   * fired (`timedOut`; whatever `c` holds then is an answer the client has not seen).
   */
  plan(c: Call, nowUs: number, timedOut: boolean): number {
    const cfg = this.cfg;
    const status = c.status;
    const ok = timedOut ? this.onTimeout : status === DROPPED ? this.onDropped : this.statuses.has(status);
    if (!ok || !this.active) return -1;
    if (c.attempt + 1 >= cfg.maxAttempts) {
      this.exhausted++;
      return -1;
    }
    const n = c.attempt + 1;
    const base = cfg.backoff.policy === 'exponential' ? cfg.backoff.base : 0;
    const prev = this.decorrelated ? (this.prevSleep.get(c.rid) ?? base) : 0;
    const sleep = backoffUs(cfg.backoff, n, prev, this.jittered ? this.rng.next() : 0);
    const honour = !timedOut && cfg.honorRetryAfter && c.retryAfter > sleep;
    const wait = Math.round(honour ? c.retryAfter : sleep);
    if (cfg.deadline !== null && nowUs + wait - c.sentAt > cfg.deadline) {
      this.pastDeadline++;
      return -1;
    }
    if (this.budget !== null && !this.budget.tryRetry(nowUs)) {
      this.budgetDenied++;
      return -1;
    }
    // the jitter chain continues from the backoff's own sleep, not from a Retry-After
    if (this.decorrelated) this.prevSleep.set(c.rid, sleep);
    if (honour) this.honoured++;
    this.retries++;
    return wait;
  }

  /** The request finished: drop what was kept for it. */
  forget(rid: number): void {
    if (this.decorrelated) this.prevSleep.delete(rid);
  }

  /** Numbers for the client's report. */
  report(): Record<string, number> {
    return {
      retries: this.retries,
      exhausted: this.exhausted,
      budgetDenied: this.budgetDenied,
      pastDeadline: this.pastDeadline,
      retryAfterHonoured: this.honoured,
    };
  }
}
