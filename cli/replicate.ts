/**
 * Replications: the same scenario under R derived seeds, in parallel worker threads
 * when the machine has spare cores. The headline metrics of each run are reduced to a
 * mean and a 95% confidence interval.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Report, Scenario } from '../engine/index.ts';
import { confidenceInterval, headlineMetrics } from '../engine/report/replications.ts';
import type { ReplicationSummary } from './format.ts';
import { replicationSeeds, runScenario } from './run.ts';

/** The headline metrics, from the engine (the app's replications use the same). */
export { headlineMetrics };

export interface Replicated {
  summary: ReplicationSummary;
  reports: Report[];
}

/**
 * Runs R replications; in `pool` if given (several calls can share one, e.g. a sweep),
 * else in `parallel` worker threads (default: cores, at most R).
 */
export async function replicate(
  scenario: Scenario,
  baseSeed: number | string,
  r: number,
  opts: { duration?: number; parallel?: number; onDone?: (done: number) => void; pool?: RunPool } = {},
): Promise<Replicated> {
  const seeds = replicationSeeds(baseSeed, r);
  const workers = Math.max(1, Math.min(opts.parallel ?? availableParallelism(), r));
  let reports: Report[];
  if (!opts.pool && workers === 1) {
    reports = [];
    for (const seed of seeds) {
      reports.push(runScenario(scenario, { seed, duration: opts.duration, series: false }));
      opts.onDone?.(reports.length);
    }
  } else {
    const pool = opts.pool ?? new RunPool(workers);
    let done = 0;
    try {
      reports = await Promise.all(
        seeds.map((seed) =>
          pool.run(scenario, seed, opts.duration).then((rep) => {
            opts.onDone?.(++done);
            return rep;
          }),
        ),
      );
    } finally {
      if (!opts.pool) await pool.close();
    }
  }
  const perRun = reports.map(headlineMetrics);
  const names = [...new Set(perRun.flatMap((m) => Object.keys(m)))];
  const metrics: ReplicationSummary['metrics'] = {};
  for (const k of names) {
    const ci = confidenceInterval(perRun.map((m) => m[k] ?? NaN));
    metrics[k] = { mean: ci.mean, halfWidth: ci.halfWidth, ci95: ci.ci95, n: ci.n };
  }
  return {
    reports,
    summary: {
      scenario: scenario.name,
      baseSeed,
      replications: r,
      metrics,
      runs: reports.map((rep, i) => ({ seed: seeds[i]!, fingerprint: rep.fingerprint, stopped: rep.stopped?.message ?? null })),
    },
  };
}

interface Job {
  scenario: Scenario;
  seed: number;
  duration: number | undefined;
  resolve: (r: Report) => void;
  reject: (e: unknown) => void;
}

/**
 * Up to `size` worker threads that run (scenario, seed) jobs in the order they are asked
 * for. Workers start when there is work for them and stay until close(), so callers that
 * run many small batches (a sweep) pay the start-up once. A report depends only on the
 * scenario and the seed, never on which worker ran it or when.
 */
export class RunPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly busy = new Map<Worker, Job>();
  /** The scenario each worker holds, so it is sent once per worker, not once per run. */
  private readonly holds = new Map<Worker, Scenario>();
  private failed: unknown = null;
  private closed = false;

  constructor(readonly size: number) {}

  run(scenario: Scenario, seed: number, duration?: number): Promise<Report> {
    if (this.closed) return Promise.reject(new Error('RunPool: run() after close()'));
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<Report>((resolve, reject) => {
      this.queue.push({ scenario, seed, duration, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w) {
        if (this.all.length >= this.size) return;
        w = this.spawn();
      }
      const job = this.queue.shift()!;
      this.busy.set(w, job);
      const send = this.holds.get(w) !== job.scenario;
      this.holds.set(w, job.scenario);
      w.postMessage({ seed: job.seed, duration: job.duration, ...(send ? { scenario: job.scenario } : {}) });
    }
  }

  private spawn(): Worker {
    const w = new Worker(new URL('./replicate-worker.mjs', import.meta.url));
    this.all.push(w);
    w.on('message', (m: { report: Report }) => {
      const job = this.busy.get(w);
      if (!job) return; // the pool failed meanwhile
      this.busy.delete(w);
      this.idle.push(w);
      job.resolve(m.report);
      this.pump();
    });
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => {
      if (!this.closed && !this.failed) this.fail(new Error(`a replication worker exited (code ${code})`));
    });
    return w;
  }

  /** A worker failed: every pending and queued run fails with its error, the pool stops. */
  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = e;
    for (const job of [...this.busy.values(), ...this.queue.splice(0)]) job.reject(e);
    this.busy.clear();
    void this.close();
  }
}
