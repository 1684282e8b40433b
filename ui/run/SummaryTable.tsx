/**
 * The run's summary: end to end and per node, with the same fields and digits as the
 * CLI's table for the same scenario and seed (the numbers come straight from the
 * engine's report; nothing is recomputed here), plus each component's own extras.
 */
import { useState } from 'react';
import type { Report } from '../sim/client.ts';
import { editorStore } from '../store/editor.ts';
import { fmt, int, util } from './format.ts';

type NodeReport = Report['nodes'][string];

const STANDARD = new Set(['type', 'arrivals', 'completed', 'failed', 'rejected', 'inFlight', 'throughputPerSec', 'utilization', 'workers', 'queueLength', 'inNode', 'latencyMs', 'sojournMs']);

function failedCount(n: NodeReport): number {
  return Object.values(n.failed).reduce((a, b) => a + b, 0);
}

export function SummaryTable({ report }: { report: Report }) {
  const e = report.endToEnd;
  const nodes = Object.entries(report.nodes).filter(([, n]) => n.type !== 'client');
  const failed = Object.entries(e.failed).map(([s, n]) => `${s}: ${int(n)}`).join(', ');
  return (
    <div className="summary" data-testid="summary">
      <p className="summary-line">
        <b>End to end:</b> {int(e.sent)} sent, {int(e.ok)} ok ({fmt(e.successRatio * 100, 2)}%){failed ? `, failed ${failed}` : ''}
        {e.inFlight ? `, ${int(e.inFlight)} in flight at the end` : ''}. Throughput {fmt(e.throughputPerSec, 1)}/s of {fmt(e.offeredPerSec, 1)}/s offered. Latency ms: mean{' '}
        {fmt(e.latencyMs.mean)}, p50 {fmt(e.latencyMs.p50)}, p90 {fmt(e.latencyMs.p90)}, p99 {fmt(e.latencyMs.p99)}, p99.9 {fmt(e.latencyMs.p999)}, max {fmt(e.latencyMs.max)}.
        {e.amplification > 1.0001 ? ` Attempts per request: ${fmt(e.amplification, 3)}.` : ''}
      </p>
      {Object.keys(e.failureReasons).length > 0 && (
        <ul className="reasons">
          {Object.entries(e.failureReasons).map(([k, n]) => (
            <li key={k}>
              {k}: <b>{int(n)}</b>
            </li>
          ))}
        </ul>
      )}
      <table className="table" data-testid="summary-table">
        <thead>
          <tr>
            <th className="l">node</th>
            <th className="l">type</th>
            <th>arrivals</th>
            <th>ok</th>
            <th>failed</th>
            <th>util</th>
            <th>queue</th>
            <th>qmax</th>
            <th>p50 ms</th>
            <th>p99 ms</th>
            <th>p99.9 ms</th>
            <th className="l">more</th>
          </tr>
        </thead>
        <tbody>
          <tr className="e2e" data-node="(end to end)">
            <td className="l">
              <b>end to end</b>
            </td>
            <td className="l muted">all clients</td>
            <td>{int(e.sent)}</td>
            <td>{int(e.ok)}</td>
            <td>{int(e.failedTotal)}</td>
            <td>-</td>
            <td>-</td>
            <td>-</td>
            <td>{fmt(e.latencyMs.p50)}</td>
            <td>{fmt(e.latencyMs.p99)}</td>
            <td>{fmt(e.latencyMs.p999)}</td>
            <td className="l" />
          </tr>
          {nodes.map(([id, n]) => (
            <NodeRow key={id} id={id} n={n} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NodeRow({ id, n }: { id: string; n: NodeReport }) {
  const [open, setOpen] = useState(false);
  const extras = Object.entries(n as Record<string, unknown>).filter(([k]) => !STANDARD.has(k));
  const reasons = Object.entries(n.rejected);
  const more = extras.length + reasons.length > 0;
  return (
    <>
      <tr data-node={id}>
        <td className="l">
          <button type="button" className="link-btn node-link" onClick={() => focusNode(id)}>
            {id}
          </button>
        </td>
        <td className="l muted">{n.type}</td>
        <td>{int(n.arrivals)}</td>
        <td>{int(n.completed)}</td>
        <td>{int(failedCount(n))}</td>
        <td>{util(n.utilization)}</td>
        <td>{fmt(n.queueLength.mean, 2)}</td>
        <td>{String(n.queueLength.max)}</td>
        <td>{fmt(n.latencyMs.p50)}</td>
        <td>{fmt(n.latencyMs.p99)}</td>
        <td>{fmt(n.latencyMs.p999)}</td>
        <td className="l">
          {more && (
            <button type="button" className="link-btn" onClick={() => setOpen(!open)} aria-expanded={open}>
              {open ? 'less' : 'details'}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="details">
          <td colSpan={12}>
            {reasons.length > 0 && (
              <div>
                <b>failures:</b> {reasons.map(([k, c]) => `${k}: ${int(c)}`).join(' · ')}
              </div>
            )}
            {extras.map(([k, v]) => (
              <div key={k}>
                <b>{k}:</b> <Extra v={v} />
              </div>
            ))}
          </td>
        </tr>
      )}
    </>
  );
}

/** A component's extra report value: scalars inline, per-key objects as a small list. */
function Extra({ v }: { v: unknown }) {
  if (v === null || typeof v !== 'object') return <span>{String(v)}</span>;
  const entries = Object.entries(v as Record<string, unknown>);
  return (
    <span>
      {entries.map(([k, x], i) => (
        <span key={k}>
          {i > 0 ? ' · ' : ''}
          {k}: {x !== null && typeof x === 'object' ? Object.entries(x as Record<string, unknown>).map(([a, b]) => `${a} ${String(b)}`).join(', ') : String(x)}
        </span>
      ))}
    </span>
  );
}

function focusNode(id: string) {
  const s = editorStore.getState();
  s.select({ nodes: [id], edges: [] });
  s.setFocus(id);
  s.setPrefs({ dockTab: 'charts' });
}
