/**
 * The palette: every registered component type, grouped by category, with its icon and
 * one-line description. Drag one onto the canvas, or press Enter / double-click to add
 * it next to the selection.
 */
import { ComponentIcon } from '../canvas/icons.tsx';
import { DRAG_TYPE } from '../canvas/Canvas.tsx';
import { CATEGORY_LABEL, defsByCategory } from '../store/defs.ts';
import { editorStore } from '../store/editor.ts';
import './palette.css';

/** Adds a node of `type` to the right of the selected node (or of everything). */
function addNear(type: string): void {
  const s = editorStore.getState();
  const ref = s.selection.nodes.length ? s.doc.layout[s.selection.nodes[s.selection.nodes.length - 1]!] : undefined;
  const all = Object.values(s.doc.layout);
  const x = ref ? ref.x + 260 : all.length ? Math.max(...all.map((p) => p.x)) + 260 : 0;
  const y = ref ? ref.y : all.length ? Math.min(...all.map((p) => p.y)) : 0;
  s.apply({ kind: 'addNode', type, position: { x, y } });
}

export function Palette() {
  const groups = defsByCategory();
  return (
    <aside className="palette" aria-label="Components">
      <h2 className="panel-title">Components</h2>
      <p className="palette-hint muted">Drag onto the canvas</p>
      {groups.map((g) => (
        <section key={g.category}>
          <h3>{CATEGORY_LABEL[g.category] ?? g.category}</h3>
          <ul>
            {g.defs.map((d) => (
              <li
                key={d.type}
                className="palette-item"
                draggable
                tabIndex={0}
                role="button"
                aria-label={`${d.title}: ${d.description} (drag onto the canvas, or press Enter to add)`}
                title={d.description}
                data-testid={`palette-${d.type}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, d.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => addNear(d.type)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    addNear(d.type);
                  }
                }}
              >
                <span className="palette-icon">
                  <ComponentIcon name={d.icon} />
                </span>
                <span className="palette-text">
                  <span className="palette-title">{d.title}</span>
                  <span className="palette-desc">{d.description}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
