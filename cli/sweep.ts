/**
 * Sweeps: one scenario run at every point of a grid of parameter values, each point with
 * R replications from the same derived seeds. Random streams are per component and
 * purpose, so every point sees the same arrivals and service draws wherever the swept
 * parameter does not change them (common random numbers): the differences between rows
 * come from the parameters far more than from luck.
 *
 * The pure parts (parsing `--param path=values`, expanding the grid, setting a value in a
 * scenario object) are small exported functions; runSweep() runs the points in one pool
 * of worker threads; formatSweep() and sweepCsv() print the result.
 */
import { availableParallelism } from 'node:os';
import { buildReport, createSimulation, formatDuration, parseScenario, type Scenario, type ScenarioIssue } from '../engine/index.ts';
import { closest } from '../engine/core/params.ts';
import { table, type ReplicationSummary } from './format.ts';
import { headlineMetrics, replicate, RunPool } from './replicate.ts';

/** Bad sweep input: the CLI prints the message and exits 2. */
export class SweepError extends Error {}

/** At most this many points in a grid, and points × replications runs in a sweep. */
export const MAX_POINTS = 200;
export const MAX_RUNS = 2000;

export type SweepValue = number | string | boolean;

export interface SweepParam {
  path: string;
  values: SweepValue[];
}

/** One point of the grid: path -> value, in the order of the --param flags. */
export type PointValues = Record<string, SweepValue>;

