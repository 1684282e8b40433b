/**
 * Parameter declarations.
 *
 * A component declares its parameters once, as plain data (`Param`). From that one
 * declaration come the zod validator (`paramsSchema`), the JSON Schema for editors, the
 * CLI docs and, in the app, the palette defaults and inspector forms. Declarations are
 * serializable so they can cross into the UI thread unchanged.
 *
 * Raw values use scenario units (durations as ms numbers or "5ms" strings, rates as
 * per-second numbers or "5r/s"); parsed values are µs, per-second rates and bytes.
 */
import { z } from 'zod';
import { parseDuration, parseRate, parseSize } from './units.ts';
import { lognormalFromMeanP99 } from './dist.ts';

interface Base {
  /** One or two sentences shown in the inspector and the docs. */
  help: string;
  /** Short label; defaults to the key. */
  label?: string;
  /** May be omitted (no default); the parsed value is then undefined. */
  optional?: boolean;
  /** Hidden behind "advanced" in the inspector. */
  advanced?: boolean;
}

export type Param =
  | (Base & { kind: 'int'; default?: number; min?: number; max?: number; unit?: string })
  | (Base & { kind: 'number'; default?: number; min?: number; max?: number; exclusiveMin?: boolean; unit?: string })
  | (Base & { kind: 'probability'; default?: number })
  | (Base & { kind: 'duration'; default?: number | string | null; min?: string; max?: string; orNone?: boolean })
  | (Base & { kind: 'rate'; default?: number | string; positive?: boolean })
  | (Base & { kind: 'size'; default?: number | string })
  | (Base & { kind: 'bool'; default?: boolean })
  | (Base & { kind: 'enum'; values: readonly string[]; default?: string; labels?: Record<string, string> })
  | (Base & { kind: 'string'; default?: string; pattern?: string; patternHelp?: string })
  /** A string or a non-negative whole number (keys, user ids). */
  | (Base & { kind: 'id'; default?: string | number })
  | (Base & { kind: 'dist'; unit: 'duration' | 'size'; default?: unknown })
  | (Base & { kind: 'object'; fields: Params; default?: Record<string, unknown> })
  | (Base & {
      kind: 'variant';
      tag: string;
      variants: Record<string, { label?: string; help: string; fields: Params }>;
      default?: Record<string, unknown>;
    })
  | (Base & { kind: 'list'; item: Param; default?: unknown[]; minItems?: number; maxItems?: number });

export type Params = Record<string, Param>;

const DURATION_HELP = 'a number of milliseconds or a string like "250us", "5ms", "2s", "1m"';
const RATE_HELP = 'a number per second or a string like "5r/s", "300r/m"';
const SIZE_HELP = 'a number of bytes or a string like "512B", "4KB", "1MiB"';

/** A zod schema for a duration, parsed to integer µs. */
export function durationSchema(opts: { min?: string; max?: string; orNone?: boolean } = {}) {
  const min = opts.min === undefined ? 0 : parseDuration(opts.min)!;
  const max = opts.max === undefined ? Infinity : parseDuration(opts.max)!;
  const base = z.union([z.number(), z.string(), z.null()], {
    error: (iss) => `expected a duration (${DURATION_HELP}), got ${describe(iss.input)}`,
  });
  return base.transform((v, ctx): number | null => {
    if (v === null || v === 'none') {
      if (opts.orNone) return null;
      ctx.issues.push({ code: 'custom', message: `expected a duration (${DURATION_HELP}), got ${describe(v)}`, input: v });
      return z.NEVER;
    }
    const us = parseDuration(v);
    if (us === null) {
      ctx.issues.push({
        code: 'custom',
        message: `${describe(v)} is not a duration; write ${DURATION_HELP}${opts.orNone ? ', or "none"' : ''}`,
        input: v,
      });
      return z.NEVER;
    }
    if (us < min) {
      ctx.issues.push({ code: 'custom', message: `must be at least ${opts.min}, got ${describe(v)}`, input: v });
      return z.NEVER;
    }
    if (us > max) {
      ctx.issues.push({ code: 'custom', message: `must be at most ${opts.max}, got ${describe(v)}`, input: v });
      return z.NEVER;
    }
    return us;
  });
}

