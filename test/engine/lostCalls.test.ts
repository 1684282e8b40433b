/**
 * Calls the data tier makes that are lost (a partitioned edge) or never answered in time
 * (a slow backing store): a cache never waits for them for ever, nor lets them block a
 * key, a write or its memory.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../engine/index.ts';
import type { TraceRecord } from '../../engine/index.ts';
import { parse, run, type TestScenario } from '../helpers.ts';

const node = (t: { report: { nodes: Record<string, unknown> } }, id: string) => t.report.nodes[id] as Record<string, any>;
const after = (traces: TraceRecord[], ms: number) => traces.filter((r) => r.sentAt >= ms * 1000);
const statuses = (traces: TraceRecord[]) => {
  const out: Record<string, number> = {};
  for (const r of traces) {
    const k = r.status === 200 ? '200' : `${r.status} ${r.reason} at ${r.origin}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};
/** A client sending the listed requests: [time ms, key, 'r' | 'w']. */
const client = (reqs: Array<[number, number, 'r' | 'w']>, extra: Record<string, unknown> = {}) => ({
  id: 'c',
  type: 'client',
  arrival: { process: 'trace', requests: reqs.map(([at, key, k]) => ({ at, key, kind: k === 'w' ? 'write' : 'read' })) },
  ...extra,
});
const byTime = (t: { traces: TraceRecord[] }) =>
  [...t.traces].sort((a, b) => a.sentAt - b.sentAt || a.key - b.key).map((r) => [r.sentAt / 1000, r.status === 200 ? 200 : `${r.status} ${r.reason}`, r.latency / 1000]);

describe('read-through loads that are lost or late', () => {
  // the reviewer's scenario: 5 hot keys with a 100 ms TTL, the cache's edge to the
  // database partitioned from 2 s to 3 s (callTimeout bounds the loads nobody waits on,
  // which early-refresh makes on a miss)
  const lost = (stampede: string, type = 'cache'): TestScenario => ({
    duration: '10s',
    nodes: [
      { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 200 }, keys: { popularity: 'uniform', count: 5 }, writeFraction: 0, timeout: '500ms' },
      { id: 'cache', type, ...(type === 'cache' ? { pattern: 'read-through' } : {}), stampede, ttl: '100ms', lockTimeout: '200ms', callTimeout: '400ms', latency: '1ms' },
      { id: 'db', type: 'database' },
    ],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
    faults: [{ at: '2s', for: '1s', action: 'partition', edge: 'cache->db' }],
  });

  for (const [stampede, type] of [['coalesce', 'cache'], ['coalesce', 'cdn'], ['lock', 'cache'], ['early-refresh', 'cache'], ['none', 'cache']] as const) {
    it(`${type} with ${stampede}: a lost load holds a key back for at most lockTimeout, and the cache holds nothing for it afterwards`, () => {
      const t = run(lost(stampede, type), { trace: true });
      // every request sent once the partition has healed and the stuck loads have timed
      // out (3 s + lockTimeout) is served
      const late = after(t.traces, 3200);
      expect(late.length).toBeGreaterThan(1000);
      expect(statuses(late)).toEqual({ '200': late.length });
      // requests that waited on a lost load were answered by the cache (504 load-timeout),
      // none was left to the client's timeout
      const failures = Object.keys(statuses(t.traces)).filter((k) => k !== '200');
      expect(failures.every((k) => k === '504 load-timeout at cache')).toBe(true);
      // and the cache holds nothing for them: at most what is under way at the end
      const cache = t.sim.byId.get('cache')!;
      expect(cache.held()).toBeLessThanOrEqual(5);
      const maps = cache as unknown as { flights: Map<number, unknown>; loads: Map<number, unknown> };
      expect(maps.flights.size).toBeLessThanOrEqual(5);
      expect(maps.loads.size).toBeLessThanOrEqual(5);
      expect(node(t, 'cache').loadTimeouts).toBeGreaterThan(0);
    });
  }

  for (const stampede of ['coalesce', 'lock', 'none']) {
    it(`${stampede}: behind an edge that stays partitioned, what the cache holds stays bounded`, () => {
      const sim = createSimulation(parse({ ...lost(stampede), duration: '30s', faults: [{ at: '1s', action: 'partition', edge: 'cache->db' }] }));
      const cache = sim.byId.get('cache')!;
      const maps = cache as unknown as { flights: Map<number, unknown>; loads: Map<number, unknown> };
      let most = 0;
      while (!sim.done) {
        sim.run(sim.now + 250_000);
        most = Math.max(most, cache.held(), maps.flights.size, maps.loads.size);
      }
      // 200 requests/s: about the last lockTimeout's worth (200 ms; up to 2 × that and a
      // poll for lock waiters) or callTimeout's (400 ms: 80 on average, Poisson peaks
      // above); before, every request since 1 s stayed (thousands)
      expect(most).toBeLessThan(125);
      expect(cache.stats.totalArrivals - cache.stats.totalOk - cache.stats.totalFailed).toBe(cache.held());
    });
  }

  it('lock: after a lost load, later misses no longer pay lockTimeout', () => {
    const t = run(lost('lock'), { trace: true });
    const late = after(t.traces, 3200);
    // a miss waits for one load (the database's few ms) and polls every 10 ms
    expect(Math.max(...late.map((r) => r.latency / 1000))).toBeLessThan(100);
  });

  it('coalesce: a load slower than lockTimeout is abandoned, its waiters answered 504, and its late answer ignored', () => {
    const t = run(
      {
        nodes: [
          client([[0, 1, 'r'], [50, 1, 'r'], [150, 1, 'r'], [450, 1, 'r']]),
          { id: 'cache', type: 'cache', pattern: 'read-through', stampede: 'coalesce', latency: 1, lockTimeout: '100ms' },
          { id: 'db', type: 'database', readService: 300 },
        ],
        edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
      },
      { trace: true },
    );
    expect(byTime(t)).toEqual([
      [0, '504 load-timeout', 100], // its load (0 → 300 ms) is given up at 100 ms
      [50, '504 load-timeout', 50], // waited on it
      [150, '504 load-timeout', 100], // a new load (150 → 450 ms), not the stuck one; given up at 250 ms
      [450, '504 load-timeout', 100], // the late answers at 300 and 450 ms filled nothing: a miss
    ]);
    const c = node(t, 'cache');
    expect([c.misses, c.coalesced, c.originReads, c.loadTimeouts, c.entries]).toEqual([4, 1, 3, 3, 0]);
    expect(t.sim.byId.get('cache')!.held()).toBe(0);
  });

  it('coalesce: a load back within lockTimeout answers everyone who waited, as before', () => {
    const t = run(
      {
        nodes: [
          client([[0, 1, 'r'], [50, 1, 'r'], [150, 1, 'r']]),
          { id: 'cache', type: 'cache', pattern: 'read-through', stampede: 'coalesce', latency: 1, lockTimeout: '100ms' },
          { id: 'db', type: 'database', readService: 80 },
        ],
        edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
      },
      { trace: true },
    );
    expect(byTime(t)).toEqual([
      [0, 200, 80],
      [50, 200, 30],
      [150, 200, 1],
    ]);
    expect(node(t, 'cache').loadTimeouts).toBe(0);
  });
});

