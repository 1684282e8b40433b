/**
 * The engine must run anywhere (Node, a Web Worker): no DOM, no timers, no ambient time or
 * randomness, no UI libraries. This scans every engine source file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bMath\.random\b/, 'Math.random (use a named stream)'],
  [/\bDate\.now\b|\bnew Date\(/, 'wall-clock time'],
  [/\bperformance\.now\b/, 'wall-clock time'],
  [/\bsetTimeout\b|\bsetInterval\b|\brequestAnimationFrame\b|\bsetImmediate\b/, 'timers'],
  // free identifiers only: the engine has its own `window` fields (metric windows)
  [/(?<![.\w])(window|document|navigator)\.[A-Za-z_]|(?<![.\w])localStorage\b/, 'the DOM'],
  [/from ['"](react|react-dom|zustand|d3[\w-]*|@xyflow\/react)['"]/, 'a UI library'],
  [/from ['"]\.\.\/+(\.\.\/)*ui\//, 'the app (ui/)'],
  [/from ['"]node:/, 'Node built-ins'],
];

describe('engine purity', () => {
  const sources = files(join(import.meta.dirname, '../../engine'));
  it('has sources to check', () => expect(sources.length).toBeGreaterThan(20));
  for (const f of sources) {
    it(`${f.split('/engine/')[1]} uses no DOM, timers, ambient randomness or UI libraries`, () => {
      const text = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)) // comments may mention them
        .join('\n');
      for (const [re, what] of FORBIDDEN) expect(re.test(text), `${f} uses ${what}`).toBe(false);
    });
  }
});
