/**
 * Timeouts that expire in the order they were set (every request of one client has the
 * same timeout, so deadlines are non-decreasing). A FIFO replaces one heap event per
 * request with one pending timer per owner: the owner keeps a single event armed for the
 * earliest live deadline. Entries whose call was answered in time are skipped lazily.
 */
import type { Call } from './call.ts';

export class TimeoutList {
  private calls: Array<Call | null>;
  private ids: Float64Array;
  private deadlines: Float64Array;
  private head = 0;
  private size = 0;

  /** `capacity` must be a power of two. */
  constructor(capacity = 256) {
    this.calls = new Array(capacity).fill(null);
    this.ids = new Float64Array(capacity);
    this.deadlines = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds a call; its `deadline` must not be earlier than the last one added. */
  push(call: Call, deadline: number): void {
    if (this.size === this.calls.length) this.grow();
    const i = (this.head + this.size) & (this.calls.length - 1);
    this.calls[i] = call;
    this.ids[i] = call.id;
    this.deadlines[i] = deadline;
    this.size++;
  }

  /**
   * Drops entries whose call is no longer live (`live(call, id)` false) from the front,
   * and returns the earliest remaining deadline, or Infinity.
   */
  nextDeadline(live: (call: Call, id: number) => boolean): number {
    while (this.size > 0) {
      const i = this.head;
      if (live(this.calls[i]!, this.ids[i]!)) return this.deadlines[i]!;
      this.shift();
    }
    return Infinity;
  }

  /** Removes and passes to `expire` every live entry with deadline <= now. */
  expire(now: number, live: (call: Call, id: number) => boolean, expire: (call: Call) => void): void {
    while (this.size > 0) {
      const i = this.head;
      if (this.deadlines[i]! > now) return;
      const c = this.calls[i]!;
      const ok = live(c, this.ids[i]!);
      this.shift();
      if (ok) expire(c);
    }
  }

  private shift(): void {
    this.calls[this.head] = null;
    this.head = (this.head + 1) & (this.calls.length - 1);
    this.size--;
  }

  private grow(): void {
    const cap = this.calls.length * 2;
    const calls = new Array<Call | null>(cap).fill(null);
    const ids = new Float64Array(cap);
    const dl = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (this.calls.length - 1);
      calls[k] = this.calls[i]!;
      ids[k] = this.ids[i]!;
      dl[k] = this.deadlines[i]!;
    }
    this.calls = calls;
    this.ids = ids;
    this.deadlines = dl;
    this.head = 0;
  }
}
