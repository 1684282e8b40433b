/**
 * Heavy hitters in bounded memory: the Space-Saving algorithm (Metwally, Agrawal &
 * El Abbadi, 2005). It keeps `capacity` counters. A tracked key's counter is
 * incremented; an untracked key takes over the smallest counter, inheriting its count
 * as the key's possible overestimate (`error`). Any key whose true count exceeds
 * total/capacity is guaranteed to be tracked, and each estimate is within `error` above
 * the true count.
 *
 * The counters form a binary min-heap (O(log capacity) per occurrence), so a stream of
 * many distinct keys, where nearly every occurrence replaces the minimum, stays cheap.
 */

export interface HeavyHitter {
  key: number;
  /** Estimated count (an upper bound). */
  count: number;
  /** How much of `count` may be overestimate: the true count is in [count − error, count]. */
  error: number;
}

export class SpaceSaving {
  /** key -> position in the heap */
  private readonly pos = new Map<number, number>();
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
    const i = this.pos.get(key);
    if (i !== undefined) {
      this.counts[i]!++;
      this.down(i);
      return;
    }
    if (this.used < this.capacity) {
      const j = this.used++;
      this.keys[j] = key;
      this.counts[j] = 1;
      this.errors[j] = 0;
      this.pos.set(key, j);
      this.up(j);
      return;
    }
    // take over the minimum (the root)
    this.pos.delete(this.keys[0]!);
    this.keys[0] = key;
    this.errors[0] = this.counts[0]!;
    this.counts[0]!++;
    this.pos.set(key, 0);
    this.down(0);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]!;
    const c = this.counts[a]!;
    const e = this.errors[a]!;
    this.keys[a] = this.keys[b]!;
    this.counts[a] = this.counts[b]!;
    this.errors[a] = this.errors[b]!;
    this.keys[b] = k;
    this.counts[b] = c;
    this.errors[b] = e;
    this.pos.set(this.keys[a]!, a);
    this.pos.set(k, b);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.counts[p]! <= this.counts[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.used;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && this.counts[r]! < this.counts[l]! ? r : l;
      if (this.counts[i]! <= this.counts[m]!) return;
      this.swap(i, m);
      i = m;
    }
  }

  /** The `k` largest estimates, largest first (ties by key, for determinism). */
  top(k: number): HeavyHitter[] {
    const out: HeavyHitter[] = [];
    for (let j = 0; j < this.used; j++) out.push({ key: this.keys[j]!, count: this.counts[j]!, error: this.errors[j]! });
    out.sort((a, b) => b.count - a.count || a.key - b.key);
    return out.slice(0, k);
  }
}
