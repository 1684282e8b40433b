/**
 * Per-key limiter state with bounded memory, managed the way nginx manages its zone.
 *
 * Keys live in least-recently-used order (a JS Map keeps insertion order; a lookup moves
 * the key to the end). When a new key arrives, up to two of the least recently used keys
 * are dropped if their algorithm says they can be forgotten (for most algorithms: their
 * state is back to that of a fresh key, so dropping them changes no decision). If the
 * table still holds `maxKeys`, the least recently used key is dropped by force (its
 * owner starts afresh next time, as a key force-evicted from a full nginx zone does),
 * and up to two more idle ones after it. Memory is O(maxKeys) however many requests and
 * distinct keys pass.
 */
import type { Plan, RateAlgorithm } from './plan.ts';

export class KeyTable<S = unknown> {
  private readonly map = new Map<number, S>();
  private lastKey = NaN;
  /** Keys dropped because they were idle. */
  expired = 0;
  /** Keys dropped by force because the table was full. */
  forced = 0;
  /** The largest number of keys held at once. */
  peak = 0;

  constructor(
    readonly algo: RateAlgorithm<S>,
    readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The state of `key`, if held (no reordering; for inspection and tests). */
  peek(key: number): S | undefined {
    return this.map.get(key);
  }

  /** Decides on one request of `key` at `nowUs`, creating its state if needed. */
  decide(key: number, nowUs: number, plan: Plan): void {
    const m = this.map;
    let s = m.get(key);
    if (s !== undefined) {
      if (key !== this.lastKey) {
        m.delete(key);
        m.set(key, s);
        this.lastKey = key;
      }
      this.algo.decide(s, nowUs, plan, false);
      return;
    }
    this.expire(nowUs);
    if (m.size >= this.maxKeys) {
      const oldest = m.keys().next().value as number;
      m.delete(oldest);
      if (oldest === this.lastKey) this.lastKey = NaN;
      this.forced++;
      this.expire(nowUs);
    }
    s = this.algo.create(nowUs);
    m.set(key, s);
    this.lastKey = key;
    if (m.size > this.peak) this.peak = m.size;
    this.algo.decide(s, nowUs, plan, true);
  }

  /** Drops up to two least recently used keys that can be forgotten, stopping at the first that cannot. */
  private expire(nowUs: number): void {
    const m = this.map;
    for (let i = 0; i < 2 && m.size > 0; i++) {
      const [k, s] = m.entries().next().value as [number, S];
      if (!this.algo.canForget(s, nowUs)) return;
      m.delete(k);
      if (k === this.lastKey) this.lastKey = NaN;
      this.expired++;
    }
  }

  /** Forgets every key (a restart without persistence). */
  clear(): void {
    this.map.clear();
    this.lastKey = NaN;
  }
}
