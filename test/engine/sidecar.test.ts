/**
 * The mesh sidecar against Envoy's and Istio's semantics (ground-truth.md §5): outlier
 * ejection times and the max-ejection-percent gotcha, connection-pool overflow decision
 * for decision, retries (amplification, previous hosts, back-off, the max_retries
 * breaker), per-try and route timeouts, and a weighted canary split.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';
import { run, scenario, traceClient } from '../helpers.ts';

type Row = Record<string, any>;

const warnings = (s: Parameters<typeof scenario>[0]) => {
  const r = parseScenario(scenario(s));
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.warnings.map((w) => `${w.path}: ${w.message}`);
};

/** A client → sidecar → hosts h0..h(n-1) (servers with `host(i)`'s parameters). */
function mesh(sidecar: Record<string, unknown>, n: number, host: (i: number) => Record<string, unknown>, client: Record<string, unknown> = {}) {
  const hosts = Array.from({ length: n }, (_, i) => ({ id: `h${i}`, type: 'server', workers: 64, service: '1ms', ...host(i) }));
  return {
    nodes: [{ id: 'c', type: 'client', writeFraction: 0, timeout: 'none', ...client }, { id: 'mesh', type: 'sidecar', latency: 0, ...sidecar }, ...hosts],
    edges: [{ from: 'c', to: 'mesh' }, ...hosts.map((h) => ({ from: 'mesh', to: h.id }))],
  };
}

