/**
 * The numbers quoted in scenario descriptions, docs/caching.md and docs/rate-limiting.md,
 * checked against the runs they describe (each scenario at its own seed and length: every
 * run is deterministic). A number quoted exactly ("4,843", "82 writes") must come out
 * exactly; a rounded one ("~580", "0.65 ms", "0.36") must round to it: it lies in the
 * interval that rounds to the figure as written (`expectRounds`); "about a third" means
 * nearer a third than any other fraction with a denominator up to 4 (`expectAboutFraction`).
 * A qualitative claim ("no spike", "towards 2 s") gets the bound stated next to it.
 * If a quoted number is wrong, fix the text, not this test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenario } from '../engine/index.ts';
import { Simulation } from '../engine/core/sim.ts';
import { assignBlocks, blockIp, IP_BLOCKS } from '../engine/kernels/identity.ts';
import { cheLru, zipfProbabilities } from '../engine/kernels/cacheTheory.ts';

type Json = Record<string, any>;

/** Runs scenarios/<file>.json (optionally edited) to its end; returns its report (with series). */
/** The first IP of a client's block in a scenario (clients' blocks are chosen by their ids). */
function firstIp(file: string, client: string): string {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../scenarios', `${file}.json`), 'utf8')) as Json;
  const ids = (raw.nodes as Json[]).filter((n) => n.type === 'client').map((n) => n.id as string);
  return Simulation.formatIp(blockIp(assignBlocks(ids, IP_BLOCKS, 'ip')[ids.indexOf(client)]!, 0));
}

