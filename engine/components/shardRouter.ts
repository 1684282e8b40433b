/**
 * shardRouter: the routing layer in front of a sharded data tier (Vitess's VTGate, a
 * Citus coordinator, a client library's key ring). Each outgoing edge is one shard, and a
 * request goes to the shard that holds its key (or its user), by a placement strategy:
 * hash mod N, a consistent-hash ring with virtual nodes, jump hash, key ranges, a lookup
 * directory, or the client's region (geo). The router answers with the shard's answer.
 *
 * What it lets a user watch: a skewed key popularity makes a hot shard under range
 * sharding (the report's imbalance, the shards' own queues); a crashed shard fails only
 * the requests for its own keys (fault isolation); adding a shard during the run
 * (`set` {shards}) moves N/(N+1) of the requests to another shard with hash mod N and
 * about 1/(N+1) with consistent or jump hashing (the report's remappedShare, and the hit
 * ratio of the caches behind it); cross-shard queries fan out to every shard and take as
 * long as the slowest one.
 *
 * Placement itself is in kernels/shard.ts. The router draws no random number except for
 * `crossShard` (whether a read is a cross-shard query), and then from its own stream.
 */
import type { Call } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { samplerOrNull, type DistSpec, type Sampler } from '../core/dist.ts';
import { HeldCalls } from '../core/held.ts';
import { Node, READ_KEY, READ_USER, type FaultSpec, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import { INTERN_BASE, type Simulation } from '../core/sim.ts';
import { OK, PENDING, R } from '../core/status.ts';
import { formatDuration } from '../core/units.ts';
import { USER_SLOTS, userBase } from '../kernels/identity.ts';
import { hashId, HashRing, jumpHash, jumpKey, modShard, rangeShard } from '../kernels/shard.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { clientBlocks } from './client.ts';
import { CallTimeouts, UPSTREAM_TIMEOUT, upstreamTimeoutParam } from './support/callTimeouts.ts';

const K_FORWARD = 2;
const K_UPSTREAM_TIMER = 3;

export const SHARD_STRATEGIES = ['hash', 'consistent', 'jump', 'range', 'directory', 'geo'] as const;
export type ShardStrategy = (typeof SHARD_STRATEGIES)[number];

export const shardRouterParams = {
  strategy: {
    kind: 'enum',
    values: SHARD_STRATEGIES,
    default: 'hash',
    labels: {
      hash: 'hash mod N',
      consistent: 'consistent hashing (ring)',
      jump: 'jump consistent hash',
      range: 'key ranges',
      directory: 'lookup directory',
      geo: 'by region (client)',
    },
    help: 'How a shard is chosen: shard = hash(id) mod N; a hash ring with virtual nodes; jump hash; contiguous id ranges; a directory of ids (others by hash mod N); or by the client the request comes from (geo).',
  },
  shardBy: {
    kind: 'enum',
    values: ['key', 'user'],
    default: 'key',
    labels: { key: 'request key', user: 'user id' },
    help: 'The id that decides the shard: the key a request reads or writes, or the user sending it (as in "users 1 to 1M on shard A"). Not used by geo.',
  },
  shards: {
    kind: 'int',
    default: 0,
    min: 0,
    help: 'Shards in use: the first N outgoing edges, in order (0: all of them). Change it during the run with a "set" fault to add or remove shards and watch which requests move.',
  },
  virtualNodes: {
    kind: 'int',
    default: 100,
    min: 1,
    max: 10000,
    help: 'Consistent hashing: points each shard owns on the ring. More points, more even shares (the spread of a shard\'s share is about 1/√V).',
  },
  rangeSize: {
    kind: 'int',
    default: 2500,
    min: 1,
    help: 'Key ranges: ids per shard (ids 0 to size−1 on the first shard, and so on; ids past the last range stay on the last shard). By user, a client\'s users are numbered from 0 (user u7 is 7).',
  },
  directory: {
    kind: 'list',
    default: [],
    help: 'Lookup directory: which shard holds which ids. Ids not listed are placed by hash mod N.',
    item: {
      kind: 'object',
      help: 'One directory entry.',
      fields: {
        id: { kind: 'id', default: 0, help: 'A key or user id: a number, a generated user as reports show it ("users/u7"), or a name from a replayed trace.' },
        shard: { kind: 'string', default: '', help: 'The id of the shard node (one this router has an edge to).' },
      },
    },
  },
  regions: {
    kind: 'list',
    default: [],
    help: 'By region: which shard serves the requests of which client (a client stands for a group of users in one region). Clients not listed are placed by a hash of the client.',
    item: {
      kind: 'object',
      help: 'One region.',
      fields: {
        client: { kind: 'string', default: '', help: 'The id of a client node.' },
        shard: { kind: 'string', default: '', help: 'The id of the shard node that holds its users\' data.' },
      },
    },
  },
  crossShard: {
    kind: 'probability',
    default: 0,
    help: 'Fraction of reads that are cross-shard queries (like SELECT COUNT(*) over all users): sent to every shard in use, answered when all have answered (failed as soon as one fails).',
  },
  processing: {
    kind: 'dist',
    unit: 'duration',
    default: 0,
    help: 'Time the router itself adds to each request (parsing, a directory lookup).',
  },
  upstreamTimeout: upstreamTimeoutParam('a shard'),
} satisfies Record<string, Param>;

interface RouterParams {
  strategy: ShardStrategy;
  shardBy: 'key' | 'user';
  shards: number;
  virtualNodes: number;
  rangeSize: number;
  directory: Array<{ id: string | number; shard: string }>;
  regions: Array<{ client: string; shard: string }>;
  crossShard: number;
  processing: DistSpec;
  upstreamTimeout: number | null;
}

/** A placement: the shard count in use and, for consistent hashing, its ring. */
interface Placement {
  n: number;
  ring: HashRing | null;
}

/** The last change of the shard count, and how the requests routed since then moved. */
interface Reshard {
  at: number;
  from: number;
  to: number;
  /** The placement before the change (each request is placed by both). */
  before: Placement;
  routed: number;
  remapped: number;
}

export class ShardRouterNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<ShardRouterNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  private placement: Placement = { n: 0, ring: null };
  private names: string[] = [];
  private readonly directory = new Map<number, number>();
  /** Shard index by the client's actor index (-1: not listed). */
  private regionOf = new Int32Array(0);
  /** The user-id blocks of the scenario's clients (range sharding by user counts users within them). */
  private userBlocks = new Set<number>();
  private reshard: Reshard | null = null;
  /** The shard count in force when each `set` fault began (what its end restores). */
  private readonly savedShards = new Map<FaultSpec, number>();
  /** Requests per shard that arrived after warm-up (a cross-shard query counts once on every shard). */
  private picks!: Float64Array;
  /** Requests per shard that arrived after warm-up and since the shard count last changed. */
  private current!: Float64Array;
  /** Requests per shard in the current metric window. */
  private wPicks!: Float64Array;
  private wRouted = 0;
  private wRemapped = 0;
  private crossQueries = 0;
  private upstreamTimeouts = 0;
  private readonly processingTime: Sampler | null;
  private readonly procRng: Rng;
  private readonly crossRng: Rng;
  private readonly byUser: boolean;
  private readonly holding = new HeldCalls();
  private readonly upstream = new CallTimeouts(this, K_UPSTREAM_TIMER, (c) => this.timedOut(c));

  constructor(sim: Simulation, index: number, spec: NodeSpec, readonly p: RouterParams) {
    super(sim, index, spec.id, 'shardRouter');
    this.byUser = p.shardBy === 'user';
    this.reads = p.strategy === 'geo' ? 0 : this.byUser ? READ_USER : READ_KEY;
    const proc = p.processing;
    this.processingTime = samplerOrNull(proc);
    this.procRng = this.stream('processing');
    this.crossRng = this.stream('crossShard');
  }

  override init(): void {
    this.names = this.out.map((e) => e.to.id);
    const k = this.out.length;
    this.picks = new Float64Array(k);
    this.current = new Float64Array(k);
    this.wPicks = new Float64Array(k);
    this.placement = this.place(this.p.shards);
    for (const d of this.p.directory) this.directory.set(this.directoryId(d.id), this.names.indexOf(d.shard));
    if (this.p.strategy === 'range' && this.byUser) this.userBlocks = new Set(clientBlocks(this.sim).clientOfUserBlock.keys());
    this.regionOf = new Int32Array(this.sim.actors.length).fill(-1);
    for (const r of this.p.regions) {
      const client = this.sim.byId.get(r.client);
      if (client) this.regionOf[client.index] = this.names.indexOf(r.shard);
    }
  }

  /**
   * The id a directory entry stands for: a number as it is; by user, a generated user
   * as reports show it ("<client>/u7") is that client's user 7; other strings as a trace
   * would name them.
   */
  private directoryId(id: string | number): number {
    if (typeof id === 'number') return id;
    const m = this.byUser ? /^(.*)\/u(\d+)$/.exec(id) : null;
    const blocks = m ? clientBlocks(this.sim).byClient.get(m[1]!) : undefined;
    if (m && blocks !== undefined && Number(m[2]) < USER_SLOTS) return userBase(blocks.user) + Number(m[2]);
    return this.sim.intern(id);
  }

  /** The placement for `shards` shards in use (0: every outgoing edge). */
  private place(shards: number): Placement {
    const n = shards > 0 && shards < this.out.length ? shards : this.out.length;
    const ring =
      this.p.strategy === 'consistent'
        ? new HashRing(
            this.names,
            Array.from({ length: n }, (_, i) => i),
            this.p.virtualNodes,
          )
        : null;
    return { n, ring };
  }

  /** The shard of a call under a placement. */
  private shardOf(call: Call, pl: Placement): number {
    const id = this.byUser ? call.user : call.key;
    switch (this.p.strategy) {
      case 'hash':
        return modShard(hashId(id), pl.n);
      case 'consistent':
        return pl.ring!.lookup(hashId(id));
      case 'jump': {
        const [hi, lo] = jumpKey(id);
        return jumpHash(hi, lo, pl.n);
      }
      case 'range':
        return rangeShard(this.byUser ? this.userNumber(id) : id, this.p.rangeSize, pl.n);
      case 'directory':
        return this.directory.get(id) ?? modShard(hashId(id), pl.n);
      case 'geo': {
        const r = this.regionOf[call.client]!;
        return r >= 0 ? r : modShard(hashId(call.client), pl.n);
      }
    }
  }

  /**
   * A user's number for range sharding: a generated user "<client>/u<n>" is n (each
   * client's users are numbered from 0, as a table's user ids are), a trace's id is itself.
   */
  private userNumber(id: number): number {
    if (id < USER_SLOTS || id >= INTERN_BASE) return id;
    const block = Math.floor(id / USER_SLOTS) - 1;
    return this.userBlocks.has(block) ? id - userBase(block) : id;
  }

  override onArrival(call: Call): void {
    this.holding.add(call);
    if (this.processingTime === null) this.forward(call);
    else this.schedule(Math.round(this.processingTime.sample(this.procRng)), K_FORWARD, call, call.id);
  }

  private forward(call: Call): void {
    if (call.status !== PENDING) return; // dropped by a crash while being processed
    const counted = call.arrivedAt >= this.sim.warmup;
    const n = this.placement.n;
    if (this.p.crossShard > 0 && call.kind === 0 && this.crossRng.next() < this.p.crossShard) {
      if (counted) this.crossQueries++;
      call.pending = n;
      const id = call.id;
      for (let i = 0; i < n; i++) {
        this.sendTo(call, i, counted);
        // a shard answered at once with a failure, and the query was answered with it
        if (call.id !== id || call.status !== PENDING) return;
      }
      return;
    }
    const i = this.shardOf(call, this.placement);
    const rs = this.reshard;
    if (rs !== null) {
      rs.routed++;
      this.wRouted++;
      if (this.shardOf(call, rs.before) !== i) {
        rs.remapped++;
        this.wRemapped++;
      }
    }
    call.pending = 1;
    this.sendTo(call, i, counted);
  }

  private sendTo(call: Call, i: number, counted: boolean): void {
    const child = this.sim.child(call);
    child.mark = counted ? 1 : 0;
    if (counted) {
      this.picks[i]!++;
      this.current[i]!++;
    }
    this.wPicks[i]!++;
    if (this.p.upstreamTimeout !== null) this.upstream.start(child, this.p.upstreamTimeout);
    this.sim.send(this, this.out[i]!, child);
  }

  override onResponse(child: Call): void {
    this.upstream.cancel(child);
    const abandoned = child.abandoned;
    const parent = this.sim.parentOf(child);
    const status = child.status;
    const reason = child.reason;
    const origin = child.origin;
    const retryAfter = child.retryAfter;
    this.sim.release(child);
    if (parent === null || abandoned) return;
    if (status !== OK) {
      // one shard failed: so does the request (a cross-shard query does not wait for the rest)
      parent.retryAfter = retryAfter;
      this.holding.answer(this.sim, parent, status, reason, origin);
    } else if (--parent.pending === 0) this.holding.answer(this.sim, parent, OK, R.OK, -1);
  }

  /** A shard did not answer in time: the request is answered 504 (if it is still waiting). */
  private timedOut(child: Call): void {
    const parent = this.sim.parentOf(child);
    if (parent === null) return;
    if (child.mark === 1) this.upstreamTimeouts++;
    this.holding.answer(this.sim, parent, 504, this.sim.reason(UPSTREAM_TIMEOUT), -1);
  }

  override onEvent(kind: number, obj: unknown, _tag: number): void {
    switch (kind) {
      case K_FORWARD:
        this.forward(obj as Call);
        break;
      case K_UPSTREAM_TIMER:
        this.upstream.fire();
        break;
    }
  }

  override applyFault(f: FaultSpec, revert: boolean): boolean {
    if (f.action !== 'set') return false;
    const p = f.parsed as Partial<RouterParams> | undefined;
    if (p?.shards === undefined) return true;
    // a revert goes back to the count in force when the fault began
    const to = revert ? (this.savedShards.get(f) ?? this.p.shards) : p.shards;
    if (!revert) this.savedShards.set(f, this.placement.n);
    const next = this.place(to);
    const before = this.placement;
    if (next.n === before.n) return true;
    this.placement = next;
    this.current.fill(0);
    this.reshard = { at: this.sim.now, from: before.n, to: next.n, before, routed: 0, remapped: 0 };
    this.sim.log('info', `${this.id}: ${before.n} → ${next.n} shards`, { node: this.id });
    return true;
  }

  protected override onCrash(): void {
    this.holding.dropAll(this.sim);
  }

  override held(): number {
    return this.holding.size;
  }

  override windowExtras(): Record<string, number> {
    const n = this.placement.n;
    let total = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = this.wPicks[i]!;
      total += x;
      if (x > max) max = x;
    }
    this.wPicks.fill(0);
    const extras: Record<string, number> = { imbalance: total > 0 ? (max * n) / total : NaN };
    if (this.reshard !== null) extras.remappedShare = this.wRouted > 0 ? this.wRemapped / this.wRouted : NaN;
    this.wRouted = 0;
    this.wRemapped = 0;
    return extras;
  }

  override report(): Record<string, unknown> {
    const n = this.placement.n;
    let total = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      total += this.current[i]!;
      if (this.current[i]! > max) max = this.current[i]!;
    }
    const all = this.picks.reduce((a, b) => a + b, 0);
    const ring = this.placement.ring?.ownership(this.out.length);
    const shards = this.out.map((e, i) => {
      const row: Record<string, unknown> = {
        inUse: i < n,
        requests: this.picks[i],
        share: all ? round6(this.picks[i]! / all) : 0,
      };
      if (ring) row.ringShare = round6(ring[i]!);
      return [e.to.id, row] as const;
    });
    const rs = this.reshard;
    return {
      strategy: this.p.strategy,
      shardBy: this.p.strategy === 'geo' ? 'client' : this.p.shardBy,
      shardsInUse: n,
      // the busiest shard in use over the mean of the shards in use (1 = perfectly even),
      // over the requests since the shard count last changed
      imbalance: total > 0 ? round6((max * n) / total) : null,
      crossShardQueries: this.crossQueries,
      upstreamTimeouts: this.upstreamTimeouts,
      shards: Object.fromEntries(shards),
      reshard: rs && {
        at: formatDuration(rs.at),
        from: rs.from,
        to: rs.to,
        routed: rs.routed,
        remapped: rs.remapped,
        remappedShare: rs.routed ? round6(rs.remapped / rs.routed) : null,
      },
    };
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export const shardRouter = defineComponent({
  type: 'shardRouter',
  title: 'Shard router',
  description: 'Sends each request to the shard that holds its key or user: hash mod N, consistent hashing, jump hash, ranges, a directory or by region.',
  icon: 'ring',
  category: 'data',
  params: shardRouterParams,
  outgoing: { min: 1, meaning: 'is a shard: the node (database, cache, server) that holds one part of the data' },
  incoming: true,
  faults: ['set'],
  mutable: ['shards'],
  validateFault(_node, f, out) {
    const shards = (f.params as Record<string, unknown> | undefined)?.shards;
    if (f.action === 'set' && typeof shards === 'number' && shards > out.length) {
      return `shards ${shards} is more than this router's ${out.length} outgoing edge${out.length === 1 ? '' : 's'}; add an edge to each new shard first (the shards in use are the first N edges)`;
    }
    return null;
  },
  validate(view) {
    const p = view.node.params as unknown as RouterParams;
    const issues = [];
    const targets = view.out.map((o) => o.to);
    if (p.shards > targets.length) {
      issues.push({
        path: `${view.path}.shards`,
        message: `${p.shards} shards in use, but the router has ${targets.length} outgoing edge${targets.length === 1 ? '' : 's'}; add an edge to each shard, or lower it (0 uses every edge)`,
      });
    }
    for (const o of view.out) {
      if (o.edge.probability !== 1 || o.edge.kinds !== 'any' || o.edge.weight !== 1) {
        issues.push({
          path: `edges[${o.index}]`,
          message: 'warning: weight, probability and kinds have no effect on a shard router\'s edges; the placement strategy alone decides the shard',
        });
      }
    }
    const seen = new Set<string>();
    p.directory.forEach((d, i) => {
      const at = `${view.path}.directory[${i}]`;
      const key = `${typeof d.id}:${d.id}`;
      if (seen.has(key)) issues.push({ path: `${at}.id`, message: `id ${JSON.stringify(d.id)} is listed twice` });
      seen.add(key);
      if (!targets.includes(d.shard)) issues.push({ path: `${at}.shard`, message: shardMessage(d.shard, targets) });
    });
    const clients = new Set<string>();
    p.regions.forEach((r, i) => {
      const at = `${view.path}.regions[${i}]`;
      const peer = view.peer(r.client);
      if (!peer || peer.type !== 'client') issues.push({ path: `${at}.client`, message: `"${r.client}" is not a client in this scenario` });
      else if (clients.has(r.client)) issues.push({ path: `${at}.client`, message: `client "${r.client}" is listed twice` });
      clients.add(r.client);
      if (!targets.includes(r.shard)) issues.push({ path: `${at}.shard`, message: shardMessage(r.shard, targets) });
    });
    if (p.strategy !== 'directory' && p.directory.length > 0) {
      issues.push({ path: `${view.path}.directory`, message: `warning: the directory is only used by the directory strategy (this router uses ${p.strategy})` });
    }
    if (p.strategy !== 'geo' && p.regions.length > 0) {
      issues.push({ path: `${view.path}.regions`, message: `warning: regions are only used by the geo strategy (this router uses ${p.strategy})` });
    }
    return issues;
  },
  create(sim, spec, index) {
    return new ShardRouterNode(sim, index, spec, spec.params as unknown as RouterParams);
  },
});

function shardMessage(shard: string, targets: string[]): string {
  return `"${shard}" is not one of this router's shards (${targets.join(', ') || 'it has no outgoing edges'}); add an edge to it first`;
}
