/**
 * Opening and saving scenarios: examples, imported files, share links, and the JSON
 * export. Whatever comes in is validated like untrusted input; on any problem the
 * current work stays as it is and the problems are listed by path.
 */
import { editorStore } from '../store/editor.ts';
import { withLayout } from '../store/layout.ts';
import type { Doc } from '../store/doc.ts';
import { decodeScenario, payloadFromHash, shareUrl, validateScenarioText } from '../share/codec.ts';
import { download, safeName } from '../charts/export.ts';
import { runStore } from '../store/run.ts';
import { isWork, rememberDoc } from '../store/recent.ts';
import type { ScenarioIssue } from '../sim/client.ts';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Replaces the document (one undo step) and says how to get the old one back: Undo, and
 * Recent work (kept in localStorage, so it survives a reload, unlike the undo history).
 */
export function openDoc(doc: Doc, what: string, warnings: ScenarioIssue[] = []): void {
  const s = editorStore.getState();
  const hadWork = isWork(s.doc);
  const kept = hadWork && rememberDoc(localStorage, s.doc, `replaced by ${what}`);
  runStore.getState().reset();
  s.apply({ kind: 'replace', doc: withLayout(doc) });
  s.select({ nodes: [], edges: [] });
  s.setFocus(null);
  s.notify({
    key: 'document',
    tone: 'success',
    title: `Opened ${what}`,
    details: [...(hadWork ? [replacedNote(kept)] : []), ...warnings.map((w) => `warning: ${w.path}: ${w.message}`)],
    timeout: warnings.length ? 10 : 4,
  });
}

/** Where the replaced work is: always one Undo away; across a reload only if Recent work could keep it. */
function replacedNote(kept: boolean): string {
  return kept
    ? 'Your previous work is one Undo (Ctrl+Z) away, and kept under Examples → Recent work, also after a reload.'
    : 'Your previous work is one Undo (Ctrl+Z) away, but could not be kept across a reload (too large, or storage is full): export it if you need it later.';
}

function refuse(title: string, issues: ScenarioIssue[]): void {
  editorStore.getState().notify({
    key: 'document',
    tone: 'error',
    title,
    details: [...issues.slice(0, 12).map((i) => `${i.path}: ${i.message}`), ...(issues.length > 12 ? [`… and ${issues.length - 12} more`] : []), 'Your current work is unchanged.'],
  });
}

/** Imports a scenario file chosen by the user. */
export async function importFile(file: File): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    refuse(`Could not import ${file.name}`, [{ path: '(file)', message: `it is ${(file.size / 1048576).toFixed(1)} MB; scenarios up to 5 MB can be imported` }]);
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    refuse(`Could not import ${file.name}`, [{ path: '(file)', message: `it could not be read: ${(e as Error).message}` }]);
    return;
  }
  const r = validateScenarioText(text, '(file)');
  if (!r.ok) refuse(`Could not import ${file.name}: it is not a valid scenario`, r.issues);
  else openDoc(r.doc, `"${r.doc.name}" from ${file.name}`, r.warnings);
}

/** Downloads the current scenario as JSON (positions included). */
export function exportScenario(): void {
  const doc = editorStore.getState().doc;
  download(`${safeName(doc.name)}.json`, JSON.stringify(doc, null, 2) + '\n', 'application/json');
}

/** The share link of the current scenario. */
export function currentShareUrl(): Promise<string> {
  return shareUrl(editorStore.getState().doc, location.href);
}

/**
 * Opens the scenario in the page's URL hash, if there is one, then removes the hash so
 * that a reload shows the (autosaved) work rather than the link again.
 */
export async function openFromLocation(): Promise<void> {
  const payload = payloadFromHash(location.hash);
  if (payload === null) return;
  let r: Awaited<ReturnType<typeof decodeScenario>>;
  try {
    r = await decodeScenario(payload);
  } catch (e) {
    // a link is untrusted input: whatever it does, the current work stays and the user hears why
    r = { ok: false, issues: [{ path: '(link)', message: `the link could not be read: ${(e as Error).message}` }] };
  }
  history.replaceState(null, '', location.pathname + location.search);
  if (!r.ok) refuse('Could not open the shared link', r.issues);
  else openDoc(r.doc, `the shared scenario "${r.doc.name}"`, r.warnings);
}
