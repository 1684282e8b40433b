/**
 * The future event list.
 *
 * Ordering rule: events are ordered by (time, priority, sequence). `time` is an integer
 * microsecond; a lower `priority` runs first at the same instant; `sequence` is a
 * strictly increasing counter assigned at scheduling, so two events with the same time
 * and priority run in the order they were scheduled. Ties are never broken randomly.
 *
 * Layout: a 4-ary min-heap of (time, key, slot) in parallel typed arrays, where
 * key = priority * 2^44 + sequence (exact in a double for priority < 512 and sequence
 * < 2^44). Payloads live in slot arrays that are written once at push and read once at
 * pop, so sifting moves three numbers and no object. Nothing is allocated per event
 * except when the arrays double.
 */

const SEQ_SPAN = 17592186044416; // 2^44

export class EventQueue {
  /** Number of pending events. */
  size = 0;
  private seq = 0;
  private cap: number;
  /** Heap times; `ht[0]` is the earliest pending event's time when `size > 0`. */
  ht: Float64Array;
  private hk: Float64Array;
  private hs: Int32Array;
  // slot payloads (read directly by the event loop after `pop`)
  pa: Int32Array;
  ptag: Float64Array;
  pobj: unknown[];
  private free: Int32Array;
  private freeTop = 0;
  private slots = 0;

  // the payload of the event most recently popped
  /** Handler code of the last popped event. */
  handler = 0;
  /** Tag of the last popped event. */
  tag = 0;
  /** Object of the last popped event. */
  obj: unknown = null;
  /** Time of the last popped event. */
  time = 0;

  constructor(initialCapacity = 1024) {
    this.cap = Math.max(16, initialCapacity);
    this.ht = new Float64Array(this.cap);
    this.hk = new Float64Array(this.cap);
    this.hs = new Int32Array(this.cap);
    this.pa = new Int32Array(this.cap);
    this.ptag = new Float64Array(this.cap);
    this.pobj = new Array(this.cap).fill(null);
    this.free = new Int32Array(this.cap);
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.ht[0]! : Infinity;
  }

  /**
   * Schedules an event. `priority` must be an integer in [0, 511].
   */
  push(time: number, priority: number, handler: number, obj: unknown, tag: number): void {
    if (this.size === this.cap) this.grow();
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else slot = this.slots++;
    this.pa[slot] = handler;
    this.ptag[slot] = tag;
    this.pobj[slot] = obj;
    const key = priority * SEQ_SPAN + this.seq++;
    // sift up
    const ht = this.ht, hk = this.hk, hs = this.hs;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = ht[p]!;
      if (pt < time || (pt === time && hk[p]! < key)) break;
      ht[i] = pt;
      hk[i] = hk[p]!;
      hs[i] = hs[p]!;
      i = p;
    }
    ht[i] = time;
    hk[i] = key;
    hs[i] = slot;
  }

  /**
   * Removes the earliest event and exposes it in `time`, `handler`, `tag`, `obj`.
   * Must not be called when empty.
   */
  pop(): void {
    const slot = this.popSlot();
    this.handler = this.pa[slot]!;
    this.tag = this.ptag[slot]!;
    this.obj = this.pobj[slot];
    this.pobj[slot] = null;
  }

  /**
   * Removes the earliest event and returns its slot; its time is in `time` and its payload
   * in `pa[slot]`, `ptag[slot]`, `pobj[slot]` until the next `push` (the caller should
   * clear `pobj[slot]`). The event loop uses this to avoid copying the payload.
   */
  popSlot(): number {
    const ht = this.ht, hk = this.hk, hs = this.hs;
    const slot = hs[0]!;
    this.time = ht[0]!;
    this.free[this.freeTop++] = slot;
    const n = --this.size;
    if (n === 0) return slot;
    // move the last element to the root and sift down
    const t = ht[n]!, k = hk[n]!, s = hs[n]!;
    let i = 0;
    for (;;) {
      const c1 = 4 * i + 1;
      if (c1 >= n) break;
      let m = c1;
      let mt = ht[c1]!, mk = hk[c1]!;
      const cEnd = c1 + 4 < n ? c1 + 4 : n;
      for (let c = c1 + 1; c < cEnd; c++) {
        const ct = ht[c]!;
        if (ct < mt || (ct === mt && hk[c]! < mk)) {
          m = c;
          mt = ct;
          mk = hk[c]!;
        }
      }
      if (t < mt || (t === mt && k < mk)) break;
      ht[i] = mt;
      hk[i] = mk;
      hs[i] = hs[m]!;
      i = m;
    }
    ht[i] = t;
    hk[i] = k;
    hs[i] = s;
    return slot;
  }

  /** Removes every event. */
  clear(): void {
    this.pobj.fill(null);
    this.size = 0;
    this.freeTop = 0;
    this.slots = 0;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.ht = grow64(this.ht);
    this.hk = grow64(this.hk);
    this.hs = grow32(this.hs);
    this.pa = grow32(this.pa);
    this.ptag = grow64(this.ptag);
    this.free = grow32(this.free);
    const objs = new Array(cap).fill(null);
    for (let i = 0; i < this.cap; i++) objs[i] = this.pobj[i];
    this.pobj = objs;
    this.cap = cap;
  }
}
