/**
 * The simulation worker: runs the engine off the page's thread.
 *
 * Throughput: the engine runs in slices bounded by wall time (~10 ms, checking the clock
 * every few thousand events) and yields between slices through a MessageChannel, which
 * the browser does not clamp the way it clamps setTimeout. Updates go out at most once
 * per animation frame and only after the page has acknowledged the previous one, so a
 * busy page is never flooded; each carries a small snapshot and only the series windows
 * closed since the previous update. Slicing never changes results: the fingerprint at the
 * end equals the CLI's for the same scenario and seed.
 *
 * Pacing: below 'max', simulated time follows wall time at `speed` simulated seconds per
 * wall second, re-anchored whenever the speed changes or the run resumes.
 */
import {
  buildReport,
  createSimulation,
  LiveProbe,
  parseScenario,
  seriesSince,
  timelineSince,
  type ScenarioIssue,
  type Simulation,
} from '../../engine/index.ts';
import type { FromWorker, RunInfo, Speed, ToWorker } from './protocol.ts';

/** Events per `sim.run` call between clock checks (~1 ms of work). */
const CHUNK = 4096;
/** Wall time of one slice before yielding (ms). */
export const SLICE_MS = 10;
/** Minimum wall time between updates (ms): about one animation frame. */
const UPDATE_MS = 16;

export type SliceResult = 'more' | 'wait' | 'paused' | 'done';

/** One run: the simulation, its pacing, and what the page has already been sent. */
export class Runner {
  readonly info: RunInfo;
  private readonly probe: LiveProbe;
  private seenWindows = 0;
  private seenTimeline = 0;
  /** Wall ms spent in slices. */
  wallMs = 0;
  private anchorSim = 0;
  private anchorWall = 0;
  private stepTo: number | null = null;

  private constructor(
    readonly sim: Simulation,
    warnings: ScenarioIssue[],
    private speed: Speed,
    public paused: boolean,
    now: number,
  ) {
    this.probe = new LiveProbe(sim);
    this.info = {
      name: sim.scenario.name,
      seed: sim.seed,
      duration: sim.duration,
      warmup: sim.warmup,
      window: sim.window,
      nodes: sim.nodes.map((n) => ({ id: n.id, type: n.type })),
      edges: sim.edges.map((e) => ({ id: e.id, from: e.from.id, to: e.to.id })),
      warnings,
    };
    this.anchor(now);
  }

  /** Validates the raw scenario and creates a runner, or returns the problems. */
  static create(
    raw: unknown,
    opts: { speed: Speed; paused: boolean },
    now: number,
  ): { ok: true; runner: Runner } | { ok: false; issues: ScenarioIssue[]; warnings: ScenarioIssue[] } {
    const parsed = parseScenario(raw);
    if (!parsed.ok) return { ok: false, issues: parsed.issues, warnings: parsed.warnings };
    const sim = createSimulation(parsed.scenario);
    return { ok: true, runner: new Runner(sim, parsed.warnings, opts.speed, opts.paused, now) };
  }

  private anchor(now: number): void {
    this.anchorSim = this.sim.now;
    this.anchorWall = now;
  }

  setSpeed(speed: Speed, now: number): void {
    this.speed = speed;
    this.anchor(now);
  }

  pause(): void {
    this.paused = true;
    this.stepTo = null;
  }

  resume(now: number): void {
    this.paused = false;
    this.stepTo = null;
    this.anchor(now);
  }

  /** Runs to the end of the current metric window (just past its tick) and then pauses. */
  step(): void {
    const sim = this.sim;
    // window k closes at (k+1)·window; `run` handles events strictly before `until`
    this.stepTo = Math.min((sim.windows + 1) * sim.window + 1, sim.duration);
    this.paused = true;
  }

  /** Whether the run has finished (its end, or a guard stopped it). */
  get done(): boolean {
    return this.sim.done;
  }

