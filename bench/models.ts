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
  /** Optional extra numbers to print, computed from the report. */
  extra?: (report: Record<string, any>) => Record<string, number | string>;
}

const mm1 = (n: number): BenchModel => ({
  name: n >= 1e7 ? 'mm1-10M' : 'mm1',
  description: 'M/M/1: Poisson 900/s, one worker, exponential 1 ms',
  requests: n,
  rate: 900,
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

export const MODELS: BenchModel[] = [mm1(1_000_000), threeTier(1_000_000), threeTier(10_000_000)];
