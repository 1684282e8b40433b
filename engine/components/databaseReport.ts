/**
 * The database's numbers for the report and the time series: the pool as a whole (the
 * fields a single-instance database always reported), and with replicas, each instance's
 * load, staleness and replication lag, and the failover record.
 */
import { latencyMs, round } from '../report/summary.ts';
import type { DatabaseNode } from './database.ts';

/** Summary numbers for the report. */
export function databaseReport(db: DatabaseNode): Record<string, unknown> {
  const sim = db.sim;
  const now = sim.now;
  const p = db.p;
  let queuedArrivals = 0;
  let started = 0;
  let waitSum = 0;
  for (const i of db.instances) {
    queuedArrivals += i.queuedArrivals;
    started += i.started;
    waitSum += i.waitSum;
  }
  const arrivals = db.stats.arrivals;
  const base: Record<string, unknown> = {
    waitedFraction: arrivals ? queuedArrivals / arrivals : NaN,
    queueWaitMs: started ? waitSum / started / 1000 : NaN,
    serviceMeanMs: db.instances[0]!.readMean / 1000,
    writeServiceMeanMs: db.instances[0]!.writeMean / 1000,
    serviceDist: p.readService.dist,
  };
  if (db.instances.length === 1) return base;
  const instances: Record<string, unknown> = {};
  for (const i of db.instances) {
    const role = i.index === db.primary ? 'primary' : 'replica';
    instances[i.name] = {
      role,
      up: i.up,
      reads: i.reads,
      writes: i.writes,
      staleReads: i.staleReads,
      staleRatio: i.reads ? round(i.staleReads / i.reads, 6) : NaN,
      utilization: round(i.busyGauge.summaryMean(now) / p.connections, 6),
      // a promoted replica keeps the lag it had as a replica
      ...(role === 'replica' || i.lag.count > 0 ? { lagMs: latencyMs(i.lag) } : {}),
      ...(role === 'replica' ? { behindWrites: i.log.length } : {}),
    };
  }
  let reads = 0;
  for (const i of db.instances) reads += i.reads;
  return {
    ...base,
    replicas: p.replicas,
    readFrom: p.readFrom,
    primary: db.instances[db.primary]!.name,
    staleReads: db.staleReads,
    staleRatio: reads ? round(db.staleReads / reads, 6) : NaN,
    failovers: db.failovers,
    writesFailedNoPrimary: db.writesFailedNoPrimary,
    lostWrites: db.lostWrites,
    instances,
  };
}

/** Per-window numbers (only with replicas): how far behind the furthest replica is, and stale reads. */
export function databaseWindow(db: DatabaseNode): Record<string, number> {
  const now = db.sim.now;
  let behind = 0;
  for (const i of db.instances) {
    if (i.index === db.primary || !i.up || i.log.length === 0) continue;
    behind = Math.max(behind, now - i.log.oldestCommit());
  }
  const stale = db.wStale;
  db.wStale = 0;
  return { replicationLagMs: behind / 1000, staleReads: stale };
}
