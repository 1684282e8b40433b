/**
 * The replications store: R runs of the current scenario under derived seeds, their
 * headline metrics as they arrive, and the mean with a 95% confidence interval of each.
 * Like the run store, it keeps the document it ran, so later edits mark it as stale.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { confidenceInterval, parseScenario, replicationSeeds, type ScenarioIssue } from '../sim/client.ts';
import { SeedsPool, seedWorkers, type SeedRun, type SeedsEvent } from '../sim/seeds.ts';
import type { Doc } from './doc.ts';

export type SeedsStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'invalid' | 'error';

export interface MetricSummary {
  mean: number;
  halfWidth: number;
  min: number;
  max: number;
  n: number;
}

export interface SeedsState {
  status: SeedsStatus;
  doc: Doc | null;
  /** The base seed the runs' seeds derive from. */
  baseSeed: number | string | null;
  total: number;
  /** Finished runs, in replication order once all are in. */
  runs: SeedRun[];
  issues: ScenarioIssue[];
  error: string | null;
  /** The number of replications asked for in the tab (kept while the tab is closed). */
  count: string;
}

export interface SeedsActions {
  start(doc: Doc, replications: number): void;
  cancel(): void;
  clear(): void;
  setCount(count: string): void;
}

const EMPTY: Omit<SeedsState, 'count'> = { status: 'idle', doc: null, baseSeed: null, total: 0, runs: [], issues: [], error: null };

/** The smallest and largest number of replications offered. */
export const MIN_SEEDS = 2;
export const MAX_SEEDS = 200;

/** Mean, 95% CI half-width, min and max of every metric over the runs. */
export function summarise(runs: readonly SeedRun[]): Record<string, MetricSummary> {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const out: Record<string, MetricSummary> = {};
  for (const k of names) {
    const xs = runs.map((r) => r.metrics[k] ?? NaN);
    const ci = confidenceInterval(xs);
    const finite = xs.filter((x) => Number.isFinite(x));
    out[k] = { mean: ci.mean, halfWidth: ci.halfWidth, min: Math.min(...finite), max: Math.max(...finite), n: ci.n };
  }
  return out;
}

export function createSeedsStore(pool: Pick<SeedsPool, 'start' | 'stop'>, cores: () => number | undefined) {
  return createStore<SeedsState & SeedsActions>()((set, get) => ({
    ...EMPTY,
    count: '10',
    setCount(count) {
      set({ count });
    },
    start(doc, replications) {
      const r = Math.round(replications);
      if (!(r >= MIN_SEEDS && r <= MAX_SEEDS)) {
        set({ ...EMPTY, status: 'error', error: `replications must be a whole number from ${MIN_SEEDS} to ${MAX_SEEDS} (got ${replications})` });
        return;
      }
      const parsed = parseScenario(doc);
      if (!parsed.ok) {
        set({ ...EMPTY, status: 'invalid', doc, issues: parsed.issues });
        return;
      }
      const baseSeed = parsed.scenario.seed;
      const seeds = replicationSeeds(baseSeed, r);
      set({ ...EMPTY, status: 'running', doc, baseSeed, total: r });
      pool.start(doc, seeds, seedWorkers(cores(), r), (e: SeedsEvent) => {
        switch (e.type) {
          case 'result':
            set({ runs: [...get().runs, e.run] });
            return;
          case 'done':
            set({ status: 'done', runs: [...get().runs].sort((a, b) => a.i - b.i) });
            return;
          case 'invalid':
            set({ status: 'invalid', issues: e.issues });
            return;
          case 'error':
            set({ status: 'error', error: e.message });
            return;
        }
      });
    },
    /** Stops the runs still going; those finished are kept and summarised. */
    cancel() {
      pool.stop();
      if (get().status !== 'running') return;
      const runs = [...get().runs].sort((a, b) => a.i - b.i);
      set(runs.length ? { status: 'cancelled', runs } : { status: 'idle', runs: [], total: 0 });
    },
    clear() {
      pool.stop();
      set({ ...EMPTY });
    },
  }));
}

export const seedsStore = createSeedsStore(new SeedsPool(), () => (typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency));

export function useSeeds<T>(selector: (s: SeedsState & SeedsActions) => T): T {
  return useStore(seedsStore, selector);
}
