// Hostile input: every case of tests/browser/fixtures/hostile/index.json goes through the page the way a
// visitor's input would: links by navigation (a fresh load) and by hashchange from a good state, experiment
// files through each view's Import JSON input, point files through the CSV dialog's file input. For each:
// no dialog, no injected element or handler, the sentinel window.__pwned never set, no uncaught or console
// error, a visible message that matches the case's patterns (the field or the bound by name), the work on
// screen unchanged (settings, weights, step count and URL), and training still advances. Lesson files go
// through the own-lesson editor's file input and lesson links by navigation and hashchange: refused by field
// or line, the teacher's text, its preview and the lesson on screen kept. Also the size
// bounds at the wasm module's edge that no page control reaches (steps per call, grid side), in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSite, site, browser, openPage, ROOT, PG_READY, RACE_READY } from './harness.mjs';

const FIXTURES = join(ROOT, 'tests/browser/fixtures/hostile');
const corpus = JSON.parse(await readFile(join(FIXTURES, 'index.json'), 'utf8'));

useSite();
let scratch;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hostile-'));
});
after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A case's text: a string, or { parts: [[text, times], ...] } for inputs too big to keep in the repository. */
function build(spec) {
  return typeof spec === 'string' ? spec : spec.parts.map(([text, times]) => text.repeat(times)).join('');
}

async function fileBytes(c) {
  return c.file ? readFile(join(FIXTURES, c.file)) : Buffer.from(build(c.generate), 'utf8');
}

// Where each view reads its input, shows its message, and what "its state" is.
const VIEWS = {
  playground: {
    ready: PG_READY,
    message: '#playground .pg-messages .error-message',
    anyMessage: '#playground .pg-messages > *',
    snapshot: () => ({
      query: window.__playground.query,
      step: window.__playground.step,
      weights: window.__playground.weights(),
      hash: location.hash,
    }),
    play: '#playground .pg-play',
    steps: () => window.__playground.step,
    // Every step's reply back and drawn: a snapshot taken then is the state on screen.
    settled: () => window.__playground.settled,
  },
  race: {
    ready: RACE_READY,
    message: '#race .pg-messages .error-message',
    anyMessage: '#race .pg-messages > *',
    snapshot: () => ({ query: window.__race.query, steps: window.__race.steps, weights: window.__race.weights(0), hash: location.hash }),
    play: '#race .pg-play',
    steps: () => Math.min(...window.__race.steps),
    settled: () => window.__race.settled,
  },
  lessons: {
    ready: () => document.querySelector('.lesson[data-lesson] h1') !== null,
    message: '#lessons .lessons > p.note[role="status"]:not([hidden])',
    snapshot: () => ({ lesson: document.querySelector('.lesson').dataset.lesson, hash: location.hash }),
  },
  // '#/lessons/own': the teacher's text and its preview are the work a refused file must leave alone.
  ownLesson: {
    // The preview drawn, its formulas typeset too (KaTeX arrives after the text and rewrites them).
    ready: () =>
      document.querySelector('.lesson-own__preview h2') !== null &&
      [...document.querySelectorAll('.lesson-own__preview .lesson-math')].every((m) => m.querySelector('.katex') !== null),
    message: '#lessons .lesson-own__errors:not([hidden])',
    snapshot: () => ({
      text: document.querySelector('.lesson-own__text').value,
      preview: document.querySelector('.lesson-own__preview').innerHTML,
      hash: location.hash,
    }),
  },
  explorer: {
    ready: () => window.__explorer?.draws > 0,
    message: '#explorer .note[role="status"]:not([hidden])',
  },
  route: {
    ready: () => window.__explorer?.draws > 0,
    message: '#app-status[data-kind="warning"]:not([hidden])',
  },
};

/**
 * Before any of the page's code: the sentinel stays unset unless a payload runs, and every element that an
 * injection would add (script, iframe, object, embed, img, svg, or any on* attribute) is recorded, except the
 * page's own module scripts parsed from index.html and KaTeX's typeset formulas.
 */