const NUM = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?`;
const UNIT = String.raw`[A-Za-zµ%/]+`;
const NUM_RE = new RegExp(`^${NUM}$`);
const RANGE_RE = new RegExp(`^(${NUM})(${UNIT})?\\.\\.(${NUM})(${UNIT})?(?::(${NUM})(${UNIT})?)?$`);

/** Parses one `--param` argument, `<path>=<values>`. */
export function parseParam(arg: string): SweepParam {
  const eq = arg.indexOf('=');
  const example = 'e.g. nodes.api.workers=1,2,4 or nodes.users.arrival.rate=100..500:100';
  if (eq < 0) throw new SweepError(`--param "${arg}": expected <path>=<values>, ${example}`);
  const path = arg.slice(0, eq).trim();
  if (!path) throw new SweepError(`--param "${arg}": no path before "=", ${example}`);
  return { path, values: parseValues(arg.slice(eq + 1), path) };
}

/**
 * Parses a value list: items separated by commas, each a number (`4`, `0.5`, `1e3`),
 * `true`/`false`, a string kept as written for the scenario format to read (`5ms`,
 * `300r/m`, `leastConnections`), or a range `start..end:step` (numbers, optionally with
 * one unit on all of them: `2ms..10ms:2ms`). A range includes its end when a step lands
 * on it, and its values are rounded to the decimals of start and step (0.1..0.3:0.1 gives
 * 0.1, 0.2, 0.3, not 0.30000000000000004).
 */
export function parseValues(text: string, path = 'values'): SweepValue[] {
  const bad = (msg: string) => new SweepError(`--param ${path}: ${msg}`);
  if (!text.trim()) throw bad('no values after "="; write a list (1,2,4) or a range (1..10:1)');
  const out: SweepValue[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) throw bad(`an empty value in "${text}"`);
    if (item.includes('..')) out.push(...parseRange(item, bad));
    else if (NUM_RE.test(item)) out.push(Number(item));
    else if (item === 'true' || item === 'false') out.push(item === 'true');
    else out.push(item);
    if (out.length > MAX_POINTS) throw bad(`more than ${MAX_POINTS} values; a sweep has at most ${MAX_POINTS} points: use fewer values or a larger step`);
  }
  const seen = new Set<string>();
  for (const v of out) {
    const k = `${typeof v}:${String(v)}`;
    if (seen.has(k)) throw bad(`${String(v)} is listed twice`);
    seen.add(k);
  }
  return out;
}

function parseRange(item: string, bad: (msg: string) => SweepError): SweepValue[] {
  const m = RANGE_RE.exec(item);
  if (!m) throw bad(`"${item}" is not a range; write start..end:step with numbers, e.g. 100..500:100 or 2ms..10ms:2ms`);
  const [, a, ua = '', b, ub = '', st, us] = m as unknown as [string, string, string | undefined, string, string | undefined, string | undefined, string | undefined];
  if (st === undefined) throw bad(`the range "${item}" needs a step: ${a}${ua}..${b}${ub}:<step>`);
  if (ua !== ub || (us !== undefined && us !== ua)) throw bad(`the range "${item}" mixes units; give start, end and step the same unit (or the step none)`);
  const start = Number(a);
  const end = Number(b);
  const step = Number(st);
  if (!(step > 0)) throw bad(`the range "${item}" needs a step greater than 0`);
  if (end < start) throw bad(`the range "${item}" ends below its start; write the smaller value first`);
  const span = (end - start) / step;
  // a step that lands on the end up to floating-point error includes it
  const n = Math.floor(span * (1 + 1e-12) + 1e-9) + 1;
  if (!Number.isFinite(n) || n > MAX_POINTS) throw bad(`the range "${item}" has ${Number.isFinite(n) ? n : 'too many'} values; a sweep has at most ${MAX_POINTS} points: use a larger step`);
  const d = Math.min(20, Math.max(decimals(a), decimals(st)));
  return Array.from({ length: n }, (_, i) => {
    const x = Number((start + i * step).toFixed(d)) || 0; // no -0
    return ua ? `${x}${ua}` : x;
  });
}

/** Decimal places a number is written with: "0.25" 2, "5" 0, "1.5e-3" 4. */
function decimals(t: string): number {
  const m = /^[+-]?\d*(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

/** Number of points of the grid of these parameters. */
export function gridSize(params: SweepParam[]): number {
  return params.reduce((n, p) => n * p.values.length, 1);
}

/** Refuses grids of more than MAX_POINTS points or MAX_RUNS runs, saying how to shrink them. */
export function checkSize(params: SweepParam[], replications: number): void {
  const points = gridSize(params);
  if (points > MAX_POINTS) {
    throw new SweepError(
      `the sweep has ${points.toLocaleString('en-US')} points (${params.map((p) => p.values.length).join(' × ')} values); at most ${MAX_POINTS}: use fewer values, a larger range step or fewer --param flags`,
    );
  }
  if (points * replications > MAX_RUNS) {
    throw new SweepError(
      `the sweep needs ${(points * replications).toLocaleString('en-US')} runs (${points} points × ${replications} replications); at most ${MAX_RUNS}: use fewer --replications or fewer points`,
    );
  }
}

/** Every combination of the values, the first parameter varying slowest (like nested loops). */
export function expandGrid(params: SweepParam[]): PointValues[] {
  let points: PointValues[] = [{}];
  for (const p of params) points = points.flatMap((pt) => p.values.map((v) => Object.fromEntries([...Object.entries(pt), [p.path, v]]) as PointValues));
  return points;
}

/** "nodes.api.workers=2, warmup=5s" */
export function formatPoint(values: PointValues): string {
  return Object.entries(values)
    .map(([p, v]) => `${p}=${String(v)}`)
    .join(', ');
}

/** Where a path points in a raw scenario object. */
export interface Target {
  path: string;
  /** What holds the field: a node, an edge, or the scenario itself. */
  kind: 'node' | 'edge' | 'top';
  /** The node id or the edge's "from->to"; "" at the top. */
  owner: string;
  /** Index in `nodes` or `edges`; -1 at the top. */
  index: number;
  /** Field names (or list indexes) below the owner. */
  field: string[];
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);
const TOP_SWEEPABLE = ['warmup', 'duration', 'window', 'limits'];
const list = (xs: string[]) => (xs.length > 20 ? `${xs.slice(0, 20).join(', ')}, … (${xs.length - 20} more)` : xs.join(', '));

/**
 * Resolves a path in a raw scenario (parsed JSON, not yet validated): `nodes.<id>.<field>…`
 * (node ids may contain dots: the longest id that fits wins), `edges.<from>-><to>.<field>…`,
 * or a top-level field (`warmup`, `duration`, `window`, `limits.<field>`). The node or edge
 * must exist; the field need not (the validator decides whether the node type has it), but
 * a path cannot go through a value that is not an object.
 */
export function resolvePath(raw: unknown, path: string): Target {
  const bad = (msg: string) => new SweepError(`--param ${path}: ${msg}`);
  const scenario = isObj(raw) ? raw : {};
  let t: Target;
  let holder: unknown;
  if (path.startsWith('nodes.')) {
    const rest = path.slice('nodes.'.length);
    const nodes = Array.isArray(scenario.nodes) ? scenario.nodes : [];
    const ids = nodes.map((n) => (isObj(n) && typeof n.id === 'string' ? n.id : ''));
    let index = -1;
    ids.forEach((id, i) => {
      if (id && rest.startsWith(`${id}.`) && (index < 0 || id.length > ids[index]!.length)) index = i;
    });
    if (index < 0) {
      if (ids.includes(rest)) throw bad(`name a field of the node, e.g. ${path}.workers`);
      const guess = rest.split('.')[0]!;
      const hint = closest(guess, ids.filter(Boolean));
      throw bad(`no node with id "${guess}"${hint ? ` (did you mean "${hint}"?)` : ''}; the nodes are ${list(ids.filter(Boolean))}`);
    }
    t = { path, kind: 'node', owner: ids[index]!, index, field: fieldOf(rest.slice(ids[index]!.length + 1), bad) };
    if (t.field[0] === 'id') throw bad(`a node's id cannot be swept (edges and faults refer to it)`);
    holder = nodes[index];
  } else if (path.startsWith('edges.')) {
    const rest = path.slice('edges.'.length);
    const edges = Array.isArray(scenario.edges) ? scenario.edges : [];
    const keys = edges.map((e) => (isObj(e) && typeof e.from === 'string' && typeof e.to === 'string' ? `${e.from}->${e.to}` : ''));
    let index = -1;
    keys.forEach((k, i) => {
      if (k && rest.startsWith(`${k}.`) && (index < 0 || k.length > keys[index]!.length)) index = i;
    });
    if (index < 0) {
      const arrow = rest.indexOf('->');
      if (arrow < 0) throw bad(`name an edge by its ends, edges.<from>-><to>.<field>, e.g. edges.${keys.find(Boolean) ?? 'a->b'}.latency`);
      if (keys.includes(rest)) throw bad(`name a field of the edge, e.g. ${path}.latency`);
      const dot = rest.indexOf('.', arrow);
      const guess = dot < 0 ? rest : rest.slice(0, dot);
      const hint = closest(guess, keys.filter(Boolean));
      throw bad(`no edge "${guess}"${hint ? ` (did you mean "${hint}"?)` : ''}; the edges are ${list(keys.filter(Boolean)) || '(none)'}`);
    }
    t = { path, kind: 'edge', owner: keys[index]!, index, field: fieldOf(rest.slice(keys[index]!.length + 1), bad) };
    if (t.field[0] === 'from' || t.field[0] === 'to') throw bad(`an edge's ends cannot be swept`);
    holder = edges[index];
  } else {
    const field = fieldOf(path, bad);
    const first = field[0]!;
    if (!TOP_SWEEPABLE.includes(first)) {
      if (first === 'seed') throw bad('replications already vary the seed; set the base seed with --seed');
      const known = ['version', 'name', 'description', 'nodes', 'edges', 'faults', 'layout', '$schema'];
      if (known.includes(first)) {
        throw bad(`"${first}" cannot be swept; paths look like nodes.<id>.<field>, edges.<from>-><to>.<field>, ${TOP_SWEEPABLE.join(', ')}`);
      }
      const hint = closest(first, [...TOP_SWEEPABLE, 'nodes', 'edges']);
      throw bad(
        `"${first}" is not a node, an edge or a top-level field${hint ? ` (did you mean "${hint}"?)` : ''}; paths look like nodes.<id>.<field>, edges.<from>-><to>.<field>, ${TOP_SWEEPABLE.join(', ')}`,
      );
    }
    t = { path, kind: 'top', owner: '', index: -1, field };
    holder = scenario;
  }
  // the path may create fields, but not go through a value that is not an object
  const prefix = t.kind === 'node' ? `nodes.${t.owner}` : t.kind === 'edge' ? `edges.${t.owner}` : '';
  let at: unknown = holder;
  t.field.forEach((seg, i) => {
    const here = [prefix, ...t.field.slice(0, i)].filter(Boolean).join('.');
    if (at === undefined) return;
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(seg) || Number(seg) >= at.length) throw bad(`${here} is a list of ${at.length}; address an item by its index, 0 to ${at.length - 1}`);
      at = at[Number(seg)];
    } else if (isObj(at)) {
      at = Object.hasOwn(at, seg) ? at[seg] : undefined;
    } else {
      throw bad(`${here} is ${JSON.stringify(at)}, not an object; sweep ${here} itself`);
    }
  });
  return t;
}

