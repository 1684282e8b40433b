/**
 * The write path of a cache node: SET and DELETE from cache-aside app servers, writes
 * passed on to the backing store (read-through, write-through, write-around), and the
 * write-back buffer with its flushes.
 *
 * A write-back flush counts as flushed when the backing store acknowledges it. One that
 * fails, or is not answered within `callTimeout` (lost on a partitioned edge, or stuck),
 * puts its writes back into the buffer, to go with the next flush of the key; if the
 * cache was emptied meanwhile (a crash or a flush fault) there is nothing left to retry
 * with and they are lost. A flush given up at its timeout may still have committed: the
 * retry then writes the key again (at-least-once, as write-behind queues do).
 *
 * The report counts a write where it arrived: a write that arrived after warm-up is in
 * `writes`, and the same write is in `flushedWrites`, `unflushedWrites` or `lostWrites`
 * (or in a flush under way), whenever that happens; one that arrived during warm-up is in
 * none of them. So writes = flushed + unflushed + in a flush + lost, exactly.
 */
import type { Call } from '../core/call.ts';
import { OK, R } from '../core/status.ts';
import { CacheBase, K_ANSWER, K_CALL_TIMEOUT, K_FLUSH, OP_FLUSH, OP_WRITE } from './cacheBase.ts';
import { Deadlines } from '../core/timeouts.ts';
import type { FlushFn } from './cacheWriteBack.ts';

/** A flush on its way to the backing store. */
interface Flush {
  /** Acknowledged writes it carries. */
  writes: number;
  /** Of those, the writes that arrived after warm-up (the report's). */
  counted: number;
  /** The cache's `emptied` count when it was sent: if the cache was emptied since, a failed flush cannot be retried. */
  emptied: number;
}

export abstract class CacheWrites extends CacheBase {
  /** Flushes under way, by call id; an entry leaves when its flush is answered or times out. */
  private readonly flushes = new Map<number, Flush>();
  /** Times the cache was emptied (crash or flush fault). */
  private emptied = 0;

  /** cache-aside SET: stores the version and wakes whoever waits for the key (the read path). */
  protected abstract setKey(key: number, version: number): void;

  override init(): void {
    super.init();
    if (this.writeBackMode && this.cfg.flushInterval !== null) this.schedule(this.cfg.flushInterval, K_FLUSH, null, 0);
  }

  protected write(call: Call): void {
    const sim = this.sim;
    const counted = sim.counted(sim.now);
    if (counted) this.counters.writes++;
    switch (this.cfg.pattern) {
      case 'cache-aside':
        if (call.version >= 0) this.setKey(call.key, call.version);
        else this.store.remove(call.key);
        this.reply(call, call.version, this.writeLatency);
        return;
      case 'write-back':
        this.writeBack(call, counted ? 1 : 0);
        return;
      default: {
        this.hold(call);
        const child = sim.child(call);
        child.version = 0;
        child.mark = sim.now * 8 + OP_WRITE;
        this.sendTimed(child);
      }
    }
  }

  /** Calls to the backing store not yet answered, by when they are given up (one timer for all). */
  private readonly callDeadlines = new Deadlines<Call>(this, K_CALL_TIMEOUT, (c, id) => c.id === id, (c) => this.callTimedOut(c, c.mark % 8));

  /** Sends a call to the backing store, given up after callTimeout (see `callTimedOut`). */
  protected sendTimed(child: Call): void {
    if (this.callTimeoutUs !== Infinity) this.callDeadlines.start(child, this.sim.now + this.callTimeoutUs);
    this.sim.send(this, child.kind === 0 ? this.readEdge! : this.writeEdge!, child);
  }

  /**
   * A call to the backing store is not answered after callTimeout (its deadline is skipped
   * once it is answered and released): its answer will be ignored. A write's request is
   * answered 504; a flush is retried. Loads are the read path's (`loadTimedOut`).
   */
  protected callTimedOut(child: Call, op: number): void {
    child.abandoned = true;
    if (op === OP_FLUSH) {
      const f = this.flushes.get(child.id);
      if (f === undefined) return;
      this.flushes.delete(child.id);
      this.flushFailed(child.key, child.version, f, (child.mark - op) / 8);
      return;
    }
    const parent = this.sim.parentOf(child);
    if (parent !== null && op === OP_WRITE) this.answer(parent, 504, R.CALL_TIMEOUT, -1, -1);
  }

  private written(child: Call): void {
    const sim = this.sim;
    const { key, status, reason, origin, version, abandoned } = child;
    const parent = sim.parentOf(child);
    sim.release(child);
    if (abandoned || !this.up) return;
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
  private writeBack(call: Call, counted: number): void {
    const key = call.key;
    const slot = this.store.peek(key);
    const cached = slot >= 0 ? this.store.versions[slot]! : -1;
    const truth = this.truth === null ? -1 : this.truth.currentVersion(key);
    const version = Math.max(cached, this.wb.version(key), truth, 0) + 1;
    this.put(key, version, 0);
    this.wb.record(key, version, 1, counted);
    this.reply(call, version, this.writeLatency);
    if (this.cfg.flushBatch > 0 && this.wb.size >= this.cfg.flushBatch) this.flushAll();
  }

  private flushAll(): void {
    this.wb.takeAll(this.sendFlush);
  }

  protected readonly sendFlush: FlushFn = (key, version, writes, counted) => {
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
    this.flushes.set(c.id, { writes, counted, emptied: this.emptied });
    if (sim.counted(sim.now)) this.counters.flushCalls++;
    this.sendTimed(c);
  };

  private flushed(child: Call): void {
    const { id, key, status, version, abandoned } = child;
    const f = this.flushes.get(id);
    const sentAt = (child.mark - OP_FLUSH) / 8;
    this.sim.release(child);
    if (abandoned || f === undefined) return; // given up at its timeout, and retried
    this.flushes.delete(id);
    if (status === OK) {
      this.counters.flushedWrites += f.counted;
    } else this.flushFailed(key, version, f, sentAt);
  }

  /**
   * A flush failed or timed out: its writes go back into the buffer, to go with the next
   * flush of the key (with a newer version if the key was written since). If the cache
   * was emptied since it was sent, the data is gone: the writes are lost.
   */
  private flushFailed(key: number, version: number, f: Flush, sentAt: number): void {
    if (this.sim.counted(sentAt)) this.counters.flushFailures++;
    if (this.up && f.emptied === this.emptied) {
      // not flushed again here: a store that refuses at once (a full pool behind a
      // zero-latency edge) would be retried at once, for ever; they go with the next flush
      // (the interval's, or the one the next write starts by filling the batch)
      this.wb.record(key, Math.max(version, this.wb.version(key)), f.writes, f.counted);
      return;
    }
    this.counters.lostWrites += f.counted;
    this.sim.log('info', `${this.id}: a flush of ${f.writes} write${f.writes === 1 ? '' : 's'} failed after the cache was emptied; lost`, { node: this.id });
  }

  protected override empty(): void {
    this.emptied++;
    super.empty();
  }

  /** An answer to a write or flush this cache made. */
  protected writeAnswered(child: Call, op: number): void {
    if (op === OP_WRITE) this.written(child);
    else this.flushed(child);
  }

  override onEvent(kind: number, obj: unknown, tag: number): void {
    if (kind === K_FLUSH) {
      if (this.up) this.flushAll();
      this.schedule(this.cfg.flushInterval!, K_FLUSH, null, 0);
    } else if (kind === K_CALL_TIMEOUT) this.callDeadlines.fire();
    else super.onEvent(kind, obj, tag);
  }
}
