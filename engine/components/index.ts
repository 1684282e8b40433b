/**
 * The component registry: every component type, registered once. Adding a type is one
 * file in this folder and one line here; the scenario validator, the JSON Schema, the
 * CLI docs and the app's palette and inspector all read from this list.
 */
import type { ComponentDef } from '../core/component.ts';
import type { Registry } from '../scenario/load.ts';
import { cache } from './cache.ts';
import { cdn } from './cdn.ts';
import { client } from './client.ts';
import { counterStore } from './counterStore.ts';
import { database } from './database.ts';
import { loadBalancer } from './loadBalancer.ts';
import { occRow } from './occRow.ts';
import { rateLimiter } from './rateLimiter.ts';
import { server } from './server.ts';
import { shardRouter } from './shardRouter.ts';
import { sidecar } from './sidecar.ts';

const defs = new Map<string, ComponentDef>();

/** Adds a component type; a second definition of the same type is an error. */
export function register(def: ComponentDef): void {
  if (defs.has(def.type)) throw new Error(`component type "${def.type}" is registered twice`);
  defs.set(def.type, def);
}

register(client);
register(loadBalancer);
register(server);
register(database);
register(cache);
register(cdn);
register(shardRouter);
register(sidecar);
register(rateLimiter);
register(counterStore);
register(occRow);

export const registry: Registry = {
  get: (type) => defs.get(type),
  types: () => [...defs.keys()],
};

/** Every registered component definition, in palette order. */
export function componentDefs(): ComponentDef[] {
  return [...defs.values()];
}
