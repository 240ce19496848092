// The benchmark's workloads and data, shared by every engine so they all do the same work.
//
// Every engine trains the same architecture the same way: inputs x1, x2; the hidden layers below; one tanh
// output unit; squared error of that output against labels -1/+1, averaged over the mini-batch (our core's
// head "tanh_mse"); plain SGD without momentum or weight decay; Glorot-uniform weights and zero biases.
// The JS peers also start from the same weights and see the same mini-batches in the same order; the
// playground's own engines draw their own (seeded) weights and order, which costs the same work.

export const SEED = 1;
export const NUM_POINTS = 500;
export const GRID_SIDE = 100;
export const DOMAIN = 6; // points and the heatmap grid span [-6, 6]^2

export const WORKLOADS = [
  {
    id: 'W1',
    title: "TF Playground's default: 2-4-2-1 tanh, batch 10, lr 0.03",
    hidden: [
      { units: 4, activation: 'tanh' },
      { units: 2, activation: 'tanh' },
    ],
    batchSize: 10,
    learningRate: 0.03,
  },
  {
    id: 'W2',
    title: "TF Playground's largest: 6 hidden layers of 8 ReLU, batch 10, lr 0.03",
    hidden: Array.from({ length: 6 }, () => ({ units: 8, activation: 'relu' })),
    batchSize: 10,
    learningRate: 0.03,
  },
  {
    id: 'W3',
    title: 'wide: 3 hidden layers of 64 ReLU, batch 32, lr 0.01',
    hidden: Array.from({ length: 3 }, () => ({ units: 64, activation: 'relu' })),
    batchSize: 32,
    learningRate: 0.01,
  },
  // The user's own activation (core/formula.hpp): W1 and W2 with every activation typed as a formula that
  // spells the built-in, for the playground's engines only. run.mjs prints each one's time against its
  // built-in twin's (same network, same weights, the same losses bit for bit) and fails above FORMULA_MAX_RATIO.
  {
    id: 'W1f',
    title: 'W1 with tanh typed as the formula tanh(x)',
    hidden: [
      { units: 4, activation: 'formula', formula: 'tanh(x)' },
      { units: 2, activation: 'formula', formula: 'tanh(x)' },
    ],
    batchSize: 10,
    learningRate: 0.03,
    builtin: 'W1',
  },
  {
    id: 'W2f',
    title: 'W2 with ReLU typed as the formula max(0, x)',
    hidden: Array.from({ length: 6 }, () => ({ units: 8, activation: 'formula', formula: 'max(0, x)' })),
    batchSize: 10,
    learningRate: 0.03,
    builtin: 'W2',
  },
];
// A formula network may take at most this many times its built-in twin's time per trained example.
export const FORMULA_MAX_RATIO = 3;
// The engines that run the core (the others have no formula activation).
export const CORE_ENGINES = ['ap-wasm', 'ap-native'];

// mulberry32: a tiny 32-bit generator, fixed here so the points never depend on a library's version.
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// TF Playground's circle without noise: half the points inside radius 2.5 (label 1), half in the ring
// 3.5..5 (label 0), angles uniform. Balanced classes, so a constant output cannot pass the loss check.
// points: (n, 3) rows of x1, x2, label.
export function circlePoints(n = NUM_POINTS, seed = SEED) {
  const rand = makeRng(seed);
  const radius = 5;
  const points = [];
  for (let i = 0; i < n; ++i) {
    const inside = i < n / 2;
    const r = inside ? rand() * radius * 0.5 : radius * (0.7 + rand() * 0.3);
    const angle = rand() * 2 * Math.PI;
    points.push([r * Math.sin(angle), r * Math.cos(angle), inside ? 1 : 0]);
  }
  return points;
}

// Layer widths from the inputs to the output, e.g. [2, 4, 2, 1].
export function layerSizes(workload) {
  return [2, ...workload.hidden.map((h) => h.units), 1];
}

// Glorot-uniform weights (limit sqrt(6 / (fan_in + fan_out))) and zero biases, one entry per layer:
// { w: Float64Array (fan_in, fan_out) row-major by input, b: Float64Array (fan_out) }.
export function initialParams(workload, seed = SEED) {
  const rand = makeRng(seed * 7919 + 17);
  const sizes = layerSizes(workload);
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; ++l) {
    const fanIn = sizes[l],
      fanOut = sizes[l + 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float64Array(fanIn * fanOut);
    for (let i = 0; i < w.length; ++i) w[i] = (2 * rand() - 1) * limit;
    layers.push({ w, b: new Float64Array(fanOut) });
  }
  return layers;
}

// Mini-batches in a freshly shuffled order each epoch; the last batch of an epoch may be smaller and no
// batch straddles two epochs (as our core's trainer does), so an epoch is exactly one pass.
export class BatchStream {
  constructor(n, batchSize, seed = SEED) {
    this.n = n;
    this.batchSize = batchSize;
    this.rand = makeRng(seed * 104729 + 3);
    this.order = Uint32Array.from({ length: n }, (_, i) => i);
    this.cursor = 0;
    this.shuffle();
  }

  shuffle() {
    const o = this.order;
    for (let i = o.length - 1; i > 0; --i) {
      const j = Math.floor(this.rand() * (i + 1));
      const t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
  }

  // The next batch's point indices: a view into the order, valid until the next call.
  next() {
    const size = Math.min(this.batchSize, this.n - this.cursor);
    const batch = this.order.subarray(this.cursor, this.cursor + size);
    this.cursor += size;
    if (this.cursor === this.n) {
      // Copy before reshuffling, so the caller's view still holds this batch.
      const copy = batch.slice();
      this.cursor = 0;
      this.shuffle();
      return copy;
    }
    return batch;
  }
}

// The heatmap's input points, pixel centres row by row from the top, as core/grid.hpp defines them:
// x = -6 + (c + 0.5) 12 / 100, y = 6 - (r + 0.5) 12 / 100. Float64Array (side * side, 2).
export function gridPoints(side = GRID_SIDE) {
  const out = new Float64Array(side * side * 2);
  const step = (2 * DOMAIN) / side;
  for (let r = 0; r < side; ++r) {
    for (let c = 0; c < side; ++c) {
      const k = (r * side + c) * 2;
      out[k] = -DOMAIN + (c + 0.5) * step;
      out[k + 1] = DOMAIN - (r + 0.5) * step;
    }
  }
  return out;
}

// The config, in the format of core/serialize, that makes our core train this workload on these points.
// The core keeps a test split of at least 10%, so it trains on 450 of the 500 points: the same work per
// example, which is what the figures compare.
export function coreConfig(workload, points) {
  return {
    format_version: 1,
    seed: SEED,
    data: { dataset: 'custom', points, dims: 2, problem: 'classification', test_fraction: 0.1 },
    network: {
      features: ['x1', 'x2'],
      head: 'tanh_mse',
      hidden: workload.hidden.map((h) => ({ units: h.units, activation: h.activation, ...(h.formula ? { formula: h.formula } : {}) })),
      init: { scheme: 'glorot_uniform' },
    },
    training: { optimizer: 'sgd', learning_rate: workload.learningRate, batch_size: workload.batchSize },
  };
}

// The objective every engine reports: mean over the points of (tanh output - target)^2, target -1/+1.
export function targetOf(label) {
  return label > 0.5 ? 1 : -1;
}
