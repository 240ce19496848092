// The configs every parity check runs: the wasm module in Node (tests/wasm/parity.test.mjs) and the page's
// training worker (tests/browser/worker.test.mjs), each against the native CLI.
// Different activations, optimizers, heads and data kinds, so a platform difference in any of them shows.
export const PARITY_CONFIGS = {
  'circle relu sgd sigmoid_bce': {
    seed: 7,
    data: { dataset: 'circle', num_points: 300, noise: 0.1 },
    network: {
      hidden: [
        { units: 6, activation: 'relu' },
        { units: 3, activation: 'relu' },
      ],
      head: 'sigmoid_bce',
    },
    training: { optimizer: 'sgd', learning_rate: 0.05, batch_size: 10 },
  },
  'xor tanh adam tanh_mse l2': {
    seed: 11,
    data: { dataset: 'xor', num_points: 400, noise: 0.2 },
    network: {
      hidden: [
        { units: 8, activation: 'tanh' },
        { units: 4, activation: 'tanh' },
      ],
      head: 'tanh_mse',
    },
    training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 16, regularization: 'l2', regularization_rate: 0.001 },
  },
  'spiral3 gelu_erf+silu rmsprop softmax_ce clipped': {
    seed: 5,
    data: { dataset: 'spiral3', num_points: 450, noise: 0.1 },
    network: {
      features: ['x1', 'x2', 'sin(x1)', 'sin(x2)'],
      hidden: [
        { units: 16, activation: 'gelu_erf' },
        { units: 8, activation: 'silu', beta: 1.5 },
      ],
      head: 'softmax_ce',
      init: { scheme: 'he_normal', bias: 0.1 },
    },
    training: { optimizer: 'rmsprop', learning_rate: 0.005, batch_size: 16, clip_norm: 5 },
  },
  'sine elu nesterov linear_mse cosine': {
    seed: 2,
    data: { dataset: 'sine', num_points: 200, noise: 0.05 },
    network: {
      hidden: [
        { units: 10, activation: 'elu' },
        { units: 10, activation: 'elu', alpha: 0.5 },
      ],
      head: 'linear_mse',
    },
    training: { optimizer: 'nesterov', learning_rate: 0.01, momentum: 0.9, batch_size: 8, schedule: 'cosine', cosine_steps: 800 },
  },
  'moons leaky_relu+mish momentum sigmoid_bce l1 step': {
    seed: 9,
    data: { dataset: 'moons', num_points: 300, noise: 0.1, test_fraction: 0.3 },
    network: {
      features: ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2'],
      hidden: [
        { units: 7, activation: 'leaky_relu', alpha: 0.05 },
        { units: 5, activation: 'mish' },
      ],
      head: 'sigmoid_bce',
      init: { scheme: 'lecun_normal' },
    },
    training: {
      optimizer: 'momentum',
      learning_rate: 0.02,
      batch_size: 12,
      regularization: 'l1',
      regularization_rate: 0.0005,
      schedule: 'step',
      step_every: 300,
      step_gamma: 0.5,
    },
  },
  // The user's own activation: every function of the formula language, a conditional, integer and real powers.
  'moons formula adam sigmoid_bce': {
    seed: 13,
    data: { dataset: 'moons', num_points: 300, noise: 0.1 },
    network: {
      hidden: [
        { units: 8, activation: 'formula', formula: 'x*sigmoid(a*x) + b*erf(x)^2 - log(1 + exp(-abs(x)))/4', a: 1.3, b: 0.2 },
        { units: 5, activation: 'formula', formula: 'if(x > 0, sqrt(x*x + 1) - 1, a*(exp(x) - 1)) + 0.1*tanh(x)^3', a: 0.7 },
        { units: 3, activation: 'formula', formula: 'max(0, x) - b*min(0, x)^2 + (abs(x) + 1)^0.5', b: 0.05 },
      ],
      head: 'sigmoid_bce',
    },
    training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 16 },
  },
};