function fieldOf(text: string, bad: (msg: string) => SweepError): string[] {
  const field = text.split('.');
  if (field.some((s) => s === '')) throw bad('a field name is empty (two dots, or a dot at an end)');
  const odd = field.find((s) => s === '__proto__' || s === 'constructor' || s === 'prototype');
  if (odd) throw bad(`"${odd}" is not a field`);
  return field;
}

/** Refuses paths that repeat or contain each other (nodes.api.service and nodes.api.service.mean). */
export function checkParams(raw: unknown, params: SweepParam[]): Target[] {
  const targets = params.map((p) => resolvePath(raw, p.path));
  const key = (t: Target) => [t.kind, t.owner, ...t.field];
  targets.forEach((a, i) => {
    for (const b of targets.slice(0, i)) {
      const ka = key(a);
      const kb = key(b);
      const n = Math.min(ka.length, kb.length);
      if (ka.slice(0, n).every((x, j) => x === kb[j])) {
        throw new SweepError(ka.length === kb.length ? `--param ${a.path} is given twice` : `--param ${b.path} and --param ${a.path} set the same field; keep one`);
      }
    }
  });
  return targets;
}

/** A copy of a raw scenario with the point's values set; the original is left as it was. */
export function applyPoint(raw: unknown, values: PointValues): Obj {
  const out = structuredClone(raw) as Obj;
  for (const [path, v] of Object.entries(values)) {
    const t = resolvePath(out, path);
    let at: Obj | unknown[] = t.kind === 'node' ? ((out.nodes as Obj[])[t.index] as Obj) : t.kind === 'edge' ? ((out.edges as Obj[])[t.index] as Obj) : out;
    for (const seg of t.field.slice(0, -1)) {
      const next: unknown = Array.isArray(at) ? at[Number(seg)] : Object.hasOwn(at, seg) ? at[seg] : undefined;
      if (next === undefined) {
        const made: Obj = {};
        if (Array.isArray(at)) at[Number(seg)] = made;
        else at[seg] = made;
        at = made;
      } else at = next as Obj | unknown[];
    }
    const last = t.field[t.field.length - 1]!;
    if (Array.isArray(at)) at[Number(last)] = v;
    else at[last] = v;
  }
  return out;
}

