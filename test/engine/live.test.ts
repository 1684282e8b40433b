import { describe, expect, it } from 'vitest';
import { buildReport, buildSeries, createSimulation, LiveProbe, seriesSince, timelineSince } from '../../engine/index.ts';
import { parse } from '../helpers.ts';

const threeTier = () =>
  parse({
    seed: 7,
    duration: '20s',
    window: '500ms',
    nodes: [
      { id: 'users', type: 'client', arrival: { process: 'poisson', rate: 400 }, timeout: '200ms' },
      { id: 'lb', type: 'loadBalancer' },
      { id: 'a', type: 'server', workers: 1, service: { dist: 'exponential', mean: '4ms' } },
      { id: 'b', type: 'server', workers: 1, queue: 2, service: { dist: 'exponential', mean: '6ms' } },
    ],
    edges: [
      { from: 'users', to: 'lb', latency: '1ms' },
      { from: 'lb', to: 'a' },
      { from: 'lb', to: 'b' },
    ],
    faults: [{ at: '5s', for: '3s', action: 'crash', node: 'b' }],
  });

describe('seriesSince', () => {
  it('concatenates, chunk by chunk, to exactly the report series', () => {
    const sim = createSimulation(threeTier());
    const chunks: ReturnType<typeof seriesSince>[] = [];
    let seen = 0;
    while (!sim.done) {
      sim.run(sim.now + 1_300_000, 5000);
      chunks.push(seriesSince(sim, seen));
      seen = sim.windows;
    }
    sim.finish();
    chunks.push(seriesSince(sim, seen));
    const full = buildSeries(sim);
    // concatenate every array leaf of the chunks in order
    const concat = (parts: unknown[]): unknown => {
      const first = parts[0];
      if (Array.isArray(first)) return parts.flatMap((p) => p as unknown[]);
      if (first !== null && typeof first === 'object') {
        return Object.fromEntries(Object.keys(first).map((k) => [k, concat(parts.map((p) => (p as Record<string, unknown>)[k]))]));
      }
      return first;
    };
    expect(concat(chunks)).toEqual(full);
    expect(full.t.length).toBe(40);
  });

  it('returns empty series when no window closed since `from`', () => {
    const sim = createSimulation(threeTier());
    sim.run(100_000);
    const s = seriesSince(sim, 0);
    expect(s.t).toEqual([]);
    expect(s.nodes.a!.utilization).toEqual([]);
  });
});

describe('LiveProbe', () => {
  it('reports gauges, whole-run counts and interval rates that agree with the report', () => {
    const sim = createSimulation(threeTier());
    const probe = new LiveProbe(sim);
    // events at exactly 2s (the window tick among them) run only with an `until` past 2s
    sim.run(2_000_000);
    expect(sim.windows).toBe(3);
    sim.run(2_000_001);
    const s1 = probe.snapshot();
    expect(s1.now).toBe(2_000_001);
    expect(s1.interval).toBe(2_000_001);
    expect(s1.windows).toBe(4);
    const users = s1.edges.find((e) => e.id === 'users->lb')!;
    expect(users.sentPerSec).toBeCloseTo(users.sent / 2.000001, 2);
    const a = s1.nodes.find((n) => n.id === 'a')!;
    expect(a.capacity).toBe(1);
    expect(a.utilization).toBeGreaterThan(0.3);
    expect(a.utilization).toBeLessThan(1);
    // the interval average equals the mean of the four closed windows (same integral)
    const series = seriesSince(sim, 0);
    const meanUtil = (series.nodes.a!.utilization as number[]).reduce((x, y) => x + y, 0) / 4;
    expect(a.utilization!).toBeCloseTo(meanUtil, 4);

    sim.run(6_000_000);
    const s2 = probe.snapshot();
    expect(s2.interval).toBe(3_999_999);
    const b = s2.nodes.find((n) => n.id === 'b')!;
    expect(b.up).toBe(false);
    const totals = sim.e2eSources.reduce((x, src) => x + src.totalSent, 0);
    expect(s2.endToEnd.sent).toBe(totals);
    expect(s2.endToEnd.failed).toBeGreaterThan(0);
    expect(s2.endToEnd.ok + s2.endToEnd.failed).toBeLessThanOrEqual(s2.endToEnd.sent);
    expect(s2.fingerprint).toBe(sim.fingerprint.hex());
  });

  it('measures rates over about the last window however often it is asked', () => {
    const sim = createSimulation(threeTier());
    const probe = new LiveProbe(sim, { span: 1_000_000 });
    const intervals: number[] = [];
    for (let t = 10_000; t <= 3_000_000; t += 10_000) {
      sim.run(t);
      const snap = probe.snapshot();
      if (t >= 1_000_000) intervals.push(snap.interval);
      else expect(snap.interval).toBe(t);
    }
    // at least a span, and at most a span plus one sampling step (span / 8, rounded up to the snapshot spacing)
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(1_000_000);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(1_000_000 + 130_000);
    const users = probe.snapshot().edges.find((e) => e.id === 'users->lb')!;
    expect(users.sentPerSec).toBeGreaterThan(300);
    expect(users.sentPerSec).toBeLessThan(500);
  });

  it('does not change the run: same fingerprint with and without snapshots', () => {
    const plain = createSimulation(threeTier());
    plain.runToEnd();
    const probed = createSimulation(threeTier());
    const probe = new LiveProbe(probed);
    while (!probed.done) {
      probed.run(Infinity, 997);
      probe.snapshot();
    }
    probed.finish();
    expect(probed.fingerprint.hex()).toBe(plain.fingerprint.hex());
    expect(buildReport(probed).endToEnd).toEqual(buildReport(plain).endToEnd);
  });
});

describe('timelineSince', () => {
  it('returns the new entries in the report form', () => {
    const sim = createSimulation(threeTier());
    sim.runToEnd();
    const all = timelineSince(sim, 0);
    expect(all).toEqual(buildReport(sim).timeline);
    expect(all.map((t) => t.text)).toContain('b crashed');
    expect(timelineSince(sim, all.length)).toEqual([]);
  });
});
