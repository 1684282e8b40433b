/**
 * Sliding-window log: per key, the times of recent requests; a request is admitted iff
 * fewer than `limit` logged requests lie in the half-open window (now − W, now]. This is
 * exact: no window of length W ever holds more than `limit` admitted requests.
 *
 * Two variants (ground truth §4.5): log only admitted requests (the exact limiter), or,
 * with `countRejected`, log every request, so a client that keeps hammering stays
 * blocked until it pauses for a whole window.
 *
 * Memory: only "are there at least `limit` entries in the window" matters, so the log
 * keeps just the `limit` most recent entries in a ring (grown on demand): per key it is
 * O(limit), however fast the key sends.
 */
import { type Plan, type RateAlgorithm } from './plan.ts';

export interface SlidingConfig {
  limit: number;
  windowUs: number;
  /** Log (count) rejected requests too. */
  countRejected: boolean;
}

export interface SlidingLogState {
  ring: Float64Array;
  /** Index of the oldest entry. */
  head: number;
  size: number;
}

export class SlidingLog implements RateAlgorithm<SlidingLogState> {
  constructor(readonly cfg: SlidingConfig) {}

  create(): SlidingLogState {
    return { ring: new Float64Array(Math.min(4, Math.max(1, this.cfg.limit))), head: 0, size: 0 };
  }

  /** Entries currently in the window (after dropping expired ones). */
  count(s: SlidingLogState, nowUs: number): number {
    const cut = nowUs - this.cfg.windowUs;
    const cap = s.ring.length;
    while (s.size > 0 && s.ring[s.head]! <= cut) {
      s.head = (s.head + 1) % cap;
      s.size--;
    }
    return s.size;
  }

  private push(s: SlidingLogState, t: number): void {
    const limit = this.cfg.limit;
    if (s.size === s.ring.length && s.size < limit) {
      // grow (doubling, at most to `limit`), unrolling the ring
      const next = new Float64Array(Math.min(limit, s.ring.length * 2));
      for (let i = 0; i < s.size; i++) next[i] = s.ring[(s.head + i) % s.ring.length]!;
      s.ring = next;
      s.head = 0;
    }
    const cap = s.ring.length;
    if (s.size === cap) {
      // full at `limit`: the oldest entry can no longer matter
      s.ring[s.head] = t;
      s.head = (s.head + 1) % cap;
    } else {
      s.ring[(s.head + s.size) % cap] = t;
      s.size++;
    }
  }

  decide(s: SlidingLogState, nowUs: number, plan: Plan): void {
    const { limit, windowUs, countRejected } = this.cfg;
    if (limit > 0 && this.count(s, nowUs) < limit) {
      this.push(s, nowUs);
      plan.admit();
      return;
    }
    if (countRejected && limit > 0) this.push(s, nowUs);
    // admitted again once the oldest of the `limit` most recent entries leaves the window,
    // which an entry at t does at t + W (the window is (now − W, now])
    plan.reject(s.size > 0 ? s.ring[s.head]! + windowUs - nowUs : windowUs);
  }

  canForget(s: SlidingLogState, nowUs: number): boolean {
    return this.count(s, nowUs) === 0;
  }
}
