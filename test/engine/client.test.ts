/**
 * The client on its own: who requests come from (users, IPs, replayed trace identities).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, Simulation } from '../../engine/index.ts';
import { generatedUserName } from '../../engine/components/client.ts';
import { assignBlocks, blockIp, IP_BLOCKS, USER_BLOCKS, userBase } from '../../engine/kernels/identity.ts';
import { constServer, run, scenario } from '../helpers.ts';
import { estimate, expectTheory, replicate } from '../theory/stats.ts';

const ipOf = (n: number) => Simulation.formatIp(n);

describe('replayed trace identities', () => {
  const replay = (requests: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
    nodes: [{ id: 'logs', type: 'client', arrival: { process: 'trace', requests }, writeFraction: 0, ...extra }, constServer('api', 1)],
    edges: [{ from: 'logs', to: 'api' }],
  });

  it('refuses an IP with a number above 255, naming the field and the value', () => {
    const r = parseScenario(scenario(replay([{ at: 0, ip: '10.0.0.1' }, { at: 1, ip: '999.1.1.1' }, { at: 2, ip: '1.2.3.256' }, { at: 3, ip: '1.2.3' }])));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.path, i.message])).toEqual([
      ['nodes[0].arrival.requests[1].ip', 'expected an IPv4 address like "10.0.0.7" (four numbers from 0 to 255), got "999.1.1.1"'],
      ['nodes[0].arrival.requests[2].ip', 'expected an IPv4 address like "10.0.0.7" (four numbers from 0 to 255), got "1.2.3.256"'],
      ['nodes[0].arrival.requests[3].ip', 'expected an IPv4 address like "10.0.0.7" (four numbers from 0 to 255), got "1.2.3"'],
    ]);
  });

  it('accepts every address from 0.0.0.0 to 255.255.255.255 and keeps it as given', () => {
    const ips = ['0.0.0.0', '255.255.255.255', '192.168.1.250', '10.0.0.7', '249.200.199.99'];
    const t = run(replay(ips.map((ip, i) => ({ at: i, ip }))), { trace: true });
    expect(t.traces.map((r) => ipOf(r.ip))).toEqual(ips);
  });

  it('gives a user named without an IP one IP, derived from the user: the same in every request and under every seed', () => {
    const names: Array<string | number> = ['alice', 'bob', 'carol', 7, 'alice', 'bob', 7, 'alice', 'carol', 'alice'];
    const s = replay(names.map((user, i) => ({ at: i * 10, user })));
    const ipsBy = (seed: number) => {
      const t = run(s, { seed, trace: true });
      const m = new Map<string | number, Set<string>>();
      for (const r of t.traces) {
        const u = t.sim.idName(r.user);
        if (!m.has(u)) m.set(u, new Set());
        m.get(u)!.add(ipOf(r.ip));
      }
      return m;
    };
    const a = ipsBy(1);
    const b = ipsBy(2);
    expect([...a.keys()].sort()).toEqual([7, 'alice', 'bob', 'carol'].sort());
    for (const [u, set] of a) {
      expect(set.size, String(u)).toBe(1);
      expect([...b.get(u)!], String(u)).toEqual([...set]);
    }
    // different users get different IPs here (1,000 IPs in the client's block)
    expect(new Set([...a.values()].map((x) => [...x][0])).size).toBe(4);
    // with one IP, every user shares it
    const one = run(replay(names.map((user, i) => ({ at: i * 10, user })), { ips: 1 }), { trace: true });
    expect(new Set(one.traces.map((r) => r.ip)).size).toBe(1);
  });

  it('so an ipHash balancer keeps each replayed user on one backend', () => {
    const names = Array.from({ length: 200 }, (_, i) => `user-${i % 20}`);
    const t = run(
      {
        nodes: [
          { id: 'logs', type: 'client', arrival: { process: 'trace', requests: names.map((user, i) => ({ at: i, user })) }, writeFraction: 0 },
          { id: 'lb', type: 'loadBalancer', policy: 'ipHash', healthCheck: { enabled: false } },
          constServer('a', 1),
          constServer('b', 1),
          constServer('c', 1),
        ],
        edges: [{ from: 'logs', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }, { from: 'lb', to: 'c' }],
      },
      { trace: true },
    );
    expect(t.traces.length).toBe(200);
    const backendOf = new Map<string | number, Set<string>>();
    for (const r of t.traces) {
      const u = t.sim.idName(r.user);
      if (!backendOf.has(u)) backendOf.set(u, new Set());
      backendOf.get(u)!.add(r.path[2]!);
    }
    expect(backendOf.size).toBe(20);
    for (const [u, set] of backendOf) expect(set.size, String(u)).toBe(1);
    // and the 20 users do spread over the backends
    expect(new Set([...backendOf.values()].map((x) => [...x][0])).size).toBe(3);
  });
});

describe('user and IP blocks (common random numbers)', () => {
  it('assignBlocks gives each id its own block, whatever the order of the ids, and separates collisions', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `client-${i}`);
    const a = assignBlocks(ids, IP_BLOCKS, 'ip');
    expect(new Set(a).size).toBe(500);
    const shuffled = [...ids].reverse();
    const b = assignBlocks(shuffled, IP_BLOCKS, 'ip');
    expect(b).toEqual([...a].reverse());
    // adding an id moves no other one (a collision could, with odds of about 1 in 30,000 per pair)
    const c = assignBlocks([...ids, 'one-more'], IP_BLOCKS, 'ip');
    expect(c.slice(0, 500)).toEqual(a);
    // a space as small as the number of ids: every collision is resolved, each id gets a block
    const tiny = assignBlocks(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 8, 'x');
    expect([...tiny].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(assignBlocks(['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'], 8, 'x')).toEqual([...tiny].reverse());
    // user ids stay below the interned ids (2^48); IPs stay in 11.0.0.0-126.255.255.255
    expect(userBase(USER_BLOCKS - 1) + 1_048_575).toBeLessThan(2 ** 48);
    expect(Simulation.formatIp(blockIp(0, 0))).toBe('11.0.0.0');
    expect(Simulation.formatIp(blockIp(IP_BLOCKS - 1, 65535))).toBe('126.255.255.255');
  });

  const web = { id: 'web', type: 'client', arrival: { process: 'poisson', rate: 200 }, users: 50, ips: 20, writeFraction: 0 };
  const backends = ['a', 'b', 'c', 'd'];
  const base = {
    duration: '2s',
    nodes: [web, { id: 'lb', type: 'loadBalancer', policy: 'ipHash', healthCheck: { enabled: false } }, ...backends.map((b) => constServer(b, 1))],
    edges: [{ from: 'web', to: 'lb' }, ...backends.map((b) => ({ from: 'lb', to: b }))],
  };
  const webRequests = (t: ReturnType<typeof run>) =>
    t.traces
      .filter((r) => r.client === 'web')
      .sort((x, y) => x.id - y.id)
      .map((r) => [r.sentAt, r.user, ipOf(r.ip), r.key, r.path[2]]);

  it('adding clients (before or after it) changes neither another client\'s users and IPs nor an ipHash balancer\'s choices for its requests', () => {
    const one = run(base, { trace: true });
    const more = run(
      {
        ...base,
        nodes: [
          { id: 'batch', type: 'client', arrival: { process: 'poisson', rate: 100 }, users: 500, ips: 300 },
          ...base.nodes,
          { id: 'zz-mobile', type: 'client', arrival: { process: 'constant', rate: 50 }, ips: 7 },
        ],
        edges: [...base.edges, { from: 'batch', to: 'lb' }, { from: 'zz-mobile', to: 'lb' }],
      },
      { trace: true },
    );
    const w1 = webRequests(one);
    expect(w1.length).toBeGreaterThan(300);
    expect(webRequests(more)).toEqual(w1);
    // the clients do get blocks of their own
    const blockOf = (t: ReturnType<typeof run>, c: string) => new Set(t.traces.filter((r) => r.client === c).map((r) => ipOf(r.ip).split('.').slice(0, 2).join('.')));
    const blocks = ['web', 'batch', 'zz-mobile'].map((c) => [...blockOf(more, c)]);
    for (const b of blocks) expect(b.length).toBe(1);
    expect(new Set(blocks.map((b) => b[0])).size).toBe(3);
    const userBlock = (t: ReturnType<typeof run>, c: string) => new Set(t.traces.filter((r) => r.client === c).map((r) => Math.floor(r.user / 1_048_576)));
    expect(new Set(['web', 'batch', 'zz-mobile'].map((c) => [...userBlock(more, c)][0])).size).toBe(3);
  });

  it('renaming a client moves its own block, and only its own', () => {
    const renamed = run(
      { ...base, nodes: [{ ...web, id: 'site' }, ...base.nodes.slice(1)], edges: [{ from: 'site', to: 'lb' }, ...base.edges.slice(1)] },
      { trace: true },
    );
    const ipBlock = new Set(renamed.traces.map((r) => ipOf(r.ip).split('.').slice(0, 2).join('.')));
    const webBlock = new Set(run(base, { trace: true }).traces.map((r) => ipOf(r.ip).split('.').slice(0, 2).join('.')));
    expect(ipBlock.size).toBe(1);
    expect([...ipBlock]).not.toEqual([...webBlock]);
  });
});

describe('the users and IPs population of a client', () => {
  it('draws from exactly `users` user ids and `ips` IPs, user u always on IP u mod ips, in one /16 block', () => {
    const t = run(
      { duration: '20s', nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 200 }, users: 60, ips: 25 }, constServer('s', 1)], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(t.traces.length).toBeGreaterThan(3500);
    const users = new Set(t.traces.map((r) => r.user));
    const ips = new Set(t.traces.map((r) => r.ip));
    // 4,000 draws from 60 users: each is drawn (P(some user missed) < 60·(59/60)^4000 ≈ 1e-27)
    expect(users.size).toBe(60);
    expect(ips.size).toBe(25);
    const first = Math.min(...users);
    expect([...users].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => first + i));
    const ip0 = Math.min(...ips);
    for (const r of t.traces) expect(r.ip - ip0, `user ${r.user}`).toBe((r.user - first) % 25);
    expect(new Set([...ips].map((ip) => ipOf(ip).split('.').slice(0, 2).join('.'))).size).toBe(1);
    expect(ip0 % 65536).toBe(0);
    // the rate limiter names these users "<client>/u<slot>"
    expect(generatedUserName(t.sim, first + 7)).toBe('c/u7');
    expect(generatedUserName(t.sim, 5)).toBeNull();
  });

  it('ips: 1 puts every user behind one address; users: 1 is one user', () => {
    const t = run(
      { duration: '2s', nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 200 }, users: 40, ips: 1 }, constServer('s', 1)], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(new Set(t.traces.map((r) => r.ip)).size).toBe(1);
    expect(new Set(t.traces.map((r) => r.user)).size).toBe(40);
    const u = run(
      { duration: '2s', nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 200 }, users: 1, ips: 1 }, constServer('s', 1)], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(new Set(u.traces.map((r) => r.user)).size).toBe(1);
  });

  it('a closed loop\'s users are its N user slots, one request each at a time', () => {
    const t = run(
      { duration: '5s', nodes: [{ id: 'c', type: 'client', arrival: { process: 'closed', users: 12, think: '100ms' }, ips: 5 }, constServer('s', 10)], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    const users = [...new Set(t.traces.map((r) => r.user))].sort((a, b) => a - b);
    expect(users.length).toBe(12);
    expect(users[11]! - users[0]!).toBe(11);
    expect(new Set(t.traces.map((r) => r.ip)).size).toBe(5);
  });
});

describe('a closed loop of users', () => {
  it('runs a deterministic timeline with constant think and service times', () => {
    // 2 users, think 10 ms (the first request also waits one think), one worker serving in 4 ms.
    // Both send at 10 ms; user 1 waits behind user 0. From then on each user's cycle is
    // R + Z = 4 + 10 = 14 ms, the two offset by 4 ms, and nobody waits again.
    const t = run(
      {
        duration: '55ms',
        nodes: [{ id: 'c', type: 'client', arrival: { process: 'closed', users: 2, think: '10ms' }, writeFraction: 0 }, constServer('s', 4, { workers: 1 })],
        edges: [{ from: 'c', to: 's' }],
      },
      { trace: true },
    );
    const first = Math.min(...t.traces.map((r) => r.user));
    const rows = t.traces.map((r) => [r.user - first, r.sentAt / 1000, r.latency / 1000]);
    expect(rows).toEqual([
      [0, 10, 4],
      [1, 10, 8],
      [0, 24, 4],
      [1, 28, 4],
      [0, 38, 4],
      [1, 42, 4],
    ]);
    // the user 0 request sent at 52 ms is still in service at the end
    expect(t.report.endToEnd.sent).toBe(7);
    expect(t.report.endToEnd.inFlight).toBe(1);
  });

  it('obeys the response time law N = X·(R + Z) (20 users, think 100 ms, M/M/2 server; 99.9% CI over 10 runs)', () => {
    // X is the throughput, R the mean response time, Z the mean think time. The law is Little's
    // law for the whole loop and holds for any distributions; per run, X·(R + Z) deviates from N
    // only by the sampling error of the realised think times and by the requests cut at the
    // ends of the 180 s measured window, so the 99.9% confidence interval of X·(R + Z) over
    // independent replications must contain N, and be narrow (2%) for the check to mean much.
    const N = 20;
    const Z = 100; // ms
    const raw = {
      version: 1,
      name: 'closed',
      duration: '200s',
      warmup: '20s',
      window: '10s',
      nodes: [
        { id: 'c', type: 'client', arrival: { process: 'closed', users: N, think: { dist: 'exponential', mean: `${Z}ms` } }, timeout: 'none', writeFraction: 0 },
        { id: 's', type: 'server', workers: 2, queue: 1000, service: { dist: 'exponential', mean: '8ms' } },
      ],
      edges: [{ from: 'c', to: 's' }],
    };
    const rs = replicate(raw, 10);
    const n = estimate(rs.map((r) => (r.endToEnd.throughputPerSec * (r.endToEnd.latencyMs.mean + Z)) / 1000));
    expectTheory('N = X(R + Z)', n, N, 0.02);
    // and the loop is really loaded: the server is busy most of the time and requests do queue
    const util = estimate(rs.map((r) => r.nodes.s!.utilization!));
    expect(util.mean).toBeGreaterThan(0.6);
    expect(estimate(rs.map((r) => r.endToEnd.latencyMs.mean)).mean).toBeGreaterThan(10);
  });
});

describe('trace requests carry their identity to the trace records', () => {
  it('key, user, IP and kind given in the trace come out as given; omitted ones are drawn', () => {
    const t = run(
      {
        nodes: [
          {
            id: 'logs',
            type: 'client',
            arrival: {
              process: 'trace',
              requests: [
                { at: 0, key: 'profile:42', user: 'alice', ip: '192.168.0.9', kind: 'write' },
                { at: 5, key: 17, user: 99 },
                { at: 10 },
              ],
            },
            writeFraction: 0,
            keys: { popularity: 'uniform', count: 50 },
          },
          { id: 'lb', type: 'loadBalancer', policy: 'ipHash', healthCheck: { enabled: false } },
          constServer('a', 1),
          constServer('b', 1),
        ],
        edges: [{ from: 'logs', to: 'lb' }, { from: 'lb', to: 'a' }, { from: 'lb', to: 'b' }],
      },
      { trace: true },
    );
    const [r0, r1, r2] = [...t.traces].sort((x, y) => x.sentAt - y.sentAt);
    expect([t.sim.idName(r0!.key), t.sim.idName(r0!.user), ipOf(r0!.ip), r0!.kind]).toEqual(['profile:42', 'alice', '192.168.0.9', 'write']);
    expect([t.sim.idName(r1!.key), t.sim.idName(r1!.user), r1!.kind]).toEqual([17, 99, 'read']);
    // a numeric user without an IP gets one in the client's block, derived from the user
    expect(ipOf(r1!.ip).split('.').slice(0, 2)).toEqual(ipOf(r2!.ip).split('.').slice(0, 2));
    expect(r2!.key).toBeLessThan(50);
    expect(generatedUserName(t.sim, r2!.user)).toMatch(/^logs\/u\d+$/);
    for (const r of t.traces) expect(r.path.slice(0, 2)).toEqual(['logs', 'lb']);
  });
});
