/**
 * The browser tests. Each gets a fresh page with empty storage; the runner checks after
 * each that no console error or page error happened.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { freshPage, ROOT, type Env } from './lib.ts';
import { shareUrl } from '../../ui/share/codec.ts';
import { check, connect, downloadBytes, downloadText, dragFromPalette, equal, maxSpeed, runCli, runToEnd, selectNode, summaryTable } from './actions.ts';

export interface TestCase {
  name: string;
  run(env: Env, log: (msg: string) => void): Promise<void>;
}

/** Where screenshots go (gitignored); `E2E_SHOTS` overrides. */
export const SHOTS = process.env.E2E_SHOTS ?? join(ROOT, 'test-results');
mkdirSync(SHOTS, { recursive: true });

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function openExample(page: Page, file: string): Promise<void> {
  await page.getByTestId('open-examples').click();
  await page.getByTestId(`example-${file}`).click();
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0);
}

/** Drops a client, a `middle` node and two `leaf` nodes (`leaf`1 and `leaf`2), wired client → middle → leaves. */
async function fanOut(page: Page, middle: string, leaf: string): Promise<void> {
  await dragFromPalette(page, 'client', 110, 200);
  await dragFromPalette(page, middle, 360, 200);
  await dragFromPalette(page, leaf, 620, 90);
  await dragFromPalette(page, leaf, 620, 320);
  await connect(page, 'client1', `${middle}1`);
  await connect(page, `${middle}1`, `${leaf}1`);
  await connect(page, `${middle}1`, `${leaf}2`);
}

/** The summary rows of `ids` equal the CLI's for the exported scenario, and so does the fingerprint. */
async function summaryMatchesCli(page: Page, scenario: string, ids: string[]): Promise<Record<string, string[]>> {
  const cli = runCli(scenario);
  equal(await page.getByTestId('fingerprint').textContent(), cli.fingerprint, 'fingerprint: browser vs CLI');
  const table = await summaryTable(page);
  for (const id of ids) {
    check(Array.isArray(table[id]) && table[id]!.length === 11, `the summary table has a full row for ${id}`);
    equal(table[id], cli.rows[id], `summary row ${id} vs the CLI table`);
  }
  return table;
}

const nodeIds = (page: Page) => page.$$eval('.react-flow__node', (ns) => ns.map((n) => n.getAttribute('data-id')).sort());
const edgeIds = (page: Page) => page.$$eval('.react-flow__edge', (es) => es.map((e) => e.getAttribute('data-id')).sort());

