/**
 * Pure helpers behind the generated inspector forms: turning typed text into scenario
 * values, describing a parameter's unit, range and default, mapping the validator's
 * issue paths ("nodes[2].service.mean") to fields, and templates for distributions.
 */
import { parseDuration, parseSize, type Param, type ScenarioIssue } from '../sim/client.ts';
import { getIn, type Doc, type Path } from '../store/doc.ts';

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The scenario value for text typed into a field of parameter `p`: '' is "not set"
 * (undefined, so the default applies), numbers become numbers, and anything else stays
 * text for the engine's validator to accept ("5ms", "none") or explain.
 */
export function textToValue(p: Param, text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  switch (p.kind) {
    case 'string':
      return text;
    case 'id':
      return /^\d+$/.test(t) ? Number(t) : t;
    case 'bool':
      return t === 'true' ? true : t === 'false' ? false : t;
    default:
      return NUMBER_RE.test(t) ? Number(t) : t;
  }
}

/** The text a field shows for a scenario value ('' when unset). */
export function valueToText(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A short human form of a default or value: numbers, unit strings, distributions. */
export function describeValue(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'none';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.dist === 'string') {
      const rest = Object.entries(o).filter(([k]) => k !== 'dist' && k !== 'weight');
      return `${o.dist}${rest.length ? ' ' : ''}${rest.map(([k, x]) => `${k} ${describeValue(x)}`).join(', ')}`;
    }
    return Object.entries(o)
      .map(([k, x]) => `${k} ${describeValue(x)}`)
      .join(', ');
  }
  return String(v);
}

/** Groups thousands: 1000000 -> "1,000,000". */
export function formatNumber(x: number): string {
  return Number.isInteger(x) && Math.abs(x) >= 10000 ? x.toLocaleString('en-US') : String(x);
}

/** The unit a field's text is read in. */
export function unitOf(p: Param): string | null {
  switch (p.kind) {
    case 'int':
    case 'number':
      return p.unit ?? null;
    case 'duration':
      return 'ms';
    case 'rate':
      return 'req/s';
    case 'size':
      return 'bytes';
    case 'probability':
      return '0–1';
    default:
      return null;
  }
}

/** The allowed range, e.g. "1 – 1,000,000", or null. */
export function rangeOf(p: Param): string | null {
  switch (p.kind) {
    case 'int':
    case 'number': {
      if (p.min === undefined && p.max === undefined) return null;
      const lo = p.min === undefined ? '' : `${p.kind === 'number' && p.exclusiveMin ? '>' : '≥'} ${formatNumber(p.min)}`;
      const hi = p.max === undefined ? '' : `≤ ${formatNumber(p.max)}`;
      return [lo, hi].filter(Boolean).join(', ');
    }
    case 'probability':
      return 'between 0 and 1';
    case 'duration': {
      const parts = [p.min ? `≥ ${p.min}` : '', p.max ? `≤ ${p.max}` : '', p.orNone ? 'or "none"' : ''].filter(Boolean);
      return parts.length ? parts.join(', ') : null;
    }
    case 'rate':
      return p.positive ? '> 0' : null;
    case 'list': {
      if (p.minItems === undefined && p.maxItems === undefined) return null;
      return `${p.minItems ?? 0}–${p.maxItems === undefined ? '∞' : formatNumber(p.maxItems)} items`;
    }
    default:
      return null;
  }
}

/** What an empty field means: "default 4", "default none", "optional". */
export function placeholderOf(p: Param): string {
  if (p.default !== undefined) return `default ${describeValue(p.default)}`;
  return p.optional ? 'not set' : 'required';
}

/** A hint on what to type, for unit-bearing kinds. */
export function syntaxHint(p: Param): string | null {
  switch (p.kind) {
    case 'duration':
      return `a number of ms, or "250us", "5ms", "2s", "1m"${p.orNone ? ', or "none"' : ''}`;
    case 'rate':
      return 'a number per second, or "5r/s", "300r/m"';
    case 'size':
      return 'a number of bytes, or "512B", "4KB", "1MiB"';
    default:
      return null;
  }
}

