// For teachers and authors (issue 13, items 1 and 2): any view embedded in another site's page with an
// <iframe> ('#/embed/...': the tool alone), any control hidden through the link ('hide=...'), and the
// "Embed or customise" dialog that writes both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { useSite, site, browser, openPage, screenshot, sidewaysOverflow, PG_READY, AXE, axe } from './harness.mjs';

useSite();

/** Another origin (another port): a teacher's page with two views of the site embedded. */
async function startHost(frames) {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title></head><body>
<h1>Week 3: ReLU</h1>
${frames.map((f) => `<iframe src="${f.src}" width="${f.width}" height="${f.height}" title="${f.title}" style="border:1px solid #999"></iframe>`).join('\n')}
</body></html>`;
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/course.html`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

test('two views embedded in a page on another origin load, train and draw, with no console error and no request outside the site', async () => {
  const host = await startHost([
    { src: `${site.url}#/embed/playground?hide=data,share,trace&h=6,6`, width: 720, height: 560, title: 'Playground' },
    { src: `${site.url}#/embed/explorer?fn=relu,sigmoid&d=1`, width: 480, height: 400, title: 'Explorer' },
  ]);
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(host.url);
    const playground = () => page.frames().find((f) => f.url().includes('#/embed/playground'));
    const explorer = () => page.frames().find((f) => f.url().includes('#/embed/explorer'));
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
    const pgFrame = await waitForFrame(page, playground);
    await pgFrame.waitForFunction(PG_READY, null, { timeout: 30000 });
    // The tool alone: no site header, the hidden panels gone, a way out to the full site.
    assert.equal(await pgFrame.isVisible('.site-header'), false);
    assert.equal(await pgFrame.isVisible('.pg-data'), false, 'hide=data hides the Data panel');
    assert.equal(await pgFrame.isVisible('.pg-share'), false, 'hide=share hides the share buttons');
    assert.equal(await pgFrame.isVisible('.pg-trace-pick'), false, 'hide=trace hides "Trace a point"');
    assert.equal(await pgFrame.isVisible('.pg-out__options'), true, 'the other output options stay');
    assert.equal(await pgFrame.isVisible('.pg-output'), true);
    const out = await pgFrame.getAttribute('#embed-out', 'href');
    assert.match(out, /#\/playground\?.*h=6,6/, `the full-site link keeps the state: ${out}`);
    assert.doesNotMatch(out, /#\/embed\//);
    // It trains and draws.
    await pgFrame.click('.pg-play');
    await pgFrame.waitForFunction(() => window.__playground.step > 100, null, { timeout: 30000 });
    await pgFrame.click('.pg-play');
    assert.ok((await paintedShare(pgFrame, '.pg-out__heat')) > 0.5, 'the output map is drawn');
    assert.match(pgFrame.url(), /#\/embed\/playground\?.*hide=data,share/, 'the frame keeps embed and hide as it writes its link');

    const exFrame = await waitForFrame(page, explorer);
    await exFrame.waitForFunction(() => window.__explorer?.state?.fns?.length === 2, null, { timeout: 30000 });
    assert.equal(await exFrame.isVisible('.site-header'), false);
    assert.ok((await paintedShare(exFrame, '.explorer__chart canvas')) > 0.01, 'the explorer draws its curves');
    await screenshot(page, 'embed-course-page', { fullPage: true });

    assert.deepEqual(errors, []);
    const outside = requests.filter((u) => u !== host.url && !u.startsWith(site.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(outside, [], 'every request goes to the site folder (or is the course page)');
  } finally {
    await context.close();
    await host.close();
  }
});

async function waitForFrame(page, find) {
  for (let i = 0; i < 200; ++i) {
    const f = find();
    if (f) return f;
    await page.waitForTimeout(100);
  }
  throw new Error('the frame did not appear');
}

/** The share of a canvas's pixels that are not transparent or white (its backing store, not the screen). */
function paintedShare(frame, selector) {
  return frame.evaluate((sel) => {
    const c = document.querySelector(sel);
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 0; i < px.length; i += 4) painted += px[i + 3] > 0 && !(px[i] > 250 && px[i + 1] > 250 && px[i + 2] > 250) ? 1 : 0;
    return painted / (px.length / 4);
  }, selector);
}

test('every view fits a 320 x 240 frame with no sideways scroll', async () => {
  for (const hash of ['#/embed/explorer', '#/embed/playground', '#/embed/race', '#/embed/lessons/4']) {
    const { page, errors, context } = await openPage(browser, site, hash, { viewport: { width: 320, height: 240 } });
    try {
      await page.waitForTimeout(800);
      assert.equal(await page.isVisible('.site-header'), false, hash);
      assert.equal(await sidewaysOverflow(page), 0, `${hash} scrolls sideways`);
      await screenshot(page, `embed-320x240-${hash.split('/').slice(2).join('-')}`, { fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('a link followed inside an embedded page stays embedded, with its hidden controls', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/embed/lessons/4?hide=companion');
  try {
    await page.waitForSelector('.lesson__load');
    await page.click('.lesson__load >> nth=0');
    await page.waitForFunction(() => location.hash.startsWith('#/embed/playground?'));
    await page.waitForFunction(PG_READY);
    assert.match(await page.evaluate(() => location.hash), /hide=companion/);
    assert.equal(await page.isVisible('.site-header'), false);
    assert.equal(await page.isVisible('.lesson-companion'), false, 'the companion stays hidden');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('Embed or customise: unticking a control hides it at once and writes hide= into the link; the snippet embeds that view; a typo is reported', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?lr=0.1', { waitFor: PG_READY, bypassCSP: true });
  try {
    await page.click('button:has-text("Embed…")');
    const dialog = page.locator('dialog.embed-dialog');
    await dialog.waitFor();
    await page.addScriptTag({ path: AXE });
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], 'axe: the dialog has no serious or critical violation');
    await dialog.getByLabel('The Data panel').uncheck();
    await dialog.getByLabel('Seed').uncheck();
    await page.waitForFunction(() => /[?&]hide=data,seed(&|$)/.test(location.hash));
    assert.equal(await page.isVisible('.pg-data'), false, 'hidden at once');
    await dialog.getByLabel('Width (px)').fill('200');
    await dialog.getByLabel('Width (px)').dispatchEvent('change');
    const code = await dialog.locator('textarea').inputValue();
    assert.match(
      code,
      /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/some\/path\/#\/embed\/playground\?[^"]*lr=0\.1[^"]*&amp;hide=data,seed" width="320" height="640"/,
    );
    assert.match(code, /title="Activation Playground: playground"/);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = await waitForFrame(page, () => page.frames().find((f) => f.url().includes('#/embed/playground')));
    await preview.waitForFunction(PG_READY, null, { timeout: 30000 });
    assert.equal(await preview.isVisible('.pg-data'), false);
    await screenshot(page, 'embed-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Done' }).click();
    assert.equal((await page.evaluate(() => window.__playground.state)).learningRate, 0.1, 'the settings are untouched');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // The explorer and a lesson have the dialog too, with their own controls.
  for (const [hash, label, selector] of [
    ['#/explorer?fn=relu', 'The activation cards', '.explorer__cards'],
    ['#/lessons/4', 'The playground companion bar', null],
  ]) {
    const other = await openPage(browser, site, hash);
    try {
      await other.page.click('button:has-text("Embed…")');
      const box = other.page.locator('dialog.embed-dialog').getByLabel(label);
      await box.uncheck();
      await other.page.waitForFunction(() => /[?&]hide=/.test(location.hash));
      if (selector) assert.equal(await other.page.isVisible(selector), false, `${label} hidden`);
      assert.match(await other.page.locator('dialog.embed-dialog textarea').inputValue(), /#\/embed\/(explorer|lessons\/4)/);
      assert.deepEqual(other.errors, []);
    } finally {
      await other.context.close();
    }
  }

  const typo = await openPage(browser, site, '#/playground?hide=data,sed', { waitFor: PG_READY });
  try {
    assert.match(await typo.page.textContent('#app-status'), /hides "sed", which this page does not have/);
    assert.equal(await typo.page.isVisible('.pg-data'), false, 'the names it knows are still hidden');
  } finally {
    await typo.context.close();
  }
});
