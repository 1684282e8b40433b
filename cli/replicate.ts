/**
 * Replications: the same scenario under R derived seeds, in parallel worker threads
 * when the machine has spare cores. The headline metrics of each run are reduced to a
 * mean and a 95% confidence interval.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Report, Scenario } from '../engine/index.ts';
import { confidenceInterval } from '../engine/report/replications.ts';
import type { ReplicationSummary } from './format.ts';
import { replicationSeeds, runScenario } from './run.ts';

/** The metrics summarised across replications: name -> value in one report. */
export function headlineMetrics(r: Report): Record<string, number> {
  const e = r.endToEnd;
  const m: Record<string, number> = {
    'endToEnd.throughputPerSec': e.throughputPerSec,
    'endToEnd.successRatio': e.successRatio,
    'endToEnd.latencyMs.mean': e.latencyMs.mean,
    'endToEnd.latencyMs.p50': e.latencyMs.p50,
    'endToEnd.latencyMs.p90': e.latencyMs.p90,
    'endToEnd.latencyMs.p99': e.latencyMs.p99,
    'endToEnd.latencyMs.p999': e.latencyMs.p999,
  };
  for (const [id, n] of Object.entries(r.nodes)) {
    if (n.type === 'client') continue;
    if (n.utilization !== null) m[`nodes.${id}.utilization`] = n.utilization;
    m[`nodes.${id}.queueLength.mean`] = n.queueLength.mean;
    m[`nodes.${id}.latencyMs.p99`] = n.latencyMs.p99;
  }
  return m;
}

export interface Replicated {
  summary: ReplicationSummary;
  reports: Report[];
}

/** Runs R replications; `parallel` workers (default: cores, at most R). */
export async function replicate(
  scenario: Scenario,
  baseSeed: number | string,
  r: number,
  opts: { duration?: number; parallel?: number; onDone?: (done: number) => void } = {},
): Promise<Replicated> {
  const seeds = replicationSeeds(baseSeed, r);
  const workers = Math.max(1, Math.min(opts.parallel ?? availableParallelism(), r));
  let reports: Report[];
  if (workers === 1) {
    reports = [];
    for (const seed of seeds) {
      reports.push(runScenario(scenario, { seed, duration: opts.duration, series: false }));
      opts.onDone?.(reports.length);
    }
  } else {
    reports = await runInWorkers(scenario, seeds, workers, opts.duration, opts.onDone);
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

async function runInWorkers(
  scenario: Scenario,
  seeds: number[],
  n: number,
  duration: number | undefined,
  onDone?: (done: number) => void,
): Promise<Report[]> {
  const results: Report[] = new Array(seeds.length);
  let next = 0;
  let done = 0;
  const url = new URL('./replicate-worker.mjs', import.meta.url);
  await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(url, { workerData: { scenario } });
        const feed = () => {
          if (next >= seeds.length) {
            void w.terminate();
            resolve();
            return;
          }
          const i = next++;
          w.postMessage({ i, seed: seeds[i], duration });
        };
        w.on('message', (m: { i: number; report: Report }) => {
          results[m.i] = m.report;
          onDone?.(++done);
          feed();
        });
        w.on('error', reject);
        feed();
      }),
    ),
  );
  return results;
}
