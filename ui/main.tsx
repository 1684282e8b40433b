/**
 * Start-up: restore the autosaved work (or keep an unreadable save as a backup and say
 * so), start autosaving (paused while another tab's save is the newer one, see
 * store/tabs.ts), open a shared link if the URL has one, install the keyboard shortcuts
 * and render.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { editorStore } from './store/editor.ts';
import { restore, startAutosave } from './store/persist.ts';
import { installShortcuts } from './chrome/keyboard.ts';
import { openDoc, openFromLocation } from './chrome/files.ts';
import { createTabGuard } from './store/tabs.ts';
import './styles.css';

function boot(): void {
  const store = editorStore;
  const restored = restore(localStorage);
  if (restored.kind === 'ok') {
    const { doc, selection, drafts, prefs, focus } = restored.saved;
    store.setState({ doc, selection, drafts, prefs, focus });
  } else if (restored.kind === 'corrupt') {
    store.getState().notify({
      tone: 'error',
      title: 'The saved work could not be read, so the editor started empty',
      details: [`Reason: ${restored.reason}.`, restored.backupKey ? `It is kept in this browser under "${restored.backupKey}"; download it below.` : 'Download it below.'],
      download: { name: 'archsim-backup.json', text: restored.text },
    });
  }
  if (restored.kind !== 'ok') {
    // first visit: follow the system theme, and give the results about a third of the height
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    store.getState().setPrefs({ theme: dark ? 'dark' : 'light', dockHeight: Math.round(Math.min(480, Math.max(260, innerHeight * 0.38))) });
  }
  document.documentElement.dataset.theme = store.getState().prefs.theme;
  const tabs = createTabGuard(store, localStorage, (doc, what) => openDoc(doc, what));
  addEventListener('storage', (e) => {
    if (e.storageArea === localStorage) tabs.onStorage(e);
  });
  startAutosave(store, localStorage, (msg) => store.getState().notify({ tone: 'error', title: 'Autosave failed: export your work to keep it', details: [msg] }), 250, tabs);
  installShortcuts();
  createRoot(document.getElementById('root')!).render(<App />);
  void openFromLocation();
  addEventListener('hashchange', () => void openFromLocation());
}

boot();
