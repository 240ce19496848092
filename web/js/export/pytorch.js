// The network as a runnable PyTorch script: the architecture as an nn.Sequential, the trained weights, the
// head and its loss, the optimizer with its settings and its state (moments and step count), the
// regularisation, clipping and schedule as the core applies them (core/trainer.cpp), and the training set,
// so `--steps N` continues training where the playground stopped. It prints its predictions on a grid.
import { describeModel } from './model.js';
import { featuresCode, gridCode, header, list, matrix, num, PREDICTION_TEXT, printCode } from './python.js';

// Which activations PyTorch has no module for that equals the core's, value and derivative, and how the
// script writes them. Every script carries this table; the helpers it names are emitted only when used.
const NOT_IN_PYTORCH = [
  "# Activations with no exact PyTorch module, and how this script writes them (the playground's",
  '# conventions: see its README, "Conventions"):',
  "# - binary_step: f = 1 for z >= 0, else 0; f' = 0 everywhere. Pointwise (a custom autograd Function)",
  '#   with a zero gradient, so every parameter still gets a gradient tensor (of zeros) as in the playground.',
  "# - relu, leaky_relu, relu6 with f'(0) = g != 0: PyTorch's slope at exactly z = 0 is the left one (0, or",
  "#   alpha); the playground's is (1 - g) left + g right. Pointwise with PyTorch's value and that slope.",
  "# - prelu with f'(0) != 0: PReLUSlopeAtZero, nn.PReLU's value and learned slopes with that slope at 0.",
  "# - elu with alpha != 1, selu: PyTorch's gradient at exactly z = 0 is the left slope (alpha; selu's",
  "#   lambda * alpha = 1.7581), the playground's the right one (1; lambda = 1.0507). Pointwise.",
  '# - silu with beta != 1 (swish): SiLUWithBeta, z * sigmoid(beta z), differentiated by autograd.',
  "# - softplus: nn.Softplus(beta, threshold=40) (PyTorch's default threshold 20 switches to z itself",
  '#   earlier than the playground does; 40 is where the playground switches).',
  '# Every other activation is its PyTorch module: nn.Identity, nn.Sigmoid, nn.Tanh, nn.ReLU, nn.LeakyReLU,',
  '# nn.PReLU, nn.ReLU6, nn.ELU (alpha = 1), nn.GELU (erf, and approximate="tanh"), nn.SiLU, nn.Mish,',
  '# nn.Softsign, nn.Hardsigmoid, nn.Hardtanh.',
];

const SELU_LAMBDA = 1.0507009873554805; // core/activation.cpp's lambda and alpha, as doubles
const SELU_ALPHA = 1.6732632423543772;

