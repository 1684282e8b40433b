/**
 * Cache hit ratios through the full simulation against theory: the tables of
 * docs/caching.md ("How close to theory"), and the benchmark cache model's hit ratio over
 * six seeds against Che's prediction. About a minute.
 *
 *   npx tsx bench/cache-theory.ts
 */
import { buildReport, createSimulation, parseScenario } from '../engine/index.ts';
import { MODELS } from './models.ts';
import { cheLru, fifoRandomApprox, staticTopC, ttlHitProbability, ttlHitRatio, zipfProbabilities } from '../engine/kernels/cacheTheory.ts';
function run(cache: Record<string, unknown>, keys: Record<string, unknown>, rate: number, secs: number, warm: number, seed = 1) {
  const raw = { version: 1, name: 't', seed, duration: `${secs + warm}s`, warmup: `${warm}s`, window: `${Math.max(1, Math.ceil((secs + warm) / 100))}s`,
    nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate }, keys, writeFraction: 0, timeout: 'none' },
      { id: 'cache', type: 'cache', pattern: 'read-through', latency: 0, ...cache }, { id: 'db', type: 'database', readService: 0 }],
    edges: [{ from: 'c', to: 'cache' }, { from: 'cache', to: 'db' }] };
  const p = parseScenario(raw); if (!p.ok) throw new Error(JSON.stringify(p.issues));
  const sim = createSimulation(p.scenario); sim.runToEnd();
  return buildReport(sim, { series: false }).nodes.cache!.hitRatio as number;
}
const f = (x: number) => x.toFixed(4);
console.log('| alpha | C | Che (LRU) | LRU sim | diff | FIFO/RANDOM approx | FIFO sim | RANDOM sim | top-C | LFU sim |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const alpha of [0.6, 0.8, 1.0, 1.2]) for (const C of [100, 1000]) {
  const p = zipfProbabilities(10000, alpha);
  const keys = { popularity: 'zipf', count: 10000, alpha };
  const che = cheLru(p, C).hitRatio;
  const lru = run({ capacity: C }, keys, 1000, 1000, 200);
  const fifo = run({ capacity: C, eviction: 'fifo' }, keys, 1000, 1000, 200);
  const rnd = run({ capacity: C, eviction: 'random' }, keys, 1000, 1000, 200);
  const lfu = run({ capacity: C, eviction: 'lfu' }, keys, 1000, 1000, 200);
  console.log(`| ${alpha} | ${C} | ${f(che)} | ${f(lru)} | ${(lru - che >= 0 ? '+' : '') + (lru - che).toFixed(4)} | ${f(fifoRandomApprox(p, C))} | ${f(fifo)} | ${f(rnd)} | ${f(staticTopC(p, C))} | ${f(lfu)} |`);
}
console.log('\n| TTL | reset on hit | formula | simulated | diff |');
console.log('|---|---|---|---|---|');
const p8 = zipfProbabilities(10000, 0.8);
for (const T of [1, 10, 60]) for (const reset of [false, true]) {
  const th = ttlHitRatio(p8, 1000, T, reset);
  const sim = run({ capacity: 10000, ttl: `${T}s`, ttlRefresh: reset ? 'on-access' : 'on-write' }, { popularity: 'zipf', count: 10000, alpha: 0.8 }, 1000, Math.max(300, 10 * T), 3 * T);
  console.log(`| ${T} s (Zipf 0.8, 1000/s) | ${reset ? 'yes' : 'no'} | ${f(th)} | ${f(sim)} | ${(sim - th >= 0 ? '+' : '') + (sim - th).toFixed(4)} |`);
}
for (const [lam, T] of [[10, 0.1], [1, 1], [0.1, 60]] as const) for (const reset of [false, true]) {
  const th = ttlHitProbability(lam, T, reset);
  const sim = run({ capacity: 10, ttl: `${T}s`, ttlRefresh: reset ? 'on-access' : 'on-write' }, { popularity: 'uniform', count: 1 }, lam, Math.round(200000 / lam), 3 * T);
  console.log(`| ${T} s (one key, ${lam}/s) | ${reset ? 'yes' : 'no'} | ${f(th)} | ${f(sim)} | ${(sim - th >= 0 ? '+' : '') + (sim - th).toFixed(4)} |`);
}

{
  // the benchmark cache model (lb-4-servers-cache-db), 100 s of warm-up, six seeds
  console.log("\nbenchmark cache model: hit ratio per seed (Che 0.5565)");
  const m = MODELS.find((x) => x.name === 'lb-4-servers-cache-db')!;
  const p = parseScenario({ ...m.scenario, duration: `${m.requests / m.rate}s`, warmup: '100s' });
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  const hs: number[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const sim = createSimulation(p.scenario, { seed }); sim.runToEnd();
    const r = buildReport(sim, { series: false });
    hs.push(r.nodes.cache!.hitRatio as number);
    console.log(`seed ${seed}: hit ratio ${r.nodes.cache!.hitRatio}, mean latency ${r.endToEnd.latencyMs.mean} ms`);
  }
  const mean = hs.reduce((a, b) => a + b) / hs.length;
  const sd = Math.sqrt(hs.reduce((a, b) => a + (b - mean) ** 2, 0) / (hs.length - 1));
  console.log('mean', mean.toFixed(5), 'sd', sd.toFixed(5), 'se', (sd / Math.sqrt(hs.length)).toFixed(5));
}
