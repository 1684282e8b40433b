/**
 * The app's layout: top bar; palette, canvas and inspector; the run and results dock.
 * Works from 1280×720 up; the dock's height is adjustable and remembered.
 */
import { Component, useEffect, useRef, type ReactNode } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { TopBar } from './chrome/TopBar.tsx';
import { Palette } from './palette/Palette.tsx';
import { Canvas } from './canvas/Canvas.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { Dock } from './run/Dock.tsx';
import { Notices } from './chrome/Notices.tsx';
import { Dialogs } from './chrome/Dialogs.tsx';
import { editorStore, useEditor } from './store/editor.ts';
import { download, safeName } from './charts/export.ts';

export function App() {
  const theme = useEditor((s) => s.prefs.theme);
  const dock = useEditor((s) => s.prefs.dockHeight);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <ErrorBoundary>
      <ReactFlowProvider>
        <div className="app" style={{ '--dock': `${dock}px` } as React.CSSProperties}>
          <TopBar />
          <Palette />
          <Canvas />
          <Inspector />
          <DockResizer />
          <Dock />
        </div>
        <Notices />
        <Dialogs />
      </ReactFlowProvider>
    </ErrorBoundary>
  );
}

/** The handle between the canvas and the dock: drag (or use arrow keys) to resize. */
function DockResizer() {
  const start = useRef<{ y: number; h: number } | null>(null);
  const set = (h: number) => editorStore.getState().setPrefs({ dockHeight: Math.round(Math.min(window.innerHeight - 220, Math.max(160, h))) });
  return (
    <div
      className="dock-resize"
      role="separator"
      aria-orientation="horizontal"
      aria-label="resize the results panel"
      tabIndex={0}
      onPointerDown={(e) => {
        start.current = { y: e.clientY, h: editorStore.getState().prefs.dockHeight };
        (e.target as HTMLElement).setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (start.current) set(start.current.h + start.current.y - e.clientY);
      }}
      onPointerUp={() => (start.current = null)}
      onKeyDown={(e) => {
        const h = editorStore.getState().prefs.dockHeight;
        if (e.key === 'ArrowUp') set(h + 40);
        if (e.key === 'ArrowDown') set(h - 40);
      }}
    />
  );
}

/** A rendering crash shows what happened and offers the work for download; nothing is lost. */
class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    const doc = editorStore.getState().doc;
    return (
      <div className="crash" role="alert">
        <h1>Something went wrong in the page</h1>
        <p>{this.state.error.message}</p>
        <p>Your scenario is saved in this browser and will be back after a reload.</p>
        <button className="btn" onClick={() => download(`${safeName(doc.name)}.json`, JSON.stringify(doc, null, 2), 'application/json')}>
          Download the scenario
        </button>{' '}
        <button className="btn primary" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
