/**
 * The editor store (zustand): the document, its undo history, the selection, field
 * drafts, UI preferences and notices. Every change to the document goes through
 * `apply(edit)`, which runs the pure `applyEdit` and records history; everything else
 * here is view state. The store is created by `createEditorStore` (vanilla, so tests
 * drive it without React) and used in components through `useEditor`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { applyEdit, edgeId, emptyDoc, type Doc, type Edit } from './doc.ts';
import type { Speed } from '../sim/protocol.ts';

export interface Selection {
  nodes: string[];
  edges: string[];
}

export interface Prefs {
  theme: 'light' | 'dark';
  speed: Speed;
  latencyScale: 'linear' | 'log';
  /** Height of the bottom dock (px). */
  dockHeight: number;
  dockTab: 'charts' | 'summary' | 'seeds' | 'problems' | 'timeline';
  showAdvanced: boolean;
  /** The minimap (drawn only when the canvas has room for it; see ui/canvas/minimap.ts). */
  showMinimap: boolean;
}

export interface Notice {
  id: number;
  /** Notices with the same key replace each other (e.g. "opened ..."). */
  key?: string;
  tone: 'info' | 'error' | 'success';
  title: string;
  /** Lines of detail, e.g. validation issues "path: message". */
  details?: string[];
  /** Offers a download of this text (a backup of lost work). */
  download?: { name: string; text: string };
  /** Buttons; each runs its action and dismisses the notice. `id` names it for tests. */
  actions?: Array<{ id: string; label: string; run: () => void }>;
  /** Seconds until it disappears; undefined keeps it until dismissed. */
  timeout?: number;
}

export interface EditorState {
  doc: Doc;
  past: Doc[];
  future: Doc[];
  selection: Selection;
  /**
   * Text typed into inspector fields that is not (or not yet) valid, by field key. Kept
   * here, not in the fields, so that a reload restores it with everything else.
   */
  drafts: Record<string, string>;
  prefs: Prefs;
  /** The node the charts focus on; null is end to end. */
  focus: string | null;
  notices: Notice[];
  /** Which panel the inspector shows when nothing is selected. */
  scenarioPanel: 'settings' | 'faults';
  /** Bumped when the whole document is replaced, so the canvas fits it into view. */
  fitRequest: number;
  /** The open dialog, if any. */
  dialog: 'examples' | 'shortcuts' | null;
}

