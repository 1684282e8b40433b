/**
 * Running scenarios from Node: one run, or R replications (in parallel worker threads
 * when there are spare cores), with a progress callback. Shared by the CLI and the
 * benchmarks.
 */
import { buildReport, createSimulation, type Report, type Scenario, type Simulation, type TraceRecord } from '../engine/index.ts';
import type { ScenarioIssue } from '../engine/index.ts';

export interface RunOptions {
  seed?: number | string;
  /** µs */
  duration?: number;
  /** Receives every finished request, with the run (e.g. for `sim.idName` of trace ids). */
  trace?: (r: TraceRecord, sim: Simulation) => void;
  /** Called now and then with the fraction of simulated time done. */
  progress?: (fraction: number) => void;
  warnings?: ScenarioIssue[];
  series?: boolean;
}

/** Runs a scenario to its end (or a guard stop) and returns its report. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): Report {
  const t0 = performance.now();
  const tracer = opts.trace;
  const sim: Simulation = createSimulation(scenario, {
    seed: opts.seed,
    duration: opts.duration,
    trace: tracer ? (r) => tracer(r, sim) : undefined,
  });
  if (opts.progress) {
    // slices of simulated time keep the progress callback cheap and do not change results
    const step = Math.max(1000, Math.floor(sim.duration / 200));
    while (!sim.done) {
      sim.run(sim.now + step);
      opts.progress(sim.now / sim.duration);
    }
    sim.finish();
  } else {
    sim.runToEnd();
  }
  return buildReport(sim, { wallSeconds: (performance.now() - t0) / 1000, warnings: opts.warnings, series: opts.series });
}

/** Seeds of R replications derived from a base seed (defined in the engine). */
export { replicationSeeds } from '../engine/report/replications.ts';
