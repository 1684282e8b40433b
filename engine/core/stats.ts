/**
 * Per-node and end-to-end statistics.
 *
 * Summaries cover the measured period after warm-up. Counts are by cohort: a node counts
 * the calls that *arrived* at or after warm-up, and end-to-end counts the requests
 * *sent* at or after warm-up, so arrivals = completed + failed + in flight holds exactly.
 * Latency percentiles cover the successful answers *given* at or after warm-up (the load
 * testing convention): each answer is recorded once, in its window's histogram, and
 * windows are merged into the summary as they close (a window that starts before the
 * end of warm-up records post-warm-up answers into the summary directly). Time averages
 * (queue length, utilisation, calls in node) integrate over [warm-up, end].
 * Time series are per fixed window of simulated time and count what happened in the
 * window. Memory does not grow with the number of requests: latencies go into
 * streaming histograms, and series hold a few numbers per window.
 */
import { Histogram } from './histogram.ts';
import { failSlot, FAIL_KEYS, OK } from './status.ts';
import type { Call } from './call.ts';

/** Packs a failure (status, reason, origin node) into a map key. */
export function failureKey(status: number, reason: number, origin: number): number {
  return status * 67108864 + reason * 1048576 + (origin + 1);
}

/** Unpacks a failure key. */
export function unpackFailure(key: number): { status: number; reason: number; origin: number } {
  const status = Math.floor(key / 67108864);
  const rest = key - status * 67108864;
  const reason = Math.floor(rest / 1048576);
  return { status, reason, origin: rest - reason * 1048576 - 1 };
}

/** A gauge whose time integral is kept exactly (piecewise constant between changes). */
export class Gauge {
  value = 0;
  private area = 0;
  private t = 0;
  /** Maximum since the last `resetMax`. */
  max = 0;
  /** Maximum in the current window. */
  wMax = 0;
  private markArea = 0;
  private markT = 0;
  private winArea = 0;
  private winT = 0;

  set(v: number, now: number): void {
    this.area += this.value * (now - this.t);
    this.t = now;
    this.value = v;
    if (v > this.max) this.max = v;
    if (v > this.wMax) this.wMax = v;
  }

  /** The integral of the gauge from 0 to `now`. */
  areaAt(now: number): number {
    return this.area + this.value * (now - this.t);
  }

  /** Starts the summary period (warm-up end). */
  markSummary(now: number): void {
    this.markArea = this.areaAt(now);
    this.markT = now;
    this.max = this.value;
  }

  /** Time average over the summary period up to `now`. */
  summaryMean(now: number): number {
    const dt = now - this.markT;
    return dt > 0 ? (this.areaAt(now) - this.markArea) / dt : this.value;
  }

  /** Closes a window at `now`: returns its time average and starts the next. */
  closeWindow(now: number): number {
    const a = this.areaAt(now);
    const dt = now - this.winT;
    const mean = dt > 0 ? (a - this.winArea) / dt : this.value;
    this.winArea = a;
    this.winT = now;
    this.wMax = this.value;
    return mean;
  }
}

export interface NodeSeries {
  arrivals: number[];
  ok: number[];
  failed: Record<string, number[]>;
  p50: number[];
  p90: number[];
  p99: number[];
  inFlight: number[];
  queue: number[];
  queueMax: number[];
  utilization: number[];
  /** Component-specific series (e.g. hitRatio). */
  extra: Record<string, number[]>;
}

const QS = [0.5, 0.9, 0.99] as const;
const qOut = [0, 0, 0];

function failSeries(): Record<string, number[]> {
  const o: Record<string, number[]> = {};
  for (const k of FAIL_KEYS) o[k] = [];
  return o;
}

/** Latency histograms: one per window, merged into a summary as windows close. */
class LatencyWindows {
  /** Answers of the current window (reset every window, so 32-bit counts suffice). */
  readonly window = new Histogram(true);
  /** Null when only the windows matter (the all-clients view, whose summary is merged from the clients'). */
  private readonly summary: Histogram | null;
  private warmup = 0;
  /** The current window started before warm-up ended: record into the summary directly. */
  private direct = false;

  constructor(keepSummary = true) {
    this.summary = keepSummary ? new Histogram() : null;
  }

  setWarmup(warmup: number): void {
    this.warmup = warmup;
    this.direct = warmup > 0;
  }

  record(v: number, now: number): void {
    this.window.record(v);
    if (this.direct && now >= this.warmup && this.summary !== null) this.summary.record(v);
  }

