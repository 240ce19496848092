// The lessons: one per claim of the article (“relu activation fuction”, sic, in ../shared/seed/, named in
// article.js), each with a short text, the article's words where they are wrong or loose, experiments that
// load into the playground, what to watch there, and a question. Text markup (rendered by rich.js): $inline TeX$,
// $$display TeX$$, `code`, **bold**, [text](#/route). Numbers quoted in the text were measured with these
// exact presets (seed included) and are checked by tests/browser/lessons.test.mjs, or, where the browser
// adds nothing, by tests/wasm/lessons.test.mjs; wherever a run could vary, the text says "about".
//
// A preset's settings use state.js's property names; presets.js turns them into a playground state. A
// lesson's race names the activations that race mode runs side by side on its settings.
// A watch target is a CSS selector inside the playground, or { sel, text } for the element among those
// matches whose text contains `text` (a labelled control).

const CIRCLE_8x8 = { seed: 1, dataset: 'circle', layers: [8, 8] };
const DEEP_10x8 = { seed: 1, dataset: 'circle', layers: [8, 8, 8, 8, 8, 8, 8, 8, 8, 8], init: 'he_normal' };
const SINE_DEEP = { seed: 1, dataset: 'sine', layers: [8, 8, 8, 8], logScale: true };
const SINE_FIT = { seed: 5, dataset: 'sine', optimizer: 'adam', learningRate: 0.03, batchSize: 20 };
const CIRCLE_REGIONS = { seed: 1, dataset: 'circle', learningRate: 0.1, outputMode: 'regions' };
const RACE_BASE = { seed: 1, dataset: 'circle', layers: [8, 8], learningRate: 0.1 };