describe('mesh sidecar', () => {
  it('works as dropped from the palette: spreads requests over its hosts and counts its CPU', () => {
    const t = run({
      nodes: [{ id: 'c', type: 'client' }, { id: 'mesh', type: 'sidecar' }, { id: 'a', type: 'server' }, { id: 'b', type: 'server' }],
      edges: [{ from: 'c', to: 'mesh' }, { from: 'mesh', to: 'a' }, { from: 'mesh', to: 'b' }],
    });
    const n = t.report.nodes as Row;
    expect(n.c.failedTotal).toBe(0);
    expect(n.a.arrivals + n.b.arrivals).toBe(n.c.sent);
    expect(Math.min(n.a.arrivals, n.b.arrivals)).toBeGreaterThan(0.4 * n.c.sent);
    // ~100 requests/s × 0.1 ms each: a hundredth of a core
    expect(n.mesh.vcpu).toBeGreaterThan(0.009);
    expect(n.mesh.vcpu).toBeLessThan(0.011);
    expect(n.mesh.latencyMs.p50).toBeGreaterThan(n.a.latencyMs.p50);
  });

  it('balances by least request: at 80% load on four single-worker hosts, P2C < round robin < random (M/M/1 each: 40 ms)', () => {
    const mean = (lb: string) =>
      (run({ ...mesh({ lb, outlierDetection: { enabled: false } }, 4, () => ({ workers: 1, queue: 1000, service: { dist: 'exponential', mean: '8ms' } }), { arrival: { process: 'poisson', rate: 400 } }), duration: '60s' })
        .report.nodes as Row).c.latencyMs.mean as number;
    const [p2c, rr, random] = ['leastRequest', 'roundRobin', 'random'].map(mean) as [number, number, number];
    expect(p2c).toBeLessThan(0.8 * rr);
    expect(rr).toBeLessThan(0.8 * random);
    expect(random).toBeGreaterThan(30);
    expect(random).toBeLessThan(50);
  });

  it('ejects a failing host at its 5th 5xx in a row for 30 s, then 60 s, then 90 s, each ending on a 10 s tick (20 hosts)', () => {
    const t = run({
      ...mesh({ lb: 'roundRobin' }, 20, (i) => (i === 0 ? { errorRate: 1 } : {}), { arrival: { process: 'constant', rate: 2000 } }),
      duration: '120s',
    });
    const m = (t.report.nodes as Row).mesh;
    const h0 = m.hosts.h0;
    // ejected at ~50 ms, back at the 40 s tick; again at once, back at 110 s (60 s); again at once until the end
    expect(h0.ejections).toBe(3);
    expect(h0.ejected).toBe(true);
    expect(h0.ejectedSeconds).toBeGreaterThan(119.8);
    expect(h0.ejectedSeconds).toBeLessThan(119.9);
    // each ejection took exactly 5 failed requests (500 is not retried by Istio's default)
    expect((t.report.nodes as Row).c.failedTotal).toBe(15);
    expect((t.report.nodes as Row).h0.arrivals).toBe(15);
    expect(m.ejectionsOverflow).toBe(0);
  });

  it('ejects nothing with 5 hosts and the default 10% since Envoy 1.28 (floor), one before it, and warns', () => {
    const s = { ...mesh({}, 5, (i) => (i === 0 ? { errorRate: 1 } : {}), { arrival: { process: 'constant', rate: 500 } }), duration: '5s' };
    const now = (run(s).report.nodes as Row).mesh;
    expect([now.hosts.h0.ejections, now.ejectableHosts]).toEqual([0, 0]);
    expect(now.ejectionsOverflow).toBeGreaterThan(0);
    expect(warnings(s)).toEqual([
      'nodes[1].outlierDetection.maxEjectionPercent: with 5 hosts and maxEjectionPercent 10, Envoy 1.28 and later ejects no host (floor(5 × 10%) = 0); raise it to at least 20 or set alwaysEjectOneHost',
    ]);
    const older = { ...s, nodes: s.nodes.map((n) => (n.id === 'mesh' ? { ...n, outlierDetection: { envoy: 'older' } } : n)) };
    const before = (run(older).report.nodes as Row).mesh;
    expect([before.hosts.h0.ejections, before.ejectableHosts]).toEqual([1, 1]);
    expect(warnings(older)).toEqual([]);
  });

  it('overflows its connection pool decision for decision: 1 connection, 1 pending, 4 requests at once', () => {
    const t = run(
      mesh({ connectionPool: { maxConnections: 1, maxPendingRequests: 1 }, outlierDetection: { enabled: false } }, 1, () => ({ service: '10ms' }), {
        arrival: { process: 'trace', requests: [0, 0, 0, 0].map((at) => ({ at })) },
      }),
      { trace: true },
    );
    // the first takes the connection, the second waits for it, the last two are refused at once
    expect(t.traces.map((r) => [r.status, r.latency / 1000]).sort((a, b) => a[1]! - b[1]!)).toEqual([
      [503, 0],
      [503, 0],
      [200, 10],
      [200, 20],
    ]);
    const m = (t.report.nodes as Row).mesh;
    expect([m.overflow, m.connectionOverflow, m.hosts.h0.connections]).toEqual([2, 3, 1]);
    expect(t.traces.filter((r) => r.status === 503).every((r) => r.reason === 'upstream-overflow')).toBe(true);
  });

  it('refuses past maxRequests, and never retries an overflow', () => {
    const t = run(
      mesh({ connectionPool: { maxRequests: 2 }, retries: { retryOn: ['5xx'], attempts: 3 }, outlierDetection: { enabled: false } }, 2, () => ({ service: '10ms' }), {
        arrival: { process: 'trace', requests: [0, 0, 0].map((at) => ({ at })) },
      }),
      { trace: true },
    );
    expect(t.traces.map((r) => r.status).sort()).toEqual([200, 200, 503]);
    const m = (t.report.nodes as Row).mesh;
    expect([m.overflow, m.retries]).toEqual([1, 0]);
  });

  it('retries refused connections on another host (Istio\'s default): a crashed host costs no request', () => {
    const base = {
      ...mesh({ outlierDetection: { enabled: false } }, 3, () => ({}), { arrival: { process: 'poisson', rate: 300 } }),
      duration: '6s',
      faults: [{ at: '1s', for: '4s', node: 'h1', action: 'crash' }],
    };
    const t = run(base);
    const n = t.report.nodes as Row;
    expect(n.c.failedTotal).toBe(0);
    // every try refused by h1 was retried elsewhere
    expect(n.mesh.retries).toBe(n.h1.failed['503']);
    expect(n.mesh.retries).toBeGreaterThan(200);
    const none = run({ ...base, nodes: base.nodes.map((x) => (x.id === 'mesh' ? { ...x, retries: { attempts: 0 } } : x)) });
    expect((none.report.nodes as Row).c.failedTotal).toBe((none.report.nodes as Row).h1.failed['503']);
  });

  it('amplifies an always-failing host by attempts + 1, and reports the retry limit', () => {
    const t = run({
      ...mesh({ retries: { attempts: 3, retryOn: ['5xx'] }, outlierDetection: { enabled: false } }, 1, () => ({ errorRate: 1 }), {
        arrival: { process: 'trace', requests: Array.from({ length: 100 }, (_, i) => ({ at: i * 20 })) },
      }),
      duration: '4s',
    });
    const n = t.report.nodes as Row;
    expect(n.c.sent).toBe(100);
    expect(n.h0.arrivals).toBe(400);
    expect(n.c.failedTotal).toBe(n.c.sent);
    expect(n.mesh.retries).toBe(3 * n.c.sent);
    expect(n.mesh.retryLimitExceeded).toBe(n.c.sent);
  });

  it("waits Envoy's back-off before a retry: whole ms, uniform below 25 ms (mean 12)", () => {
    const t = run(
      { ...mesh({ retries: { attempts: 1, retryOn: ['500'] }, outlierDetection: { enabled: false } }, 1, () => ({ errorRate: 1, service: 0 }), { arrival: { process: 'constant', rate: 100 } }), duration: '20s' },
      { trace: true },
    );
    const waits = t.traces.map((r) => r.latency / 1000);
    expect(waits.every((w) => Number.isInteger(w) && w >= 0 && w < 25)).toBe(true);
    const mean = waits.reduce((a, b) => a + b, 0) / waits.length;
    // uniform on 0..24: sd 7.2, so 4 standard errors of the mean of 2,000 are 0.65 ms
    expect(Math.abs(mean - 12)).toBeLessThan(4 * (7.21 / Math.sqrt(waits.length)));
  });

  it('holds retries to maxRetries at once: past it the failure is returned as it is', () => {
    const t = run({
      ...mesh({ retries: { attempts: 2, retryOn: ['5xx'] }, connectionPool: { maxRetries: 0 }, outlierDetection: { enabled: false } }, 2, () => ({ errorRate: 1 }), { arrival: { process: 'constant', rate: 50 } }),
      duration: '2s',
    });
    const n = t.report.nodes as Row;
    expect(n.mesh.retries).toBe(0);
    expect(n.mesh.retryOverflow).toBe(n.c.sent);
    expect(n.h0.arrivals + n.h1.arrivals).toBe(n.c.sent);
  });

  it('gives up on a slow try at perTryTimeout and retries it, and on the request at the route timeout', () => {
    const t = run(
      mesh({ timeout: '80ms', retries: { attempts: 5, perTryTimeout: '30ms', retryOn: ['reset'] }, outlierDetection: { enabled: false } }, 2, () => ({ service: '100ms' }), {
        arrival: { process: 'trace', requests: [{ at: 0 }] },
      }),
      { trace: true },
    );
    expect(t.traces.map((r) => [r.status, r.reason, r.latency / 1000])).toEqual([[504, 'route-timeout', 80]]);
    const m = (t.report.nodes as Row).mesh;
    expect(m.routeTimeouts).toBe(1);
    expect(m.perTryTimeouts).toBeGreaterThanOrEqual(2);
    expect(m.retries).toBe(m.perTryTimeouts);
    // the retry went to the other host (previous hosts)
    expect((t.report.nodes as Row).h0.arrivals).toBeGreaterThanOrEqual(1);
    expect((t.report.nodes as Row).h1.arrivals).toBeGreaterThanOrEqual(1);
  });

  it('charges a route timeout to the host that hung, and ejects it', () => {
    const t = run({
      ...mesh({ timeout: '50ms', outlierDetection: { maxEjectionPercent: 50 } }, 2, (i) => (i === 0 ? { service: '1s' } : {}), { arrival: { process: 'constant', rate: 100 } }),
      duration: '5s',
    });
    const m = (t.report.nodes as Row).mesh;
    expect(m.hosts.h0.ejections).toBe(1);
    expect(m.routeTimeouts).toBe(5);
  });

  it("does not retry an upstream proxy's overflow (x-envoy-overloaded)", () => {
    const t = run({
      nodes: [
        traceClient('c', [0, 0]),
        { id: 'outer', type: 'sidecar', latency: 0, retries: { attempts: 3, retryOn: ['5xx'] }, outlierDetection: { enabled: false } },
        { id: 'inner', type: 'sidecar', latency: 0, connectionPool: { maxRequests: 1 }, outlierDetection: { enabled: false } },
        { id: 'h0', type: 'server', service: '10ms' },
      ],
      edges: [{ from: 'c', to: 'outer' }, { from: 'outer', to: 'inner' }, { from: 'inner', to: 'h0' }],
    });
    const n = t.report.nodes as Row;
    expect([n.outer.retries, n.inner.overflow, n.c.failedTotal]).toEqual([0, 1, 1]);
  });

  it('splits a canary 90/10 by edge weight, request by request', () => {
    const s = mesh({ lb: 'random', outlierDetection: { enabled: false } }, 2, () => ({}), { arrival: { process: 'constant', rate: 1000 } });
    s.edges = s.edges.map((e) => (e.from === 'mesh' ? { ...e, weight: e.to === 'h0' ? 90 : 10 } : e));
    const t = run({ ...s, duration: '10s' });
    const n = t.report.nodes as Row;
    expect(n.c.sent).toBeGreaterThanOrEqual(9999);
    // Binomial(10,000, 0.1): 1000 ± 77 at 99%
    expect(Math.abs(n.h1.arrivals - 0.1 * n.c.sent)).toBeLessThan(77);
    expect(n.h0.arrivals + n.h1.arrivals).toBe(n.c.sent);
  });

  it('warns about settings that cannot work', () => {
    const s = mesh({ timeout: '1s', retries: { perTryTimeout: '2s' }, outlierDetection: { maxEjectionPercent: 50 } }, 2, () => ({}));
    s.edges = s.edges.map((e) => (e.to === 'h0' ? { ...e, weight: 3 } : e));
    expect(warnings(s)).toEqual([
      'nodes[1].lb: the host edges have different weights, but leastRequest ignores weights; use random (weighted)',
      'nodes[1].retries.perTryTimeout: the per-try timeout is not shorter than the route timeout, so no retry after a try timeout can finish in time',
    ]);
  });
});