export const TESTS: TestCase[] = [
  {
    name: 'build client → LB → two servers by drag and drop, edit, run: charts fill and the summary equals the CLI',
    async run(env, log) {
      const page = await freshPage(env);
      check(await page.getByTestId('empty-state').isVisible(), 'the empty canvas invites a first drag');
      await dragFromPalette(page, 'client', 110, 150);
      await dragFromPalette(page, 'loadBalancer', 340, 150);
      await dragFromPalette(page, 'server', 570, 60);
      await dragFromPalette(page, 'server', 570, 250);
      equal(await nodeIds(page), ['client1', 'loadBalancer1', 'server1', 'server2'], 'nodes');
      await connect(page, 'client1', 'loadBalancer1');
      await connect(page, 'loadBalancer1', 'server1');
      await connect(page, 'loadBalancer1', 'server2');
      equal(await edgeIds(page), ['client1->loadBalancer1', 'loadBalancer1->server1', 'loadBalancer1->server2'], 'edges');

      // an invalid value is refused inline and never reaches the scenario
      await selectNode(page, 'server1');
      const workers = page.getByTestId('field-node:server1|workers');
      await workers.fill('0');
      await page.getByTestId('field-node:server1|workers-error').filter({ hasText: 'must be at least 1' }).waitFor();
      await workers.fill('1');
      check((await page.getByTestId('field-node:server1|workers-error').count()) === 0, 'the error goes once the value is valid');
      await page.getByTestId('field-node:server1|service.mean').fill('8ms');
      await selectNode(page, 'client1');
      await page.getByTestId('field-node:client1|arrival.rate').fill('150');
      await page.getByTestId('run-duration').fill('30s');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await maxSpeed(page);
      await shot(page, '1-built');

      await runToEnd(page);
      await page.getByTestId('tab-charts').click();
      for (const chart of ['latency', 'throughput', 'queue', 'utilization']) {
        const ds = await page.$$eval(`[data-testid="chart-${chart}"] path.line, [data-testid="chart-${chart}"] path.area`, (ps) => ps.map((p) => p.getAttribute('d') ?? ''));
        check(ds.length > 0 && ds.every((d) => d.startsWith('M') && d.length > 50), `chart ${chart} has paths (${ds.length})`);
      }
      // focusing a node re-scopes the charts; hovering shows exact values
      await page.locator('.react-flow__node[data-id="server1"] .cnode-name').click();
      equal(await page.getByTestId('chart-scope').textContent(), 'server1', 'chart focus');
      const plot = page.locator('[data-testid="chart-latency"] .chart-plot > svg');
      const box = (await plot.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.getByTestId('chart-latency-tip').waitFor();
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      equal(await page.getByTestId('chart-scope').textContent(), 'end to end', 'chart focus after clicking the canvas');
      await shot(page, '1-ran');

      // exports: a chart as PNG and SVG, the series as CSV
      const chart = page.getByTestId('chart-throughput');
      const png = await downloadBytes(page, () => chart.getByRole('button', { name: 'PNG', exact: true }).click());
      equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
      check(png.length > 5000, `a PNG of ${png.length} bytes`);
      const svg = (await downloadBytes(page, () => chart.getByRole('button', { name: 'SVG', exact: true }).click())).toString('utf8');
      check(svg.includes('<svg') && svg.includes('class="area"') && svg.includes('xmlns="http://www.w3.org/2000/svg"'), 'a standalone SVG with the areas');
      const csv = (await downloadBytes(page, () => page.getByTestId('export-csv').click())).toString('utf8').trim().split('\n');
      check(csv[0]!.startsWith('t_seconds,endToEnd.sentPerSec,'), `CSV header: ${csv[0]!.slice(0, 60)}`);
      equal(csv.length, 31, 'one CSV row per 1 s window of the 30 s run, plus the header');
      check(csv[0]!.split(',').includes('clients.client1.latencyMs.p99'), 'the CSV has the per-client series');

      const scenario = await downloadText(page, 'export-scenario');
      const doc = JSON.parse(scenario);
      equal(doc.nodes.find((n: { id: string }) => n.id === 'server1').workers, 1, 'the edited parameter is in the exported scenario');
      check(doc.layout.server1 && Number.isFinite(doc.layout.server1.x), 'positions are exported in layout');
      const cli = runCli(scenario);
      const fp = await page.getByTestId('fingerprint').textContent();
      equal(fp, cli.fingerprint, 'fingerprint: browser vs CLI');
      const table = await summaryTable(page);
      for (const id of ['loadBalancer1', 'server1', 'server2']) {
        // both rows must exist, or the comparison below would pass on two undefineds
        check(Array.isArray(table[id]) && table[id]!.length === 11, `the summary table has a full row for ${id}: ${JSON.stringify(table[id])}`);
        check(Array.isArray(cli.rows[id]) && cli.rows[id]!.length === 11, `the CLI table has a full row for ${id}: ${JSON.stringify(cli.rows[id])}`);
        equal(table[id], cli.rows[id], `summary row ${id} vs the CLI table`);
      }
      const e2e = table['(end to end)'];
      check(Array.isArray(e2e), 'the summary table has an end-to-end row');
      check(cli.endToEnd.includes(`${e2e[2]} sent, ${e2e[3]} ok`), `end-to-end counts ${e2e[2]}/${e2e[3]} match "${cli.endToEnd}"`);
      log(`fingerprint ${fp} = CLI; rows equal: ${JSON.stringify(table.server1)}`);
      await shot(page, '1-summary');
    },
  },
  {
    name: 'shard router: drop it with defaults between a client and two databases, pick consistent hashing, run: the summary equals the CLI; the sharding example runs',
    async run(env, log) {
      const page = await freshPage(env);
      await fanOut(page, 'shardRouter', 'database');
      await selectNode(page, 'shardRouter1');
      await page.getByTestId('field-node:shardRouter1|strategy').selectOption('consistent');
      await page.getByTestId('run-duration').fill('20s');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await maxSpeed(page);
      await runToEnd(page);
      await page.getByTestId('tab-summary').click();
      const scenario = await downloadText(page, 'export-scenario');
      const doc = JSON.parse(scenario);
      equal(doc.nodes.find((n: { id: string }) => n.id === 'shardRouter1').strategy, 'consistent', 'the chosen strategy is in the exported scenario');
      const table = await summaryMatchesCli(page, scenario, ['shardRouter1', 'database1', 'database2']);
      // both shards took a share of the requests: keys spread over the ring
      const arrivals = ['database1', 'database2'].map((id) => Number(table[id]![2]!.replace(/,/g, '')));
      check(arrivals.every((a) => a > 300), `both shards served requests: ${arrivals}`);
      await shot(page, 'shard-router-built');

      await openExample(page, 'sharding-add-a-shard.json');
      await maxSpeed(page);
      await runToEnd(page);
      await page.getByTestId('tab-charts').click();
      await page.locator('.react-flow__node[data-id="db-modn"] .cnode-name').click();
      equal(await page.getByTestId('chart-scope').textContent(), 'db-modn', 'chart focus on the mod-N database');
      await page.mouse.move(5, 5);
      await shot(page, 'sharding-add-a-shard');
      log(`shards ${arrivals.join(' / ')}; example ran`);
    },
  },
  {
    name: 'mesh sidecar: dropped between a client and two servers it warns that 10% ejects no host; raising it clears the warning; the run equals the CLI; the mesh example runs',
    async run(env, log) {
      const page = await freshPage(env);
      await fanOut(page, 'sidecar', 'server');
      await page.getByTestId('tab-problems').click();
      await page.getByTestId('problems-tab').filter({ hasText: 'ejects no host' }).waitFor();
      await selectNode(page, 'sidecar1');
      await page.getByTestId('field-node:sidecar1|outlierDetection.maxEjectionPercent').fill('50');
      await page.getByTestId('problems-tab').filter({ hasText: 'No problems' }).waitFor();
      await page.getByTestId('run-duration').fill('20s');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await maxSpeed(page);
      await runToEnd(page);
      const scenario = await downloadText(page, 'export-scenario');
      equal(JSON.parse(scenario).nodes.find((n: { id: string }) => n.id === 'sidecar1').outlierDetection?.maxEjectionPercent, 50, 'the edit is in the exported scenario');
      const table = await summaryMatchesCli(page, scenario, ['sidecar1', 'server1', 'server2']);
      await shot(page, 'sidecar-built');

      await openExample(page, 'service-mesh-outlier-detection.json');
      await maxSpeed(page);
      await runToEnd(page);
      await page.getByTestId('tab-charts').click();
      await page.locator('.react-flow__node[data-id="shop-article"] .cnode-name').click();
      equal(await page.getByTestId('chart-scope').textContent(), 'shop-article', 'chart focus on the storefront as written');
      await page.mouse.move(5, 5);
      await shot(page, 'service-mesh-outlier-detection');
      log(`sidecar row ${JSON.stringify(table.sidecar1)}`);
    },
  },
  {
    name: 'share link round trip: same topology, same fingerprint; a damaged link changes nothing',
    async run(env, log) {
      const page = await freshPage(env);
      await openExample(page, 'three-tier-failover.json');
      await page.getByTestId('run-seed').fill('11');
      await maxSpeed(page);
      await runToEnd(page);
      const fp = await page.getByTestId('fingerprint').textContent();
      const nodes = await nodeIds(page);
      const edges = await edgeIds(page);
      await page.getByTestId('share').click();
      const url = await page.getByTestId('share-url').inputValue();
      check(url.includes('#s='), 'the link carries the scenario in its hash');
      // a new visitor: empty storage, the link only
      await page.evaluate(() => localStorage.clear());
      await page.goto('about:blank');
      await page.goto(url);
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0);
      equal(await nodeIds(page), nodes, 'nodes after opening the link');
      equal(await edgeIds(page), edges, 'edges after opening the link');
      check(!page.url().includes('#s='), 'the hash is removed once opened');
      await maxSpeed(page);
      await runToEnd(page);
      equal(await page.getByTestId('fingerprint').textContent(), fp, 'fingerprint after the round trip');

      const cut = url.slice(0, url.length - 40) + '!!';
      await page.goto(cut);
      await page.getByTestId('notice-error').filter({ hasText: 'Could not open the shared link' }).waitFor();
      equal(await nodeIds(page), nodes, 'a damaged link keeps the current work');
      log(`link of ${url.length} chars; fingerprint ${fp} both times`);
    },
  },
  {
    name: 'reload restores the work, including edits a moment old and invalid drafts; an unreadable save is kept as a backup',
    async run(env) {
      const page = await freshPage(env);
      await dragFromPalette(page, 'client', 120, 120);
      await dragFromPalette(page, 'server', 420, 120);
      await connect(page, 'client1', 'server1');
      await page.getByTestId('doc-name').fill('my checkout');
      await selectNode(page, 'server1');
      await page.getByTestId('field-node:server1|workers').fill('3');
      await page.getByTestId('field-node:server1|queue').fill('lots');
      await page.getByTestId('field-node:server1|queue-error').waitFor();
      // reload at once: the last edits are younger than the autosave delay
      await page.reload();
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
      equal(await nodeIds(page), ['client1', 'server1'], 'nodes after reload');
      equal(await edgeIds(page), ['client1->server1'], 'edges after reload');
      equal(await page.getByTestId('doc-name').inputValue(), 'my checkout', 'name after reload');
      await page.getByTestId('node-inspector').waitFor();
      equal(await page.getByTestId('field-node:server1|workers').inputValue(), '3', 'committed value after reload');
      equal(await page.getByTestId('field-node:server1|queue').inputValue(), 'lots', 'invalid draft after reload');
      await page.getByTestId('field-node:server1|queue-error').waitFor();
      // the keyboard works on the restored document: duplicate, delete, undo, redo
      await page.locator('.react-flow__node[data-id="server1"] .cnode-name').click();
      await page.keyboard.press('Control+d');
      equal(await nodeIds(page), ['client1', 'server1', 'server2'], 'Ctrl+D duplicates the selected node');
      await page.keyboard.press('Control+z');
      await page.locator('.react-flow__node[data-id="server1"] .cnode-name').click();
      await page.keyboard.press('Delete');
      equal(await nodeIds(page), ['client1'], 'Delete removes the selected node');
      await page.keyboard.press('Control+z');
      equal(await nodeIds(page), ['client1', 'server1'], 'Ctrl+Z brings it back');
      equal(await edgeIds(page), ['client1->server1'], 'with its edge');
      await page.keyboard.press('Control+Shift+z');
      equal(await nodeIds(page), ['client1'], 'Shift+Ctrl+Z removes it again');

      // a saved state that cannot be read is kept as a backup, offered for download, and the editor starts clean
      await page.waitForTimeout(600); // let the last autosave land, so that it does not overwrite what we plant
      await page.evaluate(() => localStorage.setItem('archsim:editor:v1', '{"v":1,"doc":{"nodes":"not a list"}'));
      await page.reload();
      const notice = page.getByTestId('notice-error').filter({ hasText: 'could not be read' });
      await notice.waitFor();
      check(((await notice.textContent()) ?? '').includes('archsim:backup:'), 'the notice names the backup key');
      const backup = await downloadText(page, 'notice-download');
      equal(backup, '{"v":1,"doc":{"nodes":"not a list"}', 'the backup is the unreadable text, as it was');
      equal(await nodeIds(page), [], 'the editor starts empty');
    },
  },
  {
    name: 'keys on a focused palette item act on it only: Space adds one node and starts no run, Delete deletes nothing',
    async run(env) {
      const page = await freshPage(env);
      await openExample(page, 'mm1.json');
      const status = () => page.getByTestId('status').textContent();
      const before = await nodeIds(page);
      const idle = await status();
      const item = page.getByTestId('palette-server');
      await item.focus();
      await page.keyboard.press('Space');
      await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length > n, before.length);
      await page.waitForTimeout(300); // a run (or a second node) would have shown by now
      equal((await nodeIds(page)).length, before.length + 1, 'Space on a palette item adds exactly one node');
      equal(await status(), idle, 'and starts no run');
      check((await page.locator('.notice', { hasText: 'before running' }).count()) === 0, 'nor tries to (no "fix problems before running" notice)');
      // the new node is selected; Delete on the palette item must not delete it
      await item.focus();
      await page.keyboard.press('Delete');
      await page.keyboard.press('Backspace');
      equal((await nodeIds(page)).length, before.length + 1, 'Delete on a palette item deletes nothing on the canvas');
      // Ctrl+Z still works from there; the canvas shortcuts work once a node has the focus
      await page.keyboard.press('Control+z');
      equal(await nodeIds(page), before, 'Ctrl+Z on the palette item undoes the add');
      await page.locator('.react-flow__node[data-id="api"] .cnode-name').click();
      await page.keyboard.press('Space');
      await page.locator('[data-testid="status"]', { hasText: 'running' }).waitFor();
      await page.keyboard.press('Space');
      await page.locator('[data-testid="status"]', { hasText: 'paused' }).waitFor();
      await page.keyboard.press('Delete');
      equal(await nodeIds(page), before.filter((id) => id !== 'api'), 'Delete on the canvas deletes the selected node');
    },
  },
  {
    name: 'the minimap shows at 1280×720 clear of the nodes; on a canvas too short for it the toggle says why',
    async run(env) {
      const page = await freshPage(env);
      await openExample(page, 'three-tier-failover.json');
      const minimap = page.locator('.react-flow__minimap');
      await minimap.waitFor();
      await page.waitForTimeout(400); // let the fit's animation end
      const m = (await minimap.boundingBox())!;
      const boxes = await page.$$eval('.react-flow__node', (ns) => ns.map((n) => n.getBoundingClientRect().toJSON() as DOMRect));
      const covered = boxes.filter((b) => b.x < m.x + m.width && m.x < b.x + b.width && b.y < m.y + m.height && m.y < b.y + b.height);
      equal(covered.length, 0, `nodes under the minimap at ${JSON.stringify(m)}`);
      const toggle = page.getByTestId('minimap-toggle');
      equal(await toggle.getAttribute('title'), 'Hide the minimap', 'the toggle with room');
      await shot(page, 'minimap-1280x720');
      // a tall results panel leaves the canvas too short: the toggle says so, a click explains
      const sep = page.locator('.dock-resize');
      await sep.focus();
      for (let i = 0; i < 6; i++) await sep.press('ArrowUp');
      await minimap.waitFor({ state: 'detached' });
      check(/hidden: the canvas is \d+ px tall and the minimap needs 220 px/.test((await toggle.getAttribute('title')) ?? ''), `the toggle says why: ${await toggle.getAttribute('title')}`);
      await toggle.click();
      equal(await toggle.getAttribute('aria-pressed'), 'false', 'turned off');
      await toggle.click();
      await page.locator('.notice', { hasText: 'no room for it yet' }).waitFor();
      for (let i = 0; i < 6; i++) await sep.press('ArrowDown');
      await minimap.waitFor();
      await page.locator('.notice', { hasText: 'no room for it yet' }).waitFor({ state: 'detached' });
    },
  },
  {
    name: 'a share link opened in a second tab does not lose the first tab’s work: it is in Recent work after a reload',
    async run(env, log) {
      const page = await freshPage(env);
      await dragFromPalette(page, 'client', 120, 120);
      await dragFromPalette(page, 'server', 420, 120);
      await connect(page, 'client1', 'server1');
      await page.getByTestId('doc-name').fill('first work');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await page.waitForTimeout(600); // the autosave lands
      // a second tab of the same browser opens a link to another scenario
      const link = await shareUrl(JSON.parse(readFileSync(join(ROOT, 'scenarios/mm1.json'), 'utf8')), env.url);
      const second = await env.context.newPage();
      await second.goto(link);
      await second.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2 && !location.hash);
      equal(await second.getByTestId('doc-name').inputValue(), 'M/M/1 queue', 'the second tab shows the link');
      // the first tab hears of it, keeps its work on screen and says what happened
      const notice = page.locator('.notice', { hasText: 'Another tab saved different work' });
      await notice.waitFor();
      equal(await nodeIds(page), ['client1', 'server1'], 'the first tab keeps its work on screen');
      await shot(page, 'two-tabs-notice');
      await page.getByTestId('doc-name').fill('first work, edited'); // edits while the other tab's save is newer
      await page.waitForTimeout(600);
      await second.close();
      // a reload shows the newest save (the link); the first work is one click away
      await page.reload();
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
      equal(await page.getByTestId('doc-name').inputValue(), 'M/M/1 queue', 'after a reload: the newest save');
      await page.getByTestId('open-examples').click();
      const entries = page.getByTestId('recent-entry');
      const names = await entries.locator('.example-name').allTextContents();
      check(names.some((n) => n.startsWith('first work, edited')), `the first tab's work is in Recent work: ${JSON.stringify(names)}`);
      await shot(page, 'recent-work');
      await entries.filter({ hasText: 'first work, edited' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node[data-id="client1"]').length === 1);
      equal(await nodeIds(page), ['client1', 'server1'], 'restored nodes');
      equal(await edgeIds(page), ['client1->server1'], 'restored edges');
      equal(await page.getByTestId('doc-name').inputValue(), 'first work, edited', 'restored name, with the edit made while paused');
      // and the link it replaced is now a recent entry in its turn
      await page.getByTestId('open-examples').click();
      check(((await page.getByTestId('recent-work').textContent()) ?? '').includes('M/M/1 queue'), 'the replaced link is kept in turn');
      log(`recent work: ${names.join(' | ')}`);
    },
  },
  {
    name: 'an invalid import lists its errors by path and keeps the current canvas',
    async run(env) {
      const page = await freshPage(env);
      await openExample(page, 'mm1.json');
      const before = await nodeIds(page);
      const name = await page.getByTestId('doc-name').inputValue();
      const bad = {
        version: 1,
        name: 'broken',
        nodes: [
          { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 'fast' } },
          { id: 's', type: 'server', workers: 0 },
          { id: 'x', type: 'serverr' },
        ],
        edges: [{ from: 'c', to: 's' }],
      };
      await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
      const notice = page.getByTestId('notice-error').filter({ hasText: 'broken.json' });
      await notice.waitFor();
      const text = (await notice.textContent()) ?? '';
      for (const path of ['nodes[0].arrival.rate', 'nodes[1].workers', 'nodes[2].type']) check(text.includes(path), `the import errors name ${path}: ${text}`);
      check(text.includes('did you mean "server"'), 'the unknown type gets a suggestion');
      equal(await nodeIds(page), before, 'the canvas is unchanged');
      equal(await page.getByTestId('doc-name').inputValue(), name, 'the name is unchanged');
      await page.getByTestId('import-file').setInputFiles({ name: 'garbage.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "nodes": [') });
      await page.getByTestId('notice-error').filter({ hasText: 'not valid JSON' }).waitFor();
      equal(await nodeIds(page), before, 'still unchanged after a file that is not JSON');
    },
  },
  {
    name: 'a run stopped by the event budget says why and leads to the limit',
    async run(env) {
      const page = await freshPage(env);
      const text = readFileSync(join(ROOT, 'scenarios/mm1.json'), 'utf8');
      const scenario = { ...JSON.parse(text), limits: { maxEvents: 20000 } };
      await page.getByTestId('import-file').setInputFiles({ name: 'budget.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
      await maxSpeed(page);
      await page.getByTestId('run').click();
      const banner = page.getByTestId('run-stopped');
      await banner.waitFor();
      check(((await banner.textContent()) ?? '').includes('limits.maxEvents = 20000'), 'the message names the limit');
      equal(await page.getByTestId('status').textContent(), 'stopped', 'status');
      await banner.getByRole('button').click();
      const field = page.getByTestId('field-top|limits.maxEvents');
      await field.waitFor();
      check(await field.isVisible(), 'the limit field is shown');
      await field.fill('2000000');
      await page.getByTestId('reset').click();
      await runToEnd(page);
      equal(await page.getByTestId('fingerprint').textContent(), runCli(text).fingerprint, 'with the budget raised, the run completes with the CLI fingerprint');
    },
  },
  {
    name: 'a live run shows utilisation, traffic and filling charts; pause and step; light and dark, small and large',
    async run(env, log) {
      const page = await freshPage(env);
      await openExample(page, 'three-tier-failover.json');
      equal(await page.locator('.speed-val').textContent(), '10×', 'default speed');
      if (process.env.E2E_DOCS) {
        for (const close of await page.locator('.notice [aria-label="dismiss"]').all()) await close.click();
        await page.setViewportSize({ width: 1440, height: 900 });
      }
      await page.getByTestId('run').click();
      await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="sim-time"]')?.textContent ?? '0') >= 26, undefined, { timeout: 30_000 });
      if (process.env.E2E_DOCS) {
        await page.locator('.react-flow__node[data-id="lb"] .cnode-name').hover();
        await page.locator('.hover-card').filter({ hasText: 'arrivals' }).waitFor();
        await page.screenshot({ path: join(ROOT, 'docs/screenshot.png') });
        log('wrote docs/screenshot.png');
        await page.setViewportSize({ width: 1280, height: 720 });
      }
      equal(await page.getByTestId('status').textContent(), 'running', 'status mid-run');
      const progress = Number(await page.getByTestId('progress').getAttribute('aria-valuenow'));
      check(progress > 30 && progress < 100, `progress mid-run is ${progress}%`);
      check((await page.locator('[data-testid="chart-latency"] path.line').count()) === 3, 'three latency lines');
      check((await page.locator('[data-testid="chart-throughput"] path.area').count()) >= 2, 'ok and failures stacked');
      check((await page.locator('.dots circle').count()) > 0, 'traffic dots on the edges');
      check(/\d+%/.test((await page.locator('.react-flow__node[data-id="app1"] .cnode-live').textContent()) ?? ''), 'utilisation on the node');
      await page.locator('.react-flow__node[data-id="app1"] .cnode-name').hover();
      await page.locator('.hover-card').filter({ hasText: 'busy workers' }).waitFor();
      await shot(page, 'live-1280x720-light');
      await page.getByTestId('pause').click();
      await page.locator('[data-testid="status"]', { hasText: 'paused' }).waitFor();
      const nowUs = async () => Number(await page.getByTestId('sim-time').getAttribute('data-now-us'));
      const before = await nowUs();
      await page.getByTestId('step').click();
      await page.waitForFunction((t) => Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-now-us')) > t, before);
      const after = await nowUs();
      // a step runs to just past the end of the current 1 s window
      equal(after, Math.floor(before / 1e6) * 1e6 + 1e6 + 1, `one step from ${before} µs`);
      equal(await page.getByTestId('status').textContent(), 'paused', 'paused after a step');
      await page.getByTestId('theme').click();
      await shot(page, 'live-1280x720-dark');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.waitForTimeout(300);
      await shot(page, 'live-1920x1080-dark');
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.getByTestId('theme').click();
      await maxSpeed(page);
      await page.getByTestId('run').click();
      await page.locator('[data-testid="status"]', { hasText: 'done' }).waitFor({ timeout: 60_000 });
      equal(await page.getByTestId('fingerprint').textContent(), runCli(readFileSync(join(ROOT, 'scenarios/three-tier-failover.json'), 'utf8')).fingerprint, 'paced, paused, stepped and resumed: still the CLI fingerprint');
    },
  },
  {
    name: 'keep a run as the baseline, change one thing, run again: the charts overlay both and a table compares them',
    async run(env, log) {
      const page = await freshPage(env);
      await openExample(page, 'mm1.json');
      await page.getByTestId('run-duration').fill('20s');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await maxSpeed(page);
      check(await page.getByTestId('keep-baseline').isDisabled(), 'nothing to keep before a run');
      await runToEnd(page);
      const first = await page.getByTestId('fingerprint').textContent();
      await page.getByTestId('tab-summary').click();
      const before = await summaryTable(page);
      await page.getByTestId('keep-baseline').click();
      await page.getByTestId('baseline-chip').waitFor();
      check(!(await page.getByTestId('replace-baseline').isVisible()), 'the kept run cannot replace itself');

      // one change: a second worker
      await selectNode(page, 'api');
      await page.getByTestId('field-node:api|workers').fill('2');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await runToEnd(page);
      check((await page.getByTestId('fingerprint').textContent()) !== first, 'a different run');
      await page.getByTestId('tab-summary').click();
      const table = page.getByTestId('baseline-comparison');
      await table.waitFor();
      const after = await summaryTable(page);
      const row = table.locator('tr[data-scope="end to end"][data-metric="p99"]');
      const cells = await row.locator('td').allTextContents();
      // both sides are the summary tables' own numbers
      equal(cells[2], `${before['(end to end)']![9]} ms`, 'baseline p99');
      equal(cells[3], `${after['(end to end)']![9]} ms`, 'this run p99');
      equal(await row.locator('td.delta').getAttribute('data-verdict'), 'better', 'a second worker cuts p99');
      const util = table.locator('tr[data-scope="api"][data-metric="utilisation"] td.delta');
      equal(await util.getAttribute('data-verdict'), 'none', 'utilisation has no better direction');
      check((await table.textContent())!.includes('Same seed'), 'says the runs share their random numbers');
      log(`p99 ${cells[2]} → ${cells[3]} (${await row.locator('td.delta').textContent()})`);
      await shot(page, 'baseline-summary');

      await page.getByTestId('tab-charts').click();
      for (const chart of ['latency', 'throughput', 'queue', 'utilization']) {
        const n = await page.locator(`[data-testid="chart-${chart}"] path.baseline`).count();
        check(n > 0, `chart ${chart} draws the baseline (${n})`);
      }
      await page.locator('[data-testid="chart-latency"] .legend', { hasText: 'baseline' }).waitFor();
      const plot = page.locator('[data-testid="chart-latency"] .chart-plot > svg');
      const box = (await plot.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await page.getByTestId('chart-latency-tip').filter({ hasText: 'p99 (baseline)' }).waitFor();
      await shot(page, 'baseline-charts');

      // the baseline survives a reset and goes when dropped
      await page.getByTestId('reset').click();
      await page.getByTestId('baseline-chip').waitFor();
      await page.getByTestId('clear-baseline').click();
      await page.getByTestId('keep-baseline').waitFor();
    },
  },
  {
    name: 'replications: run the scenario under several seeds; the means and intervals are the CLI --replications numbers',
    async run(env, log) {
      const page = await freshPage(env);
      await openExample(page, 'mm1.json');
      await page.getByTestId('run-duration').fill('10s');
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await page.getByTestId('tab-seeds').click();
      await page.getByTestId('seeds-count').fill('1');
      check(await page.getByTestId('seeds-run').isDisabled(), 'one seed is not a replication');
      await page.getByTestId('seeds-count').fill('6');
      await page.getByTestId('seeds-run').click();
      await page.getByTestId('seeds-run').waitFor({ timeout: 60_000 }); // back from "Cancel" once done
      const cells = await page.locator('[data-testid="seeds-table"] tr[data-metric="endToEnd.latencyMs.p99"] td').allTextContents();
      // the CLI, same scenario, same seeds
      const text = JSON.stringify({ ...JSON.parse(readFileSync(join(ROOT, 'scenarios/mm1.json'), 'utf8')), duration: '10s' });
      const dir = mkdtempSync(join(tmpdir(), 'archsim-seeds-'));
      writeFileSync(join(dir, 's.json'), text);
      const out = JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/sim.ts'), 'run', join(dir, 's.json'), '--replications', '6', '--json'], { cwd: ROOT, encoding: 'utf8' }),
      );
      rmSync(dir, { recursive: true, force: true });
      const m = out.metrics['endToEnd.latencyMs.p99'];
      equal(cells[2], m.mean.toFixed(2), 'mean p99 as in the CLI');
      equal(cells[3], `± ${m.halfWidth.toFixed(2)}`, 'its 95% interval as in the CLI');
      log(`p99 over 6 seeds: ${cells[2]} ${cells[3]} ms`);
      await page.setViewportSize({ width: 1280, height: 900 });
      await shot(page, 'replications');
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.locator('.seeds-runs summary').click();
      const seeds = await page.$$eval('[data-testid="seeds-runs"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-seed')));
      equal(seeds, out.runs.map((r: { seed: number }) => String(r.seed)), 'the same seeds');
      // watch one of them: the seed goes into the scenario and the run's fingerprint is that run's
      await page.locator('[data-testid="seeds-runs"] tbody tr').nth(2).getByText('watch this run').click();
      await page.locator('[data-testid="status"]', { hasText: 'done' }).waitFor({ timeout: 60_000 });
      equal(await page.getByTestId('fingerprint').textContent(), out.runs[2].fingerprint, 'the watched run is replication 3');
      equal(await page.getByTestId('run-seed').inputValue(), String(out.runs[2].seed), 'the seed field shows it');
    },
  },
];
