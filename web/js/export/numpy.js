// The network as a runnable NumPy script: the forward pass written out (features, one matrix product and
// activation per layer, the head), with every activation as a NumPy expression and the trained weights. It
// prints its predictions on a grid. Prediction only: the PyTorch export is the one that trains.
import { describeModel } from './model.js';
import { activationText, featuresCode, gridCode, header, list, matrix, num, PREDICTION_TEXT, printCode } from './python.js';

const SELU_LAMBDA = 1.0507009873554805; // core/activation.cpp's lambda and alpha, as doubles
const SELU_ALPHA = 1.6732632423543772;

// Each activation as a NumPy function of z (n, units). `a` is the layer's alpha (PReLU: its slopes, one per
// unit), `b` its beta. Written so that no tail overflows: np.logaddexp for softplus, exp of min(z, 0).
const FORMULAS = {
  identity: () => 'z',
  binary_step: () => 'np.where(z >= 0, 1.0, 0.0)',
  sigmoid: () => 'sigmoid(z)',
  tanh: () => 'np.tanh(z)',
  relu: () => 'np.maximum(z, 0.0)',
  leaky_relu: (l) => `np.where(z > 0, z, ${num(l.alpha)} * z)`,
  prelu: (l, i) => `np.where(z > 0, z, a${i + 1} * z)`,
  relu6: () => 'np.clip(z, 0.0, 6.0)',
  elu: (l) => `np.where(z > 0, z, ${num(l.alpha)} * np.expm1(np.minimum(z, 0.0)))`,
  selu: () => `${num(SELU_LAMBDA)} * np.where(z > 0, z, ${num(SELU_ALPHA)} * np.expm1(np.minimum(z, 0.0)))`,
  gelu_erf: () => '0.5 * z * (1.0 + erf(z / math.sqrt(2.0)))',
  gelu_tanh: () => '0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))',
  silu: (l) => (l.beta === 1 ? 'z * sigmoid(z)' : `z * sigmoid(${num(l.beta)} * z)`),
  mish: () => 'z * np.tanh(np.logaddexp(0.0, z))',
  softplus: (l) => (l.beta === 1 ? 'np.logaddexp(0.0, z)' : `np.logaddexp(0.0, ${num(l.beta)} * z) / ${num(l.beta)}`),
  softsign: () => 'z / (1.0 + np.abs(z))',
  hard_sigmoid: () => 'np.clip((z + 3.0) / 6.0, 0.0, 1.0)',
  hard_tanh: () => 'np.clip(z, -1.0, 1.0)',
};

const HEAD_CODE = {
  linear_mse: 'logits',
  sigmoid_bce: 'sigmoid(logits)',
  tanh_mse: 'np.tanh(logits)',
  softmax_ce: 'softmax(logits)',
};

/** The NumPy script for a saved model (text or parsed). */
export function numpyScript(model) {
  const desc = describeModel(model);
  const hidden = desc.layers.slice(0, -1);
  for (const l of hidden) if (!FORMULAS[l.activation]) throw new RangeError(`no NumPy export for the activation '${l.activation}'`);
  const lines = [
    ...header(desc, 'NumPy', [`python3 this.py    prints the predictions on the grid below (${PREDICTION_TEXT[desc.head]})`]),
    '# Prediction only (the PyTorch export also trains). Every activation is written out below as a NumPy',
    "# expression with the playground's value, kinks included (binary step is 1 at z = 0).",
    'import math',
    '',
    'import numpy as np',
    '',
    '# NumPy has no erf; math.erf, element by element (GELU).',
    'erf = np.vectorize(math.erf, otypes=[np.float64])',
    '',
    '',
    'def sigmoid(z):',
    '    # 1 / (1 + e^-z) as exp(-log(1 + e^-z)): no overflow in either tail.',
    '    return np.exp(-np.logaddexp(0.0, -z))',
    '',
    '',
    'def softmax(z):',
    '    e = np.exp(z - z.max(axis=1, keepdims=True))',
    '    return e / e.sum(axis=1, keepdims=True)',
    '',
    '',
  ];
  desc.layers.forEach((l, i) => {
    const what = i < hidden.length ? `hidden layer ${i + 1}, ${activationText(l)}` : 'output layer (logits)';
    lines.push(`# ${what}: ${l.in} -> ${l.out}; W (in, out), one row per input`);
    lines.push(`W${i + 1} = np.array(${matrix(l.W)})`);
    lines.push(`b${i + 1} = np.array(${list(l.b)})`);
    if (l.slopes) lines.push(`a${i + 1} = np.array(${list(l.slopes)})  # PReLU's learned slopes, one per unit`);
  });
  lines.push('', '', 'def features(x1, x2):', ...featuresCode(desc, 'np', 'np.stack'), '', '');
  lines.push('def predict(x1, x2):', `    """The head's output: ${PREDICTION_TEXT[desc.head]}."""`, '    h = features(x1, x2)');
  hidden.forEach((l, i) => {
    lines.push(`    z = h @ W${i + 1} + b${i + 1}`);
    lines.push(`    h = ${FORMULAS[l.activation](l, i)}  # ${l.activation}`);
  });
  const last = desc.layers.length;
  lines.push(`    logits = h @ W${last} + b${last}`, `    return ${HEAD_CODE[desc.head]}`, '', '');
  lines.push(...gridCode(desc), '', '', ...printCode(desc), '', '');
  lines.push(
    'if __name__ == "__main__":',
    '    x1 = np.array([p[0] for p in GRID])',
    '    x2 = np.array([p[1] for p in GRID])',
    `    print_predictions("predictions at step ${desc.step}", predict(x1, x2).reshape(len(GRID), -1).tolist())`,
    '',
  );
  return lines.join('\n');
}
