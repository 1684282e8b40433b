/**
 * Who a request comes from: the blocks of user ids and IP addresses each client draws
 * from, and the IP a replayed trace user gets.
 *
 * Blocks depend on the client's own id, not on its position among the clients, so adding,
 * removing or reordering a client leaves every other client's users and IPs (and so
 * ipHash routing and per-IP or per-user rate-limit keys) unchanged: common random
 * numbers for A/B comparisons. An id is hashed into a large space; two clients whose
 * hashes collide are separated deterministically (`assignBlocks`).
 */
import { hash32 } from './lb.ts';

/** A 32-bit hash of a string (FNV-1a over UTF-16 code units, then the murmur3 finaliser). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

/** A 32-bit hash of a whole number below 2^53 (both halves count). */
export function hashNumber(n: number): number {
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296) >>> 0;
  return fmix(lo ^ Math.imul(fmix(hi ^ 0x9e3779b9), 0x85ebca6b));
}

/** The murmur3 finaliser (the load balancer's hash). */
const fmix = hash32;

/**
 * A distinct block in [0, space) for each id, chosen by the id alone: the first free one
 * of the id's own probe sequence hash("<salt>/<id>#k") mod space, k = 0, 1, 2, ... Ids
 * take their blocks in sorted order, so the result does not depend on the order ids are
 * given in, and adding an id moves another only if it takes a block in that one's probe
 * sequence before its choice (about one chance in `space` per pair). Returns blocks in
 * the order of `ids`.
 */
export function assignBlocks(ids: readonly string[], space: number, salt: string): number[] {
  if (ids.length > space) throw new Error(`internal: ${ids.length} ids for ${space} blocks`);
  const taken = new Set<number>();
  const blockOf = new Map<string, number>();
  for (const id of [...ids].sort()) {
    if (blockOf.has(id)) continue;
    for (let k = 0; ; k++) {
      const b = hashString(`${salt}/${id}#${k}`) % space;
      if (!taken.has(b)) {
        taken.add(b);
        blockOf.set(id, b);
        break;
      }
    }
  }
  return ids.map((id) => blockOf.get(id)!);
}

/** User ids of a client: block b holds ids (b + 1)·2^20 + slot, slot < 2^20. */
export const USER_SLOTS = 1_048_576;
/** 2^27 user blocks: the highest generated id is below 2^47, under interned ids (2^48). */
export const USER_BLOCKS = 134_217_728;

/** First user id of user block `b`. */
export function userBase(b: number): number {
  return (b + 1) * USER_SLOTS;
}

/**
 * IP blocks are /16 networks in 11.0.0.0–126.255.0.0 (116 × 256 = 29,696 of them). 10/8
 * stays free for addresses written in traces, and loopback 127/8 is never generated.
 */
export const IP_BLOCKS = 116 * 256;

/** Address of slot `i` (< 65536) of IP block `b`, as a 32-bit number. */
export function blockIp(b: number, i: number): number {
  return (((11 + Math.floor(b / 256)) << 24) | ((b % 256) << 16) | (i & 0xffff)) >>> 0;
}

/**
 * The IP slot (of `ips`) of a user a replayed trace names without an IP: derived from
 * the user id alone, so one user keeps one address (and its ipHash backend).
 */
export function traceUserIpSlot(user: string | number, ips: number): number {
  return (typeof user === 'number' ? hashNumber(user) : hashString(user)) % ips;
}

/** Parses a dotted-quad IPv4 address (validated: four numbers 0..255). */
export function parseIp(s: string): number {
  const [a, b, c, d] = s.split('.').map(Number);
  return ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
}

/** Four numbers from 0 to 255 (leading zeros allowed, as before: "010.0.0.1"). */
export const IPV4_PATTERN = '^((25[0-5]|2[0-4]\\d|[01]?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|[01]?\\d?\\d)$';
