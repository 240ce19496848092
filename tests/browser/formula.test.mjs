// Your own activation in the page: typed in the explorer it is drawn (the pixels of a*x^2 - 1 where that
// formula puts them, the values computed here), a bad formula gets the core's message naming the position
// next to the field while every other setting stays; in the playground a layer set to a formula trains, its
// link brings back the same network, and the views stay axe-clean. Screenshots at 1440x900 and 390x844.
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import {
  useSite,
  site,
  browser,
  openPage,
  screenshot,
  trainExactly,
  axe,
  AXE,
  sidewaysOverflow,
  PG_READY,
  RACE_READY,
  PHONE,
  WIDE,
} from './harness.mjs';

useSite();

const drawn = () => window.__explorer?.draws > 0;

// For each (x, y), the distance from `color` of the closest pixel around where the chart puts the point.
async function distanceToColor(page, points, color, r = 2) {
  return page.evaluate(
    ({ points, color, r }) => {
      const scratch = document.createElement('canvas').getContext('2d');
      scratch.fillStyle = color;
      scratch.fillRect(0, 0, 1, 1);
      const rgb = scratch.getImageData(0, 0, 1, 1).data;
      const ctx = window.__explorer.canvas().getContext('2d');
      return points.map(([x, y]) => {
        const [px, py] = window.__explorer.toCanvas(x, y);
        const data = ctx.getImageData(Math.round(px) - r, Math.round(py) - r, 2 * r + 1, 2 * r + 1).data;
        let best = Infinity;
        for (let i = 0; i < data.length; i += 4) {
          const d = Math.hypot(data[i] - rgb[0], data[i + 1] - rgb[1], data[i + 2] - rgb[2]);
          if (data[i + 3] > 200 && d < best) best = d;
        }
        return best;
      });
    },
    { points, color, r },
  );
}

async function axeClean(page, what) {
  await page.addScriptTag({ path: AXE });
  const violations = await axe(page);
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
    [],
    `${what}: axe violations`,
  );
}

