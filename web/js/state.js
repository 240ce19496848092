// The playground's whole state as one property table: each row names a property, its key in the URL, its
// type, default and allowed values, and what changing it costs (a new session, a live update, a redraw).
// The table serialises the state, seed included, to the hash query (`#/playground?v=1&...`) and back, so a
// reloaded or shared link reproduces the same run; toConfig() turns the state into the core's config JSON.
//
// Compatibility: v is the format version. Keys at their default may be left out of a link, so a later
// version that changes a default must add a migration (MIGRATIONS) that writes the old default into old
// links; links from a newer version are read as far as this one understands them, with a message.
//
// The module knows no maths and no DOM. What only the core knows (its activations and their parameter
// defaults) comes in as a catalog: { activations: string[], info(name) -> { usesAlpha, usesBeta,
// defaultAlpha, defaultBeta } }.

export const FORMAT_VERSION = 1;

// The user's own activation (core/formula.hpp): its name in activation lists and the core's config, and the
// formula a layer gets when it is switched to it. Its text is checked by the core (catalog.validateFormula).
export const FORMULA = 'formula';
export const DEFAULT_FORMULA = 'x*sigmoid(a*x)';

// What the core has and accepts (its data sets, heads, initialisations, optimizers, regularisations and
// every range), from its catalog: useCoreCatalog() fills these when the core has loaded (main.js), before any
// view mounts; until then they are empty. The page keeps only what is the page's own: the URL codes of the
// features, the speeds, and the bounds of what a link can carry.
export let DATASETS = [];
export let HEADS = [];
export let INITS = [];
export let OPTIMIZERS = [];
export let REGULARIZATIONS = [];
export let MAX_LAYERS = 0;
export let MAX_UNITS = 0;
export let MAX_SEED = 0;
export let PROPERTIES = [];
let BY_NAME = new Map();
let BY_KEY = new Map();

export const PROBLEMS = ['classification', 'regression'];
// What the output panel shows: the network's prediction, its linear regions, or the hidden space (the data
// and the input plane's grid in two units' coordinates).
export const OUTPUT_MODES = ['prediction', 'regions', 'hidden'];
// URL code -> the core's feature name. The URL avoids ^ * ( ) so links survive chat apps and e-mail.
export const FEATURES = [
  { code: 'x1', core: 'x1' },
  { code: 'x2', core: 'x2' },
  { code: 'x1sq', core: 'x1^2' },
  { code: 'x2sq', core: 'x2^2' },
  { code: 'x1x2', core: 'x1*x2' },
  { code: 'sin1', core: 'sin(x1)' },
  { code: 'sin2', core: 'sin(x2)' },
];

// Steps a second for each speed: what 1, 3, 10, 30 and 100 steps per frame were on a 60 Hz display, kept to
// the wall clock (shell/pace.js) so a run goes at the same pace on any display and however fast the worker
// is; 0: as fast as the worker goes.
export const SPEEDS = [60, 180, 600, 1800, 6000, 0];
// The batch-size menu (any size in range can come in a link).
export const BATCH_SIZES = [1, 2, 5, 10, 20, 32, 50, 100, 250];
export const MAX_CUSTOM_POINTS = 5000; // what a URL can carry comfortably (~80 kB); the CSV dialog says so
export const MAX_GENERATED_POINTS = 10000; // a data set's size in the page: enough to see, quick to train on

/** Takes the core's catalog (wasm/playground.mjs catalog()): its names, menus and ranges become the table's. */
export function useCoreCatalog(c) {
  DATASETS = c.datasets;
  HEADS = c.heads;
  INITS = c.inits;
  OPTIMIZERS = c.optimizers;
  REGULARIZATIONS = c.regularizations;
  MAX_LAYERS = c.ranges.hiddenLayers.max;
  MAX_UNITS = c.ranges.units.max;
  MAX_SEED = c.ranges.seed.max;
  const pageOnly = FEATURES.filter((f) => !c.features.includes(f.core)).map((f) => f.core);
  const unnamed = c.features.filter((name) => !FEATURES.some((f) => f.core === name));
  if (pageOnly.length || unnamed.length)
    throw new Error(`the page's feature codes and the core's features differ: ${[...pageOnly, ...unnamed].join(', ')}`);
  PROPERTIES = buildProperties(c);
  BY_NAME = new Map(PROPERTIES.map((p) => [p.name, p]));
  BY_KEY = new Map(PROPERTIES.map((p) => [p.key, p]));
}

