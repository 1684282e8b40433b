/**
 * A rate limiter's policy: its algorithm (one instance per tier), what a key is (global,
 * client IP, user), and which tier each client belongs to. A limiter applies it to its
 * own key tables; a counter store applies the same policy, carried in each request, to
 * tables it keeps per namespace, which is how several limiters share counters.
 */
import type { Call } from '../../core/call.ts';
import type { Simulation } from '../../core/sim.ts';
import { FixedWindow } from '../../kernels/ratelimit/fixedWindow.ts';
import { KeyTable } from '../../kernels/ratelimit/keyTable.ts';
import { LeakyMeter, LeakyQueue } from '../../kernels/ratelimit/leakyBucket.ts';
import { nginxConfig, NginxLimitReq } from '../../kernels/ratelimit/nginx.ts';
import type { Plan, RateAlgorithm } from '../../kernels/ratelimit/plan.ts';
import { SlidingCounter } from '../../kernels/ratelimit/slidingCounter.ts';
import { SlidingLog } from '../../kernels/ratelimit/slidingLog.ts';
import { TokenBucket } from '../../kernels/ratelimit/tokenBucket.ts';
import type { AlgorithmParams, LimiterKey, LimiterParams, TierParams } from './limiterParams.ts';

/** The algorithm's parameters with a tier's overrides applied. */
export function withTier(a: AlgorithmParams, t: TierParams | undefined): AlgorithmParams {
  if (!t) return a;
  const o: Record<string, unknown> = { ...a };
  for (const k of ['rate', 'capacity', 'burst', 'limit', 'window'] as const) {
    if (t[k] !== undefined && k in o) o[k] = t[k];
  }
  return o as unknown as AlgorithmParams;
}

/** The kernel for a set of algorithm parameters. */
export function createAlgorithm(a: AlgorithmParams): RateAlgorithm {
  switch (a.type) {
    case 'tokenBucket':
      return new TokenBucket({ ratePerSec: a.rate, capacity: a.capacity, startFull: a.startFull, maxDelayUs: a.maxDelay });
    case 'leakyBucket':
      return a.mode === 'queue'
        ? new LeakyQueue({ ratePerSec: a.rate, capacity: a.capacity })
        : new LeakyMeter({ ratePerSec: a.rate, capacity: a.capacity });
    case 'fixedWindow':
      return new FixedWindow({ limit: a.limit, windowUs: a.window, counter: a.counter });
    case 'slidingLog':
      return new SlidingLog({ limit: a.limit, windowUs: a.window, countRejected: a.countRejected });
    case 'slidingWindowCounter':
      return new SlidingCounter({ limit: a.limit, windowUs: a.window, countRejected: a.countRejected });
    case 'nginx':
      return new NginxLimitReq(nginxConfig(a.rate, a.burst, a.nodelay ? 'nodelay' : a.delay));
  }
}

export class LimiterPolicy {
  /** One algorithm per tier (a single entry without tiers). */
  readonly algos: RateAlgorithm[];
  readonly tierNames: string[];
  readonly scope: LimiterKey;
  readonly maxKeys: number;
  /** Counters are shared between limiters whose namespaces are equal: same zone, same configuration. */
  readonly namespace: string;
  /** Tier index of each actor (clients; others get the default tier). */
  private readonly tierOfActor: Int32Array;
  /** Client ids whose `tier` label no tier matches (for a warning). */
  readonly unknownLabels: string[] = [];

  constructor(p: LimiterParams, sim: Simulation) {
    const tiers = p.tiers ?? [];
    this.tierNames = tiers.length ? tiers.map((t) => t.name) : ['all'];
    this.algos = (tiers.length ? tiers : [undefined]).map((t) => createAlgorithm(withTier(p.algorithm, t)));
    this.scope = p.key;
    this.maxKeys = p.maxKeys;
    const { status: _status, ...algo } = p.algorithm;
    this.namespace = `${p.store.zone}|${JSON.stringify([algo, p.key, tiers, p.defaultTier ?? null])}`;
    const def = Math.max(0, p.defaultTier === undefined ? 0 : this.tierNames.indexOf(p.defaultTier));
    // actor i + 1 is scenario node i (actor 0 is the system); nodes listed after this
    // limiter do not exist yet while it is being built, so size from the scenario
    this.tierOfActor = new Int32Array(sim.scenario.nodes.length + 1).fill(def);
    sim.scenario.nodes.forEach((n, i) => {
      const label = n.type === 'client' ? (n.params.tier as string | undefined) : undefined;
      if (label === undefined || !tiers.length) return;
      const t = this.tierNames.indexOf(label);
      if (t >= 0) this.tierOfActor[i + 1] = t;
      else this.unknownLabels.push(`${n.id} ("${label}")`);
    });
  }

  /** The limit key of a call: 0 for global, else its client IP or user id. */
  keyOf(c: Call): number {
    return this.scope === 'ip' ? c.ip : this.scope === 'user' ? c.user : 0;
  }

  /** The tier of a call, from its client's label. */
  tierOf(c: Call): number {
    const i = c.client;
    return i >= 0 && i < this.tierOfActor.length ? this.tierOfActor[i]! : 0;
  }

  /** Fresh key tables, one per tier. */
  createTables(): KeyTable[] {
    return this.algos.map((a) => new KeyTable(a, this.maxKeys));
  }

  /** Decides on call `c` at `nowUs` against `tables`. */
  decide(tables: KeyTable[], c: Call, nowUs: number, plan: Plan): void {
    tables[this.tierOf(c)]!.decide(this.keyOf(c), nowUs, plan);
  }
}
