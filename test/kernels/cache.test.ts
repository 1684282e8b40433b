import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABSENT, CacheStore, EXPIRED } from '../../engine/kernels/cache.ts';
import type { EvictionPolicy } from '../../engine/kernels/eviction.ts';
import { DIRECT_KEYS, KeyMap } from '../../engine/kernels/keyMap.ts';

/** A fixed sequence of uniforms, for RANDOM eviction. */
const uniforms = (xs: number[]) => {
  let i = 0;
  return { next: () => xs[i++ % xs.length]! };
};

const store = (policy: EvictionPolicy, capacity: number, capacityBytes = Infinity, u = uniforms([0.5])) =>
  new CacheStore({ policy, capacity, capacityBytes, trackEvictions: true }, u);

/** Looks keys up at time 0 (missing ones are inserted) and returns the keys cached after. */
function drive(s: CacheStore, keys: number[]): number[] {
  for (const k of keys) if (s.lookup(k, 0) < 0) s.put(k, 0, Infinity, 0);
  return s.cachedKeys().sort((a, b) => a - b);
}

describe('KeyMap', () => {
  it('maps small keys directly and large keys through a Map', () => {
    const m = new KeyMap();
    expect(m.get(5)).toBe(-1);
    m.set(5, 0);
    m.set(DIRECT_KEYS + 7, 3);
    m.set(2 ** 31 + 1, 9);
    expect([m.get(5), m.get(DIRECT_KEYS + 7), m.get(2 ** 31 + 1), m.size]).toEqual([0, 3, 9, 3]);
    expect(m.delete(5)).toBe(true);
    expect(m.delete(5)).toBe(false);
    expect(m.delete(2 ** 31 + 1)).toBe(true);
    const c = m.clone();
    m.set(DIRECT_KEYS + 7, 4);
    expect([c.get(DIRECT_KEYS + 7), c.size, m.get(DIRECT_KEYS + 7)]).toEqual([3, 1, 4]);
  });
});

describe('CacheStore eviction', () => {
  it('lru evicts the least recently used entry', () => {
    // 1 2 3 cached; a hit on 1 makes 2 the oldest use; 4 evicts 2
    expect(drive(store('lru', 3), [1, 2, 3, 1, 4])).toEqual([1, 3, 4]);
  });

  it('fifo evicts the oldest insert even if it was just used', () => {
    expect(drive(store('fifo', 3), [1, 2, 3, 1, 4])).toEqual([2, 3, 4]);
  });

  it('lfu evicts the fewest requests, least recently used among equals, and remembers counts of evicted keys', () => {
    const s = store('lfu', 2);
    // counts: 1:3, 2:1; 3 evicts 2 (count 1)
    expect(drive(s, [1, 1, 1, 2, 3])).toEqual([1, 3]);
    // 2 comes back with count 2 (it was seen once before) and evicts 3 (count 1)
    expect(drive(s, [2])).toEqual([1, 2]);
    // ties: 4 (count 1) then 5 (count 1): 4 is the older use, so 5's insert evicts 4
    expect(drive(s, [4, 5])).toEqual([1, 5]);
  });

  it('random evicts the slot the uniform picks among cached entries', () => {
    // dense order is insertion order [1,2,3]; u = 0.5 picks index 1 -> key 2
    expect(drive(store('random', 3, Infinity, uniforms([0.5])), [1, 2, 3, 4])).toEqual([1, 3, 4]);
    expect(drive(store('random', 3, Infinity, uniforms([0.01])), [1, 2, 3, 4])).toEqual([2, 3, 4]);
  });

  it('reports what each put evicted, and counts evictions', () => {
    const s = store('lru', 2);
    drive(s, [1, 2]);
    s.put(3, 7, Infinity, 0);
    expect([s.evictedKeys, s.evictions, s.size]).toEqual([[1], 1, 2]);
  });
});

