/**
 * Chart colours. Series colours are Okabe–Ito (safe for the common colour-vision
 * deficiencies) and lines also differ by dash pattern (or, for the latency percentiles,
 * by width), so no series is told apart by colour alone. Colours are concrete values, not
 * CSS variables, so exported SVG and PNG files look the same outside the app.
 */

export interface ChartTheme {
  bg: string;
  ink: string;
  muted: string;
  grid: string;
  axis: string;
  marker: string;
}

export const CHART_THEMES: Record<'light' | 'dark', ChartTheme> = {
  light: { bg: '#ffffff', ink: '#16191d', muted: '#525c69', grid: '#e4e8ed', axis: '#9aa5b1', marker: '#7a4e9e' },
  dark: { bg: '#181c22', ink: '#e9edf2', muted: '#a3adba', grid: '#2b323b', axis: '#56606c', marker: '#d7a6cf' },
};

export const OI = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** Latency percentile lines. */
export const LATENCY = {
  p50: { color: OI.blue, dash: undefined, width: 2 },
  p90: { color: OI.green, dash: '6 3', width: 2 },
  p99: { color: OI.vermillion, dash: undefined, width: 2.6 },
} as const;

/** Colour of successful answers and of each failure column (FAIL_KEYS). */
export function statusColour(key: string, theme: 'light' | 'dark'): string {
  switch (key) {
    case 'ok':
      return OI.green;
    case '429':
      return OI.orange;
    case '500':
      return OI.purple;
    case '503':
      return OI.vermillion;
    case '504':
      return theme === 'dark' ? OI.yellow : '#b8a700';
    case 'dropped':
      return theme === 'dark' ? '#c8ced6' : '#3d434b';
    default:
      return OI.sky;
  }
}

const CYCLE = [OI.blue, OI.orange, OI.green, OI.vermillion, OI.purple, OI.sky, '#8c8c8c', OI.yellow];
/**
 * One dash family per colour, so that the first eight lines differ in both: solid, dashed,
 * dotted, dash-dot, dash-dot-dot, long-short, long dash-dot, long dash. The faint colours
 * (grey, yellow) get the patterns with the most ink. Each repeats within the 26 px of a
 * legend swatch.
 */
export const DASHES: ReadonlyArray<string | undefined> = [undefined, '7 3', '2 3', '8 3 2 3', '8 3 2 3 2 3', '12 3 4 3', '14 3 3 3', '14 4'];

/**
 * The colour and dash of the i-th line in a chart of several nodes. Lines 0 to 7 have
 * different colours and different dashes; after that the dash shifts by one each round of
 * colours, so no two of the first 64 lines share both.
 */
export function seriesStyle(i: number): { color: string; dash: string | undefined } {
  const k = i % CYCLE.length;
  return { color: CYCLE[k]!, dash: DASHES[(k + Math.floor(i / CYCLE.length)) % DASHES.length] };
}
