/**
 * server: an application server or service. `workers` requests are served at a time;
 * the rest wait in a bounded queue (FIFO or LIFO), and a full queue answers 503. After
 * its service time a request may call the server's downstream nodes (its outgoing
 * edges), one after another or all at once, and the server answers when they have; a
 * failed call fails the request with the downstream status. An error rate answers a
 * share of requests 500.
 *
 * Worker model: by default a worker is a CPU slot, released while the request waits on
 * downstream calls (an async server: Node, Go, an event loop). With `blocking`, the
 * worker is held until the answer (thread-per-request: a slow database exhausts the
 * pool).
 */
import type { Call } from '../core/call.ts';
import { HeldCalls } from '../core/held.ts';
import { defineComponent } from '../core/component.ts';
import { CallDeque } from '../core/deque.ts';
import { createSampler, type DistSpec, type Sampler } from '../core/dist.ts';
import { Node, type FaultSpec, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import { CallDeadlines, Deadlines } from '../core/timeouts.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { mgc, mmck, type StationPrediction } from '../kernels/queueing.ts';
import { createCacheAside, validateCacheAside, type CacheAside } from './cacheAside.ts';

const K_DONE = 2;
const K_CALL_TIMER = 3;
const K_QUEUE_TIMER = 4;

export interface ServerConfig {
  workers: number;
  queue: number;
  discipline: 'fifo' | 'lifo';
  service: DistSpec;
  writeService?: DistSpec;
  errorRate: number;
  calls: 'sequential' | 'parallel';
  blocking: boolean;
  callTimeout: number | null;
  queueTimeout: number | null;
  honorDeadlines: boolean;
}

/** Parameters shared by servers and databases (defaults differ). */
export const queueingParams = {
  queue: {
    kind: 'int',
    default: 100,
    min: 0,
    max: 100_000_000,
    unit: 'requests',
    help: 'Requests that may wait for a free worker; one more is answered 503. 0 means no waiting.',
  },
  discipline: {
    kind: 'enum',
    values: ['fifo', 'lifo'],
    default: 'fifo',
    help: 'Which waiting request a free worker takes: oldest first (fifo) or newest first (lifo, which keeps some answers fast under overload).',
  },
  errorRate: { kind: 'probability', default: 0, help: 'Fraction of requests that fail with 500 after being served.' },
  queueTimeout: {
    kind: 'duration',
    default: null,
    orNone: true,
    advanced: true,
    help: 'A request that waits longer than this for a worker is answered 503 ("none": wait as long as it takes).',
  },
  honorDeadlines: {
    kind: 'bool',
    default: false,
    advanced: true,
    help: "Skip requests whose client has already given up (their deadline passed) instead of serving them, answering 504. Real servers only do this when deadlines are propagated (e.g. gRPC).",
  },
} satisfies Record<string, Param>;

export const serverParams = {
  workers: {
    kind: 'int',
    default: 4,
    min: 1,
    max: 1_000_000,
    unit: 'workers',
    help: 'Requests served at the same time (CPU slots, threads or processes).',
  },
  service: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '10ms' },
    help: 'Time one worker spends on a request.',
  },
  writeService: {
    kind: 'dist',
    unit: 'duration',
    optional: true,
    advanced: true,
    help: 'Service time of writes, when it differs from reads.',
  },
  ...queueingParams,
  calls: {
    kind: 'enum',
    values: ['sequential', 'parallel'],
    default: 'sequential',
    help: 'How it calls its downstream nodes (outgoing edges) after serving: one after another, or all at once.',
  },
  blocking: {
    kind: 'bool',
    default: false,
    help: 'Hold the worker while waiting for downstream calls (thread-per-request) instead of releasing it (async I/O).',
  },
  callTimeout: {
    kind: 'duration',
    default: null,
    orNone: true,
    help: 'Give up on a downstream call after this long and answer 504 ("none": wait for ever).',
  },
} satisfies Record<string, Param>;

export const SERVER_MUTABLE = ['workers', 'queue', 'discipline', 'service', 'writeService', 'errorRate', 'callTimeout', 'queueTimeout'];

