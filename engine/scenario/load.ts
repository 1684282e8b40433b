/**
 * Parsing and validating scenarios. Every problem is reported with its path
 * (`nodes[2].service.mean`) and a reason a user can act on, all of them at once, never
 * just the first. Warnings flag things that run but are probably not what was meant.
 */
import { z } from 'zod';
import type { ComponentDef, TopologyView } from '../core/component.ts';
import type { FaultSpec } from '../core/node.ts';
import { createSampler, type DistSpec } from '../core/dist.ts';
import { closest, describe, paramsSchema, type Param, type Params } from '../core/params.ts';
import { formatDuration } from '../core/units.ts';
import { edgeSchema, FAULT_ACTIONS, faultSchema, NODE_ID_HELP, NODE_ID_PATTERN, topFallbacks, topFields, type FaultAction } from './schema.ts';
import type { EdgeSpec, NodeSpec, Scenario, ScenarioIssue } from './types.ts';

export interface Registry {
  get(type: string): ComponentDef | undefined;
  types(): string[];
}

export type ParseResult =
  | { ok: true; scenario: Scenario; warnings: ScenarioIssue[] }
  | { ok: false; issues: ScenarioIssue[]; warnings: ScenarioIssue[] };

/** Formats a zod path: ['nodes', 2, 'service', 'mean'] -> "nodes[2].service.mean". */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let s = prefix;
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s;
}

function issuesOf(err: z.ZodError, prefix: string): ScenarioIssue[] {
  return err.issues.map((i) => ({ path: formatPath(i.path, prefix) || '(top level)', message: friendly(i) }));
}

function friendly(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  if (i.code === 'invalid_type' && i.input === undefined) return `is required (${i.message.replace(/^Invalid input: /, '')})`;
  return i.message;
}

const schemaCache = new WeakMap<ComponentDef, z.ZodType<unknown>>();
function nodeSchema(def: ComponentDef): z.ZodType<unknown> {
  let s = schemaCache.get(def);
  if (!s) {
    s = paramsSchema(def.params, {
      id: z.string(),
      type: z.string(),
      label: z.string({ error: 'expected a string' }).max(100, { error: 'at most 100 characters' }).optional(),
    });
    schemaCache.set(def, s);
  }
  return s;
}

/** Parses scenario text (JSON). Syntax errors are reported with line and column. */
export function parseScenarioText(text: string, registry: Registry): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: '(file)', message: jsonError(text, e as Error) }], warnings: [] };
  }
  return parseScenario(raw, registry);
}

function jsonError(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    return `not valid JSON at line ${line}, column ${col}: ${e.message.replace(/ in JSON at position \d+.*$/, '')}`;
  }
  return `not valid JSON: ${e.message}`;
}

