/**
 * The simulation kernel: simulated time, the event loop, calls travelling along edges,
 * faults, and the metrics clock. It knows nothing about load balancers or caches; those
 * are `Node`s built by the component registry.
 *
 * Determinism: the loop never reads a wall clock or an unseeded random source. Events run in
 * (time, priority, sequence) order (see heap.ts); every random draw comes from a named
 * stream derived from the scenario seed. A host (CLI, Web Worker, test) advances the
 * run in slices with `run(until, maxEvents)`; slicing never changes the result.
 *
 * Zero-latency hops are function calls, not events: `send` over an edge whose latency
 * is 0 calls the target's `onArrival` directly, and `respond` likewise. Components must
 * therefore update their own state *before* calling `send` or `respond`.
 */
import { CallPool, Call } from './call.ts';
import { samplerOrNull, type DistSpec } from './dist.ts';
import { Edge, KINDS_ANY, KINDS_READ, KINDS_WRITE } from './edge.ts';
import { Fingerprint } from './fingerprint.ts';
import { EventQueue } from './heap.ts';
import type { Actor, FaultSpec, Node } from './node.ts';
import { createStream, type Rng } from './rng.ts';
import { E2EStats, NodeStats } from './stats.ts';
import { BUILTIN_REASONS, OK, PENDING, R } from './status.ts';
import { formatDuration } from './units.ts';
import type { Scenario, NodeSpec } from '../scenario/types.ts';

/** Kernel event kinds on nodes. Components use 2..63. */
export const K_ARRIVE = 0;
export const K_RESPONSE = 1;

// System actor (index 0) event kinds. Handlers below FP_MIN are bookkeeping and are not
// folded into the fingerprint.
const K_TICK = 2;
const K_WARMUP = 3;
const K_FAULT = 4;
const K_REVERT = 5;
const FP_MIN = 4;

/** Priorities: at one instant, metric windows close first, then faults, then the model. */
export const PRI_METRICS = 0;
export const PRI_CONTROL = 1;
export const PRI_NORMAL = 8;

export type StopCode = 'max-events' | 'max-pending' | 'stalled' | 'hop-limit' | 'error';

export interface StopInfo {
  code: StopCode;
  message: string;
  /** Simulated time of the stop (µs). */
  at: number;
}

export interface TimelineEntry {
  /** µs */
  t: number;
  kind: 'fault' | 'revert' | 'health' | 'stop' | 'info';
  node?: string;
  edge?: string;
  text: string;
}

/** One finished request, for `--trace`. */
export interface TraceRecord {
  id: number;
  client: string;
  ip: number;
  user: number;
  key: number;
  kind: 'read' | 'write';
  sentAt: number;
  status: number;
  reason: string;
  origin: string | null;
  latency: number;
  attempts: number;
  path: string[];
}

export interface SimOptions {
  /** Overrides the scenario's seed. */
  seed?: number | string;
  /** Overrides the scenario's duration (µs). */
  duration?: number;
  /** Receives every finished request; enables path recording. */
  trace?: (r: TraceRecord) => void;
}

export interface ComponentFactory {
  create(sim: Simulation, spec: NodeSpec, index: number): Node;
}

const MAX_TIMELINE = 5000;

/** Interned string ids start here (2^48); numeric ids in traces must be below it. */
export const INTERN_BASE = 281474976710656;

