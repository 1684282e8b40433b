/**
 * Fault actions as parameter declarations, for editors: the same fields as the zod
 * schemas in `schema.ts` (a test keeps the two in step), written as `Param`s so that a
 * form can be generated from them like a component's parameters.
 */
import type { Params } from '../core/params.ts';
import { FAULT_ACTIONS, type FaultAction } from './schema.ts';

/** Fields every fault has besides its action and target. */
export const FAULT_COMMON_PARAMS = {
  at: { kind: 'duration', help: 'When the fault starts (simulated time from the start of the run).' },
  for: {
    kind: 'duration',
    optional: true,
    min: '1us',
    help: 'How long it lasts; it is then undone. Leave empty for the rest of the run.',
  },
} satisfies Params;

const FIELDS: Record<FaultAction, Params> = {
  crash: {},
  recover: {},
  slowdown: {
    factor: { kind: 'number', min: 0, exclusiveMin: true, default: 5, unit: '×', help: "Multiplies the node's service times (5 is a 5× slow-down)." },
  },
  errors: { rate: { kind: 'probability', default: 0.5, help: 'Fraction of requests answered 500.' } },
  rate: { rate: { kind: 'rate', default: 1000, help: "The client's new request rate." } },
  ramp: {
    to: { kind: 'rate', default: 1000, help: 'The rate at the end of the ramp.' },
    over: { kind: 'duration', default: '10s', min: '1ms', help: 'How long the ramp takes.' },
  },
  set: {
    params: {
      kind: 'object',
      fields: {},
      help: "Parameters to change, by name (only those the node's type allows at run time), in scenario units.",
    },
  },
  flush: {},
  crashPrimary: {},
  partition: {},
  latency: {
    latency: { kind: 'dist', unit: 'duration', default: '100ms', help: 'The latency of each crossing while the fault lasts.' },
    responseLatency: { kind: 'dist', unit: 'duration', optional: true, help: 'The latency of answers, when it differs.' },
  },
};

/** One fault action, as an editor shows it. */
export interface FaultActionInfo {
  action: FaultAction;
  /** Whether the fault names a node (`node`) or an edge (`edge: "from->to"`). */
  target: 'node' | 'edge';
  help: string;
  /** The action's own fields (besides at, for and the target). */
  params: Params;
}

/** Every fault action with its target kind, help and fields, in the schema's order. */
export function faultActions(): FaultActionInfo[] {
  return (Object.keys(FAULT_ACTIONS) as FaultAction[]).map((action) => ({
    action,
    target: FAULT_ACTIONS[action].target,
    help: FAULT_ACTIONS[action].help,
    params: FIELDS[action],
  }));
}
