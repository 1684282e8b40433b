/**
 * archsim's engine: the one module the CLI, the app's worker and the tests import.
 *
 *   const parsed = parseScenarioText(json);           // or parseScenario(object)
 *   if (!parsed.ok) show(parsed.issues);               // [{path, message}]
 *   const sim = createSimulation(parsed.scenario, { seed: 7 });
 *   sim.run(untilUs, maxEvents);                       // in slices, or sim.runToEnd()
 *   const report = buildReport(sim);
 *
 * Everything here is pure TypeScript with no DOM, timers or ambient randomness.
 */
import { componentDefs, registry } from './components/index.ts';
import { Simulation, type SimOptions } from './core/sim.ts';
import { parseScenario as parseWith, parseScenarioText as parseTextWith, type ParseResult } from './scenario/load.ts';
import { scenarioJsonSchema } from './scenario/schema.ts';
import type { Scenario } from './scenario/types.ts';

export { Simulation } from './core/sim.ts';
export type { SimOptions, StopCode, StopInfo, TimelineEntry, TraceRecord } from './core/sim.ts';
export type { Scenario, ScenarioIssue, NodeSpec, EdgeSpec } from './scenario/types.ts';
export type { ParseResult } from './scenario/load.ts';
export type { ComponentDef } from './core/component.ts';
export type { Param, Params } from './core/params.ts';
export { expandDefaults } from './core/params.ts';
export { buildReport, buildSeries, type Report } from './report/report.ts';
export { LiveProbe, seriesSince, timelineSince, type LiveSnapshot, type LiveNode, type LiveEdge, type LiveTimelineEntry, type Series } from './report/live.ts';
export { confidenceInterval, headlineMetrics, replicationSeeds, type Interval } from './report/replications.ts';
export { faultActions, FAULT_COMMON_PARAMS, type FaultActionInfo } from './scenario/faultParams.ts';
export { NODE_ID_PATTERN, NODE_ID_HELP, TOP_PARAMS, LIMIT_PARAMS, EDGE_PARAMS } from './scenario/schema.ts';
export { parseDuration, parseRate, parseSize, formatDuration } from './core/units.ts';
export { deriveSeed } from './core/rng.ts';
/** A trace's user id as reports show it: "<client>/u<n>" for generated users, a trace's own name otherwise. */
export { userName } from './components/client.ts';
export { FAIL_KEYS, statusName, REASON_HELP } from './core/status.ts';
export { registry, componentDefs };

/** Validates a scenario object (already parsed from JSON). */
export function parseScenario(raw: unknown): ParseResult {
  return parseWith(raw, registry);
}

/** Validates scenario JSON text; syntax errors carry line and column. */
export function parseScenarioText(text: string): ParseResult {
  return parseTextWith(text, registry);
}

/** A ready-to-run simulation of a validated scenario. */
export function createSimulation(scenario: Scenario, opts: SimOptions = {}): Simulation {
  return new Simulation(
    scenario,
    (type) => {
      const def = registry.get(type);
      if (!def) throw new Error(`unknown component type "${type}"`);
      return def;
    },
    opts,
  );
}

/** JSON Schema of the scenario format, for editors. */
export function scenarioSchema() {
  return scenarioJsonSchema(componentDefs());
}