  /**
   * Advances the run for at most `budgetMs` of wall time. 'more': call again soon;
   * 'wait': paced and ahead of the clock; 'paused'; 'done' (the last window is closed).
   */
  slice(clock: () => number, budgetMs = SLICE_MS): SliceResult {
    const sim = this.sim;
    if (sim.done) return this.finish();
    if (this.paused && this.stepTo === null) return 'paused';
    const t0 = clock();
    const paced = this.stepTo === null && this.speed !== 'max';
    let until = this.stepTo ?? (this.speed === 'max' ? Infinity : this.anchorSim + (t0 - this.anchorWall) * this.speed * 1000);
    until = Math.min(until, sim.duration);
    if (paced && until <= sim.now) return 'wait';
    for (;;) {
      sim.run(until, CHUNK);
      if (sim.done || sim.now >= until) break;
      if (clock() - t0 >= budgetMs) break;
    }
    this.wallMs += clock() - t0;
    if (sim.done) return this.finish();
    if (this.stepTo !== null && sim.now >= this.stepTo) {
      this.stepTo = null;
      return 'paused';
    }
    return paced && sim.now >= until ? 'wait' : 'more';
  }

  private finish(): 'done' {
    this.sim.finish();
    return 'done';
  }

  /** What happened since the previous update. */
  update(runId: number): Extract<FromWorker, { type: 'update' }> {
    const sim = this.sim;
    const msg = {
      type: 'update' as const,
      runId,
      snapshot: this.probe.snapshot(),
      series: seriesSince(sim, this.seenWindows),
      timeline: timelineSince(sim, this.seenTimeline),
      wallMs: this.wallMs,
      paused: this.paused && this.stepTo === null && !sim.done,
    };
    this.seenWindows = sim.windows;
    this.seenTimeline = sim.timeline.length;
    return msg;
  }

  /** The final report, as the CLI's --json prints it. */
  report() {
    return buildReport(this.sim, { wallSeconds: this.wallMs / 1000, warnings: this.info.warnings });
  }
}

/** Wires a Runner to worker messages. */
function serve(scope: { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null }): void {
  let runner: Runner | null = null;
  let runId = 0;
  let awaitingAck = false;
  let lastPost = -Infinity;
  let scheduled = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const clock = () => performance.now();
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    scheduled = false;
    tick();
  };
  const post = (m: FromWorker) => scope.postMessage(m);
  const fail = (e: unknown) => {
    post({ type: 'error', runId, message: e instanceof Error ? `${e.message}${e.stack ? `\n${e.stack}` : ''}` : String(e) });
    runner = null;
  };
  const schedule = (after: 'now' | 'later') => {
    if (after === 'now') {
      if (!scheduled) {
        scheduled = true;
        channel.port2.postMessage(0);
      }
    } else if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        tick();
      }, 8);
    }
  };
  const sendUpdate = (force: boolean) => {
    if (!runner) return;
    if (!force && (awaitingAck || clock() - lastPost < UPDATE_MS)) return;
    post(runner.update(runId));
    awaitingAck = true;
    lastPost = clock();
  };
  function tick(): void {
    const r = runner;
    if (!r) return;
    let result: SliceResult;
    try {
      result = r.slice(clock);
    } catch (e) {
      fail(e);
      return;
    }
    if (result === 'done') {
      try {
        sendUpdate(true);
        post({ type: 'done', runId, report: r.report(), wallMs: r.wallMs });
      } catch (e) {
        fail(e);
      }
      runner = null;
      return;
    }
    if (result === 'paused') {
      sendUpdate(true);
      return;
    }
    sendUpdate(false);
    schedule(result === 'more' ? 'now' : 'later');
  }
  scope.onmessage = (e) => {
    const m = e.data;
    const now = clock();
    switch (m.type) {
      case 'start': {
        runId = m.runId;
        awaitingAck = false;
        lastPost = -Infinity;
        let created: ReturnType<typeof Runner.create>;
        try {
          created = Runner.create(m.scenario, { speed: m.speed, paused: m.paused }, now);
        } catch (err) {
          fail(err);
          return;
        }
        if (!created.ok) {
          runner = null;
          post({ type: 'invalid', runId, issues: created.issues, warnings: created.warnings });
          return;
        }
        runner = created.runner;
        post({ type: 'started', runId, info: runner.info });
        if (m.step) runner.step();
        sendUpdate(true);
        schedule('now');
        return;
      }
      case 'speed':
        runner?.setSpeed(m.speed, now);
        return;
      case 'pause':
        runner?.pause();
        sendUpdate(true);
        return;
      case 'resume':
        runner?.resume(now);
        schedule('now');
        return;
      case 'step':
        runner?.step();
        schedule('now');
        return;
      case 'stop':
        runner = null;
        return;
      case 'ack':
        awaitingAck = false;
        return;
    }
  };
}

// Only start serving inside a worker (tests import Runner in Node).
declare const WorkerGlobalScope: unknown;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined') {
  serve(self as unknown as Parameters<typeof serve>[0]);
}