/** A copy of a raw scenario with one value set. */
export function applyValue(raw: unknown, path: string, value: SweepValue): Obj {
  return applyPoint(raw, { [path]: value });
}

export interface SweepPoint {
  values: PointValues;
  scenario: Scenario;
  warnings: ScenarioIssue[];
}

/**
 * Builds and validates the scenario at every point of the grid. `problems` lists every
 * validation error, each with its point ("nodes.api.workers=0: nodes[1].workers: must be
 * at least 1"); bad paths, bad grids and too many runs throw a SweepError.
 */
export function prepareSweep(
  raw: unknown,
  params: SweepParam[],
  opts: { replications: number; duration?: number },
): { points: SweepPoint[]; problems: string[]; targets: Target[] } {
  if (params.length === 0) throw new SweepError('sweep needs at least one --param <path>=<values>, e.g. --param nodes.api.workers=1,2,4');
  const targets = checkParams(raw, params);
  if (opts.duration !== undefined && params.some((p) => p.path === 'duration')) {
    throw new SweepError('--duration sets the duration of every point; leave it out to sweep duration');
  }
  checkSize(params, opts.replications);
  const points: SweepPoint[] = [];
  const problems: string[] = [];
  for (const values of expandGrid(params)) {
    const label = formatPoint(values);
    const r = parseScenario(applyPoint(raw, values));
    if (!r.ok) {
      for (const i of r.issues) problems.push(`${label}: ${i.path}: ${i.message}`);
      continue;
    }
    if (opts.duration !== undefined && opts.duration <= r.scenario.warmup) {
      problems.push(`${label}: --duration ${formatDuration(opts.duration)} must be longer than the warm-up (${formatDuration(r.scenario.warmup)})`);
      continue;
    }
    points.push({ values, scenario: r.scenario, warnings: r.warnings });
  }
  return { points, problems, targets };
}

