// The playground as an instrument (issue 11, items 1 to 3): everything that matters on the first screen of
// a laptop (1440x900) and a projector (1280x720), a 12-layer network of 16 units that fits its panel with
// readable text, weights, biases, inputs and units that can be touched (by mouse and by keyboard), and
// failures explained: a stalled run, a dead layer, a collapse after a live change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, openPage, screenshot, sidewaysOverflow, PHONE } from './harness.mjs';

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
const READY = () => window.__playground?.step !== undefined && document.querySelector('.pg-out__overlay')?.width > 0
  && document.querySelector('.pg-net__links')?.width > 1;
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
      if (r.left < area.left - 0.5 || r.right > area.right + 0.5 || r.top < area.top - 0.5 || r.bottom > area.bottom + 0.5) clipped.push(`${head.textContent}: outside the panel`);
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

for (const [name, viewport] of [['1440x900', LAPTOP], ['1280x720', PROJECTOR]]) {
  test(`${name}: the toolbar, the data, the network, the output map and the loss curve are all on the first screen`, async () => {
    const { page, errors, context } = await open('#/playground', { viewport });
    try {
      const s = await firstScreen(page);
      assert.ok(s.header.bottom <= 48, `the header is compact on a tool view: ${s.header.bottom} px`);
      for (const b of s.boxes) {
        assert.ok(b.top >= 0 && b.left >= 0 && b.bottom <= s.height && b.right <= s.width,
          `${b.sel} is within the ${s.width}x${s.height} viewport: ${JSON.stringify(b)}`);
      }
      const fit = await diagramFit(page);
      assert.ok(fit.node > 38, `unit maps larger than 38 px where there is room: ${fit.node}`);
      assert.equal(await sidewaysOverflow(page), 0);
      await screenshot(page, `instrument-${name}-light`, { fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
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
      const columns = await page.evaluate(() => getComputedStyle(document.querySelector('.pg-layout')).gridTemplateColumns.split(' ').length);
      assert.equal(columns, 1);
      await screenshot(page, `instrument-phone-12-layers-${colorScheme}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
