/** The rateLimiter component in runs: timelines through client → limiter → server. */
import { describe, expect, it } from 'vitest';
import { constServer, run, traceClient, type TestRun } from '../helpers.ts';

/** 30 requests at t = 0, then one every 100 ms at t = 100 … 3000 (ms). */
const ARTICLE = [...new Array(30).fill(0), ...Array.from({ length: 30 }, (_, i) => 100 * (i + 1))];

const limiter = (algorithm: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: 'rl', type: 'rateLimiter', algorithm, ...extra });
const oneIp = (id: string, times: number[], extra: Record<string, unknown> = {}) => traceClient(id, times, { ips: 1, ...extra });
const path = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i]!, to }));
/** Component extras of a node's report (untyped). */
const rep = (t: TestRun, id: string) => t.report.nodes[id] as unknown as Record<string, any>;
/** Finished requests in the order they were sent (traces come in the order they finish). */
const sent = (t: TestRun) => [...t.traces].sort((a, b) => a.id - b.id);

describe('a rateLimiter running nginx limit_req', () => {
  it('answers the article example exactly: 11 of 30 at t=0, then every other request, 503 for the rest', () => {
    const t = run(
      { nodes: [oneIp('c', ARTICLE), limiter({ type: 'nginx', rate: '5r/s', burst: 10, nodelay: true }), constServer('s', 1)], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    const st = sent(t).map((r) => r.status);
    expect(st.slice(0, 30)).toEqual([...new Array(11).fill(200), ...new Array(19).fill(503)]);
    expect(st.slice(30)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 ? 200 : 503)));
    expect(t.traces.filter((r) => r.status === 503).every((r) => r.latency === 0 && r.reason === 'rate-limited' && r.origin === 'rl')).toBe(true);
    expect(rep(t, 'rl').decisions).toEqual({ admitted: 26, delayed: 0, rejected: 34 });
    expect(t.report.nodes.s!.arrivals).toBe(26);
  });

  it('without nodelay holds the burst inside the limiter and releases it at the rate', () => {
    const t = run(
      { nodes: [oneIp('c', ARTICLE), limiter({ type: 'nginx', rate: '5r/s', burst: 10, nodelay: false }), constServer('s', 1)], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    const ok = sent(t).filter((r) => r.status === 200).map((r) => [r.sentAt / 1000, r.latency / 1000]);
    expect(ok.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, k) => [0, k * 200 + 1]));
    expect(ok.slice(11).every(([, l]) => l === 2001)).toBe(true);
    const r = rep(t, 'rl');
    expect(r.decisions).toEqual({ admitted: 1, delayed: 25, rejected: 34 });
    expect(r.delayMs.max).toBe(2000);
    expect(t.report.nodes.rl!.queueLength.max).toBe(10); // the burst, waiting inside the limiter
  });

  it('uses the configured status (limit_req_status 429)', () => {
    const t = run(
      { nodes: [oneIp('c', [0, 0]), limiter({ type: 'nginx', rate: '1r/s', burst: 0, status: 429 }), constServer('s', 1)], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    expect(sent(t).map((r) => r.status)).toEqual([200, 429]);
  });

  it('parses "30r/m" as nginx does (30·1000/60 = 500 milli-req/s): at burst 0 one request per 2 s, to the millisecond', () => {
    const t = run(
      { nodes: [oneIp('c', [0, 1999, 2000, 3999, 4000, 4001]), limiter({ type: 'nginx', rate: '30r/m' }), constServer('s', 1)], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    // exactly 500: 500·2000/1000 = 1000 drains a request at 2000 ms, 500·1999/1000 = 999 does not
    // (499 would reject at 2000 ms too; read as r/s, everything would pass)
    expect(sent(t).map((r) => r.status)).toEqual([200, 503, 200, 503, 200, 503]);
  });

  it('truncates "2r/m" to 33 milli-req/s: the second pass needs 30.304 s, not 30 s', () => {
    const t = run(
      { duration: '40s', nodes: [oneIp('c', [0, 30_000, 30_303, 30_304]), limiter({ type: 'nginx', rate: '2r/m' }), constServer('s', 1)], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    // 33·30303/1000 = 999 (excess 1 > burst 0); 33·30304/1000 = 1000
    expect(sent(t).map((r) => r.status)).toEqual([200, 503, 503, 200]);
  });
});

describe('a rateLimiter', () => {
  it('limits each user separately with key "user": one user over the limit leaves the other unaffected', () => {
    // alice and bob share one IP; alice sends 5 at once, bob 2, against 2 per key (rate 1/s)
    const reqs = [...new Array(5).fill({ at: 0, user: 'alice', ip: '10.0.0.1' }), ...new Array(2).fill({ at: 0, user: 'bob', ip: '10.0.0.1' })];
    const mk = (key: string) =>
      run(
        {
          nodes: [
            { id: 'c', type: 'client', arrival: { process: 'trace', requests: reqs } },
            limiter({ type: 'tokenBucket', rate: 1, capacity: 2 }, { key }),
            constServer('s', 1, { workers: 10 }),
          ],
          edges: path('c', 'rl', 's'),
        },
        { trace: true },
      );
    const byUser = mk('user');
    expect(sent(byUser).map((r) => r.status)).toEqual([200, 200, 429, 429, 429, 200, 200]);
    expect(rep(byUser, 'rl').topRejected).toEqual([{ key: 'alice', count: 3 }]);
    // the same requests keyed by IP: bob pays for alice
    expect(sent(mk('ip')).map((r) => r.status)).toEqual([200, 200, 429, 429, 429, 429, 429]);
  });

  it('limits each client IP separately with key "ip", and all together with key "global"', () => {
    const reqs = [0, 0, 0, 0].map((at, i) => ({ at, ip: i % 2 ? '10.0.0.1' : '10.0.0.2' }));
    const mk = (key: string) =>
      run(
        {
          nodes: [
            { id: 'c', type: 'client', arrival: { process: 'trace', requests: reqs } },
            limiter({ type: 'tokenBucket', rate: 1, capacity: 1 }, { key }),
            constServer('s', 1),
          ],
          edges: path('c', 'rl', 's'),
        },
        { trace: true },
      );
    const st = (t: TestRun) => sent(t).map((r) => r.status);
    expect(st(mk('ip'))).toEqual([200, 200, 429, 429]);
    expect(st(mk('global'))).toEqual([200, 429, 429, 429]);
  });

  it('answers a Retry-After from the algorithm state, in whole seconds by default', () => {
    const mk = (retryAfter: string) =>
      run({
        nodes: [
          oneIp('c', [0, 0, 0], { retry: { backoff: { policy: 'immediate' }, maxAttempts: 2, retryOn: ['429'] } }),
          limiter({ type: 'tokenBucket', rate: 4, capacity: 1 }, { retryAfter }),
          constServer('s', 1),
        ],
        edges: path('c', 'rl', 's'),
      }, { trace: true });
    const got = (t: TestRun) => sent(t).map((r) => [r.status, r.attempts, r.latency / 1000]);
    // exact: the second request waits 250 ms for a token; the third, retrying at the same instant, fails again
    expect(got(mk('exact'))).toEqual([[200, 1, 1], [200, 2, 251], [429, 2, 250]]);
    // seconds: both retry after 1 s; by then 1 token (capacity 1) is back
    expect(got(mk('seconds'))).toEqual([[200, 1, 1], [200, 2, 1001], [429, 2, 1000]]);
  });

  it('applies each API tier its own limits, by the clients\' tier labels', () => {
    const times = new Array(20).fill(0);
    const t = run({
      nodes: [
        oneIp('free', times, { tier: 'free' }),
        oneIp('premium', times, { tier: 'premium' }),
        oneIp('anon', times),
        limiter({ type: 'fixedWindow', limit: 5, window: '1s' }, { key: 'ip', tiers: [{ name: 'free', limit: 2 }, { name: 'premium', limit: 15 }], defaultTier: 'free' }),
        constServer('s', 1, { workers: 100 }),
      ],
      edges: [{ from: 'free', to: 'rl' }, { from: 'premium', to: 'rl' }, { from: 'anon', to: 'rl' }, { from: 'rl', to: 's' }],
    });
    const r = rep(t, 'rl');
    expect(r.tiers).toEqual({ free: { admitted: 4, delayed: 0, rejected: 36 }, premium: { admitted: 15, delayed: 0, rejected: 5 } });
    expect((t.report.nodes.free as unknown as Record<string, any>).ok).toBe(2);
  });

  it('reports tiers whatever their names, __proto__ included', () => {
    const t = run({
      nodes: [
        oneIp('p', [0, 0, 0], { tier: '__proto__' }),
        oneIp('c', [0, 0, 0], { tier: 'constructor' }),
        limiter({ type: 'fixedWindow', limit: 1, window: '1s' }, { key: 'ip', tiers: [{ name: '__proto__', limit: 1 }, { name: 'constructor', limit: 2 }] }),
        constServer('s', 1, { workers: 10 }),
      ],
      edges: [{ from: 'p', to: 'rl' }, { from: 'c', to: 'rl' }, { from: 'rl', to: 's' }],
    });
    const want = [
      ['__proto__', { admitted: 1, delayed: 0, rejected: 2 }],
      ['constructor', { admitted: 2, delayed: 0, rejected: 1 }],
    ];
    expect(Object.entries(rep(t, 'rl').tiers)).toEqual(want);
    expect(Object.entries(JSON.parse(JSON.stringify(t.report)).nodes.rl.tiers)).toEqual(want);
  });

  it('finds the tiers of clients listed after it in the scenario', () => {
    const t = run({
      nodes: [
        limiter({ type: 'fixedWindow', limit: 1, window: '1s' }, { key: 'global', tiers: [{ name: 'free', limit: 1 }, { name: 'premium', limit: 3 }] }),
        constServer('s', 1),
        oneIp('p', [0, 0, 0], { tier: 'premium' }),
      ],
      edges: [{ from: 'p', to: 'rl' }, { from: 'rl', to: 's' }],
    });
    expect(rep(t, 'rl').tiers.premium).toEqual({ admitted: 3, delayed: 0, rejected: 0 });
  });

  it('lists the most rejected keys (bounded memory)', () => {
    const abuser = Array.from({ length: 50 }, (_, i) => ({ at: i, ip: '10.9.9.9' }));
    const normal = Array.from({ length: 50 }, (_, i) => ({ at: i * 100, ip: `10.0.0.${i}` }));
    const t = run({
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'trace', requests: [...abuser, ...normal] } },
        limiter({ type: 'slidingLog', limit: 5, window: '1s' }, { key: 'ip' }),
        constServer('s', 1),
      ],
      edges: path('c', 'rl', 's'),
    });
    expect(rep(t, 'rl').topRejected).toEqual([{ key: '10.9.9.9', count: 45 }]);
    expect(rep(t, 'rl').topRequesters[0]).toEqual({ key: '10.9.9.9', count: 50 });
  });

  it('answers 499 without forwarding when the client gave up while its request was delayed', () => {
    const t = run(
      { nodes: [oneIp('c', [0, 0, 0], { timeout: '300ms' }), limiter({ type: 'leakyBucket', mode: 'queue', rate: 5, capacity: 5 }), constServer('s', 1)], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    expect(sent(t).map((r) => [r.status, r.latency / 1000])).toEqual([[200, 1], [200, 201], [504, 300]]);
    expect(t.report.nodes.s!.arrivals).toBe(2);
    expect(rep(t, 'rl').abandonedWhileDelayed).toBe(1);
    expect(t.report.nodes.rl!.rejected).toEqual({ '499 client-closed': 1 });
  });

  it('drops what it holds when it crashes, and forgets its counters', () => {
    const t = run(
      {
        nodes: [oneIp('c', [0, 0, 0, 600, 600]), limiter({ type: 'leakyBucket', mode: 'queue', rate: 5, capacity: 5 }), constServer('s', 1)],
        edges: path('c', 'rl', 's'),
        faults: [{ at: '100ms', node: 'rl', action: 'crash', for: '400ms' }],
      },
      { trace: true },
    );
    expect(sent(t).map((r) => [r.sentAt / 1000, r.status])).toEqual([[0, 200], [0, 1], [0, 1], [600, 200], [600, 200]]);
  });

  it('works dropped from the palette with its defaults', () => {
    const t = run({
      duration: '5s',
      nodes: [{ id: 'c', type: 'client' }, { id: 'rl', type: 'rateLimiter' }, { id: 's', type: 'server' }],
      edges: path('c', 'rl', 's'),
    });
    expect(t.report.stopped).toBeNull();
    // one bucket for all (key global): 20 tokens at the start, then 10 a second, for ~500 requests
    const d = rep(t, 'rl').decisions;
    expect(d.admitted).toBeGreaterThan(60);
    expect(d.admitted).toBeLessThanOrEqual(70);
    expect(d.rejected).toBeGreaterThan(350);
  });

  it('times out a forwarded request its target never answers (a partition): 504 upstream-timeout', () => {
    const mk = (upstreamTimeout: string) =>
      run(
        {
          nodes: [oneIp('c', [0, 1000, 1200, 3000], { timeout: 'none' }), limiter({ type: 'tokenBucket', rate: 10, capacity: 10 }, { upstreamTimeout }), constServer('s', 1)],
          edges: path('c', 'rl', 's'),
          faults: [{ at: '500ms', for: '1s', edge: 'rl->s', action: 'partition' }],
        },
        { trace: true },
      );
    // without a timeout the two requests lost to the partition are held for the rest of the run
    const none = mk('none');
    expect(sent(none).map((r) => r.sentAt / 1000)).toEqual([0, 3000]);
    expect(none.report.nodes.rl!.inFlight).toBe(2);
    const t = mk('2s');
    expect(sent(t).map((r) => [r.sentAt / 1000, r.status, r.reason, r.origin, r.latency / 1000])).toEqual([
      [0, 200, 'ok', null, 1],
      [1000, 504, 'upstream-timeout', 'rl', 2000],
      [1200, 504, 'upstream-timeout', 'rl', 2000],
      [3000, 200, 'ok', null, 1],
    ]);
    expect(t.report.nodes.rl!.inFlight).toBe(0);
    expect(rep(t, 'rl').upstreamTimeouts).toBe(2);
    expect(rep(none, 'rl').upstreamTimeouts).toBeUndefined();
  });

  it('answers 504 when its target is slower than the upstream timeout (60 s by default), and discards the late answer', () => {
    const mk = (extra: Record<string, unknown>) =>
      run(
        {
          duration: '200s',
          nodes: [oneIp('c', [0, 100], { timeout: 'none' }), limiter({ type: 'tokenBucket', rate: 10, capacity: 10 }, extra), constServer('s', 90_000, { workers: 1 })],
          edges: path('c', 'rl', 's'),
        },
        { trace: true },
      );
    const got = (t: TestRun) => sent(t).map((r) => [r.status, r.reason, r.latency / 1000]);
    expect(got(mk({}))).toEqual([[504, 'upstream-timeout', 60_000], [504, 'upstream-timeout', 60_000]]);
    const t = mk({ upstreamTimeout: '100s' });
    expect(got(t)).toEqual([[200, 'ok', 90_000], [504, 'upstream-timeout', 100_000]]);
    expect(t.report.nodes.s!.completed).toBe(2); // the second answer came back at 180 s, too late
    expect(t.sim.nodes.find((n) => n.id === 'rl')!.held()).toBe(0);
  });

  it('passes the protected node\'s answer back, failures with their origin', () => {
    const t = run(
      { nodes: [oneIp('c', [0, 0]), limiter({ type: 'tokenBucket', rate: 10, capacity: 10 }), constServer('s', 5, { workers: 1, queue: 0 })], edges: path('c', 'rl', 's') },
      { trace: true },
    );
    expect(sent(t).map((r) => [r.status, r.origin])).toEqual([[200, null], [503, 's']]);
  });
});

describe('a load balancer in front of rate limiters', () => {
  it('passes the Retry-After of a limiter behind it back to the client', () => {
    const t = run(
      {
        nodes: [
          oneIp('c', [0, 0], { retry: { backoff: { policy: 'immediate' }, maxAttempts: 2, retryOn: ['429'] } }),
          { id: 'lb', type: 'loadBalancer', healthCheck: { enabled: false } },
          limiter({ type: 'tokenBucket', rate: 2, capacity: 1 }, { retryAfter: 'exact' }),
          constServer('s', 1),
        ],
        edges: path('c', 'lb', 'rl', 's'),
      },
      { trace: true },
    );
    expect(sent(t).map((r) => [r.status, r.latency / 1000])).toEqual([[200, 1], [200, 501]]);
  });
  it('and so does a mesh sidecar (which does not retry a 429 itself by default)', () => {
    const t = run(
      {
        nodes: [
          oneIp('c', [0, 0], { retry: { backoff: { policy: 'immediate' }, maxAttempts: 2, retryOn: ['429'] } }),
          { id: 'lb', type: 'sidecar', latency: 0, outlierDetection: { enabled: false } },
          limiter({ type: 'tokenBucket', rate: 2, capacity: 1 }, { retryAfter: 'exact' }),
          constServer('s', 1),
        ],
        edges: path('c', 'lb', 'rl', 's'),
      },
      { trace: true },
    );
    expect(sent(t).map((r) => [r.status, r.latency / 1000])).toEqual([[200, 1], [200, 501]]);
  });
});
