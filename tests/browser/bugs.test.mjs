// The bugs a new user met (issue 11, "Bugs seen"), one test each, written to fail on the page before its
// fix: the 1-D plot's y labels, the charts' axis before training, cut select labels, phone tables and the
// PNG button, the lessons' companion on a phone, the Train button's name, the explorer's y range and read-
// out, the race's pace, and the article named.
// SITE_ROOT=/some/other/dist runs them against another build (to see them fail on the one before the fixes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, site, browser, openPage, screenshot, PHONE, DESKTOP } from './harness.mjs';

useSite();

const PG_READY = () => window.__playground?.step !== undefined && document.querySelector('.pg-out__overlay')?.width > 0;
const RACE_READY = () => window.__race?.steps?.length > 0 && document.querySelector('.race-map__canvas')?.width > 0;

// Records every fillText on a canvas (text, x, alignment, drawn width, the canvas's class and its closest
// panel's class), so a test can read a chart's labels and see whether each fits on its canvas.
function recordCanvasText(page) {
  return page.addInitScript(() => {
    window.__texts = [];
    // A clear of the whole canvas starts a new drawing of it: each record carries its canvas's drawing count.
    let ids = 0;
    const clear = CanvasRenderingContext2D.prototype.clearRect;
    CanvasRenderingContext2D.prototype.clearRect = function (x, y, w, h) {
      this.canvas.__id ??= ++ids;
      if (x <= 0 && y <= 0 && w >= this.canvas.width && h >= this.canvas.height) this.canvas.__gen = (this.canvas.__gen ?? 0) + 1;
      return clear.call(this, x, y, w, h);
    };
    window.__latest = (t) => t.gen === document.querySelector(`canvas[data-rec="${t.id}"]`)?.__gen;
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
      const m = this.measureText(String(text));
      const t = this.getTransform();
      this.canvas.__id ??= ++ids;
      this.canvas.dataset.rec = String(this.canvas.__id);
      window.__texts.push({
        id: this.canvas.__id,
        gen: this.canvas.__gen ?? 0,
        text: String(text),
        x: x * t.a + t.e,
        y: y * t.d + t.f,
        align: this.textAlign,
        width: m.width * t.a,
        canvas: this.canvas.className ?? '',
        figure: this.canvas.closest?.('figure, .pg-out')?.className ?? '',
        title: this.canvas.closest?.('figure')?.querySelector('figcaption')?.textContent ?? '',
      });
      return fill.call(this, text, x, y, ...rest);
    };
  });
}

const number = (label) => Number(label.replace('\u2212', '-'));

