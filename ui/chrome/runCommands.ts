/**
 * Run commands shared by the run bar and the keyboard: play (start, or resume), pause,
 * step and reset. A scenario with problems is not sent to the engine: the problems are
 * shown instead.
 */
import { editorStore } from '../store/editor.ts';
import { isActive, runStore } from '../store/run.ts';
import { validate } from '../store/validation.ts';

/** Whether the document can run; if not, shows its problems and says so. */
function ready(): boolean {
  const s = editorStore.getState();
  if (!s.doc.nodes.length) {
    s.notify({ tone: 'info', title: 'Nothing to run yet', details: ['Drag a Client and a server onto the canvas and connect them.'], timeout: 6 });
    return false;
  }
  const v = validate(s.doc);
  if (!v.ok) {
    s.setPrefs({ dockTab: 'problems' });
    s.notify({ tone: 'error', title: `Fix ${v.issues.length} problem${v.issues.length === 1 ? '' : 's'} before running`, details: v.issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`), timeout: 8 });
    return false;
  }
  return true;
}

/** Starts a new run of the current document, or resumes a paused one. */
export function play(): void {
  const r = runStore.getState();
  if (r.status === 'paused') {
    r.resume();
    return;
  }
  if (isActive(r.status)) return;
  if (!ready()) return;
  const s = editorStore.getState();
  if (s.prefs.dockTab === 'problems') s.setPrefs({ dockTab: 'charts' });
  r.run(s.doc, s.prefs.speed);
}

export function pause(): void {
  runStore.getState().pause();
}

/** Play or pause. */
export function togglePlay(): void {
  const st = runStore.getState().status;
  if (st === 'running' || st === 'starting') pause();
  else play();
}

/** One metric window forward (starting a paused run first if none is active). */
export function step(): void {
  const r = runStore.getState();
  if (isActive(r.status)) {
    r.step();
    return;
  }
  if (!ready()) return;
  const s = editorStore.getState();
  r.run(s.doc, s.prefs.speed, { paused: true, step: true });
}

/** Stops the run and clears its results. */
export function reset(): void {
  runStore.getState().reset();
}
