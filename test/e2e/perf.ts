/**
 * Performance in the browser, on a long full-speed run (~1.4M requests):
 * - responsiveness, on a run of a page that has run once already (the first run's one-time
 *   costs are logged): every task on the page's main thread (traced through the Chrome
 *   DevTools protocol) uses at most 50 ms of main-thread CPU time, and so does the main
 *   thread's work between any two frames. Frames keep coming: a requestAnimationFrame
 *   probe asks for one every vsync and gets at least a quarter of them (see FRAME_SHARE).
 *   Wall-clock long tasks are reported too, and asserted (≤ 50 ms) when the machine is not
 *   oversubscribed: on a machine whose cores are all busy with other work, wall time
 *   measures the machine, not the page. (The largest wall-clock gap between two frames is
 *   reported only, for the same reason.)
 * - speed: click-to-done requests per second are at least half the CLI's on the same
 *   scenario, with the same fingerprint (best of two untraced runs and two CLI runs).
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import type { TestCase } from './tests.ts';
import { freshPage } from './lib.ts';
import { check, downloadText, equal, maxSpeed, runCli } from './actions.ts';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Runs to the end (from the Run click) and returns the wall ms. */
async function timedRun(page: Page): Promise<number> {
  await page.getByTestId('reset').click().catch(() => {});
  const t0 = Date.now();
  await page.getByTestId('run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('done'), undefined, { timeout: 180_000, polling: 100 });
  return Date.now() - t0;
}

/**
 * The least share of vsyncs (60 Hz) that must bring a frame during the run. Asserted on the
 * count of requestAnimationFrame callbacks over the run's wall time, whatever the load:
 * - a page that stops drawing while a run goes gets ~0, and one whose own work holds the
 *   main thread for more than ~50 ms a frame gets under 15 frames a second (below 0.25);
 *   finer blocking is caught by the 50 ms CPU bounds per task and per frame;
 * - a busy machine does not: a rAF callback needs well under 1 ms of CPU, so even with the
 *   two cores shared by three engineers' test runs the probe got 0.64 of the vsyncs at load
 *   6.8 and 0.79 at load 4.7 on 2 cores (see the "frames:" log line). A quarter leaves room
 *   for worse.
 */
const FRAME_SHARE = 0.25;
const VSYNC_MS = 1000 / 60;

/** Counts requestAnimationFrame callbacks from now until `stop` (a probe that asks for a frame every vsync). */
async function startFrameProbe(page: Page): Promise<{ stop(): Promise<{ frames: number; spanMs: number; maxGapMs: number }> }> {
  // a string, not a function: tsx would wrap a named inner function in a helper the page lacks
  await page.evaluate(`(() => {
    const probe = (window.__probe = { times: [], on: true });
    requestAnimationFrame(function tick(t) {
      probe.times.push(t);
      if (probe.on) requestAnimationFrame(tick);
    });
  })()`);
  return {
    stop: () =>
      page.evaluate(() => {
        const p = (window as unknown as { __probe: { times: number[]; on: boolean } }).__probe;
        p.on = false;
        let maxGapMs = 0;
        for (let i = 1; i < p.times.length; i++) maxGapMs = Math.max(maxGapMs, p.times[i]! - p.times[i - 1]!);
        return { frames: p.times.length, spanMs: p.times.length ? p.times[p.times.length - 1]! - p.times[0]! : 0, maxGapMs };
      }),
  };
}

/** Runs to the end while tracing the main thread; returns wall ms, per-task and per-frame timings. */
async function tracedRun(page: Page) {
  const probe = await startFrameProbe(page);
  const cdp = await page.context().newCDPSession(page);
  await page.getByTestId('reset').click().catch(() => {});
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame', transferMode: 'ReportEvents' });
  const t0 = Date.now();
  await page.getByTestId('run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('done'), undefined, { timeout: 180_000, polling: 100 });
  const wallMs = Date.now() - t0;
  const raf = await probe.stop();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`) && e.dur !== undefined);
  const frames = events.filter((e) => e.name === 'BeginMainThreadFrame' && main.has(`${e.pid}:${e.tid}`)).map((e) => e.ts);
  let maxGap = 0;
  for (let i = 1; i < frames.length; i++) maxGap = Math.max(maxGap, (frames[i]! - frames[i - 1]!) / 1000);
  // main-thread CPU between two frames: the tasks that started in each frame interval
  let cpuPerFrameMax = 0;
  const byStart = tasks.map((e) => ({ ts: e.ts, cpu: (e.tdur ?? e.dur!) / 1000 })).sort((a, b) => a.ts - b.ts);
  for (let i = 1, j = 0; i < frames.length; i++) {
    let cpu = 0;
    while (j < byStart.length && byStart[j]!.ts < frames[i - 1]!) j++;
    for (let k = j; k < byStart.length && byStart[k]!.ts < frames[i]!; k++) cpu += byStart[k]!.cpu;
    cpuPerFrameMax = Math.max(cpuPerFrameMax, cpu);
  }
  return {
    raf,
    cpuPerFrameMax,
    wallMs,
    cpuMax: Math.max(0, ...tasks.map((e) => (e.tdur ?? e.dur!) / 1000)),
    cpuTotal: tasks.reduce((a, e) => a + (e.tdur ?? e.dur!) / 1000, 0),
    wallTasks: tasks.map((e) => e.dur! / 1000).filter((d) => d > 50).sort((a, b) => b - a),
    tasks: tasks.length,
    frames: frames.length,
    maxGap,
  };
}

export const PERF_TESTS: TestCase[] = [
  {
    name: 'a full-speed run keeps the page responsive and reaches at least half the CLI speed',
    async run(env, log) {
      const page = await freshPage(env);
      await page.getByTestId('open-examples').click();
      await page.getByTestId('example-three-tier-failover.json').click();
      await page.getByTestId('run-duration').fill('40m');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await maxSpeed(page);
      const scenario = await downloadText(page, 'export-scenario');
      const load = loadavg()[0]! / availableParallelism();
      // speed on two untraced runs (tracing slows the page); responsiveness on a traced run
      // between them, so that it sees the page as a user's second and later runs do, with
      // the code compiled: the first run of a fresh page also pays one-time costs (the JIT
      // compiling the charts and canvas code, first layouts), which are logged, not asserted
      const cold = await tracedRun(page);
      const walls = [await timedRun(page)];
      const traced = await tracedRun(page);
      const report = JSON.parse(await downloadText(page, 'export-report'));
      walls.push(await timedRun(page));
      const cli = [runCli(scenario), runCli(scenario)].sort((x, y) => x.json.wallSeconds - y.json.wallSeconds)[0]!;
      equal(report.fingerprint, cli.fingerprint, 'fingerprint: browser vs CLI');
      equal(await page.getByTestId('fingerprint').textContent(), cli.fingerprint, 'fingerprint of the last run');
      const sent = report.endToEnd.sent as number;
      const best = Math.min(...walls);
      const browserRate = sent / (best / 1000);
      const cliRate = cli.json.endToEnd.sent / cli.json.wallSeconds;
      log(
        `${sent.toLocaleString('en-US')} requests: browser ${Math.round(browserRate).toLocaleString('en-US')} req/s (click to done, best of ${walls.join(' / ')} ms) vs CLI ${Math.round(cliRate).toLocaleString('en-US')} req/s (${cli.json.wallSeconds}s) = ${(browserRate / cliRate).toFixed(2)}×`,
      );
      const t = traced;
      log(`traced run (${t.wallMs} ms): ${t.tasks} main-thread tasks using ${t.cpuTotal.toFixed(0)} ms of CPU in all, at most ${t.cpuMax.toFixed(1)} ms per task; ${t.frames} frames (longest gap between two ${t.maxGap.toFixed(1)} ms); wall-clock tasks over 50 ms: ${t.wallTasks.length ? t.wallTasks.map((d) => d.toFixed(0)).join(', ') : 'none'}`);
      log(`first run of the page (cold): at most ${cold.cpuMax.toFixed(1)} ms of CPU per task, ${cold.cpuPerFrameMax.toFixed(1)} ms between two frames`);
      log(`machine load: ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores at the start ${load >= 1 ? '(oversubscribed: wall-clock checks reported, not asserted)' : ''}`);
      const vsyncs = t.raf.spanMs / VSYNC_MS;
      log(`frames: ${t.raf.frames} rAF callbacks in ${t.raf.spanMs.toFixed(0)} ms = ${(t.raf.frames / Math.max(1, vsyncs)).toFixed(2)} of the vsyncs (longest gap ${t.raf.maxGapMs.toFixed(1)} ms); main-thread CPU between two frames at most ${t.cpuPerFrameMax.toFixed(1)} ms`);
      check(t.cpuMax <= 50, `a main-thread task used ${t.cpuMax.toFixed(1)} ms of CPU`);
      check(t.cpuPerFrameMax <= 50, `the main thread used ${t.cpuPerFrameMax.toFixed(1)} ms of CPU between two frames`);
      check(t.raf.spanMs >= 0.5 * t.wallMs && t.raf.frames >= FRAME_SHARE * vsyncs, `only ${t.raf.frames} frames in ${t.raf.spanMs.toFixed(0)} ms of a ${t.wallMs} ms run (at least ${FRAME_SHARE} of ${vsyncs.toFixed(0)} vsyncs expected)`);
      if (load < 1) check(t.wallTasks.length === 0, `wall-clock long tasks: ${t.wallTasks.join(', ')}`);
      check(browserRate >= 0.5 * cliRate, `browser ${browserRate.toFixed(0)} req/s is below half the CLI's ${cliRate.toFixed(0)} req/s`);
    },
  },
];
