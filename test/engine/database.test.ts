/**
 * The database: read replicas with replication lag (stale reads), failover of the
 * primary, and the connection pool's wait queue and timeout.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../engine/index.ts';
import type { DatabaseNode } from '../../engine/components/database.ts';
import { parse, run } from '../helpers.ts';

const client = (reqs: Array<[number, number, 'r' | 'w']>, extra: Record<string, unknown> = {}) => ({
  id: 'c',
  type: 'client',
  arrival: { process: 'trace', requests: reqs.map(([at, key, k]) => ({ at, key, kind: k === 'w' ? 'write' : 'read' })) },
  ...extra,
});
const byTime = (t: { traces: Array<{ sentAt: number; latency: number; status: number; reason: string }> }) =>
  [...t.traces].sort((a, b) => a.sentAt - b.sentAt).map((r) => [r.sentAt / 1000, r.status, r.latency / 1000]);
const dbReport = (t: ReturnType<typeof run>) => t.report.nodes.db as Record<string, any>;

describe('read replicas', () => {
  const s = (reqs: Array<[number, number, 'r' | 'w']>, db: Record<string, unknown> = {}) => ({
    nodes: [client(reqs), { id: 'db', type: 'database', readService: 5, writeService: 10, replicas: 1, replicationLag: 100, ...db }],
    edges: [{ from: 'c', to: 'db' }],
  });

  it('a read from a replica that has not applied a write yet is stale, counted at the replica and end to end', () => {
    // write commits at 10 ms (version 1); the replica applies it at 110 ms
    const t = run(s([[0, 1, 'w'], [50, 1, 'r'], [200, 1, 'r'], [50, 2, 'r']]), { trace: true });
    expect(byTime(t).map((x) => x[1])).toEqual([200, 200, 200, 200]);
    const d = dbReport(t);
    expect([d.staleReads, d.instances.replica1.reads, d.instances.replica1.staleReads, d.instances.primary.writes]).toEqual([1, 3, 1, 1]);
    expect(d.instances.replica1.lagMs.max).toBe(100);
    expect(t.report.endToEnd.staleReads).toBe(1);
  });

  it('replication applies writes in commit order: a slow one holds back the next', () => {
    const sc = parse({ ...s([[0, 1, 'w'], [5, 2, 'w']], { replicationLag: { dist: 'empirical', values: [100, 10] } }) });
    const sim = createSimulation(sc);
    const db = sim.byId.get('db') as DatabaseNode;
    const replica = db.instances[1]!;
    sim.run(60_000);
    // both writes committed (10 and 15 ms); whatever the draws, key 2 is never applied before key 1
    const order: number[] = [];
    for (let t = 60_000; t <= 400_000; t += 1000) {
      sim.run(t);
      for (const k of [1, 2]) if (replica.table.get(k) === 1 && !order.includes(k)) order.push(k);
    }
    expect(order[0]).toBe(1);
    expect(replica.table.get(2)).toBe(1);
  });

  it('reads go round robin over replicas, or to the primary with readFrom primary', () => {
    const reads: Array<[number, number, 'r']> = Array.from({ length: 10 }, (_, i) => [i * 20, i, 'r']);
    const rr = dbReport(run(s(reads, { replicas: 2 })));
    expect([rr.instances.primary.reads, rr.instances.replica1.reads, rr.instances.replica2.reads]).toEqual([0, 5, 5]);
    const any = dbReport(run(s(reads, { replicas: 2, readFrom: 'any' })));
    expect([any.instances.primary.reads, any.instances.replica1.reads, any.instances.replica2.reads]).toEqual([4, 3, 3]);
    const primary = dbReport(run(s(reads, { replicas: 2, readFrom: 'primary' })));
    expect(primary.instances.primary.reads).toBe(10);
    expect(primary.staleReads).toBe(0);
  });
});

describe('failover', () => {
  const writesEvery10ms = (from: number, to: number): Array<[number, number, 'w']> =>
    Array.from({ length: (to - from) / 10 }, (_, i) => [from + i * 10, i % 50, 'w']);

  it('writes fail between the primary crash and the promotion; unreplicated writes are lost', () => {
    const t = run(
      {
        duration: '3s',
        nodes: [
          client(writesEvery10ms(0, 2000)),
          { id: 'db', type: 'database', writeService: 1, replicas: 2, replicationLag: 35, failoverAfter: '500ms' },
        ],
        edges: [{ from: 'c', to: 'db' }],
        faults: [{ at: '1000ms', node: 'db', action: 'crashPrimary' }],
      },
      { trace: true },
    );
    const d = dbReport(t);
    const failed = t.traces.filter((r) => r.status === 503);
    // writes sent at 1000..1490 ms find no primary (50); none was in service at the crash
    expect(failed.length).toBe(50);
    expect(failed.every((r) => r.reason === 'no-primary')).toBe(true);
    expect(d.writesFailedNoPrimary).toBe(50);
    // a write reaches the replicas 35 ms after its commit: those committed at 971, 981 and
    // 991 ms had not when the primary crashed at 1,000 ms
    expect([d.failovers, d.lostWrites, d.primary]).toEqual([1, 3, 'replica1']);
    expect(t.report.timeline.map((x) => x.text)).toEqual([
      'db: primary crashed',
      'db: replica1 promoted to primary after 500ms (primary down); 3 unreplicated writes lost',
    ]);
    // after the promotion, writes succeed on the new primary
    expect(t.traces.filter((r) => r.sentAt >= 1_500_000).every((r) => r.status === 200)).toBe(true);
    expect(d.instances.replica1.role).toBe('primary');
    expect(d.instances.primary.up).toBe(false);
  });

  it('a primary that comes back before detection resumes as the primary, losing nothing', () => {
    const t = run({
      duration: '3s',
      nodes: [client(writesEvery10ms(0, 2000)), { id: 'db', type: 'database', writeService: 1, replicas: 1, failoverAfter: '1s' }],
      edges: [{ from: 'c', to: 'db' }],
      faults: [{ at: '1000ms', for: '200ms', node: 'db', action: 'crashPrimary' }],
    });
    const d = dbReport(t);
    expect([d.failovers, d.lostWrites, d.writesFailedNoPrimary, d.primary]).toEqual([0, 0, 20, 'primary']);
  });

  it('an old primary that comes back after a failover rejoins as a replica', () => {
    const t = run({
      duration: '3s',
      nodes: [client(writesEvery10ms(0, 2000)), { id: 'db', type: 'database', writeService: 1, replicas: 1, failoverAfter: '100ms' }],
      edges: [{ from: 'c', to: 'db' }],
      faults: [{ at: '1000ms', for: '500ms', node: 'db', action: 'crashPrimary' }],
    });
    const d = dbReport(t);
    expect([d.failovers, d.primary, d.instances.primary.role, d.instances.primary.up]).toEqual([1, 'replica1', 'replica', true]);
  });
});

describe('connection pool', () => {
  it('queries wait for a free connection and give up at the pool timeout', () => {
    const t = run(
      {
        nodes: [client([[0, 1, 'r'], [0, 2, 'r'], [0, 3, 'r']]), { id: 'db', type: 'database', connections: 1, readService: 50, queueTimeout: '20ms' }],
        edges: [{ from: 'c', to: 'db' }],
      },
      { trace: true },
    );
    expect(byTime(t).sort((a, b) => a[2]! - b[2]!)).toEqual([
      [0, 503, 20],
      [0, 503, 20],
      [0, 200, 50],
    ]);
    expect(t.traces.filter((r) => r.status === 503).every((r) => r.reason === 'queue-timeout')).toBe(true);
  });

  it('a set fault can resize the pool of every instance at run time', () => {
    const t = run(
      {
        nodes: [client([[0, 1, 'r'], [0, 2, 'r'], [0, 3, 'r']]), { id: 'db', type: 'database', connections: 1, readService: 50 }],
        edges: [{ from: 'c', to: 'db' }],
        faults: [{ at: '10ms', node: 'db', action: 'set', params: { connections: 3 } }],
      },
      { trace: true },
    );
    expect(byTime(t).map((x) => x[2])).toEqual([50, 60, 60]);
  });
});
