// Time travel in a real browser: scrubbing back to step M shows exactly the network of a fresh run trained
// M steps (the weights bit for bit), Train continues from there as a new branch (and says the later steps
// are dropped), the link's at= key opens a run trained to that step and bad values are named, the
// scrubber works from the keyboard, and axe finds nothing serious. Screenshots at three sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, screenshot, PG_READY, trainExactly, AXE, axe } from './harness.mjs';

useSite();

const LINK = '#/playground?v=1&seed=4&h=5,3&act=relu&lr=0.1';
const WIDE = { width: 1440, height: 900 };

const pg = (page, expression) => page.evaluate(`window.__playground.${expression}`);
const settled = (page) => page.waitForFunction(() => window.__playground.settled, null, { timeout: 30000 });

/** The weights of a fresh page on the same link trained exactly n steps. */
async function freshWeights(n) {
  const { page, context } = await openPage(browser, site, LINK, { viewport: WIDE, waitFor: PG_READY });
  try {
    await trainExactly(page, n);
    assert.equal(await pg(page, 'step'), n);
    await settled(page);
    return await pg(page, 'weights()');
  } finally {
    await context.close();
  }
}

test('scrubbing back shows the exact network of step M; Train continues from there as a branch', async () => {
  const { page, errors, context } = await openPage(browser, site, LINK, { viewport: WIDE, waitFor: PG_READY, bypassCSP: true });
  try {
    await trainExactly(page, 600);
    await settled(page);
    const t = await pg(page, 'timeline');
    assert.equal(t.head, 600);
    assert.equal(t.budget, 32e6);
    const memory = await page.textContent('.pg-time__memory');
    assert.match(memory, new RegExp(`Snapshots every ${t.every} steps, ${t.kept} kept, [0-9.]+ [kM]B of 32 MB`));

    // Back to 251 with the hook, then one step back with the keyboard on the scrubber: 250.
    assert.equal(await page.evaluate(() => window.__playground.seek(251)), true);
    await page.focus('#pg-time-range');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => window.__playground.step === 250 && window.__playground.settled, null, { timeout: 30000 });
    assert.equal(await page.textContent('.pg-time__step'), 'step 250 of 600');
    assert.match(await page.evaluate(() => location.hash), /[?&]at=250(&|$)/, 'the link carries the step shown');
    const shown = await pg(page, 'weights()');
    const fresh250 = await freshWeights(250);
    assert.deepEqual(shown, fresh250, 'the weights shown at step 250 are those of a run trained 250 steps');
    // The later history is kept while scrubbing: forward again to 600 is the run as it was.
    assert.equal((await pg(page, 'timeline')).head, 600);
    await screenshot(page, 'timetravel-1440-scrubbed');

    await page.addScriptTag({ path: AXE });
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], 'axe: nothing serious or critical with the scrubber shown');

    // Train from 250: a new branch. The page says the later 350 steps go; the run equals a straight one.
    await trainExactly(page, 300);
    assert.match(await page.textContent('.pg-messages'), /Continuing from step 250: the later 350 steps are dropped\./);
    await settled(page);
    assert.equal((await pg(page, 'timeline')).head, 300);
    assert.doesNotMatch(await page.evaluate(() => location.hash), /[?&]at=/, 'training clears the step from the link');
    const losses = await pg(page, 'losses()');
    assert.ok(losses.step.at(-1) <= 300, 'the loss history of the dropped steps is gone');
    assert.deepEqual(await pg(page, 'weights()'), await freshWeights(300), 'the branch is the run trained 300 steps');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link with at= trains to that step and shows it; bad values are named', async () => {
  const { page, errors, context } = await openPage(browser, site, `${LINK}&at=123`, { viewport: WIDE, waitFor: PG_READY });
  try {
    await page.waitForFunction(() => window.__playground.step === 123 && window.__playground.settled, null, { timeout: 30000 });
    assert.match(await page.evaluate(() => location.hash), /[?&]at=123(&|$)/);
    assert.deepEqual(await pg(page, 'weights()'), await freshWeights(123));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  for (const [bad, text] of [
    ['-5', /at must be an integer 0\.\.1000000, got "-5"/],
    ['NaN', /at must be an integer 0\.\.1000000, got "NaN"/],
    ['5000000', /at must be an integer 0\.\.1000000, got "5000000"/],
  ]) {
    const opened = await openPage(browser, site, `${LINK}&at=${bad}`, { viewport: WIDE, waitFor: PG_READY });
    try {
      await opened.page.waitForFunction(() => document.querySelector('.pg-messages')?.textContent.includes('at must be'), null, {
        timeout: 20000,
      });
      assert.match(await opened.page.textContent('.pg-messages'), text);
      assert.equal(await pg(opened.page, 'step'), 0, 'a refused at= trains nothing');
    } finally {
      await opened.context.close();
    }
  }
});

test('the scrubber at 1280 x 720 and on a phone, light and dark', async () => {
  for (const [viewport, scheme, name] of [
    [{ width: 1280, height: 720 }, 'light', 'timetravel-1280'],
    [{ width: 390, height: 844 }, 'dark', 'timetravel-phone-dark'],
    [WIDE, 'dark', 'timetravel-1440-dark'],
  ]) {
    const { page, errors, context } = await openPage(browser, site, `${LINK}&at=400`, { viewport, colorScheme: scheme, waitFor: PG_READY });
    try {
      await page.waitForFunction(() => window.__playground.step === 400 && window.__playground.settled, null, { timeout: 30000 });
      await page.evaluate(() => window.__playground.seek(150));
      await settled(page);
      const box = await page.locator('#pg-time-range').boundingBox();
      assert.ok(box && box.width > 100, `${name}: the scrubber is wide enough to use (${box?.width}px)`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
      await page.locator('.pg-time').scrollIntoViewIfNeeded();
      await screenshot(page, name, { fullPage: viewport.width < 600 });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