/** The module expression for one hidden layer's activation, and the helpers it needs. */
function activationModule(layer) {
  const { activation: a, alpha, beta, g0 } = layer;
  // The ReLU family's slope at exactly 0, as core/activation.cpp's relu_kink_slope computes it.
  const atZero = (left) => (1 - g0) * left + g0 * 1;
  switch (a) {
    case 'identity':
      return { code: 'nn.Identity()', uses: [] };
    case 'binary_step':
      return { code: "Activation('binary_step', lambda z: (z >= 0).to(z.dtype), torch.zeros_like)", uses: ['pointwise'] };
    case 'sigmoid':
      return { code: 'nn.Sigmoid()', uses: [] };
    case 'tanh':
      return { code: 'nn.Tanh()', uses: [] };
    case 'relu':
      if (g0 === 0) return { code: 'nn.ReLU()', uses: [] };
      return { code: `Activation('relu', torch.relu, lambda z: slope(z, 0.0, ${num(g0)}, 1.0))`, uses: ['pointwise', 'slope'] };
    case 'leaky_relu':
      if (g0 === 0) return { code: `nn.LeakyReLU(${num(alpha)})`, uses: [] };
      return {
        code: `Activation('leaky_relu', lambda z: F.leaky_relu(z, ${num(alpha)}), lambda z: slope(z, ${num(alpha)}, ${num(atZero(alpha))}, 1.0))`,
        uses: ['pointwise', 'slope'],
      };
    case 'prelu':
      if (g0 === 0) return { code: `nn.PReLU(${layer.out})`, uses: [] };
      return { code: `PReLUSlopeAtZero(${layer.out}, ${num(g0)})`, uses: ['prelu'] };
    case 'relu6':
      if (g0 === 0) return { code: 'nn.ReLU6()', uses: [] };
      return {
        code: `Activation('relu6', F.relu6, lambda z: torch.where((z > 0) & (z < 6), 1.0, 0.0) + torch.where(z == 0, ${num(g0)}, 0.0))`,
        uses: ['pointwise'],
      };
    case 'elu':
      if (alpha === 1) return { code: 'nn.ELU()', uses: [] };
      return {
        code: `Activation('elu', lambda z: F.elu(z, ${num(alpha)}), lambda z: torch.where(z >= 0, 1.0, ${num(alpha)} * torch.exp(torch.clamp(z, max=0.0))))`,
        uses: ['pointwise'],
      };
    case 'selu':
      return {
        code: `Activation('selu', F.selu, lambda z: torch.where(z >= 0, ${num(SELU_LAMBDA)}, ${num(SELU_LAMBDA * SELU_ALPHA)} * torch.exp(torch.clamp(z, max=0.0))))`,
        uses: ['pointwise'],
      };
    case 'gelu_erf':
      return { code: 'nn.GELU()', uses: [] };
    case 'gelu_tanh':
      return { code: "nn.GELU(approximate='tanh')", uses: [] };
    case 'silu':
      return beta === 1 ? { code: 'nn.SiLU()', uses: [] } : { code: `SiLUWithBeta(${num(beta)})`, uses: ['silu'] };
    case 'mish':
      return { code: 'nn.Mish()', uses: [] };
    case 'softplus':
      return { code: `nn.Softplus(beta=${num(beta)}, threshold=40.0)`, uses: [] };
    case 'softsign':
      return { code: 'nn.Softsign()', uses: [] };
    case 'hard_sigmoid':
      return { code: 'nn.Hardsigmoid()', uses: [] };
    case 'hard_tanh':
      return { code: 'nn.Hardtanh()', uses: [] };
    default:
      throw new RangeError(`no PyTorch export for the activation '${a}'`);
  }
}

const HELPERS = {
  pointwise: [
    'class Pointwise(torch.autograd.Function):',
    '    """y = f(z) with dy/dz = df(z) written out: an activation whose PyTorch module differs from the',
    '    playground somewhere (see the list above) keeps its value and takes the playground\'s derivative."""',
    '',
    '    @staticmethod',
    '    def forward(ctx, z, f, df):',
    '        ctx.save_for_backward(z)',
    '        ctx.df = df',
    '        return f(z)',
    '',
    '    @staticmethod',
    '    def backward(ctx, dy):',
    '        (z,) = ctx.saved_tensors',
    '        return dy * ctx.df(z), None, None',
    '',
    '',
    'class Activation(nn.Module):',
    '    def __init__(self, name, f, df):',
    '        super().__init__()',
    '        self.name, self.f, self.df = name, f, df',
    '',
    '    def forward(self, z):',
    '        return Pointwise.apply(z, self.f, self.df)',
    '',
    '    def extra_repr(self):',
    '        return self.name',
  ],
  slope: [
    'def slope(z, left, at_zero, right):',
    '    """A kinked function\'s slope: left for z < 0, right for z > 0, at_zero at exactly z = 0."""',
    '    return torch.where(z > 0, right, torch.where(z < 0, left, at_zero)) * torch.ones_like(z)',
  ],
  prelu: [
    'class PReLUSlopeAtZeroFn(torch.autograd.Function):',
    '    """nn.PReLU with the playground\'s slope at exactly z = 0: (1 - g) a + g, for f\'(0) = g."""',
    '',
    '    @staticmethod',
    '    def forward(ctx, z, a, g):',
    '        ctx.save_for_backward(z, a)',
    '        ctx.g = g',
    '        return torch.where(z > 0, z, a * z)',
    '',
    '    @staticmethod',
    '    def backward(ctx, dy):',
    '        z, a = ctx.saved_tensors',
    '        dz = dy * torch.where(z > 0, torch.ones_like(z), torch.where(z < 0, a, (1 - ctx.g) * a + ctx.g))',
    '        da = (dy * torch.where(z > 0, torch.zeros_like(z), z)).sum(0)',
    '        return dz, da, None',
    '',
    '',
    'class PReLUSlopeAtZero(nn.PReLU):',
    '    def __init__(self, units, g):',
    '        super().__init__(units)',
    '        self.g = g',
    '',
    '    def forward(self, z):',
    '        return PReLUSlopeAtZeroFn.apply(z, self.weight, self.g)',
  ],
  silu: [
    'class SiLUWithBeta(nn.Module):',
    '    """Swish: z * sigmoid(beta z); nn.SiLU is beta = 1 only."""',
    '',
    '    def __init__(self, beta):',
    '        super().__init__()',
    '        self.beta = beta',
    '',
    '    def forward(self, z):',
    '        return z * torch.sigmoid(self.beta * z)',
  ],
};