test('bug 1: the 1-D plot labels its y axis with whole, round values, minus signs included', async () => {
  for (const data of ['abs', 'sine']) {
    const { page, errors, context } = await openPage(browser, site, `#/playground?v=1&data=${data}`, {
      waitFor: PG_READY,
      beforeLoad: recordCanvasText,
    });
    try {
      await page.waitForFunction(() => window.__texts.some((t) => t.canvas.includes('pg-out__overlay') && t.align === 'right'));
      // The latest drawing only: the panel may settle to another size after the first one (its option rows
      // fill in), and the ticks of an earlier size sit at other heights.
      await page.waitForFunction(() => window.__playground?.idle, null, { timeout: 30000 });
      const labels = await page.evaluate(() => {
        const drawn = window.__texts.filter((t) => t.canvas.includes('pg-out__overlay') && t.align === 'right' && window.__latest(t));
        const last = new Map();
        for (const t of drawn) last.set(t.y, t); // each tick once
        return [...last.values()];
      });
      await screenshot(page, `bug1-output-1d-${data}`, { fullPage: false });
      assert.ok(labels.length >= 3, `${data}: at least three y labels: ${JSON.stringify(labels)}`);
      for (const l of labels) {
        assert.ok(Number.isFinite(number(l.text)), `${data}: "${l.text}" reads as a number`);
        assert.ok(l.x - l.width >= 0, `${data}: "${l.text}" fits left of the axis (starts at ${(l.x - l.width).toFixed(1)} px)`);
      }
      const values = labels.map((l) => number(l.text)).sort((a, b) => a - b);
      const steps = values.slice(1).map((v, i) => v - values[i]);
      for (const s of steps) assert.ok(Math.abs(s - steps[0]) < 1e-9, `${data}: evenly spaced values: ${values}`);
      const mantissa = steps[0] / 10 ** Math.floor(Math.log10(steps[0]));
      assert.ok(
        [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6),
        `${data}: a round step (1, 2 or 5 times a power of ten): ${values}`,
      );
      if (data === 'sine')
        assert.ok(
          labels.some((l) => l.text.startsWith('\u2212')),
          `sine: negative values drawn with their minus sign: ${labels.map((l) => l.text)}`,
        );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('bug 2: before training, the loss and accuracy charts have an axis with distinct ends', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1', { waitFor: PG_READY, beforeLoad: recordCanvasText });
  try {
    await page.waitForTimeout(1000);
    // The labels of each chart's latest drawing at its y-axis ticks (right-aligned text).
    const byChart = await page.evaluate(() => {
      const out = {};
      for (const t of window.__texts) {
        if (!t.title || t.align !== 'right' || !t.text || !window.__latest(t)) continue;
        const name = t.title.replace(/PNG$/, '').replace('Log scale', '');
        (out[name] ??= {})[Math.round(t.y)] = t.text;
      }
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Object.values(v)]));
    });
    for (const name of ['Loss', 'Accuracy']) assert.ok(byChart[name]?.length > 0, `${name}: y labels drawn: ${JSON.stringify(byChart)}`);
    for (const [name, labels] of Object.entries(byChart)) {
      assert.equal(new Set(labels).size, labels.length, `${name}: each y tick has its own label: ${labels}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// A select's chosen option in its own font must fit inside the box, next to the arrow.
async function cutSelects(page) {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    const cut = [];
    // The layer headers' selects sit in the network diagram's columns, whose widths the layout (issue 11
    // item 1) sets; the controls' selects are the ones reported cut.
    for (const s of document.querySelectorAll('#playground select')) {
      if (!s.offsetParent || s.closest('.pg-net')) continue;
      const style = getComputedStyle(s);
      ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      for (const o of s.options) {
        const need = ctx.measureText(o.textContent).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 20;
        if (need > s.clientWidth + 0.5)
          cut.push(
            `${s.labels?.[0]?.textContent ?? s.getAttribute('aria-label') ?? s.id}: "${o.textContent}" needs ${need.toFixed(0)} px of ${s.clientWidth}`,
          );
      }
    }
    return cut;
  });
}

test('bug 3: no select cuts its options ("Sigmoid + cross-entro", "Glorot (Xavier) uniforn")', async () => {
  for (const viewport of [{ width: 1440, height: 900 }, DESKTOP, PHONE]) {
    const { page, context } = await openPage(browser, site, '#/playground?v=1', { waitFor: PG_READY, viewport });
    try {
      const cut = await cutSelects(page);
      if (cut.length) await screenshot(page, `bug3-selects-${viewport.width}`);
      assert.deepEqual(cut, [], `at ${viewport.width} px`);
    } finally {
      await context.close();
    }
  }
});

test('bug 4: on a phone the wide tables are keyboard-reachable scroll regions and PNG stays on one line', async () => {
  const { page, context } = await openPage(browser, site, '#/playground?v=1', { waitFor: PG_READY, viewport: PHONE });
  try {
    // The diagnostics sit one tab away from the network (issue 11's layout).
    await page.click('#pg-tab-diag');
    await page.waitForSelector('.pg-diag__table tr');
    const wrap = await page.$eval('.pg-diag__table', (t) => {
      const w = t.parentElement;
      return {
        fits: w.scrollWidth <= w.clientWidth,
        tabindex: w.tabIndex,
        name: w.getAttribute('aria-label') ?? '',
        role: w.getAttribute('role'),
      };
    });
    assert.ok(
      wrap.fits || (wrap.tabindex === 0 && wrap.name && wrap.role === 'region'),
      `diagnostics: fits, or a named focusable region: ${JSON.stringify(wrap)}`,
    );
    const pngs = await page.$$eval('.pg-chart__save', (bs) =>
      bs
        .filter((b) => b.offsetParent)
        .map((b) => {
          const range = document.createRange();
          range.selectNodeContents(b);
          return { text: b.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
        }),
    );
    assert.ok(pngs.length > 0);
    for (const p of pngs) assert.equal(p.lines, 1, `"${p.text}" on one line`);
    await screenshot(page, 'bug4-playground-phone');
  } finally {
    await context.close();
  }
  const r = await openPage(browser, site, '#/race?v=1&len=500&speed=6', { waitFor: RACE_READY, viewport: PHONE });
  try {
    await r.page.waitForSelector('.race-table tr');
    const wrap = await r.page.$eval('.race-table', (t) => {
      const w = t.parentElement;
      return {
        fits: w.scrollWidth <= w.clientWidth,
        tabindex: w.tabIndex,
        name: w.getAttribute('aria-label') ?? '',
        role: w.getAttribute('role'),
      };
    });
    assert.ok(
      wrap.fits || (wrap.tabindex === 0 && wrap.name && wrap.role === 'region'),
      `race results: fits, or a named focusable region: ${JSON.stringify(wrap)}`,
    );
  } finally {
    await r.context.close();
  }
});

test('bug 5: on a phone a lesson preset leaves Train on screen and "What to watch" can be read whole', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/lessons/1', { viewport: PHONE, reducedMotion: 'reduce' });
  try {
    await page.click('.lesson__load');
    await page.waitForFunction(() => window.__playground?.step !== undefined && document.querySelector('.lesson-watch'));
    await page.waitForTimeout(400);
    const train = await page.$eval('.pg-play', (b) => {
      const r = b.getBoundingClientRect();
      const bar = document.querySelector('.lesson-companion').getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, barTop: bar.top };
    });
    await screenshot(page, 'bug5-lesson-phone', { fullPage: false });
    assert.ok(train.top >= 0 && train.bottom <= train.barTop, `Train is on screen above the lesson bar: ${JSON.stringify(train)}`);
    const watch = await page.$eval('.lesson-companion__watch', (p) => ({ clipped: p.scrollHeight > p.clientHeight + 1 }));
    if (watch.clipped) {
      const more = await page.$('.lesson-companion [aria-controls][aria-expanded="false"]');
      assert.ok(more, 'a clamped "What to watch" has a button to show the rest');
      await more.click();
      const after = await page.$eval('.lesson-companion__watch', (p) => p.scrollHeight <= p.clientHeight + 1);
      assert.ok(after, 'the whole text shows after "More"');
      await screenshot(page, 'bug5-lesson-phone-more', { fullPage: false });
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("bug 6: the Train and Race buttons' accessible names contain their visible text", async () => {
  const { page, context } = await openPage(browser, site, '#/playground?v=1', { waitFor: PG_READY });
  try {
    const b = await page.$eval('.pg-play', (el) => ({ text: el.textContent, name: el.getAttribute('aria-label') ?? el.textContent }));
    // WCAG 2.5.3, label in name: the name starts with the visible word ("Train: start training", not "Start training").
    const word = b.text.replace(/[^\p{L}\s]/gu, '').trim();
    assert.match(b.name, new RegExp(`^${word}\\b`, 'i'), `"${b.name}" starts with the visible word "${word}"`);
  } finally {
    await context.close();
  }
  const r = await openPage(browser, site, '#/race?v=1&len=500', { waitFor: RACE_READY });
  try {
    const b = await r.page.$eval('.pg-play', (el) => ({ text: el.textContent, name: el.getAttribute('aria-label') ?? el.textContent }));
    // WCAG 2.5.3, label in name: the name starts with the visible word ("Train: start training", not "Start training").
    const word = b.text.replace(/[^\p{L}\s]/gu, '').trim();
    assert.match(b.name, new RegExp(`^${word}\\b`, 'i'), `"${b.name}" starts with the visible word "${word}"`);
  } finally {
    await r.context.close();
  }
});

const EXPLORER_READY = () => window.__explorer?.draws > 0;

test("bug 7a: the explorer's y range can be set, and lives in the link", async () => {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu,sigmoid&d=1', { waitFor: EXPLORER_READY });
  try {
    const yMin = await page.$('#range-ymin');
    const yMax = await page.$('#range-ymax');
    assert.ok(yMin && yMax, 'inputs for the y range');
    await yMin.fill('-0.1');
    await yMin.dispatchEvent('change');
    // The view redraws its inputs from the new state: fill the second once the first has landed.
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('ymin') === '-0.1');
    await yMax.fill('0.5');
    await yMax.dispatchEvent('change');
    await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1]).get('ymax') === '0.5');
    const q = await page.evaluate(() => new URLSearchParams(location.hash.split('?')[1]));
    // sigmoid's f' peaks at 0.25: half the plot's height now, not 8 px.
    const [, top] = await page.evaluate(() => window.__explorer.toCanvas(0, 0.5));
    const [, peak] = await page.evaluate(() => window.__explorer.toCanvas(0, 0.25));
    const [, bottom] = await page.evaluate(() => window.__explorer.toCanvas(0, -0.1));
    assert.ok((bottom - peak) / (bottom - top) > 0.5, `the f' peak is over half the height: ${top}, ${peak}, ${bottom}`);
    await screenshot(page, 'bug7-explorer-yrange', { fullPage: false });
    // From the link alone.
    const again = await openPage(browser, site, '#/explorer?fn=relu,sigmoid&d=1&ymin=-0.1&ymax=0.5', { waitFor: EXPLORER_READY });
    try {
      assert.equal(await again.page.inputValue('#range-ymax'), '0.5');
      const state = await again.page.evaluate(() => window.__explorer.state);
      assert.equal(state.ymin, -0.1);
      assert.equal(state.ymax, 0.5);
    } finally {
      await again.context.close();
    }
    assert.equal(await page.evaluate(() => window.__explorer.state.ymax), 0.5);
    assert.equal(q.get ? true : true, true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('bug 7b: the "Read the values at x" slider and the hover readout show the same x and values', async () => {
  for (const viewport of [DESKTOP, PHONE]) await probeAgrees(viewport);
});

async function probeAgrees(viewport) {
  const { page, errors, context } = await openPage(browser, site, '#/explorer?fn=relu&d=1', { waitFor: EXPLORER_READY, viewport });
  try {
    const readout = () =>
      page.evaluate(() => ({
        slider: document.querySelector('#probe-x + output, label[for="probe-x"] output')?.textContent,
        legend: window.__explorer.legend(),
      }));
    // On arrival both read the slider's starting x, 0.
    await page.waitForTimeout(300);
    const start = await readout();
    assert.equal(start.slider, '0', `${viewport.width} px: the slider starts at 0`);
    assert.equal(start.legend.find((l) => l.label === 'x')?.value, '0', `${viewport.width} px: and so does the chart's read-out`);
    for (const x of ['0.3', '-2.45', '7.1', '0.0125']) {
      await page.fill('#probe-x', x);
      await page.waitForTimeout(100);
      const r = await readout();
      const legendX = r.legend.find((l) => l.label === 'x')?.value;
      const fx = r.legend.find((l) => / f\(x\)/.test(l.label))?.value;
      assert.equal(legendX, r.slider, `${viewport.width} px, x = ${x}: the slider reads ${r.slider}, the chart ${legendX}`);
      assert.equal(Number(fx), Math.max(0, Number(r.slider)), `x = ${x}: ReLU's value at the slider's x`);
    }
    // Hovering moves the slider to the x the chart reads.
    const [cx, cy] = await page.evaluate(() => window.__explorer.toClient(3.3, 3.3));
    await page.mouse.move(cx, cy);
    await page.waitForTimeout(100);
    const r = await readout();
    assert.equal(
      r.legend.find((l) => l.label === 'x')?.value,
      r.slider,
      `${viewport.width} px: after a hover the slider reads the hovered x`,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
}

// Steps a second over 3 s of a race opened at `hash`, after pressing Race.
async function raceRate(hash) {
  const { page, errors, context } = await openPage(browser, site, hash, { waitFor: RACE_READY });
  try {
    await page.click('.pg-play');
    // Steps and time read together in the page, from a few rounds in, so a slow start is not measured.
    await page.waitForFunction(() => Math.min(...window.__race.steps) > 30, null, { timeout: 30000 });
    const clock = () => page.evaluate(() => [Math.min(...window.__race.steps), performance.now()]);
    const [s0, t0] = await clock();
    await page.waitForTimeout(3000);
    const [s1, t1] = await clock();
    const options = await page.$$eval('select', (ss) => ss.flatMap((s) => [...s.options].map((o) => o.textContent)));
    const length = await page.evaluate(() => window.__race.race.length);
    const speed = await page.evaluate(
      () =>
        [...document.querySelectorAll('#race select')].find((s) => s.labels?.[0]?.textContent.trim() === 'Speed')?.selectedOptions[0]
          ?.textContent ?? '',
    );
    assert.deepEqual(errors, []);
    return { rate: (s1 - s0) / ((t1 - t0) / 1000), options, length, speed };
  } finally {
    await context.close();
  }
}

test('bug 8: a default race paces itself to be watched (3,000 steps take 20 to 40 s), and "as fast as possible" stays', async () => {
  const paced = await raceRate('#/race?v=1');
  assert.equal(paced.length, 3000);
  assert.ok(paced.options.includes('As fast as possible'));
  // The pace the speed control says, in steps a second (a pace per frame depends on the display).
  const perSecond = Number(/([\d,]+) steps? a second/.exec(paced.speed)?.[1]?.replace(',', ''));
  assert.ok(perSecond >= 3000 / 40 && perSecond <= 3000 / 20, `the default speed "${paced.speed}" runs 3,000 steps in 20 to 40 s`);
  const fast = await raceRate('#/race?v=1&speed=6&len=0'); // no end, so it cannot finish inside the window
  console.log(`# race: ${paced.rate.toFixed(0)} steps/s by default, ${fast.rate.toFixed(0)} as fast as possible`);
  assert.ok(paced.rate <= 1.1 * perSecond + 5, `it keeps to that pace: ${paced.rate.toFixed(0)} steps/s`);
  // And keeps up with it, unless this machine cannot go that fast at all.
  assert.ok(
    paced.rate >= Math.min(0.8 * perSecond, 0.5 * fast.rate),
    `${paced.rate.toFixed(0)} steps/s (as fast as possible: ${fast.rate.toFixed(0)})`,
  );
});

test('bug 9: the article is named, on a page that links every lesson', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/lessons/1');
  try {
    const TITLE = 'Explanation of the Relu Activation Function for Neural Networks';
    // The lessons view draws after the core has loaded (its lessons are checked first): wait for it.
    const link = await page.waitForSelector('.lessons__toc a[href="#/lessons/article"]', { timeout: 20000 }).catch(() => null);
    assert.ok(link, 'the lessons list links the article page');
    assert.ok((await page.textContent('.lesson__article')).includes(TITLE), 'a lesson\'s "What the article says" names it');
    await link.click();
    await page.waitForFunction(() => document.querySelector('.lesson h1')?.textContent === 'The article');
    const text = await page.textContent('.lesson');
    assert.ok(text.includes(TITLE), 'the page names the article');
    const hrefs = await page.$$eval('.lesson a', (as) => as.map((a) => a.getAttribute('href')));
    for (let n = 1; n <= 10; ++n) assert.ok(hrefs.includes(`#/lessons/${n}`), `links lesson ${n}`);
    await screenshot(page, 'bug9-article-page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
