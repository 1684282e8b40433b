import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario } from '../../engine/index.ts';
import { constServer, parse, run, scenario, traceClient, type TestScenario } from '../helpers.ts';

const statuses = (t: { traces: { status: number }[] }) => t.traces.map((r) => r.status);
const lat = (t: { traces: { latency: number }[] }) => t.traces.map((r) => r.latency / 1000);

describe('a client and one server', () => {
  it('answers each request after its service time when there is no queueing', () => {
    const t = run({ nodes: [traceClient('c', [0, 100, 200]), constServer('s', 5)], edges: [{ from: 'c', to: 's' }] }, { trace: true });
    expect(statuses(t)).toEqual([200, 200, 200]);
    expect(lat(t)).toEqual([5, 5, 5]);
  });

  it('queues requests FIFO behind one worker', () => {
    const t = run(
      { nodes: [traceClient('c', [0, 0, 0]), constServer('s', 10, { workers: 1 })], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(lat(t)).toEqual([10, 20, 30]);
  });

  it('serves newest first with lifo', () => {
    const t = run(
      { nodes: [traceClient('c', [0, 1, 2, 3]), constServer('s', 10, { workers: 1, discipline: 'lifo' })], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    // request 0 is served at once; 3 (newest) next, then 2, then 1
    const byId = Object.fromEntries(t.traces.map((r) => [r.sentAt / 1000, r.latency / 1000]));
    expect(byId).toEqual({ 0: 10, 3: 17, 2: 28, 1: 39 });
  });

  it('serves writes in writeService and reads in service; a slow-down stretches both', () => {
    const reqs = (rows: Array<[number, 'read' | 'write']>) => rows.map(([at, kind]) => ({ at, kind }));
    const client = (rows: Array<[number, 'read' | 'write']>) => ({ id: 'c', type: 'client', arrival: { process: 'trace', requests: reqs(rows) }, writeFraction: 0 });
    const t = run(
      {
        duration: '2s',
        nodes: [client([[0, 'read'], [100, 'write'], [200, 'read'], [300, 'write'], [300, 'read'], [1000, 'write'], [1100, 'read']]), constServer('s', 10, { workers: 1, writeService: 30 })],
        edges: [{ from: 'c', to: 's' }],
        faults: [{ at: '900ms', for: '1s', node: 's', action: 'slowdown', factor: 2 }],
      },
      { trace: true },
    );
    const rows = [...t.traces].sort((x, y) => x.id - y.id).map((r) => [r.sentAt / 1000, r.kind, r.latency / 1000]);
    expect(rows).toEqual([
      [0, 'read', 10],
      [100, 'write', 30],
      [200, 'read', 10],
      [300, 'write', 30],
      [300, 'read', 40], // waits for the write ahead of it
      [1000, 'write', 60], // slowed down ×2
      [1100, 'read', 20],
    ]);
    expect(t.report.nodes.s).toMatchObject({ serviceMeanMs: 10, writeServiceMeanMs: 30 });
    // without writeService, writes take the same time as reads
    const same = run({ nodes: [client([[0, 'write'], [100, 'read']]), constServer('s', 10)], edges: [{ from: 'c', to: 's' }] }, { trace: true });
    expect(lat(same)).toEqual([10, 10]);
  });

  it('answers 503 queue-full when workers and queue are all taken', () => {
    const t = run(
      { nodes: [traceClient('c', [0, 0, 0, 0]), constServer('s', 10, { workers: 1, queue: 2 })], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(statuses(t).sort()).toEqual([200, 200, 200, 503]);
    const rejected = t.traces.find((r) => r.status === 503)!;
    expect(rejected.reason).toBe('queue-full');
    expect(rejected.origin).toBe('s');
    expect(rejected.latency).toBe(0);
    expect(t.report.nodes.s!.rejected).toEqual({ '503 queue-full': 1 });
    expect(t.report.endToEnd.failureReasons).toEqual({ '503 queue-full at s': 1 });
  });

  it('adds edge latency in both directions', () => {
    const t = run(
      { nodes: [traceClient('c', [0]), constServer('s', 5)], edges: [{ from: 'c', to: 's', latency: '2ms', responseLatency: '3ms' }] },
      { trace: true },
    );
    expect(lat(t)).toEqual([10]);
    expect(t.report.nodes.s!.latencyMs.mean).toBe(5);
  });

  it('times out at the client with 504 and counts the late answer', () => {
    const t = run(
      { nodes: [traceClient('c', [0, 100], { timeout: '20ms' }), constServer('s', 50)], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(statuses(t)).toEqual([504, 504]);
    expect(lat(t)).toEqual([20, 20]);
    expect(t.traces[0]!.reason).toBe('client-timeout');
    expect(t.report.endToEnd.lateAnswers).toBe(2);
    // the server still did the work: wasted
    expect(t.report.nodes.s!.completed).toBe(2);
  });

  it('fails a share of requests with 500 at the error rate', () => {
    const t = run({
      duration: '400s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 100 } }, constServer('s', 1, { errorRate: 0.2, workers: 100 })],
      edges: [{ from: 'c', to: 's' }],
    });
    const e = t.report.endToEnd;
    const share = (e.failed['500'] ?? 0) / e.sent;
    // binomial: sd = sqrt(0.2 * 0.8 / n) = 0.002 for n = 40,000; allow 4 sd
    const sd = Math.sqrt((0.2 * 0.8) / e.sent);
    expect(Math.abs(share - 0.2)).toBeLessThan(4 * sd);
  });
});

describe('the theory overlay', () => {
  it('a server reports what queueing theory predicts next to what it measured (M/M/4 at ρ = 0.8)', () => {
    const t = run({
      duration: '400s',
      warmup: '20s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 320 }, timeout: 'none' }, { id: 's', type: 'server', workers: 4, queue: 100_000, service: { dist: 'exponential', mean: '10ms' } }],
      edges: [{ from: 'c', to: 's' }],
    });
    const n = t.report.nodes.s!;
    const th = n.theory as { model: string; utilization: number; waitProbability: number; queueWaitMs: number };
    expect(th.model).toBe('M/M/4 (Erlang C)');
    // the prediction uses the measured rate, so it is within sampling error of theory's 0.8 / 0.5964 / 7.455 ms
    expect(th.utilization).toBeCloseTo(0.8, 1);
    expect(Math.abs(th.waitProbability - (n.waitedFraction as number))).toBeLessThan(0.02);
    expect(Math.abs(th.queueWaitMs / (n.queueWaitMs as number) - 1)).toBeLessThan(0.1);
  });

  it('a server behind a round-robin balancer sees non-Poisson arrivals and waits less than the formula says', () => {
    const t = run({
      duration: '2000s',
      warmup: '100s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 160 }, timeout: 'none' },
        { id: 'lb', type: 'loadBalancer', healthCheck: { enabled: false } },
        { id: 'a', type: 'server', workers: 1, queue: 100_000, service: { dist: 'exponential', mean: '10ms' } },
        { id: 'b', type: 'server', workers: 1, queue: 100_000, service: { dist: 'exponential', mean: '10ms' } },
      ],
      edges: [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
    });
    const n = t.report.nodes.a!;
    // The overlay's M/M/1 at ρ = 0.8 predicts Wq = 40 ms. Round robin of a Poisson stream
    // gives each server Erlang-2 gaps: E2/M/1, where σ = (λ/(λ + μ(1 − σ)))² with λ = 160,
    // μ = 100, and Wq = σ/(μ(1 − σ)) ≈ 28 ms.
    let sigma = 0.5;
    for (let i = 0; i < 200; i++) sigma = (160 / (160 + 100 * (1 - sigma))) ** 2;
    const e2m1 = (sigma / (100 * (1 - sigma))) * 1000;
    expect((n.theory as { queueWaitMs: number }).queueWaitMs).toBeGreaterThan(37);
    // 190k arrivals at ρ = 0.8 put the measured mean within about ±6% (ground-truth §1.8)
    expect(Math.abs((n.queueWaitMs as number) / e2m1 - 1)).toBeLessThan(0.08);
  });
});

describe('a server calling downstream nodes', () => {
  it('sequential calls add up; parallel calls take the slowest', () => {
    const mk = (calls: string) =>
      run(
        {
          nodes: [traceClient('c', [0]), constServer('api', 1, { calls }), constServer('a', 10), constServer('b', 20)],
          edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'a' }, { from: 'api', to: 'b' }],
        },
        { trace: true },
      );
    expect(lat(mk('sequential'))).toEqual([31]);
    expect(lat(mk('parallel'))).toEqual([21]);
    expect(mk('parallel').traces[0]!.path).toEqual(['c', 'api', 'a', 'b']);
  });

  it('passes a downstream failure back with its origin', () => {
    const t = run(
      {
        nodes: [traceClient('c', [0, 0]), constServer('api', 1, { workers: 10 }), constServer('db', 10, { workers: 1, queue: 0 })],
        edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'db' }],
      },
      { trace: true },
    );
    expect(statuses(t).sort()).toEqual([200, 503]);
    const f = t.traces.find((r) => r.status === 503)!;
    expect(f.origin).toBe('db');
    expect(f.reason).toBe('queue-full');
    expect(t.report.nodes.api!.rejected).toEqual({ '503 queue-full at db': 1 });
  });

  it('gives up on a slow downstream call at the call timeout', () => {
    const t = run(
      {
        nodes: [traceClient('c', [0]), constServer('api', 1, { callTimeout: '15ms' }), constServer('db', 100)],
        edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'db' }],
      },
      { trace: true },
    );
    expect(statuses(t)).toEqual([504]);
    expect(lat(t)).toEqual([16]);
    expect(t.traces[0]!.reason).toBe('call-timeout');
  });

  it('holds the worker during calls only when blocking', () => {
    const mk = (blocking: boolean) =>
      run(
        {
          nodes: [traceClient('c', [0, 0]), constServer('api', 1, { workers: 1, blocking }), constServer('db', 10, { workers: 10 })],
          edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'db' }],
        },
        { trace: true },
      );
    expect(lat(mk(false)).sort((a, b) => a - b)).toEqual([11, 12]);
    expect(lat(mk(true)).sort((a, b) => a - b)).toEqual([11, 22]);
  });

  it('makes a call with the edge probability and only for the edge kinds', () => {
    const t = run({
      duration: '100s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 100 }, writeFraction: 0.25 },
        constServer('api', 1, { workers: 100 }),
        constServer('w', 1, { workers: 100 }),
        constServer('r', 1, { workers: 100 }),
      ],
      edges: [
        { from: 'c', to: 'api' },
        { from: 'api', to: 'w', kinds: 'write' },
        { from: 'api', to: 'r', kinds: 'read', probability: 0.5 },
      ],
    });
    const n = t.report.nodes;
    const sent = t.report.endToEnd.sent;
    expect(Math.abs(n.w!.arrivals / sent - 0.25)).toBeLessThan(0.015);
    expect(Math.abs(n.r!.arrivals / sent - 0.375)).toBeLessThan(0.015);
  });
});

