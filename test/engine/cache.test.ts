/**
 * Timeline tests of the cache component: each pattern's hits, misses, loads, writes and
 * their latencies, exactly, on hand-written request traces.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation } from '../../engine/index.ts';
import type { CacheNode } from '../../engine/components/cacheNode.ts';
import type { DatabaseNode } from '../../engine/components/database.ts';
import { parse, run, type TestScenario } from '../helpers.ts';

/** A client sending the listed requests: [time ms, key, 'r' | 'w']. */
const client = (reqs: Array<[number, number, 'r' | 'w']>, extra: Record<string, unknown> = {}) => ({
  id: 'c',
  type: 'client',
  arrival: { process: 'trace', requests: reqs.map(([at, key, k]) => ({ at, key, kind: k === 'w' ? 'write' : 'read' })) },
  ...extra,
});
const db = (extra: Record<string, unknown> = {}) => ({ id: 'db', type: 'database', readService: 5, writeService: 10, ...extra });
const lat = (t: { traces: { latency: number }[] }) => t.traces.map((r) => r.latency / 1000);
const byTime = (t: { traces: Array<{ sentAt: number; latency: number; status: number }> }) =>
  [...t.traces].sort((a, b) => a.sentAt - b.sentAt).map((r) => [r.sentAt / 1000, r.status, r.latency / 1000]);
const node = (t: { report: { nodes: Record<string, unknown> } }, id: string) => t.report.nodes[id] as Record<string, any>;

describe('read-through cache', () => {
  const s = (reqs: Array<[number, number, 'r' | 'w']>, cache: Record<string, unknown> = {}): TestScenario => ({
    nodes: [client(reqs), { id: 'cache', type: 'cache', pattern: 'read-through', latency: 1, ...cache }, db()],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
  });

  it('answers a hit after its latency, loads a miss from the database, and expires at the TTL', () => {
    const t = run(s([[0, 1, 'r'], [10, 1, 'r'], [30, 1, 'r'], [31, 2, 'r']], { ttl: '20ms' }), { trace: true });
    expect(byTime(t)).toEqual([
      [0, 200, 5], // miss: the database's 5 ms
      [10, 200, 1], // hit
      [30, 200, 5], // stored at 5 ms, expired at 25 ms: a miss again
      [31, 200, 5],
    ]);
    expect(t.traces[0]!.path).toEqual(['c', 'cache', 'db']);
    const c = node(t, 'cache');
    expect([c.hits, c.misses, c.expirations, c.originReads, c.hitRatio]).toEqual([1, 3, 1, 3, 0.25]);
    expect(node(t, 'db').arrivals).toBe(3);
  });

  it('waits missLatency before loading when set', () => {
    const t = run(s([[0, 1, 'r']], { missLatency: 2 }), { trace: true });
    expect(lat(t)).toEqual([7]);
  });

  it('evicts by its policy: with capacity 2 under LRU, the least recently used key goes', () => {
    const t = run(s([[0, 1, 'r'], [10, 2, 'r'], [20, 1, 'r'], [30, 3, 'r'], [40, 1, 'r'], [50, 2, 'r']], { capacity: 2 }), { trace: true });
    // 3 evicts 2 (1 was used at 20 ms), so 1 hits at 40 ms and 2 misses at 50 ms
    expect(lat(t)).toEqual([5, 5, 1, 5, 1, 5]);
    expect(node(t, 'cache').evictions).toBe(2);
  });

  it('a warm start pre-fills the most popular keys', () => {
    const t = run(s([[0, 0, 'r'], [1, 4, 'r'], [2, 5, 'r']], { start: 'warm', warmKeys: 5 }), { trace: true });
    expect(lat(t)).toEqual([1, 1, 5]);
  });

  it('caps total bytes when capacityBytes is set, with a size per key', () => {
    const reqs: Array<[number, number, 'r']> = Array.from({ length: 50 }, (_, i) => [i * 10, i, 'r']);
    const t = run(s(reqs, { capacityBytes: '10KB', objectSize: { dist: 'uniform', min: '1KB', max: '3KB' } }));
    const c = node(t, 'cache');
    expect(c.bytes).toBeLessThanOrEqual(10_000);
    expect(c.entries).toBeGreaterThanOrEqual(3);
    expect(c.entries).toBeLessThanOrEqual(10);
    expect(c.evictions).toBe(50 - c.entries);
  });
});

