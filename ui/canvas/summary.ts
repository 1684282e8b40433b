/**
 * The one-line parameter summary under a node's name ("4 workers · exp 10ms"), built from
 * the component's parameter declarations: the first few plain parameters, set or default.
 */
import type { ComponentDef, Param } from '../sim/client.ts';
import type { RawNode } from '../store/doc.ts';

const SHORT_DIST: Record<string, string> = { exponential: 'exp', constant: '', lognormal: 'logn', uniform: 'unif' };

/** A short text for one value of a parameter, or null if it does not summarise well. */
export function shortValue(p: Param, v: unknown, key: string): string | null {
  if (v === undefined || v === null) return null;
  switch (p.kind) {
    case 'int':
    case 'number':
      return `${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)} ${p.unit ?? key}`;
    case 'rate':
      return typeof v === 'number' ? `${v}/s` : String(v);
    case 'dist': {
      if (v === 0 || v === '0' || v === '0ms') return null;
      if (typeof v !== 'object') return String(v);
      const d = v as Record<string, unknown>;
      const name = typeof d.dist === 'string' ? (SHORT_DIST[d.dist] ?? d.dist) : '?';
      const size = d.mean ?? d.value ?? (d.min !== undefined && d.max !== undefined ? `${d.min}–${d.max}` : undefined);
      const shown = typeof size === 'number' ? `${size}${p.unit === 'duration' ? 'ms' : 'B'}` : size;
      return [name, shown].filter(Boolean).join(' ') || null;
    }
    case 'variant': {
      if (typeof v !== 'object') return null;
      const o = v as Record<string, unknown>;
      const tag = o[p.tag];
      if (typeof tag !== 'string') return null;
      const label = p.variants[tag]?.label ?? tag;
      const rate = o.rate ?? p.variants[tag]?.fields.rate?.default;
      const users = o.users ?? p.variants[tag]?.fields.users?.default;
      if (rate !== undefined) return `${label} ${typeof rate === 'number' ? `${rate}/s` : String(rate)}`;
      if (users !== undefined) return `${users} users`;
      return label;
    }
    case 'enum':
      return p.labels?.[String(v)] ?? String(v);
    default:
      return null;
  }
}

/** Up to `max` parts joined with " · ". */
export function summarize(def: ComponentDef | undefined, node: RawNode, max = 2): string {
  if (!def) return `unknown type "${node.type}"`;
  const parts: string[] = [];
  for (const [key, p] of Object.entries(def.params)) {
    if (parts.length >= max) break;
    if (p.advanced) continue;
    const s = shortValue(p, Object.hasOwn(node, key) ? node[key] : p.default, key);
    if (s) parts.push(s);
  }
  return parts.join(' · ');
}
