// Typed live changes from JS: each setter's value takes effect in the next step (a run with the setter
// equals a run configured with the value from the start), and a refused value throws a PlaygroundError
// naming the config field while the session stays bit-identical.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig, PlaygroundError } from './helpers.mjs';

let pg;
before(async () => {
  pg = await load();
});

const base = () =>
  smallConfig({
    network: {
      hidden: [
        { units: 5, activation: 'leaky_relu' },
        { units: 3, activation: 'relu' },
      ],
      head: 'sigmoid_bce',
    },
    training: { optimizer: 'momentum', learning_rate: 0.05, batch_size: 10 },
  });

function merged(patch) {
  const c = base();
  return {
    ...c,
    network: { ...c.network, hidden: c.network.hidden.map((l, i) => ({ ...l, ...(patch.hidden?.[i] ?? {}) })) },
    training: { ...c.training, ...(patch.training ?? {}) },
  };
}

// [what, set(session), the same value as a config patch, a refused call, the message it must give]
const cases = [
  [
    'learning rate',
    (s) => s.setLearningRate(0.3),
    { training: { learning_rate: 0.3 } },
    (s) => s.setLearningRate(-1),
    /^training\.learning_rate must be 0\.\.1000000, got -1$/,
  ],
  [
    'batch size',
    (s) => s.setBatchSize(7),
    { training: { batch_size: 7 } },
    (s) => s.setBatchSize(0),
    /^training\.batch_size must be 1\.\.4096, got 0$/,
  ],
  [
    'optimizer',
    (s) => s.setOptimizer('adam'),
    { training: { optimizer: 'adam' } },
    (s) => s.setOptimizer('adamw'),
    /^training\.optimizer must be one of sgd, momentum, nesterov, rmsprop, adam; got 'adamw'$/,
  ],
  [
    'regularization',
    (s) => s.setRegularization('l2', 0.01),
    { training: { regularization: 'l2', regularization_rate: 0.01 } },
    (s) => s.setRegularization('l3', 0.01),
    /^training\.regularization must be one of none, l1, l2; got 'l3'$/,
  ],
  [
    'regularization rate',
    (s) => s.setRegularization('l1', 0.003),
    { training: { regularization: 'l1', regularization_rate: 0.003 } },
    (s) => s.setRegularization('l1', 11),
    /^training\.regularization_rate must be 0\.\.10, got 11$/,
  ],
  [
    'clip norm',
    (s) => s.setClipNorm(0.05),
    { training: { clip_norm: 0.05 } },
    (s) => s.setClipNorm(NaN),
    /^training\.clip_norm must be 0\.\.1000000, got nan$/,
  ],
  [
    'momentum',
    (s) => s.setOptimizerParam('momentum', 0.5),
    { training: { momentum: 0.5 } },
    (s) => s.setOptimizerParam('momentum', 1),
    /^training\.momentum must be 0\.\.0\.999999, got 1$/,
  ],
  [
    'rho',
    (s) => s.setOptimizerParam('rho', 0.8),
    { training: { rho: 0.8 } },
    (s) => s.setOptimizerParam('gamma', 0.8),
    /^optimizer parameter must be one of momentum, rho, beta1, beta2, epsilon; got 'gamma'$/,
  ],
  [
    'beta1',
    (s) => s.setOptimizerParam('beta1', 0.8),
    { training: { beta1: 0.8 } },
    (s) => s.setOptimizerParam('beta1', Infinity),
    /^training\.beta1 must be 0\.\.0\.999999, got inf$/,
  ],
  [
    'beta2',
    (s) => s.setOptimizerParam('beta2', 0.99),
    { training: { beta2: 0.99 } },
    (s) => s.setOptimizerParam('beta2', -0.5),
    /^training\.beta2 must be 0\.\.0\.999999, got -0\.5$/,
  ],
  [
    'epsilon',
    (s) => s.setOptimizerParam('epsilon', 1e-4),
    { training: { epsilon: 1e-4 } },
    (s) => s.setOptimizerParam('epsilon', 0),
    /^training\.epsilon must be 1e-300\.\.1, got 0$/,
  ],
  [
    'alpha',
    (s) => s.setActivationParams(0, { alpha: 0.3 }),
    { hidden: [{ alpha: 0.3 }] },
    (s) => s.setActivationParams(0, { alpha: 50 }),
    /^network\.hidden\[0\]\.alpha must be -10\.\.10, got 50$/,
  ],
  [
    'layer',
    (s) => s.setActivationParams(0, { alpha: 0.2, beta: 1 }),
    { hidden: [{ alpha: 0.2 }] },
    (s) => s.setActivationParams(2, { alpha: 0.2 }),
    /^layer must be 0\.\.1, got 2$/,
  ],
  [
    "f'(0)",
    (s) => s.setReluGradAtZero(1),
    { hidden: [{ relu_grad_at_zero: 1 }, { relu_grad_at_zero: 1 }] },
    (s) => s.setReluGradAtZero(0.3),
    /^network\.hidden\[\*\]\.relu_grad_at_zero must be 0, 0\.5 or 1, got 0\.3$/,
  ],
];