// effect: 'data' and 'net' need a new session; 'live' is a typed change to the running one (liveChanges);
// 'view' only redraws. when(state): whether the key is written to the URL (it is always read).
function buildProperties(c) {
  const r = c.ranges;
  // The page shows noise and the training share in percent; the core takes fractions.
  const percent = (range) => ({ min: Math.round(range.min * 100), max: Math.round(range.max * 100) });
  return [
    { name: 'seed', key: 'seed', type: 'int', ...r.seed, default: 1, effect: 'data' },
    { name: 'problem', key: 'problem', type: 'enum', values: PROBLEMS, default: 'classification', effect: 'data' },
    { name: 'dataset', key: 'data', type: 'enum', values: c.datasets.map((d) => d.name), default: 'circle', effect: 'data' },
    { name: 'noise', key: 'noise', type: 'int', ...percent(r.noise), default: 0, effect: 'data', unit: '%' },
    {
      name: 'trainPercent',
      key: 'train',
      type: 'int',
      ...percent({ min: 1 - r.testFraction.max, max: 1 - r.testFraction.min }),
      default: 50,
      effect: 'data',
      unit: '%',
    },
    {
      name: 'numPoints',
      key: 'n',
      type: 'int',
      min: r.numPoints.min,
      max: MAX_GENERATED_POINTS,
      default: 500,
      effect: 'data',
      when: (s) => s.dataset !== 'custom',
    },
    {
      name: 'classes',
      key: 'classes',
      type: 'int',
      ...r.blobClasses,
      default: c.datasets.find((d) => d.name === 'blobs').classes,
      effect: 'data',
      when: (s) => s.dataset === 'blobs',
    },
    { name: 'points', key: 'pts', type: 'points', default: [], effect: 'data', when: (s) => s.dataset === 'custom' },
    { name: 'features', key: 'f', type: 'features', default: ['x1', 'x2'], effect: 'net' },
    { name: 'layers', key: 'h', type: 'intList', ...r.units, maxLength: r.hiddenLayers.max, default: [4, 2], effect: 'net' },
    { name: 'activations', key: 'act', type: 'activationList', default: ['relu'], effect: 'net', when: (s) => s.layers.length > 0 },
    {
      name: 'alphas',
      key: 'alpha',
      type: 'numList',
      ...r.alpha,
      default: null,
      effect: 'live',
      when: (s, c) => usesParam(s, c, 'usesAlpha'),
    },
    { name: 'betas', key: 'beta', type: 'numList', ...r.beta, default: null, effect: 'live', when: (s, c) => usesParam(s, c, 'usesBeta') },
    // Formula layers: the text per layer (';' between layers, as formulas contain commas) and a, b.
    {
      name: 'formulas',
      key: 'fx',
      type: 'formulaList',
      maxLength: c.limits.maxFormulaLength,
      default: null,
      effect: 'net',
      when: (s) => s.activations.includes(FORMULA),
    },
    {
      name: 'formulaAs',
      key: 'fa',
      type: 'numList',
      ...r.formulaParam,
      default: null,
      effect: 'live',
      when: (s) => s.activations.includes(FORMULA),
    },
    {
      name: 'formulaBs',
      key: 'fb',
      type: 'numList',
      ...r.formulaParam,
      default: null,
      effect: 'live',
      when: (s) => s.activations.includes(FORMULA),
    },
    { name: 'reluGradAtZero', key: 'g0', type: 'enum', values: c.reluGradsAtZero.map(String), default: '0', effect: 'live' },
    { name: 'head', key: 'head', type: 'enum', values: c.heads, default: 'sigmoid_bce', effect: 'net' },
    { name: 'init', key: 'init', type: 'enum', values: c.inits, default: 'glorot_uniform', effect: 'net' },
    { name: 'initRange', key: 'ir', type: 'num', ...r.initRange, default: 0.5, effect: 'net', when: (s) => s.init === 'uniform' },
    { name: 'initBias', key: 'bias', type: 'num', ...r.initBias, default: 0, effect: 'net' },
    { name: 'optimizer', key: 'opt', type: 'enum', values: c.optimizers, default: 'sgd', effect: 'live' },
    { name: 'learningRate', key: 'lr', type: 'num', ...r.learningRate, default: 0.03, effect: 'live' },
    { name: 'batchSize', key: 'bs', type: 'int', ...r.batchSize, default: 10, effect: 'live' },
    { name: 'regularization', key: 'reg', type: 'enum', values: c.regularizations, default: 'none', effect: 'live' },
    {
      name: 'regRate',
      key: 'rr',
      type: 'num',
      ...r.regularizationRate,
      default: 0,
      effect: 'live',
      when: (s) => s.regularization !== 'none',
    },
    { name: 'clipNorm', key: 'clip', type: 'num', ...r.clipNorm, default: 0, effect: 'live' },
    {
      name: 'momentum',
      key: 'mom',
      type: 'num',
      ...r.momentum,
      default: 0.9,
      effect: 'live',
      when: (s) => s.optimizer === 'momentum' || s.optimizer === 'nesterov',
    },
    { name: 'rho', key: 'rho', type: 'num', ...r.rho, default: 0.9, effect: 'live', when: (s) => s.optimizer === 'rmsprop' },
    { name: 'beta1', key: 'b1', type: 'num', ...r.beta1, default: 0.9, effect: 'live', when: (s) => s.optimizer === 'adam' },
    { name: 'beta2', key: 'b2', type: 'num', ...r.beta2, default: 0.999, effect: 'live', when: (s) => s.optimizer === 'adam' },
    // How the run is shown; never part of the config.
    { name: 'showTest', key: 'test', type: 'bool', default: false, effect: 'view' },
    { name: 'discretize', key: 'disc', type: 'bool', default: false, effect: 'view' },
    { name: 'logScale', key: 'log', type: 'bool', default: false, effect: 'view' },
    { name: 'sharedScale', key: 'shared', type: 'bool', default: false, effect: 'view' },
    // The output map coloured by linear region (which piece every hidden unit is on), and how many of the
    // first hidden layers cut them (0: all).
    { name: 'outputMode', key: 'out', type: 'enum', values: OUTPUT_MODES, default: 'prediction', effect: 'view' },
    {
      name: 'regionLayers',
      key: 'rk',
      type: 'int',
      min: 0,
      max: r.hiddenLayers.max,
      default: 0,
      effect: 'view',
      when: (s) => s.outputMode === 'regions',
    },
    // The hidden space's layer and its two units (x axis, y axis), counted from 1 as the page shows them.
    ...[
      ['hiddenLayer', 'hl', r.hiddenLayers.max, 1],
      ['hiddenX', 'hx', r.units.max, 1],
      ['hiddenY', 'hy', r.units.max, 2],
    ].map(([name, key, max, fallback]) => ({
      name,
      key,
      type: 'int',
      min: 1,
      max,
      default: fallback,
      effect: 'view',
      when: (s) => s.outputMode === 'hidden',
    })),
    { name: 'speed', key: 'speed', type: 'int', min: 1, max: SPEEDS.length, default: 4, effect: 'view' },
    // Time travel: the step shown (0: the run as it trains). Opening a link with it trains exactly that far.
    { name: 'at', key: 'at', type: 'int', min: 0, max: c.limits.maxStepsPerCall, default: 0, effect: 'view' },
  ];
}

