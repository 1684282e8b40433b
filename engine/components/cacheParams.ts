/**
 * The cache's parameters (shared with the CDN edge, which uses a subset with its own
 * defaults) and the parsed configuration the cache node runs on.
 */
import type { DistSpec } from '../core/dist.ts';
import type { Param } from '../core/params.ts';
import { EVICTION_POLICIES, type EvictionPolicy } from '../kernels/eviction.ts';

export const CACHE_PATTERNS = ['cache-aside', 'read-through', 'write-through', 'write-back', 'write-around'] as const;
export type CachePattern = (typeof CACHE_PATTERNS)[number];
export const STAMPEDE_MODES = ['none', 'coalesce', 'lock', 'early-refresh'] as const;
export type StampedeMode = (typeof STAMPEDE_MODES)[number];

export interface CacheConfig {
  pattern: CachePattern;
  capacity: number;
  capacityBytes?: number;
  objectSize: DistSpec;
  eviction: EvictionPolicy;
  /** µs, or null for no expiry. */
  ttl: number | null;
  ttlJitter: number;
  ttlRefresh: 'on-write' | 'on-access';
  latency: DistSpec;
  missLatency?: DistSpec;
  writeLatency?: DistSpec;
  start: 'cold' | 'warm';
  warmKeys?: number;
  onWrite: 'invalidate' | 'update';
  stampede: StampedeMode;
  lockRetry: number;
  lockTimeout: number;
  earlyRefreshBeta: number;
  /** µs, or null to wait for ever. */
  callTimeout: number | null;
  flushInterval: number | null;
  flushBatch: number;
}

/** Parameters about what the cache holds and for how long (cache and CDN). */
export const storeParams = {
  capacity: {
    kind: 'int',
    default: 1000,
    min: 1,
    max: 100_000_000,
    unit: 'entries',
    help: 'Entries the cache holds; inserting one more evicts one.',
  },
  capacityBytes: {
    kind: 'size',
    optional: true,
    advanced: true,
    help: 'Also limit the total size of the entries (each key has a size drawn from objectSize); evicts until a new entry fits.',
  },
  objectSize: {
    kind: 'dist',
    unit: 'size',
    default: '1KB',
    advanced: true,
    help: 'Size of each cached object, used with capacityBytes. Drawn once per key: the same key always has the same size.',
  },
  eviction: {
    kind: 'enum',
    values: EVICTION_POLICIES,
    default: 'lru',
    labels: { lru: 'LRU (least recently used)', lfu: 'LFU (least frequently used)', fifo: 'FIFO (oldest insert)', random: 'random' },
    help: 'Which entry a full cache evicts.',
  },
  ttl: {
    kind: 'duration',
    default: null,
    orNone: true,
    help: 'Time to live: an entry expires this long after it is stored ("none": entries live until evicted).',
  },
  ttlJitter: {
    kind: 'probability',
    default: 0,
    help: 'Spread each TTL uniformly over ±this fraction (0.1 = ±10%), so entries stored together do not expire together (staggered expiry).',
  },
  ttlRefresh: {
    kind: 'enum',
    values: ['on-write', 'on-access'],
    default: 'on-write',
    advanced: true,
    help: 'When the TTL starts: when the entry is stored (on-write, like Redis EXPIRE), or again at every hit (on-access: an idle timeout).',
  },
  latency: {
    kind: 'dist',
    unit: 'duration',
    default: '1ms',
    help: 'Time the cache takes to answer a hit, a SET or a DELETE.',
  },
  missLatency: {
    kind: 'dist',
    unit: 'duration',
    optional: true,
    advanced: true,
    help: 'Time to answer a miss (cache-aside) or to start loading it (other patterns). Default: the same as latency for cache-aside, 0 otherwise.',
  },
  writeLatency: {
    kind: 'dist',
    unit: 'duration',
    optional: true,
    advanced: true,
    help: 'Time to acknowledge a write once its data is in the cache. Default: the same as latency.',
  },
  start: {
    kind: 'enum',
    values: ['cold', 'warm'],
    default: 'cold',
    help: 'Start empty (cold), or pre-filled with the most popular keys (warm: keys 0, 1, 2, ...).',
  },
  warmKeys: {
    kind: 'int',
    optional: true,
    min: 0,
    max: 100_000_000,
    advanced: true,
    help: 'Keys a warm start pre-fills (default: the capacity).',
  },
} satisfies Record<string, Param>;