function watchForInjection(page) {
  return page.addInitScript(() => {
    window.__injected = [];
    const suspicious = (el) => {
      const tag = el.localName;
      if (tag === 'script' && document.readyState === 'loading' && el.src.startsWith(location.origin)) return false;
      // The page's own pictures: KaTeX's formulas and the lessons' figures (class lesson-plot__svg).
      if ((tag === 'svg' || tag === 'img') && (el.closest?.('.katex') || /^lesson-/.test(el.getAttribute('class') ?? ''))) return false;
      return (
        ['script', 'iframe', 'object', 'embed', 'frame', 'img', 'svg', 'image'].includes(tag) ||
        [...el.attributes].some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value))
      );
    };
    const check = (node) => {
      if (node.nodeType !== 1) return;
      for (const el of [node, ...node.querySelectorAll('*')]) if (suspicious(el)) window.__injected.push(el.outerHTML.slice(0, 200));
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (
          r.type === 'attributes' &&
          (/^on/i.test(r.attributeName) || /^\s*javascript:/i.test(r.target.getAttribute(r.attributeName) ?? ''))
        ) {
          window.__injected.push(`${r.target.localName}[${r.attributeName}]`);
        }
        for (const n of r.addedNodes ?? []) check(n);
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
}

/** Opens a page that records dialogs and injections besides the harness's errors. */
async function open(hash, view) {
  const dialogs = [];
  const opened = await openPage(browser, site, hash, {
    waitFor: VIEWS[view].ready,
    beforeLoad: async (page) => {
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      await watchForInjection(page);
    },
  });
  return { ...opened, dialogs };
}

/** Nothing ran and nothing was injected: no dialog, no sentinel, no suspicious element, no error so far. */
async function assertClean(o, label) {
  assert.deepEqual(o.dialogs, [], `${label}: dialogs`);
  const found = await o.page.evaluate(() => ({
    pwned: window.__pwned,
    injected: window.__injected,
    // And a scan of the whole document now, in case a node came in some other way.
    now: [...document.querySelectorAll('*')]
      .filter((el) =>
        ['script', 'iframe', 'object', 'embed'].includes(el.localName)
          ? !(el.localName === 'script' && el.src && el.parentNode === document.head)
          : [...el.attributes].some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)),
      )
      .map((el) => el.outerHTML.slice(0, 200)),
  }));
  assert.equal(found.pwned, undefined, `${label}: window.__pwned was set`);
  assert.deepEqual(found.injected, [], `${label}: injected elements`);
  assert.deepEqual(found.now, [], `${label}: suspicious elements in the document`);
  assert.deepEqual(o.errors, [], `${label}: uncaught or console errors`);
}

/** The visible message of a view must match every pattern of the case. */
async function assertMessage(page, view, c, label) {
  const selector = VIEWS[view].message;
  await page.waitForSelector(selector, { state: 'visible', timeout: 10000 }).catch(() => {});
  const shown =
    (await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => null)) ?? '';
  assert.ok(shown !== '', `${label}: no visible message in ${selector}`);
  for (const pattern of c.expect) assert.match(shown, new RegExp(pattern), `${label}: ${shown.slice(0, 600)}`);
  return shown;
}

/** Play until the step count moves, then pause: the page still trains. */
async function assertTrains(page, view, label) {
  const v = VIEWS[view];
  const start = await page.evaluate(v.steps);
  await page.click(v.play);
  await page
    .waitForFunction(([s, which]) => (which === 'race' ? Math.min(...window.__race.steps) : window.__playground.step) > s, [start, view], {
      timeout: 10000,
    })
    .catch(() => assert.fail(`${label}: training did not advance after pressing play`));
  await page.click(v.play);
  await page.waitForFunction((which) => !(which === 'race' ? window.__race.playing : window.__playground.playing), view);
}

/** A hostile lesson case's hash: its own, or its file carried in a link as the editor's Copy link would. */
async function lessonHash(c) {
  if (c.hash !== undefined) return build(c.hash);
  return `#/lessons/own?lesson=${(await fileBytes(c)).toString('base64url')}`;
}

const byView = (cases, ...views) => cases.filter((c) => views.includes(c.view));

test('the corpus holds at least 45 cases and covers links, experiment files and CSV files', () => {
  const total = corpus.urls.length + corpus.files.length + corpus.csv.length;
  assert.ok(total >= 45, `${total} cases`);
  for (const group of [corpus.urls, corpus.files, corpus.csv]) {
    assert.ok(group.length >= 10);
    for (const c of group) assert.ok(c.expect?.length > 0 !== Boolean(c.accept), `${c.name}: either expect or accept`);
  }
  assert.ok(corpus.lessons.length >= 30, `${corpus.lessons.length} lesson cases`);
  assert.ok(byVia('file').length >= 20 && byVia('link').length >= 10);
});

