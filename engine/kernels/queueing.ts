/**
 * Queueing formulas (ground-truth.md §1), for the theory overlay: what theory predicts
 * for a station given its measured arrival rate and its configured service time, shown
 * next to what the simulation measured. Rates are per second, times in seconds.
 */

/** Erlang B blocking probability B(c, A) by the stable recursion. */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: the probability an arrival waits in an M/M/c queue (a = λ/μ < c). */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

export interface StationPrediction {
  /** Which model the numbers come from. */
  model: string;
  /** Busy fraction per worker (carried load when requests are blocked). */
  utilization: number;
  /** Probability an arrival finds every worker busy (waits or is blocked). */
  waitProbability: number;
  /** Mean time waiting for a worker (s), NaN if unstable. */
  queueWait: number;
  /** Mean time in the station: wait + service (s), NaN if unstable. */
  response: number;
  /** Fraction of arrivals turned away (queue full), 0 for an unbounded queue. */
  blocking: number;
  /** True if the offered load exceeds capacity (and the queue is unbounded). */
  unstable: boolean;
}

/**
 * M/M/c/K: c workers, room for K requests in total (K - c waiting), Poisson arrivals λ,
 * exponential service at μ per worker. Exact.
 */
export function mmck(lambda: number, mu: number, c: number, k: number): StationPrediction {
  const a = lambda / mu;
  // p_n ∝ a^n/n! for n <= c, a^c/c! (a/c)^(n-c) beyond. In logs, scaled by the largest
  // term: an overloaded station (a > c) with a long queue has terms like (a/c)^100000,
  // which overflow a running product (NaN everywhere); scaled, they are at most 1 and
  // the negligible ones underflow harmlessly to 0. No array: K may be 100,000.
  const la = Math.log(a);
  const lac = Math.log(a / c);
  let lp = 0;
  let top = 0;
  for (let n = 1; n <= k; n++) {
    lp += n <= c ? la - Math.log(n) : lac;
    if (lp > top) top = lp;
  }
  let total = 0;
  let l = 0;
  let lq = 0;
  let busy = 0;
  let waitP = 0;
  let last = 0;
  lp = 0;
  for (let n = 0; n <= k; n++) {
    if (n > 0) lp += n <= c ? la - Math.log(n) : lac;
    const x = Math.exp(lp - top);
    total += x;
    l += n * x;
    if (n > c) lq += (n - c) * x;
    busy += (n < c ? n : c) * x;
    if (n >= c) waitP += x;
    if (n === k) last = x;
  }
  l /= total;
  lq /= total;
  busy /= total;
  waitP /= total;
  const block = last / total;
  const throughput = lambda * (1 - block);
  return {
    model: `M/M/${c}/${k}`,
    utilization: busy / c,
    waitProbability: waitP,
    queueWait: throughput > 0 ? lq / throughput : 0,
    response: throughput > 0 ? l / throughput : 0,
    blocking: block,
    unstable: false,
  };
}

/**
 * M/G/c with an unbounded queue: Erlang C for the wait probability and the
 * Allen–Cunneen approximation Wq ≈ C(c, a)/(cμ − λ) · (1 + Cs²)/2, exact for M/M/c
 * (Cs² = 1) and for M/G/1 (Pollaczek–Khinchine).
 */
export function mgc(lambda: number, meanService: number, scv: number, c: number): StationPrediction {
  const mu = 1 / meanService;
  const a = lambda * meanService;
  const rho = a / c;
  const model = c === 1 ? (scv === 1 ? 'M/M/1' : 'M/G/1 (Pollaczek–Khinchine)') : scv === 1 ? `M/M/${c} (Erlang C)` : `M/G/${c} (Allen–Cunneen)`;
  if (rho >= 1) {
    return { model, utilization: 1, waitProbability: 1, queueWait: NaN, response: NaN, blocking: 0, unstable: true };
  }
  const pw = erlangC(c, a);
  const wq = (pw / (c * mu - lambda)) * ((1 + scv) / 2);
  return { model, utilization: rho, waitProbability: pw, queueWait: wq, response: wq + meanService, blocking: 0, unstable: false };
}
