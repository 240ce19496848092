// Up to six classes (issue 11, item 2): a Gaussian-blobs data set of 2..6 classes, the user's own points
// with labels 0..5, a palette that colour-blind viewers can tell apart in both themes, and the map painted
// in each class's colour where that class wins. Also what the unit maps gained: one colour scale for all
// units travels in the link, and a phone (where the output panel is off screen) shows a focused unit's map
// in a corner card.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, screenshot, PG_READY, PHONE, trainExactly } from './harness.mjs';

useSite();

const LAPTOP = { width: 1440, height: 900 };
const pg = (page, expression) => page.evaluate(`window.__playground.${expression}`);
const open = (hash, options = {}) => openPage(browser, site, hash, { waitFor: PG_READY, ...options });

/** The class colours the page paints with (base.css's --class-0..5), as hex. */
const classColors = (page) =>
  page.evaluate(() => [0, 1, 2, 3, 4, 5].map((k) => getComputedStyle(document.documentElement).getPropertyValue(`--class-${k}`).trim()));

// ---- Colour vision: Machado, Oliveira and Fernandes (2009), full severity, on linear RGB; CIE76 ΔE in Lab ----
const CVD = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
  typical: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};
const toLinear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
function lab([r, g, b]) {
  const [R, G, B] = [r, g, b].map((v) => Math.min(1, Math.max(0, v)));
  const X = 0.4124 * R + 0.3576 * G + 0.1805 * B;
  const Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const Z = 0.0193 * R + 0.1192 * G + 0.9505 * B;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(X / 0.95047), f(Y), f(Z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
/** '#rrggbb' or '#rgb' as [r, g, b] in 0..255. */
function rgb(hex) {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
}
function seenAs(hex, m) {
  const l = rgb(hex).map((c) => toLinear(c / 255));
  return lab(m.map((row) => row[0] * l[0] + row[1] * l[1] + row[2] * l[2]));
}
/** The closest two colours of a palette as a viewer with matrix m sees them: { deltaE, pair }. */
function closestPair(palette, m) {
  let best = { deltaE: Infinity, pair: [] };
  for (let i = 0; i < palette.length; ++i)
    for (let j = i + 1; j < palette.length; ++j) {
      const a = seenAs(palette[i], m);
      const b = seenAs(palette[j], m);
      const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
      if (d < best.deltaE) best = { deltaE: d, pair: [i, j] };
    }
  return best;
}

test('six class colours, told apart with every kind of colour blindness, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await open('#/playground', { colorScheme });
    try {
      const palette = await classColors(page);
      assert.equal(new Set(palette).size, 6, `six different colours: ${palette}`);
      for (const [vision, m] of Object.entries(CVD)) {
        const { deltaE, pair } = closestPair(palette, m);
        console.log(`${colorScheme}, ${vision}: closest classes ${pair.join(' and ')}, ΔE ${deltaE.toFixed(1)}`);
        // ΔE 10 is plainly visible side by side; the Okabe-Ito colours keep 16 or more.
        assert.ok(deltaE >= 15, `${colorScheme}, ${vision}: classes ${pair} are ΔE ${deltaE.toFixed(1)} apart`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('Gaussian blobs: 2..6 classes from the link and the menu, softmax head, each class painted in its colour where it wins', async () => {
  const { page, errors, context } = await open('#/playground?data=blobs&classes=6&h=12,12&lr=0.1', { viewport: LAPTOP });
  try {
    const state = await pg(page, 'state');
    assert.equal(state.classes, 6);
    assert.equal(state.head, 'softmax_ce', 'six classes take the softmax head');
    assert.equal(await page.getByLabel('Output and loss', { exact: true }).isDisabled(), true, 'the only head that fits');
    assert.equal(await page.locator('.pg-out__legend .pg-swatch[class*="is-c"]').count(), 6);
    assert.match(await page.textContent('.pg-out__legend'), /class 5/);

    await trainExactly(page, 1500);
    assert.equal(await pg(page, 'step'), 1500, 'six clean blobs do not diverge');
    await page.waitForFunction(() => window.__playground.settled);
    const readout = await page.textContent('.pg-readout');
    const accuracy = Number(readout.match(/Test accuracy (\d+)%/)[1]);
    assert.ok(accuracy >= 90, `six clean blobs are learnt: ${readout}`);

    // The painted map at each blob's centre (3.5 from the origin, class 0 at the top, then clockwise)
    // is nearest that class's colour.
    const palette = (await classColors(page)).map(rgb);
    const painted = await page.evaluate(() => {
      const c = document.querySelector('.pg-out__heat');
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const at = (x, y) => {
        const col = Math.floor(((x + 6) / 12) * c.width);
        const row = Math.floor(((6 - y) / 12) * c.height);
        const o = (row * c.width + col) * 4;
        return [data[o], data[o + 1], data[o + 2]];
      };
      return [0, 1, 2, 3, 4, 5].map((k) => at(3.5 * Math.sin((2 * Math.PI * k) / 6), 3.5 * Math.cos((2 * Math.PI * k) / 6)));
    });
    // The map is washed toward the background by confidence: compare hues, the colour's direction from it.
    const bg = rgb(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--surface').trim()));
    const direction = (c) => {
      const d = c.map((v, i) => v - bg[i]);
      const n = Math.hypot(...d) || 1;
      return d.map((v) => v / n);
    };
    painted.forEach((pixel, k) => {
      const p = direction(pixel);
      const scores = palette.map((c) => direction(c).reduce((s, v, i) => s + v * p[i], 0));
      const best = scores.indexOf(Math.max(...scores));
      assert.equal(best, k, `blob ${k}'s centre is painted ${pixel}, nearest class ${best}'s colour`);
    });
    await screenshot(page, 'classes-blobs-6-1440x900-light', { fullPage: false });

    // The menu: three classes, a new data set; the link says so.
    await page.getByLabel('Classes', { exact: true }).selectOption('3');
    await page.waitForFunction(() => window.__playground.state.classes === 3 && window.__playground.step === 0);
    await page.waitForFunction(() => window.__playground.settled);
    assert.match(await pg(page, 'query'), /(^|&)classes=3(&|$)/);
    assert.equal(await page.locator('.pg-out__legend .pg-swatch[class*="is-c"]').count(), 3);
    // Two classes: the one-output heads are allowed again.
    await page.getByLabel('Classes', { exact: true }).selectOption('2');
    await page.waitForFunction(() => window.__playground.state.classes === 2);
    assert.equal((await pg(page, 'state')).head, 'softmax_ce', 'the head stays as chosen while it fits');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // A count the core does not take is refused by name, and the rest of the link is kept.
  const bad = await open('#/playground?data=blobs&classes=7&lr=0.1');
  try {
    assert.match(await bad.page.textContent('.pg-messages'), /classes/);
    const state = await pg(bad.page, 'state');
    assert.equal(state.classes, 4, 'the default count');
    assert.equal(state.learningRate, 0.1);
  } finally {
    await bad.context.close();
  }
});

test('your own points: labels 0..5 make up to six classes; adding a point offers one new class', async () => {
  const { page, errors, context } = await open('#/playground', { viewport: LAPTOP });
  try {
    await page.click('button:has-text("Add points")');
    const offered = await page.$$eval('.pg-data select[aria-label="Class of the points to add"] option', (os) =>
      os.map((o) => o.textContent),
    );
    assert.equal(offered.length, 3, `classes 0 and 1, and a new one: ${offered}`);
    assert.match(offered[2], /class 2 \(green\): a new class/);
    await page.selectOption('.pg-data select[aria-label="Class of the points to add"]', '2');
    await page.focus('.pg-out__overlay');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__playground.state.dataset === 'custom' && window.__playground.settled);
    let state = await pg(page, 'state');
    assert.equal(state.points.filter((p) => p[2] === 2).length, 1);
    assert.equal(state.head, 'softmax_ce', 'a third class takes the softmax head');
    assert.equal(await page.locator('.pg-out__legend .pg-swatch[class*="is-c"]').count(), 3);
    await page.click('button:has-text("Add points")');

    // Six classes from a CSV: one corner of the plane each, and the most there can be.
    const rows = ['x1,x2,label'];
    for (let k = 0; k < 6; ++k) for (let i = 0; i < 4; ++i) rows.push(`${k * 2 - 5},${i - 1.5},${k}`);
    await page.click('button:has-text("Paste your own points")');
    await page.fill('.pg-csv__text', rows.join('\n'));
    await page.click('button:has-text("Use these points")');
    await page.waitForFunction(() => window.__playground.state.points.length === 24 && window.__playground.settled);
    state = await pg(page, 'state');
    assert.equal(state.head, 'softmax_ce');
    assert.equal(await page.locator('.pg-out__legend .pg-swatch[class*="is-c"]').count(), 6);
    await page.click('button:has-text("Add points")');
    const six = await page.$$eval('.pg-data select[aria-label="Class of the points to add"] option', (os) => os.map((o) => o.textContent));
    assert.equal(six.length, 6, `no seventh class: ${six}`);
    assert.ok(!six.some((t) => /new class/.test(t)));
    await page.click('button:has-text("Add points")');

    // A seventh class in a CSV is refused, naming the line, and the six-class data stay.
    await page.click('button:has-text("Paste your own points")');
    await page.fill('.pg-csv__text', `${rows.join('\n')}\n0,0,6`);
    await page.click('button:has-text("Use these points")');
    assert.match(await page.textContent('.pg-csv .error-message'), /line 26: .*label must be an integer 0\.\.5, got 6/);
    assert.equal((await pg(page, 'state')).points.length, 24);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('one colour scale for all units travels in the link', async () => {
  const { page, errors, context } = await open('#/playground', { viewport: LAPTOP });
  try {
    assert.doesNotMatch(await pg(page, 'query'), /shared=/, 'off by default, and left out of the link');
    await page.check('text=One colour scale for all units');
    await page.waitForFunction(() => /(^|&)shared=1(&|$)/.test(window.__playground.query));
    const link = await pg(page, 'query');
    assert.deepEqual(errors, []);
    const again = await open(`#/playground?${link}`, { viewport: LAPTOP });
    try {
      assert.equal(await again.page.isChecked('text=One colour scale for all units'), true);
      await again.page.focus('.pg-net__unit >> nth=0');
      await again.page.waitForFunction(() => /one scale for all units/.test(document.querySelector('.pg-out__legend').textContent));
      assert.deepEqual(again.errors, []);
    } finally {
      await again.context.close();
    }
  } finally {
    await context.close();
  }
});

test("phone: a focused unit's map shows in a corner card while the output panel is off screen; a laptop needs none", async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await open('#/playground', { viewport: PHONE, colorScheme });
    try {
      await page.locator('.pg-net__unit >> nth=1').scrollIntoViewIfNeeded();
      await page.click('.pg-net__unit >> nth=1');
      await page.waitForSelector('.pg-peek:not([hidden])');
      const card = await page.evaluate(() => {
        const el = document.querySelector('.pg-peek');
        const r = el.getBoundingClientRect();
        const c = el.querySelector('canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < px.length; i += 4) coloured += px[i + 3] > 0 && (px[i] !== px[i + 1] || px[i + 1] !== px[i + 2]) ? 1 : 0;
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: el.textContent, coloured, pixels: px.length / 4 };
      });
      assert.ok(card.top >= 0 && card.bottom <= PHONE.height && card.left >= 0 && card.right <= PHONE.width, JSON.stringify(card));
      assert.match(card.text, /Layer 1, unit 2/);
      assert.ok(card.coloured > card.pixels / 4, `the card shows the unit's map: ${card.coloured} of ${card.pixels} pixels coloured`);
      await screenshot(page, `classes-phone-unit-card-${colorScheme}`, { fullPage: false });
      // Leaving the unit (a tap elsewhere) puts the card away.
      await page.click('.pg-net__hint');
      await page.waitForSelector('.pg-peek', { state: 'hidden' });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  const { page, context } = await open('#/playground', { viewport: LAPTOP });
  try {
    await page.hover('.pg-net__unit >> nth=1');
    await page.waitForFunction(() => /Layer 1, unit 2/.test(document.querySelector('.pg-out__focus').textContent));
    assert.equal(await page.isHidden('.pg-peek'), true, 'the output panel is in view: no card');
  } finally {
    await context.close();
  }
});
