#!/usr/bin/env node
// `npm run measure`: what a visitor downloads and waits for on a first visit. Builds nothing: it expects
// dist/ (`npm run build` or `npx vite build`). It serves dist/ the way a typical static host does (under a
// sub-path, gzip for text and wasm via node:zlib, woff2 as is, long-lived caching for hashed assets) and
// loads #/explorer and #/playground in headless Chromium, each five times in a new browser context (an empty
// cache), and prints the median of:
//   requests      how many requests the first load makes
//   transferred   bytes over the wire (CDP Network.loadingFinished encodedDataLength: gzip bodies + headers)
//   ready         navigation start until the view is drawn (the explorer's plot; the playground's output map)
//   interactive   navigation start until the first control has responded: the explorer redraws after a
//                 click on a function's checkbox; the playground trains its first step after ▶ Train
// and the size of dist/ raw and gzipped.
//
//   node scripts/measure-site.mjs [--runs 5]
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { DIST, launchBrowser } from '../tests/browser/harness.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
// What a host compresses: text and wasm (nginx needs gzip_types for application/wasm). woff2 is compressed
// already.
const COMPRESSED = new Set(['.html', '.js', '.css', '.json', '.wasm', '.svg']);
// Vite's hashed names: name-XXXXXXXX.ext (8 characters of base64url).
const HASHED = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/** Every file under dir: [{ path (relative), raw, gzip }], gzip being the bytes a gzip host sends. */
export async function siteFiles(dir = DIST) {
  const out = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath ?? entry.path, entry.name);
    const body = await readFile(full);
    out.push({ path: relative(dir, full), raw: body.length, gzip: COMPRESSED.has(extname(full)) ? gzipSync(body).length : body.length });
  }
  return out.sort((a, b) => b.raw - a.raw);
}

/**
 * Serves dist/ under `base` (a sub-path, or '/') as a static host would: gzip when the browser accepts it,
 * `immutable` caching for hashed assets and revalidation for index.html, 404 outside the base.
 * types: content types by extension (override one to see what a misconfigured host does).
 * Returns { origin, url, log, close() }; log holds { path, status, bytes } for every request.
 */
export async function startGzipSite({ root = DIST, base = '/some/path/', types = {} } = {}) {
  await stat(join(root, 'index.html')).catch(() => {
    throw new Error(`${root}/index.html is missing: run "npm run build" first`);
  });
  const mime = { ...TYPES, ...types };
  const cache = new Map(); // file -> { raw, gzip }
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const send = (status, headers, body) => {
      log.push({ path, status, bytes: body?.length ?? 0 });
      res.writeHead(status, headers).end(body);
    };
    if (!path.startsWith(base)) return send(404, {}, Buffer.from('not under the site base'));
    const rel = normalize(path.slice(base.length) || 'index.html');
    const file = join(root, rel.endsWith('/') ? join(rel, 'index.html') : rel);
    if (!file.startsWith(root)) return send(403, {}, Buffer.alloc(0));
    let entry = cache.get(file);
    if (!entry) {
      try {
        const raw = await readFile(file);
        entry = { raw, gzip: COMPRESSED.has(extname(file)) ? gzipSync(raw) : null };
        cache.set(file, entry);
      } catch {
        return send(404, {}, Buffer.from('not found'));
      }
    }
    const headers = {
      'content-type': mime[extname(file)] ?? 'application/octet-stream',
      'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    };
    const gzip = entry.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip) headers['content-encoding'] = 'gzip';
    return send(200, headers, gzip ? entry.gzip : entry.raw);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: `${origin}${base}`, log, close: () => new Promise((ok) => server.close(ok)) };
}

// ---- One cold load ----

