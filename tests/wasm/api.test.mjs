// Every call of the JS API in wasm/playground.mjs, on the built module, with values worked out by hand.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig, PlaygroundError } from './helpers.mjs';

let pg;
before(async () => {
  pg = await load();
});

test("activations() lists the core's functions, relu and tanh among them, each once", () => {
  const names = pg.activations();
  for (const n of ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'gelu_erf', 'silu', 'elu', 'identity']) assert.ok(names.includes(n), n);
  assert.equal(new Set(names).size, names.length);
});

test('activationInfo() describes relu and tanh', () => {
  const relu = pg.activationInfo('relu');
  assert.equal(relu.name, 'relu');
  assert.equal(relu.reluFamily, true);
  assert.equal(relu.saturating, false);
  assert.deepEqual(Array.from(relu.kinks), [0]);
  const tanh = pg.activationInfo('tanh');
  assert.equal(tanh.reluFamily, false);
  assert.equal(tanh.saturating, true);
  assert.deepEqual(Array.from(tanh.kinks), []);
  assert.equal(pg.activationInfo('leaky_relu').usesAlpha, true);
});

test('kinks() follows the parameters: relu6 bends at 0 and 6', () => {
  assert.deepEqual(Array.from(pg.kinks('relu')), [0]);
  assert.deepEqual(Array.from(pg.kinks('relu6')), [0, 6]);
});

test('curve(): ReLU at x = -2..2 is 0,0,0,1,2 and its derivative at 0 follows reluGradAtZero', () => {
  // n = 5 over [-2, 2] puts x exactly on -2, -1, 0, 1, 2.
  for (const g of [0, 0.5, 1]) {
    const c = pg.curve('relu', { from: -2, to: 2, n: 5, reluGradAtZero: g });
    assert.deepEqual(Array.from(c.x), [-2, -1, 0, 1, 2]);
    assert.deepEqual(Array.from(c.y), [0, 0, 0, 1, 2]);
    assert.deepEqual(Array.from(c.dy), [0, 0, g, 1, 1]);
  }
  // leaky_relu with alpha 0.1: f(-2) = -0.2, f'(-2) = 0.1.
  const leaky = pg.curve('leaky_relu', { from: -2, to: 2, n: 5, alpha: 0.1 });
  assert.equal(leaky.y[0], -0.2);
  assert.equal(leaky.dy[0], 0.1);
  // tanh(1) = 0.7615941559557649 (to 16 digits), tanh'(1) = 1 - tanh(1)^2 = 0.41997434161402614.
  const t = pg.curve('tanh', { from: -1, to: 1, n: 3 });
  assert.ok(Math.abs(t.y[2] - 0.7615941559557649) < 1e-15);
  assert.ok(Math.abs(t.dy[2] - 0.41997434161402614) < 1e-15);
  assert.equal(t.y[1], 0);
  assert.equal(t.dy[1], 1);
});

test("curveView() is one (3, n) view: x, f(x), f'(x)", () => {
  const v = pg.curveView('relu', { from: -1, to: 3, n: 5 });
  assert.ok(v instanceof Float64Array);
  assert.equal(v.length, 15);
  assert.deepEqual(Array.from(v), [-1, 0, 1, 2, 3, 0, 0, 1, 2, 3, 0, 0, 1, 1, 1]);
});

test("defaultConfig() is the core's default, which createSession accepts", () => {
  const d = pg.defaultConfig();
  assert.equal(d.format_version, 1);
  assert.equal(d.network.hidden.length, 2);
  const s = pg.createSession(d);
  assert.deepEqual(s.config(), d);
  s.dispose();
});

test('createSession() takes an object or the same config as a JSON string, with the same result', () => {
  const a = pg.createSession(smallConfig());
  const b = pg.createSession(JSON.stringify(smallConfig()));
  assert.deepEqual(a.weights(), b.weights());
  assert.deepEqual(a.points(), b.points());
  a.train(50);
  b.train(50);
  assert.deepEqual(a.metrics(), b.metrics());
  assert.equal(a.step, 50);
  a.dispose();
  b.dispose();
});

