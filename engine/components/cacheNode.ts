/**
 * The cache node (also the CDN edge's): the read path and the stampede machinery, on top
 * of the write path (cacheWrites.ts) and what they share (cacheBase.ts). It answers reads
 * from a `CacheStore` (the kernel decides hits, expiry and eviction) and, depending on its
 * pattern, loads misses along its outgoing edge (read-through family) or answers "not
 * found" so that the app server loads them (cache-aside; see cacheAside.ts).
 *
 * The cache-aside protocol with app servers: a read (kind 0) is a GET, answered OK with
 * `call.version` = the entry's version, or NOT_FOUND (-1) on a miss. A write (kind 1)
 * with a version >= 0 is a SET of that version; with a negative version, a DELETE.
 *
 * Stampede: with `coalesce` or `lock`, concurrent misses for a key wait on a `Flight`
 * (one load in progress, or in cache-aside one app server holding the key's lock). */
import type { Call } from '../core/call.ts';
import { OK, PENDING, R } from '../core/status.ts';
import { shouldRefreshEarly } from '../kernels/stampede.ts';
import { K_ANSWER, K_LOAD, K_LOCK_EXPIRE, K_POLL, NOT_FOUND, OP_LOAD, OP_REFRESH } from './cacheBase.ts';
import { CacheWrites } from './cacheWrites.ts';

export { NOT_FOUND } from './cacheBase.ts';

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

export class CacheNode extends CacheWrites {
  private readonly flights = new Map<number, Flight>();
  private nextFlight = 1;
  /** cache-aside with early-refresh: when each outstanding miss was answered, to measure load cost. */
  private readonly missAt = new Map<number, number>();

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

  /** cache-aside SET: stores the version and wakes the requests waiting for the key. */
  protected setKey(key: number, version: number): void {
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

  override onResponse(child: Call): void {
    const op = child.mark % 8;
    const startedAt = (child.mark - op) / 8;
    if (op === OP_LOAD || op === OP_REFRESH) this.loaded(child, startedAt);
    else this.writeAnswered(child, op);
  }

  override onEvent(kind: number, obj: unknown, tag: number): void {
    switch (kind) {
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
      default:
        super.onEvent(kind, obj, tag);
    }
  }

  protected override empty(): void {
    this.missAt.clear();
    super.empty();
  }

  protected override onCrash(): void {
    this.flights.clear();
    super.onCrash();
  }
}
