/**
 * Minimap sizing and a fit that leaves room for it, as pure functions of the canvas's
 * size (px). The minimap sits in the canvas's bottom-right corner and shrinks with a short
 * canvas (1280×720 with the results dock open gives a canvas ~390 px tall); below
 * `MINIMAP_MIN_CANVAS` it is not drawn, and `minimapFit` says why so the toggle can tell.
 */

/** The smallest canvas (px) that shows the minimap: its smallest size plus room for nodes. */
export const MINIMAP_MIN_CANVAS = { width: 420, height: 220 };
/** Gap (px) between the minimap and the canvas's edges (its panel margin). */
export const MINIMAP_MARGIN = 10;
const MIN_H = 56;
const MAX_H = 100;
/** The minimap's width over its height, near the canvas's own aspect at 1280×720. */
const ASPECT = 1.5;

export type MinimapFit = { shown: true; width: number; height: number } | { shown: false; reason: string };

/**
 * The minimap's size for a canvas of `width` × `height` px: a fifth of the canvas's height
 * (56 to 100 px tall, 1.5 times as wide), or why it cannot be shown.
 */
export function minimapFit(width: number, height: number): MinimapFit {
  const { width: minW, height: minH } = MINIMAP_MIN_CANVAS;
  if (height < minH) return { shown: false, reason: `the canvas is ${Math.round(height)} px tall and the minimap needs ${minH} px: drag the results panel down` };
  if (width < minW) return { shown: false, reason: `the canvas is ${Math.round(width)} px wide and the minimap needs ${minW} px: widen the window` };
  const h = Math.round(Math.min(MAX_H, Math.max(MIN_H, height * 0.2)));
  return { shown: true, width: Math.round(h * ASPECT), height: h };
}

/** The minimap toggle's tooltip: what a click does, and why the minimap is missing if it is. */
export function minimapTitle(on: boolean, noRoom: string | null): string {
  if (!noRoom) return on ? 'Hide the minimap' : 'Show the minimap';
  return on ? `The minimap is on but hidden: ${noRoom}. Click to turn it off.` : `Show the minimap (hidden for now: ${noRoom})`;
}

/** Padding (px per side) for xyflow's fitView. */
export interface FitPadding {
  top: `${number}px`;
  right: `${number}px`;
  bottom: `${number}px`;
  left: `${number}px`;
}

/**
 * The fitView padding that keeps the fitted topology (`bounds`, flow units) clear of the
 * minimap: a `base` share of the canvas on every side as xyflow computes it, widened on
 * the right or at the bottom by the minimap's size, whichever leaves the larger zoom
 * (capped at `maxZoom`, where both are equal and the right is kept). Without a minimap,
 * the plain `base` padding.
 */
export function fitPadding(
  bounds: { width: number; height: number },
  canvas: { width: number; height: number },
  minimap: { width: number; height: number } | null,
  base: number,
  maxZoom: number,
): FitPadding {
  // xyflow's own reading of a numeric padding, so that without a minimap nothing changes
  const px = (v: number) => Math.floor((v - v / (1 + base)) * 0.5);
  const bx = px(canvas.width);
  const by = px(canvas.height);
  const out = (t: number, r: number, b: number, l: number): FitPadding => ({ top: `${t}px`, right: `${r}px`, bottom: `${b}px`, left: `${l}px` });
  if (!minimap) return out(by, bx, by, bx);
  const right = Math.max(bx, minimap.width + 2 * MINIMAP_MARGIN);
  const bottom = Math.max(by, minimap.height + 2 * MINIMAP_MARGIN);
  const zoom = (w: number, h: number) => Math.min(maxZoom, w / Math.max(1, bounds.width), h / Math.max(1, bounds.height));
  const zRight = zoom(canvas.width - bx - right, canvas.height - 2 * by);
  const zBottom = zoom(canvas.width - 2 * bx, canvas.height - by - bottom);
  return zBottom > zRight ? out(by, bx, bottom, bx) : out(by, right, by, bx);
}
