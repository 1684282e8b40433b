/**
 * The scenario file format (version 1), validated with zod.
 *
 * Node parameters are validated by each component's own schema (see `load.ts`); this
 * file holds the top level, edges and faults.
 */
import { z } from 'zod';
import {
  describe,
  dispatch,
  distJsonSchema,
  distSchema,
  durationSchema,
  paramJsonSchema,
  paramsJsonSchema,
  rateSchema,
  strictObject,
  type Param,
} from '../core/params.ts';

/** Node ids: a letter, then letters, digits, "_", "-", "." or ":" (at most 64). */
export const NODE_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_.:-]{0,63}$';
const NODE_ID_RE = new RegExp(NODE_ID_PATTERN);
export const NODE_ID_HELP = 'must start with a letter and use only letters, digits, "_", "-", "." or ":" (at most 64)';

const nodeId = z
  .string({ error: (iss) => `expected a node id (a string), got ${describe(iss.input)}` })
  .regex(NODE_ID_RE, { error: NODE_ID_HELP });

export const LIMIT_PARAMS = {
  maxEvents: {
    kind: 'int',
    default: 2_000_000_000,
    min: 1,
    help: 'Stop the run after this many events (a guard against runs that would never end).',
  },
  maxPending: {
    kind: 'int',
    default: 10_000_000,
    min: 1000,
    help: 'Stop the run if more events than this are pending at once (a sign of unbounded queues or timers).',
  },
  maxEventsAtOneInstant: {
    kind: 'int',
    default: 10_000_000,
    min: 1000,
    help: 'Stop the run if this many events in a row happen without simulated time advancing: a loop that takes no time (e.g. a closed-loop client with zero think time in front of zero service times) would otherwise spin until maxEvents.',
  },
  hopLimit: {
    kind: 'int',
    default: 32,
    min: 1,
    max: 1000,
    help: 'A request that passes more hops than this stops the run: the topology has a routing loop.',
  },
} satisfies Record<string, Param>;

export const TOP_PARAMS = {
  seed: { kind: 'string', help: 'The seed of every random stream; same seed, same run.', default: '1' },
  duration: { kind: 'duration', default: '60s', min: '1ms', max: '30d', help: 'Simulated time to run.' },
  warmup: {
    kind: 'duration',
    default: 0,
    help: 'Simulated time at the start excluded from summaries (about 10% of the run is a good start for steady-state questions).',
  },
  window: { kind: 'duration', default: '1s', min: '1ms', help: 'Length of each time-series window.' },
} satisfies Record<string, Param>;

export const EDGE_PARAMS = {
  latency: {
    kind: 'dist',
    unit: 'duration',
    optional: true,
    help: 'Network latency of each crossing (drawn independently for requests and answers). Default 0.',
  },
  responseLatency: {
    kind: 'dist',
    unit: 'duration',
    optional: true,
    advanced: true,
    help: 'Latency of answers, when it differs from `latency`.',
  },
  weight: {
    kind: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    help: "Share of traffic: a load balancer's backend weight, or a client's split between several edges.",
  },
  probability: {
    kind: 'probability',
    default: 1,
    help: 'For calls from a server: the fraction of requests that make this call.',
  },
  kinds: {
    kind: 'enum',
    values: ['any', 'read', 'write'],
    default: 'any',
    help: 'For calls from a server or client: only requests of this kind use the edge.',
  },
} satisfies Record<string, Param>;

const seedSchema = z
  .union([z.number().int().nonnegative(), z.string().min(1).max(200)], {
    error: (iss) => `expected a seed (a non-negative whole number or a string), got ${describe(iss.input)}`,
  })
  .prefault(1);

