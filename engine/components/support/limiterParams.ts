/**
 * The rate limiter's parameters (Param declarations) and their parsed types. Kept apart
 * from the component so that the counter store can build the same algorithms.
 */
import type { DistSpec } from '../../core/dist.ts';
import type { Param } from '../../core/params.ts';
import type { FixedWindowCounter } from '../../kernels/ratelimit/fixedWindow.ts';
import { upstreamTimeoutParam } from './callTimeouts.ts';

const status = (def: number): Param => ({
  kind: 'int',
  default: def,
  min: 400,
  max: 599,
  help: `Status answered to a rejected request (${def} by default; nginx's limit_req_status allows 400–599).`,
});
const rate = (def: number | string, help: string): Param => ({ kind: 'rate', default: def, positive: true, help });
const limit: Param = { kind: 'int', default: 100, min: 1, max: 1_000_000_000, unit: 'requests', help: 'Requests admitted per window.' };
const windowParam: Param = { kind: 'duration', default: '1s', min: '1ms', help: 'Window length.' };
const countRejected: Param = {
  kind: 'bool',
  default: false,
  help: 'Count rejected requests too, so a client that keeps hammering stays blocked until it pauses.',
};

export const ALGORITHMS = ['tokenBucket', 'leakyBucket', 'fixedWindow', 'slidingLog', 'slidingWindowCounter', 'nginx'] as const;

export const limiterParams = {
  algorithm: {
    kind: 'variant',
    tag: 'type',
    help: 'How the limiter decides.',
    default: { type: 'tokenBucket', rate: 10, capacity: 20 },
    variants: {
      tokenBucket: {
        label: 'token bucket',
        help: 'A bucket of tokens refilled at a steady rate; each request takes one. Allows bursts up to the capacity.',
        fields: {
          rate: rate(10, 'Tokens added per second.'),
          capacity: { kind: 'int', default: 20, min: 1, max: 1_000_000_000, unit: 'tokens', help: 'Bucket size: the largest burst admitted at once.' },
          startFull: { kind: 'bool', default: true, help: 'A new key starts with a full bucket (most implementations) rather than an empty one.' },
          maxDelay: {
            kind: 'duration',
            default: 0,
            help: 'Instead of rejecting, hold a request until its token exists if that takes at most this long (golang Reserve/Wait). 0 rejects at once.',
          },
          status: status(429),
        },
      },
      leakyBucket: {
        label: 'leaky bucket',
        help: 'As a queue: requests wait and leave at exactly the rate, overflow is rejected. As a meter: a token bucket by another name.',
        fields: {
          mode: {
            kind: 'enum',
            values: ['queue', 'meter'],
            default: 'queue',
            labels: { queue: 'queue (delays, smooth output)', meter: 'meter (rejects, no waiting)' },
            help: 'queue: requests wait their turn and leave 1/rate apart; meter: requests over the rate are rejected at once.',
          },
          rate: rate(10, 'Requests leaving (or conforming) per second.'),
          capacity: { kind: 'int', default: 10, min: 0, max: 1_000_000_000, unit: 'requests', help: 'Queue: requests that may wait. Meter: the burst tolerated (bucket size, at least 1).' },
          status: status(429),
        },
      },
      fixedWindow: {
        label: 'fixed window',
        help: 'A counter per window; over the limit, rejected until the window ends. Admits up to 2× the limit across a boundary.',
        fields: {
          limit,
          window: windowParam,
          counter: {
            kind: 'enum',
            values: ['aligned', 'redisIncrExpire', 'redisGetIncr'],
            default: 'aligned',
            labels: {
              aligned: 'aligned windows (clock boundaries)',
              redisIncrExpire: 'Redis INCR + EXPIRE (window from the first request)',
              redisGetIncr: 'Redis GET then INCR (admits limit + 1)',
            },
            help: 'aligned: windows on clock boundaries. redisIncrExpire: the INCR, EXPIRE-on-1, reject-if-over pattern (window starts at the first request, lasts W + 1 ms as Redis expires keys). redisGetIncr: check before INCR, which admits one more than the limit.',
          },
          status: status(429),
        },
      },
      slidingLog: {
        label: 'sliding window log',
        help: 'Remembers recent request times: exactly `limit` per any window of length W.',
        fields: { limit, window: windowParam, countRejected, status: status(429) },
      },
      slidingWindowCounter: {
        label: 'sliding window counter',
        help: 'Two counters, the previous window weighted by how much of it still overlaps: cheap and approximate.',
        fields: { limit, window: windowParam, countRejected, status: status(429) },
      },
      nginx: {
        label: 'nginx limit_req',
        help: 'nginx limit_req exactly: rate in r/s or r/m, burst, nodelay or delay=N, integer milli-request arithmetic on a millisecond clock.',
        fields: {
          rate: rate('5r/s', 'limit_req_zone rate: "5r/s" or "30r/m" (nginx truncates r/m to whole milli-requests per second).'),
          burst: { kind: 'int', default: 0, min: 0, max: 1_000_000, unit: 'requests', help: 'burst=: excess requests tolerated (0, nginx\'s default: none).' },
          nodelay: { kind: 'bool', default: false, help: 'nodelay: admit the burst at once instead of spacing it out at the rate (off by default, as in nginx).' },
          delay: {
            kind: 'int',
            default: 0,
            min: 0,
            max: 1_000_000,
            help: 'delay=N (ignored with nodelay): the first N excess requests pass at once, the rest of the burst is delayed.',
          },
          status: status(503),
        },
      },
    },
  },
  key: {
    kind: 'enum',
    values: ['global', 'ip', 'user'],
    // global by default: a limiter dropped behind a client as dropped (100 req/s over 1000
    // IPs) limits at once; per IP, each IP would send 0.1 req/s and never meet the limit
    default: 'global',
    labels: { global: 'global (one limit for all)', ip: 'per client IP', user: 'per user / API key' },
    help: 'What each limit applies to: all requests together, each client IP, or each user (API key).',
  },
  tiers: {
    kind: 'list',
    optional: true,
    minItems: 1,
    maxItems: 64,
    help: 'API tiers, each overriding some of the algorithm\'s limits. A client\'s `tier` label picks its tier; unlabelled clients get `defaultTier` (else the first).',
    item: {
      kind: 'object',
      help: 'One tier.',
      fields: {
        name: { kind: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$', patternHelp: 'letters, digits, "_", "." or "-" (at most 32)', help: 'Tier name, matched against clients\' `tier` labels.' },
        rate: { kind: 'rate', optional: true, positive: true, help: 'This tier\'s rate (token bucket, leaky bucket, nginx).' },
        capacity: { kind: 'int', optional: true, min: 0, help: 'This tier\'s capacity (token bucket, leaky bucket).' },
        burst: { kind: 'int', optional: true, min: 0, help: 'This tier\'s burst (nginx).' },
        limit: { kind: 'int', optional: true, min: 1, help: 'This tier\'s limit per window (window algorithms).' },
        window: { kind: 'duration', optional: true, min: '1ms', help: 'This tier\'s window (window algorithms).' },
      },
    },
  },
  defaultTier: { kind: 'string', optional: true, advanced: true, help: 'Tier of clients without a (known) `tier` label; default: the first tier.' },
  retryAfter: {
    kind: 'enum',
    values: ['seconds', 'exact', 'none'],
    default: 'seconds',
    labels: { seconds: 'whole seconds (HTTP Retry-After)', exact: 'exact', none: 'none' },
    help: 'The Retry-After given with a rejection, from the algorithm\'s state: rounded up to whole seconds as the HTTP header is, exact, or not sent.',
  },
  maxKeys: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 100_000_000,
    advanced: true,
    help: 'Keys (IPs, users) whose state is kept; idle keys are dropped, and past this the least recently seen is evicted. nginx: a 1 MB zone holds about 16,000.',
  },
  dryRun: { kind: 'bool', default: false, advanced: true, help: 'Decide and count, but forward every request (nginx limit_req_dry_run).' },
  processing: { kind: 'dist', unit: 'duration', default: 0, advanced: true, help: 'Time the limiter itself adds to each decision.' },
  upstreamTimeout: { ...upstreamTimeoutParam('what it protects'), advanced: true },
  store: {
    kind: 'object',
    help: 'With an edge to a counter store: state is shared there, each decision pays a round trip.',
    fields: {
      zone: { kind: 'string', default: 'limits', pattern: '^[A-Za-z0-9_.:-]{1,64}$', patternHelp: 'letters, digits, "_", ".", ":" or "-"', help: 'Counter namespace: limiters with the same zone and configuration share counters.' },
      timeout: { kind: 'duration', default: '50ms', min: '1us', help: 'Give up on the store after this long.' },
      failMode: {
        kind: 'enum',
        values: ['open', 'closed'],
        default: 'open',
        labels: { open: 'fail open (admit)', closed: 'fail closed (reject)' },
        help: 'When the store is down, partitioned, overloaded or too slow: admit the request (open) or reject it (closed).',
      },
    },
  },
} satisfies Record<string, Param>;

