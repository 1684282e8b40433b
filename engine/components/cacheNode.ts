/**
 * The cache node (also the CDN edge's). It answers reads from a `CacheStore` (the
 * kernel decides hits, expiry and eviction) and, depending on its pattern, loads misses
 * along its outgoing edge (read-through family) or answers "not found" so that the app
 * server loads them (cache-aside; see cacheAside.ts). Every latency is an event: a hit is
 * answered `latency` after it arrives, a load takes whatever the backing store takes,
 * and write-back flushes happen on a timer or when a batch fills.
 *
 * The cache-aside protocol with app servers: a read (kind 0) is a GET, answered OK with
 * `call.version` = the entry's version, or NOT_FOUND (-1) on a miss. A write (kind 1)
 * with a version >= 0 is a SET of that version; with a negative version, a DELETE.
 *
 * Stampede: with `coalesce` or `lock`, concurrent misses for a key wait on a `Flight`
 * (one load in progress, or in cache-aside one app server holding the key's lock).
 */
import type { Call } from '../core/call.ts';
import { createSampler, type Sampler } from '../core/dist.ts';
import type { Edge } from '../core/edge.ts';
import { Node, type FaultSpec } from '../core/node.ts';
import { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import { CacheStore } from '../kernels/cache.ts';
import { hash32 } from '../kernels/lb.ts';
import { expiryTime, shouldRefreshEarly } from '../kernels/stampede.ts';
import type { CacheConfig } from './cacheParams.ts';
import { CacheCounters, cacheReport, cacheWindow } from './cacheStats.ts';
import { WriteBackBuffer } from './cacheWriteBack.ts';
import { isVersionSource, markStale, type VersionSource } from './dataTier.ts';

/** A cache-aside GET answer: the key is not cached. */
export const NOT_FOUND = -1;

const K_ANSWER = 2;
const K_POLL = 3;
const K_LOCK_EXPIRE = 4;
const K_FLUSH = 5;
const K_LOAD = 6;
const K_WARMUP = 7;

// what a call the cache makes is for, packed with its send time into the caller scratch
const OP_LOAD = 1;
const OP_REFRESH = 2;
const OP_WRITE = 3;
const OP_FLUSH = 4;

/** One key being loaded (read-through), or locked by the app server loading it (cache-aside). */
class Flight {
  readonly waiters: Call[] = [];
  readonly waiterIds: number[] = [];
  /** Id of the load call (read-through), 0 if none. */
  loadId = 0;
  constructor(
    readonly id: number,
    readonly key: number,
    readonly startedAt: number,
    /** Cache-aside lock lease end (µs); Infinity for a read-through load. */
    readonly lockUntil: number,
  ) {}
}

export class CacheNode extends Node implements VersionSource {
  readonly store: CacheStore;
  readonly counters = new CacheCounters();
  readonly wb = new WriteBackBuffer();
  readonly aside: boolean;
  /** Where the current version of each key lives (the database behind it), or null. */
  truth: VersionSource | null = null;
  private readEdge: Edge | null = null;
  private writeEdge: Edge | null = null;
  private readonly hitLatency: Sampler | null;
  private readonly missLatency: Sampler | null;
  private readonly writeLatency: Sampler | null;
  private readonly objectSize: Sampler | null;
  private readonly latencyRng: Rng;
  private readonly ttlRng: Rng;
  private readonly refreshRng: Rng;
  private readonly flights = new Map<number, Flight>();
  private nextFlight = 1;
  /** cache-aside with early-refresh: when each outstanding miss was answered, to measure load cost. */
  private readonly missAt = new Map<number, number>();
  /** Load times seen (µs), for entries whose own cost is unknown (warm start). */
  private loadTimeSum = 0;
  private loadTimeCount = 0;
  private readonly flushWrites = new Map<number, number>();
  private readonly holding: Call[] = [];
  // the configuration as flags and numbers, read on every request
  private readonly coalescing: boolean;
  private readonly early: boolean;
  private readonly resetOnAccess: boolean;
  private readonly writeBackMode: boolean;
  /** Hit latency when constant (µs), else -1 (drawn from `hitLatency`). */
  private readonly hitUs: number;

  constructor(sim: Simulation, index: number, id: string, type: string, readonly cfg: CacheConfig) {
    super(sim, index, id, type);
    this.aside = cfg.pattern === 'cache-aside';
    this.coalescing = cfg.stampede === 'coalesce' || cfg.stampede === 'lock';
    this.early = cfg.stampede === 'early-refresh';
    this.resetOnAccess = cfg.ttlRefresh === 'on-access' && cfg.ttl !== null;
    this.writeBackMode = cfg.pattern === 'write-back';
    this.store = new CacheStore(
      { policy: cfg.eviction, capacity: cfg.capacity, capacityBytes: cfg.capacityBytes ?? Infinity, trackEvictions: this.writeBackMode },
      this.stream('evict'),
    );
    const opt = (d: CacheConfig['latency'] | undefined) => (d === undefined || (d.dist === 'constant' && d.value === 0) ? null : createSampler(d));
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
    if (this.cfg.pattern === 'write-back' && this.cfg.flushInterval !== null) this.schedule(this.cfg.flushInterval, K_FLUSH, null, 0);
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
    return this.holding.length;
  }

  override onArrival(call: Call): void {
    if (call.kind === 0) this.read(call);
    else this.write(call);
  }

  // ---- reads -------------------------------------------------------------------------

  private read(call: Call): void {
    const now = this.sim.now;
    const c = this.counters;
    const counted = now >= this.sim.warmup;
    const slot = this.store.lookup(call.key, now);
    if (slot >= 0) {
      const version = this.store.versions[slot]!;
      if (this.early && this.refreshEarly(call, slot)) {
        if (this.aside) {
          // the reader reloads the key, as if it had missed (XFetch recomputes synchronously)
          this.countMiss(counted);
          if (counted) c.originReads++;
          this.missAt.set(call.key, now);
          this.reply(call, NOT_FOUND, this.missLatency);
          return;
        }
      }
      if (this.resetOnAccess) this.store.expires[slot] = this.expiry(now);
      c.wHits++;
      if (counted) c.hits++;
      // the common case, inline: a constant hit latency
      const d = this.hitUs;
      call.version = version;
      if (d === 0) this.answer(call, OK, R.OK, -1, version);
      else if (d > 0) {
        this.hold(call);
        this.sim.scheduleAt(now + d, this, K_ANSWER, call, call.id);
      } else this.reply(call, version, this.hitLatency);
      return;
    }
    this.countMiss(counted);
    if (this.coalescing || (this.early && !this.aside)) {
      const f = this.flights.get(call.key);
      if (f !== undefined && f.lockUntil > now) {
        this.wait(call, f, counted);
        return;
      }
    }
    if (this.aside) {
      if (this.coalescing) this.lock(call.key);
      else if (this.early && !this.loadingAside(call.key)) this.missAt.set(call.key, now);
      if (counted) c.originReads++;
      this.reply(call, NOT_FOUND, this.missLatency);
      return;
    }
    const f = this.coalescing ? this.newFlight(call.key, Infinity) : null;
    this.hold(call);
    if (f !== null) this.addWaiter(f, call);
    if (this.missLatency === null) this.sendLoad(call, f);
    else this.schedule(Math.round(this.missLatency.sample(this.latencyRng)), K_LOAD, call, call.id);
  }

  private countMiss(counted: boolean): void {
    this.counters.wMisses++;
    if (counted) this.counters.misses++;
  }

  /** XFetch on a hit; in read-through, starts the background reload. */
  private refreshEarly(call: Call, slot: number): boolean {
    const s = this.store;
    const cost = s.cost[slot]! > 0 ? s.cost[slot]! : this.loadTimeCount ? this.loadTimeSum / this.loadTimeCount : 0;
    if (this.flights.has(call.key) || this.loadingAside(call.key)) return false; // already being refreshed
    if (!shouldRefreshEarly(this.sim.now, s.expires[slot]!, cost, this.cfg.earlyRefreshBeta, this.refreshRng.next())) return false;
    if (this.sim.counted(this.sim.now)) this.counters.earlyRefreshes++;
    if (!this.aside && this.readEdge !== null) {
      const f = this.newFlight(call.key, Infinity);
      this.sendLoad(call, f, OP_REFRESH);
    }
    return true;
  }

  /** cache-aside: whether an app server is loading `key` (it missed less than lockTimeout ago). */
  private loadingAside(key: number): boolean {
    const t = this.missAt.get(key);
    if (t === undefined) return false;
    if (this.sim.now - t < this.cfg.lockTimeout) return true;
    this.missAt.delete(key); // that load never came back
    return false;
  }

  /** A miss waits for the key's flight: woken by its load (coalesce) or polling (lock). */
  private wait(call: Call, f: Flight, counted: boolean): void {
    this.hold(call);
    if (this.cfg.stampede === 'lock') {
      if (counted) this.counters.lockWaits++;
      this.schedule(this.cfg.lockRetry, K_POLL, call, call.id);
    } else {
      if (counted) this.counters.coalesced++;
      this.addWaiter(f, call);
    }
  }

  private newFlight(key: number, lockUntil: number): Flight {
    const f = new Flight(this.nextFlight++, key, this.sim.now, lockUntil);
    this.flights.set(key, f);
    return f;
  }

  private addWaiter(f: Flight, call: Call): void {
    f.waiters.push(call);
    f.waiterIds.push(call.id);
  }

  /** cache-aside: the app server that missed holds the key's lock until it SETs the key. */
  private lock(key: number): Flight {
    const f = this.newFlight(key, this.sim.now + this.cfg.lockTimeout);
    this.schedule(this.cfg.lockTimeout, K_LOCK_EXPIRE, f, f.id);
    return f;
  }

  /** Sends the load of a missed key to the backing store, on behalf of `call`. */
  private sendLoad(call: Call, f: Flight | null, op = OP_LOAD): void {
    const sim = this.sim;
    const child = sim.child(call);
    child.kind = 0;
    child.version = 0;
    child.mark = sim.now * 8 + op;
    if (f !== null) f.loadId = child.id;
    if (sim.counted(sim.now)) this.counters.originReads++;
    sim.send(this, this.readEdge!, child);
  }

  private loaded(child: Call, startedAt: number): void {
    const sim = this.sim;
    const { key, status, reason, origin, version } = child;
    const id = child.id;
    const parent = sim.parentOf(child);
    sim.release(child);
    if (!this.up) return;
    if (status === OK) {
      const cost = sim.now - startedAt;
      this.loadTimeSum += cost;
      this.loadTimeCount++;
      this.fill(key, version, cost);
    }
    const f = this.flights.size === 0 ? undefined : this.flights.get(key);
    if (f !== undefined && f.loadId === id) {
      this.flights.delete(key);
      for (let i = 0; i < f.waiters.length; i++) {
        const w = f.waiters[i]!;
        if (w.id === f.waiterIds[i] && w.status === PENDING) this.answer(w, status, reason, origin, version);
      }
    } else if (parent !== null) this.answer(parent, status, reason, origin, version);
  }

  /** A lock waiter looks again: a hit, more waiting, or (lock gone or timed out) its own load. */
  private poll(call: Call): void {
    if (call.status !== PENDING) return;
    const now = this.sim.now;
    const slot = this.store.lookup(call.key, now);
    if (slot >= 0) {
      this.answer(call, OK, R.OK, -1, this.store.versions[slot]!);
      return;
    }
    const f = this.flights.get(call.key);
    if (f !== undefined && f.lockUntil > now && now - call.arrivedAt < this.cfg.lockTimeout) {
      this.schedule(this.cfg.lockRetry, K_POLL, call, call.id);
      return;
    }
    if (this.aside) {
      if (f === undefined || f.lockUntil <= now) this.lock(call.key);
      if (this.sim.counted(call.arrivedAt)) this.counters.originReads++;
      this.answer(call, OK, R.OK, -1, NOT_FOUND);
    } else {
      const own = f === undefined ? this.newFlight(call.key, Infinity) : null;
      if (own !== null) this.addWaiter(own, call);
      this.sendLoad(call, own);
    }
  }

  /** A cache-aside lock lease ended without a SET: the next waiter (if any) takes the lock and loads. */
  private lockExpired(f: Flight): void {
    if (this.flights.get(f.key) !== f) return;
    this.flights.delete(f.key);
    let next: Call | null = null;
    const rest: Array<[Call, number]> = [];
    for (let i = 0; i < f.waiters.length; i++) {
      const w = f.waiters[i]!;
      if (w.id !== f.waiterIds[i] || w.status !== PENDING) continue;
      if (next === null) next = w;
      else rest.push([w, w.id]);
    }
    if (next === null) return;
    const nf = this.lock(f.key);
    for (const [w, id] of rest) {
      nf.waiters.push(w);
      nf.waiterIds.push(id);
    }
    if (this.sim.counted(next.arrivedAt)) this.counters.originReads++;
    this.answer(next, OK, R.OK, -1, NOT_FOUND);
  }

  // ---- writes ------------------------------------------------------------------------

  private write(call: Call): void {
    const sim = this.sim;
    if (sim.counted(sim.now)) this.counters.writes++;
    switch (this.cfg.pattern) {
      case 'cache-aside':
        if (call.version >= 0) this.set(call.key, call.version);
        else this.store.remove(call.key);
        this.reply(call, call.version, this.writeLatency);
        return;
      case 'write-back':
        this.writeBack(call);
        return;
      default: {
        this.hold(call);
        const child = sim.child(call);
        child.version = 0;
        child.mark = sim.now * 8 + OP_WRITE;
        sim.send(this, this.writeEdge!, child);
      }
    }
  }

  /** cache-aside SET: stores the version and wakes the requests waiting for the key. */
  private set(key: number, version: number): void {
    const now = this.sim.now;
    let cost = 0;
    const missAt = this.missAt.get(key);
    if (missAt !== undefined) {
      cost = now - missAt;
      this.missAt.delete(key);
    }
    const f = this.flights.get(key);
    if (f !== undefined) {
      this.flights.delete(key);
      cost = now - f.startedAt;
    }
    if (cost > 0) {
      this.loadTimeSum += cost;
      this.loadTimeCount++;
    }
    this.fill(key, version, cost);
    if (f !== undefined) {
      for (let i = 0; i < f.waiters.length; i++) {
        const w = f.waiters[i]!;
        if (w.id === f.waiterIds[i] && w.status === PENDING) this.answer(w, OK, R.OK, -1, version);
      }
    }
  }

  private written(child: Call): void {
    const sim = this.sim;
    const { key, status, reason, origin, version } = child;
    const parent = sim.parentOf(child);
    sim.release(child);
    if (!this.up) return;
    if (status === OK) {
      const p = this.cfg.pattern;
      if (p === 'write-through' || (p === 'read-through' && this.cfg.onWrite === 'update')) this.put(key, version, 0);
      else if (p === 'read-through') this.store.remove(key);
    }
    if (parent === null) return;
    if (status === OK && this.cfg.pattern === 'write-through' && this.writeLatency !== null) {
      // the write is acknowledged once the cache holds it too
      parent.version = version;
      this.schedule(Math.round(this.writeLatency.sample(this.latencyRng)), K_ANSWER, parent, parent.id);
    } else this.answer(parent, status, reason, origin, version);
  }

  /** write-back: the write lands in the cache only; the buffer flushes it later. */
  private writeBack(call: Call): void {
    const key = call.key;
    const slot = this.store.peek(key);
    const cached = slot >= 0 ? this.store.versions[slot]! : -1;
    const truth = this.truth === null ? -1 : this.truth.currentVersion(key);
    const version = Math.max(cached, this.wb.version(key), truth, 0) + 1;
    this.put(key, version, 0);
    this.wb.record(key, version);
    this.reply(call, version, this.writeLatency);
    if (this.cfg.flushBatch > 0 && this.wb.size >= this.cfg.flushBatch) this.flushAll();
  }

  private flushAll(): void {
    this.wb.takeAll(this.sendFlush);
  }

  private readonly sendFlush = (key: number, version: number, writes: number): void => {
    const sim = this.sim;
    const c = sim.root();
    c.client = this.index;
    c.key = key;
    c.kind = 1;
    c.version = version;
    c.size = 0;
    c.user = 0;
    c.ip = 0;
    c.sentAt = sim.now;
    c.deadline = Infinity;
    c.mark = sim.now * 8 + OP_FLUSH;
    this.flushWrites.set(c.id, writes);
    const counted = sim.counted(sim.now);
    if (counted) {
      this.counters.flushCalls++;
      this.counters.flushedWrites += writes;
    }
    sim.send(this, this.writeEdge!, c);
  };

  private flushed(child: Call): void {
    const writes = this.flushWrites.get(child.id) ?? 1;
    this.flushWrites.delete(child.id);
    const { key, status, version } = child;
    this.sim.release(child);
    if (status === OK) return;
    if (this.sim.counted(this.sim.now)) this.counters.flushFailures++;
    // try again with the next flush, unless a newer write is already waiting
    if (this.up && this.wb.version(key) < 0) this.wb.record(key, version, writes);
  }

  // ---- shared ------------------------------------------------------------------------

  /**
   * Stores what a read brought back, unless the cache already holds a newer version (a
   * write landed while the read was under way): a slow read never overwrites newer data.
   * It can still re-insert an old version after an invalidation deleted the key, the
   * classic race of invalidation that TTLs bound.
   */
  private fill(key: number, version: number, cost: number): void {
    const slot = this.store.peek(key);
    if (slot >= 0 && this.store.versions[slot]! > version) return;
    this.put(key, version, cost);
  }

  /** Stores a key with a fresh TTL; dirty keys it evicts (write-back) are flushed at once. */
  private put(key: number, version: number, cost: number): void {
    const now = this.sim.now;
    const size = this.objectSize === null ? 0 : objectSizeOf(this.objectSize, key);
    this.store.put(key, version, this.cfg.ttl === null ? Infinity : this.expiry(now), now, size, cost);
    if (this.writeBackMode && this.wb.size > 0) {
      for (const k of this.store.evictedKeys) this.wb.take(k, this.sendFlush);
    }
  }

  private expiry(now: number): number {
    return expiryTime(now, this.cfg.ttl, this.cfg.ttlJitter, this.cfg.ttlJitter > 0 ? this.ttlRng.next() : 0.5);
  }

  /** Answers `call` OK with `version` after a latency drawn from `latency` (now if none). */
  private reply(call: Call, version: number, latency: Sampler | null): void {
    call.version = version;
    const d = latency === null ? 0 : Math.round(latency.sample(this.latencyRng));
    if (d <= 0) this.answer(call, OK, R.OK, -1, version);
    else {
      this.hold(call);
      this.schedule(d, K_ANSWER, call, call.id);
    }
  }

  /** Answers a call, counting a read served with a version older than the primary's as stale. */
  private answer(call: Call, status: number, reason: number, origin: number, version: number): void {
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

  private hold(call: Call): void {
    if (call.slot >= 0) return;
    call.slot = this.holding.length;
    this.holding.push(call);
  }

  private unhold(call: Call): void {
    const i = call.slot;
    if (i < 0) return;
    const last = this.holding.pop()!;
    if (last !== call) {
      this.holding[i] = last;
      last.slot = i;
    }
    call.slot = -1;
  }

  override onResponse(child: Call): void {
    const op = child.mark % 8;
    const startedAt = (child.mark - op) / 8;
    if (op === OP_LOAD || op === OP_REFRESH) this.loaded(child, startedAt);
    else if (op === OP_WRITE) this.written(child);
    else this.flushed(child);
  }

  override onEvent(kind: number, obj: unknown, _tag: number): void {
    switch (kind) {
      case K_ANSWER: {
        const call = obj as Call;
        if (call.status === PENDING) this.answer(call, OK, R.OK, -1, call.version);
        break;
      }
      case K_POLL:
        this.poll(obj as Call);
        break;
      case K_LOCK_EXPIRE:
        this.lockExpired(obj as Flight);
        break;
      case K_LOAD: {
        const call = obj as Call;
        // the flight this call started, if it is still waiting for its first load
        const f = this.flights.get(call.key);
        const mine = f !== undefined && f.loadId === 0 && f.waiters[0] === call ? f : null;
        if (call.status === PENDING || mine !== null) this.sendLoad(call, mine);
        break;
      }
      case K_FLUSH:
        if (this.up) this.flushAll();
        this.schedule(this.cfg.flushInterval!, K_FLUSH, null, 0);
        break;
      case K_WARMUP:
        this.counters.evictionsAtWarmup = this.store.evictions;
        this.counters.expirationsAtWarmup = this.store.expirations;
        break;
    }
  }

  /** Empties the cache; a write-back cache loses what it had not flushed (and says so on the timeline). */
  private empty(): void {
    this.store.clear();
    this.missAt.clear();
    const lost = this.wb.lose();
    this.counters.lostWrites += lost;
    if (lost > 0) this.sim.log('info', `${this.id}: ${lost} acknowledged write${lost === 1 ? '' : 's'} not yet flushed, lost`, { node: this.id });
  }

  protected override onCrash(): void {
    const sim = this.sim;
    const held = this.holding.splice(0);
    this.flights.clear();
    this.empty();
    for (const c of held) {
      c.slot = -1;
      if (c.status === PENDING) sim.respond(c, DROPPED, R.CRASHED);
    }
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
    const r = cacheReport(this.cfg, this.counters, this.store, this.wb.unflushed, this.truth !== null);
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
function resolveTruth(cache: CacheNode, seen: Set<Node>): VersionSource | null {
  if (seen.has(cache)) return null;
  seen.add(cache);
  const candidates: Node[] = cache.aside
    ? cache.in.flatMap((e) => e.from.out.filter((o) => o.to.type === 'database').map((o) => o.to))
    : cache.out.filter((e) => e.accepts(0)).map((e) => e.to);
  for (const n of candidates) {
    if (n instanceof CacheNode) {
      if (resolveTruth(n, seen) !== null) return n;
    } else if (n.type === 'database' && isVersionSource(n)) return n;
  }
  return null;
}
