/**
 * The right-hand panel: the selected node or edge, several selected items, or (with
 * nothing selected) the scenario's settings and faults.
 */
import { LIMIT_PARAMS, TOP_PARAMS, type Param } from '../sim/client.ts';
import { Icon } from '../canvas/icons.tsx';
import { editorStore, useEditor } from '../store/editor.ts';
import { useValidation } from '../store/validation.ts';
import { topBinding } from './binding.ts';
import { issuesUnder } from './fields.ts';
import { ParamField } from './ParamField.tsx';
import { NodeInspector } from './NodeInspector.tsx';
import { EdgeInspector } from './EdgeInspector.tsx';
import { FaultsEditor } from './FaultsEditor.tsx';
import { Problems } from './Problems.tsx';
import { deleteSelection, duplicateSelection } from '../chrome/commands.ts';
import './inspector.css';

export function Inspector() {
  const sel = useEditor((s) => s.selection);
  let body;
  if (sel.nodes.length === 1 && sel.edges.length === 0) body = <NodeInspector key={sel.nodes[0]} id={sel.nodes[0]!} />;
  else if (sel.nodes.length === 0 && sel.edges.length === 1) body = <EdgeInspector key={sel.edges[0]} id={sel.edges[0]!} />;
  else if (sel.nodes.length + sel.edges.length > 1) body = <MultiInspector nodes={sel.nodes.length} edges={sel.edges.length} />;
  else body = <ScenarioInspector />;
  return (
    <aside className="inspector" aria-label="Inspector">
      {body}
    </aside>
  );
}

function MultiInspector({ nodes, edges }: { nodes: number; edges: number }) {
  return (
    <div className="insp">
      <header className="insp-head">
        <div>
          <h2>
            {nodes} node{nodes === 1 ? '' : 's'}
            {edges ? `, ${edges} edge${edges === 1 ? '' : 's'}` : ''} selected
          </h2>
          <p className="muted">Select a single node or edge to edit it. Drag to move them together.</p>
        </div>
      </header>
      <div className="insp-actions">
        <button type="button" className="btn" onClick={duplicateSelection} disabled={!nodes}>
          <Icon name="copy" /> Duplicate
        </button>
        <button type="button" className="btn danger" onClick={deleteSelection}>
          <Icon name="trash" /> Delete
        </button>
      </div>
    </div>
  );
}

const SEED: Param = { kind: 'id', help: `${TOP_PARAMS.seed.help} A whole number or any text.` };
const NAME: Param = { kind: 'string', help: 'The scenario name (shown in reports and exports).' };
const DESCRIPTION: Param = { kind: 'string', optional: true, help: 'What the scenario shows: for the people you share it with.' };
const LIMITS: Param = { kind: 'object', label: 'limits', fields: LIMIT_PARAMS, help: 'Guards that stop runaway runs with a message instead of hanging.' };

function ScenarioInspector() {
  const panel = useEditor((s) => s.scenarioPanel);
  const faults = useEditor((s) => s.doc.faults.length);
  const { issues, warnings } = useValidation();
  const top = issues.filter((i) => !/^(nodes|edges|faults)\[/.test(i.path));
  return (
    <div className="insp" data-testid="scenario-inspector">
      <header className="insp-head">
        <div>
          <h2>Scenario</h2>
          <p className="muted">Nothing selected: these settings apply to the whole run. Click a node or an edge to edit it.</p>
        </div>
      </header>
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={panel === 'settings'} className={panel === 'settings' ? 'on' : ''} onClick={() => editorStore.getState().setScenarioPanel('settings')}>
          Settings
        </button>
        <button role="tab" aria-selected={panel === 'faults'} className={panel === 'faults' ? 'on' : ''} onClick={() => editorStore.getState().setScenarioPanel('faults')} data-testid="tab-faults">
          Faults ({faults}){issuesUnder(issues, 'faults').length > 0 && <span className="dot-err" aria-label="has problems" />}
        </button>
      </div>
      {panel === 'settings' ? (
        <>
          <Problems issues={top} />
          <Problems issues={warnings.filter((w) => !/^(nodes|edges|faults)\[/.test(w.path))} tone="warning" />
          <ParamField p={NAME} name="name" path={['name']} b={topBinding} />
          <ParamField p={DESCRIPTION} name="description" path={['description']} b={topBinding} />
          <ParamField p={SEED} name="seed" path={['seed']} b={topBinding} />
          <ParamField p={TOP_PARAMS.duration} name="duration" path={['duration']} b={topBinding} />
          <ParamField p={TOP_PARAMS.warmup} name="warm-up" path={['warmup']} b={topBinding} />
          <ParamField p={TOP_PARAMS.window} name="metric window" path={['window']} b={topBinding} />
          <ParamField p={LIMITS} name="limits" path={['limits']} b={topBinding} />
        </>
      ) : (
        <FaultsEditor />
      )}
    </div>
  );
}