const byVia = (via) => corpus.lessons.filter((c) => c.via === via);

test('every hostile lesson file, through the editor: refused by field or line, and the text and preview kept', async () => {
  const o = await open('#/lessons/own', 'ownLesson');
  const { page } = o;
  const input = '#lessons .lesson-own input[type="file"]';
  try {
    let good = await page.evaluate(VIEWS.ownLesson.snapshot);
    for (const c of byVia('file')) {
      const label = `lesson file: ${c.name}`;
      const bytes = await fileBytes(c);
      let file = { name: c.file ?? 'generated.json', mimeType: 'application/json', buffer: bytes };
      if (bytes.length > 20e6) {
        file = join(scratch, 'big.json');
        await writeFile(file, bytes);
      }
      await page.evaluate(() => {
        document.querySelector('.lesson-own__errors').hidden = true;
        document.querySelector('.lesson-own__status').textContent = '';
      });
      await page.setInputFiles(input, file);
      if (c.accept) {
        await page.waitForFunction(() => /^Opened /.test(document.querySelector('.lesson-own__status').textContent));
        assert.equal(await page.locator(VIEWS.ownLesson.message).count(), 0, label);
        await assertClean(o, label);
        await page.waitForFunction(VIEWS.ownLesson.ready);
        good = await page.evaluate(VIEWS.ownLesson.snapshot);
        continue;
      }
      const shown = await assertMessage(page, 'ownLesson', c, label);
      assert.match(shown, /was not loaded:.*Your lesson is unchanged\./s, label);
      assert.deepEqual(await page.evaluate(VIEWS.ownLesson.snapshot), good, `${label}: the text, preview and URL are kept`);
      await assertClean(o, label);
    }
  } finally {
    await o.context.close();
  }
});

test('every hostile lesson link, by navigation and by hashchange: refused by field or line, the lesson on screen kept', async () => {
  const o = await open('#/lessons/3', 'lessons');
  const { page } = o;
  try {
    for (const c of byVia('link')) {
      const label = `lesson link (navigate): ${c.name}`;
      await page.goto('about:blank');
      await page.goto(site.url + (await lessonHash(c)));
      await page.waitForFunction(VIEWS.lessons.ready, null, { timeout: 20000 });
      const shown = await assertMessage(page, 'lessons', c, label);
      assert.match(shown, /^This lesson link was not opened: /, label);
      assert.deepEqual(await page.evaluate(VIEWS.lessons.snapshot), { lesson: '1', hash: '#/lessons/1' }, `${label}: lesson 1 instead`);
      await assertClean(o, label);
    }
    await page.evaluate(() => {
      location.hash = '#/lessons/3';
    });
    await page.waitForFunction(() => document.querySelector('.lesson').dataset.lesson === '3');
    const good = await page.evaluate(VIEWS.lessons.snapshot);
    for (const c of byVia('link')) {
      const label = `lesson link (hashchange): ${c.name}`;
      await page.evaluate(() => (document.querySelector('#lessons .lessons > p.note').hidden = true));
      const hash = await lessonHash(c);
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await assertMessage(page, 'lessons', c, label);
      assert.deepEqual(await page.evaluate(VIEWS.lessons.snapshot), good, `${label}: lesson 3 and its URL are kept`);
      await assertClean(o, label);
    }
  } finally {
    await o.context.close();
  }
});

