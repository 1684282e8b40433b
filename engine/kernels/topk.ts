/**
 * Heavy hitters in bounded memory: the Space-Saving algorithm (Metwally, Agrawal &
 * El Abbadi, 2005). It keeps `capacity` counters. A tracked key's counter is
 * incremented; an untracked key takes over the smallest counter, inheriting its count
 * as the key's possible overestimate (`error`). Any key whose true count exceeds
 * total/capacity is guaranteed to be tracked, and each estimate is within `error` above
 * the true count. With capacity = 64, the top 10 of any skewed stream are reliable.
 */

export interface HeavyHitter {
  key: number;
  /** Estimated count (an upper bound). */
  count: number;
  /** How much of `count` may be overestimate: the true count is in [count − error, count]. */
  error: number;
}

export class SpaceSaving {
  private readonly index = new Map<number, number>();
  private readonly keys: Float64Array;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private used = 0;
  /** Total of all increments. */
  total = 0;

  constructor(readonly capacity = 64) {
    this.keys = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
  }

  /** Counts one occurrence of `key`. */
  add(key: number): void {
    this.total++;
    const i = this.index.get(key);
    if (i !== undefined) {
      this.counts[i]!++;
      return;
    }
    if (this.used < this.capacity) {
      const j = this.used++;
      this.index.set(key, j);
      this.keys[j] = key;
      this.counts[j] = 1;
      this.errors[j] = 0;
      return;
    }
    // replace the minimum (a linear scan: capacity is small, and hits, the common case, skip it)
    let min = 0;
    for (let j = 1; j < this.capacity; j++) if (this.counts[j]! < this.counts[min]!) min = j;
    this.index.delete(this.keys[min]!);
    this.index.set(key, min);
    this.keys[min] = key;
    this.errors[min] = this.counts[min]!;
    this.counts[min]!++;
  }

  /** The `k` largest estimates, largest first (ties by key, for determinism). */
  top(k: number): HeavyHitter[] {
    const out: HeavyHitter[] = [];
    for (let j = 0; j < this.used; j++) out.push({ key: this.keys[j]!, count: this.counts[j]!, error: this.errors[j]! });
    out.sort((a, b) => b.count - a.count || a.key - b.key);
    return out.slice(0, k);
  }
}