test('train() runs the steps asked for and counts epochs; metrics() reports them', () => {
  const s = pg.createSession(smallConfig());
  const before = s.metrics();
  assert.equal(before.step, 0);
  const r = s.train(300);
  assert.deepEqual(r, { steps: 300, diverged: false, reason: '' });
  const m = s.metrics();
  assert.equal(m.step, 300);
  assert.equal(s.step, 300);
  // 200 points, test_fraction 0.5: 100 training points, batch 10, so 10 steps an epoch.
  assert.equal(m.epoch, 30);
  assert.equal(s.epoch, 30);
  assert.equal(s.outputs, 1);
  assert.equal(m.learningRate, 0.05);
  assert.ok(m.trainLoss < before.trainLoss, `loss fell: ${before.trainLoss} -> ${m.trainLoss}`);
  for (const k of ['trainAccuracy', 'testAccuracy']) assert.ok(m[k] >= 0 && m[k] <= 1, k);
  assert.ok(Number.isFinite(m.batchLoss) && m.batchLoss > 0);
  assert.deepEqual(s.train(0), { steps: 0, diverged: false, reason: '' });
  s.dispose();
});

test('trainFor() spends about the time budget', () => {
  const s = pg.createSession(smallConfig());
  s.train(10); // compile and warm up outside the measurement
  const t0 = performance.now();
  const r = s.trainFor(60);
  const elapsed = performance.now() - t0;
  assert.ok(r.steps > 0);
  assert.ok(elapsed >= 55, `stopped early: ${elapsed} ms`);
  assert.ok(elapsed < 60 + 100, `overran: ${elapsed} ms`);
  assert.equal(s.step, 10 + r.steps);
  // maxSteps bounds it before the time runs out.
  assert.equal(s.trainFor(10000, 7).steps, 7);
  assert.equal(s.trainFor(0).steps, 0);
  s.dispose();
});

test('diagnostics(): one entry per layer, histograms count every pre-activation of the training set', () => {
  const s = pg.createSession(smallConfig());
  s.train(20);
  const d = s.diagnostics(25);
  assert.equal(d.step, 20);
  // hidden 5 and 3, then the output layer of 1.
  assert.deepEqual(
    d.layers.map((l) => l.units),
    [5, 3, 1],
  );
  for (const l of d.layers) {
    assert.equal(l.histogram.length, 25);
    // 100 training points, one pre-activation per unit each.
    assert.equal(
      l.histogram.reduce((a, b) => a + b, 0),
      100 * l.units,
    );
    assert.ok(l.histogramLo <= l.histogramHi);
    assert.equal(l.dead.length, l.units);
    assert.equal(
      l.deadUnits,
      l.dead.reduce((a, b) => a + b, 0),
    );
    assert.equal(
      l.saturatedUnits,
      l.saturated.reduce((a, b) => a + b, 0),
    );
    assert.ok(l.sparsity >= 0 && l.sparsity <= 1);
    assert.ok(l.gradNorm >= 0 && l.weightNorm > 0);
  }
  s.dispose();
});

test('diagnostics() sees a dead ReLU layer: a bias of -100 kills every unit', () => {
  const s = pg.createSession(
    smallConfig({ network: { hidden: [{ units: 4, activation: 'relu' }], head: 'sigmoid_bce', init: { bias: -100 } } }),
  );
  const d = s.diagnostics();
  assert.equal(d.layers[0].deadUnits, 4);
  assert.equal(d.layers[0].sparsity, 1);
  s.dispose();
});

test('layers() gives the architecture and the arena offsets', () => {
  const s = pg.createSession(smallConfig());
  const layers = s.layers();
  assert.deepEqual(
    layers.map((l) => [l.inputs, l.units, l.activation]),
    [
      [2, 5, 'relu'],
      [5, 3, 'relu'],
      [3, 1, 'identity'],
    ],
  );
  // 2*5 + 5 + 5*3 + 3 + 3*1 + 1 = 37 parameters.
  assert.equal(s.weights().length, 37);
  for (const l of layers) assert.equal(l.biasOffset - l.weightOffset, l.inputs * l.units);
  s.dispose();
});

