/**
 * Share links: the scenario JSON, deflated (`CompressionStream('deflate-raw')`) and
 * base64url-encoded into the URL hash as `#s=...`.
 *
 * A link is untrusted input. Decoding caps the encoded length and the inflated size
 * (a small link can inflate to gigabytes), parses with JSON.parse (never eval), rejects
 * keys such as `__proto__` before anything copies the object, and then validates the
 * result with the engine's own scenario parser, like an imported file. Every failure
 * comes back as issues `{path, message}`; nothing here throws.
 */
import { parseScenario, type ScenarioIssue } from '../sim/client.ts';
import { findUnsafeKey, readDoc } from '../store/persist.ts';
import type { Doc } from '../store/doc.ts';

/** Largest inflated scenario accepted (bytes). */
export const MAX_DECODED_BYTES = 2 * 1024 * 1024;
/** Largest encoded payload accepted (characters). */
export const MAX_ENCODED_CHARS = 4 * 1024 * 1024;
export const HASH_KEY = 's';

export type Decoded = { ok: true; doc: Doc; warnings: ScenarioIssue[] } | { ok: false; issues: ScenarioIssue[] };

/** The scenario, compressed and base64url-encoded. */
export async function encodeScenario(doc: Doc): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  const packed = await pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
  return toBase64Url(packed!);
}

/** The share URL for a document, on top of `base` (the page URL without its hash). */
export async function shareUrl(doc: Doc, base: string): Promise<string> {
  return `${base.replace(/#.*$/, '')}#${HASH_KEY}=${await encodeScenario(doc)}`;
}

/** The encoded payload in a URL hash ("#s=..."), or null if the hash has none. */
export function payloadFromHash(hash: string): string | null {
  const h = hash.replace(/^#/, '');
  for (const part of h.split('&')) {
    if (part.startsWith(`${HASH_KEY}=`)) return part.slice(HASH_KEY.length + 1);
  }
  return null;
}

/** Decodes and validates a payload. Invalid input gives issues, never an exception. */
export async function decodeScenario(payload: string, maxBytes = MAX_DECODED_BYTES): Promise<Decoded> {
  const fail = (message: string, path = '(link)'): Decoded => ({ ok: false, issues: [{ path, message }] });
  if (payload.length === 0) return fail('the link holds no scenario');
  if (payload.length > MAX_ENCODED_CHARS) return fail(`the link is too long (${payload.length} characters; at most ${MAX_ENCODED_CHARS})`);
  const packed = fromBase64Url(payload);
  if (!packed) return fail('the link is damaged: it is not base64url text (was it cut off or edited?)');
  let bytes: Uint8Array | null;
  try {
    bytes = await pipe(packed, new DecompressionStream('deflate-raw'), maxBytes);
  } catch {
    return fail('the link is damaged: its data does not decompress (was it cut off?)');
  }
  if (!bytes) return fail(`the scenario in the link is larger than ${Math.round(maxBytes / 1024)} KB when unpacked; it was not opened`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the link is damaged: its data is not UTF-8 text');
  }
  return validateScenarioText(text, '(link)');
}

/**
 * Validates scenario text from outside (a link, an imported file): JSON.parse, a check
 * for prototype-polluting keys, the engine's validation, then the editor's shape check.
 */
export function validateScenarioText(text: string, where: string): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: where, message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const bad = findUnsafeKey(raw, '');
  if (bad) return { ok: false, issues: [{ path: bad, message: 'keys named __proto__, prototype or constructor are not allowed' }] };
  const parsed = parseScenario(raw);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const doc = readDoc(raw);
  if (typeof doc === 'string') return { ok: false, issues: [{ path: where, message: doc }] };
  return { ok: true, doc, warnings: parsed.warnings };
}

/** Runs bytes through a transform stream; returns null once the output passes `limit` bytes. */
async function pipe(input: Uint8Array<ArrayBuffer>, transform: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> }, limit: number): Promise<Uint8Array | null> {
  const writer = transform.writable.getWriter();
  const reader = transform.readable.getReader();
  // write and read concurrently: a large output would otherwise block the writer
  const writing = (async () => {
    await writer.write(input);
    await writer.close();
  })();
  writing.catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      await writer.abort().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  await writing;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** Bytes to base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) to bytes, or null if it is not base64url. */
export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s) || s.replace(/=+$/, '').length % 4 === 1) return null;
  const b64 = s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  try {
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
