/**
 * Component definitions: one file per component type under `engine/components/`, each
 * exporting `defineComponent({...})`, registered once in `engine/components/index.ts`.
 * The definition's parameter declarations drive validation, the JSON Schema, the CLI
 * docs, the palette and the inspector.
 */
import type { FaultSpec, Node } from './node.ts';
import type { Params } from './params.ts';
import type { Simulation } from './sim.ts';
import type { EdgeSpec, NodeSpec, ScenarioIssue } from '../scenario/types.ts';

/** What the validator knows about a node's neighbourhood. */
export interface TopologyView {
  node: NodeSpec;
  /** Outgoing edges: target id and type, the edge's index in `edges` and its spec. */
  out: Array<{ to: string; type: string; index: number; edge: EdgeSpec }>;
  /** Incoming edges: source id and type. */
  in: Array<{ from: string; type: string; index: number; edge: EdgeSpec }>;
  /** Path prefix of this node, e.g. "nodes[2]". */
  path: string;
  /** Another node's spec by id (e.g. to read the parameters of a node it calls). */
  peer(id: string): NodeSpec | undefined;
}

export interface ComponentDef {
  /** The scenario `type`, e.g. "server". */
  type: string;
  /** Palette title, e.g. "App server". */
  title: string;
  /** One line for the palette. */
  description: string;
  /** A short icon key the UI maps to a glyph. */
  icon: string;
  category: 'traffic' | 'compute' | 'data' | 'network' | 'control';
  params: Params;
  /** What an edge leaving this node means; null if it cannot have outgoing edges. */
  outgoing: { min: number; meaning: string } | null;
  /** Whether other nodes may send to it. */
  incoming: boolean;
  /** Fault actions supported besides crash and recover. */
  faults: string[];
  /** Parameters a `set` fault may change at run time. */
  mutable?: string[];
  /**
   * Whether a fault applies to this particular node (a message if not). `out` lists the
   * ids of the nodes its outgoing edges lead to, in scenario order.
   */
  validateFault?(node: NodeSpec, fault: FaultSpec, out: readonly string[]): string | null;
  /** Extra checks on the node's parameters and neighbourhood. */
  validate?(view: TopologyView): ScenarioIssue[];
  create(sim: Simulation, spec: NodeSpec, index: number): Node;
}

export function defineComponent(def: ComponentDef): ComponentDef {
  return def;
}
