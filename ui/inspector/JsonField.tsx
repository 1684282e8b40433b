/**
 * A JSON editor for values that have no form of their own (mixtures, empirical
 * distributions, long lists, a fault's parameters). Text that is not JSON stays a draft
 * with the parser's message; JSON goes through the same validation as any field.
 */
import { useField } from './binding.ts';
import { joinPath } from './fields.ts';
import { FieldShell, fieldId, type FieldProps } from './ParamField.tsx';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
  }
}

const pretty = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 1).replace(/\n\s*/g, ' '));

export function JsonField({ p, name, path, b }: FieldProps) {
  // unparseable text maps to a value no field accepts, so it is never committed
  const f = useField(b, path, (t) => {
    const r = parseJson(t);
    return r.ok ? r.value : { '(invalid JSON)': t };
  }, pretty);
  const id = fieldId(b, path);
  const syntax = f.pending ? parseJson(f.text) : { ok: true as const, value: undefined };
  const issues = syntax.ok ? f.issues : [{ path: '', message: syntax.message }];
  return (
    <FieldShell p={p} name={name} id={id} at={joinPath(b.prefix, path)} issues={issues} onReset={f.value !== undefined && p.default !== undefined ? () => f.set(undefined) : undefined} pending={f.pending} onRevert={f.revert}>
      <textarea
        id={id}
        data-testid={id}
        rows={Math.min(10, Math.max(3, Math.ceil(f.text.length / 38)))}
        className={issues.length ? 'invalid' : ''}
        value={f.text}
        placeholder={p.default !== undefined ? pretty(p.default) : 'not set'}
        spellCheck={false}
        onChange={(e) => f.change(e.target.value)}
        onBlur={f.settle}
      />
    </FieldShell>
  );
}
