/**
 * A time-series chart over simulated time: lines and/or stacked areas, a linear or log
 * value axis, fault and health markers from the run's timeline, and a crosshair with
 * the exact values of the window under the pointer. d3 computes scales and paths
 * (scales.ts); React renders the SVG. PNG and SVG export in the header.
 */
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { decimateLine, decimateStack, exact, linePath, pct, nearestIndex, stackedAreas, stackTotals, ticks, timeScale, valueScale, type Box, type Values } from './scales.ts';
import { download, safeName, svgText, svgToPng } from './export.ts';
import type { ChartTheme } from './palette.ts';
import { editorStore } from '../store/editor.ts';

export interface LineDef {
  key: string;
  label: string;
  color: string;
  dash?: string;
  width?: number;
  values: Values;
  /** Its own time axis (s), for a line from another run (a baseline); default: the chart's. */
  t?: Values;
  /** Drawn faint, behind the others, and listed once in the legend as "baseline". */
  faint?: boolean;
}

/** How strongly a faint (baseline) line is drawn. */
const FAINT_OPACITY = 0.35;

export interface StackDef {
  key: string;
  label: string;
  color: string;
  values: Values;
}

export interface Marker {
  /** Seconds. */
  t: number;
  text: string;
  kind: string;
}

export interface TimeChartProps {
  id: string;
  title: string;
  /** What the values are, e.g. "ms" or "req/s". */
  unit: string;
  t: number[];
  /** The run's end (s): the x axis spans the whole run from the start. */
  end: number;
  lines?: LineDef[];
  stacks?: StackDef[];
  scale?: 'linear' | 'log';
  ceiling?: number;
  yKind?: 'value' | 'ratio';
  markers: Marker[];
  theme: ChartTheme;
  /** Extra header controls (e.g. the log/linear switch). */
  controls?: ReactNode;
  /** Shown instead of the plot when there is nothing to draw. */
  empty?: string;
}

const MARGIN = { top: 10, right: 14, bottom: 24, left: 50 };

