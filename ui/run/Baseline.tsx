/**
 * Keeping a run as the baseline and comparing later runs with it: the control in the
 * dock's tab row, and the comparison table above the summary. The charts draw the
 * baseline faintly behind the current run (Charts.tsx).
 */
import { runStore, useRun } from '../store/run.ts';
import { change, compareReports, type CompareRow } from './compare.ts';
import { fmt, int } from './format.ts';

/** "Keep as baseline", or the kept baseline with a button to drop it. */
export function BaselineControl() {
  const baseline = useRun((s) => s.baseline);
  const report = useRun((s) => s.report);
  const canKeep = report !== null && report !== baseline?.report;
  const keep = () => runStore.getState().keepBaseline();
  if (!baseline) {
    return (
      <button
        type="button"
        className="btn small"
        disabled={!canKeep}
        onClick={keep}
        title="Keep this run's results to compare the next runs with: change something, run again, and see both"
        data-testid="keep-baseline"
      >
        Keep as baseline
      </button>
    );
  }
  return (
    <span className="baseline-chip" data-testid="baseline-chip" title={`baseline: "${baseline.doc.name}", seed ${baseline.seed}, fingerprint ${baseline.report.fingerprint}`}>
      <span className="muted">vs baseline</span> <b>{baseline.doc.name}</b> <span className="muted mono">seed {String(baseline.seed)}</span>
      {canKeep && (
        <button type="button" className="link-btn" onClick={keep} title="Make this run the baseline instead" data-testid="replace-baseline">
          replace
        </button>
      )}
      <button type="button" className="link-btn" onClick={() => runStore.getState().clearBaseline()} aria-label="drop the baseline" title="Drop the baseline" data-testid="clear-baseline">
        ✕
      </button>
    </span>
  );
}

const UNIT: Record<CompareRow['unit'], string> = { '': '', ms: ' ms', '/s': '/s', '%': '%', ratio: '' };

function value(v: number | null, unit: CompareRow['unit'], metric: string): string {
  if (v === null) return '—';
  if (unit === '' && (metric === 'failed' || metric === 'origin reads' || metric === 'stale reads' || metric === 'arrivals')) return int(v);
  return `${fmt(v, unit === '%' ? 1 : unit === 'ratio' ? 3 : 2)}${UNIT[unit]}`;
}

function changeText(r: CompareRow): string {
  const c = change(r);
  if (c.diff === null) return r.base === null ? 'new' : 'gone';
  if (c.diff === 0) return 'same';
  const sign = c.diff > 0 ? '+' : '−';
  const abs = Math.abs(c.diff);
  const d = r.unit === '' && Number.isInteger(abs) ? int(abs) : fmt(abs, r.unit === '%' ? 1 : r.unit === 'ratio' ? 3 : 2);
  // percentages are compared in points; other values also as a relative change
  const rel = r.unit !== '%' && c.rel !== null ? ` (${sign}${fmt(Math.abs(c.rel) * 100, 1)}%)` : '';
  return `${sign}${d}${r.unit === '%' ? ' pts' : UNIT[r.unit]}${rel}`;
}

/** The table comparing the finished run with the baseline, when both exist. */
export function BaselineComparison() {
  const baseline = useRun((s) => s.baseline);
  const report = useRun((s) => s.report);
  if (!baseline || !report || baseline.report === report) return null;
  const rows = compareReports(baseline.report, report);
  const sameSeed = String(baseline.seed) === String(report.seed);
  let last = '';
  return (
    <div className="compare" data-testid="baseline-comparison">
      <p className="summary-line">
        <b>Compared with the baseline</b> "{baseline.doc.name}" (seed {String(baseline.seed)}, fingerprint <span className="mono">{baseline.report.fingerprint}</span>).{' '}
        <span className="muted">
          {sameSeed
            ? 'Same seed: nodes with the same id drew the same random numbers in both runs, so the differences come from what changed, not from chance.'
            : 'Different seeds: part of each difference is chance. Use the same seed to compare like with like.'}
        </span>
      </p>
      <table className="table compare-table">
        <thead>
          <tr>
            <th className="l">where</th>
            <th className="l">metric</th>
            <th>baseline</th>
            <th>this run</th>
            <th>change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const first = r.scope !== last;
            last = r.scope;
            const v = change(r).verdict;
            return (
              <tr key={`${r.scope}|${r.metric}`} className={first ? 'group' : ''} data-scope={r.scope} data-metric={r.metric}>
                <td className="l">{first ? <b>{r.scope}</b> : ''}</td>
                <td className="l">{r.metric}</td>
                <td>{value(r.base, r.unit, r.metric)}</td>
                <td>{value(r.cur, r.unit, r.metric)}</td>
                <td className={v ? `delta ${v}` : 'delta'} data-verdict={v ?? 'none'}>
                  {changeText(r)}
                  {v && <span className="verdict">{v}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
