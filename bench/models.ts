import { cheLru, zipfProbabilities } from '../engine/kernels/cacheTheory.ts';

/**
 * Benchmark models. Each is a scenario plus the number of requests it should send;
 * the duration is derived from the offered rate.
 */
export interface BenchModel {
  name: string;
  description: string;
  /** Requests to send. */
  requests: number;
  /** Total offered rate (requests/s), to derive the duration. */
  rate: number;
  scenario: Record<string, unknown>;
  /** The targets for this machine (2 cores): at least this many requests per wall second, at most this peak memory. */
  target: { requestsPerSec?: number; peakMB?: number };
  /** Optional extra numbers to print, computed from the report. */
  extra?: (report: Record<string, any>) => Record<string, number | string>;
}

const mm1 = (n: number): BenchModel => ({
  name: n >= 1e7 ? 'mm1-10M' : 'mm1',
  description: 'M/M/1: Poisson 900/s, one worker, exponential 1 ms',
  requests: n,
  rate: 900,
  target: n >= 1e7 ? { peakMB: 300 } : { requestsPerSec: 3_000_000 },
  scenario: {
    version: 1,
    name: 'bench-mm1',
    seed: 1,
    nodes: [
      { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 900 } },
      { id: 'api', type: 'server', workers: 1, queue: 100000, service: { dist: 'exponential', mean: '1ms' } },
    ],
    edges: [{ from: 'users', to: 'api' }],
  },
});

const threeTier = (n: number): BenchModel => ({
  name: n >= 1e7 ? 'lb-4-servers-db-10M' : 'lb-4-servers-db',
  description: 'Poisson 800/s -> round-robin LB -> 4 servers (1 worker, exp 4 ms) -> database (2 workers, exp 2 ms)',
  requests: n,
  rate: 800,
  target: n >= 1e7 ? { peakMB: 300 } : { requestsPerSec: 1_000_000 },
  scenario: {
    version: 1,
    name: 'bench-three-tier',
    seed: 1,
    nodes: [
      { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 800 } },
      { id: 'lb', type: 'loadBalancer', policy: 'roundRobin' },
      ...[1, 2, 3, 4].map((i) => ({ id: `app${i}`, type: 'server', workers: 1, queue: 100000, service: { dist: 'exponential', mean: '4ms' } })),
      { id: 'db', type: 'database', connections: 2, queue: 100000, readService: { dist: 'exponential', mean: '2ms' }, writeService: { dist: 'exponential', mean: '2ms' } },
    ],
    edges: [
      { from: 'users', to: 'lb' },
      ...[1, 2, 3, 4].map((i) => ({ from: 'lb', to: `app${i}` })),
      ...[1, 2, 3, 4].map((i) => ({ from: `app${i}`, to: 'db' })),
    ],
  },
});

/** Che's LRU hit ratio for the cache model (Zipf 0.9 over 10,000 keys, 1,000 entries): ~0.5565. */
const CHE_CACHE_MODEL = cheLru(zipfProbabilities(10_000, 0.9), 1000).hitRatio;

/**
 * The tandem model of perf-anchors.md with a cache: app servers call a read-through LRU
 * cache, which answers hits in 1 ms and loads misses from the database.
 */
const cacheTier = (n: number): BenchModel => ({
  name: 'lb-4-servers-cache-db',
  description:
    'Poisson 800/s -> RR LB -> 4 servers (1 worker, exp 4 ms) -> read-through LRU cache (1,000 entries, Zipf 0.9 over 10,000 keys, 1 ms hit) -> database (2 workers, exp 5 ms) on miss',
  requests: n,
  rate: 800,
  target: { requestsPerSec: 1_000_000 },
  scenario: {
    version: 1,
    name: 'bench-cache-tier',
    seed: 1,
    nodes: [
      { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 800 }, keys: { popularity: 'zipf', count: 10_000, alpha: 0.9 }, writeFraction: 0 },
      { id: 'lb', type: 'loadBalancer', policy: 'roundRobin' },
      ...[1, 2, 3, 4].map((i) => ({ id: `app${i}`, type: 'server', workers: 1, queue: 100000, service: { dist: 'exponential', mean: '4ms' } })),
      { id: 'cache', type: 'cache', pattern: 'read-through', capacity: 1000, eviction: 'lru', latency: '1ms' },
      { id: 'db', type: 'database', connections: 2, queue: 100000, readService: { dist: 'exponential', mean: '5ms' } },
    ],
    edges: [
      { from: 'users', to: 'lb' },
      ...[1, 2, 3, 4].map((i) => ({ from: 'lb', to: `app${i}` })),
      ...[1, 2, 3, 4].map((i) => ({ from: `app${i}`, to: 'cache' })),
      { from: 'cache', to: 'db' },
    ],
  },
  extra: (r) => ({ hitRatio: r.nodes.cache.hitRatio, che: Number(CHE_CACHE_MODEL.toFixed(4)) }),
});

export const MODELS: BenchModel[] = [mm1(1_000_000), threeTier(1_000_000), threeTier(10_000_000), cacheTier(1_000_000)];
