/**
 * Every scenario shipped in scenarios/ validates and runs (briefly) without a guard
 * stopping it, and says what it is about.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenarioText } from '../engine/index.ts';

const dir = join(import.meta.dirname, '../scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** Warnings a scenario exists to show (the configuration mistake it demonstrates). */
const SHOWN: Record<string, string[]> = {
  'service-mesh-outlier-detection.json': [
    'nodes[1].outlierDetection.maxEjectionPercent: with 3 hosts and maxEjectionPercent 10, Envoy 1.28 and later ejects no host (floor(3 × 10%) = 0); raise it to at least 34 or set alwaysEjectOneHost',
  ],
};

describe('shipped scenarios', () => {
  it('there are scenarios', () => expect(files.length).toBeGreaterThanOrEqual(4));
  for (const f of files) {
    it(`${f} validates without warnings (but those it shows), has a name and a description, and runs`, () => {
      const r = parseScenarioText(readFileSync(join(dir, f), 'utf8'));
      if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
      expect(r.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(SHOWN[f] ?? []);
      expect(r.scenario.name.length).toBeGreaterThan(3);
      expect((r.scenario.description ?? '').length).toBeGreaterThan(40);
      // a few simulated seconds (or the whole run if shorter) are enough to catch errors
      const sim = createSimulation(r.scenario, { duration: Math.min(r.scenario.duration, 5_000_000) });
      sim.runToEnd();
      const rep = buildReport(sim);
      expect(rep.stopped).toBeNull();
      expect(sim.e2eSummary().totalSent).toBeGreaterThan(0);
    });
  }
});
