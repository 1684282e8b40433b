/**
 * The write path of a cache node: SET and DELETE from cache-aside app servers, writes
 * passed on to the backing store (read-through, write-through, write-around), and the
 * write-back buffer with its flushes.
 */
import type { Call } from '../core/call.ts';
import { OK } from '../core/status.ts';
import { CacheBase, K_ANSWER, K_FLUSH, OP_FLUSH, OP_WRITE } from './cacheBase.ts';

export abstract class CacheWrites extends CacheBase {
  /** Writes each flush call carries, by call id (a failed flush puts them back). */
  private readonly flushWrites = new Map<number, number>();

  /** cache-aside SET: stores the version and wakes whoever waits for the key (the read path). */
  protected abstract setKey(key: number, version: number): void;

  override init(): void {
    super.init();
    if (this.writeBackMode && this.cfg.flushInterval !== null) this.schedule(this.cfg.flushInterval, K_FLUSH, null, 0);
  }

  protected write(call: Call): void {
    const sim = this.sim;
    if (sim.counted(sim.now)) this.counters.writes++;
    switch (this.cfg.pattern) {
      case 'cache-aside':
        if (call.version >= 0) this.setKey(call.key, call.version);
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

  protected readonly sendFlush = (key: number, version: number, writes: number): void => {
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

  /** An answer to a write or flush this cache made. */
  protected writeAnswered(child: Call, op: number): void {
    if (op === OP_WRITE) this.written(child);
    else this.flushed(child);
  }

  override onEvent(kind: number, obj: unknown, tag: number): void {
    if (kind === K_FLUSH) {
      if (this.up) this.flushAll();
      this.schedule(this.cfg.flushInterval!, K_FLUSH, null, 0);
    } else super.onEvent(kind, obj, tag);
  }
}
