/**
 * Glyphs for component icon keys (`def.icon`) and for the app's buttons. Component types
 * arrive from the registry, so an unknown key gets a neutral box rather than nothing;
 * common aliases map to the same glyph.
 */
import type { ReactElement } from 'react';

type Glyph = ReactElement;

const p = (d: string) => <path d={d} />;

const GLYPHS: Record<string, Glyph> = {
  users: (
    <>
      <circle cx="9" cy="8" r="3.2" />
      {p('M3 19c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5')}
      <circle cx="17" cy="9" r="2.4" />
      {p('M16 14c2.8 0 5 1.8 5 4.6')}
    </>
  ),
  server: (
    <>
      <rect x="4" y="3.5" width="16" height="7" rx="1.5" />
      <rect x="4" y="13.5" width="16" height="7" rx="1.5" />
      {p('M8 7h.01M8 17h.01M12 7h4M12 17h4')}
    </>
  ),
  split: (
    <>
      <circle cx="5" cy="12" r="2.2" />
      <circle cx="19" cy="5" r="2.2" />
      <circle cx="19" cy="12" r="2.2" />
      <circle cx="19" cy="19" r="2.2" />
      {p('M7.2 12H16.8M7 11l10-5M7 13l10 5')}
    </>
  ),
  database: (
    <>
      <ellipse cx="12" cy="5.5" rx="7" ry="2.8" />
      {p('M5 5.5v13c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8v-13M5 12c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8')}
    </>
  ),
  bolt: p('M13 2.5 5 13.5h6l-1 8 8-11h-6l1-8z'),
  globe: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      {p('M3.5 12h17M12 3.5c2.5 2.6 3.6 5.4 3.6 8.5s-1.1 5.9-3.6 8.5c-2.5-2.6-3.6-5.4-3.6-8.5s1.1-5.9 3.6-8.5z')}
    </>
  ),
  gauge: (
    <>
      {p('M4 17a8 8 0 1 1 16 0')}
      {p('M12 17l4.5-5.5')}
      <circle cx="12" cy="17" r="1.4" />
    </>
  ),
  shield: p('M12 3 5 6v5.5c0 4.2 2.9 7.9 7 9.5 4.1-1.6 7-5.3 7-9.5V6l-7-3z'),
  hash: p('M9 3.5 7 20.5M17 3.5l-2 17M4 8.5h16.5M3.5 15.5H20'),
  ring: (
    <>
      <circle cx="12" cy="12" r="7.5" />
      <circle cx="12" cy="4.5" r="1.8" />
      <circle cx="18.5" cy="15.8" r="1.8" />
      <circle cx="5.5" cy="15.8" r="1.8" />
    </>
  ),
  queue: (
    <>
      <rect x="3" y="8" width="4" height="8" rx="1" />
      <rect x="10" y="8" width="4" height="8" rx="1" />
      <rect x="17" y="8" width="4" height="8" rx="1" />
    </>
  ),
  sidecar: (
    <>
      <rect x="3" y="5" width="12" height="14" rx="2" />
      <rect x="17" y="8" width="4" height="8" rx="1" />
      {p('M15 12h2')}
    </>
  ),
  counter: (
    <>
      <rect x="3.5" y="5" width="17" height="14" rx="2" />
      {p('M8 9.5v5M11 9.5h2.5l-2.5 5h2.5M16.5 9.5h-1.5v2.5h1.5v2.5h-1.5')}
    </>
  ),
  box: (
    <>
      {p('M12 3 20 7.5v9L12 21 4 16.5v-9L12 3z')}
      {p('M4 7.5l8 4.5 8-4.5M12 12v9')}
    </>
  ),
};

