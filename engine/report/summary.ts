/**
 * Summaries of the statistics, as they appear in reports (milliseconds, per second,
 * statuses and reasons by name). NaN becomes null in JSON.
 */
import type { Histogram } from '../core/histogram.ts';
import type { Node } from '../core/node.ts';
import type { Simulation } from '../core/sim.ts';
import { unpackFailure, type E2EStats, type NodeStats } from '../core/stats.ts';
import { statusName } from '../core/status.ts';

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
}

/** Latency percentiles of a histogram of µs values, in ms. */
export function latencyMs(h: Histogram): LatencySummary {
  const ms = (x: number) => (Number.isFinite(x) ? round(x / 1000, 4) : NaN);
  return {
    mean: ms(h.mean()),
    p50: ms(h.quantile(0.5)),
    p90: ms(h.quantile(0.9)),
    p99: ms(h.quantile(0.99)),
    p999: ms(h.quantile(0.999)),
    max: ms(h.count ? h.max : NaN),
    count: h.count,
  };
}

export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Failures grouped by status ("503": n) and by cause ("503 queue-full at db": n). */
export function failureTables(failures: Map<number, number>, sim: Simulation, self: number) {
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const keys = [...failures.keys()].sort((a, b) => a - b);
  for (const k of keys) {
    const n = failures.get(k)!;
    const { status, reason, origin } = unpackFailure(k);
    const s = statusName(status);
    byStatus[s] = (byStatus[s] ?? 0) + n;
    const where = origin >= 0 && origin !== self ? ` at ${(sim.actors[origin] as Node | undefined)?.id ?? origin}` : '';
    const label = `${s} ${sim.reasons[reason] ?? reason}${where}`;
    byReason[label] = (byReason[label] ?? 0) + n;
  }
  return { byStatus, byReason };
}

/**
 * `n` per second of a measured period of `us` µs; NaN (null in JSON, "-" in tables) when
 * nothing was measured (a run stopped at or before the end of its warm-up): no rate, not
 * `n` per microsecond.
 */
export function ratePerSec(n: number, us: number): number {
  return us > 0 ? round(n / (us / 1e6), 3) : NaN;
}

/** The measured period so far: from the end of warm-up to now (0 before it ends). */
export function measuredUs(sim: Simulation): number {
  return Math.max(0, sim.now - sim.warmup);
}

/** The end-to-end summary over a measured period of `measuredUs`. */
export function summarizeE2E(e: E2EStats, sim: Simulation, measuredUs: number) {
  const { byStatus, byReason } = failureTables(e.failures, sim, -1);
  return {
    sent: e.sent,
    ok: e.ok,
    failed: byStatus,
    failedTotal: e.failed,
    failureReasons: byReason,
    inFlight: e.sent - e.ok - e.failed,
    offeredPerSec: ratePerSec(e.sent, measuredUs),
    throughputPerSec: ratePerSec(e.ok, measuredUs),
    successRatio: e.ok + e.failed ? round(e.ok / (e.ok + e.failed), 6) : NaN,
    latencyMs: latencyMs(e.lat.total()),
    attempts: e.attempts,
    amplification: e.ok + e.failed ? round(e.attempts / (e.ok + e.failed), 4) : NaN,
    lateAnswers: e.late,
    staleReads: e.staleReads,
  };
}

/** A node's summary: arrivals by cohort, answers, time averages over the measured period. */
export function summarizeNode(node: Node, sim: Simulation) {
  const s: NodeStats = node.stats;
  const now = sim.now;
  const { byStatus, byReason } = failureTables(s.failures, sim, node.index);
  return {
    type: node.type,
    arrivals: s.arrivals,
    completed: s.ok,
    failed: byStatus,
    rejected: byReason,
    inFlight: s.arrivals - s.ok - s.failed,
    throughputPerSec: ratePerSec(s.ok, measuredUs(sim)),
    utilization: s.capacity > 0 ? round(s.busy.summaryMean(now) / s.capacity, 6) : null,
    workers: s.capacity > 0 ? s.capacity : null,
    queueLength: { mean: round(s.queue.summaryMean(now), 6), max: s.queue.max },
    inNode: { mean: round(s.inNode.summaryMean(now), 6), max: s.inNode.max },
    latencyMs: latencyMs(s.lat.total()),
    /** Mean time in node over every answered call (ok or not), for Little's law. */
    sojournMs: s.ok + s.failed ? round(s.sojournSum / (s.ok + s.failed) / 1000, 6) : NaN,
  };
}
