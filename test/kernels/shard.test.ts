/**
 * Shard placement kernels: jump hash against third-party golden values and a BigInt
 * reference, the moved fractions of mod-N, ring and jump hashing on N → N+1
 * (ground-truth.md §3.5), and the load spread of a ring with V virtual nodes against the
 * exact Beta(V, (N−1)V) share of uniformly random points.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashId, HashRing, hashString, jumpHash, jumpKey, modShard, rangeShard } from '../../engine/kernels/shard.ts';

const U64 = (1n << 64n) - 1n;

/** The paper's C++ in BigInt: the reference the 32-bit emulation must equal. */
function jumpBig(key: bigint, n: number): number {
  let b = -1n;
  let j = 0n;
  while (j < BigInt(n)) {
    b = j;
    key = (key * 2862933555777941757n + 1n) & U64;
    j = BigInt(Math.floor(Number(b + 1n) * (2147483648 / (Number(key >> 33n) + 1))));
  }
  return Number(b);
}

const jump64 = (key: bigint, n: number) => jumpHash(Number(key >> 32n), Number(key & 0xffffffffn), n);

describe('jump consistent hash', () => {
  it('gives the golden values other implementations agree on (Guava, go-jump)', () => {
    const golden100 = [0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83];
    expect(golden100.map((_, i) => jump64(BigInt(i), 100))).toEqual(golden100);
    expect(jump64(10863919174838991n, 11)).toBe(6);
    expect(jump64(2016238256797177309n, 11)).toBe(3);
    expect(jump64(1673758223894951030n, 11)).toBe(5);
    expect(jump64(2n, 100001)).toBe(80343);
    expect(jump64(2201n, 100001)).toBe(22152);
    expect(jump64(2202n, 100001)).toBe(15018);
    const byBuckets = (key: bigint) => Array.from({ length: 19 }, (_, i) => jump64(key, i + 1));
    expect(byBuckets(1n)).toEqual([0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]);
    expect(byBuckets(0xdeadbeefn)).toEqual([0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16]);
    expect(byBuckets(0x0ddc0ffeebadf00dn)).toEqual([0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15]);
    // and refs.py's
    expect(jump64((1n << 63n) - 1n, 1000)).toBe(972);
    expect(jump64(12345n, 100)).toBe(29);
  });

  it('equals the 64-bit reference for any key and bucket count', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64 }), fc.integer({ min: 1, max: 5000 }), (key, n) => jump64(key, n) === jumpBig(key, n)),
      { numRuns: 3000 },
    );
  });

  it('moves a key only to the new bucket when one is added (monotone)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64 }), fc.integer({ min: 1, max: 300 }), (key, n) => {
        const a = jump64(key, n);
        const b = jump64(key, n + 1);
        return b === a || b === n;
      }),
      { numRuns: 3000 },
    );
  });

  it("moves 9,074 of refs.py's 100,000 keys from 10 to 11 buckets (expected 9,091)", () => {
    let moved = 0;
    for (let k = 0n; k < 100000n; k++) {
      const key = (k * 0x9e3779b97f4a7c15n) & U64;
      if (jump64(key, 10) !== jump64(key, 11)) moved++;
    }
    expect(moved).toBe(9074);
  });
});

describe('hash mod N, ring and jump: ids moved when a shard is added', () => {
  const ids = Array.from({ length: 100000 }, (_, i) => i);
  /** The fraction of `ids` whose shard differs between two placements. */
  const moved = (a: (id: number) => number, b: (id: number) => number) => ids.filter((id) => a(id) !== b(id)).length / ids.length;
  /** Binomial standard error of a fraction p over the ids. */
  const se = (p: number) => Math.sqrt((p * (1 - p)) / ids.length);

  it('hash mod N moves N/(N+1) of them', () => {
    for (const n of [3, 5, 10]) {
      const p = n / (n + 1);
      const got = moved((id) => modShard(hashId(id), n), (id) => modShard(hashId(id), n + 1));
      expect(Math.abs(got - p)).toBeLessThan(4 * se(p));
    }
  });

  it('jump hash moves 1/(N+1), all of them to the new shard', () => {
    for (const n of [3, 5, 10]) {
      const p = 1 / (n + 1);
      const at = (m: number) => (id: number) => jumpHash(...jumpKey(id), m);
      expect(Math.abs(moved(at(n), at(n + 1)) - p)).toBeLessThan(4 * se(p));
      expect(ids.every((id) => at(n + 1)(id) === at(n)(id) || at(n + 1)(id) === n)).toBe(true);
    }
  });

  it("a ring moves exactly the ids in the new shard's arcs, and nothing else", () => {
    const names = ['db-1', 'db-2', 'db-3', 'db-4'];
    const before = new HashRing(names, [0, 1, 2], 100);
    const after = new HashRing(names, [0, 1, 2, 3], 100);
    const share = after.ownership(4)[3]!;
    let movedIds = 0;
    for (const id of ids) {
      const h = hashId(id);
      const a = before.lookup(h);
      const b = after.lookup(h);
      if (a !== b) {
        expect(b).toBe(3);
        movedIds++;
      }
    }
    // the ids that moved are the new shard's: its arcs' share of the hash space, within sampling error
    expect(Math.abs(movedIds / ids.length - share)).toBeLessThan(4 * se(share));
  });
});