test('every hostile link, opened by navigation: refused by name, nothing injected, and the page trains', async () => {
  const o = await open('#/playground?v=1&seed=2', 'playground');
  try {
    for (const c of corpus.urls) {
      const label = `navigate: ${c.name}`;
      await o.page.goto('about:blank');
      await o.page.goto(site.url + build(c.hash));
      await o.page.waitForFunction(VIEWS[c.view].ready, null, { timeout: 20000 });
      if (c.expect) {
        await assertMessage(o.page, c.view, c, label);
      } else {
        assert.equal(await o.page.locator(VIEWS[c.view].anyMessage).count(), 0, `${label}: no message for a valid link`);
        const state = await o.page.evaluate(() => window.__playground.state);
        for (const [k, v] of Object.entries(c.accept)) assert.deepEqual(state[k], v, `${label}: ${k}`);
        assert.doesNotMatch(await o.page.evaluate(() => location.hash), /=-0(&|$)/, `${label}: -0 written back as 0`);
      }
      if (c.view === 'playground' || c.view === 'race')
        assert.match(await o.page.evaluate(() => location.hash), new RegExp(`^#/${c.view}\\?v=1&`), `${label}: the URL shows what runs`);
      if (c.view === 'playground' || c.view === 'race') await assertTrains(o.page, c.view, label);
      await assertClean(o, label);
    }
  } finally {
    await o.context.close();
  }
});

test('every hostile link, by hashchange over a good state: refused, and the work on screen and its URL are kept', async () => {
  const goods = {
    playground: '#/playground?v=1&seed=3&data=xor&h=3&lr=0.1',
    race: '#/race?v=1&seed=3&h=3&vary=act&runs=relu,tanh',
    lessons: '#/lessons/3',
  };
  const o = await open(goods.playground, 'playground');
  const { page } = o;
  const goTo = (hash) =>
    page.evaluate((h) => {
      location.hash = h;
    }, hash);
  try {
    for (const view of ['playground', 'race', 'lessons']) {
      const v = VIEWS[view];
      const settle = async () => {
        await goTo(goods[view]);
        await page.waitForFunction(v.ready, null, { timeout: 20000 });
        if (view !== 'lessons') {
          await page.waitForFunction((h) => location.hash.startsWith(h.slice(0, 10)), goods[view]);
          for (let i = 0; i < 3; ++i) await page.click(`#${view} button:has-text("Step")`);
          await page.waitForFunction(v.settled, null, { timeout: 20000 });
        }
        return page.evaluate(v.snapshot);
      };
      let good = await settle();
      for (const c of byView(corpus.urls, view)) {
        const label = `hashchange (${view}): ${c.name}`;
        if (view !== 'lessons') await page.evaluate((s) => document.querySelector(s).replaceChildren(), `#${view} .pg-messages`);
        await goTo(build(c.hash));
        if (c.accept) {
          await page.waitForFunction((q) => window.__playground.query !== q, good.query);
          const state = await page.evaluate(() => window.__playground.state);
          for (const [k, val] of Object.entries(c.accept)) assert.deepEqual(state[k], val, `${label}: ${k}`);
          await assertClean(o, label);
          good = await settle();
          continue;
        }
        const shown = await assertMessage(page, view, c, label);
        if (view !== 'lessons') assert.match(shown, /This link was not opened|That setting was not applied/, label);
        assert.deepEqual(await page.evaluate(v.snapshot), good, `${label}: the previous state and URL are kept`);
        await assertClean(o, label);
      }
      if (view !== 'lessons') await assertTrains(page, view, `${view} after every hostile link`);
    }

    // The refusal offers the rest of the link: one click opens it with the bad value at its default.
    await settleOn(page, goods.playground);
    await goTo('#/playground?v=1&seed=8&h=5&lr=NaN');
    await page.click('#playground .pg-messages button:has-text("Open it anyway")');
    // Opening makes a new network in the worker: the state changes when it is there, not at the click.
    await page.waitForFunction(() => window.__playground.state?.seed === 8 && window.__playground.settled, null, { timeout: 20000 });
    const opened = await page.evaluate(() => window.__playground.state);
    assert.deepEqual([opened.seed, opened.layers, opened.learningRate, opened.step], [8, [5], 0.03, undefined]);
    assert.match(await page.evaluate(() => location.hash), /seed=8&.*h=5&.*lr=0\.03/);

    // The explorer and an unknown route: the link is read as far as it is valid (the explorer's own rule), and
    // the views that hold training work are untouched by it.
    const pgBefore = await settleOn(page, goods.playground);
    for (const c of byView(corpus.urls, 'explorer', 'route')) {
      const label = `hashchange (${c.view}): ${c.name}`;
      await goTo(build(c.hash));
      await page.waitForFunction(VIEWS[c.view].ready, null, { timeout: 20000 });
      await assertMessage(page, c.view, c, label);
      await assertClean(o, label);
    }
    await goTo('#/playground');
    await page.waitForFunction(PG_READY);
    assert.deepEqual(await page.evaluate(VIEWS.playground.snapshot), pgBefore, 'the playground is as it was left');
    await assertTrains(page, 'playground', 'playground after the explorer cases');
    await assertClean(o, 'the end');
  } finally {
    await o.context.close();
  }
});

