/**
 * database: a server with a database's vocabulary and defaults. `connections` is the
 * connection pool (requests served at once), reads and writes have their own service
 * times, and requests wait in a bounded queue for a connection. It does not call other
 * nodes.
 */
import { defineComponent } from '../core/component.ts';
import type { Param } from '../core/params.ts';
import type { Simulation } from '../core/sim.ts';
import type { NodeSpec } from '../scenario/types.ts';
import { queueingParams, ServerNode, type ServerConfig } from './server.ts';

export const databaseParams = {
  connections: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1_000_000,
    unit: 'connections',
    help: 'Connection pool size: queries served at the same time.',
  },
  readService: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '5ms' },
    help: 'Time to serve a read (a query).',
  },
  writeService: {
    kind: 'dist',
    unit: 'duration',
    default: { dist: 'exponential', mean: '15ms' },
    help: 'Time to serve a write (a transaction, with its commit).',
  },
  ...queueingParams,
  queue: { ...queueingParams.queue, default: 200, help: 'Queries that may wait for a free connection; one more is answered 503.' },
} satisfies Record<string, Param>;

interface DatabaseParams {
  connections: number;
  readService: ServerConfig['service'];
  writeService: ServerConfig['service'];
  queue: number;
  discipline: 'fifo' | 'lifo';
  errorRate: number;
  queueTimeout: number | null;
  honorDeadlines: boolean;
}

function toConfig(p: DatabaseParams): ServerConfig {
  return {
    workers: p.connections,
    queue: p.queue,
    discipline: p.discipline,
    service: p.readService,
    writeService: p.writeService,
    errorRate: p.errorRate,
    calls: 'sequential',
    blocking: false,
    callTimeout: null,
    queueTimeout: p.queueTimeout,
    honorDeadlines: p.honorDeadlines,
  };
}

class DatabaseNode extends ServerNode {
  constructor(sim: Simulation, index: number, spec: NodeSpec) {
    super(sim, index, spec, 'database', toConfig(spec.params as unknown as DatabaseParams));
  }
  protected override toConfig(p: Record<string, unknown>): ServerConfig {
    return toConfig(p as unknown as DatabaseParams);
  }
}

export const database = defineComponent({
  type: 'database',
  title: 'Database',
  description: 'Serves reads and writes through a connection pool with a wait queue.',
  icon: 'database',
  category: 'data',
  params: databaseParams,
  outgoing: null,
  incoming: true,
  faults: ['slowdown', 'errors', 'set'],
  mutable: ['connections', 'queue', 'discipline', 'readService', 'writeService', 'errorRate', 'queueTimeout'],
  create(sim, spec, index) {
    return new DatabaseNode(sim, index, spec);
  },
});