// Old links in, current state out: MIGRATIONS[v] turns a version-v query's entries ([key, text] pairs, the
// playground's and the race's keys alike, 'v' excluded) into a version v+1 query's. A version that changes a
// key, a value's spelling or a default adds its step here, and links made by every earlier version keep
// loading: tests/browser/fixtures/ holds links of each version with the state they must load to.
// For example, had v2 renamed 'bs' to 'batch' and changed lr's default from 0.03 to 0.01:
//   1: (entries) => [...entries.map(([k, t]) => [k === 'bs' ? 'batch' : k, t]),
//                    ...(entries.some(([k]) => k === 'lr') ? [] : [['lr', '0.03']])],
const MIGRATIONS = {};

/** Runs the migrations from version `from` up to `to` over a query's entries (a copy; the input is kept). */
export function migrateEntries(entries, from, to = FORMAT_VERSION, migrations = MIGRATIONS) {
  let out = entries.map(([k, t]) => [k, t]);
  for (let v = from; v < to; ++v) {
    if (typeof migrations[v] !== 'function') throw new Error(`no migration from link format v${v} to v${v + 1}`);
    out = migrations[v](out);
  }
  return out;
}

/**
 * The format version a query was made by (its 'v', or the current one when missing); an unreadable or newer
 * version pushes a message and reads the query as the current version.
 */
export function queryVersion(params, errors) {
  if (!params.has('v')) return FORMAT_VERSION;
  const v = readNumber(params.get('v'));
  if (!Number.isInteger(v) || v < 1) {
    errors.push({ key: 'v', message: `v (format version) must be an integer 1..${FORMAT_VERSION}, got "${clip(params.get('v'))}"` });
    return FORMAT_VERSION;
  }
  if (v > FORMAT_VERSION) {
    errors.push({
      key: 'v',
      message: `this link was made by a newer version (v=${v}); read as v=${FORMAT_VERSION}, some settings may differ`,
    });
    return FORMAT_VERSION;
  }
  return v;
}

export function datasetInfo(name) {
  return DATASETS.find((d) => d.name === name);
}

