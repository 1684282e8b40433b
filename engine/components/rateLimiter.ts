/**
 * rateLimiter: admits, delays or rejects each request by a rate-limiting algorithm
 * (token bucket, leaky bucket as a queue or a meter, fixed window incl. the Redis
 * patterns, sliding log, sliding counter, or nginx limit_req exactly), per key (global,
 * client IP, user) and optionally per API tier. Its edges to other nodes are what it
 * protects: admitted requests are forwarded there (by edge weight if several) and the
 * answer is passed back. Rejected requests are answered at once with the configured
 * status (429; nginx 503) and a Retry-After. Delayed requests wait inside the limiter.
 * A forwarded request whose target has not answered within `upstreamTimeout` is
 * answered 504 `upstream-timeout` (the late answer, if any, is discarded).
 *
 * With an edge to a counterStore, the state lives in the store instead: each decision
 * is a round trip to it, shared by every limiter using the same zone, and when the
 * store cannot answer in time the limiter fails open (admit) or closed (reject).
 */
import type { Call } from '../core/call.ts';
import { HeldCalls } from '../core/held.ts';
import { defineComponent } from '../core/component.ts';
import { samplerOrNull, type Sampler } from '../core/dist.ts';
import type { Edge } from '../core/edge.ts';
import { Node, READ_IP, READ_USER, type KernelEntries } from '../core/node.ts';
import type { Rng } from '../core/rng.ts';
import { INTERN_BASE, Simulation } from '../core/sim.ts';
import { OK, PENDING, R } from '../core/status.ts';
import type { KeyTable } from '../kernels/ratelimit/keyTable.ts';
import { ADMIT, DELAY, Plan, type Verdict } from '../kernels/ratelimit/plan.ts';
import { nginxRateMilli } from '../kernels/ratelimit/nginx.ts';
import type { NodeSpec, ScenarioIssue } from '../scenario/types.ts';
import { limiterParams, TIER_FIELDS, type LimiterParams } from './support/limiterParams.ts';
import { LimiterMetrics } from './support/limiterMetrics.ts';
import { LimiterPolicy } from './support/limiterPolicy.ts';
import { pickWeightedEdge } from '../kernels/route.ts';
import { CallTimeouts, UPSTREAM_TIMEOUT } from './support/callTimeouts.ts';
import { userName } from './client.ts';

const K_DECIDE = 2;
const K_RELEASE = 3;
const K_STORE_TIMER = 4;
const K_UPSTREAM_TIMER = 5;

