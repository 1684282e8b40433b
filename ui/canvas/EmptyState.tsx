/** What an empty canvas says: how to start. */
import { ComponentIcon } from './icons.tsx';
import { editorStore } from '../store/editor.ts';

export function EmptyState() {
  return (
    <div className="empty-state" data-testid="empty-state">
      <ComponentIcon name="users" size={40} />
      <h2>Drag a Client here to start</h2>
      <p>
        Then add a server, connect them by dragging from the right-hand handle of one to the left-hand handle of the other, and press <b>Run</b>.
      </p>
      <p>
        Or{' '}
        <button className="btn small" onClick={() => editorStore.getState().openDialog('examples')}>
          open an example scenario
        </button>
      </p>
    </div>
  );
}