export const edgeSchema = strictObject({
  from: nodeId,
  to: nodeId,
  latency: distSchema('duration').optional(),
  responseLatency: distSchema('duration').optional(),
  weight: z.number({ error: 'expected a number' }).gt(0, { error: 'must be greater than 0' }).prefault(1),
  probability: z.number({ error: 'expected a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).prefault(1),
  kinds: z.enum(['any', 'read', 'write'], { error: 'expected one of any, read, write' }).prefault('any'),
});

/** Fault actions: the fields each one takes besides at, for and its target. */
export const FAULT_ACTIONS = {
  crash: { target: 'node', help: 'Take the node down: it refuses requests (503) and loses what it holds.', fields: {} },
  recover: { target: 'node', help: 'Bring a crashed node back, empty.', fields: {} },
  slowdown: {
    target: 'node',
    help: 'Multiply the node\'s service times by a factor (e.g. 5 for a 5× slow-down).',
    fields: { factor: z.number({ error: 'expected a number' }).gt(0, { error: 'must be greater than 0' }) },
  },
  errors: {
    target: 'node',
    help: 'Set the node\'s error rate (fraction of requests answered 500).',
    fields: { rate: z.number({ error: 'expected a probability' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }) },
  },
  rate: {
    target: 'node',
    help: 'Set an open-loop client\'s request rate (a spike or a drop).',
    fields: { rate: rateSchema() },
  },
  ramp: {
    target: 'node',
    help: 'Change an open-loop client\'s rate linearly to `to` over `over`.',
    fields: { to: rateSchema(), over: durationSchema({ min: '1ms' }) },
  },
  set: {
    target: 'node',
    help: 'Change parameters of the node (those its type allows at run time).',
    fields: { params: z.record(z.string(), z.unknown(), { error: 'expected an object of parameters' }) },
  },
  flush: {
    target: 'node',
    help: 'Empty a cache at once (like FLUSHALL): every entry is dropped, and a write-back cache loses its unflushed writes.',
    fields: {},
  },
  crashPrimary: {
    target: 'node',
    help: "Crash a database's primary: writes fail until a replica is promoted (after the failover delay); with `for`, the old primary comes back (as a replica if one was promoted).",
    fields: {},
  },
  partition: { target: 'edge', help: 'Cut an edge: requests and answers crossing it are lost.', fields: {} },
  latency: {
    target: 'edge',
    help: 'Change an edge\'s latency.',
    fields: { latency: distSchema('duration'), responseLatency: distSchema('duration').optional() },
  },
} as const;

export type FaultAction = keyof typeof FAULT_ACTIONS;

const faultCommon = {
  at: durationSchema(),
  for: durationSchema({ min: '1us' }).optional(),
};

export const faultSchema = dispatch((x) => {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return `expected a fault {at, action, node|edge, ...}, got ${describe(x)}`;
  const action = (x as Record<string, unknown>).action;
  const names = Object.keys(FAULT_ACTIONS);
  if (typeof action !== 'string' || !Object.hasOwn(FAULT_ACTIONS, action)) {
    return { path: ['action'], message: `action must be one of ${names.join(', ')}, got ${describe(action)}` };
  }
  const a = FAULT_ACTIONS[action as FaultAction];
  return strictObject({
    ...faultCommon,
    action: z.literal(action),
    ...(a.target === 'node' ? { node: nodeId } : { edge: z.string({ error: 'expected an edge id "from->to"' }) }),
    ...a.fields,
  });
});

const layoutSchema = z
  .record(
    z.string(),
    strictObject({ x: z.number({ error: 'expected a number' }).refine(Number.isFinite, 'must be finite'), y: z.number({ error: 'expected a number' }).refine(Number.isFinite, 'must be finite') }),
    { error: 'expected an object {<node id>: {x, y}}' },
  )
  .optional();

/**
 * The top-level fields, each validated on its own so that one bad field does not hide
 * the problems of the others; `nodes`, `edges` and `faults` are checked loosely here
 * and fully, item by item, in load.ts.
 */
export const topFields = {
  version: z.literal(1, { error: (iss) => `expected 1 (the only version so far), got ${describe(iss.input)}` }),
  name: z.string({ error: 'expected a name (a string)' }).min(1, { error: 'must not be empty' }).max(200, { error: 'at most 200 characters' }),
  description: z.string({ error: 'expected a string' }).max(5000, { error: 'at most 5000 characters' }).optional(),
  seed: seedSchema,
  duration: durationSchema({ min: '1ms', max: '30d' }).prefault('60s'),
  warmup: durationSchema().prefault(0),
  window: durationSchema({ min: '1ms' }).prefault('1s'),
  limits: strictObject({
    maxEvents: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).prefault(2_000_000_000),
    maxPending: z.number().int({ error: 'must be a whole number' }).min(1000, { error: 'must be at least 1000' }).prefault(10_000_000),
    maxEventsAtOneInstant: z.number().int({ error: 'must be a whole number' }).min(1000, { error: 'must be at least 1000' }).prefault(10_000_000),
    hopLimit: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' }).prefault(32),
  }).prefault({}),
  nodes: z.array(z.unknown(), { error: 'expected a list of nodes' }).min(1, { error: 'a scenario needs at least one node' }).max(10000, { error: 'at most 10,000 nodes' }),
  edges: z.array(z.unknown(), { error: 'expected a list of edges' }).max(100000, { error: 'at most 100,000 edges' }).prefault([]),
  faults: z.array(z.unknown(), { error: 'expected a list of faults' }).max(10000, { error: 'at most 10,000 faults' }).prefault([]),
  layout: layoutSchema,
  $schema: z.string({ error: 'expected the URL or path of the JSON Schema' }).optional(),
} satisfies Record<string, z.ZodType<unknown>>;

/** Values used for a top-level field that failed, so validation can go on. */
export const topFallbacks: Record<string, unknown> = {
  version: 1,
  name: 'scenario',
  seed: 1,
  duration: 60_000_000,
  warmup: 0,
  window: 1_000_000,
  limits: { maxEvents: 2_000_000_000, maxPending: 10_000_000, maxEventsAtOneInstant: 10_000_000, hopLimit: 32 },
  nodes: [],
  edges: [],
  faults: [],
};

/** Input shapes for the JSON Schema export. */
export function scenarioJsonSchema(components: Array<{ type: string; title: string; description: string; params: Record<string, Param> }>) {
  const nodeVariants = components.map((c) => {
    const inner = paramsJsonSchema(c.params, {
      id: { type: 'string', pattern: NODE_ID_PATTERN, description: 'Unique node id.' },
      type: { const: c.type },
      label: { type: 'string', description: 'Display name on the canvas.' },
    }, ['id', 'type']);
    return { title: c.title, description: c.description, ...inner };
  });
  const faultVariants = Object.entries(FAULT_ACTIONS).map(([name, a]) => ({
    type: 'object',
    description: a.help,
    properties: {
      at: { $ref: '#/$defs/duration' },
      for: { $ref: '#/$defs/duration' },
      action: { const: name },
      ...(a.target === 'node' ? { node: { type: 'string' } } : { edge: { type: 'string', pattern: '^.+->.+$' } }),
      ...Object.fromEntries(
        Object.keys(a.fields).map((k) => [
          k,
          k === 'latency' || k === 'responseLatency'
            ? { $ref: '#/$defs/durationDist' }
            : k === 'over'
              ? { $ref: '#/$defs/duration' }
              : k === 'params'
                ? { type: 'object' }
                : k === 'factor' || k === 'rate' || k === 'to'
                  ? { anyOf: [{ type: 'number' }, { type: 'string' }] }
                  : {},
        ]),
      ),
    },
    required: ['at', 'action', a.target],
    additionalProperties: false,
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://archsim.dev/scenario.schema.json',
    title: 'archsim scenario',
    description: 'A topology, its traffic and its faults, run deterministically by archsim.',
    type: 'object',
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema this file follows (ignored by archsim).' },
      version: { const: 1 },
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      seed: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }], default: 1 },
      duration: paramJsonSchema(TOP_PARAMS.duration),
      warmup: paramJsonSchema(TOP_PARAMS.warmup),
      window: paramJsonSchema(TOP_PARAMS.window),
      limits: paramsJsonSchema(LIMIT_PARAMS),
      nodes: { type: 'array', minItems: 1, items: { oneOf: nodeVariants } },
      edges: {
        type: 'array',
        items: paramsJsonSchema(EDGE_PARAMS, { from: { type: 'string' }, to: { type: 'string' } }, ['from', 'to']),
      },
      faults: { type: 'array', items: { oneOf: faultVariants } },
      layout: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false },
      },
    },
    required: ['version', 'name', 'nodes'],
    additionalProperties: false,
    $defs: {
      duration: paramJsonSchema({ kind: 'duration', help: 'A duration: milliseconds, or a string with a unit.' }),
      durationDist: distJsonSchema('duration'),
      sizeDist: distJsonSchema('size'),
    },
  };
}
