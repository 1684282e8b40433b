/**
 * Editor commands shared by buttons, menus and keyboard shortcuts. Each is one or more
 * edits on the editor store; multi-part commands form a single undo step.
 */
import { editorStore } from '../store/editor.ts';
import { targetOfIssue } from '../inspector/fields.ts';

let seq = 0;

/** Deletes the selected nodes and edges (one undo step). */
export function deleteSelection(): void {
  const s = editorStore.getState();
  const { nodes, edges } = s.selection;
  if (!nodes.length && !edges.length) return;
  const key = `delete-${++seq}`;
  if (edges.length) s.apply({ kind: 'removeEdges', ids: edges }, { coalesce: key });
  if (nodes.length) editorStore.getState().apply({ kind: 'removeNodes', ids: nodes }, { coalesce: key });
  editorStore.getState().select({ nodes: [], edges: [] });
}

/** Duplicates the selected nodes (and the edges among them), selecting the copies. */
export function duplicateSelection(): void {
  const s = editorStore.getState();
  if (!s.selection.nodes.length) return;
  s.apply({ kind: 'duplicate', ids: s.selection.nodes, offset: { x: 48, y: 48 } });
}

/** Selects every node and edge. */
export function selectAll(): void {
  const s = editorStore.getState();
  s.select({ nodes: s.doc.nodes.map((n) => n.id), edges: s.doc.edges.map((e) => `${e.from}->${e.to}`) });
}

/** Selects what an issue path points at (a node, an edge, a fault or a scenario field). */
export function revealIssue(path: string): void {
  const s = editorStore.getState();
  const t = targetOfIssue(s.doc, path);
  switch (t.kind) {
    case 'node':
      s.select({ nodes: [t.id], edges: [] });
      s.setFocus(t.id);
      break;
    case 'edge':
      s.select({ nodes: [], edges: [t.id] });
      break;
    case 'fault':
      s.select({ nodes: [], edges: [] });
      s.setScenarioPanel('faults');
      break;
    case 'scenario':
      s.select({ nodes: [], edges: [] });
      s.setScenarioPanel('settings');
      break;
  }
  // after the inspector re-renders, bring the field into view and flash it
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const el = document.querySelector(`[data-issue-path="${CSS.escape(path)}"]`) ?? document.querySelector('.insp .field.has-error, .insp .problems');
      if (!el) return;
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      el.classList.remove('flash');
      void (el as HTMLElement).offsetWidth;
      el.classList.add('flash');
    }),
  );
}
