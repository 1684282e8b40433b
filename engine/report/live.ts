/**
 * The live view of a running simulation, for hosts that show a run while it happens
 * (the app's worker): a small snapshot of every node's and edge's state, the time
 * series windows closed since the host last looked, and new timeline entries.
 *
 * Everything here only reads the simulation; taking snapshots never changes a run's
 * events or fingerprint. Numbers are the kernel's own: averages come from the gauges'
 * exact time integrals, not from sampling.
 */
import type { Simulation } from '../core/sim.ts';
import { FAIL_KEYS } from '../core/status.ts';
import { round } from './summary.ts';
import { buildSeries } from './report.ts';

/** One node's live state. Rates and averages cover the snapshot's `interval` (about the last metric window). */
export interface LiveNode {
  id: string;
  type: string;
  up: boolean;
  /** Calls at the node now (arrived, not yet answered). */
  inNode: number;
  /** Calls waiting for a worker now. */
  queue: number;
  /** Workers busy now. */
  busy: number;
  /** Workers (0 when utilisation does not apply). */
  capacity: number;
  /** Time-average busy / capacity over the interval, or null (no workers, or no time passed). */
  utilization: number | null;
  /** Time-average queue length over the interval (the current length if no time passed). */
  queueMean: number;
  /** Whole-run counts (warm-up included). */
  arrivals: number;
  ok: number;
  failed: number;
  /** Per simulated second over the interval (0 if no time passed). */
  arrivalsPerSec: number;
  okPerSec: number;
  failedPerSec: number;
}

/** One edge's live state ("from->to"). */
export interface LiveEdge {
  id: string;
  from: string;
  to: string;
  partitioned: boolean;
  /** Whole-run counts of calls sent, failed answers, and calls lost to partitions. */
  sent: number;
  failed: number;
  lost: number;
  /** Per simulated second over the snapshot's interval. */
  sentPerSec: number;
  failedPerSec: number;
}

export interface LiveSnapshot {
  /** Simulated time (µs). */
  now: number;
  /** Length of the interval this snapshot's rates and averages cover (µs of simulated time). */
  interval: number;
  events: number;
  /** Windows closed so far. */
  windows: number;
  fingerprint: string;
  done: boolean;
  stopped: { code: string; message: string; atSeconds: number } | null;
  /** End-to-end whole-run counts over all clients. */
  endToEnd: { sent: number; ok: number; failed: number };
  nodes: LiveNode[];
  edges: LiveEdge[];
}

/** A timeline entry as the report writes it. */
export interface LiveTimelineEntry {
  atSeconds: number;
  kind: string;
  node?: string;
  edge?: string;
  text: string;
}

/** What a probe remembers of one moment, to measure rates and averages against. */
interface Sample {
  t: number;
  busyArea: Float64Array;
  queueArea: Float64Array;
  counts: Float64Array;
  edgeCounts: Float64Array;
}

/**
 * Takes live snapshots of one simulation. Rates and averages in a snapshot cover the
 * last `span` µs of simulated time (default: one metric window), or everything since
 * the start if less time has passed, so that numbers shown live neither flicker at slow
 * speeds nor lag at fast ones. The probe keeps a few samples for that, at most one per
 * eighth of the span.
 */
export class LiveProbe {
  private readonly samples: Sample[] = [];
  private readonly span: number;

  constructor(
    private readonly sim: Simulation,
    opts: { span?: number } = {},
  ) {
    this.span = Math.max(1, opts.span ?? sim.window);
    this.samples.push(this.sample());
  }

  private sample(): Sample {
    const sim = this.sim;
    const n = sim.nodes.length;
    const s: Sample = {
      t: sim.now,
      busyArea: new Float64Array(n),
      queueArea: new Float64Array(n),
      counts: new Float64Array(n * 3),
      edgeCounts: new Float64Array(sim.edges.length * 2),
    };
    sim.nodes.forEach((node, i) => {
      const st = node.stats;
      s.busyArea[i] = st.busy.areaAt(sim.now);
      s.queueArea[i] = st.queue.areaAt(sim.now);
      s.counts[i * 3] = st.totalArrivals;
      s.counts[i * 3 + 1] = st.totalOk;
      s.counts[i * 3 + 2] = st.totalFailed;
    });
    sim.edges.forEach((e, i) => {
      s.edgeCounts[i * 2] = e.sent;
      s.edgeCounts[i * 2 + 1] = e.failed;
    });
    return s;
  }

