/**
 * Properties that must hold for every valid scenario: generated topologies (clients,
 * load balancers, mesh sidecars, shard routers, servers, databases; random parameters,
 * latencies, faults) run without
 * throwing or hanging, conserve requests, satisfy Little's law exactly, and are
 * deterministic. Seeds are in the test names so a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenario } from '../../engine/index.ts';
import type { ClientNode } from '../../engine/components/client.ts';
import { sequentialFaults } from '../helpers.ts';

const dur = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }).map((ms) => `${ms}ms`));
const dist = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((ms) => `${ms}ms`),
  fc.integer({ min: 1, max: 30 }).map((ms) => ({ dist: 'exponential', mean: `${ms}ms` })),
  fc.integer({ min: 1, max: 20 }).map((ms) => ({ dist: 'uniform', min: `${ms}ms`, max: `${2 * ms}ms` })),
  fc.integer({ min: 2, max: 20 }).map((ms) => ({ dist: 'lognormal', mean: `${ms}ms`, p99: `${4 * ms}ms` })),
  fc.integer({ min: 1, max: 10 }).map((ms) => ({ dist: 'erlang', k: 3, mean: `${ms}ms` })),
  fc.integer({ min: 1, max: 10 }).map((ms) => ({ dist: 'pareto', alpha: 1.5, min: `${ms}ms`, max: `${100 * ms}ms` })),
);
const latency = fc.oneof(fc.constant(undefined), dur, dist);

const client = (i: number) =>
  fc.record({
    id: fc.constant(`c${i}`),
    type: fc.constant('client'),
    arrival: fc.oneof(
      fc.integer({ min: 10, max: 400 }).map((rate) => ({ process: 'poisson', rate })),
      fc.integer({ min: 10, max: 200 }).map((rate) => ({ process: 'constant', rate })),
      fc.integer({ min: 50, max: 400 }).map((rate) => ({ process: 'onoff', rate, on: '300ms', off: '700ms' })),
      fc.integer({ min: 1, max: 20 }).map((users) => ({ process: 'closed', users, think: { dist: 'exponential', mean: '50ms' } })),
      fc.integer({ min: 10, max: 300 }).map((rate) => ({ process: 'schedule', points: [{ at: 0, rate }, { at: '1s', rate: rate * 2 }], shape: 'linear' })),
    ),
    keys: fc.oneof(
      fc.constant({ popularity: 'uniform', count: 100 }),
      fc.constant({ popularity: 'zipf', count: 1000, alpha: 1 }),
      fc.constant({ popularity: 'hotspot', count: 100, hotFraction: 0.1, hotShare: 0.8 }),
    ),
    writeFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    timeout: fc.oneof(fc.constant('none'), fc.integer({ min: 5, max: 500 }).map((ms) => `${ms}ms`)),
  });

const server = (i: number, type: 'server' | 'database') =>
  type === 'server'
    ? fc.record({
        id: fc.constant(`s${i}`),
        type: fc.constant('server'),
        workers: fc.integer({ min: 1, max: 8 }),
        queue: fc.integer({ min: 0, max: 50 }),
        discipline: fc.constantFrom('fifo', 'lifo'),
        service: dist,
        errorRate: fc.constantFrom(0, 0, 0.05),
        calls: fc.constantFrom('sequential', 'parallel'),
        blocking: fc.boolean(),
        callTimeout: fc.constantFrom('none', '20ms', '200ms'),
        queueTimeout: fc.constantFrom('none', '10ms'),
        honorDeadlines: fc.boolean(),
      })
    : fc.record({
        id: fc.constant(`s${i}`),
        type: fc.constant('database'),
        connections: fc.integer({ min: 1, max: 8 }),
        queue: fc.integer({ min: 0, max: 50 }),
        readService: dist,
        writeService: dist,
      });

/** A random valid scenario: clients -> (LBs) -> servers in a DAG -> databases. */
const scenarioArb = fc
  .record({
    clients: fc.integer({ min: 1, max: 3 }),
    lbs: fc.integer({ min: 0, max: 2 }),
    kinds: fc.array(fc.constantFrom<'server' | 'database'>('server', 'server', 'database'), { minLength: 1, maxLength: 5 }),
  })
  .chain(({ clients, lbs, kinds }) =>
    fc.record({
      clients: fc.tuple(...Array.from({ length: clients }, (_, i) => client(i))),
      lbs: fc.tuple(
        ...Array.from({ length: lbs }, (_, i) =>
          fc.oneof(
            fc.record({
              id: fc.constant(`lb${i}`),
              type: fc.constant('loadBalancer'),
              policy: fc.constantFrom('roundRobin', 'weightedRoundRobin', 'random', 'leastConnections', 'ipHash', 'powerOfTwo'),
              healthCheck: fc.record({ interval: fc.constantFrom('100ms', '1s'), timeout: fc.constant('50ms'), unhealthyThreshold: fc.integer({ min: 1, max: 3 }) }),
            }),
            fc.record({
              id: fc.constant(`lb${i}`),
              type: fc.constant('sidecar'),
              lb: fc.constantFrom('leastRequest', 'roundRobin', 'random'),
              timeout: fc.constantFrom('none', '50ms', '300ms'),
              retries: fc.record({
                attempts: fc.integer({ min: 0, max: 3 }),
                perTryTimeout: fc.constantFrom('none', '20ms'),
                retryOn: fc.constantFrom(['connect-failure'], ['5xx'], ['reset', '503']),
              }),
              connectionPool: fc.record({
                maxConnections: fc.integer({ min: 1, max: 20 }),
                maxPendingRequests: fc.integer({ min: 0, max: 20 }),
                maxRequests: fc.integer({ min: 1, max: 30 }),
                maxRetries: fc.integer({ min: 0, max: 5 }),
              }),
              outlierDetection: fc.record({ consecutive5xxErrors: fc.integer({ min: 1, max: 5 }), interval: fc.constantFrom('100ms', '1s'), baseEjectionTime: fc.constant('300ms'), maxEjectionPercent: fc.constantFrom(10, 50, 100) }),
            }),
            fc.record({
              id: fc.constant(`lb${i}`),
              type: fc.constant('shardRouter'),
              strategy: fc.constantFrom('hash', 'consistent', 'jump', 'range'),
              crossShard: fc.constantFrom(0, 0.3),
              rangeSize: fc.constant(30),
            }),
          ),
        ),
      ),
      servers: fc.tuple(...kinds.map((k, i) => server(i, k))),
      wiring: fc.array(fc.tuple(fc.nat(), fc.nat(), latency, fc.double({ min: 0.1, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }),
      faults: fc.array(
        fc.record({ at: fc.integer({ min: 0, max: 2000 }), for: fc.integer({ min: 1, max: 1000 }), what: fc.constantFrom('crash', 'slowdown', 'errors', 'partition', 'latency'), target: fc.nat() }),
        { maxLength: 4 },
      ),
    }),
  )
  .map(({ clients, lbs, servers, wiring, faults }) => {
    const ids: Record<'clients' | 'lbs' | 'servers', string[]> = {
      clients: clients.map((c) => c.id),
      lbs: lbs.map((l) => l.id),
      servers: servers.map((s) => s.id),
    };
    const edges = new Map<string, Record<string, unknown>>();
    const add = (from: string, to: string, extra: Record<string, unknown> = {}) => {
      if (from !== to && !edges.has(`${from}->${to}`)) edges.set(`${from}->${to}`, { from, to, ...extra });
    };
    const front = [...ids.lbs, ...ids.servers];
    // every client sends somewhere; every LB has a backend
    ids.clients.forEach((c, i) => add(c, front[i % front.length]!));
    ids.lbs.forEach((l, i) => add(l, ids.servers[i % ids.servers.length]!));
    for (const [a, b, lat, p, w] of wiring) {
      const from = [...ids.clients, ...ids.lbs, ...ids.servers][a % (ids.clients.length + ids.lbs.length + ids.servers.length)]!;
      if (from.startsWith('c')) add(from, front[b % front.length]!, { latency: lat, weight: w });
      else if (from.startsWith('lb')) {
        // LB -> later LB or any server (no cycles)
        const i = ids.lbs.indexOf(from);
        const targets = [...ids.lbs.slice(i + 1), ...ids.servers];
        add(from, targets[b % targets.length]!, { latency: lat, weight: w });
      } else {
        const i = ids.servers.indexOf(from);
        const s = servers[i]!;
        if (s.type === 'database') continue;
        const targets = ids.servers.slice(i + 1);
        if (targets.length) add(from, targets[b % targets.length]!, { latency: lat, probability: p, kinds: ['any', 'read', 'write'][b % 3] });
      }
    }
    const nodeIds = [...ids.lbs, ...ids.servers];
    const edgeIds = [...edges.keys()];
    const fs = faults.map((f) => {
      const base = { at: `${f.at}ms`, for: `${f.for}ms` };
      switch (f.what) {
        case 'crash':
          return { ...base, action: 'crash', node: nodeIds[f.target % nodeIds.length] };
        case 'slowdown':
          return { ...base, action: 'slowdown', factor: 3, node: ids.servers[f.target % ids.servers.length] };
        case 'errors':
          return { ...base, action: 'errors', rate: 0.5, node: ids.servers[f.target % ids.servers.length] };
        case 'partition':
          return { ...base, action: 'partition', edge: edgeIds[f.target % edgeIds.length] };
        default:
          return { ...base, action: 'latency', latency: '30ms', edge: edgeIds[f.target % edgeIds.length] };
      }
    });
    // faults of one kind on one target must follow each other (interleaving is refused)
    const kept = sequentialFaults(fs);
    return {
      version: 1,
      name: 'generated',
      seed: 1,
      duration: '3s',
      window: '250ms',
      limits: { maxEvents: 300_000 },
      nodes: [...clients, ...lbs, ...servers],
      edges: [...edges.values()].map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined))),
      faults: kept,
    };
  });

