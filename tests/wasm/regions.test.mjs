// The linear-region view through the JS API: regionMapView returns the core's pattern hashes and count from
// the same pass as the map, and counts what tests/native/test_regions.cpp counts natively, to the region.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, PlaygroundError } from './helpers.mjs';

let pg;
before(async () => {
  pg = await load();
});

// tests/native/grid_check.hpp's config: the native tests' trained network.
const nativeConfig = (hidden) => ({
  seed: 5,
  data: { dataset: 'circle', num_points: 200 },
  network: { hidden: hidden.map((units) => ({ units, activation: 'relu' })), head: 'sigmoid_bce', init: { bias: 0.1 } },
  training: { optimizer: 'adam', learning_rate: 0.01 },
});

/** A one-layer ReLU network whose unit j has z = wx x + wy y + b for lines[j] = [wx, wy, b]. */
function linesSession(lines) {
  const s = pg.createSession(nativeConfig([lines.length]));
  const w = s.weights();
  const [hidden] = s.layers();
  lines.forEach(([wx, wy, b], j) => {
    w[hidden.weightOffset + j] = wx; // weights are (inputs, units): x1's row, then x2's
    w[hidden.weightOffset + hidden.units + j] = wy;
    w[hidden.biasOffset + j] = b;
  });
  s.setWeights(w);
  return s;
}

const distinct = (patterns) => new Set(patterns).size;

test('hand-set lines: the counts test_regions.cpp pins natively', () => {
  const cases = [
    { lines: [[1, 0, 0]], regions: 2 },
    {
      lines: [
        [1, 0, 0],
        [0, 1, 0],
      ],
      regions: 4,
    },
    {
      lines: [
        [1, 0, 0],
        [0, 1, 0],
        [1, 1, -2],
      ],
      regions: 7,
    },
    {
      lines: [
        [1, 0, 0],
        [1, 0, -2],
        [1, 0, 2],
      ],
      regions: 4,
    },
    {
      lines: [
        [1, 0, 0],
        [0, 1, 0],
        [1, 1, -2],
        [1, -1, 3],
      ],
      regions: 11,
    },
  ];
  for (const c of cases) {
    const s = linesSession(c.lines);
    try {
      const r = s.regionMap({ width: 100, height: 100 });
      assert.equal(r.regions, c.regions, JSON.stringify(c.lines));
      assert.ok(r.patterns instanceof Uint32Array);
      assert.equal(r.patterns.length, 100 * 100);
      assert.equal(distinct(r.patterns), r.regions, 'the count is of the hashes returned');
      assert.equal(r.heat.length, 100 * 100);
    } finally {
      s.dispose();
    }
  }
});

test('a trained 8-8 ReLU network: 101 regions, 33 from layer 1, as natively', () => {
  const s = pg.createSession(nativeConfig([8, 8]));
  try {
    s.train(300);
    const all = s.regionMap({ width: 100, height: 100 });
    const first = s.regionMap({ width: 100, height: 100 }, { layers: 1 });
    assert.equal(all.regions, 101);
    assert.equal(first.regions, 33);
    assert.equal(s.regionMap({}, { layers: 2 }).regions, 101, 'k at or past the hidden layers is all of them');
    // The same pass: the map that comes with the regions is the heatmap.
    assert.deepEqual(Array.from(all.heat), Array.from(s.heatmap({ width: 100, height: 100 })));
  } finally {
    s.dispose();
  }
});

test('a smooth network has no regions: count 0, every hash 0', () => {
  const s = pg.createSession({ ...nativeConfig([4]), network: { hidden: [{ units: 4, activation: 'tanh' }] } });
  try {
    const r = s.regionMapView({ width: 20, height: 20 });
    assert.equal(r.regions, 0);
    assert.deepEqual(new Set(r.patterns), new Set([0]));
    assert.equal(pg.activationInfo('tanh').piecewiseLinear, false);
    for (const a of ['relu', 'leaky_relu', 'prelu', 'relu6', 'hard_tanh', 'hard_sigmoid', 'identity', 'binary_step'])
      assert.equal(pg.activationInfo(a).piecewiseLinear, true, a);
  } finally {
    s.dispose();
  }
});

test('a bad layer limit is refused with its name', () => {
  const s = pg.createSession(nativeConfig([2]));
  try {
    assert.throws(
      () => s.regionMap({}, { layers: -1 }),
      (e) => e instanceof PlaygroundError && /layers/.test(e.message),
    );
    assert.throws(
      () => s.regionMap({}, { layers: 1.5 }),
      (e) => e instanceof PlaygroundError && /layers/.test(e.message),
    );
  } finally {
    s.dispose();
  }
});
