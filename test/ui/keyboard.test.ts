import { describe, expect, it } from 'vitest';
import { focusKind, shortcutFor, type KeyPress } from '../../ui/chrome/shortcuts.ts';

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrl: false,
  meta: false,
  shift: false,
  alt: false,
  defaultPrevented: false,
  composing: false,
  focus: 'other',
  dialogOpen: false,
  ...over,
});

/** A stand-in for a focused element: just what `focusKind` reads. */
const el = (tagName: string, attrs: Record<string, string> = {}, extra: { type?: string; isContentEditable?: boolean } = {}) =>
  ({
    tagName,
    isContentEditable: extra.isContentEditable ?? false,
    type: extra.type,
    getAttribute: (k: string) => attrs[k] ?? null,
    hasAttribute: (k: string) => k in attrs,
  }) as unknown as EventTarget;

describe('shortcutFor(key)', () => {
  it('maps every shortcut when the canvas or nothing has the focus', () => {
    const table: Array<[KeyPress, string]> = [
      [press('z', { ctrl: true }), 'undo'],
      [press('z', { meta: true }), 'undo'],
      [press('Z', { ctrl: true, shift: true }), 'redo'],
      [press('y', { ctrl: true }), 'redo'],
      [press('d', { ctrl: true }), 'duplicate'],
      [press('a', { meta: true }), 'selectAll'],
      [press('s', { ctrl: true }), 'export'],
      [press('Delete'), 'delete'],
      [press('Backspace'), 'delete'],
      [press(' '), 'togglePlay'],
      [press('.'), 'step'],
      [press('R', { shift: true }), 'reset'],
      [press('?', { shift: true }), 'help'],
      [press('Escape'), 'clearSelection'],
      [press('Escape', { dialogOpen: true }), 'closeDialog'],
    ];
    expect(table.map(([k]) => shortcutFor(k))).toEqual(table.map(([, s]) => s));
  });

  it('leaves alone a key another handler already took (a palette item adds a node on Space)', () => {
    for (const key of [' ', 'Delete', 'Backspace', '.', 'Escape']) expect(shortcutFor(press(key, { defaultPrevented: true }))).toBeNull();
    expect(shortcutFor(press('z', { ctrl: true, defaultPrevented: true }))).toBeNull();
  });

  it('leaves Space, Enter, Delete and Backspace to a focused control, and keeps the others', () => {
    const on = (key: string, over: Partial<KeyPress> = {}) => shortcutFor(press(key, { focus: 'control', ...over }));
    expect([' ', 'Enter', 'Delete', 'Backspace'].map((k) => on(k))).toEqual([null, null, null, null]);
    expect([on('z', { ctrl: true }), on('.'), on('R', { shift: true }), on('Escape')]).toEqual(['undo', 'step', 'reset', 'clearSelection']);
  });

  it('does nothing while typing in a field except close a dialog on Escape', () => {
    const typing = (key: string, over: Partial<KeyPress> = {}) => shortcutFor(press(key, { focus: 'text', ...over }));
    expect([' ', 'Delete', 'Backspace', '.', '?'].map((k) => typing(k))).toEqual([null, null, null, null, null]);
    expect(typing('z', { ctrl: true })).toBeNull();
    expect(typing('Escape')).toBeNull();
    expect(typing('Escape', { dialogOpen: true })).toBe('closeDialog');
  });

  it('ignores keys during an IME composition, with Alt, and keys that are not shortcuts', () => {
    expect(shortcutFor(press(' ', { composing: true }))).toBeNull();
    expect(shortcutFor(press('.', { alt: true }))).toBeNull();
    expect(shortcutFor(press('q', { ctrl: true }))).toBeNull();
    expect(shortcutFor(press('r'))).toBeNull();
    expect(shortcutFor(press('Enter'))).toBeNull();
  });
});

describe('focusKind(element)', () => {
  it('calls fields that take typing text', () => {
    expect(focusKind(el('INPUT', {}, { type: 'text' }))).toBe('text');
    expect(focusKind(el('INPUT', {}, { type: 'number' }))).toBe('text');
    expect(focusKind(el('TEXTAREA'))).toBe('text');
    expect(focusKind(el('SELECT'))).toBe('text');
    expect(focusKind(el('DIV', {}, { isContentEditable: true }))).toBe('text');
  });

  it('calls buttons, links, summaries, toggles, sliders and their roles controls', () => {
    const controls = [
      el('BUTTON'),
      el('SUMMARY'),
      el('A', { href: '#' }),
      el('INPUT', {}, { type: 'checkbox' }),
      el('INPUT', {}, { type: 'range' }),
      el('LI', { role: 'button' }),
      el('DIV', { role: 'menuitem' }),
      el('DIV', { role: 'tab' }),
      el('LI', { role: 'option' }),
    ];
    expect(controls.map(focusKind)).toEqual(controls.map(() => 'control'));
  });

  it('calls the canvas, its nodes and the page other', () => {
    expect(focusKind(el('DIV', { role: 'group' }))).toBe('other'); // an xyflow node
    expect(focusKind(el('DIV', { role: 'application' }))).toBe('other'); // the xyflow wrapper
    expect(focusKind(el('DIV'))).toBe('other');
    expect(focusKind(el('A'))).toBe('other'); // an anchor without href is not a link
    expect(focusKind(null)).toBe('other');
    expect(focusKind({} as EventTarget)).toBe('other'); // the window
  });
});
