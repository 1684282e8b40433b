import { describe, expect, it } from 'vitest';
import { decodeScenario, encodeScenario, fromBase64Url, payloadFromHash, shareUrl, toBase64Url, validateScenarioText } from '../../ui/share/codec.ts';
import { emptyDoc, type Doc } from '../../ui/store/doc.ts';

const doc: Doc = {
  ...emptyDoc('shared'),
  description: 'a client and a server',
  seed: 'abc',
  nodes: [
    { id: 'users', type: 'client', arrival: { process: 'poisson', rate: '250r/s' } },
    { id: 'api', type: 'server', workers: 2, service: { dist: 'lognormal', mean: '8ms', p99: '40ms' } },
  ],
  edges: [{ from: 'users', to: 'api', latency: '1ms' }],
  faults: [{ at: '10s', for: '5s', action: 'slowdown', node: 'api', factor: 3 }],
  layout: { users: { x: 0, y: 0 }, api: { x: 260, y: 0 } },
};

async function deflate(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

describe('share link codec', () => {
  it('round-trips a scenario exactly, layout included', async () => {
    const payload = await encodeScenario(doc);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = await decodeScenario(payload);
    expect(back).toEqual({ ok: true, doc, warnings: [] });
  });

  it('puts the payload in the hash and reads it back', async () => {
    const url = await shareUrl(doc, 'http://x.test/app?q=1#old');
    expect(url.startsWith('http://x.test/app?q=1#s=')).toBe(true);
    expect(payloadFromHash(new URL(url).hash)).toBe(await encodeScenario(doc));
    expect(payloadFromHash('#other=1')).toBeNull();
  });

  it('rejects text that is not base64url', async () => {
    const r = await decodeScenario('not base64!');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]!.message).toMatch(/not base64url/);
  });

  it('rejects base64url that does not inflate', async () => {
    const r = await decodeScenario(toBase64Url(new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x13, 0x37, 0x42])));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]!.message).toMatch(/does not decompress/);
  });

  it('rejects a truncated link', async () => {
    const payload = await encodeScenario(doc);
    const r = await decodeScenario(payload.slice(0, Math.floor(payload.length / 2)));
    expect(r.ok).toBe(false);
  });

  it('stops inflating past the size cap (a zip bomb stays small)', async () => {
    const huge = JSON.stringify({ version: 1, name: 'x'.repeat(3_000_000), nodes: [] });
    const payload = await deflate(huge);
    expect(payload.length).toBeLessThan(10_000);
    const r = await decodeScenario(payload);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]!.message).toMatch(/larger than 2048 KB/);
  });

  it('rejects __proto__ keys before anything copies them', async () => {
    const evil = '{"version":1,"name":"x","nodes":[{"id":"c","type":"client","__proto__":{"polluted":1}}],"layout":{"__proto__":{"x":1,"y":1}}}';
    const r = await decodeScenario(await deflate(evil));
    expect(r).toEqual({ ok: false, issues: [{ path: 'nodes[0].__proto__', message: expect.stringMatching(/not allowed/) }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const c = validateScenarioText('{"constructor":{"prototype":{"x":1}}}', '(file)');
    expect(!c.ok && c.issues[0]!.path).toBe('constructor');
  });

  it('refuses deeply nested input with errors, never a thrown stack overflow', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const text = `{"version":1,"name":"x","nodes":[{"id":"c","type":"client","label":${deep}}],"layout":{"c":{"x":1,"y":${deep}}}}`;
    const r = validateScenarioText(text, '(file)');
    expect(r.ok).toBe(false);
    const mix = (n: number): unknown => (n === 0 ? '1ms' : { dist: 'mixture', of: [{ weight: 1, ...(mix(n - 1) as object), ...(n === 1 ? { dist: 'constant', value: '1ms' } : {}) }] });
    const nested = { ...doc, nodes: [doc.nodes[0], { ...doc.nodes[1], service: mix(500) }] };
    const m = await decodeScenario(await deflate(JSON.stringify(nested)));
    expect(!m.ok && m.issues.map((i) => i.message)).toEqual(['mixtures may nest at most 8 deep']);
  });

  it('reports the engine validation errors by path', async () => {
    const bad = JSON.stringify({ ...doc, nodes: [doc.nodes[0], { ...doc.nodes[1], workers: 0 }] });
    const r = await decodeScenario(await deflate(bad));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([{ path: 'nodes[1].workers', message: 'must be at least 1' }]);
  });

  it('reports JSON syntax errors', async () => {
    const r = await decodeScenario(await deflate('{"version":1,'));
    expect(!r.ok && r.issues[0]!.message).toMatch(/not valid JSON/);
  });

  it('decodes base64url with or without padding', () => {
    expect(fromBase64Url('aGk')).toEqual(new Uint8Array([104, 105]));
    expect(fromBase64Url('aGk=')).toEqual(new Uint8Array([104, 105]));
    expect(fromBase64Url('a')).toBeNull();
  });
});
