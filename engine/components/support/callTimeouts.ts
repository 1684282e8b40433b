/**
 * Timeouts on the calls a node sends: a proxy's upstream timeout (load balancer, rate
 * limiter), a limiter's store timeout. A `TimeoutList` plus the single timer event the
 * node keeps armed for the earliest live deadline, as `server.ts` does for `callTimeout`.
 *
 * A call that times out is marked `abandoned` before `onTimeout` sees it, so the node's
 * `onResponse` can tell a late answer (if one ever comes) and just release it. A call
 * answered in time is skipped lazily. No event is scheduled while no call is
 * outstanding; while calls are, the timer fires at the deadline it was armed for, which
 * may find that call answered, and then re-arms for the oldest call still outstanding.
 * With answers much faster than the timeout that is about one event per timeout period,
 * and each such event is folded into the fingerprint like any other.
 *
 * Deadlines may go down (a timeout shortened during the run): the list keeps them in
 * order lanes, and an earlier deadline re-arms the timer.
 */
import type { Call } from '../../core/call.ts';
import type { Node } from '../../core/node.ts';
import type { Param } from '../../core/params.ts';
import { TimeoutList } from '../../core/timeouts.ts';

export class CallTimeouts {
  private readonly list = new TimeoutList();
  /** When the armed timer event fires; Infinity when none is armed. */
  private timerAt = Infinity;
  private readonly live = (c: Call, id: number) => c.id === id && !c.abandoned;
  private readonly expired: (c: Call) => void;

  /**
   * `kind` is the node's event kind for the timer: the node's `onEvent` calls `fire()` for
   * it. `onTimeout` gets each call that timed out (already marked abandoned).
   */
  constructor(
    private readonly node: Node,
    private readonly kind: number,
    onTimeout: (call: Call) => void,
  ) {
    this.expired = (c) => {
      c.abandoned = true;
      onTimeout(c);
    };
  }

  /** Starts the clock on `call`, to be sent now: it times out `timeout` µs from now. */
  start(call: Call, timeout: number): void {
    const deadline = this.node.sim.now + timeout;
    this.list.push(call, deadline);
    if (deadline < this.timerAt) this.arm();
  }

  /** Handles the timer event: times out every live call whose deadline has come. */
  fire(): void {
    // timerAt stays set while expiring: a call started meanwhile (an answer can come
    // straight back as a new request over zero-latency edges) must not arm a second timer
    this.list.expire(this.node.sim.now, this.live, this.expired);
    this.timerAt = Infinity;
    this.arm();
  }

  private arm(): void {
    const d = this.list.nextDeadline(this.live);
    if (d < this.timerAt) {
      this.timerAt = d;
      this.node.sim.scheduleAt(d, this.node, this.kind, null, 0);
    }
  }
}

/**
 * The `upstreamTimeout` parameter of a proxy (load balancer, rate limiter). 60 s is
 * nginx's `proxy_read_timeout` default.
 */
export function upstreamTimeoutParam(upstream: string): Param {
  return {
    kind: 'duration',
    default: '60s',
    orNone: true,
    min: '1us',
    help: `Give up on ${upstream} after this long and answer 504 upstream-timeout; a late answer is discarded (nginx proxy_read_timeout, 60s by default; HAProxy timeout server). "none": wait for ever, so a call lost to a partition is held for the rest of the run.`,
  };
}

/** Name of the failure reason of an upstream timeout. */
export const UPSTREAM_TIMEOUT = 'upstream-timeout';
