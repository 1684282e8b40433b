import { describe, expect, it } from 'vitest';
import {
  createBackendTable,
  hash32,
  pickIpHash,
  pickLeastConnections,
  pickPowerOfTwo,
  pickRandom,
  pickRoundRobin,
  pickWeightedRoundRobin,
  updateHealth,
} from '../../engine/kernels/lb.ts';
import { constServer, run, traceClient } from '../helpers.ts';

const picks = (n: number, f: () => number) => Array.from({ length: n }, f);

describe('load-balancing kernels', () => {
  it('roundRobin(t) cycles in order and skips unhealthy backends', () => {
    const t = createBackendTable([1, 1, 1]);
    expect(picks(5, () => pickRoundRobin(t))).toEqual([0, 1, 2, 0, 1]);
    t.healthy[0] = 0;
    expect(picks(4, () => pickRoundRobin(t))).toEqual([2, 1, 2, 1]);
    t.healthy.fill(0);
    expect(pickRoundRobin(t)).toBe(-1);
  });

  it('weightedRoundRobin(t) spreads weights 5:1:1 as nginx does: a a b a c a a', () => {
    const t = createBackendTable([5, 1, 1]);
    expect(picks(7, () => pickWeightedRoundRobin(t))).toEqual([0, 0, 1, 0, 2, 0, 0]);
    expect(picks(700, () => pickWeightedRoundRobin(t)).filter((i) => i === 0).length).toBe(500);
  });

  it('leastConnections(t) picks the fewest outstanding per weight, ties in rotation', () => {
    const t = createBackendTable([1, 1, 1]);
    t.active.set([3, 1, 2]);
    expect(pickLeastConnections(t)).toBe(1);
    t.active.set([0, 0, 0]);
    expect(picks(4, () => pickLeastConnections(t))).toEqual([2, 0, 1, 2]);
    const w = createBackendTable([1, 4]);
    w.active.set([1, 3]); // 1/1 > 3/4
    expect(pickLeastConnections(w)).toBe(1);
  });

  it('ipHash(t, ip) is sticky and moves only the clients of a failed backend', () => {
    const t = createBackendTable([1, 1, 1, 1]);
    const ips = Array.from({ length: 1000 }, (_, i) => 0x0a000000 + i);
    const before = ips.map((ip) => pickIpHash(t, ip));
    expect(ips.map((ip) => pickIpHash(t, ip))).toEqual(before);
    t.healthy[2] = 0;
    const after = ips.map((ip) => pickIpHash(t, ip));
    ips.forEach((_, i) => {
      if (before[i] !== 2) expect(after[i]).toBe(before[i]);
      else expect(after[i]).not.toBe(2);
    });
    const share = before.filter((b) => b === 0).length / ips.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
  });

  it('random(t, u) is proportional to weight', () => {
    const t = createBackendTable([1, 3]);
    expect(pickRandom(t, 0.2)).toBe(0);
    expect(pickRandom(t, 0.3)).toBe(1);
    t.healthy[1] = 0;
    expect(pickRandom(t, 0.9)).toBe(0);
  });

  it('powerOfTwo(t, u1, u2) compares two distinct backends and keeps the less loaded', () => {
    const t = createBackendTable([1, 1, 1]);
    t.active.set([5, 1, 3]);
    expect(pickPowerOfTwo(t, 0.1, 0.1)).toBe(1); // draws 0 then 1 (second skips the first)
    expect(pickPowerOfTwo(t, 0.9, 0.1)).toBe(2); // draws 2 then 0: 3 < 5
    t.healthy[1] = 0;
    t.healthy[2] = 0;
    expect(pickPowerOfTwo(t, 0.5, 0.5)).toBe(0);
  });

  it('updateHealth follows fall/rise thresholds', () => {
    const s = { healthy: 1, fails: 0, passes: 0 };
    const seq = [false, false, true, false, false, false, true, true].map((ok) => updateHealth(s, ok, 3, 2));
    expect(seq).toEqual([1, 1, 1, 1, 1, 0, 0, 1]);
  });

  it('hash32 spreads consecutive integers', () => {
    const buckets = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) buckets[hash32(i) % 8]++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});

describe('a load balancer in a run', () => {
  it('spreads round robin evenly and weighted round robin by weight', () => {
    const mk = (policy: string, w: number[]) =>
      run({
        nodes: [traceClient('c', Array.from({ length: 60 }, (_, i) => i * 10)), { id: 'lb', type: 'loadBalancer', policy }, constServer('a', 1), constServer('b', 1)],
        edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a', weight: w[0] }, { from: 'lb', to: 'b', weight: w[1] }],
      }).report;
    const rr = mk('roundRobin', [1, 1]);
    expect([rr.nodes.a!.arrivals, rr.nodes.b!.arrivals]).toEqual([30, 30]);
    const wrr = mk('weightedRoundRobin', [2, 1]);
    expect([wrr.nodes.a!.arrivals, wrr.nodes.b!.arrivals]).toEqual([40, 20]);
  });

  it('health checks take a crashed backend out after the unhealthy threshold and put it back', () => {
    // probes every 1s; crash at 2.5s; 3 failures (3s, 4s, 5s) take it out at 5s + 0.5s timeout
    const t = run({
      duration: '20s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'constant', rate: 100 } },
        { id: 'lb', type: 'loadBalancer', healthCheck: { interval: '1s', timeout: '500ms', unhealthyThreshold: 3, healthyThreshold: 2 } },
        constServer('a', 1),
        constServer('b', 1),
      ],
      edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
      faults: [{ at: '2.5s', for: '7s', node: 'a', action: 'crash' }],
    });
    const tl = t.report.timeline.map((x) => [x.atSeconds, x.text]);
    expect(tl).toEqual([
      [2.5, 'a crashed'],
      [5.5, 'lb: a marked unhealthy after 3 failed probes (1s apart)'],
      [9.5, 'a recovered'],
      [11, 'lb: a healthy again'],
    ]);
    // while undetected (2.5s..5.5s) half the requests hit the dead backend: 503 node-down
    const f503 = t.report.series!.endToEnd.failedPerSec['503']!;
    expect(f503.slice(0, 2)).toEqual([0, 0]);
    expect(f503[3]).toBe(50);
    expect(f503[4]).toBe(50);
    expect(f503.slice(6)).toEqual(new Array(14).fill(0));
    expect(t.report.endToEnd.failureReasons).toEqual({ '503 node-down at a': 150 });
    expect((t.report.nodes.lb as Record<string, unknown>).backends).toMatchObject({ a: { healthy: true, unhealthySeconds: 5.5 } });
  });

  describe('health-check probes are round trips decided on arrival', () => {
    // probes every 1 s; lb -> a takes 100 ms each way, so a probe sent at t reaches a at
    // t + 0.1 s and is back at t + 0.2 s; the timeout (0.5 s) covers the whole round trip
    const hc = { interval: '1s', timeout: '500ms', unhealthyThreshold: 2, healthyThreshold: 2 };
    const mk = (faults: Array<Record<string, unknown>>, edgeA: Record<string, unknown> = { latency: '100ms' }, requests = [0]) =>
      run({
        duration: '10s',
        nodes: [
          traceClient('c', requests),
          { id: 'lb', type: 'loadBalancer', healthCheck: hc },
          constServer('a', 1),
          constServer('b', 1),
        ],
        edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a', ...edgeA }, { from: 'lb', to: 'b' }],
        faults,
      });
    const timeline = (t: ReturnType<typeof mk>) => t.report.timeline.map((x) => [x.atSeconds, x.text]);

    it('a backend that crashes while a probe is on its way fails that probe; unhealthy and healthy again at the expected times', () => {
      // crash at 3.05 s: the probe sent at 3 s arrives at 3.1 s to a dead backend and fails at
      // its timeout (3.5 s); the one sent at 4 s fails at 4.5 s: two in a row, out at 4.5 s.
      // Recovery at 6.05 s: the probe sent at 6 s (while a was still down) arrives at 6.1 s,
      // finds it up and is back at 6.2 s; the one sent at 7 s is back at 7.2 s: in at 7.2 s.
      // (Deciding a probe when it is sent would say 5.5 s and 8.2 s.)
      const t = mk([{ at: '3.05s', for: '3s', node: 'a', action: 'crash' }]);
      expect(timeline(t)).toEqual([
        [3.05, 'a crashed'],
        [4.5, 'lb: a marked unhealthy after 2 failed probes (1s apart)'],
        [6.05, 'a recovered'],
        [7.2, 'lb: a healthy again'],
      ]);
      expect((t.report.nodes.lb as Record<string, unknown>).backends).toMatchObject({ a: { healthy: true, unhealthySeconds: 2.7 } });
    });

    it('a probe passes only if it is back within the timeout: the round trip counts, not one way', () => {
      // 200 ms out + 200 ms back = 400 ms: passes; 300 + 300 = 600 ms: every probe fails at 500 ms
      expect(timeline(mk([], { latency: '200ms' }))).toEqual([]);
      expect(timeline(mk([], { latency: '300ms' }))).toEqual([[2.5, 'lb: a marked unhealthy after 2 failed probes (1s apart)']]);
      // 300 ms out, 150 ms back: 450 ms, passes
      expect(timeline(mk([], { latency: '300ms', responseLatency: '150ms' }))).toEqual([]);
      // 600 ms out: arrives after the timeout; fails at the timeout (1.5 s, 2.5 s), not later
      expect(timeline(mk([], { latency: '600ms', responseLatency: '0ms' }))).toEqual([[2.5, 'lb: a marked unhealthy after 2 failed probes (1s apart)']]);
    });

    it('a partition loses probes like requests, and a healed edge lets them through again', () => {
      // partitioned from 1.5 s to 4.5 s: probes sent at 2 s, 3 s and 4 s are lost (fail at +0.5 s)
      const t = mk([{ at: '1.5s', for: '3s', edge: 'lb->a', action: 'partition' }]);
      expect(timeline(t)).toEqual([
        [1.5, 'edge lb->a partitioned'],
        [3.5, 'lb: a marked unhealthy after 2 failed probes (1s apart)'],
        [4.5, 'edge lb->a healed'],
        [6.2, 'lb: a healthy again'],
      ]);
    });

    it('probes are not requests: no node or edge counts them', () => {
      // 2 requests and 9 rounds of probes to each backend
      const t = mk([{ at: '3.05s', for: '3s', node: 'a', action: 'crash' }], { latency: '100ms' }, [0, 10]);
      expect(t.report.nodes.a!.arrivals + t.report.nodes.b!.arrivals).toBe(2);
      expect(t.report.nodes.lb!.arrivals).toBe(2);
      expect(t.report.edges['lb->a']!.sent + t.report.edges['lb->b']!.sent).toBe(2);
      expect(t.report.endToEnd.sent).toBe(2);
    });
  });

  it('times out a call lost to a partition: 504 upstream-timeout, and least connections forgets it', () => {
    // one request every 10 ms, served in 1 ms: least connections alternates a, b. The first
    // request sent to a during the partition is lost; a then looks busy (1 outstanding) and
    // gets nothing until that call times out
    const mk = (upstreamTimeout: string) =>
      run({
        duration: '12s',
        nodes: [
          { id: 'c', type: 'client', arrival: { process: 'constant', rate: 100 } },
          { id: 'lb', type: 'loadBalancer', policy: 'leastConnections', upstreamTimeout, healthCheck: { enabled: false } },
          constServer('a', 1),
          constServer('b', 1),
        ],
        edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
        faults: [{ at: '5s', for: '1s', edge: 'lb->a', action: 'partition' }],
      }).report;
    const perSec = (r: ReturnType<typeof mk>, id: string) => r.series!.nodes[id]!.arrivalsPerSec;
    const lbOf = (r: ReturnType<typeof mk>) => r.nodes.lb as unknown as { inFlight: number; backends: Record<string, { upstreamTimeouts: number }> };

    const none = mk('none');
    expect(perSec(none, 'a').slice(6)).toEqual([0, 0, 0, 0, 0, 0]); // skewed for good
    expect(lbOf(none).inFlight).toBe(1);
    expect(none.endToEnd.failureReasons).toEqual({}); // the client (timeout 10 s) is still waiting

    const two = mk('2s');
    expect(perSec(two, 'a').slice(6)).toEqual([0, 50, 50, 50, 50, 50]); // back at 5 s + 2 s
    expect(perSec(two, 'b').slice(8)).toEqual([50, 50, 50, 50]);
    expect(lbOf(two).inFlight).toBe(0);
    expect(lbOf(two).backends.a!.upstreamTimeouts).toBe(1);
    expect(lbOf(two).backends.b!.upstreamTimeouts).toBe(0);
    expect(two.endToEnd.failureReasons).toEqual({ '504 upstream-timeout at lb': 1 });
  });

  it('has an upstream timeout by default (60 s, nginx proxy_read_timeout)', () => {
    const r = run({
      duration: '70s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'constant', rate: 10 }, timeout: 'none' },
        { id: 'lb', type: 'loadBalancer', policy: 'leastConnections', healthCheck: { enabled: false } },
        constServer('a', 1),
        constServer('b', 1),
      ],
      edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
      faults: [{ at: '5s', for: '1s', edge: 'lb->a', action: 'partition' }],
    }).report;
    const a = r.series!.nodes.a!.arrivalsPerSec;
    expect(a.slice(6, 65).every((x) => x === 0)).toBe(true);
    expect(a.slice(66)).toEqual([5, 5, 5, 5]);
    expect(r.endToEnd.failureReasons).toEqual({ '504 upstream-timeout at lb': 1 });
  });

  it('answers 504 when a backend is slower than the upstream timeout, and discards the late answer', () => {
    const t = run(
      {
        duration: '10s',
        nodes: [
          traceClient('c', [0, 100, 200, 5000], { timeout: 'none' }),
          { id: 'lb', type: 'loadBalancer', upstreamTimeout: '1s' },
          constServer('s', 3000, { workers: 1 }),
        ],
        edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 's' }],
      },
      { trace: true },
    );
    const tr = [...t.traces].sort((x, y) => x.id - y.id).map((r) => [r.status, r.reason, r.origin, r.latency / 1000]);
    expect(tr).toEqual([
      [504, 'upstream-timeout', 'lb', 1000],
      [504, 'upstream-timeout', 'lb', 1000],
      [504, 'upstream-timeout', 'lb', 1000],
      [504, 'upstream-timeout', 'lb', 1000],
    ]);
    // the server still serves them, one at a time; the balancer releases the late answers
    expect(t.report.nodes.s!.completed).toBe(3);
    expect(t.report.nodes.lb!.inFlight).toBe(0);
    expect(t.sim.nodes.find((n) => n.id === 'lb')!.held()).toBe(0);
    expect((t.report.nodes.lb as unknown as { backends: Record<string, { upstreamTimeouts: number }> }).backends.s!.upstreamTimeouts).toBe(4);
  });

  it('counts picks, health transitions and time unhealthy from the end of warm-up', () => {
    const mk = (crashAt: string) =>
      run({
        duration: '30s',
        warmup: '20s',
        nodes: [
          { id: 'c', type: 'client', arrival: { process: 'constant', rate: 50 } },
          { id: 'lb', type: 'loadBalancer', healthCheck: { interval: '500ms', timeout: '200ms', unhealthyThreshold: 1, healthyThreshold: 1 } },
          constServer('a', 1),
          constServer('b', 1),
        ],
        edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
        faults: [{ at: crashAt, for: '3s', node: 'a', action: 'crash' }],
      }).report;
    type LbReport = { arrivals: number; healthTransitions: number; backends: Record<string, { picks: number; share: number; unhealthySeconds: number }> };
    // down and back up during warm-up: nothing of it is measured
    const early = mk('2s').nodes.lb as unknown as LbReport;
    expect(early.healthTransitions).toBe(0);
    expect(early.backends).toMatchObject({ a: { picks: 250, share: 0.5, unhealthySeconds: 0 }, b: { picks: 250, share: 0.5, unhealthySeconds: 0 } });
    expect(early.arrivals).toBe(500);
    // down at 18 s (marked at 18.2 s: the probe sent at 18 s times out), up at 21 s, healthy again at 21 s
    // (the probe sent at 21 s passes): 1 s unhealthy and one transition after warm-up
    const across = mk('18s');
    expect(across.timeline.filter((x) => x.text.startsWith('lb:')).map((x) => x.atSeconds)).toEqual([18.2, 21]);
    const lb = across.nodes.lb as unknown as LbReport;
    expect(lb.healthTransitions).toBe(1);
    expect(lb.backends.a!.unhealthySeconds).toBe(1);
    expect(lb.backends.a!.picks + lb.backends.b!.picks).toBe(lb.arrivals);
  });

  it('answers 503 no-healthy-backend when every backend is out', () => {
    const t = run({
      duration: '10s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'constant', rate: 10 } },
        { id: 'lb', type: 'loadBalancer', healthCheck: { interval: '1s', timeout: '100ms', unhealthyThreshold: 1 } },
        constServer('a', 1),
      ],
      edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }],
      faults: [{ at: '0.5s', node: 'a', action: 'crash' }],
    });
    expect(t.report.endToEnd.failureReasons['503 no-healthy-backend at lb']).toBeGreaterThan(80);
  });
});
