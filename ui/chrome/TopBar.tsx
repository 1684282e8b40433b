/**
 * The top bar: the scenario's name, examples, import and export, the share link, undo
 * and redo, the shortcut list and the theme.
 */
import { useEffect, useRef, useState } from 'react';
import { Icon } from '../canvas/icons.tsx';
import { editorStore, useEditor } from '../store/editor.ts';
import { currentShareUrl, exportScenario, importFile } from './files.ts';
import { useValidation } from '../store/validation.ts';
import './chrome.css';

export function TopBar() {
  const name = useEditor((s) => s.doc.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const theme = useEditor((s) => s.prefs.theme);
  const file = useRef<HTMLInputElement>(null);
  const [share, setShare] = useState<string | null>(null);
  const { ok, empty, issues } = useValidation();
  const openShare = async () => {
    if (!ok) {
      editorStore.getState().notify({
        tone: 'error',
        title: empty ? 'Nothing to share yet' : `Fix ${issues.length} problem${issues.length === 1 ? '' : 's'} before sharing`,
        details: empty ? ['Add some components first.'] : ['A link to an invalid scenario would not open for the person you send it to.', ...issues.slice(0, 4).map((i) => `${i.path}: ${i.message}`)],
        timeout: 8,
      });
      return;
    }
    try {
      const url = await currentShareUrl();
      setShare(url);
      await navigator.clipboard?.writeText(url).catch(() => {});
    } catch (e) {
      editorStore.getState().notify({ tone: 'error', title: 'Could not make a share link', details: [(e as Error).message] });
    }
  };
  return (
    <header className="topbar">
      <div className="brand" aria-label="archsim">
        <svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="5" cy="12" r="3" fill="var(--oi-blue)" />
          <circle cx="19" cy="6" r="3" fill="var(--oi-orange)" />
          <circle cx="19" cy="18" r="3" fill="var(--oi-green)" />
          <path d="M8 12l8-5M8 12l8 5" stroke="currentColor" strokeWidth="1.8" />
        </svg>
        <span>archsim</span>
      </div>
      <input
        className="doc-name"
        value={name}
        aria-label="scenario name"
        data-testid="doc-name"
        onChange={(e) => editorStore.getState().apply({ kind: 'setTop', path: ['name'], value: e.target.value }, { coalesce: 'name' })}
        spellCheck={false}
      />
      <div className="top-actions">
        <button type="button" className="btn" onClick={() => editorStore.getState().openDialog('examples')} data-testid="open-examples" title="Open an example, or restore work that was replaced">
          <Icon name="folder" /> Examples
        </button>
        <button type="button" className="btn" onClick={() => file.current?.click()} data-testid="import">
          <Icon name="upload" /> Import
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <button type="button" className="btn" onClick={exportScenario} data-testid="export-scenario" title="Download the scenario as JSON (Ctrl+S)">
          <Icon name="download" /> Export
        </button>
        <button type="button" className="btn" onClick={openShare} data-testid="share">
          <Icon name="share" /> Share
        </button>
        <span className="sep" />
        <button type="button" className="icon-btn" onClick={() => editorStore.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="undo" data-testid="undo">
          <Icon name="undo" />
        </button>
        <button type="button" className="icon-btn" onClick={() => editorStore.getState().redo()} disabled={!canRedo} title="Redo (Shift+Ctrl+Z)" aria-label="redo" data-testid="redo">
          <Icon name="redo" />
        </button>
        <button type="button" className="icon-btn" onClick={() => editorStore.getState().openDialog('shortcuts')} title="Keyboard shortcuts (?)" aria-label="keyboard shortcuts" data-testid="shortcuts">
          <Icon name="keyboard" />
        </button>
        <button
          type="button"
          className="icon-btn"
          onClick={() => editorStore.getState().setPrefs({ theme: theme === 'dark' ? 'light' : 'dark' })}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          aria-label="switch theme"
          data-testid="theme"
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
      </div>
      {share && <ShareDialog url={share} onClose={() => setShare(null)} />}
    </header>
  );
}

function ShareDialog({ url, onClose }: { url: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="dialog" role="dialog" aria-label="Share link" onClick={(e) => e.stopPropagation()} data-testid="share-dialog">
        <h2>Share this scenario</h2>
        <p className="muted">
          The link holds the whole scenario (compressed, {url.length.toLocaleString('en-US')} characters). Whoever opens it sees this topology, and Run gives the same results and
          fingerprint.
        </p>
        <input className="share-url mono" readOnly value={url} onFocus={(e) => e.target.select()} data-testid="share-url" />
        <div className="dialog-actions">
          <button
            type="button"
            className="btn primary"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(url);
                setCopied(true);
              } catch {
                setCopied(false);
              }
            }}
          >
            {copied ? 'Copied' : 'Copy link'}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
