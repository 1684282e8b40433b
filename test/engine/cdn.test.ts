/**
 * The CDN edge: latency by region and origin offload.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.ts';
import { run, scenario } from '../helpers.ts';

describe('CDN edge', () => {
  it('serves hits from near the client and fetches misses from the far origin', () => {
    const t = run(
      {
        nodes: [
          { id: 'c', type: 'client', arrival: { process: 'trace', requests: [{ at: 0, key: 1 }, { at: 500, key: 1 }, { at: 500, key: 2 }] }, writeFraction: 0 },
          { id: 'edge', type: 'cdn', latency: 1 },
          { id: 'origin', type: 'server', service: 10 },
        ],
        edges: [{ from: 'c', to: 'edge', latency: 5 }, { from: 'edge', to: 'origin', latency: 40 }],
      },
      { trace: true },
    );
    // miss: 5 + 40 + 10 (origin) + 40 + 5; hit: 5 + 1 + 5
    expect(t.traces.map((r) => [r.sentAt / 1000, r.latency / 1000]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)).toEqual([
      [0, 100],
      [500, 11],
      [500, 100],
    ]);
    const e = t.report.nodes.edge as Record<string, any>;
    expect([e.hits, e.misses, e.originReads, e.originOffload]).toEqual([1, 2, 2, 0.333333]);
  });

  it('offloads the origin: with Zipf keys most requests never reach it, and nearer regions are faster', () => {
    const region = (id: string, rtt: number) => [
      { id: `users-${id}`, type: 'client', arrival: { process: 'poisson', rate: 200 }, writeFraction: 0, keys: { popularity: 'zipf', count: 2000, alpha: 1 } },
      { id: `cdn-${id}`, type: 'cdn', capacity: 500 },
      rtt,
    ] as const;
    const eu = region('eu', 80);
    const us = region('us', 20);
    const t = run({
      duration: '60s',
      warmup: '10s',
      nodes: [eu[0], eu[1], us[0], us[1], { id: 'origin', type: 'server', workers: 64, service: 5 }],
      edges: [
        { from: 'users-eu', to: 'cdn-eu', latency: 5 },
        { from: 'cdn-eu', to: 'origin', latency: eu[2] },
        { from: 'users-us', to: 'cdn-us', latency: 5 },
        { from: 'cdn-us', to: 'origin', latency: us[2] },
      ],
    });
    const n = t.report.nodes as Record<string, any>;
    // each region's edge answers about 3 requests in 4 from its own copies (Che for 500 of 2,000 keys at alpha 1 is 0.75)
    expect(n['cdn-eu'].originOffload).toBeGreaterThan(0.7);
    expect(n.origin.arrivals).toBeLessThan(0.3 * (n['users-eu'].sent + n['users-us'].sent));
    // the far region pays the long origin round trip on each miss: its mean latency is higher
    expect(n['users-eu'].latencyMs.mean).toBeGreaterThan(n['users-us'].latencyMs.mean + 10);
    expect(n['users-eu'].latencyMs.p50).toBeCloseTo(11, 0);
  });

  it('a CDN edge fetches from one origin along an edge of any kind', () => {
    const r = parseScenario(
      scenario({
        nodes: [{ id: 'c', type: 'client' }, { id: 'edge', type: 'cdn' }, { id: 'o1', type: 'server' }, { id: 'o2', type: 'server' }],
        edges: [{ from: 'c', to: 'edge' }, { from: 'edge', to: 'o1', kinds: 'read' }, { from: 'edge', to: 'o2' }],
      }),
    );
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'nodes[1]: the CDN edge "edge" has 2 outgoing edges (o1, o2); it fetches from one origin. Keep one.',
      "edges[1].kinds: a CDN's origin edge carries both its misses (reads) and the writes it forwards; remove kinds",
    ]);
  });
});
