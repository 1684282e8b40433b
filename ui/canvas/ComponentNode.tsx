/**
 * A component on the canvas: icon, name and type, input and output handles, and while a
 * run is on its live state: utilisation (colour and number), queue length, a failure
 * badge and a DOWN badge. Hovering shows the live numbers.
 */
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { ComponentIcon, Icon } from './icons.tsx';
import { compact, liveNode, percent, utilColour } from './live.ts';
import { useRun } from '../store/run.ts';
import { exact } from '../charts/scales.ts';
import type { LiveNode, LiveSnapshot, Series } from '../sim/client.ts';

export interface ComponentNodeData extends Record<string, unknown> {
  id: string;
  type: string;
  label?: string;
  /** The type's palette title; the raw type if it is not registered. */
  title: string;
  icon: string;
  known: boolean;
  canReceive: boolean;
  canSend: boolean;
  /** Validation errors about this node. */
  problems: string[];
  /** A one-line summary of its main parameters. */
  summary: string;
}

export type ComponentFlowNode = Node<ComponentNodeData, 'component'>;

function ComponentNodeView({ data, selected }: NodeProps<ComponentFlowNode>) {
  const [hover, setHover] = useState<DOMRect | null>(null);
  const name = data.label || data.id;
  return (
    <div
      className={`cnode${selected ? ' selected' : ''}${data.problems.length ? ' has-problems' : ''}${!data.known ? ' unknown' : ''}`}
      onMouseEnter={(e) => setHover(e.currentTarget.getBoundingClientRect())}
      onMouseLeave={() => setHover(null)}
      data-testid={`node-${data.id}`}
    >
      {data.canReceive && <Handle type="target" position={Position.Left} className="handle in" />}
      <div className="cnode-head">
        <span className="cnode-icon">
          <ComponentIcon name={data.icon} size={24} />
        </span>
        <span className="cnode-names">
          <span className="cnode-name" title={name}>
            {name}
          </span>
          <span className="cnode-type">{data.label ? `${data.id} · ${data.title}` : data.title}</span>
        </span>
        {data.problems.length > 0 && (
          <span className="cnode-problem" title={data.problems.join('\n')} aria-label={`${data.problems.length} problem(s)`}>
            <Icon name="alert" size={16} />
          </span>
        )}
      </div>
      <LiveOverlay data={data} />
      {data.canSend && <Handle type="source" position={Position.Right} className="handle out" />}
      {hover && createPortal(<HoverCard data={data} anchor={hover} />, document.body)}
    </div>
  );
}

/**
 * The live part of a node, the only part that re-renders with each update: the
 * utilisation bar, queue, failure and DOWN badges (or the parameter summary when idle).
 */
function LiveOverlay({ data }: { data: ComponentNodeData }) {
  const live = useRun((s) => (s.status === 'idle' || s.status === 'invalid' ? undefined : liveNode(s.snapshot, data.id)));
  const sending = useRun((s) => (data.canReceive || !s.snapshot ? 0 : sentBy(s.snapshot, data.id)));
  if (!live) return <div className="cnode-summary">{data.summary}</div>;
  return (
    <>
      <LiveBar live={live} sending={data.canReceive ? null : sending} />
      {live.failedPerSec > 0 && (
        <span className="badge fail" title="failed answers per simulated second">
          ✕ {compact(live.failedPerSec)}/s
        </span>
      )}
      {!live.up && <span className="badge down">DOWN</span>}
      {!live.up && <span className="down-veil" aria-hidden="true" />}
    </>
  );
}

/** Requests per simulated second a node sends (over its outgoing edges), for sources such as clients. */
function sentBy(s: LiveSnapshot, id: string): number {
  return outgoing(s, id).sent;
}

/** Rates over a node's outgoing edges: requests sent and failed answers, per simulated second. */
function outgoing(s: LiveSnapshot, id: string): { sent: number; failed: number } {
  let sent = 0;
  let failed = 0;
  for (const e of s.edges) {
    if (e.from !== id) continue;
    sent += e.sentPerSec;
    failed += e.failedPerSec;
  }
  return { sent, failed };
}