async function settleOn(page, hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForFunction(PG_READY, null, { timeout: 20000 });
  await page.waitForFunction((h) => location.hash.startsWith(h.slice(0, 14)), hash);
  await page.click('#playground button:has-text("Step")');
  await page.waitForFunction(VIEWS.playground.settled, null, { timeout: 20000 });
  return page.evaluate(VIEWS.playground.snapshot);
}

test('every hostile experiment file, through Import JSON: refused by name, and the network on screen is kept', async () => {
  const goods = { playground: '#/playground?v=1&seed=3&data=moons&h=4&lr=0.1', race: '#/race?v=1&seed=3&h=3&vary=act&runs=relu,sigmoid' };
  const o = await open(goods.playground, 'playground');
  const { page } = o;
  try {
    for (const view of ['playground', 'race']) {
      const v = VIEWS[view];
      const input = `#${view} ${view === 'race' ? '.race-share' : '.pg-share'} input[type="file"]`;
      const settle = async () => {
        await page.evaluate((h) => {
          location.hash = h;
        }, goods[view]);
        await page.waitForFunction(v.ready, null, { timeout: 20000 });
        await page.waitForFunction((h) => location.hash.startsWith(h.slice(0, 10)), goods[view]);
        for (let i = 0; i < 4; ++i) await page.click(`#${view} button:has-text("Step")`);
        await page.waitForFunction(v.settled, null, { timeout: 20000 });
        return page.evaluate(v.snapshot);
      };
      let good = await settle();
      for (const c of byView(corpus.files, view)) {
        const label = `import (${view}): ${c.name}`;
        await page.evaluate((s) => document.querySelector(s).replaceChildren(), `#${view} .pg-messages`);
        const bytes = await fileBytes(c);
        // Past Playwright's 50 MB buffer limit the file goes by path, as a chosen file does anyway.
        let file = { name: c.file ?? 'generated.json', mimeType: 'application/json', buffer: bytes };
        if (bytes.length > 20e6) {
          file = join(scratch, 'big.json');
          await writeFile(file, bytes);
        }
        await page.setInputFiles(input, file);
        await page.waitForSelector(`#${view} .pg-messages > *`, { timeout: 15000 });
        if (c.accept) {
          assert.match(await page.textContent(`#${view} .pg-messages`), /^×?Imported /, `${label}: imported`);
          assert.notDeepEqual(await page.evaluate(v.snapshot), good, `${label}: the file's network is shown`);
          // A network whose weights are finite but huge is shown, and training it says it diverged.
          await page.click(`#${view} button:has-text("Step")`);
          await assertClean(o, label);
          good = await settle();
          continue;
        }
        const shown = await assertMessage(page, view, c, label);
        assert.match(shown, /was not imported: .*is unchanged\./, label);
        assert.deepEqual(await page.evaluate(v.snapshot), good, `${label}: the previous state and URL are kept`);
        await assertClean(o, label);
      }
      await assertTrains(page, view, `${view} after every hostile file`);
    }
  } finally {
    await o.context.close();
  }
});