export class Simulation {
  /** Current simulated time (µs). */
  now = 0;
  /** Events processed. */
  events = 0;
  readonly queue = new EventQueue(4096);
  readonly fingerprint = new Fingerprint();
  readonly calls = new CallPool();
  /** actors[0] is the system actor; nodes follow in scenario order. */
  readonly actors: Actor[] = [];
  readonly nodes: Node[] = [];
  readonly byId = new Map<string, Node>();
  readonly edges: Edge[] = [];
  /**
   * Whether each actor (by index) is up: the kernel reads this rather than `node.up`, and
   * calls nodes through the tables below (closures made by each node's class, see
   * `Node.kernelEntries`) rather than their methods. A node's class varies, so
   * `node.up` or `node.onArrival(...)` at one site of the event loop sees many object
   * shapes (a megamorphic lookup on every event, never inlined); an array read does not.
   * Node keeps `up` in step (crash/recover).
   */
  readonly upOf: Uint8Array;
  private readonly eventFns: Array<(kind: number, obj: unknown, tag: number) => void> = [];
  private readonly arrivalFns: Array<(call: Call) => void> = [];
  private readonly responseFns: Array<(call: Call) => void> = [];
  private readonly statsOf: NodeStats[] = [];
  /** End-to-end time series over all clients (window numbers merged from `e2eSources`). */
  readonly e2e = new E2EStats(false);
  /** Every client's own end-to-end statistics; clients register here. */
  readonly e2eSources: E2EStats[] = [];
  readonly reasons: string[] = [...BUILTIN_REASONS];
  readonly timeline: TimelineEntry[] = [];
  readonly seed: number | string;
  /** End of the run (µs). */
  readonly duration: number;
  /** End of warm-up (µs): summaries count what starts at or after it. */
  readonly warmup: number;
  /** Metric window length (µs). */
  readonly window: number;
  readonly maxEvents: number;
  readonly maxPending: number;
  /** Events in a row at one simulated instant that stop the run (time is not advancing). */
  readonly maxEventsAtOneInstant: number;
  readonly hopLimit: number;
  stopped: StopInfo | null = null;
  /** Windows closed so far; series have this many points. */
  windows = 0;
  /** End time of each closed window (µs). */
  readonly windowEnds: number[] = [];
  readonly tracer: ((r: TraceRecord) => void) | null;
  private nextRid = 1;
  private readonly interned = new Map<string, number>();
  private readonly internedNames: string[] = [];
  private readonly faults: FaultSpec[];
  private readonly saved: unknown[] = [];
  private readonly streamNames = new Set<string>();
  private finished = false;
  /** The instant of the last processed event, and how many in a row happened at it. */
  private stallAt = -1;
  private stallCount = 0;

  constructor(
    readonly scenario: Scenario,
    components: (type: string) => ComponentFactory,
    opts: SimOptions = {},
  ) {
    this.seed = opts.seed ?? scenario.seed;
    this.duration = opts.duration ?? scenario.duration;
    this.warmup = Math.min(scenario.warmup, this.duration);
    this.window = chooseWindow(scenario.window, this.duration);
    this.maxEvents = scenario.limits.maxEvents;
    this.maxPending = scenario.limits.maxPending;
    this.maxEventsAtOneInstant = scenario.limits.maxEventsAtOneInstant;
    this.hopLimit = scenario.limits.hopLimit;
    this.tracer = opts.trace ?? null;
    this.faults = scenario.faults;

    this.upOf = new Uint8Array(scenario.nodes.length + 1).fill(1);
    this.actors.push({ index: 0, onEvent: (kind, _obj, tag) => this.onSystemEvent(kind, tag) });
    for (const spec of scenario.nodes) {
      const node = components(spec.type).create(this, spec, this.actors.length);
      this.actors.push(node);
      this.nodes.push(node);
      this.byId.set(spec.id, node);
    }
    for (const e of scenario.edges) {
      const from = this.byId.get(e.from)!;
      const to = this.byId.get(e.to)!;
      const name = `edge:${e.from}->${e.to}`;
      const edge = new Edge(
        this.edges.length,
        from,
        to,
        samplerOrNull(e.latency),
        samplerOrNull(e.responseLatency ?? e.latency),
        this.stream(name),
        this.stream(`${name}/probe`),
        e.weight,
        e.probability,
        e.kinds === 'read' ? KINDS_READ : e.kinds === 'write' ? KINDS_WRITE : KINDS_ANY,
      );
      this.edges.push(edge);
      from.out.push(edge);
      to.in.push(edge);
    }
    this.eventFns.push(this.actors[0]!.onEvent);
    const noCalls = () => {
      throw new Error('internal: a call was addressed to the system actor');
    };
    this.arrivalFns.push(noCalls);
    this.responseFns.push(noCalls);
    this.statsOf.push(new NodeStats());
    for (const n of this.nodes) {
      const k = (n.constructor as typeof Node).kernelEntries;
      this.eventFns.push(k ? k.event(n) : n.onEvent.bind(n));
      this.arrivalFns.push(k ? k.arrive(n) : n.onArrival.bind(n));
      this.responseFns.push(k ? k.respond(n) : n.onResponse.bind(n));
      this.statsOf.push(n.stats);
    }
    for (const n of this.nodes) {
      n.init();
      n.stats.lat.setWarmup(this.warmup);
    }
    this.e2e.lat.setWarmup(this.warmup);
    for (const s of this.e2eSources) s.lat.setWarmup(this.warmup);

    if (this.window < this.duration) this.scheduleAt(this.window, 0, K_TICK, null, 0, PRI_METRICS);
    if (this.warmup > 0) this.scheduleAt(this.warmup, 0, K_WARMUP, null, 0, PRI_METRICS);
    else for (const n of this.nodes) n.stats.markSummary(0);
    this.faults.forEach((f, i) => {
      if (f.at < this.duration) this.scheduleAt(f.at, 0, K_FAULT, null, i, PRI_CONTROL);
    });
  }

