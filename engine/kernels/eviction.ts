/**
 * Eviction orders: which cached entry goes when a full cache must make room. Each order
 * keeps its own bookkeeping over slot numbers (0..n-1, owned by `CacheStore`) in typed
 * arrays. Every operation is O(1) except LFU's (O(log C), see below):
 *
 * - LRU: an intrusive doubly-linked list, most recently used at the head; a hit moves
 *   the entry to the head, the victim is the tail.
 * - FIFO: the same list, but hits do not move entries: the victim is the oldest insert.
 * - RANDOM: a dense array of occupied slots; the victim is a uniform pick.
 * - LFU (perfect LFU): a min-heap by request count, O(log C); see `LfuOrder` for why.
 */
import { KeyMap } from './keyMap.ts';

export type EvictionPolicy = 'lru' | 'lfu' | 'fifo' | 'random';
export const EVICTION_POLICIES: readonly EvictionPolicy[] = ['lru', 'lfu', 'fifo', 'random'];

export interface EvictionOrder {
  /** Makes room for slots 0..n-1. */
  grow(n: number): void;
  /** A new entry for `key` in `slot`. */
  add(slot: number, key: number): void;
  /** The entry in `slot` was used (a hit or an overwrite). */
  touch(slot: number): void;
  /** The entry in `slot` is gone. */
  remove(slot: number): void;
  /** The slot to evict, given a uniform `u` in (0,1) (only RANDOM uses it). Never called when empty. */
  victim(u: number): number;
  clear(): void;
}

/** A new, empty order for `policy`. */
export function createEvictionOrder(policy: EvictionPolicy): EvictionOrder {
  switch (policy) {
    case 'lru':
      return new ListOrder(true);
    case 'fifo':
      return new ListOrder(false);
    case 'random':
      return new RandomOrder();
    case 'lfu':
      return new LfuOrder();
  }
}

function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** LRU (moveOnTouch) or FIFO over one doubly-linked list; head = newest. */
class ListOrder implements EvictionOrder {
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  private head = -1;
  private tail = -1;
  constructor(private readonly moveOnTouch: boolean) {}

  grow(n: number): void {
    this.prev = grown(this.prev, n);
    this.next = grown(this.next, n);
  }

  add(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head >= 0) this.prev[this.head] = slot;
    else this.tail = slot;
    this.head = slot;
  }

  touch(slot: number): void {
    if (!this.moveOnTouch || this.head === slot) return;
    this.remove(slot);
    this.add(slot);
  }

  remove(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
  }

  victim(): number {
    return this.tail;
  }

  clear(): void {
    this.head = this.tail = -1;
  }
}

/** Uniform random victim from a dense array of occupied slots (swap-remove). */
class RandomOrder implements EvictionOrder {
  private dense = new Int32Array(0);
  private pos = new Int32Array(0);
  private n = 0;

  grow(n: number): void {
    this.dense = grown(this.dense, n);
    this.pos = grown(this.pos, n);
  }
  add(slot: number): void {
    this.dense[this.n] = slot;
    this.pos[slot] = this.n++;
  }
  touch(): void {}
  remove(slot: number): void {
    const i = this.pos[slot]!;
    const last = this.dense[--this.n]!;
    this.dense[i] = last;
    this.pos[last] = i;
  }
  victim(u: number): number {
    return this.dense[Math.floor(u * this.n)]!;
  }
  clear(): void {
    this.n = 0;
  }
}

/**
 * Perfect LFU: the victim is the cached entry with the fewest requests so far, the least
 * recently used among equals. Counts are remembered for every key ever seen (4 bytes per
 * key), not only while cached: an in-cache LFU forgets a key's count on eviction, so a
 * popular key that was evicted re-enters at 1 and is evicted again at once ("cache
 * pollution"), and the hit ratio stays well below the static top-C bound that perfect
 * LFU approaches. Counts are never aged, so after a popularity shift yesterday's hot keys
 * linger: a known weakness of LFU. A binary min-heap over cached slots keyed by
 * (count, last use): O(log C) per hit or insert, O(1) to find the victim.
 */
class LfuOrder implements EvictionOrder {
  private heap = new Int32Array(0);
  private pos = new Int32Array(0);
  private count = new Float64Array(0);
  private tick = new Float64Array(0);
  private keyOf = new Float64Array(0);
  private n = 0;
  private clock = 0;
  /** Requests seen per key, including keys no longer cached. */
  private readonly history = new KeyMap();

  grow(n: number): void {
    this.heap = grown(this.heap, n);
    this.pos = grown(this.pos, n);
    const f = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.count = f(this.count);
    this.tick = f(this.tick);
    this.keyOf = f(this.keyOf);
  }

  /** Requests counted for the entry in `slot` (for tests and reports). */
  countOf(slot: number): number {
    return this.count[slot]!;
  }

  add(slot: number, key: number): void {
    this.keyOf[slot] = key;
    this.count[slot] = this.history.get(key) + 2; // -1 (never seen) becomes 1
    this.tick[slot] = ++this.clock;
    this.heap[this.n] = slot;
    this.pos[slot] = this.n++;
    this.up(this.n - 1);
  }

  touch(slot: number): void {
    this.count[slot]!++;
    this.tick[slot] = ++this.clock;
    this.down(this.pos[slot]!);
  }

  remove(slot: number): void {
    this.history.set(this.keyOf[slot]!, Math.min(this.count[slot]!, 2147483646) - 1);
    const i = this.pos[slot]!;
    const last = this.heap[--this.n]!;
    if (last === slot) return;
    this.heap[i] = last;
    this.pos[last] = i;
    this.down(i);
    this.up(this.pos[last]!);
  }

  victim(): number {
    return this.heap[0]!;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) {
      const s = this.heap[i]!;
      this.history.set(this.keyOf[s]!, Math.min(this.count[s]!, 2147483646) - 1);
    }
    this.n = 0;
  }

  private less(a: number, b: number): boolean {
    const ca = this.count[a]!;
    const cb = this.count[b]!;
    return ca < cb || (ca === cb && this.tick[a]! < this.tick[b]!);
  }

  private up(i: number): void {
    const h = this.heap;
    const s = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(s, h[p]!)) break;
      h[i] = h[p]!;
      this.pos[h[i]!] = i;
      i = p;
    }
    h[i] = s;
    this.pos[s] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.n;
    const s = h[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1]!, h[c]!)) c++;
      if (!this.less(h[c]!, s)) break;
      h[i] = h[c]!;
      this.pos[h[i]!] = i;
      i = c;
    }
    h[i] = s;
    this.pos[s] = i;
  }
}
