/**
 * occRow: one database row under optimistic concurrency control, the workload of the AWS
 * "Exponential Backoff And Jitter" study (Brooker, 2015). A write is a read-modify-write
 * transaction: it reads the row's version when it arrives, then, `gap` later (the read's
 * answer travelling back and the write travelling in), writes with that version. If
 * another write committed in between, the version is stale and the write fails with 409
 * (a conflict the client may retry, after backing off). Reads just answer the version.
 *
 * Every write attempt counts as one call, the study's measure of work; with the
 * client's retries, the time of the last success is its completion time.
 */
import type { Call } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { createSampler, type DistSpec, type Sampler } from '../core/dist.ts';
import { Node, type KernelEntries } from '../core/node.ts';
import type { Param } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import type { Simulation } from '../core/sim.ts';
import { DROPPED, OK, PENDING, R } from '../core/status.ts';
import type { NodeSpec } from '../scenario/types.ts';

const K_WRITE = 2;

export const occRowParams = {
  gap: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'normal', mean: '20ms', stddev: '2.83ms' },
    help: 'Time between a transaction\'s read and its write at the row: the read\'s answer going back to the client plus the write coming in (two network trips).',
  },
} satisfies Record<string, Param>;

export class OccRowNode extends Node {
  /** How the kernel calls this class (its own closures: see `Node.kernelEntries`). */
  static override kernelEntries: KernelEntries<OccRowNode> = {
    arrive: (n) => (c) => n.onArrival(c),
    respond: (n) => (c) => n.onResponse(c),
    event: (n) => (kind, obj) => n.onEvent(kind, obj),
  };

  /** The row's version: incremented by each committed write. */
  private version = 0;
  private writes = 0;
  private conflicts = 0;
  private wWrites = 0;
  private wConflicts = 0;
  private readonly gap: Sampler;
  private readonly rng: Rng;
  private readonly conflict: number;
  private readonly holding = new Set<Call>();

  constructor(sim: Simulation, index: number, spec: NodeSpec, p: { gap: DistSpec }) {
    super(sim, index, spec.id, 'occRow');
    this.reads = 0; // one row: versions, no keys
    this.gap = createSampler(p.gap);
    this.rng = this.stream('gap');
    this.conflict = sim.reason('write-conflict');
  }

  override onArrival(call: Call): void {
    if (call.kind === 0) {
      call.version = this.version;
      this.sim.respond(call, OK, R.OK);
      return;
    }
    call.version = this.version; // the read
    this.holding.add(call);
    this.schedule(Math.round(this.gap.sample(this.rng)), K_WRITE, call, call.id);
  }

  override onEvent(kind: number, obj: unknown): void {
    if (kind !== K_WRITE) return;
    const call = obj as Call;
    if (call.status !== PENDING) return;
    this.holding.delete(call);
    this.writes++;
    this.wWrites++;
    if (call.version === this.version) {
      this.version++;
      call.version = this.version;
      this.sim.respond(call, OK, R.OK);
    } else {
      this.conflicts++;
      this.wConflicts++;
      this.sim.respond(call, 409, this.conflict);
    }
  }

  protected override onCrash(): void {
    const held = [...this.holding];
    this.holding.clear();
    for (const c of held) if (c.status === PENDING) this.sim.respond(c, DROPPED, R.CRASHED);
  }

  override held(): number {
    return this.holding.size;
  }

  override windowExtras(): Record<string, number> {
    const out = { writes: this.wWrites, conflicts: this.wConflicts };
    this.wWrites = 0;
    this.wConflicts = 0;
    return out;
  }

  override report(): Record<string, unknown> {
    return { writes: this.writes, conflicts: this.conflicts, version: this.version };
  }
}

export const occRow = defineComponent({
  type: 'occRow',
  title: 'OCC row',
  description: 'One row under optimistic concurrency: a write with a stale version fails 409 (the AWS backoff study).',
  icon: 'database',
  category: 'data',
  params: occRowParams,
  outgoing: null,
  incoming: true,
  faults: [],
  create(sim, spec, index) {
    return new OccRowNode(sim, index, spec, spec.params as unknown as { gap: DistSpec });
  },
});
