// The playground as an instrument (issue 11, items 1 to 3): everything that matters on the first screen of
// a laptop (1440x900) and a projector (1280x720), a 12-layer network of 16 units that fits its panel with
// readable text, weights, biases, inputs and units that can be touched (by mouse and by keyboard), and
// failures explained: a stalled run, a dead layer, a collapse after a live change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, openPage, screenshot, sidewaysOverflow, trainExactly, PHONE } from './harness.mjs';

let site;
let browser;
before(async () => {
  site = await startSite();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const LAPTOP = { width: 1440, height: 900 };
const PROJECTOR = { width: 1280, height: 720 };
const DEEP = '#/playground?h=16,16,16,16,16,16,16,16,16,16,16,16';
const READY = () =>
  window.__playground?.step !== undefined &&
  document.querySelector('.pg-out__overlay')?.width > 0 &&
  document.querySelector('.pg-net__links')?.width > 1;
const pg = (page, expression) => page.evaluate(`window.__playground.${expression}`);

async function open(hash, options = {}) {
  const opened = await openPage(browser, site, hash, { waitFor: READY, ...options });
  await opened.page.waitForTimeout(300); // the layout settles (the diagram sizes itself to its panel)
  return opened;
}

/** The bounding boxes of the first screen's panels, and the viewport. */
function firstScreen(page) {
  return page.evaluate(() => {
    const box = (sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { sel, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    return {
      width: window.innerWidth,
      height: window.innerHeight,
      header: box('.site-header'),
      boxes: ['.pg-toolbar', '.pg-data', '.pg-network', '.pg-out__stack', '.pg-charts .pg-chart'].map(box),
    };
  });
}

/** What the diagram shows of itself: overflow, headers clipped or not, the smallest text. */
function diagramFit(page) {
  return page.evaluate(() => {
    const scroll = document.querySelector('.pg-net__scroll');
    const area = scroll.getBoundingClientRect();
    const heads = [...document.querySelectorAll('.pg-net__header')];
    const clipped = [];
    for (const head of heads) {
      const r = head.getBoundingClientRect();
      if (r.left < area.left - 0.5 || r.right > area.right + 0.5 || r.top < area.top - 0.5 || r.bottom > area.bottom + 0.5)
        clipped.push(`${head.textContent}: outside the panel`);
      for (const el of head.querySelectorAll('span')) {
        if (el.scrollWidth > el.clientWidth + 1) clipped.push(`${el.textContent}: cut (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    let smallest = Infinity;
    for (const el of document.querySelectorAll('.pg-net__stage *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest('.visually-hidden') || el.getClientRects().length === 0) continue;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
    }
    return {
      overflow: scroll.scrollWidth - scroll.clientWidth,
      headers: heads.length,
      clipped,
      smallest,
      units: document.querySelectorAll('.pg-net__unit').length,
      node: document.querySelector('.pg-net__unit')?.getBoundingClientRect().width,
    };
  });
}

for (const [name, viewport] of [
  ['1440x900', LAPTOP],
  ['1280x720', PROJECTOR],
]) {
  test(`${name}: the toolbar, the data, the network, the output map and the loss curve are all on the first screen`, async () => {
    const { page, errors, context } = await open('#/playground', { viewport });
    try {
      const s = await firstScreen(page);
      assert.ok(s.header.bottom <= 48, `the header is compact on a tool view: ${s.header.bottom} px`);
      for (const b of s.boxes) {
        assert.ok(
          b.top >= 0 && b.left >= 0 && b.bottom <= s.height && b.right <= s.width,
          `${b.sel} is within the ${s.width}x${s.height} viewport: ${JSON.stringify(b)}`,
        );
      }
      const fit = await diagramFit(page);
      assert.ok(fit.node > 38, `unit maps larger than 38 px where there is room: ${fit.node}`);
      assert.equal(await sidewaysOverflow(page), 0);
      await screenshot(page, `instrument-${name}-light`, { fullPage: false });
      // The status line, with four-digit steps: where it wraps, it breaks between phrases ("Epoch 54" on a
      // line of its own), never inside one ("Test" at the end of a line, "accuracy 99%" on the next).
      await trainExactly(page, 1500);
      const phrases = await page.$$eval('.pg-toolbar__status .phrase', (els) => els.map((e) => [e.textContent, e.getClientRects().length]));
      assert.equal(phrases.length, 5, JSON.stringify(phrases));
      assert.deepEqual(
        phrases.filter(([, lines]) => lines !== 1),
        [],
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    const dark = await open('#/playground', { viewport, colorScheme: 'dark' });
    try {
      // Dark, with a weight being edited: the value in place, over the diagram.
      await dark.page.focus('.pg-net__links');
      await dark.page.keyboard.press('Enter');
      await dark.page.keyboard.type('1.5');
      await screenshot(dark.page, `instrument-${name}-dark-weight-edit`, { fullPage: false });
      await dark.page.keyboard.press('Escape');
      assert.deepEqual(dark.errors, []);
    } finally {
      await dark.context.close();
    }
  });

  test(`${name}: 12 hidden layers of 16 units fit the network panel, every header whole, text at least 11 px`, async () => {
    for (const colorScheme of ['light', 'dark']) {
      const { page, errors, context } = await open(DEEP, { viewport, colorScheme });
      try {
        const fit = await diagramFit(page);
        assert.equal(fit.units, 12 * 16);
        assert.equal(fit.headers, 14, 'inputs, 12 layers and the output head');
        assert.ok(fit.overflow <= 0, `no sideways scroll in the network panel: ${fit.overflow} px`);
        assert.deepEqual(fit.clipped, []);
        assert.ok(fit.smallest >= 11, `smallest text in the diagram: ${fit.smallest} px`);
        assert.equal(await sidewaysOverflow(page), 0);
        await screenshot(page, `instrument-${name}-12-layers-${colorScheme}`, { fullPage: false });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });
}

test('phone: one column, nothing scrolls sideways, the deep network scrolls in its own box', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await open(DEEP, { viewport: PHONE, colorScheme, hasTouch: true });
    try {
      assert.equal(await sidewaysOverflow(page), 0);
      const columns = await page.evaluate(
        () => getComputedStyle(document.querySelector('.pg-layout')).gridTemplateColumns.split(' ').length,
      );
      assert.equal(columns, 1);
      await screenshot(page, `instrument-phone-12-layers-${colorScheme}`);
      await page.focus('.pg-net__unit >> nth=3');
      await page.waitForFunction(() => /Layer 1, unit 4/.test(document.querySelector('.pg-out__focus').textContent));
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `instrument-phone-unit-enlarged-${colorScheme}`, { fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

// ---- Touching the network ----

/** Whether this build's core can set one parameter (Session.setParameter, from the core's typed setters). */

test('a weight, by keyboard: the arrows move over the weights and biases with their values announced, Enter edits, training goes on from it, Undo puts it back', async () => {
  const { page, errors, context } = await open('#/playground', { viewport: PROJECTOR });
  try {
    await page.focus('.pg-net__links');
    assert.match(
      await page.textContent('.pg-net .visually-hidden[aria-live]'),
      /^Weight from x₁ to layer 1 unit 1: -?[\d.]+ \(1 of \d+\)$/,
    );
    await page.keyboard.press('ArrowDown');
    assert.match(await page.textContent('.pg-net .visually-hidden[aria-live]'), /^Weight from x₂ to layer 1 unit 1: .* \(2 of \d+\)$/);
    await page.keyboard.press('ArrowDown');
    assert.match(await page.textContent('.pg-net .visually-hidden[aria-live]'), /^Bias of layer 1 unit 1: /, 'biases are on the way too');
    await page.keyboard.press('ArrowUp');
    const { index } = await pg(page, 'parameter()');
    const old = (await pg(page, 'weights()'))[index];
    await page.keyboard.press('Enter');
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('pg-net__edit')), 'Enter opens the value in place');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2.5');
    await screenshot(page, 'instrument-weight-edit-1280x720-light', { fullPage: false });
    await page.keyboard.press('Enter');
    // The core's typed setter took it (the message follows the worker's answer): no refusal on screen.
    await page.waitForFunction(
      (i) => window.__playground.weights()[i] === 2.5 && /Set the weight/.test(document.querySelector('.pg-messages').textContent),
      index,
      {
        timeout: 10000,
      },
    );
    const said = await page.textContent('.pg-messages');
    assert.doesNotMatch(said, /not applied|is not a function/);
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('pg-net__links')), 'focus comes back to the diagram');
    assert.match(said, /Set the weight from x₂ to layer 1 unit 1 to 2\.5/);
    // Training continues from the edited value: one step moves it only a little.
    await page.click('button:has-text("Step")');
    await page.waitForFunction(() => window.__playground.step === 1);
    const after = (await pg(page, 'weights()'))[index];
    assert.ok(Math.abs(after - 2.5) < 0.5, `one step from 2.5: ${after}`);
    await page.click('.pg-undo');
    await page.waitForFunction(([i, v]) => window.__playground.weights()[i] === v, [index, old]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a weight, by mouse: a click on its line opens its value; Escape leaves it as it was', async () => {
  const { page, errors, context } = await open('#/playground', { viewport: LAPTOP });
  try {
    const before = await pg(page, 'weights()');
    // The middle of the first output weight (layer 2 unit 1 to the output): found from the drawn geometry.
    const box = await page.locator('.pg-net__output').boundingBox();
    const unit = await page.locator('.pg-net__unit').nth(4).boundingBox();
    const x = (unit.x + unit.width + box.x) / 2;
    await page.mouse.click(
      x,
      await page.evaluate(
        ([x0, y0, x1, y1, px]) => {
          const u = (px - x0) / (x1 - x0);
          let t = u;
          for (let k = 0; k < 6; ++k) t -= (1.5 * t - 1.5 * t * t + t * t * t - u) / (1.5 - 3 * t + 3 * t * t);
          return y0 + (y1 - y0) * (3 * t * t - 2 * t * t * t);
        },
        [unit.x + unit.width, unit.y + unit.height / 2, box.x, box.y + box.height / 2, x],
      ),
    );
    const label = await page.getAttribute('.pg-net__edit', 'aria-label');
    assert.match(label, /^New value of the weight from layer 2 unit 1 to the output/);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.pg-net__edit').count(), 0);
    assert.deepEqual(await pg(page, 'weights()'), before);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('hover or focus a unit: its map is drawn large in the output panel with its own legend, until it is left; one colour scale is an option', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await open('#/playground', { viewport: LAPTOP, colorScheme });
    try {
      await page.hover('.pg-net__unit >> nth=1');
      await page.waitForFunction(() => /Layer 1, unit 2/.test(document.querySelector('.pg-out__focus').textContent));
      assert.match(await page.textContent('.pg-out__legend'), /its own scale/);
      await page.waitForTimeout(200);
      await screenshot(page, `instrument-unit-enlarged-1440x900-${colorScheme}`, { fullPage: false });
      await page.mouse.move(5, 300);
      await page.waitForFunction(() => document.querySelector('.pg-out__focus').textContent === '');
      assert.match(await page.textContent('.pg-out__legend'), /class 0/);
      await page.check('text=One colour scale for all units');
      await page.focus('.pg-net__unit >> nth=4');
      await page.waitForFunction(() => /Layer 2, unit 1/.test(document.querySelector('.pg-out__focus').textContent));
      assert.match(await page.textContent('.pg-out__legend'), /one scale for all units/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("inputs are nodes with their own maps, switched on and off by a click or Enter; a layer's header opens its editor", async () => {
  const { page, errors, context } = await open('#/playground', { viewport: PROJECTOR });
  try {
    assert.equal(await page.locator('.pg-net__input').count(), 7);
    assert.equal(await page.getAttribute('[data-key="in-x1sq"]', 'aria-pressed'), 'false');
    await page.click('[data-key="in-x1sq"]');
    await page.waitForFunction(() => window.__playground.state.features.includes('x1sq'));
    assert.equal(await page.getAttribute('[data-key="in-x1sq"]', 'aria-pressed'), 'true');
    await page.hover('[data-key="in-x1sq"]');
    await page.waitForFunction(() => /The input x₁²/.test(document.querySelector('.pg-out__focus').textContent));
    await page.focus('[data-key="in-x1"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !window.__playground.state.features.includes('x1'));
    // A layer's controls sit behind its compact header.
    await page.focus('[data-key="head-0"]');
    await page.keyboard.press('Enter');
    assert.equal(await page.isVisible('.pg-net__editor'), true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the focused "+": one more unit
    await page.waitForFunction(() => window.__playground.state.layers[0] === 5);
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('.pg-net__editor'), false);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.key), 'head-0');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the eraser removes the point nearest the cross, by keyboard', async () => {
  const { page, errors, context } = await open('#/playground', { viewport: PROJECTOR });
  try {
    await page.click('button:has-text("Erase points")');
    await page.focus('.pg-out__overlay');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => window.__playground.state.dataset === 'custom');
    assert.equal((await pg(page, 'state')).points.length, 499);
    assert.match(await page.textContent('.pg-messages'), /Erased the point at .*: 499 points now/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ---- Failures explained ----

test('|x| with seed 1: the stall is explained (a dead unit in layer 2), and no kink is claimed where the fit does not bend', async () => {
  const { page, errors, context } = await open('#/playground?data=abs&seed=1&speed=6', { viewport: PROJECTOR });
  try {
    await page.click('.pg-play');
    await page.waitForFunction(() => document.querySelector('.pg-banner')?.dataset.kind === 'stall', null, {
      timeout: 120000,
      polling: 250,
    });
    const text = await page.textContent('.pg-banner');
    assert.match(text, /stalled|stuck/);
    assert.match(text, /layer 2/);
    for (const action of ['Try another seed', 'Use leaky ReLU', 'Lower the learning rate']) assert.ok(text.includes(action), action);
    if (await pg(page, 'playing')) await page.click('.pg-play');
    await page.waitForTimeout(300);
    await screenshot(page, 'instrument-stall-abs-seed1-1280x720-light', { fullPage: false });
    // The bends of the fitted curve itself, from a fine grid of the network's output.
    const grid = await page.evaluate(() => window.__playground.heatmap({ width: 480, height: 1, xMin: -6, xMax: 6, yMin: -6, yMax: 6 }));
    const span = Math.max(...grid) - Math.min(...grid) || 1;
    let bends = 0;
    for (let i = 2; i < grid.length - 3; ++i) {
      const before = grid[i] - grid[i - 1];
      const after = grid[i + 2] - grid[i + 1];
      if (Math.abs(after - before) > (0.02 * span) / grid.length) {
        bends += 1;
        i += 2;
      }
    }
    const note = await page.textContent('.pg-out__kinks');
    const claimed = Number(note.match(/(\d+) kinks? in view/)?.[1] ?? 0);
    assert.ok(claimed <= bends, `the plot claims ${claimed} kinks; the fit bends ${bends} times: "${note}"`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// At the fastest speed one round can train past the whole window in which a collapse is looked for.
for (const [speed, hash] of [
  ['the default speed', '#/playground'],
  ['the fastest speed', '#/playground?speed=6'],
])
  test(`a learning rate of 3 while the circle trains at ${speed}: the collapse banner says so, and "Undo the change" restores the rate`, async () => {
    const { page, errors, context } = await open(hash, { viewport: PROJECTOR });
    try {
      await page.click('.pg-play');
      await page.waitForFunction(() => window.__playground.losses().testLoss.at(-1) < 0.2 && window.__playground.step > 300, null, {
        timeout: 60000,
        polling: 100,
      });
      await page.getByLabel('Learning rate').selectOption('3');
      await page.waitForTimeout(300);
      assert.doesNotMatch(await page.textContent('.pg-messages'), /not applied|is not a function/);
      await page.waitForFunction(() => document.querySelector('.pg-banner')?.dataset.kind === 'collapse', null, {
        timeout: 30000,
        polling: 100,
      });
      const text = await page.textContent('.pg-banner');
      assert.match(text, /Training collapsed after you changed the learning rate from 0\.03 to 3: /);
      assert.equal(await pg(page, 'playing'), false, 'paused');
      if (hash === '#/playground') await screenshot(page, 'instrument-collapse-1280x720-light', { fullPage: false });
      await page.click('.pg-banner button:has-text("Undo the change")');
      await page.waitForFunction(() => window.__playground.state.learningRate === 0.03);
      assert.equal(await page.isVisible('.pg-banner'), false, await page.textContent('.pg-banner'));
      assert.equal(await page.getByLabel('Learning rate').inputValue(), '0.03');
      // The weights come back too (a rate of 3 kills units that 0.03 never revives): training goes on well.
      await page.waitForTimeout(1500);
      assert.equal(await page.isVisible('.pg-banner'), false, await page.textContent('.pg-banner'));
      assert.ok((await pg(page, 'losses()')).testLoss.at(-1) < 0.3, 'the network is the good one again');
      if (await pg(page, 'playing')) await page.click('.pg-play');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
