/**
 * What every cache node shares (the cache and the CDN edge): the store, the counters,
 * the configuration as flags, answering with a latency and a stale check, crashes and
 * flushes, and the report. The write path is in cacheWrites.ts and the read path with
 * the stampede machinery in cacheNode.ts, each a subclass of the one before.
 *
 * Every latency is an event: a hit is answered `latency` after it arrives, a load takes
 * whatever the backing store takes (up to `callTimeout`, or `lockTimeout` for a load
 * others wait on), and write-back flushes happen on a timer or when a batch fills.
 */
import type { Call } from '../core/call.ts';
import { HeldCalls } from '../core/held.ts';
import { createSampler, samplerOrNull, type Sampler } from '../core/dist.ts';
import type { Edge } from '../core/edge.ts';
import { Node, READ_KEY, type FaultSpec } from '../core/node.ts';
import { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import { CacheStore } from '../kernels/cache.ts';
import { hash32 } from '../kernels/lb.ts';
import { expiryTime } from '../kernels/stampede.ts';
import type { CacheConfig } from './cacheParams.ts';
import { CacheCounters, cacheReport, cacheWindow } from './cacheStats.ts';
import { type FlushFn, WriteBackBuffer } from './cacheWriteBack.ts';
import { isVersionSource, markStale, type VersionSource } from './dataTier.ts';

/** A cache-aside GET answer: the key is not cached. */
export const NOT_FOUND = -1;

// event kinds of cache nodes
export const K_ANSWER = 2;
export const K_POLL = 3;
export const K_LOCK_EXPIRE = 4;
export const K_FLUSH = 5;
export const K_LOAD = 6;
export const K_WARMUP = 7;
export const K_LOAD_TIMEOUT = 8;
export const K_CALL_TIMEOUT = 9;

// what a call a cache makes is for, packed with its send time into the caller scratch `mark`
export const OP_LOAD = 1;
export const OP_REFRESH = 2;
export const OP_WRITE = 3;
export const OP_FLUSH = 4;

export abstract class CacheBase extends Node implements VersionSource {
  readonly store: CacheStore;
  readonly counters = new CacheCounters();
  readonly wb = new WriteBackBuffer();
  readonly aside: boolean;
  /** Where the current version of each key lives (the database behind it), or null. */
  truth: VersionSource | null = null;
  protected readEdge: Edge | null = null;
  protected writeEdge: Edge | null = null;
  protected readonly hitLatency: Sampler | null;
  protected readonly missLatency: Sampler | null;
  protected readonly writeLatency: Sampler | null;
  protected readonly objectSize: Sampler | null;
  protected readonly latencyRng: Rng;
  protected readonly ttlRng: Rng;
  protected readonly refreshRng: Rng;
  /** Load times seen (µs), for entries whose own cost is unknown (warm start). */
  protected loadTimeSum = 0;
  protected loadTimeCount = 0;
  protected readonly holding = new HeldCalls();
  // the configuration as flags and numbers, read on every request
  protected readonly coalescing: boolean;
  protected readonly early: boolean;
  protected readonly resetOnAccess: boolean;
  protected readonly writeBackMode: boolean;
  /** Hit latency when constant (µs), else -1 (drawn from `hitLatency`). */
  protected readonly hitUs: number;
  /** How long a call to the backing store may take (µs), Infinity for ever. */
  protected readonly callTimeoutUs: number;
  /** Flushes a dirty key (write-back): defined by the write path. */
  protected abstract readonly sendFlush: FlushFn;

  constructor(sim: Simulation, index: number, id: string, type: string, readonly cfg: CacheConfig) {
    super(sim, index, id, type);
    this.reads = READ_KEY;
    this.aside = cfg.pattern === 'cache-aside';
    this.coalescing = cfg.stampede === 'coalesce' || cfg.stampede === 'lock';
    this.early = cfg.stampede === 'early-refresh';
    this.resetOnAccess = cfg.ttlRefresh === 'on-access' && cfg.ttl !== null;
    this.writeBackMode = cfg.pattern === 'write-back';
    this.callTimeoutUs = cfg.callTimeout ?? Infinity;
    this.store = new CacheStore(
      { policy: cfg.eviction, capacity: cfg.capacity, capacityBytes: cfg.capacityBytes ?? Infinity, trackEvictions: this.writeBackMode },
      this.stream('evict'),
    );
    const opt = (d: CacheConfig['latency'] | undefined) => samplerOrNull(d);
    this.hitLatency = opt(cfg.latency);
    this.hitUs = this.hitLatency === null ? 0 : cfg.latency.dist === 'constant' ? Math.round(cfg.latency.value) : -1;
    this.missLatency = cfg.missLatency !== undefined ? opt(cfg.missLatency) : this.aside ? this.hitLatency : null;
    this.writeLatency = cfg.writeLatency !== undefined ? opt(cfg.writeLatency) : this.hitLatency;
    this.objectSize = cfg.capacityBytes !== undefined ? createSampler(cfg.objectSize) : null;
    this.latencyRng = this.stream('latency');
    this.ttlRng = this.stream('ttl');
    this.refreshRng = this.stream('refresh');
  }

  override init(): void {
    this.readEdge = this.out.find((e) => e.accepts(0)) ?? null;
    this.writeEdge = this.out.find((e) => e.accepts(1)) ?? null;
    this.truth = resolveTruth(this, new Set());
    const sim = this.sim;
    if (this.cfg.start === 'warm') {
      const n = Math.min(this.cfg.warmKeys ?? this.cfg.capacity, this.cfg.capacity);
      for (let k = 0; k < n; k++) this.put(k, this.truth ? Math.max(0, this.truth.currentVersion(k)) : 0, 0);
    }
    if (sim.warmup > 0) this.schedule(sim.warmup, K_WARMUP, null, 0);
  }

  /** The primary's version of `key` behind this cache, or -1 when unknown. */
  currentVersion(key: number): number {
    return this.truth === null ? -1 : this.truth.currentVersion(key);
  }

  get commits(): number {
    return this.truth === null ? 0 : this.truth.commits;
  }

  override held(): number {
    return this.holding.size;
  }

  // ---- shared by the read and write paths -------------------------------------------

  /**
   * Stores what a read brought back, unless the cache already holds a newer version (a
   * write landed while the read was under way): a slow read never overwrites newer data.
   * It can still re-insert an old version after an invalidation deleted the key, the
   * classic race of invalidation that TTLs bound.
   */
  protected fill(key: number, version: number, cost: number): void {
    const slot = this.store.peek(key);
    if (slot >= 0 && this.store.versions[slot]! > version) return;
    this.put(key, version, cost);
  }

  /** Stores a key with a fresh TTL; dirty keys it evicts (write-back) are flushed at once. */
  protected put(key: number, version: number, cost: number): void {
    const now = this.sim.now;
    const size = this.objectSize === null ? 0 : objectSizeOf(this.objectSize, key);
    this.store.put(key, version, this.cfg.ttl === null ? Infinity : this.expiry(now), now, size, cost);
    if (this.writeBackMode && this.wb.size > 0) {
      for (const k of this.store.evictedKeys) this.wb.take(k, this.sendFlush);
    }
  }

  protected expiry(now: number): number {
    return expiryTime(now, this.cfg.ttl, this.cfg.ttlJitter, this.cfg.ttlJitter > 0 ? this.ttlRng.next() : 0.5);
  }

  /** Answers `call` OK with `version` after a latency drawn from `latency` (now if none). */
  protected reply(call: Call, version: number, latency: Sampler | null): void {
    call.version = version;
    const d = latency === null ? 0 : Math.round(latency.sample(this.latencyRng));
    if (d <= 0) this.answer(call, OK, R.OK, -1, version);
    else {
      this.hold(call);
      this.schedule(d, K_ANSWER, call, call.id);
    }
  }

  /** Answers a call, counting a read served with a version older than the primary's as stale. */
  protected answer(call: Call, status: number, reason: number, origin: number, version: number): void {
    this.unhold(call);
    if (status === OK) {
      call.version = version;
      const truth = this.truth;
      if (call.kind === 0 && version >= 0 && truth !== null && truth.commits > 0 && version < truth.currentVersion(call.key)) {
        this.counters.wStale++;
        if (this.sim.counted(call.arrivedAt)) this.counters.staleReads++;
        markStale(call);
      }
    }
    this.sim.respond(call, status, status === OK ? R.OK : reason, origin);
  }

  protected hold(call: Call): void {
    this.holding.add(call);
  }

  protected unhold(call: Call): void {
    this.holding.remove(call);
  }

  override onEvent(kind: number, obj: unknown, _tag: number): void {
    switch (kind) {
      case K_ANSWER: {
        const call = obj as Call;
        if (call.status === PENDING) this.answer(call, OK, R.OK, -1, call.version);
        break;
      }
      case K_WARMUP:
        this.counters.evictionsAtWarmup = this.store.evictions;
        this.counters.expirationsAtWarmup = this.store.expirations;
        break;
    }
  }

  /** Empties the cache; a write-back cache loses what it had not flushed (and says so on the timeline). */
  protected empty(): void {
    this.store.clear();
    const { writes: lost, counted } = this.wb.lose();
    this.counters.lostWrites += counted;
    if (lost > 0) this.sim.log('info', `${this.id}: ${lost} acknowledged write${lost === 1 ? '' : 's'} not yet flushed, lost`, { node: this.id });
  }

  protected override onCrash(): void {
    const sim = this.sim;
    const held = this.holding.takeAll();
    this.empty();
    for (const c of held) if (c.status === PENDING) sim.respond(c, DROPPED, R.CRASHED);
  }

  override applyFault(f: FaultSpec, revert: boolean): boolean {
    if (f.action !== 'flush') return false;
    if (!revert) this.empty();
    return true;
  }

  override windowExtras(): Record<string, number> {
    return cacheWindow(this.cfg, this.counters, this.store, this.wb.unflushed);
  }

  override report(): Record<string, unknown> {
    const r = cacheReport(this.cfg, this.counters, this.store, this.wb.unflushedCounted, this.truth !== null);
    // a CDN edge has no pattern to choose: it reads through and writes around
    if (this.type === 'cdn') delete r.pattern;
    return r;
  }
}

/**
 * The size of `key`'s object: a draw from `dist` with a stream seeded by the key alone,
 * so a key always has the same size (in every cache, in every run).
 */
function objectSizeOf(dist: Sampler, key: number): number {
  const h = hash32(key >>> 0);
  const rng = new Rng(h, h ^ 0x9e3779b9, Math.floor(key / 4294967296), 0x2545f491);
  return Math.max(0, Math.round(dist.sample(rng)));
}

/**
 * The node holding the current version of the keys a cache serves: the database it loads
 * from (through other caches), or, for cache-aside, the database its app servers read.
 * Null when versions do not flow to it (e.g. a CDN in front of an app server).
 */
function resolveTruth(cache: CacheBase, seen: Set<Node>): VersionSource | null {
  if (seen.has(cache)) return null;
  seen.add(cache);
  const candidates: Node[] = cache.aside
    ? cache.in.flatMap((e) => e.from.out.filter((o) => o.to.type === 'database').map((o) => o.to))
    : cache.out.filter((e) => e.accepts(0)).map((e) => e.to);
  for (const n of candidates) {
    if (n instanceof CacheBase) {
      if (resolveTruth(n, seen) !== null) return n;
    } else if (n.type === 'database' && isVersionSource(n)) return n;
  }
  return null;
}