describe('consistent-hash ring', () => {
  it('finds the first point at or after a hash, wrapping past the top', () => {
    const ring = new HashRing(['a', 'b'], [0, 1], 3);
    const pts = Array.from(ring.points);
    expect(pts).toEqual([...pts].sort((x, y) => x - y));
    for (let i = 0; i < pts.length; i++) {
      expect(ring.lookup(pts[i]!)).toBe(ring.owners[i]);
      if (pts[i]! > 0) expect(ring.lookup(pts[i]! - 1)).toBe(ring.owners[i]);
    }
    expect(ring.lookup(pts.at(-1)! + 1)).toBe(ring.owners[0]);
    expect(new HashRing(['a'], [], 10).lookup(5)).toBe(-1);
    const own = ring.ownership(2);
    expect(own[0]! + own[1]!).toBeCloseTo(1, 12);
  });

  it("places a shard's points by its name alone, whatever else is on the ring", () => {
    const a = new HashRing(['x', 'y', 'z'], [0, 2], 50);
    const b = new HashRing(['x', 'y', 'z'], [2, 0, 1], 50);
    const pointsOf = (r: HashRing, s: number) => Array.from(r.points).filter((_, i) => r.owners[i] === s);
    expect(pointsOf(b, 0)).toEqual(pointsOf(a, 0));
    expect(pointsOf(b, 2)).toEqual(pointsOf(a, 2));
  });

  // A shard's share of a ring of N·V uniformly random points is Beta(V, (N−1)V), so the
  // mean over shards of (N·share − 1)² has expectation (N−1)/(NV+1) = CV² exactly
  // (ground-truth.md §3.5). Over many sets of shard names, our string-hashed points must
  // give that mean within its standard error: a hash that placed a shard's points in
  // clumps would spread the shares wider.
  it.each([
    [10, 1],
    [10, 10],
    [10, 100],
    [4, 100],
  ])('spreads %i shards with %i virtual nodes as uniformly random points would', (n, v) => {
    const trials = v >= 100 ? 300 : 1500;
    const xs: number[] = [];
    let maxOverMean = 0;
    for (let t = 0; t < trials; t++) {
      const names = Array.from({ length: n }, (_, i) => `set${t}-shard-${i + 1}`);
      const own = new HashRing(names, names.map((_, i) => i), v).ownership(n);
      xs.push(own.reduce((s, x) => s + (n * x - 1) ** 2, 0) / n);
      maxOverMean += (n * Math.max(...own)) / trials;
    }
    const mean = xs.reduce((a, b) => a + b, 0) / trials;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (trials - 1));
    const cv2 = (n - 1) / (n * v + 1);
    expect(Math.abs(mean - cv2)).toBeLessThan(4 * (sd / Math.sqrt(trials)));
    // with one point per shard the largest share is H_N/N in expectation
    if (v === 1) expect(maxOverMean).toBeCloseTo(2.929, 0);
  });
});

describe('hashes and ranges', () => {
  it('hashString separates strings that differ in one character', () => {
    const hs = new Set<number>();
    for (let s = 1; s <= 50; s++) for (let v = 0; v < 200; v++) hs.add(hashString(`db-${s}#${v}`));
    expect(hs.size).toBe(50 * 200);
  });

  it('hashId spreads consecutive ids evenly over 16 buckets (chi-square)', () => {
    const counts = new Array<number>(16).fill(0);
    const n = 160000;
    for (let id = 0; id < n; id++) counts[hashId(id) & 15]!++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 16) ** 2 / (n / 16), 0);
    // 15 degrees of freedom: P(chi2 > 37.7) = 0.001
    expect(chi2).toBeLessThan(37.7);
    // and ids past 2^32 differ from their low halves
    expect(hashId(2 ** 32 + 5)).not.toBe(hashId(5));
  });

  it('rangeShard puts consecutive ids together and the rest on the last shard', () => {
    expect([0, 2499, 2500, 4999, 5000, 7499, 7500, 1e9].map((id) => rangeShard(id, 2500, 3))).toEqual([0, 0, 1, 1, 2, 2, 2, 2]);
  });
});
