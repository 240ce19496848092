// playground.catalog(): the core's own lists, menus, limits and ranges, each checked against what the core
// accepts and refuses at its boundary, so the page can read them instead of copying them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, smallConfig, PlaygroundError } from './helpers.mjs';

let pg;
let cat;
before(async () => {
  pg = await load();
  cat = pg.catalog();
});

const accepts = (what, call) => assert.doesNotThrow(call, what);
const refuses = (what, call, pattern = /./) => assert.throws(call, (e) => e instanceof PlaygroundError && pattern.test(e.message), what);

function make(config) {
  pg.createSession(config).dispose();
}

// Numbers just outside a range, for ranges of any magnitude.
const below = (x) => x - Math.max(Math.abs(x) * 1e-9, 1e-309);
const above = (x) => x + Math.max(Math.abs(x) * 1e-9, 1e-12);

test('the catalog has the documented keys, plain data only, and is the same object each time', () => {
  for (const key of [
    'activations',
    'datasets',
    'features',
    'heads',
    'inits',
    'optimizers',
    'regularizations',
    'schedules',
    'learningRates',
    'regularizationRates',
    'reluGradsAtZero',
    'plotExtent',
    'limits',
    'ranges',
  ]) {
    assert.ok(key in cat, key);
  }
  assert.equal(pg.catalog(), cat);
  assert.ok(Object.isFrozen(cat));
  // Plain objects, arrays, numbers, strings, booleans and null: it survives structured cloning (a worker).
  assert.deepEqual(structuredClone(cat), JSON.parse(JSON.stringify(cat)));
  assert.equal(cat.plotExtent, 6);
  assert.deepEqual(cat.learningRates, [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]);
  assert.deepEqual(cat.reluGradsAtZero, [0, 0.5, 1]);
  assert.deepEqual(cat.limits.maxGridSide, 512);
  assert.deepEqual(cat.ranges.learningRate, { min: 0, max: 1e6 });
});

test('the name lists are exactly the names the core lists when it refuses one', () => {
  const lists = [
    ['features', (n) => ({ network: { features: [n] } }), 'network.features[0]'],
    ['heads', (n) => ({ network: { head: n } }), 'network.head'],
    ['inits', (n) => ({ network: { init: { scheme: n } } }), 'network.init.scheme'],
    ['optimizers', (n) => ({ training: { optimizer: n } }), 'training.optimizer'],
    ['regularizations', (n) => ({ training: { regularization: n } }), 'training.regularization'],
    ['schedules', (n) => ({ training: { schedule: n } }), 'training.schedule'],
  ];
  for (const [key, config, field] of lists) {
    refuses(
      key,
      () => make(config('nope')),
      new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')} must be one of ${cat[key].join(', ').replace(/[*^()]/g, '\\$&')}; got 'nope'$`),
    );
  }
  refuses(
    'datasets',
    () => make({ data: { dataset: 'nope' } }),
    new RegExp(`must be one of ${cat.datasets.map((d) => d.name).join(', ')}; got`),
  );
  refuses(
    'activations',
    () => make({ network: { hidden: [{ activation: 'nope' }] } }),
    new RegExp(`must be one of ${cat.activations.map((a) => a.name).join(', ')}; got`),
  );
});

test('every name in the lists is accepted', () => {
  for (const f of cat.features) accepts(f, () => make({ network: { features: [f] } }));
  for (const h of ['sigmoid_bce', 'tanh_mse', 'softmax_ce']) assert.ok(cat.heads.includes(h));
  for (const i of cat.inits) accepts(i, () => make({ network: { init: { scheme: i } } }));
  for (const o of cat.optimizers) accepts(o, () => make({ training: { optimizer: o } }));
  for (const r of cat.regularizations) accepts(r, () => make({ training: { regularization: r } }));
  for (const s of cat.schedules) accepts(s, () => make({ training: { schedule: s } }));
  for (const a of cat.activations) {
    accepts(a.name, () => make({ network: { hidden: [{ units: 2, activation: a.name }] } }));
    assert.deepEqual(pg.activationInfo(a.name), a);
  }
  assert.deepEqual(
    pg.activations(),
    cat.activations.map((a) => a.name),
  );
  const s = pg.createSession(smallConfig());
  for (const lr of cat.learningRates) accepts(lr, () => s.setLearningRate(lr));
  for (const rr of cat.regularizationRates) accepts(rr, () => s.setRegularization('l2', rr));
  for (const g of cat.reluGradsAtZero) accepts(g, () => s.setReluGradAtZero(g));
  refuses("f'(0) 0.25", () => s.setReluGradAtZero(0.25));
  s.dispose();
});

