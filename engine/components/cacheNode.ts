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
 * (one load in progress, or in cache-aside one app server holding the key's lock).
 *
 * Nothing waits for ever: a read-through flight's load is abandoned if it has not come
 * back `lockTimeout` after the flight began (the backing store is slow, or the load or its
 * answer was lost on a partitioned edge). Its late answer, if any, is discarded; the
 * requests waiting on it with coalesce (or early-refresh) are answered 504 load-timeout,
 * with lock they keep polling and one of them loads again, and the next miss starts a
 * new load. A cache-aside lock is a lease of `lockTimeout`. So a flight, its waiters and
 * every request held for it are bounded by lockTimeout, whatever the edges lose. */
import type { KernelEntries } from '../core/node.ts';
import type { Call } from '../core/call.ts';
import { OK, PENDING, R } from '../core/status.ts';
import { shouldRefreshEarly } from '../kernels/stampede.ts';
import { K_ANSWER, K_LOAD, K_LOAD_TIMEOUT, K_LOCK_EXPIRE, K_POLL, NOT_FOUND, OP_LOAD, OP_REFRESH } from './cacheBase.ts';
import { CacheWrites } from './cacheWrites.ts';
import { Deadlines } from '../core/timeouts.ts';

export { NOT_FOUND } from './cacheBase.ts';

/** One load of a key (read-through), or the lock of the app server loading it (cache-aside). */
class Flight {
  readonly waiters: Call[] = [];
  readonly waiterIds: number[] = [];
  /** The load call (read-through) and its id once sent; null and 0 before. */
  load: Call | null = null;
  loadId = 0;
  constructor(
    /** Its events are delivered while this is unchanged: a read-through flight sets it to 0 when it ends. */
    public id: number,
    readonly key: number,
    readonly startedAt: number,
    /** When the load is abandoned (read-through) or the lock lease ends (cache-aside), µs. */
    readonly lockUntil: number,
  ) {}
}

export class CacheNode extends CacheWrites {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<CacheNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj, tag) => n.onEvent(kind, obj, tag),
  };

  /** The flight later misses of a key wait on. */
  private readonly flights = new Map<number, Flight>();
  /** Read-through flights by the id of their load call, until it is answered or abandoned. */
  private readonly loads = new Map<number, Flight>();
  /** When read-through flights are abandoned (one timer for all: they mostly end long before). */
  private readonly flightDeadlines = new Deadlines<Flight>(this, K_LOAD_TIMEOUT, (f, id) => f.id === id, (f) => this.loadTimedOut(f));
  /** When cache-aside lock leases end. */
  private readonly leaseDeadlines = new Deadlines<Flight>(this, K_LOCK_EXPIRE, (f, id) => f.id === id && this.flights.get(f.key) === f, (f) => this.lockExpired(f));
  private nextFlight = 1;
  private readonly loadTimeoutReason = this.sim.reason('load-timeout');
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
    if (slot < 0) {
      this.miss(call, counted);
      return;
    }
    const version = this.store.versions[slot]!;
    if (this.early && this.refreshEarly(call, slot) && this.aside) {
      // the reader reloads the key, as if it had missed (XFetch recomputes synchronously)
      this.countMiss(counted);
      if (counted) c.originReads++;
      this.missAt.set(call.key, now);
      this.reply(call, NOT_FOUND, this.missLatency);
      return;
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
      this.sim.scheduleAt(now + d, this.index, K_ANSWER, call, call.id);
    } else this.reply(call, version, this.hitLatency);
  }

  /** A read missed (`read` keeps the hit path small). */
  private miss(call: Call, counted: boolean): void {
    const now = this.sim.now;
    const c = this.counters;
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
    const f = this.coalescing ? this.loadFlight(call.key, true) : null;
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
    if (!this.aside && this.readEdge !== null) this.sendLoad(call, this.loadFlight(call.key, true), OP_REFRESH);
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

  /**
   * A read-through load of `key`, abandoned if it is not back in lockTimeout. `shared`:
   * later misses of the key wait on it (else it is a lock waiter's own load).
   */
  private loadFlight(key: number, shared: boolean): Flight {
    const now = this.sim.now;
    const d = Math.min(this.cfg.lockTimeout, this.callTimeoutUs);
    const f = new Flight(this.nextFlight++, key, now, now + d);
    if (shared) this.flights.set(key, f);
    this.flightDeadlines.start(f, f.lockUntil);
    return f;
  }

  /** A read-through flight ends (its load was answered, or abandoned): it stops taking waiters and its timeout is dropped. */
  private land(f: Flight): void {
    this.loads.delete(f.loadId);
    if (this.flights.get(f.key) === f) this.flights.delete(f.key);
    f.id = 0;
  }

  /**
   * A read-through load is not back after lockTimeout (or callTimeout): abandon it (its late answer will be
   * discarded) and answer 504 whoever waits on it. Lock waiters, who poll, are not among
   * them: they load again at their next poll.
   */
  private loadTimedOut(f: Flight): void {
    this.land(f);
    const load = f.load;
    if (load !== null && load.id === f.loadId) load.abandoned = true;
    if (this.sim.counted(f.startedAt)) this.counters.loadTimeouts++;
    for (let i = 0; i < f.waiters.length; i++) {
      const w = f.waiters[i]!;
      if (w.id === f.waiterIds[i] && w.status === PENDING) this.answer(w, 504, this.loadTimeoutReason, -1, -1);
    }
  }

  private addWaiter(f: Flight, call: Call): void {
    f.waiters.push(call);
    f.waiterIds.push(call.id);
  }

  /** cache-aside: the app server that missed holds the key's lock until it SETs the key (a lease of lockTimeout). */
  private lock(key: number): Flight {
    const f = new Flight(this.nextFlight++, key, this.sim.now, this.sim.now + this.cfg.lockTimeout);
    this.flights.set(key, f);
    this.leaseDeadlines.start(f, f.lockUntil);
    return f;
  }

  /** Sends the load of a missed key to the backing store, on behalf of `call`. */
  private sendLoad(call: Call, f: Flight | null, op = OP_LOAD): void {
    const sim = this.sim;
    const child = sim.child(call);
    child.kind = 0;
    child.version = 0;
    child.mark = sim.now * 8 + op;
    if (sim.counted(sim.now)) this.counters.originReads++;
    if (f !== null) {
      // the flight's deadline bounds the load
      f.load = child;
      f.loadId = child.id;
      this.loads.set(child.id, f);
      sim.send(this, this.readEdge!, child);
    } else this.sendTimed(child);
  }

  /** A load nobody else waits on is not back after callTimeout: its request is answered 504. */
  protected override callTimedOut(child: Call, op: number): void {
    if (op !== OP_LOAD && op !== OP_REFRESH) {
      super.callTimedOut(child, op);
      return;
    }
    child.abandoned = true;
    const parent = this.sim.parentOf(child);
    if (this.sim.counted((child.mark - op) / 8)) this.counters.loadTimeouts++;
    if (parent !== null) this.answer(parent, 504, this.loadTimeoutReason, -1, -1);
  }

  private loaded(child: Call, startedAt: number): void {
    const sim = this.sim;
    const { key, status, reason, origin, version, abandoned } = child;
    const id = child.id;
    const parent = sim.parentOf(child);
    sim.release(child);
    // abandoned: it came back after its flight's timeout, and whoever waited has been answered
    if (abandoned || !this.up) return;
    if (status === OK) {
      const cost = sim.now - startedAt;
      this.loadTimeSum += cost;
      this.loadTimeCount++;
      this.fill(key, version, cost);
    }
    const f = this.loads.size === 0 ? undefined : this.loads.get(id);
    if (f !== undefined) {
      this.land(f);
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
      // no load to wait for, or waited lockTimeout already: load it (alone if another load is under way)
      const own = this.loadFlight(call.key, f === undefined || f.lockUntil <= now);
      this.addWaiter(own, call);
      this.sendLoad(call, own);
    }
  }

  /**
   * A cache-aside lock lease ended without a SET: the next waiter (if any) takes the lock
   * and loads. Waiters that have already waited lockTimeout (through an earlier lease)
   * stop waiting and load too, so no request waits on a chain of lost loads for ever.
   */
  private lockExpired(f: Flight): void {
    if (this.flights.get(f.key) !== f) return;
    this.flights.delete(f.key);
    const now = this.sim.now;
    let next: Call | null = null;
    const rest: Array<[Call, number]> = [];
    const done: Array<[Call, number]> = [];
    for (let i = 0; i < f.waiters.length; i++) {
      const w = f.waiters[i]!;
      if (w.id !== f.waiterIds[i] || w.status !== PENDING) continue;
      if (next === null) next = w;
      else if (now - w.arrivedAt >= this.cfg.lockTimeout) done.push([w, w.id]);
      else rest.push([w, w.id]);
    }
    if (next === null) return;
    const nf = this.lock(f.key);
    for (const [w, id] of rest) {
      nf.waiters.push(w);
      nf.waiterIds.push(id);
    }
    done.unshift([next, next.id]);
    for (const [w, id] of done) {
      if (w.id !== id || w.status !== PENDING) continue;
      if (this.sim.counted(w.arrivedAt)) this.counters.originReads++;
      this.answer(w, OK, R.OK, -1, NOT_FOUND);
    }
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
        this.leaseDeadlines.fire();
        break;
      case K_LOAD_TIMEOUT:
        this.flightDeadlines.fire();
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
    // read-through flights end here (their timeouts are dropped); the loads' answers, if
    // they come back, find no flight
    if (!this.aside) {
      for (const f of this.flights.values()) f.id = 0;
      for (const f of this.loads.values()) f.id = 0;
    }
    this.flights.clear();
    this.loads.clear();
    super.onCrash();
  }
}