/** Validates a scenario object and returns it parsed, or every problem found. */
export function parseScenario(raw: unknown, registry: Registry): ParseResult {
  const issues: ScenarioIssue[] = [];
  const warnings: ScenarioIssue[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: '(top level)', message: `expected a scenario object {version, name, nodes, ...}, got ${describe(raw)}` }], warnings };
  }
  const rawTop = raw as Record<string, unknown>;
  const known = Object.keys(topFields);
  for (const k of Object.keys(rawTop)) {
    if (!Object.hasOwn(topFields, k)) {
      const hint = closest(k, known);
      issues.push({ path: k, message: `unknown field "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; known fields: ${known.join(', ')}` });
    }
  }
  const top: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(topFields)) {
    const r = (schema as z.ZodType<unknown>).safeParse(rawTop[k]);
    if (r.success) top[k] = r.data;
    else {
      issues.push(...issuesOf(r.error, k));
      top[k] = topFallbacks[k];
    }
  }
  const t = top as {
    name: string;
    description?: string;
    seed: number | string;
    duration: number;
    warmup: number;
    window: number;
    limits: Scenario['limits'];
    nodes: unknown[];
    edges: unknown[];
    faults: unknown[];
    layout?: Record<string, { x: number; y: number }>;
  };

  // nodes
  const nodes: NodeSpec[] = [];
  const defs: ComponentDef[] = [];
  const firstIndex = new Map<string, number>();
  t.nodes.forEach((rawNode, i) => {
    const path = `nodes[${i}]`;
    if (rawNode === null || typeof rawNode !== 'object' || Array.isArray(rawNode)) {
      issues.push({ path, message: `expected a node {id, type, ...}, got ${describe(rawNode)}` });
      return;
    }
    const r = rawNode as Record<string, unknown>;
    let bad = false;
    if (typeof r.id !== 'string' || !new RegExp(NODE_ID_PATTERN).test(r.id)) {
      issues.push({ path: `${path}.id`, message: typeof r.id === 'string' ? `${describe(r.id)} ${NODE_ID_HELP}` : `is required: a unique node id, got ${describe(r.id)}` });
      bad = true;
    } else if (firstIndex.has(r.id)) {
      issues.push({ path: `${path}.id`, message: `duplicate id "${r.id}" (also nodes[${firstIndex.get(r.id)}])` });
      bad = true;
    } else firstIndex.set(r.id, i);
    const def = typeof r.type === 'string' ? registry.get(r.type) : undefined;
    if (!def) {
      const hint = typeof r.type === 'string' ? closest(r.type, registry.types()) : undefined;
      issues.push({
        path: `${path}.type`,
        message:
          r.type === undefined
            ? `is required: one of ${registry.types().join(', ')}`
            : `unknown component type ${describe(r.type)}${hint ? ` (did you mean "${hint}"?)` : ''}; known types: ${registry.types().join(', ')}`,
      });
      return;
    }
    const parsed = nodeSchema(def).safeParse(rawNode);
    if (!parsed.success) {
      issues.push(...issuesOf(parsed.error, path));
      return;
    }
    if (bad) return;
    const { id, type, label, ...params } = parsed.data as Record<string, unknown>;
    nodes.push({ id: id as string, type: type as string, ...(label !== undefined ? { label: label as string } : {}), params });
    defs.push(def);
  });
  const byId = new Map(nodes.map((n, i) => [n.id, { node: n, def: defs[i]! }]));
  const allIds = [...firstIndex.keys()];
  const nodesOk = nodes.length === t.nodes.length;

  // edges
  const edges: EdgeSpec[] = [];
  const edgeIndex = new Map<string, number>();
  t.edges.forEach((rawEdge, i) => {
    const path = `edges[${i}]`;
    const r = edgeSchema.safeParse(rawEdge);
    if (!r.success) {
      issues.push(...issuesOf(r.error, path));
      return;
    }
    const e = r.data as EdgeSpec;
    let ok = true;
    for (const end of ['from', 'to'] as const) {
      if (!firstIndex.has(e[end])) {
        const hint = closest(e[end], allIds);
        issues.push({ path: `${path}.${end}`, message: `no node with id "${e[end]}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
        ok = false;
      }
    }
    if (!ok) return;
    if (e.from === e.to) {
      issues.push({ path, message: `an edge cannot connect "${e.from}" to itself` });
      return;
    }
    const key = `${e.from}->${e.to}`;
    if (edgeIndex.has(key)) {
      issues.push({ path, message: `duplicate edge ${key} (also edges[${edgeIndex.get(key)}])` });
      return;
    }
    edgeIndex.set(key, i);
    edges.push(e);
  });

  // topology rules per component
  if (nodesOk) {
    const outOf = new Map<string, TopologyView['out']>();
    const inOf = new Map<string, TopologyView['in']>();
    for (const n of nodes) {
      outOf.set(n.id, []);
      inOf.set(n.id, []);
    }
    edges.forEach((e) => {
      const i = edgeIndex.get(`${e.from}->${e.to}`)!;
      const from = byId.get(e.from)!;
      const to = byId.get(e.to)!;
      outOf.get(e.from)!.push({ to: e.to, type: to.def.type, index: i, edge: e });
      inOf.get(e.to)!.push({ from: e.from, type: from.def.type, index: i, edge: e });
      if (from.def.outgoing === null) {
        issues.push({ path: `edges[${i}]`, message: `a ${from.def.title.toLowerCase()} ("${e.from}") does not send requests to other nodes; remove this edge` });
      }
      if (!to.def.incoming) {
        issues.push({ path: `edges[${i}]`, message: `nothing can send requests to a ${to.def.title.toLowerCase()} ("${e.to}"); reverse or remove this edge` });
      }
    });
    nodes.forEach((n, i) => {
      const def = defs[i]!;
      const path = `nodes[${firstIndex.get(n.id)}]`;
      const out = outOf.get(n.id)!;
      if (def.outgoing && out.length < def.outgoing.min) {
        issues.push({
          path,
          message: `"${n.id}" (${def.title.toLowerCase()}) needs at least ${def.outgoing.min} outgoing edge${def.outgoing.min > 1 ? 's' : ''}: an edge from it ${def.outgoing.meaning}`,
        });
      }
      if (def.validate) {
        const peer = (id: string) => byId.get(id)?.node;
        for (const iss of def.validate({ node: n, out, in: inOf.get(n.id)!, path, peer })) {
          (iss.message.startsWith('warning: ') ? warnings : issues).push({ path: iss.path, message: iss.message.replace(/^warning: /, '') });
        }
      }
    });
    const cycle = findCycle(nodes, outOf);
    if (cycle) {
      warnings.push({
        path: 'edges',
        message: `the edges form a cycle (${cycle.join(' → ')}); requests that go round it are stopped by the hop limit (${t.limits.hopLimit})`,
      });
    }
    warnings.push(...zeroTimeLoops(nodes, defs, outOf, firstIndex));
  }

  // faults
  const faults: FaultSpec[] = [];
  const faultOrder: number[] = [];
  t.faults.forEach((rawFault, i) => {
    const path = `faults[${i}]`;
    const r = faultSchema.safeParse(rawFault);
    if (!r.success) {
      issues.push(...issuesOf(r.error, path));
      return;
    }
    const f = r.data as FaultSpec;
    const action = FAULT_ACTIONS[f.action as FaultAction];
    if (action.target === 'node') {
      const target = byId.get(f.node!);
      if (!target) {
        if (!firstIndex.has(f.node!)) {
          const hint = closest(f.node!, allIds);
          issues.push({ path: `${path}.node`, message: `no node with id "${f.node}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
        }
        return;
      }
      const supported = ['crash', 'recover', ...target.def.faults];
      if (!supported.includes(f.action)) {
        issues.push({
          path: `${path}.action`,
          message: `a ${target.def.title.toLowerCase()} does not support "${f.action}"; it supports ${supported.join(', ')}`,
        });
        return;
      }
      const why = target.def.validateFault?.(
        target.node,
        f,
        edges.filter((e) => e.from === f.node).map((e) => e.to),
      );
      if (why) {
        issues.push({ path: `${path}.action`, message: why });
        return;
      }
      if (f.action === 'set') {
        const mutable = target.def.mutable ?? [];
        const params = f.params as Record<string, unknown>;
        for (const k of Object.keys(params)) {
          if (!mutable.includes(k)) {
            issues.push({
              path: `${path}.params.${k}`,
              message: mutable.length
                ? `"${k}" cannot change during a run; a ${target.def.title.toLowerCase()} allows ${mutable.join(', ')}`
                : `a ${target.def.title.toLowerCase()} has no parameters that can change during a run`,
            });
          }
        }
        const rawNode = (rawTop.nodes as unknown[])[firstIndex.get(f.node!)!] as Record<string, unknown>;
        const merged = nodeSchema(target.def).safeParse({ ...rawNode, ...params });
        if (!merged.success) {
          issues.push(...issuesOf(merged.error, `${path}.params`).filter((x) => !x.path.endsWith('.id') && !x.path.endsWith('.type')));
          return;
        }
        const { id: _id, type: _type, label: _label, ...parsedParams } = merged.data as Record<string, unknown>;
        f.parsed = parsedParams;
      }
    } else {
      if (!edgeIndex.has(f.edge!)) {
        const hint = closest(f.edge!, [...edgeIndex.keys()]);
        issues.push({
          path: `${path}.edge`,
          message: `no edge "${f.edge}"${hint ? ` (did you mean "${hint}"?)` : ''}; edges are named "from->to"`,
        });
        return;
      }
    }
    if (f.at >= t.duration) {
      warnings.push({ path: `${path}.at`, message: `at ${formatDuration(f.at)} is not before the end of the run (${formatDuration(t.duration)}); it never happens` });
    }
    faults.push(f);
    faultOrder.push(i);
  });

  issues.push(...overlappingFaults(faults, faultOrder));

  if (t.warmup >= t.duration) {
    issues.push({ path: 'warmup', message: `must be shorter than the duration (${formatDuration(t.duration)})` });
  }
  if (t.layout) {
    for (const id of Object.keys(t.layout)) {
      if (!firstIndex.has(id)) warnings.push({ path: `layout.${id}`, message: `no node with id "${id}"; this position is ignored` });
    }
  }

  if (issues.length) return { ok: false, issues, warnings };
  const scenario: Scenario = {
    version: 1,
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    seed: t.seed,
    duration: t.duration as number,
    warmup: t.warmup as number,
    window: t.window as number,
    limits: t.limits,
    nodes,
    edges,
    faults,
    ...(t.layout ? { layout: t.layout } : {}),
  };
  return { ok: true, scenario, warnings };
}

