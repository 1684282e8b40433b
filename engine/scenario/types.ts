/**
 * A scenario after validation: every duration in µs, every rate per second, every
 * default filled in. `parseScenario` produces it from the JSON a user writes.
 */
import type { DistSpec } from '../core/dist.ts';
import type { FaultSpec } from '../core/node.ts';

export interface NodeSpec {
  id: string;
  type: string;
  label?: string;
  /** The component's parameters, parsed (units converted, defaults applied). */
  params: Record<string, unknown>;
}

export interface EdgeSpec {
  from: string;
  to: string;
  latency?: DistSpec;
  responseLatency?: DistSpec;
  weight: number;
  probability: number;
  kinds: 'any' | 'read' | 'write';
}

export interface Limits {
  maxEvents: number;
  maxPending: number;
  maxEventsAtOneInstant: number;
  hopLimit: number;
}

export interface Scenario {
  version: 1;
  name: string;
  description?: string;
  seed: number | string;
  /** µs */
  duration: number;
  /** µs */
  warmup: number;
  /** Metric window, µs. */
  window: number;
  limits: Limits;
  nodes: NodeSpec[];
  edges: EdgeSpec[];
  faults: FaultSpec[];
  /** Canvas positions, by node id (the engine ignores them). */
  layout?: Record<string, { x: number; y: number }>;
}

/** One problem with a scenario: where (`nodes[2].service.mean`) and what. */
export interface ScenarioIssue {
  path: string;
  message: string;
}
