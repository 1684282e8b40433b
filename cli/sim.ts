/**
 * The archsim command line.
 *
 *   npm run -s sim -- run <scenario.json> [--seed N] [--duration D] [--replications R]
 *                         [--json] [--trace <file.jsonl>] [--no-series] [--parallel N]
 *   npm run -s sim -- validate <scenario.json>
 *   npm run -s sim -- compare <a.json> <b.json> [--replications R] [--seed N] [--duration D] [--json]
 *
 * Exit codes: 0 done; 2 bad input (a message says what and where, no stack trace);
 * 3 the run was stopped by a guard (event budget, pending events, hop limit).
 */
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import {
  formatDuration,
  parseDuration,
  parseScenarioText,
  Simulation,
  type ParseResult,
  type Scenario,
  type ScenarioIssue,
  type TraceRecord,
} from '../engine/index.ts';
import { formatReplications, formatReport } from './format.ts';
import { compare, formatComparison } from './compare.ts';
import { replicate } from './replicate.ts';
import { runScenario } from './run.ts';

const USAGE = `usage:
  npm run -s sim -- run <scenario.json> [options]
  npm run -s sim -- validate <scenario.json>
  npm run -s sim -- compare <a.json> <b.json> [--replications R] [--seed N] [--duration D] [--json]

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
}

function parseArgs(argv: string[]): Args {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (cmd !== 'run' && cmd !== 'validate' && cmd !== 'compare') throw new UserError(`unknown command "${cmd}"\n\n${USAGE}`);
  const a: Args = { cmd, file: '', json: false, series: true };
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
  return a;
}

function load(file: string): ParseResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such file: ${file}` : code === 'EISDIR' ? `${file} is a folder, not a scenario file` : `cannot read ${file}: ${(e as Error).message}`);
  }
  return parseScenarioText(text);
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

function traceWriter(file: string): { write: (r: TraceRecord) => void; close: () => void } {
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
    write(r) {
      buf.push(
        JSON.stringify({
          id: r.id,
          client: r.client,
          ip: Simulation.formatIp(r.ip),
          user: r.user,
          key: r.key,
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`archsim: internal error (please report it with the scenario):\n${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