/** Formats a path under a prefix: ('nodes[2]', ['service', 'mean']) -> "nodes[2].service.mean". */
export function joinPath(prefix: string, path: Path): string {
  let s = prefix;
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${k}` : k;
  return s;
}

/** Issues at `path` exactly. */
export function issuesAt(issues: readonly ScenarioIssue[], path: string): ScenarioIssue[] {
  return issues.filter((i) => i.path === path);
}

/** Issues at `path` or anywhere inside it. */
export function issuesUnder(issues: readonly ScenarioIssue[], path: string): ScenarioIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}

/** Where an issue points in the editor. */
export type IssueTarget =
  | { kind: 'node'; id: string; field: string }
  | { kind: 'edge'; id: string; field: string }
  | { kind: 'fault'; index: number }
  | { kind: 'scenario'; field: string };

/** Maps an issue path to the node, edge, fault or scenario field it is about. */
export function targetOfIssue(doc: Doc, path: string): IssueTarget {
  const m = /^(nodes|edges|faults)\[(\d+)\]\.?(.*)$/.exec(path);
  if (m) {
    const i = Number(m[2]);
    const rest = m[3] ?? '';
    if (m[1] === 'nodes' && doc.nodes[i]) return { kind: 'node', id: doc.nodes[i]!.id, field: rest };
    if (m[1] === 'edges' && doc.edges[i]) return { kind: 'edge', id: `${doc.edges[i]!.from}->${doc.edges[i]!.to}`, field: rest };
    if (m[1] === 'faults') return { kind: 'fault', index: i };
  }
  const lay = /^layout\.(.+)$/.exec(path);
  if (lay && doc.nodes.some((n) => n.id === lay[1])) return { kind: 'node', id: lay[1]!, field: '' };
  return { kind: 'scenario', field: path.replace(/\..*$/, '') };
}

/** The issue-path prefix of a node ("nodes[3]"), or null if it is not in the document. */
export function nodePrefix(doc: Doc, id: string): string | null {
  const i = doc.nodes.findIndex((n) => n.id === id);
  return i < 0 ? null : `nodes[${i}]`;
}

/** The issue-path prefix of an edge ("edges[1]"), or null. */
export function edgePrefix(doc: Doc, id: string): string | null {
  const i = doc.edges.findIndex((e) => `${e.from}->${e.to}` === id);
  return i < 0 ? null : `edges[${i}]`;
}

/** The raw value at `path` inside a node of the document. */
export function nodeValue(doc: Doc, id: string, path: Path): unknown {
  const n = doc.nodes.find((x) => x.id === id);
  return n ? getIn(n, path) : undefined;
}

// ---- distributions ----

export const DIST_KINDS = ['constant', 'exponential', 'uniform', 'normal', 'lognormal', 'erlang', 'pareto', 'mixture', 'empirical'] as const;
export type DistKind = (typeof DIST_KINDS)[number];

/** A field of a distribution form: 'value' fields take the distribution's unit. */
export interface DistField {
  key: string;
  kind: 'value' | 'number' | 'int';
  optional?: boolean;
  help: string;
}

/** The form fields of a distribution kind; null for kinds edited as JSON (mixture, empirical). */
export function distFields(kind: string, raw: Record<string, unknown> = {}): DistField[] | null {
  switch (kind) {
    case 'constant':
      return [{ key: 'value', kind: 'value', help: 'Always this value.' }];
    case 'exponential':
      return [{ key: 'mean', kind: 'value', help: 'Mean; memoryless, the classic M in M/M/1.' }];
    case 'uniform':
      return [
        { key: 'min', kind: 'value', help: 'Smallest value.' },
        { key: 'max', kind: 'value', help: 'Largest value.' },
      ];
    case 'normal':
      return [
        { key: 'mean', kind: 'value', help: 'Mean.' },
        { key: 'stddev', kind: 'value', help: 'Standard deviation (negative draws are cut at 0).' },
      ];
    case 'lognormal':
      return raw.mu !== undefined || raw.sigma !== undefined
        ? [
            { key: 'mu', kind: 'number', help: 'Mean of ln(value), value in µs (or bytes).' },
            { key: 'sigma', kind: 'number', help: 'Standard deviation of ln(value).' },
          ]
        : [
            { key: 'mean', kind: 'value', help: 'Mean.' },
            { key: 'p99', kind: 'value', help: '99th percentile: above the mean, at most ~14.9× it.' },
          ];
    case 'erlang':
      return [
        { key: 'k', kind: 'int', help: 'Number of exponential phases (1 is exponential; more is less variable).' },
        { key: 'mean', kind: 'value', help: 'Mean.' },
      ];
    case 'pareto':
      return [
        { key: 'alpha', kind: 'number', help: 'Tail index: smaller is heavier (must be > 1 to give a mean).' },
        { key: 'mean', kind: 'value', optional: true, help: 'Mean (give this or min).' },
        { key: 'min', kind: 'value', optional: true, help: 'Scale: the smallest value (give this or mean).' },
        { key: 'max', kind: 'value', optional: true, help: 'Cap: draws above it are cut.' },
      ];
    default:
      return null;
  }
}

/** The distribution a raw value stands for: bare values are constants. */
export function asDist(raw: unknown): Record<string, unknown> | null {
  if (typeof raw === 'number' || typeof raw === 'string') return { dist: 'constant', value: raw };
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && typeof (raw as Record<string, unknown>).dist === 'string') {
    return raw as Record<string, unknown>;
  }
  return null;
}

/**
 * A new distribution of `kind` of about the same size as `prev` (its mean or value),
 * so switching kind in the form gives something valid to start from.
 */
export function distTemplate(kind: DistKind, prev: unknown, unit: 'duration' | 'size'): Record<string, unknown> {
  const base = typical(prev, unit);
  const m = unit === 'duration' ? roundTo(base / 1000) : Math.round(base); // scenario units: ms or bytes
  const times = (f: number) => (unit === 'duration' ? roundTo((base * f) / 1000) : Math.round(base * f));
  switch (kind) {
    case 'constant':
      return { dist: 'constant', value: m };
    case 'exponential':
      return { dist: 'exponential', mean: m };
    case 'uniform':
      return { dist: 'uniform', min: times(0.5), max: times(1.5) };
    case 'normal':
      return { dist: 'normal', mean: m, stddev: times(0.25) };
    case 'lognormal':
      return { dist: 'lognormal', mean: m, p99: times(4) };
    case 'erlang':
      return { dist: 'erlang', k: 2, mean: m };
    case 'pareto':
      return { dist: 'pareto', alpha: 2.5, mean: m };
    case 'mixture':
      return {
        dist: 'mixture',
        of: [
          { weight: 0.9, dist: 'exponential', mean: m },
          { weight: 0.1, dist: 'exponential', mean: times(10) },
        ],
      };
    case 'empirical':
      return { dist: 'empirical', values: [times(0.5), m, times(3)], weights: [0.3, 0.6, 0.1] };
  }
}

/** The typical size of a raw distribution, in µs or bytes (10 ms / 1 KB if unknown). */
function typical(prev: unknown, unit: 'duration' | 'size'): number {
  const parse = unit === 'duration' ? parseDuration : parseSize;
  const d = asDist(prev);
  const candidates = d ? [d.mean, d.value, d.max, d.min] : [];
  for (const c of candidates) {
    const v = c === undefined ? null : parse(c);
    if (v !== null && v > 0) return v;
  }
  return unit === 'duration' ? 10_000 : 1000;
}

function roundTo(x: number): number {
  return Math.round(x * 1000) / 1000;
}
