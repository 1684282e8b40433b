// Runs one benchmark model in this process (a fresh one per model, so peak memory is
// the model's own) and prints one JSON line.
import { buildReport, createSimulation, parseScenario } from '../engine/index.ts';
import { MODELS } from './models.ts';

const name = process.argv[2];
const reps = Number(process.argv[3] ?? 5);
const model = MODELS.find((m) => m.name === name);
if (!model) {
  console.error(`unknown model ${name}`);
  process.exit(2);
}
const parsed = parseScenario({ ...model.scenario, duration: `${model.requests / model.rate}s` });
if (!parsed.ok) {
  console.error(JSON.stringify(parsed.issues));
  process.exit(2);
}
const runs: Array<{ wall: number; requests: number; events: number }> = [];
let report: Record<string, any> = {};
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  const sim = createSimulation(parsed.scenario);
  sim.runToEnd();
  const wall = (performance.now() - t0) / 1000;
  report = buildReport(sim, { series: false });
  runs.push({ wall, requests: report.endToEnd.sent, events: sim.events });
}
const sorted = [...runs].sort((a, b) => a.wall - b.wall);
const median = sorted[Math.floor(sorted.length / 2)]!;
const best = sorted[0]!;
console.log(
  JSON.stringify({
    name: model.name,
    description: model.description,
    runs: runs.length,
    requests: median.requests,
    events: median.events,
    wallSeconds: median.wall,
    firstRunWallSeconds: runs[0]!.wall,
    requestsPerSec: median.requests / median.wall,
    bestRequestsPerSec: best.requests / best.wall,
    eventsPerSec: median.events / median.wall,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    fingerprint: report.fingerprint,
    meanLatencyMs: report.endToEnd.latencyMs.mean,
    ...(model.extra ? model.extra(report) : {}),
  }),
);
