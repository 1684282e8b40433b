/**
 * The keyboard shortcuts as data and the pure decision of which one a keydown means
 * (`shortcutFor`), kept apart from the store and the DOM so it can be tested directly.
 */

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

/**
 * What has the focus when a key goes down:
 * - `text`: a field that takes typing (text-like inputs, textareas, selects, contenteditable);
 * - `control`: something a key presses or opens (buttons, links, `<summary>`, checkboxes,
 *   sliders, and elements with role button, menuitem, tab, option, checkbox, radio, switch or link);
 * - `other`: the canvas (its pane, a node, an edge), the page, anything else.
 */
export type FocusKind = 'text' | 'control' | 'other';

/** A keydown, as plain data (so the decision is a pure function). */
export interface KeyPress {
  key: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
  /** Another handler (the palette, a field, xyflow) already acted on this key. */
  defaultPrevented: boolean;
  /** An IME composition is in progress: the key belongs to it. */
  composing: boolean;
  focus: FocusKind;
  dialogOpen: boolean;
}

export type Shortcut = 'undo' | 'redo' | 'duplicate' | 'selectAll' | 'export' | 'delete' | 'togglePlay' | 'step' | 'reset' | 'help' | 'closeDialog' | 'clearSelection';

/**
 * Which shortcut a keydown means, or null to leave the key alone. A key another handler
 * prevented is left alone. In a text field only Escape acts (it closes an open dialog).
 * On a focused control, Space, Enter, Delete and Backspace belong to the control (Space
 * on a palette item adds a node, it does not also start the run; Delete there does not
 * delete nodes on the canvas the user is not looking at); the other shortcuts still work.
 */
export function shortcutFor(k: KeyPress): Shortcut | null {
  if (k.defaultPrevented || k.composing) return null;
  const mod = k.ctrl || k.meta;
  const key = k.key.toLowerCase();
  if (key === 'escape') {
    if (k.dialogOpen) return 'closeDialog';
    return k.focus === 'text' ? null : 'clearSelection';
  }
  if (k.focus === 'text' || k.alt) return null;
  if (mod) {
    if (key === 'z') return k.shift ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'd') return 'duplicate';
    if (key === 'a') return 'selectAll';
    if (key === 's') return 'export';
    return null;
  }
  const own = k.focus === 'control' && (key === ' ' || key === 'enter' || key === 'delete' || key === 'backspace');
  if (own) return null;
  if (key === 'delete' || key === 'backspace') return 'delete';
  if (key === ' ') return 'togglePlay';
  if (key === '.') return 'step';
  if (k.shift && key === 'r') return 'reset';
  if (k.key === '?') return 'help';
  return null;
}

const CONTROL_ROLES = new Set(['button', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'option', 'checkbox', 'radio', 'switch', 'link']);
const CONTROL_INPUTS = new Set(['button', 'submit', 'reset', 'image', 'checkbox', 'radio', 'range', 'color', 'file']);

/** Classifies the element that has the focus (see `FocusKind`). */
export function focusKind(t: EventTarget | null): FocusKind {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return 'other';
  const tag = el.tagName;
  if (el.isContentEditable || tag === 'TEXTAREA' || tag === 'SELECT') return 'text';
  if (tag === 'INPUT') return CONTROL_INPUTS.has((el as HTMLInputElement).type) ? 'control' : 'text';
  if (tag === 'BUTTON' || tag === 'SUMMARY' || (tag === 'A' && el.hasAttribute('href'))) return 'control';
  const role = el.getAttribute('role');
  return role && CONTROL_ROLES.has(role) ? 'control' : 'other';
}
