// dist/ is the whole site and works wherever it is copied: served with gzip (as static hosts do) under two
// different sub-paths and at a host's root, every route loads with no 404, no console error and no request
// outside the site's own folder; the first load stays within a gzip budget; and a host that sends the .wasm
// with the wrong content type still gets a working page (Emscripten's fallback), at the cost of a second
// request for the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, browser, openPage, DIST } from './harness.mjs';
import { startGzipSite, coldLoad } from '../../scripts/measure-site.mjs';

// First-load budgets (gzip bytes over the wire, headers included). Measured with `npm run measure` on
// 2026-11-29: #/playground 224.2 kB in 11 requests, #/explorer 336.0 kB in 14 (KaTeX and its fonts).
// About 40% headroom: a new dependency or a fat chunk fails here before it reaches a learner's phone.
// 2026-11-30: #/playground 340.3 kB in 14 requests after five features (your own activation, trace, time
// travel, hidden space, seeds): the core grew 181 -> 217 kB gzipped, the page's scripts about 60 kB. The
// playground's budget moves to 360 kB (6% headroom) rather than 40%: what comes next should load the views a
// learner opens later (trace, hidden space, the formula editor) on demand, not raise this again.
const BUDGET = { playground: 360_000, explorer: 480_000 };

const ROUTES = {
  '#/explorer': () =>
    !document.getElementById('explorer').hidden && window.__explorer?.draws > 0 && document.querySelectorAll('#explorer .katex').length > 0,
  '#/playground': () =>
    !document.getElementById('playground').hidden &&
    window.__playground?.step !== undefined &&
    document.querySelector('.pg-out__overlay')?.width > 0,
  '#/lessons/6': () => !document.getElementById('lessons').hidden && document.querySelectorAll('.lesson .katex').length > 0,
  '#/race': () =>
    !document.getElementById('race').hidden && window.__race?.steps?.length > 0 && document.querySelector('.race-map__canvas')?.width > 0,
};

useSite({ serve: false });

for (const base of ['/activation-playground/', '/deeply/nested/sub/path/', '/']) {
  test(`served with gzip at ${base}: every route loads with no 404, no console error, nothing outside ${base}`, async () => {
    const site = await startGzipSite({ base });
    try {
      for (const [hash, ready] of Object.entries(ROUTES)) {
        const from = site.log.length;
        const opened = await openPage(browser, site, hash, { waitFor: ready });
        try {
          await opened.page.waitForLoadState('networkidle');
          const requests = site.log.slice(from);
          assert.ok(requests.length > 3, `${hash}: the page's files were requested (${requests.length})`);
          assert.deepEqual(
            requests.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.path}`),
            [],
            `${hash}: failed requests`,
          );
          assert.deepEqual(
            requests.filter((r) => !r.path.startsWith(base)).map((r) => r.path),
            [],
            `${hash}: requests outside the site`,
          );
          assert.deepEqual(opened.errors, [], `${hash}: console errors`);
          assert.deepEqual([...opened.origins], [site.origin], `${hash}: requests to another origin`);
          assert.equal(new URL(opened.page.url()).pathname, base, `${hash}: the address stays in the site's folder`);
          // The status line ("Loading the computation core…") is gone: the core loaded and the view took over.
          assert.equal(await opened.page.locator('#app-status').isHidden(), true, `${hash}: status line hidden`);
        } finally {
          await opened.context.close();
        }
      }
      // Compression really was on: the wasm and the scripts went out gzipped, smaller than on disk.
      const wasm = site.log.find((r) => r.path.endsWith('.wasm'));
      assert.ok(wasm && wasm.bytes < 250_000, `the .wasm went out gzipped (${wasm?.bytes} bytes)`);
    } finally {
      await site.close();
    }
  });
}

for (const route of ['playground', 'explorer']) {
  test(`first load of #/${route} transfers under ${BUDGET[route] / 1000} kB with gzip`, async () => {
    const site = await startGzipSite({ base: '/some/path/' });
    try {
      const load = await coldLoad(browser, site.url, route);
      console.log(
        `#/${route}: ${load.requests} requests, ${(load.bytes / 1000).toFixed(1)} kB transferred, ready at ${load.ready.toFixed(0)} ms, first control responded at ${load.interactive.toFixed(0)} ms`,
      );
      assert.ok(
        load.list.some((r) => r.url.endsWith('.wasm')),
        'the core was part of the load',
      );
      assert.ok(load.bytes < BUDGET[route], `#/${route} transferred ${load.bytes} bytes, budget ${BUDGET[route]}`);
    } finally {
      await site.close();
    }
  });
}

test('a host that sends the .wasm as application/octet-stream: the page still works, after asking for it twice per instance', async () => {
  // instantiateStreaming refuses any content type but application/wasm; Emscripten's loader then warns and
  // fetches the file again to compile it from an ArrayBuffer (slower: no compiling while downloading).
  const site = await startGzipSite({ base: '/misconfigured/', types: { '.wasm': 'application/octet-stream' } });
  try {
    const opened = await openPage(browser, site, '#/playground', { waitFor: ROUTES['#/playground'] });
    try {
      const { page, errors, warnings } = opened;
      await page.click('.pg-play');
      await page.waitForFunction(() => window.__playground.step > 50, null, { timeout: 30000 });
      await page.click('.pg-play');
      assert.deepEqual(errors, []);
      assert.ok(
        warnings.some((w) => /wasm streaming compile failed.*MIME type/i.test(w)),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) => /falling back to ArrayBuffer instantiation/.test(w)),
        warnings.join('\n'),
      );
      // The core is loaded twice on the playground (the page's own instance for curves, and the training
      // worker's), and each asked for the file twice; the immutable caching a host should send for hashed
      // assets (README, Hosting) lets every later request come from the browser's cache, not the network.
      assert.equal(opened.requests.filter((url) => url.endsWith('.wasm')).length, 4, 'the .wasm was requested twice by each instance');
      assert.equal(site.log.filter((r) => r.path.endsWith('.wasm')).length, 1, 'and sent once');
    } finally {
      await opened.context.close();
    }
  } finally {
    await site.close();
  }
});

test('opened as a file (file://), the page cannot run, and after a few seconds says how to serve it', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`file://${DIST}/index.html#/playground`);
    const hint = page.locator('.app-status__file-hint');
    assert.equal(await hint.isVisible(), false, 'the hint waits: a served page loads well before it shows');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.app-status__file-hint')).visibility === 'visible', null, {
      timeout: 10000,
    });
    assert.match(await page.textContent('#app-status'), /python3 -m http\.server/);
    assert.equal(await page.evaluate(() => window.__playground), undefined, 'the modules really did not run');
  } finally {
    await context.close();
  }
});