test('each dataset is what the catalog says: problem, input dims, classes, inside the plot extent', () => {
  for (const d of cat.datasets) {
    if (d.name === 'custom') {
      assert.deepEqual(d, { name: 'custom', problem: null, dims: null, classes: null });
      continue;
    }
    const head = d.problem === 'regression' ? 'linear_mse' : d.classes > 2 ? 'softmax_ce' : 'sigmoid_bce';
    const wrong = d.problem === 'regression' ? 'sigmoid_bce' : 'linear_mse';
    refuses(`${d.name} with ${wrong}`, () => make({ data: { dataset: d.name }, network: { head: wrong } }));
    const s = pg.createSession({ data: { dataset: d.name, num_points: 200 }, network: { head } });
    const pts = s.points('train');
    const labels = new Set();
    for (let i = 0; i < pts.length; i += 3) {
      assert.ok(Math.abs(pts[i]) <= cat.plotExtent, `${d.name} x1`);
      if (d.dims === 2) assert.ok(Math.abs(pts[i + 1]) <= cat.plotExtent, `${d.name} x2`);
      else assert.equal(pts[i + 1], 0, `${d.name} is 1-D`);
      labels.add(pts[i + 2]);
    }
    if (d.problem === 'classification')
      assert.deepEqual(
        [...labels].sort(),
        Array.from({ length: d.classes }, (_, k) => k),
        d.name,
      );
    else assert.equal(d.classes, 0);
    assert.equal(s.layers()[0].inputs, d.dims === 1 ? 1 : 2, d.name);
    s.dispose();
  }
});

