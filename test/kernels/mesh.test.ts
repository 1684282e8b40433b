/**
 * Envoy's decisions for a sidecar's cluster, against ground-truth.md §5: the retry
 * back-off bounds of the current source, outlier detection's ejection capacity in both
 * forms of the max-ejection-percent check, ejection times on interval ticks with the
 * multiplier and its decay, and which failures a retryOn list retries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptFailure, OutlierDetector, retryBackoffBoundMs, retryBackoffUs, retryOnMatches, type OutlierConfig } from '../../engine/kernels/mesh.ts';

const S = 1_000_000;

describe('retry back-off (Envoy JitteredExponentialBackOffStrategy)', () => {
  it('bounds retry n by 25, 50, 100, 200, then 250 ms (base 25, max 250)', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => retryBackoffBoundMs(n, 25, 250))).toEqual([25, 50, 100, 200, 250, 250, 250]);
    // a base of 100 ms and max 1 s: doubling while below half the maximum, so 800, then 1000
    expect([1, 2, 3, 4, 5, 6].map((n) => retryBackoffBoundMs(n, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('waits a whole number of ms uniform in [0, bound): means 12, 24.5, 49.5, 99.5, 124.5', () => {
    for (const [n, mean] of [[1, 12], [2, 24.5], [3, 49.5], [4, 99.5], [5, 124.5]] as const) {
      const bound = retryBackoffBoundMs(n, 25, 250);
      // the exact mean over an even grid of uniforms
      let sum = 0;
      const k = bound * 100;
      for (let i = 0; i < k; i++) sum += retryBackoffUs(n, 25, 250, (i + 0.5) / k);
      expect(sum / k / 1000).toBeCloseTo(mean, 9);
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, u) => {
        const w = retryBackoffUs(n, 25, 250, u);
        return w >= 0 && w < retryBackoffBoundMs(n, 25, 250) * 1000 && w % 1000 === 0;
      }),
    );
  });
});

const cfg = (o: Partial<OutlierConfig> = {}): OutlierConfig => ({
  consecutive5xx: 5,
  consecutiveGatewayErrors: 0,
  interval: 10 * S,
  baseEjectionTime: 30 * S,
  maxEjectionTime: 300 * S,
  maxEjectionPercent: 10,
  percentCheck: 'since-1.28',
  alwaysEjectOneHost: false,
  ...o,
});

describe('outlier detection', () => {
  it('ejects floor(N·10%) hosts since Envoy 1.28 and ceil before it: N=5 → 0 (1), 10 → 1 (1), 15 → 1 (2), 20 → 2 (2)', () => {
    const cap = (n: number, percentCheck: OutlierConfig['percentCheck'], alwaysEjectOneHost = false) =>
      OutlierDetector.capacity(n, { maxEjectionPercent: 10, percentCheck, alwaysEjectOneHost });
    expect([5, 10, 15, 20].map((n) => cap(n, 'since-1.28'))).toEqual([0, 1, 1, 2]);
    expect([5, 10, 15, 20].map((n) => cap(n, 'before-1.28'))).toEqual([1, 1, 2, 2]);
    expect(cap(5, 'since-1.28', true)).toBe(1);
    expect(OutlierDetector.capacity(3, { maxEjectionPercent: 100, percentCheck: 'since-1.28', alwaysEjectOneHost: false })).toBe(3);
  });

  it('the worked example: 20 hosts, host 0 fails from t = 0 at 100 rps: ejected at the 5th 5xx, back at the first tick ≥ 30 s later, then 60 s, then 90 s', () => {
    const d = new OutlierDetector(20, cfg());
    const fail = (t: number) => d.onResult(0, 500, t);
    for (let i = 1; i <= 4; i++) expect(fail(i * 10_000)).toBe(false);
    expect(fail(40_000)).toBe(true);
    expect(d.ejections[0]).toBe(1);
    const backAt = (from: number) => {
      for (let t = Math.ceil(from / (10 * S)) * 10 * S; ; t += 10 * S) if (d.tick(t).includes(0)) return t;
    };
    expect(backAt(10 * S)).toBe(40 * S); // ticks at 10, 20, 30 s find 29.96 s not yet up
    // it fails again at once: ejected before its multiplier decays, for 60 s
    for (let i = 1; i <= 5; i++) fail(41 * S + i);
    expect(d.multiplierOf(0)).toBe(2);
    expect(backAt(50 * S)).toBe(110 * S);
    for (let i = 1; i <= 5; i++) fail(111 * S + i);
    expect(backAt(120 * S)).toBe(210 * S);
    // healthy from then on, the multiplier decays by one per tick after a first full interval
    expect(d.multiplierOf(0)).toBe(3);
    d.tick(220 * S);
    d.tick(230 * S);
    expect(d.multiplierOf(0)).toBe(1);
  });

  it('lengthens each quick re-ejection by the base, up to the maximum (300 s), each ending at the first tick after its time', () => {
    const d = new OutlierDetector(1, cfg({ maxEjectionPercent: 100 }));
    let t = 0;
    const lengths: number[] = [];
    for (let k = 0; k < 13; k++) {
      for (let i = 0; i < 5; i++) d.onResult(0, 503, ++t);
      const from = t;
      for (t = Math.ceil(t / (10 * S)) * 10 * S; !d.tick(t).includes(0); t += 10 * S);
      lengths.push((t - from) / S);
    }
    lengths.forEach((len, k) => {
      const due = Math.min(30 * (k + 1), 300);
      expect(len).toBeGreaterThanOrEqual(due);
      expect(len).toBeLessThan(due + 10);
    });
    // base × multiplier stops growing once it passes the maximum
    expect(d.multiplierOf(0)).toBe(11);
  });

  it('refuses the third of three failing hosts out of 20 and counts the overflow', () => {
    const d = new OutlierDetector(20, cfg());
    for (const h of [3, 7, 11]) for (let i = 0; i < 5; i++) d.onResult(h, 503, i);
    expect([d.ejected[3], d.ejected[7], d.ejected[11], d.active, d.overflow]).toEqual([1, 1, 0, 2, 1]);
  });

  it('a success ends a streak; a 500 ends a gateway streak but not a 5xx one', () => {
    const d = new OutlierDetector(10, cfg({ consecutive5xx: 3, consecutiveGatewayErrors: 2 }));
    d.onResult(0, 500, 1);
    d.onResult(0, 200, 2);
    d.onResult(0, 500, 3);
    d.onResult(0, 500, 4);
    expect(d.ejected[0]).toBe(0);
    expect(d.onResult(0, 500, 5)).toBe(true); // 3 in a row
    const g = new OutlierDetector(10, cfg({ consecutive5xx: 0, consecutiveGatewayErrors: 2 }));
    g.onResult(1, 503, 1);
    g.onResult(1, 500, 2);
    g.onResult(1, 504, 3);
    expect(g.ejected[1]).toBe(0);
    expect(g.onResult(1, 502, 4)).toBe(true);
  });
});

describe('retryOn', () => {
  const F = AttemptFailure;
  it('matches as Envoy does', () => {
    const m = (on: string[], how: AttemptFailure, status: number) => retryOnMatches(on, how, status);
    // Istio's default (connect-failure and HTTP/2, gRPC conditions): only refused connections here
    expect(m(['connect-failure'], F.ConnectFailure, 503)).toBe(true);
    expect(m(['connect-failure'], F.Status, 503)).toBe(false);
    expect(m(['connect-failure'], F.Reset, 1)).toBe(false);
    expect(m(['5xx'], F.Status, 500)).toBe(true);
    expect(m(['5xx'], F.PerTryTimeout, 504)).toBe(true);
    expect(m(['5xx'], F.Status, 429)).toBe(false);
    expect(m(['gateway-error'], F.Status, 500)).toBe(false);
    expect(m(['gateway-error'], F.Status, 503)).toBe(true);
    expect(m(['reset'], F.Reset, 1)).toBe(true);
    expect(m(['reset'], F.Status, 503)).toBe(false);
    expect(m(['retriable-4xx'], F.Status, 409)).toBe(true);
    expect(m(['503'], F.Status, 503)).toBe(true);
    expect(m(['503'], F.ConnectFailure, 503)).toBe(false);
    expect(m([], F.ConnectFailure, 503)).toBe(false);
  });
});
