/**
 * Accumulating the worker's series chunks. Each chunk has the report's series shape but
 * only the windows closed since the previous one; appending them in order gives exactly
 * the report's series. Arrays are extended in place (a long run has thousands of
 * windows, and copying them every frame would be wasted work).
 */
import type { Series } from '../sim/client.ts';

/** A deep copy of a series chunk to start accumulating from. */
export function startSeries(chunk: Series): Series {
  return structuredClone(chunk);
}

/**
 * Appends `chunk` to `acc` in place and returns `acc`. A series that first appears in
 * `chunk` (a component's extra series starting mid-run) is padded with nulls in front so
 * that every array stays aligned with `acc.t`.
 */
export function appendSeries(acc: Series, chunk: Series): Series {
  const before = acc.t.length;
  merge(acc as unknown as Record<string, unknown>, chunk as unknown as Record<string, unknown>, before);
  return acc;
}

function merge(acc: Record<string, unknown>, chunk: Record<string, unknown>, before: number): void {
  for (const [k, v] of Object.entries(chunk)) {
    const cur = acc[k];
    if (Array.isArray(v)) {
      if (Array.isArray(cur)) {
        for (const x of v) cur.push(x);
      } else {
        const padded: unknown[] = new Array(before).fill(null);
        for (const x of v) padded.push(x);
        acc[k] = padded;
      }
    } else if (v !== null && typeof v === 'object') {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) acc[k] = {};
      merge(acc[k] as Record<string, unknown>, v as Record<string, unknown>, before);
    } else if (cur === undefined) {
      acc[k] = v;
    }
  }
}
