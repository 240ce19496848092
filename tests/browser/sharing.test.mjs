// Sharing and export in a real browser: links of the current format load to the same state (fixtures), an
// exported experiment imports as the identical network (same predictions, same continued losses), every
// bad file is refused with a message that names what is wrong and leaves the current work alone, CSV and
// PNG downloads hold what they say, and Copy link confirms or falls back. Also the link format's
// migration machinery (state.js), in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useSite, site, browser, openPage, ROOT, PG_READY, RACE_READY } from './harness.mjs';
import { FORMAT_VERSION, fromQuery, migrateEntries, queryVersion, toQuery, useCoreCatalog } from '../../web/js/state.js';
import { load } from '../wasm/helpers.mjs';
import { raceFromQuery, raceToQuery } from '../../web/js/race/link.js';

useSite();

const GRID = { width: 20, height: 20, xMin: -6, xMax: 6, yMin: -6, yMax: 6 };
// Reads the page once everything it owes the user is done (a change, a step, a new network's first round).
const pgIdle = (page) => page.waitForFunction(() => window.__playground?.idle, null, { timeout: 30000 });
const pg = async (page, expression) => {
  await pgIdle(page);
  return page.evaluate(`window.__playground.${expression}`);
};
const raceIdle = (page) => page.waitForFunction(() => window.__race?.idle, null, { timeout: 30000 });
const race = async (page, expression) => {
  await raceIdle(page);
  return page.evaluate(`window.__race.${expression}`);
};

/** Clicks a button that downloads; returns { name, body: Buffer }. */
async function downloadFrom(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), body: await readFile(await download.path()) };
}

