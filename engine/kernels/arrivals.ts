/**
 * Arrival times of open-loop traffic. A rate function is piecewise linear in time; the
 * next arrival of a non-homogeneous Poisson process is drawn by thinning (Lewis &
 * Shedler 1979) one segment at a time, restarting at segment boundaries (valid because
 * the exponential is memoryless). With a constant rate this is one exponential draw.
 */
import type { Rng } from '../core/rng.ts';

/** A piece of a rate function: linear from r0 (at start) to r1 (at end), per second. */
export class Segment {
  start = 0;
  end = Infinity;
  r0 = 0;
  r1 = 0;
  /** Rate at time t within the segment. */
  rateAt(t: number): number {
    if (this.r0 === this.r1 || !Number.isFinite(this.end)) return this.r0;
    return this.r0 + ((this.r1 - this.r0) * (t - this.start)) / (this.end - this.start);
  }
}

export interface RateFn {
  /** Fills `out` with the segment containing time t (µs). Queries never go back in time. */
  segmentAt(t: number, out: Segment): void;
}

export class ConstantRate implements RateFn {
  constructor(readonly rate: number) {}
  segmentAt(t: number, out: Segment): void {
    out.start = t;
    out.end = Infinity;
    out.r0 = this.rate;
    out.r1 = this.rate;
  }
}

/**
 * A rate schedule: points (time µs, rate/s), stepping at each point or interpolating
 * linearly between points. Before the first point the rate is the first point's rate;
 * after the last, the last's.
 */
export class ScheduleRate implements RateFn {
  constructor(
    readonly times: number[],
    readonly rates: number[],
    readonly linear: boolean,
  ) {}
  segmentAt(t: number, out: Segment): void {
    const ts = this.times;
    const n = ts.length;
    // last point with time <= t
    let lo = 0;
    let hi = n - 1;
    if (t < ts[0]!) {
      out.start = -Infinity;
      out.end = ts[0]!;
      out.r0 = out.r1 = this.rates[0]!;
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    out.start = ts[lo]!;
    out.end = lo + 1 < n ? ts[lo + 1]! : Infinity;
    out.r0 = this.rates[lo]!;
    out.r1 = this.linear && lo + 1 < n ? this.rates[lo + 1]! : out.r0;
  }
}

/** A linear ramp from r0 at `start` to r1 at `end`, then r1 forever. */
export class RampRate implements RateFn {
  constructor(readonly start: number, readonly end: number, readonly r0: number, readonly r1: number) {}
  segmentAt(t: number, out: Segment): void {
    if (t < this.end) {
      out.start = this.start;
      out.end = this.end;
      out.r0 = this.r0;
      out.r1 = this.r1;
    } else {
      out.start = this.end;
      out.end = Infinity;
      out.r0 = out.r1 = this.r1;
    }
  }
}

/**
 * On/off traffic: alternating periods, "on" at `onRate` and "off" at `offRate`, with
 * period lengths drawn from their distributions (so bursts can be regular or random).
 */
export class OnOffRate implements RateFn {
  private phaseStart = 0;
  private phaseEnd: number;
  private on = true;
  constructor(
    private readonly onLen: () => number,
    private readonly offLen: () => number,
    readonly onRate: number,
    readonly offRate: number,
    start = 0,
  ) {
    this.phaseStart = start;
    this.phaseEnd = start + Math.max(1, onLen());
  }
  segmentAt(t: number, out: Segment): void {
    while (t >= this.phaseEnd) {
      this.on = !this.on;
      this.phaseStart = this.phaseEnd;
      this.phaseEnd += Math.max(1, this.on ? this.onLen() : this.offLen());
    }
    out.start = this.phaseStart;
    out.end = this.phaseEnd;
    out.r0 = out.r1 = this.on ? this.onRate : this.offRate;
  }
}

/**
 * The next arrival strictly after `t` (µs, fractional) of a Poisson process with rate
 * function `fn`, or Infinity if the rate stays 0 for ever.
 */
export function nextPoissonArrival(fn: RateFn, t: number, rng: Rng, seg: Segment): number {
  for (let guard = 0; guard < 1_000_000; guard++) {
    fn.segmentAt(t, seg);
    const m = seg.r0 > seg.r1 ? seg.r0 : seg.r1;
    if (!(m > 0)) {
      if (!Number.isFinite(seg.end)) return Infinity;
      t = seg.end;
      continue;
    }
    const next = t + (rng.exp() * 1e6) / m;
    if (next >= seg.end) {
      t = seg.end;
      continue;
    }
    if (seg.r0 === seg.r1 || rng.next() * m <= seg.rateAt(next)) return next;
    t = next;
  }
  return Infinity;
}

/** The next arrival after `t` of evenly spaced traffic at the rate in force at `t`. */
export function nextConstantArrival(fn: RateFn, t: number, seg: Segment): number {
  for (let guard = 0; guard < 1_000_000; guard++) {
    fn.segmentAt(t, seg);
    const r = seg.rateAt(t);
    if (r > 0) return t + 1e6 / r;
    if (!Number.isFinite(seg.end)) return Infinity;
    t = seg.end;
  }
  return Infinity;
}
