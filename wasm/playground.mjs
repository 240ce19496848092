// The JS API over the wasm core: coarse calls, errors as exceptions, bulk results as typed arrays.
// Runs in browsers, Web Workers and Node (pass { wasmBinary } in Node: Emscripten 3.1.6's loader cannot
// fetch a file path there). Views returned by the *View methods alias wasm memory: read them before the
// next call into the module, which may grow memory and detach them (the copying methods are always safe).
import createApCore from './ap_core.mjs';

function fail(message) {
  throw new PlaygroundError(message);
}

export class PlaygroundError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PlaygroundError';
  }
}

function check(errorString) {
  if (errorString) fail(errorString);
}

function integer(name, value, lo, hi) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    fail(`${name} must be an integer ${lo}..${hi}, got ${describe(value)}`);
  }
  return value;
}

function finite(name, value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${name} must be a finite number, got ${describe(value)}`);
  return value;
}

function describe(value) {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}

// A number for the core to range-check (NaN and infinities included: the core names the field and range).
function number(name, value) {
  if (typeof value !== 'number') fail(`${name} must be a number, got ${describe(value)}`);
  return value;
}

function text(name, value) {
  if (typeof value !== 'string') fail(`${name} must be a string, got ${describe(value)}`);
  return value;
}

function configText(config) {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object') return JSON.stringify(config);
  return fail(`config must be an object or a JSON string, got ${describe(config)}`);
}

function gridArgs(catalog, grid) {
  const e = catalog.plotExtent;
  const side = catalog.ranges.gridSide;
  const g = { width: 100, height: 100, xMin: -e, xMax: e, yMin: -e, yMax: e, ...(grid ?? {}) };
  integer('grid.width', g.width, side.min, side.max);
  integer('grid.height', g.height, side.min, side.max);
  for (const k of ['xMin', 'xMax', 'yMin', 'yMax']) finite(`grid.${k}`, g[k]);
  return [g.width, g.height, g.xMin, g.xMax, g.yMin, g.yMax];
}

// The core's catalog as the page reads it: limits and ranges keyed by name, custom data's unknowns as null.
function readCatalog(core) {
  const c = core.catalog();
  const byName = (list, value) => Object.fromEntries(list.map((x) => [x.name, value(x)]));
  return Object.freeze({
    ...c,
    datasets: c.datasets.map((d) => (d.problem === '' ? { ...d, problem: null, dims: null, classes: null } : d)),
    limits: byName(c.limits, (x) => x.value),
    ranges: byName(c.ranges, (x) => ({ min: x.min, max: x.max })),
  });
}

export class Session {
  #catalog;
  #raw;

  constructor(catalog, raw) {
    this.#catalog = catalog;
    this.#raw = raw;
  }

  #live() {
    if (!this.#raw) fail('this session was disposed');
    return this.#raw;
  }

  /** Trains up to `steps` mini-batch steps; returns { steps, diverged, reason }. */
  train(steps) {
    integer('steps', steps, 0, this.#catalog.limits.maxStepsPerCall);
    const done = this.#live().train(steps);
    return this.#status(done);
  }

  /** Trains for about `ms` milliseconds (at most maxSteps steps); returns { steps, diverged, reason }. */
  trainFor(ms, maxSteps = this.#catalog.limits.maxStepsPerCall) {
    finite('ms', ms);
    integer('maxSteps', maxSteps, 0, this.#catalog.limits.maxStepsPerCall);
    const done = this.#live().trainFor(Math.max(0, ms), maxSteps);
    return this.#status(done);
  }

  #status(steps) {
    const reason = this.#raw.divergence();
    return { steps, diverged: reason !== '', reason };
  }

  /**
   * Time travel: shows step `step` exactly (restores the nearest snapshot at or before it and trains
   * forward, bit for bit the run that went there). The later history stays until the next train() or live
   * change, which continues from here as a new branch (the later steps are dropped). The step must be in
   * timeline().earliest..timeline().head.
   */
  seek(step) {
    const t = this.#live().timeline();
    integer('step', step, t.earliest, t.head);
    check(this.#live().seek(step));
  }

  /**
   * The run's snapshots, in figures: { head, earliest, every, kept, bytes, budget, units, events }. head: the
   * furthest step of this branch; earliest: the first step seek() can show; every: K, the steps between
   * snapshots (it doubles when they would pass `budget` bytes); kept, bytes: the snapshots kept and the
   * memory they and the unit events hold; units: hidden units; events: how many unitEvents() returns.
   */
  timeline() {
    return this.#live().timeline();
  }

  /**
   * The snapshots' memory, in bytes, from the current step on (the earlier history goes): 0 keeps none, for
   * a run that only ever shows its latest step (a race's); the core refuses more than its budget.
   */
  setSnapshotBudget(bytes) {
    check(this.#live().setSnapshotBudget(number('snapshot budget', bytes)));
  }

  /** The steps of the kept snapshots: a Float64Array copy. */
  snapshotSteps() {
    return this.#live().snapshotStepsView().slice();
  }

  /**
   * When each hidden unit died (outputs 0 on every training point) or came back, checked at every
   * snapshot: a Float64Array copy (events, 3) of rows step, unit (over all hidden units, layer by layer),
   * 1 died / 0 came back, by step. Units dead from the start have an event at the first step.
   */
  unitEvents() {
    return this.#live().unitEventsView().slice();
  }

  /** After a divergence, lets training continue (e.g. once the rate was lowered). */
  clearDivergence() {
    this.#live().clearDivergence();
  }

  get step() {
    return this.#live().step();
  }
  get epoch() {
    return this.#live().epoch();
  }
  get outputs() {
    return this.#live().outputs();
  }

  /**
   * { step, epoch, batchLoss, learningRate, trainLoss, testLoss, trainAccuracy, testAccuracy }: evaluates
   * the whole training and test sets, so call it where metrics are scheduled, not on every click.
   */
  metrics() {
    return this.#live().metrics();
  }

  /** The same shape at no cost: step, epoch, batchLoss, learningRate; the full-set figures are NaN. */
  metricsLatest() {
    return this.#live().metricsLatest();
  }

  /** Per-layer gradient norms, sparsity, dead and saturated units, pre-activation histograms. */
  diagnostics(bins = 40) {
    integer('bins', bins, 1, this.#catalog.limits.maxHistogramBins);
    const raw = this.#live();
    check(raw.computeDiagnostics(bins));
    return raw.lastDiagnostics();
  }

  /** One entry per layer (hidden, then output): { inputs, units, weightOffset, biasOffset, alphaOffset, activation } */
  layers() {
    return this.#live().layers();
  }

  /** The prediction over a grid: a view (height, width, outputs) of wasm memory, valid until the next call. */
  heatmapView(grid) {
    const raw = this.#live();
    check(raw.predictGrid(...gridArgs(this.#catalog, grid)));
    return raw.gridView();
  }

  heatmap(grid) {
    return this.heatmapView(grid).slice();
  }

  /**
   * The prediction over a grid and, from the same pass, its linear regions: { heat, patterns, regions }.
   * heat: a view (height, width, outputs); patterns: a Uint32Array view (height, width), each pixel's
   * activation-pattern hash over the first `layers` hidden layers (all if omitted), equal within one linear
   * region; regions: how many distinct patterns are in view (0, and every hash 0, when a hidden activation
   * is smooth). Views valid until the next call.
   */
  regionMapView(grid, { layers } = {}) {
    const raw = this.#live();
    const all = layers === undefined || layers === null;
    if (!all) integer('layers', layers, 0, this.#catalog.limits.maxHiddenLayers);
    check(raw.predictRegions(...gridArgs(this.#catalog, grid), all ? -1 : layers));
    return { heat: raw.gridView(), patterns: raw.patternsView(), regions: raw.regionCount() };
  }

  regionMap(grid, options) {
    const v = this.regionMapView(grid, options);
    return { heat: v.heat.slice(), patterns: v.patterns.slice(), regions: v.regions };
  }

  /** Every hidden unit's output over a grid: a view (units, height, width), valid until the next call. */
  unitHeatmapsView(grid) {
    const raw = this.#live();
    check(raw.unitGrids(...gridArgs(this.#catalog, grid)));
    return raw.unitGridsView();
  }

  unitHeatmaps(grid) {
    return this.unitHeatmapsView(grid).slice();
  }

  /**
   * The hidden space: the data and the input plane's grid lines mapped through hidden layer `layer` into
   * the outputs of two of its units (every index from 0), by the network's own forward pass in double.
   * Returns { points, boundary, train, test, lines, samples, hasBoundary }: points a Float64Array view
   * (n, 3) of each point's (unitX output, unitY output, prediction), rows the train points, the test points
   * (when test), then `lines` grid lines of `samples` points each; boundary a view (segments, 4) of the
   * decision line's segments (x0, y0, x1, y1) when hasBoundary (the layer is the last hidden layer, it has
   * two units and the head classifies). Views valid until the next call.
   */
  hiddenSpaceView({ layer, unitX, unitY, test = true } = {}) {
    const most = this.#catalog.limits;
    integer('layer', layer, 0, most.maxHiddenLayers - 1);
    integer('unitX', unitX, 0, most.maxUnits - 1);
    integer('unitY', unitY, 0, most.maxUnits - 1);
    if (typeof test !== 'boolean') fail(`test must be true or false, got ${describe(test)}`);
    const raw = this.#live();
    check(raw.hiddenSpace(layer, unitX, unitY, test));
    const shape = raw.hiddenSpaceShape();
    return { ...shape, points: raw.hiddenSpaceView(), boundary: raw.hiddenBoundaryView() };
  }

  hiddenSpace(options) {
    const v = this.hiddenSpaceView(options);
    return { ...v, points: v.points.slice(), boundary: v.boundary.slice() };
  }

  /**
   * The head's outputs in double at chosen points: xy holds (n, 2) pairs x1, x2 (x alone counts for 1-D
   * data; pass any x2); returns a Float64Array copy (n, outputs). The grids above are float32 pictures; this
   * is what training and the metrics see (at most maxGridSide^2 points per call).
   */
  predict(xy) {
    if (!(xy instanceof Float64Array) && !Array.isArray(xy)) fail('points must be a Float64Array or an array of numbers');
    const most = this.#catalog.limits.maxGridSide ** 2;
    if (xy.length % 2 !== 0 || xy.length / 2 > most) fail(`points must hold 0..${most} (x1, x2) pairs, got ${xy.length} numbers`);
    for (let i = 0; i < xy.length; ++i) finite(`points[${i}]`, xy[i]);
    const raw = this.#live();
    raw.pointStagingView(xy.length / 2).set(xy);
    check(raw.predictPoints());
    return raw.predictionsView().slice();
  }

  /**
   * One point's forward pass and the backward pass of a training step on a batch of just that point, by the
   * core's own forward and backward on the current weights (the data loss; regularisation left out).
   * point = { x1, x2, label } (x2 is ignored for 1-D data; label: a class index, or the regression target).
   * Returns { point, step, loss, onAbove, values, features, prediction, layers: [{ inputs, units, activation,
   * z, a, slope, on, dA, dZ, dB, dW }] }: `values` is one Float64Array copy and every other array a
   * subarray of it (so a worker can transfer values.buffer); dW is (inputs, units), row-major by input; on is
   * 1 where |slope| > onAbove.
   */
  trace(point) {
    if (!point || typeof point !== 'object') fail(`point must be an object { x1, x2, label }, got ${describe(point)}`);
    const x1 = finite('point.x1', point.x1);
    const x2 = finite('point.x2', point.x2 ?? 0);
    const label = finite('point.label', point.label);
    const raw = this.#live();
    check(raw.tracePoint(x1, x2, label));
    const info = raw.traceInfo();
    const values = raw.traceValuesView().slice();
    const at = (offset, n) => values.subarray(offset, offset + n);
    const layers = info.layers.map((l) => ({
      inputs: l.inputs,
      units: l.units,
      activation: l.activation,
      z: at(l.z, l.units),
      a: at(l.a, l.units),
      slope: at(l.slope, l.units),
      on: at(l.on, l.units),
      dA: at(l.dA, l.units),
      dZ: at(l.dZ, l.units),
      dB: at(l.dB, l.units),
      dW: at(l.dW, l.inputs * l.units),
    }));
    return {
      point: { x1, x2, label },
      step: info.step,
      loss: info.loss,
      onAbove: info.onAbove,
      values,
      features: at(info.features, layers[0].inputs),
      prediction: at(info.prediction, info.outputs),
      layers,
    };
  }

  /** A copy of every parameter, in the core's arena layout (see layers()). */
  weights() {
    return this.#live().paramsView().slice();
  }

  /** A copy of the gradient buffer of the last step or diagnostics pass. */
  gradients() {
    return this.#live().gradsView().slice();
  }

  /** Replaces every parameter; refuses a wrong length or a non-finite value and keeps the old ones. */
  setWeights(values) {
    if (!(values instanceof Float64Array) && !Array.isArray(values)) fail('weights must be a Float64Array or an array of numbers');
    const raw = this.#live();
    // Checked here too, so a wrong length is this message rather than a RangeError from staging.set().
    const expected = raw.paramsView().length;
    if (values.length !== expected) fail(`params must have ${expected} values, got ${values.length}`);
    const staging = raw.stagingView(values.length);
    for (let i = 0; i < values.length; ++i) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`weights[${i}] must be a finite number, got ${describe(v)}`);
    }
    staging.set(values);
    check(raw.commitParams());
  }

  /** Training points (or test points) as rows of x1, x2, label: a copy, Float64Array (n * 3). */
  points(which = 'train') {
    if (which !== 'train' && which !== 'test') fail(`points must be 'train' or 'test', got ${describe(which)}`);
    return this.#live()
      .pointsView(which === 'test')
      .slice();
  }

  /**
   * Live change of training settings and activation parameters from a full or partial config. A round
   * trip of the whole config: the page's controls use the typed setters below instead.
   */
  update(config) {
    const raw = this.#live();
    const next = typeof config === 'string' ? config : JSON.stringify(mergeConfig(JSON.parse(raw.exportConfig()), config));
    check(raw.update(next));
  }

  // Typed live changes: one value each, checked once by the core (the message names the config field,
  // e.g. "training.learning_rate must be 0..1000000, got -1"); a refused value changes nothing.
  // None evaluates the data: read metricsLatest() after them, metrics() where metrics are scheduled.

  /** training.learning_rate */
  setLearningRate(x) {
    this.#set('setLearningRate', number('learning rate', x));
  }
  /** training.batch_size (an integer) */
  setBatchSize(n) {
    this.#set('setBatchSize', integer('batch size', n, -(2 ** 31), 2 ** 31 - 1));
  }
  /** training.optimizer by name: a different optimizer starts its state afresh. */
  setOptimizer(name) {
    this.#set('setOptimizer', text('optimizer', name));
  }
  /** training.regularization by name ('none', 'l1', 'l2') and training.regularization_rate */
  setRegularization(name, rate) {
    this.#set('setRegularization', text('regularization', name), number('regularization rate', rate));
  }
  /** training.clip_norm (0 turns clipping off) */
  setClipNorm(x) {
    this.#set('setClipNorm', number('clip norm', x));
  }
  /** name: 'momentum', 'rho', 'beta1', 'beta2' or 'epsilon' (training.<name>); the optimizer keeps its state. */
  setOptimizerParam(name, x) {
    this.#set('setOptimizerParam', text('optimizer parameter', name), number(name, x));
  }
  /** network.hidden[layer].alpha and .beta (a formula layer's a and b); any may be left out to keep its value. */
  setActivationParams(layer, { alpha, beta, a, b } = {}) {
    integer('layer', layer, 0, this.#catalog.limits.maxHiddenLayers);
    const maybe = (name, v) => (v === undefined ? v : number(name, v));
    this.#set('setActivationParams', layer, maybe('alpha', alpha), maybe('beta', beta), maybe('a', a), maybe('b', b));
  }
  /** f'(0) of the ReLU family in every hidden layer: 0, 0.5 or 1. */
  setReluGradAtZero(g) {
    this.#set('setReluGradAtZero', number('reluGradAtZero', g));
  }
  /** One weight, bias or PReLU slope by its index in weights() (see layers() for the layout). */
  setParameter(index, x) {
    integer('index', index, 0, Number.MAX_SAFE_INTEGER);
    this.#set('setParameter', index, number(`params[${index}]`, x));
  }

  #set(method, ...args) {
    check(this.#live()[method](...args));
  }

  config() {
    return JSON.parse(this.#live().exportConfig());
  }
  exportModel() {
    return this.#live().exportModel();
  }

  dispose() {
    if (this.#raw) {
      this.#raw.delete();
      this.#raw = null;
    }
  }
}

// Deep merge for partial updates: objects merge, arrays and values replace (hidden layers merge by index).
function mergeConfig(base, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) fail('update expects a config object');
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'hidden' && Array.isArray(value) && Array.isArray(base[key])) {
      out[key] = base[key].map((layer, i) => (value[i] ? { ...layer, ...value[i] } : layer));
    } else if (value && typeof value === 'object' && !Array.isArray(value) && base[key] && typeof base[key] === 'object') {
      out[key] = mergeConfig(base[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

export class Playground {
  #core;
  #catalog;

  constructor(core) {
    this.#core = core;
    this.#catalog = readCatalog(core);
  }

  /**
   * What the core offers and accepts, read once: { activations, datasets, features, heads, inits, optimizers,
   * regularizations, schedules, learningRates, regularizationRates, reluGradsAtZero, plotExtent, limits,
   * ranges }. The same frozen object on every call; see wasm/README.md for each key.
   */
  catalog() {
    return this.#catalog;
  }

  /** Names of every activation the core has. */
  activations() {
    return this.#catalog.activations.map((a) => a.name);
  }

  /** { name, usesAlpha, usesBeta, reluFamily, saturating, defaultAlpha, defaultBeta, kinks, piecewiseLinear } */
  activationInfo(name) {
    if (typeof name !== 'string') fail(`activation name must be a string, got ${describe(name)}`);
    const info = this.#catalog.activations.find((a) => a.name === name);
    if (!info) fail(`unknown activation '${name}'`);
    return { ...info, kinks: info.kinks.slice() };
  }

  kinks(name, { alpha, beta } = {}) {
    const info = this.activationInfo(name);
    return this.#core.kinksOf(name, alpha ?? info.defaultAlpha, beta ?? info.defaultBeta);
  }

  /**
   * f and f' over n evenly spaced x in [from, to], in one call: { x, y, dy } as Float64Array copies.
   * params: { alpha, beta, reluGradAtZero } (defaults: the activation's own).
   */
  curve(name, { from = -10, to = 10, n = 401, alpha, beta, reluGradAtZero = 0 } = {}) {
    const view = this.curveView(name, { from, to, n, alpha, beta, reluGradAtZero });
    return { x: view.slice(0, n), y: view.slice(n, 2 * n), dy: view.slice(2 * n, 3 * n) };
  }

  /** Like curve(), but one view (3, n) of wasm memory: x, then f(x), then f'(x). */
  curveView(name, { from = -10, to = 10, n = 401, alpha, beta, reluGradAtZero = 0 } = {}) {
    const info = this.activationInfo(name);
    const points = this.#catalog.ranges.curvePoints;
    integer('n', n, points.min, points.max);
    finite('from', from);
    finite('to', to);
    const a = finite('alpha', alpha ?? info.defaultAlpha);
    const b = finite('beta', beta ?? info.defaultBeta);
    finite('reluGradAtZero', reluGradAtZero);
    check(this.#core.curve(name, a, b, reluGradAtZero, from, to, n));
    return this.#core.curveView();
  }

  /**
   * The user's own activation (core/formula.hpp) over n evenly spaced x in [from, to], in one call:
   * { x, y, dy } as Float64Array copies. Throws PlaygroundError with the parser's message
   * ("formula: position 7: expected ...") for a bad formula.
   */
  formulaCurve(formula, { from = -10, to = 10, n = 401, a = 1, b = 1 } = {}) {
    const view = this.formulaCurveView(formula, { from, to, n, a, b });
    return { x: view.slice(0, n), y: view.slice(n, 2 * n), dy: view.slice(2 * n, 3 * n) };
  }

  /** Like formulaCurve(), but one view (3, n) of wasm memory: x, then f(x), then f'(x). */
  formulaCurveView(formula, { from = -10, to = 10, n = 401, a = 1, b = 1 } = {}) {
    text('formula', formula);
    const points = this.#catalog.ranges.curvePoints;
    integer('n', n, points.min, points.max);
    finite('from', from);
    finite('to', to);
    check(this.#core.formulaCurve(formula, number('a', a), number('b', b), from, to, n));
    return this.#core.curveView();
  }

  /** '' if the core accepts the formula, else its message naming the position and what was expected. */
  validateFormula(formula) {
    return this.#core.validateFormula(text('formula', formula));
  }

  defaultConfig() {
    return JSON.parse(this.#core.defaultConfig());
  }

  /** A new training session from a config (object or JSON, the native CLI's format). Dispose it when done. */
  createSession(config) {
    const raw = new this.#core.Session();
    const error = raw.configure(configText(config));
    if (error) {
      raw.delete();
      fail(error);
    }
    return new Session(this.#catalog, raw);
  }

  /** A session from an exported model (config plus trained state). */
  importModel(json) {
    if (typeof json !== 'string') fail(`model must be a JSON string, got ${describe(json)}`);
    const raw = new this.#core.Session();
    const error = raw.importModel(json);
    if (error) {
      raw.delete();
      fail(error);
    }
    return new Session(this.#catalog, raw);
  }

  /** Memory figures: the wasm memory size and the bytes the allocator holds for live objects. */
  memory() {
    return { memoryBytes: this.#core.HEAPU8.length, heapInUse: this.#core.heapInUse() };
  }
}

/** Loads the module. options: { wasmBinary } (Node), or { locateFile } to place the .wasm elsewhere. */
export async function loadPlayground(options = {}) {
  const core = await createApCore(options);
  return new Playground(core);
}
