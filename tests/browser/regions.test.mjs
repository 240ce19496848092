// The output panel's linear-region view in a real browser: the count it shows is the core's count for the
// grid it drew, it stays live while training, the mode and its layer limit travel in the link, a smooth
// network gets its sentence instead, the controls work from the keyboard, and axe finds nothing serious.
// Prints the mode's cost per round next to the plain map's, at 1440 x 900.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { useSite, site, browser, openPage, screenshot, PG_READY, trainExactly } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const WIDE = { width: 1440, height: 900 };

useSite();

const pg = (page, expression) => page.evaluate(`window.__playground.${expression}`);

/** The region sentence under the map: { text, regions } (regions null when the sentence gives no count). */
async function regionNote(page) {
  return page.evaluate(() => {
    const el = document.querySelector('.pg-out__regions');
    if (!el || el.hidden) return null;
    return { text: el.textContent, regions: el.dataset.regions === '' ? null : Number(el.dataset.regions) };
  });
}

/** Waits until the page is paused with its latest round drawn, and the region sentence is up. */
async function settledWithRegions(page) {
  await page.waitForFunction(() => window.__playground.settled && !document.querySelector('.pg-out__regions')?.hidden, null, {
    timeout: 20000,
  });
}

/** Trains to exactly `steps` and waits for the paused page to settle. */
async function trainTo(page, steps) {
  await trainExactly(page, steps);
  assert.equal(await page.evaluate(() => window.__playground.step), steps, 'the run reached the step without diverging');
  await settledWithRegions(page);
}

/** The core's count for the grid the page drew, asked of the engine now (the network is paused). */
async function coreCount(page, layers = 0) {
  return page.evaluate(async (k) => {
    const p = window.__playground;
    const e = 6;
    const r = await p.regionMap({ width: p.heatRes, height: p.heatRes, xMin: -e, xMax: e, yMin: -e, yMax: e }, k);
    return { regions: r.regions, distinct: new Set(r.patterns).size };
  }, layers);
}

