// "Export code" run for real: for every activation the core has (and the parameter settings whose PyTorch
// code differs: f'(0) != 0, ELU's alpha, SiLU's beta), a small trained network is exported as a PyTorch
// and a NumPy script (web/js/export/), both run with Debian's python3, and what they print is compared with
// the core: the predictions on their grid against Session.predict (double) at the very points they print,
// and, for PyTorch, the parameters after one more training step against the core's after train(1).
// Tolerance: |script - core| <= 1e-6 + 1e-6 |core| (absolute plus relative). The largest difference seen
// is printed at the end.
//
// Before export, unit 0 of the first hidden layer gets all-zero weights and bias: its z is exactly 0 at
// every point, so f(0) and f'(0) (the conventions at kinks) enter both the predictions and the step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { load } from '../wasm/helpers.mjs';
import { numpyScript } from '../../web/js/export/numpy.js';
import { pytorchScript } from '../../web/js/export/pytorch.js';

const PYTHON = process.env.AP_PYTHON ?? '/usr/bin/python3';
const TOL = 1e-6;
const pg = await load();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-export-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const worst = { predictions: { diff: 0, where: '' }, step: { diff: 0, where: '' } };

// Heads with data they fit: 60 points, half for training, so a batch of 30 is the whole training set.
const HEADS = {
  sigmoid_bce: { dataset: 'circle', num_points: 60, noise: 0.05 },
  tanh_mse: { dataset: 'xor', num_points: 60, noise: 0.05 },
  softmax_ce: { dataset: 'blobs', classes: 3, num_points: 60 },
  linear_mse: { dataset: 'plane', num_points: 60, noise: 0.05 },
};
const HEAD_NAMES = Object.keys(HEADS);
const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'nesterov', 'rmsprop'];
const REGULARIZATIONS = [
  ['none', 0],
  ['l2', 0.01],
  ['l1', 0.003],
];
const ALL_FEATURES = ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'];

const activations = pg.activations();
// One case per activation (non-default parameters where the exported code depends on them), plus the
// defaults of those, so both the PyTorch module and the custom code are run.
const PARAMS = {
  relu: [{ relu_grad_at_zero: 0.5 }, { relu_grad_at_zero: 0 }],
  leaky_relu: [{ alpha: 0.1, relu_grad_at_zero: 0.5 }, { alpha: 0.01 }],
  prelu: [{ alpha: 0.25 }, { alpha: 0.2, relu_grad_at_zero: 1 }],
  relu6: [{ relu_grad_at_zero: 1 }, {}],
  elu: [{ alpha: 1.5 }, { alpha: 1 }],
  silu: [{ beta: 2 }, { beta: 1 }],
  softplus: [{ beta: 2 }, { beta: 1 }],
};
const cases = activations.flatMap((a) => (PARAMS[a] ?? [{}]).map((p) => ({ activation: a, params: p })));
cases.forEach((c, i) => {
  c.head = HEAD_NAMES[i % HEAD_NAMES.length];
  c.optimizer = OPTIMIZERS[i % OPTIMIZERS.length];
  [c.regularization, c.rate] = REGULARIZATIONS[i % REGULARIZATIONS.length];
  c.features = i % 3 === 2 ? ALL_FEATURES : ['x1', 'x2'];
  c.clip = i % 4 === 3 ? 0.05 : 0;
  c.schedule = i % 7 === 5 ? 'cosine' : i % 7 === 6 ? 'step' : 'constant';
});
// A 1-D regression (the input is x alone) with a learning-rate schedule.
cases.push({
  activation: 'tanh',
  params: {},
  head: 'linear_mse',
  optimizer: 'adam',
  regularization: 'l2',
  rate: 0.001,
  oneD: true,
  clip: 0,
  schedule: 'step',
});

function configOf(c) {
  const layer = { units: 3, activation: c.activation, ...c.params };
  return {
    seed: 7,
    data: c.oneD ? { dataset: 'sine', num_points: 60, noise: 0.05 } : HEADS[c.head],
    network: {
      features: c.features ?? ['x1', 'x2'],
      hidden: [layer, { ...layer }],
      head: c.head,
      init: { scheme: 'glorot_uniform', bias: 0.05 },
    },
    training: {
      optimizer: c.optimizer,
      learning_rate: c.optimizer === 'sgd' || c.optimizer === 'momentum' ? 0.05 : 0.01,
      batch_size: 30,
      regularization: c.regularization,
      regularization_rate: c.rate,
      clip_norm: c.clip,
      schedule: c.schedule,
      step_every: 5,
      step_gamma: 0.5,
      cosine_steps: 40,
    },
  };
}

