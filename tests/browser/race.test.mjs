// Race mode in a real browser, against the built dist/ served from a sub-path: the networks start from
// identical weights, differ only where their setting does, race to fill the table, stay smooth with four
// networks, and take their state from a validated link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useSite,
  site,
  browser,
  openPage,
  screenshot,
  sidewaysOverflow,
  tabThrough,
  PHONE,
  DESKTOP,
  AXE,
  axe,
  RACE_READY as READY,
} from './harness.mjs';
import { summary } from '../../web/js/race/seeds.js';

useSite();

const open = (hash, options = {}) => openPage(browser, site, hash, { waitFor: READY, ...options });
const raceIdle = (page) => page.waitForFunction(() => window.__race?.idle, null, { timeout: 30000 });
const race = async (page, expression) => {
  await raceIdle(page);
  return page.evaluate(`window.__race.${expression}`);
};
const fourCores = (page) => page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 }));
const GRID = { width: 24, height: 24, xMin: -6, xMax: 6, yMin: -6, yMax: 6 };

/** Each layer's weights and biases (alphas aside), by the offsets layers() gives. */
function blocks(weights, layers) {
  return layers.map((l) => ({
    w: weights.slice(l.weightOffset, l.weightOffset + l.inputs * l.units),
    b: weights.slice(l.biasOffset, l.biasOffset + l.units),
  }));
}

