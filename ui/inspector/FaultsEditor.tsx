/**
 * The scenario's faults: a list of timed events (crash, slow-down, error rate, traffic
 * changes, parameter changes, partitions, latency), each with when it starts, how long
 * it lasts, and its target. Forms come from the engine's fault declarations.
 */
import { faultActions, FAULT_COMMON_PARAMS, type FaultActionInfo } from '../sim/client.ts';
import { Icon } from '../canvas/icons.tsx';
import { defOf } from '../store/defs.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { edgeId, type Doc, type RawFault } from '../store/doc.ts';
import { useValidation } from '../store/validation.ts';
import { faultBinding } from './binding.ts';
import { issuesAt, issuesUnder, joinPath } from './fields.ts';
import { Fields, ParamField } from './ParamField.tsx';
import { Problems } from './Problems.tsx';
import { expandDefaults } from '../sim/client.ts';

const ACTIONS = faultActions();

/** Actions a node supports (crash and recover always). */
function nodeActions(doc: Doc, id: string | undefined): string[] {
  const n = doc.nodes.find((x) => x.id === id);
  const def = n ? defOf(n.type) : undefined;
  return ['crash', 'recover', ...(def?.faults ?? [])];
}

/** A fault of `action` that keeps what it can of `prev` (time, target if it fits). */
export function retarget(doc: Doc, prev: RawFault, info: FaultActionInfo): RawFault {
  const base: RawFault = { at: prev.at ?? '10s', ...(prev.for !== undefined ? { for: prev.for } : {}), action: info.action };
  const fields = info.action === 'set' ? { params: {} } : expandDefaults(info.params);
  if (info.target === 'edge') {
    const edge = prev.edge ?? (doc.edges[0] ? edgeId(doc.edges[0]) : '');
    return { ...base, edge, ...fields };
  }
  const fits = (id: string | undefined) => id !== undefined && nodeActions(doc, id).includes(info.action);
  const node = fits(prev.node) ? prev.node : doc.nodes.find((n) => fits(n.id))?.id ?? prev.node ?? '';
  return { ...base, node, ...fields };
}

export function FaultsEditor() {
  const doc = useEditor((s) => s.doc);
  const add = () => {
    const first = doc.nodes.find((n) => defOf(n.type)?.incoming) ?? doc.nodes[0];
    editorStore.getState().apply({ kind: 'addFault', fault: { at: '10s', for: '10s', action: 'crash', node: first?.id ?? '' } });
  };
  return (
    <div className="faults" data-testid="faults-editor">
      <p className="muted small">
        Timed events during the run. A fault with a duration is undone when it ends. Faults show on the charts as markers.
      </p>
      {doc.faults.length === 0 && <p className="muted">No faults yet.</p>}
      {doc.faults.map((f, i) => (
        <FaultRow key={i} index={i} fault={f} />
      ))}
      <button type="button" className="btn" onClick={add} disabled={!doc.nodes.length} data-testid="add-fault">
        <Icon name="plus" /> Add a fault
      </button>
    </div>
  );
}

