/**
 * database: a primary that takes every write, and `replicas` read replicas. Each instance
 * has its own connection pool (`connections` queries at once) and wait queue
 * (see dbInstance.ts). With no replicas (the default) it is one instance, exactly the
 * database of the engine issue.
 *
 * Data versions: every key has a version at the primary, incremented by each committed
 * write (a write's answer carries the new version, a read's answer the version it saw).
 * Each replica applies the primary's writes in commit order, each after a replication
 * lag drawn from `replicationLag`, so a read routed to a replica can return an older
 * version than the primary holds: a stale read, counted per replica and end to end.
 *
 * Failover: `crashPrimary` takes the primary down; writes fail (503 no-primary) until,
 * `failoverAfter` later, the replica that had applied the most writes is promoted. The
 * lag models shipping the write to the replica, so what a replica had not applied when
 * the primary crashed never reaches it: if it is promoted, those writes are lost
 * (asynchronous replication), and counted. The other replicas (and a primary that comes
 * back) resynchronise from the new primary at once, a simplification.
 */
import type { Call } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { createSampler, type DistSpec, type Sampler } from '../core/dist.ts';
import { Node, READ_KEY, type FaultSpec, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { OK, R } from '../core/status.ts';
import { formatDuration } from '../core/units.ts';
import { VersionTable } from '../kernels/versions.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { markStale, type VersionSource } from './dataTier.ts';
import { DbInstance, K_DB_DONE, K_DB_QUEUE_TIMER, type InstanceOwner, type PoolConfig, type PoolTotals } from './dbInstance.ts';
import { databaseReport, databaseWindow } from './databaseReport.ts';
import { queueingParams } from './server.ts';

const K_REPLICATE = 5;
const K_FAILOVER = 6;
const K_WARMUP = 7;

export const databaseParams = {
  connections: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1_000_000,
    unit: 'connections',
    help: 'Connection pool size: queries served at the same time (by each instance: the primary and every replica).',
  },
  readService: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '5ms' },
    help: 'Time to serve a read (a query).',
  },
  writeService: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '15ms' },
    help: 'Time to serve a write (a transaction, with its commit).',
  },
  ...queueingParams,
  queue: { ...queueingParams.queue, default: 200, help: 'Queries that may wait for a free connection (at each instance); one more is answered 503.' },
  queueTimeout: {
    ...queueingParams.queueTimeout,
    help: 'The pool\'s wait timeout: a query that waits longer than this for a free connection is answered 503 ("none": wait as long as it takes).',
  },
  replicas: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 32,
    unit: 'replicas',
    help: 'Read replicas. Each applies the primary\'s writes after a replication lag and serves reads, which may then be stale.',
  },
  replicationLag: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '50ms' },
    help: 'Time from a write\'s commit at the primary until a replica could apply it (drawn per write and replica). Writes apply in commit order, so a slow one holds back those behind it and the lag a replica shows is longer.',
  },
  readFrom: {
    kind: 'enum',
    values: ['replicas', 'primary', 'any'],
    default: 'replicas',
    labels: { replicas: 'replicas (round robin)', primary: 'primary only', any: 'primary and replicas' },
    help: 'Where reads go when there are replicas. Reads fall back to any instance that is up.',
  },
  failoverAfter: {
    kind: 'duration',
    default: '10s',
    orNone: true,
    help: 'Time to detect a crashed primary and promote a replica; writes fail in between ("none": wait for the primary to come back).',
  },
} satisfies Record<string, Param>;

export interface DatabaseParams extends PoolConfig {
  errorRate: number;
  replicas: number;
  replicationLag: DistSpec;
  readFrom: 'replicas' | 'primary' | 'any';
  failoverAfter: number | null;
}

export class DatabaseNode extends Node implements InstanceOwner, VersionSource {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<DatabaseNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  readonly instances: DbInstance[] = [];
  /** Index of the current primary. */
  primary = 0;
  p: DatabaseParams;
  private lag: Sampler;
  private readonly lagRngs: Rng[] = [];
  private rr = 0;
  private readonly totals: PoolTotals = { busy: 0, queued: 0 };
  private readonly failoverToken = { id: 1 };
  private readonly saved = new Map<FaultSpec, unknown>();
  private readonly noPrimary: number;
  private readonly noInstance: number;
  // counts (cohort)
  staleReads = 0;
  wStale = 0;
  /** Writes committed (at any primary). */
  commits = 0;
  writesFailedNoPrimary = 0;
  lostWrites = 0;
  failovers = 0;
  primaryDownSince = -1;

