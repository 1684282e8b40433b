/**
 * Properties of every valid scenario with rate limiters, counter stores and retrying
 * clients (random algorithms, keys, tiers, stores, latencies, faults): runs finish,
 * every request and every call is accounted for (each node holds exactly the calls the
 * kernel counts at it; each client's sent = ok + failed + outstanding), and runs are
 * deterministic. Seeds are in the test names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientNode } from '../../engine/components/client.ts';
import { buildReport, createSimulation, parseScenario } from '../../engine/index.ts';
import { sequentialFaults } from '../helpers.ts';

const ms = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((x) => `${x}ms`);
const latency = fc.oneof(fc.constant(undefined), ms(0, 5), fc.integer({ min: 1, max: 5 }).map((x) => ({ dist: 'exponential', mean: `${x}ms` })));

const algorithm = fc.oneof(
  fc.record({ type: fc.constant('tokenBucket'), rate: fc.integer({ min: 1, max: 200 }), capacity: fc.integer({ min: 1, max: 50 }), startFull: fc.boolean(), maxDelay: fc.constantFrom(0, '50ms') }),
  fc.record({ type: fc.constant('leakyBucket'), mode: fc.constantFrom('queue', 'meter'), rate: fc.integer({ min: 1, max: 200 }), capacity: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ type: fc.constant('fixedWindow'), limit: fc.integer({ min: 1, max: 50 }), window: ms(10, 1000), counter: fc.constantFrom('aligned', 'redisIncrExpire', 'redisGetIncr') }),
  fc.record({ type: fc.constantFrom('slidingLog', 'slidingWindowCounter'), limit: fc.integer({ min: 1, max: 50 }), window: ms(10, 1000), countRejected: fc.boolean() }),
  fc.record({ type: fc.constant('nginx'), rate: fc.integer({ min: 1, max: 200 }), burst: fc.integer({ min: 0, max: 20 }), nodelay: fc.boolean(), delay: fc.integer({ min: 0, max: 5 }) }),
);

const retry = fc.oneof(
  fc.constant(undefined),
  fc.record({
    backoff: fc.oneof(
      fc.constant({ policy: 'immediate' }),
      fc.record({ policy: fc.constant('fixed'), delay: ms(1, 50) }),
      fc.record({ policy: fc.constant('exponential'), base: ms(1, 20), cap: ms(20, 500), jitter: fc.constantFrom('none', 'full', 'equal', 'decorrelated') }),
    ),
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    retryOn: fc.constantFrom(['429', '503', '504', 'dropped', 'timeout'], ['429'], ['timeout', '499']),
    honorRetryAfter: fc.boolean(),
    budget: fc.option(fc.record({ ratio: fc.constantFrom(0.1, 0.5), minPerSec: fc.constantFrom(0, 5), window: fc.constant('1s') }), { nil: undefined }),
  }),
);

const scenarioArb = fc
  .record({
    clients: fc.array(
      fc.record({
        arrival: fc.oneof(
          fc.integer({ min: 20, max: 400 }).map((rate) => ({ process: 'poisson', rate })),
          fc.integer({ min: 1, max: 20 }).map((users) => ({ process: 'closed', users, think: { dist: 'exponential', mean: '20ms' } })),
          fc.integer({ min: 50, max: 500 }).map((rate) => ({ process: 'onoff', rate, on: '300ms', off: '500ms' })),
        ),
        users: fc.integer({ min: 1, max: 50 }),
        timeout: fc.constantFrom('none', '20ms', '200ms'),
        retry,
        tier: fc.constantFrom(undefined, 'free', 'premium', 'unknown'),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    limiters: fc.array(
      fc.record({
        algorithm,
        key: fc.constantFrom('global', 'ip', 'user'),
        tiers: fc.boolean(),
        processing: fc.constantFrom(0, '1ms'),
        dryRun: fc.constantFrom(false, false, true),
        maxKeys: fc.constantFrom(3, 1000),
        store: fc.record({ timeout: ms(1, 30), failMode: fc.constantFrom('open', 'closed') }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    lb: fc.boolean(),
    useStore: fc.boolean(),
    storeLatency: latency,
    edgeLatency: latency,
    server: fc.record({ workers: fc.integer({ min: 1, max: 4 }), queue: fc.integer({ min: 0, max: 30 }), service: ms(1, 10) }),
    faults: fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 1500 }), for: fc.integer({ min: 1, max: 800 }), what: fc.constantFrom('crashLimiter', 'crashStore', 'crashServer', 'partitionStore', 'slowStore'), i: fc.nat() }),
      { maxLength: 3 },
    ),
  })
  .map((g) => {
    // (undefined optional fields, e.g. no retry or no tier, validate as absent)
    const clients = g.clients.map((c, i) => ({ id: `c${i}`, type: 'client', ...c, ips: Math.max(1, Math.floor(c.users / 2)) }));
    const limiters = g.limiters.map((l, i) => ({
      id: `rl${i}`,
      type: 'rateLimiter',
      algorithm: l.algorithm,
      key: l.key,
      processing: l.processing,
      dryRun: l.dryRun,
      maxKeys: l.maxKeys,
      store: { zone: 'z', ...l.store },
      ...(l.tiers ? { tiers: [{ name: 'free' }, { name: 'premium' }] } : {}),
    }));
    const nodes: Array<Record<string, unknown>> = [...clients, ...limiters, { id: 's', type: 'server', ...g.server }];
    const edges: Array<Record<string, unknown>> = [];
    const lat = (l: unknown) => (l === undefined ? {} : { latency: l });
    if (g.lb) {
      nodes.push({ id: 'lb', type: 'loadBalancer', healthCheck: { enabled: false } });
      for (const c of clients) edges.push({ from: c.id, to: 'lb', ...lat(g.edgeLatency) });
      for (const l of limiters) edges.push({ from: 'lb', to: l.id });
    } else clients.forEach((c, i) => edges.push({ from: c.id, to: limiters[i % limiters.length]!.id, ...lat(g.edgeLatency) }));
    for (const l of limiters) edges.push({ from: l.id, to: 's', ...lat(g.edgeLatency) });
    if (g.useStore) {
      nodes.push({ id: 'store', type: 'counterStore', queue: 5 });
      for (const l of limiters) edges.push({ from: l.id, to: 'store', ...lat(g.storeLatency) });
    }
    const faults = g.faults.flatMap((f): Array<Record<string, unknown>> => {
      const base = { at: `${f.at}ms`, for: `${f.for}ms` };
      switch (f.what) {
        case 'crashLimiter':
          return [{ ...base, action: 'crash', node: limiters[f.i % limiters.length]!.id }];
        case 'crashServer':
          return [{ ...base, action: 'crash', node: 's' }];
        case 'crashStore':
          return g.useStore ? [{ ...base, action: 'crash', node: 'store' }] : [];
        case 'slowStore':
          return g.useStore ? [{ ...base, action: 'slowdown', factor: 50, node: 'store' }] : [];
        default:
          return g.useStore ? [{ ...base, action: 'partition', edge: `${limiters[f.i % limiters.length]!.id}->store` }] : [];
      }
    });
    return { version: 1, name: 'generated', seed: 1, duration: '2s', window: '250ms', limits: { maxEvents: 300_000 }, nodes, edges, faults: sequentialFaults(faults as Array<{ at: string; for: string; action: string }>) };
  });

function runRaw(raw: unknown, seed?: number) {
  const p = parseScenario(raw);
  if (!p.ok) throw new Error('generator made an invalid scenario: ' + JSON.stringify(p.issues));
  const sim = createSimulation(p.scenario, { seed });
  sim.runToEnd();
  return { sim, report: buildReport(sim) };
}

describe('properties of scenarios with rate limiters, stores and retries', () => {
  it('every request and call is accounted for (fast-check seed 505)', () => {
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const { sim, report } = runRaw(raw);
        expect(report.stopped).toBeNull();
        for (const n of sim.nodes) {
          if (n.type === 'client') {
            const c = n as ClientNode;
            expect(c.e2e.totalSent).toBe(c.e2e.totalOk + c.e2e.totalFailed + c.outstanding);
            expect(c.outstanding).toBeGreaterThanOrEqual(0);
          } else {
            const s = n.stats;
            expect(s.totalArrivals).toBe(s.totalOk + s.totalFailed + s.inNode.value);
            expect(n.held()).toBe(s.inNode.value);
          }
        }
        return true;
      }),
      { seed: 505, numRuns: 80 },
    );
  });

  it('is deterministic: the same scenario and seed give the same fingerprint (fast-check seed 606)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 1000 }), (raw, seed) => {
        expect(runRaw(raw, seed).report.fingerprint).toBe(runRaw(raw, seed).report.fingerprint);
        return true;
      }),
      { seed: 606, numRuns: 20 },
    );
  });
});
