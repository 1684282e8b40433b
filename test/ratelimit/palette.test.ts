/** The new components as the palette drops them: expanded defaults validate and run. */
import { describe, expect, it } from 'vitest';
import { componentDefs, expandDefaults, scenarioSchema } from '../../engine/index.ts';
import { run } from '../helpers.ts';

const defaults = (type: string) => expandDefaults(componentDefs().find((d) => d.type === type)!.params);

describe('palette defaults', () => {
  it('a rate limiter with a counter store, both as dropped, validate and run', () => {
    const t = run({
      duration: '3s',
      nodes: [
        { id: 'c', type: 'client', ...defaults('client') },
        { id: 'rl', type: 'rateLimiter', ...defaults('rateLimiter') },
        { id: 'store', type: 'counterStore', ...defaults('counterStore') },
        { id: 's', type: 'server', ...defaults('server') },
      ],
      edges: [{ from: 'c', to: 'rl' }, { from: 'rl', to: 's' }, { from: 'rl', to: 'store' }],
    });
    expect(t.report.stopped).toBeNull();
    expect((t.report.nodes.store as unknown as { decisions: number }).decisions).toBeGreaterThan(200);
  });

  it('an OCC row as dropped answers writes and conflicts', () => {
    const t = run({
      duration: '3s',
      nodes: [{ id: 'c', type: 'client', ...defaults('client'), writeFraction: 1 }, { id: 'row', type: 'occRow', ...defaults('occRow') }],
      edges: [{ from: 'c', to: 'row' }],
    });
    const row = t.report.nodes.row as unknown as { writes: number; conflicts: number };
    expect(row.writes).toBeGreaterThan(200);
    expect(row.conflicts).toBeGreaterThan(0);
  });

  it('the JSON Schema describes the new components', () => {
    const s = JSON.stringify(scenarioSchema());
    for (const type of ['rateLimiter', 'counterStore', 'occRow']) expect(s).toContain(`"const":"${type}"`);
  });
});
