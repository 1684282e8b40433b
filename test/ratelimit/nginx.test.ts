/**
 * nginx limit_req, decision by decision, against ground-truth §4.1 (worked examples
 * computed from ngx_http_limit_req_module.c by refs.py §4a–4d).
 */
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../engine/kernels/ratelimit/keyTable.ts';
import { nginxConfig, nginxRateMilli, NginxLimitReq } from '../../engine/kernels/ratelimit/nginx.ts';
import { ADMIT, DELAY, Plan, REJECT } from '../../engine/kernels/ratelimit/plan.ts';

/** 30 requests at t = 0, then one every 100 ms at t = 100 … 3000 (ms). */
const ARTICLE = [...new Array(30).fill(0), ...Array.from({ length: 30 }, (_, i) => 100 * (i + 1))];

/** Runs arrivals (ms) of one key; returns 'A' (pass), 'R' (reject) or the delay in ms. */
function decisions(lim: NginxLimitReq, timesMs: number[]): Array<'A' | 'R' | number> {
  const t = new KeyTable(lim, 1000);
  const p = new Plan();
  return timesMs.map((ms) => {
    t.decide(1, ms * 1000, p);
    return p.verdict === ADMIT ? 'A' : p.verdict === REJECT ? 'R' : p.delayUs / 1000;
  });
}

const nodelay = () => new NginxLimitReq(nginxConfig(5, 10, 'nodelay'));

describe('nginx limit_req rate=5r/s burst=10 nodelay (the article example)', () => {
  const d = decisions(nodelay(), ARTICLE);

  it('accepts 11 and rejects 19 of the 30 requests at t=0', () => {
    expect(d.slice(0, 30)).toEqual([...new Array(11).fill('A'), ...new Array(19).fill('R')]);
  });

  it('then rejects t=100, 300, …, 2900 and accepts t=200, 400, …, 3000', () => {
    expect(d.slice(30)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 'R' : 'A')));
  });

  it('accepts 26 of 60 in total: exactly 5 r/s in the steady state', () => {
    expect(d.filter((x) => x === 'A').length).toBe(26);
  });

  it('keeps excess 10000 with last stuck at 0 through the rejection at t=100, then last=200', () => {
    const lim = nodelay();
    const t = new KeyTable(lim, 10);
    const p = new Plan();
    for (const ms of ARTICLE.slice(0, 31)) t.decide(1, ms * 1000, p);
    expect(t.peek(1)).toEqual({ excess: 10000, lastMs: 0 });
    t.decide(1, 200_000, p);
    expect(t.peek(1)).toEqual({ excess: 10000, lastMs: 200 });
  });
});

describe('nginx limit_req rate=5r/s burst=10 without nodelay', () => {
  const d = decisions(new NginxLimitReq(nginxConfig(5, 10, 0)), ARTICLE);

  it('accepts the same requests, delaying accepted request #k at t=0 by (k−1)·200 ms', () => {
    expect(d.slice(0, 30)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000].map((x) => (x === 0 ? 'A' : x)).concat(new Array(19).fill('R')));
  });

  it('delays every later accepted request by 2000 ms', () => {
    expect(d.slice(30)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 'R' : 2000)));
  });
});

describe('nginx limit_req rate=5r/s burst=10 delay=4 (two-stage)', () => {
  it('passes #1–#5 at once and delays #6…#11 by 200 … 1200 ms', () => {
    const d = decisions(new NginxLimitReq(nginxConfig(5, 10, 4)), ARTICLE);
    expect(d.slice(0, 12)).toEqual(['A', 'A', 'A', 'A', 'A', 200, 400, 600, 800, 1000, 1200, 'R']);
  });
});