  /** The state now, with rates and averages over about the last span. */
  snapshot(): LiveSnapshot {
    const sim = this.sim;
    const now = sim.now;
    const cur = this.sample();
    // the newest sample at least a span old (or the oldest one)
    while (this.samples.length > 1 && this.samples[1]!.t <= now - this.span) this.samples.shift();
    const base = this.samples[0]!;
    if (cur.t - this.samples[this.samples.length - 1]!.t >= this.span / 8) this.samples.push(cur);
    const dt = now - base.t;
    const perSec = dt > 0 ? 1e6 / dt : 0;
    const nodes = sim.nodes.map((n, i): LiveNode => {
      const s = n.stats;
      const c = i * 3;
      return {
        id: n.id,
        type: n.type,
        up: n.up,
        inNode: s.inNode.value,
        queue: s.queue.value,
        busy: s.busy.value,
        capacity: s.capacity,
        utilization: s.capacity > 0 && dt > 0 ? round((cur.busyArea[i]! - base.busyArea[i]!) / dt / s.capacity, 6) : null,
        queueMean: dt > 0 ? round((cur.queueArea[i]! - base.queueArea[i]!) / dt, 6) : s.queue.value,
        arrivals: s.totalArrivals,
        ok: s.totalOk,
        failed: s.totalFailed,
        arrivalsPerSec: round((cur.counts[c]! - base.counts[c]!) * perSec, 3),
        okPerSec: round((cur.counts[c + 1]! - base.counts[c + 1]!) * perSec, 3),
        failedPerSec: round((cur.counts[c + 2]! - base.counts[c + 2]!) * perSec, 3),
      };
    });
    const edges = sim.edges.map((e, i): LiveEdge => ({
      id: e.id,
      from: e.from.id,
      to: e.to.id,
      partitioned: e.partitioned,
      sent: e.sent,
      failed: e.failed,
      lost: e.lost,
      sentPerSec: round((cur.edgeCounts[i * 2]! - base.edgeCounts[i * 2]!) * perSec, 3),
      failedPerSec: round((cur.edgeCounts[i * 2 + 1]! - base.edgeCounts[i * 2 + 1]!) * perSec, 3),
    }));
    let sent = 0;
    let ok = 0;
    let failed = 0;
    for (const src of sim.e2eSources) {
      sent += src.totalSent;
      ok += src.totalOk;
      failed += src.totalFailed;
    }
    return {
      now,
      interval: dt,
      events: sim.events,
      windows: sim.windows,
      fingerprint: sim.fingerprint.hex(),
      done: sim.done,
      stopped: sim.stopped ? { code: sim.stopped.code, message: sim.stopped.message, atSeconds: round(sim.stopped.at / 1e6, 6) } : null,
      endToEnd: { sent, ok, failed },
      nodes,
      edges,
    };
  }
}

/** The report's series shape (see `buildSeries`). */
export type Series = ReturnType<typeof buildSeries>;

/**
 * The time series of windows `from` .. `sim.windows - 1`, exactly as the report has them,
 * so a host can append windows as they close instead of rebuilding everything.
 */
export function seriesSince(sim: Simulation, from: number): Series {
  return buildSeries(sim, from);
}

/** Timeline entries from index `from` on, in the report's form. */
export function timelineSince(sim: Simulation, from: number): LiveTimelineEntry[] {
  return sim.timeline.slice(from).map((t) => ({
    atSeconds: round(t.t / 1e6, 6),
    kind: t.kind,
    ...(t.node ? { node: t.node } : {}),
    ...(t.edge ? { edge: t.edge } : {}),
    text: t.text,
  }));
}
