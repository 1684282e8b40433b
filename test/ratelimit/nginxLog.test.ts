/**
 * archsim's nginx limit_req against a real nginx (1.22.1): every decision recorded in
 * nginx/access-1.22.1.log, replayed at its arrival millisecond, must come out the same.
 * See nginx/README.md for how the log was made.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../engine/kernels/ratelimit/keyTable.ts';
import { nginxConfig, NginxLimitReq } from '../../engine/kernels/ratelimit/nginx.ts';
import { ADMIT, DELAY, Plan } from '../../engine/kernels/ratelimit/plan.ts';

/** The locations of nginx/nginx.conf: rate (r/s), burst, delay. */
const LOCATIONS: Record<string, [number, number, number | 'nodelay']> = {
  nodelay: [5, 10, 'nodelay'], // limit_req_zone rate=5r/s; limit_req burst=10 nodelay
  delay0: [5, 10, 0], // burst=10
  delay4: [5, 10, 4], // burst=10 delay=4
  rm: [30 / 60, 3, 'nodelay'], // rate=30r/m; burst=3 nodelay
};

const entries = readFileSync(new URL('./nginx/access-1.22.1.log', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [msec, requestTime, , decision, uri] = line.split(' ');
    const logMs = Math.round(Number(msec) * 1000);
    const waitedMs = Math.round(Number(requestTime) * 1000);
    return { loc: uri!.split('/')[1]!, i: Number(uri!.split('i=')[1]), arrivalMs: logMs - waitedMs, waitedMs, decision: decision! };
  });

describe('archsim nginx limit_req vs nginx 1.22.1 (recorded)', () => {
  for (const [loc, [rate, burst, delay]] of Object.entries(LOCATIONS)) {
    it(`location /${loc}/: the same decision for every request, delays never above nginx's`, () => {
      // The log is in completion order. Requests of one millisecond were decided in
      // arrival order, and once one was rejected the rest of that millisecond were too,
      // so accepted ones go first within a millisecond.
      const xs = entries
        .filter((x) => x.loc === loc)
        .sort((a, b) => a.arrivalMs - b.arrivalMs || Number(a.decision === 'REJECTED') - Number(b.decision === 'REJECTED') || a.i - b.i);
      expect(xs.length).toBeGreaterThan(50);
      const table = new KeyTable(new NginxLimitReq(nginxConfig(rate, burst, delay)), 10);
      const plan = new Plan();
      const t0 = xs[0]!.arrivalMs;
      const ours: string[] = [];
      for (const x of xs) {
        table.decide(1, (x.arrivalMs - t0) * 1000, plan);
        ours.push(plan.verdict === ADMIT ? 'PASSED' : plan.verdict === DELAY ? 'DELAYED' : 'REJECTED');
        // nginx's timer fires at the computed delay or a little later, never earlier
        if (plan.verdict === DELAY) expect(plan.delayUs / 1000).toBeLessThanOrEqual(x.waitedMs + 1);
      }
      expect(ours).toEqual(xs.map((x) => x.decision));
    });
  }
});