test('the explorer draws a typed formula; a bad one is refused with its position, the rest kept', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu,formula&d=0&from=-3&to=3&ymin=-2&ymax=8', {
    waitFor: drawn,
    viewport: WIDE,
    bypassCSP: true,
  });
  try {
    const field = page.locator('#formula-text');
    assert.equal(await field.inputValue(), 'x*sigmoid(a*x)', 'the default formula');
    let draws = await page.evaluate(() => window.__explorer.draws);
    await field.fill('a*x^2 - 1');
    await page.waitForFunction((n) => window.__explorer.draws > n, draws);
    await page.locator('#formula-a').fill('0.5');
    await page.locator('#formula-a').dispatchEvent('input');
    await page.waitForFunction(() => window.__explorer.state.formula.a === 0.5);
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('formula.a') === '0.5');
    const color = await page.evaluate(() => window.__explorer.colors.formula);
    const f = (x) => 0.5 * x * x - 1;
    const xs = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5];
    const near = await distanceToColor(
      page,
      xs.map((x) => [x, f(x)]),
      color,
    );
    near.forEach((d, i) => assert.ok(d < 40, `f(${xs[i]}) = ${f(xs[i])}: nearest pixel ${d.toFixed(0)} from the formula's colour`));
    // Off the curve (f + 1.5) the formula's colour is absent: the line is where the formula says, not anywhere.
    const off = await distanceToColor(
      page,
      xs.map((x) => [x, f(x) + 1.5]),
      color,
    );
    assert.ok(
      off.every((d) => d > 40),
      `off the curve: ${off.map((d) => d.toFixed(0)).join(', ')}`,
    );
    const url = await page.evaluate(() => location.hash);
    assert.match(decodeURIComponent(url.replace(/\+/g, ' ')), /formula=a\*x\^2 - 1/);
    await screenshot(page, 'formula-explorer-1440');

    // A bad formula: the message names the position; the curve, the link and the other settings stay.
    draws = await page.evaluate(() => window.__explorer.draws);
    await field.fill('max(0, x');
    const message = page.locator('#formula-error');
    await page.waitForFunction(() => document.querySelector('#formula-error').textContent !== '');
    assert.equal(
      await message.textContent(),
      "Not applied: formula: position 9: expected ')' after the arguments of max, got the end of the formula.",
    );
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await field.getAttribute('aria-describedby'), /formula-error/);
    assert.equal(await field.inputValue(), 'max(0, x', "the user's text stays in the field");
    const state = await page.evaluate(() => window.__explorer.state);
    assert.equal(state.formula.text, 'a*x^2 - 1', 'the last good formula is still drawn');
    assert.deepEqual([state.from, state.to, state.ymin, state.ymax, state.formula.a], [-3, 3, -2, 8, 0.5]);
    assert.deepEqual(state.fns, ['relu', 'formula']);
    await screenshot(page, 'formula-explorer-error-1440');
    await axeClean(page, 'explorer with a formula');
    // Fixing it applies it.
    await field.fill('max(0, x)');
    await page.waitForFunction(() => window.__explorer.state.formula.text === 'max(0, x)');
    assert.equal(await message.textContent(), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a bad formula in an explorer link is reported, and the default drawn', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=formula&formula=exp(x', {
    waitFor: drawn,
    viewport: PHONE,
  });
  try {
    const note = await page.locator('.explorer .note').textContent();
    assert.match(note, /formula: position 6: expected '\)' after the argument of exp/);
    assert.equal(await page.evaluate(() => window.__explorer.state.formula.text), 'x*sigmoid(a*x)');
    assert.equal(await sidewaysOverflow(page), 0);
    await screenshot(page, 'formula-explorer-390');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the playground: a layer on a formula trains, its link brings it back, the JSON carries it', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=3&h=4,2', {
    waitFor: PG_READY,
    viewport: WIDE,
    bypassCSP: true,
  });
  try {
    // Open layer 1's editor and pick "Your own formula…".
    await page.locator('[data-key="head-0"]').click();
    const select = page.locator('select[data-key="act-0"]');
    await select.selectOption('formula');
    await page.waitForFunction(() => window.__playground?.state?.activations?.[0] === 'formula');
    const field = page.locator('input[data-key="formula-0"]');
    await field.waitFor();
    assert.equal(await field.inputValue(), 'x*sigmoid(a*x)');
    // The editor shows the parts a formula layer has, and no "null" for the α/β field it has not.
    assert.doesNotMatch(await page.locator('.pg-net__editor').textContent(), /null/);

    // A bad formula: refused with the position, the network keeps its last good one.
    await field.fill('x*sigmoid(a*x');
    await field.press('Enter');
    const error = page.locator('#pg-formula-error-0');
    await page.waitForFunction(() => document.querySelector('#pg-formula-error-0')?.textContent !== '');
    assert.match(await error.textContent(), /position 14: expected '\)' after the argument of sigmoid/);
    assert.equal(await page.evaluate(() => window.__playground.state.formulas[0]), 'x*sigmoid(a*x)');
    assert.equal(await field.inputValue(), 'x*sigmoid(a*x', "the user's text stays in the field");
    // The field is marked as refused, as the explorer's is: its border in the error colour.
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const [border, errorBorder] = await field.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--error-border)';
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return [getComputedStyle(el).borderTopColor, colour];
    });
    assert.equal(border, errorBorder, 'the refused field has the error border');

    await field.fill('if(x > 0, x, a*(exp(x) - 1))');
    await field.press('Enter');
    await page.waitForFunction(() => window.__playground.state.formulas[0] === 'if(x > 0, x, a*(exp(x) - 1))');
    await page.waitForFunction(PG_READY);
    await trainExactly(page, 40);
    const weights = await page.evaluate(() => window.__playground.weights());
    assert.ok(weights.length > 0 && weights.every(Number.isFinite));
    const hash = await page.evaluate(() => location.hash);
    const query = new URLSearchParams(hash.split('?')[1]);
    assert.equal(query.get('act'), 'formula,relu');
    assert.equal(query.get('fx').split(';')[0], 'if(x > 0, x, a*(exp(x) - 1))');
    await screenshot(page, 'formula-playground-1440');
    await axeClean(page, 'playground with a formula layer');

    // The link, opened afresh: the same network, trained the same 40 steps, has the same weights, bit for bit.
    const again = await openPage(browser, site, hash, { waitFor: PG_READY, viewport: PHONE });
    try {
      assert.equal(await again.page.evaluate(() => window.__playground.state.formulas[0]), 'if(x > 0, x, a*(exp(x) - 1))');
      await trainExactly(again.page, 40);
      assert.deepEqual(await again.page.evaluate(() => window.__playground.weights()), weights);
      await screenshot(again.page, 'formula-playground-390');
      assert.deepEqual(again.errors, []);
    } finally {
      await again.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a race between ReLU and a formula: its link carries the formula, the field edits it', async () => {
  const { page, errors, context } = await openPage(
    browser,
    site,
    '#/race?v=1&seed=2&h=4&vary=act&runs=relu,formula&fx=x*tanh(a*x)&fa=0.5&len=500',
    {
      waitFor: RACE_READY,
      viewport: WIDE,
      bypassCSP: true,
    },
  );
  try {
    const race = await page.evaluate(() => window.__race.race);
    assert.deepEqual(race.runs, ['relu', 'formula']);
    assert.deepEqual([race.base.formulas[0], race.base.formulaAs[0]], ['x*tanh(a*x)', 0.5]);
    const field = page.locator('.race-formula input[type="text"]');
    assert.equal(await field.inputValue(), 'x*tanh(a*x)');
    await field.fill('x*tanh(a*x');
    await field.press('Enter');
    await page.waitForFunction(() => document.querySelector('.race-formula .field-error')?.textContent !== '');
    assert.match(await page.locator('.race-formula .field-error').textContent(), /position 11: expected '\)' after the argument of tanh/);
    await field.fill('x*tanh(x)');
    await field.press('Enter');
    await page.waitForFunction(() => window.__race.race.base.formulas[0] === 'x*tanh(x)');
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('fx') === 'x*tanh(x)');
    await page.waitForFunction(RACE_READY);
    await screenshot(page, 'formula-race-1440');
    await axeClean(page, 'race with a formula');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the playground JSON export carries a formula network; importing it gives the same weights, and Export code refuses it', async () => {
  const link = '#/playground?v=1&seed=5&h=4,3&act=formula,relu&fx=x*sigmoid(a*x)%3Bx&fa=1.5';
  const a = await openPage(browser, site, link, { waitFor: PG_READY });
  const b = await openPage(browser, site, '#/playground?v=1&data=moons&h=2', { waitFor: PG_READY });
  try {
    await trainExactly(a.page, 30);
    const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.click('#playground button:has-text("Export JSON")')]);
    const text = (await readFile(await download.path())).toString('utf8');
    const hidden = JSON.parse(text).models[0].config.network.hidden;
    assert.deepEqual(
      [hidden[0].activation, hidden[0].formula, hidden[0].a, hidden[1].activation],
      ['formula', 'x*sigmoid(a*x)', 1.5, 'relu'],
    );
    await b.page.setInputFiles('#playground input[type="file"]', {
      name: 'formula.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await b.page.waitForFunction(() => window.__playground.step === 30);
    assert.equal(await b.page.evaluate(() => window.__playground.state.formulas[0]), 'x*sigmoid(a*x)');
    assert.deepEqual(
      await b.page.evaluate(() => window.__playground.weights()),
      await a.page.evaluate(() => window.__playground.weights()),
    );
    // Export code: a clear refusal naming the layer, and the network untouched.
    await a.page.click('#playground .share-code summary');
    await a.page.click('#playground .share-code button:has-text("PyTorch (.py)")');
    await a.page.waitForFunction(() => /uses your own formula/.test(document.querySelector('#playground .pg-messages')?.textContent ?? ''));
    assert.match(
      await a.page.textContent('#playground .pg-messages'),
      /exported as PyTorch code: hidden layer 1 uses your own formula f\(x\) = x\*sigmoid\(a\*x\); the PyTorch and NumPy exports cover the built-in activations only/,
    );
    assert.equal(await a.page.evaluate(() => window.__playground.step), 30);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
