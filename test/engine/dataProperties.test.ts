/**
 * Properties of generated data-tier scenarios (caches of every pattern and stampede mode,
 * CDN edges, databases with replicas) under faults: nothing throws or hangs, every call
 * is answered exactly once or still held, each node holds exactly the calls the kernel
 * counts as there, a write-back cache accounts for every write it acknowledged, and runs
 * are deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientNode } from '../../engine/components/client.ts';
import { buildReport, createSimulation, parseScenario, type Simulation } from '../../engine/index.ts';
import { sequentialFaults } from '../helpers.ts';

const ms = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((x) => `${x}ms`);

const cacheArb = fc.record({
  capacity: fc.integer({ min: 1, max: 40 }),
  eviction: fc.constantFrom('lru', 'lfu', 'fifo', 'random'),
  ttl: fc.oneof(fc.constant('none'), ms(5, 300)),
  ttlJitter: fc.constantFrom(0, 0.3),
  ttlRefresh: fc.constantFrom('on-write', 'on-access'),
  latency: fc.constantFrom(0, '0.5ms', '2ms', { dist: 'exponential', mean: '1ms' }),
  stampede: fc.constantFrom('none', 'coalesce', 'lock', 'early-refresh'),
  lockRetry: ms(1, 20),
  lockTimeout: ms(5, 100),
  callTimeout: fc.constantFrom('none', '10s', '30ms'),
  start: fc.constantFrom('cold', 'warm'),
  onWrite: fc.constantFrom('invalidate', 'update'),
  flushInterval: ms(10, 200),
  flushBatch: fc.integer({ min: 0, max: 5 }),
});

const dbArb = fc.record({
  connections: fc.integer({ min: 1, max: 4 }),
  queue: fc.integer({ min: 0, max: 30 }),
  replicas: fc.integer({ min: 0, max: 2 }),
  replicationLag: fc.constantFrom(0, '5ms', { dist: 'exponential', mean: '20ms' }),
  readFrom: fc.constantFrom('replicas', 'any'),
  failoverAfter: fc.constantFrom('50ms', '300ms', 'none'),
  queueTimeout: fc.constantFrom('none', '20ms'),
  readService: fc.constantFrom(0, '2ms', { dist: 'exponential', mean: '3ms' }),
  writeService: fc.constantFrom('1ms', { dist: 'exponential', mean: '5ms' }),
});

const genArb = fc.record({
    shape: fc.constantFrom('aside', 'through', 'lb-aside', 'cdn', 'hierarchy'),
    pattern: fc.constantFrom('read-through', 'write-through', 'write-back', 'write-around'),
    cache: cacheArb,
    cache2: cacheArb,
    db: dbArb,
    rate: fc.integer({ min: 50, max: 600 }),
    keys: fc.integer({ min: 5, max: 200 }),
    writeFraction: fc.constantFrom(0, 0.1, 0.5),
    timeout: fc.constantFrom('none', '40ms'),
    edgeLatency: fc.constantFrom(0, '1ms'),
    faults: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 1900 }),
        for: fc.integer({ min: 1, max: 400 }),
        kind: fc.constantFrom('crash-cache', 'flush', 'crashPrimary', 'crash-db', 'partition'),
      }),
      { maxLength: 3 },
    ),
  });

type Gen = typeof genArb extends fc.Arbitrary<infer G> ? G : never;

function toScenario(g: Gen) {
    const client = {
      id: 'c',
      type: 'client',
      arrival: { process: 'poisson', rate: g.rate },
      keys: { popularity: 'zipf', count: g.keys, alpha: 0.9 },
      writeFraction: g.writeFraction,
      timeout: g.timeout,
    };
    const db = { id: 'db', type: 'database', ...g.db };
    const L = g.edgeLatency;
    const { flushInterval: _fi, flushBatch: _fb, onWrite: _ow, ...storeOnly } = g.cache;
    let nodes: Array<Record<string, unknown>>;
    let edges: Array<Record<string, unknown>>;
    let backing = 'cache->db';
    switch (g.shape) {
      case 'aside':
        nodes = [client, { id: 'api', type: 'server', workers: 8, service: '1ms' }, { id: 'cache', type: 'cache', ...g.cache }, db];
        edges = [{ from: 'c', to: 'api' }, { from: 'api', to: 'cache', latency: L }, { from: 'api', to: 'db', latency: L }];
        backing = 'api->db';
        break;
      case 'lb-aside':
        nodes = [
          client,
          { id: 'lb', type: 'loadBalancer' },
          { id: 'a1', type: 'server', workers: 4, service: '1ms', calls: 'parallel' },
          { id: 'a2', type: 'server', workers: 4, service: '1ms', callTimeout: '30ms' },
          { id: 'cache', type: 'cache', ...g.cache },
          db,
        ];
        edges = [
          { from: 'c', to: 'lb' },
          { from: 'lb', to: 'a1' },
          { from: 'lb', to: 'a2' },
          { from: 'a1', to: 'cache', latency: L },
          { from: 'a2', to: 'cache' },
          { from: 'a1', to: 'db' },
          { from: 'a2', to: 'db', latency: L },
        ];
        backing = 'a1->db';
        break;
      case 'through':
        nodes = [client, { id: 'cache', type: 'cache', ...g.cache, pattern: g.pattern }, db];
        edges = [{ from: 'c', to: 'cache', latency: L }, { from: 'cache', to: 'db', latency: L }];
        break;
      case 'cdn':
        nodes = [client, { id: 'cache', type: 'cdn', ...storeOnly }, { id: 'origin', type: 'server', workers: 4, service: '2ms' }, db];
        edges = [{ from: 'c', to: 'cache', latency: L }, { from: 'cache', to: 'origin', latency: '5ms' }, { from: 'origin', to: 'db' }];
        backing = 'cache->origin';
        break;
      default:
        nodes = [client, { id: 'cache', type: 'cache', ...g.cache, pattern: 'read-through' }, { id: 'l2', type: 'cache', ...g.cache2, pattern: g.pattern }, db];
        edges = [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'l2', latency: L }, { from: 'l2', to: 'db' }];
        backing = 'l2->db';
    }
    const faults = sequentialFaults(g.faults.map((f) => {
      const at = `${f.at}ms`;
      switch (f.kind) {
        case 'crash-cache':
          return { at, for: `${f.for}ms`, node: 'cache', action: 'crash' };
        case 'flush':
          return { at, node: 'cache', action: 'flush' };
        case 'crashPrimary':
          return { at, for: `${f.for}ms`, node: 'db', action: 'crashPrimary' };
        case 'crash-db':
          return { at, for: `${f.for}ms`, node: 'db', action: 'crash' };
        default:
          return { at, for: `${f.for}ms`, edge: backing, action: 'partition' };
      }
    }) as Array<{ at: string; for?: string; action: string; node?: string; edge?: string }>);
    return { version: 1, name: 'generated', seed: 1, duration: '2s', window: '250ms', limits: { maxEvents: 400_000 }, nodes, edges, faults };
}

const scenarioArb = genArb.map(toScenario);

/** Write-back caches behind a client, with writes, faults and a warm-up. */
const writeBackWarmupArb = fc
  .tuple(genArb, fc.constantFrom('through', 'hierarchy'), fc.constantFrom(0.1, 0.5), fc.constantFrom('200ms', '1s', '1500ms'))
  .map(([g, shape, writeFraction, warmup]) => ({ ...toScenario({ ...g, shape, pattern: 'write-back', writeFraction }), warmup }));

