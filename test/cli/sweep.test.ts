/**
 * `sim sweep`: parsing --param paths and values, the grid, setting values in a scenario,
 * validation per point, and sweeps run from the command line (an M/M/1 queue against
 * queueing theory, determinism, guard stops).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPoint,
  applyValue,
  checkParams,
  checkSize,
  chooseMetrics,
  expandGrid,
  formatCI,
  parseParam,
  parseValues,
  prepareSweep,
  resolvePath,
  SweepError,
  sweepCsv,
  type SweepResult,
} from '../../cli/sweep.ts';

const root = join(import.meta.dirname, '../..');
const sim = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/sim.ts'), ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'archsim-sweep-'));
const file = (name: string, obj: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(obj));
  return p;
};

/** M/M/1: Poisson arrivals, one worker, exponential service with mean 1 ms (μ = 1000/s). */
const mm1 = () => ({
  version: 1,
  name: 'mm1',
  seed: 7,
  duration: '30s',
  warmup: '2s',
  nodes: [
    { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 100 } },
    { id: 'api', type: 'server', workers: 1, queue: 100000, service: { dist: 'exponential', mean: '1ms' } },
  ],
  edges: [{ from: 'users', to: 'api', latency: '0ms' }],
});

/** A client, a load balancer and two servers whose ids contain dots. */
const dotted = () => ({
  version: 1,
  name: 'dotted',
  duration: '5s',
  nodes: [
    { id: 'users', type: 'client' },
    { id: 'lb', type: 'loadBalancer' },
    { id: 'app', type: 'server', workers: 2 },
    { id: 'app.v2', type: 'server' },
  ],
  edges: [
    { from: 'users', to: 'lb' },
    { from: 'lb', to: 'app' },
    { from: 'lb', to: 'app.v2', latency: '2ms' },
  ],
});

const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SweepError);
    return (e as Error).message;
  }
  throw new Error('expected a SweepError');
};

describe('sweep: values', () => {
  it('a comma list keeps numbers as numbers and strings with units as strings', () => {
    expect(parseValues('1,2,4,8')).toEqual([1, 2, 4, 8]);
    expect(parseValues('0.5, 1e3, -2')).toEqual([0.5, 1000, -2]);
    expect(parseValues('2ms,5ms')).toEqual(['2ms', '5ms']);
    expect(parseValues('300r/m,10r/s')).toEqual(['300r/m', '10r/s']);
    expect(parseValues('roundRobin,leastConnections')).toEqual(['roundRobin', 'leastConnections']);
    expect(parseValues('true,false')).toEqual([true, false]);
  });

  it('a range start..end:step includes the end when a step lands on it, without float noise', () => {
    expect(parseValues('1..10:3')).toEqual([1, 4, 7, 10]);
    expect(parseValues('1..9:3')).toEqual([1, 4, 7]);
    expect(parseValues('5..5:1')).toEqual([5]);
    expect(parseValues('0.1..0.5:0.1')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseValues('0..1:0.1')).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(parseValues('-0.3..0.3:0.1')).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(parseValues('0.005..0.02:0.005')).toEqual([0.005, 0.01, 0.015, 0.02]);
    expect(parseValues('2ms..10ms:4ms')).toEqual(['2ms', '6ms', '10ms']);
    expect(parseValues('0.5ms..1.5ms:0.5')).toEqual(['0.5ms', '1ms', '1.5ms']);
    expect(parseValues('1,10..30:10,100')).toEqual([1, 10, 20, 30, 100]);
    for (const v of parseValues('0..19:0.1')) expect(String(v)).toMatch(/^\d+(\.\d)?$/);
  });

  it('bad lists and ranges are errors that say what is wrong', () => {
    expect(err(() => parseValues('1..10:0', 'nodes.api.workers'))).toBe('--param nodes.api.workers: the range "1..10:0" needs a step greater than 0');
    expect(err(() => parseValues('1..10:-1'))).toContain('needs a step greater than 0');
    expect(err(() => parseValues('1..10'))).toContain('needs a step: 1..10:<step>');
    expect(err(() => parseValues('10..1:1'))).toContain('ends below its start');
    expect(err(() => parseValues('1..x:1'))).toContain('is not a range');
    expect(err(() => parseValues('1ms..10s:1ms'))).toContain('mixes units');
    expect(err(() => parseValues('1..1000:1'))).toContain('has 1000 values; a sweep has at most 200 points');
    expect(err(() => parseValues('1,,2'))).toContain('an empty value');
    expect(err(() => parseValues('1,2,1'))).toContain('1 is listed twice');
    expect(err(() => parseValues(' '))).toContain('no values');
  });

  it('--param is <path>=<values>', () => {
    expect(parseParam('nodes.api.workers=1,2,4')).toEqual({ path: 'nodes.api.workers', values: [1, 2, 4] });
    expect(parseParam('edges.users->api.latency=1ms..3ms:1ms')).toEqual({ path: 'edges.users->api.latency', values: ['1ms', '2ms', '3ms'] });
    expect(err(() => parseParam('nodes.api.workers'))).toContain('expected <path>=<values>');
    expect(err(() => parseParam('=1,2'))).toContain('no path before "="');
    expect(err(() => parseParam('nodes.api.workers='))).toContain('no values');
  });
});

