import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenario, type Report } from '../../engine/index.ts';
import { Runner } from '../../ui/sim/worker.ts';
import type { FromWorker } from '../../ui/sim/protocol.ts';
import { createRunStore } from '../../ui/store/run.ts';
import type { Doc } from '../../ui/store/doc.ts';
import { change, compareReports, type CompareRow } from '../../ui/run/compare.ts';

const mm1 = JSON.parse(readFileSync(new URL('../../scenarios/mm1.json', import.meta.url), 'utf8'));
const short = { ...mm1, duration: '20s', warmup: '2s' };

function report(raw: unknown): Report {
  const p = parseScenario(raw);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  const sim = createSimulation(p.scenario);
  sim.runToEnd();
  return buildReport(sim, { series: false });
}

const withWorkers = (w: number) => ({ ...short, nodes: short.nodes.map((n: Record<string, unknown>) => (n.type === 'server' ? { ...n, workers: w } : n)) });
const find = (rows: CompareRow[], scope: string, metric: string) => rows.find((r) => r.scope === scope && r.metric === metric)!;

describe('comparing a run with a baseline', () => {
  it('reads both sides straight from the reports and judges each change by its direction', () => {
    const one = report(withWorkers(1));
    const two = report(withWorkers(2));
    const rows = compareReports(one, two);
    const p99 = find(rows, 'end to end', 'p99');
    expect(p99.base).toBe(one.endToEnd.latencyMs.p99);
    expect(p99.cur).toBe(two.endToEnd.latencyMs.p99);
    // a second worker at ρ = 0.9 cuts the tail: lower is better
    expect(change(p99).verdict).toBe('better');
    expect(change(p99).rel!).toBeLessThan(-0.5);
    const util = find(rows, 'api', 'utilisation');
    expect(util.base).toBeCloseTo(one.nodes.api!.utilization! * 100, 9);
    expect(change(util).verdict).toBeNull(); // utilisation has no better direction
    // the other way round is a regression
    expect(change(find(compareReports(two, one), 'end to end', 'p99')).verdict).toBe('worse');
  });

  it('shows no change for the same run, and nodes on one side only', () => {
    const a = report(short);
    for (const r of compareReports(a, a)) expect(change(r)).toEqual({ diff: 0, rel: 0, verdict: null });
    const renamed = {
      ...short,
      nodes: short.nodes.map((n: Record<string, unknown>) => (n.type === 'server' ? { ...n, id: 'api2' } : n)),
      edges: short.edges.map((e: Record<string, unknown>) => ({ ...e, to: 'api2' })),
    };
    const rows = compareReports(a, report(renamed));
    const gone = rows.filter((r) => r.scope === 'api');
    const added = rows.filter((r) => r.scope === 'api2');
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((r) => r.cur === null && r.base !== null)).toBe(true);
    expect(added.every((r) => r.base === null && r.cur !== null)).toBe(true);
    expect(change(gone[0]!)).toEqual({ diff: null, rel: null, verdict: null });
    // rows of the current run's nodes come first, then nodes only the baseline had
    expect(rows.findIndex((r) => r.scope === 'api2')).toBeLessThan(rows.findIndex((r) => r.scope === 'api'));
  });

  it('a relative change needs a non-zero baseline', () => {
    expect(change({ scope: 'x', metric: 'failed', unit: '', base: 0, cur: 5, better: 'lower' })).toEqual({ diff: 5, rel: null, verdict: 'worse' });
    expect(change({ scope: 'x', metric: 'hit ratio', unit: '%', base: 50, cur: 60, better: 'higher' })).toEqual({ diff: 10, rel: 0.2, verdict: 'better' });
  });
});

describe('the run store keeps a baseline', () => {
  /** A fake client that runs the scenario to the end at once and posts what the worker would. */
  function store() {
    let runId = 0;
    return createRunStore((listener: (m: FromWorker) => void) => ({
      start(doc: unknown) {
        const id = ++runId;
        const { layout: _layout, ...raw } = doc as Doc;
        const r = Runner.create(raw, { speed: 'max', paused: false }, 0);
        if (!r.ok) throw new Error('invalid');
        listener({ type: 'started', runId: id, info: r.runner.info });
        while (r.runner.slice(() => 0, 1e9) !== 'done');
        listener(r.runner.update(id));
        listener({ type: 'done', runId: id, report: r.runner.report(), wallMs: 1 });
        return id;
      },
      pause() {},
      resume() {},
      step() {},
      setSpeed() {},
      stop() {},
    }));
  }
  const doc = (raw: Record<string, unknown>): Doc => ({ ...(raw as unknown as Doc), faults: [], layout: {} });

  it('keeps a finished run through later runs and resets, until cleared', () => {
    const s = store();
    s.getState().keepBaseline();
    expect(s.getState().baseline).toBeNull(); // nothing to keep yet
    s.getState().run(doc(withWorkers(1)), 'max');
    expect(s.getState().status).toBe('done');
    const first = s.getState().report!;
    s.getState().keepBaseline();
    expect(s.getState().baseline?.report).toBe(first);
    expect(s.getState().baseline?.seed).toBe(first.seed);
    expect(s.getState().baseline?.series.t.length).toBeGreaterThan(0);

    s.getState().run(doc(withWorkers(2)), 'max');
    expect(s.getState().report).not.toBe(first);
    expect(s.getState().baseline?.report).toBe(first);
    // the baseline's series is its own: the new run did not extend it
    expect(s.getState().baseline?.series).not.toBe(s.getState().series);
    expect(s.getState().baseline?.series.t).toEqual(first.series!.t);
    s.getState().reset();
    expect(s.getState().report).toBeNull();
    expect(s.getState().baseline?.report).toBe(first);
    s.getState().clearBaseline();
    expect(s.getState().baseline).toBeNull();
  });
});