/** A zod schema for a rate, parsed to requests per second. */
export function rateSchema(opts: { positive?: boolean } = {}) {
  return z
    .union([z.number(), z.string()], { error: (iss) => `expected a rate (${RATE_HELP}), got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const r = parseRate(v);
      if (r === null) {
        ctx.issues.push({ code: 'custom', message: `${describe(v)} is not a rate; write ${RATE_HELP}`, input: v });
        return z.NEVER;
      }
      if (opts.positive && r <= 0) {
        ctx.issues.push({ code: 'custom', message: `must be greater than 0, got ${describe(v)}`, input: v });
        return z.NEVER;
      }
      return r;
    });
}

/** A zod schema for a size, parsed to bytes. */
export function sizeSchema() {
  return z
    .union([z.number(), z.string()], { error: (iss) => `expected a size (${SIZE_HELP}), got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const b = parseSize(v);
      if (b === null) {
        ctx.issues.push({ code: 'custom', message: `${describe(v)} is not a size; write ${SIZE_HELP}`, input: v });
        return z.NEVER;
      }
      return b;
    });
}

const DIST_NAMES = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'erlang', 'pareto', 'mixture', 'empirical'];

/**
 * A zod schema for a distribution of durations (µs) or sizes (bytes). A bare value
 * ("5ms", 12) is shorthand for a constant.
 */
export function distSchema(unit: 'duration' | 'size'): z.ZodType<unknown> {
  const cached = distCache.get(unit);
  if (cached) return cached;
  const schema = distDispatch(unit, false);
  distCache.set(unit, schema);
  return schema;
}
const distCache = new Map<string, z.ZodType<unknown>>();

function unitSchema(unit: 'duration' | 'size'): z.ZodType<number> {
  return (unit === 'duration' ? durationSchema() : sizeSchema()) as z.ZodType<number>;
}

function distDispatch(unit: 'duration' | 'size', weighted: boolean): z.ZodType<unknown> {
  const variants = distVariants(unit, weighted);
  const what = unit === 'duration' ? 'duration' : 'size';
  return dispatch((x) => {
    if (!weighted && (typeof x === 'number' || typeof x === 'string')) return constantShorthand(unit);
    if (x === null || typeof x !== 'object' || Array.isArray(x)) {
      return `expected a distribution {dist: ${DIST_NAMES.join('|')}, ...}${weighted ? ' with a weight' : ` or a single ${what}`}, got ${describe(x)}`;
    }
    const name = (x as Record<string, unknown>).dist;
    if (name === undefined) return `missing "dist": expected one of ${DIST_NAMES.join(', ')}`;
    if (name === 'mixture' && mixtureDepth(x) > MAX_MIXTURE_DEPTH) return `mixtures may nest at most ${MAX_MIXTURE_DEPTH} deep`;
    const v = typeof name === 'string' && Object.hasOwn(variants, name) ? variants[name] : undefined;
    return v ?? `unknown distribution ${describe(name)}; expected one of ${DIST_NAMES.join(', ')}`;
  });
}

const MAX_MIXTURE_DEPTH = 8;

/** How deep mixtures nest in a raw distribution (iterative: input depth is untrusted). */
function mixtureDepth(root: unknown): number {
  let depth = 0;
  let level: unknown[] = [root];
  while (level.length && depth <= MAX_MIXTURE_DEPTH) {
    const next: unknown[] = [];
    for (const d of level) {
      if (d !== null && typeof d === 'object' && (d as Record<string, unknown>).dist === 'mixture') {
        const of = (d as Record<string, unknown>).of;
        if (Array.isArray(of)) next.push(...of.slice(0, 1000));
      }
    }
    if (!next.length) break;
    depth++;
    level = next;
  }
  return depth;
}

const shorthandCache = new Map<string, z.ZodType<unknown>>();
function constantShorthand(unit: 'duration' | 'size'): z.ZodType<unknown> {
  let s = shorthandCache.get(unit);
  if (!s) {
    s = unitSchema(unit).transform((x) => ({ dist: 'constant', value: x }));
    shorthandCache.set(unit, s);
  }
  return s;
}

