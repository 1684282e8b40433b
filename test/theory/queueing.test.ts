/**
 * Queueing theory checks (ground-truth.md §1 and §3.3). Each case runs R independent
 * replications with a 10% warm-up and asserts that the theoretical value lies in the
 * 99.9% confidence interval of the replication means, and that the interval is narrow
 * (so a biased engine would fail). Utilisations are kept at or below 0.8 where means are
 * asserted (§1.8: higher loads need ~10^7 arrivals for a tight interval). Where the
 * reference is itself a Monte Carlo estimate (JSQ and P2C at N = 10), its standard error
 * is included in the tolerance too (expectReference).
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../engine/index.ts';
import { estimate, expectReference, expectTheory, replicate, t9995 } from './stats.ts';

interface Queue {
  lambda: number;
  workers: number;
  queue?: number;
  service: unknown;
  arrivals: number;
}

function mmc(q: Queue): Record<string, unknown> {
  const duration = q.arrivals / q.lambda;
  return {
    version: 1,
    name: 'theory',
    duration: `${duration}s`,
    warmup: `${duration / 10}s`,
    window: `${Math.max(1, Math.ceil(duration / 100))}s`,
    nodes: [
      { id: 'c', type: 'client', arrival: { process: 'poisson', rate: q.lambda }, timeout: 'none', writeFraction: 0 },
      { id: 's', type: 'server', workers: q.workers, queue: q.queue ?? 10_000_000, service: q.service },
    ],
    edges: [{ from: 'c', to: 's' }],
  };
}

const e2e = (rs: Report[], f: (r: Report) => number) => estimate(rs.map(f));
const R = 10;

describe('single-station queues against theory', () => {
  it('M/M/1 at ρ = 0.8: mean response 50 ms, median 34.66 ms, p99 230.26 ms (response ~ Exp(μ−λ))', () => {
    const rs = replicate(mmc({ lambda: 80, workers: 1, service: { dist: 'exponential', mean: '10ms' }, arrivals: 400_000 }), R);
    expectTheory('M/M/1 W', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 50, 0.03);
    expectTheory('M/M/1 p50', e2e(rs, (r) => r.endToEnd.latencyMs.p50), 34.6574, 0.04);
    expectTheory('M/M/1 p99', e2e(rs, (r) => r.endToEnd.latencyMs.p99), 230.2585, 0.05);
    // Little: L = λW = 4; utilisation law: ρ = 0.8
    expectTheory('M/M/1 L', e2e(rs, (r) => r.nodes.s!.inNode.mean), 4, 0.04);
    expectTheory('M/M/1 utilisation', e2e(rs, (r) => r.nodes.s!.utilization!), 0.8, 0.01);
  });

  it('M/M/4 at ρ = 0.8 (Erlang C): P(wait) 0.5964, Wq 7.455 ms, W 17.455 ms, p99 68.93 ms', () => {
    const rs = replicate(mmc({ lambda: 320, workers: 4, service: { dist: 'exponential', mean: '10ms' }, arrivals: 600_000 }), R);
    expectTheory('M/M/4 P(wait)', e2e(rs, (r) => r.nodes.s!.waitedFraction as number), 0.5964, 0.02);
    expectTheory('M/M/4 Wq', e2e(rs, (r) => r.nodes.s!.queueWaitMs as number), 7.4554, 0.05);
    expectTheory('M/M/4 W', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 17.4554, 0.03);
    expectTheory('M/M/4 p99', e2e(rs, (r) => r.endToEnd.latencyMs.p99), 68.932, 0.05);
  });

  it('M/D/1 at ρ = 0.8 (Pollaczek–Khinchine, half the M/M/1 wait): Wq 20 ms, W 30 ms, T p99 113.56 ms', () => {
    const rs = replicate(mmc({ lambda: 80, workers: 1, service: '10ms', arrivals: 250_000 }), R);
    expectTheory('M/D/1 W', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 30, 0.03);
    expectTheory('M/D/1 Wq', e2e(rs, (r) => r.nodes.s!.queueWaitMs as number), 20, 0.04);
    expectTheory('M/D/1 p99', e2e(rs, (r) => r.endToEnd.latencyMs.p99), 113.5589, 0.05);
  });

  it('M/G/1 with Erlang-2 service (C² = 0.5) at ρ = 0.8: Wq 30 ms, W 40 ms', () => {
    const rs = replicate(mmc({ lambda: 80, workers: 1, service: { dist: 'erlang', k: 2, mean: '10ms' }, arrivals: 250_000 }), R);
    expectTheory('M/E2/1 W', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 40, 0.03);
    expectTheory('M/E2/1 Wq', e2e(rs, (r) => r.nodes.s!.queueWaitMs as number), 30, 0.04);
  });

  it('M/G/1 with hyperexponential service (C² = 4) at ρ = 0.5: Wq 25 ms, W 35 ms', () => {
    // balanced-means H2: p = (1 + sqrt(3/5)) / 2, phase means 10/(2p) and 10/(2(1-p)) ms
    const p = (1 + Math.sqrt(3 / 5)) / 2;
    const service = {
      dist: 'mixture',
      of: [
        { weight: p, dist: 'exponential', mean: 10 / (2 * p) },
        { weight: 1 - p, dist: 'exponential', mean: 10 / (2 * (1 - p)) },
      ],
    };
    const rs = replicate(mmc({ lambda: 50, workers: 1, service, arrivals: 400_000 }), R);
    expectTheory('M/H2/1 W', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 35, 0.04);
    expectTheory('M/H2/1 Wq', e2e(rs, (r) => r.nodes.s!.queueWaitMs as number), 25, 0.06);
  });
});

describe('loss systems against theory', () => {
  it('M/M/10/10 (Erlang B, queue 0) at A = 8 erlangs blocks 12.166% of requests', () => {
    const rs = replicate(mmc({ lambda: 800, workers: 10, queue: 0, service: { dist: 'exponential', mean: '10ms' }, arrivals: 400_000 }), R);
    expectTheory('Erlang B', e2e(rs, (r) => (r.endToEnd.failed['503'] ?? 0) / r.endToEnd.sent), 0.121661, 0.02);
  });

  it('Erlang B is insensitive to the service distribution: deterministic and lognormal give 12.166% too', () => {
    for (const service of ['10ms', { dist: 'lognormal', mean: '10ms', p99: '60ms' }]) {
      const rs = replicate(mmc({ lambda: 800, workers: 10, queue: 0, service, arrivals: 400_000 }), R);
      expectTheory(`Erlang B (${JSON.stringify(service)})`, e2e(rs, (r) => (r.endToEnd.failed['503'] ?? 0) / r.endToEnd.sent), 0.121661, 0.02);
    }
  });

  it('M/M/1/10 (queue 9) at λ = 150, μ = 100: blocks 33.72%, throughput 99.415/s, W 81.76 ms', () => {
    const rs = replicate(mmc({ lambda: 150, workers: 1, queue: 9, service: { dist: 'exponential', mean: '10ms' }, arrivals: 300_000 }), R);
    expectTheory('M/M/1/K block', e2e(rs, (r) => (r.endToEnd.failed['503'] ?? 0) / r.endToEnd.sent), 0.337232, 0.01);
    expectTheory('M/M/1/K throughput', e2e(rs, (r) => r.endToEnd.throughputPerSec), 99.4152, 0.01);
    expectTheory('M/M/1/K W', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 81.7648, 0.02);
  });
});

describe('networks against theory', () => {
  it('a tandem of three M/M/1 stations (μ = 100, 150, 200 at λ = 80): E[T] 72.62 ms, p50 59.11 ms, p99 256.20 ms (Jackson, Reich)', () => {
    const duration = 250_000 / 80;
    const raw = {
      version: 1,
      name: 'tandem',
      duration: `${duration}s`,
      warmup: `${duration / 10}s`,
      window: '30s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 80 }, timeout: 'none', writeFraction: 0 },
        { id: 's1', type: 'server', workers: 1, queue: 10_000_000, service: { dist: 'exponential', mean: '10ms' } },
        { id: 's2', type: 'server', workers: 1, queue: 10_000_000, service: { dist: 'exponential', mean: 1000 / 150 } },
        { id: 's3', type: 'server', workers: 1, queue: 10_000_000, service: { dist: 'exponential', mean: '5ms' } },
      ],
      edges: [{ from: 'c', to: 's1' }, { from: 's1', to: 's2' }, { from: 's2', to: 's3' }],
    };
    const rs = replicate(raw, R);
    expectTheory('tandem E[T]', e2e(rs, (r) => r.endToEnd.latencyMs.mean), 72.619, 0.03);
    expectTheory('tandem p50', e2e(rs, (r) => r.endToEnd.latencyMs.p50), 59.1106, 0.04);
    expectTheory('tandem p99', e2e(rs, (r) => r.endToEnd.latencyMs.p99), 256.1981, 0.05);
    // each station on its own is an M/M/1 (Burke): s2's queueing delay is ρ/(μ−λ) = (80/150)/70 s = 7.619 ms.
    // (A node's latency includes its downstream calls: s2's is its own 14.29 ms plus s3's 8.33 ms.)
    expectTheory('tandem station 2 Wq', estimate(rs.map((r) => r.nodes.s2!.queueWaitMs as number)), 7.619, 0.04);
    expectTheory('tandem station 2 latency incl. s3', estimate(rs.map((r) => r.nodes.s2!.latencyMs.mean)), 14.2857 + 8.3333, 0.03);
  });
});

describe('load-balancing policies against theory (10 servers, exp 10 ms, ρ = 0.8)', () => {
  const lb = (policy: string) => {
    const duration = 400_000 / 800;
    return {
      version: 1,
      name: policy,
      duration: `${duration}s`,
      warmup: `${duration / 10}s`,
      window: '5s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 800 }, timeout: 'none', writeFraction: 0 },
        { id: 'lb', type: 'loadBalancer', policy, healthCheck: { enabled: false } },
        ...Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, type: 'server', workers: 1, queue: 10_000_000, service: { dist: 'exponential', mean: '10ms' } })),
      ],
      edges: [{ from: 'c', to: 'lb' }, ...Array.from({ length: 10 }, (_, i) => ({ from: 'lb', to: `s${i}` }))],
    };
  };
  const W = (policy: string) => estimate(replicate(lb(policy), R).map((r) => r.endToEnd.latencyMs.mean));

  it('random splitting makes each server M/M/1: W = 50 ms; round robin makes each E10/M/1: W = 29.22 ms', () => {
    expectTheory('random W', W('random'), 50, 0.04);
    expectTheory('round robin W', W('roundRobin'), 29.223, 0.03);
  });

  it('least connections (join the shortest queue) < power of two < round robin < random, as in the supermarket model', () => {
    const lc = W('leastConnections');
    const p2c = W('powerOfTwo');
    const rr = W('roundRobin');
    const rnd = W('random');
    // JSQ and P2C have no closed form at N = 10, so their references are Monte Carlo runs of
    // refs.py's independent simulator (lb_sim: N = 10, ρ = 0.8, 400k arrivals, 10% warm-up),
    // and those have sampling error of their own. Ground-truth §3.3 prints one run (seed 1080:
    // JSQ 13.53, P2C 20.85 ms); on its own that run is off by up to its per-run standard
    // deviation (0.085 ms JSQ, 0.171 ms P2C), larger than the engine's own 99.9% half-width, so
    // a tolerance from the engine's interval alone would be wrong, and a fixed ±3% arbitrary.
    // The references below are the mean of 20 such runs (seeds 1080 and 2000–2018) with their
    // standard error (per-run SD / √20), reproducible in ../shared/reference with
    //   python3 -c "import refs, statistics as s
    //   for p in ('jsq', 'p2c'):
    //       w = [refs.lb_sim(p, 10, 0.8, 400_000, seed=k)[0] for k in [1080, *range(2000, 2019)]]
    //       print(p, s.mean(w), s.stdev(w))"
    // giving JSQ 1.354381 (SD 0.008446) and P2C 2.076968 (SD 0.017091) mean service times (10 ms).
    // expectReference allows for both errors: t(99.9%, Welch df) · √(se_engine² + se_ref²).
    const JSQ = { mean: 13.5438, se: 0.0845 / Math.sqrt(20), df: 19 };
    const P2C = { mean: 20.7697, se: 0.1709 / Math.sqrt(20), df: 19 };
    expectReference('least connections W vs JSQ (Monte Carlo reference)', lc, JSQ, 0.02);
    expectReference('power of two W vs P2C (Monte Carlo reference)', p2c, P2C, 0.02);
    // the single published runs agree with these references within their own per-run spread
    // (as a prediction interval: √(1 + 1/20) per-run SDs)
    for (const [published, ref, sd] of [[13.53, JSQ, 0.0845], [20.85, P2C, 0.1709]] as const) {
      expect(Math.abs(published - ref.mean)).toBeLessThan(t9995(19) * sd * Math.sqrt(1 + 1 / 20));
    }
    for (const [a, b] of [[lc, p2c], [p2c, rr], [rr, rnd]] as const) {
      if (!(a.mean + a.halfWidth < b.mean - b.halfWidth)) throw new Error(`ordering violated: ${a.mean} vs ${b.mean}`);
    }
    // P2C at N = 10 is worse than the N → ∞ mean-field value (19.47 ms), beyond its 99.9% interval
    if (!(p2c.mean - p2c.halfWidth > 19.474)) throw new Error(`P2C ${p2c.mean} ± ${p2c.halfWidth} should exceed the mean-field 19.47 ms`);
  });
});
