// Session.trace: one point's forward and backward pass through the core. Its dW and db are exactly the
// gradient a real training step on that point alone uses (the session's own gradient buffer after the step,
// and w_before - dW = w_after for SGD at rate 1), its forward values agree with predict(), the arrays are
// subarrays of one buffer (what the worker moves), and bad points are refused with the session intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, PlaygroundError, smallConfig } from './helpers.mjs';

const pg = await load();

// Every point of the data is the same one, so each mini-batch of one is that point.
function onePointConfig(point, overrides = {}) {
  return smallConfig({
    data: { dataset: 'custom', points: Array.from({ length: 6 }, () => point) },
    training: { optimizer: 'sgd', learning_rate: 1, batch_size: 1 },
    ...overrides,
  });
}

function gradientsOf(trace, layers, size) {
  const g = new Float64Array(size).fill(NaN);
  trace.layers.forEach((l, k) => {
    g.set(l.dW, layers[k].weightOffset);
    g.set(l.dB, layers[k].biasOffset);
  });
  return g;
}

for (const [name, hidden] of [
  [
    'relu',
    [
      { units: 5, activation: 'relu' },
      { units: 3, activation: 'relu' },
    ],
  ],
  ['tanh', [{ units: 4, activation: 'tanh' }]],
  [
    'gelu',
    [
      { units: 6, activation: 'gelu_erf' },
      { units: 2, activation: 'elu' },
    ],
  ],
]) {
  test(`a trace's dW and db are the gradient of a training step on that point (${name})`, () => {
    const point = [1.3, -0.7, 1];
    const s = pg.createSession(onePointConfig(point, { network: { hidden, head: 'sigmoid_bce' } }));
    try {
      s.train(3); // away from the initial weights
      const before = s.weights();
      const t = s.trace({ x1: point[0], x2: point[1], label: point[2] });
      assert.equal(t.step, 3);
      const dw = gradientsOf(t, s.layers(), before.length);
      s.train(1);
      const after = s.weights();
      const grads = s.gradients();
      for (let i = 0; i < before.length; ++i) {
        assert.ok(Object.is(dw[i], grads[i]) || dw[i] === grads[i], `gradient ${i}: trace ${dw[i]}, step ${grads[i]}`);
        // SGD at rate 1: w_after = w_before - 1 * g, the same double operation.
        assert.equal(after[i], before[i] - dw[i], `weight ${i}`);
      }
      assert.ok(
        dw.some((g) => g !== 0),
        'some gradient is not zero',
      );
    } finally {
      s.dispose();
    }
  });
}

test('a trace is one buffer: its forward pass agrees with predict and with its own parts', () => {
  const s = pg.createSession(
    smallConfig({ network: { hidden: [{ units: 4, activation: 'relu' }], head: 'sigmoid_bce', features: ['x1', 'x2', 'x1^2'] } }),
  );
  try {
    s.train(50);
    const pts = s.points('train');
    const p = { x1: pts[0], x2: pts[1], label: pts[2] };
    const t = s.trace(p);
    assert.deepEqual(t.point, p);
    assert.ok(t.values instanceof Float64Array);
    for (const arr of [t.features, t.prediction, ...t.layers.flatMap((l) => [l.z, l.a, l.slope, l.on, l.dA, l.dZ, l.dB, l.dW])]) {
      assert.equal(arr.buffer, t.values.buffer);
    }
    assert.deepEqual(Array.from(t.features), [p.x1, p.x2, p.x1 * p.x1]);
    assert.equal(t.prediction[0], s.predict([p.x1, p.x2])[0]);
    const [hiddenLayer, out] = t.layers;
    assert.equal(hiddenLayer.units, 4);
    assert.equal(hiddenLayer.activation, 'relu');
    for (let j = 0; j < 4; ++j) {
      assert.equal(hiddenLayer.a[j], Math.max(0, hiddenLayer.z[j]));
      assert.equal(hiddenLayer.on[j], hiddenLayer.z[j] > 0 ? 1 : 0);
      // == rather than Object.is: an off unit's dz is dA * 0, which is -0 when dA < 0.
      assert.ok(hiddenLayer.dZ[j] === (hiddenLayer.z[j] > 0 ? hiddenLayer.dA[j] : 0), `unit ${j}`);
    }
    // Sigmoid and cross-entropy: dL/dlogit = prediction - label, and the loss is -log p(label).
    assert.ok(Math.abs(out.dZ[0] - (t.prediction[0] - p.label)) < 1e-12);
    assert.ok(Math.abs(t.loss - -Math.log(p.label ? t.prediction[0] : 1 - t.prediction[0])) < 1e-9);
    assert.equal(t.onAbove, 0.01);
  } finally {
    s.dispose();
  }
});

test('a trace leaves the session as it was', () => {
  const s = pg.createSession(smallConfig());
  try {
    s.train(20);
    const w = s.weights();
    const g = s.gradients();
    const m = s.metrics();
    s.trace({ x1: 0.5, x2: 0.5, label: 0 });
    assert.deepEqual(s.weights(), w);
    assert.deepEqual(s.gradients(), g);
    assert.deepEqual(s.metrics(), m);
  } finally {
    s.dispose();
  }
});

test('a bad point is refused with a message naming it, and the session keeps working', () => {
  const s = pg.createSession(smallConfig());
  try {
    assert.throws(() => s.trace(null), /point must be an object/);
    assert.throws(() => s.trace({ x1: NaN, x2: 0, label: 0 }), /point.x1 must be a finite number/);
    assert.throws(
      () => s.trace({ x1: 0, x2: 0, label: 3 }),
      (e) => e instanceof PlaygroundError && /point.label must be a class 0..1, got 3/.test(e.message),
    );
    assert.throws(() => s.trace({ x1: 0, x2: 0, label: 0.5 }), /point.label/);
    assert.equal(s.train(5).steps, 5);
    assert.ok(Number.isFinite(s.trace({ x1: 0, x2: 0, label: 1 }).loss));
  } finally {
    s.dispose();
  }
});