const HEAD_CODE = {
  linear_mse: { out: 'logits', target: 'labels[:, None]', loss: 'F.mse_loss(logits, t)' },
  sigmoid_bce: {
    out: 'torch.sigmoid(logits)',
    target: '(labels > 0.5).to(labels.dtype)[:, None]',
    loss: 'F.binary_cross_entropy_with_logits(logits, t)',
  },
  tanh_mse: {
    out: 'torch.tanh(logits)',
    target: 'torch.where(labels > 0.5, 1.0, -1.0)[:, None]',
    loss: 'F.mse_loss(torch.tanh(logits), t)',
  },
  softmax_ce: { out: 'torch.softmax(logits, 1)', target: 'labels.long()', loss: 'F.cross_entropy(logits, t)' },
};

function optimizerCode(t) {
  switch (t.optimizer) {
    case 'sgd':
      return { make: `torch.optim.SGD(params, lr=${num(t.learning_rate)})`, state: [] };
    case 'momentum':
    case 'nesterov': {
      const nesterov = t.optimizer === 'nesterov' ? ', nesterov=True' : '';
      // PyTorch refuses nesterov without momentum; with momentum 0 both rules are plain SGD.
      if (t.momentum === 0) return { make: `torch.optim.SGD(params, lr=${num(t.learning_rate)})`, state: [] };
      return {
        make: `torch.optim.SGD(params, lr=${num(t.learning_rate)}, momentum=${num(t.momentum)}${nesterov})`,
        state: ["'momentum_buffer': m"],
      };
    }
    case 'rmsprop':
      return {
        make: `torch.optim.RMSprop(params, lr=${num(t.learning_rate)}, alpha=${num(t.rho)}, eps=${num(t.epsilon)})`,
        state: ["'step': step_count()", "'square_avg': m"],
      };
    default:
      return {
        make: `torch.optim.Adam(params, lr=${num(t.learning_rate)}, betas=(${num(t.beta1)}, ${num(t.beta2)}), eps=${num(t.epsilon)})`,
        state: ["'step': step_count()", "'exp_avg': m", "'exp_avg_sq': v"],
      };
  }
}

function scheduleCode(t) {
  if (t.schedule === 'step') return `    return ${num(t.learning_rate)} * ${num(t.step_gamma)} ** (step // ${t.step_every})`;
  if (t.schedule === 'cosine') {
    const lo = num(t.min_learning_rate);
    return [
      `    t = min(step, ${t.cosine_steps})`,
      `    return ${lo} + 0.5 * (${num(t.learning_rate)} - ${lo}) * (1 + math.cos(math.pi * t / ${t.cosine_steps}))`,
    ].join('\n');
  }
  return `    return ${num(t.learning_rate)}`;
}

function penaltyCode(t) {
  if (t.regularization === 'none' || t.regularization_rate === 0) return ['    return 0.0'];
  const weights = '(m.weight for m in model if isinstance(m, nn.Linear))';
  if (t.regularization === 'l2')
    return [
      '    # (lambda/2) * sum of squared weights, biases and PReLU slopes excluded: its gradient lambda * w is',
      '    # what weight_decay=lambda would add on a group of the weights alone.',
      `    return ${num(t.regularization_rate)} / 2 * sum((w * w).sum() for w in ${weights})`,
    ];
  return [
    "    # lambda * sum |w| over the weights; autograd's sign(0) = 0 is the playground's gradient at 0 too.",
    `    return ${num(t.regularization_rate)} * sum(w.abs().sum() for w in ${weights})`,
  ];
}

