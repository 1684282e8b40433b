/**
 * A double-ended queue of calls, remembering each call's id when it was added so that
 * entries answered elsewhere (timed out, dropped) can be skipped lazily: `isLive` says
 * whether an entry still refers to the same, unanswered call.
 */
import type { Call } from './call.ts';
import { PENDING } from './status.ts';

export class CallDeque {
  private calls: Array<Call | null>;
  private ids: Float64Array;
  private head = 0;
  /** Physical entries, live or not. */
  size = 0;

  /** `capacity` must be a power of two. */
  constructor(capacity = 64) {
    this.calls = new Array(capacity).fill(null);
    this.ids = new Float64Array(capacity);
  }

  pushBack(c: Call): void {
    if (this.size === this.calls.length) this.grow();
    const i = (this.head + this.size) & (this.calls.length - 1);
    this.calls[i] = c;
    this.ids[i] = c.id;
    this.size++;
  }

  /** Removes and returns the first live call, or null. */
  popFront(): Call | null {
    while (this.size > 0) {
      const i = this.head;
      const c = this.calls[i]!;
      const live = c.id === this.ids[i] && c.status === PENDING;
      this.calls[i] = null;
      this.head = (i + 1) & (this.calls.length - 1);
      this.size--;
      if (live) return c;
    }
    return null;
  }

  /** Removes and returns the last live call, or null. */
  popBack(): Call | null {
    while (this.size > 0) {
      const i = (this.head + this.size - 1) & (this.calls.length - 1);
      const c = this.calls[i]!;
      const live = c.id === this.ids[i] && c.status === PENDING;
      this.calls[i] = null;
      this.size--;
      if (live) return c;
    }
    return null;
  }

  /**
   * Drops the entries that are no longer live (answered elsewhere, e.g. by a queue
   * timeout), keeping the order of the others. Owners call it when dead entries
   * outnumber live ones, so memory stays proportional to what is really waiting.
   */
  compact(): void {
    const mask = this.calls.length - 1;
    let w = 0;
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & mask;
      const c = this.calls[i]!;
      const id = this.ids[i]!;
      this.calls[i] = null;
      if (c.id === id && c.status === PENDING) {
        // write into a fresh front-aligned layout; w <= k, so no live entry is overwritten
        const j = (this.head + w) & mask;
        this.calls[j] = c;
        this.ids[j] = id;
        w++;
      }
    }
    this.size = w;
  }

  /** Removes every entry, passing the live ones to `fn`. */
  drain(fn: (c: Call) => void): void {
    const live: Call[] = [];
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (this.calls.length - 1);
      const c = this.calls[i]!;
      if (c.id === this.ids[i] && c.status === PENDING) live.push(c);
      this.calls[i] = null;
    }
    this.head = 0;
    this.size = 0;
    for (const c of live) fn(c);
  }

  private grow(): void {
    const cap = this.calls.length * 2;
    const calls = new Array<Call | null>(cap).fill(null);
    const ids = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (this.calls.length - 1);
      calls[k] = this.calls[i]!;
      ids[k] = this.ids[i]!;
    }
    this.calls = calls;
    this.ids = ids;
    this.head = 0;
  }
}
