/**
 * Who a request comes from: the IP a replayed trace user gets, and IPv4 parsing.
 */

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

function fmix(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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
