// The explorer's "Conventions" section: the choices that change the numbers when a learner compares this
// playground with PyTorch or Keras, what those do instead, and how to convert. Each item was checked against
// the core (core/trainer.cpp, core/loss.cpp, core/activation.cpp); README.md's "Conventions" says the same.
// A link '#/explorer?see=conventions' (the lessons use it) scrolls here.

export const CONVENTIONS_ID = 'conventions';

/** [topic, ours, PyTorch, Keras, how to convert] */
export const CONVENTIONS = [
  [
    'L2 regularisation',
    'Penalty (λ/2) Σ w² over the weights only, not the biases (nor PReLU’s slopes); its gradient is λ w.',
    'weight_decay = λ adds λ w to the gradient of every parameter, biases included, unless you put the biases in a parameter group with weight_decay 0. (AdamW’s decoupled decay is a different method.)',
    'kernel_regularizer = l2(l) adds l Σ w², whose gradient is 2 l w: twice ours per unit of l.',
    'Our λ = PyTorch’s weight_decay (biases excluded) = 2 × Keras’s l2 factor.',
  ],
  [
    'L1 regularisation',
    'Penalty λ Σ |w| over the weights only; its gradient is λ sign(w), and exactly 0 at w = 0.',
    'No built-in option: add λ · Σ |w| to the loss; autograd’s sign(0) = 0 gives the same gradient.',
    'kernel_regularizer = l1(l): the same penalty as ours with l = λ.',
    'Same number in Keras; in PyTorch add the term to the loss yourself.',
  ],
  [
    'Mean squared error',
    'mean((y − t)²), with no ½; its gradient is 2 (y − t) / n.',
    'nn.MSELoss(): the same.',
    'MeanSquaredError: the same.',
    'Nothing to convert. Textbooks that write ½ mean((y − t)²) get half our loss and half our gradient.',
  ],
  [
    'Printed losses',
    'The losses shown (batch, train, test) are the data loss only: the regularisation penalty is left out.',
    'Whatever your loop prints; weight_decay never appears in a loss.',
    'The loss that fit() logs includes the regularisation penalties.',
    'Compare Keras’s logged loss minus its penalties (or a metric of the same loss) with ours.',
  ],
  [
    'ELU′(0) and SELU′(0)',
    'At x = 0, where the slope jumps when α ≠ 1, we take the right-hand side: ELU′(0) = 1, SELU′(0) = λ ≈ 1.0507.',
    'Takes the left-hand side: ELU′(0) = α, SELU′(0) = λα ≈ 1.7581.',
    'TensorFlow’s ELU and SELU gradients (Keras’s backend) select on the output being below 0, so at x = 0 they take the right-hand side, as we do.',
    'Only a pre-activation exactly 0 sees the difference (with α = 1 ELU’s two sides agree); to match PyTorch there, use α (ELU) or λα (SELU) at 0.',
  ],
  [
    'Leaky ReLU α',
    'Defaults to α = 0.01; its slope at exactly 0 is α (like ReLU′(0) = 0, set by “ReLU’s slope used at x = 0”).',
    'nn.LeakyReLU(negative_slope = 0.01): the same.',
    'layers.LeakyReLU defaults to 0.3; tf.nn.leaky_relu to 0.2.',
    'Pass the α explicitly when you compare: set 0.3 or 0.2 here, or 0.01 there.',
  ],
  [
    'Hard sigmoid',
    'PyTorch’s form: relu6(x + 3) / 6, that is clip(x / 6 + ½, 0, 1); slope ⅙ on (−3, 3) and 0 at ±3.',
    'nn.Hardsigmoid: the same.',
    'Keras 3’s hard_sigmoid is the same; Keras 2 (tf.keras) used clip(0.2 x + 0.5, 0, 1), which reaches 0 and 1 at ±2.5.',
    'For Keras 2’s version, scale: its value at x equals ours at 1.2 x.',
  ],
];

function cell(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

/** The section element: a heading, a sentence, and one table row per convention. */
export function conventionsSection() {
  const section = document.createElement('section');
  section.id = CONVENTIONS_ID;
  section.className = 'explorer__conventions';
  section.setAttribute('aria-labelledby', `${CONVENTIONS_ID}-title`);
  const title = cell('h2', 'Conventions');
  title.id = `${CONVENTIONS_ID}-title`;
  title.tabIndex = -1;
  const lede = cell('p', 'Choices that change the numbers when you compare with PyTorch or Keras: ours, theirs, and how to convert.');
  lede.className = 'muted';
  const table = document.createElement('table');
  table.className = 'conventions-table';
  const head = document.createElement('tr');
  for (const h of ['Convention', 'Here', 'PyTorch', 'Keras', 'To convert']) head.append(cell('th', h));
  table.append(document.createElement('thead'));
  table.tHead.append(head);
  const body = document.createElement('tbody');
  for (const [topic, ours, torch, keras, convert] of CONVENTIONS) {
    const row = document.createElement('tr');
    const th = cell('th', topic);
    th.scope = 'row';
    row.append(th, cell('td', ours), cell('td', torch), cell('td', keras), cell('td', convert));
    body.append(row);
  }
  table.append(body);
  const scroller = document.createElement('div');
  scroller.className = 'conventions-scroll';
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', 'Conventions table');
  scroller.append(table);
  section.append(title, lede, scroller);
  return section;
}

/** Scrolls to the section when the query asks for it ('see=conventions'); returns whether it did. */
export function revealIfAsked(query, section) {
  if (query.get('see') !== CONVENTIONS_ID) return false;
  requestAnimationFrame(() => {
    section.scrollIntoView({ block: 'start' });
    section.querySelector('h2')?.focus({ preventScroll: true });
  });
  return true;
}