describe('cache-aside locks whose loads are lost', () => {
  it('coalesce: a request waits through at most two lock leases, not a chain of lost loads', () => {
    // the app server's edge to the database is partitioned for 1 s and it has no call
    // timeout: every lock holder's load is lost and its lease expires
    const t = run({
      duration: '5s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'constant', rate: 100 }, keys: { popularity: 'uniform', count: 1 }, writeFraction: 0, timeout: 'none' },
        { id: 'api', type: 'server', workers: 1000, service: 0 },
        { id: 'cache', type: 'cache', stampede: 'coalesce', latency: 0, ttl: '50ms', lockTimeout: '100ms' },
        { id: 'db', type: 'database', readService: 5 },
      ],
      edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'cache' }, { from: 'api', to: 'db' }],
      faults: [{ at: '1s', for: '1s', action: 'partition', edge: 'api->db' }],
    });
    // the cache answers every GET within two leases (before: the waiters of the partition
    // were let through one per lease, the last after about a second)
    expect(node(t, 'cache').latencyMs.max).toBeLessThanOrEqual(200);
  });
});

describe('writes passed on to the backing store', () => {
  it('write-through: a write lost on the way, or answered after callTimeout, is answered 504 and its late answer ignored', () => {
    const t = run(
      {
        nodes: [
          client([[10, 1, 'w'], [200, 2, 'w'], [400, 2, 'r']]),
          { id: 'cache', type: 'cache', pattern: 'write-through', latency: 1, callTimeout: '50ms' },
          { id: 'db', type: 'database', readService: 5, writeService: 10 },
        ],
        edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
        // the first write is lost; the second commits, but after 100 ms (the database slowed down ×10)
        faults: [
          { at: '0ms', for: '100ms', action: 'partition', edge: 'cache->db' },
          { at: '150ms', for: '200ms', action: 'slowdown', node: 'db', factor: 10 },
        ],
      },
      { trace: true },
    );
    expect(byTime(t)).toEqual([
      [10, '504 call-timeout', 50],
      [200, '504 call-timeout', 50],
      [400, 200, 5], // the late answer at 300 ms stored nothing in the cache: a miss
    ]);
    expect(t.sim.byId.get('cache')!.held()).toBe(0);
  });
});