describe('sweep: grid', () => {
  it('expands the cartesian product, the first --param varying slowest', () => {
    const grid = expandGrid([
      { path: 'a', values: [1, 2] },
      { path: 'b', values: ['x', 'y', 'z'] },
    ]);
    expect(grid).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
    expect(Object.keys(grid[0]!)).toEqual(['a', 'b']);
  });

  it('caps points and runs, saying how to reduce them', () => {
    const p = (n: number) => ({ path: `p${n}`, values: Array.from({ length: n }, (_, i) => i) });
    expect(() => checkSize([p(20), p(10)], 10)).not.toThrow();
    expect(err(() => checkSize([p(20), p(11)], 1))).toBe(
      'the sweep has 220 points (20 × 11 values); at most 200: use fewer values, a larger range step or fewer --param flags',
    );
    expect(err(() => checkSize([p(100)], 25))).toBe('the sweep needs 2,500 runs (100 points × 25 replications); at most 2000: use fewer --replications or fewer points');
    expect(err(() => prepareSweep(mm1(), [p(15), p(15)].map((x, i) => ({ ...x, path: ['nodes.api.workers', 'nodes.api.queue'][i]! })), { replications: 5 }))).toContain(
      'the sweep has 225 points',
    );
  });
});

describe('sweep: paths', () => {
  it('resolves nodes by id, edges by from->to, and top-level fields', () => {
    expect(resolvePath(mm1(), 'nodes.api.workers')).toMatchObject({ kind: 'node', owner: 'api', index: 1, field: ['workers'] });
    expect(resolvePath(mm1(), 'nodes.users.arrival.rate')).toMatchObject({ kind: 'node', owner: 'users', index: 0, field: ['arrival', 'rate'] });
    expect(resolvePath(mm1(), 'edges.users->api.latency')).toMatchObject({ kind: 'edge', owner: 'users->api', index: 0, field: ['latency'] });
    expect(resolvePath(mm1(), 'warmup')).toMatchObject({ kind: 'top', field: ['warmup'] });
    expect(resolvePath(mm1(), 'limits.maxEvents')).toMatchObject({ kind: 'top', field: ['limits', 'maxEvents'] });
    // ids with dots: the longest id that fits
    expect(resolvePath(dotted(), 'nodes.app.v2.workers')).toMatchObject({ owner: 'app.v2', field: ['workers'] });
    expect(resolvePath(dotted(), 'nodes.app.workers')).toMatchObject({ owner: 'app', field: ['workers'] });
    expect(resolvePath(dotted(), 'edges.lb->app.v2.latency')).toMatchObject({ owner: 'lb->app.v2', field: ['latency'] });
  });

  it('an unknown node or edge is an error naming it', () => {
    expect(err(() => resolvePath(mm1(), 'nodes.apx.workers'))).toBe('--param nodes.apx.workers: no node with id "apx" (did you mean "api"?); the nodes are users, api');
    expect(err(() => resolvePath(mm1(), 'nodes.db.connections'))).toBe('--param nodes.db.connections: no node with id "db"; the nodes are users, api');
    expect(err(() => resolvePath(mm1(), 'edges.users->apx.latency'))).toBe(
      '--param edges.users->apx.latency: no edge "users->apx" (did you mean "users->api"?); the edges are users->api',
    );
    expect(err(() => resolvePath(mm1(), 'edges.api->users.latency'))).toContain('no edge "api->users"');
    expect(err(() => resolvePath(mm1(), 'edges.users.latency'))).toContain('name an edge by its ends, edges.<from>-><to>.<field>');
    expect(err(() => resolvePath(mm1(), 'nodes.api'))).toContain('name a field of the node');
    expect(err(() => resolvePath(mm1(), 'nodes.api.id'))).toContain("a node's id cannot be swept");
    expect(err(() => resolvePath(mm1(), 'warmpu'))).toContain('"warmpu" is not a node, an edge or a top-level field (did you mean "warmup"?)');
    expect(err(() => resolvePath(mm1(), 'seed'))).toContain('--seed');
    expect(err(() => resolvePath(mm1(), 'nodes..workers'))).toContain('no node with id ""');
    expect(err(() => resolvePath(mm1(), 'nodes.api.service..mean'))).toContain('a field name is empty');
    expect(err(() => resolvePath(mm1(), 'nodes.api.__proto__.x'))).toContain('"__proto__" is not a field');
    expect(err(() => resolvePath(mm1(), 'nodes.api.service.mean.x'))).toBe('--param nodes.api.service.mean.x: nodes.api.service.mean is "1ms", not an object; sweep nodes.api.service.mean itself');
  });

  it('refuses the same field twice, or a field and a field inside it', () => {
    const p = (path: string) => ({ path, values: [1] });
    expect(err(() => checkParams(mm1(), [p('nodes.api.workers'), p('nodes.api.workers')]))).toBe('--param nodes.api.workers is given twice');
    expect(err(() => checkParams(mm1(), [p('nodes.api.service'), p('nodes.api.service.mean')]))).toContain('set the same field');
    expect(checkParams(mm1(), [p('nodes.api.service.mean'), p('nodes.api.service.dist')])).toHaveLength(2);
  });
});