function FaultRow({ index, fault }: { index: number; fault: RawFault }) {
  const doc = useEditor((s) => s.doc);
  const { issues } = useValidation();
  const b = faultBinding(index);
  const info = ACTIONS.find((a) => a.action === fault.action);
  const set = (next: RawFault) => editorStore.getState().apply({ kind: 'setFault', index, fault: next });
  const own = issuesUnder(issues, b.prefix).filter((i) => !/\.(at|for)$/.test(i.path) && !i.path.startsWith(`${b.prefix}.params.`) && !(info && Object.keys(info.params).some((k) => i.path === joinPath(b.prefix, [k]))));
  const targetNode = doc.nodes.find((n) => n.id === fault.node);
  const targetDef = targetNode ? defOf(targetNode.type) : undefined;
  return (
    <div className="fault" data-testid={`fault-${index}`}>
      <div className="fault-head">
        <select
          aria-label="action"
          data-testid={`fault-${index}-action`}
          value={fault.action}
          onChange={(e) => {
            const next = ACTIONS.find((a) => a.action === e.target.value);
            if (next) set(retarget(doc, fault, next));
          }}
        >
          {!info && <option value={fault.action}>{fault.action} (unknown)</option>}
          {ACTIONS.map((a) => (
            <option key={a.action} value={a.action}>
              {a.action}
            </option>
          ))}
        </select>
        {info?.target === 'edge' ? (
          <select aria-label="edge" value={fault.edge ?? ''} onChange={(e) => set({ ...fault, edge: e.target.value })}>
            {!doc.edges.some((e) => edgeId(e) === fault.edge) && <option value={fault.edge ?? ''}>{fault.edge || 'choose an edge'}</option>}
            {doc.edges.map((e) => (
              <option key={edgeId(e)} value={edgeId(e)}>
                {e.from} → {e.to}
              </option>
            ))}
          </select>
        ) : (
          <select aria-label="node" data-testid={`fault-${index}-node`} value={fault.node ?? ''} onChange={(e) => set({ ...fault, node: e.target.value })}>
            {!doc.nodes.some((n) => n.id === fault.node) && <option value={fault.node ?? ''}>{fault.node || 'choose a node'}</option>}
            {doc.nodes.map((n) => (
              <option key={n.id} value={n.id} disabled={!nodeActions(doc, n.id).includes(fault.action)}>
                {n.id}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="icon-btn" aria-label="remove this fault" title="remove this fault" onClick={() => editorStore.getState().apply({ kind: 'removeFault', index })}>
          <Icon name="trash" />
        </button>
      </div>
      {info && <p className="muted small">{info.help}</p>}
      <Problems issues={own} />
      <div className="fault-times">
        <ParamField p={FAULT_COMMON_PARAMS.at} name="at" path={['at']} b={b} />
        <ParamField p={FAULT_COMMON_PARAMS.for} name="for" path={['for']} b={b} />
      </div>
      {info && info.action !== 'set' && <Fields params={info.params} path={[]} b={b} />}
      {info?.action === 'set' && <SetParams index={index} fault={fault} mutable={targetDef?.mutable ?? []} params={targetDef?.params ?? {}} />}
      {issuesAt(issues, joinPath(b.prefix, ['params'])).length > 0 && <Problems issues={issuesAt(issues, joinPath(b.prefix, ['params']))} />}
    </div>
  );
}

/** A `set` fault's parameters: chosen from what the target allows at run time, each with its own field. */
function SetParams({ index, fault, mutable, params }: { index: number; fault: RawFault; mutable: string[]; params: Record<string, import('../sim/client.ts').Param> }) {
  const b = faultBinding(index);
  const current = fault.params && typeof fault.params === 'object' ? (fault.params as Record<string, unknown>) : {};
  const keys = Object.keys(current);
  const free = mutable.filter((k) => !keys.includes(k));
  const addKey = (k: string) => {
    const p = params[k];
    const value = p?.default ?? (p?.kind === 'int' || p?.kind === 'number' ? 1 : '');
    editorStore.getState().apply({ kind: 'setFault', index, fault: { ...fault, params: { ...current, [k]: value } } });
  };
  if (!mutable.length) return <p className="muted small">This node's type has no parameters that can change during a run.</p>;
  return (
    <div className="set-params">
      {keys.map((k) =>
        params[k] ? (
          <div key={k} className="set-param">
            <ParamField p={params[k]!} name={k} path={['params', k]} b={b} />
            <button type="button" className="link-btn" onClick={() => editorStore.getState().apply({ kind: 'setFault', index, fault: { ...fault, params: Object.fromEntries(Object.entries(current).filter(([x]) => x !== k)) } })}>
              remove {k}
            </button>
          </div>
        ) : null,
      )}
      {free.length > 0 && (
        <select aria-label="parameter to change" value="" onChange={(e) => e.target.value && addKey(e.target.value)}>
          <option value="">+ change a parameter…</option>
          {free.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
