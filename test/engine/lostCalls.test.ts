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
  // database partitioned from 2 s to 3 s
  const lost = (stampede: string, type = 'cache'): TestScenario => ({
    duration: '10s',
    nodes: [
      { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 200 }, keys: { popularity: 'uniform', count: 5 }, writeFraction: 0, timeout: '500ms' },
      { id: 'cache', type, ...(type === 'cache' ? { pattern: 'read-through' } : {}), stampede, ttl: '100ms', lockTimeout: '200ms', latency: '1ms' },
      { id: 'db', type: 'database' },
    ],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
    faults: [{ at: '2s', for: '1s', action: 'partition', edge: 'cache->db' }],
  });

  for (const [stampede, type] of [['coalesce', 'cache'], ['coalesce', 'cdn'], ['lock', 'cache']] as const) {
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
