/**
 * The inspector of one edge: what it means (from its source component's definition),
 * its latency, weight, probability and request kinds, and the problems found on it.
 */
import { EDGE_PARAMS } from '../sim/client.ts';
import { Icon } from '../canvas/icons.tsx';
import { defOf } from '../store/defs.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { edgeId } from '../store/doc.ts';
import { useValidation } from '../store/validation.ts';
import { edgeBinding } from './binding.ts';
import { issuesAt } from './fields.ts';
import { Fields } from './ParamField.tsx';
import { Problems } from './Problems.tsx';
import { deleteSelection } from '../chrome/commands.ts';

export function EdgeInspector({ id }: { id: string }) {
  const doc = useEditor((s) => s.doc);
  const { issues, warnings } = useValidation();
  const edge = doc.edges.find((e) => edgeId(e) === id);
  if (!edge) return null;
  const from = doc.nodes.find((n) => n.id === edge.from);
  const to = doc.nodes.find((n) => n.id === edge.to);
  const src = from ? defOf(from.type) : undefined;
  const dst = to ? defOf(to.type) : undefined;
  const b = edgeBinding(doc, id);
  return (
    <div className="insp" data-testid="edge-inspector">
      <header className="insp-head">
        <span className="insp-icon">
          <Icon name="share" size={24} />
        </span>
        <div>
          <h2>
            Edge {edge.from} → {edge.to}
          </h2>
          <p className="muted">
            {src?.outgoing ? `An edge from a ${src.title.toLowerCase()} ${src.outgoing.meaning}.` : 'Requests travel along it and answers come back the same way.'}
            {dst ? ` Its target is a ${dst.title.toLowerCase()}.` : ''}
          </p>
        </div>
      </header>
      <Problems issues={issuesAt(issues, b.prefix)} />
      <Problems issues={issuesAt(warnings, b.prefix)} tone="warning" />
      <Fields params={EDGE_PARAMS} path={[]} b={b} />
      <div className="insp-actions">
        <button type="button" className="btn" onClick={() => editorStore.getState().select({ nodes: [edge.from], edges: [] })}>
          Select {edge.from}
        </button>
        <button type="button" className="btn danger" onClick={deleteSelection}>
          <Icon name="trash" /> Delete
        </button>
      </div>
    </div>
  );
}
