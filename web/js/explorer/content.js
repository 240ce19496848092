// What the explorer says about each activation: a label, its formula and derivative in TeX, and one
// paragraph. The numbers quoted in the text (minima, slopes in the tails) were worked out from the
// formulas (the SELU card's variances are checked by tests/wasm/lessons.test.mjs); the plot itself always
// comes from the core.

export const ACTIVATION_TEXT = {
  identity: {
    label: 'Identity',
    f: 'f(x) = x',
    df: "f'(x) = 1",
    text: 'Passes its input through unchanged. A network whose hidden units are all identity is one affine map (linear, plus a bias) of its input features, however many layers it has, so its decision boundary is a hyperplane in those features: a straight line over x₁ and x₂, but a circle when x₁² and x₂² are features too (lesson 3’s question). It is the usual output for regression and the baseline that every other activation is measured against.',
  },
  binary_step: {
    label: 'Binary step',
    f: 'f(x) = \\begin{cases} 1 & x \\ge 0 \\\\ 0 & x < 0 \\end{cases}',
    df: "f'(x) = 0 \\quad (x \\ne 0;\\ \\text{no derivative at } 0)",
    text: "The original perceptron's activation: on or off. It jumps at 0 (here f(0) = 1), and wherever its derivative exists it is 0, so backpropagation gets no signal through it and a network of steps cannot learn by gradient descent. The core uses 0 as the slope at the jump too, which is exactly what you see when you train with it.",
  },
  sigmoid: {
    label: 'Sigmoid',
    f: 'f(x) = \\sigma(x) = \\frac{1}{1 + e^{-x}}',
    df: "f'(x) = \\sigma(x)\\,\\bigl(1 - \\sigma(x)\\bigr)",
    text: 'Squashes any input into (0, 1), which reads as a probability, so it is the classic output for two classes. As a hidden activation it hurts: its slope is at most 1/4 (at 0), so each sigmoid activation multiplies the back-propagated gradient by at most 1/4 (the weights multiply it too, and can make up part of the shrinkage), and past |x| = 5 the slope is below 0.007: the unit saturates and learning through it stalls (vanishing gradients).',
  },
  tanh: {
    label: 'Tanh',
    f: 'f(x) = \\tanh x = \\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}',
    df: "f'(x) = 1 - \\tanh^2 x",
    text: 'A sigmoid stretched to (−1, 1): tanh x = 2σ(2x) − 1. It is odd, tanh(−x) = −tanh x, so inputs spread evenly about 0 give outputs centred on 0, where the sigmoid’s are all positive; and its slope at the origin is 1, four times the sigmoid’s. Both help layers of tanh train faster than sigmoid. It still saturates: past |x| = 3 its slope is below 0.01.',
  },
  relu: {
    label: 'ReLU',
    f: 'f(x) = \\max(0, x) = \\begin{cases} x & x > 0 \\\\ 0 & x \\le 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & x < 0 \\\\ \\text{undefined} & x = 0 \\end{cases}",
    text: 'The rectified linear unit returns x for x > 0 and 0 otherwise. Its derivative is 1 for x > 0 and 0 for x < 0; at x = 0 it is undefined (the slope jumps from 0 to 1), and frameworks such as PyTorch and TensorFlow pick 0 there. Switch the convention above to 0.5 or 1 and watch the marked value at 0 move; in training it only matters for inputs that are exactly 0. Positive inputs pass with slope 1, so gradients do not shrink through active units, but a unit whose input is negative for every example outputs 0 and gets no gradient (a dead unit): in the first hidden layer, whose inputs are the fixed data, it never recovers under plain gradient descent, while in a later layer it can come back as the layers below it change (lesson 8). A ReLU network computes a continuous piecewise-linear function. With one hidden layer on a 1-D input, each unit adds at most one kink; on a 2-D input a first-layer unit adds a fold line across the plane, and later layers fold the pieces made by earlier ones again.',
  },
  leaky_relu: {
    label: 'Leaky ReLU',
    f: 'f(x) = \\begin{cases} x & x > 0 \\\\ \\alpha x & x \\le 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha & x < 0 \\end{cases}",
    text: 'ReLU with a small slope α for negative inputs (0.01 by default here, as in PyTorch; Keras uses 0.3 and tf.nn.leaky_relu 0.2), so a unit always passes some gradient and cannot die for good. The slope still jumps at 0, from α to 1 (unless α = 1, when it is the identity); the core uses α there (the convention above moves it to 1 or to the mean of the two sides).',
  },
  prelu: {
    label: 'PReLU',
    f: 'f(x) = \\begin{cases} x & x > 0 \\\\ \\alpha x & x \\le 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha & x < 0 \\end{cases}",
    text: "Parametric ReLU: a leaky ReLU whose negative slope α is learned by the network, one per unit in the playground, starting from 0.25 (PyTorch's default). The plot shows one fixed α; in training every unit moves its own. At 0 it follows the same convention as leaky ReLU.",
  },
  relu6: {
    label: 'ReLU6',
    f: 'f(x) = \\min\\bigl(\\max(0, x),\\, 6\\bigr)',
    df: "f'(x) = \\begin{cases} 1 & 0 < x < 6 \\\\ 0 & x < 0 \\text{ or } x > 6 \\end{cases}",
    text: "ReLU capped at 6, used in MobileNet so activations stay within a range that low-precision arithmetic can hold. It has two kinks: at 0, where the ReLU convention above applies, and at 6, where the slope drops from 1 to 0 (the core uses 0 at 6, as PyTorch does). Above 6 a unit saturates and stops learning, like a sigmoid's tail.",
  },
  elu: {
    label: 'ELU',
    f: 'f(x) = \\begin{cases} x & x > 0 \\\\ \\alpha\\,(e^{x} - 1) & x \\le 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha e^{x} & x < 0 \\end{cases}",
    text: 'The exponential linear unit is ReLU for positive inputs, but negative inputs curve smoothly down towards −α instead of being cut to 0, which keeps a gradient for them and pulls mean activations towards 0. With α = 1 the slope is 1 on both sides of 0 and there is no kink; with any other α it jumps from α to 1 at 0, where the core uses 1 (the right-hand side).',
  },
  selu: {
    label: 'SELU',
    f: 'f(x) = \\lambda \\begin{cases} x & x > 0 \\\\ \\alpha\\,(e^{x} - 1) & x \\le 0 \\end{cases}',
    df: "f'(x) = \\lambda \\begin{cases} 1 & x > 0 \\\\ \\alpha e^{x} & x < 0 \\end{cases} \\quad \\lambda \\approx 1.0507,\\ \\alpha \\approx 1.6733",
    text: 'The scaled ELU (Klambauer et al., 2017): its two constants make mean 0 and variance 1 an attracting fixed point. In a deep fully connected network with LeCun-normal weights, activations whose mean and variance are off are drawn back towards (0, 1) layer after layer rather than kept there exactly (variance 2 becomes about 1.71, then 1.52, and is still 1.04 after a dozen layers): self-normalising. Its slope jumps at 0 from λα ≈ 1.758 to λ ≈ 1.051; the core uses λ there.',
  },
  gelu_erf: {
    label: 'GELU',
    f: 'f(x) = x\\,\\Phi(x) = \\frac{x}{2}\\Bigl(1 + \\operatorname{erf}\\frac{x}{\\sqrt{2}}\\Bigr)',
    df: "f'(x) = \\Phi(x) + x\\,\\varphi(x), \\quad \\varphi(x) = \\frac{e^{-x^2/2}}{\\sqrt{2\\pi}}",
    text: 'The Gaussian error linear unit (Hendrycks and Gimpel, 2016), the activation of BERT, GPT-2 and GPT-3 (the original Transformer used ReLU; PaLM, LLaMA and Mistral use SwiGLU, built on SiLU): it weights x by Φ(x), the probability that a standard normal variable is below x. Smooth everywhere, close to ReLU away from 0, and slightly negative for negative inputs, with a minimum of about −0.170 near x = −0.75.',
  },
  gelu_tanh: {
    label: 'GELU (tanh approx.)',
    f: 'f(x) = \\frac{x}{2}\\Bigl(1 + \\tanh u\\Bigr), \\quad u = \\sqrt{2/\\pi}\\,\\bigl(x + 0.044715\\,x^{3}\\bigr)',
    df: "f'(x) = \\frac{1 + \\tanh u}{2} + \\frac{x}{2}\\bigl(1 - \\tanh^{2} u\\bigr)\\sqrt{2/\\pi}\\,\\bigl(1 + 0.134145\\,x^{2}\\bigr)",
    text: 'The tanh approximation of GELU used by GPT-2 and the original BERT code, from before fast erf was everywhere. It differs from the exact GELU by less than 0.0005 anywhere (the largest gap is near x = ±2.7), so the two curves overlap at this scale.',
  },
  silu: {
    label: 'SiLU / Swish',
    f: 'f(x) = x\\,\\sigma(\\beta x) = \\frac{x}{1 + e^{-\\beta x}}',
    df: "f'(x) = \\sigma(\\beta x) + \\beta x\\,\\sigma(\\beta x)\\bigl(1 - \\sigma(\\beta x)\\bigr)",
    text: 'The sigmoid-weighted linear unit; with a parameter β it is Swish (β = 1 is SiLU). It is smooth and not monotonic: for β = 1 it dips to about −0.278 at x ≈ −1.28 before rising again (the dip is −0.278/β in general). As β grows it approaches ReLU; as β shrinks towards 0 it approaches the straight line x/2.',
  },
  mish: {
    label: 'Mish',
    f: 'f(x) = x \\tanh\\bigl(\\operatorname{softplus}(x)\\bigr) = x \\tanh\\bigl(\\ln(1 + e^{x})\\bigr)',
    df: "f'(x) = \\tanh s + x\\,\\sigma(x)\\bigl(1 - \\tanh^{2} s\\bigr), \\quad s = \\ln(1 + e^{x})",
    text: 'Mish (Misra, 2019) is smooth and non-monotonic like SiLU, with a slightly deeper dip: its minimum is about −0.309 near x = −1.19. Large positive inputs pass almost unchanged, large negative ones go to 0.',
  },
  softplus: {
    label: 'Softplus',
    f: 'f(x) = \\frac{1}{\\beta}\\ln\\bigl(1 + e^{\\beta x}\\bigr)',
    df: "f'(x) = \\sigma(\\beta x) = \\frac{1}{1 + e^{-\\beta x}}",
    text: 'A smooth ReLU: always positive, with the sigmoid as its derivative, so its slope goes from 0 to 1 without a kink. At 0 it sits ln 2 / β above ReLU; as β grows the gap closes and it approaches ReLU. Unlike ReLU its output is never exactly 0, so it has no dead units, but it is slower to compute.',
  },
  softsign: {
    label: 'Softsign',
    f: 'f(x) = \\frac{x}{1 + |x|}',
    df: "f'(x) = \\frac{1}{(1 + |x|)^{2}}",
    text: "Like tanh it maps onto (−1, 1), but it approaches its limits polynomially rather than exponentially, so it saturates more gently: at x = 10 its slope is 1/121 ≈ 0.008, against tanh's 8 × 10⁻⁹.",
  },
  hard_sigmoid: {
    label: 'Hard sigmoid',
    f: 'f(x) = \\min\\Bigl(\\max\\bigl(0, \\tfrac{x}{6} + \\tfrac{1}{2}\\bigr), 1\\Bigr)',
    df: "f'(x) = \\begin{cases} 1/6 & -3 < x < 3 \\\\ 0 & |x| > 3 \\end{cases}",
    text: "A piecewise-linear stand-in for the sigmoid (PyTorch's definition, ReLU6(x + 3) / 6), cheap on hardware without a fast exponential. Its slope is 1/6 between −3 and 3 (the sigmoid's is 1/4 at 0) and 0 outside; at the kinks ±3 the core uses 0.",
  },
  hard_tanh: {
    label: 'Hard tanh',
    f: 'f(x) = \\min\\bigl(\\max(-1, x),\\, 1\\bigr)',
    df: "f'(x) = \\begin{cases} 1 & -1 < x < 1 \\\\ 0 & |x| > 1 \\end{cases}",
    text: 'The identity clipped to [−1, 1]: a piecewise-linear tanh. Between the kinks at ±1 gradients pass unchanged; outside, the unit is saturated and passes none (the core uses 0 at the kinks themselves).',
  },
};

// The two Python forms of ReLU that the article describes in words (an if-then-else and max(); it shows no
// code), written out by us, and what they really return.
export const RELU_PYTHON = [
  {
    title: 'Python, if/else',
    code: 'def relu(x):\n    if x > 0:\n        return x\n    else:\n        return 0.0',
  },
  {
    title: 'Python, max()',
    code: 'def relu(x):\n    return max(0.0, x)',
  },
];
export const RELU_PYTHON_NOTE =
  'The article describes these two forms in words but shows no code; we wrote them from its description. Both return the same values: x itself for x > 0 and 0.0 otherwise. In particular max(0.0, x) returns x for a positive input, not 1.0 as the article says: 1.0 is the derivative there, not the value.';

export function labelOf(name) {
  if (name === 'formula') return 'Your own';
  return ACTIVATION_TEXT[name]?.label ?? name;
}
