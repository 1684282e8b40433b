import { describe, expect, it } from 'vitest';
import { backoffUs, RetryBudget, type Backoff } from '../../engine/kernels/retry.ts';
import { SpaceSaving } from '../../engine/kernels/topk.ts';

const expo = (jitter: 'none' | 'full' | 'equal' | 'decorrelated'): Backoff => ({ policy: 'exponential', base: 100, cap: 1000, jitter });

describe('backoffUs(policy, n, prev, u)', () => {
  it('exponential without jitter doubles from base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffUs(expo('none'), n, 0, 0.5))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffUs(expo('none'), 5000, 0, 0)).toBe(1000);
  });

  it('full jitter is uniform on [0, v); equal jitter on [v/2, v)', () => {
    expect(backoffUs(expo('full'), 3, 0, 0)).toBe(0);
    expect(backoffUs(expo('full'), 3, 0, 0.25)).toBe(100);
    expect(backoffUs(expo('equal'), 3, 0, 0)).toBe(200);
    expect(backoffUs(expo('equal'), 3, 0, 0.5)).toBe(300);
  });

  it('decorrelated jitter draws from [base, 3·previous) and is capped', () => {
    expect(backoffUs(expo('decorrelated'), 1, 100, 0)).toBe(100);
    expect(backoffUs(expo('decorrelated'), 1, 100, 0.5)).toBe(200);
    expect(backoffUs(expo('decorrelated'), 9, 900, 0.99)).toBe(1000);
  });

  it('immediate is 0 and fixed is its delay', () => {
    expect(backoffUs({ policy: 'immediate' }, 4, 0, 0.9)).toBe(0);
    expect(backoffUs({ policy: 'fixed', delay: 250 }, 4, 0, 0.9)).toBe(250);
  });
});

describe('RetryBudget', () => {
  it('allows retries up to ratio × requests in the window, then refuses', () => {
    const b = new RetryBudget(0.2, 0, 10e6);
    for (let i = 0; i < 100; i++) b.onRequest(i * 1000);
    const ok = Array.from({ length: 25 }, () => b.tryRetry(200_000)).filter(Boolean).length;
    expect(ok).toBe(20);
  });

  it('adds minPerSec × window and forgets what is older than the window', () => {
    const b = new RetryBudget(0.2, 1, 10e6); // at least 10 retries per 10 s
    const count = (n: number, t: number) => Array.from({ length: n }, () => b.tryRetry(t)).filter(Boolean).length;
    expect(count(12, 0)).toBe(10);
    for (let i = 0; i < 50; i++) b.onRequest(1e6);
    expect(count(12, 1e6)).toBe(10); // 10 + 0.2·50 = 20 allowed, 10 already used
    expect(count(12, 10.5e6)).toBe(10); // the retries at t=0 left the window; those at 1 s did not
    expect(count(30, 20e6)).toBe(10); // everything left: back to the floor of 10
  });
});

describe('SpaceSaving', () => {
  it('finds the heavy hitters of a skewed stream with bounded error', () => {
    const s = new SpaceSaving(16);
    for (let i = 0; i < 10_000; i++) {
      s.add(i % 10 < 5 ? 1 : i % 10 < 7 ? 2 : 1000 + (i % 997));
    }
    const top = s.top(2);
    expect(top.map((h) => h.key)).toEqual([1, 2]);
    expect(top[0]!.count - top[0]!.error).toBeLessThanOrEqual(5000);
    expect(top[0]!.count).toBeGreaterThanOrEqual(5000);
  });
});
