/**
 * Per-key limiter state with bounded memory, managed the way nginx manages its zone.
 *
 * Keys live in least-recently-used order (a doubly linked list through the entries; a
 * lookup moves the key to the recent end). When a new key arrives, up to two of the
 * least recently used keys are dropped if their algorithm says they can be forgotten
 * (for every algorithm but nginx: their state is that of a fresh key, so dropping them
 * changes no decision; nginx follows nginx's own rule). If the table still holds `maxKeys`, the least recently used key
 * is dropped by force (its owner starts afresh next time, as a key force-evicted from a
 * full nginx zone does), and up to two more idle ones after it. Memory is O(maxKeys)
 * however many requests and distinct keys pass.
 */
import type { Plan, RateAlgorithm } from './plan.ts';

interface Entry<S> {
  key: number;
  state: S;
  /** Towards the least recently used end. */
  older: Entry<S> | null;
  newer: Entry<S> | null;
}

export class KeyTable<S = unknown> {
  private readonly map = new Map<number, Entry<S>>();
  private oldest: Entry<S> | null = null;
  private newest: Entry<S> | null = null;
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
    return this.map.get(key)?.state;
  }

  /** Decides on one request of `key` at `nowUs`, creating its state if needed. */
  decide(key: number, nowUs: number, plan: Plan): void {
    const e = this.map.get(key);
    if (e !== undefined) {
      if (e !== this.newest) {
        this.unlink(e);
        this.append(e);
      }
      this.algo.decide(e.state, nowUs, plan, false);
      return;
    }
    this.expire(nowUs);
    if (this.map.size >= this.maxKeys) {
      this.remove(this.oldest!);
      this.forced++;
      this.expire(nowUs);
    }
    const n: Entry<S> = { key, state: this.algo.create(nowUs), older: null, newer: null };
    this.map.set(key, n);
    this.append(n);
    if (this.map.size > this.peak) this.peak = this.map.size;
    this.algo.decide(n.state, nowUs, plan, true);
  }

  /** Drops up to two least recently used keys that can be forgotten, stopping at the first that cannot. */
  private expire(nowUs: number): void {
    for (let i = 0; i < 2; i++) {
      const e = this.oldest;
      if (e === null || !this.algo.canForget(e.state, nowUs)) return;
      this.remove(e);
      this.expired++;
    }
  }

  private append(e: Entry<S>): void {
    e.older = this.newest;
    e.newer = null;
    if (this.newest !== null) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
  }

  private unlink(e: Entry<S>): void {
    if (e.older !== null) e.older.newer = e.newer;
    else this.oldest = e.newer;
    if (e.newer !== null) e.newer.older = e.older;
    else this.newest = e.older;
  }

  private remove(e: Entry<S>): void {
    this.unlink(e);
    this.map.delete(e.key);
  }

  /** Forgets every key (a restart without persistence). */
  clear(): void {
    this.map.clear();
    this.oldest = this.newest = null;
  }
}
