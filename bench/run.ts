/**
 * npm run bench [-- <model name substring>] [--reps N]
 *
 * Each model runs in its own process (so its peak memory is its own), `reps` times
 * (default 5; once for 10M-request models); the median run is reported, with the best
 * and the first (cold JIT) run beside it, because a shared 2-core machine varies by
 * about ±10% from run to run. Throughput is measured on the event loop (creating the
 * simulation and running it), not on process start-up.
 */
import { execFileSync } from 'node:child_process';
import { MODELS } from './models.ts';

const args = process.argv.slice(2);
const repsArg = args.indexOf('--reps');
const reps = repsArg >= 0 ? Number(args[repsArg + 1]) : 5;
const filter = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--reps')[0];
const models = MODELS.filter((m) => !filter || m.name.includes(filter));

const rows: string[][] = [['model', 'requests', 'req/s', 'best req/s', 'first run req/s', 'events/s', 'peak MB', 'mean ms', 'target', 'extra']];
let missed = 0;
for (const m of models) {
  const r = m.requests >= 1e7 ? 1 : reps;
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL('./child.ts', import.meta.url).pathname, m.name, String(r)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const j = JSON.parse(out.trim().split('\n').pop()!);
  const extra = Object.entries(j)
    .filter(([k]) => !['name', 'description', 'runs', 'requests', 'events', 'wallSeconds', 'firstRunWallSeconds', 'requestsPerSec', 'bestRequestsPerSec', 'eventsPerSec', 'peakRssMB', 'fingerprint', 'meanLatencyMs'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  // the target, judged on the median run (req/s) and the process's peak memory
  const t = m.target;
  const met = (t.requestsPerSec === undefined || j.requestsPerSec >= t.requestsPerSec) && (t.peakMB === undefined || j.peakRssMB <= t.peakMB);
  if (!met) missed++;
  const target = [t.requestsPerSec !== undefined ? `>= ${t.requestsPerSec / 1e6}M/s` : '', t.peakMB !== undefined ? `<= ${t.peakMB} MB` : ''].filter(Boolean).join(', ');
  rows.push([
    m.name,
    j.requests.toLocaleString('en-US'),
    `${(j.requestsPerSec / 1e6).toFixed(2)}M`,
    `${(j.bestRequestsPerSec / 1e6).toFixed(2)}M`,
    `${(j.requests / j.firstRunWallSeconds / 1e6).toFixed(2)}M`,
    `${(j.eventsPerSec / 1e6).toFixed(2)}M`,
    j.peakRssMB.toFixed(0),
    j.meanLatencyMs.toFixed(3),
    `${target} ${met ? 'met' : 'MISSED'}`,
    extra,
  ]);
  console.error(`  ${m.name}: ${m.description}`);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(rows.map((r) => r.map((x, c) => (c === 0 || c >= 8 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ')).join('\n'));
if (missed) console.log(`\n${missed} model(s) missed the target (a loaded machine runs slower: check \`uptime\` and run again)`);