export interface EditorActions {
  /**
   * Applies an edit. Edits with the same `coalesce` key less than 1.5 s apart form one
   * undo step (typing "250" is one edit, not three).
   */
  apply(edit: Edit, opts?: { coalesce?: string; at?: number }): void;
  undo(): void;
  redo(): void;
  select(sel: Partial<Selection>): void;
  setDraft(key: string, text: string | undefined): void;
  setPrefs(p: Partial<Prefs>): void;
  setFocus(id: string | null): void;
  notify(n: Omit<Notice, 'id'>): number;
  dismiss(id: number): void;
  setScenarioPanel(p: EditorState['scenarioPanel']): void;
  openDialog(d: EditorState['dialog']): void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

export const HISTORY_LIMIT = 200;
const COALESCE_MS = 1500;

export const DEFAULT_PREFS: Prefs = {
  theme: 'light',
  speed: 10,
  latencyScale: 'linear',
  dockHeight: 290,
  dockTab: 'charts',
  showAdvanced: false,
  showMinimap: true,
};

let noticeIds = 1;

/** A new editor store, optionally starting from restored state. */
export function createEditorStore(initial: Partial<EditorState> = {}): EditorStore {
  let last: { key: string; at: number } | null = null;
  return createStore<EditorState & EditorActions>()((set, get) => ({
    doc: emptyDoc(),
    past: [],
    future: [],
    selection: { nodes: [], edges: [] },
    drafts: {},
    prefs: DEFAULT_PREFS,
    focus: null,
    notices: [],
    scenarioPanel: 'settings',
    fitRequest: 0,
    dialog: null,
    ...initial,

    apply(edit, opts = {}) {
      const s = get();
      const next = applyEdit(s.doc, edit);
      if (next === s.doc) return;
      const at = opts.at ?? Date.now();
      const merge = opts.coalesce !== undefined && last !== null && last.key === opts.coalesce && at - last.at < COALESCE_MS;
      last = opts.coalesce !== undefined ? { key: opts.coalesce, at } : null;
      const past = merge ? s.past : [...s.past, s.doc].slice(-HISTORY_LIMIT);
      set({
        doc: next,
        past,
        future: [],
        selection: pruneSelection(next, s.selection, edit),
        drafts: edit.kind === 'replace' ? {} : s.drafts,
        fitRequest: edit.kind === 'replace' ? s.fitRequest + 1 : s.fitRequest,
      });
    },
    undo() {
      const s = get();
      const prev = s.past[s.past.length - 1];
      if (!prev) return;
      last = null;
      set({ doc: prev, past: s.past.slice(0, -1), future: [s.doc, ...s.future], selection: pruneSelection(prev, s.selection) });
    },
    redo() {
      const s = get();
      const next = s.future[0];
      if (!next) return;
      last = null;
      set({ doc: next, past: [...s.past, s.doc], future: s.future.slice(1), selection: pruneSelection(next, s.selection) });
    },
    select(sel) {
      const s = get();
      const selection = { nodes: sel.nodes ?? s.selection.nodes, edges: sel.edges ?? s.selection.edges };
      if (same(selection.nodes, s.selection.nodes) && same(selection.edges, s.selection.edges)) return;
      set({ selection });
    },
    setDraft(key, text) {
      const drafts = { ...get().drafts };
      if (text === undefined) {
        if (!(key in drafts)) return;
        delete drafts[key];
      } else drafts[key] = text;
      set({ drafts });
    },
    setPrefs(p) {
      set({ prefs: { ...get().prefs, ...p } });
    },
    setFocus(id) {
      if (get().focus !== id) set({ focus: id });
    },
    notify(n) {
      const id = noticeIds++;
      set({ notices: [...get().notices.filter((x) => x.title !== n.title && (n.key === undefined || x.key !== n.key)), { ...n, id }] });
      return id;
    },
    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
    setScenarioPanel(p) {
      set({ scenarioPanel: p });
    },
    openDialog(d) {
      set({ dialog: d });
    },
  }));
}

/** The selection without ids the document no longer has; a fresh add or duplicate is selected. */
function pruneSelection(doc: Doc, sel: Selection, edit?: Edit): Selection {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map(edgeId));
  if (edit?.kind === 'addNode' || edit?.kind === 'duplicate') {
    const before = new Set(sel.nodes);
    // the new nodes are those not present before: the last ones in the list
    const added = edit.kind === 'addNode' ? [doc.nodes[doc.nodes.length - 1]!.id] : doc.nodes.slice(-edit.ids.filter((id) => nodeIds.has(id)).length).map((n) => n.id);
    if (added.every((id) => !before.has(id))) return { nodes: added, edges: [] };
  }
  if (edit?.kind === 'renameNode') {
    return { nodes: sel.nodes.map((id) => (id === edit.id ? edit.to : id)), edges: sel.edges.filter((e) => edgeIds.has(e)) };
  }
  const nodes = sel.nodes.filter((id) => nodeIds.has(id));
  const edges = sel.edges.filter((id) => edgeIds.has(id));
  return nodes.length === sel.nodes.length && edges.length === sel.edges.length ? sel : { nodes, edges };
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The app's editor store. */
export const editorStore: EditorStore = createEditorStore();

/** Reads from the app's editor store in a component. */
export function useEditor<T>(selector: (s: EditorState & EditorActions) => T): T {
  return useStore(editorStore, selector);
}
