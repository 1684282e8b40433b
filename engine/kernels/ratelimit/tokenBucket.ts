/**
 * Token bucket (golang.org/x/time/rate semantics): a bucket of `capacity` tokens,
 * refilled continuously at `ratePerSec` and capped at the capacity; each request takes
 * one token. With `maxDelayUs` > 0 a request may borrow against future refill (the
 * bucket goes negative) and wait until its token exists, as `Limiter.Reserve` does, if
 * that wait is at most `maxDelayUs`. A request that is neither admitted nor delayed is
 * rejected and leaves the state untouched (golang updates state only when ok).
 */
import { EPS, type Plan, type RateAlgorithm, US } from './plan.ts';

export interface TokenBucketConfig {
  ratePerSec: number;
  capacity: number;
  /** A key seen for the first time starts with a full bucket (golang, most gateways) or an empty one. */
  startFull: boolean;
  /** Longest wait a request may be given instead of a rejection (µs); 0 rejects at once. */
  maxDelayUs: number;
}

export interface TokenBucketState {
  /** Tokens at `lastUs` (negative while requests are waiting for borrowed tokens). */
  tokens: number;
  lastUs: number;
}

export class TokenBucket implements RateAlgorithm<TokenBucketState> {
  constructor(readonly cfg: TokenBucketConfig) {}

  create(nowUs: number): TokenBucketState {
    return { tokens: this.cfg.startFull ? this.cfg.capacity : 0, lastUs: nowUs };
  }

  /** Tokens the bucket holds at `nowUs` (refilled, capped). */
  tokensAt(s: TokenBucketState, nowUs: number): number {
    const t = s.tokens + ((nowUs - s.lastUs) * this.cfg.ratePerSec) / US;
    return t < this.cfg.capacity ? t : this.cfg.capacity;
  }

  decide(s: TokenBucketState, nowUs: number, plan: Plan): void {
    const { ratePerSec: rate, capacity, maxDelayUs } = this.cfg;
    const have = this.tokensAt(s, nowUs);
    const left = have - 1;
    if (left >= -EPS) {
      s.tokens = left;
      s.lastUs = nowUs;
      plan.admit();
      return;
    }
    const waitUs = (-left * US) / rate;
    if (capacity >= 1 && waitUs <= maxDelayUs) {
      s.tokens = left;
      s.lastUs = nowUs;
      plan.delay(Math.ceil(waitUs - EPS));
      return;
    }
    // time until one whole token is free again (nothing else arriving)
    plan.reject(((1 - have) * US) / rate);
  }

  /**
   * Forgetting must never change a decision: a forgotten key comes back as a new one. When
   * buckets start full, a full bucket is a new one (and stays full while idle). When they
   * start empty, no state is: a full bucket would come back empty, and even an empty one
   * would lose the refill it earns while forgotten. Such keys are kept until the table is
   * full and evicts them by force.
   */
  canForget(s: TokenBucketState, nowUs: number): boolean {
    return this.cfg.startFull && this.tokensAt(s, nowUs) >= this.cfg.capacity - EPS;
  }
}
