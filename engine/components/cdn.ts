/**
 * cdn: a CDN edge server, placed near a group of clients. It caches static objects by
 * key with a TTL and fetches what it lacks from its origin (its one outgoing edge), so
 * the origin sees only the misses: the report's originOffload. Its latency to the clients
 * is the latency of their edges to it; its (usually much longer) latency to the origin is
 * the latency of its edge to the origin. Several edges, one per region, each in front of
 * the same origin, show latency by region. Concurrent misses for one object are collapsed
 * into one origin fetch by default (request collapsing), as CDNs do. Writes (uploads) go
 * to the origin and leave cached copies alone: they stay until their TTL ends.
 */
import { defineComponent } from '../core/component.ts';
import { validateStore } from './cache.ts';
import { CacheNode } from './cacheNode.ts';
import { backingParams, stampedeParams, storeParams, type CacheConfig } from './cacheParams.ts';

export const cdnParams = {
  ...storeParams,
  capacity: { ...storeParams.capacity, default: 100_000, help: 'Objects the edge holds; inserting one more evicts one.' },
  objectSize: { ...storeParams.objectSize, default: '100KB' },
  ttl: { ...storeParams.ttl, default: '5m', help: 'How long an object stays fresh at the edge (its Cache-Control max-age); "none": until evicted.' },
  latency: { ...storeParams.latency, default: '1ms', help: 'Time the edge takes to serve an object it has (on top of the network latency of the edges).' },
  ...stampedeParams,
  stampede: { ...stampedeParams.stampede, default: 'coalesce' },
  callTimeout: {
    ...backingParams.callTimeout,
    help: 'Origin timeout: give up on a fetch from the origin (504 load-timeout) or a write forwarded to it (504 call-timeout) after this long, ignoring its late answer. "none": wait for ever.',
  },
};

type CdnParams = Omit<CacheConfig, 'pattern' | 'onWrite' | 'flushInterval' | 'flushBatch'>;

function toConfig(p: CdnParams): CacheConfig {
  return { ...p, pattern: 'write-around', onWrite: 'invalidate', flushInterval: null, flushBatch: 0 };
}

export const cdn = defineComponent({
  type: 'cdn',
  title: 'CDN edge',
  description: 'An edge cache near a client group: serves static objects by key with a TTL and fetches misses from the origin.',
  icon: 'globe',
  category: 'network',
  params: cdnParams,
  outgoing: { min: 1, meaning: 'is its origin: where it fetches objects it does not have (and forwards writes)' },
  incoming: true,
  faults: ['flush'],
  validateFault(_node, f) {
    return f.action === 'flush' && f.for !== undefined ? 'a flush (purge) empties the edge at one instant; remove "for"' : null;
  },
  validate(view) {
    const issues = validateStore(view, toConfig(view.node.params as unknown as CdnParams));
    if (view.out.length > 1) {
      issues.push({
        path: view.path,
        message: `the CDN edge "${view.node.id}" has ${view.out.length} outgoing edges (${view.out.map((o) => o.to).join(', ')}); it fetches from one origin. Keep one.`,
      });
    }
    for (const o of view.out) {
      if (o.edge.kinds !== 'any') {
        issues.push({ path: `edges[${o.index}].kinds`, message: 'a CDN\'s origin edge carries both its misses (reads) and the writes it forwards; remove kinds' });
      }
      if (o.edge.probability !== 1) {
        issues.push({ path: `edges[${o.index}]`, message: 'warning: probability has no effect on a CDN\'s origin edge; every miss takes it' });
      }
    }
    return issues;
  },
  create(sim, spec, index) {
    return new CacheNode(sim, index, spec.id, 'cdn', toConfig(spec.params as unknown as CdnParams));
  },
});
