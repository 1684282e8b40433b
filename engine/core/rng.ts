/**
 * Seeded random streams.
 *
 * One scenario seed is split into independent named streams, one per (component id,
 * purpose): `createStream(seed, "api/service")`. The stream's state is derived from the
 * name with seedrandom's ARC4 key schedule, so adding, removing or reordering components
 * never changes another component's draws (common random numbers for A/B comparisons).
 *
 * The hot generator is sfc32 (Chris Doty-Humphrey's small fast counting RNG, 128-bit
 * state, passes PractRand) held in object fields: V8 boxes doubles kept in closures or
 * module `let`s, so fields are several times faster than a closure-based PRNG.
 */
import seedrandom from 'seedrandom';

const INV_2_32 = 1 / 4294967296;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // sfc32 is recommended to discard its first outputs after seeding.
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** A uniform double in the open interval (0, 1): never 0, so `-log(u)` is finite. */
  next(): number {
    // sfc32, written out so that it inlines into callers
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return ((t >>> 0) + 0.5) * INV_2_32;
  }

  /**
   * A standard exponential draw (mean 1) by the ziggurat method (Marsaglia & Tsang,
   * "The Ziggurat Method for Generating Random Variables", J. Stat. Software 2000),
   * with the layer index and the value taken from disjoint bits of one 32-bit draw
   * (Doornik's fix for the correlation in the original). About 98% of draws cost one
   * integer draw, a table lookup and a multiply; no logarithm.
   */
  exp(): number {
    for (;;) {
      const j = this.u32();
      const i = j & 255;
      const v = j >>> 8; // 24 bits
      if (v < ZK[i]!) return v * ZW[i]!;
      if (i === 0) return ZR - Math.log(this.next());
      const x = v * ZW[i]!;
      if (ZF[i]! + this.next() * (ZF[i - 1]! - ZF[i]!) < Math.exp(-x)) return x;
    }
  }

  /** The internal state, for tests. */
  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }
}

/**
 * The stream named `name` under scenario seed `seed`. Same (seed, name) gives the same
 * sequence anywhere; different names give statistically independent sequences.
 */
export function createStream(seed: number | string, name: string): Rng {
  const key = seedrandom(`archsim\u0000${seed}\u0000${name}`);
  return new Rng(key.int32(), key.int32(), key.int32(), key.int32());
}

/**
 * A derived integer seed: replication `i` of a run seeded `seed`. Uses the same
 * derivation as streams so replications are independent of each other and of `seed`.
 */
export function deriveSeed(seed: number | string, i: number): number {
  const key = seedrandom(`archsim-replication\u0000${seed}\u0000${i}`);
  return (key.int32() >>> 0) % 2147483647;
}

// Ziggurat tables for the exponential: 256 layers of equal area v; ZR is the start of
// the tail. ZK[i] is the 24-bit acceptance threshold of layer i, ZW[i] the scale from a
// 24-bit integer to x, ZF[i] = exp(-x_i).
const ZR = 7.69711747013104972;
const ZV = 3.949659822581572e-3;
const M24 = 16777216;
const ZK = new Uint32Array(256);
const ZW = new Float64Array(256);
const ZF = new Float64Array(256);
(function zigset() {
  let de = ZR;
  let te = de;
  const q = ZV / Math.exp(-de);
  ZK[0] = Math.floor((de / q) * M24);
  ZK[1] = 0;
  ZW[0] = q / M24;
  ZW[255] = de / M24;
  ZF[0] = 1;
  ZF[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZV / de + Math.exp(-de));
    ZK[i + 1] = Math.floor((de / te) * M24);
    te = de;
    ZF[i] = Math.exp(-de);
    ZW[i] = de / M24;
  }
})();
