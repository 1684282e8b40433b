/**
 * counterStore: a Redis-like shared counter store for rate limiters. Each limiter with
 * an edge to it sends one request per decision; the store runs the limiter's algorithm
 * atomically on the counters of that limiter's zone (as a Lua script would) and answers
 * with the plan. Limiters with the same zone and configuration therefore share one set
 * of counters, whichever instance a request went through.
 *
 * Like Redis it executes one command at a time by default (`workers` = 1), queues the
 * rest (a full queue answers 503), and keeps its counters in memory: a crash loses them
 * all, so after a restart every key starts afresh.
 *
 * Protocol with the limiter (calls carry no payload fields of their own): the request
 * carries the limiter's policy in `aux`; the answer (status 200) carries the verdict in
 * `step`, the delay (µs) in `pending`, and the retry-after (µs) in `retryAfter`.
 */
import type { Call } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { CallDeque } from '../core/deque.ts';
import { createSampler, type DistSpec, type Sampler } from '../core/dist.ts';
import { Node, type FaultSpec, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import type { KeyTable } from '../kernels/ratelimit/keyTable.ts';
import { Plan } from '../kernels/ratelimit/plan.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { LimiterPolicy } from './support/limiterPolicy.ts';

const K_DONE = 2;

export const counterStoreParams = {
  service: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '50us' },
    help: 'Time to run one limiter decision (a Redis Lua script: tens of microseconds).',
  },
  workers: { kind: 'int', default: 1, min: 1, max: 1024, help: 'Decisions run at once (Redis runs commands one at a time).' },
  queue: { kind: 'int', default: 10_000, min: 0, max: 100_000_000, unit: 'requests', help: 'Decisions that may wait; one more is answered 503.' },
} satisfies Record<string, Param>;

interface StoreParams {
  service: DistSpec;
  workers: number;
  queue: number;
}

export class CounterStoreNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<CounterStoreNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj) => n.onEvent(kind, obj),
  };

  /** Counters per namespace (zone + limiter configuration). */
  private zones = new Map<string, { zone: string; tables: KeyTable[] }>();
  private readonly service: Sampler;
  private readonly rng: Rng;
  private readonly waiting = new CallDeque();
  private queued = 0;
  private busy = 0;
  private slow = 1;
  /** The slowdown factor before each slowdown fault, to restore when it ends. */
  private readonly saved = new Map<FaultSpec, number>();
  private readonly inService = new Set<Call>();
  private readonly plan = new Plan();
  private decisions = 0;
  private readonly badRequest: number;

  constructor(sim: Simulation, index: number, spec: NodeSpec, readonly p: StoreParams) {
    super(sim, index, spec.id, 'counterStore');
    this.reads = 0; // limiters send it their own keys
    this.service = createSampler(p.service);
    this.rng = this.stream('service');
    this.stats.capacity = p.workers;
    this.badRequest = sim.reason('not-a-limiter-request');
  }

  override onArrival(call: Call): void {
    if (!(call.aux instanceof LimiterPolicy)) {
      this.sim.respond(call, 400, this.badRequest);
      return;
    }
    if (this.busy < this.p.workers) this.start(call);
    else if (this.queued < this.p.queue) {
      this.waiting.pushBack(call);
      this.queued++;
      this.stats.queue.set(this.queued, this.sim.now);
    } else this.sim.respond(call, 503, R.QUEUE_FULL);
  }

  private start(call: Call): void {
    this.busy++;
    this.stats.busy.set(this.busy, this.sim.now);
    this.inService.add(call);
    this.schedule(Math.round(this.service.sample(this.rng) * this.slow), K_DONE, call, call.id);
  }

  override onEvent(kind: number, obj: unknown): void {
    if (kind !== K_DONE) return;
    const call = obj as Call;
    if (call.status !== PENDING) return;
    const sim = this.sim;
    const policy = call.aux as LimiterPolicy;
    let z = this.zones.get(policy.namespace);
    if (z === undefined) {
      z = { zone: policy.namespace.slice(0, policy.namespace.indexOf('|')), tables: policy.createTables() };
      this.zones.set(policy.namespace, z);
    }
    policy.decide(z.tables, call, sim.now, this.plan);
    this.decisions++;
    call.step = this.plan.verdict;
    call.pending = this.plan.delayUs;
    call.retryAfter = this.plan.retryAfterUs;
    // free the worker and start the next decision before answering (the answer may
    // come straight back as a new request over a zero-latency edge)
    this.inService.delete(call);
    this.busy--;
    this.startWaiting();
    this.stats.busy.set(this.busy, sim.now);
    sim.respond(call, OK, R.OK);
  }

  /** Gives free workers to waiting decisions, oldest first (skipping entries answered elsewhere). */
  private startWaiting(): void {
    while (this.busy < this.p.workers && this.queued > 0) {
      const next = this.waiting.popFront();
      // no live entry left: the count was ahead of the deque
      this.queued = next === null ? 0 : this.queued - 1;
      this.stats.queue.set(this.queued, this.sim.now);
      if (next !== null) this.start(next);
    }
  }

  protected override onCrash(): void {
    const sim = this.sim;
    this.zones = new Map(); // in memory only: counters are lost
    this.busy = 0;
    this.queued = 0;
    this.stats.busy.set(0, sim.now);
    this.stats.queue.set(0, sim.now);
    this.waiting.drain((c) => sim.respond(c, DROPPED, R.CRASHED));
    const held = [...this.inService];
    this.inService.clear();
    for (const c of held) if (c.status === PENDING) sim.respond(c, DROPPED, R.CRASHED);
  }

  override applyFault(f: FaultSpec, revert: boolean): boolean {
    if (f.action !== 'slowdown') return false;
    if (revert) this.slow = this.saved.get(f) ?? 1;
    else {
      this.saved.set(f, this.slow);
      this.slow = f.factor as number;
    }
    return true;
  }

  override held(): number {
    return this.queued + this.inService.size;
  }

  override windowExtras(): Record<string, number> {
    let keys = 0;
    for (const z of this.zones.values()) for (const t of z.tables) keys += t.size;
    return { keys };
  }

  override report(): Record<string, unknown> {
    // zones are user strings ("constructor", "__proto__"): count in a Map, not on a plain object
    const zones = new Map<string, number>();
    for (const z of this.zones.values()) zones.set(z.zone, (zones.get(z.zone) ?? 0) + z.tables.reduce((a, t) => a + t.size, 0));
    return { decisions: this.decisions, keysByZone: Object.fromEntries(zones) };
  }
}

export const counterStore = defineComponent({
  type: 'counterStore',
  title: 'Counter store',
  description: 'A Redis-like store of shared rate-limit counters: one round trip per decision, single-threaded.',
  icon: 'database',
  category: 'data',
  params: counterStoreParams,
  outgoing: null,
  incoming: true,
  faults: ['slowdown'],
  validate(view) {
    return view.in
      .filter((i) => i.type !== 'rateLimiter')
      .map((i) => ({ path: `edges[${i.index}]`, message: `a counter store only answers rate limiters; "${i.from}" is a ${i.type}` }));
  },
  create(sim, spec, index) {
    return new CounterStoreNode(sim, index, spec, spec.params as unknown as StoreParams);
  },
});
