/**
 * The shard router: each request reaches the shard that holds its key or user, a shard
 * added during the run moves N/(N+1) of the requests under hash mod N and about 1/(N+1)
 * under consistent or jump hashing (ground-truth.md §3.5), a crashed shard fails only its
 * own keys, range sharding of skewed keys makes a hot shard, and a cross-shard query takes
 * as long as its slowest shard.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';
import { hashId, modShard } from '../../engine/kernels/shard.ts';
import { zipfProbabilities } from '../../engine/kernels/keys.ts';
import { run, scenario } from '../helpers.ts';

/** Errors, then warnings (prefixed), as "path: message". */
const issues = (s: Parameters<typeof scenario>[0]) => {
  const r = parseScenario(scenario(s));
  return [...(r.ok ? [] : r.issues), ...r.warnings.map((w) => ({ ...w, message: `warning: ${w.message}` }))].map((i) => `${i.path}: ${i.message}`);
};

/** A client, a router and `n` databases db-1..db-n, one edge to each in order. */
function sharded(router: Record<string, unknown>, n: number, client: Record<string, unknown> = {}) {
  const dbs = Array.from({ length: n }, (_, i) => ({ id: `db-${i + 1}`, type: 'database', connections: 64 }));
  return {
    nodes: [
      { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 1000 }, writeFraction: 0, keys: { popularity: 'uniform', count: 100000 }, ...client },
      { id: 'router', type: 'shardRouter', ...router },
      ...dbs,
    ],
    edges: [{ from: 'c', to: 'router' }, ...dbs.map((d) => ({ from: 'router', to: d.id }))],
  };
}

type Row = Record<string, any>;