describe('faults', () => {
  it('a crashed server refuses requests (503 node-down) and drops what it held', () => {
    const t = run(
      {
        nodes: [traceClient('c', [0, 0, 0, 20, 60]), constServer('s', 10, { workers: 1 })],
        edges: [{ from: 'c', to: 's' }],
        faults: [
          { at: '15ms', node: 's', action: 'crash' },
          { at: '50ms', node: 's', action: 'recover' },
        ],
      },
      { trace: true },
    );
    const byTime = t.traces.map((r) => [r.sentAt / 1000, r.status === 1 ? 'dropped' : r.status, r.latency / 1000]);
    expect(byTime).toEqual([
      [0, 200, 10],
      [0, 'dropped', 15],
      [0, 'dropped', 15],
      [20, 503, 0],
      [60, 200, 10],
    ]);
    expect(t.report.timeline.map((x) => x.text)).toEqual(['s crashed', 's recovered']);
  });

  it('a slow-down multiplies service times for its duration', () => {
    const t = run(
      {
        nodes: [traceClient('c', [0, 100, 200]), constServer('s', 10)],
        edges: [{ from: 'c', to: 's' }],
        faults: [{ at: '50ms', for: '100ms', node: 's', action: 'slowdown', factor: 5 }],
      },
      { trace: true },
    );
    expect(lat(t)).toEqual([10, 50, 10]);
  });

  it('a partitioned edge loses requests until it heals', () => {
    const t = run(
      {
        nodes: [traceClient('c', [0, 100, 200], { timeout: '50ms' }), constServer('s', 1)],
        edges: [{ from: 'c', to: 's' }],
        faults: [{ at: '50ms', for: '100ms', edge: 'c->s', action: 'partition' }],
      },
      { trace: true },
    );
    expect(statuses(t)).toEqual([200, 504, 200]);
    expect(t.report.edges['c->s']!.lost).toBe(1);
  });

  it('a rate fault changes an open-loop client\'s rate and reverts', () => {
    const t = run({
      duration: '30s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'constant', rate: 10 } }, constServer('s', 1)],
      edges: [{ from: 'c', to: 's' }],
      faults: [{ at: '10s', for: '10s', node: 'c', action: 'rate', rate: 100 }],
    });
    const sent = t.report.series!.endToEnd.sentPerSec;
    expect(sent.slice(2, 9).every((x) => x === 10)).toBe(true);
    expect(sent.slice(11, 19).every((x) => x === 100)).toBe(true);
    expect(sent.slice(21, 29).every((x) => x === 10)).toBe(true);
  });
});