test('four networks differing in activation start from identical weights; at step 0 their outputs agree where the activations agree', async () => {
  const { page, errors, context } = await open('#/race?v=1&seed=5&data=circle&h=4,2&vary=act&runs=relu,leaky_relu,prelu,elu');
  try {
    assert.deepEqual(await race(page, 'steps'), [0, 0, 0, 0]);
    const nets = [];
    for (let i = 0; i < 4; ++i) {
      nets.push({ layers: await race(page, `layers(${i})`), weights: await race(page, `weights(${i})`) });
    }
    assert.deepEqual(
      nets.map((n) => n.layers[0].activation),
      ['relu', 'leaky_relu', 'prelu', 'elu'],
    );
    // PReLU has one learned slope per unit, so its arena is longer (25 + 4 + 2 = 31 parameters) and its
    // offsets shift; the weights and biases themselves are the same draws.
    assert.deepEqual(
      nets.map((n) => n.weights.length),
      [25, 25, 31, 25],
    );
    const reference = blocks(nets[0].weights, nets[0].layers);
    for (let i = 1; i < 4; ++i)
      assert.deepEqual(blocks(nets[i].weights, nets[i].layers), reference, `network ${i} starts from network 0's weights`);
    // PReLU's slopes start at its default alpha, 0.25.
    const prelu = nets[2];
    for (const l of prelu.layers.slice(0, -1)) {
      assert.deepEqual(prelu.weights.slice(l.alphaOffset, l.alphaOffset + l.units), Array(l.units).fill(0.25));
    }
    // Every first-layer unit, cell by cell: where ReLU's unit is on (pre-activation > 0) all four are the
    // identity there and agree; where it is off, leaky ReLU's slope 0.01 gives a small negative value instead.
    const unitsOf = [];
    for (let i = 0; i < 4; ++i) unitsOf.push(await race(page, `unitHeatmaps(${i}, ${JSON.stringify(GRID)})`));
    const cells = GRID.width * GRID.height;
    let on = 0;
    let off = 0;
    for (let u = 0; u < 4; ++u) {
      for (let c = 0; c < cells; ++c) {
        const relu = unitsOf[0][u * cells + c];
        if (relu > 0) {
          on += 1;
          for (let i = 1; i < 4; ++i) assert.equal(unitsOf[i][u * cells + c], relu, `unit ${u}, cell ${c}, network ${i}`);
        } else {
          off += 1;
          assert.ok(unitsOf[1][u * cells + c] <= 0, 'leaky ReLU is negative where ReLU is off');
        }
      }
    }
    assert.ok(on > 100 && off > 100, `both sides of the kink are sampled: ${on} on, ${off} off`);

    // The whole network: with one hidden layer and biases of 0.5 every unit is on near the origin, where
    // the four outputs agree; further out some unit is off and the outputs differ.
    await page.goto(`${site.url}#/race?v=1&seed=5&data=circle&h=4&bias=0.5&vary=act&runs=relu,leaky_relu,prelu,elu`);
    await page.waitForFunction(() => window.__race.layers(0).length === 2);
    const units = await race(page, `unitHeatmaps(0, ${JSON.stringify(GRID)})`); // (4 units, 24, 24)
    const outs = [];
    for (let i = 0; i < 4; ++i) outs.push(await race(page, `heatmap(${i}, ${JSON.stringify(GRID)})`));
    let agreeing = 0;
    let differing = 0;
    for (let c = 0; c < cells; ++c) {
      let allOn = true;
      for (let u = 0; u < 4; ++u) if (!(units[u * cells + c] > 0)) allOn = false;
      if (allOn) {
        agreeing += 1;
        for (let i = 1; i < 4; ++i)
          assert.ok(Math.abs(outs[i][c] - outs[0][c]) <= 1e-6, `cell ${c}: network ${i} ${outs[i][c]} vs ReLU ${outs[0][c]}`);
      } else if (Math.abs(outs[1][c] - outs[0][c]) > 1e-6) {
        differing += 1;
      }
    }
    assert.ok(agreeing >= 10, `enough cells with every unit active: ${agreeing}`);
    assert.ok(differing >= 10, `and cells where the activations differ show it: ${differing}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('networks differing only in learning rate have the same output at step 0 and drift apart once trained', async () => {
  const { page, errors, context } = await open('#/race?v=1&seed=2&data=xor&h=6,3&vary=lr&runs=0.01,0.03,0.1,0.3');
  try {
    const maps = [];
    for (let i = 0; i < 4; ++i) maps.push(await race(page, `heatmap(${i}, ${JSON.stringify(GRID)})`));
    for (let i = 1; i < 4; ++i) assert.deepEqual(maps[i], maps[0], `network ${i} at step 0`);
    for (let k = 0; k < 20; ++k) await page.click('.race button:has-text("Step")');
    assert.deepEqual(await race(page, 'steps'), [20, 20, 20, 20]);
    const later = [];
    for (let i = 0; i < 4; ++i) later.push(await race(page, `heatmap(${i}, ${JSON.stringify(GRID)})`));
    for (let i = 1; i < 4; ++i) assert.notDeepEqual(later[i], later[0], `network ${i} moved differently`);
    // The same batches: the first sampled loss (step 0) is the same for every rate, step 1's is not.
    const losses = [];
    for (let i = 0; i < 4; ++i) losses.push(await race(page, `losses(${i})`));
    assert.ok(losses.every((l) => l.trainLoss[0] === losses[0].trainLoss[0]));
    assert.ok(new Set(losses.map((l) => l.trainLoss[1])).size === 4);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a race runs to its length in lock-step and fills the table: steps to 90%, losses, dead units, time per step', async () => {
  const link = '#/race?v=1&seed=1&data=circle&h=8,8&lr=0.1&vary=act&runs=relu,tanh,sigmoid&speed=6&len=1000';
  // Four cores, so each network has a worker of its own, as on CI's machine: there a round is budgeted for
  // one network, and a fast machine trained the whole race in one round with nothing timed after the warm-up.
  const { page, errors, context } = await open(link, { beforeLoad: fourCores });
  try {
    await page.click('.race .pg-play');
    await page.waitForFunction(() => !window.__race.playing && window.__race.steps.every((s) => s === 1000), null, { timeout: 30000 });
    const rows = await race(page, 'table()');
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['ReLU', 'Tanh', 'Sigmoid'],
    );
    for (const [name, reach, testLoss, trainLoss, dead, time] of rows) {
      assert.match(testLoss, /^\d/, `${name}: test loss ${testLoss}`);
      assert.match(trainLoss, /^\d/, `${name}: train loss ${trainLoss}`);
      // Dead units are counted where units can die (ReLU here); tanh and sigmoid units cannot, so '–'.
      assert.match(dead, name === 'ReLU' ? /^\d+ of 16$/ : /^–$/, `${name}: dead units ${dead}`);
      assert.match(time, /^[\d.]+ µs$/, `${name}: time per step ${time}`);
      assert.ok(reach.length > 0);
    }
    // ReLU and tanh pass 90% well within 1000 steps on this circle (lesson 5); the reported step is one the
    // history recorded, and the accuracy there is indeed at least 90% while the one recorded before is not.
    for (const i of [0, 1]) {
      const step = Number(rows[i][1].replace(/[^\d]/g, ''));
      assert.ok(step > 0 && step < 1000, `${rows[i][0]} reached 90% at ${rows[i][1]}`);
      const h = await race(page, `losses(${i})`);
      const k = h.step.indexOf(step);
      assert.ok(k > 0, 'a recorded step');
      assert.ok(h.testAccuracy[k] >= 0.9 && h.testAccuracy.slice(0, k).every((a) => a < 0.9));
    }
    const final = await race(page, 'losses(2)');
    assert.equal(final.step.at(-1), 1000);
    assert.match(await page.textContent('.race .pg-readout'), /Finished/);
    assert.match(await page.textContent('.race .pg-counter'), /Step 1,000 of 1,000/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('four networks of the default size race at 30 frames per second or more', async () => {
  const { page, errors, context } = await open('#/race?v=1&vary=act&runs=relu,leaky_relu,tanh,sigmoid&speed=6&len=0');
  try {
    const layers = await race(page, 'layers(0)');
    assert.deepEqual(
      layers.map((l) => l.units),
      [4, 2, 1],
      'the default network',
    );
    await page.click('.race .pg-play');
    await page.waitForTimeout(1000); // warm-up: the per-step cost estimates settle
    const s0 = await race(page, 'steps');
    await page.waitForTimeout(3000);
    const fps = await race(page, 'fps()');
    const s1 = await race(page, 'steps');
    const renderMs = await race(page, 'renderMs');
    const work = await race(page, 'frameWorkMs()');
    await page.click('.race .pg-play');
    const perSecond = (s1[0] - s0[0]) / 3;
    const load = (await import('node:os')).loadavg()[0];
    console.log(
      `race, 4 networks 4-2 on circle: ${fps.toFixed(1)} fps, ${Math.round(perSecond)} steps/s each; script per frame ${work.toFixed(1)} ms (drawing ${renderMs.toFixed(1)} ms); load average ${load.toFixed(1)}`,
    );
    // The target is 30 fps: a frame's script stays within 14 ms by design (the budget adapts). These shared
    // 2-core machines run other work too, so the assertion on fps leaves a margin; the printed figures are
    // the measurement.
    assert.ok(fps >= 20, `fps ${fps}`);
    assert.ok(work <= 22, `script per frame ${work} ms`);
    assert.ok(perSecond > 100, `steps per second ${perSecond}`);
    // Lock-step within a frame's steps while running; level once paused.
    assert.ok(Math.min(...s1) >= 0.8 * Math.max(...s1), `steps ${s1}`);
    const level = await race(page, 'steps');
    assert.ok(
      level.every((s) => s === level[0]),
      `paused at the same step: ${level}`,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a bad race link names each bad key, keeps the rest, and the race still runs', async () => {
  const { page, errors, context } = await open('#/race?v=1&seed=9&h=6&vary=speed&runs=relu&len=7&show=best&bogus=1');
  try {
    const text = await page.textContent('.race .pg-messages');
    for (const key of [
      'vary must be one of act, opt, lr, init',
      'runs lists 1 value; a race has 2 to 4',
      'len must be one of',
      'show must be one of',
      'unknown key "bogus"',
    ]) {
      assert.ok(text.includes(key), `message for ${key}: ${text}`);
    }
    const state = await race(page, 'race');
    assert.equal(state.base.seed, 9, 'the valid seed is kept');
    assert.deepEqual(state.base.layers, [6]);
    assert.equal(state.vary, 'act');
    assert.equal(state.runs.length, 4);
    const q = new URLSearchParams(await race(page, 'query'));
    assert.equal(q.get('len'), '3000');
    assert.equal(q.get('runs'), 'relu,leaky_relu,tanh,sigmoid');
    await page.click('.race button:has-text("Step")');
    assert.deepEqual(await race(page, 'steps'), [1, 1, 1, 1]);
    // An activation name that is not one: refused with the list of names.
    await page.goto(`${site.url}#/race?vary=act&runs=relu,<b>x</b>`);
    await page.waitForFunction(() => document.querySelector('.race .pg-messages')?.textContent.includes('not an activation'));
    assert.equal(await page.locator('.race b').count(), 0, 'the name is shown as text, not markup');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('changing what differs and the runs rewrites the link; a link opens the same race', async () => {
  const { page, errors, context } = await open('#/race?v=1&seed=4&h=5&vary=act&runs=relu,tanh');
  try {
    await page.selectOption('.race select:has(option[value="opt"])', 'opt');
    let q = new URLSearchParams(await race(page, 'query'));
    assert.equal(q.get('vary'), 'opt');
    assert.equal(q.get('runs'), 'sgd,momentum,rmsprop,adam');
    assert.equal(q.get('opt'), null, 'the varied key is left out');
    await page.click('.race button[aria-label="Remove network 2"]');
    await page.selectOption('.race select[aria-label="Network 1: optimizer"]', 'nesterov');
    q = new URLSearchParams(await race(page, 'query'));
    assert.equal(q.get('runs'), 'nesterov,rmsprop,adam');
    const configs = [];
    for (let i = 0; i < 3; ++i) configs.push((await race(page, `config(${i})`)).training.optimizer);
    assert.deepEqual(configs, ['nesterov', 'rmsprop', 'adam']);
    // Train 5 steps, then open the page's own link afresh: the same race, the same first losses.
    for (let k = 0; k < 5; ++k) await page.click('.race button:has-text("Step")');
    const before = await race(page, 'losses(1)');
    const link = await page.evaluate(() => location.hash);
    const second = await open(link);
    for (let k = 0; k < 5; ++k) await second.page.click('.race button:has-text("Step")');
    assert.deepEqual(await race(second.page, 'losses(1)'), before); // once the five steps are back from the worker
    await second.context.close();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard reaches the race controls; phone and desktop, light and dark: no sideways scroll', async () => {
  for (const [viewport, name] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ]) {
    for (const scheme of ['light', 'dark']) {
      const { page, errors, context } = await open('#/race?v=1&speed=5&len=500', { viewport, colorScheme: scheme });
      try {
        await page.click('.race .pg-play');
        await page.waitForFunction(() => !window.__race.playing, null, { timeout: 30000 });
        assert.equal(await sidewaysOverflow(page), 0, `${name} ${scheme}`);
        assert.equal(await page.textContent('.race .pg-messages'), '', 'a valid link gives no message');
        await screenshot(page, `race-${name}-${scheme}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  }
  const { page, context } = await open('#/race');
  try {
    await page.focus('.race .pg-play');
    const seen = await tabThrough(page, 40);
    const labels = seen.filter(Boolean).map((s) => `${s.tag}:${s.label || s.text}`);
    for (const want of [
      'one step',
      'Race length',
      'Copy link',
      'Export JSON',
      'Import JSON',
      'Metrics CSV',
      'Curve',
      'Network 1: activation',
      'Remove network 1',
      'Data',
    ]) {
      assert.ok(
        labels.some((l) => l.includes(want)),
        `tab reaches ${want}: ${labels.join(' | ')}`,
      );
    }
    assert.ok(
      seen.filter(Boolean).every((s) => s.focusVisible || s.tag === 'a'),
      'focus is visible',
    );
    await page.focus('.race .pg-play');
    await page.keyboard.press('Enter');
    assert.equal(await race(page, 'playing'), true);
    await page.keyboard.press('Enter');
    assert.equal(await race(page, 'playing'), false);
  } finally {
    await context.close();
  }
});

// Issue 12, item 5: each network on several seeds. The table's median [range] and reached count are
// recomputed here from every seed's own run (read through the test hook), and the second seed's run is
// the very run a one-seed race on the next seed trains.
const SEEDS_LINK = '#/race?v=1&seed=1&data=circle&h=8,8&lr=0.1&vary=act&runs=relu,sigmoid&speed=6&len=500&seeds=3';
/** "1,234" -> 1234; "0.0123" -> 0.0123; "1.2e−3" -> 0.0012. */
const number = (text) => Number(text.replace(/,/g, '').replace('−', '-'));

test("three seeds per network: median curves with a band, median [range] in the table, equal to the seeds' own runs", async () => {
  const { page, errors, context } = await open(SEEDS_LINK, { viewport: { width: 1440, height: 900 } });
  try {
    assert.equal((await race(page, 'race')).seeds, 3);
    assert.equal(await page.getByRole('combobox', { name: 'Seeds per network' }).inputValue(), '3');
    await page.click('.race .pg-play');
    await page.waitForFunction(() => !window.__race.playing && window.__race.steps.every((s) => s === 500), null, { timeout: 60000 });
    await raceIdle(page);
    const rows = await race(page, 'table()');
    assert.equal(rows.length, 2);
    const measured = [];
    for (let i = 0; i < 2; ++i) {
      const runs = await race(page, `seedRuns(${i})`);
      assert.deepEqual(
        runs.map((r) => [r.seed, r.step]),
        [
          [1, 500],
          [2, 500],
          [3, 500],
        ],
        'seeds 1, 2 and 3, all at step 500 (lock-step)',
      );
      // Steps to 90%: the first recorded step with test accuracy >= 90%, per seed.
      const reach = runs.map((r) => r.history.step[r.history.testAccuracy.findIndex((a) => a >= 0.9)]).filter((x) => x !== undefined);
      const [, reachCell, testCell, trainCell] = rows[i];
      measured.push(`${rows[i][0]}: ${reachCell}; test loss ${testCell}; per seed reach ${JSON.stringify(reach)}`);
      assert.match(reachCell, new RegExp(` · ${reach.length}/3 reached`), `${rows[i][0]}: ${reachCell}`);
      if (reach.length) {
        const s = summary(reach);
        const m = reachCell.match(/^([\d,.]+) \[([\d,]+)–([\d,]+)\]/);
        assert.ok(m, `median [range]: ${reachCell}`);
        assert.deepEqual([number(m[1]), number(m[2]), number(m[3])], [Math.round(s.median), s.min, s.max], reachCell);
      }
      // Test and train loss: the median and range of the seeds' latest values, to the 3 digits shown.
      for (const [cell, key] of [
        [testCell, 'testLoss'],
        [trainCell, 'trainLoss'],
      ]) {
        const s = summary(runs.map((r) => r.latest[key]));
        const m = cell.match(/^(\S+) \[(\S+)–(\S+)\]$/);
        assert.ok(m, `${key}: ${cell}`);
        for (const [shown, value] of [
          [m[1], s.median],
          [m[2], s.min],
          [m[3], s.max],
        ])
          assert.ok(Math.abs(number(shown) - value) <= 0.005 * Math.abs(value), `${key} ${shown} against ${value}`);
      }
    }
    console.log(`race on 3 seeds at step 500: ${measured.join(' | ')}`);
    // ReLU gets to 90% on every seed here; sigmoid on none in 500 steps (lesson 5, on 10 seeds).
    assert.match(rows[0][1], /3\/3 reached/);
    assert.match(rows[1][1], /not yet .* · 0\/3 reached/);
    // The chart: one median line and a band per network; the values table gives each median with its range.
    const legend = await page.$$eval('.race-chart .u-legend .u-series', (trs) => trs.map((tr) => !tr.hidden));
    assert.deepEqual(legend, [true, true, false, false, true, false, false], 'step, ReLU median, its edges, sigmoid median, its edges');
    // The chart's text table is written when the chart draws, which may come a frame or two after the race
    // ends (the medians at the last step once every seed's sample is in).
    await page.waitForFunction(
      () => /at step 500(?!\d)(?!.*none yet)/.test(document.querySelector('.race-chart .chart-values')?.textContent ?? ''),
      null,
      {
        timeout: 10000,
      },
    );
    const values = await page.textContent('.race-chart .chart-values');
    assert.match(values, /ReLU, median of 3 seeds.*\(range .* to .*\)/);
    const bands = await page.evaluate(() => document.querySelector('.race-chart .uplot') !== null);
    assert.ok(bands);
    assert.match(await page.textContent('.race-maps-note'), /first seed, 1; the curves and the table take all 3 seeds \(1, 2, 3\)/);
    await screenshot(page, 'race-seeds-1440');
    for (const [viewport, name] of [
      [{ width: 1280, height: 720 }, '1280'],
      [PHONE, 'phone'],
    ]) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      assert.equal(await sidewaysOverflow(page), 0, name);
      await screenshot(page, `race-seeds-${name}`);
    }
    // The second seed's run is the one-seed race on seed 2: the same losses at every recorded step.
    const second = (await race(page, 'seedRuns(0)'))[1].history;
    const single = await open('#/race?v=1&seed=2&data=circle&h=8,8&lr=0.1&vary=act&runs=relu,sigmoid&speed=6&len=500');
    await single.page.click('.race .pg-play');
    await single.page.waitForFunction(() => !window.__race.playing && window.__race.steps.every((s) => s === 500), null, {
      timeout: 60000,
    });
    const alone = await single.page.evaluate(() => window.__race.losses(0));
    assert.deepEqual(alone.step, second.step);
    assert.deepEqual(alone.testLoss, second.testLoss, 'seed 2 trains the same network alone or as a second seed');
    await single.context.close();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('seeds per network: the control rewrites the link, the link opens it again, a bad value is named', async () => {
  const { page, errors, context } = await open('#/race?v=1&seed=4&h=5&vary=act&runs=relu,tanh');
  try {
    let q = new URLSearchParams(await race(page, 'query'));
    assert.equal(q.get('seeds'), null, 'one seed: no key, old links unchanged');
    await page.getByRole('combobox', { name: 'Seeds per network' }).selectOption('4');
    await page.waitForFunction(() => window.__race.race.seeds === 4);
    q = new URLSearchParams(await race(page, 'query'));
    assert.equal(q.get('seeds'), '4');
    const runs = await race(page, 'seedRuns(1)');
    assert.deepEqual(
      runs.map((r) => r.seed),
      [4, 5, 6, 7],
    );
    const link = await page.evaluate(() => location.hash);
    const again = await open(link);
    assert.equal((await again.page.evaluate(() => window.__race.race)).seeds, 4);
    assert.equal(await again.page.textContent('.race .pg-messages'), '');
    await again.context.close();
    for (const bad of ['11', '0', '2.5', 'many']) {
      const b = await open(`#/race?v=1&seed=4&h=5&vary=act&runs=relu,tanh&seeds=${bad}`);
      const text = await b.page.textContent('.race .pg-messages');
      assert.ok(text.includes(`seeds (seeds per network) must be a whole number from 1 to 10; got "${bad}"`), text);
      assert.equal((await b.page.evaluate(() => window.__race.race)).seeds, 1, 'the default stays');
      assert.deepEqual(await b.page.evaluate(() => window.__race.race.runs), ['relu', 'tanh'], 'the rest of the link is kept');
      await b.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a race on several seeds is axe-clean, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await open(SEEDS_LINK, { bypassCSP: true, reducedMotion: 'reduce', colorScheme });
    try {
      await page.addScriptTag({ path: AXE });
      await page.click('.race .pg-play');
      await page.waitForFunction(() => !window.__race.playing, null, { timeout: 60000 });
      await page.waitForTimeout(400);
      const violations = await axe(page);
      assert.deepEqual(
        violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target).join(' | ')}`),
        [],
        colorScheme,
      );
    } finally {
      await context.close();
    }
  }
});
