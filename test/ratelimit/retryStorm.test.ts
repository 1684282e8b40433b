/**
 * scenarios/ratelimit-retry-storm-jitter.json: a burst of 1000 requests against a
 * 100 req/s limiter, retried with exponential backoff without and with full jitter.
 * Qualitative outcome on three seeds: without jitter the retries come back in
 * synchronised waves that leave the limiter idle in between, so the storm lasts about
 * twice as long and more requests run out of attempts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, createSimulation, parseScenarioText, type Report } from '../../engine/index.ts';

const parsed = parseScenarioText(readFileSync(new URL('../../scenarios/ratelimit-retry-storm-jitter.json', import.meta.url), 'utf8'));

const series = (r: Report, id: string) => r.series!.nodes[id] as unknown as { admitted: number[]; rejected: number[] };
/** End (s) of the last 100 ms window with a rejection. */
function lastRejection(r: Report, id: string): number {
  const rej = series(r, id).rejected;
  let i = rej.length - 1;
  while (i >= 0 && !(rej[i]! > 0)) i--;
  return (i + 1) / 10;
}
const failed = (r: Report, id: string) => (r.nodes[id] as unknown as { failedTotal: number }).failedTotal;

describe('a retry storm against a rate limiter', () => {
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: full jitter keeps the limiter busy and ends the storm far sooner than no jitter`, () => {
      const sim = createSimulation(parsed.scenario, { seed });
      sim.runToEnd();
      const r = buildReport(sim);
      expect(lastRejection(r, 'limit_nojitter') - lastRejection(r, 'limit_jitter')).toBeGreaterThan(10);
      expect(failed(r, 'clients_nojitter')).toBeGreaterThan(3 * failed(r, 'clients_jitter'));
      // during the drain (6–14 s) the jittered limiter admits its full 10 per 100 ms window;
      // the synchronised one has idle gaps between waves
      const drain = (id: string) => series(r, id).admitted.slice(60, 140);
      expect(Math.min(...drain('limit_jitter'))).toBeGreaterThanOrEqual(9);
      expect(Math.min(...drain('limit_nojitter'))).toBeLessThanOrEqual(3);
    });
  }
});