/** Which state a fault action changes: faults of one family on one target interact. */
function faultFamily(action: string): string {
  switch (action) {
    case 'crash':
    case 'recover':
      return 'up';
    case 'rate':
    case 'ramp':
      return 'traffic';
    default:
      return action;
  }
}

/**
 * A fault with `for` restores, when it ends, what was in effect when it began. Faults of
 * one family on one target may therefore follow each other or nest strictly (the inner
 * one ending first), but not interleave: the end of one would undo part of the other.
 * Those are refused, naming both. `order[i]` is fault i's index in the file.
 */
function overlappingFaults(faults: FaultSpec[], order: number[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const groups = new Map<string, number[]>();
  faults.forEach((f, i) => {
    const key = `${f.node ?? f.edge}|${faultFamily(f.action)}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const list of groups.values()) {
    for (const ia of list) {
      const a = faults[ia]!;
      if (a.for === undefined) continue;
      const aEnd = a.at + a.for;
      for (const ib of list) {
        const b = faults[ib]!;
        // b applied after a (faults at one instant apply in file order) and before a ends
        if (ib === ia || b.at < a.at || (b.at === a.at && ib < ia) || b.at >= aEnd) continue;
        const bEnd = b.for === undefined ? Infinity : b.at + b.for;
        if (bEnd < aEnd) continue; // strictly inside: b's end restores a's state first
        const target = a.node ?? `edge ${a.edge}`;
        issues.push({
          path: `faults[${order[ib]}]`,
          message:
            `overlaps faults[${order[ia]}] on ${target} (${formatDuration(a.at)} to ${formatDuration(aEnd)}) without ending inside it: ` +
            `when faults[${order[ia]}] ends it restores what was in effect before it began, which would undo this one. ` +
            `Make them follow each other, or nest this one inside${b.for === undefined ? ' (give it a "for")' : ''}.`,
        });
      }
    }
  }
  return issues;
}

/**
 * Closed-loop clients whose users would spin at one instant: the think time is always 0
 * and nothing their requests can reach takes time (every duration distribution of every
 * reachable node, and every edge latency on the way, is always 0). Such a run validates
 * but never advances simulated time; the stall guard (limits.maxEventsAtOneInstant) stops
 * it. A warning, not an error: a fault (`set`, `slowdown`) may give the path time later.
 */
function zeroTimeLoops(
  nodes: NodeSpec[],
  defs: ComponentDef[],
  outOf: Map<string, TopologyView['out']>,
  firstIndex: Map<string, number>,
): ScenarioIssue[] {
  const warnings: ScenarioIssue[] = [];
  const byId = new Map(nodes.map((n, i) => [n.id, { node: n, def: defs[i]! }]));
  nodes.forEach((n) => {
    const arrival = (n.params as { arrival?: { process?: string; think?: DistSpec } }).arrival;
    if (n.type !== 'client' || arrival?.process !== 'closed' || !alwaysZero(arrival.think)) return;
    const seen = new Set([n.id]);
    const todo = [n.id];
    let takesTime = false;
    while (todo.length && !takesTime) {
      for (const o of outOf.get(todo.pop()!) ?? []) {
        if (!alwaysZero(o.edge.latency) || !alwaysZero(o.edge.responseLatency)) takesTime = true;
        else if (!seen.has(o.to)) {
          seen.add(o.to);
          const peer = byId.get(o.to)!;
          if (hasTime(peer.def.params, peer.node.params as Record<string, unknown>)) takesTime = true;
          else todo.push(o.to);
        }
      }
    }
    if (!takesTime) {
      warnings.push({
        path: `nodes[${firstIndex.get(n.id)}].arrival.think`,
        message:
          `"${n.id}" is a closed loop with zero think time, and nothing its requests reach takes time (service times, processing and edge latencies are all 0): ` +
          'its users would send request after request at one instant, and the run is stopped (limits.maxEventsAtOneInstant). Give the think time or a service time a value above 0',
      });
    }
  });
  return warnings;
}

/** Whether a duration distribution always gives 0 (absent counts as 0). Draws are never negative, so a mean of 0 means always 0. */
function alwaysZero(d: DistSpec | undefined): boolean {
  if (d === undefined) return true;
  if (d.dist === 'constant') return d.value === 0;
  try {
    return createSampler(d).mean === 0;
  } catch {
    return false;
  }
}

/** Whether any duration distribution among a node's parameters (in the variants chosen) can be above 0. */
function hasTime(params: Params, values: Record<string, unknown>): boolean {
  return Object.entries(params).some(([k, p]) => valueHasTime(p, values[k]));
}

function valueHasTime(p: Param, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (p.kind) {
    case 'dist':
      return p.unit === 'duration' && !alwaysZero(v as DistSpec);
    case 'object':
      return hasTime(p.fields, v as Record<string, unknown>);
    case 'variant': {
      const chosen = p.variants[(v as Record<string, string>)[p.tag]!];
      return chosen !== undefined && hasTime(chosen.fields, v as Record<string, unknown>);
    }
    case 'list':
      return Array.isArray(v) && v.some((x) => valueHasTime(p.item, x));
    default:
      return false;
  }
}

function findCycle(nodes: NodeSpec[], outOf: Map<string, Array<{ to: string }>>): string[] | null {
  // iterative depth-first search (a long chain of nodes must not overflow the stack)
  const state = new Map<string, number>(); // 1 on the current path, 2 done
  for (const n of nodes) {
    if (state.has(n.id)) continue;
    const path: string[] = [];
    const cursor: number[] = [];
    state.set(n.id, 1);
    path.push(n.id);
    cursor.push(0);
    while (path.length) {
      const id = path[path.length - 1]!;
      const out = outOf.get(id) ?? [];
      const k = cursor[cursor.length - 1]!;
      if (k >= out.length) {
        state.set(id, 2);
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = k + 1;
      const to = out[k]!.to;
      const s = state.get(to);
      if (s === 1) return [...path.slice(path.indexOf(to)), to];
      if (s === undefined) {
        state.set(to, 1);
        path.push(to);
        cursor.push(0);
      }
    }
  }
  return null;
}