function distVariants(unit: 'duration' | 'size', weighted: boolean): Record<string, z.ZodType<unknown>> {
  const v = () => unitSchema(unit);
  const positive = (name: string) => v().refine((x) => (x as number) > 0, { message: `${name} must be greater than 0` });
  const num = (opts: { gt?: number; int?: boolean } = {}) => {
    let s = z.number({ error: (iss) => `expected a number, got ${describe(iss.input)}` });
    if (opts.int) s = s.int({ error: 'must be a whole number' });
    if (opts.gt !== undefined) s = s.gt(opts.gt, { error: `must be greater than ${opts.gt}` });
    return s;
  };
  const w = weighted ? { weight: num({ gt: 0 }) } : {};
  const obj = <T extends Record<string, z.ZodType<unknown>>>(name: string, fields: T) =>
    strictObject({ dist: z.literal(name), ...w, ...fields });
  return {
      constant: obj('constant', { value: v() }),
      uniform: obj('uniform', { min: v(), max: v() }).refine((d) => (d.max as number) >= (d.min as number), {
        message: 'max must be at least min',
        path: ['max'],
      }),
      exponential: obj('exponential', { mean: positive('mean') }),
      normal: obj('normal', { mean: v(), stddev: v() }),
      lognormal: obj('lognormal', {
        mean: positive('mean').optional(),
        p99: positive('p99').optional(),
        mu: num().optional(),
        sigma: num({ gt: 0 }).optional(),
      }).superRefine((d, ctx) => {
        const byMean = d.mean !== undefined || d.p99 !== undefined;
        const byMu = d.mu !== undefined || d.sigma !== undefined;
        if (byMean === byMu || (byMean && (d.mean === undefined || d.p99 === undefined)) || (byMu && (d.mu === undefined || d.sigma === undefined))) {
          ctx.addIssue({
            code: 'custom',
            message: `a lognormal takes either {mean, p99} or {mu, sigma} (mu and sigma of ln of the value in ${unit === 'duration' ? 'µs' : 'bytes'})`,
          });
        } else if (byMean && !lognormalFromMeanP99(d.mean as number, d.p99 as number)) {
          ctx.addIssue({
            code: 'custom',
            path: ['p99'],
            message: 'no lognormal has this mean and p99: p99 must be above the mean and at most about 14.9 × the mean',
          });
        }
      }),
      // k phases cost k draws per sample: more than 1000 would only slow the run down
      erlang: obj('erlang', { k: num({ gt: 0, int: true }).max(1000, { error: 'must be at most 1000 (beyond that an Erlang is nearly constant: use a constant or a normal)' }), mean: positive('mean') }),
      pareto: obj('pareto', {
        alpha: num({ gt: 0 }),
        min: positive('min').optional(),
        mean: positive('mean').optional(),
        max: positive('max').optional(),
      }).superRefine((d, ctx) => {
        if ((d.min === undefined) === (d.mean === undefined)) {
          ctx.addIssue({ code: 'custom', message: 'give exactly one of min (the scale) or mean' });
        } else if (d.mean !== undefined && d.alpha <= 1) {
          ctx.addIssue({ code: 'custom', path: ['alpha'], message: 'a Pareto with alpha <= 1 has no mean; give min instead' });
        } else if (d.mean !== undefined && d.max !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['max'], message: 'with max, give min rather than mean' });
        }
        if (d.max !== undefined && d.min !== undefined && (d.max as number) <= (d.min as number)) {
          ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must be greater than min' });
        }
      }),
      mixture: obj('mixture', {
        of: z
          .array(z.lazy(() => distDispatch(unit, true)), { error: 'expected a list of {weight, dist, ...}' })
          .min(1, { error: 'needs at least one component' }),
      }),
      empirical: obj('empirical', {
        bins: z
          .array(
            strictObject({ from: v(), to: v(), weight: num({ gt: 0 }) }).refine((b) => (b.to as number) > (b.from as number), {
              message: 'to must be greater than from',
              path: ['to'],
            }),
          )
          .min(1, { error: 'needs at least one bin' })
          .optional(),
        values: z.array(v()).min(1, { error: 'needs at least one value' }).optional(),
        weights: z.array(num({ gt: 0 })).optional(),
      }).superRefine((d, ctx) => {
        if ((d.bins === undefined) === (d.values === undefined)) {
          ctx.addIssue({ code: 'custom', message: 'an empirical distribution takes either bins [{from, to, weight}] or values [...] (with optional weights)' });
        } else if (d.weights !== undefined && (d.values === undefined || d.weights.length !== d.values.length)) {
          ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights must have one entry per value (and go with values, not bins)' });
        }
      }),
  };
}

