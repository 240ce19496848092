// The training engine in its Web Worker: the same numbers as the native core (bit for bit), live changes as
// one typed message each, a race spread over several workers, and a worker that dies noticed and restarted
// from the last snapshot with the work kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startSite, launchBrowser, openPage, screenshot } from './harness.mjs';
import { PARITY_CONFIGS } from '../wasm/parity-configs.mjs';
import { runCli as runCliIn, sameNumber } from '../wasm/native-cli.mjs';

const CLI = path.join(ROOT, 'build/native-release/ap_cli');
const STEPS = 300;

let site;
let browser;
let tmp;
before(async () => {
  assert.ok(fs.existsSync(CLI), `native CLI ${CLI} is missing: scripts/test-browser.sh builds it (bash scripts/build-native.sh)`);
  site = await startSite();
  browser = await launchBrowser();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-worker-'));
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const runCli = (name, config, steps) => runCliIn(CLI, tmp, name, config, steps);
const same = sameNumber;

/** Opens a playground link with every request to an engine worker recorded (recordEngineRequests), ready to train. */
function openRecordingPlayground(link) {
  return openPage(browser, site, link, {
    beforeLoad: (p) => p.addInitScript(recordEngineRequests),
    waitFor: () => window.__playground?.step === 0 && document.querySelector('.pg-play'),
  });
}

/** Records every request the page sends to an engine worker: { op, name, value }. */
function recordEngineRequests() {
  window.__engineRequests = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function record(message, ...rest) {
    if (message && typeof message === 'object' && message.op) {
      window.__engineRequests.push({ op: message.op, name: message.name, value: message.value, bytes: JSON.stringify(message).length });
    }
    return post.call(this, message, ...rest);
  };
}

test(`the worker trains bit for bit like the native core: ${Object.keys(PARITY_CONFIGS).length} configs, ${STEPS} steps`, async () => {
  const { page, errors } = await openPage(browser, site, '#/explorer');
  for (const [name, config] of Object.entries(PARITY_CONFIGS)) {
    const native = runCli(name, config, STEPS);
    const inWorker = await page.evaluate(([c, n]) => window.__engine.train(c, n), [config, STEPS]);
    assert.equal(inWorker.step, STEPS, `${name}: the worker ran ${STEPS} steps`);
    // The page samples the losses at fixed steps (every step for the first 100, then every 5): each sample
    // must be the CLI's value at that step, exactly.
    const h = inWorker.history;
    assert.ok(h.step.length > 100, `${name}: ${h.step.length} samples`);
    h.step.forEach((step, k) => {
      if (step === 0) return;
      const row = native.rows[step - 1];
      for (const [w, c] of [
        ['trainLoss', 'train_loss'],
        ['testLoss', 'test_loss'],
        ['trainAccuracy', 'train_accuracy'],
        ['testAccuracy', 'test_accuracy'],
      ]) {
        if (!same(h[w][k], row[c])) assert.fail(`${name}: step ${step}: ${w} is ${h[w][k]} in the worker but ${row[c]} natively`);
      }
    });
    const model = JSON.parse(inWorker.model);
    assert.deepEqual(model.state, native.model.state, `${name}: parameters and optimizer state agree bit for bit`);
    assert.deepEqual(inWorker.weights, model.state.params, `${name}: the weights the page receives are the model's`);
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a live change is one typed message to the worker: no config, no new session, no evaluation', async () => {
  const { page, errors } = await openRecordingPlayground('#/playground?v=1&speed=4');
  await page.click('.pg-play');
  await page.waitForFunction(() => window.__playground.step > 200);
  const before = await page.evaluate(() => window.__engineRequests.length);
  await page.getByLabel('Learning rate', { exact: true }).selectOption('0.1');
  await page.waitForFunction(() => window.__playground.state.learningRate === 0.1);
  await page.waitForFunction((n) => window.__engineRequests.length > n + 5, before);
  const sent = await page.evaluate((n) => window.__engineRequests.slice(n), before);
  // Frames go on; Undo keeps the network from before the change (an exported model, not a config).
  const changes = sent.filter((r) => r.op !== 'frame' && r.op !== 'exportModel');
  assert.deepEqual(
    changes.map(({ op, name, value }) => ({ op, name, value })),
    [{ op: 'set', name: 'learningRate', value: 0.1 }],
  );
  assert.ok(changes[0].bytes < 200, `the message carries the value, not a config (${changes[0].bytes} bytes)`);
  await page.waitForFunction(() => window.__playground.playing && window.__playground.step > 400);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("the speed is a pace the worker keeps to: rounds come at the map's rate, the charts and the time line less often", async () => {
  // Speed 1 is 60 steps a second: however quickly the worker trains a round's steps, the next round waits
  // (before, each round trained 1 step and the next followed at once, 400 rounds a second).
  const { page, errors } = await openRecordingPlayground('#/playground?v=1&speed=1');
  await page.click('.pg-play');
  await page.waitForFunction(() => window.__playground.step > 0);
  const [s0, n0, t0, d0] = await page.evaluate(() => [
    window.__playground.step,
    window.__engineRequests.length,
    performance.now(),
    window.__playground.partCosts(),
  ]);
  await page.waitForTimeout(3000);
  const [s1, n1, t1, d1] = await page.evaluate(() => [
    window.__playground.step,
    window.__engineRequests.length,
    performance.now(),
    window.__playground.partCosts(),
  ]);
  const seconds = (t1 - t0) / 1000;
  const steps = s1 - s0;
  const rounds = n1 - n0;
  const draws = (part) => d1[part].draws - (d0[part]?.draws ?? 0);
  console.log(
    `# speed 1 over ${seconds.toFixed(1)} s: ${steps} steps, ${rounds} requests, draws: map ${draws('output')}, network ${draws('network')}, charts ${draws('charts')}, time ${draws('time')}`,
  );
  // A loaded machine can only train fewer steps and send fewer rounds than these bounds.
  assert.ok(steps > 0 && steps <= 60 * seconds + 60, `${steps} steps at 60 a second in ${seconds.toFixed(1)} s`);
  assert.ok(rounds <= 31 * seconds + 5, `${rounds} requests in ${seconds.toFixed(1)} s: at most one round every 33 ms`);
  assert.ok(draws('charts') <= 10 * seconds + 2, `the charts at 10 Hz at most: ${draws('charts')}`);
  assert.ok(draws('time') <= 4 * seconds + 2, `the time line at 4 Hz at most: ${draws('time')}`);
  assert.ok(draws('output') > draws('time'), 'the map is drawn more often than the time line');
  // Paused, everything is drawn at once and the page settles.
  await page.click('.pg-play');
  await page.waitForFunction(() => window.__playground.settled);
  const counter = await page.locator('.pg-counter').textContent();
  assert.match(counter, new RegExp(`Step ${(await page.evaluate(() => window.__playground.step)).toLocaleString('en-US')} `));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a race spreads its networks over the workers the machine has cores for, in lock-step', async () => {
  const { page, errors } = await openPage(browser, site, '#/race?v=1&len=500&speed=6', {
    beforeLoad: (p) => p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 })),
    waitFor: () => window.__race?.steps.length === 4,
  });
  assert.deepEqual(await page.evaluate(() => window.__race.workers), [0, 1, 2, 0], 'three workers for four networks on four cores');
  assert.deepEqual(await page.evaluate(() => window.__race.snapshotBudgets), [0, 0, 0, 0], 'race runs keep no time-travel snapshots');
  await page.click('.pg-play');
  await page.waitForFunction(() => !window.__race.playing && window.__race.steps.every((s) => s === 500), null, { timeout: 60000 });
  const table = await page.evaluate(() => window.__race.table());
  assert.equal(table.length, 4);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a worker that dies is noticed; Restart continues from the last snapshot with the settings and data kept', async () => {
  const link = '#/playground?v=1&seed=5&data=xor&h=6,3&lr=0.1&speed=6';
  const { page, errors } = await openPage(browser, site, link, {
    beforeLoad: (p) =>
      p.addInitScript(() => {
        window.__engineDeadlineScale = 0.5;
      }),
    waitFor: () => window.__playground?.step === 0,
  });
  const query = await page.evaluate(() => window.__playground.query);
  await page.click('.pg-play');
  await page.waitForFunction(() => window.__playground.step > 1000, null, { timeout: 60000 });
  // A snapshot comes back every two seconds while training.
  await page.waitForTimeout(2500);
  await page.evaluate(() => window.__playground.crashEngine());
  await page.waitForFunction(() => window.__playground.engineDown, null, { timeout: 60000 });
  const banner = page.locator('.pg-banner');
  assert.match(await banner.innerText(), /training engine stopped answering/);
  assert.equal(await page.evaluate(() => window.__playground.playing), false);
  await screenshot(page, 'worker-died', { fullPage: false });
  const stepWhenDied = await page.evaluate(() => window.__playground.step);
  await page.getByRole('button', { name: 'Restart from the last snapshot' }).click();
  await page.waitForFunction(() => !window.__playground.engineDown);
  const restored = await page.evaluate(() => window.__playground.step);
  assert.ok(restored > 0 && restored <= stepWhenDied, `restored at step ${restored} (died showing ${stepWhenDied})`);
  assert.equal(await page.evaluate(() => window.__playground.query), query, 'the settings and data are kept');
  // It was training when the worker died, so it trains on.
  await page.waitForFunction((s) => window.__playground.step > s + 500, restored, { timeout: 60000 });
  assert.deepEqual(errors, []);
  await page.context().close();
});
