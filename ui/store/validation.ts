/**
 * The document's validation by the engine, computed once per document version (the
 * document is immutable, so its identity is its version).
 */
import { parseScenario, type ScenarioIssue } from '../sim/client.ts';
import type { Doc } from './doc.ts';
import { useEditor } from './editor.ts';

export interface Validation {
  ok: boolean;
  /** No nodes yet: not an error worth listing, just nothing to run. */
  empty: boolean;
  issues: ScenarioIssue[];
  warnings: ScenarioIssue[];
}

const cache = new WeakMap<Doc, Validation>();

/** Validates a document with the engine's parser (cached per document). */
export function validate(doc: Doc): Validation {
  let v = cache.get(doc);
  if (!v) {
    let r;
    try {
      r = parseScenario(doc);
    } catch (e) {
      // the validator should never throw; if it does, say so instead of breaking the page
      r = { ok: false as const, issues: [{ path: '(scenario)', message: `the validator failed: ${(e as Error).message}` }], warnings: [] };
    }
    const empty = doc.nodes.length === 0;
    v = { ok: r.ok, empty, issues: r.ok || empty ? [] : r.issues, warnings: empty ? [] : r.warnings };
    cache.set(doc, v);
  }
  return v;
}

/** The current document's validation, for components. */
export function useValidation(): Validation {
  return validate(useEditor((s) => s.doc));
}
