/**
 * cache: a key-value cache (Redis, memcached) whose hit ratio emerges from the keys the
 * clients request and what it holds at that moment. Capacity in entries (optionally in
 * bytes), LRU/LFU/FIFO/random eviction, TTL with jitter, warm or cold start, and the
 * patterns and stampede mitigations described in cacheParams.ts and cacheNode.ts.
 *
 * Edges, by pattern:
 * - cache-aside (default): app servers have an edge to the cache and one to the database.
 *   The cache has no outgoing edge; the server reads the cache, on a miss reads the
 *   database and fills the cache, and on a write writes the database, then invalidates or
 *   updates the cache (cacheAside.ts). Drop client → server → cache and server → database
 *   and that is what happens.
 * - read-through, write-through, write-back, write-around: the cache has one outgoing edge
 *   to its backing store (a database, another cache, an origin server) and loads and
 *   writes through it itself; whoever calls the cache sees one call.
 */
import { defineComponent, type TopologyView } from '../core/component.ts';
import type { ScenarioIssue } from '../scenario/types.ts';
import { CacheNode } from './cacheNode.ts';
import { backingParams, patternParams, stampedeParams, storeParams, type CacheConfig } from './cacheParams.ts';

export const cacheParams = {
  pattern: patternParams.pattern,
  ...storeParams,
  onWrite: patternParams.onWrite,
  ...stampedeParams,
  ...backingParams,
  flushInterval: patternParams.flushInterval,
  flushBatch: patternParams.flushBatch,
};

/** Checks that don't depend on the pattern (cache and CDN). */
export function validateStore(view: TopologyView, cfg: CacheConfig): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const at = (k: string) => `${view.path}.${k}`;
  if (cfg.ttl === null && cfg.ttlJitter > 0) issues.push({ path: at('ttlJitter'), message: 'warning: ttlJitter has no effect without a ttl' });
  if (cfg.ttl === null && cfg.stampede === 'early-refresh') {
    issues.push({ path: at('stampede'), message: 'warning: early-refresh refreshes entries shortly before they expire; without a ttl they never do' });
  }
  if (cfg.warmKeys !== undefined && cfg.start === 'cold') issues.push({ path: at('warmKeys'), message: 'warning: warmKeys has no effect with a cold start' });
  if (cfg.warmKeys !== undefined && cfg.warmKeys > cfg.capacity) {
    issues.push({ path: at('warmKeys'), message: `warning: only ${cfg.capacity} keys fit (the capacity); the rest are not pre-filled` });
  }
  return issues;
}

function validateCache(view: TopologyView): ScenarioIssue[] {
  const cfg = view.node.params as unknown as CacheConfig;
  const id = view.node.id;
  const issues = validateStore(view, cfg);
  if (cfg.pattern === 'cache-aside') {
    for (const o of view.out) {
      issues.push({
        path: `edges[${o.index}]`,
        message: `"${id}" is a cache-aside cache: it does not call other nodes (the app server loads misses from the database itself). Remove the edge ${id}->${o.to}, or set the pattern of "${id}" to read-through to have the cache load misses along it.`,
      });
    }
    for (const i of view.in) {
      if (i.type !== 'server') {
        issues.push({
          path: `edges[${i.index}]`,
          message: `"${id}" is a cache-aside cache, so only app servers talk to it (they load misses and fill it); "${i.from}" is a ${i.type}. Put an app server between them, or set the pattern of "${id}" to read-through and draw an edge from "${id}" to the database.`,
        });
      }
    }
    return issues;
  }
  const reads = view.out.filter((o) => o.edge.kinds !== 'write');
  const writes = view.out.filter((o) => o.edge.kinds !== 'read');
  if (reads.length === 0) {
    issues.push({
      path: view.path,
      message: `"${id}" is a ${cfg.pattern} cache: it loads misses from its backing store, but has no outgoing edge${view.out.length ? ' for reads' : ''}. Draw an edge from "${id}" to the database (or the origin), or set its pattern to cache-aside and let the app server load misses.`,
    });
  }
  if (writes.length === 0) {
    issues.push({
      path: view.path,
      message: `"${id}" is a ${cfg.pattern} cache: writes sent to it go on to its backing store, but it has no outgoing edge${view.out.length ? ' for writes' : ''}. Draw an edge from "${id}" to the database.`,
    });
  }
  for (const [list, what] of [
    [reads, 'reads'],
    [writes, 'writes'],
  ] as const) {
    if (list.length > 1) {
      issues.push({
        path: view.path,
        message: `"${id}" has ${list.length} outgoing edges for ${what} (${list.map((o) => o.to).join(', ')}); a cache has one backing store. Keep one, or split them with kinds "read" and "write".`,
      });
    }
  }
  if (cfg.pattern === 'write-back' && cfg.flushInterval === null && cfg.flushBatch === 0) {
    issues.push({ path: `${view.path}.flushInterval`, message: 'a write-back cache with no flushInterval and flushBatch 0 never writes anything to its backing store; set one of them' });
  }
  for (const o of view.out) {
    if (o.edge.probability !== 1) {
      issues.push({ path: `edges[${o.index}]`, message: `warning: probability has no effect on a cache's backing edge; every miss loads along it` });
    }
  }
  return issues;
}

export const cache = defineComponent({
  type: 'cache',
  title: 'Cache',
  description: 'A key-value cache (Redis, memcached): LRU/LFU/FIFO/random, TTL, cache-aside or read/write-through, write-back; stampede mitigations.',
  icon: 'cache',
  category: 'data',
  params: cacheParams,
  outgoing: { min: 0, meaning: 'is its backing store (read-through, write-through, write-back, write-around): where it loads misses and sends writes' },
  incoming: true,
  faults: ['flush'],
  validateFault(_node, f) {
    return f.action === 'flush' && f.for !== undefined ? 'a flush empties the cache at one instant; remove "for"' : null;
  },
  validate: validateCache,
  create(sim, spec, index) {
    return new CacheNode(sim, index, spec.id, 'cache', spec.params as unknown as CacheConfig);
  },
});
