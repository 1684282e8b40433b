/**
 * Keyboard shortcuts. They act on the canvas and the run, never while typing in a field
 * (where Ctrl+Z undoes typing and Delete deletes text), never on a key another handler
 * already took (`defaultPrevented`), and never on the keys a focused control uses itself
 * (Space and Enter press a button or open a `<summary>`; see `shortcutFor`).
 */
import { editorStore } from '../store/editor.ts';
import { deleteSelection, duplicateSelection, selectAll } from './commands.ts';
import { reset, step, togglePlay } from './runCommands.ts';
import { exportScenario } from './files.ts';
import { focusKind, shortcutFor } from './shortcuts.ts';

/** Handles one keydown; returns true if it was a shortcut. */
export function onKey(e: KeyboardEvent): boolean {
  const s = editorStore.getState();
  const what = shortcutFor({
    key: e.key,
    ctrl: e.ctrlKey,
    meta: e.metaKey,
    shift: e.shiftKey,
    alt: e.altKey,
    defaultPrevented: e.defaultPrevented,
    composing: e.isComposing,
    focus: focusKind(e.target),
    dialogOpen: s.dialog !== null,
  });
  if (!what) return false;
  switch (what) {
    case 'closeDialog':
      s.openDialog(null);
      break;
    case 'clearSelection':
      s.select({ nodes: [], edges: [] });
      break;
    case 'undo':
      s.undo();
      break;
    case 'redo':
      s.redo();
      break;
    case 'duplicate':
      duplicateSelection();
      break;
    case 'selectAll':
      selectAll();
      break;
    case 'export':
      exportScenario();
      break;
    case 'delete':
      deleteSelection();
      break;
    case 'togglePlay':
      togglePlay();
      break;
    case 'step':
      step();
      break;
    case 'reset':
      reset();
      break;
    case 'help':
      s.openDialog('shortcuts');
      break;
  }
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
