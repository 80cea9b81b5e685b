// The web console in real Chromium (Debian's /usr/bin/chromium driven by playwright-core)
// against the real service on an ephemeral loopback port with a temporary data folder, for the
// end-to-end tests. The browser is launched so it sends nothing off this machine: every
// non-loopback request goes to a dead proxy on 127.0.0.1:9 and is recorded, so a test can fail
// if the page asked for any. Screenshots go to test-artifacts/console/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, tempDir } from '../helpers.js';
import { startHarness, type Harness } from '../server/harness.js';

const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'console');
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };
const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--proxy-server=http://127.0.0.1:9',
  // Loopback goes direct (Chromium's implicit rule, spelled out). Note `<-loopback>` would do the
  // opposite: it removes that implicit bypass and sends loopback to the dead proxy too.
  '--proxy-bypass-list=localhost;127.0.0.1;[::1]',
  '--autoplay-policy=no-user-gesture-required', '--mute-audio',
];

/** Builds the console when its build is missing (npm test builds it in scripts/setup.mjs). */
function ensureConsoleBuilt(): void {
  if (fs.existsSync(path.join(ROOT, 'dist', 'console', 'index.html'))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(ROOT, 'console', 'vite.config.mjs')], { stdio: 'inherit' });
  assert.equal(r.status, 0, 'vite build of the console failed');
}

const isLoopback = (u: string): boolean => {
  const { protocol, hostname } = new URL(u);
  if (protocol === 'blob:' || protocol === 'data:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
};

export interface ConsoleSession {
  readonly svc: Harness;
  readonly ctx: BrowserContext;
  readonly page: Page;
  /** The browser's profile folder (downloads land here). */
  readonly userDir: string;
  /** Requests the page made to anything but loopback, and script errors it threw. */
  readonly offsite: string[];
  readonly pageErrors: string[];
  /** Full-page screenshots at desktop and phone size, as `<name>-desktop.png` and `<name>-phone.png`. */
  shoot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A service on loopback and a Chromium page on it, at desktop size, in English. */
export async function openConsole(): Promise<ConsoleSession> {
  ensureConsoleBuilt();
  const svc = await startHarness({ DH_ALLOW_PRIVATE_URLS: '0' });
  const userDir = tempDir('dh-chromium-');
  const ctx = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, viewport: DESKTOP, locale: 'en-US', acceptDownloads: true,
  });
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    svc, ctx, page, userDir, offsite, pageErrors,
    async shoot(name) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESKTOP);
    },
    async close() {
      await ctx.close();
      await svc.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
