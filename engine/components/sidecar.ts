/**
 * sidecar: a service-mesh sidecar proxy (Envoy, as Istio configures it) on the calling
 * side of a service: the caller's requests pass through it, and it sends each one to a
 * host of the upstream cluster (its outgoing edges) with the mesh's traffic policy:
 *
 * - load balancing: least request (power of two choices on active requests), round robin
 *   or weighted random (a canary split: edge weights 90 and 10);
 * - connection-pool circuit breakers (DestinationRule `connectionPool`): HTTP/1.1, one
 *   request per connection. A request uses an idle connection to its host, or opens one if
 *   the cluster has fewer than `maxConnections` (a host with none may always open one),
 *   or waits as pending for that host's next free connection. More than
 *   `maxPendingRequests` pending, or more than `maxRequests` active, and it is answered 503
 *   at once (Envoy's overflow, `x-envoy-overloaded`), never retried;
 * - retries (VirtualService `retries`): up to `attempts` retries of failures `retryOn`
 *   names, each to a host not tried yet when one is left, after Envoy's jittered back-off
 *   (25 ms base, 250 ms maximum), within `maxRetries` concurrent retries; `perTryTimeout`
 *   bounds each attempt and `timeout` the whole request, retries included (504);
 * - outlier detection (DestinationRule `outlierDetection`): a host with
 *   `consecutive5xxErrors` 5xx in a row (or `consecutiveGatewayErrors` 502/503/504) is
 *   ejected from load balancing for base × n (n-th quick ejection), at most
 *   `maxEjectionPercent` of the hosts at once; ejections end on interval ticks.
 *
 * The proxy's own time per request (`latency`) is added on the way out, and its sum is the
 * CPU the proxy used (reported as vCPU). Decisions are in kernels/mesh.ts and kernels/lb.ts.
 */
