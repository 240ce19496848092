// The hidden space through the JS API (hiddenSpace): the rows it returns are the session's own points and
// predictions, its coordinates the first layer's ReLU outputs worked out here from the weights, and a bad
// layer or unit is refused with a message naming it. tests/native/test_hidden_space.cpp checks the same map
// against the network's forward natively, bit for bit.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, PlaygroundError, smallConfig } from './helpers.mjs';

let pg;
before(async () => {
  pg = await load();
});

/** The (x1, x2) inputs of every row, in the map's order: train, test (if any), then the grid lines. */
function inputsOf(s, hs) {
  const xy = [];
  const train = s.points('train');
  const test = s.points('test');
  for (let i = 0; i < hs.train; ++i) xy.push(train[3 * i], train[3 * i + 1]);
  for (let i = 0; i < hs.test; ++i) xy.push(test[3 * i], test[3 * i + 1]);
  const e = pg.catalog().plotExtent;
  const family = hs.lines / 2;
  const at = (i, n) => -e + (2 * e * i) / (n - 1);
  for (let l = 0; l < hs.lines; ++l)
    for (let k = 0; k < hs.samples; ++k) {
      if (l < family) xy.push(at(k, hs.samples), at(l, family));
      else xy.push(at(l - family, family), at(k, hs.samples));
    }
  return new Float64Array(xy);
}

test('each row is a point of the session: its prediction is predict(), bit for bit', () => {
  const s = pg.createSession(smallConfig());
  s.train(200);
  const hs = s.hiddenSpace({ layer: 1, unitX: 2, unitY: 0 });
  assert.equal(hs.train, s.points('train').length / 3);
  assert.equal(hs.test, s.points('test').length / 3);
  assert.equal(hs.lines, 26);
  assert.equal(hs.samples, 101);
  const n = hs.train + hs.test + hs.lines * hs.samples;
  assert.equal(hs.points.length, 3 * n);
  assert.ok(hs.points instanceof Float64Array);
  const predicted = s.predict(inputsOf(s, hs));
  let differ = 0;
  for (let i = 0; i < n; ++i) if (!Object.is(hs.points[3 * i + 2], predicted[i])) ++differ;
  assert.equal(differ, 0, `${differ} of ${n} predictions differ from predict()`);

  const trainOnly = s.hiddenSpace({ layer: 1, unitX: 2, unitY: 0, test: false });
  assert.equal(trainOnly.test, 0);
  assert.deepEqual(trainOnly.points.subarray(0, 3 * hs.train), hs.points.subarray(0, 3 * hs.train));
  s.dispose();
});

test("the first layer's coordinates are its ReLU outputs, 0 exactly where the pre-activation is negative", () => {
  const s = pg.createSession(smallConfig());
  s.train(100);
  const [first] = s.layers();
  const w = s.weights();
  const hs = s.hiddenSpace({ layer: 0, unitX: 4, unitY: 1 });
  const xy = inputsOf(s, hs);
  let worst = 0;
  let zeros = 0;
  for (let i = 0; i < xy.length / 2; ++i) {
    for (const [col, j] of [
      [0, 4],
      [1, 1],
    ]) {
      const z = xy[2 * i] * w[first.weightOffset + j] + xy[2 * i + 1] * w[first.weightOffset + first.units + j] + w[first.biasOffset + j];
      const got = hs.points[3 * i + col];
      if (z < -1e-9) {
        assert.ok(Object.is(got, 0), `row ${i}: z = ${z} but the unit's output is ${got}`);
        ++zeros;
      } else worst = Math.max(worst, Math.abs(got - Math.max(0, z)) / (1 + Math.abs(z)));
    }
  }
  assert.ok(worst < 1e-12, `largest difference from the weights' ReLU ${worst}`);
  assert.ok(zeros > 100, `only ${zeros} points on an axis`);
  s.dispose();
});

test('the decision line of a last hidden layer of two units lies where the logit is 0', () => {
  const s = pg.createSession(
    smallConfig({
      network: {
        hidden: [
          { units: 5, activation: 'relu' },
          { units: 2, activation: 'tanh' },
        ],
        head: 'sigmoid_bce',
      },
    }),
  );
  s.train(300);
  const hs = s.hiddenSpace({ layer: 1, unitX: 0, unitY: 1 });
  assert.equal(hs.hasBoundary, true);
  assert.equal(hs.boundary.length, 4);
  const out = s.layers()[2];
  const w = s.weights();
  const logit = (x, y) => x * w[out.weightOffset] + y * w[out.weightOffset + 1] + w[out.biasOffset];
  assert.ok(Math.abs(logit(hs.boundary[0], hs.boundary[1])) < 1e-9);
  assert.ok(Math.abs(logit(hs.boundary[2], hs.boundary[3])) < 1e-9);
  assert.equal(s.hiddenSpace({ layer: 0, unitX: 0, unitY: 1 }).hasBoundary, false);
  assert.equal(s.hiddenSpace({ layer: 0, unitX: 0, unitY: 1 }).boundary.length, 0);
  s.dispose();
});

test('a layer or unit the network lacks, or a malformed index, is refused by name', () => {
  const s = pg.createSession(
    smallConfig({
      network: {
        hidden: [
          { units: 3, activation: 'relu' },
          { units: 1, activation: 'relu' },
        ],
        head: 'sigmoid_bce',
      },
    }),
  );
  const refused = (options, pattern) =>
    assert.throws(
      () => s.hiddenSpace(options),
      (e) => e instanceof PlaygroundError && pattern.test(e.message),
    );
  refused({ layer: 2, unitX: 0, unitY: 1 }, /hiddenSpace\.layer must be 0\.\.1 .*got 2/);
  refused({ layer: 0, unitX: 3, unitY: 1 }, /hiddenSpace\.unitX must be 0\.\.2 .*got 3/);
  refused({ layer: 0, unitX: 1, unitY: 1 }, /unitY must differ from unitX/);
  refused({ layer: 1, unitX: 0, unitY: 1 }, /layer 1 has one unit; the hidden space needs two/);
  refused({ layer: -1, unitX: 0, unitY: 1 }, /layer must be an integer 0\.\./);
  refused({ layer: 0, unitX: 0.5, unitY: 1 }, /unitX must be an integer/);
  refused({ layer: 0, unitX: 0, unitY: '1' }, /unitY must be an integer/);
  refused({ layer: 0, unitX: 0, unitY: 1, test: 'yes' }, /test must be true or false/);
  // The session is as it was: the next map works.
  assert.equal(s.hiddenSpace({ layer: 0, unitX: 0, unitY: 2 }).lines, 26);
  s.dispose();
});