/** Problem, input dimensions and classes of the state's data (custom data: read from its points). */
export function dataShape(state) {
  if (state.dataset === 'blobs') return { ...datasetInfo('blobs'), classes: state.classes };
  if (state.dataset !== 'custom') return datasetInfo(state.dataset);
  const dims = state.points.length && state.points[0].length === 2 ? 1 : 2;
  const problem = dims === 1 ? 'regression' : state.problem;
  // As the core counts them: the highest label names the count (labels 0, 1 and 4 make five classes).
  const classes = problem === 'regression' ? 0 : state.points.reduce((top, p) => Math.max(top, p[2]), 1) + 1;
  return { name: 'custom', problem, dims, classes };
}

/** The heads that fit the data: regression needs linear_mse; more than two classes need softmax_ce. */
export function headsFor(state) {
  const shape = dataShape(state);
  if (shape.problem === 'regression') return ['linear_mse'];
  if (shape.classes > 2) return ['softmax_ce'];
  return ['sigmoid_bce', 'tanh_mse', 'softmax_ce'];
}

function usesParam(state, catalog, flag) {
  return state.activations.some((a) => catalog.info(a)?.[flag]);
}

/** A fresh default state (for the catalog's activation defaults). */
export function defaults(catalog) {
  const state = {};
  for (const p of PROPERTIES) state[p.name] = structuredClone(p.default);
  return normalize(state, catalog);
}

// ---- Values <-> URL text ----

