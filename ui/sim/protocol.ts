/**
 * Messages between the page and the simulation worker. Plain, structured-cloneable data
 * only: the page sends the scenario JSON as the user wrote it, the worker validates it
 * again and answers with snapshots, series chunks and finally the report.
 */
import type { LiveSnapshot, LiveTimelineEntry, Report, ScenarioIssue, Series } from '../../engine/index.ts';

/** Simulated seconds per wall second, or 'max' (as fast as the engine goes). */
export type Speed = number | 'max';

/** The speeds offered in the run bar, slowest first. */
export const SPEEDS: readonly Speed[] = [0.001, 0.01, 0.1, 0.5, 1, 10, 100, 1000, 'max'];

export type ToWorker =
  /** Starts a new run (replacing any other). `paused` starts it paused; `step` runs one window first. */
  | { type: 'start'; runId: number; scenario: unknown; speed: Speed; paused: boolean; step: boolean }
  | { type: 'speed'; speed: Speed }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Advances one metric window (or to the end) and pauses. */
  | { type: 'step' }
  /** Drops the run. */
  | { type: 'stop' }
  /** The page has applied the last update; the worker may post the next. */
  | { type: 'ack' };

export interface RunInfo {
  name: string;
  seed: number | string;
  /** µs */
  duration: number;
  /** µs */
  warmup: number;
  /** Metric window (µs), after the engine's widening for long runs. */
  window: number;
  nodes: Array<{ id: string; type: string }>;
  edges: Array<{ id: string; from: string; to: string }>;
  warnings: ScenarioIssue[];
}

export type FromWorker =
  | { type: 'started'; runId: number; info: RunInfo }
  | { type: 'invalid'; runId: number; issues: ScenarioIssue[]; warnings: ScenarioIssue[] }
  | {
      type: 'update';
      runId: number;
      snapshot: LiveSnapshot;
      /** Windows closed since the previous update. */
      series: Series;
      /** Timeline entries since the previous update. */
      timeline: LiveTimelineEntry[];
      /** Wall milliseconds spent running so far (pauses excluded). */
      wallMs: number;
      paused: boolean;
    }
  | { type: 'done'; runId: number; report: Report; wallMs: number }
  | { type: 'error'; runId: number; message: string };

/** To a replications worker: the scenario once, then one message per run. */
export type SeedsToWorker = { type: 'scenario'; scenario: unknown } | { type: 'run'; i: number; seed: number };

/** From a replications worker: each run's headline metrics. */
export type SeedsFromWorker =
  | { type: 'result'; i: number; seed: number; fingerprint: string; stopped: string | null; metrics: Record<string, number>; wallMs: number }
  | { type: 'invalid'; issues: ScenarioIssue[] }
  | { type: 'error'; message: string };
