/**
 * The metastable retry storm of ground truth §6.3, from scenarios/metastable-retry-storm.json:
 * μ = 100/s, λ = 50/s, τ = 1 s, R = 3 immediate retries, a 20 s trigger (capacity cut to a
 * third: halving it only reaches ρ = 1, where the backlog wanders and may not pass
 * μτ = 100 in 20 s). Qualitative outcome, on three seeds: with retries the overload
 * outlives the trigger; without retries, or within a 20% retry budget, it recovers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenario, type Report } from '../../engine/index.ts';

const raw = JSON.parse(readFileSync(new URL('../../scenarios/metastable-retry-storm.json', import.meta.url), 'utf8')) as {
  nodes: Array<Record<string, any>>;
  faults: Array<Record<string, any>>;
};

function runRaw(s: unknown, seed: number): Report {
  const p = parseScenario(s);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  const sim = createSimulation(p.scenario, { seed });
  sim.runToEnd();
  return buildReport(sim);
}

/** Successful requests of a client over the last 60 s (12 windows of 5 s). */
const lastMinuteOk = (r: Report, client: string) =>
  r.series!.clients[client]!.okPerSec.slice(-12).reduce((a, b) => a + b * r.series!.windowSeconds, 0);
const queueAt = (r: Report, server: string, i: number) => r.series!.nodes[server]!.queueLength.max.at(i)!;

describe('a metastable retry storm (μ=100/s, λ=50/s, τ=1 s, R=3, 20 s trigger)', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: with retries it never recovers; without retries or with a budget it does`, () => {
      const r = runRaw(raw, seed);
      // collapsed: no goodput at all in the last minute, and the backlog still growing
      expect(lastMinuteOk(r, 'clients_retries')).toBe(0);
      expect(queueAt(r, 'server_retries', -1)).toBeGreaterThan(queueAt(r, 'server_retries', -13));
      // recovered: every arrival of the last minute served; arrivals are Poisson(50 × 60),
      // so the count is within 4 sd (4·√3000 ≈ 219) of 3000
      for (const c of ['clients_noretry', 'clients_budget']) expect(Math.abs(lastMinuteOk(r, c) - 3000)).toBeLessThan(4 * Math.sqrt(3000));
      expect(queueAt(r, 'server_noretry', -1)).toBeLessThan(100);
      expect(queueAt(r, 'server_budget', -1)).toBeLessThan(100);
    });
  }

  it('at λ = 20/s the same retries cannot sustain the collapse (20 × 4 = 80 < 100): it recovers', () => {
    // a stronger trigger (capacity ÷10) so that even 20/s builds a backlog past μτ
    const s = {
      ...raw,
      nodes: raw.nodes.map((n) => (n.id === 'clients_retries' ? { ...n, arrival: { process: 'poisson', rate: 20 } } : n)),
      faults: raw.faults.map((f) => (f.node === 'server_retries' ? { ...f, factor: 10 } : f)),
    };
    const r = runRaw(s, 1);
    expect(Math.max(...r.series!.nodes.server_retries!.queueLength.max)).toBeGreaterThan(100);
    expect(Math.abs(lastMinuteOk(r, 'clients_retries') - 1200)).toBeLessThan(4 * Math.sqrt(1200));
  });
});
