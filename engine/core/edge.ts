/**
 * An edge: a directed link from one node to another. What it means depends on the
 * source: a client sends its requests along it, a load balancer treats its target as a
 * backend, a server calls its target while handling a request. Every edge carries
 * network latency (independent draws per direction, 0 by default) and the answers
 * travel back along the same edge.
 */
import type { Node } from './node.ts';
import type { Rng } from './rng.ts';
import type { Sampler } from './dist.ts';

/** Which request kinds use an edge. */
export const KINDS_ANY = 0;
export const KINDS_READ = 1;
export const KINDS_WRITE = 2;

export class Edge {
  /** "from->to" */
  readonly id: string;
  /** Request-direction latency sampler; null means 0 (no event is scheduled). */
  req: Sampler | null;
  /** Response-direction latency sampler; null means 0. */
  resp: Sampler | null;
  /** While partitioned, requests and answers crossing the edge are lost. */
  partitioned = false;

  // totals and the current window's counts (for the live view and reports)
  sent = 0;
  failed = 0;
  lost = 0;
  wSent = 0;
  wFailed = 0;
  readonly series = { sent: [] as number[], failed: [] as number[] };
  /** Actor indices of `from` and `to` (the kernel's dispatch tables are by index). */
  readonly fromIndex: number;
  readonly toIndex: number;

  constructor(
    readonly index: number,
    readonly from: Node,
    readonly to: Node,
    latency: Sampler | null,
    responseLatency: Sampler | null,
    /** Latency draws of requests and answers. */
    readonly rng: Rng,
    /** Latency draws of health-check probes (kept apart so probes don't shift request draws). */
    readonly probeRng: Rng,
    readonly weight: number,
    readonly probability: number,
    readonly kinds: number,
  ) {
    this.id = `${from.id}->${to.id}`;
    this.fromIndex = from.index;
    this.toIndex = to.index;
    this.req = latency;
    this.resp = responseLatency;
  }

  /** One request-direction delay in integer µs. */
  requestDelay(rng: Rng = this.rng): number {
    return this.req === null ? 0 : Math.round(this.req.sample(rng));
  }

  /** One response-direction delay in integer µs. */
  responseDelay(rng: Rng = this.rng): number {
    return this.resp === null ? 0 : Math.round(this.resp.sample(rng));
  }

  /** Whether a request of this kind (0 read, 1 write) uses this edge. */
  accepts(kind: number): boolean {
    return this.kinds === KINDS_ANY || this.kinds === kind + 1;
  }

  closeWindow(): void {
    this.series.sent.push(this.wSent);
    this.series.failed.push(this.wFailed);
    this.wSent = 0;
    this.wFailed = 0;
  }
}