test('size limits: the largest value is accepted and one more is refused', () => {
  const L = cat.limits;
  const layers = (n) => ({ network: { hidden: Array.from({ length: n }, () => ({ units: 1 })) } });
  accepts('layers', () => make(layers(L.maxHiddenLayers)));
  refuses('layers', () => make(layers(L.maxHiddenLayers + 1)), /network\.hidden \(layers\) must be 0\.\.12/);
  accepts('units', () => make({ network: { hidden: [{ units: L.maxUnits }] } }));
  refuses('units', () => make({ network: { hidden: [{ units: L.maxUnits + 1 }] } }), /units must be 1\.\.256/);
  accepts('points', () => make({ data: { num_points: L.minPoints } }));
  refuses('points', () => make({ data: { num_points: L.minPoints - 1 } }), /data\.num_points/);
  refuses('points', () => make({ data: { num_points: L.maxPoints + 1 } }), /data\.num_points must be 10\.\.100000/);
  const custom = (n, label = 0) => ({
    data: { dataset: 'custom', points: Array.from({ length: n }, (_, i) => [i / n, 0, i % 2 ? label : 0]) },
  });
  accepts('custom points', () => make(custom(L.minCustomPoints, 1)));
  refuses('custom points', () => make(custom(L.minCustomPoints - 1, 1)), /data\.points must be 4\.\./);
  accepts('classes', () => make({ ...custom(6, L.maxClasses - 1), network: { head: 'softmax_ce' } }));
  refuses('classes', () => make({ ...custom(6, L.maxClasses), network: { head: 'softmax_ce' } }), /label must be an integer 0\.\.5, got 6/);
  accepts('features', () => make({ network: { features: cat.features.slice(0, L.maxFeatures) } }));
  assert.equal(cat.features.length, L.maxFeatures);
  accepts('seed', () => make({ seed: L.maxSeed }));
  refuses('seed', () => make({ seed: L.maxSeed + 1 }), /seed must be 0\.\.4294967295/);
  const s = pg.createSession(smallConfig());
  accepts('batch', () => s.setBatchSize(L.maxBatch));
  refuses('batch', () => s.setBatchSize(L.maxBatch + 1), /training\.batch_size must be 1\.\.4096/);
  accepts('grid side', () => s.heatmapView({ width: L.maxGridSide, height: 1 }));
  refuses('grid side', () => s.heatmapView({ width: L.maxGridSide + 1, height: 1 }), /grid\.width must be an integer 1\.\.512/);
  refuses('steps', () => s.train(L.maxStepsPerCall + 1), /steps must be an integer 0\.\.1000000/);
  accepts('bins', () => s.diagnostics(L.maxHistogramBins));
  refuses('bins', () => s.diagnostics(L.maxHistogramBins + 1), /bins must be an integer 1\.\.1000/);
  accepts('curve', () => pg.curveView('relu', { n: L.maxCurvePoints }));
  refuses('curve', () => pg.curveView('relu', { n: L.maxCurvePoints + 1 }), /n must be an integer 2\.\.100000/);
  s.dispose();
  // 256 units at 257 x 257 is just over 2^24 values.
  const wide = pg.createSession({ network: { hidden: [{ units: 256 }] } });
  refuses('unit grid values', () => wide.unitHeatmapsView({ width: 257, height: 257 }), new RegExp(`${L.maxUnitGridValues}`));
  wide.dispose();
  const formula = (n) => ({ network: { hidden: [{ units: 1, activation: 'formula', formula: `x${'+x'.repeat((n - 1) / 2)}` }] } });
  accepts('formula length', () => make(formula(L.maxFormulaLength - 1)));
  refuses(
    'formula length',
    () => make(formula(L.maxFormulaLength + 1)),
    /network\.hidden\[0\]\.formula must be at most 200 characters, got 201/,
  );
  assert.equal(
    pg
      .validateFormula(`${'('.repeat(L.maxFormulaDepth + 1)}x${')'.repeat(L.maxFormulaDepth + 1)}`)
      .includes('nested deeper than 32 levels'),
    true,
  );
  assert.equal(L.maxCsvBytes, 16 * 2 ** 20);
  assert.equal(L.maxUnitGridValues, 2 ** 24);
});

