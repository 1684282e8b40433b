/**
 * The Replications tab: run the scenario under R seeds derived from its seed (the CLI's
 * `--replications R`, same seeds, same numbers) and see how much each number varies from
 * run to run: the mean with its 95% confidence interval, and the smallest and largest
 * value. Any run can be opened on the canvas by its seed, to watch an unlucky one.
 */
import { editorStore, useEditor } from '../store/editor.ts';
import { MAX_SEEDS, MIN_SEEDS, seedsStore, summarise, useSeeds } from '../store/seeds.ts';
import { isActive, runStore } from '../store/run.ts';
import { Problems } from '../inspector/Problems.tsx';
import { play } from '../chrome/runCommands.ts';
import { validate } from '../store/validation.ts';
import { seedRows, type SeedRow } from './seedRows.ts';
import { fmt } from './format.ts';

const show = (r: SeedRow, v: number) => (r.percent ? `${fmt(v * 100, 2)}%` : fmt(v, 2));

export function SeedsPanel() {
  const count = useSeeds((s) => s.count);
  const setCount = useSeeds((s) => s.setCount);
  const status = useSeeds((s) => s.status);
  const runs = useSeeds((s) => s.runs);
  const total = useSeeds((s) => s.total);
  const baseSeed = useSeeds((s) => s.baseSeed);
  const ranDoc = useSeeds((s) => s.doc);
  const issues = useSeeds((s) => s.issues);
  const error = useSeeds((s) => s.error);
  const doc = useEditor((s) => s.doc);
  const n = Number(count);
  const countOk = Number.isInteger(n) && n >= MIN_SEEDS && n <= MAX_SEEDS;
  const running = status === 'running';
  const stale = ranDoc !== null && ranDoc !== doc && !running;
  const start = () => {
    const v = validate(doc);
    if (!v.ok) {
      editorStore.getState().setPrefs({ dockTab: 'problems' });
      return;
    }
    seedsStore.getState().start(doc, n);
  };
  const nodeOrder = doc.nodes.map((x) => x.id);
  const rows = runs.length >= 2 ? seedRows(summarise(runs), nodeOrder) : [];
  const stopped = runs.filter((r) => r.stopped);
  let last = '';
  return (
    <div className="seeds dock-pad" data-testid="seeds-panel">
      <div className="seeds-bar">
        <span>
          Run the scenario under{' '}
          <input
            className={countOk ? 'seeds-count' : 'seeds-count invalid'}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            aria-label="number of seeds"
            aria-invalid={!countOk}
            title={`${MIN_SEEDS} to ${MAX_SEEDS}`}
            data-testid="seeds-count"
            disabled={running}
          />{' '}
          seeds derived from its seed, each to the end, as fast as the engine goes.
        </span>
        {running ? (
          <button type="button" className="btn small" onClick={() => seedsStore.getState().cancel()} data-testid="seeds-cancel">
            Cancel ({runs.length} / {total})
          </button>
        ) : (
          <button type="button" className="btn primary small" onClick={start} disabled={!countOk || !doc.nodes.length} data-testid="seeds-run">
            Run {countOk ? n : ''} seeds
          </button>
        )}
        {!countOk && <span className="field-error">a whole number from {MIN_SEEDS} to {MAX_SEEDS}</span>}
        {stale && <span className="chip" title="the scenario changed since these runs">edited since</span>}
      </div>
      {running && (
        <div className="progress-track seeds-progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={runs.length}>
          <div className="progress-fill" style={{ width: `${(100 * runs.length) / Math.max(1, total)}%` }} />
        </div>
      )}
      {status === 'invalid' && <Problems issues={issues} />}
      {status === 'error' && (
        <div className="banner error" role="alert">
          <b>The replications failed:</b> {error}
        </div>
      )}
      {status === 'cancelled' && (
        <p className="banner info" data-testid="seeds-cancelled">
          Cancelled after {runs.length} of {total} runs: the numbers below are over those {runs.length}.
        </p>
      )}
      {stopped.length > 0 && (
        <div className="banner warn" role="status" data-testid="seeds-stopped">
          <b>
            {stopped.length} of {runs.length} runs stopped early
          </b>{' '}
          ({stopped[0]!.stopped}): their numbers cover only part of the duration, so the mean and interval below mix shorter runs with full ones.
          Raise the limit in the Problems tab or shorten the run.
        </div>
      )}
      {status === 'idle' && runs.length === 0 && (
        <p className="muted seeds-help">
          One run is one sample: its p99 would come out a little different under another seed. Replications show how much, as a 95% confidence
          interval around the mean of the runs, and are what to quote when a number matters. The seeds are those of the CLI's{' '}
          <code>--replications</code>, so the numbers match it.
        </p>
      )}
      {rows.length > 0 && (
        <>
          <p className="summary-line">
            <b>{runs.length} runs</b> from seed {String(baseSeed)}
            {running ? ' so far' : ''}: mean, 95% confidence interval of the mean (Student's t), and the range over the runs.
          </p>
          <table className="table seeds-table" data-testid="seeds-table">
            <thead>
              <tr>
                <th className="l">where</th>
                <th className="l">metric</th>
                <th>mean</th>
                <th>± 95% CI</th>
                <th>min</th>
                <th>max</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const first = r.scope !== last;
                last = r.scope;
                const s = r.summary;
                return (
                  <tr key={r.name} className={first ? 'group' : ''} data-metric={r.name}>
                    <td className="l">{first ? <b>{r.scope}</b> : ''}</td>
                    <td className="l">{r.label}</td>
                    <td>{show(r, s.mean)}</td>
                    <td>{Number.isFinite(s.halfWidth) ? `± ${show(r, s.halfWidth)}` : '-'}</td>
                    <td>{show(r, s.min)}</td>
                    <td>{show(r, s.max)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <details className="seeds-runs">
            <summary>the {runs.length} runs</summary>
            <table className="table" data-testid="seeds-runs">
              <thead>
                <tr>
                  <th>#</th>
                  <th>seed</th>
                  <th className="l">fingerprint</th>
                  <th>p99 ms</th>
                  <th className="l" />
                </tr>
              </thead>
              <tbody>
                {[...runs]
                  .sort((a, b) => a.i - b.i)
                  .map((r) => (
                    <tr key={r.i} data-seed={r.seed}>
                      <td>{r.i + 1}</td>
                      <td className="mono">{r.seed}</td>
                      <td className="l mono">{r.fingerprint}</td>
                      <td>{fmt(r.metrics['endToEnd.latencyMs.p99'])}</td>
                      <td className="l">
                        {r.stopped && <span className="field-error" title={r.stopped}>stopped </span>}
                        <button type="button" className="link-btn" onClick={() => openSeed(r.seed, r.i)} title="Set the scenario's seed to this one and run it live">
                          watch this run
                        </button>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </div>
  );
}

/** Sets the scenario's seed (one undoable edit) and runs it live. */
function openSeed(seed: number, i: number) {
  const s = editorStore.getState();
  const was = s.doc.seed;
  s.apply({ kind: 'setTop', path: ['seed'], value: seed });
  s.notify({
    tone: 'info',
    title: `Watching replication ${i + 1}: seed ${seed}`,
    details: [`The scenario's seed was ${String(was)}; Undo (Ctrl+Z) puts it back. Replications run from the seed in the run bar.`],
    timeout: 10,
  });
  s.setPrefs({ dockTab: 'charts' });
  if (isActive(runStore.getState().status)) runStore.getState().reset();
  play();
}
