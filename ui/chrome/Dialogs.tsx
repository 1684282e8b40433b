/** The examples picker and the keyboard shortcut list. */
import { examples } from '../scenarios.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { openDoc } from './files.ts';
import { SHORTCUTS } from './shortcuts.ts';

export function Dialogs() {
  const dialog = useEditor((s) => s.dialog);
  if (!dialog) return null;
  const close = () => editorStore.getState().openDialog(null);
  return (
    <div className="dialog-backdrop" onClick={close}>
      <div className="dialog wide" role="dialog" aria-label={dialog === 'examples' ? 'Example scenarios' : 'Keyboard shortcuts'} onClick={(e) => e.stopPropagation()}>
        {dialog === 'examples' ? <Examples onDone={close} /> : <Shortcuts />}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function Examples({ onDone }: { onDone: () => void }) {
  const list = examples();
  return (
    <>
      <h2>Example scenarios</h2>
      <p className="muted">Opening one replaces the canvas; Undo brings your work back.</p>
      <ul className="examples" data-testid="examples">
        {list.map((x) => (
          <li key={x.file}>
            <button
              type="button"
              className="example"
              disabled={!x.doc}
              data-testid={`example-${x.file}`}
              onClick={() => {
                if (!x.doc) return;
                openDoc(x.doc, `"${x.name}"`);
                onDone();
              }}
            >
              <span className="example-name">
                {x.name} <span className="muted mono">{x.file}</span>
              </span>
              <span className="example-desc">{x.description || 'No description.'}</span>
              <span className="muted small">{x.nodes} nodes</span>
              {!x.doc && <span className="field-error">This file is not valid for this version: {x.issues.slice(0, 2).map((i) => `${i.path}: ${i.message}`).join('; ')}</span>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function Shortcuts() {
  return (
    <>
      <h2>Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                {k.split('  or  ').map((part, i) => (
                  <span key={i}>
                    {i > 0 && <span className="muted"> or </span>}
                    <kbd className="kbd">{part}</kbd>
                  </span>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Connect two nodes by dragging from the right-hand handle of one to the left-hand handle of the other. Scroll to zoom, drag the background to pan.</p>
    </>
  );
}
