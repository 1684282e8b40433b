import { describe, expect, it } from 'vitest';
import { decimateLine, decimateStack, exact, linePath, nearestIndex, pct, stackedAreas, stackTotals, ticks, timeLabel, timeScale, valueLabel, valueScale, type Box } from '../../ui/charts/scales.ts';

const box: Box = { width: 300, height: 200, top: 10, right: 10, bottom: 20, left: 40 };

describe('scales', () => {
  it('maps the whole run onto the plot, from 0', () => {
    const x = timeScale(60, box);
    expect(x(0)).toBe(40);
    expect(x(60)).toBe(290);
  });

  it('starts a linear value axis at 0 and covers the largest value', () => {
    const y = valueScale([[1, null, 7.2], [3]], box);
    expect(y.domain()[0]).toBe(0);
    expect(y.domain()[1]).toBeGreaterThanOrEqual(7.2);
    expect(y(0)).toBe(180);
  });

  it('gives an empty chart a unit axis instead of a degenerate one', () => {
    expect(valueScale([[null, 0]], box).domain()).toEqual([0, 1]);
  });

  it('spans whole decades on a log axis and clamps zeros to its bottom', () => {
    const y = valueScale([[0, 0.3, 45]], box, 'log');
    expect(y.domain()).toEqual([0.1, 100]);
    expect(y(0.00001)).toBe(180);
  });

  it('respects a fixed ceiling for ratios', () => {
    expect(valueScale([[0.2, 0.5]], box, 'linear', 1).domain()).toEqual([0, 1]);
  });
});

describe('paths', () => {
  const x = (v: number) => v * 10;
  const y = valueScale([[0, 10]], { ...box, top: 0, bottom: 0, height: 100 });

  it('draws through defined points and leaves gaps at nulls', () => {
    const d = linePath([1, 2, 3, 4], [1, null, 3, 4], x, y)!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.startsWith('M10,')).toBe(true);
  });

  it('returns null when nothing is defined, and skips non-positive values on a log axis', () => {
    expect(linePath([1, 2], [null, null], x, y)).toBeNull();
    const ylog = valueScale([[1, 10]], box, 'log');
    expect(linePath([1, 2, 3], [0, 5, 10], x, ylog, true)!.startsWith('M20,')).toBe(true);
  });

  it('stacks layers: each top is the running sum, nulls count as zero', () => {
    const layers = [
      { key: 'ok', values: [5, 6, null] },
      { key: '503', values: [1, null, 2] },
    ];
    const areas = stackedAreas([1, 2, 3], layers, x, y);
    expect(areas.map((a) => a.key)).toEqual(['ok', '503']);
    expect(areas[1]!.top).toEqual([6, 6, 2]);
    expect(areas.every((a) => a.d.startsWith('M'))).toBe(true);
    expect(stackTotals(layers, 3)).toEqual([6, 6, 2]);
  });
});

describe('decimation (drawing only)', () => {
  it('keeps each bucket’s lowest and highest value in time order', () => {
    const t = Array.from({ length: 12 }, (_, i) => i + 1);
    const ys = [1, 9, 2, 3, 3, 3, 0, 5, 4, null, null, null];
    const d = decimateLine(t, ys, 4);
    expect(d.ys).toEqual([1, 9, 3, 0, 5, null]);
    expect(d.t).toEqual([1, 2, 4, 7, 8, 12]);
  });

  it('leaves short series alone', () => {
    const t = [1, 2, 3];
    expect(decimateLine(t, [1, 2, 3], 10).t).toBe(t);
  });

  it('averages stacked rates per bucket', () => {
    const t = [1, 2, 3, 4, 5, 6];
    const d = decimateStack(t, [{ key: 'ok', values: [2, 4, 6, 8, null, 10] }], 2);
    expect(d.t).toEqual([3, 6]);
    expect(d.layers[0]!.values).toEqual([4, 9]);
  });
});

describe('reading values', () => {
  it('finds the window nearest a time', () => {
    expect(nearestIndex([1, 2, 3], 2.4)).toBe(1);
    expect(nearestIndex([1, 2, 3], 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it('labels axes compactly and tooltips exactly', () => {
    expect(valueLabel(1500)).toBe('1.5k');
    expect(valueLabel(0.25)).toBe('0.25');
    expect(timeLabel(30)).toBe('30s');
    expect(timeLabel(300)).toBe('5m');
    expect(timeLabel(7200)).toBe('2h');
    expect(exact(12345.6, 'req/s')).toBe('12,346 req/s');
    expect(exact(0.123456)).toBe('0.1235');
    expect(exact(null)).toBe('–');
    expect(pct(0.9083)).toBe('90.8%');
    expect(ticks(valueScale([[0.5, 50]], box, 'log'), 5, 'value').map((t) => t.label)).toEqual(['0.1', '1', '10', '100']);
  });
});