export const LESSONS = [
  {
    title: 'What ReLU is',
    body: [
      'ReLU, the rectified linear unit, passes a positive input through unchanged and turns a negative one into 0: $$\\operatorname{ReLU}(x) = \\max(0, x) = \\begin{cases} x & x > 0 \\\\ 0 & x \\le 0 \\end{cases}$$',
      'Over −10..10 its graph is two straight pieces that meet at the origin: flat at 0 for every negative input, then the line $y = x$. The graph and the table come from the same C++ code that trains the networks in the playground. The article describes two ways to write it in Python, an if-then-else and the built-in `max()`, but shows no code; the two forms below are ours, written from that description, and both compute exactly this function:',
      { code: 'def relu(x):\n    if x > 0:\n        return x\n    else:\n        return 0.0', title: 'Python, if/else' },
      { code: 'def relu(x):\n    return max(0.0, x)', title: 'Python, max()' },
      'In a network each unit computes $z = w \\cdot x + b$ from its inputs and outputs $\\max(0, z)$: a hinge whose place and direction the weights choose. Two hinges already make a V: $|x| = \\max(0, x) + \\max(0, -x)$. The experiment fits the target $|x|/3 - 1$ with a network of exactly two ReLU units.',
    ],
    figure: 'relu',
    article:
      'The article says that “the max() built-in function always returns 1.0 if the given value is greater than or equal to zero”. It returns the value itself: `max(0.0, 5)` is 5, not 1.0, and `max(0.0, 0)` is 0.0. The 1 belongs to ReLU’s slope for positive inputs (lesson 2), not to its value. The article also says the slope of the line “is also rising” as the inputs rise: it is 0 on the left and 1 on the right, and stays 1 however large $x$ gets.',
    presets: [
      {
        id: 'abs-2',
        label: 'Two ReLU units fit |x|',
        settings: { seed: 2, dataset: 'abs', layers: [2], optimizer: 'adam', learningRate: 0.03 },
      },
    ],
    watch: {
      text: 'Press ▶ Train. In the Network panel each unit’s small plot is one hinge, max(0, w·x + b); the Output panel shows their weighted sum, a V with its corner marked ▲. The test loss falls below 0.001 within a few hundred steps.',
      targets: ['.pg-network', '.pg-output'],
    },
    question:
      'Which weights make two ReLU units add up to exactly $|x|$, in a network whose output is a weighted sum of its units plus a bias?',
    answer:
      'Unit 1 with $w = 1, b = 0$ gives $\\max(0, x)$; unit 2 with $w = -1, b = 0$ gives $\\max(0, -x)$; output weights 1 and 1 and output bias 0 add them to $|x|$. For the target $|x|/3 - 1$ the output weights become $1/3$ each and the output bias $-1$ (training may split the scale differently between the layers). Hover or focus a unit in the playground to read what training found.',
  },
  {
    title: 'Its derivative and the kink at 0',
    body: [
      "For $x \\ne 0$ the slope of ReLU is easy: $$\\operatorname{ReLU}'(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & x < 0 \\end{cases}$$ At $x = 0$ the slope jumps from 0 to 1, so there is no derivative there. Backpropagation needs some number at that point and every library picks one by convention; PyTorch and TensorFlow use 0 (any value in $[0, 1]$ is a valid subgradient). Switch the convention below and see the dot at 0 move.",
      "Does the choice change training? Only for a pre-activation $z$ that is exactly 0. The table trains each network three times from the same initial weights, with $\\operatorname{ReLU}'(0)$ set to 0, 0.5 and 1, and shows the training loss the core computes. For the default 4-2 network the three runs agree to the last bit for all 300 steps: no pre-activation that carried any gradient was ever exactly 0.",
      'Exact zeros do happen in one situation: biases start at exactly 0, so when every unit of a layer is off for some point, the next layer’s pre-activation there is exactly $0 + 0 = 0$. The narrow 2-2-2 network meets this in its first steps, and its runs part, by well under 1%.',
    ],
    figure: 'derivative',
    article:
      'The article is right that ReLU “stops being differentiable” at $x = 0$, and it suggests trying a derivative of 1 there to “accelerate learning”. The experiment shows why that changes so little: the convention only acts on pre-activations that are exactly 0, which real-valued data almost never produces.',
    presets: [
      {
        id: 'g0-0',
        label: 'Circle, 4-2 network, f′(0) = 0',
        settings: { seed: 1, dataset: 'circle', layers: [4, 2], reluGradAtZero: '0' },
      },
      {
        id: 'g0-1',
        label: 'Circle, 4-2 network, f′(0) = 1',
        settings: { seed: 1, dataset: 'circle', layers: [4, 2], reluGradAtZero: '1' },
      },
      {
        id: 'narrow-0',
        label: 'Circle, 2-2-2 network, f′(0) = 0',
        settings: { seed: 1, dataset: 'circle', layers: [2, 2, 2], reluGradAtZero: '0' },
      },
      {
        id: 'narrow-1',
        label: 'Circle, 2-2-2 network, f′(0) = 1',
        settings: { seed: 1, dataset: 'circle', layers: [2, 2, 2], reluGradAtZero: '1' },
      },
    ],
    watch: {
      text: 'The “ReLU slope at 0” setting is outlined: it switches the convention live. Train one preset to some step with the Step button, note the train loss, then load the other convention and step to the same count: for the 4-2 network every digit agrees.',
      targets: [{ sel: '.pg-field', text: 'ReLU slope at 0' }, '.pg-toolbar'],
    },
    question: 'Why does the 2-2-2 network need exact zeros from its biases, while the 4-2 network never meets one?',
    answer:
      'A pre-activation $z = w \\cdot a + b$ is exactly 0 only if a sum of real-valued products cancels exactly, which practically never happens, or if every input $a$ and the bias $b$ are 0. At the start every bias is 0, so that happens wherever all the units of the layer below are off. With two units per layer some training points switch both off; with four units in the first layer none of the points in the first steps did, and once training has moved the biases off 0 the chance is gone.',
  },
  {
    title: 'Why non-linearity',
    body: [
      'Without a non-linear activation, stacking layers gains nothing: each layer computes $W x + b$, and $$W_3\\bigl(W_2(W_1 x + b_1) + b_2\\bigr) + b_3 = (W_3 W_2 W_1)\\,x + (W_3 W_2 b_1 + W_3 b_2 + b_3),$$ one matrix and one vector: a single affine layer (linear, plus a bias). With the sigmoid output, the whole network is logistic regression on its input features, and its decision boundary is a hyperplane in those features: over the inputs $x_1, x_2$ alone, a straight line.',
      'No straight line separates the inside of a circle from the outside. The first experiment trains three hidden layers of six units with the identity as activation: its test accuracy stays around 50%, the level of guessing. The second is the same network with ReLU, which passes 90% within a few hundred steps.',
    ],
    article:
      'The article is right that without an activation function a model learns “about the same as a linear regression” (exactly a linear model). But it later advises “If you want the smoothest, most organic experience, go with linear activation functions”: as hidden activations, linear functions add nothing at all. And “if you increase the number of iterations, the loss will eventually disappear” is not so: the linear network’s loss stops at a floor however long it trains.',
    presets: [
      {
        id: 'linear',
        label: 'Linear activations, 3 layers',
        settings: { seed: 5, dataset: 'circle', layers: [6, 6, 6], activations: ['identity'] },
      },
      { id: 'relu', label: 'ReLU, same network', settings: { seed: 5, dataset: 'circle', layers: [6, 6, 6], activations: ['relu'] } },
    ],
    race: {
      label: 'Race linear against ReLU side by side',
      activations: ['identity', 'relu'],
      settings: { seed: 5, dataset: 'circle', layers: [6, 6, 6] },
      show: 'acc',
      length: 1000,
    },
    watch: {
      text: 'Train each. The Output map of the linear network stays split by one straight edge, and its accuracy curve hovers near 50%; the ReLU network bends its boundary around the circle.',
      targets: ['.pg-output', '.pg-charts'],
    },
    question: 'Keep the linear network but tick the features x₁² and x₂² in the Features panel. Can it separate the circle now? Why?',
    answer:
      'Yes. The circle’s edge $x_1^2 + x_2^2 = r^2$ is a straight line in the coordinates $(x_1^2, x_2^2)$, so a linear model of those features separates it (it reaches 100% test accuracy). The non-linearity now sits in the hand-made features instead of the activations; a ReLU network learns such features by itself.',
  },
  {
    title: 'ReLU is piecewise linear',
    body: [
      'A ReLU network computes a continuous function made of straight pieces. With one input and one hidden layer, unit $i$ outputs $\\max(0, w_i x + b_i)$, which bends at $x = -b_i / w_i$; the output adds these hinges, so $n$ units give at most $n$ kinks (fewer in view when a kink lies outside −6..6 or two units bend at the same place).',
      'The experiments fit $\\sin x$ on −6..6 with 1, 2, 4 and 8 ReLU units. One unit is a single hinge and cannot follow the wave; eight units give enough corners to trace it closely.',
      'In deeper networks the kinks of later layers fold the pieces made by earlier ones, so the number of pieces can grow much faster than the number of units.',
      'With two inputs each unit’s kink is a line across the plane, $w_1 x_1 + w_2 x_2 + b = 0$, and the pieces are **linear regions**: patches where every unit stays on one side of its line, so the network is one linear function there. The last two experiments turn on the Output panel’s *Linear regions*, which colours each region, draws the boundaries and counts the regions in view. One layer of $n$ units makes at most $1 + n + n(n-1)/2$ regions (the most $n$ lines cut a plane into): 22 for six units. A second layer cuts each of those again along its own bent lines; the *Regions of* menu shows the first layer’s alone.',
    ],
    article:
      'The article says ReLU “is a linear function when the value is positive, but a non-linear activation function when the value is negative”. Both halves are linear (0 is a linear function too); what makes ReLU non-linear is the kink where they meet: $\\operatorname{ReLU}(1) + \\operatorname{ReLU}(-1) = 1$, but $\\operatorname{ReLU}(1 + (-1)) = 0$.',
    presets: [
      ...[1, 2, 4, 8].map((n) => ({
        id: `units-${n}`,
        label: `Sine, ${n} ReLU unit${n === 1 ? '' : 's'}`,
        settings: { ...SINE_FIT, layers: [n] },
      })),
      { id: 'regions-6', label: 'Circle, 6 ReLU units: linear regions', settings: { ...CIRCLE_REGIONS, layers: [6] } },
      { id: 'regions-6-6', label: 'Circle, 6-6 ReLU: linear regions', settings: { ...CIRCLE_REGIONS, layers: [6, 6] } },
    ],
    watch: {
      text: 'Train each sine preset for a couple of thousand steps. The Output panel marks every kink ▲ and counts them under the plot: never more than the units. The test loss in the toolbar falls from about 0.39 with one unit to below 0.05 with eight. With the circle presets, watch the regions under the map while training moves the lines: one layer of six never shows more than 22; the second layer cuts many more, and *Regions of: layer 1 only* takes its cuts away again.',
      targets: ['.pg-output', '.pg-toolbar'],
    },
    question: 'Why can one ReLU unit never fit the sine, however long it trains?',
    answer:
      'Its output is $a \\max(0, w x + b) + c$: one kink, so at most two straight pieces, while $\\sin x$ on −6..6 has four turning points. Training only moves the kink and the slopes; the loss settles on a floor (about 0.39 here), and more steps do not lower it.',
  },
  {
    title: 'ReLU against sigmoid and tanh',
    body: [
      'The same data, the same network (two layers of eight units), the same seed and so the same initial weights; only the activation differs. Here ReLU passes 90% test accuracy in about 100 steps and tanh in about 150; sigmoid needs about 2,000.',
      "Sigmoid’s slope is $\\sigma'(x) = \\sigma(x)\\bigl(1 - \\sigma(x)\\bigr) \\le \\tfrac14$, so on the way back each sigmoid activation multiplies the error signal by at most $\\tfrac14$ (the layer’s weights multiply it too, and can make up part of the shrinkage: lesson 6 measures it), and its outputs are all positive, centred on $\\tfrac12$ rather than 0. Tanh is a rescaled sigmoid, $\\tanh x = 2\\sigma(2x) - 1$. It is odd, $\\tanh(-x) = -\\tanh x$, so inputs spread evenly about 0 give outputs centred on 0, and its slope at 0 is 1, four times the sigmoid’s; in a small network like this one it trains almost as fast as ReLU. ReLU has slope exactly 1 wherever it is active and costs one comparison.",
    ],
    figure: 'slopes',
    article:
      'The article calls ReLU “a significant improvement over earlier designs like the sigmoid and the tanh”. Over sigmoid as a hidden activation, clearly, and more so with depth (lesson 6). Over tanh the difference is small, and depth does not widen it here: on lesson 6’s ten layers of eight with the default Glorot initialisation, tanh passes 90% test accuracy at about step 240 and ReLU only at about 880 (with He initialisation ReLU takes about 160 and tanh about 370). It also says ReLU “thrives at the output layer for regression and binary classification”: a ReLU output cannot be negative, and a classifier needs a probability, so outputs use a linear unit (regression) or a sigmoid or softmax (classes), as the playground’s output heads do.',
    presets: ['relu', 'tanh', 'sigmoid'].map((a) => ({
      id: a,
      label: `${a === 'relu' ? 'ReLU' : a === 'tanh' ? 'Tanh' : 'Sigmoid'}, circle, 8-8`,
      settings: { ...RACE_BASE, activations: [a] },
    })),
    race: {
      label: 'Race ReLU, tanh and sigmoid side by side',
      activations: ['relu', 'tanh', 'sigmoid'],
      settings: RACE_BASE,
      show: 'acc',
      length: 3000,
    },
    watch: {
      text: 'Train each preset in turn and watch the Accuracy chart: ReLU and tanh climb within the first couple of hundred steps; sigmoid lingers near chance for hundreds of steps before it catches up.',
      targets: ['.pg-charts'],
    },
    question: 'Why is the sigmoid’s slope at most 1/4, and where is it largest?',
    answer:
      "Since $\\sigma'(x) = \\sigma(x)\\bigl(1 - \\sigma(x)\\bigr)$ and $p(1 - p)$ is largest at $p = \\tfrac12$, the slope peaks where $\\sigma(x) = \\tfrac12$, at $x = 0$, with value $\\tfrac12 \\cdot \\tfrac12 = \\tfrac14$. Everywhere else it is smaller, and far from 0 almost nothing.",
  },
  {
    title: 'Vanishing gradients',
    body: [
      "Backpropagation multiplies the error signal, layer by layer from the output down, by each layer’s weights and by the slope $f'(z)$ of its activation. Through ten sigmoid layers that is ten activation factors of at most $\\tfrac14$, $(\\tfrac14)^{10} \\approx 10^{-6}$ from the activations alone; the weights multiply in too and can make up part of the shrinkage or add to it. In the sigmoid network below, after one step, each layer’s weight gradient is between about 2.3 and 5.3 times smaller than the next layer up’s (about 16 times between layers 2 and 1, whose inputs are the raw coordinates rather than outputs between 0 and 1): often less than fourfold.",
      'The experiments are two networks of ten layers of eight units, with the same He initialisation, data and seed. With sigmoid, the first layer’s gradient norm is about $10^5$ to $10^6$ times smaller than with ReLU, from the very first step; its first layers hardly move and the network stays at chance for hundreds of steps. The ReLU network learns the circle in a few hundred steps.',
    ],
    article:
      'The article says using ReLU “avoids” the vanishing gradient problem. It reduces it: active ReLU units pass gradients with slope 1, but inactive ones pass none, and a deep ReLU network still depends on its initialisation. Both runs here use He initialisation, designed for ReLU; with the playground’s default Glorot initialisation the same ten-layer ReLU network loses units and barely learns in the same time.',
    presets: [
      { id: 'sigmoid', label: '10 sigmoid layers', settings: { ...DEEP_10x8, activations: ['sigmoid'] } },
      { id: 'relu', label: '10 ReLU layers', settings: { ...DEEP_10x8, activations: ['relu'] } },
    ],
    watch: {
      text: 'The Diagnostics panel is outlined: the gradient norm per layer (log scale) and the ‖grad‖ column of the table. Under sigmoid the lines fan out over several powers of ten, Layer 1 lowest; under ReLU they stay within about one power of ten of each other.',
      targets: ['.pg-diag__chart', '.pg-diag__tablewrap'],
    },
    question: 'Sigmoid’s slope is at most 1/4. What does that alone say about ten sigmoid layers, and what else enters the measured ratio?',
    answer:
      'Through the activations alone, the signal shrinks by a factor of at least $4^{10} \\approx 10^6$, and by more wherever a unit is far from $z = 0$. The weights multiply in as well, in both networks, and the ReLU network’s own gradient is not constant through its layers either; the measured ratio, around $10^5$ to $10^6$, is of the order that the bound suggests.',
  },
  {
    title: 'Sparsity',
    body: [
      'ReLU outputs exactly 0 for every negative pre-activation, so for any given input a good share of a ReLU layer is silent: its representation is sparse. Exact zeros can be skipped: code that stores only the non-zero activations (sparse kernels) does no work for them, though ordinary dense matrix code, like this playground’s, multiplies by them all the same. And each unit becomes a feature that is on for some inputs and off for others.',
      'Tanh is exactly 0 only at $z = 0$, which real-valued data practically never hits, so its outputs are dense. The experiments train the same three-layer network with each; the diagnostics count, over the whole training set, the fraction of each layer’s outputs that are exactly 0.',
    ],
    article:
      'The article says ReLU “can store and return the number zero with complete certainty (representational sparsity)”. That is right; the Zeros column shows how much: roughly half of each layer’s outputs here.',
    presets: [
      { id: 'relu', label: 'ReLU, 8-8-8', settings: { seed: 1, dataset: 'circle', layers: [8, 8, 8], activations: ['relu'] } },
      { id: 'tanh', label: 'Tanh, 8-8-8', settings: { seed: 1, dataset: 'circle', layers: [8, 8, 8], activations: ['tanh'] } },
    ],
    watch: {
      text: 'The Zeros column of the diagnostics table: roughly 40–50% per layer under ReLU, 0% under tanh. The histograms below it show why: under ReLU, every bar left of the red line at z = 0 becomes an exact 0.',
      targets: ['.pg-diag__tablewrap', '.pg-diag__hists'],
    },
    question: 'Leaky ReLU looks almost like ReLU. What will its Zeros column show, and what does it gain in exchange?',
    answer:
      '0%: for $z < 0$ it outputs $\\alpha z$ (α = 0.01), which is not 0, so it is exactly 0 only at $z = 0$. It gives up ReLU’s sparsity, and gains units that always pass some gradient and so cannot die (lesson 8).',
  },
  {
    title: 'Dying ReLU',
    body: [
      'A ReLU unit whose pre-activation is negative for every training point outputs 0 everywhere, and the loss gives every one of its weights a gradient of 0. It is dead, and the playground crosses it out and counts it. Whether it stays dead depends on where it sits. In the first hidden layer its inputs are the data, which never change, so under plain gradient descent nothing moves it back: it is dead for good. In layer 2 or later its inputs are the outputs of the layers below, which keep learning; as they change, its pre-activation can rise above 0 for some points again, and the unit comes back.',
      'Two ways to kill units: a step so large that it throws a unit’s weights and bias where $z < 0$ for all the data (learning rate 3 here: about 13 of the 16 units die within 100 steps, and the whole second layer with them, though on the way the second layer’s units die and revive again and again: the table below counts 11 revivals there in the first 300 steps, and none in the first layer), or a start with a strongly negative bias (−2 here: the second layer is dead from step 0, so the output is constant and accuracy stays at chance).',
      'Remedies: a lower rate (0.3: no unit dies); activations that keep a gradient for negative inputs, such as leaky ReLU, PReLU (which learns its negative slope) and ELU; or He initialisation, whose wider weights let some points overcome the bias.',
      'Comparing with PyTorch or Keras? Leaky ReLU’s default α differs between them (0.01 here and in PyTorch, 0.3 in Keras), and ELU’s slope at exactly 0 is taken from one side or the other: see the explorer’s [Conventions](#/explorer?fn=relu,leaky_relu,elu&see=conventions).',
    ],
    figure: 'dying',
    article:
      'The article says units die when the system “learns too quickly or has a bias”. Learning too quickly, yes. A bias in itself is harmless (every unit has one); it is a large negative bias, relative to what the weights can add, that kills.',
    presets: [
      { id: 'rate-3', label: 'Kill: learning rate 3', settings: { ...CIRCLE_8x8, learningRate: 3 } },
      { id: 'rate-0.3', label: 'Remedy: learning rate 0.3', settings: { ...CIRCLE_8x8, learningRate: 0.3 } },
      { id: 'bias-2', label: 'Kill: initial bias −2', settings: { ...CIRCLE_8x8, initBias: -2 } },
      {
        id: 'leaky',
        label: 'Remedy: leaky ReLU (α = 0.2), bias −2',
        settings: { ...CIRCLE_8x8, initBias: -2, activations: ['leaky_relu'], alphas: [0.2] },
      },
      { id: 'prelu', label: 'Remedy: PReLU, bias −2', settings: { ...CIRCLE_8x8, initBias: -2, activations: ['prelu'] } },
      { id: 'elu', label: 'Remedy: ELU, bias −2', settings: { ...CIRCLE_8x8, initBias: -2, activations: ['elu'] } },
      { id: 'he', label: 'Remedy: He initialisation, bias −2', settings: { ...CIRCLE_8x8, initBias: -2, init: 'he_uniform' } },
    ],
    watch: {
      text: 'The Network panel crosses out dead units, and the Dead column of the diagnostics table counts them. With the killing presets they appear (at once for the bias, within 100 steps for the rate); load the rate-3 preset and press Step a few times to see layer 2’s count rise and fall again. With the lower rate the count stays at 0, with He initialisation at 0 or 1; leaky ReLU, PReLU and ELU never output a constant 0, so their Dead column shows a dash (not measured). Every remedy passes 90% test accuracy within 1,000 steps.',
      targets: ['.pg-network', '.pg-diag__tablewrap'],
    },
    question:
      'With leaky ReLU at α = 0.01 (PyTorch’s default; Keras uses 0.3) and bias −2, no unit outputs a constant 0, yet the network does not learn for thousands of steps. Why does α = 0.2 recover much sooner?',
    answer:
      'On its negative side a leaky unit passes the gradient times α, and its output is only α times its $z$. Where units of both layers sit on their negative side, these factors multiply: a first-layer weight’s gradient passes two such slopes, $\\alpha^2$, and a second-layer weight gets α from its unit’s slope and α from its input. So raising α from 0.01 to 0.2 makes the gradients not a flat 20 times larger but up to $20^2 = 400$ times: at the start of this run, 35 times for layer 1, 193 for layer 2 and 21 for the output layer. At 0.01 the units take thousands of steps to bring $z$ above 0 for enough points; at 0.2 the network passes 90% within 1,000 steps. PReLU learns α itself, starting from 0.25.',
  },
  {
    title: 'Exploding gradients',
    body: [
      'The gradient of the first layer’s weights is a product of every later layer’s weights and slopes. With large weights it grows with every layer; a step then overshoots, the next gradient is larger still, and within a few steps the numbers overflow to infinity. The core stops there, keeps the last finite network, and the playground shows a banner.',
      'Two causes, both in a four-layer ReLU network fitting a sine: a learning rate of 1.5 (the banner within a few steps), and weights initialised uniformly in ±3 (first losses around $10^5$, the banner within four steps). Gradient clipping rescales a gradient whose norm exceeds $c$: $$g \\leftarrow g \\cdot \\min\\Bigl(1, \\frac{c}{\\lVert g \\rVert}\\Bigr),$$ so with plain SGD no step is longer than the rate times $c$ (momentum adds earlier steps into each one and Adam rescales every weight on its own, so with them a step can be longer). With $c = 0.1$ the rate-1.5 run trains (its loss is about 0.03 by step 1,000), and so does a lower rate (0.03) without clipping.',
      'With the ±3 start clipping does less. It stops the overflow, but the full-set gradient norm stays between about 30 and 900, hundreds of times $c$, so practically every step is cut to the same length, $0.03 \\times 0.1 = 0.003$, and the weights never settle: the loss falls from about $10^5$ to below 1 by step 400, near the 0.54 that predicting 0 everywhere gives on this sine, and then wanders between about 0.16 and 1.4 for at least 30,000 steps. A lower rate does not save this start either (its gradients overflow even at rate 0.003); a smaller start does: weights in ±1 reach a loss of about 0.026 by step 2,000. Clipping caps the length of a step; it does not repair weights that start far too large.',
    ],
    article:
      'The article lists exploding gradients as a fallout of ReLU. They are not peculiar to it: any deep network explodes with weights or steps that are too large. ReLU just does nothing to cap the growth on its positive side.',
    presets: [
      { id: 'rate-1.5', label: 'Explode: learning rate 1.5', settings: { ...SINE_DEEP, learningRate: 1.5 } },
      { id: 'rate-1.5-clip', label: 'Fix: rate 1.5, clipping at 0.1', settings: { ...SINE_DEEP, learningRate: 1.5, clipNorm: 0.1 } },
      { id: 'rate-0.03', label: 'Fix: rate 0.03', settings: { ...SINE_DEEP, learningRate: 0.03 } },
      { id: 'init-3', label: 'Explode: initial weights ±3', settings: { ...SINE_DEEP, init: 'uniform', initRange: 3 } },
      {
        id: 'init-3-clip',
        label: 'Tame: weights ±3, clipping at 0.1',
        settings: { ...SINE_DEEP, init: 'uniform', initRange: 3, clipNorm: 0.1 },
      },
      { id: 'init-1', label: 'Fix: initial weights ±1', settings: { ...SINE_DEEP, init: 'uniform', initRange: 1 } },
    ],
    watch: {
      text: 'Press ▶ Train. With an exploding preset the red banner appears within a few steps and names the step where the loss or gradient became infinite; with a fix there is no banner, and the Loss chart (log scale) falls instead. With the clipped ±3 start it falls too, but stops around 0.5 and keeps swinging there.',
      targets: ['.pg-banner', '.pg-charts', { sel: '.pg-field', text: 'Gradient clipping' }],
    },
    question: 'With clipping at $c = 0.1$ and learning rate 1.5, how far can one step of plain SGD move the weights?',
    answer:
      'At most $1.5 \\times 0.1 = 0.15$, measured as the Euclidean norm of the change of all the parameters together, however large the raw gradient was. The direction is kept; only the length is capped.',
  },
  {
    title: 'Beyond ReLU',
    body: [
      '**Leaky ReLU** $\\max(\\alpha x, x)$ with a small α (0.01 is PyTorch’s default, 0.3 Keras’s and 0.2 that of `tf.nn.leaky_relu`, common in GAN discriminators) keeps a gradient for negative inputs, so units cannot die; **PReLU** learns α. **ELU**, $x$ for $x > 0$ and $\\alpha(e^x - 1)$ below, curves smoothly down to $-\\alpha$, which pulls mean activations towards 0.',
      '**GELU**, $x\\,\\Phi(x)$ with Φ the standard normal distribution function, is the activation of BERT, GPT-2 and GPT-3 (the original Transformer used ReLU). **SiLU**, $x\\,\\sigma(x)$, proposed alongside GELU and found again by an automated search (as Swish), is used in EfficientNet and, as SwiGLU, in the feed-forward layers of language models such as PaLM, LLaMA and Mistral. Both are smooth, dip slightly below 0 for negative inputs, and cost an exponential or an error function per unit.',
      'ReLU remains the default for convolutional networks and MLPs: one comparison, exact zeros, and it trains well with He initialisation. On this small task all five learn the circle within a few hundred steps; only ReLU has exact zeros.',
      'Defaults and edge cases differ between frameworks (leaky ReLU’s α, ELU′(0) and SELU′(0), the L2 penalty’s factor of ½): the explorer’s [Conventions](#/explorer?fn=leaky_relu,elu,selu&see=conventions) lists ours, PyTorch’s and Keras’s, and how to convert.',
    ],
    figure: 'family',
    article:
      'The article stops at ReLU. Since then its smooth relatives have become the usual choice in transformers, while ReLU stays the cheap default elsewhere.',
    presets: [
      ['leaky_relu', 'Leaky ReLU'],
      ['elu', 'ELU'],
      ['gelu_erf', 'GELU'],
      ['silu', 'SiLU'],
      ['relu', 'ReLU'],
    ].map(([a, label]) => ({
      id: a,
      label: `${label}, circle, 8-8`,
      settings: { ...RACE_BASE, activations: [a] },
    })),
    race: {
      label: 'Race ReLU, ELU, GELU and SiLU side by side',
      activations: ['relu', 'elu', 'gelu_erf', 'silu'],
      settings: RACE_BASE,
      show: 'acc',
      length: 500,
    },
    watch: {
      text: 'Train each: the Accuracy chart passes 90% within a few hundred steps for all five; the Zeros column of the diagnostics table reads 0% for every activation except ReLU.',
      targets: ['.pg-charts', '.pg-diag__tablewrap'],
    },
    question: 'What do GELU and SiLU offer that ReLU does not, and what do they cost?',
    answer:
      'A smooth curve that is not cut to 0 for negative inputs (it dips slightly below 0 and comes back) and whose gradient changes smoothly with $z$, so a unit is much less likely to die than with ReLU; not impossible, though. GELU′ is exactly 0 at $z \\approx -0.75$ and SiLU′ at $z \\approx -1.28$; further left the slope is negative, down to −0.13 (GELU, at $z \\approx -1.41$) or −0.10 (SiLU, at $z \\approx -2.40$), and then shrinks towards 0, fast for GELU (about $-5 \\times 10^{-4}$ at $z = -4$), more slowly for SiLU (about $-0.05$ at $-4$, $-0.01$ at $-6$), so a unit whose pre-activations all lie far below 0 gets almost no gradient. The costs: an exponential or error function per unit instead of a comparison, and no exact zeros, so no sparsity.',
  },
];