export function formatNumber(x) {
  // Shortest text that reads back as the same double: links stay short and runs stay bit-identical.
  return String(x);
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export function readNumber(text) {
  // -0 reads as 0: a state holds one zero, so it shows, compares and writes back as "0".
  return NUMBER.test(text) ? Number(text) + 0 : NaN;
}

function rangeText(p) {
  return `${formatNumber(p.min)}..${formatNumber(p.max)}`;
}

// Each reader returns { value } or { error } with a message naming the key and what it allows.
const READERS = {
  int(p, text) {
    const x = readNumber(text);
    if (!Number.isInteger(x) || x < p.min || x > p.max)
      return { error: `${p.key} must be an integer ${rangeText(p)}, got "${clip(text)}"` };
    return { value: x };
  },
  num(p, text) {
    const x = readNumber(text);
    if (!Number.isFinite(x) || x < p.min || x > p.max) return { error: `${p.key} must be a number ${rangeText(p)}, got "${clip(text)}"` };
    return { value: x };
  },
  bool(p, text) {
    if (text === '1' || text === 'true') return { value: true };
    if (text === '0' || text === 'false') return { value: false };
    return { error: `${p.key} must be 0 or 1, got "${clip(text)}"` };
  },
  enum(p, text) {
    if (!p.values.includes(text)) return { error: `${p.key} must be one of ${p.values.join(', ')}; got "${clip(text)}"` };
    return { value: text };
  },
  features(p, text) {
    const codes = text === '' ? [] : text.split(',');
    const known = FEATURES.map((f) => f.code);
    const bad = codes.find((c) => !known.includes(c));
    if (bad !== undefined) return { error: `${p.key} lists "${clip(bad)}"; features are ${known.join(', ')}` };
    if (codes.length === 0) return { error: `${p.key} must list at least one feature of ${known.join(', ')}` };
    if (new Set(codes).size !== codes.length) return { error: `${p.key} lists a feature twice` };
    return { value: known.filter((c) => codes.includes(c)) };
  },
  intList(p, text) {
    const parts = text === '' ? [] : text.split(',');
    if (parts.length > p.maxLength) return { error: `${p.key} has ${parts.length} layers, at most ${p.maxLength}` };
    const values = parts.map(readNumber);
    const bad = values.findIndex((x) => !Number.isInteger(x) || x < p.min || x > p.max);
    if (bad >= 0) return { error: `${p.key}: layer ${bad + 1} must have ${rangeText(p)} units, got "${clip(parts[bad])}"` };
    return { value: values };
  },
  numList(p, text) {
    const parts = text.split(',');
    const values = parts.map(readNumber);
    const bad = values.findIndex((x) => !Number.isFinite(x) || x < p.min || x > p.max);
    if (bad >= 0) return { error: `${p.key}: value ${bad + 1} must be a number ${rangeText(p)}, got "${clip(parts[bad])}"` };
    return { value: values };
  },
  activationList(p, text, catalog) {
    const names = text === '' ? [] : text.split(',');
    const bad = names.find((n) => !catalog.activations.includes(n) && n !== FORMULA);
    if (bad !== undefined)
      return { error: `${p.key} lists "${clip(bad)}"; activations are ${[...catalog.activations, FORMULA].join(', ')}` };
    return { value: names };
  },
  formulaList(p, text, catalog) {
    const formulas = text.split(';');
    for (let i = 0; i < formulas.length; ++i) {
      const problem =
        formulas[i].length > p.maxLength ? `at most ${p.maxLength} characters` : (catalog.validateFormula?.(formulas[i]) ?? '');
      if (problem) return { error: `${p.key}: formula ${i + 1}: ${problem}` };
    }
    return { value: formulas };
  },
  points(p, text) {
    // "x1,x2,label;..." (2-D) or "x,y;..." (1-D): the numbers only; the core checks labels and ranges.
    const rows = text === '' ? [] : text.split(';');
    if (rows.length > MAX_CUSTOM_POINTS) return { error: `${p.key} has ${rows.length} points, at most ${MAX_CUSTOM_POINTS} in a link` };
    const points = [];
    for (let i = 0; i < rows.length; ++i) {
      const cells = rows[i].split(',');
      const values = cells.map(readNumber);
      if ((values.length !== 2 && values.length !== 3) || values.some((x) => !Number.isFinite(x))) {
        return { error: `${p.key}: point ${i + 1} must be "x,y" or "x1,x2,label", got "${clip(rows[i])}"` };
      }
      if (points.length && values.length !== points[0].length) {
        return { error: `${p.key}: point ${i + 1} has ${values.length} numbers, the first point ${points[0].length}` };
      }
      points.push(values);
    }
    return { value: points };
  },
};

const WRITERS = {
  int: (v) => String(v),
  num: formatNumber,
  bool: (v) => (v ? '1' : '0'),
  enum: (v) => v,
  features: (v) => v.join(','),
  intList: (v) => v.join(','),
  numList: (v) => (v.every((x) => x === v[0]) ? formatNumber(v[0] ?? 0) : v.map(formatNumber).join(',')),
  activationList: (v) => (v.length && v.every((x) => x === v[0]) ? v[0] : v.join(',')),
  formulaList: (v) => (v.length && v.every((x) => x === v[0]) ? v[0] : v.join(';')),
  points: (v) => v.map((row) => row.map(formatNumber).join(',')).join(';'),
};

export function clip(text) {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// ---- Consistency between properties ----

/**
 * Makes the state self-consistent: per-layer lists as long as the layer list (a single value applies to
 * every layer), activation parameters defaulting to each activation's own, a head that fits the data.
 * Returns the state (modified in place) and pushes a message for each thing it had to change.
 */
export function normalize(state, catalog, errors = []) {
  const n = state.layers.length;
  const fill = (list, fallback) => Array.from({ length: n }, (_, i) => list?.[list.length === 1 ? 0 : i] ?? fallback(i));
  if (state.activations.length !== 1 && state.activations.length !== n && n > 0) {
    errors.push({ key: 'act', message: `act lists ${state.activations.length} activations for ${n} layers; give one, or one per layer` });
  }
  state.activations = fill(state.activations, () => state.activations[0] ?? 'relu');
  state.alphas = fill(state.alphas, (i) => catalog.info(state.activations[i]).defaultAlpha);
  state.betas = fill(state.betas, (i) => catalog.info(state.activations[i]).defaultBeta);
  if (state.formulas && state.formulas.length !== 1 && state.formulas.length !== n && n > 0) {
    errors.push({ key: 'fx', message: `fx lists ${state.formulas.length} formulas for ${n} layers; give one, or one per layer` });
    state.formulas = null;
  }
  state.formulas = fill(state.formulas, () => DEFAULT_FORMULA);
  state.formulaAs = fill(state.formulaAs, () => 1);
  state.formulaBs = fill(state.formulaBs, () => 1);

  const info = datasetInfo(state.dataset);
  if (state.dataset === 'custom') {
    if (state.points.length < 4) {
      errors.push({ key: 'pts', message: `data custom needs at least 4 points in pts, got ${state.points.length}; showing circle` });
      state.dataset = 'circle';
      state.points = [];
    } else if (state.points[0].length === 2) {
      state.problem = 'regression';
    }
  } else {
    state.points = [];
    if (info.problem !== state.problem) state.problem = info.problem;
  }
  const heads = headsFor(state);
  if (!heads.includes(state.head)) {
    const head = heads[0];
    errors.push({ key: 'head', message: `head ${state.head} does not fit ${state.dataset} data; using ${head}` });
    state.head = head;
  }
  return state;
}

/**
 * The hidden space's selection checked against the network's layers (state.layers: units per hidden layer):
 * { layer, x, y } counted from 0 for the core, or { error } saying why there is no picture (no hidden
 * layer, a layer of one unit). A layer or unit the network lacks falls back to layer 1 and units 1 and 2
 * (reported in `errors`, as { key, message }, when given: a link's values); so does the same unit twice.
 */
export function hiddenPick(state, errors = null) {
  const layers = state.layers;
  if (!layers.length) return { error: 'The hidden space needs a hidden layer: this network has none.' };
  let l = state.hiddenLayer;
  if (l > layers.length) {
    errors?.push({
      key: 'hl',
      message: `hl is layer ${l}, but the network has ${layers.length} hidden layer${layers.length === 1 ? '' : 's'}; showing layer 1`,
    });
    l = 1;
  }
  const units = layers[l - 1];
  if (units < 2)
    return { error: `Layer ${l} has one unit: the hidden space plots two units against each other, so it needs a layer of two or more.` };
  let x = state.hiddenX;
  let y = state.hiddenY;
  for (const [key, v] of [
    ['hx', x],
    ['hy', y],
  ]) {
    if (v > units) errors?.push({ key, message: `${key} is unit ${v}, but layer ${l} has ${units} units; showing units 1 and 2` });
  }
  if (x === y && x <= units) errors?.push({ key: 'hy', message: `hy must differ from hx (both ${x}); showing units 1 and 2` });
  if (x > units || y > units || x === y) [x, y] = [1, 2];
  return { layer: l - 1, x: x - 1, y: y - 1 };
}

/** A new state with one layer's activation changed: its alpha and beta reset to that activation's defaults. */
export function withActivation(state, catalog, layer, name) {
  const next = structuredClone(state);
  next.activations[layer] = name;
  next.alphas[layer] = catalog.info(name).defaultAlpha;
  next.betas[layer] = catalog.info(name).defaultBeta;
  return next;
}

/** A new state with one layer's formula (and a, b when given) set; the layer becomes a formula layer. */
export function withFormula(state, catalog, layer, { text, a, b } = {}) {
  const next = state.activations[layer] === FORMULA ? structuredClone(state) : withActivation(state, catalog, layer, FORMULA);
  if (text !== undefined) next.formulas[layer] = text;
  if (a !== undefined) next.formulaAs[layer] = a;
  if (b !== undefined) next.formulaBs[layer] = b;
  return next;
}

/** Adds a layer at the end (a copy of the last one's activation) or removes the last one. */
export function withLayerCount(state, catalog, count) {
  const next = structuredClone(state);
  const n = Math.max(0, Math.min(MAX_LAYERS, count));
  while (next.layers.length < n) {
    const last = next.layers.length - 1;
    const act = last >= 0 ? next.activations[last] : 'relu';
    next.layers.push(last >= 0 ? next.layers[last] : 4);
    next.activations.push(act);
    next.alphas.push(last >= 0 ? next.alphas[last] : catalog.info(act).defaultAlpha);
    next.betas.push(last >= 0 ? next.betas[last] : catalog.info(act).defaultBeta);
    next.formulas.push(last >= 0 ? next.formulas[last] : DEFAULT_FORMULA);
    next.formulaAs.push(last >= 0 ? next.formulaAs[last] : 1);
    next.formulaBs.push(last >= 0 ? next.formulaBs[last] : 1);
  }
  for (const list of ['layers', 'activations', 'alphas', 'betas', 'formulas', 'formulaAs', 'formulaBs']) next[list].length = n;
  return next;
}

/** A new state with a property set; switching dataset or problem keeps the state consistent. */
export function withValue(state, catalog, name, value) {
  const next = structuredClone(state);
  next[name] = structuredClone(value);
  if (name === 'problem' && datasetInfo(next.dataset).problem !== value && next.dataset !== 'custom') {
    next.dataset = DATASETS.find((d) => d.problem === value).name;
  }
  if (name === 'dataset' && value !== 'custom') next.problem = datasetInfo(value).problem;
  const heads = headsFor(next);
  if (!heads.includes(next.head)) next.head = heads[0];
  return next;
}

/** A new state on the user's own points: rows of [x1, x2, label] (or [x, y]: 1-D regression). */
export function withCustomPoints(state, points, problem) {
  const next = structuredClone(state);
  next.dataset = 'custom';
  next.points = points.map((p) => [...p]);
  next.problem = points[0]?.length === 2 ? 'regression' : problem;
  const heads = headsFor(next);
  if (!heads.includes(next.head)) next.head = heads[0];
  return next;
}

// ---- URL ----

/**
 * Reads a query (URLSearchParams or string) into a state. Invalid values keep their defaults and yield
 * { key, message } errors naming the key and the allowed values; the rest of the state is kept.
 */
export function fromQuery(query, catalog) {
  const params = new URLSearchParams(query);
  const errors = [];
  const state = defaults(catalog);
  state.alphas = null;
  state.betas = null;
  state.formulas = null;
  state.formulaAs = null;
  state.formulaBs = null;
  const version = queryVersion(params, errors);
  const entries = migrateEntries(
    [...params.entries()].filter(([k]) => k !== 'v'),
    version,
  );

  const seen = new Set();
  for (const [key, text] of entries) {
    const p = BY_KEY.get(key);
    if (!p) {
      errors.push({ key, message: `unknown key "${clip(key)}" ignored` });
      continue;
    }
    if (seen.has(key)) {
      errors.push({ key, message: `${key} is given twice; the first value is used` });
      continue;
    }
    seen.add(key);
    const result = READERS[p.type](p, text, catalog);
    if (result.error) errors.push({ key, message: result.error });
    else state[p.name] = result.value;
  }
  // The problem key matters only for custom 2-D data; otherwise the dataset decides it.
  const info = datasetInfo(state.dataset);
  if (seen.has('problem') && state.dataset !== 'custom' && info.problem !== state.problem) {
    errors.push({ key: 'problem', message: `problem ${state.problem} does not match data ${state.dataset} (${info.problem})` });
  }
  if (seen.has('alpha') && state.alphas && state.alphas.length !== 1 && state.alphas.length !== state.layers.length) {
    errors.push({
      key: 'alpha',
      message: `alpha lists ${state.alphas.length} values for ${state.layers.length} layers; give one, or one per layer`,
    });
    state.alphas = null;
  }
  if (seen.has('beta') && state.betas && state.betas.length !== 1 && state.betas.length !== state.layers.length) {
    errors.push({
      key: 'beta',
      message: `beta lists ${state.betas.length} values for ${state.layers.length} layers; give one, or one per layer`,
    });
    state.betas = null;
  }
  for (const [key, name] of [
    ['fa', 'formulaAs'],
    ['fb', 'formulaBs'],
  ]) {
    if (seen.has(key) && state[name] && state[name].length !== 1 && state[name].length !== state.layers.length) {
      errors.push({
        key,
        message: `${key} lists ${state[name].length} values for ${state.layers.length} layers; give one, or one per layer`,
      });
      state[name] = null;
    }
  }
  // Lists not in the link follow the link's layer count: one activation for every layer, their own parameters.
  if (!seen.has('act')) state.activations = [state.activations[0]];
  // A link that leaves the head out means "the one that fits the data", not a mismatch to report.
  if (!seen.has('head') && !headsFor(state).includes(state.head)) state.head = headsFor(state)[0];
  normalize(state, catalog, errors);
  // A link's hidden-space selection the network lacks: reported, and shown as layer 1's units 1 and 2.
  if (['hl', 'hx', 'hy'].some((k) => seen.has(k))) {
    const pick = hiddenPick(state, errors);
    if (!pick.error) [state.hiddenLayer, state.hiddenX, state.hiddenY] = [pick.layer + 1, pick.x + 1, pick.y + 1];
  }
  return { state, errors };
}

/** The state as a query: the version first, then every property whose key applies (view keys only when changed). */
export function toQuery(state, catalog) {
  const params = new URLSearchParams();
  params.set('v', String(FORMAT_VERSION));
  for (const p of PROPERTIES) {
    if (p.when && !p.when(state, catalog)) continue;
    const value = state[p.name];
    if (p.effect === 'view' && JSON.stringify(value) === JSON.stringify(p.default)) continue;
    params.set(p.key, WRITERS[p.type](value));
  }
  return params;
}

// ---- Config ----

/** The core's config JSON (an object) for the state; the same state always gives the same config. */
export function toConfig(state) {
  const shape = dataShape(state);
  const data = {
    dataset: state.dataset,
    num_points: state.numPoints,
    noise: state.noise / 100,
    test_fraction: (100 - state.trainPercent) / 100,
  };
  if (state.dataset === 'blobs') data.classes = state.classes;
  if (state.dataset === 'custom') {
    data.points = state.points;
    data.dims = shape.dims;
    data.problem = shape.problem;
  }
  const byCode = new Map(FEATURES.map((f) => [f.code, f.core]));
  return {
    format_version: FORMAT_VERSION,
    seed: state.seed,
    data,
    network: {
      features: state.features.map((c) => byCode.get(c)),
      head: state.head,
      hidden: state.layers.map((units, i) => ({
        units,
        activation: state.activations[i],
        alpha: state.alphas[i],
        beta: state.betas[i],
        relu_grad_at_zero: Number(state.reluGradAtZero),
        ...(state.activations[i] === FORMULA ? { formula: state.formulas[i], a: state.formulaAs[i], b: state.formulaBs[i] } : {}),
      })),
      init: { scheme: state.init, uniform_range: state.initRange, bias: state.initBias },
    },
    training: {
      optimizer: state.optimizer,
      learning_rate: state.learningRate,
      batch_size: state.batchSize,
      regularization: state.regularization,
      regularization_rate: state.regRate,
      clip_norm: state.clipNorm,
      momentum: state.momentum,
      rho: state.rho,
      beta1: state.beta1,
      beta2: state.beta2,
    },
  };
}

/**
 * The state with the live settings of a core config (a run's config at an earlier step: time travel), so the
 * controls show the settings that step trained with. Only what toConfig() would write differently changes.
 */
export function withLiveConfig(state, config) {
  const next = structuredClone(state);
  const now = toConfig(state);
  const fields = {
    optimizer: 'optimizer',
    learningRate: 'learning_rate',
    batchSize: 'batch_size',
    regularization: 'regularization',
    regRate: 'regularization_rate',
    clipNorm: 'clip_norm',
    momentum: 'momentum',
    rho: 'rho',
    beta1: 'beta1',
    beta2: 'beta2',
  };
  for (const [name, key] of Object.entries(fields)) {
    if (config.training[key] !== undefined && config.training[key] !== now.training[key]) next[name] = config.training[key];
  }
  config.network.hidden.forEach((layer, i) => {
    const mine = now.network.hidden[i];
    if (!mine) return;
    if (layer.alpha !== mine.alpha) next.alphas[i] = layer.alpha;
    if (layer.beta !== mine.beta) next.betas[i] = layer.beta;
    if (layer.relu_grad_at_zero !== mine.relu_grad_at_zero) next.reluGradAtZero = String(layer.relu_grad_at_zero);
  });
  return next;
}

/**
 * The live changes from state a to state b, each as the engine's typed request { name, value } (see
 * engine/remote-run.js set()): what toConfig() would write differently, one setting at a time.
 */
export function liveChanges(a, b) {
  const changed = (name) => JSON.stringify(a[name]) !== JSON.stringify(b[name]);
  const out = [];
  if (changed('optimizer')) out.push({ name: 'optimizer', value: b.optimizer });
  if (changed('learningRate')) out.push({ name: 'learningRate', value: b.learningRate });
  if (changed('batchSize')) out.push({ name: 'batchSize', value: b.batchSize });
  if (changed('regularization') || changed('regRate')) {
    out.push({ name: 'regularization', value: { kind: b.regularization, rate: b.regRate } });
  }
  if (changed('clipNorm')) out.push({ name: 'clipNorm', value: b.clipNorm });
  for (const param of ['momentum', 'rho', 'beta1', 'beta2']) {
    if (changed(param)) out.push({ name: 'optimizerParam', value: { name: param, value: b[param] } });
  }
  b.layers.forEach((_, layer) => {
    if (a.alphas[layer] !== b.alphas[layer] || a.betas[layer] !== b.betas[layer]) {
      out.push({ name: 'activationParams', value: { layer, alpha: b.alphas[layer], beta: b.betas[layer] } });
    }
    if (b.activations[layer] === FORMULA && (a.formulaAs[layer] !== b.formulaAs[layer] || a.formulaBs[layer] !== b.formulaBs[layer])) {
      out.push({ name: 'activationParams', value: { layer, a: b.formulaAs[layer], b: b.formulaBs[layer] } });
    }
  });
  if (changed('reluGradAtZero')) out.push({ name: 'reluGradAtZero', value: Number(b.reluGradAtZero) });
  return out;
}

/**
 * What going from state a to state b needs: 'data' or 'net' (a new session), 'live' (session.update with
 * the new config), 'view' (a redraw) or null (nothing changed). The costliest wins.
 */
export function changeKind(a, b) {
  const order = ['view', 'live', 'net', 'data'];
  let kind = null;
  for (const p of PROPERTIES) {
    if (JSON.stringify(a[p.name]) === JSON.stringify(b[p.name])) continue;
    if (kind === null || order.indexOf(p.effect) > order.indexOf(kind)) kind = p.effect;
  }
  return kind;
}

export function property(name) {
  return BY_NAME.get(name);
}

/** The property a URL key stands for (undefined for a key the playground does not know). */
export function propertyByKey(key) {
  return BY_KEY.get(key);
}

/** Reads one value of property p from its URL text: { value } or { error }. */
export function readValue(p, text, catalog) {
  return READERS[p.type](p, text, catalog);
}
