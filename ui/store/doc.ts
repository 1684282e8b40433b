/**
 * The editor document and the edits on it.
 *
 * The document *is* the scenario JSON a user would write (raw values such as "5ms",
 * defaults left out), plus node positions in its top-level `layout` field, which the
 * engine ignores. Saving, exporting and sharing serialize it as it is; every change is
 * an `Edit` applied by the pure function `applyEdit`, so undo, redo and autosave are
 * just sequences of documents.
 */

/** A canvas position (flow coordinates, px). */
export interface XY {
  x: number;
  y: number;
}

/** A node as written in a scenario: id, type, optional label, then its raw parameters. */
export interface RawNode {
  id: string;
  type: string;
  label?: string;
  [param: string]: unknown;
}

/** An edge as written in a scenario. */
export interface RawEdge {
  from: string;
  to: string;
  [field: string]: unknown;
}

/** A fault as written in a scenario. */
export interface RawFault {
  at?: unknown;
  for?: unknown;
  action: string;
  node?: string;
  edge?: string;
  [field: string]: unknown;
}

export interface Doc {
  version: 1;
  name: string;
  description?: string;
  seed?: unknown;
  duration?: unknown;
  warmup?: unknown;
  window?: unknown;
  limits?: Record<string, unknown>;
  nodes: RawNode[];
  edges: RawEdge[];
  faults: RawFault[];
  layout: Record<string, XY>;
}

/** A path into a JSON value: object keys and array indexes. */
export type Path = ReadonlyArray<string | number>;

export type Edit =
  | { kind: 'addNode'; type: string; position: XY; id?: string; params?: Record<string, unknown> }
  | { kind: 'removeNodes'; ids: string[] }
  | { kind: 'moveNodes'; positions: Record<string, XY> }
  | { kind: 'connect'; from: string; to: string }
  | { kind: 'removeEdges'; ids: string[] }
  /** Sets (or, with `value: undefined`, removes) a value inside a node: `['service', 'mean']`. */
  | { kind: 'setParam'; node: string; path: Path; value: unknown }
  /** Sets (or removes) a value inside an edge: `['latency']`, `['latency', 'mean']`. */
  | { kind: 'setEdgeParam'; edge: string; path: Path; value: unknown }
  | { kind: 'renameNode'; id: string; to: string }
  | { kind: 'duplicate'; ids: string[]; offset: XY }
  /** Sets a top-level scenario field: `['seed']`, `['limits', 'maxEvents']`. */
  | { kind: 'setTop'; path: Path; value: unknown }
  | { kind: 'addFault'; fault: RawFault }
  | { kind: 'setFault'; index: number; fault: RawFault }
  | { kind: 'removeFault'; index: number }
  | { kind: 'replace'; doc: Doc };

/** The id of an edge, as faults and reports name it. */
export const edgeId = (e: { from: string; to: string }): string => `${e.from}->${e.to}`;

/** A new, empty document. */
export function emptyDoc(name = 'untitled'): Doc {
  return { version: 1, name, seed: 1, duration: '60s', nodes: [], edges: [], faults: [], layout: {} };
}

/** The smallest unused id of the form `<base><n>` (n from 1). */
export function freshId(doc: Doc, base: string, taken: Set<string> = new Set()): string {
  const used = new Set(doc.nodes.map((n) => n.id));
  const stem = /^[A-Za-z]/.test(base) ? base.replace(/\d+$/, '') || 'node' : 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}${i}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

/**
 * Applies one edit and returns the new document; the input is never mutated. An edit
 * that does not apply (unknown node, duplicate edge) returns the document unchanged.
 */
