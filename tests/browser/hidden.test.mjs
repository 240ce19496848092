// The output panel's hidden space in a real browser: it plots every data point (and the test points when
// shown), picking a unit redraws it, it keeps up while training, the decision line shows where the output
// sees only the two units plotted, the mode, layer and units travel in the link and bad values in a link get
// messages, and axe finds nothing serious, light and dark. Screenshots at 1440 x 900, 1280 x 720 and a
// 390 x 844 phone, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, screenshot, PG_READY, AXE, trainExactly, WIDE } from './harness.mjs';

const LINK = '#/playground?v=1&seed=1&h=4,2&act=relu&lr=0.1';

useSite();

/** The hidden-space picture as drawn: its data-point count, boundary segments, sentence and pixels. */
function picture(page) {
  return page.evaluate(() => {
    const c = document.querySelector('.pg-hidden__plot');
    const box = document.querySelector('.pg-hidden');
    if (!c || box.hidden) return null;
    return {
      points: Number(c.dataset.points ?? -1),
      expected: Number(c.dataset.expected ?? -1),
      boundary: Number(c.dataset.boundary ?? 0),
      note: document.querySelector('.pg-hidden__note').textContent,
      label: c.getAttribute('aria-label'),
      pixels: c.toDataURL(),
    };
  });
}

/** Waits for the page to be paused and settled with a hidden space drawn whose aria-label matches `label`. */
async function drawn(page, label = /./) {
  await page.waitForFunction(
    (source) => {
      const c = document.querySelector('.pg-hidden__plot');
      return window.__playground.settled && c && Number(c.dataset.points) > 0 && new RegExp(source).test(c.getAttribute('aria-label'));
    },
    label.source,
    { timeout: 20000 },
  );
  return picture(page);
}

const state = (page) => page.evaluate(() => window.__playground.state);