  constructor(sim: Simulation, index: number, spec: NodeSpec) {
    super(sim, index, spec.id, 'database');
    this.reads = READ_KEY; // versions by key
    this.p = spec.params as unknown as DatabaseParams;
    this.lag = createSampler(this.p.replicationLag);
    this.noPrimary = sim.reason('no-primary');
    this.noInstance = sim.reason('no-instance-up');
    const timeoutReason = sim.reason('queue-timeout');
    const several = this.p.replicas > 0;
    // the primary keeps the streams a single-instance database always had
    this.instances.push(new DbInstance(this, 0, 'primary', this.p, this.stream('service'), this.stream('errors'), timeoutReason, new VersionTable(), this.totals, several));
    for (let i = 1; i <= this.p.replicas; i++) {
      const name = `replica${i}`;
      this.instances.push(
        new DbInstance(this, i, name, this.p, this.stream(`${name}/service`), this.stream(`${name}/errors`), timeoutReason, new VersionTable(), this.totals, several),
      );
      this.lagRngs[i] = this.stream(`${name}/lag`);
    }
    // any instance may become a replica after a failover
    if (this.p.replicas > 0) this.lagRngs[0] = this.stream('lag');
    for (const inst of this.instances) inst.errorRate = this.p.errorRate;
    this.stats.capacity = this.p.connections * this.instances.length;
  }

  override init(): void {
    if (this.p.replicas > 0 && this.sim.warmup > 0) this.schedule(this.sim.warmup, K_WARMUP, null, 0);
  }

  /** The primary's version of `key` now. */
  currentVersion(key: number): number {
    return this.instances[this.primary]!.table.get(key);
  }

  override held(): number {
    let n = 0;
    for (const i of this.instances) n += i.held();
    return n;
  }

  override onArrival(call: Call): void {
    if (call.kind === 1) {
      const p = this.instances[this.primary]!;
      if (p.up) p.accept(call);
      else {
        if (this.sim.counted(call.arrivedAt)) this.writesFailedNoPrimary++;
        this.sim.respond(call, 503, this.noPrimary);
      }
      return;
    }
    const inst = this.reader();
    if (inst !== null) inst.accept(call);
    else this.sim.respond(call, 503, this.noInstance);
  }

