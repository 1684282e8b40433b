/**
 * Misconfigured data tiers are validation errors that name the node and say what to draw.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';
import { scenario } from '../helpers.ts';

const check = (nodes: Array<Record<string, unknown>>, edges: Array<Record<string, unknown>>, faults: Array<Record<string, unknown>> = []) => {
  const r = parseScenario(scenario({ nodes, edges, faults }));
  return {
    issues: r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`),
    warnings: r.warnings.map((i) => `${i.path}: ${i.message}`),
  };
};
const c = { id: 'c', type: 'client' };
const api = { id: 'api', type: 'server' };
const db = { id: 'db', type: 'database' };

describe('cache topology validation', () => {
  it('client → server → cache and server → database is cache-aside with no complaint', () => {
    const r = check([c, api, { id: 'redis', type: 'cache' }, db], [{ from: 'c', to: 'api' }, { from: 'api', to: 'redis' }, { from: 'api', to: 'db' }]);
    expect(r).toEqual({ issues: [], warnings: [] });
  });

  it('a read-through cache without a backing edge says what to draw', () => {
    const r = check([c, api, { id: 'redis', type: 'cache', pattern: 'read-through' }], [{ from: 'c', to: 'api' }, { from: 'api', to: 'redis' }]);
    expect(r.issues).toEqual([
      'nodes[2]: "redis" is a read-through cache: it loads misses from its backing store, but has no outgoing edge. Draw an edge from "redis" to the database (or the origin), or set its pattern to cache-aside and let the app server load misses.',
      'nodes[2]: "redis" is a read-through cache: writes sent to it go on to its backing store, but it has no outgoing edge. Draw an edge from "redis" to the database.',
    ]);
  });

  it('a cache-aside cache with an outgoing edge, or called by something other than a server, is an error', () => {
    const r = check([c, { id: 'lb', type: 'loadBalancer' }, { id: 'redis', type: 'cache' }, db], [{ from: 'c', to: 'lb' }, { from: 'lb', to: 'redis' }, { from: 'redis', to: 'db' }]);
    expect(r.issues).toEqual([
      'edges[2]: "redis" is a cache-aside cache: it does not call other nodes (the app server loads misses from the database itself). Remove the edge redis->db, or set the pattern of "redis" to read-through to have the cache load misses along it.',
      'edges[1]: "redis" is a cache-aside cache, so only app servers talk to it (they load misses and fill it); "lb" is a loadBalancer. Put an app server between them, or set the pattern of "redis" to read-through and draw an edge from "redis" to the database.',
    ]);
  });

  it('a server doing cache-aside needs a database to load misses from', () => {
    const r = check([c, api, { id: 'redis', type: 'cache' }], [{ from: 'c', to: 'api' }, { from: 'api', to: 'redis' }]);
    expect(r.issues).toEqual([
      'nodes[1]: "api" reads the cache-aside cache "redis" but has no database to load misses from: draw an edge from "api" to the database (or set the pattern of "redis" to read-through and draw an edge from "redis" to the database).',
    ]);
  });

  it('ambiguous backing stores are errors; settings that cannot take effect are warnings', () => {
    const two = check(
      [c, { id: 'redis', type: 'cache', pattern: 'read-through', ttlJitter: 0.1 }, db, { id: 'db2', type: 'database' }],
      [{ from: 'c', to: 'redis' }, { from: 'redis', to: 'db' }, { from: 'redis', to: 'db2' }],
    );
    expect(two.issues).toContain('nodes[1]: "redis" has 2 outgoing edges for reads (db, db2); a cache has one backing store. Keep one, or split them with kinds "read" and "write".');
    expect(two.warnings).toContain('nodes[1].ttlJitter: ttlJitter has no effect without a ttl');
    const never = check([c, { id: 'wb', type: 'cache', pattern: 'write-back', flushInterval: 'none', flushBatch: 0 }, db], [{ from: 'c', to: 'wb' }, { from: 'wb', to: 'db' }]);
    expect(never.issues).toEqual([
      'nodes[1].flushInterval: a write-back cache with no flushInterval and flushBatch 0 never writes anything to its backing store; set one of them',
    ]);
  });

  it('fault actions: flush on caches (without "for"), crashPrimary on databases', () => {
    const nodes = [c, { id: 'redis', type: 'cache', pattern: 'read-through' }, db];
    const edges = [{ from: 'c', to: 'redis' }, { from: 'redis', to: 'db' }];
    expect(check(nodes, edges, [{ at: '1s', node: 'redis', action: 'flush' }, { at: '2s', node: 'db', action: 'crashPrimary' }]).issues).toEqual([]);
    expect(check(nodes, edges, [{ at: '1s', for: '1s', node: 'redis', action: 'flush' }, { at: '1s', node: 'redis', action: 'crashPrimary' }]).issues).toEqual([
      'faults[0].action: a flush empties the cache at one instant; remove "for"',
      'faults[1].action: a cache does not support "crashPrimary"; it supports crash, recover, flush',
    ]);
  });

});
