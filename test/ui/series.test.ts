import { describe, expect, it } from 'vitest';
import { appendSeries, startSeries } from '../../ui/store/series.ts';
import type { Series } from '../../ui/sim/client.ts';

const chunk = (t: number[], util: number[], extra?: number[]): Series =>
  ({
    windowSeconds: 1,
    t,
    endToEnd: { sentPerSec: t.map(() => 1) },
    nodes: { a: { utilization: util, ...(extra ? { hitRatio: extra } : {}) } },
    edges: {},
  }) as unknown as Series;

describe('appendSeries', () => {
  it('appends chunks in order and pads a series that appears later', () => {
    const acc = startSeries(chunk([1, 2], [0.1, 0.2]));
    appendSeries(acc, chunk([3], [0.3], [0.9]));
    expect(acc.t).toEqual([1, 2, 3]);
    expect(acc.nodes.a!.utilization).toEqual([0.1, 0.2, 0.3]);
    expect((acc.nodes.a as Record<string, unknown>).hitRatio).toEqual([null, null, 0.9]);
    expect(acc.endToEnd.sentPerSec).toEqual([1, 1, 1]);
  });

  it('does not share arrays with the first chunk', () => {
    const first = chunk([1], [0.5]);
    const acc = startSeries(first);
    appendSeries(acc, chunk([2], [0.6]));
    expect(first.t).toEqual([1]);
  });
});