export class ServerNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<ServerNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  private cfg: ServerConfig;
  private svcRead!: Sampler;
  private svcWrite!: Sampler;
  private slow = 1;
  private errorRate: number;
  private busy = 0;
  /** Requests waiting (live entries of `waiting`). */
  private queued = 0;
  private readonly waiting = new CallDeque();
  /** Calls in service or waiting on downstream calls, for crash handling. */
  private readonly holding = new HeldCalls();
  private readonly svcRng: Rng;
  private readonly errRng: Rng;
  private readonly callRng: Rng;
  private readonly saved = new Map<FaultSpec, unknown>();
  // queueing delay of the cohort (arrivals after warm-up)
  private queuedArrivals = 0;
  private started = 0;
  private startedWrites = 0;
  private waitSum = 0;
  private readonly queueTimeoutReason: number;
  // queued = unanswered and not yet given a worker (started calls are held until answered)
  private readonly liveQueued = (c: Call, id: number) => c.id === id && c.status === PENDING && c.slot < 0;
  private readonly callTimeouts = new CallDeadlines(this, K_CALL_TIMER, (c) => this.callTimedOut(c));
  private readonly queueTimeouts = new Deadlines<Call>(this, K_QUEUE_TIMER, this.liveQueued, (c) => this.queueTimedOut(c));
  /** The cache-aside step, when the server calls a cache-aside cache (cacheAside.ts). */
  private aside: CacheAside | null = null;

  constructor(sim: Simulation, index: number, spec: NodeSpec, type: string, cfg: ServerConfig) {
    super(sim, index, spec.id, type);
    this.reads = 0;
    this.cfg = cfg;
    this.errorRate = cfg.errorRate;
    this.setSamplers();
    this.stats.capacity = cfg.workers;
    this.svcRng = this.stream('service');
    this.errRng = this.stream('errors');
    this.callRng = this.stream('calls');
    this.queueTimeoutReason = sim.reason('queue-timeout');
  }

  override init(): void {
    this.aside = createCacheAside(this);
  }

  private setSamplers(): void {
    this.svcRead = createSampler(this.cfg.service);
    this.svcWrite = this.cfg.writeService ? createSampler(this.cfg.writeService) : this.svcRead;
  }

  override onArrival(call: Call): void {
    if (this.busy < this.cfg.workers) {
      this.start(call);
    } else if (this.queued < this.cfg.queue) {
      if (call.arrivedAt >= this.sim.warmup) this.queuedArrivals++;
      this.waiting.pushBack(call);
      this.queued++;
      this.stats.queue.set(this.queued, this.sim.now);
      if (this.cfg.queueTimeout !== null) {
        const deadline = this.sim.now + this.cfg.queueTimeout;
        // (an earlier deadline than the armed one, after a run-time set shortened the timeout, re-arms)
        this.queueTimeouts.start(call, deadline);
      }
    } else {
      this.sim.respond(call, 503, R.QUEUE_FULL);
    }
  }

  /** Gives `call` a worker and starts its service. */
  private start(call: Call): void {
    const sim = this.sim;
    if (this.cfg.honorDeadlines && sim.now >= call.deadline) {
      sim.respond(call, 504, R.EXPIRED);
      return;
    }
    this.busy++;
    this.stats.busy.set(this.busy, sim.now);
    if (call.arrivedAt >= sim.warmup) {
      this.started++;
      this.startedWrites += call.kind;
      this.waitSum += sim.now - call.arrivedAt;
    }
    call.worker = true;
    this.holding.add(call);
    const s = call.kind === 1 ? this.svcWrite : this.svcRead;
    const d = Math.round(s.sample(this.svcRng) * this.slow);
    sim.scheduleAt(sim.now + d, this.index, K_DONE, call, call.id);
  }

  override onEvent(kind: number, obj: unknown, _tag: number): void {
    switch (kind) {
      case K_DONE:
        this.serviceDone(obj as Call);
        break;
      case K_CALL_TIMER:
        this.callTimeouts.fire();
        break;
      case K_QUEUE_TIMER:
        this.queueTimeouts.fire();
        break;
    }
  }

  private serviceDone(call: Call): void {
    if (call.status !== PENDING) return; // answered when the node crashed
    if (this.errorRate > 0 && this.errRng.next() < this.errorRate) {
      this.finish(call, 500, R.ERROR, -1);
      return;
    }
    if (this.out.length === 0) {
      this.finish(call, OK, R.OK, -1);
      return;
    }
    if (!this.cfg.blocking) this.freeWorker(call);
    if (this.cfg.calls === 'parallel') this.callAll(call);
    else {
      call.step = 0;
      this.callNext(call);
    }
  }

  /** Sequential calls: sends the next applicable call, or answers when none is left. */
  private callNext(call: Call): void {
    const out = this.out;
    while (call.step < out.length) {
      const e = out[call.step++]!;
      if (this.aside !== null && this.aside.owns(e)) {
        if (this.aside.begin(call, e)) return;
        continue;
      }
      if (!e.accepts(call.kind) || (e.probability < 1 && this.callRng.next() >= e.probability)) continue;
      this.sendChild(call, e);
      return;
    }
    this.finish(call, OK, R.OK, -1);
  }

  /** Parallel calls: sends every applicable call; answers when all are back. */
  private callAll(call: Call): void {
    call.pending = 1; // a guard while sending: children may be answered synchronously
    call.step = -1;
    for (const e of this.out) {
      if (this.aside !== null && this.aside.owns(e)) {
        call.pending++;
        const id = call.id;
        if (!this.aside.begin(call, e)) call.pending--;
        else if (call.id !== id || call.status !== PENDING) return;
        continue;
      }
      if (!e.accepts(call.kind) || (e.probability < 1 && this.callRng.next() >= e.probability)) continue;
      call.pending++;
      const id = call.id;
      this.sendChild(call, e);
      if (call.id !== id || call.status !== PENDING) return; // a child failed and the call was answered
    }
    if (--call.pending === 0) this.finish(call, OK, R.OK, -1);
  }

  private sendChild(call: Call, e: Call['edge'] & object): void {
    this.sendCall(this.sim.child(call), e);
  }

  /** Sends a call made for a request (with the call timeout); also used by the cache-aside step. */
  sendCall(child: Call, e: Call['edge'] & object): void {
    if (this.cfg.callTimeout !== null) {
      const deadline = this.sim.now + this.cfg.callTimeout;
      this.callTimeouts.start(child, deadline);
    }
    this.sim.send(this, e, child);
  }

  override onResponse(child: Call): void {
    this.callTimeouts.cancel(child);
    if (child.mark !== 0) {
      this.aside!.onResponse(child);
      return;
    }
    const parent = this.sim.parentOf(child);
    const abandoned = child.abandoned;
    const status = child.status;
    const reason = child.reason;
    const origin = child.origin;
    this.sim.release(child);
    if (parent === null || abandoned) return;
    this.resume(parent, status, reason, origin);
  }

  /** Goes on with `parent` after one of its steps (a call, or the cache-aside step) ended. */
  resume(parent: Call, status: number, reason: number, origin: number): void {
    if (status !== OK) {
      this.finish(parent, status, reason, origin);
      return;
    }
    if (parent.step >= 0) this.callNext(parent);
    else if (--parent.pending === 0) this.finish(parent, OK, R.OK, -1);
  }

  private callTimedOut(child: Call): void {
    child.abandoned = true;
    const parent = this.sim.parentOf(child);
    if (parent !== null) this.finish(parent, 504, R.CALL_TIMEOUT, -1);
  }

  private queueTimedOut(call: Call): void {
    this.queued--;
    this.stats.queue.set(this.queued, this.sim.now);
    // the entry stays in the deque until compacted: keep dead entries from piling up
    if (this.waiting.size > 2 * this.queued + 64) this.waiting.compact();
    this.sim.respond(call, 503, this.queueTimeoutReason);
  }

  /** Answers a held call, freeing its worker first (so queued requests keep their turn). */
  private finish(call: Call, status: number, reason: number, origin: number): void {
    this.holding.remove(call);
    if (call.worker) this.freeWorker(call);
    this.sim.respond(call, status, reason, origin);
  }

  private freeWorker(call: Call): void {
    call.worker = false;
    this.busy--;
    while (this.busy < this.cfg.workers && this.queued > 0) {
      const next = this.cfg.discipline === 'lifo' ? this.waiting.popBack() : this.waiting.popFront();
      if (next === null) break;
      this.queued--;
      this.stats.queue.set(this.queued, this.sim.now);
      this.start(next);
    }
    this.stats.busy.set(this.busy, this.sim.now);
  }


  protected override onCrash(): void {
    const sim = this.sim;
    const held = this.holding.takeAll();
    this.busy = 0;
    this.queued = 0;
    this.stats.busy.set(0, sim.now);
    this.stats.queue.set(0, sim.now);
    this.waiting.drain((c) => sim.respond(c, DROPPED, R.CRASHED));
    for (const c of held) {
      c.worker = false;
      if (c.status === PENDING) sim.respond(c, DROPPED, R.CRASHED);
    }
  }

  override applyFault(f: FaultSpec, revert: boolean): boolean {
    switch (f.action) {
      case 'slowdown':
        if (revert) this.slow = (this.saved.get(f) as number) ?? 1;
        else {
          this.saved.set(f, this.slow);
          this.slow = f.factor as number;
        }
        return true;
      case 'errors':
        if (revert) this.errorRate = (this.saved.get(f) as number) ?? this.cfg.errorRate;
        else {
          this.saved.set(f, this.errorRate);
          this.errorRate = f.rate as number;
        }
        return true;
      case 'set': {
        if (revert) this.configure(this.saved.get(f) as ServerConfig);
        else {
          this.saved.set(f, this.cfg);
          this.configure(this.toConfig(f.parsed as Record<string, unknown>));
        }
        return true;
      }
    }
    return false;
  }

  /** Maps a node's parsed parameters to a config (databases rename some). */
  protected toConfig(p: Record<string, unknown>): ServerConfig {
    return p as unknown as ServerConfig;
  }

  private configure(cfg: ServerConfig): void {
    const errorChanged = cfg.errorRate !== this.cfg.errorRate;
    this.cfg = cfg;
    if (errorChanged) this.errorRate = cfg.errorRate;
    this.setSamplers();
    this.stats.capacity = cfg.workers;
    // more workers may take waiting requests now
    while (this.busy < cfg.workers && this.queued > 0) {
      const next = cfg.discipline === 'lifo' ? this.waiting.popBack() : this.waiting.popFront();
      if (next === null) break;
      this.queued--;
      this.start(next);
    }
    this.stats.queue.set(this.queued, this.sim.now);
  }

  override held(): number {
    return this.queued + this.holding.size;
  }

  override report(): Record<string, unknown> {
    const s = this.cfg.service;
    const arrivals = this.stats.arrivals;
    return {
      /** Share of arrivals that found every worker busy and waited in the queue. */
      waitedFraction: arrivals ? Math.round((this.queuedArrivals / arrivals) * 1e6) / 1e6 : NaN,
      /** Mean time from arrival to getting a worker, over requests that got one. */
      queueWaitMs: this.started ? Math.round((this.waitSum / this.started) * 1000) / 1e6 : NaN,
      serviceMeanMs: this.svcRead.mean / 1000,
      ...(this.cfg.writeService ? { writeServiceMeanMs: this.svcWrite.mean / 1000 } : {}),
      serviceDist: s.dist,
      theory: this.theory(),
    };
  }

  /**
   * What queueing theory predicts for this station from its measured arrival rate and
   * read/write mix and its configured service times, assuming Poisson arrivals: to set
   * next to the measured utilization, waitedFraction and queueWaitMs. Null where no
   * simple model applies (a blocking server holds workers through downstream calls).
   */
  private theory(): (Omit<StationPrediction, 'queueWait' | 'response'> & { queueWaitMs: number; responseMs: number; note: string }) | null {
    const sim = this.sim;
    const secs = (sim.now - sim.warmup) / 1e6;
    const arrivals = this.stats.arrivals;
    if (secs <= 0 || arrivals === 0 || (this.cfg.blocking && this.out.length > 0)) return null;
    const lambda = arrivals / secs;
    const w = this.started ? this.startedWrites / this.started : 0;
    const r = this.svcRead;
    const wr = this.svcWrite;
    const m1 = ((1 - w) * r.mean + w * wr.mean) / 1e6;
    const m2 = ((1 - w) * (r.variance + r.mean * r.mean) + w * (wr.variance + wr.mean * wr.mean)) / 1e12;
    if (!(m1 > 0) || !Number.isFinite(m2)) return null;
    const scv = m2 / (m1 * m1) - 1;
    const c = this.cfg.workers;
    // with a bounded queue, M/M/c/K gives the blocking; when it would block (almost)
    // nothing the queue is effectively unbounded and M/G/c also accounts for the
    // service-time variability
    const bounded = mmck(lambda, 1 / m1, c, Math.min(c + this.cfg.queue, 100_000));
    const unbounded = bounded.blocking < 1e-4 && lambda * m1 < c;
    const p = unbounded ? mgc(lambda, m1, scv, c) : bounded;
    const notes = ['assumes Poisson arrivals at the measured rate'];
    if (!unbounded && Math.abs(scv - 1) > 0.05) notes.push('the bounded-queue model treats service times as exponential');
    if (this.out.length) notes.push('covers the station itself, not its downstream calls');
    if (this.cfg.errorRate > 0 || this.cfg.queueTimeout !== null || this.cfg.honorDeadlines) notes.push('ignores errors, queue timeouts and deadlines');
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    return {
      model: p.model,
      utilization: r6(p.utilization),
      waitProbability: r6(p.waitProbability),
      queueWaitMs: r6(p.queueWait * 1000),
      responseMs: r6(p.response * 1000),
      blocking: r6(p.blocking),
      unstable: p.unstable,
      note: notes.join('; '),
    };
  }
}

export const server = defineComponent({
  type: 'server',
  title: 'App server',
  description: 'Serves requests with a pool of workers and a bounded queue; may call downstream nodes.',
  icon: 'server',
  category: 'compute',
  params: serverParams,
  outgoing: { min: 0, meaning: 'is a downstream call it makes while handling each request' },
  incoming: true,
  faults: ['slowdown', 'errors', 'set'],
  mutable: SERVER_MUTABLE,
  validate: validateCacheAside,
  create(sim, spec, index) {
    return new ServerNode(sim, index, spec, 'server', spec.params as unknown as ServerConfig);
  },
});