/** Stampede (thundering herd) mitigations (cache and CDN). */
export const stampedeParams = {
  stampede: {
    kind: 'enum',
    values: STAMPEDE_MODES,
    default: 'none',
    labels: {
      none: 'none (every miss loads)',
      coalesce: 'request coalescing (single flight)',
      lock: 'lock and wait (poll)',
      'early-refresh': 'probabilistic early refresh',
    },
    help: 'What concurrent misses for one key do. none: each goes to the backing store. coalesce: one load, the others wait for it (and share its answer, or its failure). lock: one load, the others poll every lockRetry. early-refresh: a hit shortly before expiry reloads the key, with a probability that rises near expiry (XFetch).',
  },
  lockRetry: {
    kind: 'duration',
    default: '10ms',
    min: '1us',
    advanced: true,
    help: 'With lock: how often a waiting request looks again.',
  },
  lockTimeout: {
    kind: 'duration',
    default: '1s',
    min: '1us',
    advanced: true,
    help: 'With coalesce, lock or early-refresh: a load not back after this long is abandoned, so a slow or lost load holds the others back no longer than this. Its waiters with coalesce are answered 504 load-timeout; with lock, a request stops waiting after this long and loads the key itself. In cache-aside, how long the app server that missed holds the key\'s lock.',
  },
  earlyRefreshBeta: {
    kind: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    max: 100,
    advanced: true,
    help: 'With early-refresh: XFetch beta; above 1 refreshes earlier, below 1 later.',
  },
} satisfies Record<string, Param>;

/** Calls to the backing store (cache and CDN). */
export const backingParams = {
  callTimeout: {
    kind: 'duration',
    default: '10s',
    orNone: true,
    min: '1us',
    advanced: true,
    help: 'Give up on a call to the backing store after this long: a load (504 load-timeout) or a write passed on (504 call-timeout) is answered, its late answer ignored; a write-back flush is retried with the next one. "none": wait for ever. Not used by cache-aside, which makes no calls.',
  },
} satisfies Record<string, Param>;

/** Parameters of the cache's patterns (cache only). */
export const patternParams = {
  pattern: {
    kind: 'enum',
    values: CACHE_PATTERNS,
    default: 'cache-aside',
    labels: {
      'cache-aside': 'cache-aside (the app loads misses)',
      'read-through': 'read-through (the cache loads misses)',
      'write-through': 'write-through',
      'write-back': 'write-back (write-behind)',
      'write-around': 'write-around',
    },
    help: 'cache-aside: app servers read it, load misses from their database and fill it; it has no outgoing edge. The others load misses along their outgoing edge; writes sent to the cache go: read-through, to the backing store, then invalidate or update; write-through, to both (answered when both are done); write-back, to the cache only, flushed later; write-around, to the backing store only.',
  },
  onWrite: {
    kind: 'enum',
    values: ['invalidate', 'update'],
    default: 'invalidate',
    help: 'cache-aside and read-through: after a write reaches the database, delete the cached copy (invalidate) or replace it with the new value (update).',
  },
  flushInterval: {
    kind: 'duration',
    default: '1s',
    orNone: true,
    min: '1us',
    help: 'write-back: write unflushed entries to the backing store this often ("none": only by batch size). A flush that fails, or is not acknowledged within callTimeout, is retried with the next one.',
  },
  flushBatch: {
    kind: 'int',
    default: 100,
    min: 0,
    max: 1_000_000,
    help: 'write-back: flush as soon as this many keys have unflushed writes (0: only by interval).',
  },
} satisfies Record<string, Param>;