import type { Call } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { CallDeque } from '../core/deque.ts';
import { samplerOrNull, type DistSpec, type Sampler } from '../core/dist.ts';
import { HeldCalls } from '../core/held.ts';
import { Node, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import { createBackendTable, pickPowerOfTwo, pickRandom, pickRoundRobin, type BackendTable } from '../kernels/lb.ts';
import { AttemptFailure, OutlierDetector, RETRY_ON_CONDITIONS, retryBackoffUs, retryOnMatches, type OutlierConfig } from '../kernels/mesh.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { CallTimeouts } from './support/callTimeouts.ts';

const K_FORWARD = 2;
const K_TRY_TIMER = 3;
const K_RETRY = 4;
const K_ROUTE_TIMEOUT = 5;
const K_OD_TICK = 6;

/** Istio's "unset" for connection-pool limits: 2^32 − 1 (the breakers are off). */
const UNLIMITED = 4294967295;

const RETRY_ON_PATTERN = `^(${RETRY_ON_CONDITIONS.join('|')}|[1-5]\\d\\d)$`;

export const sidecarParams = {
  lb: {
    kind: 'enum',
    values: ['leastRequest', 'roundRobin', 'random'],
    default: 'leastRequest',
    labels: { leastRequest: 'least request (P2C)', roundRobin: 'round robin', random: 'weighted random' },
    help: 'How a host is picked among those not ejected. Least request compares two random hosts\' active requests (Envoy\'s LEAST_REQUEST); weighted random follows the edge weights (a canary split: weights 90 and 10).',
  },
  latency: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'lognormal', mean: '0.1ms', p99: '0.15ms' },
    help: 'Time the proxy spends on each request (mTLS, routing, telemetry); added to its latency and counted as the proxy\'s CPU. Istio 1.20 measured about 0.1 ms per proxy at the 90th percentile.',
  },
  timeout: {
    kind: 'duration',
    default: null,
    orNone: true,
    min: '1us',
    help: 'Route timeout: the whole request, retries and back-off included, answered 504 when it passes. Istio: none by default.',
  },
  retries: {
    kind: 'object',
    help: 'Retries (Istio VirtualService retries). Istio\'s default: 2 attempts on connection failures.',
    fields: {
      attempts: { kind: 'int', default: 2, min: 0, max: 100, help: 'Retries after the first try (0: none). Istio\'s default is 2.' },
      perTryTimeout: {
        kind: 'duration',
        default: null,
        orNone: true,
        min: '1us',
        help: 'Each try is answered 504 if its host has not answered by then (and may be retried). "none": bounded only by the route timeout.',
      },
      retryOn: {
        kind: 'list',
        default: ['connect-failure'],
        help: 'Failures worth a retry: 5xx (any 5xx and no answer), gateway-error (502, 503, 504 and no answer), connect-failure (the host was down), reset (the host lost the request, or the try timed out), retriable-4xx (409), or status codes like "503". Istio\'s default retries connection failures (its other conditions are HTTP/2 and gRPC ones).',
        item: { kind: 'string', pattern: RETRY_ON_PATTERN, patternHelp: `expected one of ${RETRY_ON_CONDITIONS.join(', ')}, or a status code like "503"`, help: 'A retryable failure.' },
      },
      backoff: { kind: 'duration', default: '25ms', min: '1ms', help: 'Base interval of Envoy\'s jittered back-off: retry n waits a uniform time below base·2^(n−1), capped at 10 × base.' },
    },
  },
  connectionPool: {
    kind: 'object',
    help: 'Circuit breakers (Istio DestinationRule connectionPool). Istio\'s defaults, 2^32−1, leave them off.',
    fields: {
      maxConnections: { kind: 'int', default: UNLIMITED, min: 1, max: UNLIMITED, help: 'Connections to all hosts (HTTP/1.1: one request on each at a time). A request that finds none idle and cannot open one waits as pending.' },
      maxPendingRequests: { kind: 'int', default: UNLIMITED, min: 0, max: UNLIMITED, help: 'Requests waiting for a connection (http1MaxPendingRequests); one more is answered 503 at once (overflow, not retried).' },
      maxRequests: { kind: 'int', default: UNLIMITED, min: 1, max: UNLIMITED, help: 'Requests in flight to all hosts (http2MaxRequests); one more is answered 503 at once (overflow).' },
      maxRetries: { kind: 'int', default: UNLIMITED, min: 0, max: UNLIMITED, help: 'Retries in progress at once; past it a failure is returned as it is, not retried.' },
    },
  },
  outlierDetection: {
    kind: 'object',
    help: 'Passive health checking (Istio DestinationRule outlierDetection): hosts that keep failing are ejected from load balancing for a while.',
    fields: {
      enabled: { kind: 'bool', default: true, help: 'Eject failing hosts.' },
      consecutive5xxErrors: { kind: 'int', default: 5, min: 0, max: 1000, help: '5xx answers in a row (refused connections, resets and try timeouts count as 503/504) that eject a host; 0: off.' },
      consecutiveGatewayErrors: { kind: 'int', default: 0, min: 0, max: 1000, help: '502, 503 and 504 answers in a row that eject a host; 0: off (Istio\'s default).' },
      interval: { kind: 'duration', default: '10s', min: '1ms', help: 'Time between detector ticks; ejections end only on a tick.' },
      baseEjectionTime: { kind: 'duration', default: '30s', min: '1ms', help: 'An ejection lasts this × n for the n-th ejection in quick succession.' },
      maxEjectionTime: { kind: 'duration', default: '300s', min: '1ms', help: 'The longest ejection.' },
      maxEjectionPercent: { kind: 'number', default: 10, min: 0, max: 100, help: 'Percent of the hosts that may be ejected at once. Since Envoy 1.28 that is floor(hosts × percent/100): with the default 10%, fewer than 10 hosts means none.' },
      envoy: {
        kind: 'enum',
        values: ['1.28+', 'older'],
        default: '1.28+',
        labels: { '1.28+': 'Envoy 1.28 or later', older: 'before Envoy 1.28' },
        help: 'How the percentage is checked: 1.28 and later count the host about to be ejected (floor); older Envoy always allowed a first ejection (ceil).',
      },
      alwaysEjectOneHost: { kind: 'bool', default: false, advanced: true, help: 'Envoy 1.31+: one host may always be ejected, whatever the percentage.' },
      minHealthPercent: {
        kind: 'number',
        default: 0,
        min: 0,
        max: 100,
        advanced: true,
        help: 'Panic threshold: with fewer hosts than this percent not ejected, balance over all hosts, ejected or not. Istio: 0 (off); plain Envoy: 50.',
      },
    },
  },
} satisfies Record<string, Param>;