  /**
   * The random stream `name` (by convention "<node id>/<purpose>"). Each name may be
   * taken once: two users of one stream would draw correlated numbers.
   */
  stream(name: string): Rng {
    if (this.streamNames.has(name)) throw new Error(`internal: random stream "${name}" requested twice`);
    this.streamNames.add(name);
    return createStream(this.seed, name);
  }

  /** The id of a failure reason, registering it if new. */
  reason(name: string): number {
    let i = this.reasons.indexOf(name);
    if (i < 0) i = this.reasons.push(name) - 1;
    return i;
  }

  /**
   * Schedules an event at absolute time `time` (integer µs) for the actor with index
   * `actor` (a node passes its own `this.index`: an index, not the node, so the hot path
   * reads no property of a node whose class varies).
   */
  scheduleAt(time: number, actor: number, kind: number, obj: { id: number } | null, tag: number, priority = PRI_NORMAL): void {
    this.queue.push(time, priority, actor * 64 + kind, obj, tag);
  }

  /** Whether time `t` is inside the measured period. */
  counted(t: number): boolean {
    return t >= this.warmup;
  }

  /** A new root call (a fresh request). The caller fills in its identity. */
  root(): Call {
    const c = this.calls.take();
    c.rid = this.nextRid++;
    c.parent = null;
    c.parentId = 0;
    c.hops = 0;
    c.attempt = 0;
    c.version = 0;
    c.path = null;
    return c;
  }

  /** A retry of `prev`'s request: same identity, new call. */
  retry(prev: Call): Call {
    const c = this.calls.take();
    copyIdentity(c, prev);
    c.parent = null;
    c.parentId = 0;
    c.hops = 0;
    c.attempt = prev.attempt + 1;
    return c;
  }

  /** A call made on behalf of `parent` (forwarding or a downstream call). */
  child(parent: Call): Call {
    const c = this.calls.take();
    copyIdentity(c, parent);
    c.parent = parent;
    c.parentId = parent.id;
    c.hops = parent.hops + 1;
    return c;
  }

  /** The parent of a child call if it is still waiting for an answer, else null. */
  parentOf(c: Call): Call | null {
    const p = c.parent;
    return p !== null && p.id === c.parentId && p.status === PENDING ? p : null;
  }

  /** Returns a call to the pool. Only the caller does this, once it has the answer. */
  release(c: Call): void {
    this.calls.give(c);
  }

  /**
   * Sends `call` from `from` along `edge`. After this the sender must not touch the call
   * until its `onResponse` (it may already have been answered).
   */
  send(from: Node, edge: Edge, call: Call): void {
    if (from !== edge.from) this.notItsEdge(from, edge);
    call.caller = from;
    call.target = edge.to;
    call.edge = edge;
    call.callerIndex = edge.fromIndex;
    call.targetIndex = edge.toIndex;
    edge.sent++;
    edge.wSent++;
    if (edge.partitioned) {
      edge.lost++;
      return;
    }
    const d = edge.req === null ? 0 : edge.requestDelay();
    if (d === 0) this.arrive(call);
    else this.queue.push(this.now + d, PRI_NORMAL, edge.toIndex * 64 + K_ARRIVE, call, call.id);
  }

