/**
 * A call: one request travelling from a caller to a callee along an edge, and back.
 *
 * A client creates a root call per request. A node that forwards or fans out creates
 * child calls (`Simulation.child`), which copy the root's identity (request id, client,
 * IP, user, key, kind, size, send time, deadline) and add one hop. Each call is answered
 * exactly once, by its callee (`Simulation.respond`); the answer travels back to the
 * caller's `onResponse`, which is then responsible for releasing the call.
 *
 * Calls are pooled. A released call gets a new id when reused, so an event or a child
 * that remembers (call, id) can tell that the call it refers to is gone: compare
 * `call.id` with the id you stored. Never touch a call after `send` or `respond`
 * without such a check: with zero-latency edges it may already be answered and reused.
 */
import type { Node } from './node.ts';
import type { Edge } from './edge.ts';

export class Call {
  /** Unique per use; 0 while in the pool. */
  id = 0;
  /** The root request's id (the same for every hop and retry of one request). */
  rid = 0;
  /** The call this one was made on behalf of, and its id at that time. */
  parent: Call | null = null;
  parentId = 0;
  caller: Node | null = null;
  target: Node | null = null;
  edge: Edge | null = null;
  /** Actor indices of `caller` and `target` (set by `send`). */
  callerIndex = 0;
  targetIndex = 0;

  // identity of the root request
  client = 0;
  ip = 0;
  user = 0;
  key = 0;
  /** 0 = read, 1 = write. */
  kind = 0;
  size = 0;
  /** When the client sent the root request (µs). */
  sentAt = 0;
  /** When the client will give up (µs); Infinity without a timeout. */
  deadline = Infinity;
  hops = 0;
  /** Attempt number of the root request (0 = first try). */
  attempt = 0;
  /** Node ids visited by the root request, when tracing. Shared by its calls. */
  path: string[] | null = null;
  /** Version of the data this call carries or returned (caches, replicas). */
  version = 0;

  // the answer
  arrivedAt = 0;
  status = 0;
  reason = 0;
  /** Index of the node where a failure originated; -1 when none. */
  origin = -1;
  /** Extra delay the answer asks the caller to wait before retrying (µs), or -1. */
  retryAfter = -1;
  /**
   * Set on a root call when some node served its request data older than the primary's
   * (a stale read; see components/dataTier.ts), so the client can count it end to end.
   */
  stale = false;

  // scratch space for the callee and the caller
  /** Set by the caller when it stopped waiting (timeout): the answer is to be discarded. */
  abandoned = false;
  /** Callee scratch: e.g. the downstream step of a server. */
  step = 0;
  /** Callee scratch: e.g. outstanding child calls. */
  pending = 0;
  /** Callee scratch: e.g. worker held, slot index. */
  slot = -1;
  /** Callee scratch: true while the call holds one of the callee's workers. */
  worker = false;
  /** Callee scratch: a state object. */
  aux: unknown = null;
  /** Caller scratch: e.g. the backend index an LB chose, or a start time. */
  mark = 0;
  /** Caller side: the call's place in its sender's `CallDeadlines` ring, or -1. */
  dl = -1;
}

/**
 * An empty array already in V8's "objects" element kind. A literal `[]` starts as small
 * integers and changes kind at its first push, so a fresh pool in a second run has
 * another array map than the one the first run's optimised code expects: every function
 * touching it deoptimises and is compiled again (measured: the first 25 simulated
 * seconds of a second run at a quarter of full speed).
 */
export function objectArray<T>(): T[] {
  const a: unknown[] = [null];
  a.length = 0;
  return a as T[];
}

/** A free list of calls. */
export class CallPool {
  private free: Call[] = objectArray();
  private nextId = 1;
  /** Calls currently out of the pool. */
  live = 0;

  take(): Call {
    const c = this.free.pop() ?? new Call();
    c.id = this.nextId++;
    this.live++;
    return c;
  }

  /**
   * Returns a call. Only the answer and scratch fields are reset here; identity fields
   * are always written by `Simulation.root/child/retry` before use.
   */
  give(c: Call): void {
    if (c.id === 0) throw new Error(`internal: call released twice`);
    c.id = 0;
    c.parent = null;
    c.path = null;
    c.aux = null;
    c.status = 0;
    c.reason = 0;
    c.origin = -1;
    c.retryAfter = -1;
    c.stale = false;
    c.abandoned = false;
    c.step = 0;
    c.pending = 0;
    c.slot = -1;
    c.worker = false;
    c.mark = 0;
    this.live--;
    this.free.push(c);
  }
}
