/**
 * Cache stampede (thundering herd): one hot key requested every millisecond, a TTL of
 * 1 s, and a database that takes 50 ms to load it. When the entry expires, every request
 * arriving during the 50 ms load misses too.
 */
import { describe, expect, it } from 'vitest';
import { run, type TestScenario } from '../helpers.ts';

const hot = { id: 'c', type: 'client', arrival: { process: 'constant', rate: 1000 }, keys: { popularity: 'uniform', count: 1 }, writeFraction: 0 };
const db = { id: 'db', type: 'database', connections: 1000, readService: 50 };

function readThrough(stampede: string, extra: Record<string, unknown> = {}): TestScenario {
  return {
    duration: '10s',
    nodes: [hot, { id: 'cache', type: 'cache', pattern: 'read-through', latency: 0, ttl: '1s', stampede, ...extra }, db],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
  };
}

function cacheAside(stampede: string, extra: Record<string, unknown> = {}): TestScenario {
  return {
    duration: '10s',
    nodes: [hot, { id: 'api', type: 'server', workers: 1000, service: 0 }, { id: 'cache', type: 'cache', latency: 0, ttl: '1s', stampede, ...extra }, db],
    edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'cache' }, { from: 'api', to: 'db' }],
  };
}

const nodes = (t: ReturnType<typeof run>) => t.report.nodes as Record<string, Record<string, any>>;

describe('cache stampede', () => {
  it('without mitigation, every miss during the load goes to the database: 50 concurrent loads per expiry', () => {
    const t = run(readThrough('none'));
    const n = nodes(t);
    // loads at 0 and after each expiry; requests at t..t+49 ms all miss (the one at t+50 finds
    // the first load's value). Each later load re-stores the key, so the cycle is 1,099 ms: 10 cycles.
    expect(n.db!.arrivals).toBe(500);
    expect(n.db!.inNode.max).toBe(50);
    expect(n.cache!.expirations).toBe(9);
    // the spike shows in the time series: 50 database arrivals in each window with an expiry
    const perWindow = t.report.series!.nodes.db!.arrivalsPerSec;
    expect(Math.max(...perWindow)).toBe(50);
  });

  it('with request coalescing (single flight), the database sees exactly one load per expiry', () => {
    const t = run(readThrough('coalesce'));
    const n = nodes(t);
    // one load at 0 and one per expiry (cycle 1,050 ms): 10; the other misses wait for it
    expect(n.db!.arrivals).toBe(10);
    expect(n.db!.arrivals).toBe(n.cache!.expirations + 1);
    expect(n.db!.inNode.max).toBe(1);
    expect(n.cache!.coalesced).toBe(n.cache!.misses - n.db!.arrivals);
    // those who waited took at most the load's 50 ms
    expect(t.report.endToEnd.latencyMs.max).toBe(50);
  });

  it('with lock and wait, one load per expiry, and waiters see it at their next poll', () => {
    const t = run(readThrough('lock', { lockRetry: '20ms' }));
    const n = nodes(t);
    expect(n.db!.arrivals).toBe(n.cache!.expirations + 1);
    expect(n.db!.inNode.max).toBe(1);
    // a waiter that arrived just after the load started polls at 20, 40 and 60 ms
    expect(t.report.endToEnd.latencyMs.max).toBeGreaterThan(50);
    expect(t.report.endToEnd.latencyMs.max).toBeLessThanOrEqual(60.25);
  });

  it('with probabilistic early refresh, a hit reloads the key in the background before it expires: it never expires', () => {
    const t = run(readThrough('early-refresh'));
    const n = nodes(t);
    // the only misses are the cold start's (the first 50 ms, not coalesced in this mode)
    expect(n.cache!.misses).toBe(50);
    expect(n.cache!.expirations).toBe(0);
    // one background reload per TTL or a little more often (XFetch fires earlier at high request rates)
    expect(n.cache!.earlyRefreshes).toBeGreaterThanOrEqual(10);
    expect(n.cache!.earlyRefreshes).toBeLessThanOrEqual(15);
    expect(n.db!.arrivals).toBe(50 + n.cache!.earlyRefreshes);
    // after the cold start every request is a hit (latency 0)
    expect(t.report.endToEnd.latencyMs.p99).toBe(0);
  });

  it('cache-aside: without mitigation every app-server miss reads the database; coalescing at the cache lets one through', () => {
    const none = nodes(run(cacheAside('none')));
    const coalesce = nodes(run(cacheAside('coalesce')));
    expect(none.db!.arrivals).toBe(500);
    expect(none.db!.inNode.max).toBe(50);
    expect(coalesce.db!.arrivals).toBe(coalesce.cache!.expirations + 1);
    expect(coalesce.db!.inNode.max).toBe(1);
  });

  it('cache-aside: with lock and wait one server loads and the others poll; with early refresh no expiry is ever seen', () => {
    const lock = nodes(run(cacheAside('lock')));
    expect(lock.db!.arrivals).toBe(lock.cache!.expirations + 1);
    expect(lock.db!.inNode.max).toBe(1);
    const early = nodes(run(cacheAside('early-refresh')));
    // the reader picked for an early refresh reloads (counted as a miss); the key never expires
    expect(early.cache!.expirations).toBe(0);
    expect(early.cache!.misses).toBe(50 + early.cache!.earlyRefreshes);
    expect(early.db!.arrivals).toBe(early.cache!.misses);
  });

  it('TTL jitter spreads the expiry of keys stored together (a warm start) instead of one burst of misses', () => {
    const s = (ttlJitter: number): TestScenario => ({
      duration: '30s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 2000 }, keys: { popularity: 'uniform', count: 200 }, writeFraction: 0 },
        { id: 'cache', type: 'cache', pattern: 'read-through', capacity: 200, start: 'warm', ttl: '10s', ttlJitter, latency: 0 },
        db,
      ],
      edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }],
    });
    const peak = (t: ReturnType<typeof run>) => Math.max(...((t.report.series!.nodes.cache as Record<string, any>).misses as number[]));
    const sync = run(s(0));
    const spread = run(s(0.5));
    // without jitter all 200 keys expire at 10 s, and again together at about 20 s
    expect(peak(sync)).toBeGreaterThanOrEqual(200);
    expect(peak(spread)).toBeLessThan(60);
  });
});
