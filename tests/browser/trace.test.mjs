// Trace a point: click a data point and the network diagram shows its forward pass and one backward step.
// The numbers on the page are the engine's trace op's (the core's forward and backward on that point); the
// trace plays and pauses and steps by keyboard, a point can be picked with the arrow keys, reduced motion
// starts it paused, axe finds nothing serious, and the panel fits at 1440, 1280 and a 390 px phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AXE, axe, useSite, site, browser, openPage, screenshot, sidewaysOverflow, PG_READY, trainExactly } from './harness.mjs';

useSite();

const HASH = '#/playground?v=1&seed=3&h=4,3&act=relu&lr=0.1';

/** The engine's trace, the page's trace and the panel's stage, once a trace is on show. */
async function shown(page) {
  await page.waitForFunction(() => window.__playground.trace() !== null && !document.querySelector('.pg-trace').hidden, null, {
    timeout: 10000,
  });
  return page.evaluate(() => window.__playground.trace());
}

/** The table the panel shows now: { caption, rows: [[full values...]] } from each cell's data-value. */
function table(page) {
  return page.evaluate(() => {
    const t = document.querySelector('.pg-trace__table');
    return {
      caption: t.querySelector('caption')?.textContent ?? '',
      rows: [...t.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value)),
      ),
      on: [...t.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild.textContent),
    };
  });
}

/** What the table must hold at a stage, from the engine's trace (stages as in web/js/playground/trace-view.js). */
function expected(trace, stage) {
  const L = trace.layers.length;
  if (stage === 0) return trace.features.map((v) => [v]);
  const forward = stage <= L;
  const l = forward ? stage - 1 : 2 * L - stage;
  const t = trace.layers[l];
  const cols = forward ? [t.z, t.a, t.slope] : [t.dA, t.dZ, t.dB];
  return Array.from({ length: t.units }, (_, j) => cols.map((c) => c[j]));
}

