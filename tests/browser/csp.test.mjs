// The content policy shipped in dist/index.html is strict (no inline script, no eval beyond what
// WebAssembly needs, same origin only) and the site works under it: every view loads and runs with no
// 'securitypolicyviolation' event, no console error, and no request to another origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useSite, site, browser, openPage, DIST } from './harness.mjs';

useSite();

const EXPECTED = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

/** Records every policy violation from the first script on, before the page's own code runs. */
function recordViolations(page) {
  return page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

async function openStrict(hash, waitFor, options = {}) {
  return openPage(browser, site, hash, { beforeLoad: recordViolations, waitFor, ...options });
}

async function assertClean(opened, label) {
  const { page, errors, origins } = opened;
  assert.deepEqual(await page.evaluate(() => window.__violations), [], `${label}: policy violations`);
  assert.deepEqual(errors, [], `${label}: console errors`);
  assert.deepEqual([...origins], [site.origin], `${label}: requests went to ${[...origins].join(', ')}`);
}

test('dist/index.html carries the policy in a meta tag, before any script, and has no inline script', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.ok(meta, 'the CSP meta tag is in the built page');
  const directives = Object.fromEntries(
    meta[1]
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );
  assert.deepEqual(directives, EXPECTED);
  assert.ok(html.indexOf(meta[0]) < html.indexOf('<script'), 'the policy comes before the first script');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length > 0);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /\ssrc="\.\//, 'every script is a file of this site');
    assert.equal(body.trim(), '', 'no inline script body');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler attribute');
});

test('the policy is in force: an inline script and eval are both refused', async () => {
  // DevTools' own evaluation is exempt from the page's policy, so the probe must be a script of the page:
  // a same-origin file (routed, not in dist/) that tries eval and new Function, and an inline script.
  const probe = `${site.url}__csp-probe.js`;
  // The probe is routed: with the offline worker in control, its request would bypass the route (a race
  // with the worker's activation that CI lost once).
  const opened = await openStrict('#/explorer', () => window.__explorer?.draws > 0, { serviceWorkers: 'block' });
  try {
    const { page } = opened;
    await page.route(probe, (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.__probe = { evalRefused: false, functionRefused: false };
        try { (0, eval)('1 + 1'); } catch { window.__probe.evalRefused = true; }
        try { new Function('return 1')(); } catch { window.__probe.functionRefused = true; }`,
      }),
    );
    await page.evaluate((src) => {
      const file = document.createElement('script');
      file.src = src;
      document.body.append(file);
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.append(inline);
    }, probe);
    await page.waitForFunction(() => window.__probe !== undefined);
    const result = await page.evaluate(() => ({ ...window.__probe, inlineRan: window.__inlineRan === true }));
    assert.deepEqual(result, { evalRefused: true, functionRefused: true, inlineRan: false });
    await page.waitForFunction(() => window.__violations.length >= 3);
    const directives = await page.evaluate(() => window.__violations.map((v) => v.split(' ')[0]));
    assert.ok(
      directives.every((d) => d === 'script-src-elem' || d === 'script-src'),
      directives.join(', '),
    );
    // The core itself loaded under this policy: compiling WebAssembly needs only 'wasm-unsafe-eval'.
    assert.ok(opened.requests.some((url) => url.endsWith('.wasm')));
  } finally {
    await opened.context.close();
  }
});

test('explorer: plots and reacts to a control with no violation, no error, same origin only', async () => {
  const opened = await openStrict('#/explorer?fn=relu,leaky_relu,silu,gelu_tanh', () => window.__explorer?.draws > 0);
  try {
    await opened.page.waitForFunction(() => document.querySelectorAll('#explorer .katex').length > 0);
    const draws = await opened.page.evaluate(() => window.__explorer.draws);
    const box = opened.page.locator('#explorer input[type="checkbox"]').first();
    await box.click();
    await opened.page.waitForFunction((d) => window.__explorer.draws > d, draws);
    await assertClean(opened, 'explorer');
  } finally {
    await opened.context.close();
  }
});

test('playground: trains (map, charts, network drawn) with no violation, no error, same origin only', async () => {
  const opened = await openStrict(
    '#/playground',
    () => window.__playground?.step !== undefined && document.querySelector('.pg-out__overlay')?.width > 0,
  );
  try {
    const { page } = opened;
    await page.click('.pg-play');
    await page.waitForFunction(() => window.__playground.step > 200, null, { timeout: 30000 });
    await page.click('.pg-play');
    await assertClean(opened, 'playground');
  } finally {
    await opened.context.close();
  }
});

test('lessons: a lesson with formulas renders and loads its preset with no violation', async () => {
  const opened = await openStrict('#/lessons/1', () => document.querySelectorAll('.lesson .katex').length > 0);
  try {
    const { page } = opened;
    await page.click('.lessons__toc a:has-text("Vanishing gradients")');
    await page.waitForFunction(() => document.querySelectorAll('.lesson .katex').length > 0);
    await assertClean(opened, 'lessons');
  } finally {
    await opened.context.close();
  }
});

test('race: four networks race with no violation, no error, same origin only', async () => {
  const opened = await openStrict(
    '#/race?v=1&seed=5&data=circle&h=4,2&vary=act&runs=relu,leaky_relu,prelu,elu',
    () => window.__race?.steps?.length > 0 && document.querySelector('.race-map__canvas')?.width > 0,
  );
  try {
    const { page } = opened;
    await page.click('.race .pg-play');
    await page.waitForFunction(() => window.__race.steps.every((s) => s >= 100), null, { timeout: 30000 });
    if (await page.evaluate(() => window.__race.playing)) await page.click('.race .pg-play');
    await assertClean(opened, 'race');
  } finally {
    await opened.context.close();
  }
});
