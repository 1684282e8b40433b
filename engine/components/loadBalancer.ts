/**
 * loadBalancer: spreads requests over its backends (its outgoing edges) by a policy, and
 * answers each request with its backend's answer. Active health checks probe every
 * backend at an interval (each probe a round trip over the backend's edge, decided by
 * the backend's state when it arrives, failed if not back within the timeout); a backend
 * that fails `unhealthyThreshold` probes in a row gets no more traffic until it passes
 * `healthyThreshold` in a row. Probes are not requests: no node or edge counts them. With
 * no healthy backend it answers 503. Until a crash is detected, requests sent to the crashed
 * backend fail (503, node down): that window is what health-check settings trade off.
 *
 * A backend that does not answer within `upstreamTimeout` (a call lost to a partition, or
 * a backend stuck) gets the request answered 504 `upstream-timeout`; the balancer stops
 * counting it as an outstanding connection, and discards the late answer if one comes.
 *
 * The report counts from the end of warm-up, like every other summary: picks and upstream
 * timeouts of requests that arrived after warm-up, health transitions after warm-up, and
 * the time each backend spent unhealthy after warm-up.
 */
import type { Call } from '../core/call.ts';
import { HeldCalls } from '../core/held.ts';
import { defineComponent } from '../core/component.ts';
import { samplerOrNull, type DistSpec, type Sampler } from '../core/dist.ts';
import { Node, READ_IP, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { OK, PENDING, R } from '../core/status.ts';
import { formatDuration } from '../core/units.ts';
import { CallTimeouts, UPSTREAM_TIMEOUT, upstreamTimeoutParam } from './support/callTimeouts.ts';
import {
  createBackendTable,
  pickIpHash,
  pickLeastConnections,
  pickPowerOfTwo,
  pickRandom,
  pickRoundRobin,
  pickWeightedRoundRobin,
  updateHealth,
  type BackendTable,
} from '../kernels/lb.ts';
import type { NodeSpec } from '../scenario/types.ts';

const K_FORWARD = 2;
const K_HC_TICK = 3;
const K_HC_RESULT = 4;
const K_UPSTREAM_TIMER = 5;
const K_HC_ARRIVE = 6;

/** A health-check probe in flight (the event object of its arrival at the backend). */
interface Probe {
  /** Always 1: the kernel delivers an event on an object while `obj.id === tag`. */
  id: number;
  backend: number;
  sentAt: number;
}

export const LB_POLICIES = ['roundRobin', 'weightedRoundRobin', 'random', 'leastConnections', 'ipHash', 'powerOfTwo'] as const;
export type LbPolicy = (typeof LB_POLICIES)[number];

export const loadBalancerParams = {
  policy: {
    kind: 'enum',
    values: LB_POLICIES,
    default: 'roundRobin',
    labels: {
      roundRobin: 'round robin',
      weightedRoundRobin: 'weighted round robin',
      random: 'random',
      leastConnections: 'least connections',
      ipHash: 'IP hash (sticky)',
      powerOfTwo: 'power of two choices',
    },
    help: 'How a backend is chosen for each request. Weights come from the edges.',
  },
  processing: {
    kind: 'dist',
    unit: 'duration',
    default: 0,
    help: 'Time the balancer itself adds to each request (parsing, TLS, routing).',
  },
  upstreamTimeout: upstreamTimeoutParam('a backend'),
  healthCheck: {
    kind: 'object',
    help: 'Active health checks: probes to every backend at an interval.',
    fields: {
      enabled: { kind: 'bool', default: true, help: 'Probe backends and stop sending to failed ones.' },
      interval: { kind: 'duration', default: '2s', min: '1ms', help: 'Time between probes of each backend.' },
      timeout: {
        kind: 'duration',
        default: '1s',
        min: '1us',
        help: 'A probe not back within this (out over the edge, answered by the backend as it is when the probe arrives, and back) counts as failed.',
      },
      unhealthyThreshold: { kind: 'int', default: 3, min: 1, max: 1000, help: 'Failed probes in a row that take a backend out.' },
      healthyThreshold: { kind: 'int', default: 2, min: 1, max: 1000, help: 'Passed probes in a row that put it back.' },
    },
  },
} satisfies Record<string, Param>;

interface LbParams {
  policy: LbPolicy;
  processing: DistSpec;
  upstreamTimeout: number | null;
  healthCheck: { enabled: boolean; interval: number; timeout: number; unhealthyThreshold: number; healthyThreshold: number };
}

export class LoadBalancerNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<LoadBalancerNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  private table!: BackendTable;
  private health: Array<{ healthy: number; fails: number; passes: number }> = [];
  /** Picks of requests that arrived after warm-up. */
  private picks!: Float64Array;
  /** Upstream timeouts of requests that arrived after warm-up. */
  private timeouts!: Float64Array;
  private unhealthySince!: Float64Array;
  /** Time unhealthy after warm-up, of spells that have ended. */
  private unhealthyTime!: Float64Array;
  /** Health transitions after warm-up. */
  private transitions = 0;
  private readonly processing: Sampler | null;
  private readonly pickRng: Rng;
  private readonly procRng: Rng;
  private readonly holding = new HeldCalls();
  private readonly upstream = new CallTimeouts(this, K_UPSTREAM_TIMER, (c) => this.upstreamTimedOut(c));

  constructor(sim: Simulation, index: number, spec: NodeSpec, readonly p: LbParams) {
    super(sim, index, spec.id, 'loadBalancer');
    this.reads = p.policy === 'ipHash' ? READ_IP : 0; // the policy is not mutable at run time
    const proc = p.processing;
    this.processing = samplerOrNull(proc);
    this.pickRng = this.stream('pick');
    this.procRng = this.stream('processing');
  }

  override init(): void {
    this.table = createBackendTable(this.out.map((e) => e.weight));
    this.health = this.out.map(() => ({ healthy: 1, fails: 0, passes: 0 }));
    this.picks = new Float64Array(this.out.length);
    this.timeouts = new Float64Array(this.out.length);
    this.unhealthySince = new Float64Array(this.out.length).fill(-1);
    this.unhealthyTime = new Float64Array(this.out.length);
    if (this.p.healthCheck.enabled && this.out.length > 0) this.schedule(this.p.healthCheck.interval, K_HC_TICK, null, 0);
  }

  override onArrival(call: Call): void {
    this.holding.add(call);
    if (this.processing === null) this.forward(call);
    else this.schedule(Math.round(this.processing.sample(this.procRng)), K_FORWARD, call, call.id);
  }

  private pick(call: Call): number {
    const t = this.table;
    switch (this.p.policy) {
      case 'roundRobin':
        return pickRoundRobin(t);
      case 'weightedRoundRobin':
        return pickWeightedRoundRobin(t);
      case 'random':
        return pickRandom(t, this.pickRng.next());
      case 'leastConnections':
        return pickLeastConnections(t);
      case 'ipHash':
        return pickIpHash(t, call.ip);
      case 'powerOfTwo':
        return pickPowerOfTwo(t, this.pickRng.next(), this.pickRng.next());
    }
  }

  private forward(call: Call): void {
    if (call.status !== PENDING) return; // dropped by a crash while being processed
    const i = this.pick(call);
    if (i < 0) {
      this.holding.answer(this.sim, call, 503, R.NO_BACKEND, -1);
      return;
    }
    const counted = call.arrivedAt >= this.sim.warmup;
    const child = this.sim.child(call);
    child.mark = markOf(i, counted);
    this.table.active[i]!++;
    if (counted) this.picks[i]!++;
    if (this.p.upstreamTimeout !== null) this.upstream.start(child, this.p.upstreamTimeout);
    this.sim.send(this, this.out[i]!, child);
  }

  override onResponse(child: Call): void {
    this.upstream.cancel(child);
    const abandoned = child.abandoned;
    // a call that timed out no longer counts as outstanding: it was taken off then
    if (!abandoned) this.table.active[backendOf(child.mark)]!--;
    const parent = this.sim.parentOf(child);
    const status = child.status;
    const reason = child.reason;
    const origin = child.origin;
    const retryAfter = child.retryAfter;
    this.sim.release(child);
    if (parent === null || abandoned) return;
    // a proxy passes the backend's Retry-After on (a rate limiter behind the balancer)
    parent.retryAfter = retryAfter;
    this.holding.answer(this.sim, parent, status, status === OK ? R.OK : reason, origin);
  }

  /** A backend did not answer in time: stop counting the call, and answer its request 504. */
  private upstreamTimedOut(child: Call): void {
    const i = backendOf(child.mark);
    this.table.active[i]!--;
    if (isCounted(child.mark)) this.timeouts[i]!++;
    const parent = this.sim.parentOf(child);
    if (parent !== null) this.holding.answer(this.sim, parent, 504, this.sim.reason(UPSTREAM_TIMEOUT), -1);
  }

  override onEvent(kind: number, obj: unknown, tag: number): void {
    switch (kind) {
      case K_FORWARD:
        this.forward(obj as Call);
        break;
      case K_HC_TICK:
        this.probeAll();
        this.schedule(this.p.healthCheck.interval, K_HC_TICK, null, 0);
        break;
      case K_HC_ARRIVE:
        this.probeArrives(obj as Probe);
        break;
      case K_HC_RESULT:
        this.onProbe(tag >> 1, (tag & 1) === 1);
        break;
      case K_UPSTREAM_TIMER:
        this.upstream.fire();
        break;
    }
  }

  /**
   * Sends one probe to every backend. A probe is a real round trip, kept out of request
   * metrics: it crosses the edge (its own latency draws), the backend's state when it
   * ARRIVES decides it (a backend that crashed while it was in flight does not answer),
   * and the answer crosses back. It passes when the answer is back within the timeout
   * of sending; otherwise it fails at the timeout. A partition loses it like a request.
   */
  private probeAll(): void {
    const hc = this.p.healthCheck;
    const now = this.sim.now;
    for (let i = 0; i < this.out.length; i++) {
      const e = this.out[i]!;
      const probe: Probe = { id: 1, backend: i, sentAt: now };
      if (e.partitioned) {
        this.probeFailed(probe);
        continue;
      }
      const d = e.requestDelay(e.probeRng);
      if (d > hc.timeout) this.probeFailed(probe); // it would arrive after the timeout
      else if (d === 0) this.probeArrives(probe);
      else this.schedule(d, K_HC_ARRIVE, probe, 1);
    }
  }

  /** A probe reached its backend: answered now if the backend is up, else never. */
  private probeArrives(probe: Probe): void {
    const e = this.out[probe.backend]!;
    if (!e.to.up || e.partitioned) {
      this.probeFailed(probe);
      return;
    }
    const back = this.sim.now + e.responseDelay(e.probeRng);
    if (back - probe.sentAt > this.p.healthCheck.timeout) this.probeFailed(probe);
    else this.sim.scheduleAt(back, this.index, K_HC_RESULT, null, probe.backend * 2 + 1);
  }

  /** A probe with no answer in time counts as failed when its timeout expires. */
  private probeFailed(probe: Probe): void {
    this.sim.scheduleAt(probe.sentAt + this.p.healthCheck.timeout, this.index, K_HC_RESULT, null, probe.backend * 2);
  }

  private onProbe(i: number, ok: boolean): void {
    if (!this.up) return;
    const hc = this.p.healthCheck;
    const s = this.health[i]!;
    const before = s.healthy;
    const after = updateHealth(s, ok, hc.unhealthyThreshold, hc.healthyThreshold);
    if (after !== before) {
      this.table.healthy[i] = after;
      const now = this.sim.now;
      if (now >= this.sim.warmup) this.transitions++;
      const backend = this.out[i]!.to.id;
      if (after) {
        this.unhealthyTime[i]! += this.afterWarmup(this.unhealthySince[i]!, now);
        this.unhealthySince[i] = -1;
        this.sim.log('health', `${this.id}: ${backend} healthy again`, { node: this.id });
      } else {
        this.unhealthySince[i] = now;
        this.sim.log(
          'health',
          `${this.id}: ${backend} marked unhealthy after ${hc.unhealthyThreshold} failed probes (${formatDuration(hc.interval)} apart)`,
          { node: this.id },
        );
      }
    }
  }

  protected override onCrash(): void {
    this.holding.dropAll(this.sim);
  }

  override held(): number {
    return this.holding.size;
  }

  override windowExtras(): Record<string, number> {
    let h = 0;
    for (let i = 0; i < this.table.n; i++) h += this.table.healthy[i]!;
    return { healthyBackends: h };
  }

  override report(): Record<string, unknown> {
    const total = this.picks.reduce((a, b) => a + b, 0);
    const now = this.sim.now;
    const backends = this.out.map((e, i) => {
      let down = this.unhealthyTime[i]!;
      if (this.unhealthySince[i]! >= 0) down += this.afterWarmup(this.unhealthySince[i]!, now);
      const row = {
        weight: e.weight,
        picks: this.picks[i],
        share: total ? Math.round((this.picks[i]! / total) * 1e6) / 1e6 : 0,
        healthy: this.table.healthy[i] === 1,
        unhealthySeconds: Math.round(down / 1000) / 1000,
        upstreamTimeouts: this.timeouts[i],
      };
      return [e.to.id, row] as const;
    });
    return { policy: this.p.policy, healthTransitions: this.transitions, backends: Object.fromEntries(backends) };
  }
}