interface SidecarParams {
  lb: 'leastRequest' | 'roundRobin' | 'random';
  latency: DistSpec;
  timeout: number | null;
  retries: { attempts: number; perTryTimeout: number | null; retryOn: string[]; backoff: number };
  connectionPool: { maxConnections: number; maxPendingRequests: number; maxRequests: number; maxRetries: number };
  outlierDetection: {
    enabled: boolean;
    consecutive5xxErrors: number;
    consecutiveGatewayErrors: number;
    interval: number;
    baseEjectionTime: number;
    maxEjectionTime: number;
    maxEjectionPercent: number;
    envoy: '1.28+' | 'older';
    alwaysEjectOneHost: boolean;
    minHealthPercent: number;
  };
}

/** One request's progress through its tries (the request's `aux`). */
interface Route {
  /** Tries made, the first included. */
  tries: number;
  /** Hosts tried, in order. */
  tried: number[];
  /** The try in flight (null while pending, in back-off or between tries). */
  child: Call | null;
  /** Whether the request holds one of the `maxRetries` places. */
  retrying: boolean;
  /** Whether its request arrived after warm-up. */
  counted: boolean;
  /** The host whose connection it waits for as a pending request, or -1. */
  pendingOn: number;
}

const ROUTE_TIMEOUT = 'route-timeout';
const OVERFLOW = 'upstream-overflow';
const NO_HEALTHY = 'no-healthy-upstream';
const PER_TRY_TIMEOUT = 'per-try-timeout';

export class SidecarNode extends Node {
  static override kernelEntries: KernelEntries<SidecarNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  private table!: BackendTable;
  private detector: OutlierDetector | null = null;
  /** Open connections of each host, and how many carry a request now. */
  private conns!: Int32Array;
  private busy!: Int32Array;
  private connTotal = 0;
  private activeTotal = 0;
  /** Requests waiting for a connection to each host (answered ones are skipped lazily). */
  private pending: CallDeque[] = [];
  /** Requests really waiting for each host, and in all. */
  private pendingLive!: Int32Array;
  private pendingTotal = 0;
  private retriesActive = 0;
  // counters from warm-up on (Envoy's stat names in the report)
  private tries!: Float64Array;
  private ejectedSince!: Float64Array;
  private ejectedTime!: Float64Array;
  private overflow = 0;
  private cxOverflow = 0;
  private retries = 0;
  private retryOverflow = 0;
  private retryLimit = 0;
  private perTryTimeouts = 0;
  private routeTimeouts = 0;
  private noHealthy = 0;
  private cpuTime = 0;
  private wRetries = 0;
  private wOverflow = 0;
  private readonly latency: Sampler | null;
  private readonly latencyRng: Rng;
  private readonly pickRng: Rng;
  private readonly backoffRng: Rng;
  private readonly holding = new HeldCalls();
  private readonly tryTimers = new CallTimeouts(this, K_TRY_TIMER, (c) => this.tryTimedOut(c));
  private readonly reasons: { route: number; overflow: number; noHealthy: number; perTry: number };

  constructor(sim: Simulation, index: number, spec: NodeSpec, readonly p: SidecarParams) {
    super(sim, index, spec.id, 'sidecar');
    const l = p.latency;
    this.latency = samplerOrNull(l);
    this.latencyRng = this.stream('latency');
    this.pickRng = this.stream('pick');
    this.backoffRng = this.stream('backoff');
    this.reasons = { route: sim.reason(ROUTE_TIMEOUT), overflow: sim.reason(OVERFLOW), noHealthy: sim.reason(NO_HEALTHY), perTry: sim.reason(PER_TRY_TIMEOUT) };
  }

  override init(): void {
    const n = this.out.length;
    this.table = createBackendTable(this.out.map((e) => e.weight));
    this.conns = new Int32Array(n);
    // requests in flight per host: what least request compares
    this.busy = this.table.active;
    this.pending = this.out.map(() => new CallDeque(16));
    this.pendingLive = new Int32Array(n);
    this.tries = new Float64Array(n);
    this.ejectedSince = new Float64Array(n).fill(-1);
    this.ejectedTime = new Float64Array(n);
    const od = this.p.outlierDetection;
    if (od.enabled && n > 0) {
      this.detector = new OutlierDetector(n, outlierConfig(od));
      this.schedule(od.interval, K_OD_TICK, null, 0);
    }
  }

