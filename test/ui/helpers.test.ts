import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotRates, failureShare } from '../../ui/canvas/particles.ts';
import { compact, percent, utilColour } from '../../ui/canvas/live.ts';
import { summarize } from '../../ui/canvas/summary.ts';
import { hasGlyph } from '../../ui/canvas/icons.tsx';
import { safeName, seriesToCsv } from '../../ui/charts/export.ts';
import { allDefs, connectProblem, defOf, defsByCategory } from '../../ui/store/defs.ts';
import { emptyDoc } from '../../ui/store/doc.ts';
import { toExample, examples } from '../../ui/scenarios.ts';
import type { ComponentDef, Series } from '../../ui/sim/client.ts';

describe('traffic dots', () => {
  const edges = [
    { id: 'a', sentPerSec: 1000, failedPerSec: 100 },
    { id: 'b', sentPerSec: 250, failedPerSec: 0 },
  ];
  it('are proportional to each edge’s rate, capped on the busiest', () => {
    const r = dotRates(edges, 10, 14);
    expect(r.get('a')!.req).toBe(14);
    expect(r.get('a')!.fail).toBeCloseTo(1.4, 9);
    expect(r.get('b')!.req).toBeCloseTo(3.5);
  });
  it('show every request at slow speeds', () => {
    // 0.001x: 1000 req/s are one request per wall second
    expect(dotRates(edges, 0.001).get('a')).toEqual({ req: 1, fail: 0.1 });
  });
  it('stop when the run is paused', () => {
    expect(dotRates(edges, 0).get('a')).toEqual({ req: 0, fail: 0 });
  });
  it('colour an edge by the share of failed answers', () => {
    expect(failureShare(edges[0])).toBe(0.1);
    expect(failureShare(undefined)).toBe(0);
  });
});

describe('live numbers', () => {
  it('uses sky blue when idle, orange when busy, vermillion when saturated', () => {
    expect(utilColour(0.2)).toBe('#56b4e9');
    expect(utilColour(0.7)).toBe('#e69f00');
    expect(utilColour(0.85)).toBe('#d55e00');
    expect(utilColour(1)).toBe('#d55e00');
    expect(utilColour(null)).toBe('#9aa5b1');
    expect(percent(0.0512)).toBe('5.1%');
    expect(percent(0.996)).toBe('100%');
    expect(compact(12345)).toBe('12.3k');
    expect(compact(2.5e6)).toBe('2.5M');
  });
});

describe('node summaries and icons', () => {
  it('summarise the first plain parameters from the declarations', () => {
    expect(summarize(defOf('server'), { id: 's', type: 'server' })).toBe('4 workers · exp 10ms');
    expect(summarize(defOf('server'), { id: 's', type: 'server', workers: 16, service: '3ms' })).toBe('16 workers · 3ms');
    expect(summarize(defOf('client'), { id: 'c', type: 'client', arrival: { process: 'closed', users: 20 } })).toMatch(/^20 users/);
    expect(summarize(undefined, { id: 'x', type: 'teleporter' })).toBe('unknown type "teleporter"');
  });
  it('has glyphs for the icon keys in use, and a fallback for others', () => {
    for (const key of ['users', 'server', 'split', 'database', 'gauge', 'cache', 'cdn', 'shield']) expect(hasGlyph(key), key).toBe(true);
    expect(hasGlyph('no-such-icon')).toBe(false);
    expect(allDefs().length).toBeGreaterThanOrEqual(4);
  });
});

describe('registry helpers', () => {
  it('groups types by category, known categories first, new ones after', () => {
    const fake = [
      { type: 'x', category: 'quantum' },
      { type: 'c', category: 'traffic' },
      { type: 's', category: 'compute' },
    ] as unknown as ComponentDef[];
    expect(defsByCategory(fake).map((g) => g.category)).toEqual(['traffic', 'compute', 'quantum']);
  });
  it('refuses edges the validator would refuse', () => {
    const doc = { ...emptyDoc(), nodes: [{ id: 'c', type: 'client' }, { id: 's', type: 'server' }, { id: 'd', type: 'database' }], edges: [{ from: 'c', to: 's' }] };
    expect(connectProblem(doc, 's', 'd')).toBeNull();
    expect(connectProblem(doc, 'c', 's')).toMatch(/already an edge/);
    expect(connectProblem(doc, 's', 'c')).toMatch(/nothing can send requests to a client/);
    expect(connectProblem(doc, 'd', 's')).toMatch(/database does not send/);
    expect(connectProblem(doc, 's', 's')).toMatch(/itself/);
  });
});

