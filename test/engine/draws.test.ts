/**
 * Clients draw a request's key, user and IP only when some node reads them (Node.reads),
 * or when a trace is written. Each is its own random stream, so drawing or not drawing one
 * must change nothing else: the same run with a trace (everything drawn) and without one
 * (only what is read) processes the same events and reports the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { READ_ALL, READ_IP, READ_KEY, READ_USER } from '../../engine/core/node.ts';
import { cheLru, zipfProbabilities } from '../../engine/kernels/cacheTheory.ts';
import { run, type TestScenario } from '../helpers.ts';

const client = { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 400 }, writeFraction: 0.2 };
const server = (id: string) => ({ id, type: 'server', workers: 2, service: { dist: 'exponential', mean: '3ms' } });

const models: Record<string, TestScenario> = {
  'client → server (reads nothing)': { nodes: [client, server('api')], edges: [{ from: 'users', to: 'api' }] },
  'round robin (reads nothing)': {
    nodes: [client, { id: 'lb', type: 'loadBalancer', policy: 'roundRobin' }, server('a'), server('b')],
    edges: [{ from: 'users', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
  },
  'ipHash (reads IPs)': {
    nodes: [client, { id: 'lb', type: 'loadBalancer', policy: 'ipHash' }, server('a'), server('b')],
    edges: [{ from: 'users', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
  },
  'cache (reads keys)': {
    nodes: [client, { id: 'cache', type: 'cache', pattern: 'read-through', capacity: 200 }, { id: 'db', type: 'database' }],
    edges: [{ from: 'users', to: 'cache' }, { from: 'cache', to: 'db' }],
  },
  'per-user limiter (reads users)': {
    nodes: [client, { id: 'rl', type: 'rateLimiter', key: 'user', algorithm: { type: 'tokenBucket', rate: 2, capacity: 2 } }, server('api')],
    edges: [{ from: 'users', to: 'rl' }, { from: 'rl', to: 'api' }],
  },
};

describe('identity draws', () => {
  for (const [name, s] of Object.entries(models)) {
    it(`${name}: a trace (every field drawn) changes no event and no number`, () => {
      const lazy = run(s);
      const traced = run(s, { trace: true });
      expect(traced.traces.length).toBeGreaterThan(1000);
      expect(traced.report.fingerprint).toBe(lazy.report.fingerprint);
      expect(traced.report.endToEnd).toEqual(lazy.report.endToEnd);
      expect(traced.report.nodes).toEqual(lazy.report.nodes);
    });
  }

  it('are made for what nodes read: keys for a cache, IPs for ipHash, users for a per-user limiter, nothing for a server', () => {
    const reads = (s: TestScenario) => run({ ...s, duration: '1ms' }).sim.nodes.reduce((m, n) => m | n.reads, 0);
    expect(reads(models['client → server (reads nothing)']!)).toBe(0);
    expect(reads(models['round robin (reads nothing)']!)).toBe(0);
    expect(reads(models['ipHash (reads IPs)']!)).toBe(READ_IP);
    expect(reads(models['cache (reads keys)']!)).toBe(READ_KEY);
    expect(reads(models['per-user limiter (reads users)']!)).toBe(READ_USER);
    expect(READ_ALL).toBe(READ_KEY | READ_USER | READ_IP);
  });

  it('a per-IP limiter still tells IPs apart, and a cache still sees its keys', () => {
    const ipLimited = run({
      nodes: [
        { ...client, id: 'many', users: 100, ips: 100 },
        { ...client, id: 'one', users: 1, ips: 1 },
        { id: 'rl', type: 'rateLimiter', key: 'ip', algorithm: { type: 'tokenBucket', rate: 50, capacity: 5 } },
        server('api'),
      ],
      edges: [{ from: 'many', to: 'rl' }, { from: 'one', to: 'rl' }, { from: 'rl', to: 'api' }],
    }).report.nodes;
    // 100 IPs at 4 req/s each stay under 50/s each; the single IP sends 400/s and is held to ~50/s
    expect(ipLimited.many!.failedTotal).toBe(0);
    expect(ipLimited.one!.throughputPerSec).toBeGreaterThan(45);
    expect(ipLimited.one!.throughputPerSec).toBeLessThan(56);
    // reads only (no invalidations), past a warm-up: the hit ratio is Che's for Zipf 0.9 over
    // 10,000 keys and 200 entries (were every key the same, it would be ~1); ~10,000 reads
    // counted give a standard error of ~0.005, so 0.025 is five of them
    const che = cheLru(zipfProbabilities(10_000, 0.9), 200).hitRatio;
    const keyed = run({ ...models['cache (reads keys)']!, duration: '30s', warmup: '5s', nodes: [{ ...client, writeFraction: 0 }, ...models['cache (reads keys)']!.nodes.slice(1)] });
    expect(Math.abs((keyed.report.nodes.cache as unknown as { hitRatio: number }).hitRatio - che)).toBeLessThan(0.025);
  });
});