  /** The instance to read from: round robin over the instances `readFrom` allows, else any that is up. */
  private reader(): DbInstance | null {
    const all = this.instances;
    if (all.length === 1) return all[0]!.up ? all[0]! : null;
    const mode = this.p.readFrom;
    const primary = all[this.primary]!;
    if (mode === 'primary' && primary.up) return primary;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < all.length; k++) {
        const i = (this.rr + k) % all.length;
        const inst = all[i]!;
        if (!inst.up || (pass === 0 && mode === 'replicas' && i === this.primary)) continue;
        this.rr = (i + 1) % all.length;
        return inst;
      }
    }
    return null;
  }

  /** A query finished its service at `inst`: commit or read its version, and answer. */
  served(inst: DbInstance, call: Call): void {
    const truth = this.instances[this.primary]!.table;
    // per-instance counts are reported only with replicas
    const counted = this.instances.length > 1 && this.sim.counted(call.arrivedAt);
    if (call.kind === 1) {
      // a flush from a write-back cache carries the version it already handed out
      const v = truth.commit(call.key, call.version);
      call.version = v;
      this.commits++;
      if (counted) inst.writes++;
      this.replicate(call.key, v);
    } else {
      const v = inst.table.get(call.key);
      call.version = v;
      if (counted) inst.reads++;
      if (inst.table !== truth && v < truth.get(call.key)) {
        this.wStale++;
        if (this.sim.counted(call.arrivedAt)) {
          inst.staleReads++;
          this.staleReads++;
        }
        markStale(call);
      }
    }
    inst.finish(call, OK, R.OK);
  }

  private replicate(key: number, version: number): void {
    if (this.instances.length === 1) return;
    const now = this.sim.now;
    for (const r of this.instances) {
      if (r.index === this.primary || !r.up) continue;
      const at = r.log.push(key, version, now, Math.round(this.lag.sample(this.lagRngs[r.index]!)));
      if (r.log.length === 1) this.sim.scheduleAt(at, this.index, K_REPLICATE, r.replToken, r.replToken.id);
    }
  }

  override onEvent(kind: number, obj: unknown, tag: number): void {
    switch (kind) {
      case K_DB_DONE: {
        const call = obj as Call;
        this.instances[call.step]!.done(call);
        break;
      }
      case K_DB_QUEUE_TIMER:
        this.instances[tag]!.onQueueTimer();
        break;
      case K_REPLICATE: {
        const r = this.instances[(obj as DbInstance['replToken']).index]!;
        const sim = this.sim;
        const counted = sim.now >= sim.warmup;
        r.log.applyDue(sim.now, r.table, counted ? (lag) => r.lag.record(lag) : undefined);
        if (r.log.length) sim.scheduleAt(r.log.nextAt(), this.index, K_REPLICATE, r.replToken, r.replToken.id);
        break;
      }
      case K_FAILOVER:
        this.promote();
        break;
      case K_WARMUP:
        for (const i of this.instances) i.busyGauge.markSummary(this.sim.now);
        break;
    }
  }

  /** Promotes the replica that had applied the most writes at the crash; what it lacks is lost. */
  private promote(): void {
    let best: DbInstance | null = null;
    for (const r of this.instances) {
      if (r.index === this.primary || !r.up) continue;
      if (best === null || r.missedAtCrash < best.missedAtCrash) best = r;
    }
    if (best === null) return;
    const old = this.instances[this.primary]!;
    const lost = best.missedAtCrash;
    this.lostWrites += lost;
    this.failovers++;
    this.primary = best.index;
    this.resyncReplicas();
    const downFor = this.sim.now - this.primaryDownSince;
    this.primaryDownSince = -1;
    this.sim.log(
      'info',
      `${this.id}: ${best.name} promoted to primary after ${formatDuration(downFor)} (${old.name} down); ${lost} unreplicated write${lost === 1 ? '' : 's'} lost`,
      { node: this.id },
    );
  }

  private crashPrimary(): void {
    const p = this.instances[this.primary]!;
    if (!p.up) return;
    p.up = false;
    p.dropAll();
    const now = this.sim.now;
    this.primaryDownSince = now;
    // writes a replica has not applied yet were still on their way from the crashed primary
    for (const r of this.instances) {
      if (r === p) continue;
      r.log.applyDue(now, r.table, now >= this.sim.warmup ? (lag) => r.lag.record(lag) : undefined);
      r.missedAtCrash = r.log.clear();
      r.replToken.id++;
    }
    const canFailover = this.p.failoverAfter !== null && this.instances.some((r) => r !== p && r.up);
    if (canFailover) this.schedule(this.p.failoverAfter!, K_FAILOVER, this.failoverToken, this.failoverToken.id);
  }

  /** The crashed instance comes back: as the primary if none was promoted, else as a replica. */
  private recoverCrashed(): void {
    const down = this.instances.find((i) => !i.up);
    if (!down) return;
    down.up = true;
    if (down.index === this.primary) {
      this.failoverToken.id++; // no promotion any more
      this.primaryDownSince = -1;
    }
    this.resyncReplicas();
  }

  /** Every replica takes a copy of the primary's data and starts from an empty log. */
  private resyncReplicas(): void {
    const table = this.instances[this.primary]!.table;
    for (const r of this.instances) {
      if (r.index === this.primary) continue;
      r.log.clear();
      r.replToken.id++;
      r.missedAtCrash = 0;
      r.table = table.clone();
    }
  }

  protected override onCrash(): void {
    for (const i of this.instances) i.dropAll();
  }

  override applyFault(f: FaultSpec, revert: boolean): boolean {
    switch (f.action) {
      case 'crashPrimary':
        if (revert) this.recoverCrashed();
        else this.crashPrimary();
        return true;
      case 'slowdown':
        if (!revert) this.saved.set(f, this.instances[0]!.slow);
        for (const i of this.instances) i.slow = revert ? ((this.saved.get(f) as number | undefined) ?? 1) : (f.factor as number);
        return true;
      case 'errors':
        if (!revert) this.saved.set(f, this.instances[0]!.errorRate);
        for (const i of this.instances) i.errorRate = revert ? ((this.saved.get(f) as number | undefined) ?? this.p.errorRate) : (f.rate as number);
        return true;
      case 'set': {
        const before = this.p;
        const next = revert ? (this.saved.get(f) as DatabaseParams) : (f.parsed as DatabaseParams);
        if (!revert) this.saved.set(f, before);
        this.p = next;
        this.lag = createSampler(next.replicationLag);
        this.stats.capacity = next.connections * this.instances.length;
        for (const i of this.instances) {
          if (next.errorRate !== before.errorRate) i.errorRate = next.errorRate;
          i.configure(next);
        }
        return true;
      }
    }
    return false;
  }

  override windowExtras(): Record<string, number> | undefined {
    return this.instances.length > 1 ? databaseWindow(this) : undefined;
  }

  override report(): Record<string, unknown> {
    return databaseReport(this);
  }
}

export const database = defineComponent({
  type: 'database',
  title: 'Database',
  description: 'A primary for writes and optional read replicas (with replication lag and failover); connection pools with wait queues.',
  icon: 'database',
  category: 'data',
  params: databaseParams,
  outgoing: null,
  incoming: true,
  faults: ['slowdown', 'errors', 'set', 'crashPrimary'],
  mutable: ['connections', 'queue', 'discipline', 'readService', 'writeService', 'errorRate', 'queueTimeout', 'replicationLag', 'readFrom'],
  validate(view) {
    const p = view.node.params as unknown as DatabaseParams;
    const issues = [];
    if (p.replicas === 0 && p.readFrom !== 'replicas') {
      issues.push({ path: `${view.path}.readFrom`, message: 'warning: there are no replicas (replicas is 0); every read goes to the primary' });
    }
    return issues;
  },
  create(sim, spec, index) {
    return new DatabaseNode(sim, index, spec);
  },
});