test('every hostile CSV file, through the CSV dialog: refused by line or bound, and the data on screen is kept', async () => {
  const o = await open('#/playground?v=1&seed=3&data=circle&h=4', 'playground');
  const { page } = o;
  const input = '#playground .pg-csv input[type="file"]';
  try {
    const snapshot = async () => {
      for (let i = 0; i < 2; ++i) await page.click('#playground .pg-toolbar button:has-text("Step")');
      await page.waitForFunction(VIEWS.playground.settled, null, { timeout: 20000 });
      return page.evaluate(VIEWS.playground.snapshot);
    };
    let good = await snapshot();
    for (const c of corpus.csv) {
      const label = `csv: ${c.name}`;
      await page.click('#playground button:has-text("Paste your own points")');
      await page.fill('#playground .pg-csv__text', '');
      const bytes = await fileBytes(c);
      // Past Playwright's 50 MB buffer limit the file goes by path, as a chosen file does anyway.
      let file = { name: c.file ?? 'generated.csv', mimeType: 'text/csv', buffer: bytes };
      if (bytes.length > 20e6) {
        file = join(scratch, 'big.csv');
        await writeFile(file, bytes);
      }
      await page.setInputFiles(input, file);
      if (c.accept) {
        await page.waitForFunction(() => !document.querySelector('#playground .pg-csv').open, null, { timeout: 10000 });
        const state = await page.evaluate(() => window.__playground.state);
        assert.equal(state.dataset, 'custom', label);
        assert.ok(state.points.length >= 4, label);
        assert.ok(state.points.flat().every(Number.isFinite), `${label}: numbers only`);
        await assertClean(o, label);
        good = await snapshot();
        continue;
      }
      const alert = '#playground .pg-csv [role="alert"]';
      await page.waitForSelector(alert, { state: 'visible', timeout: 15000 });
      const shown = await page.textContent(alert);
      for (const pattern of c.expect) assert.match(shown, new RegExp(pattern), `${label}: ${shown.slice(0, 400)}`);
      assert.match(shown, /These points were not loaded: .*Your current data is unchanged\./, label);
      assert.ok(
        await page.evaluate(() => document.querySelector('#playground .pg-csv').open),
        `${label}: the dialog stays open to correct`,
      );
      await page.click('#playground .pg-csv button:has-text("Cancel")');
      assert.deepEqual(await page.evaluate(VIEWS.playground.snapshot), good, `${label}: the previous state and URL are kept`);
      await assertClean(o, label);
    }
    // A paste goes through the same bounds: 5,001 rows typed into the box.
    await page.click('#playground button:has-text("Paste your own points")');
    // As a paste lands (Playwright's fill types a multi-line text far too slowly for 5,001 lines).
    await page.evaluate((text) => {
      const box = document.querySelector('#playground .pg-csv__text');
      box.value = text;
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }, '1,2,0\n'.repeat(5001));
    await page.click('#playground .pg-csv button:has-text("Use these points")');
    assert.match(await page.textContent('#playground .pg-csv [role="alert"]'), /line 5001: more than 5000 points/);
    await page.click('#playground .pg-csv button:has-text("Cancel")');
    assert.deepEqual(await page.evaluate(VIEWS.playground.snapshot), good);
    await assertTrains(page, 'playground', 'after every hostile CSV');
    await assertClean(o, 'the end');
  } finally {
    await o.context.close();
  }
});

test("the bounds no page control reaches are enforced at the wasm module's edge, with the bound in the message", async () => {
  const { loadPlayground } = await import(join(ROOT, 'web/generated/playground.mjs'));
  const core = await loadPlayground({ wasmBinary: await readFile(join(ROOT, 'web/generated/ap_core.wasm')) });
  const config = (patch) => {
    const c = core.defaultConfig();
    patch(c);
    return c;
  };
  const session = core.createSession(config(() => {}));
  try {
    assert.throws(() => session.train(10_000_000), /steps must be an integer 0\.\.1000000/);
    assert.throws(() => session.trainFor(5, 2 ** 40), /1000000/);
    assert.throws(() => session.heatmap({ width: 513, height: 8 }), /grid\.width must be an integer 1\.\.512/);
    assert.throws(() => session.heatmap({ width: 8, height: 1e6 }), /grid\.height must be an integer 1\.\.512/);
    assert.throws(() => session.unitHeatmaps({ width: NaN, height: 8 }), /grid\.width must be an integer 1\.\.512/);
  } finally {
    session.dispose();
  }
  const layer = { units: 2, activation: 'relu' };
  assert.throws(
    () =>
      core.createSession(
        config((c) => {
          c.network.hidden = Array(13).fill(layer);
        }),
      ),
    /0\.\.12/,
  );
  assert.throws(
    () =>
      core.createSession(
        config((c) => {
          c.network.hidden = [{ ...layer, units: 257 }];
        }),
      ),
    /1\.\.256/,
  );
  assert.throws(
    () =>
      core.createSession(
        config((c) => {
          c.data.num_points = 100_001;
        }),
      ),
    /10\.\.100000/,
  );
  assert.throws(
    () =>
      core.createSession(
        config((c) => {
          c.training.batch_size = 4097;
        }),
      ),
    /1\.\.4096/,
  );
});