export const loadBalancer = defineComponent({
  type: 'loadBalancer',
  title: 'Load balancer',
  description: 'Spreads requests over backends: round robin, least connections, IP hash, P2C...; health checks.',
  icon: 'split',
  category: 'network',
  params: loadBalancerParams,
  outgoing: { min: 1, meaning: 'is a backend it may send requests to (its weight is the backend weight)' },
  incoming: true,
  faults: [],
  validate(view) {
    const p = view.node.params as unknown as LbParams;
    const issues = [];
    for (const o of view.out) {
      if (o.edge.probability !== 1 || o.edge.kinds !== 'any') {
        issues.push({
          path: `edges[${o.index}]`,
          message: `warning: probability and kinds have no effect on a load balancer's backend edges; every request goes to exactly one backend`,
        });
      }
    }
    const weights = new Set(view.out.map((o) => o.edge.weight));
    if (weights.size > 1 && (p.policy === 'roundRobin' || p.policy === 'ipHash')) {
      issues.push({
        path: `${view.path}.policy`,
        message: `warning: the backend edges have different weights, but ${p.policy} ignores weights; use weightedRoundRobin`,
      });
    }
    if (p.healthCheck.enabled && p.healthCheck.timeout > p.healthCheck.interval) {
      issues.push({ path: `${view.path}.healthCheck.timeout`, message: 'warning: the probe timeout is longer than the interval between probes' });
    }
    return issues;
  },
  create(sim, spec, index) {
    return new LoadBalancerNode(sim, index, spec, spec.params as unknown as LbParams);
  },
});

// A child call's `mark`: the backend index, and whether its request arrived after warm-up.
const markOf = (backend: number, counted: boolean) => backend * 2 + (counted ? 1 : 0);
const backendOf = (mark: number) => mark >> 1;
const isCounted = (mark: number) => (mark & 1) === 1;