function runScenario(file: string, edit?: (raw: Json) => void): Json {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../scenarios', `${file}.json`), 'utf8')) as Json;
  edit?.(raw);
  const p = parseScenario(raw);
  if (!p.ok) throw new Error(p.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const sim = createSimulation(p.scenario);
  sim.runToEnd();
  const rep = buildReport(sim) as unknown as Json;
  expect(rep.stopped).toBeNull();
  return rep;
}

/** `x` rounds to `quoted` written to a precision of `unit`: x ∈ [quoted − unit/2, quoted + unit/2). */
function expectRounds(x: number, quoted: number, unit: number, what: string): void {
  expect(x, `${what}: ${x} should round to ${quoted} (±${unit / 2})`).toBeGreaterThanOrEqual(quoted - unit / 2);
  expect(x, `${what}: ${x} should round to ${quoted} (±${unit / 2})`).toBeLessThan(quoted + unit / 2);
}

/** "about num/den": `x` is nearer num/den than any other fraction with a denominator of at most 4. */
function expectAboutFraction(x: number, num: number, den: number, what: string): void {
  const target = num / den;
  const others = [1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4, 1].filter((f) => Math.abs(f - target) > 1e-12);
  const nearest = Math.min(...others.map((f) => Math.abs(x - f)));
  expect(Math.abs(x - target), `${what}: ${x} should be nearer ${num}/${den} than any other simple fraction`).toBeLessThan(nearest);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** A node's per-window series `metric`, for the windows whose end time t satisfies `when`. */
const windows = (rep: Json, node: string, metric: string, when: (t: number) => boolean = () => true): number[] => {
  const t = rep.series.t as number[];
  const s = (rep.series.nodes[node] ?? rep.series.clients[node])[metric] as number[];
  return s.filter((v, i) => when(t[i]!) && v !== null);
};
const p99s = (rep: Json, client: string, when: (t: number) => boolean = () => true): number[] => {
  const t = rep.series.t as number[];
  return (rep.series.clients[client].latencyMs.p99 as Array<number | null>).filter((v, i): v is number => when(t[i]!) && v !== null);
};

describe('docs/caching.md and the data-tier scenarios', () => {
  it('social-feed-cache: hit ratio series about 0.71 (0.70 over the run, Che 0.72), originReads 44,106 of 146,298, the crash sends ~1,500/s to the database', () => {
    const rep = runScenario('social-feed-cache');
    const redis = rep.nodes.redis;
    expectRounds(redis.hitRatio, 0.7, 0.01, 'hitRatio over the run');
    // the series "climbs to about 0.71": its level once warm and before the crash
    expectRounds(mean(windows(rep, 'redis', 'hitRatio', (t) => t > 20 && t <= 60)), 0.71, 0.01, 'hitRatio series, 20–60 s');
    expectRounds(cheLru(zipfProbabilities(50_000, 1.0), 5000).hitRatio, 0.72, 0.01, "Che's prediction");
    expect([redis.originReads, redis.originReadsWithoutCache]).toEqual([44_106, 146_298]);
    expect(redis.originReads / redis.originReadsWithoutCache).toBeLessThan(1 / 3); // "under a third"
    // the database's arrivals: ~460/s before the crash at 60 s, ~1,500/s while the cache is down
    expectRounds(mean(windows(rep, 'db', 'arrivalsPerSec', (t) => t > 10 && t <= 60)), 460, 10, 'database arrivals/s before the crash');
    expectRounds(mean(windows(rep, 'db', 'arrivalsPerSec', (t) => t > 60 && t <= 70)), 1500, 100, 'database arrivals/s during the crash');
    expect(rep.nodes.db.failed['503']).toBeGreaterThan(0); // "503s appear"
    expect(Math.max(...p99s(rep, 'users', (t) => t > 60 && t <= 70))).toBeGreaterThan(500); // "p99 passes 500 ms"
  });

  it('cache-stampede: ~580 queries in the stampede second, queue past 300, p99 towards 2 s; single flight 374 waiting, ~170 queries; early refresh 128, no spike', () => {
    const rep = runScenario('cache-stampede');
    const atExpiry = (t: number) => t > 30 && t <= 31;
    expectRounds(windows(rep, 'db-naive', 'arrivalsPerSec', atExpiry)[0]!, 580, 10, 'naive database queries in 30–31 s');
    expect(Math.max(...(rep.series.nodes['db-naive'].queueLength.max as number[]))).toBeGreaterThan(300);
    // "climbs towards 2 s": the worst window's p99 is between 1.5 s and 2 s
    const naiveP99 = Math.max(...p99s(rep, 'users-naive'));
    expect(naiveP99).toBeGreaterThanOrEqual(1500);
    expect(naiveP99).toBeLessThan(2000);
    expect(rep.nodes['cache-flight'].coalesced).toBe(374);
    expectRounds(windows(rep, 'db-flight', 'arrivalsPerSec', atExpiry)[0]!, 170, 10, 'single-flight database queries in 30–31 s');
    // "a spike of a few hundred ms"
    const flightP99 = Math.max(...p99s(rep, 'users-flight'));
    expect(flightP99).toBeGreaterThanOrEqual(200);
    expect(flightP99).toBeLessThan(1000);
    expect(rep.nodes['cache-early'].earlyRefreshes).toBe(128);
    // "no spike at all": the second of the synchronised expiry sees no more queries than the
    // busiest second away from it (keys expire one by one from 21 s on)
    const expirySecond = windows(rep, 'db-early', 'arrivalsPerSec', atExpiry)[0]!;
    expect(expirySecond).toBeLessThanOrEqual(Math.max(...windows(rep, 'db-early', 'arrivalsPerSec', (t) => t <= 29 || t > 33)));
  });

  it('write-through-vs-write-back: 4,843 database writes for 7,966 writes, 3.4 vs 7.7 ms, 82 writes lost, ~150 at risk, 77 of 18,398 stale', () => {
    const rep = runScenario('write-through-vs-write-back');
    const wb = rep.nodes['cache-wb'];
    expect([wb.flushCalls, wb.writes, wb.lostWrites]).toEqual([4843, 7966, 82]);
    // the accounting the docs claim: every write is flushed, unflushed, in a flush, or lost
    expect(wb.writes).toBeGreaterThanOrEqual(wb.flushedWrites + wb.unflushedWrites + wb.lostWrites);
    expect(rep.timeline.map((x: Json) => x.text)).toContain('cache-wb: 82 acknowledged writes not yet flushed, lost');
    expect(rep.nodes['cache-wt'].lostWrites).toBeUndefined(); // write-through loses nothing (and has no such count)
    expectRounds(rep.nodes['users-wb'].latencyMs.mean, 3.4, 0.1, 'write-back clients mean latency (ms)');
    expectRounds(rep.nodes['users-wt'].latencyMs.mean, 7.7, 0.1, 'write-through clients mean latency (ms)');
    expectRounds(median(windows(rep, 'cache-wb', 'unflushedWrites')), 150, 10, 'unflushedWrites series');
    const wt = rep.nodes['cache-wt'];
    expect([wt.staleReads, wt.hits + wt.misses]).toEqual([77, 18_398]);
  });

  it('read-replicas: a third of reads stale (0.36 per replica), lag ~300 ms, utilisation 16–25%, 1,133 writes fail, 21 lost', () => {
    const rep = runScenario('read-replicas');
    const db = rep.nodes.db;
    expectAboutFraction(db.staleRatio, 1, 3, 'stale reads');
    for (const r of ['replica1', 'replica2']) expectRounds(db.instances[r].staleRatio, 0.36, 0.01, `${r} staleRatio`);
    for (const r of ['replica1', 'replica2']) expectRounds(db.instances[r].lagMs.p50, 300, 100, `${r} lag p50 (ms)`);
    expectRounds(100 * db.instances.replica1.utilization, 16, 1, 'replica1 utilisation %');
    expectRounds(100 * db.instances.replica2.utilization, 25, 1, 'replica2 utilisation %');
    expect([db.writesFailedNoPrimary, db.lostWrites]).toEqual([1133, 21]);
    expect(rep.timeline.map((x: Json) => x.text)).toContain('db: replica1 promoted to primary after 10s (primary down); 21 unreplicated writes lost');
  });

  it('read-replicas until the crash: readFrom primary has no stale reads and takes the primary from 15% to 49%', () => {
    const upToCrash = (readFrom: string) =>
      runScenario('read-replicas', (raw) => {
        raw.duration = '60s';
        raw.nodes.find((n: Json) => n.type === 'database').readFrom = readFrom;
      }).nodes.db;
    expectRounds(100 * upToCrash('replicas').instances.primary.utilization, 15, 1, 'primary utilisation %, reads on replicas');
    const onPrimary = upToCrash('primary');
    expect(onPrimary.staleReads).toBe(0);
    expectRounds(100 * onPrimary.instances.primary.utilization, 49, 1, 'primary utilisation %, reads on the primary');
  });

  it('cdn-edge: about two thirds offloaded (Che 0.71), p50 11 ms at the edges vs 24 ms direct, p99 ~195 / ~345 ms, the purge drops the hit ratio to 0.2 and adds a third to the origin', () => {
    const rep = runScenario('cdn-edge');
    for (const e of ['cdn-eu', 'cdn-asia']) expectAboutFraction(rep.nodes[e].originOffload, 2, 3, `${e} originOffload`);
    expectRounds(cheLru(zipfProbabilities(100_000, 0.9), 20_000).hitRatio, 0.71, 0.01, "Che's prediction");
    for (const c of ['users-eu', 'users-asia']) expectRounds(rep.nodes[c].latencyMs.p50, 11, 1, `${c} p50 (ms)`);
    expectRounds(rep.nodes['users-us'].latencyMs.p50, 24, 1, 'users-us p50 (ms)');
    expectRounds(rep.nodes['users-eu'].latencyMs.p99, 195, 1, 'users-eu p99 (ms)');
    expectRounds(rep.nodes['users-asia'].latencyMs.p99, 345, 1, 'users-asia p99 (ms)');
    // the purge at 90 s: the next second's hit ratio, and the origin's load against the 10 s before
    expectRounds(windows(rep, 'cdn-eu', 'hitRatio', (t) => t > 90 && t <= 91)[0]!, 0.2, 0.1, 'cdn-eu hit ratio just after the purge');
    const before = mean(windows(rep, 'origin', 'arrivalsPerSec', (t) => t > 80 && t <= 90));
    const after = windows(rep, 'origin', 'arrivalsPerSec', (t) => t > 90 && t <= 91)[0]!;
    expectAboutFraction(after / before - 1, 1, 3, "the origin's jump");
  });
});

describe('the sharding scenarios', () => {
  it('sharding-add-a-shard: mod N moves 0.74, hit ratios ~0.8 fall to 0.31-0.54, database ~450/s to 1,120/s, queue ~270, p99 ~35 to ~270 ms; the ring moves 0.27 (ring share 0.23), database ~670/s, a handful queued, p99 under 45 ms', () => {
    const rep = runScenario('sharding-add-a-shard');
    const before = (t: number) => t > 50 && t <= 60;
    const first = (t: number) => t > 60 && t <= 61;
    const after = (t: number) => t > 60 && t <= 70;
    const old = [1, 2, 3];
    // hash mod N
    expectRounds(rep.nodes['router-modn'].reshard.remappedShare, 0.74, 0.01, 'mod N remappedShare');
    expectRounds(mean(old.map((i) => mean(windows(rep, `cache-modn-${i}`, 'hitRatio', before)))), 0.8, 0.1, 'old shards\' hit ratio before');
    const fallen = old.map((i) => windows(rep, `cache-modn-${i}`, 'hitRatio', first)[0]!);
    expectRounds(Math.min(...fallen), 0.31, 0.01, 'lowest old-shard hit ratio just after');
    expectRounds(Math.max(...fallen), 0.54, 0.01, 'highest old-shard hit ratio just after');
    for (const db of ['db-modn', 'db-ring']) expectRounds(mean(windows(rep, db, 'arrivalsPerSec', before)), 450, 50, `${db} reads/s before`);
    expectRounds(windows(rep, 'db-modn', 'arrivalsPerSec', first)[0]!, 1120, 10, 'db-modn reads/s just after');
    const queueMax = (db: string) => Math.max(...(rep.series.nodes[db].queueLength.max as number[]).filter((_, i) => after(rep.series.t[i])));
    expectRounds(queueMax('db-modn'), 270, 10, 'db-modn queue');
    for (const c of ['users-modn', 'users-ring']) expectRounds(mean(p99s(rep, c, before)), 35, 5, `${c} p99 before (ms)`);
    expectRounds(Math.max(...p99s(rep, 'users-modn', after)), 270, 10, 'users-modn p99 after (ms)');
    // "for several seconds": at least three windows above 200 ms
    expect(p99s(rep, 'users-modn', after).filter((x) => x > 200).length).toBeGreaterThanOrEqual(3);
    // consistent hashing
    const ring = rep.nodes['router-ring'];
    expectRounds(ring.reshard.remappedShare, 0.27, 0.01, 'ring remappedShare');
    expectRounds(ring.shards['cache-ring-4'].ringShare, 0.23, 0.01, "the new shard's ring share");
    for (const i of old) expect(windows(rep, `cache-ring-${i}`, 'hitRatio', first)[0]!, `cache-ring-${i} keeps its hit ratio`).toBeGreaterThan(0.75);
    expectRounds(Math.max(...windows(rep, 'db-ring', 'arrivalsPerSec', after)), 670, 10, 'db-ring peak reads/s');
    // "a handful queued at most"
    expect(queueMax('db-ring')).toBeLessThanOrEqual(10);
    expect(Math.max(...p99s(rep, 'users-ring', after))).toBeLessThan(45);
  });
});

describe('the service-mesh scenarios', () => {
  it('service-mesh-outlier-detection: as written, 0 ejectable, 1,201 refused ejections, 6,007 of 32,784 fail (~100/s); with 50%, one ejection of 59.96 s and 6 failures, the others 0.42-0.43', () => {
    const rep = runScenario('service-mesh-outlier-detection');
    const a = rep.nodes['sidecar-article'];
    expect([a.ejectableHosts, a.ejectionsOverflow, a.hosts['product-article-2'].ejections]).toEqual([0, 1201, 0]);
    expect([rep.nodes['shop-article'].failedTotal, rep.nodes['shop-article'].sent]).toEqual([6007, 32784]);
    expectAboutFraction(a.hosts['product-article-2'].share, 1, 3, 'the bad pod keeps a third');
    const during = (t: number) => t > 31 && t <= 90;
    const fails = (rep.series.clients['shop-article'].failedPerSec['500'] as number[]).filter((_, i) => during(rep.series.t[i]));
    expectRounds(mean(fails), 100, 10, 'failures/s during the bad deploy');
    const f = rep.nodes['sidecar-fixed'];
    expect([f.ejectableHosts, f.hosts['product-fixed-2'].ejections, f.hosts['product-fixed-2'].ejectedSeconds]).toEqual([1, 1, 59.959]);
    expect(rep.nodes['shop-fixed'].failedTotal).toBe(6);
    expectRounds(f.hosts['product-fixed-1'].share, 0.42, 0.01, 'product-fixed-1 share');
    expectRounds(f.hosts['product-fixed-3'].share, 0.43, 0.01, 'product-fixed-3 share');
  });
});

describe('docs/rate-limiting.md and the rate-limiting scenarios', () => {
  it('ratelimit-nginx-article: 11 pass at t=0 and 19 get 503, 26 of 60 in all; without nodelay up to 2 s of delay; delay=4 up to 1200 ms', () => {
    const rep = runScenario('ratelimit-nginx-article');
    for (const l of ['nginx_nodelay', 'nginx_delay0', 'nginx_delay4']) {
      const d = rep.nodes[l].decisions;
      expect([d.admitted + d.delayed, d.rejected], l).toEqual([26, 34]);
    }
    // 11 then 15 admitted: the first 100 ms window holds the burst at t = 0
    expect(windows(rep, 'nginx_nodelay', 'admitted')[0]).toBe(11);
    expect(windows(rep, 'nginx_nodelay', 'rejected')[0]).toBe(19);
    expect(rep.nodes.nginx_delay0.delayMs.max).toBe(2000);
    expect(rep.nodes.nginx_delay4.decisions.admitted).toBe(5); // #1–#5 at once
    expect(rep.nodes.nginx_delay4.delayMs.max).toBe(1200);
  });

  it('ratelimit-fixed-vs-sliding: admitted 200 / 100 / 100 / 150 (20, 10, 10, 15 per burst)', () => {
    const rep = runScenario('ratelimit-fixed-vs-sliding');
    const admitted = ['limit_fixed', 'limit_redis', 'limit_log', 'limit_counter'].map((l) => rep.nodes[l].decisions.admitted);
    expect(admitted).toEqual([200, 100, 100, 150]);
    // fixed window: 20 admitted within 10 ms (the 50 ms windows ending at 1.000 s and 1.050 s hold the two bursts)
    const fixed = windows(rep, 'limit_fixed', 'admitted', (t) => t > 0.95 && t <= 1.05);
    expect(fixed.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('ratelimit-login-bruteforce: the attacker gets 5 attempts a minute, users unaffected; unprotected users time out', () => {
    const rep = runScenario('ratelimit-login-bruteforce');
    expect(rep.nodes.attacker_protected.ok).toBe(5); // one minute-long window covers the 40 s attack
    expect(rep.nodes.users_protected.failedTotal).toBe(0);
    expect(rep.nodes.login_limit.topRejected[0].key).toBe(firstIp('ratelimit-login-bruteforce', 'attacker_protected'));
    expect(rep.nodes.users_unprotected.failed['504']).toBeGreaterThan(0);
  });

  it('ratelimit-api-tiers: free keys lose about a third to 429, premium none', () => {
    const rep = runScenario('ratelimit-api-tiers');
    const t = rep.nodes.gateway.tiers;
    expectAboutFraction(t.free.rejected / (t.free.admitted + t.free.rejected), 1, 3, 'free requests rejected');
    expect(t.premium.rejected).toBe(0);
    expect(rep.nodes.premium_apps.failedTotal).toBe(0);
  });

  it('ratelimit-abusive-ip: per IP only the abuser is limited (to 10 req/s); global: 44% of everyone refused', () => {
    const rep = runScenario('ratelimit-abusive-ip');
    expect(rep.nodes.visitors_perip.failedTotal).toBe(0);
    expectRounds(rep.nodes.abuser_perip.throughputPerSec, 10, 1, 'abuser admitted per second');
    const abuser = firstIp('ratelimit-abusive-ip', 'abuser_perip');
    expect(abuser).toBe('53.249.0.0'); // as the scenario's description says
    expect(rep.nodes.limit_perip.topRejected.map((k: Json) => k.key)).toEqual([abuser]);
    const v = rep.nodes.visitors_global;
    expectRounds(100 * (v.failedTotal / (v.ok + v.failedTotal)), 44, 1, "visitors' requests refused by the global limiter (%)");
  });

  it('ratelimit-messaging-spam: the bot gets 20 a minute, or 20 in all once rejections are logged', () => {
    const rep = runScenario('ratelimit-messaging-spam');
    expect(rep.nodes.spammer_notlogged.ok).toBe(20 * 5); // 5 minutes
    expect(rep.nodes.spammer_logged.ok).toBe(20);
    expect([rep.nodes.members_logged.failedTotal, rep.nodes.members_notlogged.failedTotal]).toEqual([0, 0]);
  });

  it('ratelimit-distributed: local counters admit 400 req/s, the shared store 100 req/s at 0.65 ms a decision, all 600 during the store crash', () => {
    const rep = runScenario('ratelimit-distributed');
    const measured = (t: number) => t > 2; // after the warm-up
    const storeUp = (t: number) => measured(t) && (t <= 40 || t > 51); // the store is down 40–50 s
    const storeDown = (t: number) => t > 40 && t <= 50;
    expectRounds(mean(windows(rep, 'api_local', 'arrivalsPerSec', measured)), 400, 10, 'local: admitted req/s');
    expectRounds(mean(windows(rep, 'api_shared', 'arrivalsPerSec', storeUp)), 100, 1, 'shared: admitted req/s');
    for (let i = 0; i < 4; i++) expectRounds(rep.nodes[`limiter_shared_${i}`].decisionMs.p50, 0.65, 0.01, `limiter_shared_${i} decision p50 (ms)`);
    // fail open: nothing rejected while the store is down, so the API takes the whole offered ~600 req/s
    for (let i = 0; i < 4; i++) expect(windows(rep, `limiter_shared_${i}`, 'rejected', (t) => t > 40.5 && t <= 50).every((x) => x === 0)).toBe(true);
    expectRounds(mean(windows(rep, 'api_shared', 'arrivalsPerSec', storeDown)), 600, 100, 'shared, store down: admitted req/s');
  });

  it('ratelimit-retry-storm-jitter: without jitter the storm lasts about twice as long', () => {
    const rep = runScenario('ratelimit-retry-storm-jitter');
    const t = rep.series.t as number[];
    /** Seconds from the storm (5 s) to the end of the last window with a rejection. */
    const lasts = (l: string) => {
      const r = rep.series.nodes[l].rejected as number[];
      let last = 0;
      r.forEach((x, i) => {
        if (x > 0) last = t[i]!;
      });
      return last - 5;
    };
    expectRounds(lasts('limit_nojitter') / lasts('limit_jitter'), 2, 1, 'storm length, no jitter ÷ full jitter');
  });
});