test('heatmapView() and heatmap(): width*height*outputs values, sigmoid outputs in [0, 1]', () => {
  const s = pg.createSession(smallConfig());
  s.train(200);
  const v = s.heatmapView({ width: 30, height: 20 });
  assert.ok(v instanceof Float32Array);
  assert.equal(v.length, 30 * 20);
  const copy = s.heatmap({ width: 30, height: 20 });
  assert.deepEqual(copy, v.slice());
  for (const p of copy) assert.ok(p >= 0 && p <= 1);
  s.dispose();

  // A circle learnt well: the centre is class 1, the far corner class 0.
  const t = pg.createSession(
    smallConfig({
      network: { hidden: [{ units: 8, activation: 'tanh' }], head: 'sigmoid_bce' },
      training: { optimizer: 'adam', learning_rate: 0.03 },
    }),
  );
  t.train(1000);
  assert.ok(t.metrics().trainAccuracy > 0.95, `learnt: ${t.metrics().trainAccuracy}`);
  const centre = t.heatmap({ width: 1, height: 1, xMin: -0.1, xMax: 0.1, yMin: -0.1, yMax: 0.1 })[0];
  const corner = t.heatmap({ width: 1, height: 1, xMin: 5.9, xMax: 6, yMin: 5.9, yMax: 6 })[0];
  assert.ok(centre > 0.5 && corner < 0.5, `centre ${centre}, corner ${corner}`);
  t.dispose();

  const three = pg.createSession(
    smallConfig({
      data: { dataset: 'spiral3', num_points: 150 },
      network: { hidden: [{ units: 4, activation: 'relu' }], head: 'softmax_ce' },
    }),
  );
  const h = three.heatmap({ width: 8, height: 4 });
  assert.equal(h.length, 8 * 4 * 3);
  for (let i = 0; i < h.length; i += 3) assert.ok(Math.abs(h[i] + h[i + 1] + h[i + 2] - 1) < 1e-6, 'softmax rows sum to 1');
  three.dispose();
});

test('the heatmap agrees with the weights: a net with no hidden layer is sigmoid(w1 x + w2 y + b) at pixel centres', () => {
  const s = pg.createSession(smallConfig({ network: { hidden: [], head: 'sigmoid_bce' } }));
  s.setWeights([0.5, -0.25, 0.125]);
  // 2x2 over [-6, 6]^2: centres x = -3, 3 (columns), y = 3, -3 (rows, top first).
  const h = s.heatmap({ width: 2, height: 2 });
  const sig = (z) => 1 / (1 + Math.exp(-z));
  const expect = [
    sig(0.5 * -3 - 0.25 * 3 + 0.125),
    sig(0.5 * 3 - 0.25 * 3 + 0.125),
    sig(0.5 * -3 + 0.25 * 3 + 0.125),
    sig(0.5 * 3 + 0.25 * 3 + 0.125),
  ];
  for (let i = 0; i < 4; ++i) assert.ok(Math.abs(h[i] - expect[i]) < 1e-6, `pixel ${i}: ${h[i]} vs ${expect[i]}`);
  s.dispose();
});

test('unitHeatmapsView(): every hidden unit over the grid, (units, h, w)', () => {
  const s = pg.createSession(smallConfig());
  const v = s.unitHeatmapsView({ width: 9, height: 7 });
  assert.equal(v.length, (5 + 3) * 9 * 7);
  const copy = s.unitHeatmaps({ width: 9, height: 7 });
  assert.deepEqual(copy, v.slice());
  for (const u of copy) assert.ok(u >= 0, 'ReLU outputs are never negative');
  s.dispose();
});

test('weights() / setWeights() round trip; a wrong length or NaN is refused and the old weights stay', () => {
  const s = pg.createSession(smallConfig());
  const w = s.weights();
  const next = w.map((x, i) => i / 100);
  s.setWeights(next);
  assert.deepEqual(s.weights(), next);
  s.setWeights(Array.from(w));
  assert.deepEqual(s.weights(), w);
  assert.throws(() => s.setWeights(new Float64Array(w.length + 1)), /params must have 37 values, got 38/);
  assert.deepEqual(s.weights(), w);
  const bad = Float64Array.from(w);
  bad[4] = NaN;
  assert.throws(() => s.setWeights(bad), /weights\[4\] must be a finite number, got NaN/);
  assert.deepEqual(s.weights(), w);
  bad[4] = Infinity;
  assert.throws(() => s.setWeights(bad), /weights\[4\]/);
  assert.throws(() => s.setWeights('1,2,3'), /Float64Array or an array/);
  assert.deepEqual(s.weights(), w);
  s.dispose();
});

