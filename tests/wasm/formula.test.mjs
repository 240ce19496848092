// The user's own activation through the JS API (wasm/playground.mjs): formulaCurve and validateFormula for
// the explorer, the formula riding in a session's config (a, b live), the built-ins spelt as formulas giving
// the built-ins' bits in wasm too, and the code exports refusing a formula layer with a message that says so.
// Native against wasm, bit for bit, is the parity test's 'moons formula adam sigmoid_bce' config.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig, PlaygroundError } from './helpers.mjs';
import { numpyScript } from '../../web/js/export/numpy.js';
import { pytorchScript } from '../../web/js/export/pytorch.js';

let pg;
before(async () => {
  pg = await load();
});

const bits = (a) => Array.from(new BigUint64Array(Float64Array.from(a).buffer));

test('formulaCurve: max(0,x) and tanh(x) are the built-ins bit for bit; x*sigmoid(x) is SiLU within 1 ulp', () => {
  const range = { from: -30, to: 30, n: 6001 };
  for (const [formula, name] of [
    ['max(0, x)', 'relu'],
    ['tanh(x)', 'tanh'],
    ['sigmoid(x)', 'sigmoid'],
  ]) {
    const own = pg.formulaCurve(formula, range);
    const builtin = pg.curve(name, range);
    assert.deepEqual(bits(own.y), bits(builtin.y), `${formula}: values`);
    // tanh' and sigmoid' in a formula are the network's backward pass, from y (1 - y^2, y(1 - y)), which
    // the curve of the built-in computes from x to keep the tails' digits: equal to ~1e-16 absolute.
    if (name === 'relu') assert.deepEqual(bits(own.dy), bits(builtin.dy), `${formula}: derivatives`);
    else own.dy.forEach((d, i) => assert.ok(Math.abs(d - builtin.dy[i]) < 1e-15, `${formula}: f'(${own.x[i]})`));
  }
  const silu = pg.curve('silu', range).y;
  const own = pg.formulaCurve('x*sigmoid(x)', range).y;
  const a = bits(own);
  const b = bits(silu);
  let worst = 0n;
  for (let i = 0; i < a.length; ++i) {
    const d = a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    if (d > worst && own[i] * silu[i] > 0) worst = d;
  }
  assert.ok(worst <= 1n, `worst ${worst} ulp`);
});

test('formulaCurve: a and b, the derivative by forward-mode AD', () => {
  const c = pg.formulaCurve('a*x^2 + b', { from: -2, to: 2, n: 5, a: 3, b: -1 });
  assert.deepEqual(Array.from(c.x), [-2, -1, 0, 1, 2]);
  assert.deepEqual(Array.from(c.y), [11, 2, -1, 2, 11]);
  assert.deepEqual(Array.from(c.dy), [-12, -6, 0, 6, 12]);
  assert.throws(() => pg.formulaCurve('x', { a: 11 }), /formula\.a must be -10\.\.10, got 11/);
});

test('a bad formula: the message names the position and what was expected', () => {
  assert.equal(pg.validateFormula('x*sigmoid(a*x)'), '');
  assert.equal(pg.validateFormula('max(0, x'), "formula: position 9: expected ')' after the arguments of max, got the end of the formula");
  assert.equal(pg.validateFormula('x +* 2'), "formula: position 4: expected a number, x, a, b, a function or '(', got '*'");
  assert.match(pg.validateFormula('x'.repeat(201)), /^formula must be at most 200 characters, got 201$/);
  assert.throws(
    () => pg.formulaCurve('exp(x', {}),
    (e) => e instanceof PlaygroundError && /position 6/.test(e.message),
  );
  assert.throws(() => pg.validateFormula(42), /formula must be a string/);
  const c = pg.catalog();
  assert.equal(c.limits.maxFormulaLength, 200);
  assert.deepEqual(c.ranges.formulaParam, { min: -10, max: 10 });
  assert.deepEqual(c.formulaFunctions, ['exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'erf', 'max', 'min']);
  assert.ok(!pg.activations().includes('formula'), 'the built-ins list stays the built-ins');
});

test('a formula layer in a session: trains like the built-in it spells, a and b change live', () => {
  const relu = smallConfig();
  const own = smallConfig();
  own.network.hidden = own.network.hidden.map((h) => ({ ...h, activation: 'formula', formula: 'max(0, x)' }));
  const s1 = pg.createSession(relu);
  const s2 = pg.createSession(own);
  try {
    s1.train(200);
    s2.train(200);
    assert.deepEqual(bits(s1.weights()), bits(s2.weights()));
    assert.equal(s1.metrics().trainLoss, s2.metrics().trainLoss);
    const config = s2.config();
    assert.equal(config.network.hidden[0].formula, 'max(0, x)');
    assert.equal(config.network.hidden[0].a, 1);
    s2.setActivationParams(0, { a: 2.5 });
    assert.equal(s2.config().network.hidden[0].a, 2.5);
    assert.throws(() => s2.setActivationParams(0, { b: -20 }), /network\.hidden\[0\]\.b must be -10\.\.10/);
    const back = pg.importModel(s2.exportModel());
    try {
      assert.deepEqual(back.config(), s2.config());
    } finally {
      back.dispose();
    }
  } finally {
    s1.dispose();
    s2.dispose();
  }
  const bad = smallConfig();
  bad.network.hidden[1] = { units: 2, activation: 'formula', formula: 'x ^' };
  assert.throws(() => pg.createSession(bad), /^PlaygroundError: network\.hidden\[1\]\.formula: position 4: expected a number/);
});

test('the code exports refuse a formula layer and say why', () => {
  const config = smallConfig();
  config.network.hidden[1] = { units: 2, activation: 'formula', formula: 'x*sigmoid(a*x)' };
  const s = pg.createSession(config);
  try {
    s.train(5);
    const model = s.exportModel();
    for (const script of [numpyScript, () => pytorchScript(model, [])])
      assert.throws(
        () => script(model),
        /hidden layer 2 uses your own formula f\(x\) = x\*sigmoid\(a\*x\); the PyTorch and NumPy exports cover the built-in activations only/,
      );
  } finally {
    s.dispose();
  }
});