function LiveBar({ live, sending }: { live: LiveNode; sending: number | null }) {
  const u = live.utilization;
  if (sending !== null) {
    return (
      <div className="cnode-live">
        <span className="live-num" title="requests sent per simulated second">
          sends {compact(sending)}/s
        </span>
      </div>
    );
  }
  return (
    <div className="cnode-live">
      <div className="util-track" aria-hidden="true">
        <div className="util-fill" style={{ width: `${Math.min(100, (u ?? 0) * 100)}%`, background: utilColour(u) }} />
      </div>
      <span className="live-num" title="utilisation: busy workers / workers">
        {live.capacity > 0 ? percent(u) : `${compact(live.arrivalsPerSec)}/s`}
      </span>
      {live.capacity > 0 && (
        <span className="live-num" title="requests waiting for a worker">
          q {compact(live.queue)}
        </span>
      )}
    </div>
  );
}

/**
 * The live numbers of a hovered node, in a layer above everything (so the canvas's edge
 * never cuts it off): above the node when there is room, else below.
 */
function HoverCard({ data, anchor }: { data: ComponentNodeData; anchor: DOMRect }) {
  const live = useRun((s) => (s.status === 'idle' || s.status === 'invalid' ? undefined : liveNode(s.snapshot, data.id)));
  const series = useRun((s) => s.series);
  const interval = useRun((s) => s.snapshot?.interval ?? 0);
  const snapshot = useRun((s) => s.snapshot);
  const sends = snapshot ? outgoing(snapshot, data.id) : null;
  useRun((s) => s.seriesVersion);
  const last = lastWindow(series, data.id);
  const card = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const el = card.current;
    if (!el) return;
    const h = el.offsetHeight;
    const w = el.offsetWidth;
    const left = Math.max(8, Math.min(window.innerWidth - w - 8, anchor.left + anchor.width / 2 - w / 2));
    const top = anchor.top - h - 10 >= 8 ? anchor.top - h - 10 : Math.min(window.innerHeight - h - 8, anchor.bottom + 10);
    setPos((p) => (p && p.left === left && p.top === top ? p : { left, top }));
  });
  return (
    <div ref={card} className="hover-card" role="tooltip" style={{ position: 'fixed', zIndex: 60, left: pos?.left ?? -9999, top: pos?.top ?? -9999 }}>
      <div className="hover-title">
        <b>{data.label || data.id}</b> <span className="muted">{data.title}</span>
      </div>
      {!live && <div className="muted">{data.summary || 'Select to edit its parameters.'}</div>}
      {live && !data.canReceive && (
        <table>
          <tbody>
            <Row k="state" v={live.up ? 'up' : 'DOWN'} />
            <Row k="sends" v={`${exact(sends?.sent ?? 0)}/s`} />
            <Row k="failed answers back" v={`${exact(sends?.failed ?? 0)}/s`} />
          </tbody>
        </table>
      )}
      {live && data.canReceive && (
        <table>
          <tbody>
            <Row k="state" v={live.up ? 'up' : 'DOWN'} />
            {live.capacity > 0 && <Row k="busy workers" v={`${live.busy} / ${live.capacity}`} />}
            {live.capacity > 0 && <Row k="utilisation" v={percent(live.utilization)} />}
            <Row k="in node now" v={exact(live.inNode)} />
            {live.capacity > 0 && <Row k="queue now / mean" v={`${exact(live.queue)} / ${exact(live.queueMean)}`} />}
            <Row k="arrivals" v={`${exact(live.arrivalsPerSec)}/s`} />
            <Row k="ok / failed" v={`${exact(live.okPerSec)}/s / ${exact(live.failedPerSec)}/s`} />
            <Row k="totals: arrived · ok · failed" v={`${exact(live.arrivals)} · ${exact(live.ok)} · ${exact(live.failed)}`} />
            {last && <Row k={`p50 / p99, window to ${exact(last.t)}s`} v={`${exact(last.p50)} / ${exact(last.p99)} ms`} />}
          </tbody>
        </table>
      )}
      {live && interval > 0 && (
        <div className="muted hover-note">rates and means over the last {exact(interval / 1e6)} s of simulated time</div>
      )}
    </div>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <tr>
      <th>{k}</th>
      <td>{v}</td>
    </tr>
  );
}

function lastWindow(series: Series | null, id: string) {
  const n = series?.nodes[id];
  if (!series || !n || !series.t.length) return null;
  const i = series.t.length - 1;
  return { t: series.t[i]!, p50: n.latencyMs.p50[i] ?? null, p99: n.latencyMs.p99[i] ?? null };
}

export const ComponentNode = memo(ComponentNodeView);