/**
 * A strict object: unknown keys are errors (typos must not be silently ignored), each
 * reported with the closest known key, alongside every other error in one pass.
 */
export function strictObject<T extends Record<string, z.ZodType<unknown>>>(fields: T) {
  const loose = z.object(fields);
  const known = Object.keys(fields);
  return z.unknown().transform((x, ctx): z.output<typeof loose> => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) {
      ctx.issues.push({ code: 'custom', message: `expected an object, got ${describe(x)}`, input: x });
      return z.NEVER;
    }
    let bad = false;
    for (const k of Object.keys(x)) {
      if (!Object.hasOwn(fields, k)) {
        const hint = closest(k, known);
        ctx.issues.push({
          code: 'custom',
          path: [k],
          message: `unknown field "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; known fields: ${known.join(', ')}`,
          input: x,
        });
        bad = true;
      }
    }
    const r = loose.safeParse(x);
    if (!r.success) {
      for (const iss of r.error.issues) ctx.issues.push({ ...iss, input: x } as never);
      return z.NEVER;
    }
    if (bad) return z.NEVER;
    return r.data;
  });
}

/** The candidate closest to `s` by edit distance, if it is close enough to be a typo. */
export function closest(s: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(s.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/**
 * A schema that picks the schema to apply by looking at the input, so that errors name
 * the precise cause instead of "no union member matched". `pick` returns a schema, or
 * an error message (optionally with a sub-path).
 */
export function dispatch(
  pick: (x: unknown) => z.ZodType<unknown> | string | { path: PropertyKey[]; message: string },
): z.ZodType<unknown> {
  return z.unknown().transform((x, ctx) => {
    const s = pick(x);
    if (typeof s === 'string') {
      ctx.issues.push({ code: 'custom', message: s, input: x });
      return z.NEVER;
    }
    if (!('safeParse' in s)) {
      ctx.issues.push({ code: 'custom', message: s.message, path: s.path, input: x });
      return z.NEVER;
    }
    const r = s.safeParse(x);
    if (!r.success) {
      for (const iss of r.error.issues) ctx.issues.push({ ...iss, input: x } as never);
      return z.NEVER;
    }
    return r.data;
  });
}

/** The zod schema of one parameter, defaults applied. */
export function paramSchema(p: Param): z.ZodType<unknown> {
  let s: z.ZodType<unknown>;
  switch (p.kind) {
    case 'int': {
      let n = z.number({ error: (iss) => `expected a whole number, got ${describe(iss.input)}` }).int({ error: 'must be a whole number' });
      if (p.min !== undefined) n = n.min(p.min, { error: `must be at least ${p.min}` });
      if (p.max !== undefined) n = n.max(p.max, { error: `must be at most ${p.max}` });
      s = n;
      break;
    }
    case 'number': {
      let n = z.number({ error: (iss) => `expected a number, got ${describe(iss.input)}` });
      if (p.min !== undefined) n = p.exclusiveMin ? n.gt(p.min, { error: `must be greater than ${p.min}` }) : n.min(p.min, { error: `must be at least ${p.min}` });
      if (p.max !== undefined) n = n.max(p.max, { error: `must be at most ${p.max}` });
      s = n.refine(Number.isFinite, { message: 'must be finite' });
      break;
    }
    case 'probability':
      s = z
        .number({ error: (iss) => `expected a probability between 0 and 1, got ${describe(iss.input)}` })
        .min(0, { error: 'must be between 0 and 1' })
        .max(1, { error: 'must be between 0 and 1' });
      break;
    case 'duration':
      s = durationSchema(p);
      break;
    case 'rate':
      s = rateSchema(p);
      break;
    case 'size':
      s = sizeSchema();
      break;
    case 'bool':
      s = z.boolean({ error: (iss) => `expected true or false, got ${describe(iss.input)}` });
      break;
    case 'enum':
      s = z.enum(p.values as [string, ...string[]], {
        error: (iss) => `expected one of ${p.values.join(', ')}, got ${describe(iss.input)}`,
      });
      break;
    case 'string': {
      let str = z.string({ error: (iss) => `expected a string, got ${describe(iss.input)}` });
      if (p.pattern) {
        const help = p.patternHelp ?? `must match ${p.pattern}`;
        str = str.regex(new RegExp(p.pattern), { error: (iss) => `${help}, got ${describe(iss.input)}` });
      }
      s = str;
      break;
    }
    case 'id':
      // numbers stay below 2^48, where interned string ids begin (Simulation.intern)
      s = z.union([z.string().min(1).max(200), z.number().int().nonnegative().max(281474976710655)], {
        error: (iss) => `expected a string or a non-negative whole number, got ${describe(iss.input)}`,
      });
      break;
    case 'dist':
      s = distSchema(p.unit);
      break;
    case 'object':
      s = paramsSchema(p.fields);
      break;
    case 'variant': {
      const options: Record<string, z.ZodType<unknown>> = {};
      for (const [name, v] of Object.entries(p.variants)) {
        options[name] = strictObject({ [p.tag]: z.literal(name), ...shape(v.fields) });
      }
      const names = Object.keys(p.variants);
      s = dispatch((x) => {
        if (x === null || typeof x !== 'object' || Array.isArray(x)) {
          return `expected an object {${p.tag}: ${names.join('|')}, ...}, got ${describe(x)}`;
        }
        const t = (x as Record<string, unknown>)[p.tag];
        const o = typeof t === 'string' && Object.hasOwn(options, t) ? options[t] : undefined;
        return o ?? { path: [p.tag], message: `${p.tag} must be one of ${names.join(', ')}, got ${describe(t)}` };
      });
      break;
    }
    case 'list': {
      let a = z.array(paramSchema(p.item), { error: (iss) => `expected a list, got ${describe(iss.input)}` });
      if (p.minItems !== undefined) a = a.min(p.minItems, { error: `needs at least ${p.minItems} entries` });
      if (p.maxItems !== undefined) a = a.max(p.maxItems, { error: `takes at most ${p.maxItems} entries` });
      s = a;
      break;
    }
  }
  s = s.describe(p.help);
  const def = defaultOf(p);
  if (def !== undefined) return s.prefault(def as never);
  if (p.optional) return s.optional();
  return s;
}

function shape(params: Params): Record<string, z.ZodType<unknown>> {
  const out: Record<string, z.ZodType<unknown>> = {};
  for (const [k, p] of Object.entries(params)) out[k] = paramSchema(p);
  return out;
}

/** A strict object schema over a set of parameters (unknown keys are errors). */
export function paramsSchema(params: Params, extra: Record<string, z.ZodType<unknown>> = {}) {
  return strictObject({ ...extra, ...shape(params) });
}

type Json = Record<string, unknown>;

const DURATION_JSON: Json = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'milliseconds' },
    { type: 'string', pattern: '^\\s*(\\d+(\\.\\d*)?|\\.\\d+)(e[+-]?\\d+)?\\s*(us|µs|ms|s|m|min|h|d)\\s*$' },
  ],
};
const RATE_JSON: Json = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'per second' },
    { type: 'string', pattern: '^\\s*(\\d+(\\.\\d*)?|\\.\\d+)\\s*(r|req|rps)?\\s*(/\\s*(s|sec|m|min|h))?\\s*$' },
  ],
};
const SIZE_JSON: Json = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'bytes' },
    { type: 'string', pattern: '^\\s*(\\d+(\\.\\d*)?|\\.\\d+)\\s*([Bb]|[KkMmGg][Ii]?[Bb])?\\s*$' },
  ],
};

