/**
 * Browser test plumbing: a `vite preview` server on a free port (one process, stopped
 * by its PID), Debian's Chromium through playwright-core in a throwaway profile, and a
 * collector of console and page errors. Everything is cleaned up by `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Env {
  url: string;
  context: BrowserContext;
  /** Console errors and page errors seen so far (cleared by `takeErrors`). */
  errors: string[];
  close(): Promise<void>;
}

async function waitForHttp(url: string, server: ChildProcess, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not answer at ${url}`);
}

/** Starts the preview server and the browser. `dist/` (or `E2E_DIST`) must have been built. */
export async function start(opts: { width?: number; height?: number } = {}): Promise<Env> {
  const port = await freePort();
  const server = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...(process.env.E2E_DIST ? ['--outDir', process.env.E2E_DIST] : [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverLog = '';
  server.stdout!.on('data', (d) => (serverLog += d));
  server.stderr!.on('data', (d) => (serverLog += d));
  const profile = mkdtempSync(join(tmpdir(), 'archsim-e2e-'));
  let context: BrowserContext | null = null;
  const errors: string[] = [];
  const close = async () => {
    await context?.close().catch(() => {});
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          server.kill('SIGKILL');
          r(null);
        }, 3000);
        server.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, server);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 720 },
      acceptDownloads: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context.on('page', (p) => watch(p, errors));
    for (const p of context.pages()) watch(p, errors);
    return { url, context, errors, close };
  } catch (e) {
    await close();
    throw new Error(`${(e as Error).message}\n${serverLog}`);
  }
}

/** Records console errors and uncaught page errors of a page. */
export function watch(page: Page, errors: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
}

/** A fresh page with empty storage at the app's URL. */
export async function freshPage(env: Env, hash = ''): Promise<Page> {
  const page = env.context.pages()[0] ?? (await env.context.newPage());
  await page.goto(env.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${env.url}${hash}`);
  await page.reload();
  await page.waitForSelector('[data-testid="canvas"]');
  return page;
}
