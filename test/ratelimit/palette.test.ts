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

  it('a rate limiter as dropped limits the client as dropped at once: 100 req/s against one 10 r/s bucket, ~90% answered 429', () => {
    const t = run({
      duration: '20s',
      warmup: '2s',
      nodes: [
        { id: 'c', type: 'client', ...defaults('client') },
        { id: 'rl', type: 'rateLimiter', ...defaults('rateLimiter') },
        { id: 's', type: 'server', ...defaults('server') },
      ],
      edges: [{ from: 'c', to: 'rl' }, { from: 'rl', to: 's' }],
    });
    const c = t.report.nodes.c as unknown as { ok: number; failed: Record<string, number>; throughputPerSec: number };
    // the bucket refills 10 tokens a second: ~10 req/s get through, the rest get 429 with Retry-After
    expect(c.throughputPerSec).toBeGreaterThan(9);
    expect(c.throughputPerSec).toBeLessThan(11.5);
    expect(Object.keys(c.failed)).toEqual(['429']);
    expect(c.failed['429']! / (c.ok + c.failed['429']!)).toBeGreaterThan(0.85);
  });

  it('a rate limiter switched to nginx keeps nginx\'s defaults (limit_req zone=x: 5r/s, burst 0, no nodelay, 503)', () => {
    const nginx = (ips: number) =>
      run({
        duration: '10s',
        nodes: [
          { id: 'c', type: 'client', ...defaults('client'), ips },
          { id: 'rl', type: 'rateLimiter', ...defaults('rateLimiter'), key: 'ip', algorithm: { type: 'nginx' } },
          { id: 's', type: 'server', ...defaults('server') },
        ],
        edges: [{ from: 'c', to: 'rl' }, { from: 'rl', to: 's' }],
      });
    type Rl = { decisions: { admitted: number; delayed: number; rejected: number } };
    // 100 req/s over 1000 IPs (the client's defaults): each IP sends 0.1/s, far below 5r/s
    const spread = nginx(1000);
    const d = (spread.report.nodes.rl as unknown as Rl).decisions;
    expect(d.delayed).toBe(0); // burst 0: nothing can wait
    // a request is rejected when its IP sent one less than 200 ms before: 1 − e^(−0.1·0.2) = 2%
    // (sd 0.45% over the run's ~1,000 requests)
    expect(d.rejected / (d.admitted + d.rejected)).toBeGreaterThan(0.005);
    expect(d.rejected / (d.admitted + d.rejected)).toBeLessThan(0.04);
    // one IP at 100 req/s: one pass per 200 ms at most (1 + 5·10 s = 51); Poisson gaps make it ~5/1.05 per s
    const one = nginx(1);
    const o = (one.report.nodes.rl as unknown as Rl).decisions;
    expect(o.delayed).toBe(0);
    expect(o.admitted).toBeGreaterThanOrEqual(40);
    expect(o.admitted).toBeLessThanOrEqual(51);
    expect((one.report.nodes.c as unknown as { failed: Record<string, number> }).failed).toEqual({ 503: o.rejected });
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