  override onArrival(call: Call): void {
    this.holding.add(call);
    const counted = call.arrivedAt >= this.sim.warmup;
    call.aux = { tries: 0, tried: [], child: null, retrying: false, counted, pendingOn: -1 } satisfies Route;
    if (this.p.timeout !== null) this.schedule(this.p.timeout, K_ROUTE_TIMEOUT, call, call.id);
    const t = this.latency === null ? 0 : Math.max(0, Math.round(this.latency.sample(this.latencyRng)));
    if (counted) this.cpuTime += t;
    if (t === 0) this.tryNext(call);
    else this.schedule(t, K_FORWARD, call, call.id);
  }

  /** The hosts a request may go to: not ejected, unless fewer than minHealthPercent are left (panic). */
  private eligibility(): void {
    const d = this.detector;
    const t = this.table;
    if (d === null) return;
    const panic = d.active > 0 && (100 * (t.n - d.active)) / t.n < this.p.outlierDetection.minHealthPercent;
    for (let i = 0; i < t.n; i++) t.healthy[i] = panic || !d.ejected[i] ? 1 : 0;
  }

  private pick(): number {
    const t = this.table;
    switch (this.p.lb) {
      case 'roundRobin':
        return pickRoundRobin(t);
      case 'random':
        return pickRandom(t, this.pickRng.next());
      case 'leastRequest':
        return pickPowerOfTwo(t, this.pickRng.next(), this.pickRng.next());
    }
  }

  /**
   * Picks a host for the next try: a retry avoids the hosts already tried (Istio's
   * previous_hosts predicate with host_selection_retry_max_attempts 5: up to 6 picks, the
   * last one kept whatever it is).
   */
  private pickHost(r: Route): number {
    let h = this.pick();
    for (let k = 0; k < 5 && h >= 0 && r.tried.includes(h); k++) h = this.pick();
    return h;
  }

  /** Starts the request's next try (the first, or a retry after its back-off). */
  private tryNext(call: Call): void {
    if (call.status !== PENDING) return;
    const r = call.aux as Route;
    const h = this.pickHost(r);
    if (h < 0) {
      if (r.counted) this.noHealthy++;
      this.finish(call, 503, this.reasons.noHealthy, -1);
      return;
    }
    r.tries++;
    r.tried.push(h);
    if (r.counted) this.tries[h]!++;
    const cp = this.p.connectionPool;
    if (this.busy[h]! < this.conns[h]!) this.attach(call, h);
    else if (this.connTotal < cp.maxConnections || this.conns[h] === 0) {
      this.conns[h]!++;
      this.connTotal++;
      this.attach(call, h);
    } else {
      if (r.counted) this.cxOverflow++;
      if (this.pendingTotal >= cp.maxPendingRequests) this.overflowed(call);
      else {
        this.pending[h]!.pushBack(call);
        this.pendingLive[h]!++;
        this.pendingTotal++;
        r.pendingOn = h;
      }
    }
  }

  /** Puts the request's try on a connection to host `h` and sends it. */
  private attach(call: Call, h: number): void {
    if (this.activeTotal >= this.p.connectionPool.maxRequests) {
      this.overflowed(call);
      return;
    }
    const r = call.aux as Route;
    this.busy[h]!++;
    this.activeTotal++;
    const child = this.sim.child(call);
    child.mark = h;
    r.child = child;
    if (this.p.retries.perTryTimeout !== null) this.tryTimers.start(child, this.p.retries.perTryTimeout);
    this.sim.send(this, this.out[h]!, child);
  }

  /** A circuit breaker is full: 503 at once, never retried. */
  private overflowed(call: Call): void {
    const r = call.aux as Route;
    if (r.counted) this.overflow++;
    this.wOverflow++;
    this.finish(call, 503, this.reasons.overflow, -1);
  }