export function applyEdit(doc: Doc, edit: Edit): Doc {
  switch (edit.kind) {
    case 'addNode': {
      const id = edit.id ?? freshId(doc, edit.type);
      if (doc.nodes.some((n) => n.id === id)) return doc;
      const node: RawNode = { id, type: edit.type, ...(edit.params ? structuredClone(edit.params) : {}) };
      return { ...doc, nodes: [...doc.nodes, node], layout: { ...doc.layout, [id]: round(edit.position) } };
    }
    case 'removeNodes': {
      const gone = new Set(edit.ids);
      if (!doc.nodes.some((n) => gone.has(n.id))) return doc;
      const edges = doc.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to));
      const liveEdges = new Set(edges.map(edgeId));
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => !gone.has(n.id)),
        edges,
        faults: doc.faults.filter((f) => (f.node === undefined || !gone.has(f.node)) && (f.edge === undefined || liveEdges.has(f.edge) || !touches(f.edge, gone))),
        layout: omit(doc.layout, gone),
      };
    }
    case 'moveNodes': {
      const layout = { ...doc.layout };
      let changed = false;
      for (const [id, p] of Object.entries(edit.positions)) {
        if (!doc.nodes.some((n) => n.id === id)) continue;
        layout[id] = round(p);
        changed = true;
      }
      return changed ? { ...doc, layout } : doc;
    }
    case 'connect': {
      if (edit.from === edit.to) return doc;
      if (!hasNode(doc, edit.from) || !hasNode(doc, edit.to)) return doc;
      if (doc.edges.some((e) => e.from === edit.from && e.to === edit.to)) return doc;
      return { ...doc, edges: [...doc.edges, { from: edit.from, to: edit.to }] };
    }
    case 'removeEdges': {
      const gone = new Set(edit.ids);
      if (!doc.edges.some((e) => gone.has(edgeId(e)))) return doc;
      return {
        ...doc,
        edges: doc.edges.filter((e) => !gone.has(edgeId(e))),
        faults: doc.faults.filter((f) => f.edge === undefined || !gone.has(f.edge)),
      };
    }
    case 'setParam': {
      const i = doc.nodes.findIndex((n) => n.id === edit.node);
      if (i < 0 || edit.path.length === 0) return doc;
      const key = edit.path[0];
      if (key === 'id' || key === 'type') return doc; // renames go through renameNode
      const nodes = doc.nodes.slice();
      nodes[i] = setIn(doc.nodes[i]!, edit.path, edit.value) as RawNode;
      return { ...doc, nodes };
    }
    case 'setEdgeParam': {
      const i = doc.edges.findIndex((e) => edgeId(e) === edit.edge);
      const key = edit.path[0];
      if (i < 0 || key === undefined || key === 'from' || key === 'to') return doc;
      const edges = doc.edges.slice();
      edges[i] = setIn(doc.edges[i]!, edit.path, edit.value) as RawEdge;
      return { ...doc, edges };
    }
    case 'renameNode': {
      const { id, to } = edit;
      if (id === to || !hasNode(doc, id) || hasNode(doc, to)) return doc;
      const ren = (x: string) => (x === id ? to : x);
      const renEdge = (s: string) => {
        const [a, b] = splitEdgeId(s);
        return a === undefined ? s : `${ren(a)}->${ren(b!)}`;
      };
      const layout: Record<string, XY> = {};
      for (const [k, v] of Object.entries(doc.layout)) layout[ren(k)] = v;
      return {
        ...doc,
        nodes: doc.nodes.map((n) => (n.id === id ? { ...n, id: to } : n)),
        edges: doc.edges.map((e) => (e.from === id || e.to === id ? { ...e, from: ren(e.from), to: ren(e.to) } : e)),
        faults: doc.faults.map((f) => ({
          ...f,
          ...(f.node !== undefined ? { node: ren(f.node) } : {}),
          ...(f.edge !== undefined ? { edge: renEdge(f.edge) } : {}),
        })),
        layout,
      };
    }
    case 'duplicate': {
      const chosen = doc.nodes.filter((n) => edit.ids.includes(n.id));
      if (!chosen.length) return doc;
      const map = new Map<string, string>();
      const taken = new Set<string>();
      for (const n of chosen) {
        const id = freshId(doc, n.id, taken);
        taken.add(id);
        map.set(n.id, id);
      }
      const copies = chosen.map((n) => ({ ...structuredClone(n), id: map.get(n.id)! }));
      const edgeCopies = doc.edges
        .filter((e) => map.has(e.from) && map.has(e.to))
        .map((e) => ({ ...structuredClone(e), from: map.get(e.from)!, to: map.get(e.to)! }));
      const layout = { ...doc.layout };
      for (const n of chosen) {
        const p = doc.layout[n.id] ?? { x: 0, y: 0 };
        layout[map.get(n.id)!] = round({ x: p.x + edit.offset.x, y: p.y + edit.offset.y });
      }
      return { ...doc, nodes: [...doc.nodes, ...copies], edges: [...doc.edges, ...edgeCopies], layout };
    }
    case 'setTop': {
      const key = edit.path[0];
      if (key === undefined || key === 'nodes' || key === 'edges' || key === 'faults' || key === 'layout' || key === 'version') return doc;
      return setIn(doc, edit.path, edit.value) as Doc;
    }
    case 'addFault':
      return { ...doc, faults: [...doc.faults, structuredClone(edit.fault)] };
    case 'setFault': {
      if (edit.index < 0 || edit.index >= doc.faults.length) return doc;
      const faults = doc.faults.slice();
      faults[edit.index] = structuredClone(edit.fault);
      return { ...doc, faults };
    }
    case 'removeFault': {
      if (edit.index < 0 || edit.index >= doc.faults.length) return doc;
      return { ...doc, faults: doc.faults.filter((_, i) => i !== edit.index) };
    }
    case 'replace':
      return structuredClone(edit.doc);
  }
}

/**
 * Sets `value` at `path` inside `obj`, copying each object or array on the way;
 * `undefined` removes the key (and object keys left empty by it stay as `{}`).
 */
export function setIn(obj: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(obj) ? obj.slice() : [];
    if (rest.length === 0 && value === undefined) {
      arr.splice(head, 1);
      return arr;
    }
    arr[head] = setIn(arr[head], rest, value);
    return arr;
  }
  const src = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...src };
  if (rest.length === 0 && value === undefined) {
    delete out[head!];
    return out;
  }
  // defineProperty: a key such as "__proto__" must become data, never a prototype
  Object.defineProperty(out, head!, { value: setIn(src[head!], rest, value), enumerable: true, writable: true, configurable: true });
  return out;
}

/** The value at `path` inside `obj`, or undefined. */
export function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** Splits "from->to" into its ends (undefined if it is not an edge id). */
export function splitEdgeId(id: string): [string | undefined, string | undefined] {
  const i = id.indexOf('->');
  return i < 0 ? [undefined, undefined] : [id.slice(0, i), id.slice(i + 2)];
}

function touches(edge: string, nodes: Set<string>): boolean {
  const [a, b] = splitEdgeId(edge);
  return (a !== undefined && nodes.has(a)) || (b !== undefined && nodes.has(b));
}

function hasNode(doc: Doc, id: string): boolean {
  return doc.nodes.some((n) => n.id === id);
}

function omit<T>(rec: Record<string, T>, keys: Set<string>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(rec)) if (!keys.has(k)) out[k] = v;
  return out;
}

function round(p: XY): XY {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
