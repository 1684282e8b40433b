/**
 * Load-balancing decisions as small functions over the balancer's backend table. Each
 * returns the index of the chosen backend, or -1 when no backend is eligible. They read
 * the table and move only its selection cursors; randomness is passed in as uniforms so
 * the functions are deterministic and testable on their own.
 */

export interface BackendTable {
  n: number;
  /** 1 if the backend may receive traffic (healthy), else 0. */
  healthy: Uint8Array;
  /** Requests outstanding at each backend from this balancer. */
  active: Int32Array;
  /** Positive weights (edge weights). */
  weight: Float64Array;
  /** Round-robin cursor: the next index to consider. */
  cursor: number;
  /** Smooth weighted round robin state (nginx's `current_weight`). */
  current: Float64Array;
}

export function createBackendTable(weights: number[]): BackendTable {
  const n = weights.length;
  return {
    n,
    healthy: new Uint8Array(n).fill(1),
    active: new Int32Array(n),
    weight: Float64Array.from(weights),
    cursor: 0,
    current: new Float64Array(n),
  };
}

/** Round robin over healthy backends, in order, skipping unhealthy ones. */
export function pickRoundRobin(t: BackendTable): number {
  // wrap-around by comparison, not `%`: an integer division costs more than the rest of the pick
  const n = t.n;
  let i = t.cursor;
  for (let k = 0; k < n; k++) {
    if (t.healthy[i]) {
      t.cursor = i + 1 < n ? i + 1 : 0;
      return i;
    }
    if (++i === n) i = 0;
  }
  return -1;
}

/**
 * Smooth weighted round robin, as nginx's upstream module does it: every pick adds each
 * healthy backend's weight to its `current`, takes the largest, and subtracts the total
 * from the winner. Weights 5:1:1 give a a b a c a a (spread out, not a a a a a b c).
 */
export function pickWeightedRoundRobin(t: BackendTable): number {
  let best = -1;
  let total = 0;
  for (let i = 0; i < t.n; i++) {
    if (!t.healthy[i]) continue;
    t.current[i]! += t.weight[i]!;
    total += t.weight[i]!;
    if (best < 0 || t.current[i]! > t.current[best]!) best = i;
  }
  if (best >= 0) t.current[best]! -= total;
  return best;
}

/** A random healthy backend, chosen with probability proportional to its weight; `u` is uniform in (0,1). */
export function pickRandom(t: BackendTable, u: number): number {
  let total = 0;
  for (let i = 0; i < t.n; i++) if (t.healthy[i]) total += t.weight[i]!;
  if (total === 0) return -1;
  let x = u * total;
  let last = -1;
  for (let i = 0; i < t.n; i++) {
    if (!t.healthy[i]) continue;
    last = i;
    x -= t.weight[i]!;
    if (x < 0) return i;
  }
  return last;
}

/**
 * Least connections: the healthy backend with the fewest outstanding requests per unit
 * of weight (nginx `least_conn`). Ties go round robin, starting after the last pick, so
 * an idle cluster is not all sent to the first backend.
 */
export function pickLeastConnections(t: BackendTable): number {
  let best = -1;
  for (let k = 0; k < t.n; k++) {
    const i = (t.cursor + k) % t.n;
    if (!t.healthy[i]) continue;
    // active_i / w_i < active_best / w_best, without division
    if (best < 0 || t.active[i]! * t.weight[best]! < t.active[best]! * t.weight[i]!) best = i;
  }
  if (best >= 0) t.cursor = (best + 1) % t.n;
  return best;
}

/**
 * IP hash: the same client IP always goes to the same backend while it is healthy
 * (sticky sessions). If that backend is unhealthy, the next healthy one in order takes
 * its clients, so only the clients of a failed backend move.
 */
export function pickIpHash(t: BackendTable, ip: number): number {
  const start = hash32(ip) % t.n;
  for (let k = 0; k < t.n; k++) {
    const i = (start + k) % t.n;
    if (t.healthy[i]) return i;
  }
  return -1;
}

/**
 * Power of two choices: two distinct random healthy backends; the one with fewer
 * outstanding requests per unit of weight wins (ties: the first drawn). `u1`, `u2` are
 * uniforms in (0,1).
 */
export function pickPowerOfTwo(t: BackendTable, u1: number, u2: number): number {
  let h = 0;
  for (let i = 0; i < t.n; i++) if (t.healthy[i]) h++;
  if (h === 0) return -1;
  if (h === 1) return nthHealthy(t, 0);
  const a = Math.floor(u1 * h);
  let b = Math.floor(u2 * (h - 1));
  if (b >= a) b++;
  const i = nthHealthy(t, a);
  const j = nthHealthy(t, b);
  return t.active[j]! * t.weight[i]! < t.active[i]! * t.weight[j]! ? j : i;
}

function nthHealthy(t: BackendTable, k: number): number {
  for (let i = 0; i < t.n; i++) {
    if (t.healthy[i]) {
      if (k === 0) return i;
      k--;
    }
  }
  return -1;
}

/** A 32-bit integer hash (murmur3 finaliser), non-negative. */
export function hash32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Active health checking (HAProxy's fall/rise, nginx plus `fails`/`passes`): a backend
 * becomes unhealthy after `fall` consecutive failed probes and healthy again after
 * `rise` consecutive successful ones. Returns the new health (1/0).
 */
export function updateHealth(
  s: { healthy: number; fails: number; passes: number },
  probeOk: boolean,
  fall: number,
  rise: number,
): number {
  if (probeOk) {
    s.fails = 0;
    s.passes++;
    if (!s.healthy && s.passes >= rise) s.healthy = 1;
  } else {
    s.passes = 0;
    s.fails++;
    if (s.healthy && s.fails >= fall) s.healthy = 0;
  }
  return s.healthy;
}
