/**
 * The run store: what the worker reports about the current run (status, live snapshot,
 * accumulated series, timeline, final report, errors), and the actions that drive it.
 * Runs take the editor's document as it is when Run is pressed; later edits mark the
 * results as stale rather than mixing two scenarios.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { SimClient, type FromWorker, type LiveSnapshot, type LiveTimelineEntry, type Report, type RunInfo, type ScenarioIssue, type Series, type Speed } from '../sim/client.ts';
import type { Doc } from './doc.ts';
import { appendSeries, startSeries } from './series.ts';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'invalid' | 'error';

export interface RunState {
  status: RunStatus;
  /** The document this run is of. */
  doc: Doc | null;
  info: RunInfo | null;
  snapshot: LiveSnapshot | null;
  series: Series | null;
  /** Bumped whenever `series` grows (it is extended in place). */
  seriesVersion: number;
  timeline: LiveTimelineEntry[];
  report: Report | null;
  /** Wall ms the engine has run (pauses excluded). */
  wallMs: number;
  /** Validation problems that stopped the run from starting. */
  issues: ScenarioIssue[];
  /** A crash of the engine or the worker. */
  error: string | null;
  /** A finished run kept to compare later runs with (survives new runs and resets). */
  baseline: Baseline | null;
}

/** A finished run kept for comparison: its results and what it was a run of. */
export interface Baseline {
  doc: Doc;
  info: RunInfo;
  series: Series;
  report: Report;
  /** The seed it ran with. */
  seed: number | string;
}

export interface RunActions {
  /** Starts a run of `doc` (replacing any other). */
  run(doc: Doc, speed: Speed, opts?: { paused?: boolean; step?: boolean }): void;
  pause(): void;
  resume(): void;
  step(): void;
  setSpeed(speed: Speed): void;
  /** Drops the run and its results (the baseline stays). */
  reset(): void;
  /** Keeps the finished run as the baseline that later runs are compared with. */
  keepBaseline(): void;
  clearBaseline(): void;
}

const EMPTY: RunState = {
  status: 'idle',
  doc: null,
  info: null,
  snapshot: null,
  series: null,
  seriesVersion: 0,
  timeline: [],
  report: null,
  wallMs: 0,
  issues: [],
  error: null,
  baseline: null,
};

/** Creates a run store around a client factory (tests pass a fake). */
export function createRunStore(makeClient: (listener: (m: FromWorker) => void) => Pick<SimClient, 'start' | 'pause' | 'resume' | 'step' | 'setSpeed' | 'stop'>) {
  let client: ReturnType<typeof makeClient> | null = null;
  const store = createStore<RunState & RunActions>()((set, get) => {
    const onMessage = (m: FromWorker) => {
      const s = get();
      switch (m.type) {
        case 'started':
          set({ info: m.info, status: s.status === 'starting' ? 'running' : s.status });
          return;
        case 'invalid':
          set({ status: 'invalid', issues: m.issues });
          return;
        case 'update': {
          const series = s.series ? appendSeries(s.series, m.series) : startSeries(m.series);
          set({
            snapshot: m.snapshot,
            series,
            seriesVersion: s.seriesVersion + 1,
            timeline: m.timeline.length ? [...s.timeline, ...m.timeline] : s.timeline,
            wallMs: m.wallMs,
            status: s.status === 'done' || s.status === 'stopped' ? s.status : m.paused ? 'paused' : 'running',
          });
          return;
        }
        case 'done':
          set({ report: m.report, wallMs: m.wallMs, status: m.report.stopped ? 'stopped' : 'done' });
          return;
        case 'error':
          set({ status: 'error', error: m.message });
          return;
      }
    };
    const c = () => (client ??= makeClient(onMessage));
    return {
      ...EMPTY,
      run(doc, speed, opts = {}) {
        set({ ...EMPTY, status: 'starting', doc, baseline: get().baseline });
        c().start(doc, { speed, paused: opts.paused, step: opts.step });
      },
      pause() {
        if (get().status === 'running') c().pause();
      },
      resume() {
        if (get().status === 'paused') {
          set({ status: 'running' });
          c().resume();
        }
      },
      step() {
        const st = get().status;
        if (st === 'running' || st === 'paused') c().step();
      },
      setSpeed(speed) {
        client?.setSpeed(speed);
      },
      reset() {
        client?.stop();
        set({ ...EMPTY, baseline: get().baseline });
      },
      keepBaseline() {
        const { doc, info, series, report } = get();
        if (!doc || !info || !series || !report) return;
        // the series is extended in place only while its run goes on; this one has ended
        set({ baseline: { doc, info, series, report, seed: report.seed } });
      },
      clearBaseline() {
        set({ baseline: null });
      },
    };
  });
  return store;
}

/** The app's run store, backed by the worker. */
export const runStore = createRunStore((listener) => new SimClient(listener));

/** Reads from the run store in a component. */
export function useRun<T>(selector: (s: RunState & RunActions) => T): T {
  return useStore(runStore, selector);
}

/** Whether a run is in progress (started, not finished). */
export function isActive(status: RunStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'paused';
}