/** JSON Schema (draft 2020-12 fragment) of a distribution of durations or sizes. */
export function distJsonSchema(unit: 'duration' | 'size'): Json {
  const v = unit === 'duration' ? DURATION_JSON : SIZE_JSON;
  const o = (name: string, props: Json, required: string[]) => ({
    type: 'object',
    properties: { dist: { const: name }, weight: { type: 'number', exclusiveMinimum: 0 }, ...props },
    required: ['dist', ...required],
    additionalProperties: false,
  });
  return {
    anyOf: [
      v,
      o('constant', { value: v }, ['value']),
      o('uniform', { min: v, max: v }, ['min', 'max']),
      o('exponential', { mean: v }, ['mean']),
      o('normal', { mean: v, stddev: v }, ['mean', 'stddev']),
      o('lognormal', { mean: v, p99: v, mu: { type: 'number' }, sigma: { type: 'number', exclusiveMinimum: 0 } }, []),
      o('erlang', { k: { type: 'integer', minimum: 1 }, mean: v }, ['k', 'mean']),
      o('pareto', { alpha: { type: 'number', exclusiveMinimum: 0 }, min: v, mean: v, max: v }, ['alpha']),
      o('mixture', { of: { type: 'array', items: { $ref: `#/$defs/${unit}Dist` }, minItems: 1 } }, ['of']),
      o(
        'empirical',
        {
          bins: {
            type: 'array',
            items: { type: 'object', properties: { from: v, to: v, weight: { type: 'number' } }, required: ['from', 'to', 'weight'], additionalProperties: false },
          },
          values: { type: 'array', items: v },
          weights: { type: 'array', items: { type: 'number' } },
        },
        [],
      ),
    ],
  };
}