function runRaw(raw: Record<string, unknown>, seed?: number) {
  const p = parseScenario(raw);
  if (!p.ok) throw new Error('generator made an invalid scenario: ' + JSON.stringify(p.issues));
  const sim = createSimulation(p.scenario, { seed });
  sim.runToEnd();
  return { sim, report: buildReport(sim) };
}

/**
 * Every acknowledged write a write-back cache counts is flushed (acknowledged by the
 * database), unflushed, in a flush under way, or lost. Returns the write-back caches seen.
 */
function expectWritesAccountedFor(sim: Simulation): number {
  let seen = 0;
  for (const n of sim.nodes) {
    const r = n.report() as Record<string, number> | undefined;
    if (r === undefined || r.pattern !== ('write-back' as unknown)) continue;
    seen++;
    let flushing = 0;
    for (const f of (n as unknown as { flushes: Map<number, { counted: number }> }).flushes.values()) flushing += f.counted;
    expect(r.writes, `${n.id} accounts for every write`).toBe(r.flushedWrites! + r.unflushedWrites! + flushing + r.lostWrites!);
  }
  return seen;
}

describe('properties of generated data-tier scenarios', () => {
  it('conserve calls, hold exactly what the kernel counts, and stay deterministic (fast-check seed 4404)', () => {
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const a = runRaw(raw, 3);
        expect(a.report.stopped).toBeNull();
        for (const n of a.sim.nodes) {
          if (n.type === 'client') {
            const c = n as ClientNode;
            expect(c.e2e.totalSent).toBe(c.e2e.totalOk + c.e2e.totalFailed + c.outstanding);
            continue;
          }
          const s = n.stats;
          expect(s.totalArrivals, `${n.id} conserves its calls`).toBe(s.totalOk + s.totalFailed + s.inNode.value);
          expect(n.held(), `${n.id} holds what the kernel counts`).toBe(s.inNode.value);
        }
        const cache = a.report.nodes.cache as unknown as Record<string, number>;
        expect(cache.hits! + cache.misses!).toBeLessThanOrEqual(cache.arrivals!);
        expectWritesAccountedFor(a.sim);
        const b = runRaw(raw, 3);
        expect(b.report.fingerprint).toBe(a.report.fingerprint);
        expect(JSON.stringify({ ...b.report, wallSeconds: 0 })).toBe(JSON.stringify({ ...a.report, wallSeconds: 0 }));
        return true;
      }),
      { seed: 4404, numRuns: 80 },
    );
  });

  it('a write-back cache accounts for every write it counted, with a warm-up too (fast-check seed 5505)', () => {
    let counted = 0;
    fc.assert(
      fc.property(writeBackWarmupArb, (raw) => {
        const { sim, report } = runRaw(raw, 5);
        expect(report.stopped).toBeNull();
        expect(expectWritesAccountedFor(sim)).toBe(1);
        const wb = Object.values(report.nodes).find((n) => (n as unknown as { pattern?: string }).pattern === 'write-back') as unknown as { writes: number };
        counted += wb.writes;
        return true;
      }),
      { seed: 5505, numRuns: 60 },
    );
    expect(counted).toBeGreaterThan(0);
  });
});