test('every setter before the first step: the run equals one configured with the value', () => {
  for (const [what, set, patch] of cases) {
    const a = pg.createSession(base());
    const b = pg.createSession(merged(patch));
    set(a);
    assert.deepEqual(a.config(), b.config(), what);
    a.train(40);
    b.train(40);
    assert.deepEqual(a.weights(), b.weights(), what);
    assert.equal(a.metricsLatest().batchLoss, b.metricsLatest().batchLoss, what);
    a.dispose();
    b.dispose();
  }
});

test('every setter mid-run equals update() with the same value, and keeps the weights', () => {
  for (const [what, set, patch] of cases) {
    const a = pg.createSession(base());
    const b = pg.createSession(base());
    a.train(15);
    b.train(15);
    const weights = a.weights();
    set(a);
    b.update(patch.hidden ? { network: { hidden: patch.hidden } } : patch);
    assert.deepEqual(a.weights(), weights, what);
    assert.equal(a.step, 15, what);
    a.train(10);
    b.train(10);
    assert.deepEqual(a.weights(), b.weights(), what);
    a.dispose();
    b.dispose();
  }
});

test('a refused value throws PlaygroundError naming the field; the session is unchanged', () => {
  for (const [what, , , refuse, message] of cases) {
    const s = pg.createSession(base());
    const twin = pg.createSession(base());
    s.train(12);
    twin.train(12);
    const before = s.exportModel();
    assert.throws(
      () => refuse(s),
      (e) => e instanceof PlaygroundError && message.test(e.message),
      what,
    );
    assert.equal(s.exportModel(), before, what);
    s.train(10);
    twin.train(10);
    assert.deepEqual(s.weights(), twin.weights(), what);
    s.dispose();
    twin.dispose();
  }
});

test('wrong JS types are refused before the core', () => {
  const s = pg.createSession(base());
  assert.throws(() => s.setLearningRate('0.1'), /learning rate must be a number, got "0\.1"/);
  assert.throws(() => s.setBatchSize(2.5), /batch size must be an integer/);
  assert.throws(() => s.setOptimizer(3), /optimizer must be a string, got 3/);
  assert.throws(() => s.setActivationParams(-1, { alpha: 0.1 }), /layer must be an integer 0\.\.12, got -1/);
  assert.throws(() => s.setActivationParams(0, { alpha: 'x' }), /alpha must be a number/);
  assert.throws(() => s.setParameter(1.5, 0), /index must be an integer/);
  s.dispose();
});

test('setParameter edits one weight; a bad index or value is refused', () => {
  const a = pg.createSession(base());
  const b = pg.createSession(base());
  const w = a.weights();
  a.setParameter(3, 0.25);
  w[3] = 0.25;
  b.setWeights(w);
  assert.deepEqual(a.weights(), b.weights());
  a.train(20);
  b.train(20);
  assert.deepEqual(a.weights(), b.weights());
  const n = w.length;
  const before = a.exportModel();
  const refused = (call, message) => assert.throws(call, (e) => e instanceof PlaygroundError && e.message === message);
  refused(() => a.setParameter(n, 1), `params index must be 0..${n - 1}, got ${n}`);
  refused(() => a.setParameter(2, NaN), 'params[2] must be finite, got NaN');
  refused(() => a.setParameter(2, -Infinity), 'params[2] must be finite, got infinite');
  assert.equal(a.exportModel(), before);
  a.dispose();
  b.dispose();
});

test('setOptimizer keeps the state for the same kind and starts afresh for another', () => {
  const a = pg.createSession(base());
  const b = pg.createSession(base());
  a.train(10);
  b.train(10);
  a.setOptimizer('momentum');
  assert.equal(a.exportModel(), b.exportModel());
  a.setOptimizer('adam');
  assert.equal(JSON.parse(a.exportModel()).state.optimizer.steps, 0);
  a.dispose();
  b.dispose();
});

test("metricsLatest() has metrics()'s shape without the full-set pass", () => {
  const s = pg.createSession(base());
  s.train(12);
  const latest = s.metricsLatest();
  const full = s.metrics();
  assert.deepEqual(Object.keys(latest).sort(), Object.keys(full).sort());
  assert.equal(latest.step, 12);
  assert.equal(latest.batchLoss, full.batchLoss);
  assert.equal(latest.learningRate, 0.05);
  assert.ok(Number.isNaN(latest.trainLoss) && Number.isNaN(latest.testAccuracy));
  assert.ok(Number.isFinite(full.trainLoss));
  s.dispose();
});
