/**
 * Reading the live snapshot for the canvas: per-id lookups (cached per snapshot) and the
 * colour bands for utilisation. Colours are Okabe–Ito (sky blue, orange, vermillion),
 * which stay distinct for the common forms of colour blindness; the numbers are always
 * printed next to them as well.
 */
import type { LiveEdge, LiveNode, LiveSnapshot } from '../sim/client.ts';

const nodeMaps = new WeakMap<LiveSnapshot, Map<string, LiveNode>>();
const edgeMaps = new WeakMap<LiveSnapshot, Map<string, LiveEdge>>();

/** A node's live state in a snapshot, by id. */
export function liveNode(s: LiveSnapshot | null, id: string): LiveNode | undefined {
  if (!s) return undefined;
  let m = nodeMaps.get(s);
  if (!m) nodeMaps.set(s, (m = new Map(s.nodes.map((n) => [n.id, n]))));
  return m.get(id);
}

/** An edge's live state in a snapshot, by "from->to". */
export function liveEdge(s: LiveSnapshot | null, id: string): LiveEdge | undefined {
  if (!s) return undefined;
  let m = edgeMaps.get(s);
  if (!m) edgeMaps.set(s, (m = new Map(s.edges.map((e) => [e.id, e]))));
  return m.get(id);
}

/** Utilisation bands: comfortable, busy, saturated (bands, not a blend: blending blue into orange passes through olive). */
export const UTIL_BANDS = [
  { below: 0.6, colour: '#56b4e9' },
  { below: 0.85, colour: '#e69f00' },
  { below: Infinity, colour: '#d55e00' },
] as const;

/** The colour of a utilisation (0..1); grey when it does not apply. */
export function utilColour(u: number | null | undefined): string {
  if (u === null || u === undefined || !Number.isFinite(u)) return '#9aa5b1';
  return UTIL_BANDS.find((b) => u < b.below)!.colour;
}

/** "91%" (one decimal under 10%). */
export function percent(u: number | null | undefined): string {
  if (u === null || u === undefined || !Number.isFinite(u)) return '–';
  const p = u * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

/** A compact count or rate: 950, 1.2k, 3.4M. */
export function compact(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1e6) return `${+(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(x / 1e3).toPrecision(3)}k`;
  if (a >= 100) return String(Math.round(x));
  return String(+x.toPrecision(3));
}
