/**
 * The write-back (write-behind) buffer of a cache: keys written to the cache and not yet
 * sent to the backing store. Several writes to one key coalesce into one flush of its
 * latest version (that is how write-back saves database writes); the buffer also counts
 * the acknowledged writes each key holds, so a crash loses a known number of writes.
 */
export class WriteBackBuffer {
  private readonly versions = new Map<number, number>();
  private readonly writes = new Map<number, number>();
  /** Acknowledged writes not yet sent to the backing store. */
  unflushed = 0;

  /** Keys with unflushed writes. */
  get size(): number {
    return this.versions.size;
  }

  /** The version waiting to be flushed for `key`, or -1. */
  version(key: number): number {
    return this.versions.get(key) ?? -1;
  }

  /** Records `writes` acknowledged writes of `key`, now at `version`. */
  record(key: number, version: number, writes = 1): void {
    this.versions.set(key, version);
    this.writes.set(key, (this.writes.get(key) ?? 0) + writes);
    this.unflushed += writes;
  }

  /** Removes `key` for flushing: calls `fn(key, version, writes)` if it was dirty. */
  take(key: number, fn: (key: number, version: number, writes: number) => void): void {
    const v = this.versions.get(key);
    if (v === undefined) return;
    const n = this.writes.get(key)!;
    this.versions.delete(key);
    this.writes.delete(key);
    this.unflushed -= n;
    fn(key, v, n);
  }

  /** Removes every dirty key for flushing, in the order they were first written. */
  takeAll(fn: (key: number, version: number, writes: number) => void): void {
    const keys = [...this.versions.keys()];
    for (const k of keys) this.take(k, fn);
  }

  /** Empties the buffer (a crash, or a flush of the cache); returns the writes lost. */
  lose(): number {
    const n = this.unflushed;
    this.versions.clear();
    this.writes.clear();
    this.unflushed = 0;
    return n;
  }
}
