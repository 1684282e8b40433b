/**
 * Text output for the terminal: the per-node table of a run and of replications.
 */
import type { Report } from '../engine/index.ts';
import { dataTierLines } from './formatData.ts';

const fmt = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** Columns padded to their widest cell, left- or right-aligned. */
export function table(rows: string[][], align: ('l' | 'r')[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (align[c] === 'l' ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

export function formatReport(r: Report): string {
  const out: string[] = [];
  const e = r.endToEnd;
  out.push(`${r.scenario}  seed ${r.seed}  fingerprint ${r.fingerprint}`);
  out.push(
    `${r.simulatedSeconds}s simulated (${r.measuredSeconds}s measured after ${r.warmupSeconds}s warm-up), ${int(r.events)} events in ${fmt(r.wallSeconds, 2)}s`,
  );
  if (r.stopped) out.push(`STOPPED at ${r.stopped.atSeconds}s: ${r.stopped.message}`);
  out.push('');
  const failed = Object.entries(e.failed).map(([s, n]) => `${s}: ${int(n)}`).join(', ');
  out.push(
    `end to end: ${int(e.sent)} sent, ${int(e.ok)} ok (${fmt(e.successRatio * 100, 2)}%)${failed ? `, failed ${failed}` : ''}${e.inFlight ? `, ${int(e.inFlight)} in flight at the end` : ''}`,
  );
  out.push(
    `  throughput ${fmt(e.throughputPerSec, 1)}/s of ${fmt(e.offeredPerSec, 1)}/s offered; latency ms: mean ${fmt(e.latencyMs.mean)} p50 ${fmt(e.latencyMs.p50)} p90 ${fmt(e.latencyMs.p90)} p99 ${fmt(e.latencyMs.p99)} p99.9 ${fmt(e.latencyMs.p999)} max ${fmt(e.latencyMs.max)}`,
  );
  if (e.amplification > 1.0001) out.push(`  attempts per request: ${fmt(e.amplification, 3)}`);
  if (e.lateAnswers) out.push(`  answers that arrived after the client gave up: ${int(e.lateAnswers)}`);
  for (const [k, n] of Object.entries(e.failureReasons)) out.push(`  ${k}: ${int(n)}`);
  out.push('');
  const rows: string[][] = [
    ['node', 'type', 'arrivals', 'ok', 'failed', 'util', 'queue', 'qmax', 'p50 ms', 'p99 ms', 'p99.9 ms'],
  ];
  for (const [id, n] of Object.entries(r.nodes)) {
    if (n.type === 'client') continue;
    const nFailed = Object.values(n.failed).reduce((a, b) => a + b, 0);
    rows.push([
      id,
      n.type,
      int(n.arrivals),
      int(n.completed),
      int(nFailed),
      n.utilization === null ? '-' : `${fmt(n.utilization * 100, 1)}%`,
      fmt(n.queueLength.mean, 2),
      String(n.queueLength.max),
      fmt(n.latencyMs.p50),
      fmt(n.latencyMs.p99),
      fmt(n.latencyMs.p999),
    ]);
  }
  out.push(table(rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  out.push(...dataTierLines(r));
  const reasons = Object.entries(r.nodes).flatMap(([id, n]) => Object.entries(n.rejected).map(([k, c]) => `  ${id}: ${k}: ${int(c)}`));
  if (reasons.length) out.push('', 'failures by node:', ...reasons);
  if (r.timeline.length) {
    out.push('', 'timeline:');
    for (const t of r.timeline.slice(0, 40)) out.push(`  ${fmt(t.atSeconds, 3)}s  ${t.text}`);
    if (r.timeline.length > 40) out.push(`  … ${r.timeline.length - 40} more (see --json)`);
  }
  if (r.warnings.length) {
    out.push('', 'warnings:');
    for (const w of r.warnings) out.push(`  ${w.path}: ${w.message}`);
  }
  return out.join('\n');
}

export interface ReplicationSummary {
  scenario: string;
  baseSeed: number | string;
  replications: number;
  metrics: Record<string, { mean: number; halfWidth: number; ci95: [number, number]; n: number }>;
  runs: Array<{ seed: number; fingerprint: string; stopped: string | null }>;
}

export function formatReplications(s: ReplicationSummary): string {
  const out = [`${s.scenario}: ${s.replications} replications from seed ${s.baseSeed} (95% confidence intervals)`, ''];
  const rows = [['metric', 'mean', '± 95%', 'low', 'high']];
  for (const [k, m] of Object.entries(s.metrics)) {
    rows.push([k, fmt(m.mean, 4), fmt(m.halfWidth, 4), fmt(m.ci95[0], 4), fmt(m.ci95[1], 4)]);
  }
  out.push(table(rows, ['l', 'r', 'r', 'r', 'r']));
  const stopped = s.runs.filter((r) => r.stopped);
  if (stopped.length) out.push('', `${stopped.length} run(s) stopped early: ${stopped.map((r) => `seed ${r.seed}: ${r.stopped}`).join('; ')}`);
  return out.join('\n');
}
