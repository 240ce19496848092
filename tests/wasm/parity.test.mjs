// Parity: the wasm module and the native CLI run the same core on the same config and seed, built with
// detmath and -ffp-contract=off, so every loss must be the same double. The CLI prints 17 significant
// digits, which read back to the exact double, so the comparison is exact equality: no tolerance.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, cliPath } from './helpers.mjs';
import { PARITY_CONFIGS as configs } from './parity-configs.mjs';
import { runCli as runCliIn, sameNumber } from './native-cli.mjs';

const STEPS = 1000;

let playground;
let tmp;
before(async () => {
  assert.ok(fs.existsSync(cliPath), `native CLI ${cliPath} is missing: build the native-release preset`);
  playground = await load();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-parity-'));
});

const runCli = (name, config, steps) => runCliIn(cliPath, tmp, name, config, steps);
const same = sameNumber;

const fields = [
  ['batchLoss', 'batch_loss'],
  ['trainLoss', 'train_loss'],
  ['testLoss', 'test_loss'],
  ['trainAccuracy', 'train_accuracy'],
  ['testAccuracy', 'test_accuracy'],
  ['learningRate', 'learning_rate'],
  ['step', 'step'],
  ['epoch', 'epoch'],
];

for (const [name, config] of Object.entries(configs)) {
  test(`parity with the native CLI, ${STEPS} steps: ${name}`, () => {
    const native = runCli(name, config, STEPS);
    assert.equal(native.rows.length, STEPS, 'the CLI prints one line per step');

    const session = playground.createSession(config);
    try {
      // Before any step: the initial weights and the full-set losses (which see every data point), so a
      // difference in data generation or initialisation is told apart from one in training.
      const initial = runCli(name, config, 0);
      assert.deepEqual(JSON.parse(session.exportModel()).state, initial.model.state, 'initial weights agree bit for bit');
      const m0 = session.metrics();
      for (const [w, c] of fields.slice(1)) {
        if (!same(m0[w], initial.rows[0][c])) {
          assert.fail(`${name}: before training: ${w} is ${m0[w]} in wasm but ${initial.rows[0][c]} in the native CLI (the data differ)`);
        }
      }
      for (let i = 0; i < STEPS; ++i) {
        const status = session.train(1);
        assert.equal(status.steps, 1, `step ${i + 1} ran (diverged: ${status.reason})`);
        const m = session.metrics();
        const n = native.rows[i];
        for (const [w, c] of fields) {
          if (!same(m[w], n[c])) {
            assert.fail(`${name}: step ${i + 1}: ${w} is ${m[w]} in wasm but ${n[c]} in the native CLI`);
          }
        }
      }
      // The whole trained state (parameters and optimizer moments), exactly.
      const model = JSON.parse(session.exportModel());
      assert.deepEqual(model.config, native.model.config, 'configs agree');
      assert.deepEqual(model.state, native.model.state, 'parameters and optimizer state agree bit for bit');
    } finally {
      session.dispose();
    }
  });
}

// Every generator, before training: the full-set losses see every point, so any point generated
// differently (a draw reordered, a label flipped) changes them.
const datasets = {
  circle: 'sigmoid_bce',
  xor: 'sigmoid_bce',
  gaussians: 'sigmoid_bce',
  spiral: 'sigmoid_bce',
  spiral3: 'softmax_ce',
  moons: 'sigmoid_bce',
  checkerboard: 'sigmoid_bce',
  sine: 'linear_mse',
  abs: 'linear_mse',
  step: 'linear_mse',
  cubic: 'linear_mse',
  plane: 'linear_mse',
  multi_gaussian: 'linear_mse',
};

test('every data set is generated identically in wasm and natively (noise 0 and 0.25)', () => {
  const differences = [];
  for (const [dataset, head] of Object.entries(datasets)) {
    for (const noise of [0, 0.25]) {
      const config = { seed: 13, data: { dataset, num_points: 400, noise }, network: { hidden: [{ units: 3, activation: 'tanh' }], head } };
      const native = runCli(`data_${dataset}_${noise}`, config, 0).rows[0];
      const session = playground.createSession(config);
      const m = session.metrics();
      session.dispose();
      for (const [w, c] of fields.slice(1, 5)) {
        if (!same(m[w], native[c])) differences.push(`${dataset} noise ${noise}: ${w} ${m[w]} (wasm) vs ${native[c]} (native)`);
      }
    }
  }
  assert.deepEqual(differences, []);
});
