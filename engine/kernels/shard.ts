/**
 * Shard placement: which shard holds an id (a request's key or user). Pure functions over
 * integer ids and shard counts, deterministic (no random draws: the same id always goes
 * to the same shard, which is the point of sharding), each testable on its own.
 *
 * - `modShard`: hash(id) mod N. Even, but changing N moves almost every id: N/(N+1) of
 *   them when a shard is added.
 * - `HashRing`: consistent hashing (Karger et al. 1997) with virtual nodes, as ketama and
 *   Cassandra place them: each shard owns V points on a 32-bit ring, named after the shard,
 *   so adding a shard takes over only the arcs in front of its own points (1/(N+1) of the
 *   ids in expectation) and leaves every other id where it was.
 * - `jumpHash`: Lamping & Veach's jump consistent hash (2014): no table, perfectly even in
 *   expectation, moves 1/(N+1) on N → N+1; shards can only be added or removed at the end.
 * - `rangeShard`: contiguous ranges of ids (ids 0..size-1 on shard 0, and so on): range
 *   scans stay on one shard, but skewed ids make a hot shard.
 */

import { hashNumber, hashString } from './identity.ts';
import { hash32 } from './lb.ts';

/**
 * The 32-bit hash that places an id (a key, a user, a client): the same mix of both
 * halves of a number below 2^53 that assigns user and IP blocks. Ring points are placed
 * by `hashString` of "<shard>#<i>".
 */
export { hashNumber as hashId, hashString };

const TWO32 = 4294967296;

/** hash(id) mod n. */
export function modShard(h: number, n: number): number {
  return h % n;
}

/**
 * Range sharding: ids [0, size) on shard 0, [size, 2·size) on shard 1, ...; ids past the
 * last range stay on the last shard.
 */
export function rangeShard(id: number, size: number, n: number): number {
  const s = Math.floor(id / size);
  return s < n ? s : n - 1;
}

// jump hash's 64-bit multiplier 2862933555777941757 (0x27bb2ee687b0b0fd): its low 32 bits,
// their 16-bit limbs, and its high 32 bits
const M_LO = 0x87b0b0fd;
const M0 = 0xb0fd;
const M1 = 0x87b0;
const M_HI = 0x27bb2ee6;

/**
 * Jump consistent hash of the 64-bit key (hi, lo) (unsigned 32-bit halves) into
 * [0, n), exactly as the paper's C++ (64-bit unsigned arithmetic, emulated here on
 * 32-bit halves so no BigInt is used per request).
 */
export function jumpHash(hi: number, lo: number, n: number): number {
  let b = -1;
  let j = 0;
  let kh = hi >>> 0;
  let kl = lo >>> 0;
  while (j < n) {
    b = j;
    // key = key * M + 1 (mod 2^64): the low 32×32 product in 16-bit limbs, exact in doubles
    const a0 = kl & 0xffff;
    const a1 = kl >>> 16;
    const p00 = a0 * M0;
    const mid = a0 * M1 + a1 * M0;
    const p11 = a1 * M1;
    const low = p00 + (mid % 65536) * 65536;
    const carry = Math.floor(low / TWO32);
    const rl = low - carry * TWO32;
    const rh = (p11 + Math.floor(mid / 65536) + carry + Math.imul(kh, M_LO) + Math.imul(kl, M_HI)) >>> 0;
    if (rl === TWO32 - 1) {
      kl = 0;
      kh = (rh + 1) >>> 0;
    } else {
      kl = rl + 1;
      kh = rh;
    }
    // j = (b + 1) * (2^31 / ((key >> 33) + 1)), in doubles as the paper does
    j = Math.floor((b + 1) * (2147483648 / ((kh >>> 1) + 1)));
  }
  return b;
}

/** The 64-bit key jump hash gets for an id: two independent 32-bit mixes of it. */
export function jumpKey(id: number): [hi: number, lo: number] {
  const h = hashNumber(id);
  return [hash32(h ^ 0x2545f491), h];
}

/**
 * A consistent-hash ring: `vnodes` points per shard, at hashString("<name>#<i>"), so a
 * shard's points depend only on its own name and a shard added later finds the others
 * where they were. `lookup(h)` is the shard owning the first point at or after h
 * (clockwise), wrapping past the top.
 */
export class HashRing {
  /** Point positions, ascending. */
  readonly points: Uint32Array;
  /** Shard index of each point. */
  readonly owners: Int32Array;

  /** `shards`: indices (into `names`) of the shards on the ring. */
  constructor(names: readonly string[], shards: readonly number[], readonly vnodes: number) {
    const pts: Array<[number, number]> = [];
    for (const s of shards) for (let v = 0; v < vnodes; v++) pts.push([hashString(`${names[s]}#${v}`), s]);
    // ties (two points at one position) go to the lower shard index, whatever the order of `shards`
    pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.points = Uint32Array.from(pts, (p) => p[0]);
    this.owners = Int32Array.from(pts, (p) => p[1]);
  }

  /** The shard that owns hash `h`, or -1 for an empty ring. */
  lookup(h: number): number {
    const p = this.points;
    const n = p.length;
    if (n === 0) return -1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (p[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === n ? 0 : lo]!;
  }

  /** The fraction of the hash space each shard owns (by index, 0 for shards off the ring). */
  ownership(shardCount: number): number[] {
    const own = new Array<number>(shardCount).fill(0);
    const p = this.points;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      // point i owns the arc (previous point, point i]
      const prev = i === 0 ? p[n - 1]! - TWO32 : p[i - 1]!;
      own[this.owners[i]!]! += (p[i]! - prev) / TWO32;
    }
    return own;
  }
}