describe('shard router', () => {
  it('sends every request for a key to the same shard: hash(key) mod N', () => {
    const t = run(sharded({}, 3, { arrival: { process: 'trace', requests: [5, 9, 5, 123456, 9, 5, 77].map((key, i) => ({ at: i, key })) } }), { trace: true });
    expect(t.traces).toHaveLength(7);
    for (const r of t.traces) {
      expect(r.status).toBe(200);
      expect(r.path.at(-1)).toBe(`db-${modShard(hashId(r.key), 3) + 1}`);
    }
    const n = t.report.nodes as Row;
    expect([1, 2, 3].reduce((s, i) => s + n[`db-${i}`].arrivals, 0)).toBe(7);
  });

  it('shards by user when asked, so all of a user\'s requests meet on one shard', () => {
    const users = [3, 3, 8, 8, 8, 41];
    const t = run(sharded({ shardBy: 'user' }, 4, { arrival: { process: 'trace', requests: users.map((user, i) => ({ at: i, user, key: i })) } }), { trace: true });
    for (const r of t.traces) expect(r.path.at(-1)).toBe(`db-${modShard(hashId(r.user), 4) + 1}`);
  });

  // A uniform key stream: each request's key is one of 100,000, so the share of requests
  // that moved is a binomial proportion around the share of keys that moved (itself a
  // proportion over the keys): 4 standard errors of both.
  const tolerance = (p: number, routed: number) => 4 * Math.sqrt((p * (1 - p)) / routed + (p * (1 - p)) / 100000);
  const addShard = (strategy: string) =>
    run({
      ...sharded({ strategy, shards: 3 }, 4),
      duration: '30s',
      faults: [{ at: '10s', node: 'router', action: 'set', params: { shards: 4 } }],
    });

  it('adding a fourth shard moves 3/4 of the requests under hash mod N', () => {
    const rs = (addShard('hash').report.nodes as Row).router.reshard;
    expect([rs.from, rs.to, rs.at]).toEqual([3, 4, '10s']);
    expect(rs.routed).toBeGreaterThan(18000);
    expect(Math.abs(rs.remappedShare - 0.75)).toBeLessThan(tolerance(0.75, rs.routed));
  });

  it("and only the new shard's ring share under consistent hashing, all of it onto the new shard", () => {
    const t = addShard('consistent');
    const r = (t.report.nodes as Row).router;
    const share = r.shards['db-4'].ringShare;
    // 100 virtual nodes: the new shard's share is near 1/4 (CV about 0.09)
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.32);
    expect(Math.abs(r.reshard.remappedShare - share)).toBeLessThan(tolerance(share, r.reshard.routed));
    // every moved request went to db-4: the old shards only lost requests
    const n = t.report.nodes as Row;
    expect(n['db-4'].arrivals).toBe(r.reshard.remapped);
  });

  it('and 1/4 under jump hash', () => {
    const rs = (addShard('jump').report.nodes as Row).router.reshard;
    expect(Math.abs(rs.remappedShare - 0.25)).toBeLessThan(tolerance(0.25, rs.routed));
  });

  it('a set fault that ends puts the shard count back, and the series show the moved share per window', () => {
    const t = run({
      ...sharded({ strategy: 'hash', shards: 2 }, 3),
      duration: '6s',
      faults: [{ at: '2s', for: '2s', node: 'router', action: 'set', params: { shards: 3 } }],
    });
    const r = (t.report.nodes as Row).router;
    // the revert, 3 → 2 at 4 s, is the last change
    expect([r.reshard.from, r.reshard.to, r.reshard.at, r.shardsInUse]).toEqual([3, 2, '4s', 2]);
    // per 1 s window: nothing moved before 2 s; 2 → 3 and 3 → 2 shards both move 2/3 of
    // about 1,000 requests (4 standard errors: 0.06)
    const moved = t.sim.byId.get('router')!.stats.series.extra.remappedShare!;
    expect(moved).toHaveLength(6);
    expect(moved.slice(0, 2).every(Number.isNaN)).toBe(true);
    for (const x of moved.slice(2)) expect(Math.abs(x - 2 / 3)).toBeLessThan(0.06);
  });

  it('a crashed shard fails only the requests for its own keys', () => {
    const t = run(
      {
        ...sharded({}, 3),
        duration: '4s',
        faults: [{ at: '1s', for: '2s', node: 'db-2', action: 'crash' }],
      },
      { trace: true },
    );
    let failed = 0;
    for (const r of t.traces) {
      const shard = modShard(hashId(r.key), 3) + 1;
      if (r.status !== 200) {
        failed++;
        expect(shard).toBe(2);
        // sent during the crash, or in flight at db-2 when it crashed (its reads take up to ~100 ms)
        expect(r.sentAt).toBeGreaterThan(800_000);
        expect(r.sentAt).toBeLessThan(3_000_000);
      } else if (r.sentAt >= 1_000_000 && r.sentAt < 3_000_000) expect(shard).not.toBe(2);
    }
    // about a third of the 2,000 requests in the crash
    expect(failed).toBeGreaterThan(500);
    expect(failed).toBeLessThan(850);
  });

  it('range sharding of Zipf keys makes a hot shard: the first range gets its Zipf mass', () => {
    const t = run({
      ...sharded({ strategy: 'range', rangeSize: 2500 }, 4, { keys: { popularity: 'zipf', count: 10000, alpha: 0.9 } }),
      duration: '20s',
    });
    const r = (t.report.nodes as Row).router;
    const p = zipfProbabilities(10000, 0.9);
    const first = p.slice(0, 2500).reduce((a, b) => a + b, 0);
    const requests = (t.report.nodes as Row).c.sent as number;
    expect(Math.abs(r.shards['db-1'].share - first)).toBeLessThan(4 * Math.sqrt((first * (1 - first)) / requests));
    // the hot shard over the mean of four
    expect(r.imbalance).toBeCloseTo(4 * first, 1);
    // hashing the same keys spreads them
    const h = (run({ ...sharded({ strategy: 'hash' }, 4, { keys: { popularity: 'zipf', count: 10000, alpha: 0.9 } }), duration: '20s' }).report.nodes as Row).router;
    expect(h.imbalance).toBeLessThan(1.15);
  });

  it("range sharding by user counts each client's users from 0, like a table's user ids", () => {
    // 10,000 users of each client, 2,500 per range: a quarter on each shard, whichever
    // block of global ids the client's users were given
    const t = run({ ...sharded({ strategy: 'range', shardBy: 'user', rangeSize: 2500 }, 4, { users: 10000 }), duration: '20s' });
    const r = (t.report.nodes as Row).router;
    const sent = (t.report.nodes as Row).c.sent as number;
    for (let i = 1; i <= 4; i++) expect(Math.abs(r.shards[`db-${i}`].share - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / sent));
    // and a trace's numeric user ids are their own numbers
    const tr = run(sharded({ strategy: 'range', shardBy: 'user', rangeSize: 2500 }, 4, { arrival: { process: 'trace', requests: [{ at: 0, user: 2499 }, { at: 1, user: 2500 }, { at: 2, user: 9_000_000 }] } }), { trace: true });
    expect(tr.traces.map((x) => x.path.at(-1))).toEqual(['db-1', 'db-2', 'db-4']);
  });

  it('a cross-shard query waits for the slowest shard, and fails as soon as one fails', () => {
    const s = sharded({ crossShard: 1 }, 3, { arrival: { process: 'trace', requests: [{ at: 0 }, { at: 100 }] } });
    s.nodes = s.nodes.map((n, i) => (i >= 2 ? { id: n.id, type: 'server', service: [2, 9, 5][i - 2] } : n));
    const t = run(s, { trace: true });
    expect(t.traces.map((r) => r.latency)).toEqual([9000, 9000]);
    const n = t.report.nodes as Row;
    expect(n.router.crossShardQueries).toBe(2);
    expect([n['db-1'].arrivals, n['db-2'].arrivals, n['db-3'].arrivals]).toEqual([2, 2, 2]);
    // shard 3 down: the query fails when it answers, without waiting for the slow shard 2
    const down = run({ ...s, faults: [{ at: '0s', node: 'db-3', action: 'crash' }] }, { trace: true });
    expect(down.traces.every((r) => r.status !== 200 && r.latency < 9000)).toBe(true);
  });

  it('a lookup directory places listed ids on their shard, the rest by hash', () => {
    const keys = [7, 7, 8, 1000];
    const t = run(
      sharded({ strategy: 'directory', directory: [{ id: 7, shard: 'db-3' }, { id: 1000, shard: 'db-1' }] }, 3, {
        arrival: { process: 'trace', requests: keys.map((key, i) => ({ at: i, key })) },
      }),
      { trace: true },
    );
    const where = Object.fromEntries(t.traces.map((r) => [r.key, r.path.at(-1)]));
    expect(where[7]).toBe('db-3');
    expect(where[1000]).toBe('db-1');
    expect(where[8]).toBe(`db-${modShard(hashId(8), 3) + 1}`);
  });

  it('a directory by user names generated users as reports do ("c/u3"), and counts upstream timeouts after warm-up', () => {
    const dir = Array.from({ length: 10 }, (_, u) => ({ id: `c/u${u}`, shard: 'db-2' }));
    const t = run({ ...sharded({ strategy: 'directory', shardBy: 'user', directory: dir }, 3, { users: 10 }), duration: '3s' });
    const n = t.report.nodes as Row;
    expect(n['db-2'].arrivals).toBe(n.c.sent);
    // a shard slower than the router's upstream timeout: every request after warm-up times out, and is counted
    const s = sharded({ upstreamTimeout: '50ms' }, 2);
    s.nodes = s.nodes.map((x, i) => (i >= 2 ? { id: x.id, type: 'server', service: '100ms', workers: 1000 } : x));
    const slow = run({ ...s, duration: '3s', warmup: '1s' });
    const r = (slow.report.nodes as Row).router;
    expect(r.upstreamTimeouts).toBeGreaterThan(1000);
    expect(r.upstreamTimeouts).toBe(r.failed['504']);
  });

  it('geo sharding serves each region\'s clients from its own shard', () => {
    const t = run({
      nodes: [
        { id: 'eu', type: 'client', arrival: { process: 'poisson', rate: 300 } },
        { id: 'us', type: 'client', arrival: { process: 'poisson', rate: 100 } },
        { id: 'router', type: 'shardRouter', strategy: 'geo', regions: [{ client: 'eu', shard: 'db-eu' }, { client: 'us', shard: 'db-us' }] },
        { id: 'db-us', type: 'database' },
        { id: 'db-eu', type: 'database' },
      ],
      edges: [{ from: 'eu', to: 'router' }, { from: 'us', to: 'router' }, { from: 'router', to: 'db-us' }, { from: 'router', to: 'db-eu' }],
    });
    const n = t.report.nodes as Row;
    expect(n['db-eu'].arrivals).toBe(n.eu.sent);
    expect(n['db-us'].arrivals).toBe(n.us.sent);
    expect(n.router.shardBy).toBe('client');
  });

  it('works as dropped from the palette: defaults split a stream over its shards', () => {
    const t = run({
      nodes: [{ id: 'c', type: 'client' }, { id: 'router', type: 'shardRouter' }, { id: 'a', type: 'database' }, { id: 'b', type: 'database' }],
      edges: [{ from: 'c', to: 'router' }, { from: 'router', to: 'a' }, { from: 'router', to: 'b' }],
    });
    const n = t.report.nodes as Row;
    expect(n.c.sent).toBeGreaterThan(500);
    expect(n.c.failedTotal).toBe(0);
    expect(n.a.arrivals + n.b.arrivals).toBe(n.c.sent);
    expect(Math.min(n.a.arrivals, n.b.arrivals)).toBeGreaterThan(0.4 * n.c.sent);
    expect(n.router.strategy).toBe('hash');
    expect(n.router.reshard).toBeNull();
  });

  it('replays identically from its seed', () => {
    const a = addShard('consistent').report;
    const b = addShard('consistent').report;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('explains what is wrong with its configuration', () => {
    const base = sharded({ shards: 5, strategy: 'directory', directory: [{ id: 7, shard: 'db-9' }, { id: 7, shard: 'db-1' }], regions: [{ client: 'nobody', shard: 'db-1' }] }, 2);
    expect(issues({ ...base, edges: [...base.edges.slice(0, 2), { from: 'router', to: 'db-2', weight: 3 }] })).toEqual([
      'nodes[1].shards: 5 shards in use, but the router has 2 outgoing edges; add an edge to each shard, or lower it (0 uses every edge)',
      'nodes[1].directory[0].shard: "db-9" is not one of this router\'s shards (db-1, db-2); add an edge to it first',
      'nodes[1].directory[1].id: id 7 is listed twice',
      'nodes[1].regions[0].client: "nobody" is not a client in this scenario',
      "edges[2]: warning: weight, probability and kinds have no effect on a shard router's edges; the placement strategy alone decides the shard",
      'nodes[1].regions: warning: regions are only used by the geo strategy (this router uses directory)',
    ]);
    expect(issues({ ...sharded({}, 2), faults: [{ at: '1s', node: 'router', action: 'set', params: { shards: 3 } }] })).toEqual([
      "faults[0].action: shards 3 is more than this router's 2 outgoing edges; add an edge to each new shard first (the shards in use are the first N edges)",
    ]);
    expect(issues({ ...sharded({}, 2), faults: [{ at: '1s', node: 'router', action: 'set', params: { virtualNodes: 3 } }] })[0]).toMatch(/virtualNodes/);
  });
});