  /**
   * Closes the window at `now`: its quantiles `qs` go into `out`, its answers into the
   * summary (unless they were recorded there directly), and the next window starts empty.
   */
  close(now: number, qs: readonly number[], out: number[]): void {
    this.window.drain(qs, out, this.direct ? null : this.summary);
    this.direct = now < this.warmup;
  }

  /** Answers at or after warm-up, including the open window. */
  total(): Histogram {
    const h = new Histogram();
    if (this.summary !== null) h.merge(this.summary);
    if (!this.direct) h.merge(this.window);
    return h;
  }
}

/** Statistics the kernel keeps for every node. */
export class NodeStats {
  // summary (cohort: arrivals at or after warm-up)
  arrivals = 0;
  ok = 0;
  failed = 0;
  /** Sum of time-in-node of every answered cohort call (µs), for Little's law. */
  sojournSum = 0;
  /** Latencies of successful answers (µs). */
  readonly lat = new LatencyWindows();
  /** failureKey -> count */
  readonly failures = new Map<number, number>();
  // whole-run totals (for the live view)
  totalArrivals = 0;
  totalOk = 0;
  totalFailed = 0;

  /** Calls at the node (arrived, not yet answered). */
  readonly inNode = new Gauge();
  /** Calls waiting for a worker. */
  readonly queue = new Gauge();
  /** Workers busy. */
  readonly busy = new Gauge();
  /** Number of workers; 0 when utilisation does not apply. */
  capacity = 0;

  // totals when the current window opened (window counts are differences)
  private wArrivals0 = 0;
  private wOk0 = 0;
  readonly wFailed = new Float64Array(FAIL_KEYS.length);
  readonly series: NodeSeries = {
    arrivals: [],
    ok: [],
    failed: failSeries(),
    p50: [],
    p90: [],
    p99: [],
    inFlight: [],
    queue: [],
    queueMax: [],
    utilization: [],
    extra: {},
  };

  onArrival(now: number, counted: boolean): void {
    this.totalArrivals++;
    if (counted) this.arrivals++;
    this.inNode.set(this.inNode.value + 1, now);
  }

  onAnswer(call: Call, status: number, reason: number, origin: number, now: number, counted: boolean): void {
    this.inNode.set(this.inNode.value - 1, now);
    const dt = now - call.arrivedAt;
    if (status === OK) {
      this.totalOk++;
      this.lat.record(dt, now);
      if (counted) {
        this.ok++;
        this.sojournSum += dt;
      }
    } else this.onFailure(status, reason, origin, dt, counted);
  }

  /** The failure half of `onAnswer`, apart so the success path stays small enough to inline. */
  private onFailure(status: number, reason: number, origin: number, dt: number, counted: boolean): void {
    this.totalFailed++;
    this.wFailed[failSlot(status)]!++;
    if (counted) {
      this.failed++;
      this.sojournSum += dt;
      const k = failureKey(status, reason, origin);
      this.failures.set(k, (this.failures.get(k) ?? 0) + 1);
    }
  }

  markSummary(now: number): void {
    this.inNode.markSummary(now);
    this.queue.markSummary(now);
    this.busy.markSummary(now);
  }

  closeWindow(now: number, extra: Record<string, number> | undefined): void {
    const s = this.series;
    s.arrivals.push(this.totalArrivals - this.wArrivals0);
    s.ok.push(this.totalOk - this.wOk0);
    FAIL_KEYS.forEach((k, i) => {
      s.failed[k]!.push(this.wFailed[i]!);
      this.wFailed[i] = 0;
    });
    this.lat.close(now, QS, qOut);
    s.p50.push(qOut[0]!);
    s.p90.push(qOut[1]!);
    s.p99.push(qOut[2]!);
    s.inFlight.push(this.inNode.closeWindow(now));
    s.queueMax.push(this.queue.wMax);
    s.queue.push(this.queue.closeWindow(now));
    const b = this.busy.closeWindow(now);
    s.utilization.push(this.capacity > 0 ? b / this.capacity : NaN);
    if (extra) {
      const n = s.arrivals.length - 1;
      for (const [k, v] of Object.entries(extra)) {
        let col = s.extra[k];
        if (!col) {
          col = s.extra[k] = new Array(n).fill(NaN);
        }
        col.push(v);
      }
    }
    this.wArrivals0 = this.totalArrivals;
    this.wOk0 = this.totalOk;
  }
}

