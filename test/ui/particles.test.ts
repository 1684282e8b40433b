import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { bezierSamples } from '../../ui/canvas/particles.ts';

const gaps = (p: Float32Array) => Array.from({ length: p.length / 2 - 1 }, (_, k) => Math.hypot(p[2 * k + 2]! - p[2 * k]!, p[2 * k + 3]! - p[2 * k + 1]!));

describe('dots along an edge', () => {
  it('sample xyflow bezier edges at equal arc-length steps from end to end, with no DOM', () => {
    for (const [sx, sy, tx, ty] of [
      [0, 0, 300, 0],
      [10.5, 20, 400, 180],
      [400, 300, 20, 40], // backwards
      [0, 0, 0, 0],
    ] as const) {
      const [d] = getBezierPath({ sourceX: sx, sourceY: sy, targetX: tx, targetY: ty, sourcePosition: Position.Right, targetPosition: Position.Left });
      const p = bezierSamples(d, 48)!;
      expect(p, d).not.toBeNull();
      expect(p.length).toBe(2 * 49);
      expect(p[0]).toBeCloseTo(sx, 3);
      expect(p[1]).toBeCloseTo(sy, 3);
      expect(p[96]).toBeCloseTo(tx, 3);
      expect(p[97]).toBeCloseTo(ty, 3);
      const g = gaps(p);
      const mean = g.reduce((a, b) => a + b, 0) / g.length;
      // equal steps: on a forward edge (a gentle curve) chords of equal arcs are within 2%
      // of each other; a backward edge loops, where chords of equal arcs shorten in the bends
      if (tx >= sx) for (const x of g) expect(Math.abs(x - mean)).toBeLessThanOrEqual(0.02 * mean + 1e-6);
      // and the samples follow the curve: their polyline is as long as the curve, within 1%
      const fine = bezierSamples(d, 4000)!;
      const curve = gaps(fine).reduce((a, b) => a + b, 0);
      expect(Math.abs(g.reduce((a, b) => a + b, 0) - curve)).toBeLessThanOrEqual(0.01 * curve + 1e-6);
    }
  });

  it('a straight cubic is a straight line at even steps', () => {
    const p = bezierSamples('M0,0 C100,0 200,0 300,0', 3)!;
    expect(Array.from(p)).toEqual([0, 0, 100, 0, 200, 0, 300, 0]);
  });

  it('leaves other paths to the SVG geometry API (null)', () => {
    expect(bezierSamples('M0,0 L10,10', 8)).toBeNull();
    expect(bezierSamples('M0,0 C1,1 2,2 3,3 C4,4 5,5 6,6', 8)).toBeNull();
    expect(bezierSamples('', 8)).toBeNull();
  });
});
