import { describe, expect, it } from 'vitest';
import { expiryTime, shouldRefreshEarly } from '../../engine/kernels/stampede.ts';
import { ReplicationLog, VersionTable } from '../../engine/kernels/versions.ts';

describe('VersionTable', () => {
  it('starts every key at 0 and commit(k) increments it, or jumps to a flushed version', () => {
    const t = new VersionTable();
    expect([t.get(3), t.commit(3), t.commit(3), t.get(3), t.get(2 ** 31 + 5)]).toEqual([0, 1, 2, 2, 0]);
    expect(t.commit(3, 7)).toBe(7);
    expect(t.commit(3, 2)).toBe(8);
    const c = t.clone();
    t.commit(3);
    expect([c.get(3), t.get(3)]).toEqual([8, 9]);
  });
});

describe('ReplicationLog', () => {
  it('applies writes in commit order: a slow entry holds back the ones behind it', () => {
    const log = new ReplicationLog();
    const replica = new VersionTable();
    expect(log.push(1, 1, 0, 50)).toBe(50);
    expect(log.push(2, 1, 10, 5)).toBe(50); // would be 15, but waits for the entry before it
    expect(log.push(1, 2, 60, 5)).toBe(65);
    const lags: number[] = [];
    expect(log.applyDue(49, replica)).toBe(0);
    expect(log.applyDue(50, replica, (l) => lags.push(l))).toBe(2);
    expect([replica.get(1), replica.get(2), log.length, log.nextAt(), log.oldestCommit()]).toEqual([1, 1, 1, 65, 60]);
    expect(log.applyDue(100, replica, (l) => lags.push(l))).toBe(1);
    expect([replica.get(1), lags]).toEqual([2, [50, 40, 40]]);
  });

  it('never moves a replica back to an older version, grows past its initial size, and clears', () => {
    const log = new ReplicationLog();
    const replica = new VersionTable();
    replica.set(1, 500);
    for (let i = 0; i < 200; i++) log.push(i % 3, i, i, 1);
    log.applyDue(1000, replica);
    expect([replica.get(1), replica.get(0), log.length]).toEqual([500, 198, 0]);
    log.push(1, 1, 0, 1);
    expect([log.clear(), log.length, log.nextAt()]).toEqual([1, 0, Infinity]);
  });
});

describe('stampede kernels', () => {
  it('expiryTime(now, ttl, jitter, u) spreads uniformly over ±jitter·ttl and keeps no TTL forever', () => {
    expect(expiryTime(100, 1000, 0, 0.9)).toBe(1100);
    expect(expiryTime(100, 1000, 0.2, 0)).toBe(900);
    expect(expiryTime(100, 1000, 0.2, 1)).toBe(1300);
    expect(expiryTime(100, 1000, 0.2, 0.5)).toBe(1100);
    expect(expiryTime(100, null, 0.5, 0.5)).toBe(Infinity);
  });

  it('shouldRefreshEarly follows XFetch: now − cost·beta·ln(u) >= expiry', () => {
    // cost 10, beta 1, u = e^-3: refresh when now + 30 >= expiry
    const u = Math.exp(-3);
    expect(shouldRefreshEarly(69, 100, 10, 1, u)).toBe(false);
    expect(shouldRefreshEarly(70, 100, 10, 1, u)).toBe(true);
    expect(shouldRefreshEarly(40, 100, 10, 2, u)).toBe(true); // beta 2 doubles the window
    expect(shouldRefreshEarly(99, 100, 0, 1, 1e-9)).toBe(false); // unknown cost: never early
    expect(shouldRefreshEarly(99, Infinity, 10, 1, 1e-9)).toBe(false);
  });
});
