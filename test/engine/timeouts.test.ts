import { describe, expect, it } from 'vitest';
import { Call } from '../../engine/core/call.ts';
import { CallDeadlines, TimeoutList } from '../../engine/core/timeouts.ts';
import type { Node } from '../../engine/core/node.ts';
import { constServer, run, traceClient } from '../helpers.ts';

const call = (id: number) => Object.assign(new Call(), { id });
const live = (c: Call, id: number) => c.id === id;

describe('TimeoutList', () => {
  it('expires in deadline order even when deadlines go down (a shortened timeout)', () => {
    const t = new TimeoutList(2);
    const cs = [call(1), call(2), call(3), call(4), call(5)];
    t.push(cs[0]!, 100);
    t.push(cs[1]!, 200);
    t.push(cs[2]!, 50); // timeout shortened: earlier than the last
    t.push(cs[3]!, 60);
    t.push(cs[4]!, 300);
    expect(t.nextDeadline(live)).toBe(50);
    const out: number[] = [];
    t.expire(100, live, (c) => out.push(c.id));
    expect(out.sort()).toEqual([1, 3, 4]);
    expect(t.nextDeadline(live)).toBe(200);
    t.expire(1000, live, (c) => out.push(c.id));
    expect(out).toEqual([1, 3, 4, 2, 5]);
    expect(t.length).toBe(0);
  });

  it('skips entries whose call was answered or recycled', () => {
    const t = new TimeoutList();
    const a = call(1);
    const b = call(2);
    t.push(a, 10);
    t.push(b, 20);
    a.id = 99; // recycled
    expect(t.nextDeadline(live)).toBe(20);
  });

  it('trim keeps the list as long as the calls since the oldest live one, not the whole timeout period', () => {
    const t = new TimeoutList();
    const slow = call(1);
    t.push(slow, 60_000_000);
    // 10,000 calls a millisecond apart, each answered (recycled) before the next is sent
    for (let i = 0; i < 10_000; i++) {
      const c = call(100 + i);
      t.push(c, 60_000_000 + i * 1000);
      t.trim(live, 2);
      c.id = 0;
    }
    // the slow call is still waiting: everything behind it stays (its deadline comes first)
    expect(t.length).toBe(10_001);
    expect(t.nextDeadline(live)).toBe(60_000_000);
    slow.id = 0;
    // once it is answered, each push drops two dead entries until the backlog is gone
    for (let i = 0; i < 10_000; i++) {
      const c = call(20_000 + i);
      t.push(c, 70_000_000 + i);
      t.trim(live, 2);
      c.id = 0;
    }
    expect(t.length).toBeLessThan(3);
    expect(t.nextDeadline(live)).toBe(Infinity);
  });
});

describe('CallDeadlines', () => {
  // a node stand-in: the timer events it would get are recorded, and fired by hand
  const harness = () => {
    const timers: number[] = [];
    const sim = { now: 0, scheduleAt: (t: number) => timers.push(t) };
    const expired: number[] = [];
    const d = new CallDeadlines({ index: 1, sim } as unknown as Node, 5, (c) => expired.push(c.id), 4);
    return { sim, timers, expired, d };
  };

  it('cancel clears an answered call, and the ring keeps only what is outstanding', () => {
    const { sim, timers, expired, d } = harness();
    const cs = Array.from({ length: 1000 }, (_, i) => call(i + 1));
    for (const c of cs) {
      sim.now += 10;
      d.start(c, sim.now + 100_000);
      d.cancel(c);
    }
    expect(d.length).toBe(0);
    // one timer was armed, for the first call; it finds nothing to expire and arms no other
    expect(timers).toEqual([100_010]);
    sim.now = 100_010;
    d.fire();
    expect(expired).toEqual([]);
    expect(timers).toHaveLength(1);
  });

  it('expires the outstanding calls in deadline order, shortened deadlines first, and skips recycled ones', () => {
    const { sim, timers, expired, d } = harness();
    const [a, b, c, e, f] = [call(1), call(2), call(3), call(4), call(5)];
    d.start(a, 100);
    d.start(b, 200);
    d.start(c, 300);
    d.cancel(b);
    d.start(e, 50); // a shortened timeout: earlier than the newest deadline
    d.start(f, 400);
    f.id = 77; // answered and recycled without a cancel
    expect(timers).toEqual([100, 50]);
    sim.now = 50;
    d.fire();
    expect(expired).toEqual([4]);
    sim.now = 100;
    d.fire();
    sim.now = 300;
    d.fire();
    sim.now = 1000;
    d.fire();
    expect(expired).toEqual([4, 1, 3]);
    expect(d.length).toBe(0);
    // growing past the initial capacity of 4 keeps the order
    for (let i = 0; i < 20; i++) d.start(call(100 + i), 2000 + i);
    sim.now = 2010;
    d.fire();
    expect(expired.slice(3)).toEqual(Array.from({ length: 11 }, (_, i) => 100 + i));
  });
});

describe('a run-time set of a timeout', () => {
  it('a shortened call timeout takes effect at once', () => {
    // api waits up to 10 s for a 3 s downstream; at 1 s the call timeout becomes 500 ms
    const r = run(
      {
        duration: '20s',
        nodes: [traceClient('c', [0, 2000, 4000, 6000], { timeout: 'none' }), constServer('api', 1, { callTimeout: '10s' }), constServer('slow', 3000, { workers: 10 })],
        edges: [{ from: 'c', to: 'api' }, { from: 'api', to: 'slow' }],
        faults: [{ at: '1s', node: 'api', action: 'set', params: { callTimeout: '500ms' } }],
      },
      { trace: true },
    );
    expect([...r.traces].sort((a, b) => a.sentAt - b.sentAt).map((x) => [x.status, x.latency / 1000])).toEqual([
      [200, 3001],
      [504, 501],
      [504, 501],
      [504, 501],
    ]);
  });
});
