/**
 * One database instance (the primary or a read replica) inside a `database` node: a
 * connection pool of `connections` queries served at once, and a bounded wait queue
 * (FIFO or LIFO) with an optional wait timeout. Reads and writes have their own service
 * times. It is not a node: the database node owns it, routes calls to it, and receives
 * its events (service done, queue timer) and forwards them here.
 *
 * The queueing follows the server component's exactly (same order of operations, same
 * random streams for the primary), so a database without replicas behaves, draw for
 * draw, as it did before replicas existed.
 */
import type { Call } from '../core/call.ts';
import { HeldCalls } from '../core/held.ts';
import { CallDeque } from '../core/deque.ts';
import { createSampler, type DistSpec, type Sampler } from '../core/dist.ts';
import { Histogram } from '../core/histogram.ts';
import type { Node } from '../core/node.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { Gauge, type NodeStats } from '../core/stats.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import { Deadlines } from '../core/timeouts.ts';
import { ReplicationLog, VersionTable } from '../kernels/versions.ts';

/** Event kinds the database node forwards to its instances. */
export const K_DB_DONE = 2;
export const K_DB_QUEUE_TIMER = 4;

/** What an instance needs of the pool configuration. */
export interface PoolConfig {
  connections: number;
  queue: number;
  discipline: 'fifo' | 'lifo';
  readService: DistSpec;
  writeService: DistSpec;
  queueTimeout: number | null;
  honorDeadlines: boolean;
}

/** Callbacks into the owning node. */
export interface InstanceOwner extends Node {
  /** A call finished its service at `inst` (not failed, not dropped). */
  served(inst: DbInstance, call: Call): void;
  /** Writes committed so far. */
  commits: number;
}

/** Busy connections and queued queries over all of a node's instances (its stats gauges show them). */
export interface PoolTotals {
  busy: number;
  queued: number;
}

export class DbInstance {
  up = true;
  busy = 0;
  /** Queries waiting (live entries of `waiting`). */
  queued = 0;
  /** Version of each key as this instance has it. */
  table: VersionTable;
  /** Writes committed at the primary, waiting to be applied here (replicas). */
  readonly log = new ReplicationLog();
  /** Writes this replica had not received when the primary crashed (lost if it is promoted). */
  missedAtCrash = 0;
  /** Invalidates a pending replication event after the log is cleared. */
  readonly replToken = { id: 1, index: 0 };
  /** This instance's busy connections over time (kept only when the node has several instances). */
  readonly busyGauge = new Gauge();
  readonly lag = new Histogram();
  // counts (cohort: arrivals after warm-up)
  reads = 0;
  writes = 0;
  staleReads = 0;
  queuedArrivals = 0;
  started = 0;
  waitSum = 0;
  private readonly waiting = new CallDeque();
  private readonly holding = new HeldCalls();
  private svcRead!: Sampler;
  private svcWrite!: Sampler;
  private readonly liveQueued = (c: Call, id: number) => c.id === id && c.status === PENDING && c.slot < 0;
  private readonly queueTimeouts: Deadlines<Call>;
  private readonly sim: Simulation;
  private readonly stats: NodeStats;
  /** The owner's actor index (its timer and service events go to it). */
  private readonly nodeIndex: number;

  constructor(
    private readonly node: InstanceOwner,
    readonly index: number,
    /** "primary" or "replica<i>": its name in reports. */
    readonly name: string,
    private cfg: PoolConfig,
    private readonly svcRng: Rng,
    private readonly errRng: Rng,
    private readonly queueTimeoutReason: number,
    table: VersionTable,
    private readonly totals: PoolTotals,
    /** Keep `busyGauge` (several instances). */
    private readonly perInstance: boolean,
  ) {
    this.sim = node.sim;
    this.stats = node.stats;
    this.nodeIndex = node.index;
    this.table = table;
    // the owner's timer event for this instance's queue: its tag is the instance's index
    this.queueTimeouts = new Deadlines<Call>(node, K_DB_QUEUE_TIMER, this.liveQueued, (c) => this.queueTimedOut(c), index);
    this.replToken.index = index;
    this.setSamplers();
  }

  private setSamplers(): void {
    this.svcRead = createSampler(this.cfg.readService);
    this.svcWrite = createSampler(this.cfg.writeService);
  }

  /** Mean read service time (µs), for reports. */
  get readMean(): number {
    return this.svcRead.mean;
  }

  get writeMean(): number {
    return this.svcWrite.mean;
  }

  /** Calls held: queued or in service. */
  held(): number {
    return this.queued + this.holding.size;
  }

