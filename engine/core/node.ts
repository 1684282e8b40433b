/**
 * The node contract.
 *
 * A node is an actor in the event loop with three entry points:
 * - `onArrival(call)`: a call reached it. It must answer the call exactly once, now or
 *   later, with `sim.respond(call, status, reason)`.
 * - `onResponse(call)`: a call it made (`sim.send`) was answered. It must release the
 *   call with `sim.release(call)` when done with it.
 * - `onEvent(kind, obj, tag)`: an event it scheduled with `schedule`. Kinds 0 and 1 are
 *   the kernel's; components use 2..63. An event scheduled with an object `obj` is only
 *   delivered if `obj.id === tag` still holds, so events on a call that has since been
 *   answered and recycled are dropped by the kernel.
 *
 * Decisions (which backend, admit or reject, evict what) belong in small pure functions
 * under `engine/kernels/`; a node only choreographs: receive, decide, schedule.
 */
import type { Call } from './call.ts';
import type { Edge } from './edge.ts';
import type { Rng } from './rng.ts';
import { NodeStats } from './stats.ts';
import type { Simulation } from './sim.ts';

export interface Actor {
  readonly index: number;
  onEvent(kind: number, obj: unknown, tag: number): void;
}

/** A fault as parsed from a scenario. */
export interface FaultSpec {
  at: number;
  for?: number;
  action: string;
  node?: string;
  edge?: string;
  [k: string]: unknown;
}

/** Request fields a node may read (`Node.reads`): a client draws only those some node reads. */
export const READ_KEY = 1;
export const READ_USER = 2;
export const READ_IP = 4;
export const READ_ALL = READ_KEY | READ_USER | READ_IP;

/**
 * How the kernel calls a node class: functions that make, for one node, the closures the
 * event loop calls on an arrival, an answer and an event.
 */
export interface KernelEntries<N extends Node> {
  arrive(node: N): (call: Call) => void;
  respond(node: N): (call: Call) => void;
  event(node: N): (kind: number, obj: unknown, tag: number) => void;
}

export abstract class Node implements Actor {
  /**
   * The kernel calls nodes through tables of closures indexed by node, made by the
   * node's class from this. Each component class declares its own, written out in its
   * own file (a copy-paste of the three lines), because V8 keeps one set of type
   * feedback per function literal: a closure literal shared by every class would see
   * every class at its `node.onArrival(c)` (a megamorphic call, never inlined), while a
   * literal per class sees one and inlines the method. A class without its own (a test
   * double, a subclass) still works, through bound methods; measured on the cache
   * benchmark, the per-class closures are 9% faster than bound methods.
   */
  static kernelEntries: KernelEntries<any> | undefined = undefined;

  readonly stats = new NodeStats();
  /**
   * Which of a request's identity fields this node reads (READ_KEY, READ_USER, READ_IP).
   * Clients draw a key, a user and an IP for a request only if some node in the scenario
   * reads it (or a trace is written): each is its own random stream, so not drawing one
   * changes no other draw, and a model with no cache, no ipHash and no per-user limit
   * sends requests faster. All by default, so a node that forgets to say is correct;
   * a node that reads none of them says 0. Set in the constructor.
   */
  reads = READ_ALL;
  /** Outgoing edges in scenario order. */
  readonly out: Edge[] = [];
  /** Incoming edges in scenario order. */
  readonly in: Edge[] = [];
  up = true;

  constructor(
    readonly sim: Simulation,
    readonly index: number,
    readonly id: string,
    readonly type: string,
  ) {}

  /** Called once all nodes and edges exist, before the first event. */
  init(): void {}

  abstract onArrival(call: Call): void;

  onResponse(call: Call): void {
    this.sim.release(call);
  }

  onEvent(_kind: number, _obj: unknown, _tag: number): void {}

  /** The random stream of this node for one purpose (e.g. "service"). */
  stream(purpose: string): Rng {
    return this.sim.stream(`${this.id}/${purpose}`);
  }

  /** The part of [from, to) after warm-up, in µs (for times reports count from warm-up). */
  protected afterWarmup(from: number, to: number): number {
    return Math.max(0, to - Math.max(from, this.sim.warmup));
  }

  /** Schedules an event `delay` µs from now on this node. */
  schedule(delay: number, kind: number, obj: { id: number } | null, tag: number): void {
    this.sim.scheduleAt(this.sim.now + delay, this.index, kind, obj, tag);
  }

  /** Takes the node down: it refuses new calls (503) and drops what it holds. */
  crash(): void {
    if (!this.up) return;
    this.up = false;
    this.sim.upOf[this.index] = 0;
    this.onCrash();
  }

  /** Brings the node back, empty. */
  recover(): void {
    if (this.up) return;
    this.up = true;
    this.sim.upOf[this.index] = 1;
    this.onRecover();
  }

  /** Drop everything the node holds: answer each held call with DROPPED. */
  protected onCrash(): void {}
  protected onRecover(): void {}

  /**
   * Applies a fault action other than crash/recover (or reverts it). Returns false if
   * this node does not support the action (the scenario validator prevents that).
   */
  applyFault(_f: FaultSpec, _revert: boolean): boolean {
    return false;
  }

  /**
   * Calls the node holds right now (queued, in service, or waiting on calls it made), or -1
   * if the component does not track it. Tests check it against the kernel's own count of
   * calls at the node, so a call a component forgets to answer is caught.
   */
  held(): number {
    return -1;
  }

  /** Component-specific summary numbers for the report. */
  report(): Record<string, unknown> | undefined {
    return undefined;
  }

  /** Component-specific numbers for the window that is closing (e.g. hit ratio). */
  windowExtras(): Record<string, number> | undefined {
    return undefined;
  }
}