describe('guards', () => {
  it('stops a routing loop at the hop limit with a clear message', () => {
    const t = run({
      nodes: [traceClient('c', [0]), constServer('a', 0), constServer('b', 0)],
      edges: [{ from: 'c', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }],
      limits: { hopLimit: 8 },
    });
    expect(t.report.stopped?.code).toBe('hop-limit');
    expect(t.report.stopped?.message).toMatch(/passed 8 hops/);
    expect(t.report.stopped?.message).toMatch(/routing loop/);
  });

  it('stops at the event budget', () => {
    const t = run({
      duration: '1h',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 1000 } }, constServer('s', 0.1)],
      edges: [{ from: 'c', to: 's' }],
      limits: { maxEvents: 5000 },
    });
    expect(t.report.stopped?.code).toBe('max-events');
    expect(t.sim.events).toBe(5000);
    expect(t.report.completed).toBe(false);
  });
});

describe('the stall guard (simulated time that stops advancing)', () => {
  // a closed loop with no think time in front of a server that takes no time: every answer
  // comes back at t = 0 and the next request goes out at t = 0, for ever
  const spin = (extra: Record<string, unknown> = {}, think: unknown = 0, service: unknown = 0) => ({
    nodes: [
      { id: 'users', type: 'client', arrival: { process: 'closed', users: 3, think }, writeFraction: 0 },
      { id: 'api', type: 'server', service },
    ],
    edges: [{ from: 'users', to: 'api' }],
    ...extra,
  });

  it('stops a zero-time loop after limits.maxEventsAtOneInstant events at one instant, naming the likely cause', () => {
    expect(parse(spin()).limits.maxEventsAtOneInstant).toBe(10_000_000);
    const t = run(spin({ limits: { maxEventsAtOneInstant: 20_000 } }));
    expect(t.report.stopped?.code).toBe('stalled');
    expect(t.report.stopped?.atSeconds).toBe(0);
    expect(t.sim.events).toBe(20_000);
    expect(t.report.stopped?.message).toMatch(/simulated time stopped advancing: 20000 events in a row at 0µs \(the last one at "users"\)/);
    expect(t.report.stopped?.message).toMatch(/zero think time/);
    expect(t.report.stopped?.message).toMatch(/zero service times and zero-latency edges/);
    expect(t.report.completed).toBe(false);
    // nothing was measured (stopped at t = 0): no rate, rather than thousands of requests per microsecond
    expect(t.report.measuredSeconds).toBe(0);
    expect(t.report.endToEnd.throughputPerSec).toBeNaN();
    expect(t.report.nodes.api!.throughputPerSec).toBeNaN();
    expect(t.report.endToEnd.ok).toBeGreaterThan(0);
  });

  it('counts across slices: a host running in slices stops at the same event', () => {
    const sim = createSimulation(parse(spin({ limits: { maxEventsAtOneInstant: 20_000 } })));
    while (!sim.done) sim.run(sim.now + 1000, 777);
    expect(sim.stopped?.code).toBe('stalled');
    expect(sim.events).toBe(20_000);
  });

  it('does not trip while time advances, however many events there are', () => {
    // 20,000 requests and 40,000+ events, never more than a few at one instant
    const t = run({
      duration: '20s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'constant', rate: 1000 } }, constServer('s', 0.5)],
      edges: [{ from: 'c', to: 's' }],
      limits: { maxEventsAtOneInstant: 1000 },
    });
    expect(t.report.stopped).toBeNull();
    expect(t.sim.events).toBeGreaterThan(40_000);
    // a think time of 1 µs is enough for the loop to move on
    const slow = run(spin({ duration: '100ms', limits: { maxEventsAtOneInstant: 1000 } }, '1us'));
    expect(slow.report.stopped).toBeNull();
    expect(slow.report.endToEnd.ok).toBeGreaterThan(100_000);
  });

  it('validation warns (without refusing) about a closed loop whose think and service times are always 0', () => {
    const warningsOf = (s: TestScenario) => {
      const r = parseScenario(scenario(s));
      expect(r.ok).toBe(true);
      return r.warnings.filter((w) => /closed loop with zero think time/.test(w.message)).map((w) => w.path);
    };
    expect(warningsOf(spin())).toEqual(['nodes[0].arrival.think']);
    expect(warningsOf(spin({}, { dist: 'uniform', min: 0, max: 0 }, { dist: 'mixture', of: [{ weight: 1, dist: 'constant', value: 0 }] }))).toEqual(['nodes[0].arrival.think']);
    // through a balancer with no processing time to two zero-time servers: still a spin
    expect(
      warningsOf({
        nodes: [
          { id: 'users', type: 'client', arrival: { process: 'closed', users: 3, think: 0 } },
          { id: 'lb', type: 'loadBalancer' },
          constServer('a', 0),
          constServer('b', 0),
        ],
        edges: [{ from: 'users', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
      }),
    ).toEqual(['nodes[0].arrival.think']);
    // any time on the way, or in the think time, and there is no warning
    expect(warningsOf(spin({}, { dist: 'exponential', mean: '1ms' }))).toEqual([]);
    expect(warningsOf(spin({}, 0, '1ms'))).toEqual([]);
    expect(warningsOf({ ...spin(), edges: [{ from: 'users', to: 'api', latency: '0.1ms' }] })).toEqual([]);
    expect(
      warningsOf({
        nodes: [
          { id: 'users', type: 'client', arrival: { process: 'closed', users: 3, think: 0 } },
          constServer('a', 0),
          constServer('db', 2),
        ],
        edges: [{ from: 'users', to: 'a' }, { from: 'a', to: 'db' }],
      }),
    ).toEqual([]);
  });
});

describe('determinism', () => {
  const s = {
    duration: '20s',
    nodes: [
      { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 300 } },
      { id: 'lb', type: 'loadBalancer', policy: 'powerOfTwo' },
      { id: 'a', type: 'server', workers: 1 },
      { id: 'b', type: 'server', workers: 1 },
    ],
    edges: [
      { from: 'c', to: 'lb' },
      { from: 'lb', to: 'a', latency: { dist: 'uniform', min: '0.1ms', max: '1ms' } },
      { from: 'lb', to: 'b' },
    ],
  };

  it('the same seed gives the same fingerprint and report; another seed does not', () => {
    const a = run(s);
    const b = run(s);
    const c = run(s, { seed: 2 });
    expect(a.report.fingerprint).toBe(b.report.fingerprint);
    expect(JSON.stringify(a.report.endToEnd)).toBe(JSON.stringify(b.report.endToEnd));
    expect(c.report.fingerprint).not.toBe(a.report.fingerprint);
  });

  it('running in slices gives the same fingerprint as one go', async () => {
    const { createSimulation } = await import('../../engine/index.ts');
    const { parse } = await import('../helpers.ts');
    const one = run(s).report.fingerprint;
    const sim = createSimulation(parse(s));
    while (!sim.done) sim.run(sim.now + 3_333, 777);
    expect(sim.fingerprint.hex()).toBe(one);
  });

  it('adding an unrelated client does not change another client\'s arrivals (common random numbers)', () => {
    const base = run(s, { trace: true });
    const more = run(
      {
        ...s,
        nodes: [{ id: 'other', type: 'client', arrival: { process: 'poisson', rate: 50 } }, ...s.nodes, { id: 'z', type: 'server' }],
        edges: [...s.edges, { from: 'other', to: 'z' }],
      },
      { trace: true },
    );
    const sends = (t: typeof base) => t.traces.filter((r) => r.client === 'c').map((r) => [r.sentAt, r.key, r.kind]).sort((x, y) => (x[0] as number) - (y[0] as number));
    expect(sends(more)).toEqual(sends(base));
  });

  it('the metric window does not change the fingerprint', () => {
    expect(run({ ...s, window: '250ms' }).report.fingerprint).toBe(run(s).report.fingerprint);
  });
});

describe('memory', () => {
  it('requests that time out in a queue do not pile up in it (the queue holds only live entries)', async () => {
    const { createSimulation } = await import('../../engine/index.ts');
    const { parse } = await import('../helpers.ts');
    // one worker stuck for an hour, 1000 req/s, queue of 10 with a 100 ms queue timeout
    const sim = createSimulation(parse({
      duration: '60s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'constant', rate: 1000 }, timeout: 'none' }, constServer('s', 3_600_000, { workers: 1, queue: 10, queueTimeout: '100ms' })],
      edges: [{ from: 'c', to: 's' }],
    }));
    const deque = () => (sim.byId.get('s') as unknown as { waiting: { size: number } }).waiting.size;
    let most = 0;
    while (!sim.done) {
      sim.run(sim.now + 1_000_000);
      most = Math.max(most, deque());
    }
    expect(most).toBeLessThanOrEqual(2 * 10 + 64 + 1);
  });

  it('queries that time out in a database pool\'s queue do not pile up in it either', async () => {
    const { createSimulation } = await import('../../engine/index.ts');
    const { parse } = await import('../helpers.ts');
    // one connection stuck for an hour, 1000 queries/s, queue of 10 with a 100 ms pool timeout;
    // a replica too, so that both instances (and reads routed over them) are covered
    const sim = createSimulation(parse({
      duration: '60s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'constant', rate: 1000 }, timeout: 'none', writeFraction: 0.5 },
        { id: 'db', type: 'database', connections: 1, readService: 3_600_000, writeService: 3_600_000, queue: 10, queueTimeout: '100ms', replicas: 1, readFrom: 'any' },
      ],
      edges: [{ from: 'c', to: 'db' }],
    }));
    const instances = (sim.byId.get('db') as unknown as { instances: Array<{ waiting: { size: number } }> }).instances;
    let most = 0;
    while (!sim.done) {
      sim.run(sim.now + 1_000_000);
      for (const i of instances) most = Math.max(most, i.waiting.size);
    }
    expect(sim.byId.get('db')!.stats.totalFailed).toBeGreaterThan(50_000);
    expect(most).toBeLessThanOrEqual(2 * 10 + 64 + 1);
  });
});