describe('write patterns', () => {
  const s = (pattern: string, reqs: Array<[number, number, 'r' | 'w']>, cache: Record<string, unknown> = {}): TestScenario => ({
    nodes: [client(reqs), { id: 'cache', type: 'cache', pattern, latency: 1, ...cache }, db()],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
  });

  it('write-through: a write takes the database and the cache; the next read hits the new version', () => {
    const t = run(s('write-through', [[0, 1, 'w'], [20, 1, 'r']]), { trace: true });
    expect(lat(t)).toEqual([11, 1]);
    expect(node(t, 'cache').staleReads).toBe(0);
  });

  it('read-through invalidates on write: the next read misses and loads the new version', () => {
    const t = run(s('read-through', [[0, 1, 'r'], [10, 1, 'w'], [30, 1, 'r']]), { trace: true });
    expect(lat(t)).toEqual([5, 10, 5]);
    expect(node(t, 'cache').staleReads).toBe(0);
  });

  it('read-through with onWrite update: the next read hits the written version', () => {
    const t = run(s('read-through', [[0, 1, 'r'], [10, 1, 'w'], [30, 1, 'r']], { onWrite: 'update' }), { trace: true });
    expect(lat(t)).toEqual([5, 10, 1]);
  });

  it('write-around: the write skips the cache, which serves the old version: a stale read, counted at the cache and end to end', () => {
    const t = run(s('write-around', [[0, 1, 'r'], [10, 1, 'w'], [30, 1, 'r']]), { trace: true });
    expect(lat(t)).toEqual([5, 10, 1]);
    expect(node(t, 'cache').staleReads).toBe(1);
    expect(t.report.endToEnd.staleReads).toBe(1);
  });

  it('write-back: writes are acknowledged by the cache, coalesced, and flushed at the interval', () => {
    const sc = parse(s('write-back', [[10, 1, 'w'], [20, 1, 'w'], [30, 1, 'w'], [40, 2, 'w'], [150, 1, 'r']], { flushInterval: '100ms', flushBatch: 0 }));
    const sim = createSimulation(sc);
    const dbn = sim.byId.get('db') as DatabaseNode;
    sim.run(99_999);
    expect([dbn.currentVersion(1), dbn.stats.totalArrivals]).toEqual([0, 0]);
    sim.run(100_001); // flush at 100 ms: one write per key, carrying the latest version
    expect(dbn.stats.totalArrivals).toBe(2);
    sim.run(111_000);
    expect([dbn.currentVersion(1), dbn.currentVersion(2)]).toEqual([3, 1]);
    sim.runToEnd();
    const c = (sim.byId.get('cache') as CacheNode).report() as Record<string, number>;
    expect([c.writes, c.flushedWrites, c.flushCalls, c.unflushedWrites, c.lostWrites, c.hits]).toEqual([4, 4, 2, 0, 0, 1]);
  });

  it('write-back: a full batch flushes at once', () => {
    const sc = parse(s('write-back', [[10, 1, 'w'], [20, 2, 'w']], { flushInterval: 'none', flushBatch: 2 }));
    const sim = createSimulation(sc);
    sim.run(20_001);
    expect(sim.byId.get('db')!.stats.totalArrivals).toBe(2);
  });

  it('write-back: a crash loses exactly the writes not yet flushed, and says so', () => {
    const t = run({
      ...s('write-back', [[10, 1, 'w'], [20, 1, 'w'], [30, 2, 'w'], [110, 3, 'w'], [120, 3, 'w'], [130, 4, 'w']], { flushInterval: '100ms', flushBatch: 0 }),
      faults: [{ at: '150ms', node: 'cache', action: 'crash' }],
    });
    const c = node(t, 'cache');
    // flushed at 100 ms: 3 writes (keys 1, 2); written after it and lost in the crash: 3
    expect([c.flushedWrites, c.lostWrites, c.unflushedWrites]).toEqual([3, 3, 0]);
    expect(node(t, 'db').arrivals).toBe(2);
    expect(t.report.timeline.map((x) => x.text)).toEqual(['cache: 3 acknowledged writes not yet flushed, lost', 'cache crashed']);
  });

  it('write-back: in a larger random run, a crash loses exactly the writes the cache held unflushed just before it', () => {
    // at risk just before the crash: 20, 108, and 140 of which 48 arrived after the 2.5 s warm-up
    for (const [seed, crashUs, warmup] of [[1, 3_123_457, '0s'], [2, 4_654_321, '1s'], [3, 2_777_001, '2500ms']] as const) {
      const sc = parse({
        seed,
        duration: '8s',
        warmup,
        nodes: [
          { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 400 }, keys: { popularity: 'zipf', count: 500, alpha: 0.9 }, writeFraction: 0.4 },
          // capacity below the key count: evictions flush dirty keys too
          { id: 'cache', type: 'cache', pattern: 'write-back', capacity: 300, latency: '0.5ms', flushInterval: '1s', flushBatch: 200 },
          { id: 'db', type: 'database', connections: 16, queue: 100_000, readService: 2, writeService: { dist: 'exponential', mean: '2ms' } },
        ],
        edges: [{ from: 'c', to: 'cache', latency: '1ms' }, { from: 'cache', to: 'db', latency: '1ms' }],
        faults: [{ at: `${crashUs}us`, for: '300ms', node: 'cache', action: 'crash' }],
      });
      const sim = createSimulation(sc);
      const cache = sim.byId.get('cache') as CacheNode;
      sim.run(crashUs); // every event before the crash instant, none at it
      const atRisk = cache.wb.unflushed;
      const atRiskCounted = cache.wb.unflushedCounted;
      expect(atRisk, `seed ${seed}: writes at risk before the crash`).toBeGreaterThan(10);
      expect((cache.report() as Record<string, number>).lostWrites).toBe(0);
      sim.runToEnd();
      const c = cache.report() as Record<string, number>;
      expect(c.lostWrites, `seed ${seed}`).toBe(atRiskCounted);
      expect(c.flushFailures).toBe(0); // nothing else could lose a write
      expect(buildReport(sim).timeline.map((x) => x.text)).toContain(`cache: ${atRisk} acknowledged writes not yet flushed, lost`);
    }
  });

  it('a flush fault empties the cache and loses unflushed writes', () => {
    const t = run({
      ...s('write-back', [[10, 1, 'w'], [60, 1, 'r']], { flushInterval: '1s', flushBatch: 0 }),
      faults: [{ at: '50ms', node: 'cache', action: 'flush' }],
    }, { trace: true });
    expect(node(t, 'cache').lostWrites).toBe(1);
    expect(lat(t)).toEqual([1, 5]); // the read misses and loads the (old) version
  });
});