describe('CacheStore TTL and sizes', () => {
  it('an entry expires at its expiry time exactly, and the lookup removes it', () => {
    const s = store('lru', 10);
    s.put(1, 4, 100, 0);
    expect(s.lookup(1, 99)).toBeGreaterThanOrEqual(0);
    expect(s.lookup(1, 100)).toBe(EXPIRED);
    expect(s.lookup(1, 100)).toBe(ABSENT);
    expect([s.expirations, s.size]).toEqual([1, 0]);
  });

  it('an expired entry chosen as the victim counts as an expiration, not an eviction', () => {
    const s = store('lru', 2);
    s.put(1, 0, 50, 0);
    s.put(2, 0, Infinity, 10);
    s.put(3, 0, Infinity, 60);
    expect([s.evictedKeys, s.evictions, s.expirations]).toEqual([[1], 0, 1]);
  });

  it('evicts by bytes until the new object fits, and never caches an object larger than the capacity', () => {
    const s = store('lru', 100, 1000);
    s.put(1, 0, Infinity, 0, 400);
    s.put(2, 0, Infinity, 0, 400);
    s.put(3, 0, Infinity, 0, 300); // 1100 > 1000: evict 1
    expect([s.cachedKeys().sort(), s.bytes]).toEqual([[2, 3], 700]);
    s.put(2, 1, Infinity, 0, 800); // 2 grows to 800 + 300 > 1000: 3 must go, 2 itself stays
    expect([s.cachedKeys(), s.bytes]).toEqual([[2], 800]);
    expect(s.put(4, 0, Infinity, 0, 1001)).toBe(-1);
    expect(s.put(2, 2, Infinity, 0, 5000)).toBe(-1); // the old copy of 2 is dropped
    expect([s.size, s.bytes]).toEqual([0, 0]);
  });

  it('clear drops everything and the store keeps working', () => {
    const s = store('lfu', 3);
    drive(s, [1, 2, 3, 1]);
    s.clear();
    expect([s.size, s.cachedKeys()]).toEqual([0, []]);
    expect(drive(s, [4, 5, 6, 7])).toEqual([5, 6, 7]);
  });
});

/**
 * A naive model of each policy over plain arrays: the store must make the same decisions
 * on any sequence of operations (fast-check, seed fixed so a failure reproduces).
 */
class Model {
  entries: Array<{ key: number; version: number; last: number; count: number }> = [];
  counts = new Map<number, number>();
  clock = 0;
  constructor(readonly policy: EvictionPolicy, readonly cap: number, readonly u: () => number) {}
  has(k: number) {
    return this.entries.findIndex((e) => e.key === k);
  }
  lookup(k: number) {
    const i = this.has(k);
    if (i < 0) return false;
    const e = this.entries[i]!;
    if (this.policy === 'lru') {
      this.entries.splice(i, 1);
      this.entries.push(e);
    }
    e.count++;
    e.last = ++this.clock;
    return true;
  }
  put(k: number, v: number) {
    const i = this.has(k);
    if (i >= 0) {
      this.lookup(k);
      this.entries[this.has(k)]!.version = v;
      return;
    }
    if (this.entries.length >= this.cap) {
      let j = 0;
      if (this.policy === 'random') j = Math.floor(this.u() * this.entries.length);
      if (this.policy === 'lfu') {
        for (let x = 1; x < this.entries.length; x++) {
          const a = this.entries[x]!;
          const b = this.entries[j]!;
          if (a.count < b.count || (a.count === b.count && a.last < b.last)) j = x;
        }
      }
      const [gone] = this.policy === 'random' ? this.removeRandom(j) : this.entries.splice(j, 1);
      this.counts.set(gone!.key, gone!.count);
    }
    this.entries.push({ key: k, version: v, last: ++this.clock, count: (this.counts.get(k) ?? 0) + 1 });
  }
  remove(k: number) {
    const i = this.has(k);
    if (i < 0) return;
    const [gone] = this.policy === 'random' ? this.removeRandom(i) : this.entries.splice(i, 1);
    this.counts.set(gone!.key, gone!.count);
  }
  // the store's dense array: swap the last entry into the hole
  removeRandom(i: number) {
    const gone = this.entries[i]!;
    const last = this.entries.pop()!;
    if (last !== gone) this.entries[i] = last;
    return [gone];
  }
}

describe('CacheStore against a naive model (fast-check, seed 4242)', () => {
  const op = fc.oneof(
    fc.record({ t: fc.constant('get' as const), k: fc.integer({ min: 0, max: 12 }) }),
    fc.record({ t: fc.constant('put' as const), k: fc.integer({ min: 0, max: 12 }), v: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ t: fc.constant('del' as const), k: fc.integer({ min: 0, max: 12 }) }),
  );
  for (const policy of ['lru', 'fifo', 'lfu', 'random'] as const) {
    it(`${policy}: same hits, contents and versions after every operation`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 20 }), (cap, ops, us) => {
          const s = store(policy, cap, Infinity, uniforms(us));
          const m = new Model(policy, cap, uniforms(us).next);
          for (const o of ops) {
            if (o.t === 'get') expect(s.lookup(o.k, 0) >= 0).toBe(m.lookup(o.k));
            else if (o.t === 'put') {
              s.put(o.k, o.v, Infinity, 0);
              m.put(o.k, o.v);
            } else {
              s.remove(o.k);
              m.remove(o.k);
            }
            const got = s.cachedKeys().map((k) => [k, s.versions[s.peek(k)]]).sort((a, b) => a[0]! - b[0]!);
            const want = m.entries.map((e) => [e.key, e.version]).sort((a, b) => a[0]! - b[0]!);
            expect(got).toEqual(want);
          }
        }),
        { seed: 4242, numRuns: 300 },
      );
    });
  }
});