/** Chooses a file (name, text) in a view's hidden import input. */
async function importFile(page, scope, name, text) {
  await page.setInputFiles(`${scope} input[type="file"]`, { name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

function steps(page, n, scope = '') {
  return (async () => {
    for (let i = 0; i < n; ++i) await page.click(`${scope} button:has-text("Step")`);
  })();
}

/** A PNG's width and height from its IHDR chunk, after checking its signature. */
function pngSize(buffer) {
  assert.deepEqual([...buffer.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

// ---- Links ----

test('links made by the current format (fixtures) load to the same state, and the page writes back an equivalent link', async () => {
  const fixtures = JSON.parse(await readFile(join(ROOT, 'tests/browser/fixtures/links-v1.json'), 'utf8'));
  assert.equal(fixtures.version, FORMAT_VERSION, 'a new format version adds its own fixture file and keeps this one');
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    for (const fixture of fixtures.links) {
      const isRace = fixture.hash.startsWith('#/race');
      await page.goto('about:blank');
      await page.goto(site.url + fixture.hash);
      await page.waitForFunction(isRace ? RACE_READY : PG_READY, null, { timeout: 20000 });
      const scope = isRace ? '#race' : '#playground';
      assert.equal(await page.textContent(`${scope} .pg-messages`), '', `${fixture.name}: no message`);
      const got = isRace ? await race(page, 'race') : { base: await pg(page, 'state') };
      for (const [key, value] of Object.entries(fixture.state)) assert.deepEqual(got.base[key], value, `${fixture.name}: ${key}`);
      for (const [key, value] of Object.entries(fixture.race ?? {})) assert.deepEqual(got[key], value, `${fixture.name}: ${key}`);
      // The link the page writes back opens the same state again.
      const written = await page.evaluate(() => location.hash);
      await page.goto('about:blank');
      await page.goto(site.url + written);
      await page.waitForFunction(isRace ? RACE_READY : PG_READY, null, { timeout: 20000 });
      const again = isRace ? await race(page, 'race') : { base: await pg(page, 'state') };
      assert.deepEqual(again, got, `${fixture.name}: the written link ${written}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the link format migrates old versions step by step; newer or unreadable versions are reported', async () => {
  // The property table takes its names and ranges from the core, as the page does when it loads.
  useCoreCatalog((await load()).catalog());
  const catalog = {
    activations: ['relu', 'tanh', 'leaky_relu'],
    info: (n) => ({ usesAlpha: n === 'leaky_relu', usesBeta: false, defaultAlpha: 0.01, defaultBeta: 1 }),
  };
  // A made-up history: v1 called the batch size 'batch', v2 renamed it 'bs' and wrote lr's old default.
  const migrations = {
    1: (entries) => entries.map(([k, t]) => [k === 'batch' ? 'bs' : k, t]),
    2: (entries) => (entries.some(([k]) => k === 'lr') ? entries : [...entries, ['lr', '0.5']]),
  };
  const input = [
    ['seed', '3'],
    ['batch', '20'],
  ];
  assert.deepEqual(migrateEntries(input, 1, 3, migrations), [
    ['seed', '3'],
    ['bs', '20'],
    ['lr', '0.5'],
  ]);
  assert.deepEqual(migrateEntries(input, 2, 3, migrations), [
    ['seed', '3'],
    ['batch', '20'],
    ['lr', '0.5'],
  ]);
  assert.deepEqual(
    input,
    [
      ['seed', '3'],
      ['batch', '20'],
    ],
    'the input is not modified',
  );
  assert.throws(() => migrateEntries(input, 1, 4, migrations), /no migration from link format v3 to v4/);
  // The current version needs no migration.
  assert.deepEqual(migrateEntries(input, FORMAT_VERSION), input);

  const errors = [];
  assert.equal(queryVersion(new URLSearchParams('v=99'), errors), FORMAT_VERSION);
  assert.match(errors[0].message, /newer version \(v=99\)/);
  assert.equal(queryVersion(new URLSearchParams('v=x'), errors), FORMAT_VERSION);
  assert.match(errors[1].message, /v \(format version\) must be an integer/);
  // Race and playground read each other's shared keys the same way, and write what they read.
  const { race, errors: raceErrors } = raceFromQuery('v=1&seed=5&h=3,3&lr=0.3&vary=act&runs=relu,tanh&len=500', catalog);
  assert.deepEqual(raceErrors, []);
  const { state } = fromQuery('v=1&seed=5&h=3,3&lr=0.3', catalog);
  // Speed is the one shared key with a default of the race's own: a watchable pace in steps a second.
  assert.deepEqual(
    { ...race.base, activations: null, alphas: null, speed: null },
    { ...state, activations: null, alphas: null, speed: null },
  );
  assert.equal(race.base.speed, 3);
  const again = raceFromQuery(raceToQuery(race, catalog), catalog);
  assert.deepEqual(again, { race, errors: [] });
  assert.equal(toQuery(state, catalog).get('v'), String(FORMAT_VERSION));
});

// ---- Export and import ----

test('playground: export, then import on a fresh page, gives the identical network: same predictions on a grid, same continued losses', async () => {
  const a = await openPage(browser, site, '#/playground?v=1&seed=3&data=xor&h=6,3&act=tanh,relu&opt=adam&lr=0.01&bs=20', {
    waitFor: PG_READY,
  });
  const b = await openPage(browser, site, '#/playground?v=1&data=moons&h=2', { waitFor: PG_READY });
  try {
    await steps(a.page, 40, '#playground');
    const file = await downloadFrom(a.page, '#playground button:has-text("Export JSON")');
    assert.match(file.name, /^playground-.*\.json$/);
    const json = JSON.parse(file.body.toString('utf8'));
    assert.equal(json.format, 'activation-playground-experiment');
    assert.equal(json.models[0].state.step, 40);

    await importFile(b.page, '#playground', file.name, file.body.toString('utf8'));
    await b.page.waitForFunction(() => window.__playground.step === 40);
    assert.match(await b.page.textContent('#playground .pg-messages'), /Imported playground-.*step 40/);
    assert.equal(await pg(b.page, 'query'), await pg(a.page, 'query'), 'the same settings and link');
    assert.deepEqual(await pg(b.page, 'weights()'), await pg(a.page, 'weights()'));
    assert.deepEqual(await pg(b.page, `heatmap(${JSON.stringify(GRID)})`), await pg(a.page, `heatmap(${JSON.stringify(GRID)})`));
    assert.deepEqual(await pg(b.page, 'losses()'), await pg(a.page, 'losses()'), 'the history came along');
    // Training on from step 40: the same batches, the same optimizer state, so the same losses.
    await steps(a.page, 25, '#playground');
    await steps(b.page, 25, '#playground');
    const la = await pg(a.page, 'losses()');
    const lb = await pg(b.page, 'losses()');
    assert.equal(lb.step.at(-1), 65);
    assert.deepEqual(lb, la);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('race: export, then import, gives the identical networks; a race file is refused by the playground', async () => {
  const a = await openPage(browser, site, '#/race?v=1&seed=6&h=5,5&vary=act&runs=relu,prelu,sigmoid&len=1000', { waitFor: RACE_READY });
  const b = await openPage(browser, site, '#/race?v=1&vary=opt&runs=sgd,adam', { waitFor: RACE_READY });
  try {
    await steps(a.page, 15, '#race');
    const file = await downloadFrom(a.page, '#race button:has-text("Export JSON")');
    const text = file.body.toString('utf8');
    assert.equal(JSON.parse(text).models.length, 3);
    await importFile(b.page, '#race', file.name, text);
    await b.page.waitForFunction(() => window.__race.steps.length === 3);
    assert.deepEqual(await race(b.page, 'steps'), [15, 15, 15]);
    assert.equal(await race(b.page, 'query'), await race(a.page, 'query'));
    for (let i = 0; i < 3; ++i) {
      assert.deepEqual(await race(b.page, `weights(${i})`), await race(a.page, `weights(${i})`), `network ${i}`);
      assert.deepEqual(
        await race(b.page, `heatmap(${i}, ${JSON.stringify(GRID)})`),
        await race(a.page, `heatmap(${i}, ${JSON.stringify(GRID)})`),
      );
    }
    await steps(a.page, 10, '#race');
    await steps(b.page, 10, '#race');
    for (let i = 0; i < 3; ++i) assert.deepEqual(await race(b.page, `losses(${i})`), await race(a.page, `losses(${i})`));

    // The same file in the playground: refused, and it says where it belongs.
    await b.page.goto(`${site.url}#/playground?v=1&seed=2`);
    await b.page.waitForFunction(PG_READY);
    await importFile(b.page, '#playground', 'race.json', text);
    await b.page.waitForFunction(() => document.querySelector('#playground .pg-messages .error-message'));
    assert.match(await b.page.textContent('#playground .pg-messages'), /this file is a race experiment; open it in the Race view/);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('race on two seeds per network: export, then import, gives each seed run back', async () => {
  const a = await openPage(browser, site, '#/race?v=1&seed=3&h=4&vary=act&runs=relu,tanh&len=500&seeds=2', { waitFor: RACE_READY });
  const b = await openPage(browser, site, '#/race?v=1&vary=opt&runs=sgd,adam', { waitFor: RACE_READY });
  try {
    await steps(a.page, 7, '#race');
    const file = await downloadFrom(a.page, '#race button:has-text("Export JSON")');
    const text = file.body.toString('utf8');
    assert.equal(JSON.parse(text).models.length, 4, 'two networks on two seeds each');
    await importFile(b.page, '#race', file.name, text);
    await b.page.waitForFunction(() => window.__race.race.seeds === 2);
    assert.equal(await race(b.page, 'query'), await race(a.page, 'query'));
    for (let i = 0; i < 2; ++i) {
      const mine = await race(a.page, `seedRuns(${i})`);
      const theirs = await race(b.page, `seedRuns(${i})`);
      assert.deepEqual(
        theirs.map((r) => [r.seed, r.step]),
        [
          [3, 7],
          [4, 7],
        ],
      );
      // The same recorded losses and the same full-set figures now (the last batch's loss is not in a model file).
      const kept = (runs) => runs.map((r) => ({ ...r, latest: { ...r.latest, batchLoss: null } }));
      assert.deepEqual(kept(theirs), kept(mine), `network ${i}, both seeds`);
    }
    // A file whose link asks for more runs than it holds is refused, naming both counts.
    const short = JSON.parse(text);
    short.models.pop();
    short.histories.pop();
    await importFile(b.page, '#race', 'short.json', JSON.stringify(short));
    await b.page.waitForFunction(() => /models has 3/.test(document.querySelector('#race .pg-messages')?.textContent ?? ''));
    assert.match(
      await b.page.textContent('#race .pg-messages'),
      /the link races 2 networks \(runs\) on 2 seeds each \(seeds\) but models has 3/,
    );
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('a bad import file shows a message that says what is wrong and where, and keeps the current network', async () => {
  // A good file to break, from another network than the one on screen.
  const source = await openPage(browser, site, '#/playground?v=1&seed=8&h=3', { waitFor: PG_READY });
  await steps(source.page, 5, '#playground');
  const good = (await downloadFrom(source.page, '#playground button:has-text("Export JSON")')).body.toString('utf8');
  await source.context.close();

  const edit = (fn) => {
    const j = JSON.parse(good);
    fn(j);
    return JSON.stringify(j);
  };
  const img = '<img src=x onerror="window.__pwned=1">';
  const cases = [
    ['malformed JSON', good.slice(0, -7), /not valid JSON/],
    ['not an object', '[1, 2, 3]', /must hold a JSON object, got an array/],
    [
      'a newer version',
      edit((j) => {
        j.version = 2;
      }),
      /version 2 was made by a newer version/,
    ],
    [
      'a wrong format',
      edit((j) => {
        j.format = 'something-else';
      }),
      /format must be "activation-playground-experiment"/,
    ],
    [
      'an unknown field',
      edit((j) => {
        j.extra = 1;
      }),
      /unknown field "extra"/,
    ],
    ['NaN written into the weights', good.replace('"params":[', '"params":[NaN,'), /not valid JSON/],
    [
      'a null weight',
      edit((j) => {
        j.models[0].state.params[2] = null;
      }),
      /models\[0\]: .*state\.params/,
    ],
    [
      'an infinite weight (1e999)',
      good.replace('"params":[', '"params":[1e999,').replace(/("params":\[1e999,)[^,\]]*,/, '$1'),
      /models\[0\]: .*state\.params/,
    ],
    [
      'a weight missing',
      edit((j) => {
        j.models[0].state.params.pop();
      }),
      /models\[0\]: .*state\.params.*\d/,
    ],
    [
      'a weight too many',
      edit((j) => {
        j.models[0].state.params.push(0.5);
      }),
      /models\[0\]: .*state\.params.*\d/,
    ],
    [
      'a wrong model version',
      edit((j) => {
        j.models[0].format_version = 99;
      }),
      /models\[0\]: .*format_version/,
    ],
    [
      'a model that does not match the link',
      edit((j) => {
        j.models[0].config.training.learning_rate = 0.5;
      }),
      /models\[0\]\.config does not match the file's link: training\.learning_rate: 0\.5 in the model, 0\.03 in the link/,
    ],
    [
      'script in the link',
      edit((j) => {
        j.link = j.link.replace(/act=[^&]*/, `act=${encodeURIComponent(img)}`);
      }),
      /link: act lists "<img src=x onerror=/,
    ],
    [
      'script in a model string',
      edit((j) => {
        j.models[0].config.network.hidden[0].activation = img;
      }),
      /models\[0\]: .*<img src=x onerror=/,
    ],
    [
      'script as the view',
      edit((j) => {
        j.view = img;
      }),
      /view must be "playground" or "race", got string "<img src=x/,
    ],
    [
      'a bad history value',
      edit((j) => {
        j.histories[0].testLoss[3] = 'x';
      }),
      /histories\[0\]\.testLoss\[3\] must be a number or null/,
    ],
    [
      'histories of the wrong length',
      edit((j) => {
        j.histories[0].step.pop();
      }),
      /histories\[0\]\.trainLoss has \d+ values, histories\[0\]\.step has \d+/,
    ],
  ];

  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=2&data=moons&h=4', { waitFor: PG_READY });
  try {
    await steps(page, 7, '#playground');
    const before = {
      query: await pg(page, 'query'),
      step: await pg(page, 'step'),
      weights: await pg(page, 'weights()'),
      hash: await page.evaluate(() => location.hash),
    };
    for (const [name, text, message] of cases) {
      await page.evaluate(() => document.querySelector('#playground .pg-messages').replaceChildren());
      await importFile(page, '#playground', `${name}.json`, text);
      await page.waitForFunction(() => document.querySelector('#playground .pg-messages .error-message'), null, { timeout: 5000 });
      const shown = await page.textContent('#playground .pg-messages .error-message');
      assert.match(shown, message, `${name}: ${shown}`);
      assert.match(shown, /was not imported: .*The network on screen is unchanged\./, name);
      assert.equal(await pg(page, 'query'), before.query, `${name}: settings kept`);
      assert.equal(await pg(page, 'step'), before.step, `${name}: step kept`);
      assert.deepEqual(await pg(page, 'weights()'), before.weights, `${name}: weights kept`);
      assert.equal(await page.evaluate(() => location.hash), before.hash, `${name}: URL kept`);
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
    assert.equal(await page.locator('#playground .pg-messages img').count(), 0, 'names are shown as text');
    // Still working: it trains on from where it was.
    await steps(page, 1, '#playground');
    assert.equal(await pg(page, 'step'), before.step + 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a bad race file is refused the same way, and the race on screen stays', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/race?v=1&seed=3&h=4&vary=act&runs=relu,tanh', { waitFor: RACE_READY });
  try {
    await steps(page, 3, '#race');
    const good = (await downloadFrom(page, '#race button:has-text("Export JSON")')).body.toString('utf8');
    const before = { query: await race(page, 'query'), steps: await race(page, 'steps'), w: await race(page, 'weights(1)') };
    const bad = [
      [
        JSON.stringify({ ...JSON.parse(good), models: JSON.parse(good).models.slice(0, 1), histories: undefined }),
        /models has 1 entries; a race experiment has 2 to 4/,
      ],
      [good.replace('"view":"race"', '"view":"playground"'), /this file is a playground experiment; open it in the Playground view/],
      [
        (() => {
          const j = JSON.parse(good);
          j.link = j.link.replace('runs=relu%2Ctanh', 'runs=relu%2Ctanh%2Csigmoid');
          return JSON.stringify(j);
        })(),
        /the link races 3 networks \(runs\) but models has 2/,
      ],
      [
        (() => {
          const j = JSON.parse(good);
          j.models[1].state.params[0] = 'x';
          return JSON.stringify(j);
        })(),
        /models\[1\]: .*state\.params/,
      ],
    ];
    for (const [text, message] of bad) {
      await page.evaluate(() => document.querySelector('#race .pg-messages').replaceChildren());
      await importFile(page, '#race', 'bad.json', text);
      await page.waitForFunction(() => document.querySelector('#race .pg-messages .error-message'), null, { timeout: 5000 });
      const shown = await page.textContent('#race .pg-messages .error-message');
      assert.match(shown, message, shown);
      assert.match(shown, /The race on screen is unchanged/);
      assert.equal(await race(page, 'query'), before.query);
      assert.deepEqual(await race(page, 'steps'), before.steps);
      assert.deepEqual(await race(page, 'weights(1)'), before.w);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ---- Downloads ----

test('Export code: the playground downloads a PyTorch and a NumPy script of its network; the race offers none', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=1', { waitFor: PG_READY });
  try {
    await steps(page, 5, '#playground');
    await pgIdle(page);
    for (const [item, name, words] of [
      ['PyTorch (.py)', /^playground-pytorch-.*\.py$/, ['import torch', 'nn.Sequential(', 'STEP = 5', 'TRAIN = [']],
      ['NumPy (.py)', /^playground-numpy-.*\.py$/, ['import numpy as np', 'def predict(x1, x2):', 'predictions at step 5']],
    ]) {
      await page.click('#playground .share-code summary');
      const file = await downloadFrom(page, `#playground .share-code button:has-text("${item}")`);
      assert.match(file.name, name);
      const text = file.body.toString('utf8');
      for (const w of words) assert.ok(text.includes(w), `${file.name} has no '${w}'`);
      assert.equal(await page.locator('#playground .share-code').getAttribute('open'), null, 'the menu closes after a choice');
    }
    await page.goto(`${site.url}#/race?v=1&vary=act&runs=relu,tanh&len=1000`);
    await page.waitForFunction(RACE_READY);
    assert.equal(await page.locator('#race .share-code').count(), 0, 'the race has no Export code');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("CSV and PNG downloads: the playground's metrics, charts and map; the race's metrics, curves and maps", async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=1', { waitFor: PG_READY });
  try {
    await steps(page, 12, '#playground');
    await pgIdle(page); // the last steps' metrics come back from the worker after the clicks
    const csv = await downloadFrom(page, '#playground button:has-text("Metrics CSV")');
    assert.match(csv.name, /^playground-metrics-.*\.csv$/);
    const lines = csv.body.toString('utf8').trim().split('\n');
    assert.equal(lines[0], 'step,train_loss,test_loss,train_accuracy,test_accuracy');
    const losses = await pg(page, 'losses()');
    assert.equal(lines.length - 1, losses.step.length, 'one row per recorded step');
    lines.slice(1).forEach((line, k) => {
      const cells = line.split(',').map(Number);
      assert.equal(cells.length, 5);
      assert.equal(cells[0], losses.step[k]);
      assert.equal(cells[1], losses.trainLoss[k], 'every digit kept');
      assert.ok(cells[3] >= 0 && cells[3] <= 1 && cells[4] >= 0 && cells[4] <= 1, 'accuracies are fractions');
    });
    for (const [selector, stem] of [
      ['#playground .pg-chart:has-text("Loss") .pg-chart__save', 'loss'],
      ['#playground .pg-output button:has-text("PNG")', 'output-map'],
      ['#playground .pg-diag__chart .pg-chart__save', 'gradient-norms'],
    ]) {
      // The gradient chart is on the Diagnostics tab, one click from the network.
      if (stem === 'gradient-norms') await page.click('#pg-tab-diag');
      const png = await downloadFrom(page, selector);
      assert.match(png.name, new RegExp(`^${stem}-.*\\.png$`));
      const { width, height } = pngSize(png.body);
      assert.ok(width >= 200 && height >= 150, `${stem}: ${width}x${height}`);
      assert.ok(png.body.length > 2000, `${stem}: ${png.body.length} bytes, more than a blank image`);
    }

    await page.goto(`${site.url}#/race?v=1&vary=act&runs=relu,tanh,sigmoid&len=1000`);
    await page.waitForFunction(RACE_READY);
    await steps(page, 8, '#race');
    await raceIdle(page);
    const raceCsv = (await downloadFrom(page, '#race button:has-text("Metrics CSV")')).body.toString('utf8').trim().split('\n');
    const header = raceCsv[0].split(',');
    assert.equal(header.length, 1 + 3 * 4);
    assert.deepEqual(header.slice(0, 5), ['step', 'relu train_loss', 'relu test_loss', 'relu train_accuracy', 'relu test_accuracy']);
    assert.equal(raceCsv.length - 1, 9, 'steps 0..8');
    const sig = await race(page, 'losses(2)');
    assert.equal(Number(raceCsv[9].split(',')[10]), sig.testLoss[8], "sigmoid's test loss at step 8");
    for (const [selector, stem] of [
      ['#race .pg-chart__save', 'race-test-loss'],
      ['#race .race-maps-panel button:has-text("PNG")', 'race-maps'],
    ]) {
      // The gradient chart is on the Diagnostics tab, one click from the network.
      if (stem === 'gradient-norms') await page.click('#pg-tab-diag');
      const png = await downloadFrom(page, selector);
      assert.match(png.name, new RegExp(`^${stem}-.*\\.png$`));
      const { width, height } = pngSize(png.body);
      assert.ok(width >= 300 && height >= 100, `${stem}: ${width}x${height}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ---- Copy link ----

test('Copy link puts the URL on the clipboard and says so; without a clipboard it shows the link selected to copy by hand', async () => {
  const { page, errors, context } = await openPage(browser, site, '#/playground?v=1&seed=12&h=3,3', { waitFor: PG_READY });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    await page.click('#playground button:has-text("Copy link")');
    await page.waitForFunction(() => document.querySelector('#playground .pg-messages')?.textContent.includes('Link copied'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.evaluate(() => location.href));
    assert.match(copied, /#\/playground\?v=1&seed=12&.*h=3,3/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const noClipboard = (page) => page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  for (const [hash, scope, ready] of [
    ['#/playground?v=1&seed=13', '#playground', PG_READY],
    ['#/race?v=1&seed=13&vary=act&runs=relu,elu', '#race', RACE_READY],
  ]) {
    const { page, errors: errs, context: ctx } = await openPage(browser, site, hash, { waitFor: ready, beforeLoad: noClipboard });
    try {
      await page.click(`${scope} button:has-text("Copy link")`);
      const field = page.locator(`${scope} .share-manual__field`);
      await field.waitFor();
      assert.equal(await field.inputValue(), await page.evaluate(() => location.href));
      const selected = await page.evaluate(() => {
        const el = document.activeElement;
        return el.classList.contains('share-manual__field') && el.selectionStart === 0 && el.selectionEnd === el.value.length;
      });
      assert.ok(selected, 'the link is focused and selected');
      await page.click(`${scope} .share-manual button:has-text("Done")`);
      assert.equal(await field.count(), 0);
      assert.deepEqual(errs, []);
    } finally {
      await ctx.close();
    }
  }
});