/** The PyTorch script for a saved model (text or parsed) and its training points ((n, 3) x1, x2, label). */
export function pytorchScript(model, trainPoints) {
  const desc = describeModel(model);
  const t = desc.training;
  const hidden = desc.layers.slice(0, -1);
  const acts = hidden.map(activationModule);
  const uses = new Set(acts.flatMap((a) => a.uses));
  const head = HEAD_CODE[desc.head];
  const opt = optimizerCode(t);
  const n = trainPoints.length / 3;
  const full = t.batch_size >= n;

  const lines = [
    ...header(desc, 'PyTorch', [
      `python3 this.py                  prints the predictions on the grid below (${PREDICTION_TEXT[desc.head]})`,
      'python3 this.py --steps 100      then trains 100 more steps, as the playground would, and prints them again',
      "python3 this.py --params         also prints every parameter in the playground's layout, as JSON",
    ]),
    '#',
    ...NOT_IN_PYTORCH,
    'import json',
    'import math',
    'import sys',
    '',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    'torch.set_default_dtype(torch.float64)  # the playground computes in double',
    '',
  ];
  for (const name of ['pointwise', 'slope', 'prelu', 'silu']) if (uses.has(name)) lines.push('', ...HELPERS[name], '');

  // ---- The network and its weights ----
  lines.push('', `STEP = ${desc.step}  # the playground's step count at export`, '');
  desc.layers.forEach((l, i) => {
    const what = i < hidden.length ? `hidden layer ${i + 1}` : 'output layer';
    lines.push(`# ${what}: ${l.in} -> ${l.out}; W (in, out) as the playground stores it (nn.Linear's weight is W.T)`);
    lines.push(`W${i + 1} = ${matrix(l.W)}`);
    lines.push(`b${i + 1} = ${list(l.b)}`);
    if (l.slopes) lines.push(`a${i + 1} = ${list(l.slopes)}  # PReLU's learned slopes, one per unit`);
  });
  lines.push(
    '',
    '',
    'def features(x1, x2):',
    ...featuresCode(desc, 'torch', 'torch.stack'),
    '',
    '',
    'def build_model():',
    '    model = nn.Sequential(',
  );
  desc.layers.forEach((l, i) => {
    lines.push(`        nn.Linear(${l.in}, ${l.out}),`);
    if (i < hidden.length) lines.push(`        ${acts[i].code},`);
  });
  lines.push('    )');
  lines.push('    linears = [m for m in model if isinstance(m, nn.Linear)]');
  lines.push('    prelus = [m for m in model if isinstance(m, nn.PReLU)]');
  lines.push('    with torch.no_grad():');
  lines.push(
    `        for linear, W, b in zip(linears, [${desc.layers.map((_, i) => `W${i + 1}`).join(', ')}], [${desc.layers.map((_, i) => `b${i + 1}`).join(', ')}]):`,
  );
  lines.push('            linear.weight.copy_(torch.tensor(W).T)');
  lines.push('            linear.bias.copy_(torch.tensor(b))');
  const slopeNames = desc.layers.flatMap((l, i) => (l.slopes ? [`a${i + 1}`] : []));
  if (slopeNames.length) {
    lines.push(`        for prelu, a in zip(prelus, [${slopeNames.join(', ')}]):`);
    lines.push('            prelu.weight.copy_(torch.tensor(a))');
  }
  lines.push('    return model');
  lines.push(
    '',
    '',
    'def predict(model, x1, x2):',
    `    """The head's output: ${PREDICTION_TEXT[desc.head]}."""`,
    '    logits = model(features(x1, x2))',
    `    return ${head.out}`,
    '',
    '',
    "# ---- Parameters in the playground's layout: per layer W (in, out) row by row, then b, then PReLU slopes ----",
    '',
    '',
    'def flat_parameters(tensors):',
    '    return torch.cat([p.T.reshape(-1) if p.dim() == 2 else p.reshape(-1) for p in tensors])',
    '',
    '',
    'def unflatten_like(values, params):',
    '    """The playground\'s flat values cut into tensors shaped as params (nn.Linear weights transposed)."""',
    '    out, i = [], 0',
    '    for p in params:',
    '        n = p.numel()',
    '        piece = torch.tensor(values[i : i + n])',
    '        out.append(piece.reshape(p.shape[1], p.shape[0]).T.contiguous() if p.dim() == 2 else piece.reshape(p.shape))',
    '        i += n',
    '    return out',
    '',
    '',
    '# ---- Training, as the playground does one step: mini-batch -> loss + penalty -> gradients -> clip -> update ----',
    '',
    `# The training set (x1, x2, label), ${n} points, in the playground's order.`,
    `TRAIN = ${list(Array.from(trainPoints))}`,
    `BATCH_SIZE = ${t.batch_size}`,
    `CLIP_NORM = ${num(t.clip_norm)}  # 0: no clipping`,
    "# The optimizer's state at export, flat in the playground's layout (restored so a step continues exactly).",
    `OPTIMIZER_STEPS = ${desc.optimizer.steps}`,
    `OPTIMIZER_M = ${list(desc.optimizer.m)}`,
    `OPTIMIZER_V = ${list(desc.optimizer.v)}`,
    '',
    '',
    'def learning_rate(step):',
    '    """The schedule\'s rate for the step after `step` steps."""',
    scheduleCode(t),
    '',
    '',
    'def penalty(model):',
    ...penaltyCode(t),
    '',
    '',
    'def data_loss(logits, labels):',
    `    t = ${head.target}`,
    `    return ${head.loss}`,
    '',
    '',
    'def step_count():',
    '    return torch.tensor(float(OPTIMIZER_STEPS))',
    '',
    '',
    'def make_optimizer(model):',
    "    params = list(model.parameters())  # per layer: weight, bias, PReLU slopes: the playground's order",
    `    optimizer = ${opt.make}`,
  );
  if (opt.state.length) {
    lines.push(
      '    ms = unflatten_like(OPTIMIZER_M, params)',
      '    vs = unflatten_like(OPTIMIZER_V, params) if OPTIMIZER_V else ms',
      '    for p, m, v in zip(params, ms, vs):',
      `        optimizer.state[p] = {${opt.state.join(', ')}}`,
    );
  }
  lines.push(
    '    return optimizer',
    '',
    '',
    'def batches():',
    full
      ? '    """The whole training set every step: the batch size covers it, as in the playground."""'
      : '    """Batches of BATCH_SIZE in an order of this script\'s own (seeded), an epoch at a time. The playground\n' +
          '    shuffles with its own generator, which this script does not reproduce: steps here follow a different\n' +
          '    sequence of batches than the playground\'s (set the batch size to the training set\'s size to match)."""',
    '    data = torch.tensor(TRAIN).reshape(-1, 3)',
    full ? '    while True:' : `    generator = torch.Generator().manual_seed(${Number(desc.config.seed) || 0})`,
  );
  if (full) lines.push('        yield data');
  else
    lines.push(
      '    while True:',
      '        order = torch.randperm(len(data), generator=generator)',
      '        for i in range(0, len(data), BATCH_SIZE):',
      '            yield data[order[i : i + BATCH_SIZE]]',
    );
  lines.push(
    '',
    '',
    'def train(model, steps):',
    '    optimizer = make_optimizer(model)',
    '    params = list(model.parameters())',
    '    source = batches()',
    '    for k in range(steps):',
    '        batch = next(source)',
    '        for group in optimizer.param_groups:',
    '            group["lr"] = learning_rate(STEP + k)',
    '        optimizer.zero_grad()',
    '        loss = data_loss(model(features(batch[:, 0], batch[:, 1])), batch[:, 2])',
    '        (loss + penalty(model)).backward()',
    '        if CLIP_NORM > 0:',
    '            # By the global norm, as clip_grad_norm_ but without its +1e-6 in the divisor.',
    '            norm = math.sqrt(sum(float((p.grad * p.grad).sum()) for p in params))',
    '            if norm > CLIP_NORM:',
    '                for p in params:',
    '                    p.grad.mul_(CLIP_NORM / norm)',
    '        optimizer.step()',
    '',
    '',
    ...gridCode(desc),
    '',
    '',
    ...printCode(desc),
    '',
    '',
    'def main():',
    '    steps = int(sys.argv[sys.argv.index("--steps") + 1]) if "--steps" in sys.argv else 0',
    '    model = build_model()',
    '    x1 = torch.tensor([p[0] for p in GRID])',
    '    x2 = torch.tensor([p[1] for p in GRID])',
    '    with torch.no_grad():',
    '        print_predictions(f"predictions at step {STEP}", predict(model, x1, x2).tolist())',
    '    if steps > 0:',
    '        train(model, steps)',
    '        with torch.no_grad():',
    '            print_predictions(f"predictions at step {STEP + steps}", predict(model, x1, x2).tolist())',
    '    if "--params" in sys.argv:',
    '        print(f"# parameters at step {STEP + steps}, in the playground\'s layout")',
    '        print(json.dumps(flat_parameters(model.parameters()).tolist()))',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  );
  return lines.join('\n');
}
