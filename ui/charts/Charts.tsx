/**
 * The chart panel: latency percentiles, throughput (successes and failures stacked by
 * status), queue length, utilisation, and cache hit ratio when a component reports one.
 * End to end by default; clicking a node focuses every chart on it. Charts fill in live
 * as windows close. Every value drawn is a number from the engine's series.
 */
import { FAIL_KEYS, type Series } from '../sim/client.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { runStore, useRun, type Baseline } from '../store/run.ts';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { TimeChart, type LineDef, type Marker, type StackDef } from './TimeChart.tsx';
import { CHART_THEMES, LATENCY, seriesStyle, statusColour } from './palette.ts';
import './charts.css';

type NodeSeries = Series['nodes'][string] & Record<string, unknown>;

const FAIL_LABEL: Record<string, string> = { dropped: 'dropped', other: 'other failures' };

/** Series names components report that mean a hit ratio (0..1). */
export const HIT_RATIO_KEYS = ['hitRatio'];

/** Which node the charts show ("end to end" when none), for the dock's tab row. */
export function ChartScope() {
  const focus = useEditor((s) => s.focus);
  const info = useRun((s) => s.info);
  const type = focus ? info?.nodes.find((n) => n.id === focus)?.type : undefined;
  return (
    <span className="dock-focus">
      <span className="muted">charts:</span>
      <b data-testid="chart-scope">{focus ?? 'end to end'}</b>
      {focus && type === 'client' && <span className="muted">(this client's own requests, end to end)</span>}
      {focus ? (
        <button type="button" className="link-btn" onClick={() => editorStore.getState().setFocus(null)}>
          show end to end
        </button>
      ) : (
        <span className="muted">· click a node to focus</span>
      )}
    </span>
  );
}

/** Chart redraws while a run is going: at most this often (ms); half as often at full speed. */
const LIVE_REDRAW_MS = 250;

/**
 * The series version, but updated at most every `ms` while the run is going (charts of
 * thousands of windows need not redraw 60 times a second) and at once otherwise. The
 * redraw goes in the frame after the one that brought the data: that delivery already
 * re-renders the canvas and the run bar, and the two in one task made the longest
 * main-thread work of a full-speed run (~50 ms on a loaded 2-core machine).
 */
function useThrottledSeriesVersion(ms: number): number {
  const [v, setV] = useState(() => runStore.getState().seriesVersion);
  useEffect(() => {
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const flush = () => {
      frame = 0;
      last = performance.now();
      setV(runStore.getState().seriesVersion);
    };
    // deliveries run in an animation frame, so this asks for the next one
    const nextFrame = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!frame) frame = requestAnimationFrame(flush);
    };
    const unsub = runStore.subscribe((s, prev) => {
      if (s.seriesVersion === prev.seriesVersion && s.status === prev.status) return;
      const wait = editorStore.getState().prefs.speed === 'max' ? ms * 2 : ms;
      const left = wait - (performance.now() - last);
      if (s.status !== 'running' || left <= 0) nextFrame();
      else if (!timer && !frame) timer = setTimeout(nextFrame, left);
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ms]);
  return v;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
/** A number for an object, the same for the same object (0 for null): a new run's series is a new object. */
function identity(x: object | null): number {
  if (x === null) return 0;
  let n = identities.get(x);
  if (n === undefined) identities.set(x, (n = nextIdentity++));
  return n;
}

/**
 * Renders `render()` again only when `redraw` changes, and while `live`, `delay` animation
 * frames after it changed: the charts of a live run redraw one per frame instead of all
 * in one task (the first redraws of a run, with cold code, took 30-45 ms together on a
 * loaded 2-core machine; one chart takes a fifth of that). Between redraws it returns the
 * element it made last time, which React skips without looking inside.
 */
function Staggered({ redraw, live, delay, render }: { redraw: string; live: boolean; delay: number; render: () => ReactNode }) {
  const [shown, setShown] = useState(redraw);
  const cache = useRef<{ key: string; el: ReactNode } | null>(null);
  useEffect(() => {
    if (!live || shown === redraw) return;
    let left = delay;
    let frame = requestAnimationFrame(function step() {
      if (left-- > 0) frame = requestAnimationFrame(step);
      else setShown(redraw);
    });
    return () => cancelAnimationFrame(frame);
  }, [redraw, live, delay, shown]);
  const key = live ? shown : redraw;
  if (!live || cache.current === null || cache.current.key !== key) cache.current = { key, el: render() };
  return cache.current.el;
}

export function Charts() {
  const series = useRun((s) => s.series);
  const version = useThrottledSeriesVersion(LIVE_REDRAW_MS);
  const live = useRun((s) => s.status === 'running');
  const info = useRun((s) => s.info);
  const timeline = useRun((s) => s.timeline);
  const focus = useEditor((s) => s.focus);
  const themeName = useEditor((s) => s.prefs.theme);
  const scale = useEditor((s) => s.prefs.latencyScale);
  const baseline = useRun((s) => s.baseline);
  const theme = CHART_THEMES[themeName];
  const t = series?.t ?? [];
  const end = Math.max(info ? info.duration / 1e6 : 60, series && baseline ? baseline.info.duration / 1e6 : 0);
  const nodeType = focus && info ? info.nodes.find((n) => n.id === focus)?.type : undefined;
  // a focused client shows its own requests end to end (nothing arrives at a client)
  const e2e = (focus && nodeType === 'client' && series?.clients?.[focus]) || series?.endToEnd;
  const node = focus && series && nodeType && nodeType !== 'client' ? (series.nodes[focus] as NodeSeries | undefined) : undefined;
  // the kept baseline's series of the same scope (end to end, the same client, the same node)
  const b = series ? baselineScope(baseline, focus, nodeType) : null;
  const markers: Marker[] = timeline
    .filter((e) => e.kind !== 'info')
    .filter((e) => !node || !e.node || e.node === focus || e.kind === 'stop')
    .map((e) => ({ t: e.atSeconds, text: e.text, kind: e.kind }));

  const lat = node ? node.latencyMs : e2e?.latencyMs;
  const latencyLines: LineDef[] = lat
    ? (['p50', 'p90', 'p99'] as const).map((k) => ({ key: k, label: k, color: LATENCY[k].color, dash: LATENCY[k].dash, width: LATENCY[k].width, values: lat[k] }))
    : [];
  if (b?.lat) latencyLines.unshift(...latencyLines.filter((l) => l.key !== 'p90').map((l) => faintOf(l, b.lat![l.key as 'p50' | 'p99'], b.t)));

  const ok = node ? node.okPerSec : e2e?.okPerSec;
  const failed = node ? node.failedPerSec : e2e?.failedPerSec;
  const throughput: StackDef[] = ok
    ? [
        { key: 'ok', label: 'ok', color: statusColour('ok', themeName), values: ok },
        ...FAIL_KEYS.filter((k) => failed?.[k]?.some((v) => (v ?? 0) > 0)).map((k) => ({ key: k, label: FAIL_LABEL[k] ?? k, color: statusColour(k, themeName), values: failed![k]! })),
      ]
    : [];
  const offered: LineDef[] = !node && e2e ? [{ key: 'sent', label: 'sent', color: theme.ink, dash: '2 3', width: 1.5, values: e2e.sentPerSec }] : node ? [{ key: 'arrivals', label: 'arrivals', color: theme.ink, dash: '2 3', width: 1.5, values: node.arrivalsPerSec }] : [];
  if (b?.ok) offered.unshift(faintOf({ key: 'ok', label: 'ok', color: statusColour('ok', themeName), width: 2.5, values: [] }, b.ok, b.t));

  const servers = series && info ? info.nodes.filter((n) => series.nodes[n.id]?.utilization.some((v) => v !== null)) : [];
  const queueLines: LineDef[] = node
    ? [
        { key: 'mean', label: 'mean', color: seriesStyle(0).color, values: node.queueLength.mean },
        { key: 'max', label: 'max', color: seriesStyle(1).color, dash: '6 3', values: node.queueLength.max },
      ]
    : servers.map((n, i) => ({ key: n.id, label: n.id, ...seriesStyle(i), values: series!.nodes[n.id]!.queueLength.mean }));
  const utilLines: LineDef[] = node
    ? node.utilization.some((v) => v !== null)
      ? [{ key: 'util', label: focus!, ...seriesStyle(0), values: node.utilization }]
      : []
    : servers.map((n, i) => ({ key: n.id, label: n.id, ...seriesStyle(i), values: series!.nodes[n.id]!.utilization }));

  if (b) {
    if (node) {
      if (b.node) {
        queueLines.unshift(faintOf(queueLines[0]!, b.node.queueLength.mean, b.t));
        if (utilLines.length && b.node.utilization.some((v) => v !== null)) utilLines.unshift(faintOf(utilLines[0]!, b.node.utilization, b.t));
      }
    } else if (!focus) {
      for (const l of [...queueLines]) {
        const bn = b.nodes[l.key];
        if (bn) queueLines.unshift(faintOf(l, bn.queueLength.mean, b.t));
      }
      for (const l of [...utilLines]) {
        const bn = b.nodes[l.key];
        if (bn?.utilization.some((v) => v !== null)) utilLines.unshift(faintOf(l, bn.utilization, b.t));
      }
    }
  }

  const caches = series && info ? info.nodes.flatMap((n) => HIT_RATIO_KEYS.filter((k) => Array.isArray((series.nodes[n.id] as NodeSeries)?.[k])).map((k) => ({ id: n.id, key: k }))) : [];
  const shownCaches = node ? caches.filter((c) => c.id === focus) : caches;
  const hitLines: LineDef[] = shownCaches.map((c, i) => ({ key: `${c.id}.${c.key}`, label: c.id, ...seriesStyle(i), values: (series!.nodes[c.id] as NodeSeries)[c.key] as Array<number | null> }));
  if (b && (!focus || b.node)) {
    for (const l of [...hitLines]) {
      const [id, key] = [l.key.slice(0, l.key.lastIndexOf('.')), l.key.slice(l.key.lastIndexOf('.') + 1)];
      const v = (b.nodes[id] as NodeSeries | undefined)?.[key];
      if (Array.isArray(v)) hitLines.unshift(faintOf(l, v as Array<number | null>, b.t));
    }
  }

  const empty = series ? undefined : 'Press Run to fill this chart.';
  // everything that changes what the charts show: the series (throttled), and what to show of it
  const redraw = [identity(series), version, focus ?? '', themeName, scale, identity(baseline), markers.length].join('|');
  const charts: Array<() => ReactNode> = [
    () => (
      <TimeChart
        id="latency"
        title="Latency"
        unit="ms"
        t={t}
        end={end}
        lines={latencyLines}
        scale={scale}
        markers={markers}
        theme={theme}
        empty={empty}
        controls={
          <button type="button" className="btn small" onClick={() => editorStore.getState().setPrefs({ latencyScale: scale === 'log' ? 'linear' : 'log' })} title="switch between linear and log axis" data-testid="latency-scale">
            {scale === 'log' ? 'log' : 'linear'}
          </button>
        }
      />
    ),
    () => <TimeChart id="throughput" title="Throughput" unit="req/s" t={t} end={end} stacks={throughput} lines={offered} markers={markers} theme={theme} empty={empty} />,
    () => <TimeChart id="queue" title="Queue length" unit="requests" t={t} end={end} lines={queueLines} markers={markers} theme={theme} empty={series && !queueLines.length ? 'No queues here.' : empty} />,
    () => <TimeChart id="utilization" title="Utilisation" unit="busy / workers" t={t} end={end} lines={utilLines} ceiling={1} yKind="ratio" markers={markers} theme={theme} empty={series && !utilLines.length ? 'No workers here.' : empty} />,
  ];
  if (hitLines.length > 0) charts.push(() => <TimeChart id="hit-ratio" title="Cache hit ratio" unit="hits / lookups" t={t} end={end} lines={hitLines} ceiling={1} yKind="ratio" markers={markers} theme={theme} />);
  return (
    <div className="charts-wrap">
      <div className="charts">
        {charts.map((render, i) => (
          <Staggered key={i} redraw={redraw} live={live} delay={i} render={render} />
        ))}
      </div>
    </div>
  );
}

/** A baseline version of `line`: same colour and dash, drawn faint, on the baseline's own time axis. */
function faintOf(line: LineDef, values: ReadonlyArray<number | null>, t: ReadonlyArray<number>): LineDef {
  return { ...line, key: `baseline.${line.key}`, label: `${line.label} (baseline)`, values, t, faint: true };
}

/**
 * The baseline's series for the scope the charts show: end to end, a client's own
 * requests, or a node. Null when there is no baseline or it has no such scope (a node
 * added since): nothing is then drawn for it rather than something of another scope.
 */
function baselineScope(baseline: Baseline | null, focus: string | null, nodeType: string | undefined) {
  if (!baseline) return null;
  const s = baseline.series;
  const t = s.t;
  const nodes = s.nodes as Record<string, NodeSeries>;
  if (!focus) return { t, nodes, lat: s.endToEnd.latencyMs, ok: s.endToEnd.okPerSec, node: undefined };
  const bType = baseline.info.nodes.find((n) => n.id === focus)?.type;
  if (!bType || bType !== nodeType) return null;
  if (bType === 'client') {
    const c = s.clients?.[focus];
    return c ? { t, nodes, lat: c.latencyMs, ok: c.okPerSec, node: undefined } : null;
  }
  const node = nodes[focus];
  return node ? { t, nodes, lat: node.latencyMs, ok: node.okPerSec, node } : null;
}
