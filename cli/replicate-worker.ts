// A replication worker: runs the scenario it was given for each seed it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../engine/index.ts';
import { runScenario } from './run.ts';

const scenario = (workerData as { scenario: Scenario }).scenario;
parentPort!.on('message', (m: { i: number; seed: number; duration?: number }) => {
  const report = runScenario(scenario, { seed: m.seed, duration: m.duration, series: false });
  parentPort!.postMessage({ i: m.i, report });
});