  /**
   * Host `h`'s try ended: its connection is free again (or closed: a refused connection, a
   * reset, or a try given up on, whose stream Envoy resets), and the host's pending
   * requests take free connections, or open new ones while the cluster has room.
   */
  private release(h: number, keepConnection: boolean): void {
    this.busy[h]!--;
    this.activeTotal--;
    if (!keepConnection) {
      this.conns[h]!--;
      this.connTotal--;
    }
    const q = this.pending[h]!;
    while (this.pendingLive[h]! > 0) {
      let open = false;
      if (this.busy[h]! >= this.conns[h]!) {
        if (this.conns[h] === 0 || this.connTotal < this.p.connectionPool.maxConnections) open = true;
        else break;
      }
      const next = q.popFront();
      if (next === null) break;
      this.unpend(next);
      if (open) {
        this.conns[h]!++;
        this.connTotal++;
      }
      this.attach(next, h);
    }
    if (q.size > 2 * this.pendingLive[h]! + 16) q.compact();
  }

  /** `call` no longer waits for a connection. */
  private unpend(call: Call): void {
    const r = call.aux as Route;
    this.pendingLive[r.pendingOn]!--;
    this.pendingTotal--;
    r.pendingOn = -1;
  }

  override onResponse(child: Call): void {
    this.tryTimers.cancel(child);
    const h = child.mark;
    const status = child.status;
    const reason = child.reason;
    const origin = child.origin;
    const retryAfter = child.retryAfter;
    const abandoned = child.abandoned;
    const parent = this.sim.parentOf(child);
    this.sim.release(child);
    // a refused connection or a reset closes the connection; an answer leaves it open
    const how = status === DROPPED ? AttemptFailure.Reset : status === 503 && reason === R.DOWN && origin === this.out[h]!.to.index ? AttemptFailure.ConnectFailure : AttemptFailure.Status;
    // a try given up on had its connection closed then; this is the late answer
    if (abandoned) return;
    this.observe(h, how === AttemptFailure.Status ? status : 503);
    this.release(h, how === AttemptFailure.Status);
    if (parent === null) return;
    const r = parent.aux as Route;
    r.child = null;
    if (status === OK) {
      this.finish(parent, OK, R.OK, -1);
      return;
    }
    parent.retryAfter = retryAfter;
    this.failedTry(parent, how, status, reason, origin);
  }

  /** A try failed: retry it, or answer the request with the failure. */
  private failedTry(call: Call, how: AttemptFailure, status: number, reason: number, origin: number): void {
    const r = call.aux as Route;
    const rp = this.p.retries;
    // an upstream proxy's overflow (x-envoy-overloaded) is never retried either
    const overloaded = how === AttemptFailure.Status && reason === this.reasons.overflow;
    if (overloaded || !retryOnMatches(rp.retryOn, how, status)) {
      this.finish(call, status, reason, origin);
      return;
    }
    if (r.tries > rp.attempts) {
      if (r.counted) this.retryLimit++;
      this.finish(call, status, reason, origin);
      return;
    }
    // Envoy holds a retry's place in max_retries from the decision to retry until the next
    // decision (or the end of the request), and checks the limit again at each decision
    if (r.retrying) {
      r.retrying = false;
      this.retriesActive--;
    }
    if (this.retriesActive >= this.p.connectionPool.maxRetries) {
      if (r.counted) this.retryOverflow++;
      this.finish(call, status, reason, origin);
      return;
    }
    r.retrying = true;
    this.retriesActive++;
    if (r.counted) this.retries++;
    this.wRetries++;
    const wait = retryBackoffUs(r.tries, this.p.retries.backoff / 1000, (10 * this.p.retries.backoff) / 1000, this.backoffRng.next());
    this.schedule(wait, K_RETRY, call, call.id);
  }

  /** Feeds outlier detection; an ejection takes the host out of load balancing. */
  private observe(h: number, status: number): void {
    const d = this.detector;
    if (d === null) return;
    if (d.onResult(h, status, this.sim.now)) {
      this.ejectedSince[h] = this.sim.now;
      this.eligibility();
      this.sim.log('health', `${this.id}: ${this.out[h]!.to.id} ejected after ${this.p.outlierDetection.consecutive5xxErrors || this.p.outlierDetection.consecutiveGatewayErrors} errors in a row (ejection ${d.ejections[h]})`, { node: this.id });
    }
  }