/** End-to-end statistics of requests as their clients see them. */
export class E2EStats {
  sent = 0;
  ok = 0;
  failed = 0;
  /** Attempts made for cohort requests (1 per request without retries). */
  attempts = 0;
  /** Answers that came back after the client had given up. */
  late = 0;
  /** Successful reads whose data was stale somewhere on the way (cohort). */
  staleReads = 0;
  /** Latencies of successful requests (µs). */
  readonly lat: LatencyWindows;
  readonly failures = new Map<number, number>();
  totalSent = 0;
  totalOk = 0;
  totalFailed = 0;

  wSent = 0;
  wOk = 0;
  readonly wFailed = new Float64Array(FAIL_KEYS.length);
  readonly series = {
    sent: [] as number[],
    ok: [] as number[],
    failed: failSeries(),
    p50: [] as number[],
    p90: [] as number[],
    p99: [] as number[],
    mean: [] as number[],
  };

  /**
   * `keepSummary` false: only the time series are kept (the simulation's all-clients view,
   * whose summary is merged from the clients' own when a report asks).
   */
  constructor(keepSummary = true) {
    this.lat = new LatencyWindows(keepSummary);
  }

  onSent(counted: boolean): void {
    this.totalSent++;
    this.wSent++;
    if (counted) this.sent++;
  }

  /** A request finished at `now` (success, failure or client timeout). `latency` in µs. */
  onDone(status: number, reason: number, origin: number, latency: number, now: number, counted: boolean, attempts: number): void {
    if (status === OK) {
      this.totalOk++;
      this.wOk++;
      this.lat.record(latency, now);
      if (counted) this.ok++;
    } else this.onFailure(status, reason, origin, counted);
    if (counted) this.attempts += attempts;
  }

  private onFailure(status: number, reason: number, origin: number, counted: boolean): void {
    this.totalFailed++;
    this.wFailed[failSlot(status)]!++;
    if (counted) {
      this.failed++;
      const k = failureKey(status, reason, origin);
      this.failures.set(k, (this.failures.get(k) ?? 0) + 1);
    }
  }

  /** Adds every source's current-window numbers to this one's (for totals over clients). */
  collectWindow(sources: E2EStats[]): void {
    for (const src of sources) {
      this.wSent += src.wSent;
      this.wOk += src.wOk;
      for (let i = 0; i < this.wFailed.length; i++) this.wFailed[i]! += src.wFailed[i]!;
      this.lat.window.merge(src.lat.window);
    }
  }

  /**
   * A summary over several sources (the end-to-end view of all clients). Its latency
   * total is in `lat.window` (read it with `lat.total()`).
   */
  static merge(sources: E2EStats[]): E2EStats {
    const m = new E2EStats();
    for (const s of sources) {
      m.sent += s.sent;
      m.ok += s.ok;
      m.failed += s.failed;
      m.attempts += s.attempts;
      m.late += s.late;
      m.staleReads += s.staleReads;
      m.totalSent += s.totalSent;
      m.totalOk += s.totalOk;
      m.totalFailed += s.totalFailed;
      m.lat.window.merge(s.lat.total());
      for (const [k, v] of s.failures) m.failures.set(k, (m.failures.get(k) ?? 0) + v);
    }
    return m;
  }

  closeWindow(now: number): void {
    const s = this.series;
    s.sent.push(this.wSent);
    s.ok.push(this.wOk);
    FAIL_KEYS.forEach((k, i) => {
      s.failed[k]!.push(this.wFailed[i]!);
      this.wFailed[i] = 0;
    });
    s.mean.push(this.lat.window.mean());
    this.lat.close(now, QS, qOut);
    s.p50.push(qOut[0]!);
    s.p90.push(qOut[1]!);
    s.p99.push(qOut[2]!);
    this.wSent = 0;
    this.wOk = 0;
  }

  /**
   * Closes the window of an all-clients view that has a single client `src` whose window
   * was just closed: the numbers are the client's (no merge, no second pass).
   */
  closeWindowAs(src: E2EStats): void {
    const s = this.series;
    const t = src.series;
    const last = t.sent.length - 1;
    s.sent.push(t.sent[last]!);
    s.ok.push(t.ok[last]!);
    for (const k of FAIL_KEYS) s.failed[k]!.push(t.failed[k]![last]!);
    s.p50.push(t.p50[last]!);
    s.p90.push(t.p90[last]!);
    s.p99.push(t.p99[last]!);
    s.mean.push(t.mean[last]!);
  }
}
