import { describe, expect, it } from 'vitest';
import { componentDefs, expandDefaults, faultActions, parseScenario } from '../../engine/index.ts';
import { FAULT_ACTIONS } from '../../engine/scenario/schema.ts';
import { scenario } from '../helpers.ts';

describe('faultActions', () => {
  it('declares exactly the fields of each action schema', () => {
    const infos = faultActions();
    expect(infos.map((i) => i.action)).toEqual(Object.keys(FAULT_ACTIONS));
    for (const info of infos) {
      const a = FAULT_ACTIONS[info.action];
      expect(Object.keys(info.params).sort(), info.action).toEqual(Object.keys(a.fields).sort());
      expect(info.target).toBe(a.target);
      expect(info.help).toBe(a.help);
    }
  });

  it('has defaults that make a valid fault for every action but set', () => {
    const base = {
      nodes: [
        { id: 'c', type: 'client' },
        { id: 's', type: 'server' },
        { id: 'cache', type: 'cache' },
        { id: 'db', type: 'database' },
      ],
      edges: [{ from: 'c', to: 's' }, { from: 's', to: 'cache' }, { from: 's', to: 'db' }],
    };
    // a node of a type that supports the action
    const nodeFor = (action: string) => {
      const types = Object.fromEntries(componentDefs().map((d) => [d.type, d.faults]));
      return base.nodes.find((n) => ['crash', 'recover'].includes(action) || types[n.type]!.includes(action))!.id;
    };
    for (const info of faultActions()) {
      if (info.action === 'set') continue;
      const target = info.target === 'edge' ? { edge: 'c->s' } : { node: nodeFor(info.action) };
      const fault = { at: '1s', action: info.action, ...target, ...expandDefaults(info.params) };
      const r = parseScenario(scenario({ ...base, faults: [fault] }));
      expect(r.ok ? [] : r.issues, info.action).toEqual([]);
    }
  });
});
