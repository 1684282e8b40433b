/**
 * The inspector of one node: its id (renaming updates every reference), label, the
 * parameters generated from its component definition, its edges with what they mean,
 * the faults aimed at it, and the problems the validator found.
 */
import { useState } from 'react';
import { NODE_ID_HELP, NODE_ID_PATTERN } from '../sim/client.ts';
import { ComponentIcon, Icon } from '../canvas/icons.tsx';
import { defOf } from '../store/defs.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { edgeId } from '../store/doc.ts';
import { useValidation } from '../store/validation.ts';
import { nodeBinding } from './binding.ts';
import { issuesAt, issuesUnder } from './fields.ts';
import { Fields, ParamField } from './ParamField.tsx';
import { deleteSelection, duplicateSelection } from '../chrome/commands.ts';
import { Problems } from './Problems.tsx';

const ID_RE = new RegExp(NODE_ID_PATTERN);

export function NodeInspector({ id }: { id: string }) {
  const doc = useEditor((s) => s.doc);
  const { issues } = useValidation();
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) return null;
  const def = defOf(node.type);
  const b = nodeBinding(doc, id);
  const out = doc.edges.filter((e) => e.from === id);
  const inc = doc.edges.filter((e) => e.to === id);
  const faults = doc.faults.map((f, i) => ({ f, i })).filter(({ f }) => f.node === id);
  const general = [...issuesAt(issues, b.prefix), ...issuesUnder(issues, `${b.prefix}.type`)];
  return (
    <div className="insp" data-testid="node-inspector">
      <header className="insp-head">
        <span className="insp-icon">
          <ComponentIcon name={def?.icon ?? 'unknown'} size={26} />
        </span>
        <div>
          <h2>{def?.title ?? `Unknown type "${node.type}"`}</h2>
          <p className="muted">{def?.description ?? 'This component type is not registered in this version of archsim.'}</p>
        </div>
      </header>
      <Problems issues={general} />
      <RenameField id={id} />
      <ParamField p={{ kind: 'string', optional: true, help: 'A display name on the canvas (the id stays the same).' }} name="label" path={['label']} b={b} />
      {def && (
        <>
          <h3 className="insp-sub">Parameters</h3>
          <Fields params={def.params} path={[]} b={b} />
          <h3 className="insp-sub">Connections</h3>
          {def.outgoing ? (
            <p className="muted small">
              An edge from this {def.title.toLowerCase()} {def.outgoing.meaning}
              {def.outgoing.min > 0 ? ` (needs at least ${def.outgoing.min}).` : '.'}
            </p>
          ) : (
            <p className="muted small">A {def.title.toLowerCase()} does not send requests to other nodes.</p>
          )}
          <EdgeList label="to" ids={out.map(edgeId)} />
          <EdgeList label="from" ids={inc.map(edgeId)} />
        </>
      )}
      <h3 className="insp-sub">Faults on this node</h3>
      {faults.length === 0 && <p className="muted small">None.</p>}
      <ul className="plain">
        {faults.map(({ f, i }) => (
          <li key={i}>
            <button type="button" className="link-btn" onClick={() => openFault()}>
              {f.action} at {String(f.at)}
              {f.for !== undefined ? ` for ${String(f.for)}` : ''}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn small" onClick={() => addFault(id)}>
        <Icon name="plus" size={14} /> add a fault
      </button>
      <div className="insp-actions">
        <button type="button" className="btn" onClick={duplicateSelection}>
          <Icon name="copy" /> Duplicate
        </button>
        <button type="button" className="btn danger" onClick={deleteSelection}>
          <Icon name="trash" /> Delete
        </button>
      </div>
    </div>
  );
}

function openFault() {
  const s = editorStore.getState();
  s.select({ nodes: [], edges: [] });
  s.setScenarioPanel('faults');
}

function addFault(node: string) {
  const s = editorStore.getState();
  s.apply({ kind: 'addFault', fault: { at: '10s', for: '10s', action: 'crash', node } });
  openFault();
}

function EdgeList({ label, ids }: { label: string; ids: string[] }) {
  if (!ids.length) return null;
  return (
    <div className="edge-list">
      <span className="muted">{label}:</span>
      {ids.map((e) => {
        const other = label === 'to' ? e.split('->')[1] : e.split('->')[0];
        return (
          <button key={e} type="button" className="chip" onClick={() => editorStore.getState().select({ nodes: [], edges: [e] })}>
            {other}
          </button>
        );
      })}
    </div>
  );
}

/** The node id: renamed on Enter or blur, if it is valid and free. */
function RenameField({ id }: { id: string }) {
  const [text, setText] = useState<string | null>(null);
  const doc = useEditor((s) => s.doc);
  const value = text ?? id;
  const problem =
    value === id ? null : !ID_RE.test(value) ? `"${value}" ${NODE_ID_HELP}` : doc.nodes.some((n) => n.id === value) ? `another node is already called "${value}"` : null;
  const commit = () => {
    if (text !== null && !problem && text !== id) editorStore.getState().apply({ kind: 'renameNode', id, to: text });
    if (!problem) setText(null);
  };
  return (
    <div className={`field${problem ? ' has-error' : ''}`}>
      <div className="field-label">
        <label htmlFor="field-node-id">id</label>
      </div>
      <input
        id="field-node-id"
        data-testid="field-node-id"
        className={problem ? 'invalid' : ''}
        value={value}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(null);
        }}
      />
      {problem && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
      <div className="field-help">Unique name used by edges, faults and reports. Renaming updates them all.</div>
    </div>
  );
}
