/**
 * Number formats of the run report, identical to the CLI's table (cli/format.ts) so the
 * app and the terminal print the same digits for the same run.
 */

/** Fixed decimals; "-" for missing or non-finite. */
export const fmt = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);

/** A whole number with thousands separators. */
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** A utilisation as the CLI prints it: "90.8%", or "-". */
export const util = (u: number | null | undefined): string => (u === null || u === undefined ? '-' : `${fmt(u * 100, 1)}%`);

/** Seconds for the run bar: "12.345 s". */
export const seconds = (us: number): string => `${(us / 1e6).toFixed(us < 10e6 ? 3 : 1)} s`;

/** A rate such as events per second: "1.23M/s". */
export function perSecond(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return '–';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M/s`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k/s`;
  return `${Math.round(x)}/s`;
}
