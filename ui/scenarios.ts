/**
 * The example scenarios: every file in `scenarios/`, bundled at build time, with its
 * name, description and whether this version of the engine accepts it. New files show
 * up without code changes.
 */
import { parseScenario, type ScenarioIssue } from './sim/client.ts';
import { readDoc } from './store/persist.ts';
import { withLayout } from './store/layout.ts';
import type { Doc } from './store/doc.ts';

const files = import.meta.glob('../scenarios/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

export interface Example {
  /** File name, e.g. "mm1.json". */
  file: string;
  name: string;
  description: string;
  nodes: number;
  /** The document to open (laid out), or null with the reasons it cannot be. */
  doc: Doc | null;
  issues: ScenarioIssue[];
}

/** Builds the catalogue entry of one scenario file. */
export function toExample(file: string, raw: unknown): Example {
  const r = parseScenario(raw);
  const doc = readDoc(raw);
  const o = (raw ?? {}) as Record<string, unknown>;
  return {
    file,
    name: typeof o.name === 'string' ? o.name : file,
    description: typeof o.description === 'string' ? o.description : '',
    nodes: Array.isArray(o.nodes) ? o.nodes.length : 0,
    doc: r.ok && typeof doc !== 'string' ? withLayout(doc) : null,
    issues: r.ok ? [] : r.issues,
  };
}

let cache: Example[] | null = null;

/** Every bundled scenario, by file name. */
export function examples(): Example[] {
  return (cache ??= Object.entries(files)
    .map(([path, raw]) => toExample(path.replace(/^.*\//, ''), raw))
    .sort((a, b) => a.file.localeCompare(b.file)));
}