test('every data point is drawn; picking a unit redraws; test points join when shown', async () => {
  const { page, errors, context } = await openPage(browser, site, LINK, { viewport: WIDE, waitFor: PG_READY });
  try {
    await trainExactly(page, 200);
    assert.equal(await page.locator('.pg-hidden').isHidden(), true, 'the map is shown until the mode is picked');
    await page.getByRole('checkbox', { name: 'Hidden space' }).check();
    const counts = await page.evaluate(() => window.__playground.pointCounts);
    let p = await drawn(page, /units? 1 .* unit 2/);
    assert.equal(p.points, counts.train, `${p.points} points drawn for ${counts.train} training points`);
    assert.equal(p.expected, counts.train);
    assert.match(
      p.note,
      /^Each point is placed by what units 1 and 2 of layer 1 output for it; .*ReLU folds everything with a negative pre-activation onto the axes/,
    );
    assert.match(
      p.note,
      /coloured by the network's prediction; the decision is no line .* because the layers after this one bend it further/,
    );
    assert.equal(p.boundary, 0);
    assert.equal(await page.locator('.pg-out__stack').isHidden(), true, 'the map makes way for the hidden space');

    // Another unit across: another picture.
    await page.getByLabel('Across', { exact: true }).selectOption('3');
    const q = await drawn(page, /unit 3 \(across/);
    assert.notEqual(q.pixels, p.pixels, 'unit 3 across draws another picture');
    assert.equal(q.points, counts.train);
    // Picking the unit already up swaps the two.
    await page.getByLabel('Up', { exact: true }).selectOption('3');
    const swapped = await state(page);
    assert.deepEqual([swapped.hiddenX, swapped.hiddenY], [2, 3]);

    // The last hidden layer of two units: the decision is a line there.
    await page.getByLabel('Layer', { exact: true }).selectOption('2');
    p = await drawn(page, /layer 2/);
    assert.ok(p.boundary >= 1, `decision segments: ${p.boundary}`);
    assert.match(p.note, /The thick line is the decision boundary/);

    await page.getByLabel('Show test data').check();
    p = await drawn(page, new RegExp(`: ${counts.train + counts.test} data points`));
    assert.equal(p.points, counts.train + counts.test);

    // Live while training: the picture moves and every point stays drawn.
    await page.evaluate(() => window.__playground.pauseAt(undefined));
    await page.click('.pg-play');
    await page.waitForTimeout(1500);
    const live = await picture(page);
    await page.waitForTimeout(800);
    const later = await picture(page);
    await page.click('.pg-play');
    assert.notEqual(later.pixels, live.pixels, 'the picture changes while training');
    assert.equal(later.points, counts.train + counts.test);
    console.log(`# screenshot ${await screenshot(page, 'hidden-1440', { fullPage: false })}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('costly maps are asked less often: 10,000 points through three layers of 32 keep training going', async () => {
  // Each map costs ~100 ms here (every point through the network); the page asks for it again only after
  // 6x its cost, so training keeps most of the worker's time. Printed: steps a second with the map off, on.
  const link = '#/playground?v=1&seed=1&data=spiral&n=10000&h=32,32,32&act=tanh&speed=6';
  const { page, errors, context } = await openPage(browser, site, link, { viewport: WIDE, waitFor: PG_READY });
  try {
    const rate = async () => {
      await page.click('.pg-play');
      await page.waitForTimeout(1500);
      const [s0, t0] = await page.evaluate(() => [window.__playground.step, performance.now()]);
      await page.waitForTimeout(4000);
      const [s1, t1] = await page.evaluate(() => [window.__playground.step, performance.now()]);
      const ms = await page.evaluate(() => window.__playground.gridMs);
      await page.click('.pg-play');
      await page.waitForFunction(() => window.__playground.settled && !window.__playground.playing);
      return { perSecond: ((s1 - s0) * 1000) / (t1 - t0), ms };
    };
    const off = await rate();
    await page.getByRole('checkbox', { name: 'Hidden space' }).check();
    await drawn(page);
    const on = await rate();
    const p = await picture(page);
    console.log(
      `# 10,000 points, 3 x 32 tanh: ${off.perSecond.toFixed(0)} steps/s with the map, ${on.perSecond.toFixed(0)} with the hidden space (last map ${on.ms.toFixed(1)} ms)`,
    );
    assert.equal(p.points, await page.evaluate(() => window.__playground.pointCounts.train));
    assert.ok(on.perSecond > 0.3 * off.perSecond, `training slowed from ${off.perSecond} to ${on.perSecond} steps/s`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the mode, layer and units round-trip through the link', async () => {
  const { page, context } = await openPage(browser, site, `${LINK}&out=hidden&hl=1&hx=4&hy=2`, { viewport: WIDE, waitFor: PG_READY });
  try {
    const p = await drawn(page, /unit 4 \(across.*unit 2 \(up/);
    assert.ok(p.points > 0);
    assert.equal(await page.getByLabel('Discretise output').isVisible(), false, 'discretising means nothing in the hidden space');
    assert.equal(await page.getByLabel('Across', { exact: true }).inputValue(), '4');
    assert.equal(await page.getByLabel('Up', { exact: true }).inputValue(), '2');
    await page.getByLabel('Up', { exact: true }).selectOption('1');
    await drawn(page, /unit 1 \(up/);
    const url = new URL(page.url());
    const query = new URLSearchParams(url.hash.split('?')[1]);
    // hl=1 is the default, which a link leaves out.
    assert.deepEqual([query.get('out'), query.get('hl'), query.get('hx'), query.get('hy')], ['hidden', null, '4', '1']);
    // The same link in a new page: the same picture.
    const again = await openPage(browser, site, url.hash, { viewport: WIDE, waitFor: PG_READY });
    try {
      const s = await state(again.page);
      assert.deepEqual([s.outputMode, s.hiddenLayer, s.hiddenX, s.hiddenY], ['hidden', 1, 4, 1]);
      await drawn(again.page, /unit 4 \(across.*unit 1 \(up/);
    } finally {
      await again.context.close();
    }
    // An embed can hide the menus (hide=hidden-options): the picture stays.
    const embed = await openPage(browser, site, `${url.hash}&hide=hidden-options`, { viewport: WIDE, waitFor: PG_READY });
    try {
      await drawn(embed.page, /unit 4 \(across/);
      assert.equal(await embed.page.getByLabel('Across', { exact: true }).isVisible(), false);
    } finally {
      await embed.context.close();
    }
    // Off again: the keys leave the link.
    await page.getByRole('checkbox', { name: 'Hidden space' }).uncheck();
    await page.waitForFunction(() => !location.hash.includes('out=hidden'));
    assert.doesNotMatch(page.url(), /[?&]h[lxy]=/);
  } finally {
    await context.close();
  }
});

test('bad hidden-space values in a link give messages naming them; a one-unit layer is explained', async () => {
  const cases = [
    ['&out=hidden&hl=5', /hl is layer 5, but the network has 2 hidden layers; showing layer 1/],
    ['&out=hidden&hx=0', /hx must be an integer 1\.\.256, got "0"/],
    ['&out=hidden&hx=7', /hx is unit 7, but layer 1 has 4 units; showing units 1 and 2/],
    ['&out=hidden&hx=3&hy=3', /hy must differ from hx \(both 3\); showing units 1 and 2/],
    ['&out=hidden&hy=two', /hy must be an integer 1\.\.256, got "two"/],
    ['&out=sideways', /out must be one of prediction, regions, hidden; got "sideways"/],
  ];
  for (const [extra, message] of cases) {
    const { page, context } = await openPage(browser, site, LINK + extra, { viewport: WIDE, waitFor: PG_READY });
    try {
      const text = await page.locator('.error-message').first().textContent();
      assert.match(text, message, `${extra}: ${text}`);
      if (extra.includes('out=hidden')) {
        const p = await drawn(page);
        assert.ok(p.points > 0, `${extra}: the picture still draws`);
      }
    } finally {
      await context.close();
    }
  }
  const { page, context } = await openPage(browser, site, '#/playground?v=1&seed=1&h=4,1&out=hidden&hl=2', {
    viewport: WIDE,
    waitFor: PG_READY,
  });
  try {
    await page.waitForFunction(() => /one unit/.test(document.querySelector('.pg-hidden__note')?.textContent ?? ''));
    assert.match(await page.textContent('.pg-hidden__note'), /^Layer 2 has one unit: the hidden space plots two units against each other/);
    assert.equal(await page.getByLabel('Across', { exact: true }).isHidden(), true, 'no unit menus for a layer of one unit');
  } finally {
    await context.close();
  }
});

test('axe: nothing serious with the hidden space on, light and dark; screenshots at three sizes', async () => {
  const serious = [];
  const sizes = [
    ['1440', WIDE],
    ['1280', { width: 1280, height: 720 }],
    ['phone', { width: 390, height: 844 }],
  ];
  for (const colorScheme of ['light', 'dark']) {
    for (const [name, viewport] of sizes) {
      const { page, context } = await openPage(browser, site, `${LINK}&out=hidden&hl=2&test=1`, {
        viewport,
        colorScheme,
        reducedMotion: 'reduce',
        bypassCSP: true,
        waitFor: PG_READY,
      });
      try {
        await trainExactly(page, 300);
        await drawn(page, /layer 2/);
        if (name === '1440') {
          await page.addScriptTag({ path: AXE });
          const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
          for (const v of violations) {
            const where = v.nodes.slice(0, 3).map((n) => n.target.join(' '));
            console.log(`# axe hidden ${colorScheme}: ${v.impact} ${v.id} (${v.nodes.length}): ${where.join(' | ')}`);
            if (v.impact === 'serious' || v.impact === 'critical') serious.push(`${colorScheme}: ${v.id} at ${where.join(', ')}`);
          }
        }
        await page.locator('.pg-output').scrollIntoViewIfNeeded();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `${name} ${colorScheme}: the page scrolls sideways by ${overflow}px`);
        console.log(`# screenshot ${await screenshot(page, `hidden-${name}-${colorScheme}`, { fullPage: name === 'phone' })}`);
      } finally {
        await context.close();
      }
    }
  }
  assert.deepEqual(serious, []);
});

test('keyboard: the mode and the menus work without a pointer', async () => {
  const { page, context } = await openPage(browser, site, LINK, { viewport: WIDE, waitFor: PG_READY });
  try {
    assert.equal(await page.getByLabel('Discretise output').isVisible(), true, 'the prediction map can be discretised');
    await page.getByRole('checkbox', { name: 'Hidden space' }).focus();
    await page.keyboard.press('Space');
    await drawn(page);
    assert.equal(await page.getByLabel('Discretise output').isVisible(), false, 'the hidden space cannot');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), await page.getByLabel('Layer', { exact: true }).getAttribute('id'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await drawn(page, /unit 2 \(across/);
    const s = await state(page);
    assert.deepEqual([s.hiddenX, s.hiddenY], [2, 1], 'ArrowDown on the across menu picks unit 2, and the up menu takes unit 1');
  } finally {
    await context.close();
  }
});
