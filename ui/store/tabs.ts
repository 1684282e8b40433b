/**
 * Two tabs, one autosave. Every tab of the app saves to the same localStorage key, so
 * without care the last one to save silently wins. When another tab saves a different
 * document (the browser's `storage` event), this tab:
 * - keeps its own document as a recent entry (see recent.ts), so a reload cannot lose it;
 * - pauses its autosave (it would overwrite the other tab's work), keeping its edits in that
 *   same recent entry instead;
 * - asks which work to go on with: load the other tab's (this tab's stays in Recent work)
 *   or keep this tab's (the other tab's goes to Recent work, and this tab saves again).
 */
import type { Doc } from './doc.ts';
import type { EditorState, EditorStore } from './editor.ts';
import { readSaved, save, STORAGE_KEY, type Saved } from './persist.ts';
import { forgetRecent, rememberDoc } from './recent.ts';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface TabGuard {
  /** Whether this tab's autosave is paused because another tab saved different work. */
  isPaused(): boolean;
  /** Autosave calls this instead of saving while paused: the work goes to Recent work. */
  savePaused(s: EditorState): void;
  /** Handles a `storage` event (from another tab; a tab never hears its own writes). */
  onStorage(e: { key: string | null; newValue: string | null }): void;
  /** Goes on with the other tab's saved work; this tab's stays in Recent work. */
  loadOther(): void;
  /** Goes on with this tab's work and saves it; the other tab's goes to Recent work. */
  keepMine(): void;
}

export const OWN_WORK_WHY = 'this tab’s work, when another tab saved different work';
export const OTHER_WORK_WHY = 'another tab’s work, saved over by this tab';

/**
 * A guard for `store`. `open(doc, what)` replaces the document the way opening a file
 * does (one undo step; the replaced one goes to Recent work).
 */
export function createTabGuard(store: EditorStore, storage: Storage, open: (doc: Doc, what: string) => void, tabId = Math.random().toString(36).slice(2, 10)): TabGuard {
  let paused = false;
  let notice: number | null = null;
  const entryId = `tab:${tabId}`;
  const stored = (): Saved | null => {
    try {
      const text = storage.getItem(STORAGE_KEY);
      const r = text === null ? null : readSaved(JSON.parse(text));
      return r && typeof r !== 'string' ? r : null;
    } catch {
      return null;
    }
  };
  const resume = () => {
    paused = false;
    if (notice !== null) store.getState().dismiss(notice);
    notice = null;
  };
  const guard: TabGuard = {
    isPaused: () => paused,
    savePaused(s) {
      rememberDoc(storage, s.doc, OWN_WORK_WHY, { id: entryId });
    },
    onStorage(e) {
      if (e.key !== STORAGE_KEY || e.newValue === null) return;
      let other: Saved | string;
      try {
        other = readSaved(JSON.parse(e.newValue));
      } catch {
        return;
      }
      if (typeof other === 'string') return;
      const s = store.getState();
      if (JSON.stringify(other.doc) === JSON.stringify(s.doc)) {
        // the other tab saved the same work (a theme change, or it loaded ours): no conflict
        if (paused) resume();
        return;
      }
      if (paused) return;
      paused = true;
      rememberDoc(storage, s.doc, OWN_WORK_WHY, { id: entryId });
      notice = s.notify({
        key: 'other-tab',
        tone: 'info',
        title: 'Another tab saved different work',
        details: [
          `It saved "${other.doc.name}". This tab stopped autosaving so that neither overwrites the other; its work ("${s.doc.name}") is kept under Examples → Recent work, also after a reload.`,
        ],
        actions: [
          { id: 'load-other-tab', label: 'Load the other tab’s work', run: () => guard.loadOther() },
          { id: 'keep-this-tab', label: 'Keep working here', run: () => guard.keepMine() },
        ],
      });
    },
    loadOther() {
      const other = stored();
      resume();
      if (other) open(other.doc, `the work saved by another tab ("${other.doc.name}")`);
    },
    keepMine() {
      const other = stored();
      const s = store.getState();
      if (other && JSON.stringify(other.doc) !== JSON.stringify(s.doc)) rememberDoc(storage, other.doc, OTHER_WORK_WHY);
      resume();
      forgetRecent(storage, entryId);
      save(storage, s);
    },
  };
  return guard;
}
