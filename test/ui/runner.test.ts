import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Runner } from '../../ui/sim/worker.ts';
import { buildReport, createSimulation, parseScenarioText } from '../../engine/index.ts';
import { appendSeries, startSeries } from '../../ui/store/series.ts';

const text = readFileSync(new URL('../../scenarios/mm1.json', import.meta.url), 'utf8');
const raw = JSON.parse(text);

function cliReport() {
  const p = parseScenarioText(text);
  if (!p.ok) throw new Error('mm1 invalid');
  const sim = createSimulation(p.scenario);
  sim.runToEnd();
  return buildReport(sim);
}

/** A fake clock that advances `msPerRead` every time it is read. */
function fakeClock(msPerRead: number) {
  let t = 0;
  const clock = () => (t += msPerRead);
  return { clock, set: (x: number) => (t = x), get: () => t };
}

describe('Runner (the worker loop)', () => {
  it('gives the CLI fingerprint, report and series however it is sliced', () => {
    const r = Runner.create(raw, { speed: 'max', paused: false }, 0);
    if (!r.ok) throw new Error('invalid');
    const { clock } = fakeClock(0.5);
    let acc = null as ReturnType<typeof startSeries> | null;
    let slices = 0;
    for (;;) {
      const res = r.runner.slice(clock, 3);
      const u = r.runner.update(1);
      acc = acc ? appendSeries(acc, u.series) : startSeries(u.series);
      slices++;
      if (res === 'done') break;
      expect(res).toBe('more');
    }
    expect(slices).toBeGreaterThan(3);
    const cli = cliReport();
    const mine = r.runner.report();
    expect(mine.fingerprint).toBe(cli.fingerprint);
    expect(mine.endToEnd).toEqual(cli.endToEnd);
    expect(mine.nodes).toEqual(cli.nodes);
    expect(acc).toEqual(cli.series);
  });

  it('reports validation problems instead of running', () => {
    const r = Runner.create({ ...raw, nodes: [raw.nodes[0]] }, { speed: 'max', paused: false }, 0);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual(['edges[0].to', 'nodes[0]']);
  });

  it('paces simulated time against wall time', () => {
    const r = Runner.create(raw, { speed: 2, paused: false }, 0);
    if (!r.ok) throw new Error('invalid');
    const c = fakeClock(0);
    c.set(500); // half a wall second at 2x: one simulated second
    expect(r.runner.slice(c.clock)).toBe('wait');
    expect(r.runner.sim.now).toBe(1_000_000);
    expect(r.runner.slice(c.clock)).toBe('wait'); // no wall time passed: nothing to do
    r.runner.setSpeed(0.001, 500);
    c.set(1500); // one wall second at 0.001x: one simulated millisecond
    r.runner.slice(c.clock);
    expect(r.runner.sim.now).toBe(1_001_000);
  });

  it('steps one metric window at a time and pauses', () => {
    const r = Runner.create(raw, { speed: 'max', paused: true }, 0);
    if (!r.ok) throw new Error('invalid');
    const { clock } = fakeClock(0.01);
    expect(r.runner.slice(clock)).toBe('paused');
    r.runner.step();
    expect(r.runner.slice(clock)).toBe('paused');
    expect(r.runner.sim.windows).toBe(1);
    r.runner.step();
    r.runner.slice(clock);
    expect(r.runner.sim.windows).toBe(2);
    expect(r.runner.update(1).paused).toBe(true);
    r.runner.resume(0);
    while (r.runner.slice(clock) !== 'done');
    expect(r.runner.report().fingerprint).toBe(cliReport().fingerprint);
  });

  it('stops at the event budget with a readable message', () => {
    const r = Runner.create({ ...raw, limits: { maxEvents: 5000 } }, { speed: 'max', paused: false }, 0);
    if (!r.ok) throw new Error('invalid');
    const { clock } = fakeClock(0.1);
    while (r.runner.slice(clock) !== 'done');
    const rep = r.runner.report();
    expect(rep.stopped?.code).toBe('max-events');
    expect(rep.stopped?.message).toMatch(/limits\.maxEvents/);
  });
});