describe('write-back flushes that fail or are lost', () => {
  const wb = (reqs: Array<[number, number, 'r' | 'w']>, faults: Array<Record<string, unknown>>): TestScenario => ({
    nodes: [
      client(reqs),
      { id: 'cache', type: 'cache', pattern: 'write-back', latency: 1, flushInterval: '100ms', flushBatch: 0, callTimeout: '50ms' },
      { id: 'db', type: 'database', readService: 5, writeService: 10 },
    ],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
    faults,
  });
  const counts = (c: Record<string, any>) => ({
    flushCalls: c.flushCalls,
    flushFailures: c.flushFailures,
    flushedWrites: c.flushedWrites,
    unflushedWrites: c.unflushedWrites,
    lostWrites: c.lostWrites,
  });

  it('a flush lost on a partitioned edge is given up at callTimeout and retried until the database has it', () => {
    // flushes at 100 and 200 ms are lost (partition until 230 ms) and time out 50 ms later; the one at 300 ms lands
    const sim = createSimulation(parse(wb([[10, 1, 'w'], [20, 2, 'w']], [{ at: '50ms', for: '180ms', action: 'partition', edge: 'cache->db' }])));
    const cache = sim.byId.get('cache')!;
    const db = sim.byId.get('db') as unknown as { currentVersion(k: number): number };
    sim.run(120_000);
    // sent, not acknowledged: neither flushed nor lost
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 2, flushFailures: 0, flushedWrites: 0, unflushedWrites: 0, lostWrites: 0 });
    sim.run(160_000);
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 2, flushFailures: 2, flushedWrites: 0, unflushedWrites: 2, lostWrites: 0 });
    sim.runToEnd();
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 6, flushFailures: 4, flushedWrites: 2, unflushedWrites: 0, lostWrites: 0 });
    expect([db.currentVersion(1), db.currentVersion(2)]).toEqual([1, 1]);
    expect((cache as unknown as { flushes: Map<number, unknown> }).flushes.size).toBe(0);
  });

  it('a failed flush goes back with the next flush of its key, merged with a newer write', () => {
    // the database fails every write from 90 to 120 ms: the flush of key 1 at 100 ms fails at 110 ms
    const sim = createSimulation(parse(wb([[10, 1, 'w'], [105, 1, 'w']], [{ at: '90ms', for: '30ms', action: 'errors', node: 'db', rate: 1 }])));
    const cache = sim.byId.get('cache')!;
    sim.run(150_000);
    // both writes wait for the next flush (before: the failed one was counted flushed, and forgotten)
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 1, flushFailures: 1, flushedWrites: 0, unflushedWrites: 2, lostWrites: 0 });
    sim.runToEnd();
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 2, flushFailures: 1, flushedWrites: 2, unflushedWrites: 0, lostWrites: 0 });
    expect((sim.byId.get('db') as unknown as { currentVersion(k: number): number }).currentVersion(1)).toBe(2);
  });

  it('a flush the store refuses at once (full pool, zero-latency edge) waits for the next flush instead of being resent at once', () => {
    // batch 1: each write flushes at once; the database (1 connection, no queue) is busy with
    // key 1 until 20 ms and refuses key 2 at 12 ms: key 2 goes back and leaves with the 100 ms flush
    // (resending it at once, as before, recursed until the stack overflowed)
    const sim = createSimulation(
      parse({
        nodes: [
          client([[10, 1, 'w'], [12, 2, 'w']]),
          { id: 'cache', type: 'cache', pattern: 'write-back', latency: 1, flushInterval: '100ms', flushBatch: 1 },
          { id: 'db', type: 'database', connections: 1, queue: 0, readService: 5, writeService: 10 },
        ],
        edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
      }),
    );
    const cache = sim.byId.get('cache')!;
    sim.run(50_000);
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 2, flushFailures: 1, flushedWrites: 1, unflushedWrites: 1, lostWrites: 0 });
    sim.runToEnd();
    expect(counts(cache.report() as Record<string, any>)).toEqual({ flushCalls: 3, flushFailures: 1, flushedWrites: 2, unflushedWrites: 0, lostWrites: 0 });
    expect((sim.byId.get('db') as unknown as { currentVersion(k: number): number }).currentVersion(2)).toBe(1);
  });

  it('a flush that fails after the cache was emptied (a crash) cannot be retried: its writes are lost, and said so', () => {
    const t = run(
      wb(
        [[10, 1, 'w']],
        [
          { at: '50ms', for: '100ms', action: 'partition', edge: 'cache->db' },
          { at: '120ms', for: '10ms', action: 'crash', node: 'cache' },
        ],
      ),
    );
    expect(counts(node(t, 'cache'))).toEqual({ flushCalls: 1, flushFailures: 1, flushedWrites: 0, unflushedWrites: 0, lostWrites: 1 });
    expect(t.report.timeline.map((x) => x.text)).toContain('cache: a flush of 1 write failed after the cache was emptied; lost');
  });
});
