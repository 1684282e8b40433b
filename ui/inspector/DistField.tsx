/**
 * A distribution field: a kind selector (constant, exponential, uniform, normal,
 * lognormal, erlang, pareto, mixture, empirical) and the fields of the chosen kind, in
 * the distribution's unit. Mixtures and empirical distributions are edited as JSON.
 * A bare value ("5ms") is shown as a constant; a field left at its default is written
 * out in full as soon as one of its parts changes.
 */
import type { Param } from '../sim/client.ts';
import { getIn, setIn, type Path } from '../store/doc.ts';
import { useField, type Binding } from './binding.ts';
import { asDist, DIST_KINDS, distFields, distTemplate, joinPath, type DistKind } from './fields.ts';
import { FieldShell, fieldId, ParamField, type FieldProps } from './ParamField.tsx';
import { JsonField } from './JsonField.tsx';

const KIND_LABEL: Record<DistKind, string> = {
  constant: 'constant',
  exponential: 'exponential',
  uniform: 'uniform',
  normal: 'normal',
  lognormal: 'lognormal',
  erlang: 'Erlang',
  pareto: 'Pareto (heavy tail)',
  mixture: 'mixture (JSON)',
  empirical: 'empirical (JSON)',
};

export function DistField({ p, name, path, b }: FieldProps) {
  const f = useField(b, path, () => undefined, () => '');
  const id = fieldId(b, [...path, 'dist']);
  if (p.kind !== 'dist') return null;
  const unit = p.unit;
  const raw = f.value ?? p.default;
  const dist = asDist(raw);
  const kind = (dist?.dist as string | undefined) ?? '';
  const fields = dist ? distFields(kind, dist) : null;
  const here = joinPath(b.prefix, path);
  const ownIssues = f.issues.filter((i) => i.path === here || i.path === `${here}.dist`);
  // parts read the distribution in full form (a bare "5ms" is a constant's value, an
  // unset field shows its default), and writing a part writes the whole distribution
  const current = (d: Parameters<Binding['get']>[0]) => asDist(b.get(d, path) ?? p.default) ?? {};
  const parts: Binding = {
    ...b,
    get: (d, p2) => getIn(current(d), p2.slice(path.length)),
    edit: (d, p2, v) => b.edit(d, path, setIn(current(d), p2.slice(path.length), v)),
  };
  return (
    <fieldset className="group dist">
      <legend>{p.label ?? name}</legend>
      <FieldShell p={p} name="distribution" id={id} at={here} issues={ownIssues} onReset={f.value !== undefined && p.default !== undefined ? () => f.set(undefined) : undefined}>
        <select
          id={id}
          data-testid={id}
          value={kind}
          onChange={(e) => (e.target.value === '' ? f.set(undefined) : f.set(distTemplate(e.target.value as DistKind, raw, unit)))}
        >
          {(p.optional || !dist) && <option value="">{p.optional ? 'not set (0)' : 'choose…'}</option>}
          {DIST_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </FieldShell>
      {dist && fields && (
        <div className="dist-fields">
          {fields.map((df) => (
            <ParamField key={df.key} name={df.key} path={[...path, df.key]} b={parts} p={partParam(df, unit)} />
          ))}
        </div>
      )}
      {dist && !fields && <JsonField p={p} name={`${name} (JSON)`} path={path as Path} b={b} />}
    </fieldset>
  );
}

function partParam(df: { kind: 'value' | 'number' | 'int'; optional?: boolean; help: string }, unit: 'duration' | 'size'): Param {
  if (df.kind === 'int') return { kind: 'int', min: 1, help: df.help, optional: df.optional };
  if (df.kind === 'number') return { kind: 'number', help: df.help, optional: df.optional };
  return unit === 'duration' ? { kind: 'duration', help: df.help, optional: df.optional } : { kind: 'size', help: df.help, optional: df.optional };
}