describe('sweep: applying values', () => {
  it('sets values in a copy and leaves the base scenario as it was', () => {
    const base = mm1();
    const before = structuredClone(base);
    const a = applyPoint(base, { 'nodes.api.workers': 4, 'nodes.users.arrival.rate': 600, 'edges.users->api.latency': '2ms', warmup: '1s' });
    expect(base).toEqual(before);
    expect(a.nodes).not.toBe(base.nodes);
    expect((a.nodes as any)[1].workers).toBe(4);
    expect((a.nodes as any)[1].service).toEqual({ dist: 'exponential', mean: '1ms' });
    expect((a.nodes as any)[0].arrival).toEqual({ process: 'poisson', rate: 600 });
    expect((a.edges as any)[0].latency).toBe('2ms');
    expect(a.warmup).toBe('1s');
    const b = applyValue(base, 'nodes.api.service.mean', '2ms');
    expect((b.nodes as any)[1].service).toEqual({ dist: 'exponential', mean: '2ms' });
    expect(base).toEqual(before);
  });

  it('creates fields that are absent, and the validator decides whether the node type has them', () => {
    const base = mm1();
    const a = applyValue(base, 'nodes.api.queueTimeout', '50ms');
    expect((a.nodes as any)[1].queueTimeout).toBe('50ms');
    expect(base.nodes[1]).not.toHaveProperty('queueTimeout');
    const c = applyValue(base, 'limits.maxEvents', 5000);
    expect(c.limits).toEqual({ maxEvents: 5000 });
    expect(base).not.toHaveProperty('limits');
    const ok = prepareSweep(base, [{ path: 'nodes.api.queueTimeout', values: ['50ms', '100ms'] }], { replications: 5 });
    expect(ok.problems).toEqual([]);
    expect(ok.points.map((p) => p.scenario.nodes[1]!.params.queueTimeout)).toEqual([50_000, 100_000]);
    const bad = prepareSweep(base, [{ path: 'nodes.api.wrokers', values: [2] }], { replications: 5 });
    expect(bad.problems).toEqual([expect.stringMatching(/^nodes\.api\.wrokers=2: nodes\[1\]\.wrokers: unknown field "wrokers" \(did you mean "workers"\?\)/)]);
  });

  it('reports every validation error with its point', () => {
    const r = prepareSweep(
      mm1(),
      [
        { path: 'nodes.api.workers', values: [0, 1] },
        { path: 'nodes.api.service.mean', values: ['1ms', '2 mss'] },
      ],
      { replications: 5 },
    );
    expect(r.points.map((p) => p.values)).toEqual([{ 'nodes.api.workers': 1, 'nodes.api.service.mean': '1ms' }]);
    expect(r.problems).toEqual([
      'nodes.api.workers=0, nodes.api.service.mean=1ms: nodes[1].workers: must be at least 1',
      'nodes.api.workers=0, nodes.api.service.mean=2 mss: nodes[1].workers: must be at least 1',
      expect.stringMatching(/^nodes\.api\.workers=0, nodes\.api\.service\.mean=2 mss: nodes\[1\]\.service\.mean: "2 mss" is not a duration/),
      expect.stringMatching(/^nodes\.api\.workers=1, nodes\.api\.service\.mean=2 mss: nodes\[1\]\.service\.mean: "2 mss" is not a duration/),
    ]);
    const w = prepareSweep(mm1(), [{ path: 'warmup', values: ['1s', '40s'] }], { replications: 5 });
    expect(w.problems).toEqual(['warmup=40s: warmup: must be shorter than the duration (30s)']);
    const d = prepareSweep(mm1(), [{ path: 'warmup', values: ['1s', '3s'] }], { replications: 5, duration: 2_500_000 });
    expect(d.problems).toEqual(['warmup=3s: --duration 2.5s must be longer than the warm-up (3s)']);
  });
});

