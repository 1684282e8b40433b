/**
 * A form field generated from a parameter declaration (`Param`), for every kind the
 * engine declares: numbers, durations, rates and sizes (typed in the scenario syntax,
 * "5ms", "5r/s", "4KB"), booleans, enums, strings, ids, distributions, objects, variants
 * and lists. Each shows its unit, range, default (as the placeholder) and help, and the
 * validator's message inline when the value is not acceptable.
 */
import { useState } from 'react';
import type { Param } from '../sim/client.ts';
import type { Path } from '../store/doc.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useField, type Binding } from './binding.ts';
import { describeValue, joinPath, placeholderOf, rangeOf, syntaxHint, textToValue, unitOf, valueToText } from './fields.ts';
import { DistField } from './DistField.tsx';
import { JsonField } from './JsonField.tsx';

export interface FieldProps {
  p: Param;
  name: string;
  path: Path;
  b: Binding;
}

/** "callTimeout" -> "call timeout". */
export function humanize(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

export function fieldId(b: Binding, path: Path): string {
  return `field-${b.key}|${path.join('.')}`;
}

/** Renders the right control for the parameter's kind. */
export function ParamField(props: FieldProps) {
  switch (props.p.kind) {
    case 'bool':
      return <BoolField {...props} />;
    case 'enum':
      return <EnumField {...props} />;
    case 'dist':
      return <DistField {...props} />;
    case 'object':
      return <ObjectField {...props} />;
    case 'variant':
      return <VariantField {...props} />;
    case 'list':
      return <ListField {...props} />;
    default:
      return <TextField {...props} />;
  }
}

/** Label, unit and range above a control; help, default and problems below it. */
export function FieldShell({ p, name, id, at, issues, children, onReset, pending, onRevert }: {
  p: Param;
  name: string;
  id: string;
  /** The field's issue path, so that a problem in a list can scroll to it. */
  at?: string;
  issues: Array<{ path: string; message: string }>;
  children: React.ReactNode;
  onReset?: () => void;
  pending?: boolean;
  onRevert?: () => void;
}) {
  const unit = unitOf(p);
  const range = rangeOf(p);
  return (
    <div className={`field${issues.length ? ' has-error' : ''}`} data-issue-path={at}>
      <div className="field-label">
        <label htmlFor={id}>{p.label ? p.label : humanize(name)}</label>
        {unit && <span className="field-unit">{unit}</span>}
        {range && <span className="field-range">{range}</span>}
        {onReset && (
          <button type="button" className="link-btn" onClick={onReset} title={`back to the default (${describeValue(p.default) || 'not set'})`}>
            reset
          </button>
        )}
      </div>
      {children}
      {issues.map((i, k) => (
        <div key={k} className="field-error" role="alert" data-testid={`${id}-error`}>
          {i.message}
          {pending && onRevert && (
            <button type="button" className="link-btn" onClick={onRevert}>
              undo typing
            </button>
          )}
        </div>
      ))}
      <div className="field-help">{p.help}</div>
    </div>
  );
}

function TextField({ p, name, path, b }: FieldProps) {
  const f = useField(b, path, (t) => textToValue(p, t), valueToText);
  const id = fieldId(b, path);
  const hint = syntaxHint(p);
  return (
    <FieldShell p={p} name={name} id={id} at={joinPath(b.prefix, path)} issues={f.issues} onReset={f.value !== undefined && p.default !== undefined ? () => f.set(undefined) : undefined} pending={f.pending} onRevert={f.revert}>
      <input
        id={id}
        data-testid={id}
        className={f.issues.length ? 'invalid' : ''}
        value={f.text}
        placeholder={placeholderOf(p)}
        title={hint ?? undefined}
        inputMode={p.kind === 'int' ? 'numeric' : p.kind === 'number' || p.kind === 'probability' ? 'decimal' : undefined}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={f.issues.length > 0}
        onChange={(e) => f.change(e.target.value)}
        onBlur={f.settle}
        onKeyDown={(e) => {
          if (e.key === 'Escape') f.revert();
        }}
      />
    </FieldShell>
  );
}

function BoolField({ p, name, path, b }: FieldProps) {
  const f = useField(b, path, (t) => t === 'true', String);
  const id = fieldId(b, path);
  const checked = f.value === undefined ? p.default === true : f.value === true;
  return (
    <FieldShell p={p} name={name} id={id} at={joinPath(b.prefix, path)} issues={f.issues} onReset={f.value !== undefined && p.default !== undefined ? () => f.set(undefined) : undefined}>
      <label className="check">
        <input id={id} data-testid={id} type="checkbox" checked={checked} onChange={(e) => f.set(e.target.checked)} />
        {checked ? 'on' : 'off'}
        {f.value === undefined && <span className="muted"> (default)</span>}
      </label>
    </FieldShell>
  );
}

function EnumField({ p, name, path, b }: FieldProps) {
  const f = useField(b, path, (t) => (t === '' ? undefined : t), (v) => (v === undefined ? '' : String(v)));
  const id = fieldId(b, path);
  if (p.kind !== 'enum') return null;
  const current = f.value === undefined ? '' : String(f.value);
  const label = (v: string) => p.labels?.[v] ?? v;
  return (
    <FieldShell p={p} name={name} id={id} at={joinPath(b.prefix, path)} issues={f.issues}>
      <select id={id} data-testid={id} value={current} onChange={(e) => f.set(e.target.value === '' ? undefined : e.target.value)} className={f.issues.length ? 'invalid' : ''}>
        <option value="">{p.default !== undefined ? `default: ${label(String(p.default))}` : p.optional ? 'not set' : 'choose…'}</option>
        {p.values.map((v) => (
          <option key={v} value={v}>
            {label(v)}
          </option>
        ))}
        {current && !p.values.includes(current) && <option value={current}>{current} (unknown)</option>}
      </select>
    </FieldShell>
  );
}

function ObjectField({ p, name, path, b }: FieldProps) {
  const [open, setOpen] = useState(true);
  if (p.kind !== 'object') return null;
  return (
    <fieldset className="group">
      <legend>
        <button type="button" className="link-btn legend-btn" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? '▾' : '▸'} {p.label ?? humanize(name)}
        </button>
      </legend>
      {open && (
        <>
          <div className="field-help">{p.help}</div>
          <Fields params={p.fields} path={path} b={b} />
        </>
      )}
    </fieldset>
  );
}

