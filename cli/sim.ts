/**
 * The archsim command line.
 *
 *   npm run -s sim -- run <scenario.json> [--seed N] [--duration D] [--replications R]
 *                         [--json] [--trace <file.jsonl>] [--no-series] [--parallel N]
 *   npm run -s sim -- validate <scenario.json>
 *   npm run -s sim -- compare <a.json> <b.json> [--replications R] [--seed N] [--duration D] [--json]
 *   npm run -s sim -- sweep <scenario.json> --param <path>=<values> [--param ...] [--replications R]
 *                           [--seed N] [--duration D] [--metric M]... [--json | --csv] [--parallel N]
 *
 * Exit codes: 0 done; 2 bad input (a message says what and where, no stack trace);
 * 3 the run was stopped by a guard (event budget, pending events, simulated time not
 * advancing, hop limit).
 */
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import {
  formatDuration,
  parseDuration,
  parseScenarioText,
  Simulation,
  userName,
  type ParseResult,
  type Scenario,
  type ScenarioIssue,
  type TraceRecord,
} from '../engine/index.ts';
import { formatReplications, formatReport } from './format.ts';
import { compare, formatComparison } from './compare.ts';
import { replicate } from './replicate.ts';
import { runScenario } from './run.ts';
import { availableMetrics, chooseMetrics, formatPoint, formatSweep, parseParam, prepareSweep, runSweep, SweepError, sweepCsv, type SweepParam } from './sweep.ts';

const USAGE = `usage:
  npm run -s sim -- run <scenario.json> [options]
  npm run -s sim -- validate <scenario.json>
  npm run -s sim -- compare <a.json> <b.json> [--replications R] [--seed N] [--duration D] [--json]
  npm run -s sim -- sweep <scenario.json> --param <path>=<values> [--param ...] [options]

run options:
  --seed N            seed of every random stream (default: the scenario's)
  --duration D        simulated time, e.g. 60s, 10m (default: the scenario's)
  --replications R    R independent runs from seeds derived from --seed; reports
                      each headline metric's mean and 95% confidence interval
  --parallel N        worker threads for replications (default: number of cores)
  --json              one JSON report on stdout instead of the table
  --no-series         leave the time series out of the JSON report
  --trace FILE        write one JSON line per finished request to FILE

compare runs two variants of a scenario under the same seeds (default 10
replications). Nodes with the same id draw the same random numbers in both, so
the difference B − A is measured with far less noise than two independent runs.

sweep runs a scenario at every point of a grid of parameter values, each point with
R replications (default 5) from the same seeds, and prints a row per point with each
metric's mean ± the half-width of its 95% confidence interval.
  --param P=V         P is nodes.<id>.<field>, edges.<from>-><to>.<field>, warmup,
                      duration, window or limits.<field>, e.g. nodes.api.workers,
                      nodes.users.arrival.rate, nodes.api.service.mean,
                      edges.users->api.latency (quote it: the shell reads > as a
                      redirection). V is a list (1,2,4 or 2ms,5ms) or a range
                      start..end:step (100..500:100). Several --param flags make a
                      grid, the first varying slowest; at most 200 points, 2000 runs
  --metric M          show metric M (repeatable) instead of the default end-to-end
                      throughput, success ratio, p50 and p99 and the swept nodes'
                      utilisation; the names are those of run --replications
  --csv               CSV on stdout: a column per parameter, then M and M.ci95 (the
                      half-width) per metric, then the number of stopped runs
  --json, --seed, --duration, --replications, --parallel as for run
`;

class UserError extends Error {}

interface Args {
  cmd: string;
  file: string;
  file2?: string;
  seed?: number | string;
  duration?: number;
  replications?: number;
  parallel?: number;
  json: boolean;
  series: boolean;
  trace?: string;
  params: SweepParam[];
  metrics: string[];
  csv: boolean;
}

