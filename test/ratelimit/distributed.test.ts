/** Distributed rate limiting: N limiters behind a balancer, local state or a shared counter store. */
import { describe, expect, it } from 'vitest';
import { constServer, run, traceClient, type TestRun } from '../helpers.ts';

const rep = (t: TestRun, id: string) => t.report.nodes[id] as unknown as Record<string, any>;
const sent = (t: TestRun) => [...t.traces].sort((a, b) => a.id - b.id);

/** A client at 100 r/s → LB → N global token-bucket limiters (10 r/s, capacity 10) → one server; optionally a shared store. */
function cluster(n: number, store: Record<string, unknown> | null, extra: { faults?: Array<Record<string, unknown>>; storeEdge?: Record<string, unknown>; limiter?: Record<string, unknown> } = {}) {
  const ids = Array.from({ length: n }, (_, i) => `rl${i}`);
  return {
    duration: '10s',
    nodes: [
      { id: 'c', type: 'client', arrival: { process: 'constant', rate: 100 } },
      { id: 'lb', type: 'loadBalancer', healthCheck: { enabled: false } },
      ...ids.map((id) => ({ id, type: 'rateLimiter', key: 'global', algorithm: { type: 'tokenBucket', rate: 10, capacity: 10 }, ...extra.limiter })),
      constServer('s', 1, { workers: 100 }),
      ...(store ? [{ id: 'store', type: 'counterStore', ...store }] : []),
    ],
    edges: [
      { from: 'c', to: 'lb' },
      ...ids.map((id) => ({ from: 'lb', to: id })),
      ...ids.map((id) => ({ from: id, to: 's' })),
      ...(store ? ids.map((id) => ({ from: id, to: 'store', ...extra.storeEdge })) : []),
    ],
    faults: extra.faults ?? [],
  };
}

describe('distributed rate limiting', () => {
  it('with local state, N limiters admit N× the intended rate; a shared store admits the intended rate', () => {
    const local = run(cluster(4, null));
    const shared = run(cluster(4, { service: '50us' }));
    // intended: 10 at once + 10/s over the ~10 s run ≈ 110; locally each instance admits that
    const ok = (t: TestRun) => t.report.nodes.s!.arrivals;
    expect(ok(shared)).toBeGreaterThanOrEqual(108);
    expect(ok(shared)).toBeLessThanOrEqual(110);
    expect(ok(local)).toBeGreaterThanOrEqual(4 * 108);
    expect(ok(local)).toBeLessThanOrEqual(4 * 110);
  });

  it('every decision pays the round trip to the store', () => {
    const t = run(cluster(2, { service: '100us' }, { storeEdge: { latency: '1ms' } }), { trace: true });
    const ok = t.traces.filter((r) => r.status === 200);
    // 1 ms there, 0.1 ms in the store, 1 ms back, then 1 ms of service
    expect(ok.every((r) => r.latency === 3100)).toBe(true);
    expect(rep(t, 'rl0').decisionMs.p50).toBeCloseTo(2.1, 1);
  });

  it('fails open (admit everything) or closed (reject everything) while the store is down', () => {
    const faults = [{ at: '5s', for: '2s', node: 'store', action: 'crash' }];
    const open = run(cluster(2, {}, { faults }));
    const closed = run(cluster(2, {}, { faults, limiter: { store: { failMode: 'closed' } } }));
    const failedOpen = rep(open, 'rl0').store.failedOpen + rep(open, 'rl1').store.failedOpen;
    expect(failedOpen).toBe(200); // 2 s at 100 r/s
    expect(closed.report.endToEnd.failureReasons['429 limiter-store-unavailable at rl0']! + closed.report.endToEnd.failureReasons['429 limiter-store-unavailable at rl1']!).toBe(200);
    // the counters were lost in the crash: the bucket is full again when the store returns
    const series = open.report.series!.nodes.s!.okPerSec;
    expect(series.slice(5, 7)).toEqual([100, 100]);
    expect(series[7]).toBeGreaterThan(15);
  });

  it('waits for the store timeout when the store is partitioned away', () => {
    const base = cluster(1, { service: '50us' }, { limiter: { store: { timeout: '20ms' } } });
    const t = run(
      {
        ...base,
        duration: '1s',
        nodes: [traceClient('c', [0, 600]), ...base.nodes.slice(1)],
        faults: [{ at: '500ms', for: '1s', edge: 'rl0->store', action: 'partition' }],
      },
      { trace: true },
    );
    expect(sent(t).map((r) => [r.status, r.latency / 1000])).toEqual([[200, 1.05], [200, 21]]);
    expect(rep(t, 'rl0').store.timeouts).toBe(1);
  });

  it('a slowdown of the store that ends inside another restores that one\'s factor, not 1', () => {
    // service 1 ms; ×10 from 1 s for 4 s, and ×2 from 2 s for 1 s inside it: from 3 s to 5 s decisions take 10 ms
    const t = run(cluster(1, { service: '1ms' }, { faults: [
      { at: '1s', for: '4s', node: 'store', action: 'slowdown', factor: 10 },
      { at: '2s', for: '1s', node: 'store', action: 'slowdown', factor: 2 },
    ] }), { trace: true });
    const decision = (from: number, to: number) => t.traces.filter((r) => r.status === 200 && r.sentAt >= from * 1e6 && r.sentAt < to * 1e6).map((r) => r.latency / 1000 - 1);
    expect(new Set(decision(0.5, 1))).toEqual(new Set([1]));
    expect(new Set(decision(1.5, 2))).toEqual(new Set([10]));
    expect(new Set(decision(2.5, 3))).toEqual(new Set([2]));
    expect(new Set(decision(3.5, 5))).toEqual(new Set([10]));
    expect(new Set(decision(5.5, 6))).toEqual(new Set([1]));
  });

  it('reports keys by zone whatever the zone is called ("constructor", "__proto__")', () => {
    const zone = (id: string, z: string) => ({ id, type: 'rateLimiter', key: 'ip', store: { zone: z }, algorithm: { type: 'tokenBucket', rate: 5, capacity: 5 } });
    const t = run({
      duration: '2s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'constant', rate: 50 } }, { id: 'lb', type: 'loadBalancer', healthCheck: { enabled: false } }, zone('a', 'constructor'), zone('b', '__proto__'), constServer('s', 1), { id: 'cs', type: 'counterStore' }],
      edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }, { from: 'a', to: 's' }, { from: 'b', to: 's' }, { from: 'a', to: 'cs' }, { from: 'b', to: 'cs' }],
    });
    const byZone = rep(t, 'cs').keysByZone as Record<string, unknown>;
    expect(Object.keys(byZone).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.values(byZone).every((n) => typeof n === 'number' && n > 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(t.report)).nodes.cs.keysByZone).toEqual(byZone);
  });
});
