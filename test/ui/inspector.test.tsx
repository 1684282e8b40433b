// @vitest-environment happy-dom
/**
 * The inspector is generated from parameter declarations: a component registered with
 * one parameter of every kind gets a field for each, with units, ranges, defaults and
 * help, and with the engine's validation inline. No UI code names the component.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineComponent } from '../../engine/core/component.ts';
import { register } from '../../engine/components/index.ts';
import { editorStore } from '../../ui/store/editor.ts';
import { emptyDoc } from '../../ui/store/doc.ts';
import { NodeInspector } from '../../ui/inspector/NodeInspector.tsx';
import { Palette } from '../../ui/palette/Palette.tsx';
import { componentDefs } from '../../ui/sim/client.ts';

(globalThis as Record<string, unknown>).IS_REACT_ACT_ENVIRONMENT = true;

register(
  defineComponent({
    type: 'kitchenSink',
    title: 'Kitchen sink',
    description: 'Every kind of parameter.',
    icon: 'no-such-icon',
    category: 'experimental' as never,
    params: {
      count: { kind: 'int', default: 3, min: 1, max: 9, unit: 'things', help: 'An int.' },
      ratio: { kind: 'number', default: 0.5, min: 0, exclusiveMin: true, help: 'A number.' },
      chance: { kind: 'probability', default: 0.1, help: 'A probability.' },
      wait: { kind: 'duration', default: '5ms', min: '1ms', help: 'A duration.' },
      speed: { kind: 'rate', default: '10r/s', help: 'A rate.' },
      blob: { kind: 'size', default: '4KB', help: 'A size.' },
      on: { kind: 'bool', default: true, help: 'A bool.' },
      mode: { kind: 'enum', values: ['a', 'b'], default: 'a', labels: { a: 'Alpha', b: 'Beta' }, help: 'An enum.' },
      tag: { kind: 'string', default: 'x', pattern: '^[a-z]+$', patternHelp: 'lower-case letters only', help: 'A string.' },
      who: { kind: 'id', optional: true, help: 'An id.' },
      delay: { kind: 'dist', unit: 'duration', default: { dist: 'exponential', mean: '2ms' }, help: 'A distribution.' },
      box: { kind: 'object', fields: { inner: { kind: 'int', default: 1, min: 0, help: 'Inside.' } }, help: 'An object.' },
      shape: {
        kind: 'variant',
        tag: 'form',
        default: { form: 'round', radius: 1 },
        variants: {
          round: { label: 'Round', help: 'A circle.', fields: { radius: { kind: 'number', default: 1, min: 0, help: 'Radius.' } } },
          square: { label: 'Square', help: 'A square.', fields: { side: { kind: 'number', default: 2, min: 0, help: 'Side.' } } },
        },
        help: 'A variant.',
      },
      steps: { kind: 'list', minItems: 1, default: [{ at: '1s' }], item: { kind: 'object', fields: { at: { kind: 'duration', help: 'When.' } }, help: 'A step.' }, help: 'A list.' },
      secret: { kind: 'int', default: 7, advanced: true, help: 'An advanced one.' },
    },
    outgoing: { min: 0, meaning: 'goes somewhere' },
    incoming: true,
    faults: [],
    create: () => {
      throw new Error('not run in this test');
    },
  }),
);

let root: Root;
let host: HTMLElement;
const field = (key: string) => host.querySelector(`[data-testid="field-node:sink1|${key}"]`) as HTMLInputElement | HTMLSelectElement | null;
const errorOf = (key: string) => host.querySelector(`[data-testid="field-node:sink1|${key}-error"]`)?.firstChild?.textContent ?? null;
const sink = () => editorStore.getState().doc.nodes[0]!;

/** Types into a React-controlled input the way a user does. */
function type(el: HTMLInputElement | HTMLSelectElement, value: string) {
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

beforeAll(async () => {
  await act(async () => editorStore.setState({ doc: { ...emptyDoc(), nodes: [{ id: 'sink1', type: 'kitchenSink' }], layout: { sink1: { x: 0, y: 0 } } }, selection: { nodes: ['sink1'], edges: [] } }));
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  await act(async () => root.render(<NodeInspector id="sink1" />));
});

afterAll(() => act(() => root.unmount()));

describe('the generated inspector', () => {
  it('renders a field for every kind, with units, ranges, defaults and help', () => {
    const text = host.textContent!;
    for (const label of ['count', 'ratio', 'chance', 'wait', 'speed', 'blob', 'on', 'mode', 'tag', 'who', 'delay', 'box', 'inner', 'shape', 'form', 'radius', 'steps']) {
      expect(text, label).toContain(label);
    }
    expect(text).toContain('things');
    expect(text).toContain('≥ 1, ≤ 9');
    expect(text).toContain('> 0');
    expect(text).toContain('An int.');
    expect(text).toContain('A circle.');
    expect((field('count') as HTMLInputElement).placeholder).toBe('default 3');
    expect((field('wait') as HTMLInputElement).placeholder).toBe('default 5ms');
    expect((field('who') as HTMLInputElement).placeholder).toBe('not set');
    expect((field('delay.dist') as HTMLSelectElement).value).toBe('exponential');
    expect((field('delay.mean') as HTMLInputElement).value).toBe('2ms');
    expect([...(field('mode') as HTMLSelectElement).options].map((o) => o.text)).toEqual(['default: Alpha', 'Alpha', 'Beta']);
    expect((field('shape.form') as HTMLSelectElement).value).toBe('round');
    expect(field('steps.0.at')).toBeNull(); // defaults are listed, not edited, until asked
    expect(text).toContain('at 1s');
  });

  it('hides advanced parameters until asked', async () => {
    expect(field('secret')).toBeNull();
    const toggle = [...host.querySelectorAll('button')].find((b) => b.textContent === 'show 1 advanced parameter')!;
    await act(async () => toggle.click());
    expect(field('secret')).not.toBeNull();
  });

  it('shows the engine’s reason inline and keeps invalid values out of the scenario', async () => {
    await act(async () => type(field('count')!, '0'));
    expect(errorOf('count')).toBe('must be at least 1');
    expect(sink().count).toBeUndefined();
    await act(async () => type(field('tag')!, 'ABC'));
    expect(errorOf('tag')).toContain('lower-case letters only');
    await act(async () => type(field('wait')!, '0.5ms'));
    expect(errorOf('wait')).toContain('must be at least 1ms');
    await act(async () => type(field('speed')!, 'fast'));
    expect(errorOf('speed')).toContain('is not a rate');
    expect(sink()).toEqual({ id: 'sink1', type: 'kitchenSink' });
  });

  it('commits valid values in the scenario syntax', async () => {
    await act(async () => type(field('count')!, '5'));
    await act(async () => type(field('wait')!, '25ms'));
    await act(async () => type(field('blob')!, '1MiB'));
    await act(async () => type(field('box.inner')!, '4'));
    expect(errorOf('count')).toBeNull();
    expect(sink()).toMatchObject({ count: 5, wait: '25ms', blob: '1MiB', box: { inner: 4 } });
  });

  it('switches a distribution’s kind and a variant’s sub-form', async () => {
    await act(async () => type(field('delay.dist')!, 'uniform'));
    expect(sink().delay).toEqual({ dist: 'uniform', min: 1, max: 3 });
    expect(field('delay.max')).not.toBeNull();
    await act(async () => type(field('delay.max')!, '0.5'));
    expect(errorOf('delay.max')).toBe('max must be at least min');
    await act(async () => type(field('shape.form')!, 'square'));
    expect(sink().shape).toEqual({ form: 'square' });
    expect(field('shape.side')).not.toBeNull();
    expect(field('shape.radius')).toBeNull();
  });

  it('edits a variant field still at its default by writing the whole default out', async () => {
    await act(async () => type(field('shape.form')!, 'round'));
    await act(async () => editorStore.getState().apply({ kind: 'setParam', node: 'sink1', path: ['shape'], value: undefined }));
    await act(async () => type(field('shape.radius')!, '9'));
    expect(sink().shape).toEqual({ form: 'round', radius: 9 });
  });
});

describe('the palette', () => {
  it('lists every registered type, including new ones in new categories', async () => {
    const el = document.createElement('div');
    const r = createRoot(el);
    await act(async () => r.render(<Palette />));
    const types = [...el.querySelectorAll('[data-testid^="palette-"]')].map((x) => x.getAttribute('data-testid')!.slice('palette-'.length));
    const registered = componentDefs().map((d) => d.type);
    expect([...types].sort()).toEqual([...registered].sort());
    expect(types).toContain('kitchenSink');
    // grouped by category, known categories first: the new category comes last
    expect(types.at(-1)).toBe('kitchenSink');
    expect(el.textContent).toContain('Every kind of parameter.');
    expect(el.textContent).toContain('experimental');
    // an unknown icon key gets the fallback glyph
    expect(el.querySelector('[data-testid="palette-kitchenSink"] svg')!.getAttribute('data-icon')).toBe('box');
    await act(async () => r.unmount());
  });
});
