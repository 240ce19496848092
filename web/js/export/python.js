// What the PyTorch and the NumPy exports share: Python literals for the numbers (every double written so
// that Python reads back the same bits), the header that describes the network, the feature columns as the
// core computes them (core/features.cpp) and the grid the scripts print their predictions on.
import { FEATURE_CODE } from './model.js';

/** A float literal Python reads back as the same double: JS's shortest round-trip form, always a float. */
export function num(x) {
  if (!Number.isFinite(x)) throw new RangeError(`cannot export ${x}: every parameter must be finite`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A Python list of floats, wrapped at `width` columns, continuation lines indented by `indent` spaces. */
export function list(values, indent = 4, width = 110) {
  const lines = [];
  let line = '';
  for (const v of values) {
    const item = `${num(v)}, `;
    if (line && indent + line.length + item.length > width) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += item;
  }
  if (line) lines.push(line.trimEnd());
  if (lines.length <= 1) return `[${(lines[0] ?? '').replace(/,$/, '')}]`;
  const pad = ' '.repeat(indent);
  return `[\n${lines.map((l) => pad + l).join('\n')}\n${' '.repeat(Math.max(0, indent - 4))}]`;
}

/** A matrix as a list of rows, one row a line. */
export function matrix(rows, indent = 4) {
  const pad = ' '.repeat(indent);
  return `[\n${rows.map((r) => `${pad}${list(r, indent + 4)},`).join('\n')}\n${' '.repeat(indent - 4)}]`;
}

const HEAD_TEXT = {
  linear_mse: 'linear output, mean squared error (no 1/2)',
  sigmoid_bce: 'sigmoid output = P(class 1), binary cross-entropy',
  tanh_mse: 'tanh output against labels -1/+1 (class 0 -> -1), mean squared error',
  softmax_ce: 'softmax over the classes, cross-entropy',
};

/** An activation with its parameters, as the header names it. */
export function activationText(layer) {
  const a = layer.activation;
  const parts = [];
  if (a === 'leaky_relu' || a === 'elu') parts.push(`alpha ${layer.alpha}`);
  if (a === 'prelu') parts.push(`learned slopes, initially ${layer.alpha}`);
  if (a === 'silu' || a === 'softplus') parts.push(`beta ${layer.beta}`);
  if (['relu', 'leaky_relu', 'prelu', 'relu6'].includes(a)) parts.push(`f'(0) = ${layer.g0}`);
  return parts.length ? `${a} (${parts.join(', ')})` : a;
}

function optimizerText(t) {
  switch (t.optimizer) {
    case 'sgd':
      return 'sgd';
    case 'momentum':
    case 'nesterov':
      return `${t.optimizer} (momentum ${t.momentum})`;
    case 'rmsprop':
      return `rmsprop (rho ${t.rho}, eps ${t.epsilon})`;
    default:
      return `adam (betas ${t.beta1}, ${t.beta2}; eps ${t.epsilon})`;
  }
}

function scheduleText(t) {
  if (t.schedule === 'step') return `rate ${t.learning_rate} times ${t.step_gamma} every ${t.step_every} steps`;
  if (t.schedule === 'cosine') return `rate ${t.learning_rate} down to ${t.min_learning_rate} by a cosine over ${t.cosine_steps} steps`;
  return `rate ${t.learning_rate}`;
}

/** The comment block that opens both scripts: what the network is, where it came from, how to run it. */
export function header(desc, framework, usage) {
  const c = desc.config;
  const t = desc.training;
  const data = c.data;
  const shape = [desc.oneD ? 'x' : desc.features.join(', ')];
  for (const l of desc.layers.slice(0, -1)) shape.push(`${l.out} ${activationText(l)}`);
  shape.push(`${desc.outputs} (${desc.head}: ${HEAD_TEXT[desc.head]})`);
  const reg =
    t.regularization === 'none' || t.regularization_rate === 0
      ? 'none'
      : t.regularization === 'l2'
        ? `L2, (${t.regularization_rate}/2) * sum of squared weights (biases and PReLU slopes excluded)`
        : `L1, ${t.regularization_rate} * sum of |weights| (biases and PReLU slopes excluded)`;
  return [
    '#!/usr/bin/env python3',
    `# Activation Playground: a trained network exported as a ${framework} script, at step ${desc.step}.`,
    `# Data: ${data.dataset}, seed ${c.seed}. Inputs: ${desc.oneD ? 'x (1-D data)' : desc.features.join(', ')}.`,
    `# Network: ${shape.join(' -> ')}.`,
    `# Training: ${optimizerText(t)}, ${scheduleText(t)}, batch ${t.batch_size}, regularisation ${reg}` +
      `${t.clip_norm > 0 ? `, gradients clipped to global norm ${t.clip_norm}` : ''}.`,
    '#',
    ...usage.map((u) => `#   ${u}`),
    '#',
    "# The weights below are the playground's, written as the shortest decimals that read back as the same",
    '# doubles, and everything runs in float64 as the playground does: the predictions equal the',
    "# playground's to about 1e-12 (its tests check 1e-6). W is stored (in, out), one row per input.",
  ];
}

/** The Python body of features(x1, x2) for a module `lib` (torch or np) with a stacking call. */
export function featuresCode(desc, lib, stack) {
  if (desc.oneD) return ['    # 1-D data: the network sees x alone (x2 is ignored).', `    return ${stack}([x1], 1)`];
  const cols = desc.features.map((f) => FEATURE_CODE[f].replace(/sin\(/g, `${lib}.sin(`));
  return [
    `    # The feature columns, in the playground's order: ${desc.features.join(', ')}.`,
    `    return ${stack}([${cols.join(', ')}], 1)`,
  ];
}

/** Python that makes GRID, the points the predictions are printed at. */
export function gridCode(desc) {
  const side = desc.oneD ? 25 : 7;
  return [
    '# The points the predictions are printed at: the centres of a grid of cells over the plot, as the',
    "# playground's map places its pixels (row 0 at the top, y decreasing).",
    `EXTENT, COLUMNS, ROWS = 6.0, ${side}, ${desc.oneD ? 1 : side}`,
    'GRID = [',
    `    (-EXTENT + (c + 0.5) * (2 * EXTENT / COLUMNS), ${desc.oneD ? '0.0' : 'EXTENT - (r + 0.5) * (2 * EXTENT / ROWS)'})`,
    '    for r in range(ROWS)',
    '    for c in range(COLUMNS)',
    ']',
  ];
}

/** Python that prints one block of predictions: a header line, then x1 x2 p... per point, 17 digits. */
export function printCode(desc) {
  const cols = desc.outputs > 1 ? Array.from({ length: desc.outputs }, (_, k) => `p${k}`).join(' ') : 'prediction';
  return [
    'def print_predictions(title, rows):',
    `    print(f"# {title}: x1 x2 ${cols}")`,
    '    for (x1, x2), row in zip(GRID, rows):',
    '        print(" ".join(f"{v:.17g}" for v in (x1, x2, *row)))',
  ];
}

export const PREDICTION_TEXT = {
  linear_mse: 'the predicted value',
  sigmoid_bce: 'P(class 1)',
  tanh_mse: 'tanh output in [-1, 1] (class 1 when >= 0)',
  softmax_ce: 'the probability of each class',
};