function label(c) {
  const p = Object.entries(c.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${c.activation}${p ? `(${p})` : ''} ${c.head} ${c.optimizer} ${c.regularization}${c.clip ? ' clip' : ''} ${c.schedule}${c.oneD ? ' 1-D' : ''}`;
}

function run(file, args = []) {
  const r = spawnSync(PYTHON, [file, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${PYTHON} ${path.basename(file)} ${args.join(' ')} failed:\n${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

/** The printed blocks: { 'predictions at step N': [[x1, x2, p...], ...], params: [...] }. */
function parse(out) {
  const blocks = {};
  let current = null;
  const lines = out.trim().split('\n');
  for (let i = 0; i < lines.length; ++i) {
    const line = lines[i];
    if (line.startsWith('# parameters')) {
      blocks.params = JSON.parse(lines[++i]);
    } else if (line.startsWith('# ')) {
      current = blocks[line.slice(2).split(':')[0]] = [];
    } else {
      const row = line.split(' ').map(Number);
      assert.ok(row.every(Number.isFinite), `not a row of numbers: ${line}`);
      current.push(row);
    }
  }
  return blocks;
}

/** Compares a script's rows with the core's predictions at the same points; returns the largest difference. */
function comparePredictions(session, rows, where) {
  assert.ok(rows?.length > 0, `${where}: no predictions printed`);
  const k = session.outputs;
  const xy = new Float64Array(rows.length * 2);
  rows.forEach((r, i) => xy.set([r[0], r[1]], 2 * i));
  const core = session.predict(xy);
  let largest = 0;
  rows.forEach((r, i) => {
    assert.equal(r.length, 2 + k, `${where}: row ${i} has ${r.length - 2} outputs, the core ${k}`);
    for (let o = 0; o < k; ++o) {
      const want = core[i * k + o];
      const diff = Math.abs(r[2 + o] - want);
      largest = Math.max(largest, diff);
      assert.ok(diff <= TOL + TOL * Math.abs(want), `${where}: at (${r[0]}, ${r[1]}) output ${o}: script ${r[2 + o]}, core ${want}`);
    }
  });
  return largest;
}

function note(kind, diff, where) {
  if (diff >= worst[kind].diff) worst[kind] = { diff, where };
}

for (const c of cases) {
  test(`export: ${label(c)}`, () => {
    const s = pg.createSession(configOf(c));
    try {
      s.train(12);
      // Unit 0 of the first hidden layer: z = 0 exactly everywhere (see the top).
      const [first] = s.layers();
      for (let i = 0; i < first.inputs; ++i) s.setParameter(first.weightOffset + i * first.units, 0);
      s.setParameter(first.biasOffset, 0);
      const model = s.exportModel();
      const step = s.step;

      const py = path.join(dir, `${c.activation}-${cases.indexOf(c)}-numpy.py`);
      fs.writeFileSync(py, numpyScript(model));
      const np = parse(run(py));
      note('predictions', comparePredictions(s, np[`predictions at step ${step}`], `NumPy ${label(c)}`), `NumPy, ${label(c)}`);

      const tp = path.join(dir, `${c.activation}-${cases.indexOf(c)}-torch.py`);
      fs.writeFileSync(tp, pytorchScript(model, s.points('train')));
      const torch = parse(run(tp, ['--steps', '1', '--params']));
      note('predictions', comparePredictions(s, torch[`predictions at step ${step}`], `PyTorch ${label(c)}`), `PyTorch, ${label(c)}`);

      // One more step: the whole training set is the batch (30 of 30), so the core's step is the script's.
      const before = s.weights();
      assert.equal(s.train(1).steps, 1);
      const core = s.weights();
      const script = torch.params;
      assert.equal(script?.length, core.length, `PyTorch ${label(c)}: ${script?.length} parameters printed, the core has ${core.length}`);
      let largest = 0;
      let moved = 0;
      for (let i = 0; i < core.length; ++i) {
        const diff = Math.abs(script[i] - core[i]);
        largest = Math.max(largest, diff);
        moved = Math.max(moved, Math.abs(core[i] - before[i]));
        assert.ok(
          diff <= TOL + TOL * Math.abs(core[i]),
          `PyTorch ${label(c)}: parameter ${i} after the step: script ${script[i]}, core ${core[i]}`,
        );
      }
      assert.ok(moved > 1e-5, `${label(c)}: the step moved no parameter by more than 1e-5 (${moved}): a vacuous check`);
      note('step', largest, `PyTorch, ${label(c)}`);
      note(
        'predictions',
        comparePredictions(s, torch[`predictions at step ${step + 1}`], `PyTorch ${label(c)} after the step`),
        `PyTorch after the step, ${label(c)}`,
      );
    } finally {
      s.dispose();
    }
  });
}

test('every activation in the catalog has a case', () => {
  assert.equal(activations.length, 18);
  for (const a of activations)
    assert.ok(
      cases.some((c) => c.activation === a),
      `no export case for ${a}`,
    );
});

test('a batch smaller than the training set: the PyTorch script trains in its own order and says so', () => {
  const c = {
    activation: 'relu',
    params: {},
    head: 'sigmoid_bce',
    optimizer: 'sgd',
    regularization: 'none',
    rate: 0,
    schedule: 'constant',
    clip: 0,
  };
  const config = configOf(c);
  config.training.batch_size = 8;
  const s = pg.createSession(config);
  try {
    s.train(5);
    const text = pytorchScript(s.exportModel(), s.points('train'));
    assert.match(text, /does not reproduce/);
    const file = path.join(dir, 'minibatch-torch.py');
    fs.writeFileSync(file, text);
    const out = parse(run(file, ['--steps', '6']));
    assert.equal(out['predictions at step 11'].length, 49);
  } finally {
    s.dispose();
  }
});

test('the largest differences seen', () => {
  console.log(`largest |script - core| in predictions: ${worst.predictions.diff.toExponential(3)} (${worst.predictions.where})`);
  console.log(`largest |script - core| in parameters after one step: ${worst.step.diff.toExponential(3)} (${worst.step.where})`);
  assert.ok(worst.predictions.where && worst.step.where, 'no comparison ran');
});