test('the count shown is the core count, live while training; one layer of 6 never passes 22', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=1&h=6&act=relu&lr=0.1&out=regions', {
    viewport: WIDE,
    waitFor: PG_READY,
  });
  try {
    await settledWithRegions(page);
    const seen = [];
    for (const steps of [100, 400]) {
      await trainTo(page, steps);
      const note = await regionNote(page);
      const core = await coreCount(page);
      seen.push(`${note.regions} at step ${steps}`);
      assert.equal(note.regions, core.regions, `shown "${note.text}", core ${core.regions}`);
      assert.equal(core.distinct, core.regions, 'the core counts the hashes it returns');
      assert.match(note.text, new RegExp(`^${core.regions} linear regions? in view`));
      assert.ok(note.regions >= 1 && note.regions <= 22, `6 lines make at most 22 regions: ${note.regions}`);
    }
    console.log(`# regions, circle, 6 ReLU units: ${seen.join(', ')}`);
    const path = await screenshot(page, 'regions-1440', { fullPage: false });
    console.log(`# screenshot ${path}`);

    // Live while training: the count keeps up with the run, and the map is in the round's budget.
    const cost = {};
    for (const mode of ['prediction', 'regions']) {
      await page.getByLabel('Linear regions').setChecked(mode === 'regions');
      await page.evaluate(() => window.__playground.pauseAt(undefined));
      await page.click('.pg-play');
      await page.waitForTimeout(2500);
      const samples = [];
      for (let i = 0; i < 10; ++i) {
        samples.push({ grid: await pg(page, 'gridMs'), work: await pg(page, 'frameWorkMs()'), res: await pg(page, 'heatRes') });
        await page.waitForTimeout(100);
      }
      const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      cost[mode] = { grid: median(samples.map((x) => x.grid)), work: median(samples.map((x) => x.work)), res: samples.at(-1).res };
      if (mode === 'regions') {
        assert.ok((await regionNote(page))?.regions >= 1, 'the count stays up while training');
        assert.ok(cost.regions.grid > 0, 'each round brings a region grid');
      }
      await page.click('.pg-play');
      await page.waitForFunction(() => window.__playground.settled, null, { timeout: 20000 });
    }
    console.log(
      `# frame cost at 1440x900 while training: prediction ${cost.prediction.grid.toFixed(2)} ms worker grid, ${cost.prediction.work.toFixed(2)} ms page work (${cost.prediction.res}px grid); ` +
        `regions ${cost.regions.grid.toFixed(2)} ms worker grid, ${cost.regions.work.toFixed(2)} ms page work (${cost.regions.res}px grid)`,
    );
    assert.ok(cost.regions.work < 16, `drawing the regions fits a frame: ${cost.regions.work} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the mode and its layer limit are in the link, and the limit counts the first layers only', async () => {
  const hash = '#/playground?v=1&seed=1&h=6,6&act=relu&out=regions&rk=1';
  const { page, errors, context } = await openPage(browser, site, hash, { viewport: WIDE, waitFor: PG_READY });
  try {
    await trainTo(page, 200);
    assert.equal(await page.getByLabel('Linear regions').isChecked(), true);
    const menu = page.getByLabel('Regions of');
    assert.equal(await menu.inputValue(), '1');
    const first = await regionNote(page);
    assert.equal(first.regions, (await coreCount(page, 1)).regions);
    assert.match(first.text, /cut by the first hidden layer of 2/);
    assert.ok(first.regions <= 22, `layer 1 alone is 6 lines: ${first.regions}`);

    await menu.selectOption('0');
    await page.waitForFunction(() => /both hidden layers/.test(document.querySelector('.pg-out__regions').textContent));
    await page.waitForFunction(() => window.__playground.settled);
    const all = await regionNote(page);
    assert.equal(all.regions, (await coreCount(page, 0)).regions);
    assert.ok(all.regions >= first.regions, `layer 2 only cuts regions further: ${all.regions} >= ${first.regions}`);
    console.log(`# regions, circle, 6-6 ReLU at step 200: ${first.regions} from layer 1, ${all.regions} from both`);
    assert.equal(await pg(page, 'query').then((q) => new URLSearchParams(q).get('rk')), null, 'all layers is the default, left out');

    // Round trip: the link the page writes brings the same view back.
    await menu.selectOption('1');
    await page.waitForFunction(() => new URLSearchParams(window.__playground.query).get('rk') === '1');
    const query = await pg(page, 'query');
    assert.equal(new URLSearchParams(query).get('out'), 'regions');
    await page.goto(`${site.url}#/playground?${query}`);
    await page.reload();
    await page.waitForFunction(PG_READY, null, { timeout: 20000 });
    await settledWithRegions(page);
    assert.equal(await page.getByLabel('Linear regions').isChecked(), true);
    assert.equal(await page.getByLabel('Regions of').inputValue(), '1');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a smooth network says why it has no regions; the controls work from the keyboard', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=1&h=4&act=tanh', {
    viewport: WIDE,
    waitFor: PG_READY,
  });
  try {
    const box = page.getByLabel('Linear regions');
    await box.focus();
    await page.keyboard.press('Space');
    await settledWithRegions(page);
    const note = await regionNote(page);
    assert.equal(note.regions, null);
    assert.match(note.text, /^Tanh is smooth: it bends everywhere/);
    assert.match(note.text, /ReLU, leaky ReLU, PReLU, ReLU6, hard tanh, hard sigmoid, identity or binary step/);
    assert.equal(new URLSearchParams(await pg(page, 'query')).get('out'), 'regions');
    const status = await page.textContent('.pg-out [role="status"]');
    assert.equal(status, note.text, 'a screen reader hears the sentence');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('.pg-out__regions').hidden);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('axe: nothing serious with the regions on, light and dark', async () => {
  const serious = [];
  // Each scheme in a page of its own: switched in place, axe can catch the colours mid-transition.
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await openPage(browser, site, '#/playground?v=1&seed=1&h=6,6&act=relu&out=regions', {
      viewport: WIDE,
      colorScheme,
      reducedMotion: 'reduce',
      bypassCSP: true,
      waitFor: PG_READY,
    });
    try {
      await settledWithRegions(page);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
      for (const v of violations) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' '));
        console.log(`# axe regions ${colorScheme}: ${v.impact} ${v.id} (${v.nodes.length}): ${where.join(' | ')}`);
        if (v.impact === 'serious' || v.impact === 'critical') serious.push(`${colorScheme}: ${v.id} at ${where.join(', ')}`);
      }
      console.log(`# axe regions ${colorScheme}: ${violations.length} kinds of violation`);
      if (colorScheme === 'dark') console.log(`# screenshot ${await screenshot(page, 'regions-1440-dark', { fullPage: false })}`);
    } finally {
      await context.close();
    }
  }
  assert.deepEqual(serious, []);
});
