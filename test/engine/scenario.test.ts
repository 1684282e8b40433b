import { describe, expect, it } from 'vitest';
import { componentDefs, parseScenario, parseScenarioText, scenarioSchema } from '../../engine/index.ts';
import { FAULT_ACTIONS } from '../../engine/scenario/schema.ts';
import { scenario } from '../helpers.ts';

const issues = (raw: unknown) => {
  const r = parseScenario(raw);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};
const ok = { nodes: [{ id: 'c', type: 'client' }, { id: 's', type: 'server' }], edges: [{ from: 'c', to: 's' }] };

describe('scenario validation', () => {
  it('accepts a minimal scenario and fills every default', () => {
    const r = parseScenario(scenario(ok));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.scenario;
    expect(s.duration).toBe(10_000_000);
    expect(s.window).toBe(1_000_000);
    expect(s.nodes[1]!.params).toMatchObject({ workers: 4, queue: 100, discipline: 'fifo', service: { dist: 'exponential', mean: 10_000 } });
    expect(s.edges[0]).toEqual({ from: 'c', to: 's', weight: 1, probability: 1, kinds: 'any' });
  });

  it('reports every problem at once, each with its path and a reason', () => {
    const got = issues({
      version: 1,
      name: 'x',
      duraton: '1s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'poisson', rate: '5 per second' } },
        { id: 's', type: 'server', service: { dist: 'exponential', mean: '5 mss' }, workerz: 3 },
        { id: 'db', type: 'databse' },
      ],
      edges: [{ from: 'c', to: 'ss' }],
      faults: [{ at: '1s', node: 's', action: 'melt' }],
    });
    expect(got).toEqual([
      'duraton: unknown field "duraton" (did you mean "duration"?); known fields: version, name, description, seed, duration, warmup, window, limits, nodes, edges, faults, layout, $schema',
      'nodes[0].arrival.rate: "5 per second" is not a rate; write a number per second or a string like "5r/s", "300r/m"',
      'nodes[1].workerz: unknown field "workerz" (did you mean "workers"?); known fields: id, type, label, workers, service, writeService, queue, discipline, errorRate, queueTimeout, honorDeadlines, calls, blocking, callTimeout',
      'nodes[1].service.mean: "5 mss" is not a duration; write a number of milliseconds or a string like "250us", "5ms", "2s", "1m"',
      `nodes[2].type: unknown component type "databse" (did you mean "database"?); known types: ${componentDefs().map((d) => d.type).join(', ')}`,
      'edges[0].to: no node with id "ss" (did you mean "s"?)',
      `faults[0].action: action must be one of ${Object.keys(FAULT_ACTIONS).join(', ')}, got "melt"`,
    ]);
  });

  it('checks the topology each component needs', () => {
    expect(issues(scenario({ nodes: [{ id: 'c', type: 'client' }] }))).toEqual([
      'nodes[0]: "c" (client) needs at least 1 outgoing edge: an edge from it is where it sends its requests (several edges split traffic by weight)',
    ]);
    expect(issues(scenario({ nodes: [{ id: 'c', type: 'client' }, { id: 'd', type: 'database' }, { id: 's', type: 'server' }], edges: [{ from: 'c', to: 'd' }, { from: 'd', to: 's' }, { from: 's', to: 'c' }] }))).toEqual([
      'edges[1]: a database ("d") does not send requests to other nodes; remove this edge',
      'edges[2]: nothing can send requests to a client ("c"); reverse or remove this edge',
    ]);
    expect(issues(scenario({ ...ok, edges: [{ from: 'c', to: 's' }, { from: 'c', to: 's' }, { from: 's', to: 's' }] }))).toEqual([
      'edges[1]: duplicate edge c->s (also edges[0])',
      'edges[2]: an edge cannot connect "s" to itself',
    ]);
    expect(issues(scenario({ nodes: [{ id: 'c', type: 'client' }, { id: 'c', type: 'server' }], edges: [] }))).toContain('nodes[1].id: duplicate id "c" (also nodes[0])');
  });

  it('rejects unsafe or malformed ids, including prototype keys', () => {
    for (const id of ['__proto__', 'constructor ', '1abc', '', 'a b', 'x'.repeat(65)]) {
      expect(issues(scenario({ nodes: [{ id, type: 'server' }] }))[0]).toMatch(/^nodes\[0\]\.id: /);
    }
  });

  it('validates faults against the target: its type, its run-time parameters, and its existence', () => {
    const base = { ...ok, nodes: [{ id: 'c', type: 'client', arrival: { process: 'closed' } }, { id: 's', type: 'server' }] };
    expect(issues(scenario({ ...base, faults: [{ at: '1s', node: 'c', action: 'rate', rate: 5 }] }))).toEqual([
      'faults[0].action: "rate" changes the rate of open-loop traffic; "c" uses closed traffic',
    ]);
    expect(issues(scenario({ ...base, faults: [{ at: '1s', node: 's', action: 'set', params: { calls: 'parallel', workers: 0 } }] }))).toEqual([
      'faults[0].params.calls: "calls" cannot change during a run; a app server allows workers, queue, discipline, service, writeService, errorRate, callTimeout, queueTimeout',
      'faults[0].params.workers: must be at least 1',
    ]);
    expect(issues(scenario({ ...base, faults: [{ at: '1s', edge: 'c->x', action: 'partition' }] }))).toEqual([
      'faults[0].edge: no edge "c->x" (did you mean "c->s"?); edges are named "from->to"',
    ]);
  });

  it('warns about things that run but are probably not meant', () => {
    const r = parseScenario(scenario({
      ...ok,
      nodes: [...ok.nodes, { id: 't', type: 'server' }],
      edges: [...ok.edges, { from: 's', to: 't' }, { from: 't', to: 's' }],
      faults: [{ at: '1h', node: 's', action: 'crash' }],
    }));
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'the edges form a cycle (s → t → s); requests that go round it are stopped by the hop limit (32)',
      'at 1h00m is not before the end of the run (10s); it never happens',
    ]);
  });

  it('reports JSON syntax errors with line and column', () => {
    const r = parseScenarioText('{\n  "version": 1,\n  "name": "x",,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/^not valid JSON at line 3, column \d+/);
  });

  it('exports a JSON Schema that describes every component type', () => {
    const s = scenarioSchema() as unknown as { properties: { nodes: { items: { oneOf: Array<{ properties: { type: { const: string } } }> } } } };
    const types = s.properties.nodes.items.oneOf.map((o) => o.properties.type.const);
    expect(types).toEqual(componentDefs().map((d) => d.type));
    expect(types).toEqual(expect.arrayContaining(['client', 'loadBalancer', 'server', 'database']));
    expect(JSON.stringify(s)).toContain('Requests served at the same time');
  });
});
