import { describe, expect, it } from 'vitest';
import { DASHES, OI, seriesStyle } from '../../ui/charts/palette.ts';

describe('seriesStyle(i)', () => {
  const styles = Array.from({ length: 64 }, (_, i) => seriesStyle(i));

  it('gives the first eight lines eight colours and eight dash patterns, the first one solid', () => {
    const first = styles.slice(0, 8);
    expect(new Set(first.map((s) => s.color)).size).toBe(8);
    expect(new Set(first.map((s) => s.dash)).size).toBe(8);
    expect(first[0]!.dash).toBeUndefined();
  });

  it('never repeats a colour and dash pair within the first 64 lines', () => {
    expect(new Set(styles.map((s) => `${s.color} ${s.dash}`)).size).toBe(64);
  });

  it('draws only Okabe–Ito colours and one neutral grey', () => {
    const allowed = new Set<string>([...Object.values(OI), '#8c8c8c']);
    expect(styles.every((s) => allowed.has(s.color))).toBe(true);
  });

  it('repeats each dash pattern within the 26 px of a legend swatch', () => {
    for (const d of DASHES.filter((x): x is string => x !== undefined)) {
      const period = d.split(' ').map(Number).reduce((a, b) => a + b, 0);
      expect(period, d).toBeLessThanOrEqual(26);
    }
  });
});