describe('overlapping faults', () => {
  it('nested faults of one kind each restore what was in effect when they began', () => {
    // ×2 from 1 s to 9 s, and inside it ×5 from 3 s to 6 s: 20, 100, then 20 ms again, then 10
    const t = run(
      {
        nodes: [traceClient('c', [500, 2000, 4000, 7000, 9500]), constServer('s', 10, { workers: 10 })],
        edges: [{ from: 'c', to: 's' }],
        faults: [
          { at: '1s', for: '8s', node: 's', action: 'slowdown', factor: 2 },
          { at: '3s', for: '3s', node: 's', action: 'slowdown', factor: 5 },
        ],
      },
      { trace: true },
    );
    expect(t.traces.map((x) => x.latency / 1000)).toEqual([10, 20, 50, 20, 10]);
  });

  it('a crash inside a longer outage keeps the node down until the outer one ends', () => {
    const t = run(
      {
        nodes: [traceClient('c', [500, 2500, 4500, 6500], { timeout: '1s' }), constServer('s', 1)],
        edges: [{ from: 'c', to: 's' }],
        faults: [
          { at: '1s', node: 's', action: 'crash' },
          { at: '2s', for: '1s', node: 's', action: 'crash' },
          { at: '6s', node: 's', action: 'recover' },
        ],
      },
      { trace: true },
    );
    expect(t.traces.map((x) => x.status)).toEqual([200, 503, 503, 200]);
  });

  it('interleaved faults of one kind on one target are refused, naming both', () => {
    const r = parseScenario(
      scenario({
        nodes: [{ id: 'c', type: 'client' }, { id: 's', type: 'server' }],
        edges: [{ from: 'c', to: 's' }],
        faults: [
          { at: '1s', for: '2s', node: 's', action: 'slowdown', factor: 2 },
          { at: '2s', for: '5s', node: 's', action: 'slowdown', factor: 5 },
          { at: '1s', for: '2s', edge: 'c->s', action: 'partition' },
          { at: '2s', edge: 'c->s', action: 'partition' },
          { at: '1s', for: '2s', node: 's', action: 'errors', rate: 0.5 },
          { at: '5s', for: '2s', node: 's', action: 'errors', rate: 0.5 },
        ],
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => `${i.path}: ${i.message.split(':')[0]}`)).toEqual([
        'faults[1]: overlaps faults[0] on s (1s to 3s) without ending inside it',
        'faults[3]: overlaps faults[2] on edge c->s (1s to 3s) without ending inside it',
      ]);
  });
});

describe('per-client series', () => {
  it('each client has its own end-to-end series, per second and in ms, adding up to the total', () => {
    const t = run({
      duration: '5s',
      nodes: [
        { id: 'a', type: 'client', arrival: { process: 'constant', rate: 100 } },
        { id: 'b', type: 'client', arrival: { process: 'constant', rate: 40 } },
        constServer('s', 2, { workers: 10 }),
      ],
      edges: [{ from: 'a', to: 's' }, { from: 'b', to: 's' }],
    });
    const s = t.report.series!;
    expect(Object.keys(s.clients)).toEqual(['a', 'b']);
    expect(s.clients.a!.sentPerSec.slice(1)).toEqual([100, 100, 100, 100]);
    expect(s.clients.b!.sentPerSec.slice(1)).toEqual([40, 40, 40, 40]);
    expect(s.clients.a!.latencyMs.p99.slice(1)).toEqual([2, 2, 2, 2]);
    s.endToEnd.sentPerSec.forEach((x, i) => expect(x).toBe(s.clients.a!.sentPerSec[i]! + s.clients.b!.sentPerSec[i]!));
  });
});