/** End-to-end numbers shown by default; swept nodes add their utilisation and ratios. */
export const DEFAULT_METRICS = ['endToEnd.throughputPerSec', 'endToEnd.successRatio', 'endToEnd.latencyMs.p50', 'endToEnd.latencyMs.p99'];

/** The metric names a scenario's runs have (headlineMetrics of a report), without running it. */
export function availableMetrics(scenario: Scenario): string[] {
  return Object.keys(headlineMetrics(buildReport(createSimulation(scenario), { series: false })));
}

/**
 * The metrics to show: the requested ones (unknown names are an error listing the
 * available ones), or the defaults plus, for each node whose parameter is swept, its
 * utilisation and hit ratio, stale ratio or rejected share where it has them.
 */
export function chooseMetrics(requested: string[], available: string[], sweptNodes: string[]): string[] {
  if (requested.length) {
    const unique = [...new Set(requested)];
    for (const name of unique) {
      if (!available.includes(name)) {
        const hint = closest(name, available);
        throw new SweepError(`--metric: unknown metric "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; the metrics of this scenario are:\n  ${available.join('\n  ')}`);
      }
    }
    return unique;
  }
  const out = [...DEFAULT_METRICS];
  for (const id of sweptNodes) {
    for (const k of ['utilization', 'hitRatio', 'staleRatio', 'rejectedShare']) {
      const name = `nodes.${id}.${k}`;
      if (available.includes(name) && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

export interface MetricCI {
  mean: number;
  halfWidth: number;
  ci95: [number, number];
  n: number;
}

export interface SweepResult {
  scenario: string;
  baseSeed: number | string;
  replications: number;
  params: SweepParam[];
  metrics: string[];
  points: Array<{
    values: PointValues;
    metrics: Record<string, MetricCI>;
    runs: Array<{ seed: number; fingerprint: string; stopped: string | null }>;
    warnings: ScenarioIssue[];
  }>;
}

/**
 * Runs R replications at every point, all from the same seeds, in one pool of `parallel`
 * worker threads (default: cores; 1 runs in this thread). `onDone` gets the number of
 * runs finished so far.
 */
export async function runSweep(
  points: SweepPoint[],
  opts: {
    scenario: string;
    params: SweepParam[];
    metrics: string[];
    baseSeed: number | string;
    replications: number;
    duration?: number;
    parallel?: number;
    onDone?: (done: number) => void;
  },
): Promise<SweepResult> {
  const r = opts.replications;
  const workers = Math.max(1, Math.min(opts.parallel ?? availableParallelism(), points.length * r));
  let done = 0;
  const onDone = () => opts.onDone?.(++done);
  let summaries: ReplicationSummary[];
  if (workers === 1) {
    summaries = [];
    for (const p of points) summaries.push((await replicate(p.scenario, opts.baseSeed, r, { duration: opts.duration, parallel: 1, onDone })).summary);
  } else {
    const pool = new RunPool(workers);
    try {
      // every run of every point is queued at once, so the workers never wait for a point to finish
      summaries = await Promise.all(points.map(async (p) => (await replicate(p.scenario, opts.baseSeed, r, { duration: opts.duration, pool, onDone })).summary));
    } finally {
      await pool.close();
    }
  }
  const none: MetricCI = { mean: NaN, halfWidth: NaN, ci95: [NaN, NaN], n: 0 };
  return {
    scenario: opts.scenario,
    baseSeed: opts.baseSeed,
    replications: r,
    params: opts.params,
    metrics: opts.metrics,
    points: points.map((p, i) => ({
      values: p.values,
      metrics: Object.fromEntries(opts.metrics.map((m) => [m, summaries[i]!.metrics[m] ?? none])),
      runs: summaries[i]!.runs,
      warnings: p.warnings,
    })),
  };
}

/** "10.03 ± 0.41": the mean to the precision of its interval (two significant digits of the half-width). */
export function formatCI(mean: number, halfWidth: number): string {
  if (!Number.isFinite(mean)) return '-';
  if (!Number.isFinite(halfWidth)) return `${mean.toFixed(mean !== 0 && Math.abs(mean) < 1 ? 4 : 2)} ± -`;
  if (halfWidth === 0) return `${mean.toFixed(mean !== 0 && Math.abs(mean) < 1 ? 4 : 2)} ± 0`;
  const d = Math.min(8, Math.max(0, 1 - Math.floor(Math.log10(halfWidth))));
  return `${mean.toFixed(d)} ± ${halfWidth.toFixed(d)}`;
}

const stoppedRuns = (p: SweepResult['points'][number]) => p.runs.filter((x) => x.stopped);

/** The table: a row per point, the parameter values, then each metric's mean ± 95% half-width. */
export function formatSweep(s: SweepResult): string {
  const anyStopped = s.points.some((p) => stoppedRuns(p).length);
  const header = [...s.params.map((p) => p.path), ...s.metrics, ...(anyStopped ? [''] : [])];
  const rows = [header];
  for (const p of s.points) {
    const n = stoppedRuns(p).length;
    rows.push([
      ...s.params.map((q) => String(p.values[q.path])),
      ...s.metrics.map((m) => formatCI(p.metrics[m]!.mean, p.metrics[m]!.halfWidth)),
      ...(anyStopped ? [n ? `! ${n}/${p.runs.length} stopped` : ''] : []),
    ]);
  }
  const out = [
    `${s.scenario}: ${s.points.length} point${s.points.length === 1 ? '' : 's'} × ${s.replications} replication${s.replications === 1 ? '' : 's'} from seed ${s.baseSeed}, the same seeds at every point`,
    'mean ± half-width of the 95% confidence interval',
    '',
    table(rows, header.map((_, i) => (i < s.params.length ? (s.params[i]!.values.every((v) => typeof v === 'number') ? 'r' : 'l') : 'r')))
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n'),
  ];
  if (anyStopped) {
    const lines = s.points.flatMap((p) => stoppedRuns(p).map((x) => `  ${formatPoint(p.values)}, seed ${x.seed}: ${x.stopped}`));
    out.push('', '! runs stopped by a guard before the end (their numbers cover the time until the stop):', ...lines.slice(0, 10));
    if (lines.length > 10) out.push(`  … ${lines.length - 10} more (see --json)`);
  }
  return out.join('\n');
}

const csvCell = (x: string) => (/[",\n\r]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x);
const csvNum = (x: number) => (Number.isFinite(x) ? String(x) : '');

/** CSV: the parameter columns, then `<metric>` (mean) and `<metric>.ci95` (half-width) per metric, then `stopped` (runs). */
export function sweepCsv(s: SweepResult): string {
  const header = [...s.params.map((p) => p.path), ...s.metrics.flatMap((m) => [m, `${m}.ci95`]), 'stopped'];
  const rows = s.points.map((p) => [
    ...s.params.map((q) => String(p.values[q.path])),
    ...s.metrics.flatMap((m) => [csvNum(p.metrics[m]!.mean), csvNum(p.metrics[m]!.halfWidth)]),
    String(stoppedRuns(p).length),
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
}
