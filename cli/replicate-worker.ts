// A replication worker: runs the scenario it was last sent for each seed it is sent.
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../engine/index.ts';
import { runScenario } from './run.ts';

let scenario: Scenario | null = null;
parentPort!.on('message', (m: { seed: number; duration?: number; scenario?: Scenario }) => {
  if (m.scenario) scenario = m.scenario;
  const report = runScenario(scenario!, { seed: m.seed, duration: m.duration, series: false });
  parentPort!.postMessage({ report });
});
