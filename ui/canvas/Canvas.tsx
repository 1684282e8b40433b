/**
 * The topology canvas (@xyflow/react). Nodes and edges are derived from the editor
 * document; xyflow's own changes are turned into edits: a finished drag becomes one
 * `moveNodes`, a new connection a `connect`, a palette drop an `addNode`. Positions move
 * locally while dragging so that a drag is one undo step, not hundreds.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './canvas.css';
import { ComponentNode, type ComponentFlowNode } from './ComponentNode.tsx';
import { TrafficEdge, type TrafficFlowEdge } from './TrafficEdge.tsx';
import { summarize } from './summary.ts';
import { useTrafficDots } from './useTrafficDots.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { connectProblem, defOf } from '../store/defs.ts';
import { edgeId, type Doc } from '../store/doc.ts';
import { useValidation } from '../store/validation.ts';
import { targetOfIssue } from '../inspector/fields.ts';
import { utilColour } from './live.ts';
import { runStore } from '../store/run.ts';
import { EmptyState } from './EmptyState.tsx';
import { fitPadding, minimapFit, minimapTitle, MINIMAP_MARGIN } from './minimap.ts';

export const DRAG_TYPE = 'application/x-archsim-component';
const GRID = 16;
/** Half the node's size: a dropped node is centred on the pointer. */
const NODE_HALF = { x: 100, y: 34 };

const FIT = { padding: 0.12, maxZoom: 1.2 };
/** A placed node's size in flow units before xyflow has measured it (see `.cnode`). */
const NODE_SIZE = { width: 200, height: 68 };

const nodeTypes = { component: ComponentNode };
const edgeTypes = { traffic: TrafficEdge };

function buildNodes(doc: Doc, selected: Set<string>, problems: Map<string, string[]>, prev: ComponentFlowNode[]): ComponentFlowNode[] {
  const before = new Map(prev.map((n) => [n.id, n]));
  return doc.nodes.map((n, i) => {
    const def = defOf(n.type);
    const old = before.get(n.id);
    return {
      id: n.id,
      type: 'component',
      position: doc.layout[n.id] ?? { x: i * 40, y: i * 40 },
      selected: selected.has(n.id),
      ...(old?.measured && old.data.type === n.type ? { measured: old.measured } : {}),
      data: {
        id: n.id,
        type: n.type,
        label: typeof n.label === 'string' ? n.label : undefined,
        title: def?.title ?? n.type,
        icon: def?.icon ?? 'unknown',
        known: !!def,
        canReceive: def ? def.incoming : true,
        canSend: def ? def.outgoing !== null : true,
        problems: problems.get(n.id) ?? [],
        summary: summarize(def, n),
      },
    };
  });
}