  private tryTimedOut(child: Call): void {
    this.release(child.mark, false);
    const parent = this.sim.parentOf(child);
    if (parent === null) return;
    const r = parent.aux as Route;
    r.child = null;
    if (r.counted) this.perTryTimeouts++;
    this.observe(child.mark, 504);
    this.failedTry(parent, AttemptFailure.PerTryTimeout, 504, this.reasons.perTry, -1);
  }

  private routeTimedOut(call: Call): void {
    if (call.status !== PENDING) return;
    const r = call.aux as Route;
    if (r.counted) this.routeTimeouts++;
    if (r.child !== null) {
      // the try in flight is reset: its connection closes, its late answer is discarded,
      // and its host is charged a timeout, as Envoy's onResponseTimeout does
      this.tryTimers.cancel(r.child);
      r.child.abandoned = true;
      this.observe(r.child.mark, 504);
      this.release(r.child.mark, false);
      r.child = null;
    }
    if (r.pendingOn >= 0) this.unpend(call);
    this.finish(call, 504, this.reasons.route, -1);
  }

  private finish(call: Call, status: number, reason: number, origin: number): void {
    const r = call.aux as Route | null;
    if (r?.retrying) this.retriesActive--;
    call.aux = null;
    this.holding.remove(call);
    this.sim.respond(call, status, reason, origin);
  }

  override onEvent(kind: number, obj: unknown, _tag: number): void {
    switch (kind) {
      case K_FORWARD:
      case K_RETRY:
        this.tryNext(obj as Call);
        break;
      case K_TRY_TIMER:
        this.tryTimers.fire();
        break;
      case K_ROUTE_TIMEOUT:
        this.routeTimedOut(obj as Call);
        break;
      case K_OD_TICK: {
        const now = this.sim.now;
        for (const h of this.detector!.tick(now)) {
          this.ejectedTime[h]! += this.afterWarmup(this.ejectedSince[h]!, now);
          this.ejectedSince[h] = -1;
          this.sim.log('health', `${this.id}: ${this.out[h]!.to.id} back in load balancing`, { node: this.id });
        }
        this.eligibility();
        this.schedule(this.p.outlierDetection.interval, K_OD_TICK, null, 0);
        break;
      }
    }
  }

  protected override onCrash(): void {
    for (const c of this.holding.takeAll()) {
      if (c.status !== PENDING) continue;
      const r = c.aux as Route | null;
      if (r?.child) {
        this.tryTimers.cancel(r.child);
        r.child.abandoned = true;
      }
      c.aux = null;
      this.sim.respond(c, DROPPED, R.CRASHED);
    }
    // a crashed proxy loses its connections, its pending requests and its retries
    for (const q of this.pending) while (q.popFront() !== null);
    this.pendingLive.fill(0);
    this.pendingTotal = 0;
    this.conns.fill(0);
    this.busy.fill(0);
    this.connTotal = 0;
    this.activeTotal = 0;
    this.retriesActive = 0;
  }

  override held(): number {
    return this.holding.size;
  }

  override windowExtras(): Record<string, number> {
    const extras = {
      ejectedHosts: this.detector?.active ?? 0,
      pendingRequests: this.pendingTotal,
      activeRequests: this.activeTotal,
      retries: this.wRetries,
      overflows: this.wOverflow,
    };
    this.wRetries = 0;
    this.wOverflow = 0;
    return extras;
  }

