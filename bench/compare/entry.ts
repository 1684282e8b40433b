// Bundled once per revision by bench/compare.ts (copied into that revision's tree): a
// model's simulation that a comparison advances slice by slice.
import { createSimulation, parseScenario } from '../../engine/index.ts';
import { MODELS } from '../models.ts';

export function makeSim(name: string, seconds: number) {
  const model = MODELS.find((m) => m.name === name);
  if (!model) throw new Error(`unknown model ${name}`);
  const parsed = parseScenario({ ...model.scenario, duration: `${seconds}s` });
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.issues)}`);
  const sim = createSimulation(parsed.scenario);
  const e2e = sim.e2eSources;
  return {
    run: (untilSeconds: number) => sim.run(untilSeconds * 1e6),
    sent: () => e2e.reduce((n, s) => n + s.totalSent, 0),
    fingerprint: () => sim.fingerprint.hex(),
  };
}