// Each predicate notes the time (ms since navigation start) when it first holds; it is polled every frame.
const ROUTES = {
  explorer: {
    ready: () => window.__explorer?.draws > 0 && ((window.__tReady ??= performance.now()), true),
    async interact(page) {
      const draws = await page.evaluate(() => window.__explorer.draws);
      await page.locator('#explorer input[type="checkbox"]').first().click();
      await page.waitForFunction((d) => window.__explorer.draws > d && ((window.__tDone ??= performance.now()), true), draws, {
        polling: 'raf',
      });
    },
  },
  playground: {
    ready: () =>
      window.__playground?.step !== undefined &&
      document.querySelector('.pg-out__overlay')?.width > 0 &&
      ((window.__tReady ??= performance.now()), true),
    async interact(page) {
      await page.click('.pg-play');
      await page.waitForFunction(() => window.__playground.step > 0 && ((window.__tDone ??= performance.now()), true), null, {
        polling: 'raf',
      });
    },
  },
};

/** Loads url + '#/route' in a new context (an empty cache); returns what it cost. */
export async function coldLoad(browser, url, route) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    const requests = new Map(); // requestId -> { url, bytes, status }
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!e.request.url.startsWith('data:')) requests.set(e.requestId, { url: e.request.url, bytes: 0, status: 0 });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.status = e.response.status;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.bytes = e.encodedDataLength;
    });
    const errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const { ready, interact } = ROUTES[route];
    await page.goto(`${url}#/${route}`);
    await page.waitForFunction(ready, null, { polling: 'raf', timeout: 30000 });
    await interact(page);
    const times = await page.evaluate(() => ({ ready: window.__tReady, interactive: window.__tDone }));
    // Whatever the view fetches after its first frame (e.g. KaTeX fonts) belongs to the first load too.
    await page.waitForLoadState('networkidle');
    if (errors.length) throw new Error(`${route}: the page logged errors: ${errors.join('; ')}`);
    const list = [...requests.values()];
    const failed = list.filter((r) => r.status >= 400);
    if (failed.length) throw new Error(`${route}: ${failed.map((r) => `${r.status} ${r.url}`).join(', ')}`);
    return { requests: list.length, bytes: list.reduce((s, r) => s + r.bytes, 0), ...times, list };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kB = (n) => (n / 1000).toFixed(1);

async function main() {
  const args = process.argv.slice(2);
  let runs = 5;
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--runs' && Number.isInteger(Number(args[i + 1])) && Number(args[i + 1]) > 0) runs = Number(args[++i]);
    else throw new Error(`unknown argument "${args[i]}" (--runs N)`);
  }
  const files = await siteFiles();
  const site = await startGzipSite();
  const browser = await launchBrowser();
  try {
    console.log(
      `first loads of ${site.url}, served with gzip; median of ${runs} cold loads (a new context each) in headless Chromium ${browser.version()}`,
    );
    const rows = [];
    for (const route of Object.keys(ROUTES)) {
      const loads = [];
      for (let i = 0; i < runs; ++i) loads.push(await coldLoad(browser, site.url, route));
      rows.push({ route, loads });
    }
    const header = ['route', 'requests', 'transferred kB', 'ready ms', 'interactive ms', 'interactive ms (each load)'];
    console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
    for (const { route, loads } of rows) {
      console.log(
        `| #/${route} | ${median(loads.map((l) => l.requests))} | ${kB(median(loads.map((l) => l.bytes)))} | ` +
          `${median(loads.map((l) => l.ready)).toFixed(0)} | ${median(loads.map((l) => l.interactive)).toFixed(0)} | ` +
          `${loads.map((l) => l.interactive.toFixed(0)).join(', ')} |`,
      );
    }
    for (const { route, loads } of rows) {
      console.log(`\n#/${route}, first load's requests (bytes transferred):`);
      for (const r of [...loads[0].list].sort((a, b) => b.bytes - a.bytes)) {
        console.log(`  ${kB(r.bytes).padStart(8)} kB  ${r.url.slice(site.url.length) || '(index.html)'}`);
      }
    }
    const raw = files.reduce((s, f) => s + f.raw, 0);
    const gz = files.reduce((s, f) => s + f.gzip, 0);
    console.log(
      `\ndist/: ${files.length} files, ${kB(raw)} kB raw, ${kB(gz)} kB as a gzip host sends them (text and wasm gzipped, woff2 as is)`,
    );
    for (const f of files.slice(0, 6)) console.log(`  ${kB(f.raw).padStart(8)} kB raw ${kB(f.gzip).padStart(8)} kB gzip  ${f.path}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