  override report(): Record<string, unknown> {
    const now = this.sim.now;
    const total = this.tries.reduce((a, b) => a + b, 0);
    const d = this.detector;
    const hosts = this.out.map((e, i) => {
      let ejected = this.ejectedTime[i]!;
      if (this.ejectedSince[i]! >= 0) ejected += this.afterWarmup(this.ejectedSince[i]!, now);
      const row: Record<string, unknown> = {
        weight: e.weight,
        tries: this.tries[i],
        share: total ? Math.round((this.tries[i]! / total) * 1e6) / 1e6 : 0,
        connections: this.conns[i],
      };
      if (d) Object.assign(row, { ejected: d.ejected[i] === 1, ejections: d.ejections[i], ejectedSeconds: Math.round(ejected / 1000) / 1000 });
      return [e.to.id, row] as const;
    });
    const seconds = Math.max(0, now - this.sim.warmup) / 1e6;
    const od = this.p.outlierDetection;
    return {
      lb: this.p.lb,
      // Envoy's stat names: upstream_rq_pending_overflow, upstream_cx_overflow, upstream_rq_retry...
      overflow: this.overflow,
      connectionOverflow: this.cxOverflow,
      retries: this.retries,
      retryOverflow: this.retryOverflow,
      retryLimitExceeded: this.retryLimit,
      perTryTimeouts: this.perTryTimeouts,
      routeTimeouts: this.routeTimeouts,
      noHealthyUpstream: this.noHealthy,
      ejectionsActive: d?.active ?? 0,
      ejectionsOverflow: d?.overflow ?? 0,
      ejectableHosts: d ? OutlierDetector.capacity(this.out.length, outlierConfig(od)) : 0,
      vcpu: seconds > 0 ? Math.round((this.cpuTime / 1e6 / seconds) * 1e6) / 1e6 : null,
      hosts: Object.fromEntries(hosts),
    };
  }
}

function outlierConfig(od: SidecarParams['outlierDetection']): OutlierConfig {
  return {
    consecutive5xx: od.consecutive5xxErrors,
    consecutiveGatewayErrors: od.consecutiveGatewayErrors,
    interval: od.interval,
    baseEjectionTime: od.baseEjectionTime,
    maxEjectionTime: Math.max(od.maxEjectionTime, od.baseEjectionTime),
    maxEjectionPercent: od.maxEjectionPercent,
    percentCheck: od.envoy === 'older' ? 'before-1.28' : 'since-1.28',
    alwaysEjectOneHost: od.alwaysEjectOneHost,
  };
}

export const sidecar = defineComponent({
  type: 'sidecar',
  title: 'Mesh sidecar',
  description: 'An Envoy sidecar as Istio configures it: load balancing, circuit breakers, retries, timeouts and outlier detection toward a service\'s hosts.',
  icon: 'sidecar',
  category: 'network',
  params: sidecarParams,
  outgoing: { min: 1, meaning: 'is a host of the upstream service (its weight is the host\'s share under weighted random)' },
  incoming: true,
  faults: [],
  validate(view) {
    const p = view.node.params as unknown as SidecarParams;
    const issues = [];
    for (const o of view.out) {
      if (o.edge.probability !== 1 || o.edge.kinds !== 'any') {
        issues.push({ path: `edges[${o.index}]`, message: "warning: probability and kinds have no effect on a sidecar's host edges; every try goes to exactly one host" });
      }
    }
    if (new Set(view.out.map((o) => o.edge.weight)).size > 1 && p.lb !== 'random') {
      issues.push({ path: `${view.path}.lb`, message: `warning: the host edges have different weights, but ${p.lb} ignores weights; use random (weighted)` });
    }
    const od = p.outlierDetection;
    const n = view.out.length;
    if (od.enabled && (od.consecutive5xxErrors > 0 || od.consecutiveGatewayErrors > 0) && n > 0 && OutlierDetector.capacity(n, outlierConfig(od)) === 0) {
      issues.push({
        path: `${view.path}.outlierDetection.maxEjectionPercent`,
        message: `warning: with ${n} host${n === 1 ? '' : 's'} and maxEjectionPercent ${od.maxEjectionPercent}, Envoy ${od.envoy === 'older' ? 'before 1.28' : '1.28 and later'} ejects no host (floor(${n} × ${od.maxEjectionPercent}%) = 0); raise it to at least ${Math.ceil(100 / n)} or set alwaysEjectOneHost`,
      });
    }
    const r = p.retries;
    if (r.perTryTimeout !== null && p.timeout !== null && r.perTryTimeout >= p.timeout && r.attempts > 0) {
      issues.push({ path: `${view.path}.retries.perTryTimeout`, message: 'warning: the per-try timeout is not shorter than the route timeout, so no retry after a try timeout can finish in time' });
    }
    return issues;
  },
  create(sim, spec, index) {
    return new SidecarNode(sim, index, spec, spec.params as unknown as SidecarParams);
  },
});
