/** Client retries, as timelines. */
import { describe, expect, it } from 'vitest';
import { constServer, run, traceClient, type TestRun } from '../helpers.ts';

const lat = (t: { traces: { latency: number }[] }) => t.traces.map((r) => r.latency / 1000);
/** A client's retry counters from its report (component extras are untyped). */
const retryStats = (t: TestRun, id: string) => (t.report.nodes[id] as unknown as { retry: { retries: number; exhausted: number; budgetDenied: number } }).retry;

describe('client retries', () => {
  it('retries a retryable failure up to maxAttempts; latency runs from the first send', () => {
    const t = run(
      {
        nodes: [
          traceClient('c', [0], { retry: { backoff: { policy: 'immediate' }, maxAttempts: 3, retryOn: ['500'] } }),
          constServer('s', 1, { errorRate: 1 }),
        ],
        edges: [{ from: 'c', to: 's' }],
      },
      { trace: true },
    );
    expect(t.traces.map((r) => [r.status, r.attempts])).toEqual([[500, 3]]);
    expect(lat(t)).toEqual([3]);
    expect(t.report.nodes.s!.arrivals).toBe(3);
    expect(t.report.endToEnd.amplification).toBe(3);
    expect(retryStats(t, 'c')).toMatchObject({ retries: 2, exhausted: 1 });
  });

  it('does not retry 500 by default', () => {
    const t = run(
      { nodes: [traceClient('c', [0], { retry: {} }), constServer('s', 1, { errorRate: 1 })], edges: [{ from: 'c', to: 's' }] },
      { trace: true },
    );
    expect(t.traces[0]!.attempts).toBe(1);
  });

  it('waits base·2^(n−1) between attempts with exponential backoff and no jitter', () => {
    const t = run(
      {
        nodes: [
          traceClient('c', [0], {
            retry: { backoff: { policy: 'exponential', base: '10ms', cap: '1s', jitter: 'none' }, maxAttempts: 4, retryOn: ['500'] },
          }),
          constServer('s', 1, { errorRate: 1 }),
        ],
        edges: [{ from: 'c', to: 's' }],
      },
      { trace: true },
    );
    // attempts at 0, 11, 32, 73 ms (each takes 1 ms, then waits 10, 20, 40 ms)
    expect(lat(t)).toEqual([74]);
  });

  it('retries its own timeouts with a fresh per-attempt timeout, ignoring the late answers', () => {
    const t = run(
      {
        nodes: [
          traceClient('c', [0], { timeout: '20ms', retry: { backoff: { policy: 'fixed', delay: '10ms' }, maxAttempts: 2 } }),
          constServer('s', 50, { workers: 10 }),
        ],
        edges: [{ from: 'c', to: 's' }],
      },
      { trace: true },
    );
    expect(t.traces.map((r) => [r.status, r.reason, r.attempts, r.latency / 1000])).toEqual([[504, 'client-timeout', 2, 50]]);
    expect(t.report.endToEnd.lateAnswers).toBe(2);
    expect(t.report.nodes.s!.completed).toBe(2);
  });

  it('a closed-loop user thinks only after the final outcome of its request', () => {
    const t = run(
      {
        duration: '1s',
        nodes: [
          {
            id: 'c',
            type: 'client',
            arrival: { process: 'closed', users: 1, think: '100ms' },
            retry: { backoff: { policy: 'fixed', delay: '50ms' }, maxAttempts: 3, retryOn: ['500'] },
          },
          constServer('s', 10, { errorRate: 1 }),
        ],
        edges: [{ from: 'c', to: 's' }],
      },
      { trace: true },
    );
    // each request: 3 attempts of 10 ms with 50 ms between = 130 ms, then 100 ms think
    expect(t.traces.map((r) => r.sentAt / 1000)).toEqual([100, 330, 560, 790]);
    expect(t.traces.every((r) => r.attempts === 3 && r.latency === 130_000)).toBe(true);
  });

  it('a retry budget caps retries at ratio × requests (plus the floor)', () => {
    const t = run({
      duration: '10s',
      nodes: [
        {
          id: 'c',
          type: 'client',
          arrival: { process: 'constant', rate: 100 },
          retry: { backoff: { policy: 'immediate' }, maxAttempts: 4, retryOn: ['500'], budget: { ratio: 0.1, minPerSec: 0, window: '10s' } },
        },
        constServer('s', 1, { errorRate: 1, workers: 10 }),
      ],
      edges: [{ from: 'c', to: 's' }],
    });
    const r = retryStats(t, 'c');
    const sent = t.report.endToEnd.sent; // 999: the first arrival is at 10 ms
    expect(r.retries).toBe(Math.floor(0.1 * sent));
    expect(r.budgetDenied).toBe(sent); // every request's retry chain ends in a refusal
    expect(t.report.endToEnd.attempts).toBe(sent + r.retries);
  });

  it('without a retry policy the run is identical to before (same fingerprint)', () => {
    const s = (extra: Record<string, unknown>) => ({
      duration: '5s',
      nodes: [{ id: 'c', type: 'client', arrival: { process: 'poisson', rate: 200 }, timeout: '7ms', ...extra }, constServer('s', 5, { workers: 2 })],
      edges: [{ from: 'c', to: 's' }],
    });
    const none = run(s({}));
    const off = run(s({ retry: { backoff: { policy: 'none' } } }));
    expect(off.report.fingerprint).toBe(none.report.fingerprint);
    expect(run(s({ retry: {} })).report.fingerprint).not.toBe(none.report.fingerprint);
  });
});

describe('client retries after a timeout', () => {
  it('retry a timed-out attempt even if its (unseen) answer is already on its way', () => {
    // the server answers 200 at 10 ms, but the answer needs 30 ms to come back: the
    // client's 20 ms timeout fires first and it must retry, not judge by the 200
    const t = run(
      {
        nodes: [
          traceClient('c', [0], { timeout: '20ms', retry: { backoff: { policy: 'immediate' }, maxAttempts: 2, retryOn: ['timeout'] } }),
          constServer('s', 10),
        ],
        edges: [{ from: 'c', to: 's', latency: '0ms', responseLatency: '30ms' }],
      },
      { trace: true },
    );
    expect(t.traces.map((r) => [r.status, r.attempts, r.latency / 1000])).toEqual([[504, 2, 40]]);
  });
});
