/**
 * The run report: what the CLI prints with --json and what the app's summary table
 * shows. Built from a finished (or stopped) simulation.
 */
import type { Simulation } from '../core/sim.ts';
import { FAIL_KEYS } from '../core/status.ts';
import { E2EStats } from '../core/stats.ts';
import type { ScenarioIssue } from '../scenario/types.ts';
import { measuredUs, round, summarizeE2E, summarizeNode } from './summary.ts';

export interface ReportOptions {
  wallSeconds?: number;
  warnings?: ScenarioIssue[];
  /** Include the time series (default true). */
  series?: boolean;
}

export type Report = ReturnType<typeof buildReport>;

/** A node's entry in the report: the kernel's summary plus the component's own numbers. */
export type NodeReport = ReturnType<typeof summarizeNode> & { [extra: string]: unknown };

export function buildReport(sim: Simulation, opts: ReportOptions = {}) {
  const measured = measuredUs(sim);
  const nodes: Record<string, NodeReport> = Object.fromEntries(
    sim.nodes.map((n) => [n.id, { ...summarizeNode(n, sim), ...(n.report() ?? {}) }]),
  );
  const edges = Object.fromEntries(sim.edges.map((e) => [e.id, { sent: e.sent, failed: e.failed, lost: e.lost }]));
  return {
    scenario: sim.scenario.name,
    seed: sim.seed,
    fingerprint: sim.fingerprint.hex(),
    events: sim.events,
    simulatedSeconds: round(sim.now / 1e6, 6),
    measuredSeconds: round(measured / 1e6, 6),
    warmupSeconds: round(sim.warmup / 1e6, 6),
    wallSeconds: opts.wallSeconds === undefined ? null : round(opts.wallSeconds, 3),
    completed: sim.stopped === null && sim.now >= sim.duration,
    stopped: sim.stopped ? { code: sim.stopped.code, message: sim.stopped.message, atSeconds: round(sim.stopped.at / 1e6, 6) } : null,
    warnings: opts.warnings ?? [],
    endToEnd: summarizeE2E(sim.e2eSummary(), sim, measured),
    nodes,
    edges,
    timeline: sim.timeline.map((t) => ({ atSeconds: round(t.t / 1e6, 6), kind: t.kind, ...(t.node ? { node: t.node } : {}), ...(t.edge ? { edge: t.edge } : {}), text: t.text })),
    ...(opts.series === false ? {} : { series: buildSeries(sim) }),
  };
}

/**
 * Time series per window (rates per second, latencies in ms) of windows `from` to the
 * last closed one. The report uses all of them; a live host asks for the windows closed
 * since it last looked and appends them (the chunks concatenate to the whole).
 */
export function buildSeries(sim: Simulation, from = 0) {
  const ends = sim.windowEnds;
  const n = Math.max(0, ends.length - from);
  const idx = Array.from({ length: n }, (_, j) => from + j);
  const secs = idx.map((i) => (ends[i]! - (i === 0 ? 0 : ends[i - 1]!)) / 1e6);
  const perSec = (xs: number[]) => idx.map((i, j) => round(xs[i]! / secs[j]!, 3));
  const ms = (xs: number[]) => idx.map((i) => (Number.isFinite(xs[i]!) ? round(xs[i]! / 1000, 4) : null));
  const r6 = (xs: number[]) => idx.map((i) => (Number.isFinite(xs[i]!) ? round(xs[i]!, 6) : null));
  const raw = (xs: number[]) => idx.map((i) => xs[i]!);
  const fails = (f: Record<string, number[]>) => Object.fromEntries(FAIL_KEYS.map((k) => [k, perSec(f[k]!)]));
  const endToEnd = (e: E2EStats['series']) => ({
    sentPerSec: perSec(e.sent),
    okPerSec: perSec(e.ok),
    failedPerSec: fails(e.failed),
    latencyMs: { p50: ms(e.p50), p90: ms(e.p90), p99: ms(e.p99), mean: ms(e.mean) },
  });
  return {
    windowSeconds: sim.window / 1e6,
    t: idx.map((i) => round(ends[i]! / 1e6, 6)),
    /** Over every client. */
    endToEnd: endToEnd(sim.e2e.series),
    /** Each client's own requests, in the same shape. */
    clients: Object.fromEntries(
      sim.nodes.filter((n): n is typeof n & { e2e: E2EStats } => 'e2e' in n && n.e2e instanceof E2EStats).map((n) => [n.id, endToEnd(n.e2e.series)]),
    ),
    nodes: Object.fromEntries(
      sim.nodes.map((node) => {
        const s = node.stats.series;
        return [
          node.id,
          {
            arrivalsPerSec: perSec(s.arrivals),
            okPerSec: perSec(s.ok),
            failedPerSec: fails(s.failed),
            latencyMs: { p50: ms(s.p50), p90: ms(s.p90), p99: ms(s.p99) },
            inFlight: r6(s.inFlight),
            queueLength: { mean: r6(s.queue), max: raw(s.queueMax) },
            utilization: r6(s.utilization),
            ...Object.fromEntries(Object.entries(s.extra).map(([k, v]) => [k, r6(v)])),
          },
        ];
      }),
    ),
    edges: Object.fromEntries(sim.edges.map((ed) => [ed.id, { sentPerSec: perSec(ed.series.sent), failedPerSec: perSec(ed.series.failed) }])),
  };
}
