/**
 * Timeouts that mostly expire in the order they were set (every request of one client
 * has the same timeout, so deadlines usually only grow). A FIFO replaces one heap event
 * per request with one pending timer per owner: the owner keeps a single event armed for
 * the earliest live deadline. Entries whose call was answered in time are skipped lazily.
 *
 * Deadlines may also go down (a run-time `set` shortens a timeout): a deadline earlier
 * than the last one opens a new FIFO lane, and the earliest deadline is the minimum over
 * the lanes' fronts. There is one lane in the common case, and never a late expiry.
 */
import type { Call } from './call.ts';
import type { Node } from './node.ts';
import type { Simulation } from './sim.ts';

/** What a list times out: anything with an id that changes when it is recycled or settled (calls, cache flights). */
export interface Timed {
  id: number;
}

class Lane<T extends Timed> {
  calls: Array<T | null>;
  ids: Float64Array;
  deadlines: Float64Array;
  head = 0;
  size = 0;

  constructor(capacity: number) {
    this.calls = new Array(capacity).fill(null);
    this.ids = new Float64Array(capacity);
    this.deadlines = new Float64Array(capacity);
  }

  push(call: T, deadline: number): void {
    if (this.size === this.calls.length) this.grow();
    const i = (this.head + this.size) & (this.calls.length - 1);
    this.calls[i] = call;
    this.ids[i] = call.id;
    this.deadlines[i] = deadline;
    this.size++;
  }

  shift(): void {
    this.calls[this.head] = null;
    this.head = (this.head + 1) & (this.calls.length - 1);
    this.size--;
  }

