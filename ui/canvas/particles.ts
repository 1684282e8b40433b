/**
 * Traffic dots on edges. Requests are sampled, not animated one by one: each edge gets
 * a dot rate proportional to its current request rate, scaled so that the busiest edge
 * shows at most `MAX_DOTS_PER_SEC`, and never faster than real requests would go at
 * the current pace (so at slow speeds every dot is one real request). Failed answers
 * travel back along the edge as dots of the failure colour.
 *
 * `Animator` moves the dots in one requestAnimationFrame loop by setting SVG attributes
 * directly; React renders only the edges themselves.
 */

/** At most this many dots per wall second on the busiest edge. */
export const MAX_DOTS_PER_SEC = 14;
/** Wall time a dot takes to cross an edge (ms). */
export const TRAVEL_MS = 900;

export interface EdgeRate {
  id: string;
  /** Requests per simulated second. */
  sentPerSec: number;
  /** Failed answers per simulated second. */
  failedPerSec: number;
}

/**
 * Dots per wall second for each edge, given the pace of the run (simulated seconds per
 * wall second; 0 when paused). Proportional to each edge's rate.
 */
export function dotRates(edges: readonly EdgeRate[], pace: number, maxDots = MAX_DOTS_PER_SEC): Map<string, { req: number; fail: number }> {
  const out = new Map<string, { req: number; fail: number }>();
  const busiest = Math.max(0, ...edges.map((e) => e.sentPerSec));
  const k = busiest > 0 && pace > 0 ? Math.min(pace, maxDots / busiest) : 0;
  for (const e of edges) out.set(e.id, { req: e.sentPerSec * k, fail: e.failedPerSec * k });
  return out;
}

/** The share of calls on an edge that fail, for its colour (0 when idle). */
export function failureShare(e: EdgeRate | undefined): number {
  if (!e || e.sentPerSec <= 0) return 0;
  return Math.min(1, e.failedPerSec / e.sentPerSec);
}

interface Dot {
  el: SVGCircleElement;
  born: number;
  back: boolean;
}