const ALIASES: Record<string, string> = {
  user: 'users',
  client: 'users',
  clients: 'users',
  app: 'server',
  compute: 'server',
  service: 'server',
  lb: 'split',
  balancer: 'split',
  loadBalancer: 'split',
  db: 'database',
  storage: 'database',
  cache: 'bolt',
  zap: 'bolt',
  cdn: 'globe',
  edge: 'globe',
  limiter: 'gauge',
  rateLimiter: 'gauge',
  ratelimit: 'gauge',
  throttle: 'gauge',
  waf: 'shield',
  firewall: 'shield',
  shard: 'ring',
  shardRouter: 'ring',
  router: 'ring',
  mesh: 'sidecar',
  proxy: 'sidecar',
  counterStore: 'counter',
  kv: 'counter',
};

/** Whether an icon key has its own glyph (otherwise the fallback box is drawn). */
export function hasGlyph(key: string): boolean {
  return Object.hasOwn(GLYPHS, key) || Object.hasOwn(ALIASES, key);
}

/** The glyph for a component icon key, or a box for keys it does not know. */
export function ComponentIcon({ name, size = 22 }: { name: string; size?: number }) {
  const key = Object.hasOwn(GLYPHS, name) ? name : Object.hasOwn(ALIASES, name) ? ALIASES[name]! : 'box';
  return (
    <svg className="glyph" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" data-icon={key}>
      {GLYPHS[key]}
    </svg>
  );
}

const UI: Record<string, Glyph> = {
  play: <path d="M7 4.5v15l12-7.5z" fill="currentColor" stroke="none" />,
  pause: (
    <>
      <rect x="6" y="4.5" width="4" height="15" rx="1" fill="currentColor" stroke="none" />
      <rect x="14" y="4.5" width="4" height="15" rx="1" fill="currentColor" stroke="none" />
    </>
  ),
  step: (
    <>
      <path d="M5 5v14l10-7z" fill="currentColor" stroke="none" />
      <rect x="16" y="5" width="3" height="14" rx="1" fill="currentColor" stroke="none" />
    </>
  ),
  reset: p('M4.5 12a7.5 7.5 0 1 0 2.2-5.3M4.5 4v4h4'),
  undo: p('M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3'),
  redo: p('m15 14 5-5-5-5M20 9H10a6 6 0 0 0 0 12h3'),
  sun: (
    <>
      <circle cx="12" cy="12" r="4" />
      {p('M12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4')}
    </>
  ),
  moon: p('M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z'),
  keyboard: (
    <>
      <rect x="2.5" y="6" width="19" height="12" rx="2" />
      {p('M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10')}
    </>
  ),
  share: (
    <>
      <circle cx="18" cy="5.5" r="2.5" />
      <circle cx="6" cy="12" r="2.5" />
      <circle cx="18" cy="18.5" r="2.5" />
      {p('M8.2 10.8l7.6-4M8.2 13.2l7.6 4')}
    </>
  ),
  download: p('M12 4v11M7 10.5l5 5 5-5M5 20h14'),
  upload: p('M12 16V5M7 9.5l5-5 5 5M5 20h14'),
  folder: p('M3.5 6.5a2 2 0 0 1 2-2h4l2 2.5h7a2 2 0 0 1 2 2V17a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2z'),
  trash: p('M4.5 6.5h15M9.5 6.5V4.5h5v2M6.5 6.5l1 13h9l1-13'),
  copy: (
    <>
      <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
      {p('M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5')}
    </>
  ),
  close: p('M6 6l12 12M18 6 6 18'),
  plus: p('M12 5v14M5 12h14'),
  alert: (
    <>
      {p('M12 3.5 2.5 20h19L12 3.5z')}
      {p('M12 10v4.5M12 17.5h.01')}
    </>
  ),
  chevron: p('m8 10 4 4 4-4'),
  target: (
    <>
      <circle cx="12" cy="12" r="8" />
      <circle cx="12" cy="12" r="3" />
    </>
  ),
};

/** A UI glyph (buttons, badges). */
export function Icon({ name, size = 18 }: { name: keyof typeof UI | string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {UI[name] ?? UI.alert}
    </svg>
  );
}