export class RateLimiterNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<RateLimiterNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj) => n.onEvent(kind, obj),
  };

  readonly policy: LimiterPolicy;
  private tables: KeyTable[];
  private readonly metrics: LimiterMetrics;
  private readonly plan = new Plan();
  private storeEdge: Edge | null = null;
  private targets: Edge[] = [];
  private routeRng: Rng | null = null;
  private readonly processing: Sampler | null;
  private readonly procRng: Rng;
  /** Calls being decided, delayed or forwarded (for crash handling). */
  private readonly holding = new HeldCalls();
  /** Delayed requests waiting inside the limiter (shown as its queue). */
  private waiting = 0;
  /** Decisions asked of the store, timed out after `store.timeout`. */
  private readonly storeTimeouts = new CallTimeouts(this, K_STORE_TIMER, (c) => this.storeTimedOut(c));
  /** Forwarded requests, timed out after `upstreamTimeout`. */
  private readonly upstream = new CallTimeouts(this, K_UPSTREAM_TIMER, (c) => this.upstreamTimedOut(c));
  private readonly status: number;
  private readonly reasons: { limited: number; storeDown: number; closed: number; noRoute: number };

  constructor(sim: Simulation, index: number, spec: NodeSpec, readonly p: LimiterParams) {
    super(sim, index, spec.id, 'rateLimiter');
    this.reads = p.key === 'ip' ? READ_IP : p.key === 'user' ? READ_USER : 0; // the key scope is not mutable at run time
    this.policy = new LimiterPolicy(p, sim);
    this.tables = this.policy.createTables();
    this.metrics = new LimiterMetrics(this.policy.tierNames);
    this.status = p.algorithm.status;
    const proc = p.processing;
    this.processing = samplerOrNull(proc);
    this.procRng = this.stream('processing');
    this.reasons = {
      limited: sim.reason('rate-limited'),
      storeDown: sim.reason('limiter-store-unavailable'),
      closed: sim.reason('client-closed'),
      noRoute: sim.reason('no-route'),
    };
  }

  override init(): void {
    for (const e of this.out) {
      if (e.to.type === 'counterStore') this.storeEdge ??= e;
      else this.targets.push(e);
    }
    if (this.targets.length > 1) this.routeRng = this.stream('route');
    if (this.policy.unknownLabels.length) {
      this.sim.log('info', `${this.id}: no tier named by ${this.policy.unknownLabels.join(', ')}; those clients get the default tier`, { node: this.id });
    }
  }

  override onArrival(call: Call): void {
    this.holding.add(call);
    if (this.processing === null) this.decide(call);
    else this.schedule(Math.round(this.processing.sample(this.procRng)), K_DECIDE, call, call.id);
  }

  private decide(call: Call): void {
    if (this.storeEdge !== null) {
      const child = this.sim.child(call);
      child.aux = this.policy;
      this.storeTimeouts.start(child, this.p.store.timeout);
      this.sim.send(this, this.storeEdge, child);
      return;
    }
    this.policy.decide(this.tables, call, this.sim.now, this.plan);
    this.act(call, this.plan.verdict, this.plan.delayUs, this.plan.retryAfterUs);
  }

  /** Carries out a decision. */
  private act(call: Call, verdict: Verdict, delayUs: number, retryAfterUs: number): void {
    const sim = this.sim;
    const key = this.policy.keyOf(call);
    this.metrics.decision(verdict, this.policy.tierOf(call), key, delayUs, sim.now - call.arrivedAt, call.arrivedAt >= sim.warmup);
    if (verdict === ADMIT || this.p.dryRun) this.forward(call);
    else if (verdict === DELAY) {
      this.stats.queue.set(++this.waiting, sim.now);
      this.schedule(delayUs, K_RELEASE, call, call.id);
    }
    else {
      call.retryAfter = this.retryAfter(retryAfterUs);
      this.holding.answer(this.sim, call, this.status, this.reasons.limited, -1);
    }
  }

  private retryAfter(us: number): number {
    switch (this.p.retryAfter) {
      case 'none':
        return -1;
      case 'exact':
        return us;
      case 'seconds':
        return Math.max(1, Math.ceil(us / 1e6)) * 1e6;
    }
  }

  private forward(call: Call): void {
    const edge = this.pickTarget(call.kind);
    if (edge === null) {
      this.holding.answer(this.sim, call, 503, this.reasons.noRoute, -1);
      return;
    }
    const child = this.sim.child(call);
    child.mark = call.arrivedAt >= this.sim.warmup ? 1 : 0; // counted in the report
    if (this.p.upstreamTimeout !== null) this.upstream.start(child, this.p.upstreamTimeout);
    this.sim.send(this, edge, child);
  }

  private pickTarget(kind: number): Edge | null {
    return pickWeightedEdge(this.targets, kind, this.routeRng!);
  }

  override onResponse(child: Call): void {
    const sim = this.sim;
    const parent = sim.parentOf(child);
    const { status, reason, origin, retryAfter, abandoned } = child;
    const fromStore = child.edge === this.storeEdge;
    (fromStore ? this.storeTimeouts : this.upstream).cancel(child);
    const verdict = child.step as Verdict;
    const delayUs = child.pending;
    sim.release(child);
    if (parent === null || abandoned) return;
    if (!fromStore) {
      parent.retryAfter = retryAfter;
      this.holding.answer(this.sim, parent, status, status === OK ? R.OK : reason, origin);
    } else if (status === OK) this.act(parent, verdict, delayUs, retryAfter);
    else this.storeFailed(parent, false);
  }

  private storeTimedOut(child: Call): void {
    const parent = this.sim.parentOf(child);
    if (parent !== null) this.storeFailed(parent, true);
  }

  /** The protected target did not answer a forwarded request in time. */
  private upstreamTimedOut(child: Call): void {
    if (child.mark === 1) this.metrics.upstreamTimeouts++;
    const parent = this.sim.parentOf(child);
    if (parent !== null) this.holding.answer(this.sim, parent, 504, this.sim.reason(UPSTREAM_TIMEOUT), -1);
  }

  private storeFailed(call: Call, timedOut: boolean): void {
    const open = this.p.store.failMode === 'open';
    this.metrics.storeFailure(open, timedOut, call.arrivedAt >= this.sim.warmup);
    if (open) this.forward(call);
    else this.holding.answer(this.sim, call, this.status, this.reasons.storeDown, -1);
  }

  override onEvent(kind: number, obj: unknown): void {
    const call = obj as Call;
    switch (kind) {
      case K_DECIDE:
        if (call.status === PENDING) this.decide(call);
        break;
      case K_RELEASE:
        if (call.status !== PENDING) break; // answered by a crash meanwhile
        this.stats.queue.set(--this.waiting, this.sim.now);
        if (call.abandoned) {
          // its client gave up while it waited (nginx finalizes such a request too)
          if (call.arrivedAt >= this.sim.warmup) this.metrics.abandoned++;
          this.holding.answer(this.sim, call, 499, this.reasons.closed, -1);
        } else this.forward(call);
        break;
      case K_STORE_TIMER:
        this.storeTimeouts.fire();
        break;
      case K_UPSTREAM_TIMER:
        this.upstream.fire();
        break;
    }
  }

  protected override onCrash(): void {
    // local counters live in memory: a restart starts from scratch
    this.tables = this.policy.createTables();
    this.waiting = 0;
    this.stats.queue.set(0, this.sim.now);
    this.holding.dropAll(this.sim);
  }

  override held(): number {
    return this.holding.size;
  }

  private keysHeld(): number {
    let n = 0;
    for (const t of this.tables) n += t.size;
    return n;
  }

  override windowExtras(): Record<string, number> {
    return this.metrics.windowExtras(this.keysHeld(), this.storeEdge !== null);
  }

  override report(): Record<string, unknown> {
    const sim = this.sim;
    const scope = this.policy.scope;
    const nameOf = (k: number) => (scope === 'ip' ? Simulation.formatIp(k) : scope === 'user' ? userName(k, sim) : 'global');
    const keys = this.tables.reduce(
      (a, t) => ({ held: a.held + t.size, peak: a.peak + t.peak, expired: a.expired + t.expired, evicted: a.evicted + t.forced }),
      { held: 0, peak: 0, expired: 0, evicted: 0 },
    );
    return {
      algorithm: this.p.algorithm.type,
      key: scope,
      ...this.metrics.report(nameOf, this.storeEdge !== null),
      ...(this.storeEdge === null ? { keys } : { storeZone: this.p.store.zone }),
    };
  }
}