interface Lane {
  path: SVGPathElement;
  /** Points sampled along the path (x0, y0, x1, y1, ...), for the `d` they were taken from. */
  pts: Float32Array | null;
  d: string | null;
  layer: SVGGElement;
  req: number;
  fail: number;
  accReq: number;
  accFail: number;
  dots: Dot[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** More dots than this on one edge are not drawn (a safety cap for very long frames). */
const MAX_DOTS_PER_EDGE = 40;
/** Wall time between dot moves (ms). */
const FRAME_MS = 33;
/** Segments a path is sampled into for moving dots along it. */
const SAMPLES = 48;

/** Moves dots along registered edges. One instance serves the whole canvas. */
export class Animator {
  private lanes = new Map<string, Lane>();
  private frame = 0;
  private last = 0;
  /** Wall time between dot moves (ms): ~30 fps, ~20 fps at full speed (see setFrameMs). */
  private frameMs = FRAME_MS;

  /** Sets how often dots move; fewer moves leave more CPU to a full-speed run. */
  setFrameMs(ms: number): void {
    this.frameMs = ms;
  }

  /** Registers an edge's path and the group its dots go in. */
  attach(id: string, path: SVGPathElement, layer: SVGGElement): void {
    this.detach(id);
    this.lanes.set(id, { path, layer, pts: null, d: null, req: 0, fail: 0, accReq: Math.random(), accFail: Math.random(), dots: [] });
    this.kick();
  }

  detach(id: string): void {
    const lane = this.lanes.get(id);
    if (!lane) return;
    for (const d of lane.dots) d.el.remove();
    this.lanes.delete(id);
  }

  /** Sets the dot rates (dots per wall second) of every edge; unknown ids stop. */
  setRates(rates: Map<string, { req: number; fail: number }>): void {
    for (const [id, lane] of this.lanes) {
      const r = rates.get(id);
      lane.req = r?.req ?? 0;
      lane.fail = r?.fail ?? 0;
    }
    this.kick();
  }

  /** Removes every dot at once (a reset). */
  clear(): void {
    for (const lane of this.lanes.values()) {
      for (const d of lane.dots) d.el.remove();
      lane.dots = [];
    }
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    for (const id of [...this.lanes.keys()]) this.detach(id);
  }

  private kick(): void {
    if (!this.frame && typeof requestAnimationFrame !== 'undefined') {
      this.last = performance.now();
      this.frame = requestAnimationFrame((t) => this.tick(t));
    }
  }

  private tick(now: number): void {
    this.frame = 0;
    // about 30 frames a second is smooth enough for dots and halves the repaints
    if (now - this.last < this.frameMs - 2 && this.last > 0) {
      this.frame = requestAnimationFrame((t) => this.tick(t));
      return;
    }
    // a long gap (a hidden tab) must not release a burst of dots
    const dt = Math.min(0.1, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    let busy = false;
    for (const lane of this.lanes.values()) {
      lane.accReq += lane.req * dt;
      lane.accFail += lane.fail * dt;
      while (lane.accReq >= 1) {
        lane.accReq -= 1;
        this.spawn(lane, now, false);
      }
      while (lane.accFail >= 1) {
        lane.accFail -= 1;
        this.spawn(lane, now, true);
      }
      if (lane.req > 0 || lane.fail > 0) busy = true;
      if (!lane.dots.length) continue;
      busy = true;
      const pts = this.samples(lane);
      lane.dots = lane.dots.filter((d) => {
        const f = (now - d.born) / TRAVEL_MS;
        if (f >= 1 || pts === null) {
          d.el.remove();
          return false;
        }
        // interpolate between precomputed points: getPointAtLength per dot per frame is slow
        const u = (d.back ? 1 - f : f) * SAMPLES;
        const k = Math.min(SAMPLES - 1, Math.floor(u));
        const r = u - k;
        d.el.cx.baseVal.value = pts[2 * k]! + (pts[2 * k + 2]! - pts[2 * k]!) * r;
        d.el.cy.baseVal.value = pts[2 * k + 1]! + (pts[2 * k + 3]! - pts[2 * k + 1]!) * r;
        return true;
      });
    }
    if (busy) this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  /** The lane's sampled points, recomputed when its path changed (a node moved). */
  private samples(lane: Lane): Float32Array | null {
    const d = lane.path.getAttribute('d');
    if (d === lane.d) return lane.pts;
    lane.d = d;
    // edges are single cubic Béziers: sampled by arithmetic, with no layout; any other
    // path through the SVG geometry API (which forces a style and layout pass)
    lane.pts = d === null ? null : bezierSamples(d, SAMPLES);
    if (lane.pts !== null) return lane.pts;
    try {
      const len = lane.path.getTotalLength();
      if (len > 0) {
        const pts = new Float32Array(2 * (SAMPLES + 1));
        for (let i = 0; i <= SAMPLES; i++) {
          const p = lane.path.getPointAtLength((i / SAMPLES) * len);
          pts[2 * i] = p.x;
          pts[2 * i + 1] = p.y;
        }
        lane.pts = pts;
      }
    } catch {
      lane.pts = null;
    }
    return lane.pts;
  }

  private spawn(lane: Lane, now: number, back: boolean): void {
    if (lane.dots.length >= MAX_DOTS_PER_EDGE) return;
    const el = document.createElementNS(SVG_NS, 'circle');
    el.setAttribute('r', back ? '4.5' : '4');
    el.setAttribute('class', back ? 'dot dot-fail' : 'dot');
    lane.layer.appendChild(el);
    lane.dots.push({ el, born: now, back });
  }
}

/** The canvas's animator. */
export const animator = new Animator();

const NUM = String.raw`(-?\d*\.?\d+(?:e[-+]?\d+)?)`;
/** "M x,y C x1,y1 x2,y2 x,y" (the shape of xyflow's getBezierPath), commas or spaces. */
const CUBIC = new RegExp(String.raw`^\s*M\s*${NUM}[\s,]+${NUM}\s*C\s*${NUM}[\s,]+${NUM}[\s,]+${NUM}[\s,]+${NUM}[\s,]+${NUM}[\s,]+${NUM}\s*$`, 'i');

/**
 * Points at `samples` + 1 equal arc-length steps along a path made of one cubic Bézier
 * ("M x0,y0 C x1,y1 x2,y2 x3,y3"), as x0, y0, x1, y1, ...; null for any other path. Dots
 * move at a steady speed along it, and nothing asks the browser for layout.
 */
export function bezierSamples(d: string, samples: number): Float32Array | null {
  const m = CUBIC.exec(d);
  if (!m) return null;
  const [x0, y0, x1, y1, x2, y2, x3, y3] = m.slice(1).map(Number) as [number, number, number, number, number, number, number, number];
  const at = (t: number, a: number, b: number, c: number, e: number) => {
    const u = 1 - t;
    return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * e;
  };
  // the curve at fine steps of t, with the arc length up to each
  const fine = samples * 8;
  const xs = new Float64Array(fine + 1);
  const ys = new Float64Array(fine + 1);
  const len = new Float64Array(fine + 1);
  for (let i = 0; i <= fine; i++) {
    const t = i / fine;
    xs[i] = at(t, x0, x1, x2, x3);
    ys[i] = at(t, y0, y1, y2, y3);
    if (i > 0) len[i] = len[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
  }
  const total = len[fine]!;
  const out = new Float32Array(2 * (samples + 1));
  let j = 0;
  for (let k = 0; k <= samples; k++) {
    const target = (k / samples) * total;
    while (j < fine - 1 && len[j + 1]! < target) j++;
    const seg = len[j + 1]! - len[j]!;
    const r = seg > 0 ? Math.min(1, Math.max(0, (target - len[j]!) / seg)) : 0;
    out[2 * k] = xs[j]! + (xs[j + 1]! - xs[j]!) * r;
    out[2 * k + 1] = ys[j]! + (ys[j + 1]! - ys[j]!) * r;
  }
  return out;
}