describe('exports', () => {
  it('writes every series as a CSV column, windows as rows', () => {
    const series = {
      windowSeconds: 1,
      t: [1, 2],
      endToEnd: { okPerSec: [10, 12], latencyMs: { p99: [3.5, null] } },
      nodes: { 'api,1': { utilization: [0.5, 0.25] } },
      edges: {},
    } as unknown as Series;
    expect(seriesToCsv(series)).toBe('t_seconds,endToEnd.okPerSec,endToEnd.latencyMs.p99,"nodes.api,1.utilization"\n1,10,3.5,0.5\n2,12,,0.25\n');
    expect(safeName('my scenario / v2')).toBe('my-scenario-v2');
  });

  it('writes each client’s own series too, after end to end and before the nodes', () => {
    const series = {
      windowSeconds: 1,
      t: [1, 2],
      endToEnd: { okPerSec: [30, 32] },
      clients: { web: { okPerSec: [10, 12], latencyMs: { p99: [4, 5] } }, mobile: { okPerSec: [20, 20], latencyMs: { p99: [7, null] } } },
      nodes: { api: { utilization: [0.5, 0.25] } },
      edges: { 'web->api': { sentPerSec: [10, 12] } },
    } as unknown as Series;
    expect(seriesToCsv(series).split('\n')).toEqual([
      't_seconds,endToEnd.okPerSec,clients.web.okPerSec,clients.web.latencyMs.p99,clients.mobile.okPerSec,clients.mobile.latencyMs.p99,nodes.api.utilization,edges.web->api.sentPerSec',
      '1,30,10,4,20,7,0.5,10',
      '2,32,12,5,20,,0.25,12',
      '',
    ]);
  });
});

describe('scenario catalogue', () => {
  it('lists every file in scenarios/ with its name, laid out when valid', () => {
    const files = readdirSync(new URL('../../scenarios/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
    expect(examples().map((e) => e.file)).toEqual(files);
    for (const e of examples()) {
      expect(e.name.length).toBeGreaterThan(0);
      if (e.doc) expect(Object.keys(e.doc.layout).sort()).toEqual(e.doc.nodes.map((n) => n.id).sort());
    }
  });
  it('marks an invalid file instead of failing', () => {
    const e = toExample('bad.json', { version: 1, name: 'bad', nodes: [{ id: 'x', type: 'nope' }] });
    expect(e.doc).toBeNull();
    expect(e.issues[0]!.path).toBe('nodes[0].type');
  });
});

describe('architecture', () => {
  it('reaches the engine only through ui/sim/client.ts (and the worker)', () => {
    const root = new URL('../../ui/', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(f)) files.push(p);
      }
    };
    walk(root);
    const rel = (f: string) => relative(root, f);
    // runtime imports: the client (main thread) and the workers (live runs, replications); type-only imports: the message protocol too
    const runtime = files.filter((f) => /^(?:import|export) (?!type)[^;]*from ['"][./]*\/engine\//m.test(readFileSync(f, 'utf8'))).map(rel).sort();
    const any = files.filter((f) => /from ['"][./]*\/engine\//.test(readFileSync(f, 'utf8'))).map(rel).sort();
    expect(runtime).toEqual(['sim/client.ts', 'sim/seedsWorker.ts', 'sim/worker.ts']);
    expect(any).toEqual(['sim/client.ts', 'sim/protocol.ts', 'sim/seedsWorker.ts', 'sim/worker.ts']);
    expect(files.length).toBeGreaterThan(30);
  });
});