function VariantField({ p, name, path, b }: FieldProps) {
  const f = useField(b, [...path], () => undefined, () => '');
  const id = fieldId(b, [...path, p.kind === 'variant' ? p.tag : '']);
  if (p.kind !== 'variant') return null;
  const raw = (f.value ?? p.default) as Record<string, unknown> | undefined;
  const tag = raw && typeof raw[p.tag] === 'string' ? (raw[p.tag] as string) : '';
  const variant = Object.hasOwn(p.variants, tag) ? p.variants[tag] : undefined;
  const usingDefault = f.value === undefined;
  const choose = (next: string) => {
    const fields = p.variants[next]?.fields ?? {};
    // carry over fields both variants have (e.g. a rate), drop the rest
    const kept = Object.fromEntries(Object.entries(raw ?? {}).filter(([k]) => k !== p.tag && Object.hasOwn(fields, k)));
    f.set({ [p.tag]: next, ...kept });
  };
  return (
    <fieldset className="group">
      <legend>{p.label ?? humanize(name)}</legend>
      <FieldShell p={{ kind: 'enum', values: Object.keys(p.variants), help: variant ? variant.help : p.help }} name={p.tag} id={id} at={joinPath(b.prefix, [...path, p.tag])} issues={f.issues.filter((i) => i.path === joinPath(b.prefix, path) || i.path === joinPath(b.prefix, [...path, p.tag]))} onReset={!usingDefault && p.default !== undefined ? () => f.set(undefined) : undefined}>
        <select id={id} data-testid={id} value={tag} onChange={(e) => choose(e.target.value)}>
          {!variant && <option value="">choose…</option>}
          {Object.entries(p.variants).map(([k, v]) => (
            <option key={k} value={k}>
              {v.label ?? k}
            </option>
          ))}
        </select>
      </FieldShell>
      {variant && (
        <VariantBody fields={variant.fields} path={path} b={b} usingDefault={usingDefault} defaults={raw ?? {}} tag={p.tag} />
      )}
    </fieldset>
  );
}

/** A variant's fields. While the whole variant is at its default, editing one field first writes the default object out. */
function VariantBody({ fields, path, b, usingDefault, defaults, tag }: { fields: Record<string, Param>; path: Path; b: Binding; usingDefault: boolean; defaults: Record<string, unknown>; tag: string }) {
  const materialized: Binding = usingDefault
    ? {
        ...b,
        edit: (d, p2, v) => {
          const rel = p2.slice(path.length);
          const obj = { [tag]: defaults[tag], ...Object.fromEntries(Object.entries(defaults).filter(([k]) => k !== tag && Object.hasOwn(fields, k))) };
          let next: Record<string, unknown> = obj;
          if (rel.length) next = setInPlain(obj, rel, v);
          return b.edit(d, path, next);
        },
      }
    : b;
  return <Fields params={fields} path={path} b={materialized} />;
}