export function TimeChart(props: TimeChartProps) {
  const { id, title, unit, t, end, lines = [], stacks = [], scale = 'linear', ceiling, yKind = 'value', markers, theme, controls, empty } = props;
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [hover, setHover] = useState<number | null>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const geo: Box = { width: size.width, height: size.height, ...MARGIN };
  const log = scale === 'log';
  const drawn = useMemo(() => {
    if (size.width < 50 || size.height < 50 || !t.length) return null;
    const x = timeScale(end, geo);
    // one bucket per 2 px of the plot: long runs draw a few hundred points, not thousands
    const buckets = Math.max(1, Math.floor((size.width - MARGIN.left - MARGIN.right) / 2));
    const stacked = decimateStack(t, stacks, buckets);
    const totals = stacks.length ? [stackTotals(stacked.layers, stacked.t.length)] : [];
    const thin = lines.map((l) => ({ ...l, ...decimateLine(l.t ?? t, l.values, buckets) }));
    const y = valueScale([...thin.map((l) => l.ys), ...totals], geo, log ? 'log' : 'linear', ceiling);
    return {
      x,
      y,
      areas: stackedAreas(stacked.t, stacked.layers, x, y),
      // faint (baseline) lines first, so the current run is drawn over them
      paths: [...thin.filter((l) => l.faint), ...thin.filter((l) => !l.faint)].map((l) => ({ ...l, d: linePath(l.t, l.ys, x, y, log) })),
      xTicks: ticks(x, Math.max(2, Math.floor(size.width / 90)), 'time'),
      yTicks: ticks(y, Math.max(2, Math.floor(size.height / 40)), yKind === 'ratio' ? 'ratio' : 'value'),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [size.width, size.height, t, t.length, end, lines, stacks, log, ceiling, yKind]);

  const onMove = (e: React.MouseEvent<SVGRectElement>) => {
    if (!drawn) return;
    const r = (e.currentTarget.ownerSVGElement as SVGSVGElement).getBoundingClientRect();
    setHover(nearestIndex(t, drawn.x.invert(e.clientX - r.left)));
  };

  const exportAs = async (kind: 'svg' | 'png') => {
    if (!svg.current) return;
    const name = `${safeName(editorStore.getState().doc.name)}-${safeName(id)}`;
    const text = svgText(svg.current);
    if (kind === 'svg') download(`${name}.svg`, text, 'image/svg+xml');
    else {
      try {
        download(`${name}.png`, await svgToPng(text, size.width, size.height));
      } catch (err) {
        editorStore.getState().notify({ tone: 'error', title: 'The PNG could not be made', details: [(err as Error).message], timeout: 8 });
      }
    }
  };

  const i = hover;
  /** The value of line `l` in the window under the pointer (a baseline line: its nearest window). */
  const valueAt = (l: { t?: Values; values: Values }, k: number): number | null => {
    if (!l.t) return l.values[k] ?? null;
    const bt = l.t as number[];
    const j = nearestIndex(bt, t[k]!);
    if (j < 0) return null;
    const w = j > 0 ? bt[j]! - bt[j - 1]! : bt[0]!; // that run's window length
    return Math.abs(bt[j]! - t[k]!) <= w / 2 + 1e-9 ? (l.values[j] ?? null) : null;
  };
  const faint = lines.filter((l) => l.faint);
  const legend = [
    ...stacks.map((s) => ({ key: s.key, label: s.label, color: s.color, area: true, dash: undefined as string | undefined, faint: false })),
    ...lines.filter((l) => !l.faint).map((l) => ({ key: l.key, label: l.label, color: l.color, area: false, dash: l.dash, faint: false })),
    ...(faint.length ? [{ key: 'baseline', label: 'baseline (faint)', color: theme.ink, area: false, dash: undefined, faint: true }] : []),
  ];
  return (
    <figure className="chart" data-testid={`chart-${id}`}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-unit">{unit}</span>
        <span className="chart-tools">
          {controls}
          <button type="button" className="btn small" onClick={() => exportAs('png')} title="download as PNG" disabled={!drawn}>
            PNG
          </button>
          <button type="button" className="btn small" onClick={() => exportAs('svg')} title="download as SVG" disabled={!drawn}>
            SVG
          </button>
        </span>
      </figcaption>
      <ul className="legend">
        {legend.map((l) => (
          <li key={l.key}>
            {/* line swatches are long enough to show a whole dash pattern */}
            <svg width={l.area ? 18 : 26} height="10" aria-hidden="true">
              {l.area ? <rect width="18" height="10" rx="2" fill={l.color} /> : <line x1="0" y1="5" x2="26" y2="5" stroke={l.color} strokeWidth="2.5" strokeDasharray={l.dash} strokeOpacity={l.faint ? FAINT_OPACITY : 1} />}
            </svg>
            {l.label}
          </li>
        ))}
      </ul>
      <div className="chart-plot" ref={box}>
        {!drawn && <div className="chart-empty">{empty ?? (t.length ? '' : 'Press Run to fill this chart.')}</div>}
        {drawn && (
          <svg ref={svg} width={size.width} height={size.height} fontFamily="system-ui, 'DejaVu Sans', sans-serif" fontSize="12" role="img" aria-label={`${title} (${unit})`}>
            <rect width={size.width} height={size.height} fill={theme.bg} />
            {drawn.yTicks.map((tk) => (
              <g key={`y${tk.value}`}>
                <line x1={MARGIN.left} x2={size.width - MARGIN.right} y1={drawn.y(tk.value)} y2={drawn.y(tk.value)} stroke={theme.grid} />
                <text x={MARGIN.left - 6} y={drawn.y(tk.value)} dy="0.32em" textAnchor="end" fill={theme.muted}>
                  {tk.label}
                </text>
              </g>
            ))}
            {drawn.xTicks.map((tk) => (
              <text key={`x${tk.value}`} x={drawn.x(tk.value)} y={size.height - 6} textAnchor="middle" fill={theme.muted}>
                {tk.label}
              </text>
            ))}
            <line x1={MARGIN.left} x2={size.width - MARGIN.right} y1={size.height - MARGIN.bottom} y2={size.height - MARGIN.bottom} stroke={theme.axis} />
            {drawn.areas.map((a) => (
              <path key={a.key} d={a.d} fill={stacks.find((s) => s.key === a.key)!.color} fillOpacity={0.85} className="area" data-series={a.key} />
            ))}
            {drawn.paths.map((p) =>
              p.d ? (
                <path
                  key={p.key}
                  d={p.d}
                  fill="none"
                  stroke={p.color}
                  strokeOpacity={p.faint ? FAINT_OPACITY : 1}
                  strokeWidth={p.width ?? 2}
                  strokeDasharray={p.dash}
                  strokeLinejoin="round"
                  className={p.faint ? 'line baseline' : 'line'}
                  data-series={p.key}
                />
              ) : null,
            )}
            {markers.map((m, k) => {
              const mx = drawn.x(m.t);
              return (
                <g key={k} className="marker">
                  <title>{`${exact(m.t)}s: ${m.text}`}</title>
                  <line x1={mx} x2={mx} y1={MARGIN.top} y2={size.height - MARGIN.bottom} stroke={theme.marker} strokeDasharray="3 3" strokeWidth={1.5} />
                  <path d={`M${mx - 5},${MARGIN.top - 2}h10l-5,7z`} fill={theme.marker} />
                  <line x1={mx} x2={mx} y1={MARGIN.top} y2={size.height - MARGIN.bottom} stroke="transparent" strokeWidth={10} />
                </g>
              );
            })}
            {i !== null && i >= 0 && (
              <g data-export="skip" pointerEvents="none">
                <line x1={drawn.x(t[i]!)} x2={drawn.x(t[i]!)} y1={MARGIN.top} y2={size.height - MARGIN.bottom} stroke={theme.ink} strokeOpacity={0.5} />
                {drawn.paths.map((p) => {
                  const v = valueAt(p, i);
                  return v !== null && v !== undefined && (!log || v > 0) ? <circle key={p.key} cx={drawn.x(t[i]!)} cy={drawn.y(v)} r={4} fill={p.color} stroke={theme.bg} strokeWidth={1.5} /> : null;
                })}
              </g>
            )}
            <rect x={MARGIN.left} y={MARGIN.top} width={Math.max(0, size.width - MARGIN.left - MARGIN.right)} height={Math.max(0, size.height - MARGIN.top - MARGIN.bottom)} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHover(null)} data-export="skip" />
          </svg>
        )}
        {drawn && i !== null && i >= 0 && (
          <div className="chart-tip" style={{ left: Math.max(0, Math.min(drawn.x(t[i]!) + 12, size.width - (faint.length ? 230 : 190))) }} data-testid={`chart-${id}-tip`}>
            <div className="tip-time">window ending {exact(t[i])}s</div>
            {[...stacks, ...lines.filter((l) => !l.faint), ...faint].map((s) => (
              <div key={s.key} className={'faint' in s && s.faint ? 'tip-row faint' : 'tip-row'}>
                <span className="swatch" style={{ background: s.color }} />
                {s.label}
                <b>{yKind === 'ratio' ? pct(valueAt(s, i)) : exact(valueAt(s, i), unit)}</b>
              </div>
            ))}
            {markers
              .filter((m) => (i === 0 ? m.t <= t[0]! : m.t > t[i - 1]! && m.t <= t[i]!))
              .map((m, k) => (
                <div key={`m${k}`} className="tip-marker">
                  ▼ {exact(m.t)}s {m.text}
                </div>
              ))}
          </div>
        )}
      </div>
    </figure>
  );
}
