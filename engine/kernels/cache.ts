/**
 * The cache store: what a cache holds at this moment, and the decisions about it
 * (lookup with TTL expiry, insert with eviction), as a data structure with no notion of
 * events or calls. Entries live in slots (typed arrays); a `KeyMap` finds a key's slot
 * and an `EvictionOrder` picks victims, so every operation is O(1).
 *
 * Capacity is in entries, and optionally also in bytes (each entry has a size). An
 * insert evicts until both limits hold; an object larger than the byte capacity is not
 * cached at all. Expiry is lazy, as in Redis and memcached: an expired entry is removed
 * when it is looked up (counted as an expiration), or when it is chosen as a victim
 * (counted as an expiration rather than an eviction, since it was no longer usable).
 */
import { createEvictionOrder, type EvictionOrder, type EvictionPolicy } from './eviction.ts';
import { KeyMap } from './keyMap.ts';

export interface CacheStoreConfig {
  policy: EvictionPolicy;
  /** Maximum number of entries (>= 1). */
  capacity: number;
  /** Maximum total size in bytes; Infinity to count entries only. */
  capacityBytes: number;
  /** Record the keys each `put` evicts in `evictedKeys` (off by default: it costs a little per put). */
  trackEvictions?: boolean;
}

/** A source of uniforms in (0,1), for random eviction. */
export interface Uniform {
  next(): number;
}

/** `lookup` result: the key is not cached. */
export const ABSENT = -1;
/** `lookup` result: the key was cached but its TTL had run out (it is now removed). */
export const EXPIRED = -2;

export class CacheStore {
  /** Entries cached. */
  size = 0;
  /** Bytes cached. */
  bytes = 0;
  // per slot
  keys = new Float64Array(0);
  versions = new Float64Array(0);
  /** Expiry time (µs); Infinity when the entry never expires. */
  expires = new Float64Array(0);
  sizes = new Float64Array(0);
  /** Time the entry took to load (µs), for probabilistic early refresh. */
  cost = new Float64Array(0);
  // totals since creation (callers take differences for windows and cohorts)
  evictions = 0;
  expirations = 0;
  /** With `trackEvictions`: keys evicted (or expired out) by the last `put`; read before the next call. */
  readonly evictedKeys: number[] = [];
  private readonly index = new KeyMap();
  private readonly order: EvictionOrder;
  private readonly random: boolean;
  private readonly track: boolean;
  private free = new Int32Array(0);
  private nFree = 0;
  private slots = 0;
  /** The time of the current `put`: tells an evicted entry that had already expired from a live one. */
  private now = 0;

  constructor(
    readonly config: CacheStoreConfig,
    private readonly rng: Uniform = { next: () => 0.5 },
  ) {
    this.order = createEvictionOrder(config.policy);
    this.random = config.policy === 'random';
    this.track = config.trackEvictions === true;
    this.grow(Math.min(config.capacity, 1024));
  }

  /** The slot of `key` without any side effect (no expiry check, no touch), or -1. */
  peek(key: number): number {
    return this.index.get(key);
  }

  /**
   * Looks `key` up at time `now`: its slot on a hit (the entry counts as used), ABSENT,
   * or EXPIRED when it was cached but `now` >= its expiry (the entry is removed).
   */
  lookup(key: number, now: number): number {
    const slot = this.index.get(key);
    if (slot < 0) return ABSENT;
    if (now >= this.expires[slot]!) {
      this.expirations++;
      this.removeSlot(slot);
      return EXPIRED;
    }
    this.order.touch(slot);
    return slot;
  }

  /**
   * Stores `key` at time `now` (inserting or overwriting) with its version, expiry time,
   * size and load cost, and
   * evicts what must go; `evictedKeys`/`evictedVersions` list them. An overwrite counts
   * as a use. Returns the slot, or -1 if the object is larger than the byte capacity
   * (then any older copy of the key is removed, so it is never served stale).
   */
  put(key: number, version: number, expiresAt: number, now: number, size = 0, cost = 0): number {
    this.now = now;
    if (this.track && this.evictedKeys.length) this.evictedKeys.length = 0;
    const cfg = this.config;
    let slot = this.index.get(key);
    if (size > cfg.capacityBytes) {
      if (slot >= 0) this.removeSlot(slot);
      return -1;
    }
    if (slot >= 0) {
      this.bytes -= this.sizes[slot]!;
      this.order.touch(slot);
    } else {
      while (this.size >= cfg.capacity) this.evictOne();
      slot = this.takeSlot();
      this.keys[slot] = key;
      this.index.set(key, slot);
      this.order.add(slot, key);
      this.size++;
    }
    this.versions[slot] = version;
    this.expires[slot] = expiresAt;
    this.sizes[slot] = size;
    this.cost[slot] = cost;
    this.bytes += size;
    // the entry itself is never its own victim: it fits, and others go first
    while (this.bytes > cfg.capacityBytes) this.evictOne(slot);
    return slot;
  }

  /** Removes `key`; returns whether it was cached. */
  remove(key: number): boolean {
    const slot = this.index.get(key);
    if (slot < 0) return false;
    this.removeSlot(slot);
    return true;
  }

  /** Drops every entry (not counted as evictions). */
  clear(): void {
    this.index.clear();
    this.order.clear();
    this.size = 0;
    this.bytes = 0;
    this.nFree = 0;
    for (let s = this.slots - 1; s >= 0; s--) this.free[this.nFree++] = s;
  }

  /** Every cached key (expired or not), in no particular order. */
  cachedKeys(): number[] {
    const out: number[] = [];
    const used = new Uint8Array(this.slots).fill(1);
    for (let i = 0; i < this.nFree; i++) used[this.free[i]!] = 0;
    for (let s = 0; s < this.slots; s++) if (used[s]) out.push(this.keys[s]!);
    return out;
  }

  private evictOne(keep = -1): void {
    // only RANDOM draws, so the other policies leave the stream alone
    let v = this.order.victim(this.random ? this.rng.next() : 0.5);
    if (v === keep) {
      // the entry being stored was picked (RANDOM, or an overwritten FIFO head): pick again among the others
      this.order.remove(keep);
      v = this.order.victim(this.random ? this.rng.next() : 0.5);
      this.order.add(keep, this.keys[keep]!);
    }
    if (this.track) this.evictedKeys.push(this.keys[v]!);
    if (this.now >= this.expires[v]!) this.expirations++;
    else this.evictions++;
    this.removeSlot(v);
  }

  private removeSlot(slot: number): void {
    this.order.remove(slot);
    this.index.delete(this.keys[slot]!);
    this.bytes -= this.sizes[slot]!;
    this.size--;
    this.free[this.nFree++] = slot;
  }

  private takeSlot(): number {
    if (this.nFree === 0) this.grow(Math.min(this.config.capacity, Math.max(1024, this.slots * 2)));
    return this.free[--this.nFree]!;
  }

  private grow(n: number): void {
    if (n <= this.slots) return;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.keys = f64(this.keys);
    this.versions = f64(this.versions);
    this.expires = f64(this.expires);
    this.sizes = f64(this.sizes);
    this.cost = f64(this.cost);
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.nFree));
    // new slots are handed out lowest first
    for (let s = n - 1; s >= this.slots; s--) free[this.nFree++] = s;
    this.free = free;
    this.order.grow(n);
    this.slots = n;
  }
}
