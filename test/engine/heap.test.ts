import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../engine/core/heap.ts';

describe('EventQueue', () => {
  it('pops by time, then priority, then scheduling order', () => {
    const q = new EventQueue(4);
    const log: string[] = [];
    q.push(10, 8, 1, null, 0);
    q.push(5, 8, 2, null, 0);
    q.push(10, 0, 3, null, 0);
    q.push(10, 8, 4, null, 0);
    q.push(5, 8, 5, null, 0);
    q.push(0, 9, 6, null, 0);
    while (q.size) {
      q.pop();
      log.push(`${q.time}:${q.handler}`);
    }
    expect(log).toEqual(['0:6', '5:2', '5:5', '10:3', '10:1', '10:4']);
  });

  it('keeps each event\'s payload (handler, tag, object) with it through growth', () => {
    const q = new EventQueue(2);
    const objs = Array.from({ length: 100 }, (_, i) => ({ id: i }));
    for (let i = 99; i >= 0; i--) q.push(i, 8, i * 3, objs[i], i + 0.5);
    for (let i = 0; i < 100; i++) {
      q.pop();
      expect([q.time, q.handler, q.tag, q.obj]).toEqual([i, i * 3, i + 0.5, objs[i]]);
    }
  });

  it('matches a stable sort on (time, priority) for any interleaving of pushes and pops (fast-check seed 7)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ t: fc.integer({ min: 0, max: 50 }), p: fc.integer({ min: 0, max: 3 }) }), fc.constant(null)), { maxLength: 300 }),
        (ops) => {
          const q = new EventQueue(2);
          const ref: Array<{ t: number; p: number; seq: number }> = [];
          let seq = 0;
          let now = 0;
          for (const op of ops) {
            if (op === null) {
              if (!ref.length) continue;
              ref.sort((a, b) => a.t - b.t || a.p - b.p || a.seq - b.seq);
              const want = ref.shift()!;
              q.pop();
              if (q.time !== want.t || q.handler !== want.seq) return false;
              now = want.t;
            } else {
              const t = now + op.t; // never schedule in the past
              ref.push({ t, p: op.p, seq });
              q.push(t, op.p, seq, null, 0);
              seq++;
            }
          }
          return q.size === ref.length;
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
