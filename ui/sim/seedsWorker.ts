/**
 * A worker for replications: runs whole runs of one scenario under the seeds it is given,
 * one after another, and answers each with its headline metrics (the numbers the CLI's
 * `--replications` summarises). No live updates: these runs go as fast as the engine
 * can. The page runs one such worker per spare core and stops them by terminating them.
 */
import { buildReport, createSimulation, headlineMetrics, parseScenario } from '../../engine/index.ts';
import type { SeedsFromWorker, SeedsToWorker } from './protocol.ts';

/** A replications worker's message handler (a function, so tests can run it in Node). */
export function seedsHandler(post: (m: SeedsFromWorker) => void): (m: SeedsToWorker) => void {
  let parsed: ReturnType<typeof parseScenario> | null = null;
  return (m) => {
    try {
      if (m.type === 'scenario') {
        parsed = parseScenario(m.scenario);
        if (!parsed.ok) post({ type: 'invalid', issues: parsed.issues });
        return;
      }
      if (!parsed?.ok) return;
      const t0 = performance.now();
      const sim = createSimulation(parsed.scenario, { seed: m.seed });
      sim.runToEnd();
      const report = buildReport(sim, { series: false });
      post({
        type: 'result',
        i: m.i,
        seed: m.seed,
        fingerprint: report.fingerprint,
        stopped: report.stopped?.message ?? null,
        metrics: headlineMetrics(report),
        wallMs: performance.now() - t0,
      });
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
}

declare const WorkerGlobalScope: unknown;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined') {
  const scope = self as unknown as { postMessage(m: SeedsFromWorker): void; onmessage: ((e: MessageEvent<SeedsToWorker>) => void) | null };
  const handle = seedsHandler((m) => scope.postMessage(m));
  scope.onmessage = (e) => handle(e.data);
}
