/**
 * A map from request keys to small non-negative integers (a cache slot, a version).
 *
 * Keys are integers: generated keys are 0..count-1 and trace-interned string keys are
 * 2^31 and up (see `Simulation.intern`). Keys below 2^22 live in a typed array indexed by
 * the key itself, grown on demand: one load per lookup, no hashing, no allocation. Larger
 * keys fall back to a `Map`. Memory is 4 bytes per key up to the largest small key seen.
 */

/** Keys below this are indexed directly (4 M keys, at most 16 MB per map). */
export const DIRECT_KEYS = 1 << 22;

export class KeyMap {
  /** value + 1 per key; 0 means absent. */
  private direct = new Int32Array(0);
  private readonly big = new Map<number, number>();
  /** Keys present. */
  size = 0;

  /** The value of `key`, or -1 if absent. */
  get(key: number): number {
    if (key < this.direct.length) return this.direct[key]! - 1;
    if (key < DIRECT_KEYS) return -1;
    return this.big.get(key) ?? -1;
  }

  /** Sets `key` to `value` (0 <= value < 2^31 - 1). */
  set(key: number, value: number): void {
    if (key < DIRECT_KEYS) {
      if (key >= this.direct.length) this.grow(key);
      if (this.direct[key] === 0) this.size++;
      this.direct[key] = value + 1;
    } else {
      if (!this.big.has(key)) this.size++;
      this.big.set(key, value);
    }
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: number): boolean {
    if (key < this.direct.length) {
      if (this.direct[key] === 0) return false;
      this.direct[key] = 0;
      this.size--;
      return true;
    }
    if (key < DIRECT_KEYS) return false;
    const had = this.big.delete(key);
    if (had) this.size--;
    return had;
  }

  /** An independent copy. */
  clone(): KeyMap {
    const m = new KeyMap();
    m.direct = this.direct.slice();
    for (const [k, v] of this.big) m.big.set(k, v);
    m.size = this.size;
    return m;
  }

  clear(): void {
    this.direct.fill(0);
    this.big.clear();
    this.size = 0;
  }

  private grow(key: number): void {
    let n = Math.max(1024, this.direct.length);
    while (n <= key) n *= 2;
    const d = new Int32Array(Math.min(n, DIRECT_KEYS));
    d.set(this.direct);
    this.direct = d;
  }
}
