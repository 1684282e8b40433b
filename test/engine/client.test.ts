/**
 * The client on its own: who requests come from (users, IPs, replayed trace identities).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, Simulation } from '../../engine/index.ts';
import { constServer, run, scenario } from '../helpers.ts';

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