  private grow(): void {
    const cap = this.calls.length * 2;
    const calls = new Array<T | null>(cap).fill(null);
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

export class TimeoutList<T extends Timed = Call> {
  private lanes: Lane<T>[];

  /** `capacity` must be a power of two. */
  /** The lane pushes go to (the last of `lanes`). */
  private newest: Lane<T>;
  /** The deadline last pushed to `newest`. */
  private lastDeadline = -Infinity;

  constructor(private readonly capacity = 256) {
    this.newest = new Lane<T>(capacity);
    this.lanes = [this.newest];
  }

  get length(): number {
    let n = 0;
    for (const l of this.lanes) n += l.size;
    return n;
  }

  /** Adds a call to time out at `deadline`. */
  push(call: T, deadline: number): void {
    // the newest lane's last deadline (deadlines within a lane never go down), or -Infinity
    // when it is empty: a lane only empties from the front, and the newest lane is never dropped
    let lane = this.newest;
    if (lane.size === 0) this.lastDeadline = -Infinity;
    if (deadline < this.lastDeadline) {
      lane = new Lane<T>(this.capacity);
      this.lanes.push(lane);
      this.newest = lane;
    }
    lane.push(call, deadline);
    this.lastDeadline = deadline;
  }

  /**
   * Drops up to `max` entries that are no longer live from the front of the oldest lane.
   * Called on every push (with max 2, so it keeps up), it keeps the list about as long
   * as the run of calls since the oldest one still waiting, instead of every call of the
   * last timeout period: a load balancer's 60 s upstream timeout at 800 req/s otherwise
   * holds 48,000 entries (over a megabyte walked through memory, evicting the model's hot
   * data from the CPU caches, for a measured 7% of the cache benchmark's run time).
   */
  trim(live: (call: T, id: number) => boolean, max: number): void {
    const lane = this.lanes[0]!;
    for (let k = 0; k < max && lane.size > 0; k++) {
      const i = lane.head;
      if (live(lane.calls[i]!, lane.ids[i]!)) return;
      lane.shift();
    }
  }

  /**
   * Drops entries whose call is no longer live (`live(call, id)` false) from the front of
   * each lane, and returns the earliest remaining deadline, or Infinity.
   */
  nextDeadline(live: (call: T, id: number) => boolean): number {
    let next = Infinity;
    for (const lane of this.lanes) {
      while (lane.size > 0) {
        const i = lane.head;
        if (live(lane.calls[i]!, lane.ids[i]!)) {
          if (lane.deadlines[i]! < next) next = lane.deadlines[i]!;
          break;
        }
        lane.shift();
      }
    }
    this.dropEmptyLanes();
    return next;
  }

  /** Removes and passes to `expire` every live entry with deadline <= now, lane by lane. */
  expire(now: number, live: (call: T, id: number) => boolean, expire: (call: T) => void): void {
    for (const lane of this.lanes) {
      while (lane.size > 0) {
        const i = lane.head;
        if (lane.deadlines[i]! > now) break;
        const c = lane.calls[i]!;
        const ok = live(c, lane.ids[i]!);
        lane.shift();
        if (ok) expire(c);
      }
    }
    this.dropEmptyLanes();
  }

  /** Empty lanes other than the newest are dropped (the newest takes the next push). */
  private dropEmptyLanes(): void {
    if (this.lanes.length > 1) {
      const newest = this.lanes[this.lanes.length - 1]!;
      this.lanes = this.lanes.filter((l) => l.size > 0 || l === newest);
    }
  }
}

/**
 * Deadlines on things a node holds (calls, cache flights), with one timer event armed for
 * the earliest live one. `live(x, id)` says whether `x` (with the id it had when its
 * deadline was set) still needs its deadline; `onExpire` gets each live one whose deadline
 * has come.
 */
export class Deadlines<T extends Timed> {
  private readonly list = new TimeoutList<T>();
  /** When the armed timer event fires; Infinity when none is armed. */
  private timerAt = Infinity;
  /** The node's actor index, read once (the node's class varies; its index does not). */
  private readonly nodeIndex: number;
  private readonly sim: Simulation;

  /**
   * `kind` (and `tag`) make the node's timer event: the node's `onEvent` calls `fire()`
   * for it (a node with several lists, e.g. one per database instance, tells them apart
   * by the tag).
   */
  constructor(
    node: Node,
    private readonly kind: number,
    private readonly live: (x: T, id: number) => boolean,
    private readonly onExpire: (x: T) => void,
    private readonly tag = 0,
  ) {
    this.nodeIndex = node.index;
    this.sim = node.sim;
  }

  /** `x` expires at `deadline` (µs) unless it is no longer live by then. */
  start(x: T, deadline: number): void {
    this.list.push(x, deadline);
    this.list.trim(this.live, 2);
    if (deadline < this.timerAt) this.arm();
  }

  /** Handles the timer event: expires every live entry whose deadline has come. */
  fire(): void {
    // timerAt stays set while expiring: an entry started meanwhile (an answer can come
    // straight back as a new request over zero-latency edges) must not arm a second timer
    this.list.expire(this.sim.now, this.live, this.onExpire);
    this.timerAt = Infinity;
    this.arm();
  }

  private arm(): void {
    const d = this.list.nextDeadline(this.live);
    if (d < this.timerAt) {
      this.timerAt = d;
      this.sim.scheduleAt(d, this.nodeIndex, this.kind, null, this.tag);
    }
  }
}

/** Whether a sent call still waits on its deadline: it has the id it had, and was not abandoned. */
const SENT_LIVE = (c: Call, id: number) => c.id === id && !c.abandoned;

/**
 * Deadlines on the calls a node sends (a client's request timeout, a proxy's upstream
 * timeout, a server's call timeout), with `cancel` for a call answered in time.
 *
 * The same single armed timer as `Deadlines`, over a ring of (call, id, deadline) in
 * sending order. A call remembers its place in the ring (`call.dl`), so its answer
 * clears the entry in O(1), and the ring's front is trimmed of cleared entries on the
 * way: the ring holds about the calls still outstanding, not every call of the last
 * timeout period, and no liveness test runs per call. Measured without this, a client's
 * 10 s timeout cost 40 ns per request (14% of an M/M/1 model) and a load balancer's 60 s
 * upstream timeout 67 ns. A call that is never cancelled (a node that does not call
 * `cancel`) is still handled: it is skipped lazily once answered and recycled.
 *
 * A deadline earlier than the newest one (a timeout shortened during the run) goes to
 * an ordinary `TimeoutList`; the timer serves the earlier of the two.
 */
export class CallDeadlines {
  /** Entries in sending order; `headSeq` numbers the one at the ring's head. */
  private readonly ring: Lane<Call>;
  private headSeq = 0;
  /** Deadline of the newest entry. */
  private last = -Infinity;
  /** Deadlines that went down (rare): kept apart, in order lanes, tested lazily. */
  private readonly early = new TimeoutList<Call>(16);
  private timerAt = Infinity;
  private readonly nodeIndex: number;
  private readonly sim: Simulation;

  /** `kind` is the node's timer event: the node's `onEvent` calls `fire()` for it. `capacity` is a power of two. */
  constructor(
    node: Node,
    private readonly kind: number,
    private readonly onExpire: (call: Call) => void,
    capacity = 256,
  ) {
    this.nodeIndex = node.index;
    this.sim = node.sim;
    this.ring = new Lane<Call>(capacity);
  }

  /** Calls waiting on a deadline (cleared entries not yet trimmed included). */
  get length(): number {
    return this.ring.size + this.early.length;
  }

  /** `call` (about to be sent) expires at `deadline` (µs) unless cancelled or answered first. */
  start(call: Call, deadline: number): void {
    const ring = this.ring;
    if (deadline < this.last && ring.size > 0) {
      this.early.push(call, deadline);
      call.dl = -1;
    } else {
      call.dl = this.headSeq + ring.size;
      ring.push(call, deadline);
      this.last = deadline;
    }
    if (deadline < this.timerAt) this.arm();
  }

  /** `call` was answered in time: its entry is cleared (and trimmed once at the front). */
  cancel(call: Call): void {
    const ring = this.ring;
    const off = call.dl - this.headSeq;
    call.dl = -1;
    if (off < 0 || off >= ring.size) return;
    const i = (ring.head + off) & (ring.calls.length - 1);
    if (ring.calls[i] === call && ring.ids[i] === call.id) ring.calls[i] = null;
    // trim cleared entries at the front
    while (ring.size > 0 && ring.calls[ring.head] === null) this.shift();
  }

  /** Handles the timer event: expires every live call whose deadline has come. */
  fire(): void {
    // timerAt stays set while expiring (see Deadlines.fire)
    const now = this.sim.now;
    const ring = this.ring;
    while (ring.size > 0) {
      const i = ring.head;
      const c = ring.calls[i] ?? null;
      if (c !== null && ring.deadlines[i]! > now) break;
      const live = c !== null && SENT_LIVE(c, ring.ids[i]!);
      this.shift();
      if (live) {
        c.dl = -1;
        this.onExpire(c);
      }
    }
    this.early.expire(now, SENT_LIVE, this.onExpire);
    this.timerAt = Infinity;
    this.arm();
  }

  private arm(): void {
    // drop dead entries from the front: the earliest deadline is that of the first live one
    const ring = this.ring;
    while (ring.size > 0) {
      const c = ring.calls[ring.head] ?? null;
      if (c !== null && SENT_LIVE(c, ring.ids[ring.head]!)) break;
      this.shift();
    }
    let d = ring.size > 0 ? ring.deadlines[ring.head]! : Infinity;
    const e = this.early.nextDeadline(SENT_LIVE);
    if (e < d) d = e;
    if (d < this.timerAt) {
      this.timerAt = d;
      this.sim.scheduleAt(d, this.nodeIndex, this.kind, null, 0);
    }
  }

  private shift(): void {
    this.ring.shift();
    this.headSeq++;
  }
}