test('gradients(): one per parameter, non-zero after a step', () => {
  const s = pg.createSession(smallConfig());
  s.train(1);
  const g = s.gradients();
  assert.equal(g.length, s.weights().length);
  assert.ok(g.some((x) => x !== 0));
  s.dispose();
});

test('points(): train and test rows of x1, x2, label, split by test_fraction', () => {
  const s = pg.createSession(smallConfig());
  const tr = s.points();
  const te = s.points('test');
  assert.equal(tr.length, 100 * 3);
  assert.equal(te.length, 100 * 3);
  for (let i = 2; i < tr.length; i += 3) assert.ok(tr[i] === 0 || tr[i] === 1);
  s.dispose();
});

test('update(): a new learning rate takes effect without resetting the weights; a shape change is refused', () => {
  const config = smallConfig();
  const a = pg.createSession(config);
  const b = pg.createSession(config);
  a.train(20);
  b.train(20);
  const w = a.weights();
  a.update({ training: { learning_rate: 0.2 } });
  assert.deepEqual(a.weights(), w, 'weights kept');
  assert.equal(a.step, 20, 'step kept');
  assert.equal(a.config().training.learning_rate, 0.2);
  assert.equal(a.metrics().learningRate, 0.2);
  // The next step differs from the twin that kept 0.05, so the new rate is in use.
  a.train(1);
  b.train(1);
  assert.notDeepEqual(a.weights(), b.weights());
  // A session configured with 0.2 from the start and given a's state continues exactly like a.
  const c = pg.importModel(a.exportModel());
  a.train(5);
  c.train(5);
  assert.deepEqual(a.weights(), c.weights());

  assert.throws(() => a.update({ network: { hidden: [{ units: 9 }] } }), /units or activation needs a reset/);
  assert.throws(() => a.update({ data: { dataset: 'xor' } }), /needs a new network/);
  assert.throws(() => a.update({ training: { learning_rate: -1 } }), /training\.learning_rate/);
  assert.equal(a.config().training.learning_rate, 0.2, 'a refused update changes nothing');
  // Activation parameters change live too.
  const l = pg.createSession(
    smallConfig({ network: { hidden: [{ units: 3, activation: 'leaky_relu', alpha: 0.01 }], head: 'sigmoid_bce' } }),
  );
  l.update({ network: { hidden: [{ alpha: 0.3 }] } });
  assert.equal(l.config().network.hidden[0].alpha, 0.3);
  for (const s of [a, b, c, l]) s.dispose();
});

test('config() returns the full config, defaults filled in', () => {
  const s = pg.createSession({ data: { dataset: 'xor' } });
  const c = s.config();
  assert.equal(c.data.dataset, 'xor');
  assert.equal(c.training.optimizer, 'sgd');
  assert.equal(c.seed, 1);
  s.dispose();
});

test('exportModel() / importModel(): identical predictions on a grid and identical continued losses', () => {
  const config = smallConfig({ training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 7 } });
  const a = pg.createSession(config);
  a.train(123); // mid-epoch, with Adam moments, so the cursor and optimizer state must travel too
  const b = pg.importModel(a.exportModel());
  assert.equal(b.step, 123);
  assert.deepEqual(b.heatmap({ width: 40, height: 40 }), a.heatmap({ width: 40, height: 40 }));
  for (let i = 0; i < 50; ++i) {
    a.train(1);
    b.train(1);
    assert.equal(b.metrics().batchLoss, a.metrics().batchLoss, `step ${i}`);
  }
  assert.deepEqual(b.weights(), a.weights());
  a.dispose();
  b.dispose();
});

test('dispose(): every later call throws a clear error; disposing twice is harmless', () => {
  const s = pg.createSession(smallConfig());
  s.dispose();
  s.dispose();
  for (const call of [
    () => s.train(1),
    () => s.metrics(),
    () => s.weights(),
    () => s.heatmap(),
    () => s.step,
    () => s.exportModel(),
    () => s.update({}),
  ]) {
    assert.throws(call, (e) => e instanceof PlaygroundError && /this session was disposed/.test(e.message));
  }
});
