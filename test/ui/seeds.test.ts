import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';
import { replicate } from '../../cli/replicate.ts';
import { seedsHandler } from '../../ui/sim/seedsWorker.ts';
import { SeedsPool, seedWorkers, type WorkerLike } from '../../ui/sim/seeds.ts';
import type { SeedsFromWorker, SeedsToWorker } from '../../ui/sim/protocol.ts';
import { createSeedsStore, summarise } from '../../ui/store/seeds.ts';
import { seedRows } from '../../ui/run/seedRows.ts';
import type { Doc } from '../../ui/store/doc.ts';

const raw = JSON.parse(readFileSync(new URL('../../scenarios/mm1.json', import.meta.url), 'utf8'));
const doc: Doc = { ...raw, duration: '10s', warmup: '1s', faults: [] };

/** A worker that runs the real handler in this thread, answering asynchronously like a worker. */
function nodeWorker(log: string[]): WorkerLike {
  let dead = false;
  const w: WorkerLike = {
    onmessage: null,
    postMessage(m: SeedsToWorker) {
      if (dead) return;
      log.push(m.type === 'run' ? `run ${m.i}` : m.type);
      setTimeout(() => {
        if (!dead) handle(m);
      }, 0);
    },
    terminate() {
      dead = true;
    },
  };
  const handle = seedsHandler((m: SeedsFromWorker) => {
    if (!dead) w.onmessage?.({ data: m });
  });
  return w;
}

function settle(store: ReturnType<typeof createSeedsStore>): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (store.getState().status === 'running' ? setTimeout(check, 5) : resolve());
    check();
  });
}

describe('replications in the page', () => {
  it('give the CLI --replications numbers: same seeds, same fingerprints, same intervals', async () => {
    const log: string[] = [];
    const store = createSeedsStore(new SeedsPool(() => nodeWorker(log)), () => 4);
    store.getState().start(doc, 5);
    expect(store.getState().status).toBe('running');
    await settle(store);
    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.runs.map((r) => r.i)).toEqual([0, 1, 2, 3, 4]);
    // two workers (4 cores less one for the page and one for a live run), each told the scenario once
    expect(log.filter((l) => l === 'scenario')).toHaveLength(2);

    const p = parseScenario(doc);
    if (!p.ok) throw new Error('invalid');
    const cli = await replicate(p.scenario, p.scenario.seed, 5, { parallel: 1 });
    expect(s.runs.map((r) => r.fingerprint)).toEqual(cli.summary.runs.map((r) => r.fingerprint));
    const mine = summarise(s.runs);
    for (const [k, m] of Object.entries(cli.summary.metrics)) {
      expect(mine[k]!.mean, k).toBeCloseTo(m.mean, 9);
      if (Number.isFinite(m.halfWidth)) expect(mine[k]!.halfWidth, k).toBeCloseTo(m.halfWidth, 9);
    }
    const p99 = s.runs.map((r) => r.metrics['endToEnd.latencyMs.p99']!);
    expect(mine['endToEnd.latencyMs.p99']!.min).toBe(Math.min(...p99));
    expect(mine['endToEnd.latencyMs.p99']!.max).toBe(Math.max(...p99));
  });

  it('refuse a bad count or an invalid scenario with a reason, and cancel at once', async () => {
    const store = createSeedsStore(new SeedsPool(() => nodeWorker([])), () => 2);
    store.getState().start(doc, 1);
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toMatch(/from 2 to 200/);
    store.getState().start({ ...doc, nodes: [doc.nodes[0]!] }, 5);
    expect(store.getState().status).toBe('invalid');
    expect(store.getState().issues.map((i) => i.path)).toContain('edges[0].to');
    store.getState().start(doc, 50);
    store.getState().cancel();
    expect(store.getState().status).toBe('idle');
    await new Promise((r) => setTimeout(r, 50));
    expect(store.getState().runs).toEqual([]); // results of the cancelled runs never arrive
  });

  it('keep the runs finished before a cancel, in order, and summarise them', async () => {
    const store = createSeedsStore(new SeedsPool(() => nodeWorker([])), () => 2);
    store.getState().start(doc, 20);
    await new Promise<void>((resolve) => {
      const check = () => (store.getState().runs.length >= 3 ? resolve() : setTimeout(check, 2));
      check();
    });
    store.getState().cancel();
    const s = store.getState();
    expect(s.status).toBe('cancelled');
    expect(s.runs.length).toBeGreaterThanOrEqual(3);
    expect(s.runs.length).toBeLessThan(20);
    expect(s.runs.map((r) => r.i)).toEqual(s.runs.map((_, i) => i)); // one worker: runs 0, 1, 2, ... in order
    const n = s.runs.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(store.getState().runs).toHaveLength(n); // nothing arrives after the cancel
    expect(summarise(store.getState().runs)['endToEnd.latencyMs.p99']!.n).toBe(n);
  });

  it('use the cores less one for the page and one for a live run, at least 1 and at most 4 workers', () => {
    expect(seedWorkers(undefined, 10)).toBe(1);
    expect(seedWorkers(2, 10)).toBe(1);
    expect(seedWorkers(3, 10)).toBe(1);
    expect(seedWorkers(4, 10)).toBe(2);
    expect(seedWorkers(8, 10)).toBe(4);
    expect(seedWorkers(8, 2)).toBe(2);
  });

  it('label the rows by scope, node ids with dots included', () => {
    const one = { mean: 1, halfWidth: 0.1, min: 0.9, max: 1.1, n: 3 };
    const rows = seedRows(
      {
        'nodes.db.v2.utilization': one,
        'endToEnd.latencyMs.p99': one,
        'nodes.api.latencyMs.p99': one,
        'nodes.db.v2.queueLength.mean': one,
        'endToEnd.successRatio': one,
      },
      ['api', 'db.v2'],
    );
    expect(rows.map((r) => [r.scope, r.label, r.percent])).toEqual([
      ['end to end', 'p99 ms', false],
      ['end to end', 'success', true],
      ['api', 'p99 ms', false],
      ['db.v2', 'utilisation', true],
      ['db.v2', 'queue (mean)', false],
    ]);
  });
});
