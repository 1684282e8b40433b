/**
 * Browser tests: `npx tsx test/e2e/run.ts` (after `npx vite build`). Starts `vite
 * preview` on a free port and Debian's Chromium through playwright-core, runs every
 * test (a failure, or any console or page error, fails it), prints
 * "e2e: N passed, N failed" last and exits 1 on failure. Always cleans up.
 * `E2E_ONLY=<substring>` runs only the matching tests.
 */
import { start, type Env } from './lib.ts';
import { SHOTS, TESTS } from './tests.ts';
import { PERF_TESTS } from './perf.ts';

const only = process.env.E2E_ONLY;
const tests = [...TESTS, ...PERF_TESTS].filter((t) => !only || t.name.includes(only));
let passed = 0;
let failed = 0;
let env: Env | null = null;
try {
  env = await start();
  for (const t of tests) {
    const t0 = Date.now();
    env.errors.length = 0;
    const notes: string[] = [];
    try {
      await t.run(env, (m) => notes.push(m));
      if (env.errors.length) throw new Error(`console or page errors:\n  ${env.errors.join('\n  ')}`);
      passed++;
      console.log(`  ✓ ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    } catch (e) {
      failed++;
      const page = env.context.pages()[0];
      const file = `${SHOTS}/failed-${passed + failed}.png`;
      if (page) await page.screenshot({ path: file }).catch(() => {});
      console.log(`  ✗ ${t.name} (screenshot: ${file})\n    ${String((e as Error).stack ?? e).split('\n').slice(0, 6).join('\n    ')}`);
    }
    for (const n of notes) console.log(`      ${n}`);
    for (const p of env.context.pages().slice(1)) await p.close();
  }
} catch (e) {
  failed++;
  console.log(`  ✗ could not start the browser tests: ${(e as Error).message}`);
} finally {
  await env?.close();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
