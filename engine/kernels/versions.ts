/**
 * Data versions, for stale reads. Every key has a version in the database: 0 until the
 * first write, then incremented by each committed write. Replicas hold their own table,
 * updated as the primary's writes reach them through the replication log; caches keep
 * the version with each entry. A read is stale when the version it returns is older than
 * the primary's current version at the moment it is answered.
 */
import { KeyMap } from './keyMap.ts';

/** Version per key (0 for keys never written). */
export class VersionTable {
  constructor(private map = new KeyMap()) {}

  get(key: number): number {
    const v = this.map.get(key);
    return v < 0 ? 0 : v;
  }

  set(key: number, version: number): void {
    this.map.set(key, version);
  }

  /**
   * Commits a write of `key` and returns its new version: one more than the current
   * one, or `atLeast` if that is higher (a write-back cache flushes a version it has
   * already handed out to readers).
   */
  commit(key: number, atLeast = 0): number {
    const v = Math.max(this.get(key) + 1, atLeast);
    this.map.set(key, v);
    return v;
  }

  /** An independent copy (a replica resynchronised from a primary). */
  clone(): VersionTable {
    return new VersionTable(this.map.clone());
  }
}

/**
 * A replica's replication log: committed writes waiting to be applied, in commit order.
 * Replication applies the log in order, so an entry is applied at
 * max(its commit time + its lag draw, the previous entry's apply time): a slow entry holds
 * back the ones behind it, as a single replication stream does.
 */
export class ReplicationLog {
  private keys = new Float64Array(64);
  private versions = new Float64Array(64);
  private applyAt = new Float64Array(64);
  private committedAt = new Float64Array(64);
  private head = 0;
  /** Entries waiting. */
  length = 0;
  /** Apply time of the last entry added (µs). */
  private last = -Infinity;

  /** Adds a write committed at `now` whose replication takes `lag` µs; returns its apply time. */
  push(key: number, version: number, now: number, lag: number): number {
    if (this.length === this.keys.length) this.grow();
    const at = Math.max(now + lag, this.last);
    this.last = at;
    const i = (this.head + this.length) & (this.keys.length - 1);
    this.keys[i] = key;
    this.versions[i] = version;
    this.applyAt[i] = at;
    this.committedAt[i] = now;
    this.length++;
    return at;
  }

  /** Apply time of the oldest waiting entry, or Infinity. */
  nextAt(): number {
    return this.length ? this.applyAt[this.head]! : Infinity;
  }

  /** Commit time of the oldest waiting entry, or NaN (how far behind the replica is). */
  oldestCommit(): number {
    return this.length ? this.committedAt[this.head]! : NaN;
  }

  /**
   * Applies every entry due at `now` to `table`, calling `applied(lag)` with each one's
   * commit-to-apply delay (µs). Returns how many were applied.
   */
  applyDue(now: number, table: VersionTable, applied?: (lag: number) => void): number {
    let n = 0;
    while (this.length && this.applyAt[this.head]! <= now) {
      const i = this.head;
      const k = this.keys[i]!;
      // a newer version may already be there (resynchronised); never go back
      if (this.versions[i]! > table.get(k)) table.set(k, this.versions[i]!);
      applied?.(now - this.committedAt[i]!);
      this.head = (i + 1) & (this.keys.length - 1);
      this.length--;
      n++;
    }
    return n;
  }

  /** Drops every waiting entry; returns how many there were. */
  clear(): number {
    const n = this.length;
    this.head = 0;
    this.length = 0;
    this.last = -Infinity;
    return n;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const copy = (a: Float64Array) => {
      const b = new Float64Array(cap);
      for (let k = 0; k < this.length; k++) b[k] = a[(this.head + k) & (a.length - 1)]!;
      return b;
    };
    this.keys = copy(this.keys);
    this.versions = copy(this.versions);
    this.applyAt = copy(this.applyAt);
    this.committedAt = copy(this.committedAt);
    this.head = 0;
  }
}
