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

  it('mmck stays finite for an overloaded station with a long queue (M/M/1/K closed form)', () => {
    // P_K = (1 - ρ) ρ^K / (1 - ρ^(K+1)) = (ρ - 1) / (ρ - ρ^-K) for ρ > 1 (the form that does not overflow)
    const mm1k = (rho: number, k: number) => (rho - 1) / (rho - Math.exp(-k * Math.log(rho)));
    for (const [rho, k] of [
      [2, 100_000],
      [1.5, 2000],
      [1.01, 5000],
      [1.0001, 100_000],
    ] as const) {
      const p = mmck(rho * 100, 100, 1, k);
      expect(Number.isFinite(p.response) && Number.isFinite(p.utilization)).toBe(true);
      expect(p.blocking).toBeCloseTo(mm1k(rho, k), 9);
      // the server is busy for what it admits: utilisation = ρ (1 - P_K)
      expect(p.utilization).toBeCloseTo(rho * (1 - p.blocking), 9);
    }
    // a server at twice its capacity with a 100,000-deep queue: half is refused, the queue is full
    const full = mmck(200, 100, 1, 100_000);
    expect(full.blocking).toBeCloseTo(0.5, 9);
    expect(full.response * 100).toBeCloseTo(99_999, 0);
  });
});
