import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, mgc, mmck } from '../../engine/kernels/queueing.ts';

describe('queueing formulas (ground-truth §1 tables)', () => {
  it('erlangB(c, A) matches the table', () => {
    expect(erlangB(10, 8)).toBeCloseTo(0.121661, 6);
    expect(erlangB(5, 3)).toBeCloseTo(0.110054, 6);
    expect(erlangB(100, 80)).toBeCloseTo(0.003992, 6);
  });

  it('erlangC(c, A) matches the table', () => {
    expect(erlangC(4, 3.2)).toBeCloseTo(0.5964, 4);
    expect(erlangC(8, 7.2)).toBeCloseTo(0.7015, 4);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 10);
  });

  it('mgc gives M/M/c, M/D/1 and M/G/1 means', () => {
    const m = mgc(320, 0.01, 1, 4);
    expect(m.queueWait * 1000).toBeCloseTo(7.4554, 3);
    expect(m.response * 1000).toBeCloseTo(17.4554, 3);
    expect(mgc(80, 0.01, 0, 1).queueWait * 1000).toBeCloseTo(20, 6);
    expect(mgc(80, 0.01, 0.5, 1).queueWait * 1000).toBeCloseTo(30, 6);
    expect(mgc(95, 0.01, 4, 1).queueWait * 1000).toBeCloseTo(475, 6);
    expect(mgc(120, 0.01, 1, 1).unstable).toBe(true);
  });

  it('mmck gives M/M/c/K blocking, throughput and response', () => {
    const a = mmck(150, 100, 1, 10);
    expect(a.blocking).toBeCloseTo(0.337232, 6);
    expect(a.response * 1000).toBeCloseTo(81.7648, 3);
    const b = mmck(380, 100, 4, 20);
    expect(b.blocking).toBeCloseTo(0.031273, 6);
    expect(b.response * 1000).toBeCloseTo(25.2397, 3);
    expect(mmck(800, 100, 10, 10).blocking).toBeCloseTo(0.121661, 6);
  });
});