/** JSON Schema of one parameter (input form: scenario units), with help and default. */
export function paramJsonSchema(p: Param): Json {
  let j: Json;
  switch (p.kind) {
    case 'int':
      j = { type: 'integer', minimum: p.min, maximum: p.max };
      break;
    case 'number':
      j = p.exclusiveMin ? { type: 'number', exclusiveMinimum: p.min, maximum: p.max } : { type: 'number', minimum: p.min, maximum: p.max };
      break;
    case 'probability':
      j = { type: 'number', minimum: 0, maximum: 1 };
      break;
    case 'duration':
      j = p.orNone ? { anyOf: [...(DURATION_JSON.anyOf as Json[]), { const: 'none' }, { type: 'null' }] } : { ...DURATION_JSON };
      break;
    case 'rate':
      j = { ...RATE_JSON };
      break;
    case 'size':
      j = { ...SIZE_JSON };
      break;
    case 'bool':
      j = { type: 'boolean' };
      break;
    case 'enum':
      j = { enum: [...p.values] };
      break;
    case 'string':
      j = { type: 'string', pattern: p.pattern };
      break;
    case 'id':
      j = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 0 }] };
      break;
    case 'dist':
      j = { $ref: `#/$defs/${p.unit}Dist` };
      break;
    case 'object':
      j = paramsJsonSchema(p.fields);
      break;
    case 'variant':
      j = {
        oneOf: Object.entries(p.variants).map(([name, v]) => {
          const inner = paramsJsonSchema(v.fields);
          return {
            ...inner,
            description: v.help,
            properties: { [p.tag]: { const: name }, ...(inner.properties as Json) },
            required: [p.tag, ...((inner.required as string[]) ?? [])],
          };
        }),
      };
      break;
    case 'list':
      j = { type: 'array', items: paramJsonSchema(p.item), minItems: p.minItems, maxItems: p.maxItems };
      break;
  }
  const out: Json = { description: p.help, ...j };
  if (p.default !== undefined) out.default = p.default;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** JSON Schema of a set of parameters as a closed object. */
export function paramsJsonSchema(params: Params, extra: Record<string, Json> = {}, required: string[] = []): Json {
  const properties: Json = { ...extra };
  const req = [...required];
  for (const [k, p] of Object.entries(params)) {
    properties[k] = paramJsonSchema(p);
    if (p.default === undefined && !p.optional && p.kind !== 'object') req.push(k);
  }
  return { type: 'object', properties, required: req.length ? req : undefined, additionalProperties: false };
}

/**
 * The raw (scenario-unit) default of a parameter, or undefined if it has none.
 * Objects default to {} so that their fields' defaults apply.
 */
export function defaultOf(p: Param): unknown {
  if (p.default !== undefined) return p.default;
  if (p.kind === 'object' && !p.optional) return {};
  return undefined;
}

/** The raw defaults of a set of parameters, fully expanded (for the palette). */
export function expandDefaults(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(params)) {
    if (p.kind === 'object') {
      if (!p.optional) out[k] = { ...expandDefaults(p.fields), ...(p.default ?? {}) };
    } else if (p.default !== undefined) out[k] = p.default;
  }
  return out;
}

/** A short description of an input value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return typeof v;
}