function parseArgs(argv: string[]): Args {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (cmd !== 'run' && cmd !== 'validate' && cmd !== 'compare' && cmd !== 'sweep') throw new UserError(`unknown command "${cmd}"\n\n${USAGE}`);
  const a: Args = { cmd, file: '', json: false, series: true, params: [], metrics: [], csv: false };
  const value = (i: number, flag: string): string => {
    const v = rest[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UserError(`${flag} needs a value\n\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    switch (x) {
      case '--seed': {
        const v = value(i++, x);
        a.seed = /^\d+$/.test(v) ? Number(v) : v;
        break;
      }
      case '--duration': {
        const v = value(i++, x);
        const d = parseDuration(/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
        if (d === null || d <= 0) throw new UserError(`--duration: "${v}" is not a duration; write e.g. 60s, 500ms, 10m`);
        if (d > 30 * 86_400_000_000) throw new UserError(`--duration: at most 30d, got "${v}"`);
        a.duration = d;
        break;
      }
      case '--replications': {
        const v = value(i++, x);
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 10000) throw new UserError(`--replications: expected a whole number from 1 to 10000, got "${v}"`);
        a.replications = n;
        break;
      }
      case '--parallel': {
        const v = value(i++, x);
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 256) throw new UserError(`--parallel: expected a whole number from 1 to 256, got "${v}"`);
        a.parallel = n;
        break;
      }
      case '--json':
        a.json = true;
        break;
      case '--no-series':
        a.series = false;
        break;
      case '--trace':
        a.trace = value(i++, x);
        break;
      case '--param':
        a.params.push(parseParam(value(i++, x)));
        break;
      case '--metric':
        a.metrics.push(value(i++, x));
        break;
      case '--csv':
        a.csv = true;
        break;
      default:
        if (x.startsWith('--')) throw new UserError(`unknown option ${x}\n\n${USAGE}`);
        if (a.cmd === 'compare' && a.file && !a.file2) a.file2 = x;
        else if (a.file) throw new UserError(`${a.cmd === 'compare' ? 'two scenario files' : 'one scenario file at a time'} (got "${a.file}"${a.file2 ? `, "${a.file2}"` : ''} and "${x}")`);
        else a.file = x;
    }
  }
  if (!a.file) throw new UserError(`which scenario? give a file, e.g. scenarios/mm1.json\n\n${USAGE}`);
  if (a.cmd === 'compare' && !a.file2) throw new UserError(`compare needs two scenario files\n\n${USAGE}`);
  if (a.trace && a.replications && a.replications > 1) throw new UserError('--trace records one run; use it without --replications');
  if (a.cmd !== 'sweep') {
    const only = a.params.length ? '--param' : a.metrics.length ? '--metric' : a.csv ? '--csv' : null;
    if (only) throw new UserError(`${only} is an option of sweep\n\n${USAGE}`);
  } else {
    if (a.trace) throw new UserError('--trace records one run; use it with run');
    if (a.json && a.csv) throw new UserError('--json or --csv, not both');
    if (!a.params.length) throw new UserError(`sweep needs at least one --param <path>=<values>, e.g. --param nodes.api.workers=1,2,4\n\n${USAGE}`);
  }
  return a;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such file: ${file}` : code === 'EISDIR' ? `${file} is a folder, not a scenario file` : `cannot read ${file}: ${(e as Error).message}`);
  }
}

function load(file: string): ParseResult {
  return parseScenarioText(read(file));
}

function printIssues(file: string, issues: ScenarioIssue[], warnings: ScenarioIssue[]): void {
  if (issues.length) {
    process.stderr.write(`${file}: ${issues.length} problem${issues.length > 1 ? 's' : ''}:\n`);
    for (const i of issues) process.stderr.write(`  ${i.path}: ${i.message}\n`);
  }
  if (warnings.length) {
    process.stderr.write(`${file}: ${warnings.length} warning${warnings.length > 1 ? 's' : ''}:\n`);
    for (const w of warnings) process.stderr.write(`  ${w.path}: ${w.message}\n`);
  }
}

/** A progress bar on stderr, shown once a run has taken a second, only on a terminal. */
function progressBar(label: string): { update: (f: number) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(f) {
      const now = Date.now();
      if (now - start < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      const width = 30;
      const k = Math.round(Math.min(1, f) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(k)}${'.'.repeat(width - k)}] ${(f * 100).toFixed(0).padStart(3)}%`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/**
 * Writes `--trace` lines. Keys and user ids a replayed trace gave as strings are interned
 * to numbers inside the engine; `sim.idName` turns them back into the trace's names, and
 * generated users are written as reports name them, "<client>/u<n>".
 */
function traceWriter(file: string): { write: (r: TraceRecord, sim: Simulation) => void; close: () => void } {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    throw new UserError(`cannot write trace file ${file}: ${(e as Error).message}`);
  }
  let buf: string[] = [];
  const flush = () => {
    if (buf.length) writeSync(fd, buf.join(''));
    buf = [];
  };
  return {
    write(r, sim) {
      buf.push(
        JSON.stringify({
          id: r.id,
          client: r.client,
          ip: Simulation.formatIp(r.ip),
          user: userName(r.user, sim),
          key: sim.idName(r.key),
          kind: r.kind,
          sentAtMs: r.sentAt / 1000,
          status: r.status === 1 ? 'dropped' : r.status,
          reason: r.reason === 'ok' ? undefined : r.reason,
          origin: r.origin ?? undefined,
          latencyMs: r.latency / 1000,
          attempts: r.attempts,
          path: r.path,
        }) + '\n',
      );
      if (buf.length >= 10000) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  if (a.cmd === 'sweep') return sweep(a);
  const parsed = load(a.file);
  if (!parsed.ok) {
    printIssues(a.file, parsed.issues, parsed.warnings);
    return 2;
  }
  if (a.cmd === 'validate') {
    printIssues(a.file, [], parsed.warnings);
    process.stdout.write('ok\n');
    return 0;
  }
  const scenario: Scenario = parsed.scenario;
  if (a.duration !== undefined && a.duration <= scenario.warmup) {
    throw new UserError(`--duration ${formatDuration(a.duration)} must be longer than the scenario's warm-up (${formatDuration(scenario.warmup)})`);
  }
  if (a.cmd === 'compare') {
    const other = load(a.file2!);
    if (!other.ok) {
      printIssues(a.file2!, other.issues, other.warnings);
      return 2;
    }
    const r = a.replications ?? 10;
    if (r < 2) throw new UserError('compare needs at least 2 replications for a confidence interval');
    const c = compare(scenario, other.scenario, a.seed ?? scenario.seed, r, a.duration);
    process.stdout.write((a.json ? JSON.stringify(c) : formatComparison(c)) + '\n');
    return 0;
  }
  if (!a.json) printIssues(a.file, [], parsed.warnings);
  const seed = a.seed ?? scenario.seed;

  if (a.replications && a.replications > 1) {
    const bar = progressBar(`${a.replications} runs`);
    const { summary, reports } = await replicate(scenario, seed, a.replications, {
      duration: a.duration,
      parallel: a.parallel,
      onDone: (d) => bar.update(d / a.replications!),
    });
    bar.done();
    if (a.json) {
      process.stdout.write(JSON.stringify({ ...summary, warnings: parsed.warnings, reports: reports.map(({ series: _s, ...r }) => r) }) + '\n');
    } else process.stdout.write(formatReplications(summary) + '\n');
    return reports.some((r) => r.stopped) ? 3 : 0;
  }

  const bar = progressBar(scenario.name);
  const trace = a.trace ? traceWriter(a.trace) : null;
  const report = runScenario(scenario, {
    seed,
    duration: a.duration,
    trace: trace?.write,
    progress: bar.update,
    warnings: parsed.warnings,
    series: a.series,
  });
  bar.done();
  trace?.close();
  if (a.json) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(formatReport(report) + '\n');
  if (report.stopped) {
    if (a.json) process.stderr.write(`stopped: ${report.stopped.message}\n`);
    return 3;
  }
  return 0;
}

async function sweep(a: Args): Promise<number> {
  const text = read(a.file);
  const parsed = parseScenarioText(text);
  if (!parsed.ok) {
    printIssues(a.file, parsed.issues, parsed.warnings);
    return 2;
  }
  const base = parsed.scenario;
  if (a.duration !== undefined && a.duration <= base.warmup && !a.params.some((p) => p.path === 'warmup')) {
    throw new UserError(`--duration ${formatDuration(a.duration)} must be longer than the scenario's warm-up (${formatDuration(base.warmup)})`);
  }
  const r = a.replications ?? 5;
  const { points, problems, targets } = prepareSweep(JSON.parse(text), a.params, { replications: r, duration: a.duration });
  if (problems.length) {
    process.stderr.write(`${a.file}: ${problems.length} problem${problems.length > 1 ? 's' : ''} in the sweep:\n`);
    for (const p of problems) process.stderr.write(`  ${p}\n`);
    return 2;
  }
  const sweptNodes = targets.filter((t) => t.kind === 'node').map((t) => t.owner);
  const metrics = chooseMetrics(a.metrics, availableMetrics(points[0]!.scenario), sweptNodes);
  if (!a.json) {
    printIssues(a.file, [], parsed.warnings);
    // warnings that only some points have
    const known = new Set(parsed.warnings.map((w) => `${w.path}: ${w.message}`));
    for (const p of points) {
      for (const w of p.warnings) {
        if (!known.has(`${w.path}: ${w.message}`)) process.stderr.write(`${a.file}: warning at ${formatPoint(p.values)}: ${w.path}: ${w.message}\n`);
      }
    }
  }
  const total = points.length * r;
  const bar = progressBar(`${points.length} points × ${r} runs`);
  const result = await runSweep(points, {
    scenario: base.name,
    params: a.params,
    metrics,
    baseSeed: a.seed ?? base.seed,
    replications: r,
    duration: a.duration,
    parallel: a.parallel,
    onDone: (d) => bar.update(d / total),
  });
  bar.done();
  process.stdout.write((a.json ? JSON.stringify(result) : a.csv ? sweepCsv(result) : formatSweep(result)) + '\n');
  return result.points.some((p) => p.runs.some((x) => x.stopped)) ? 3 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UserError || e instanceof SweepError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`archsim: internal error (please report it with the scenario):\n${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
