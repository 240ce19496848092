// Offline (issue 13, item 4): after a first visit every route works with no network, the site is
// installable (manifest and icons), and a new build is downloaded on the next visit, said so, and used
// from the visit after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSite, site, browser, startSite, DIST, PG_READY, RACE_READY } from './harness.mjs';

useSite();

const controlled = () => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined;

/** A first visit that ends with the service worker in control of the page (it claims it once installed). */
async function firstVisit(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(controlled, null, { timeout: 30000 });
  return page;
}

test('after one visit every route works offline, under the sub-path', async () => {
  const context = await browser.newContext();
  const errors = [];
  try {
    const page = await firstVisit(context, `${site.url}#/explorer`);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names[0]);
      return { names, files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
    });
    assert.equal(cached.names.length, 1);
    assert.ok(cached.files.includes('/some/path/index.html'), 'the page itself is cached');
    assert.ok(
      cached.files.some((f) => f.endsWith('.wasm')),
      'the core is cached',
    );
    assert.ok(
      cached.files.every((f) => f.startsWith('/some/path/')),
      'only the site folder',
    );

    await context.setOffline(true);
    await page.reload();
    for (const [hash, ready] of [
      ['#/explorer?fn=relu,tanh', () => window.__explorer?.state?.fns?.length === 2],
      ['#/playground?h=3', PG_READY],
      ['#/lessons/6', () => document.querySelector('.lesson[data-lesson="6"] h1') !== null],
      ['#/lessons/article', () => /article/i.test(document.querySelector('#lesson-title')?.textContent ?? '')],
      ['#/race', RACE_READY],
    ]) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await page.waitForFunction(ready, null, { timeout: 30000 });
    }
    // The playground trains offline.
    await page.evaluate(() => {
      location.hash = '#/playground?h=3';
    });
    await page.waitForFunction(PG_READY);
    await page.click('.pg-play');
    await page.waitForFunction(() => window.__playground.step > 50, null, { timeout: 30000 });
    await page.click('.pg-play');
    // A fresh tab with no network opens straight from the cache.
    const second = await context.newPage();
    await second.goto(`${site.url}#/lessons/3`);
    await second.waitForSelector('.lesson[data-lesson="3"] h1');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('installable: the manifest names the site and its icons, and Chromium finds nothing missing', async () => {
  const context = await browser.newContext();
  try {
    const page = await firstVisit(context, site.url);
    const href = await page.getAttribute('link[rel="manifest"]', 'href');
    const manifestUrl = new URL(href, page.url());
    const manifest = await (await fetch(manifestUrl)).json();
    assert.equal(manifest.name, 'Activation Playground');
    assert.equal(manifest.start_url, './');
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, manifestUrl));
      assert.equal(res.status, 200, icon.src);
      assert.equal(res.headers.get('content-type'), icon.type === 'image/svg+xml' ? 'image/svg+xml' : 'image/png');
    }
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // A test's browser context is incognito, where Chromium installs nothing: that one is about the
    // browser, not the site; any other (a missing icon, no service worker, a bad start_url) is the site's.
    const siteErrors = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
    assert.deepEqual(siteErrors, [], 'Chromium would offer to install it');
  } finally {
    await context.close();
  }
});

test('a new build is downloaded on the next visit and says so; the visit after uses it and says so', async () => {
  // Two builds: dist/ as it is, and a copy whose service worker (so its version) differs.
  const dir = await mkdtemp(join(tmpdir(), 'ap-offline-'));
  await cp(DIST, dir, { recursive: true });
  let served = await startSite({ root: dir });
  const context = await browser.newContext();
  try {
    const url = `${served.url}#/explorer`;
    const first = await firstVisit(context, url);
    await first.waitForFunction(() => localStorage.getItem('activation-playground-version') !== null);
    const oldVersion = await first.evaluate(() => localStorage.getItem('activation-playground-version'));
    assert.match(oldVersion ?? '', /^[0-9a-f]{12}$/);
    await first.close();

    // The host now serves a new build (the same port, another service worker).
    const port = new URL(served.url).port;
    await served.close();
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    await writeFile(join(dir, 'sw.js'), sw.replace(/const VERSION = "([0-9a-f]{12})"/, 'const VERSION = "0123456789ab"'));
    served = await startSiteOn(dir, Number(port));

    const second = await context.newPage();
    await second.goto(url);
    await second.waitForFunction(() => /new version .* downloaded/.test(document.getElementById('app-status').textContent), null, {
      timeout: 30000,
    });
    await second.close();

    // The next visit: the new worker has taken over, and the page says the site was updated.
    const third = await context.newPage();
    await third.goto(url);
    await third.waitForFunction(
      () => /updated since your last visit \(version 0123456789ab\)/.test(document.getElementById('app-status').textContent),
      null,
      {
        timeout: 30000,
      },
    );
  } finally {
    await context.close();
    await served.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** startSite on a given port (the same origin as before, so the same service worker registration). */
async function startSiteOn(root, port) {
  for (let i = 0; i < 20; ++i) {
    const s = await startSite({ root, port }).catch(() => null);
    if (s) return s;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`port ${port} did not come free`);
}
