/**
 * The calls a node holds (in service, being forwarded, or waiting on calls it made), so a
 * crash can answer them all and `Node.held()` can be checked against the kernel's count.
 * Add and remove are O(1): a held call keeps its index here in `call.slot` (callee
 * scratch), and removal moves the last entry into the hole. `slot` is -1 while a call is
 * not held, which components also use to tell queued calls from started ones.
 */
import { objectArray, type Call } from './call.ts';
import type { Simulation } from './sim.ts';
import { DROPPED, PENDING, R } from './status.ts';

export class HeldCalls {
  private readonly calls: Call[] = objectArray();

  get size(): number {
    return this.calls.length;
  }

  /** Holds `call` (once: a call already held stays where it is). */
  add(call: Call): void {
    if (call.slot >= 0) return;
    call.slot = this.calls.length;
    this.calls.push(call);
  }

  /** Lets go of `call` if it is held. */
  remove(call: Call): void {
    const i = call.slot;
    if (i < 0) return;
    const last = this.calls.pop()!;
    if (last !== call) {
      this.calls[i] = last;
      last.slot = i;
    }
    call.slot = -1;
  }

  /** Lets go of every call and returns them (for a crash to answer). */
  takeAll(): Call[] {
    const all = this.calls.splice(0);
    for (const c of all) c.slot = -1;
    return all;
  }

  /** Lets go of `call` and answers it. */
  answer(sim: Simulation, call: Call, status: number, reason: number, origin: number): void {
    this.remove(call);
    sim.respond(call, status, reason, origin);
  }

  /** Lets go of every call and answers those still unanswered as dropped by a crash. */
  dropAll(sim: Simulation): void {
    for (const c of this.takeAll()) if (c.status === PENDING) sim.respond(c, DROPPED, R.CRASHED);
  }
}
