// The network a saved model describes (the core's model JSON: config + state, see core/serialize.cpp), laid
// out for the code exporters: each layer's W (in, out), b and PReLU slopes cut from the flat parameter arena
// in the core's order (core/network.cpp: per layer W row-major by input, then b, then the slopes), and the
// optimizer's state cut the same way. Plain data; no DOM, no wasm.

/** Python's (and the core's) names for the feature columns, with the expression each is in x1, x2. */
export const FEATURE_CODE = {
  x1: 'x1',
  x2: 'x2',
  'x1^2': 'x1 * x1',
  'x2^2': 'x2 * x2',
  'x1*x2': 'x1 * x2',
  'sin(x1)': 'sin(x1)',
  'sin(x2)': 'sin(x2)',
};

export class ExportError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ExportError';
  }
}

/**
 * model: the model JSON (text or parsed). Returns { config, step, inputs, features, oneD, head, outputs,
 * layers: [{ in, out, activation, alpha, beta, g0, W (in rows of out), b, slopes | null, offset }],
 * training, optimizer: { steps, m, v } (flat, the arena's layout), params (flat) }.
 */
export function describeModel(model) {
  const m = typeof model === 'string' ? JSON.parse(model) : model;
  if (!m || m.kind !== 'model' || !m.config || !m.state) throw new ExportError('not a saved model (kind "model" with config and state)');
  const { config, state } = m;
  const net = config.network;
  const features = net.features ?? [];
  for (const f of features) if (!(f in FEATURE_CODE)) throw new ExportError(`unknown feature '${f}'`);
  const oneD = features.length === 0; // the core clears the features of 1-D data: the input is x alone
  const inputs = oneD ? 1 : features.length;
  const params = state.params;

  const layers = [];
  let offset = 0;
  let fanIn = inputs;
  const take = (n) => {
    if (offset + n > params.length) throw new ExportError(`state.params has ${params.length} values, fewer than the network needs`);
    const part = params.slice(offset, offset + n);
    offset += n;
    return part;
  };
  const addLayer = (out, activation, p) => {
    const start = offset;
    const flat = take(fanIn * out);
    const W = Array.from({ length: fanIn }, (_, i) => flat.slice(i * out, (i + 1) * out));
    const b = take(out);
    const slopes = activation === 'prelu' ? take(out) : null;
    layers.push({ in: fanIn, out, activation, alpha: p.alpha, beta: p.beta, g0: p.relu_grad_at_zero, W, b, slopes, offset: start });
    fanIn = out;
  };
  // The user's own formula is not translated into Python: the scripts would need a second parser of it (and
  // the frameworks differ from the core at its branch points), so the export refuses and says why.
  net.hidden.forEach((h, i) => {
    if (h.activation === 'formula')
      throw new ExportError(
        `hidden layer ${i + 1} uses your own formula f(x) = ${h.formula}; the PyTorch and NumPy exports cover the built-in activations only. Switch that layer to a built-in activation to export the network (the model JSON keeps the formula)`,
      );
  });
  for (const h of net.hidden) addLayer(h.units, h.activation, h);
  // The output layer: 1 unit, or one per class for softmax (its count is what the arena has left).
  const rest = params.length - offset;
  const outputs = rest / (fanIn + 1);
  if (!Number.isInteger(outputs) || outputs < 1)
    throw new ExportError(`state.params has ${params.length} values, which fits no output layer`);
  addLayer(outputs, 'identity', { alpha: 0, beta: 1, relu_grad_at_zero: 0 });

  return {
    config,
    step: state.step,
    inputs,
    features,
    oneD,
    head: net.head,
    outputs,
    layers,
    training: config.training,
    optimizer: { steps: state.optimizer.steps, m: state.optimizer.m, v: state.optimizer.v },
    params,
  };
}
