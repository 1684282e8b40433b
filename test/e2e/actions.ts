/**
 * What a user does in the app, as browser actions: drag from the palette, connect two
 * nodes by their handles, set a field, run, read the summary table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './lib.ts';

export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Drags a component type from the palette and drops it at (x, y) inside the canvas. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  const before = await page.locator('.react-flow__node').count();
  await page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x, y } });
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length === n + 1, before);
}

/** Connects `from`'s output handle to `to`'s input handle with the mouse. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const src = page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`);
  const dst = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
  const a = (await src.boundingBox())!;
  const b = (await dst.boundingBox())!;
  const before = await page.locator('.react-flow__edge').count();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__edge').length === n + 1, before, { timeout: 5000 });
}

/** Selects a node by clicking its name. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="${id}"] .cnode-name`).click();
  await page.getByTestId('node-inspector').waitFor();
}

/** Sets the speed slider to its fastest ("max"). */
export async function maxSpeed(page: Page): Promise<void> {
  const slider = page.getByTestId('speed');
  await slider.focus();
  await slider.press('End');
  await page.locator('.speed-val', { hasText: 'max' }).waitFor();
}

/** Presses Run and waits for the run to finish; returns the wall ms from click to done. */
export async function runToEnd(page: Page, timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  await page.getByTestId('run').click();
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="status"]')?.textContent ?? '';
    return s.startsWith('done') || s.startsWith('stopped') || s.startsWith('engine error');
  }, undefined, { timeout: timeoutMs, polling: 'raf' });
  const status = await page.getByTestId('status').textContent();
  check(status?.startsWith('done'), `the run ended as "${status}"`);
  return Date.now() - t0;
}

/** Clicks a download button and returns the downloaded text. */
export async function downloadText(page: Page, testId: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await dl.path();
  return readFileSync(path, 'utf8');
}

/** Clicks a download button and returns the downloaded bytes. */
export async function downloadBytes(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await dl.path());
}

/** The summary table as {node: [cells...]}. */
export async function summaryTable(page: Page): Promise<Record<string, string[]>> {
  await page.getByTestId('tab-summary').click();
  await page.getByTestId('summary-table').waitFor();
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const tr of document.querySelectorAll('[data-testid="summary-table"] tbody tr[data-node]')) {
      out[tr.getAttribute('data-node')!] = [...tr.querySelectorAll('td')].slice(0, 11).map((td) => td.textContent!.trim());
    }
    return out;
  });
}

export interface CliRun {
  fingerprint: string;
  /** CLI table rows by node: node, type, arrivals, ok, failed, util, queue, qmax, p50, p99, p99.9. */
  rows: Record<string, string[]>;
  /** The end-to-end line, e.g. "end to end: 5,990 sent, 5,990 ok (100.00%)". */
  endToEnd: string;
  json: { wallSeconds: number; endToEnd: { sent: number }; fingerprint: string };
}

/** Runs the real CLI on a scenario text: its table (parsed) and its --json report. */
export function runCli(scenarioText: string): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'archsim-cli-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, scenarioText);
    const cli = (extra: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/sim.ts'), 'run', file, ...extra], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const text = cli([]);
    const json = JSON.parse(cli(['--json', '--no-series']));
    const lines = text.split('\n');
    const fingerprint = /fingerprint ([0-9a-f]{16})/.exec(lines[0]!)![1]!;
    const head = lines.findIndex((l) => /^node\s+type\s+arrivals/.test(l));
    const rows: Record<string, string[]> = {};
    for (const l of lines.slice(head + 1)) {
      if (!l.trim()) break;
      const cells = l.trim().split(/\s{2,}/);
      rows[cells[0]!] = cells;
    }
    return { fingerprint, rows, endToEnd: lines.find((l) => l.startsWith('end to end:'))!, json };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