  /**
   * Answers `call` (by its callee). `origin` is the node where a failure started when it
   * is passed on from downstream; it defaults to the callee.
   */
  respond(call: Call, status: number, reason: number, origin = -1): void {
    const target = call.targetIndex;
    if (call.status !== PENDING) this.answeredTwice(call);
    if (status !== OK && origin < 0) origin = target;
    call.status = status;
    call.reason = reason;
    call.origin = status === OK ? -1 : origin;
    this.statsOf[target]!.onAnswer(call, status, reason, origin, this.now, call.arrivedAt >= this.warmup);
    const edge = call.edge!;
    if (status !== OK) {
      edge.failed++;
      edge.wFailed++;
    }
    if (edge.partitioned) {
      edge.lost++;
      return;
    }
    const d = edge.resp === null ? 0 : edge.responseDelay();
    if (d === 0) this.responseFns[call.callerIndex]!(call);
    else this.queue.push(this.now + d, PRI_NORMAL, call.callerIndex * 64 + K_RESPONSE, call, call.id);
  }

  private arrive(call: Call): void {
    const i = call.targetIndex;
    if (call.hops > this.hopLimit) {
      this.stopHopLimit(call);
      return;
    }
    call.arrivedAt = this.now;
    if (call.path !== null) call.path.push(call.target!.id);
    this.statsOf[i]!.onArrival(this.now, this.now >= this.warmup);
    if (this.upOf[i] === 0) {
      this.respond(call, 503, R.DOWN);
      return;
    }
    this.arrivalFns[i]!(call);
  }

  // Rare paths live in functions of their own, out of the hot ones: V8 inlines a budget
  // of bytecode into each optimised function, and an error message spent there is
  // budget a hot call does not get.

  private stopHopLimit(call: Call): void {
    const node = call.target!;
    this.stop(
      'hop-limit',
      `request ${call.rid} passed ${this.hopLimit} hops (limits.hopLimit)` +
        (call.path ? `: ${call.path.slice(-8).join(' → ')} → ${node.id}` : ` on its way to ${node.id}`) +
        '. Is there a routing loop in the topology?',
    );
  }

  private answeredTwice(call: Call): never {
    throw new Error(`internal: ${call.target!.id} answered call ${call.id} twice`);
  }

  private notItsEdge(from: Node, edge: Edge): never {
    throw new Error(`internal: ${from.id} sent along ${edge.id}, which is not its edge`);
  }

  private stopMaxEvents(): void {
    this.stop('max-events', `stopped after ${this.events} events (limits.maxEvents = ${this.maxEvents}) at ${formatDuration(this.now)} of ${formatDuration(this.duration)}. Raise the limit, or shorten the run.`);
  }

  private stopMaxPending(): void {
    this.stop('max-pending', `more than ${this.maxPending} events pending (limits.maxPending) at ${formatDuration(this.now)}: the model is probably overloaded with unbounded queues or timers. Bound the queues, lower the load, or raise the limit.`);
  }

  /**
   * Processes events with time < `until` (and < the run's end), at most `maxEvents` of
   * them. When every event before `until` is done, the clock moves to `until`.
   */
  run(until: number = Infinity, maxEvents: number = Infinity): void {
    const q = this.queue;
    const handlers = this.eventFns;
    const responses = this.responseFns;
    const fp = this.fingerprint;
    const end = until < this.duration ? until : this.duration;
    const maxTotal = this.maxEvents;
    const maxPending = this.maxPending;
    const maxSame = this.maxEventsAtOneInstant;
    // the stall guard's state lives in locals in the loop (it persists across slices)
    let stallAt = this.stallAt;
    let stallCount = this.stallCount;
    let n = 0;
    while (this.stopped === null) {
      if (q.size === 0 || q.ht[0]! >= end) {
        if (end > this.now) this.now = end;
        break;
      }
      if (n >= maxEvents) break;
      const slot = q.popSlot();
      n++;
      const t = q.time;
      this.now = t;
      const obj = q.pobj[slot]!;
      const tag = q.ptag[slot]!;
      if (obj !== null) {
        q.pobj[slot] = null;
        if ((obj as { id: number }).id !== tag) continue; // stale: its call was recycled
      }
      const h = q.pa[slot]!;
      this.events++;
      if (h >= FP_MIN) fp.add(t, h);
      const kind = h & 63;
      if (kind === K_ARRIVE) this.arrive(obj as Call);
      else if (kind === K_RESPONSE) responses[(obj as Call).callerIndex]!(obj as Call);
      else handlers[h >> 6]!(kind, obj, tag);
      if (t !== stallAt) {
        stallAt = t;
        stallCount = 1;
      } else if (++stallCount >= maxSame) {
        this.stopStalled(stallCount, h >> 6);
      }
      if (this.events >= maxTotal) this.stopMaxEvents();
      else if (q.size > maxPending) this.stopMaxPending();
    }
    this.stallAt = stallAt;
    this.stallCount = stallCount;
  }

