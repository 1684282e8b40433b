/**
 * The CLI as a user runs it: output, exit codes, JSON shape, traces, replications.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const sim = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/sim.ts'), ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'archsim-cli-'));
const file = (name: string, obj: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return p;
};
const small = file('small.json', {
  version: 1,
  name: 'small',
  seed: 3,
  duration: '5s',
  nodes: [
    { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 200 } },
    { id: 'api', type: 'server', workers: 2, queue: 5, service: { dist: 'exponential', mean: '8ms' } },
  ],
  edges: [{ from: 'users', to: 'api', latency: '1ms' }],
});

describe('archsim CLI', () => {
  it('run prints a per-node table and exits 0', () => {
    const r = sim('run', small);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^small {2}seed 3 {2}fingerprint [0-9a-f]{16}/);
    expect(r.stdout).toMatch(/\napi +server +[\d,]+ +[\d,]+/);
  });

  it('run --json gives the documented report, and the same seed the same fingerprint', () => {
    const a = JSON.parse(sim('run', small, '--json').stdout);
    for (const k of ['scenario', 'seed', 'fingerprint', 'events', 'simulatedSeconds', 'wallSeconds', 'endToEnd', 'nodes', 'series']) expect(a).toHaveProperty(k);
    expect(Object.keys(a.endToEnd)).toEqual(expect.arrayContaining(['sent', 'ok', 'failed', 'throughputPerSec', 'latencyMs']));
    expect(Object.keys(a.endToEnd.latencyMs)).toEqual(expect.arrayContaining(['mean', 'p50', 'p90', 'p99', 'p999', 'max']));
    expect(Object.keys(a.nodes.api)).toEqual(expect.arrayContaining(['type', 'arrivals', 'completed', 'rejected', 'utilization', 'queueLength', 'latencyMs']));
    expect(a.series.t.length).toBe(5);
    const b = JSON.parse(sim('run', small, '--json').stdout);
    expect(b.fingerprint).toBe(a.fingerprint);
    const c = JSON.parse(sim('run', small, '--json', '--seed', '4', '--duration', '2s').stdout);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(c.seed).toBe(4);
    expect(c.simulatedSeconds).toBe(2);
  });

  it('--trace writes one JSON line per finished request', () => {
    const t = join(dir, 'trace.jsonl');
    const rep = JSON.parse(sim('run', small, '--json', '--trace', t).stdout);
    const lines = readFileSync(t, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(rep.endToEnd.ok + rep.endToEnd.failedTotal);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(['id', 'client', 'ip', 'user', 'key', 'sentAtMs', 'status', 'latencyMs', 'path']));
    expect(lines[0].path).toEqual(['users', 'api']);
    expect(lines[0].ip).toMatch(/^11\.225\.\d+\.\d+$/); // the /16 block hashed from the client id "users"
    expect(lines[0].user).toMatch(/^users\/u\d+$/); // a generated user, named as reports name it
  });

  it('--trace gives back the names a replayed trace used for users and keys', () => {
    const replay = file('replay.json', {
      version: 1,
      name: 'replay',
      duration: '1s',
      nodes: [
        {
          id: 'logs',
          type: 'client',
          arrival: {
            process: 'trace',
            requests: [
              { at: '0ms', user: 'alice', key: 'k1', ip: '10.0.0.7' },
              { at: '10ms', user: 'bob', key: 'k2', kind: 'write' },
              { at: '20ms', user: 42, key: 7 },
            ],
          },
          writeFraction: 0,
        },
        { id: 'api', type: 'server', service: '1ms' },
      ],
      edges: [{ from: 'logs', to: 'api' }],
    });
    const t = join(dir, 'replay.jsonl');
    expect(sim('run', replay, '--json', '--trace', t).status).toBe(0);
    const lines = readFileSync(t, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.user, l.key, l.kind])).toEqual([
      ['alice', 'k1', 'read'],
      ['bob', 'k2', 'write'],
      [42, 7, 'read'],
    ]);
    expect(lines[0].ip).toBe('10.0.0.7');
  });

  it('--replications gives means with 95% confidence intervals', () => {
    const r = JSON.parse(sim('run', small, '--json', '--replications', '4').stdout);
    expect(r.replications).toBe(4);
    expect(new Set(r.runs.map((x: { fingerprint: string }) => x.fingerprint)).size).toBe(4);
    const m = r.metrics['endToEnd.latencyMs.p99'];
    expect(m.ci95[0]).toBeLessThan(m.mean);
    expect(m.ci95[1]).toBeGreaterThan(m.mean);
    const text = sim('run', small, '--replications', '3').stdout;
    expect(text).toMatch(/endToEnd\.latencyMs\.p99/);
  });

  it('validate prints "ok", or every problem with its path and exits 2', () => {
    expect(sim('validate', small).stdout).toBe('ok\n');
    const bad = file('bad.json', { version: 1, name: 'b', nodes: [{ id: 'c', type: 'client', timeout: 'soon' }, { id: 's', type: 'sever' }] });
    const r = sim('validate', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nodes[0].timeout: "soon" is not a duration');
    expect(r.stderr).toContain('nodes[1].type: unknown component type "sever" (did you mean "server"?)');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('bad input exits 2 with a readable message, never a stack trace', () => {
    const warm = file('warm.json', { ...JSON.parse(readFileSync(small, 'utf8')), warmup: '2s' });
    for (const args of [['run', join(dir, 'missing.json')], ['run', file('broken.json', '{"version": 1,')], ['run', small, '--seed'], ['run', small, '--duration', 'soon'], ['run', small, '--duration', '31d'], ['run', warm, '--duration', '2s'], ['frobnicate'], ['run']]) {
      const r = sim(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('a run stopped by a guard exits 3 with the reason', () => {
    const loop = file('loop.json', {
      version: 1,
      name: 'loop',
      nodes: [{ id: 'c', type: 'client' }, { id: 'a', type: 'server' }, { id: 'b', type: 'server' }],
      edges: [{ from: 'c', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }],
    });
    const r = sim('run', loop);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/STOPPED at .*routing loop/);
  });

  it('a closed loop that takes no time is flagged by validate and stopped by the stall guard (exit 3), not left to spin', () => {
    const spin = file('spin.json', {
      version: 1,
      name: 'spin',
      limits: { maxEventsAtOneInstant: 50_000 },
      nodes: [{ id: 'users', type: 'client', arrival: { process: 'closed', users: 10, think: 0 } }, { id: 'api', type: 'server', service: 0 }],
      edges: [{ from: 'users', to: 'api' }],
    });
    const v = sim('validate', spin);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe('ok\n');
    expect(v.stderr).toContain('nodes[0].arrival.think: "users" is a closed loop with zero think time');
    const r = sim('run', spin, '--json');
    expect(r.status).toBe(3);
    const rep = JSON.parse(r.stdout);
    expect(rep.stopped).toMatchObject({ code: 'stalled', atSeconds: 0 });
    expect(rep.events).toBe(50_000);
    expect(rep.endToEnd.throughputPerSec).toBeNull(); // no measured time: no rate (NaN in the engine)
    expect(r.stderr).toMatch(/stopped: simulated time stopped advancing/);
  });

  it('compare runs paired replications and flags the differences whose interval excludes 0', () => {
    const b = file('small-b.json', { ...JSON.parse(readFileSync(small, 'utf8')), name: 'small, 3 workers', nodes: [
      { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 200 } },
      { id: 'api', type: 'server', workers: 3, queue: 5, service: { dist: 'exponential', mean: '8ms' } },
    ] });
    const r = sim('compare', small, b, '--replications', '5', '--json');
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.replications).toBe(5);
    expect(c.metrics['nodes.api.utilization'].significant).toBe(true);
    expect(c.metrics['endToEnd.latencyMs.mean'].diff).toBeLessThan(0);
    expect(c.metrics['endToEnd.latencyMs.mean'].significant).toBe(true);
    expect(sim('compare', small).status).toBe(2);
  });

  it('npm run schema prints a JSON Schema', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'cli/schema.ts')], { encoding: 'utf8' });
    expect(JSON.parse(out).title).toBe('archsim scenario');
  });
});