export const rateLimiter = defineComponent({
  type: 'rateLimiter',
  title: 'Rate limiter',
  description: 'Admits, delays or rejects (429) requests: token/leaky bucket, windows, nginx limit_req; per IP, user or tier.',
  icon: 'gauge',
  category: 'control',
  params: limiterParams,
  outgoing: { min: 1, meaning: 'is what it protects: admitted requests go there (an edge to a counter store shares its counters instead)' },
  incoming: true,
  faults: [],
  validate(view) {
    const p = view.node.params as unknown as LimiterParams;
    const issues: ScenarioIssue[] = [];
    const stores = view.out.filter((o) => o.type === 'counterStore');
    if (stores.length > 1) issues.push({ path: view.path, message: `"${view.node.id}" has ${stores.length} edges to counter stores; use one` });
    if (stores.length === view.out.length && view.out.length > 0) {
      issues.push({ path: view.path, message: `"${view.node.id}" needs an edge to what it protects (besides its counter store)` });
    }
    const a = p.algorithm;
    const tiers = p.tiers ?? [];
    const rates = [a, ...tiers].map((x) => ('rate' in x ? x.rate : undefined));
    if (a.type === 'nginx' && rates.some((r) => r !== undefined && nginxRateMilli(r) < 1)) {
      issues.push({ path: `${view.path}.algorithm.rate`, message: 'nginx needs a rate of at least 1 request per 1000 s (0.001 r/s)' });
    }
    const caps = [a, ...tiers].map((x) => ('capacity' in x ? x.capacity : undefined));
    if (a.type === 'leakyBucket' && a.mode === 'meter' && caps.some((c) => c !== undefined && c < 1)) {
      issues.push({ path: `${view.path}.algorithm.capacity`, message: 'a leaky bucket meter needs a capacity of at least 1 (it admits nothing otherwise)' });
    }
    const names = new Set<string>();
    tiers.forEach((t, i) => {
      if (names.has(t.name)) issues.push({ path: `${view.path}.tiers[${i}].name`, message: `duplicate tier "${t.name}"` });
      names.add(t.name);
      const used = TIER_FIELDS[a.type];
      for (const k of ['rate', 'capacity', 'burst', 'limit', 'window'] as const) {
        if (t[k] !== undefined && !used.includes(k)) {
          issues.push({ path: `${view.path}.tiers[${i}].${k}`, message: `warning: ${a.type} has no ${k}; this tier's ${k} is ignored (it uses ${used.join(' and ')})` });
        }
      }
    });
    if (p.defaultTier !== undefined && !names.has(p.defaultTier)) {
      issues.push({ path: `${view.path}.defaultTier`, message: tiers.length ? `no tier named "${p.defaultTier}"; tiers: ${[...names].join(', ')}` : 'warning: defaultTier has no effect without tiers' });
    }
    return issues;
  },
  create(sim, spec, index) {
    return new RateLimiterNode(sim, index, spec, spec.params as unknown as LimiterParams);
  },
});