describe('nginx limit_req edge cases', () => {
  it('burst omitted (0) at 10r/s: t = 0, 0, 99, 100 ms → PASS, REJECT, REJECT, PASS', () => {
    expect(decisions(new NginxLimitReq(nginxConfig(10, 0, 0)), [0, 0, 99, 100])).toEqual(['A', 'R', 'R', 'A']);
  });

  it('two requests in the same millisecond always give one rejection at burst=0', () => {
    expect(decisions(new NginxLimitReq(nginxConfig(1000, 0, 0)), [5, 5, 6, 6])).toEqual(['A', 'R', 'A', 'R']);
  });

  it('truncates r/m rates to whole milli-requests: 1r/m is 16, 30r/m is 500, 2r/m is 33', () => {
    expect(nginxRateMilli(1 / 60)).toBe(16);
    expect(nginxRateMilli(30 * (1 / 60))).toBe(500);
    expect(nginxRateMilli(2 * (1 / 60))).toBe(33);
    for (let n = 1; n <= 600; n++) expect(nginxRateMilli(n * (1 / 60))).toBe(Math.floor((n * 1000) / 60));
    expect(nginxRateMilli(5)).toBe(5000);
  });

  it('so 1r/m burst=0 needs 62.5 s, not 60 s, between passes (1000 milli-req at 16 per s)', () => {
    const lim = new NginxLimitReq(nginxConfig(1 / 60, 0, 0));
    // 16·ms/1000 ≥ 1000 ⇔ ms ≥ 62500
    expect(decisions(lim, [0, 60_000, 62_499, 62_500])).toEqual(['A', 'R', 'R', 'A']);
  });

  it('uses the millisecond clock: 999 µs and 0 µs are the same instant', () => {
    const lim = new NginxLimitReq(nginxConfig(10, 0, 0));
    const t = new KeyTable(lim, 10);
    const p = new Plan();
    t.decide(1, 999, p);
    expect(p.verdict).toBe(ADMIT);
    t.decide(1, 100_000, p); // ms 100: rate·100/1000 = 1000 drained
    expect(p.verdict).toBe(ADMIT);
    t.decide(1, 199_999, p); // ms 199: only 990 drained
    expect(p.verdict).toBe(REJECT);
  });

  it('rejected requests do not consume quota (a steady hammer still gets exactly the rate)', () => {
    const lim = new NginxLimitReq(nginxConfig(2, 0, 0));
    const times = Array.from({ length: 100 }, (_, i) => i * 10); // 100 r/s for 1 s
    expect(decisions(lim, times).filter((x) => x === 'A').length).toBe(2); // t=0 and t=500
  });

  it('answers a Retry-After that is exactly when the next request would pass', () => {
    const lim = nodelay();
    const t = new KeyTable(lim, 10);
    const p = new Plan();
    for (let i = 0; i < 12; i++) t.decide(1, 0, p);
    expect(p.verdict).toBe(REJECT);
    expect(p.retryAfterUs).toBe(200_000);
    t.decide(1, 199_999, p);
    expect(p.verdict).toBe(REJECT);
    expect(p.retryAfterUs).toBe(1);
    t.decide(1, 200_000, p);
    expect(p.verdict).toBe(ADMIT);
  });

  it('resumes a delayed request when the millisecond clock reaches now + delay', () => {
    const lim = new NginxLimitReq(nginxConfig(5, 10, 0));
    const t = new KeyTable(lim, 10);
    const p = new Plan();
    t.decide(1, 250, p); // new key at ms 0
    t.decide(1, 750, p); // excess 1000 → 200 ms
    expect(p.verdict).toBe(DELAY);
    expect(p.delayUs).toBe(200_000 - 750);
  });

  it('forgets a key only after 60 s idle with its excess drained', () => {
    const lim = nodelay();
    const t = new KeyTable(lim, 10);
    const p = new Plan();
    for (let i = 0; i < 11; i++) t.decide(1, 0, p);
    expect(lim.canForget(t.peek(1)!, 59_999_000)).toBe(false);
    expect(lim.canForget(t.peek(1)!, 60_000_000)).toBe(true);
    t.decide(2, 60_000_000, p); // a new key triggers expiry of idle ones
    expect(t.peek(1)).toBeUndefined();
    expect(t.expired).toBe(1);
  });

  it("forgets by nginx's rule, which can change a decision: at 1r/m a key idle 60 s is dropped though it would still be rejected", () => {
    // 1r/m = 16 milli-req/s: after 60 s the excess has drained (0 − 960 ≤ 0), so nginx frees the
    // node when another key arrives; kept, the request at 60 s would be rejected (0 − 960 + 1000 > 0)
    const go = (other: boolean) => {
      const t = new KeyTable(new NginxLimitReq(nginxConfig(1 / 60, 0, 0)), 10);
      const p = new Plan();
      const out: string[] = [];
      t.decide(1, 0, p);
      out.push(p.verdict === ADMIT ? 'A' : 'R');
      if (other) t.decide(2, 60_000_000, p);
      t.decide(1, 60_000_000, p);
      out.push(p.verdict === ADMIT ? 'A' : 'R');
      return out;
    };
    expect(go(false)).toEqual(['A', 'R']);
    expect(go(true)).toEqual(['A', 'A']);
  });

  it('stays exact after a month idle at a high rate (rate·ms would pass 2^53)', () => {
    const lim = new NginxLimitReq(nginxConfig(1_000_000, 5, 'nodelay'));
    const t = new KeyTable(lim, 10);
    const p = new Plan();
    for (let i = 0; i < 7; i++) t.decide(1, 0, p);
    expect(p.verdict).toBe(REJECT);
    expect(t.peek(1)).toEqual({ excess: 5000, lastMs: 0 });
    t.decide(1, 30 * 86_400_000_000, p);
    expect(p.verdict).toBe(ADMIT);
    expect(t.peek(1)).toEqual({ excess: 0, lastMs: 30 * 86_400_000 });
  });
});
