/**
 * The run controls: play/pause, single step (one metric window), reset, speed (from
 * slow enough to watch single requests to as fast as the engine goes), the scenario's
 * seed and duration, progress, simulated time, events per second and the fingerprint.
 */
import { SPEEDS, TOP_PARAMS, type Param, type Speed } from '../sim/client.ts';
import { Icon } from '../canvas/icons.tsx';
import { editorStore, useEditor } from '../store/editor.ts';
import { isActive, runStore, useRun } from '../store/run.ts';
import { useValidation } from '../store/validation.ts';
import { topBinding, useField } from '../inspector/binding.ts';
import { textToValue, valueToText } from '../inspector/fields.ts';
import { pause, play, reset, step } from '../chrome/runCommands.ts';
import { perSecond, seconds } from './format.ts';

export function speedLabel(s: Speed): string {
  return s === 'max' ? 'max' : s >= 1 ? `${s}×` : `${s}×`;
}

export function RunBar() {
  const status = useRun((s) => s.status);
  const snap = useRun((s) => s.snapshot);
  const info = useRun((s) => s.info);
  const wallMs = useRun((s) => s.wallMs);
  const report = useRun((s) => s.report);
  const runDoc = useRun((s) => s.doc);
  const doc = useEditor((s) => s.doc);
  const speed = useEditor((s) => s.prefs.speed);
  const { ok, issues } = useValidation();
  const running = status === 'running' || status === 'starting';
  const active = isActive(status);
  const duration = info?.duration ?? 0;
  const progress = snap && duration ? Math.min(1, snap.now / duration) : status === 'done' || status === 'stopped' ? 1 : 0;
  const eventsPerSec = snap && wallMs > 0 ? snap.events / (wallMs / 1000) : 0;
  const fingerprint = report?.fingerprint ?? snap?.fingerprint ?? null;
  const stale = runDoc !== null && runDoc !== doc && !active;
  const setSpeed = (s: Speed) => {
    editorStore.getState().setPrefs({ speed: s });
    runStore.getState().setSpeed(s);
  };
  const idx = Math.max(0, SPEEDS.indexOf(speed));
  return (
    <div className="runbar" data-testid="runbar">
      <div className="run-buttons">
        {running ? (
          <button type="button" className="btn primary run-btn" onClick={pause} data-testid="pause" title="Pause (Space)">
            <Icon name="pause" /> Pause
          </button>
        ) : (
          <button type="button" className="btn primary run-btn" onClick={play} data-testid="run" title={ok ? 'Run (Space)' : `Fix ${issues.length} problem(s) first`} disabled={!doc.nodes.length}>
            <Icon name="play" /> {status === 'paused' ? 'Resume' : 'Run'}
          </button>
        )}
        <button type="button" className="icon-btn" onClick={step} title="Step one metric window (.)" aria-label="step" data-testid="step" disabled={!doc.nodes.length || status === 'starting'}>
          <Icon name="step" />
        </button>
        <button type="button" className="icon-btn" onClick={reset} title="Reset: clear the results" aria-label="reset" data-testid="reset" disabled={status === 'idle'}>
          <Icon name="reset" />
        </button>
      </div>
      <label className="speed">
        <span>speed</span>
        <input type="range" min={0} max={SPEEDS.length - 1} step={1} value={idx} onChange={(e) => setSpeed(SPEEDS[Number(e.target.value)]!)} aria-label="speed" aria-valuetext={speedLabel(speed)} data-testid="speed" />
        <b className="speed-val" title="simulated seconds per wall second">{speedLabel(speed)}</b>
      </label>
      <TopField label="seed" path="seed" width={64} />
      <TopField label="duration" path="duration" width={64} />
      <div className="progress" title={`${Math.round(progress * 100)}% of the simulated time`}>
        <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)} data-testid="progress">
          <div className="progress-fill" style={{ width: `${progress * 100}%` }} />
        </div>
        <span className="progress-text mono" data-testid="sim-time" data-now-us={snap?.now ?? 0}>
          {snap ? seconds(snap.now) : '0 s'} / {duration ? seconds(duration) : '–'}
        </span>
      </div>
      <div className="run-stats">
        <span title="events processed per wall second">
          <span className="muted">events</span> <b className="mono">{perSecond(eventsPerSec)}</b>
        </span>
        <span title={active ? 'the fingerprint so far; final when the run ends' : 'same scenario and seed, same fingerprint: here and in the CLI'}>
          <span className="muted">fingerprint</span>{' '}
          <b className="mono" data-testid="fingerprint">
            {fingerprint ?? '–'}
          </b>
        </span>
        <StatusChip status={status} stale={stale} problems={ok ? 0 : issues.length} />
      </div>
    </div>
  );
}

function StatusChip({ status, stale, problems }: { status: string; stale: boolean; problems: number }) {
  if (problems) {
    return (
      <button type="button" className="chip chip-error" onClick={() => editorStore.getState().setPrefs({ dockTab: 'problems' })} data-testid="status">
        {problems} problem{problems === 1 ? '' : 's'}
      </button>
    );
  }
  const label: Record<string, string> = { idle: 'ready', starting: 'starting', running: 'running', paused: 'paused', done: 'done', stopped: 'stopped', invalid: 'invalid', error: 'engine error' };
  return (
    <span className={`chip chip-${status}`} data-testid="status" title={stale ? 'the scenario changed since this run; run again to update' : undefined}>
      {label[status] ?? status}
      {stale ? ' · edited since' : ''}
    </span>
  );
}

/** A top-level scenario field (seed, duration) in the run bar. */
function TopField({ label, path, width }: { label: string; path: 'seed' | 'duration'; width: number }) {
  const p: Param = path === 'seed' ? { kind: 'id', default: 1, help: TOP_PARAMS.seed.help } : TOP_PARAMS.duration;
  const f = useField(topBinding, [path], (t) => textToValue(p, t), valueToText);
  const bad = f.issues.length > 0;
  return (
    <label className="topfield" title={bad ? f.issues.map((i) => i.message).join('\n') : p.help}>
      <span>{label}</span>
      <input
        style={{ width }}
        className={bad ? 'invalid' : ''}
        value={f.text}
        placeholder={p.default === undefined ? '' : String(p.default)}
        onChange={(e) => f.change(e.target.value)}
        onBlur={f.settle}
        data-testid={`run-${path}`}
        aria-invalid={bad}
        spellCheck={false}
      />
    </label>
  );
}
