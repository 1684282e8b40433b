/**
 * The write-back (write-behind) buffer of a cache: keys written to the cache and not yet
 * sent to the backing store. Several writes to one key coalesce into one flush of its
 * latest version (that is how write-back saves database writes); the buffer also counts
 * the acknowledged writes each key holds, so a crash loses a known number of writes.
 *
 * Each count is kept twice: all writes, and the writes counted in the report (those that
 * arrived after warm-up). A write stays in the report's count wherever it goes (flushed,
 * retried, lost), so the report's numbers add up whatever the warm-up.
 */

/** Called with a dirty key taken for flushing: its latest version, its writes, and how many of them are counted. */
export type FlushFn = (key: number, version: number, writes: number, counted: number) => void;

export class WriteBackBuffer {
  private readonly versions = new Map<number, number>();
  private readonly writes = new Map<number, number>();
  private readonly counted = new Map<number, number>();
  /** Acknowledged writes not yet sent to the backing store. */
  unflushed = 0;
  /** Of those, the writes that arrived after warm-up (the report's). */
  unflushedCounted = 0;

  /** Keys with unflushed writes. */
  get size(): number {
    return this.versions.size;
  }

  /** The version waiting to be flushed for `key`, or -1. */
  version(key: number): number {
    return this.versions.get(key) ?? -1;
  }

  /** Records `writes` acknowledged writes of `key`, now at `version`; `counted` of them arrived after warm-up. */
  record(key: number, version: number, writes: number, counted: number): void {
    this.versions.set(key, version);
    this.writes.set(key, (this.writes.get(key) ?? 0) + writes);
    this.counted.set(key, (this.counted.get(key) ?? 0) + counted);
    this.unflushed += writes;
    this.unflushedCounted += counted;
  }

  /** Removes `key` for flushing: calls `fn(key, version, writes, counted)` if it was dirty. */
  take(key: number, fn: FlushFn): void {
    const v = this.versions.get(key);
    if (v === undefined) return;
    const n = this.writes.get(key)!;
    const c = this.counted.get(key)!;
    this.versions.delete(key);
    this.writes.delete(key);
    this.counted.delete(key);
    this.unflushed -= n;
    this.unflushedCounted -= c;
    fn(key, v, n, c);
  }

  /** Removes every dirty key for flushing, in the order they were first written. */
  takeAll(fn: FlushFn): void {
    const keys = [...this.versions.keys()];
    for (const k of keys) this.take(k, fn);
  }

  /** Empties the buffer (a crash, or a flush of the cache); returns the writes lost, all and counted. */
  lose(): { writes: number; counted: number } {
    const lost = { writes: this.unflushed, counted: this.unflushedCounted };
    this.versions.clear();
    this.writes.clear();
    this.counted.clear();
    this.unflushed = 0;
    this.unflushedCounted = 0;
    return lost;
  }
}