  /** Takes a query: serves it, queues it, or answers 503 when the queue is full. */
  accept(call: Call): void {
    const sim = this.sim;
    call.step = this.index;
    if (this.busy < this.cfg.connections) {
      this.start(call);
    } else if (this.queued < this.cfg.queue) {
      if (call.arrivedAt >= sim.warmup) this.queuedArrivals++;
      this.waiting.pushBack(call);
      this.queued++;
      this.stats.queue.set(++this.totals.queued, sim.now);
      if (this.cfg.queueTimeout !== null) {
        const deadline = sim.now + this.cfg.queueTimeout;
        // (a fault can shorten the timeout: a deadline earlier than the armed timer re-arms it)
        this.queueTimeouts.start(call, deadline);
      }
    } else {
      sim.respond(call, 503, R.QUEUE_FULL);
    }
  }

  /** Gives `call` a connection and starts its service. */
  private start(call: Call): void {
    const sim = this.sim;
    if (this.cfg.honorDeadlines && sim.now >= call.deadline) {
      sim.respond(call, 504, R.EXPIRED);
      return;
    }
    this.busy++;
    if (this.perInstance) this.busyGauge.set(this.busy, sim.now);
    this.stats.busy.set(++this.totals.busy, sim.now);
    if (call.arrivedAt >= sim.warmup) {
      this.started++;
      this.waitSum += sim.now - call.arrivedAt;
    }
    call.worker = true;
    this.holding.add(call);
    const s = call.kind === 1 ? this.svcWrite : this.svcRead;
    const d = Math.round(s.sample(this.svcRng) * this.slow);
    sim.scheduleAt(sim.now + d, this.nodeIndex, K_DB_DONE, call, call.id);
  }

  /** Service multiplier (slowdown fault). */
  slow = 1;
  errorRate = 0;

  /** The service of `call` is over: fail it at the error rate, or let the node answer it. */
  done(call: Call): void {
    if (call.status !== PENDING) return; // answered when the instance crashed
    if (this.errorRate > 0 && this.errRng.next() < this.errorRate) {
      this.finish(call, 500, R.ERROR);
      return;
    }
    if (this.perInstance) this.node.served(this, call);
    else {
      // a database without replicas: this is the primary, and there is nothing to replicate
      if (call.kind === 1) {
        call.version = this.table.commit(call.key, call.version);
        this.node.commits++;
      } else call.version = this.table.get(call.key);
      this.finish(call, OK, R.OK);
    }
  }

  /** Answers a call in service, freeing its connection first (so queued queries keep their turn). */
  finish(call: Call, status: number, reason: number): void {
    this.holding.remove(call);
    if (call.worker) this.freeConnection(call);
    this.sim.respond(call, status, reason);
  }

  private freeConnection(call: Call): void {
    call.worker = false;
    this.busy--;
    this.totals.busy--;
    this.takeWaiting();
    const now = this.sim.now;
    this.stats.busy.set(this.totals.busy, now);
    if (this.perInstance) this.busyGauge.set(this.busy, now);
  }

  private takeWaiting(): void {
    while (this.busy < this.cfg.connections && this.queued > 0) {
      const next = this.cfg.discipline === 'lifo' ? this.waiting.popBack() : this.waiting.popFront();
      if (next === null) break;
      this.queued--;
      this.stats.queue.set(--this.totals.queued, this.sim.now);
      this.start(next);
    }
  }

  /** The queue timer fired. */
  onQueueTimer(): void {
    this.queueTimeouts.fire();
  }

  private queueTimedOut(call: Call): void {
    this.queued--;
    this.stats.queue.set(--this.totals.queued, this.sim.now);
    // the entry stays in the deque until compacted: keep dead entries from piling up
    if (this.waiting.size > 2 * this.queued + 64) this.waiting.compact();
    this.sim.respond(call, 503, this.queueTimeoutReason);
  }


  /** Drops every call held (a crash), answering each DROPPED. */
  dropAll(): void {
    const sim = this.sim;
    const held = this.holding.takeAll();
    this.totals.busy -= this.busy;
    this.totals.queued -= this.queued;
    this.stats.busy.set(this.totals.busy, sim.now);
    this.stats.queue.set(this.totals.queued, sim.now);
    this.busy = 0;
    this.queued = 0;
    if (this.perInstance) this.busyGauge.set(0, sim.now);
    this.waiting.drain((c) => sim.respond(c, DROPPED, R.CRASHED));
    for (const c of held) {
      c.worker = false;
      if (c.status === PENDING) sim.respond(c, DROPPED, R.CRASHED);
    }
  }

  /** Applies a new pool configuration; more connections take waiting queries at once. */
  configure(cfg: PoolConfig): void {
    this.cfg = cfg;
    this.setSamplers();
    this.takeWaiting();
  }
}
