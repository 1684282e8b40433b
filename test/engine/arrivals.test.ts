import { describe, expect, it } from 'vitest';
import { createStream } from '../../engine/core/rng.ts';
import { ConstantRate, nextConstantArrival, nextPoissonArrival, OnOffRate, RampRate, ScheduleRate, Segment, type RateFn } from '../../engine/kernels/arrivals.ts';

function arrivals(fn: RateFn, until: number, name: string): number[] {
  const r = createStream(3, name);
  const seg = new Segment();
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t = nextPoissonArrival(fn, t, r, seg);
    if (t >= until) return out;
    out.push(t);
  }
}

const countIn = (xs: number[], a: number, b: number) => xs.filter((x) => x >= a && x < b).length;
/** A Poisson count with mean m is within 4.5 sd of it except with probability < 1e-5. */
const poissonOk = (n: number, m: number) => Math.abs(n - m) <= 4.5 * Math.sqrt(m);

describe('arrival times', () => {
  it('a constant rate gives a Poisson count and exponential gaps', () => {
    const xs = arrivals(new ConstantRate(1000), 100e6, 'c');
    expect(poissonOk(xs.length, 100_000)).toBe(true);
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    const cv = Math.sqrt(gaps.reduce((a, g) => a + (g - 1000) ** 2, 0) / gaps.length) / 1000;
    expect(Math.abs(cv - 1)).toBeLessThan(0.02);
  });

  it('a linear schedule is followed by thinning: counts per segment match the integral of the rate', () => {
    // 0 -> 1000/s over 10 s, then 1000/s: expected 5000 in [0,10s) and 10000 in [10s,20s)
    const fn = new ScheduleRate([0, 10e6], [0, 1000], true);
    const xs = arrivals(fn, 20e6, 'lin');
    expect(poissonOk(countIn(xs, 0, 10e6), 5000)).toBe(true);
    expect(poissonOk(countIn(xs, 10e6, 20e6), 10000)).toBe(true);
    // the first half of the ramp carries a quarter of its requests
    expect(poissonOk(countIn(xs, 0, 5e6), 1250)).toBe(true);
  });

  it('a step schedule changes rate at each point', () => {
    const fn = new ScheduleRate([0, 5e6, 6e6], [100, 5000, 100], false);
    const xs = arrivals(fn, 10e6, 'step');
    expect(poissonOk(countIn(xs, 0, 5e6), 500)).toBe(true);
    expect(poissonOk(countIn(xs, 5e6, 6e6), 5000)).toBe(true);
    expect(poissonOk(countIn(xs, 6e6, 10e6), 400)).toBe(true);
  });

  it('a ramp goes from r0 to r1 and stays there', () => {
    const xs = arrivals(new RampRate(0, 10e6, 1000, 0), 20e6, 'ramp');
    expect(poissonOk(countIn(xs, 0, 10e6), 5000)).toBe(true);
    expect(countIn(xs, 10e6, 20e6)).toBe(0);
  });

  it('on/off alternates bursts and silence', () => {
    const fn = new OnOffRate(() => 1e6, () => 3e6, 2000, 0);
    const xs = arrivals(fn, 40e6, 'onoff');
    for (let k = 0; k < 10; k++) {
      expect(poissonOk(countIn(xs, k * 4e6, k * 4e6 + 1e6), 2000)).toBe(true);
      expect(countIn(xs, k * 4e6 + 1e6, (k + 1) * 4e6)).toBe(0);
    }
  });

  it('evenly spaced traffic is exactly 1/rate apart and a zero rate never arrives', () => {
    const seg = new Segment();
    expect(nextConstantArrival(new ConstantRate(4), 1e6, seg)).toBe(1.25e6);
    expect(nextConstantArrival(new ConstantRate(0), 0, seg)).toBe(Infinity);
    expect(nextPoissonArrival(new ConstantRate(0), 0, createStream(1, 'z'), seg)).toBe(Infinity);
  });
});
