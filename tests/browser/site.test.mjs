// The built site as a static host serves it, under a sub-path: it loads cleanly, asks no other origin for
// anything, fits a phone, and its navigation works from the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, sidewaysOverflow, tabThrough, screenshot, PHONE, DESKTOP } from './harness.mjs';

useSite();

test('loads under /some/path/ with no console errors and no request to another origin', async () => {
  const { page, errors, origins, requests, context } = await openPage(browser, site, '');
  try {
    await page.waitForFunction(() => window.__explorer?.draws > 0);
    assert.deepEqual(errors, []);
    assert.deepEqual([...origins], [site.origin], `requests went to: ${[...origins].join(', ')}`);
    // Everything it asked for is under the sub-path: relative URLs throughout (Vite base './').
    const outside = requests.filter((url) => !new URL(url).pathname.startsWith('/some/path/'));
    assert.deepEqual(outside, []);
    assert.ok(
      requests.some((url) => url.endsWith('.wasm')),
      'the core .wasm was fetched',
    );
    // The first screen says what the page is and what to do first.
    const lede = await page.textContent('.lede');
    assert.match(lede, /activation functions/i);
    assert.match(lede, /start by/i);
    // No route given: the explorer is shown and the nav says so.
    assert.equal(await page.isVisible('#explorer'), true);
    assert.equal(await page.isHidden('#playground'), true);
    assert.equal(await page.getAttribute('[data-route="explorer"]', 'aria-current'), 'page');
  } finally {
    await context.close();
  }
});

test('a phone viewport has no horizontal scroll on either view', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu,leaky_relu,silu,gelu_tanh', {
      viewport: PHONE,
      colorScheme: scheme,
    });
    try {
      await page.waitForFunction(() => window.__explorer?.draws > 0);
      assert.equal(await sidewaysOverflow(page), 0, `explorer overflows sideways (${scheme})`);
      await page.click('[data-route="playground"]');
      await page.waitForFunction(() => !document.getElementById('playground').hidden);
      await page.waitForTimeout(300);
      assert.equal(await sidewaysOverflow(page), 0, `playground overflows sideways (${scheme})`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('the keyboard reaches the nav, with a visible focus, and switches views', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer');
  try {
    const focused = await tabThrough(page, 3);
    assert.equal(focused[0]?.text, 'Skip to content');
    assert.equal(focused[1]?.text, 'Explorer');
    assert.equal(focused[2]?.text, 'Playground');
    assert.ok(
      focused.slice(0, 3).every((f) => f.focusVisible),
      'focus is visible on each',
    );
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/playground'));
    assert.equal(await page.getAttribute('[data-route="playground"]', 'aria-current'), 'page');
    assert.equal(await page.isHidden('#explorer'), true);
    // Back to the explorer by keyboard: it comes back with the state it had.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/explorer?fn=relu'));
    assert.equal(await page.isVisible('#explorer'), true);
    // The skip link moves focus to the content without touching the route.
    await page.focus('.skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    assert.match(await page.evaluate(() => location.hash), /^#\/explorer/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an unknown route shows the explorer and says so', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/nowhere', { waitFor: () => window.__explorer?.draws > 0 });
  try {
    assert.match(await page.textContent('#app-status'), /no page at "#\/nowhere"/);
    assert.equal(await page.isVisible('#explorer'), true);
    // Following a real route clears the warning.
    await page.click('[data-route="playground"]');
    await page.waitForFunction(() => document.getElementById('app-status').hidden);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('if the core cannot load, the page says so instead of breaking', async () => {
  const { page, context } = await openPage(browser, site, '#/explorer', {
    beforeLoad: (p) => p.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'gone' })),
    waitFor: () => document.getElementById('app-status')?.dataset.kind === 'error',
  });
  try {
    assert.match(await page.textContent('#app-status'), /could not be loaded/);
    assert.equal(await page.isVisible('.site-nav'), true);
  } finally {
    await context.close();
  }
});

test('on a phone the nav keeps its four links on one row', async () => {
  const { page, context } = await openPage(browser, site, '#/playground', { viewport: PHONE });
  try {
    const rows = await page.$$eval('.site-nav a', (links) =>
      links.map((a) => [a.textContent.trim(), Math.round(a.getBoundingClientRect().top)]),
    );
    assert.equal(rows.length, 4, rows.join(' '));
    assert.equal(new Set(rows.map(([, top]) => top)).size, 1, `links on more than one row: ${JSON.stringify(rows)}`);
  } finally {
    await context.close();
  }
});

test('screenshots of the shell: desktop and phone, light and dark', async () => {
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    for (const scheme of ['light', 'dark']) {
      const { page, context } = await openPage(browser, site, '#/explorer', { viewport, colorScheme: scheme });
      try {
        await page.waitForFunction(() => window.__explorer?.draws > 0);
        await screenshot(page, `site-first-screen-${name}-${scheme}`, { fullPage: false });
      } finally {
        await context.close();
      }
    }
  }
});
