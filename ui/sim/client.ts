/**
 * The page's one door to the engine.
 *
 * Synchronous, cheap things (the component registry, parameter declarations, scenario
 * validation, unit parsing) are re-exported from `engine/index.ts` here, and nowhere else
 * in `ui/` imports the engine. Runs happen in a Web Worker that only this module knows:
 * `SimClient` starts it, sends plain messages, and hands each update to its listener
 * at most once per animation frame (and ~20 times a second), acknowledging it so the
 * worker can send the next.
 */
import type { FromWorker, Speed, ToWorker } from './protocol.ts';

export {
  componentDefs,
  parseScenario,
  parseScenarioText,
  parseDuration,
  parseRate,
  parseSize,
  formatDuration,
  expandDefaults,
  faultActions,
  FAULT_COMMON_PARAMS,
  NODE_ID_PATTERN,
  NODE_ID_HELP,
  TOP_PARAMS,
  LIMIT_PARAMS,
  EDGE_PARAMS,
  FAIL_KEYS,
  REASON_HELP,
  confidenceInterval,
  replicationSeeds,
} from '../../engine/index.ts';
export type {
  ComponentDef,
  Param,
  Params,
  ParseResult,
  Report,
  ScenarioIssue,
  LiveSnapshot,
  LiveNode,
  LiveEdge,
  LiveTimelineEntry,
  Series,
  FaultActionInfo,
  StopCode,
} from '../../engine/index.ts';
export type { FromWorker, RunInfo, Speed } from './protocol.ts';
export { SPEEDS } from './protocol.ts';

export type ClientListener = (m: FromWorker) => void;

/**
 * Minimum time between deliveries of updates (ms): ~20 a second when a person watches a
 * paced run, ~8 at full speed, where every refresh of the page (style, layout, paint)
 * takes CPU the engine could use. The dots on the edges animate on their own clock.
 */
export function deliveryMs(speed: Speed): number {
  return speed === 'max' ? 125 : 50;
}

/**
 * Owns the simulation worker. Messages from a previous run (an older `runId`) are
 * dropped, so "reset" and "run again" never mix results. If the worker itself dies, the
 * listener gets an `error` and the next `start` makes a fresh worker.
 */
export class SimClient {
  private worker: Worker | null = null;
  private runId = 0;
  private pending: FromWorker[] = [];
  private frame = 0;
  private lastFlush = 0;
  private speed: Speed = 'max';
  /** A run was started and has not finished (done or error). */
  private active = false;

  constructor(private readonly listener: ClientListener) {}

  /** Starts a run of `scenario` (the raw scenario JSON), replacing any other run. */
  start(scenario: unknown, opts: { speed: Speed; paused?: boolean; step?: boolean }): number {
    // an unfinished run may be busy in a long slice and deaf to messages: replace its
    // worker rather than wait for it (a finished run's worker is reused, JIT-warm)
    if (this.active) this.dropWorker();
    this.runId++;
    this.active = true;
    this.pending = [];
    this.speed = opts.speed;
    this.send({ type: 'start', runId: this.runId, scenario, speed: opts.speed, paused: !!opts.paused, step: !!opts.step });
    return this.runId;
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  step(): void {
    this.send({ type: 'step' });
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.send({ type: 'speed', speed });
  }

  /**
   * Drops the current run. The worker is terminated rather than asked, so even a run
   * stuck in a long computation stops at once; the next start makes a fresh worker.
   */
  stop(): void {
    this.runId++;
    this.pending = [];
    this.dropWorker();
  }

  private dropWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.active = false;
  }

  /** Terminates the worker. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  private send(m: ToWorker): void {
    this.ensureWorker().postMessage(m);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'archsim-engine' });
    w.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.worker?.terminate();
      this.worker = null;
      this.listener({ type: 'error', runId: this.runId, message: `the simulation worker failed: ${e.message || 'unknown error'}` });
    };
    w.onmessageerror = () => {
      this.listener({ type: 'error', runId: this.runId, message: 'a message from the simulation worker could not be read' });
    };
    this.worker = w;
    return w;
  }

  private receive(m: FromWorker): void {
    if (m.runId !== this.runId) {
      // a stale update still needs its ack, or the worker would wait for ever
      if (m.type === 'update') this.worker?.postMessage({ type: 'ack' } satisfies ToWorker);
      return;
    }
    if (m.type === 'done' || m.type === 'error') this.active = false;
    this.pending.push(m);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Delivers what arrived since the last delivery, in order, then acknowledges. */
  private flush(): void {
    this.frame = 0;
    const now = performance.now();
    const urgent = this.pending.some((m) => m.type !== 'update' || m.paused);
    if (!urgent && now - this.lastFlush < deliveryMs(this.speed)) {
      this.frame = requestAnimationFrame(() => this.flush());
      return;
    }
    this.lastFlush = now;
    const batch = this.pending;
    this.pending = [];
    let acks = 0;
    for (const m of batch) {
      if (m.runId !== this.runId) continue;
      if (m.type === 'update') acks++;
      this.listener(m);
    }
    if (acks && this.worker) this.worker.postMessage({ type: 'ack' } satisfies ToWorker);
  }
}
