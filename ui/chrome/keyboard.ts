/**
 * Keyboard shortcuts. They act on the canvas and the run, never while typing in a field
 * (where Ctrl+Z undoes typing and Delete deletes text).
 */
import { editorStore } from '../store/editor.ts';
import { deleteSelection, duplicateSelection, selectAll } from './commands.ts';
import { reset, step, togglePlay } from './runCommands.ts';
import { exportScenario } from './files.ts';

/** Shortcut list for the help dialog: keys and what they do. */
export const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl/⌘ Z', 'undo'],
  ['Shift Ctrl/⌘ Z  or  Ctrl Y', 'redo'],
  ['Delete  or  Backspace', 'delete the selection'],
  ['Ctrl/⌘ D', 'duplicate the selected nodes'],
  ['Ctrl/⌘ A', 'select everything'],
  ['Shift + drag', 'select with a box'],
  ['Ctrl/⌘ + click', 'add to the selection'],
  ['Escape', 'clear the selection, close dialogs'],
  ['Space', 'run / pause'],
  ['.', 'step one metric window'],
  ['Shift R', 'reset the run'],
  ['Ctrl/⌘ S', 'export the scenario as JSON'],
  ['?', 'show these shortcuts'],
];

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** Handles one keydown; returns true if it was a shortcut. */
export function onKey(e: KeyboardEvent): boolean {
  const s = editorStore.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (key === 'escape') {
    if (s.dialog) s.openDialog(null);
    else if (!typing(e.target)) s.select({ nodes: [], edges: [] });
    return true;
  }
  if (typing(e.target)) return false;
  if (mod && key === 'z') {
    if (e.shiftKey) s.redo();
    else s.undo();
  } else if (mod && key === 'y') s.redo();
  else if (mod && key === 'd') duplicateSelection();
  else if (mod && key === 'a') selectAll();
  else if (mod && key === 's') exportScenario();
  else if (!mod && (key === 'delete' || key === 'backspace')) deleteSelection();
  else if (!mod && key === ' ') {
    if ((e.target as HTMLElement | null)?.tagName === 'BUTTON') return false;
    togglePlay();
  } else if (!mod && key === '.') step();
  else if (!mod && e.shiftKey && key === 'r') reset();
  else if (!mod && e.key === '?') s.openDialog('shortcuts');
  else return false;
  e.preventDefault();
  return true;
}

/** Installs the shortcuts on the window; returns a function that removes them. */
export function installShortcuts(): () => void {
  const h = (e: KeyboardEvent) => {
    onKey(e);
  };
  window.addEventListener('keydown', h);
  return () => window.removeEventListener('keydown', h);
}
