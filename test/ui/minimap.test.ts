import { describe, expect, it } from 'vitest';
import { fitPadding, minimapFit, minimapTitle, MINIMAP_MARGIN, MINIMAP_MIN_CANVAS } from '../../ui/canvas/minimap.ts';

const px = (p: { top: string; right: string; bottom: string; left: string }) => [p.top, p.right, p.bottom, p.left].map((v) => Number(v.replace('px', ''))) as [number, number, number, number];

describe('minimapFit(width, height)', () => {
  it('shows a minimap on the 1280×720 canvas (~706 × 391 px), a fifth of its height', () => {
    expect(minimapFit(706, 391)).toEqual({ shown: true, width: 117, height: 78 });
  });

  it('grows to 150 × 100 px on tall canvases and shrinks no further than 84 × 56', () => {
    expect(minimapFit(1200, 900)).toEqual({ shown: true, width: 150, height: 100 });
    expect(minimapFit(600, MINIMAP_MIN_CANVAS.height)).toEqual({ shown: true, width: 84, height: 56 });
  });

  it('says why it is hidden on a canvas too short or too narrow', () => {
    expect(minimapFit(706, 165)).toEqual({ shown: false, reason: 'the canvas is 165 px tall and the minimap needs 220 px: drag the results panel down' });
    expect(minimapFit(300, 400)).toMatchObject({ shown: false, reason: expect.stringContaining('300 px wide') });
    expect(minimapFit(0, 0).shown).toBe(false);
  });
});

describe('minimapTitle(on, noRoom)', () => {
  it('says what a click does, and why the minimap is missing when it is', () => {
    expect(minimapTitle(true, null)).toBe('Hide the minimap');
    expect(minimapTitle(false, null)).toBe('Show the minimap');
    expect(minimapTitle(true, 'the canvas is 165 px tall')).toBe('The minimap is on but hidden: the canvas is 165 px tall. Click to turn it off.');
    expect(minimapTitle(false, 'the canvas is 165 px tall')).toBe('Show the minimap (hidden for now: the canvas is 165 px tall)');
  });
});

describe('fitPadding(bounds, canvas, minimap)', () => {
  const canvas = { width: 706, height: 391 };
  const mini = { width: 117, height: 78 };

  it('is xyflow’s own padding for a fraction when there is no minimap', () => {
    // xyflow turns padding 0.12 into floor((v - v / 1.12) / 2) px per side
    expect(px(fitPadding({ width: 1000, height: 300 }, canvas, null, 0.12, 1.2))).toEqual([20, 37, 20, 37]);
  });

  it('keeps a wide topology clear of the minimap by reserving the bottom (the zoom is set by the width)', () => {
    expect(px(fitPadding({ width: 1000, height: 300 }, canvas, mini, 0.12, 1.2))).toEqual([20, 37, mini.height + 2 * MINIMAP_MARGIN, 37]);
  });

  it('keeps a tall topology clear of the minimap by reserving the right side (the zoom is set by the height)', () => {
    expect(px(fitPadding({ width: 300, height: 1000 }, canvas, mini, 0.12, 1.2))).toEqual([20, mini.width + 2 * MINIMAP_MARGIN, 20, 37]);
  });

  it('reserves on the side that costs the least zoom', () => {
    for (const [w, h] of [[800, 200], [400, 400], [200, 900], [1600, 700]] as const) {
      const [t, r, b, l] = px(fitPadding({ width: w, height: h }, canvas, mini, 0.12, 10));
      const zoom = Math.min((canvas.width - l - r) / w, (canvas.height - t - b) / h);
      const other = r > 37 ? Math.min((canvas.width - 74) / w, (canvas.height - 20 - mini.height - 2 * MINIMAP_MARGIN) / h) : Math.min((canvas.width - 37 - mini.width - 2 * MINIMAP_MARGIN) / w, (canvas.height - 40) / h);
      expect(zoom).toBeGreaterThanOrEqual(other);
    }
  });
});
