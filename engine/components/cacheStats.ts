/**
 * A cache's counters, and its numbers for the report and the time series. Summary counts
 * cover the cohort (requests that arrived after warm-up); window counts cover everything
 * in the window. The hit ratio is hits / (hits + misses) over reads.
 */
import { round } from '../report/summary.ts';
import type { CacheStore } from '../kernels/cache.ts';
import type { CacheConfig } from './cacheParams.ts';

export class CacheCounters {
  hits = 0;
  misses = 0;
  /** Reads answered with a version older than the primary's. */
  staleReads = 0;
  /** Misses that waited for another request's load instead of loading. */
  coalesced = 0;
  /** Misses that waited by polling a lock. */
  lockWaits = 0;
  earlyRefreshes = 0;
  /** Loads from the backing store abandoned because they were not back within lockTimeout (others waited on them) or callTimeout. */
  loadTimeouts = 0;
  /** Reads sent to the backing store (read-through) or answered "miss" (cache-aside: the app then reads the database). */
  originReads = 0;
  writes = 0;
  /** write-back: acknowledged writes lost in a crash or a flush before they reached the backing store (of those in `writes`). */
  lostWrites = 0;
  /** write-back: writes the backing store acknowledged, carried by flushes it answered OK (of those in `writes`, whenever flushed). */
  flushedWrites = 0;
  /** write-back: flushes sent (database writes made, retries included). */
  flushCalls = 0;
  /** write-back: flushes that failed or were not answered within callTimeout (their writes are retried, or lost if the cache was emptied meanwhile). */
  flushFailures = 0;
  // store totals at the end of warm-up, so summaries count evictions after it
  evictionsAtWarmup = 0;
  expirationsAtWarmup = 0;
  // current window
  wHits = 0;
  wMisses = 0;
  wStale = 0;
  wEvictions = 0;
  wExpirations = 0;
}

/** Summary numbers for the report. */
export function cacheReport(cfg: CacheConfig, c: CacheCounters, store: CacheStore, unflushed: number, hasTruth: boolean): Record<string, unknown> {
  const reads = c.hits + c.misses;
  return {
    pattern: cfg.pattern,
    eviction: cfg.eviction,
    capacity: cfg.capacity,
    entries: store.size,
    ...(cfg.capacityBytes !== undefined ? { bytes: store.bytes, capacityBytes: cfg.capacityBytes } : {}),
    hits: c.hits,
    misses: c.misses,
    hitRatio: reads ? round(c.hits / reads, 6) : NaN,
    evictions: store.evictions - c.evictionsAtWarmup,
    expirations: store.expirations - c.expirationsAtWarmup,
    // reads the backing store would serve without this cache, and the ones it serves with it
    originReadsWithoutCache: reads,
    originReads: c.originReads,
    originOffload: reads ? round(1 - c.originReads / reads, 6) : NaN,
    ...(hasTruth ? { staleReads: c.staleReads, staleRatio: reads ? round(c.staleReads / reads, 6) : NaN } : {}),
    ...(cfg.stampede !== 'none' ? { coalesced: c.coalesced, lockWaits: c.lockWaits, earlyRefreshes: c.earlyRefreshes } : {}),
    ...(cfg.pattern !== 'cache-aside' ? { loadTimeouts: c.loadTimeouts } : {}),
    writes: c.writes,
    ...(cfg.pattern === 'write-back'
      ? { unflushedWrites: unflushed, lostWrites: c.lostWrites, flushedWrites: c.flushedWrites, flushCalls: c.flushCalls, flushFailures: c.flushFailures }
      : {}),
  };
}

/** Per-window numbers (the app charts `hitRatio`), resetting the window counts. */
export function cacheWindow(cfg: CacheConfig, c: CacheCounters, store: CacheStore, unflushed: number): Record<string, number> {
  const reads = c.wHits + c.wMisses;
  const out: Record<string, number> = {
    hitRatio: reads ? c.wHits / reads : NaN,
    hits: c.wHits,
    misses: c.wMisses,
    evictions: store.evictions - c.wEvictions,
    expirations: store.expirations - c.wExpirations,
    staleReads: c.wStale,
    entries: store.size,
  };
  if (cfg.pattern === 'write-back') out.unflushedWrites = unflushed;
  c.wHits = c.wMisses = c.wStale = 0;
  c.wEvictions = store.evictions;
  c.wExpirations = store.expirations;
  return out;
}
