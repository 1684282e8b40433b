/**
 * npm run bench:compare -- [--model NAME] [--rounds N] [--seconds S] OLD [NEW]
 *
 * Steady-state speed of the engine at two revisions (git revisions; NEW defaults to the
 * working tree), for changes too small for `npm run bench` to see on a machine whose
 * speed drifts by tens of percent from minute to minute.
 *
 * Each revision's engine is bundled (esbuild) and both bundles are loaded into one
 * process, where two simulations of the model advance in alternation, 25 simulated
 * seconds at a time, after a JIT warm-up: both see the same machine, slice for slice.
 * One process is still one draw of V8's optimisation decisions (a process can be ±5% off),
 * so each round runs two processes, the revisions in both positions, and the result is
 * the geometric mean of the per-process ratios. Fingerprints are checked: a change
 * that alters the model's behaviour is reported as such.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  if (v === undefined) fail(`--${name} needs a value`);
  return v!;
};
function fail(msg: string): never {
  console.error(`bench:compare: ${msg}`);
  process.exit(2);
}
const model = opt('model', 'lb-4-servers-cache-db');
const rounds = Number(opt('rounds', '5'));
const seconds = Number(opt('seconds', '1500'));
if (!Number.isInteger(rounds) || rounds < 1) fail('--rounds must be a whole number >= 1');
if (!(seconds > 400)) fail('--seconds must be above 400 (300 s of warm-up are not measured)');
const [oldRev, newRev = 'WORKTREE'] = args;
if (!oldRev) fail('usage: npm run bench:compare -- [--model NAME] [--rounds N] [--seconds S] OLD [NEW]');
const esbuild = join(root, 'node_modules/.bin/esbuild');
if (!existsSync(esbuild)) fail('esbuild is missing (it comes with vite): run npm ci');

// worktrees left by a comparison that was killed go first
const listed = execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: root, encoding: 'utf8' });
for (const line of listed.split('\n')) {
  const path = line.startsWith('worktree ') ? line.slice(9) : '';
  if (path.includes('archsim-compare-')) {
    execFileSync('git', ['worktree', 'remove', '--force', path], { cwd: root, stdio: 'ignore' });
    rmSync(join(path, '..'), { recursive: true, force: true });
  }
}
const tmp = mkdtempSync(join(tmpdir(), 'archsim-compare-'));
const worktrees: string[] = [];
function bundle(rev: string, out: string): void {
  let dir = root;
  if (rev !== 'WORKTREE') {
    dir = join(tmp, `tree-${worktrees.length}`);
    try {
      execFileSync('git', ['worktree', 'add', '--detach', '-q', dir, rev], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {
      fail(`"${rev}" is not a revision git knows`);
    }
    worktrees.push(dir);
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    // the comparison's entry and today's models, so that any revision runs the same model
    mkdirSync(join(dir, 'bench/compare'), { recursive: true });
    cpSync(join(root, 'bench/compare/entry.ts'), join(dir, 'bench/compare/entry.ts'));
    cpSync(join(root, 'bench/models.ts'), join(dir, 'bench/models.ts'));
  }
  execFileSync(esbuild, [join(dir, 'bench/compare/entry.ts'), '--bundle', '--platform=node', '--format=esm', `--outfile=${out}`, '--log-level=error'], { stdio: 'inherit' });
}

function cleanUp(): void {
  for (const w of worktrees.splice(0)) execFileSync('git', ['worktree', 'remove', '--force', w], { cwd: root, stdio: 'ignore' });
  rmSync(tmp, { recursive: true, force: true });
}
// an interrupted comparison leaves no worktree behind
process.on('SIGINT', () => {
  cleanUp();
  process.exit(130);
});

try {
  const a = join(tmp, 'old.mjs');
  const b = join(tmp, 'new.mjs');
  bundle(oldRev, a);
  bundle(newRev, b);
  const pair = join(root, 'bench/compare/pair.mjs');
  const runPair = (x: string, y: string) =>
    JSON.parse(execFileSync(process.execPath, [pair, x, y, model, String(seconds)], { encoding: 'utf8' }).trim().split('\n').pop()!) as {
      ratio: number;
      nsA: number;
      nsB: number;
      same: boolean;
    };
  const ratios: number[] = [];
  let same = true;
  console.log(`${model}: time per request of ${newRev === 'WORKTREE' ? 'the working tree' : newRev} over ${oldRev} (below 1: faster)`);
  for (let r = 0; r < rounds; r++) {
    const p = runPair(a, b); // new in position B
    const q = runPair(b, a); // new in position A
    same &&= p.same && q.same;
    ratios.push(p.ratio, 1 / q.ratio);
    console.log(`  round ${r + 1}: ${p.ratio.toFixed(3)} (${p.nsB.toFixed(0)} vs ${p.nsA.toFixed(0)} ns/request), ${(1 / q.ratio).toFixed(3)} (${q.nsA.toFixed(0)} vs ${q.nsB.toFixed(0)})`);
  }
  const gmean = Math.exp(ratios.reduce((s, x) => s + Math.log(x), 0) / ratios.length);
  const lo = Math.min(...ratios);
  const hi = Math.max(...ratios);
  console.log(`time ratio ${gmean.toFixed(3)} (per process ${lo.toFixed(3)}..${hi.toFixed(3)}): ${gmean < 1 ? `${((1 / gmean - 1) * 100).toFixed(1)}% faster` : `${((gmean - 1) * 100).toFixed(1)}% slower`}`);
  if (!same) console.log('the fingerprints differ: the two revisions do not run the model identically');
} finally {
  cleanUp();
}