function runRaw(raw: Record<string, unknown>, seed?: number) {
  const p = parseScenario(raw);
  if (!p.ok) throw new Error('generator made an invalid scenario: ' + JSON.stringify(p.issues));
  const sim = createSimulation(p.scenario, { seed });
  sim.runToEnd();
  return { sim, report: buildReport(sim) };
}

describe('properties of every valid scenario', () => {
  it('runs without throwing or hanging and conserves requests (fast-check seed 101)', () => {
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const { sim, report } = runRaw(raw);
        // end to end, whole run: every sent request is answered, failed, or still outstanding
        for (const n of sim.nodes) {
          if (n.type === 'client') {
            const c = n as ClientNode;
            const e = c.e2e;
            expect(e.totalSent).toBe(e.totalOk + e.totalFailed + c.outstanding);
            expect(c.outstanding).toBeGreaterThanOrEqual(0);
          } else {
            // every arrival is answered exactly once or still at the node, and the node
            // actually holds each call the kernel counts as there (nothing forgotten)
            const s = n.stats;
            expect(s.totalArrivals).toBe(s.totalOk + s.totalFailed + s.inNode.value);
            expect(n.held()).toBe(s.inNode.value);
            // cohort counts add up too
            const r = report.nodes[n.id]!;
            expect(r.arrivals).toBe(r.completed + Object.values(r.failed).reduce((a, b) => a + b, 0) + r.inFlight);
            expect(r.inFlight).toBeGreaterThanOrEqual(0);
          }
        }
        expect(report.simulatedSeconds <= 3).toBe(true);
        return true;
      }),
      { seed: 101, numRuns: 60 },
    );
  });

  it("satisfies Little's law exactly at every node once the system drains (fast-check seed 202)", () => {
    let checked = 0;
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        // clients stop at 2 s (a crash stops a client sending); no faults, so the system can drain by 3 s
        const drained = {
          ...raw,
          faults: (raw.nodes as Array<{ id: string; type: string }>).filter((n) => n.type === 'client').map((n) => ({ at: '2s', node: n.id, action: 'crash' })),
        };
        const { sim } = runRaw(drained);
        for (const n of sim.nodes) {
          const s = n.stats;
          if (n.type === 'client' || s.inNode.value !== 0 || s.arrivals === 0) continue;
          // ∫ N(t) dt over [0, T] equals the sum of every call's time in the node
          const area = s.inNode.summaryMean(sim.now) * sim.now;
          expect(Math.abs(area - s.sojournSum)).toBeLessThanOrEqual(1e-6 * Math.max(1, s.sojournSum));
          checked++;
        }
        return true;
      }),
      { seed: 202, numRuns: 40 },
    );
    // the check must have had something to check: most generated nodes drain
    expect(checked).toBeGreaterThan(40);
  });

  it('is deterministic: the same seed gives the same fingerprint and report, another seed another fingerprint (fast-check seed 303)', () => {
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const a = runRaw(raw, 5);
        const b = runRaw(raw, 5);
        expect(a.report.fingerprint).toBe(b.report.fingerprint);
        expect(JSON.stringify({ ...a.report, wallSeconds: 0 })).toBe(JSON.stringify({ ...b.report, wallSeconds: 0 }));
        const c = runRaw(raw, 6);
        const random = (raw.nodes as Array<{ type: string; arrival?: { process: string } }>).some(
          (n) => n.type === 'client' && n.arrival?.process !== 'constant',
        );
        if (random && a.sim.events > 0) expect(c.report.fingerprint).not.toBe(a.report.fingerprint);
        return true;
      }),
      { seed: 303, numRuns: 40 },
    );
  });
});