export function Canvas() {
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const theme = useEditor((s) => s.prefs.theme);
  const { issues } = useValidation();
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<ComponentFlowNode[]>([]);
  const wrapper = useRef<HTMLDivElement>(null);
  const showMinimap = useEditor((s) => s.prefs.showMinimap);
  // the minimap shrinks with a short canvas (1280×720 with the results open) and fits
  // leave room for it; on a canvas too small for it the toggle says why it is not there
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = wrapper.current;
    if (!el) return;
    const measure = () => setSize((old) => (old.width === el.clientWidth && old.height === el.clientHeight ? old : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const mini = minimapFit(size.width, size.height);
  const minimapShown = doc.nodes.length > 0 && showMinimap && mini.shown;
  const minimapBox = useRef<{ width: number; height: number } | null>(null);
  minimapBox.current = minimapShown && mini.shown ? { width: mini.width, height: mini.height } : null;
  /** fitView options for the current canvas, nodes and minimap. */
  const fitOptions = useCallback(() => {
    const el = wrapper.current;
    const placed = flow.getNodes();
    const bounds = placed.length ? flow.getNodesBounds(placed) : { width: NODE_SIZE.width, height: NODE_SIZE.height };
    const canvas = { width: el?.clientWidth ?? 0, height: el?.clientHeight ?? 0 };
    return { maxZoom: FIT.maxZoom, padding: fitPadding(bounds, canvas, minimapBox.current, FIT.padding, FIT.maxZoom) };
  }, [flow]);
  // fit the view at start only if there is something to fit; otherwise the first node
  // dropped would be zoomed and moved away from where it was put
  const [fitAtStart] = useState(() => doc.nodes.length > 0);
  useTrafficDots();

  const problems = useMemo(() => {
    const byNode = new Map<string, string[]>();
    const byEdge = new Map<string, string[]>();
    for (const i of issues) {
      const t = targetOfIssue(doc, i.path);
      const msg = `${i.path}: ${i.message}`;
      if (t.kind === 'node') byNode.set(t.id, [...(byNode.get(t.id) ?? []), msg]);
      if (t.kind === 'edge') byEdge.set(t.id, [...(byEdge.get(t.id) ?? []), msg]);
    }
    return { byNode, byEdge };
  }, [doc, issues]);

  useEffect(() => {
    setNodes((prev) => buildNodes(doc, new Set(selection.nodes), problems.byNode, prev));
  }, [doc, selection.nodes, problems]);

  const edges = useMemo<TrafficFlowEdge[]>(() => {
    const sel = new Set(selection.edges);
    return doc.edges.map((e) => {
      const id = edgeId(e);
      return {
        id,
        source: e.from,
        target: e.to,
        type: 'traffic',
        selected: sel.has(id),
        markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: '#8c97a5' },
        data: { problems: problems.byEdge.get(id) ?? [] },
      };
    });
  }, [doc.edges, selection.edges, problems]);

  const onNodesChange = useCallback((changes: NodeChange<ComponentFlowNode>[]) => {
    // removal goes through the keyboard handler (as edits); selection lives in the store
    const local = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
    if (local.length) setNodes((nds) => applyNodeChanges(local, nds));
    applySelect(changes, 'nodes');
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<TrafficFlowEdge>[]) => applySelect(changes, 'edges'), []);

  const onNodeDragStop = useCallback((_: unknown, _node: ComponentFlowNode, dragged: ComponentFlowNode[]) => {
    const positions = Object.fromEntries(dragged.map((n) => [n.id, n.position]));
    editorStore.getState().apply({ kind: 'moveNodes', positions });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const s = editorStore.getState();
    const why = connectProblem(s.doc, c.source, c.target);
    if (why) {
      s.notify({ tone: 'error', title: `Cannot connect ${c.source} → ${c.target}`, details: [why], timeout: 6 });
      return;
    }
    s.apply({ kind: 'connect', from: c.source, to: c.target });
  }, []);

  const isValidConnection = useCallback((c: Connection | TrafficFlowEdge) => connectProblem(editorStore.getState().doc, c.source, c.target) === null, []);

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_TYPE);
      if (!type) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      editorStore.getState().apply({ kind: 'addNode', type, position: snap({ x: p.x - NODE_HALF.x, y: p.y - NODE_HALF.y }) });
    },
    [flow],
  );

  const onDragOver = useCallback((e: React.DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  // a replaced document (an opened scenario, an import, a link) is brought into view
  // fitting waits until xyflow has measured the new nodes, or it would fit stale sizes
  const fitRequest = useEditor((s) => s.fitRequest);
  const userMoved = useRef(false);
  const pendingFit = useRef(false);
  useEffect(() => {
    if (fitRequest === 0) return;
    userMoved.current = false;
    pendingFit.current = true;
  }, [fitRequest]);
  useEffect(() => {
    if (!pendingFit.current || nodes.length === 0) return;
    const current = nodes.length === doc.nodes.length && nodes.every((n, i) => n.id === doc.nodes[i]!.id);
    if (!current || !nodes.every((n) => n.measured?.width)) return;
    pendingFit.current = false;
    requestAnimationFrame(() => flow.fitView({ ...fitOptions(), duration: 200 }));
  }, [nodes, doc.nodes, flow, fitOptions]);

  // while the user has not panned or zoomed, the view follows the canvas's size (a
  // resized window, a taller or shorter dock) so the whole topology stays in view
  useEffect(() => {
    const el = wrapper.current;
    if (!el) return;
    let last = { w: el.clientWidth, h: el.clientHeight };
    const ro = new ResizeObserver(() => {
      const now = { w: el.clientWidth, h: el.clientHeight };
      const changed = Math.abs(now.w - last.w) > 40 || Math.abs(now.h - last.h) > 40;
      if (changed && !userMoved.current && editorStore.getState().doc.nodes.length) flow.fitView(fitOptions());
      if (changed) last = now;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [flow, fitOptions]);

  // the minimap coming or going (the toggle, a taller or shorter canvas) changes the room
  // there is for the topology: refit, unless the user has placed the view themselves. Not
  // on the first node dropped (it stays where it was put) nor while a new document waits
  // for its own fit
  const minimapRoom = showMinimap && mini.shown;
  const hadMinimap = useRef<boolean | null>(null);
  useEffect(() => {
    if (size.height === 0) return;
    const had = hadMinimap.current;
    hadMinimap.current = minimapRoom;
    if (minimapRoom) {
      // a notice that there was no room for it is out of date now
      const s = editorStore.getState();
      for (const n of s.notices) if (n.key === 'minimap') s.dismiss(n.id);
    }
    if (had === null || had === minimapRoom || userMoved.current || pendingFit.current) return;
    if (editorStore.getState().doc.nodes.length) requestAnimationFrame(() => flow.fitView({ ...fitOptions(), duration: 200 }));
  }, [minimapRoom, size.height, flow, fitOptions]);

  // xyflow's fit at start runs once the nodes are measured, with the options it has then:
  // estimate the topology's bounds from the layout and the node's CSS size
  const startFit = useMemo(() => {
    const ps = Object.values(doc.layout);
    if (!fitAtStart || !ps.length || !size.height) return FIT;
    const w = Math.max(...ps.map((p) => p.x)) - Math.min(...ps.map((p) => p.x)) + NODE_SIZE.width;
    const h = Math.max(...ps.map((p) => p.y)) - Math.min(...ps.map((p) => p.y)) + NODE_SIZE.height;
    const m = minimapShown ? minimapFit(size.width, size.height) : null;
    return { maxZoom: FIT.maxZoom, padding: fitPadding({ width: w, height: h }, size, m?.shown ? m : null, FIT.padding, FIT.maxZoom) };
  }, [fitAtStart, doc.layout, size, minimapShown]);

  return (
    <div className="canvas" ref={wrapper} onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas">
      <ReactFlow<ComponentFlowNode, TrafficFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeClick={(_, n) => editorStore.getState().setFocus(n.id)}
        onPaneClick={() => editorStore.getState().setFocus(null)}
        deleteKeyCode={null}
        // Space is run/pause; xyflow's hold-Space-to-pan would also mark the key as handled
        panActivationKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        snapToGrid
        snapGrid={[GRID, GRID]}
        fitView={fitAtStart}
        fitViewOptions={startFit}
        onMoveStart={(e) => {
          if (e) userMoved.current = true;
        }}
        minZoom={0.2}
        maxZoom={2.5}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.4} />
        <Controls showInteractive={false}>
          <ControlButton
            onClick={() => toggleMinimap(showMinimap, mini.shown ? null : mini.reason)}
            title={minimapTitle(showMinimap, mini.shown ? null : mini.reason)}
            aria-label="toggle the minimap"
            aria-pressed={showMinimap}
            className={`minimap-toggle ${showMinimap ? 'on' : 'off'}${mini.shown ? '' : ' no-room'}`}
            data-testid="minimap-toggle"
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M3 6l6-2 6 2 6-2v14l-6 2-6-2-6 2z" fill="none" stroke="currentColor" strokeWidth="2" />
            </svg>
          </ControlButton>
        </Controls>
        {minimapShown && mini.shown && (
          <MiniMap style={{ width: mini.width, height: mini.height, margin: MINIMAP_MARGIN }} pannable zoomable nodeColor={(n) => miniColour(n.id)} nodeStrokeWidth={2} ariaLabel="minimap" />
        )}
      </ReactFlow>
      {doc.nodes.length === 0 && <EmptyState />}
    </div>
  );
}

/** Flips the minimap preference; when there is no room for it, says so instead of doing nothing visible. */
function toggleMinimap(on: boolean, noRoom: string | null): void {
  const s = editorStore.getState();
  s.setPrefs({ showMinimap: !on });
  if (noRoom && !on) s.notify({ key: 'minimap', tone: 'info', title: 'The minimap is on, but there is no room for it yet', details: [`${noRoom[0]!.toUpperCase()}${noRoom.slice(1)}; it appears as soon as there is.`], timeout: 6 });
}

/** Applies xyflow's select/deselect changes to the store's selection. */
function applySelect(changes: Array<NodeChange<ComponentFlowNode> | EdgeChange<TrafficFlowEdge>>, kind: 'nodes' | 'edges'): void {
  const picks = changes.filter((c): c is { type: 'select'; id: string; selected: boolean } => c.type === 'select');
  if (!picks.length) return;
  const s = editorStore.getState();
  const ids = new Set(s.selection[kind]);
  for (const c of picks) {
    if (c.selected) ids.add(c.id);
    else ids.delete(c.id);
  }
  s.select({ [kind]: [...ids] });
}

function miniColour(id: string): string {
  const s = runStore.getState();
  const n = s.snapshot?.nodes.find((x) => x.id === id);
  return n?.utilization != null ? utilColour(n.utilization) : '#8c97a5';
}

function snap(p: { x: number; y: number }) {
  return { x: Math.round(p.x / GRID) * GRID, y: Math.round(p.y / GRID) * GRID };
}
