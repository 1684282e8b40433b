/**
 * Units. Simulated time is an integer number of microseconds (`SimTime`); rates are
 * requests per second. Scenario files write durations as milliseconds (numbers) or
 * strings with units, and rates as numbers per second or strings like "5r/s".
 */

/** Simulated time or a duration, in integer microseconds. */
export type SimTime = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

const DURATION_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(us|µs|ms|s|m|min|h|d)\s*$/;
const DURATION_SCALE: Record<string, number> = {
  us: 1, 'µs': 1, ms: 1000, s: 1_000_000, m: 60_000_000, min: 60_000_000, h: 3_600_000_000, d: 86_400_000_000,
};

/**
 * Parses a duration into integer microseconds. Numbers are milliseconds; strings carry
 * a unit: "250us", "5ms", "2s", "1m", "1h". Returns null for anything else (negative,
 * non-finite, no unit, unknown unit). Sub-microsecond parts are rounded to the nearest µs.
 */
export function parseDuration(v: unknown): SimTime | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return null;
    return Math.round(v * US_PER_MS);
  }
  if (typeof v !== 'string') return null;
  const m = DURATION_RE.exec(v);
  if (!m) return null;
  const x = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1) * DURATION_SCALE[m[3]!]!;
  if (!Number.isFinite(x) || x < 0) return null;
  return Math.round(x);
}

const RATE_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:r|req|rps)?\s*(?:\/\s*(s|sec|m|min|h))?\s*$/;
const RATE_SCALE: Record<string, number> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };

/**
 * Parses a rate into requests per second. Numbers are per second; strings are "5r/s",
 * "300r/m", "10/s", "2r/h". Returns null for negative, non-finite or malformed input.
 */
export function parseRate(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = RATE_RE.exec(v);
  if (!m) return null;
  const x = Number(m[1]) * RATE_SCALE[m[2] ?? 's']!;
  return Number.isFinite(x) && x >= 0 ? x : null;
}

const SIZE_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i;
const SIZE_SCALE: Record<string, number> = {
  b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1048576, gb: 1e9, gib: 1073741824,
};

/** Parses a size into bytes: numbers are bytes, strings are "512B", "4KB", "1MiB". */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = SIZE_RE.exec(v);
  if (!m) return null;
  const x = Number(m[1]) * SIZE_SCALE[(m[2] ?? 'b').toLowerCase()]!;
  return Number.isFinite(x) && x >= 0 ? x : null;
}

/** Microseconds to milliseconds (a float), for reports. */
export const usToMs = (us: number): number => us / US_PER_MS;

/** A compact human form of a duration in µs: "250µs", "12.5ms", "3.2s", "2m05s". */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  const a = Math.abs(us);
  if (a < 1000) return `${round3(us)}µs`;
  if (a < 1_000_000) return `${round3(us / 1000)}ms`;
  if (a < 60_000_000) return `${round3(us / 1_000_000)}s`;
  if (a < 3_600_000_000) {
    const m = Math.floor(us / 60_000_000);
    const s = Math.round((us - m * 60_000_000) / 1_000_000);
    return `${m}m${String(s).padStart(2, '0')}s`;
  }
  const h = Math.floor(us / 3_600_000_000);
  const m = Math.round((us - h * 3_600_000_000) / 60_000_000);
  return `${h}h${String(m).padStart(2, '0')}m`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
