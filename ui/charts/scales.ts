/**
 * Chart maths: d3 builds scales, path strings and tick formats; React draws the SVG.
 * Everything here is pure and unit-tested. Series values are the engine's numbers as
 * they come (null where a window has no value, e.g. no answers to take a p99 of).
 */
import { bisectCenter, max as d3max, min as d3min } from 'd3-array';
import { format } from 'd3-format';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';
import { area, line, stack, stackOrderNone, stackOffsetNone } from 'd3-shape';

export interface Box {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export type Values = ReadonlyArray<number | null>;
export type YScale = ScaleContinuousNumeric<number, number>;

/** The x scale: simulated seconds from 0 to the run's end onto the plot area. */
export function timeScale(endSeconds: number, box: Box) {
  return scaleLinear()
    .domain([0, endSeconds > 0 ? endSeconds : 1])
    .range([box.left, box.width - box.right]);
}

/**
 * The y scale over every value of `series`. Linear starts at 0 (and at 1 with no data);
 * log spans the positive values (decades, clamped so zeros sit on the axis). `ceiling`
 * fixes the top (e.g. 1 for ratios).
 */
export function valueScale(series: ReadonlyArray<Values>, box: Box, mode: 'linear' | 'log' = 'linear', ceiling?: number): YScale {
  const range: [number, number] = [box.height - box.bottom, box.top];
  const all = series.flatMap((s) => s.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (mode === 'log') {
    const pos = all.filter((v) => v > 0);
    const lo = d3min(pos) ?? 0.1;
    const hi = ceiling ?? d3max(pos) ?? 1;
    const bottom = 10 ** Math.floor(Math.log10(lo));
    const top = 10 ** Math.ceil(Math.log10(hi > bottom ? hi : bottom * 10));
    return scaleLog().domain([bottom, top]).range(range).clamp(true);
  }
  const hi = ceiling ?? d3max(all) ?? 0;
  return scaleLinear()
    .domain([0, hi > 0 ? hi : 1])
    .range(range)
    .nice();
}

/**
 * An SVG path through the defined points of a series (gaps where a value is null, or
 * not positive on a log scale), or null if no point is defined.
 */
export function linePath(t: Values, ys: Values, x: (v: number) => number, y: YScale, log = false): string | null {
  const idx = ys.map((_, i) => i).filter((i) => ok(t[i]) && ok(ys[i]) && (!log || (ys[i] as number) > 0));
  if (!idx.length) return null;
  const gen = line<number>()
    .digits(1)
    .defined((i) => ok(t[i]) && ok(ys[i]) && (!log || (ys[i] as number) > 0))
    .x((i) => x(t[i] as number))
    .y((i) => y(ys[i] as number));
  return gen(ys.map((_, i) => i));
}

export interface Layer {
  key: string;
  values: Values;
}

/** Stacked areas (nulls count as 0), bottom layer first, with each layer's top values. */
export function stackedAreas(t: Values, layers: readonly Layer[], x: (v: number) => number, y: YScale): Array<{ key: string; d: string; top: number[] }> {
  if (!layers.length || !t.length) return [];
  const defined = (i: number) => ok(t[i]);
  const rows = t.map((_, i) => Object.fromEntries(layers.map((l) => [l.key, (l.values[i] as number | null) ?? 0])));
  const stacked = stack<Record<string, number>>()
    .keys(layers.map((l) => l.key))
    .order(stackOrderNone)
    .offset(stackOffsetNone)(rows);
  const gen = area<[number, number] & { data: Record<string, number> }>()
    .digits(1)
    .defined((_, i) => defined(i))
    .x((_, i) => x(t[i] as number))
    .y0((d) => y(d[0]))
    .y1((d) => y(d[1]));
  return stacked.map((s) => ({ key: s.key, d: gen(s as never) ?? '', top: s.map((p) => p[1]) }));
}

/** The sums of stacked layers per window (for the scale's top). */
export function stackTotals(layers: readonly Layer[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => layers.reduce((a, l) => a + ((l.values[i] as number | null) ?? 0), 0));
}

/** The index of the window whose time is nearest `seconds` (-1 for no windows). */
export function nearestIndex(t: ReadonlyArray<number>, seconds: number): number {
  if (!t.length) return -1;
  return Math.min(t.length - 1, Math.max(0, bisectCenter(t as number[], seconds)));
}

/** Tick values and labels for an axis. */
export function ticks(scale: YScale | ReturnType<typeof timeScale>, count: number, kind: 'time' | 'value' | 'ratio'): Array<{ value: number; label: string }> {
  const values = scale.ticks(count);
  const f = kind === 'ratio' ? format('.0%') : kind === 'time' ? timeLabel : valueLabel;
  // log scales give many ticks per decade: keep the powers of ten
  const isLog = 'base' in scale;
  return values.filter((v) => !isLog || Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9).map((v) => ({ value: v, label: f(v) }));
}

const si = format('~s');
const small = format('~r');

/** Compact axis labels: 0.5, 12, 1.5k, 2M. */
export function valueLabel(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return si(v).replace('G', 'B');
  return small(+v.toPrecision(3));
}

/** Time labels in seconds or minutes: "30s", "2m", "1h". */
export function timeLabel(s: number): string {
  if (s === 0) return '0';
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 120 && s % 60 === 0) return `${s / 60}m`;
  return `${+s.toPrecision(4)}s`;
}

/** Exact values for tooltips: up to 4 significant digits, thousands grouped. */
export function exact(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const s = Math.abs(v) >= 1000 ? format(',.0f')(v) : format('~r')(+v.toPrecision(4));
  return unit ? `${s} ${unit}` : s;
}

function ok(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

/** A ratio as a percentage for tooltips: "90.8%". */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`;
}

/**
 * Fewer points for drawing a long line: per bucket of consecutive windows, the lowest
 * and the highest value (in time order), so peaks and dips stay visible. Buckets with
 * no value become a gap. Returns the input when it already fits. Drawing only: hover
 * and exports use every window.
 */
export function decimateLine(t: Values, ys: Values, buckets: number): { t: Values; ys: Values } {
  const n = ys.length;
  if (buckets < 1 || n <= buckets * 2) return { t, ys };
  const outT: Array<number | null> = [];
  const outY: Array<number | null> = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = ys[i];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (lo < 0 || v < (ys[lo] as number)) lo = i;
      if (hi < 0 || v > (ys[hi] as number)) hi = i;
    }
    if (lo < 0) {
      outT.push(t[to - 1] ?? null);
      outY.push(null);
      continue;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      outT.push(t[i] ?? null);
      outY.push(ys[i] ?? null);
    }
  }
  return { t: outT, ys: outY };
}

/**
 * Fewer points for drawing stacked rates: the mean of each layer over each bucket of
 * consecutive windows (for equal windows, the rate over the bucket), placed at the
 * bucket's last window. Returns the input when it already fits.
 */
export function decimateStack<L extends Layer>(t: Values, layers: readonly L[], buckets: number): { t: Values; layers: L[] } {
  const n = t.length;
  if (buckets < 1 || n <= buckets * 2) return { t, layers: [...layers] };
  const outT: Array<number | null> = [];
  const sums = layers.map(() => [] as Array<number | null>);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    outT.push(t[to - 1] ?? null);
    layers.forEach((l, k) => {
      let s = 0;
      let c = 0;
      for (let i = from; i < to; i++) {
        const v = l.values[i];
        if (v !== null && v !== undefined && Number.isFinite(v)) {
          s += v;
          c++;
        }
      }
      sums[k]!.push(c ? s / c : null);
    });
  }
  return { t: outT, layers: layers.map((l, k) => ({ ...l, values: sums[k]! })) };
}
