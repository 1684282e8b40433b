/**
 * Decisions about when cached entries expire and when to refresh them early: the
 * mitigations for cache stampedes that work on time (TTL jitter, probabilistic early
 * refresh). Uniforms are passed in, so the functions are pure.
 */

/**
 * An entry's expiry time: `ttl` µs from `now`, spread uniformly over ±`jitter` × ttl
 * (jitter in [0, 1]; `u` uniform in (0,1)). Entries loaded together then expire at
 * different times instead of all at once. No TTL (null) never expires.
 */
export function expiryTime(now: number, ttl: number | null, jitter: number, u: number): number {
  if (ttl === null) return Infinity;
  if (jitter <= 0) return now + ttl;
  return now + Math.round(ttl * (1 + jitter * (2 * u - 1)));
}

/**
 * Probabilistic early refresh ("XFetch": Vattani, Chierichetti & Lowenstein, "Optimal
 * Probabilistic Cache Stampede Prevention", VLDB 2015): a hit at `now` refreshes the
 * entry early when now − cost·beta·ln(u) ≥ expiresAt, where `cost` is the time its last
 * load took (µs) and `u` is uniform in (0,1). The closer the expiry and the costlier the
 * load, the likelier; with many readers one of them refreshes shortly before expiry and
 * the others keep hitting. beta > 1 refreshes earlier, < 1 later.
 */
export function shouldRefreshEarly(now: number, expiresAt: number, cost: number, beta: number, u: number): boolean {
  if (expiresAt === Infinity || cost <= 0) return false;
  return now - cost * beta * Math.log(u) >= expiresAt;
}
