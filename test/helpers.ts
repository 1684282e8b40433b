/**
 * Test helpers: build a scenario from a few lines, run it, read the report.
 */
import { buildReport, createSimulation, parseScenario, type Report, type Simulation, type TraceRecord } from '../engine/index.ts';

export interface TestScenario {
  nodes: Array<Record<string, unknown>>;
  edges?: Array<Record<string, unknown>>;
  faults?: Array<Record<string, unknown>>;
  [k: string]: unknown;
}

/** A raw scenario with test defaults (seed 1, 10s, no warm-up). */
export function scenario(s: TestScenario): Record<string, unknown> {
  return { version: 1, name: 'test', seed: 1, duration: '10s', edges: [], faults: [], ...s };
}

/** Parses a test scenario, failing loudly with its issues. */
export function parse(s: TestScenario) {
  const r = parseScenario(scenario(s));
  if (!r.ok) throw new Error('invalid test scenario:\n' + r.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'));
  return r.scenario;
}

export interface TestRun {
  sim: Simulation;
  report: Report;
  traces: TraceRecord[];
}

/** Runs a test scenario to the end; `trace` collects every finished request. */
export function run(s: TestScenario, opts: { seed?: number | string; trace?: boolean } = {}): TestRun {
  const traces: TraceRecord[] = [];
  const sim = createSimulation(parse(s), { seed: opts.seed, trace: opts.trace ? (r) => traces.push(r) : undefined });
  sim.runToEnd();
  return { sim, report: buildReport(sim), traces };
}

/** A client that sends exactly the given requests (times in ms). */
export function traceClient(id: string, times: number[], extra: Record<string, unknown> = {}) {
  return {
    id,
    type: 'client',
    arrival: { process: 'trace', requests: times.map((t) => ({ at: t })) },
    writeFraction: 0,
    ...extra,
  };
}

/** A server with constant service time (ms). */
export function constServer(id: string, serviceMs: number, extra: Record<string, unknown> = {}) {
  return { id, type: 'server', service: serviceMs, ...extra };
}

/**
 * Keeps only faults that follow each other per target and kind (the validator refuses
 * interleaved ones): for generators of random fault lists. Faults have `at` and `for` as
 * "<n>ms" strings.
 */
export function sequentialFaults<F extends { at: string; for?: string; action: string }>(faults: F[]): F[] {
  const family = (a: string) => (a === 'crash' || a === 'recover' ? 'up' : a === 'rate' || a === 'ramp' ? 'traffic' : a);
  const busyUntil = new Map<string, number>();
  return faults
    .map((f) => ({ f, at: Number.parseInt(f.at), end: Number.parseInt(f.at) + (f.for === undefined ? 0 : Number.parseInt(f.for)) }))
    .sort((a, b) => a.at - b.at)
    .filter(({ f, at, end }) => {
      const t = f as unknown as { node?: string; edge?: string };
      const key = `${t.node ?? t.edge}|${family(f.action)}`;
      if (at < (busyUntil.get(key) ?? -1)) return false;
      busyUntil.set(key, end);
      return true;
    })
    .map(({ f }) => f);
}