describe('sweep: metrics and output', () => {
  const available = ['endToEnd.throughputPerSec', 'endToEnd.successRatio', 'endToEnd.latencyMs.mean', 'endToEnd.latencyMs.p50', 'endToEnd.latencyMs.p99', 'nodes.api.utilization', 'nodes.redis.hitRatio'];

  it('defaults to end-to-end numbers plus the swept nodes’ utilisation and ratios; --metric replaces them', () => {
    expect(chooseMetrics([], available, [])).toEqual(['endToEnd.throughputPerSec', 'endToEnd.successRatio', 'endToEnd.latencyMs.p50', 'endToEnd.latencyMs.p99']);
    expect(chooseMetrics([], available, ['api', 'users', 'redis']).slice(4)).toEqual(['nodes.api.utilization', 'nodes.redis.hitRatio']);
    expect(chooseMetrics(['endToEnd.latencyMs.mean', 'endToEnd.latencyMs.mean'], available, ['api'])).toEqual(['endToEnd.latencyMs.mean']);
    const m = err(() => chooseMetrics(['endToEnd.latencyMs.p5O'], available, []));
    expect(m).toContain('unknown metric "endToEnd.latencyMs.p5O" (did you mean "endToEnd.latencyMs.p50"?)');
    for (const name of available) expect(m).toContain(`\n  ${name}`);
  });

  it('formats a mean to the precision of its interval', () => {
    expect(formatCI(10.0312, 0.4123)).toBe('10.03 ± 0.41');
    expect(formatCI(845.12, 3.2)).toBe('845.1 ± 3.2');
    expect(formatCI(1234.5, 45)).toBe('1235 ± 45');
    expect(formatCI(1, 0)).toBe('1.00 ± 0');
    expect(formatCI(NaN, NaN)).toBe('-');
  });

  it('CSV has the path columns, then <metric> and <metric>.ci95 columns', () => {
    const s: SweepResult = {
      scenario: 's',
      baseSeed: 1,
      replications: 2,
      params: [{ path: 'edges.a->b.latency', values: ['1ms', '2,5ms'] }],
      metrics: ['endToEnd.latencyMs.p99'],
      points: [
        { values: { 'edges.a->b.latency': '1ms' }, metrics: { 'endToEnd.latencyMs.p99': { mean: 3.5, halfWidth: 0.25, ci95: [3.25, 3.75], n: 2 } }, runs: [], warnings: [] },
        {
          values: { 'edges.a->b.latency': '2,5ms' },
          metrics: { 'endToEnd.latencyMs.p99': { mean: NaN, halfWidth: NaN, ci95: [NaN, NaN], n: 0 } },
          runs: [{ seed: 1, fingerprint: 'f', stopped: 'event budget' }],
          warnings: [],
        },
      ],
    };
    expect(sweepCsv(s)).toBe('edges.a->b.latency,endToEnd.latencyMs.p99,endToEnd.latencyMs.p99.ci95,stopped\n1ms,3.5,0.25,0\n"2,5ms",,,1');
  });
});