test('numeric ranges: both ends accepted, just outside refused with the field named', () => {
  const R = cat.ranges;
  const s = pg.createSession(
    smallConfig({
      network: {
        hidden: [
          { units: 2, activation: 'leaky_relu' },
          { units: 2, activation: 'silu' },
        ],
      },
    }),
  );
  const live = [
    ['learningRate', 'training.learning_rate', (x) => s.setLearningRate(x)],
    ['regularizationRate', 'training.regularization_rate', (x) => s.setRegularization('l2', x)],
    ['clipNorm', 'training.clip_norm', (x) => s.setClipNorm(x)],
    ['momentum', 'training.momentum', (x) => s.setOptimizerParam('momentum', x)],
    ['rho', 'training.rho', (x) => s.setOptimizerParam('rho', x)],
    ['beta1', 'training.beta1', (x) => s.setOptimizerParam('beta1', x)],
    ['beta2', 'training.beta2', (x) => s.setOptimizerParam('beta2', x)],
    ['epsilon', 'training.epsilon', (x) => s.setOptimizerParam('epsilon', x)],
    ['alpha', 'network.hidden[0].alpha', (x) => s.setActivationParams(0, { alpha: x })],
    ['beta', 'network.hidden[1].beta', (x) => s.setActivationParams(1, { beta: x })],
    ['batchSize', 'training.batch_size', (x) => s.setBatchSize(x), 1],
  ];
  for (const [key, field, set, step] of live) {
    const { min, max } = R[key];
    accepts(`${key} ${min}`, () => set(min));
    accepts(`${key} ${max}`, () => set(max));
    const name = field.replace(/[.[\]]/g, '\\$&');
    refuses(`${key} below`, () => set(step ? min - step : below(min)), new RegExp(`^${name} must be`));
    refuses(`${key} above`, () => set(step ? max + step : above(max)), new RegExp(`^${name} must be`));
  }
  s.dispose();

  const configs = [
    ['noise', 'data.noise', (x) => ({ data: { noise: x } })],
    ['testFraction', 'data.test_fraction', (x) => ({ data: { test_fraction: x } })],
    ['initRange', 'network.init.uniform_range', (x) => ({ network: { init: { uniform_range: x } } })],
    ['initBias', 'network.init.bias', (x) => ({ network: { init: { bias: x } } })],
    ['stepGamma', 'training.step_gamma', (x) => ({ training: { step_gamma: x } })],
    ['numPoints', 'data.num_points', (x) => ({ data: { num_points: x } }), 1],
    ['units', 'network.hidden[0].units', (x) => ({ network: { hidden: [{ units: x }] } }), 1],
    ['stepEvery', 'training.step_every', (x) => ({ training: { step_every: x } }), 1],
    ['cosineSteps', 'training.cosine_steps', (x) => ({ training: { cosine_steps: x } }), 1],
    ['seed', 'seed', (x) => ({ seed: x }), 1],
    ['features', 'network.features (count)', (n) => ({ network: { features: cat.features.slice(0, n) } }), 1],
    ['hiddenLayers', 'network.hidden (layers)', (n) => ({ network: { hidden: Array.from({ length: n }, () => ({ units: 1 })) } }), 1],
    ['formulaParam', 'network.hidden[0].a', (x) => ({ network: { hidden: [{ units: 1, activation: 'formula', formula: 'a*x', a: x }] } })],
  ];
  for (const [key, field, config, step] of configs) {
    const { min, max } = R[key];
    if (key !== 'numPoints') accepts(`${key} ${min}`, () => make(config(min)));
    accepts(`${key} ${max}`, () => make(config(max)));
    const name = field.replace(/[.[\]()]/g, '\\$&');
    // A list cannot be shorter than empty: hiddenLayers' 0 has no 'below' (features' is checked after).
    if (key !== 'features' && key !== 'hiddenLayers')
      refuses(`${key} below`, () => make(config(step ? min - step : below(min))), new RegExp(`^${name} must be`));
    if (key !== 'features') refuses(`${key} above`, () => make(config(step ? max + step : above(max))), new RegExp(`^${name} must be`));
  }
  refuses('features above', () => make({ network: { features: [...cat.features, 'x1'] } }), /network\.features \(count\) must be 1\.\.7/);
  refuses('features below', () => make({ network: { features: [] } }), /network\.features \(count\) must be 1\.\.7/);
  accepts('customCoordinate', () =>
    make({
      data: {
        dataset: 'custom',
        dims: 1,
        points: [
          [R.customCoordinate.max, R.customCoordinate.min],
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      },
      network: { head: 'linear_mse' },
    }),
  );
  refuses(
    'customCoordinate',
    () =>
      make({
        data: {
          dataset: 'custom',
          dims: 1,
          points: [
            [above(R.customCoordinate.max), 0],
            [0, 0],
            [1, 1],
            [2, 2],
          ],
        },
        network: { head: 'linear_mse' },
      }),
    /data\.points\[0\]\.x must be -1000000\.\.1000000/,
  );
  assert.deepEqual(R.minLearningRate, R.learningRate);
  assert.deepEqual(R.steps, { min: 0, max: cat.limits.maxStepsPerCall });
  assert.deepEqual(R.gridSide, { min: 1, max: cat.limits.maxGridSide });
  assert.deepEqual(R.curvePoints, { min: cat.limits.minCurvePoints, max: cat.limits.maxCurvePoints });
  assert.deepEqual(R.histogramBins, { min: 1, max: cat.limits.maxHistogramBins });
  assert.deepEqual(R.reluGradAtZero, { min: 0, max: 1 });
});

test('the default grid covers the plot extent', () => {
  const s = pg.createSession(smallConfig());
  const e = cat.plotExtent;
  assert.deepEqual(s.heatmap(), s.heatmap({ xMin: -e, xMax: e, yMin: -e, yMax: e }));
  s.dispose();
});
