/** The examples picker and the keyboard shortcut list. */
import { useState } from 'react';
import { examples } from '../scenarios.ts';
import { forgetRecent, keptAgo, readRecent, RECENT_MAX } from '../store/recent.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { openDoc } from './files.ts';
import { SHORTCUTS } from './shortcuts.ts';

export function Dialogs() {
  const dialog = useEditor((s) => s.dialog);
  if (!dialog) return null;
  const close = () => editorStore.getState().openDialog(null);
  return (
    <div className="dialog-backdrop" onClick={close}>
      <div className="dialog wide" role="dialog" aria-label={dialog === 'examples' ? 'Examples and recent work' : 'Keyboard shortcuts'} onClick={(e) => e.stopPropagation()}>
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
      <RecentWork onDone={onDone} />
      <h2>Example scenarios</h2>
      <p className="muted">Opening one replaces the canvas; Undo brings your work back, and Recent work keeps it across a reload.</p>
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

/** Documents replaced by an example, a file, a link or another tab: restore one (the current work takes its place). */
function RecentWork({ onDone }: { onDone: () => void }) {
  const [list] = useState(() => readRecent(localStorage));
  if (!list.length) return null;
  const now = Date.now();
  return (
    <section className="recent" aria-label="Recent work">
      <h2>Restore previous work</h2>
      <p className="muted">Work that an example, a file, a shared link or another tab replaced, newest first (the last {RECENT_MAX}, kept in this browser).</p>
      <ul className="examples" data-testid="recent-work">
        {list.map((e) => (
          <li key={e.id}>
            <button
              type="button"
              className="example"
              data-testid="recent-entry"
              onClick={() => {
                openDoc(e.doc, `"${e.name}" from Recent work`);
                forgetRecent(localStorage, e.id);
                onDone();
              }}
            >
              <span className="example-name">
                {e.name} <span className="muted small">{keptAgo(e.at, now)}</span>
              </span>
              <span className="example-desc">{e.why}</span>
              <span className="muted small">
                {e.doc.nodes.length} nodes · click to restore
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
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
