/** The data-tier components as the palette drops them: expanded defaults validate and run. */
import { describe, expect, it } from 'vitest';
import { componentDefs, expandDefaults, parseScenario } from '../../engine/index.ts';
import { run, scenario } from '../helpers.ts';

const defaults = (type: string) => expandDefaults(componentDefs().find((d) => d.type === type)!.params);
const node = (id: string, type: string) => ({ id, type, ...defaults(type) });

describe('data-tier palette defaults', () => {
  it('client → server → cache and server → database, all as dropped, is cache-aside with a hit ratio', () => {
    const t = run({
      duration: '20s',
      nodes: [node('c', 'client'), node('api', 'server'), node('cache', 'cache'), node('db', 'database')],
      edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'cache' }, { from: 'api', to: 'db' }],
    });
    expect(t.report.stopped).toBeNull();
    const c = t.report.nodes.cache as Record<string, any>;
    expect(c.pattern).toBe('cache-aside');
    // default client: Zipf(0.9) over 10,000 keys, 10% writes that invalidate; 1,000 entries
    expect(c.hitRatio).toBeGreaterThan(0.3);
    expect(c.hitRatio).toBeLessThan(0.6);
    expect(t.report.endToEnd.failedTotal).toBe(0);
  });

  it('a CDN edge as dropped in front of a server, and a database as dropped with replicas added', () => {
    const t = run({
      duration: '10s',
      nodes: [node('c', 'client'), node('edge', 'cdn'), node('origin', 'server'), { ...node('db', 'database'), replicas: 2 }],
      edges: [{ from: 'c', to: 'edge' }, { from: 'edge', to: 'origin' }, { from: 'origin', to: 'db' }],
    });
    expect(t.report.stopped).toBeNull();
    expect((t.report.nodes.edge as Record<string, any>).hits).toBeGreaterThan(0);
    expect(Object.keys((t.report.nodes.db as Record<string, any>).instances)).toEqual(['primary', 'replica1', 'replica2']);
  });

  it('a cache dropped straight after a client says what to change', () => {
    const r = parseScenario(scenario({ nodes: [node('c', 'client'), node('cache', 'cache')], edges: [{ from: 'c', to: 'cache' }] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join('\n')).toMatch(/set the pattern of "cache" to read-through and draw an edge from "cache" to the database/);
  });
});
