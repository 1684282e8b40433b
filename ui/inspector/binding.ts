/**
 * How a generated form reads and writes one part of the document (a node, an edge, the
 * scenario's top level or a fault), and the field logic they share: typed text is kept
 * as a draft, checked by the engine's validator against the document it would make, and
 * committed only if the validator has nothing to say about that field. Invalid text
 * stays on screen with the reason and never reaches the document (or the engine).
 */
import { useMemo } from 'react';
import { applyEdit, getIn, setIn, type Doc, type Edit, type Path } from '../store/doc.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { validate } from '../store/validation.ts';
import { issuesUnder, joinPath } from './fields.ts';
import type { ScenarioIssue } from '../sim/client.ts';

export interface Binding {
  /** Identifies the target in draft keys, e.g. "node:api". */
  key: string;
  /** The issue-path prefix of the target, e.g. "nodes[2]" ('' for the top level). */
  prefix: string;
  /** The raw value at `path` in `doc`. */
  get(doc: Doc, path: Path): unknown;
  /** The edit that sets `value` at `path` (undefined removes it). */
  edit(doc: Doc, path: Path, value: unknown): Edit;
}

/** A node's parameters. */
export function nodeBinding(doc: Doc, id: string): Binding {
  const i = doc.nodes.findIndex((n) => n.id === id);
  return {
    key: `node:${id}`,
    prefix: `nodes[${i}]`,
    get: (d, path) => getIn(d.nodes.find((n) => n.id === id), path),
    edit: (_d, path, value) => ({ kind: 'setParam', node: id, path, value }),
  };
}

/** An edge's fields. */
export function edgeBinding(doc: Doc, id: string): Binding {
  const i = doc.edges.findIndex((e) => `${e.from}->${e.to}` === id);
  return {
    key: `edge:${id}`,
    prefix: `edges[${i}]`,
    get: (d, path) => getIn(d.edges.find((e) => `${e.from}->${e.to}` === id), path),
    edit: (_d, path, value) => ({ kind: 'setEdgeParam', edge: id, path, value }),
  };
}

/** The scenario's top-level fields. */
export const topBinding: Binding = {
  key: 'top',
  prefix: '',
  get: (d, path) => getIn(d, path),
  edit: (_d, path, value) => ({ kind: 'setTop', path, value }),
};

/** One fault, by index. */
export function faultBinding(index: number): Binding {
  return {
    key: `fault:${index}`,
    prefix: `faults[${index}]`,
    get: (d, path) => getIn(d.faults[index], path),
    edit: (d, path, value) => ({ kind: 'setFault', index, fault: setIn(d.faults[index], path, value) as Doc['faults'][number] }),
  };
}

/** The draft key of a field. */
export function draftKey(b: Binding, path: Path): string {
  return `${b.key}|${joinPath('', path)}`;
}

/** The issues the validator reports for a field in a document. */
export function fieldIssues(doc: Doc, b: Binding, path: Path): ScenarioIssue[] {
  return issuesUnder(validate(doc).issues, joinPath(b.prefix, path));
}

export interface FieldState {
  /** What the field shows: the draft if there is one, else the committed value as text. */
  text: string;
  /** The committed raw value. */
  value: unknown;
  /** Problems to show next to the field (the draft's, or the document's). */
  issues: ScenarioIssue[];
  /** Whether the text on screen is a draft the document does not have. */
  pending: boolean;
  /** Called with each keystroke's text. */
  change(text: string): void;
  /** Called on blur: tidies a committed draft away. */
  settle(): void;
  /** Drops the draft (back to the committed value). */
  revert(): void;
  /** Commits a value directly (selects, checkboxes, buttons). */
  set(value: unknown): void;
}

/**
 * The state and actions of one field. `parse` turns text into a scenario value
 * (undefined: unset); `format` turns a value into text.
 */
export function useField(b: Binding, path: Path, parse: (text: string) => unknown, format: (v: unknown) => string): FieldState {
  const doc = useEditor((s) => s.doc);
  const key = draftKey(b, path);
  const draft = useEditor((s) => s.drafts[key]);
  const value = b.get(doc, path);
  const pendingValue = draft === undefined ? undefined : parse(draft);
  const pending = draft !== undefined && !sameValue(pendingValue, value);
  const draftIssues = useMemo(() => {
    if (!pending) return null;
    return fieldIssues(applyEdit(doc, b.edit(doc, path, pendingValue)), b, path);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending, draft, doc]);
  const issues = draftIssues ?? fieldIssues(doc, b, path);
  const coalesce = key;
  return {
    text: draft ?? format(value),
    value,
    issues,
    pending,
    change(text) {
      const s = editorStore.getState();
      const v = parse(text);
      const candidate = applyEdit(s.doc, b.edit(s.doc, path, v));
      s.setDraft(key, text);
      if (candidate !== s.doc && fieldIssues(candidate, b, path).length === 0) {
        s.apply(b.edit(s.doc, path, v), { coalesce });
      }
    },
    settle() {
      const s = editorStore.getState();
      const d = s.drafts[key];
      if (d !== undefined && sameValue(parse(d), b.get(s.doc, path))) s.setDraft(key, undefined);
    },
    revert() {
      editorStore.getState().setDraft(key, undefined);
    },
    set(v) {
      const s = editorStore.getState();
      s.setDraft(key, undefined);
      s.apply(b.edit(s.doc, path, v));
    },
  };
}

/** Structural equality of JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
