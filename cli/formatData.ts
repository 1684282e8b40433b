/**
 * Text lines for the data tier (caches, CDN edges, databases with replicas): the numbers
 * their reports add to the node table, and stale reads end to end.
 */
import type { Report } from '../engine/index.ts';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const pct = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const ms = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(1) : '-');

/** Lines describing caches and replicated databases, or none if the run has neither. */
export function dataTierLines(r: Report): string[] {
  const out: string[] = [];
  for (const [id, n] of Object.entries(r.nodes)) {
    const x = n as Record<string, any>;
    if (typeof x.hits === 'number' && typeof x.misses === 'number') {
      const parts = [
        `hit ratio ${typeof x.hitRatio === 'number' ? x.hitRatio.toFixed(3) : '-'} (${int(x.hits)} hits, ${int(x.misses)} misses)`,
        `evictions ${int(x.evictions)}, expirations ${int(x.expirations)}`,
        `origin reads ${int(x.originReads)} of ${int(x.originReadsWithoutCache)} without it (offload ${pct(x.originOffload)})`,
      ];
      if (typeof x.staleReads === 'number') parts.push(`stale reads ${int(x.staleReads)}`);
      if (typeof x.coalesced === 'number') parts.push(`coalesced ${int(x.coalesced)}, lock waits ${int(x.lockWaits)}, early refreshes ${int(x.earlyRefreshes)}`);
      if (typeof x.loadTimeouts === 'number' && x.loadTimeouts > 0) parts.push(`loads timed out ${int(x.loadTimeouts)}`);
      if (typeof x.lostWrites === 'number') {
        const failed = x.flushFailures > 0 ? ` (${int(x.flushFailures)} failed or timed out, retried)` : '';
        parts.push(`writes ${int(x.writes)}: flushed ${int(x.flushedWrites)} in ${int(x.flushCalls)} database writes${failed}, unflushed ${int(x.unflushedWrites)}, LOST ${int(x.lostWrites)}`);
      }
      out.push(`  ${id} (${x.type}, ${x.pattern ? `${x.pattern} ` : ''}${x.eviction}, ${int(x.entries)}/${int(x.capacity)} entries): ${parts.join('; ')}`);
    } else if (x.type === 'database' && typeof x.replicas === 'number') {
      out.push(
        `  ${id} (database, primary now ${x.primary}): stale reads ${int(x.staleReads)} (${pct(x.staleRatio)} of reads); failovers ${x.failovers}, writes failed without a primary ${int(x.writesFailedNoPrimary)}, lost writes ${int(x.lostWrites)}`,
      );
      for (const [name, i] of Object.entries(x.instances as Record<string, any>)) {
        const lag = i.lagMs && i.lagMs.count ? `, lag ms mean ${ms(i.lagMs.mean)} p99 ${ms(i.lagMs.p99)}` : '';
        out.push(`    ${name} (${i.role}${i.up ? '' : ', down'}): ${int(i.reads)} reads (${pct(i.staleRatio)} stale), ${int(i.writes)} writes, utilisation ${pct(i.utilization)}${lag}`);
      }
    }
  }
  const stale = (r.endToEnd as { staleReads?: number }).staleReads;
  if (out.length === 0 && !stale) return [];
  return ['', 'data tier:', ...out, ...(stale ? [`  end to end: ${int(stale)} successful reads returned stale data`] : [])];
}
