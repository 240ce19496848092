// The JS API over the wasm core: coarse calls, errors as exceptions, bulk results as typed arrays.
// Runs in browsers, Web Workers and Node (pass { wasmBinary } in Node: Emscripten 3.1.6's loader cannot
// fetch a file path there). Views returned by the *View methods alias wasm memory: read them before the
// next call into the module, which may grow memory and detach them (the copying methods are always safe).
import createApCore from './ap_core.mjs';

const MAX_GRID_SIDE = 512;

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

function configText(config) {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object') return JSON.stringify(config);
  return fail(`config must be an object or a JSON string, got ${describe(config)}`);
}

function gridArgs(grid) {
  const g = { width: 100, height: 100, xMin: -6, xMax: 6, yMin: -6, yMax: 6, ...(grid ?? {}) };
  integer('grid.width', g.width, 1, MAX_GRID_SIDE);
  integer('grid.height', g.height, 1, MAX_GRID_SIDE);
  for (const k of ['xMin', 'xMax', 'yMin', 'yMax']) finite(`grid.${k}`, g[k]);
  return [g.width, g.height, g.xMin, g.xMax, g.yMin, g.yMax];
}

export class Session {
  #core;
  #raw;

  constructor(core, raw) {
    this.#core = core;
    this.#raw = raw;
  }

  #live() {
    if (!this.#raw) fail('this session was disposed');
    return this.#raw;
  }

  /** Trains up to `steps` mini-batch steps; returns { steps, diverged, reason }. */
  train(steps) {
    integer('steps', steps, 0, 1_000_000);
    const done = this.#live().train(steps);
    return this.#status(done);
  }

  /** Trains for about `ms` milliseconds (at most maxSteps steps); returns { steps, diverged, reason }. */
  trainFor(ms, maxSteps = 1_000_000) {
    finite('ms', ms);
    integer('maxSteps', maxSteps, 0, 1_000_000);
    const done = this.#live().trainFor(Math.max(0, ms), maxSteps);
    return this.#status(done);
  }

  #status(steps) {
    const reason = this.#raw.divergence();
    return { steps, diverged: reason !== '', reason };
  }

  /** After a divergence, lets training continue (e.g. once the rate was lowered). */
  clearDivergence() { this.#live().clearDivergence(); }

  get step() { return this.#live().step(); }
  get epoch() { return this.#live().epoch(); }
  get outputs() { return this.#live().outputs(); }

  /** { step, epoch, batchLoss, learningRate, trainLoss, testLoss, trainAccuracy, testAccuracy } */
  metrics() { return this.#live().metrics(); }

  /** Per-layer gradient norms, sparsity, dead and saturated units, pre-activation histograms. */
  diagnostics(bins = 40) {
    integer('bins', bins, 1, 1000);
    const d = this.#live().diagnostics(bins);
    if (d.error) fail(d.error);
    return d;
  }

  /** One entry per layer (hidden, then output): { inputs, units, weightOffset, biasOffset, alphaOffset, activation } */
  layers() { return this.#live().layers(); }

  /** The prediction over a grid: a view (height, width, outputs) of wasm memory, valid until the next call. */
  heatmapView(grid) {
    const raw = this.#live();
    check(raw.predictGrid(...gridArgs(grid)));
    return raw.gridView();
  }

  heatmap(grid) { return this.heatmapView(grid).slice(); }

  /** Every hidden unit's output over a grid: a view (units, height, width), valid until the next call. */
  unitHeatmapsView(grid) {
    const raw = this.#live();
    check(raw.unitGrids(...gridArgs(grid)));
    return raw.unitGridsView();
  }

  unitHeatmaps(grid) { return this.unitHeatmapsView(grid).slice(); }

  /** A copy of every parameter, in the core's arena layout (see layers()). */
  weights() { return this.#live().paramsView().slice(); }

  /** A copy of the gradient buffer of the last step or diagnostics pass. */
  gradients() { return this.#live().gradsView().slice(); }

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
    return this.#live().pointsView(which === 'test').slice();
  }

  /** Live change of training settings and activation parameters (a full or partial config). */
  update(config) {
    const raw = this.#live();
    const next = typeof config === 'string' ? config : JSON.stringify(mergeConfig(JSON.parse(raw.exportConfig()), config));
    check(raw.update(next));
  }

  config() { return JSON.parse(this.#live().exportConfig()); }
  exportModel() { return this.#live().exportModel(); }

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

  constructor(core) {
    this.#core = core;
  }

  /** Names of every activation the core has. */
  activations() {
    const names = this.#core.activationNames();
    return Array.from({ length: names.length }, (_, i) => names[i]);
  }

  /** { name, usesAlpha, usesBeta, reluFamily, saturating, defaultAlpha, defaultBeta, kinks } */
  activationInfo(name) {
    if (typeof name !== 'string') fail(`activation name must be a string, got ${describe(name)}`);
    const info = this.#core.activationInfo(name);
    if (info === null) fail(`unknown activation '${name}'`);
    return info;
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
    integer('n', n, 2, 100000);
    finite('from', from);
    finite('to', to);
    const a = finite('alpha', alpha ?? info.defaultAlpha);
    const b = finite('beta', beta ?? info.defaultBeta);
    finite('reluGradAtZero', reluGradAtZero);
    check(this.#core.curve(name, a, b, reluGradAtZero, from, to, n));
    return this.#core.curveView();
  }

  defaultConfig() { return JSON.parse(this.#core.defaultConfig()); }

  /** A new training session from a config (object or JSON, the native CLI's format). Dispose it when done. */
  createSession(config) {
    const raw = new this.#core.Session();
    const error = raw.configure(configText(config));
    if (error) {
      raw.delete();
      fail(error);
    }
    return new Session(this.#core, raw);
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
    return new Session(this.#core, raw);
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