test("a clicked point is traced: every number in the panel is the engine trace op's, and the keyboard steps it", async () => {
  const { page, errors, context } = await openPage(browser, site, HASH, {
    viewport: { width: 1440, height: 900 },
    waitFor: PG_READY,
    bypassCSP: true,
  });
  try {
    await trainExactly(page, 60);
    const target = await page.evaluate(() => window.__playground.trainPointOnScreen(5));
    await page.mouse.click(target.x, target.y);
    const trace = await shown(page);
    assert.deepEqual(trace.point, target.point, 'the clicked point is traced');
    assert.equal(trace.step, 60);
    const engine = await page.evaluate((p) => window.__playground.tracePoint(p), target.point);
    for (const key of ['step', 'loss', 'features', 'prediction', 'layers']) assert.deepEqual(trace[key], engine[key], key);
    assert.equal(trace.layers.length, 3);
    assert.deepEqual(
      trace.layers.map((l) => l.units),
      [4, 3, 1],
    );
    assert.match(await page.textContent('.pg-trace__title'), /weights at step 60/);
    assert.equal(trace.playing, true, 'it plays at once (no reduced motion asked)');

    // Pause by keyboard, then walk every stage with the arrow keys and the Next button.
    await page.focus('.pg-trace__play');
    await page.keyboard.press('Enter');
    assert.equal((await page.evaluate(() => window.__playground.trace())).playing, false, 'Enter on Pause pauses');
    const stages = trace.stages;
    assert.equal(stages, 7);
    // Back to the start with the left arrow, wherever the animation had got to.
    for (let i = 0; i < stages; ++i) await page.keyboard.press('ArrowLeft');
    assert.equal((await page.evaluate(() => window.__playground.trace())).stage, 0);
    for (let stage = 0; stage < stages; ++stage) {
      const now = await page.evaluate(() => window.__playground.trace());
      assert.equal(now.stage, stage);
      const shownTable = await table(page);
      assert.deepEqual(shownTable.rows, expected(engine, stage), `stage ${stage}: ${shownTable.caption}`);
      if (stage >= 1 && stage <= 2) {
        const l = engine.layers[stage - 1];
        assert.deepEqual(
          shownTable.on,
          l.on.map((v) => (v ? 'on' : 'off')),
          'on/off per unit',
        );
      }
      await page.keyboard.press('ArrowRight');
    }
    assert.equal((await page.evaluate(() => window.__playground.trace())).stage, stages - 1, 'the last stage stays');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await page.evaluate(() => window.__playground.trace())).stage, stages - 2);
    // Step forward with the Next button from the keyboard.
    await page.focus('.pg-trace button[aria-label="Next: step forward one layer"]');
    await page.keyboard.press('Enter');
    assert.equal((await page.evaluate(() => window.__playground.trace())).stage, stages - 1);

    // A unit's tip gives its numbers at the backward stage (layer 1, unit 1 at the last stage).
    await page.hover('[data-key="u-0-0"]');
    const tip = await page.textContent('#pg-net-tip');
    assert.ok(tip.includes('∂L/∂z'), tip);

    // axe with the trace and its numbers open.
    await page.click('.pg-trace__numbers summary');
    await page.addScriptTag({ path: AXE });
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 1));
    console.log(`# screenshot ${await screenshot(page, 'trace-1440', { fullPage: false })}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    console.log(`# screenshot ${await screenshot(page, 'trace-1440-dark', { fullPage: false })}`);

    // Escape closes; focus returns to the Trace a point button.
    await page.focus('.pg-trace__play');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => window.__playground.trace()), null);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('pg-trace-pick')), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a point picked with the arrow keys is traced; reduced motion starts the trace paused', async () => {
  const { page, errors, context } = await openPage(browser, site, HASH, {
    viewport: { width: 1280, height: 720 },
    waitFor: PG_READY,
    reducedMotion: 'reduce',
  });
  try {
    await trainExactly(page, 30);
    // Escape stops picking and gives focus back to the button; Enter on it picks again.
    await page.focus('.pg-trace-pick');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('pg-trace-pick')), true);
    assert.equal(await page.getAttribute('.pg-trace-pick', 'aria-pressed'), 'false');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('.pg-trace-pick', 'aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('pg-out__overlay')), true, 'the map takes focus');
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp', 'ArrowLeft']) await page.keyboard.press(key);
    const said = await page.textContent('.pg-out__readout');
    assert.match(said, /Training point \d+: .*Enter traces it/);
    const index = Number(said.match(/Training point (\d+)/)[1]) - 1;
    await page.keyboard.press('Enter');
    const trace = await shown(page);
    const picked = await page.evaluate((i) => window.__playground.trainPointOnScreen(i).point, index);
    assert.deepEqual(trace.point, picked, 'the point the readout named is traced');
    assert.equal(trace.playing, false, 'reduced motion: no animation until asked');
    assert.equal(trace.stage, 0);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('pg-trace__play')), true, 'focus moves to the trace');
    await page.keyboard.press('ArrowRight');
    assert.equal((await page.evaluate(() => window.__playground.trace())).stage, 1);
    for (let i = 0; i < 5; ++i) await page.keyboard.press('ArrowRight');
    console.log(`# screenshot ${await screenshot(page, 'trace-1280', { fullPage: false })}`);

    // Training goes on: the trace keeps the weights it was taken at and says so; Trace again takes the new ones.
    await trainExactly(page, 45);
    await page.waitForFunction(() => /step 45/.test(document.querySelector('.pg-trace__now').textContent));
    await page.click('.pg-trace button:text("Trace again")');
    await page.waitForFunction(() => window.__playground.trace()?.step === 45);
    assert.equal(await page.textContent('.pg-trace__now'), '');
    // A weight set by hand: the trace says its numbers are of the weights before.
    await page.focus('.pg-net__links');
    await page.keyboard.press('Enter');
    await page.keyboard.type('0.5');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /A weight was changed since this trace/.test(document.querySelector('.pg-trace__now').textContent));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a 390 px phone the trace stays usable: no sideways scroll, its controls on screen, axe clean in the dark', async () => {
  const { page, errors, context } = await openPage(browser, site, HASH, {
    viewport: { width: 390, height: 844 },
    waitFor: PG_READY,
    hasTouch: true,
    reducedMotion: 'reduce',
    bypassCSP: true,
  });
  try {
    await trainExactly(page, 20);
    const target = await page.evaluate(() => window.__playground.trainPointOnScreen(2));
    await page.mouse.click(target.x, target.y);
    await shown(page);
    await page.waitForTimeout(600);
    assert.equal(await sidewaysOverflow(page), 0);
    const box = await page.locator('.pg-trace__controls').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `the controls are on screen: ${JSON.stringify(box)}`);
    assert.ok(box.x >= 0 && box.x + box.width <= 390, 'and inside the width');
    await page.click('.pg-trace button[aria-label="Next: step forward one layer"]');
    await page.click('.pg-trace button[aria-label="Next: step forward one layer"]');
    assert.equal((await page.evaluate(() => window.__playground.trace())).stage, 2);
    console.log(`# screenshot ${await screenshot(page, 'trace-390', { fullPage: false })}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    console.log(`# screenshot ${await screenshot(page, 'trace-390-dark', { fullPage: false })}`);
    await page.click('.pg-trace__numbers summary');
    await page.addScriptTag({ path: AXE });
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 1));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('1-D regression: a clicked point of the fit is traced with x as its one input and its target as the label', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&data=sine&h=5&act=tanh', {
    waitFor: PG_READY,
    reducedMotion: 'reduce',
  });
  try {
    await trainExactly(page, 25);
    const target = await page.evaluate(() => window.__playground.trainPointOnScreen(7));
    await page.mouse.click(target.x, target.y);
    const trace = await shown(page);
    assert.deepEqual(trace.point, target.point);
    const engine = await page.evaluate((p) => window.__playground.tracePoint(p), target.point);
    for (const key of ['loss', 'features', 'prediction', 'layers']) assert.deepEqual(trace[key], engine[key], key);
    assert.deepEqual(trace.features, [target.point.x1]);
    assert.match(await page.textContent('.pg-trace__title'), /x = .*\(target /);
    assert.deepEqual((await table(page)).rows, [[target.point.x1]]);
    assert.equal(await page.textContent('.pg-trace__table tbody th'), 'x');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
