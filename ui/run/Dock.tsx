/**
 * The bottom dock: the run bar, then tabs for the charts, the summary table, the
 * scenario's problems and the run's timeline, with result exports. Engine errors and
 * guard stops are shown here, in words, next to a link to their cause.
 */
import { Charts, ChartScope } from '../charts/Charts.tsx';
import { download, safeName, seriesToCsv } from '../charts/export.ts';
import { editorStore, useEditor, type Prefs } from '../store/editor.ts';
import { useRun } from '../store/run.ts';
import { useValidation } from '../store/validation.ts';
import type { StopCode } from '../sim/client.ts';
import { Problems } from '../inspector/Problems.tsx';
import { revealIssue } from '../chrome/commands.ts';
import { reset } from '../chrome/runCommands.ts';
import { RunBar } from './RunBar.tsx';
import { SummaryTable } from './SummaryTable.tsx';
import { BaselineComparison, BaselineControl } from './Baseline.tsx';
import { SeedsPanel } from './SeedsPanel.tsx';
import { Timeline } from './Timeline.tsx';
import './run.css';

/** Where to look when a guard stops a run (every guard has an entry: a new one must add its own). */
const STOP_CAUSE: Record<Exclude<StopCode, 'error'>, { path: string; label: string }> = {
  'max-events': { path: 'limits.maxEvents', label: 'limits → maxEvents' },
  'max-pending': { path: 'limits.maxPending', label: 'limits → maxPending' },
  'hop-limit': { path: 'limits.hopLimit', label: 'limits → hopLimit' },
  stalled: { path: 'limits.maxEventsAtOneInstant', label: 'limits → maxEventsAtOneInstant' },
};

export function Dock() {
  const tab = useEditor((s) => s.prefs.dockTab);
  const { issues, warnings } = useValidation();
  const timeline = useRun((s) => s.timeline);
  const report = useRun((s) => s.report);
  const stopCode = report?.stopped?.code;
  const stopCause = stopCode !== undefined && stopCode !== 'error' ? STOP_CAUSE[stopCode] : undefined;
  const series = useRun((s) => s.series);
  const status = useRun((s) => s.status);
  const error = useRun((s) => s.error);
  const runIssues = useRun((s) => s.issues);
  const name = useEditor((s) => s.doc.name);
  const setTab = (t: Prefs['dockTab']) => editorStore.getState().setPrefs({ dockTab: t });
  const tabs: Array<[Prefs['dockTab'], string]> = [
    ['charts', 'Charts'],
    ['summary', 'Summary'],
    ['seeds', 'Replications'],
    ['problems', `Problems${issues.length + warnings.length ? ` (${issues.length + warnings.length})` : ''}`],
    ['timeline', `Timeline${timeline.length ? ` (${timeline.length})` : ''}`],
  ];
  return (
    <section className="dock" aria-label="Run and results">
      <RunBar />
      {status === 'error' && (
        <div className="banner error" role="alert" data-testid="engine-error">
          <b>The engine failed:</b> {error?.split('\n')[0]}
          <span className="banner-actions">
            <button type="button" className="btn small" onClick={reset}>
              Reset
            </button>
          </span>
          {error && error.includes('\n') && (
            <details>
              <summary>details</summary>
              <pre>{error}</pre>
            </details>
          )}
          <div className="muted small">Your scenario is untouched. If this keeps happening, export the scenario and report it.</div>
        </div>
      )}
      {status === 'invalid' && (
        <div className="banner error" role="alert">
          <b>The engine refused the scenario:</b>
          <Problems issues={runIssues} />
        </div>
      )}
      {report?.stopped && (
        <div className="banner warn" role="alert" data-testid="run-stopped">
          <b>Run stopped at {report.stopped.atSeconds}s:</b> {report.stopped.message}{' '}
          {stopCause && (
            <button type="button" className="link-btn" onClick={() => revealIssue(stopCause.path)}>
              go to {stopCause.label}
            </button>
          )}
        </div>
      )}
      <div className="dock-tabs" role="tablist">
        {tabs.map(([k, label]) => (
          <button key={k} role="tab" aria-selected={tab === k} className={tab === k ? 'on' : ''} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
            {label}
          </button>
        ))}
        {tab === 'charts' && <ChartScope />}
        <span className="dock-exports">
          <BaselineControl />
          <button type="button" className="btn small" disabled={!series} onClick={() => series && download(`${safeName(name)}-series.csv`, seriesToCsv(series), 'text/csv')} data-testid="export-csv">
            Results CSV
          </button>
          <button type="button" className="btn small" disabled={!report} onClick={() => report && download(`${safeName(name)}-report.json`, JSON.stringify(report, null, 2), 'application/json')} data-testid="export-report">
            Report JSON
          </button>
        </span>
      </div>
      <div className="dock-body">
        {tab === 'charts' && <Charts />}
        {tab === 'summary' &&
          (report ? (
            <>
              <BaselineComparison />
              <SummaryTable report={report} />
            </>
          ) : (
            <p className="dock-empty">{status === 'idle' ? 'Run the scenario: the summary per node appears when the run ends.' : 'The summary appears when the run ends.'}</p>
          ))}
        {tab === 'seeds' && <SeedsPanel />}
        {tab === 'problems' && (
          <div className="dock-pad" data-testid="problems-tab">
            {issues.length + warnings.length === 0 && <p className="dock-empty">No problems: the scenario is valid.</p>}
            <Problems issues={issues} testId="problems-list" />
            <Problems issues={warnings} tone="warning" />
          </div>
        )}
        {tab === 'timeline' && <Timeline />}
      </div>
    </section>
  );
}
