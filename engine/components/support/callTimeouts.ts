/**
 * Timeouts on the calls a node sends: a proxy's upstream timeout (load balancer, rate
 * limiter), a limiter's store timeout: `CallDeadlines` (core/timeouts.ts), the single timer
 * event a node keeps armed for the earliest live deadline, as servers do for `callTimeout`.
 *
 * A call that times out is marked `abandoned` before `onTimeout` sees it, so the node's
 * `onResponse` can tell a late answer (if one ever comes) and just release it. A call
 * answered in time is cancelled by the node's `onResponse`. No event is scheduled while no call is
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
import type { Simulation } from '../../core/sim.ts';
import { CallDeadlines } from '../../core/timeouts.ts';

export class CallTimeouts {
  private readonly deadlines: CallDeadlines;
  private readonly sim: Simulation;

  /**
   * `kind` is the node's event kind for the timer: the node's `onEvent` calls `fire()` for
   * it. `onTimeout` gets each call that timed out (already marked abandoned).
   */
  constructor(node: Node, kind: number, onTimeout: (call: Call) => void) {
    this.sim = node.sim;
    this.deadlines = new CallDeadlines(node, kind, (c) => {
      c.abandoned = true;
      onTimeout(c);
    });
  }

  /** Starts the clock on `call`, to be sent now: it times out `timeout` µs from now. */
  start(call: Call, timeout: number): void {
    this.deadlines.start(call, this.sim.now + timeout);
  }

  /** `call` was answered in time (safe to call for any call, timed or not). */
  cancel(call: Call): void {
    this.deadlines.cancel(call);
  }

  /** Handles the timer event: times out every live call whose deadline has come. */
  fire(): void {
    this.deadlines.fire();
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
