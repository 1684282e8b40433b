/**
 * Replications in the page: R whole runs of one scenario under seeds derived from its
 * seed (the same seeds as the CLI's `--replications R`, so the same numbers), spread over
 * a few workers, one per spare core. Results arrive run by run; stopping terminates the
 * workers at once.
 */
import type { ScenarioIssue } from './client.ts';
import type { SeedsFromWorker, SeedsToWorker } from './protocol.ts';

export interface SeedRun {
  /** Replication index (0-based). */
  i: number;
  seed: number;
  fingerprint: string;
  stopped: string | null;
  metrics: Record<string, number>;
  wallMs: number;
}

export type SeedsEvent = { type: 'result'; run: SeedRun } | { type: 'invalid'; issues: ScenarioIssue[] } | { type: 'error'; message: string } | { type: 'done' };

/** What the pool needs of a worker (tests pass one that runs in Node). */
export interface WorkerLike {
  postMessage(m: SeedsToWorker): void;
  onmessage: ((e: { data: SeedsFromWorker }) => void) | null;
  onerror?: ((e: { message?: string; preventDefault?: () => void }) => void) | null;
  terminate(): void;
}

const browserWorker = (): WorkerLike => new Worker(new URL('./seedsWorker.ts', import.meta.url), { type: 'module', name: 'archsim-seeds' }) as unknown as WorkerLike;

/** How many workers to use: the cores less one for the page and one for a live run, 1 to 4. */
export function seedWorkers(cores: number | undefined, runs: number): number {
  return Math.max(1, Math.min(4, runs, (cores ?? 2) - 2));
}

export class SeedsPool {
  private workers: WorkerLike[] = [];
  private gen = 0;

  constructor(private readonly makeWorker: () => WorkerLike = browserWorker) {}

  /** Runs `scenario` under each of `seeds` on `parallel` workers; `listener` gets each result, then 'done'. */
  start(scenario: unknown, seeds: readonly number[], parallel: number, listener: (e: SeedsEvent) => void): void {
    this.stop();
    const gen = ++this.gen;
    let next = 0;
    let finished = 0;
    const live = () => gen === this.gen;
    const end = (e: SeedsEvent) => {
      listener(e);
      this.stop();
    };
    const n = Math.max(1, Math.min(parallel, seeds.length));
    for (let k = 0; k < n; k++) {
      const w = this.makeWorker();
      this.workers.push(w);
      const feed = () => {
        if (next < seeds.length) {
          const i = next++;
          w.postMessage({ type: 'run', i, seed: seeds[i]! });
        }
      };
      w.onmessage = ({ data: m }) => {
        if (!live()) return;
        if (m.type === 'result') {
          finished++;
          const { type: _t, ...run } = m;
          listener({ type: 'result', run });
          if (finished === seeds.length) end({ type: 'done' });
          else feed();
        } else end(m);
      };
      w.onerror = (e) => {
        e.preventDefault?.();
        if (live()) end({ type: 'error', message: `a replications worker failed: ${e.message || 'unknown error'}` });
      };
      w.postMessage({ type: 'scenario', scenario });
      feed();
    }
  }

  /** Stops every worker (results still on their way are dropped). */
  stop(): void {
    this.gen++;
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }
}
