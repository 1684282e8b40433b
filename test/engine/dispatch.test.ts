import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../engine/index.ts';
import { parse } from '../helpers.ts';

const dir = new URL('../../engine/components/', import.meta.url);

describe('kernel dispatch', () => {
  it('every concrete node class declares its own kernelEntries (else the event loop calls it through slow bound methods)', () => {
    const missing: string[] = [];
    let classes = 0;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      for (const m of src.matchAll(/^export class (\w+) extends (\w+)/gm)) {
        classes++;
        if (!src.includes(`static override kernelEntries: KernelEntries<${m[1]}>`)) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(classes).toBeGreaterThanOrEqual(8);
    expect(missing).toEqual([]);
  });

  it('a model of every common component is called through per-class closures, and runs', () => {
    const sim = createSimulation(
      parse({
        nodes: [
          { id: 'c', type: 'client', arrival: { process: 'poisson', rate: 100 } },
          { id: 'lb', type: 'loadBalancer' },
          { id: 's', type: 'server' },
          { id: 'k', type: 'cache', pattern: 'read-through' },
          { id: 'db', type: 'database' },
        ],
        edges: [
          { from: 'c', to: 'lb' },
          { from: 'lb', to: 's' },
          { from: 's', to: 'k' },
          { from: 'k', to: 'db' },
        ],
      }),
    );
    const fns = sim as unknown as { arrivalFns: Function[]; responseFns: Function[]; eventFns: Function[] };
    for (const n of sim.nodes) {
      expect(Object.hasOwn(n.constructor, 'kernelEntries')).toBe(true);
      for (const table of [fns.arrivalFns, fns.responseFns, fns.eventFns]) expect(table[n.index]!.name.startsWith('bound ')).toBe(false);
    }
    sim.runToEnd();
    expect(sim.e2eSummary().ok).toBeGreaterThan(0);
  });
});
