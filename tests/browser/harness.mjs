// Shared by the browser tests: a static server for dist/ under a sub-path (as a static host would serve
// it), Debian's Chromium through playwright-core, pages that record console errors and every request's
// origin, the predicates that say a view is ready, and screenshots into test-results/screenshots/.
//
//   import { useSite, site, browser, openPage, PG_READY } from './harness.mjs';
//   useSite();                                      // before: serve dist/ and launch Chromium; after: close both
//   test('...', async () => {
//     const { page, errors, context } = await openPage(browser, site, '#/playground', { waitFor: PG_READY });
//     await screenshot(page, 'playground-light');
//     await context.close();
//   });
import { before, after } from 'node:test';
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

/** axe-core's script, injected into a page by the tests (page.addScriptTag, with bypassCSP); never shipped. */
export const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's violations on the page as it is now: [{ id, impact, help, nodes: [{ target, summary }] }]. */
export function axe(page) {
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary?.split('\n').slice(0, 3).join(' ') })),
    }));
  });
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(ROOT, 'dist');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
export const BASE = '/some/path/';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const WIDE = { width: 1440, height: 900 };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** Serves dist/ under BASE on 127.0.0.1 (a free port). Anything outside BASE is a 404, like a sub-path host. */
export async function startSite({ root = DIST, base = BASE, port = 0 } = {}) {
  await stat(join(root, 'index.html')).catch(() => {
    throw new Error(`${root}/index.html is missing: run "npm run build" first`);
  });
  const served = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    served.push(path);
    if (!path.startsWith(base)) {
      res.writeHead(404).end('not under the site base');
      return;
    }
    const rel = normalize(path.slice(base.length) || 'index.html');
    const file = join(root, rel.endsWith('/') ? join(rel, 'index.html') : rel);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}${base}`,
    served,
    // Open keep-alive connections would hold close() until the browser drops them.
    close: () =>
      new Promise((ok) => {
        server.close(ok);
        server.closeAllConnections();
      }),
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// CHROMIUM_EXTRA_ARGS adds flags for an experiment, as a JSON array, e.g.
// CHROMIUM_EXTRA_ARGS='["--js-flags=--no-opt --no-maglev"]' to see the soak's heap without V8's optimisers.
export function launchBrowser() {
  const extra = process.env.CHROMIUM_EXTRA_ARGS ? JSON.parse(process.env.CHROMIUM_EXTRA_ARGS) : [];
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extra] });
}

/** The site and the browser of this test file, set by useSite()'s before hook and closed by its after hook. */
export let site;
export let browser;

/**
 * One set-up for a test file: serves dist/ (unless serve is false) and launches Chromium once before its
 * tests, and closes both after them. The file imports `site` and `browser` from here: ES module exports are
 * live, so they hold the server and the browser once the hook has run.
 */
// SITE_ROOT=/some/other/dist serves another build instead (to see a test fail on the build before a fix).
export function useSite({ serve = true } = {}) {
  before(async () => {
    if (serve) site = await startSite(process.env.SITE_ROOT ? { root: process.env.SITE_ROOT } : {});
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
}

// Ready predicates, for openPage's waitFor and page.waitForFunction (they run in the page).
/** The playground has a run and has sized its output map. */
export const PG_READY = () => window.__playground?.step !== undefined && document.querySelector('.pg-out__overlay')?.width > 0;
/** The race has its networks and has sized their maps. */
export const RACE_READY = () => window.__race?.steps?.length > 0 && document.querySelector('.race-map__canvas')?.width > 0;

/**
 * Trains the playground exactly n steps (its test hook's pauseAt stops the run at step n, or earlier if it
 * diverges) and waits until it is paused there; reads then see the step a claim names on any machine.
 */
export async function trainExactly(page, n) {
  await page.evaluate((k) => window.__playground.pauseAt(k), n);
  await page.click('.pg-play');
  await page.waitForFunction(
    (k) => {
      const p = window.__playground;
      return !p.playing && (p.step === k || p.divergence !== '');
    },
    n,
    { timeout: 60000, polling: 100 },
  );
}

function coreLoaded() {
  return document.getElementById('app-status')?.hidden === true;
}

/**
 * Opens site.url + hash in a fresh context. Returns { page, context, errors, warnings, origins, requests }:
 * errors collects console errors and uncaught exceptions, origins every origin a request went to
 * (data: and blob: URLs are not requests to anyone).
 * options: viewport, colorScheme ('light' | 'dark'), reducedMotion, bypassCSP (for a test's injected script), waitFor (a function for
 * page.waitForFunction, or null; default: the core loaded, i.e. #app-status hidden), beforeLoad(page).
 */
export async function openPage(browser, site, hash = '', options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: options.reducedMotion ?? 'no-preference',
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    hasTouch: options.hasTouch ?? false,
    // Only for tools injected by a test (axe-core through page.addScriptTag): the page's own policy stays.
    bypassCSP: options.bypassCSP ?? false,
    // 'block' for a test that routes requests: once the site's offline worker controls the page, the
    // page's requests go through it and page.route never sees them.
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  const origins = new Set();
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    origins.add(url.origin);
    requests.push(request.url());
  });
  if (options.beforeLoad) await options.beforeLoad(page);
  await page.goto(site.url + hash);
  const waitFor = options.waitFor === undefined ? coreLoaded : options.waitFor;
  if (typeof waitFor === 'string') throw new Error('openPage: waitFor must be a function (a string is an expression, always truthy)');
  if (waitFor) await page.waitForFunction(waitFor, null, { timeout: 20000 });
  return { page, context, errors, warnings, origins, requests };
}

/** Saves a PNG under test-results/screenshots/ and returns its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Horizontal overflow in CSS pixels (0 when nothing scrolls sideways). */
export function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Tabs up to `limit` times from the current focus; returns a description of each focused element. */
export async function tabThrough(page, limit = 80) {
  const seen = [];
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press('Tab');
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        return {
          tag: el.tagName.toLowerCase(),
          id: el.id,
          type: el.getAttribute('type'),
          text: (el.textContent ?? '').trim().slice(0, 40),
          label: el.labels?.[0]?.textContent?.trim() ?? el.getAttribute('aria-label') ?? '',
          focusVisible: el.matches(':focus-visible'),
        };
      }),
    );
  }
  return seen;
}
