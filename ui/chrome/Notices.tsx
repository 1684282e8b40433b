/** Notices: what happened (opened, refused, saved) and any errors, with their details. */
import { useEffect } from 'react';
import { Icon } from '../canvas/icons.tsx';
import { download } from '../charts/export.ts';
import { editorStore, useEditor, type Notice } from '../store/editor.ts';

export function Notices() {
  const notices = useEditor((s) => s.notices);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <NoticeView key={n.id} n={n} />
      ))}
    </div>
  );
}

function NoticeView({ n }: { n: Notice }) {
  useEffect(() => {
    if (!n.timeout) return;
    const t = setTimeout(() => editorStore.getState().dismiss(n.id), n.timeout * 1000);
    return () => clearTimeout(t);
  }, [n.id, n.timeout]);
  return (
    <div className={`notice ${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.tone}`}>
      <div className="notice-head">
        <b>{n.title}</b>
        <button type="button" className="icon-btn" aria-label="dismiss" onClick={() => editorStore.getState().dismiss(n.id)}>
          <Icon name="close" size={16} />
        </button>
      </div>
      {n.details && n.details.length > 0 && (
        <ul>
          {n.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      {n.actions && n.actions.length > 0 && (
        <div className="notice-actions">
          {n.actions.map((a) => (
            <button
              key={a.id}
              type="button"
              className="btn small"
              data-testid={`notice-${a.id}`}
              onClick={() => {
                editorStore.getState().dismiss(n.id);
                a.run();
              }}
            >
              {a.label}
            </button>
          ))}
        </div>
      )}
      {n.download && (
        <button type="button" className="btn small" data-testid="notice-download" onClick={() => download(n.download!.name, n.download!.text, 'application/json')}>
          Download {n.download.name}
        </button>
      )}
    </div>
  );
}