export type AlgorithmParams =
  | { type: 'tokenBucket'; rate: number; capacity: number; startFull: boolean; maxDelay: number; status: number }
  | { type: 'leakyBucket'; mode: 'queue' | 'meter'; rate: number; capacity: number; status: number }
  | { type: 'fixedWindow'; limit: number; window: number; counter: FixedWindowCounter; status: number }
  | { type: 'slidingLog' | 'slidingWindowCounter'; limit: number; window: number; countRejected: boolean; status: number }
  | { type: 'nginx'; rate: number; burst: number; nodelay: boolean; delay: number; status: number };

export interface TierParams {
  name: string;
  rate?: number;
  capacity?: number;
  burst?: number;
  limit?: number;
  window?: number;
}

export type LimiterKey = 'global' | 'ip' | 'user';

export interface LimiterParams {
  algorithm: AlgorithmParams;
  key: LimiterKey;
  tiers?: TierParams[];
  defaultTier?: string;
  retryAfter: 'seconds' | 'exact' | 'none';
  maxKeys: number;
  dryRun: boolean;
  processing: DistSpec;
  upstreamTimeout: number | null;
  store: { zone: string; timeout: number; failMode: 'open' | 'closed' };
}

/** The tier fields each algorithm uses (for validation warnings). */
export const TIER_FIELDS: Record<AlgorithmParams['type'], Array<keyof TierParams>> = {
  tokenBucket: ['rate', 'capacity'],
  leakyBucket: ['rate', 'capacity'],
  fixedWindow: ['limit', 'window'],
  slidingLog: ['limit', 'window'],
  slidingWindowCounter: ['limit', 'window'],
  nginx: ['rate', 'burst'],
};