describe('cache-aside (app server, cache, database)', () => {
  const s = (reqs: Array<[number, number, 'r' | 'w']>, cache: Record<string, unknown> = {}, cacheEdge: Record<string, unknown> = {}): TestScenario => ({
    nodes: [client(reqs), { id: 'api', type: 'server', service: 1 }, { id: 'cache', type: 'cache', latency: 1, ...cache }, db()],
    edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'cache', ...cacheEdge }, { from: 'api', to: 'db' }],
  });

  it('reads the cache, loads a miss from the database and fills the cache; a write invalidates', () => {
    const t = run(s([[0, 1, 'r'], [20, 1, 'r'], [40, 1, 'w'], [60, 1, 'r']]), { trace: true });
    // miss: 1 (server) + 1 (GET) + 5 (database); hit: 1 + 1; write: 1 + 10 + 1 (DELETE); miss again
    expect(byTime(t)).toEqual([
      [0, 200, 7],
      [20, 200, 2],
      [40, 200, 12],
      [60, 200, 7],
    ]);
    expect(t.traces[0]!.path).toEqual(['c', 'api', 'cache', 'db', 'cache']);
    const c = node(t, 'cache');
    // arrivals: GET, SET (fill), GET, DELETE, GET, SET
    expect([c.arrivals, c.hits, c.misses, c.writes, c.staleReads]).toEqual([6, 1, 2, 3, 0]);
    expect(node(t, 'db').arrivals).toBe(3);
  });

  it('with onWrite update the write sets the new version and the next read hits', () => {
    const t = run(s([[0, 1, 'r'], [20, 1, 'w'], [40, 1, 'r']], { onWrite: 'update' }), { trace: true });
    expect(lat(t)).toEqual([7, 12, 2]);
  });

  it('with a read-only edge to the cache, writes skip it and reads see stale data until the TTL', () => {
    const t = run(s([[0, 1, 'r'], [20, 1, 'w'], [40, 1, 'r'], [120, 1, 'r']], { ttl: '100ms' }, { kinds: 'read' }), { trace: true });
    expect(lat(t)).toEqual([7, 11, 2, 7]);
    expect(node(t, 'cache').staleReads).toBe(1);
    expect(t.report.endToEnd.staleReads).toBe(1);
  });

  it('a slow fill never overwrites a newer version that a write put in the cache meanwhile', () => {
    // c1 → a1 is far from the cache (10 ms); c2 → a2 writes with onWrite update
    const reqs = (id: string, list: Array<[number, number, 'r' | 'w']>) => ({ ...client(list), id });
    const t = run(
      {
        nodes: [
          reqs('c1', [[0, 1, 'r'], [40, 1, 'r']]),
          reqs('c2', [[26, 1, 'w']]),
          { id: 'a1', type: 'server', service: 0 },
          { id: 'a2', type: 'server', service: 0 },
          { id: 'cache', type: 'cache', latency: 0, onWrite: 'update' },
          db({ writeService: 1 }),
        ],
        edges: [
          { from: 'c1', to: 'a1' },
          { from: 'c2', to: 'a2' },
          { from: 'a1', to: 'cache', latency: 10 },
          { from: 'a1', to: 'db' },
          { from: 'a2', to: 'cache' },
          { from: 'a2', to: 'db' },
        ],
      },
      { trace: true },
    );
    // the read at 0 reads version 0 from the database at 25 ms; the write commits version 1
    // at 27 ms and sets it at once; the read's fill (version 0) reaches the cache at 35 ms
    // and is discarded, so the read at 40 ms hits version 1
    expect(byTime(t)).toEqual([
      [0, 200, 25],
      [26, 200, 1],
      [40, 200, 20],
    ]);
    expect([node(t, 'cache').hits, node(t, 'cache').staleReads]).toEqual([1, 0]);
  });

  it('falls back to the database while the cache is down', () => {
    const t = run({ ...s([[0, 1, 'r'], [20, 1, 'r'], [40, 1, 'r']]), faults: [{ at: '10ms', for: '20ms', node: 'cache', action: 'crash' }] }, { trace: true });
    // 20 ms: the GET is refused (503), the server reads the database; 40 ms: the cache came back empty
    expect(byTime(t)).toEqual([
      [0, 200, 7],
      [20, 200, 6],
      [40, 200, 7],
    ]);
  });
});

describe('crashes', () => {
  it('a crashed cache drops the calls it holds, refuses others, and comes back empty', () => {
    const t = run(
      {
        nodes: [
          client([[0, 1, 'r'], [1, 9, 'r'], [3, 2, 'r'], [30, 3, 'r'], [40, 9, 'r']]),
          { id: 'cache', type: 'cache', pattern: 'read-through', latency: 5, start: 'warm', warmKeys: 5 },
          db({ readService: 20 }),
        ],
        edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
        faults: [{ at: '2ms', for: '10ms', node: 'cache', action: 'crash' }],
      },
      { trace: true },
    );
    expect(byTime(t)).toEqual([
      [0, 1, 2], // a hit being answered: dropped
      [1, 1, 1], // waiting for its load: dropped
      [3, 503, 0], // refused while down
      [30, 200, 20], // warm key 3 is gone: the cache came back empty
      [40, 200, 5], // the load sent at 1 ms was still under way, and filled the cache when it returned at 21 ms
    ]);
    expect(t.sim.byId.get('cache')!.held()).toBe(0);
  });
});
