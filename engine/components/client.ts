/**
 * client: where requests come from. Open-loop traffic (Poisson, evenly spaced, on/off
 * bursts, a rate schedule, or a replayed trace) or a closed loop of users who wait for
 * each answer and think before the next request. It draws each request's user (and so
 * its IP), key and kind, sends it along an outgoing edge, and measures the end-to-end
 * latency and outcome as the user feels it, including its own timeout (504).
 */
import type { Call } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { createSampler, type DistSpec, type Sampler } from '../core/dist.ts';
import type { Edge } from '../core/edge.ts';
import { Node, READ_ALL, READ_IP, READ_KEY, READ_USER, type FaultSpec, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import { E2EStats } from '../core/stats.ts';
import { DROPPED, OK, R } from '../core/status.ts';
import { CallDeadlines } from '../core/timeouts.ts';
import { INTERN_BASE, Simulation } from '../core/sim.ts';
import {
  ConstantRate,
  nextConstantArrival,
  nextPoissonArrival,
  OnOffRate,
  RampRate,
  ScheduleRate,
  Segment,
  type RateFn,
} from '../kernels/arrivals.ts';
import { assignBlocks, blockIp, IP_BLOCKS, IPV4_PATTERN, parseIp, traceUserIpSlot, USER_BLOCKS, USER_SLOTS, userBase } from '../kernels/identity.ts';
import { HotspotKeys, UniformKeys, zipfKeys, type KeySampler } from '../kernels/keys.ts';
import { pickWeightedEdge } from '../kernels/route.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { measuredUs, summarizeE2E } from '../report/summary.ts';
import { retryParam, RetryController, type RetryConfig } from './support/retryPolicy.ts';

const K_ARRIVAL = 2;
const K_TIMEOUT = 3;
const K_THINK = 4;
const K_RETRY = 5;

const rate = (def: number | string, help: string): Param => ({ kind: 'rate', default: def, help });

export const clientParams = {
  arrival: {
    kind: 'variant',
    tag: 'process',
    label: 'traffic',
    help: 'How requests arrive.',
    default: { process: 'poisson', rate: 100 },
    variants: {
      poisson: {
        label: 'Poisson',
        help: 'Independent requests at random moments, at an average rate (the usual model of many independent users).',
        fields: { rate: rate(100, 'Average requests per second.') },
      },
      constant: {
        label: 'evenly spaced',
        help: 'Requests exactly 1/rate apart.',
        fields: { rate: rate(100, 'Requests per second.') },
      },
      onoff: {
        label: 'on/off bursts',
        help: 'Alternating bursts and lulls: Poisson at `rate` while on, at `offRate` while off.',
        fields: {
          rate: rate(500, 'Average requests per second while on.'),
          offRate: rate(0, 'Average requests per second while off.'),
          on: { kind: 'dist', unit: 'duration', default: '2s', help: 'Length of each on period.' },
          off: { kind: 'dist', unit: 'duration', default: '8s', help: 'Length of each off period.' },
        },
      },
      schedule: {
        label: 'rate schedule',
        help: 'A rate that changes over time (ramps, spikes, daily curves): Poisson at the rate in force.',
        fields: {
          points: {
            kind: 'list',
            minItems: 1,
            help: 'Points {at, rate}, in time order.',
            default: [
              { at: '0s', rate: 100 },
              { at: '30s', rate: 400 },
            ],
            item: {
              kind: 'object',
              help: 'The rate from `at` on.',
              fields: {
                at: { kind: 'duration', help: 'When this rate starts.' },
                rate: { kind: 'rate', help: 'Requests per second from then on.' },
              },
            },
          },
          shape: {
            kind: 'enum',
            values: ['step', 'linear'],
            default: 'linear',
            help: 'step: jump at each point; linear: ramp between points.',
          },
        },
      },
      trace: {
        label: 'replay a trace',
        help: 'Send exactly the listed requests at the listed times (e.g. taken from logs).',
        fields: {
          requests: {
            kind: 'list',
            minItems: 1,
            maxItems: 1_000_000,
            help: 'Requests {at, key?, ip?, user?, kind?}; omitted fields are drawn as usual.',
            default: [{ at: '0ms' }, { at: '10ms' }, { at: '20ms' }],
            item: {
              kind: 'object',
              help: 'One request.',
              fields: {
                at: { kind: 'duration', help: 'Send time.' },
                key: { kind: 'id', optional: true, help: 'Key requested.' },
                ip: {
                  kind: 'string',
                  optional: true,
                  pattern: IPV4_PATTERN,
                  patternHelp: 'expected an IPv4 address like "10.0.0.7" (four numbers from 0 to 255)',
                  help: 'Client IP. Without it, a request that names a user gets an IP derived from the user (one user, one IP); otherwise one is drawn as usual.',
                },
                user: { kind: 'id', optional: true, help: 'User id.' },
                kind: { kind: 'enum', values: ['read', 'write'], optional: true, help: 'Read or write.' },
              },
            },
          },
        },
      },
      closed: {
        label: 'closed loop (users)',
        help: 'A fixed number of users; each sends a request, waits for the answer (or its timeout), thinks, and repeats.',
        fields: {
          users: { kind: 'int', default: 50, min: 1, max: 1_000_000, help: 'Concurrent users.' },
          think: { kind: 'dist', unit: 'duration', default: { dist: 'exponential', mean: '1s' }, help: 'Think time between an answer and the next request.' },
        },
      },
    },
  },
  keys: {
    kind: 'variant',
    tag: 'popularity',
    help: 'Which keys requests ask for (what caches and shards see).',
    default: { popularity: 'zipf', count: 10000, alpha: 0.9 },
    variants: {
      uniform: {
        label: 'uniform',
        help: 'Every key equally likely.',
        fields: { count: { kind: 'int', default: 10000, min: 1, max: 2147483647, help: 'Number of distinct keys.' } },
      },
      zipf: {
        label: 'Zipf',
        help: 'A few keys are very popular (key 0 most): P(key i) ∝ 1/(i+1)^alpha. Web and social traffic look like this.',
        fields: {
          count: { kind: 'int', default: 10000, min: 1, max: 2147483647, help: 'Number of distinct keys.' },
          alpha: { kind: 'number', default: 0.9, min: 0, max: 5, help: 'Skew: 0 is uniform; 0.6–1.2 is typical of web traffic.' },
        },
      },
      hotspot: {
        label: 'hotspot',
        help: 'A share of requests on a small set of hot keys, e.g. 90% of requests on 10% of keys.',
        fields: {
          count: { kind: 'int', default: 10000, min: 1, max: 2147483647, help: 'Number of distinct keys.' },
          hotFraction: { kind: 'probability', default: 0.1, help: 'Fraction of keys that are hot.' },
          hotShare: { kind: 'probability', default: 0.9, help: 'Fraction of requests that go to hot keys.' },
        },
      },
    },
  },
  writeFraction: { kind: 'probability', default: 0.1, help: 'Fraction of requests that are writes (the rest are reads).' },
  users: {
    kind: 'int',
    default: 1000,
    min: 1,
    max: USER_SLOTS,
    help: 'Distinct user ids; each open-loop request comes from one at random.',
  },
  ips: {
    kind: 'int',
    default: 1000,
    min: 1,
    max: 65536,
    help: 'Distinct client IPs (user u uses IP number u mod ips, in a /16 block chosen from the client id). 1 makes every request come from one IP.',
  },
  timeout: {
    kind: 'duration',
    default: '10s',
    orNone: true,
    min: '1us',
    help: 'The client gives up after this long and records a 504 ("none" waits for ever).',
  },
  size: { kind: 'dist', unit: 'size', default: '1KB', advanced: true, help: 'Request size in bytes.' },
  retry: retryParam,
  tier: {
    kind: 'string',
    optional: true,
    advanced: true,
    help: 'API tier of this client\'s users (e.g. "free", "premium"): a rate limiter with tiers applies that tier\'s limits to them.',
  },
} satisfies Record<string, Param>;

type Arrival =
  | { process: 'poisson' | 'constant'; rate: number }
  | { process: 'onoff'; rate: number; offRate: number; on: DistSpec; off: DistSpec }
  | { process: 'schedule'; points: Array<{ at: number; rate: number }>; shape: 'step' | 'linear' }
  | { process: 'trace'; requests: Array<{ at: number; key?: string | number; ip?: string; user?: string | number; kind?: 'read' | 'write' }> }
  | { process: 'closed'; users: number; think: DistSpec };

type Keys =
  | { popularity: 'uniform'; count: number }
  | { popularity: 'zipf'; count: number; alpha: number }
  | { popularity: 'hotspot'; count: number; hotFraction: number; hotShare: number };

export interface ClientParams {
  arrival: Arrival;
  keys: Keys;
  writeFraction: number;
  users: number;
  ips: number;
  timeout: number | null;
  size: DistSpec;
  retry?: RetryConfig;
  tier?: string;
}

export function createKeySampler(k: Keys): KeySampler {
  switch (k.popularity) {
    case 'uniform':
      return new UniformKeys(k.count);
    case 'zipf':
      return zipfKeys(k.count, k.alpha);
    case 'hotspot':
      return new HotspotKeys(k.count, k.hotFraction, k.hotShare);
  }
}

/** A client's user-id and IP blocks (kernels/identity.ts), by client id. */
export interface ClientBlocks {
  user: number;
  ip: number;
}

const blocksOf = new WeakMap<Simulation, { byClient: Map<string, ClientBlocks>; clientOfUserBlock: Map<number, string> }>();

/**
 * The user-id and IP blocks of every client of a run, each chosen from the client's own
 * id (so adding or removing a client leaves the others' users and IPs as they were).
 * Computed once per run.
 */
export function clientBlocks(sim: Simulation): { byClient: Map<string, ClientBlocks>; clientOfUserBlock: Map<number, string> } {
  let b = blocksOf.get(sim);
  if (b === undefined) {
    const ids = sim.scenario.nodes.filter((n) => n.type === 'client').map((n) => n.id);
    const users = assignBlocks(ids, USER_BLOCKS, 'user');
    const ips = assignBlocks(ids, IP_BLOCKS, 'ip');
    b = { byClient: new Map(), clientOfUserBlock: new Map() };
    ids.forEach((id, i) => {
      b!.byClient.set(id, { user: users[i]!, ip: ips[i]! });
      b!.clientOfUserBlock.set(users[i]!, id);
    });
    blocksOf.set(sim, b);
  }
  return b;
}

/**
 * A user id as reports and traces show it: generated ids as "<client id>/u<slot>", ids
 * from traces by their own name (or number).
 */
export function userName(k: number, sim: Simulation): string | number {
  if (k >= INTERN_BASE) return sim.idName(k);
  return generatedUserName(sim, k) ?? k;
}

/**
 * A generated user id as reports show it, "<client id>/u<slot>"; null if `k` is not one
 * (a number or name a trace gave).
 */
export function generatedUserName(sim: Simulation, k: number): string | null {
  if (k >= INTERN_BASE || k < USER_SLOTS) return null;
  const block = Math.floor(k / USER_SLOTS) - 1;
  const client = clientBlocks(sim).clientOfUserBlock.get(block);
  return client === undefined ? null : `${client}/u${k - userBase(block)}`;
}


export class ClientNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<ClientNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  /** This client's own end-to-end statistics (the kernel also keeps the total). */
  readonly e2e = new E2EStats();
  private readonly arrivalRng: Rng;
  private readonly userRng: Rng;
  private readonly keyRng: Rng;
  private readonly kindRng: Rng;
  private readonly sizeRng: Rng;
  private readonly routeRng: Rng;
  private readonly keys: KeySampler;
  private readonly size: Sampler;
  private readonly constSize: number;
  private readonly seg = new Segment();
  private baseRate: RateFn | null = null;
  private readonly savedRates = new Map<FaultSpec, RateFn>();
  private rate: RateFn | null = null;
  /** Invalidates the pending arrival when the rate changes. */
  private readonly arrivalToken = { id: 1 };
  private nextAt = 0;
  private traceIndex = 0;
  private think: Sampler | null = null;
  private userBase = 0;
  /** The identity fields drawn for each request (READ_KEY, READ_USER, READ_IP): those some node reads. */
  private draws = READ_ALL;
  private ipBase = 0;
  /** Mean gap (µs) when arrivals are Poisson at a constant rate, else 0. */
  private meanGapUs = 0;
  private readonly users: number;
  private readonly ips: number;
  private readonly writeFraction: number;
  private readonly timeout: number;
  private readonly isTrace: boolean;
  private noRoute = 0;
  /** Requests sent and not finished (answered or timed out), counted independently of the stats. */
  outstanding = 0;
  private readonly noRouteReason: number;
  /** Requests waiting for an answer, by when the client gives up on them. */
  private readonly timeouts = new CallDeadlines(this, K_TIMEOUT, (c) => this.onTimeout(c));
  /** Retry decisions; null without a retry policy (the client then behaves exactly as before). */
  private readonly retrier: RetryController | null;

  constructor(sim: Simulation, index: number, spec: NodeSpec, readonly p: ClientParams) {
    super(sim, index, spec.id, 'client');
    this.reads = 0;
    this.arrivalRng = this.stream('arrivals');
    this.userRng = this.stream('users');
    this.keyRng = this.stream('keys');
    this.kindRng = this.stream('kinds');
    this.sizeRng = this.stream('sizes');
    this.routeRng = this.stream('route');
    this.keys = createKeySampler(p.keys);
    this.size = createSampler(p.size);
    this.constSize = p.size.dist === 'constant' ? p.size.value : -1;
    this.noRouteReason = sim.reason('no-route');
    this.users = p.users;
    this.ips = p.ips;
    this.writeFraction = p.writeFraction;
    this.timeout = p.timeout ?? Infinity;
    this.isTrace = p.arrival.process === 'trace';
    sim.e2eSources.push(this.e2e);
    const rc = p.retry ? new RetryController(p.retry, this.stream('retry')) : null;
    this.retrier = rc !== null && rc.active ? rc : null;
  }

  override init(): void {
    // what to draw for each request: what some node reads, or everything for a trace
    this.draws = this.sim.tracer !== null ? READ_ALL : this.sim.nodes.reduce((m, n) => m | n.reads, 0);
    const blocks = clientBlocks(this.sim).byClient.get(this.id)!;
    this.userBase = userBase(blocks.user);
    this.ipBase = blockIp(blocks.ip, 0);
    const a = this.p.arrival;
    switch (a.process) {
      case 'poisson':
      case 'constant':
        this.baseRate = new ConstantRate(a.rate);
        break;
      case 'onoff': {
        const rng = this.stream('onoff');
        const on = createSampler(a.on);
        const off = createSampler(a.off);
        this.baseRate = new OnOffRate(() => Math.round(on.sample(rng)), () => Math.round(off.sample(rng)), a.rate, a.offRate);
        break;
      }
      case 'schedule': {
        const pts = [...a.points].sort((x, y) => x.at - y.at);
        this.baseRate = new ScheduleRate(pts.map((x) => x.at), pts.map((x) => x.rate), a.shape === 'linear');
        break;
      }
      case 'trace':
        a.requests.sort((x, y) => x.at - y.at);
        if (a.requests.length) this.schedule(a.requests[0]!.at, K_ARRIVAL, null, 0);
        return;
      case 'closed': {
        this.think = createSampler(a.think);
        for (let u = 0; u < a.users; u++) {
          // a first think time spreads the users' first requests out
          this.schedule(Math.round(this.think.sample(this.arrivalRng)), K_THINK, null, u);
        }
        return;
      }
    }
    this.setRate(this.baseRate!);
    this.nextAt = 0;
    this.armArrival();
  }

  private setRate(r: RateFn): void {
    this.rate = r;
    this.meanGapUs =
      this.p.arrival.process !== 'constant' && r instanceof ConstantRate && r.rate > 0 ? 1e6 / r.rate : 0;
  }

  /**
   * Schedules the next arrival after the one at `nextAt` (µs, fractional: arrivals are
   * drawn in continuous time and rounded only when scheduled). It reads `nextAt` rather
   * than taking it as an argument: a fractional double passed to a call V8 did not
   * inline is boxed, an allocation per request.
   */
  private armArrival(): void {
    const from = this.nextAt;
    // fast path: Poisson at a constant rate is one exponential draw
    const next =
      this.meanGapUs > 0
        ? from + this.arrivalRng.exp() * this.meanGapUs
        : this.p.arrival.process === 'constant'
          ? nextConstantArrival(this.rate!, from, this.seg)
          : nextPoissonArrival(this.rate!, from, this.arrivalRng, this.seg);
    if (!Number.isFinite(next)) return;
    this.nextAt = next;
    const t = Math.round(next);
    if (t < this.sim.duration) this.sim.scheduleAt(t, this.index, K_ARRIVAL, this.arrivalToken, this.arrivalToken.id);
  }

  override onArrival(call: Call): void {
    // validation forbids edges into clients
    this.sim.respond(call, 500, R.ERROR);
  }

  override onEvent(kind: number, obj: unknown, tag: number): void {
    switch (kind) {
      case K_ARRIVAL:
        if (this.isTrace) this.traceArrival();
        else {
          if (this.up) this.sendNew(-1, null);
          this.armArrival();
        }
        break;
      case K_THINK:
        if (this.up) this.sendNew(tag, null);
        else this.schedule(Math.round(this.think!.sample(this.arrivalRng)), K_THINK, null, tag);
        break;
      case K_TIMEOUT:
        this.timeouts.fire();
        break;
      case K_RETRY:
        this.sendRetry(obj as Call);
        break;
    }
  }

  /** The next request of a replayed trace is due. */
  private traceArrival(): void {
    const a = this.p.arrival;
    if (a.process !== 'trace') return;
    const r = a.requests[this.traceIndex++]!;
    if (this.up) this.sendNew(-1, r);
    const next = a.requests[this.traceIndex];
    if (next) this.schedule(next.at - this.sim.now, K_ARRIVAL, null, 0);
  }

  /** Sends a new request; `user` is the closed-loop user slot or -1. */
  private sendNew(user: number, r: Extract<Arrival, { process: 'trace' }>['requests'][number] | null): void {
    const sim = this.sim;
    const now = sim.now;
    const c = sim.root();
    c.client = this.index;
    c.sentAt = now;
    c.deadline = now + this.timeout;
    const draws = this.draws;
    const u = user >= 0 ? user : draws & (READ_USER | READ_IP) ? Math.floor(this.userRng.next() * this.users) : 0;
    c.mark = user;
    c.user = this.userBase + u;
    c.ip = this.ipBase + (u < this.ips ? u : u % this.ips);
    c.key = draws & READ_KEY ? this.keys.sample(this.keyRng) : 0;
    const wf = this.writeFraction;
    c.kind = wf > 0 && (wf >= 1 || this.kindRng.next() < wf) ? 1 : 0;
    c.size = this.constSize >= 0 ? this.constSize : Math.round(this.size.sample(this.sizeRng));
    if (r !== null) this.applyTraceFields(c, r);
    if (sim.tracer !== null) c.path = [this.id];
    const counted = now >= sim.warmup;
    this.e2e.onSent(counted);
    this.outstanding++;
    this.retrier?.onRequest(now);
    this.dispatch(c);
  }

  /** A replayed request's own fields override the drawn ones. */
  private applyTraceFields(c: Call, r: Extract<Arrival, { process: 'trace' }>['requests'][number]): void {
    const sim = this.sim;
    if (r.key !== undefined) c.key = typeof r.key === 'number' ? r.key : sim.intern(r.key);
    if (r.user !== undefined) c.user = typeof r.user === 'number' ? r.user : sim.intern(r.user);
    if (r.ip !== undefined) c.ip = parseIp(r.ip);
    // a named user without an IP keeps one IP of this client's block, whatever the draw
    else if (r.user !== undefined) c.ip = this.ipBase + traceUserIpSlot(r.user, this.ips);
    if (r.kind !== undefined) c.kind = r.kind === 'write' ? 1 : 0;
  }

  /** Sends a request or a retry along an edge, with its timeout. */
  private dispatch(c: Call): void {
    const sim = this.sim;
    const edge = this.pickEdge(c.kind);
    if (edge === null) {
      this.noRoute++;
      this.finish(c, 503, this.noRouteReason, this.index);
      sim.release(c);
      return;
    }
    if (c.deadline !== Infinity) {
      this.timeouts.start(c, c.deadline);
    }
    sim.send(this, edge, c);
  }

  private pickEdge(kind: number): Edge | null {
    return pickWeightedEdge(this.out, kind, this.routeRng);
  }

  private onTimeout(c: Call): void {
    c.abandoned = true;
    if (this.retrier !== null && this.retry(c, true)) return;
    this.finish(c, 504, R.CLIENT_TIMEOUT, this.index);
  }

  override onResponse(c: Call): void {
    this.timeouts.cancel(c);
    if (c.abandoned) {
      // the answer came after the client gave up
      this.e2e.late++;
    } else if (c.status === OK || this.retrier === null || !this.retry(c, false)) {
      this.finish(c, c.status, c.reason, c.origin);
    }
    this.sim.release(c);
  }

  /** Schedules a retry of the failed (or timed-out) attempt `c` if the policy allows one. */
  private retry(c: Call, timedOut: boolean): boolean {
    const wait = this.retrier!.plan(c, this.sim.now, timedOut);
    if (wait < 0) return false;
    const next = this.sim.retry(c);
    next.mark = c.mark;
    // an event even for immediate retries: no recursion through zero-latency edges
    this.sim.scheduleAt(this.sim.now + wait, this.index, K_RETRY, next, next.id);
    return true;
  }

  private sendRetry(c: Call): void {
    if (!this.up) {
      this.finish(c, DROPPED, R.CRASHED, this.index);
      this.sim.release(c);
      return;
    }
    c.deadline = this.sim.now + this.timeout;
    this.dispatch(c);
  }

  /** Records a request's outcome and, for a closed-loop user, schedules the next one. */
  private finish(c: Call, status: number, reason: number, origin: number): void {
    const sim = this.sim;
    this.outstanding--;
    const latency = sim.now - c.sentAt;
    const counted = c.sentAt >= sim.warmup;
    this.e2e.onDone(status, reason, origin, latency, sim.now, counted, c.attempt + 1);
    if (c.stale && status === OK && counted) this.e2e.staleReads++;
    if (this.retrier !== null) this.retrier.forget(c.rid);
    if (sim.tracer !== null) this.trace(c, status, reason, origin, latency);
    if (c.mark >= 0 && this.think !== null) {
      this.schedule(Math.round(this.think.sample(this.arrivalRng)), K_THINK, null, c.mark);
    }
  }

  private trace(c: Call, status: number, reason: number, origin: number, latency: number): void {
    const sim = this.sim;
    sim.tracer!({
      id: c.rid,
      client: this.id,
      ip: c.ip,
      user: c.user,
      key: c.key,
      kind: c.kind === 1 ? 'write' : 'read',
      sentAt: c.sentAt,
      status,
      reason: sim.reasons[reason] ?? String(reason),
      origin: origin >= 0 ? ((sim.actors[origin] as Node | undefined)?.id ?? null) : null,
      latency,
      attempts: c.attempt + 1,
      path: c.path ?? [],
    });
  }

  override applyFault(f: FaultSpec, revert: boolean): boolean {
    if (f.action !== 'rate' && f.action !== 'ramp') return false;
    const now = this.sim.now;
    if (revert) {
      // back to the traffic in force when this fault began
      this.setRate(this.savedRates.get(f) ?? this.baseRate!);
      this.savedRates.delete(f);
    } else if (f.action === 'rate') {
      this.savedRates.set(f, this.rate!);
      this.setRate(new ConstantRate(f.rate as number));
    } else {
      this.savedRates.set(f, this.rate!);
      this.rate!.segmentAt(now, this.seg);
      const from = this.seg.rateAt(now);
      this.setRate(new RampRate(now, now + (f.over as number), from, f.to as number));
    }
    // the pending arrival was drawn at the old rate: draw again from now (memoryless)
    this.arrivalToken.id++;
    this.nextAt = now;
    this.armArrival();
    return true;
  }

  override report(): Record<string, unknown> {
    return {
      ...summarizeE2E(this.e2e, this.sim, measuredUs(this.sim)),
      outstanding: this.outstanding,
      ...(this.noRoute ? { noRoute: this.noRoute } : {}),
      ...(this.retrier ? { retry: this.retrier.report() } : {}),
    };
  }
}

export const client = defineComponent({
  type: 'client',
  title: 'Client',
  description: 'Sends requests: Poisson, bursts, schedules, traces or a closed loop of users.',
  icon: 'users',
  category: 'traffic',
  params: clientParams,
  outgoing: { min: 1, meaning: 'is where it sends its requests (several edges split traffic by weight)' },
  incoming: false,
  faults: ['rate', 'ramp'],
  validate(view) {
    const p = view.node.params as unknown as ClientParams;
    const issues = [];
    if (p.ips > p.users) {
      issues.push({ path: `${view.path}.ips`, message: `warning: ${p.ips} IPs but only ${p.users} users; only ${p.users} IPs will be used` });
    }
    return issues;
  },
  validateFault(node, f) {
    const p = node.params as unknown as ClientParams;
    if ((f.action === 'rate' || f.action === 'ramp') && (p.arrival.process === 'closed' || p.arrival.process === 'trace')) {
      return `"${f.action}" changes the rate of open-loop traffic; "${node.id}" uses ${p.arrival.process} traffic`;
    }
    return null;
  },
  create(sim, spec, index) {
    return new ClientNode(sim, index, spec, spec.params as unknown as ClientParams);
  },
});