  /** The stall guard tripped: `count` events in a row at one instant, the last one on actor `actor`. */
  private stopStalled(count: number, actor: number): void {
    const where = actor > 0 ? ` (the last one at "${this.nodes[actor - 1]!.id}")` : '';
    this.stop(
      'stalled',
      `simulated time stopped advancing: ${count} events in a row at ${formatDuration(this.now)}${where} (limits.maxEventsAtOneInstant). ` +
        'Something loops without taking time: most likely a closed-loop client with zero think time whose requests are answered ' +
        'in zero time (zero service times and zero-latency edges), or retries with no delay. Give think, service or edge latency ' +
        'times above zero, or raise the limit if the model really does this much at one instant.',
    );
  }

  /** Whether the run has reached its end or was stopped. */
  get done(): boolean {
    return this.stopped !== null || this.now >= this.duration;
  }

  /** Runs to the end (or a stop) and closes the last window. */
  runToEnd(): void {
    this.run(Infinity, Infinity);
    this.finish();
  }

  /** Closes the last partial window. Call once the run is done. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const last = this.windowEnds.length ? this.windowEnds[this.windowEnds.length - 1]! : 0;
    if (this.now > last) this.closeWindow();
  }

  /** Stops the run with a message (a guard tripped, or a fatal model error). */
  stop(code: StopCode, message: string): void {
    if (this.stopped) return;
    this.stopped = { code, message, at: this.now };
    this.log('stop', message);
  }

  /** Adds an entry to the run's timeline (faults, health changes, stops). */
  log(kind: TimelineEntry['kind'], text: string, where: { node?: string; edge?: string } = {}): void {
    if (this.timeline.length < MAX_TIMELINE) this.timeline.push({ t: this.now, kind, text, ...where });
  }

  /**
   * The number standing for a string key or user id from a trace (interned; numbers
   * from 2^48 up, above every generated id and every numeric id a trace may give).
   */
  intern(s: string): number {
    let n = this.interned.get(s);
    if (n === undefined) {
      n = INTERN_BASE + this.internedNames.length;
      this.interned.set(s, n);
      this.internedNames.push(s);
    }
    return n;
  }

  /** A key or user id as reports show it: the number, or the interned string. */
  idName(n: number): string | number {
    return n >= INTERN_BASE ? (this.internedNames[n - INTERN_BASE] ?? n) : n;
  }

  /** Formats an IP number as a dotted quad. */
  static formatIp(ip: number): string {
    return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
  }

  private onSystemEvent(kind: number, tag: number): void {
    switch (kind) {
      case K_TICK:
        this.closeWindow();
        if (this.now + this.window < this.duration) {
          this.scheduleAt(this.now + this.window, 0, K_TICK, null, 0, PRI_METRICS);
        }
        break;
      case K_WARMUP:
        for (const n of this.nodes) n.stats.markSummary(this.now);
        break;
      case K_FAULT:
        this.applyFault(tag, false);
        break;
      case K_REVERT:
        this.applyFault(tag, true);
        break;
    }
  }

  /** End-to-end summary over every client. */
  e2eSummary(): E2EStats {
    return E2EStats.merge(this.e2eSources);
  }

  private closeWindow(): void {
    const now = this.now;
    const sources = this.e2eSources;
    if (sources.length === 1) {
      sources[0]!.closeWindow(now);
      this.e2e.closeWindowAs(sources[0]!);
    } else {
      this.e2e.collectWindow(sources);
      this.e2e.closeWindow(now);
      for (const s of sources) s.closeWindow(now);
    }
    for (const n of this.nodes) n.stats.closeWindow(now, n.windowExtras());
    for (const e of this.edges) e.closeWindow();
    this.windowEnds.push(now);
    this.windows++;
  }