describe('sweep from the command line', () => {
  it('M/M/1 over the arrival rate: mean latency rises with the rate and matches 1/(μ − λ); the same sweep gives the same fingerprints', () => {
    const f = file('mm1.json', mm1());
    const args = ['sweep', f, '--param', 'nodes.users.arrival.rate=300,600,800', '--metric', 'endToEnd.latencyMs.mean', '--metric', 'nodes.api.utilization', '--json'];
    const r = sim(...args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ scenario: 'mm1', baseSeed: 7, replications: 5, params: [{ path: 'nodes.users.arrival.rate', values: [300, 600, 800] }] });
    expect(s.points.map((p: any) => p.values)).toEqual([{ 'nodes.users.arrival.rate': 300 }, { 'nodes.users.arrival.rate': 600 }, { 'nodes.users.arrival.rate': 800 }]);
    const mean = s.points.map((p: any) => p.metrics['endToEnd.latencyMs.mean']);
    expect(mean[0].mean).toBeLessThan(mean[1].mean);
    expect(mean[1].mean).toBeLessThan(mean[2].mean);
    s.points.forEach((p: any, i: number) => {
      const lambda = [300, 600, 800][i]!;
      const w = 1000 / (1000 - lambda); // ms
      const m = p.metrics['endToEnd.latencyMs.mean'];
      expect(m.n).toBe(5);
      // The 95% interval should cover W; a fixed seed can miss by a little, and the
      // 28 s measured after a 2 s warm-up keeps a small start-up bias, so allow 2% of W
      // beyond the half-width (a wrong service rate or queue model is off by far more).
      expect(Math.abs(m.mean - w), `λ=${lambda}: ${m.mean} ± ${m.halfWidth} vs ${w}`).toBeLessThanOrEqual(m.halfWidth + 0.02 * w);
      expect(m.halfWidth).toBeLessThan(0.1 * w);
      expect(p.metrics['nodes.api.utilization'].mean).toBeCloseTo(lambda / 1000, 1);
      expect(p.runs.every((x: any) => x.stopped === null)).toBe(true);
    });
    // common random numbers: every point runs from the same seeds
    const seeds = s.points.map((p: any) => p.runs.map((x: any) => x.seed));
    expect(seeds[1]).toEqual(seeds[0]);
    expect(seeds[2]).toEqual(seeds[0]);
    // deterministic, whatever the number of worker threads
    const again = JSON.parse(sim(...args, '--parallel', '1').stdout);
    expect(again.points.map((p: any) => p.runs.map((x: any) => x.fingerprint))).toEqual(s.points.map((p: any) => p.runs.map((x: any) => x.fingerprint)));
    expect(again.points.map((p: any) => p.metrics)).toEqual(s.points.map((p: any) => p.metrics));
  });

  it('prints a table, and a CSV with --csv', () => {
    const f = file('short.json', { ...mm1(), duration: '3s', warmup: '0s' });
    const t = sim('sweep', f, '--param', 'nodes.api.workers=1,2', '--param', 'nodes.users.arrival.rate=300,600', '--replications', '3');
    expect(t.status).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('mm1: 4 points × 3 replications from seed 7, the same seeds at every point');
    expect(lines[3]).toMatch(/^nodes\.api\.workers {2}nodes\.users\.arrival\.rate {2}endToEnd\.throughputPerSec {2}endToEnd\.successRatio {2}endToEnd\.latencyMs\.p50 {2}endToEnd\.latencyMs\.p99 {2}nodes\.api\.utilization$/);
    expect(lines.slice(4).map((l) => l.trim().split(/\s{2,}/).slice(0, 2))).toEqual([['1', '300'], ['1', '600'], ['2', '300'], ['2', '600']]);
    expect(lines[4]).toMatch(/\d ± \d/);
    const c = sim('sweep', f, '--param', 'nodes.api.workers=1,2', '--replications', '2', '--metric', 'endToEnd.latencyMs.mean', '--csv');
    expect(c.status).toBe(0);
    const rows = c.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('nodes.api.workers,endToEnd.latencyMs.mean,endToEnd.latencyMs.mean.ci95,stopped');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['1', '2']);
    expect(rows[1]).toMatch(/^1,\d+(\.\d+)?,\d+(\.\d+)?,0$/);
  });

  it('a run stopped by a guard is marked in the table and in the JSON, and exits 3', () => {
    const f = file('guard.json', { ...mm1(), duration: '3s', warmup: '0s' });
    // 800 requests a second for 3 s take about 4,800 events
    const args = ['sweep', f, '--param', 'limits.maxEvents=2000,1000000', '--param', 'nodes.users.arrival.rate=800', '--replications', '2'];
    const t = sim(...args);
    expect(t.status).toBe(3);
    expect(t.stdout).toMatch(/\n +2000 .*! 2\/2 stopped\n/);
    expect(t.stdout).toMatch(/limits\.maxEvents=2000, nodes\.users\.arrival\.rate=800, seed \d+: stopped after 2000 events/);
    const j = sim(...args, '--json');
    expect(j.status).toBe(3);
    const s = JSON.parse(j.stdout);
    expect(s.points[0].runs.every((x: any) => /limits\.maxEvents/.test(x.stopped))).toBe(true);
    expect(s.points[1].runs.every((x: any) => x.stopped === null)).toBe(true);
  });

  it('bad sweeps exit 2 with a message, never a stack trace', () => {
    const f = file('mm1b.json', mm1());
    const cases: Array<[string[], string]> = [
      [['--param', 'nodes.apx.workers=1,2'], 'no node with id "apx" (did you mean "api"?)'],
      [['--param', 'edges.users->apx.latency=1ms'], 'no edge "users->apx"'],
      [['--param', 'nodes.api.workers=1..4:0'], 'needs a step greater than 0'],
      [['--param', 'nodes.api.workers=0,1'], '1 problem in the sweep:\n  nodes.api.workers=0: nodes[1].workers: must be at least 1\n'],
      [['--param', 'nodes.api.workers=1', '--metric', 'nope'], 'unknown metric "nope"'],
      [['--param', 'nodes.api.workers=1..100:1', '--replications', '30'], 'the sweep needs 3,000 runs'],
      [['--param', 'nodes.api.workers=1', '--json', '--csv'], '--json or --csv, not both'],
      [['--param', 'nodes.api.workers'], 'expected <path>=<values>'],
      [[], 'sweep needs at least one --param'],
    ];
    for (const [extra, message] of cases) {
      const r = sim('sweep', f, ...extra);
      expect(r.status, extra.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    expect(sim('run', f, '--param', 'nodes.api.workers=1').stderr).toContain('--param is an option of sweep');
  });
});
