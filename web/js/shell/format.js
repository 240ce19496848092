// Labels and number formats for the playground's text. Names the core uses stay the values; these are
// only what a reader sees.

const ACTIVATION_LABELS = {
  identity: 'Linear (identity)',
  binary_step: 'Binary step',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'ReLU',
  leaky_relu: 'Leaky ReLU',
  prelu: 'PReLU',
  relu6: 'ReLU6',
  elu: 'ELU',
  selu: 'SELU',
  gelu_erf: 'GELU (erf)',
  gelu_tanh: 'GELU (tanh)',
  silu: 'SiLU / Swish',
  mish: 'Mish',
  softplus: 'Softplus',
  softsign: 'Softsign',
  hard_sigmoid: 'Hard sigmoid',
  hard_tanh: 'Hard tanh',
  formula: 'Your own formula',
};

const DATASET_LABELS = {
  circle: 'Circle',
  xor: 'XOR',
  gaussians: 'Two blobs',
  blobs: 'Blobs, 2\u20116 classes',
  spiral: 'Spiral',
  spiral3: 'Spiral, 3 classes',
  moons: 'Moons',
  checkerboard: 'Checker\u00adboard',
  sine: 'Sine (1\u2011D)',
  abs: '|x| (1\u2011D)',
  step: 'Step (1\u2011D)',
  cubic: 'Cubic (1\u2011D)',
  plane: 'Plane',
  multi_gaussian: 'Bumps',
  custom: 'Your points',
};

const FEATURE_LABELS = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sin1: 'sin x₁',
  sin2: 'sin x₂',
};

const HEAD_LABELS = {
  sigmoid_bce: 'Sigmoid + cross-entropy',
  tanh_mse: 'Tanh + squared error',
  softmax_ce: 'Softmax + cross-entropy',
  linear_mse: 'Linear + squared error',
};

const INIT_LABELS = {
  glorot_uniform: 'Glorot (Xavier) uniform',
  glorot_normal: 'Glorot (Xavier) normal',
  he_uniform: 'He uniform',
  he_normal: 'He normal',
  lecun_normal: 'LeCun normal',
  uniform: 'Uniform ±range',
  zeros: 'Zeros',
};

const OPTIMIZER_LABELS = { sgd: 'SGD', momentum: 'Momentum', nesterov: 'Nesterov', rmsprop: 'RMSprop', adam: 'Adam' };
const REGULARIZATION_LABELS = { none: 'None', l1: 'L1', l2: 'L2' };

const label = (table) => (name) => table[name] ?? name;
export const activationLabel = label(ACTIVATION_LABELS);
export const datasetLabel = label(DATASET_LABELS);
export const featureLabel = label(FEATURE_LABELS);
export const headLabel = label(HEAD_LABELS);
export const initLabel = label(INIT_LABELS);
export const optimizerLabel = label(OPTIMIZER_LABELS);
export const regularizationLabel = label(REGULARIZATION_LABELS);

/** A short, readable number: 3 significant digits, exponent form for very small or large magnitudes. */
export function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(digits - 1).replace('-', '−');
  return Number(x.toPrecision(digits)).toString().replace('-', '−');
}

export function percent(x) {
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–';
}

// One formatter for every count: toLocaleString builds a new one at each call, which costs more than a frame's
// other text together while training.
const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345 -> "12,345" (the locale's grouping). */
export function count(n) {
  return grouping.format(Math.round(n));
}

/**
 * Round tick values for an axis over lo..hi: about `n` steps of 1, 2 or 5 times a power of ten, each
 * value snapped to the step so sums of floats print as 0.2, not 0.20000000000000004.
 */
export function niceTicks(lo, hi, n = 4) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [];
  const rough = (hi - lo) / Math.max(1, n);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough * 0.999) ?? 10 * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; ++k) {
    ticks.push(Number((k * step).toFixed(decimals)) + 0); // + 0: -0 reads 0
  }
  return ticks;
}

/** A tick label: the value as niceTicks gave it, with a true minus sign. */
export function tickLabel(v) {
  return String(v).replace('-', '\u2212');
}