  private applyFault(i: number, revert: boolean): void {
    const f = this.faults[i]!;
    const what = revert ? describeRevert(f) : describeFault(f);
    if (f.edge !== undefined) {
      const edge = this.edges.find((e) => e.id === f.edge)!;
      // a fault's end restores what was in effect when it began (so nested faults of one
      // kind undo correctly; interleaved ones are refused by the validator)
      if (f.action === 'partition') {
        if (!revert) {
          this.saved[i] = edge.partitioned;
          edge.partitioned = true;
        } else edge.partitioned = this.saved[i] as boolean;
      }
      else if (f.action === 'latency') {
        if (!revert) {
          this.saved[i] = [edge.req, edge.resp];
          const s = samplerOrNull(f.latency as DistSpec);
          edge.req = s;
          edge.resp = f.responseLatency ? samplerOrNull(f.responseLatency as DistSpec) : s;
        } else {
          const [a, b] = this.saved[i] as [typeof edge.req, typeof edge.resp];
          edge.req = a;
          edge.resp = b;
        }
      }
      this.log(revert ? 'revert' : 'fault', what, { edge: f.edge });
    } else {
      const node = this.byId.get(f.node!)!;
      if (f.action === 'crash' || f.action === 'recover') {
        if (!revert) {
          this.saved[i] = node.up;
          if (f.action === 'crash') node.crash();
          else node.recover();
        } else if (this.saved[i] as boolean) node.recover();
        else node.crash();
      }
      else node.applyFault(f, revert);
      this.log(revert ? 'revert' : 'fault', what, { node: f.node });
    }
    if (!revert && f.for !== undefined) {
      this.scheduleAt(this.now + f.for, 0, K_REVERT, null, i, PRI_CONTROL);
    }
  }
}

function copyIdentity(c: Call, p: Call): void {
  c.rid = p.rid;
  c.client = p.client;
  c.ip = p.ip;
  c.user = p.user;
  c.key = p.key;
  c.kind = p.kind;
  c.size = p.size;
  c.sentAt = p.sentAt;
  c.deadline = p.deadline;
  c.attempt = p.attempt;
  c.path = p.path;
  c.version = p.version;
}

/** A one-line description of a fault, for the timeline. */
export function describeFault(f: FaultSpec): string {
  const target = f.node ?? f.edge ?? '';
  switch (f.action) {
    case 'crash':
      return `${target} crashed`;
    case 'recover':
      return `${target} recovered`;
    case 'slowdown':
      return `${target} slowed down ×${f.factor}`;
    case 'errors':
      return `${target} error rate set to ${f.rate}`;
    case 'rate':
      return `${target} rate set to ${f.rate}/s`;
    case 'ramp':
      return `${target} ramps to ${f.to}/s over ${formatDuration(f.over as number)}`;
    case 'partition':
      return `edge ${target} partitioned`;
    case 'latency':
      return `edge ${target} latency changed`;
    case 'set':
      return `${target} set ${JSON.stringify(f.params)}`;
    case 'flush':
      return `${target} flushed (emptied)`;
    case 'crashPrimary':
      return `${target}: primary crashed`;
    default:
      return `${f.action} on ${target}`;
  }
}

/** A one-line description of the end of a fault (`for` elapsed). */
export function describeRevert(f: FaultSpec): string {
  const target = f.node ?? f.edge ?? '';
  switch (f.action) {
    case 'crash':
      return `${target} recovered`;
    case 'recover':
      return `${target} crashed again`;
    case 'slowdown':
      return `${target} back to normal speed`;
    case 'errors':
      return `${target} error rate restored`;
    case 'rate':
    case 'ramp':
      return `${target} back to its own traffic`;
    case 'partition':
      return `edge ${target} healed`;
    case 'latency':
      return `edge ${target} latency restored`;
    case 'set':
      return `${target} parameters restored`;
    case 'crashPrimary':
      return `${target}: old primary back`;
    default:
      return `end of ${f.action} on ${target}`;
  }
}

/** The most windows a run keeps (more would cost memory and time without showing more). */
export const MAX_WINDOWS = 1000;

/**
 * The metric window: the scenario's, widened to a round length so a run has at most
 * MAX_WINDOWS windows (memory and bookkeeping stay bounded for long runs).
 */
function chooseWindow(requested: number, duration: number): number {
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1_000_000);
  let w = Math.max(1000, requested);
  if (duration / w > MAX_WINDOWS) w = nice.find((n) => n >= w && duration / n <= MAX_WINDOWS) ?? Math.ceil(duration / MAX_WINDOWS);
  return w;
}
