/** Every scenario in scenarios/ validates and runs (briefly) without tripping a guard. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenarioText } from '../engine/index.ts';

const dir = new URL('../scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('scenarios/', () => {
  it('has scenarios', () => expect(files.length).toBeGreaterThan(0));

  for (const f of files) {
    it(`${f} validates and runs for 2 s`, () => {
      const parsed = parseScenarioText(readFileSync(new URL(f, dir), 'utf8'));
      if (!parsed.ok) throw new Error(`${f}:\n` + parsed.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'));
      expect(parsed.scenario.name.length).toBeGreaterThan(0);
      expect(parsed.scenario.description?.length ?? 0).toBeGreaterThan(0);
      const sim = createSimulation(parsed.scenario, { duration: Math.min(parsed.scenario.duration, 2_000_000) });
      sim.runToEnd();
      const r = buildReport(sim);
      expect(r.stopped).toBeNull();
      expect(r.completed).toBe(true);
      expect(sim.e2eSummary().totalSent).toBeGreaterThan(0); // (the summary counts only after warm-up)
    });
  }
});
