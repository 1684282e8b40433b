import { describe, expect, it } from 'vitest';
import {
  asDist,
  describeValue,
  distFields,
  distTemplate,
  DIST_KINDS,
  issuesAt,
  issuesUnder,
  joinPath,
  placeholderOf,
  rangeOf,
  targetOfIssue,
  textToValue,
  unitOf,
  valueToText,
} from '../../ui/inspector/fields.ts';
import { parseScenario, type Param } from '../../ui/sim/client.ts';
import { emptyDoc } from '../../ui/store/doc.ts';

const int: Param = { kind: 'int', min: 1, max: 1_000_000, unit: 'workers', default: 4, help: '' };

describe('textToValue', () => {
  it('reads numbers as numbers and keeps unit strings for the validator', () => {
    expect(textToValue(int, ' 12 ')).toBe(12);
    expect(textToValue(int, '1e3')).toBe(1000);
    expect(textToValue({ kind: 'duration', help: '' }, '5ms')).toBe('5ms');
    expect(textToValue({ kind: 'duration', help: '' }, '250')).toBe(250);
    expect(textToValue({ kind: 'rate', help: '' }, '5r/s')).toBe('5r/s');
    expect(textToValue({ kind: 'size', help: '' }, '4KB')).toBe('4KB');
    expect(textToValue(int, 'lots')).toBe('lots');
  });

  it('treats an empty field as unset, so the default applies', () => {
    expect(textToValue(int, '   ')).toBeUndefined();
  });

  it('keeps strings verbatim and reads digit-only ids as numbers', () => {
    expect(textToValue({ kind: 'string', help: '' }, ' a b ')).toBe(' a b ');
    expect(textToValue({ kind: 'id', help: '' }, '42')).toBe(42);
    expect(textToValue({ kind: 'id', help: '' }, 'user-7')).toBe('user-7');
  });
});

describe('describing parameters', () => {
  it('shows units, ranges and defaults', () => {
    expect(unitOf(int)).toBe('workers');
    expect(unitOf({ kind: 'duration', help: '' })).toBe('ms');
    expect(rangeOf(int)).toBe('≥ 1, ≤ 1,000,000');
    expect(rangeOf({ kind: 'number', min: 0, exclusiveMin: true, help: '' })).toBe('> 0');
    expect(rangeOf({ kind: 'duration', min: '1us', orNone: true, help: '' })).toBe('≥ 1us, or "none"');
    expect(placeholderOf(int)).toBe('default 4');
    expect(placeholderOf({ kind: 'dist', unit: 'duration', default: { dist: 'exponential', mean: '10ms' }, help: '' })).toBe('default exponential mean 10ms');
    expect(placeholderOf({ kind: 'dist', unit: 'duration', optional: true, help: '' })).toBe('not set');
    expect(valueToText(null)).toBe('none');
    expect(describeValue(1_000_000)).toBe('1,000,000');
  });
});

describe('issue paths', () => {
  const issues = [
    { path: 'nodes[1].service.mean', message: 'a' },
    { path: 'nodes[1].service', message: 'b' },
    { path: 'nodes[10].workers', message: 'c' },
    { path: 'nodes[1]', message: 'd' },
  ];
  it('finds a field’s issues without catching its neighbours', () => {
    expect(issuesUnder(issues, 'nodes[1].service').map((i) => i.message)).toEqual(['a', 'b']);
    expect(issuesUnder(issues, 'nodes[1]').map((i) => i.message)).toEqual(['a', 'b', 'd']);
    expect(issuesAt(issues, 'nodes[1]').map((i) => i.message)).toEqual(['d']);
    expect(joinPath('nodes[2]', ['arrival', 'points', 0, 'at'])).toBe('nodes[2].arrival.points[0].at');
    expect(joinPath('', ['limits', 'maxEvents'])).toBe('limits.maxEvents');
  });

  it('maps paths to the node, edge, fault or setting they are about', () => {
    const doc = { ...emptyDoc(), nodes: [{ id: 'c', type: 'client' }, { id: 's', type: 'server' }], edges: [{ from: 'c', to: 's' }] };
    expect(targetOfIssue(doc, 'nodes[1].service.mean')).toEqual({ kind: 'node', id: 's', field: 'service.mean' });
    expect(targetOfIssue(doc, 'edges[0]')).toEqual({ kind: 'edge', id: 'c->s', field: '' });
    expect(targetOfIssue(doc, 'faults[3].at')).toEqual({ kind: 'fault', index: 3 });
    expect(targetOfIssue(doc, 'limits.maxEvents')).toEqual({ kind: 'scenario', field: 'limits' });
    expect(targetOfIssue(doc, 'layout.s')).toEqual({ kind: 'node', id: 's', field: '' });
  });
});

describe('distributions', () => {
  it('reads bare values as constants', () => {
    expect(asDist('5ms')).toEqual({ dist: 'constant', value: '5ms' });
    expect(asDist({ dist: 'uniform', min: 1, max: 2 })).toEqual({ dist: 'uniform', min: 1, max: 2 });
    expect(asDist({ mean: 1 })).toBeNull();
  });

  it('offers a form for each kind but mixtures and empirical ones', () => {
    expect(distFields('lognormal')!.map((f) => f.key)).toEqual(['mean', 'p99']);
    expect(distFields('lognormal', { mu: 1, sigma: 1 })!.map((f) => f.key)).toEqual(['mu', 'sigma']);
    expect(distFields('mixture')).toBeNull();
  });

  it('gives every kind a valid template of about the same size', () => {
    for (const unit of ['duration', 'size'] as const) {
      for (const kind of DIST_KINDS) {
        const prev = unit === 'duration' ? { dist: 'exponential', mean: '20ms' } : '2KB';
        const d = distTemplate(kind, prev, unit);
        const node = unit === 'duration' ? { id: 's', type: 'server', service: d } : { id: 'c', type: 'client', size: d };
        const doc = { version: 1, name: 't', nodes: [{ id: 'c', type: 'client' }, ...(unit === 'duration' ? [node] : [{ ...node, id: 'c2' }, { id: 's', type: 'server' }])], edges: [{ from: 'c', to: 's' }, ...(unit === 'size' ? [{ from: 'c2', to: 's' }] : [])] };
        const r = parseScenario(doc);
        expect(r.ok ? [] : r.issues, `${unit} ${kind}`).toEqual([]);
      }
    }
    expect(distTemplate('constant', { dist: 'exponential', mean: '20ms' }, 'duration')).toEqual({ dist: 'constant', value: 20 });
    expect(distTemplate('uniform', 'garbage', 'duration')).toEqual({ dist: 'uniform', min: 5, max: 15 });
  });
});