function setInPlain(obj: Record<string, unknown>, path: Path, v: unknown): Record<string, unknown> {
  const [k, ...rest] = path;
  const out = { ...obj };
  if (rest.length === 0) {
    if (v === undefined) delete out[k as string];
    else out[k as string] = v;
    return out;
  }
  out[k as string] = setInPlain((obj[k as string] as Record<string, unknown>) ?? {}, rest, v);
  return out;
}

const LIST_FORM_MAX = 12;
const LIST_JSON_MAX = 2000;

function ListField({ p, name, path, b }: FieldProps) {
  const f = useField(b, path, () => undefined, () => '');
  const id = fieldId(b, path);
  if (p.kind !== 'list') return null;
  const item = p.item;
  const items = Array.isArray(f.value) ? f.value : Array.isArray(p.default) ? p.default : [];
  const explicit = Array.isArray(f.value);
  if (items.length > LIST_JSON_MAX) {
    // a replayed trace can hold a million requests: too much to edit as text in a panel
    return (
      <FieldShell p={p} name={name} id={id} at={joinPath(b.prefix, path)} issues={f.issues}>
        <p className="muted small">
          {items.length.toLocaleString('en-US')} items: too many to edit here. Export the scenario, edit this list in the file, and import it again.
        </p>
      </FieldShell>
    );
  }
  if (items.length > LIST_FORM_MAX || item.kind !== 'object') {
    return <JsonField p={p} name={name} path={path} b={b} />;
  }
  const write = (next: unknown[]) => f.set(next);
  return (
    <fieldset className="group">
      <legend>
        {p.label ?? humanize(name)} <span className="muted">({items.length})</span>
      </legend>
      <div className="field-help">{p.help}</div>
      {f.issues
        .filter((i) => i.path === joinPath(b.prefix, path))
        .map((i, k) => (
          <div key={k} className="field-error" role="alert" data-testid={`${id}-error`}>
            {i.message}
          </div>
        ))}
      {items.map((_, i) => (
        <div className="list-item" key={i}>
          <div className="list-item-head">
            <span className="muted">#{i + 1}</span>
            <button type="button" className="link-btn" onClick={() => write(items.filter((_, j) => j !== i))} disabled={p.minItems !== undefined && items.length <= p.minItems}>
              remove
            </button>
          </div>
          {explicit ? <Fields params={item.fields} path={[...path, i]} b={b} /> : <div className="muted">{describeValue(items[i])}</div>}
        </div>
      ))}
      <button type="button" className="btn small" onClick={() => write([...items, items.length ? structuredClone(items[items.length - 1]) : {}])} disabled={p.maxItems !== undefined && items.length >= p.maxItems}>
        + add
      </button>
      {!explicit && (
        <button type="button" className="btn small" onClick={() => write(structuredClone(items))}>
          edit these
        </button>
      )}
    </fieldset>
  );
}

/** A set of parameters, with the advanced ones behind a toggle. */
export function Fields({ params, path, b }: { params: Record<string, Param>; path: Path; b: Binding }) {
  const showAdvanced = useEditor((s) => s.prefs.showAdvanced);
  const entries = Object.entries(params);
  const basic = entries.filter(([, p]) => !p.advanced);
  const advanced = entries.filter(([, p]) => p.advanced);
  return (
    <div className="fields">
      {basic.map(([k, p]) => (
        <ParamField key={k} p={p} name={k} path={[...path, k]} b={b} />
      ))}
      {advanced.length > 0 && showAdvanced && (
        <div className="advanced">
          {advanced.map(([k, p]) => (
            <ParamField key={k} p={p} name={k} path={[...path, k]} b={b} />
          ))}
        </div>
      )}
      {advanced.length > 0 && (
        <button type="button" className="link-btn" onClick={() => editorStore.getState().setPrefs({ showAdvanced: !showAdvanced })}>
          {showAdvanced ? 'hide advanced parameters' : `show ${advanced.length} advanced parameter${advanced.length === 1 ? '' : 's'}`}
        </button>
      )}
    </div>
  );
}
