// The article the lessons answer, named once: a blog post, unsigned ("By admin"), whose text is kept in
// ../shared/seed/. CLAIMS are its claims in our own words, in the order the post makes them, each with
// the lesson that takes it up; `quote` is a short phrase of the post's own (never more than a few words).
// The page '#/lessons/article' (index.js) lists them; every lesson's "What the article says" links here.

export const ARTICLE = {
  title: 'Explanation of the Relu Activation Function for Neural Networks',
  byline: 'An unsigned blog post (signed only “By admin”)',
  summary:
    'A short introduction to ReLU that gets the function right in outline but makes a number of claims that are wrong or loose. Each lesson takes one of them, says what is true instead, and lets you check it in the playground.',
};

export const CLAIMS = [
  { lesson: 3, quote: 'the loss will eventually disappear', text: 'Training longer always drives the loss to zero.' },
  {
    lesson: 3,
    quote: 'about the same as a linear regression',
    text: 'Without an activation function a network learns no more than a linear model.',
  },
  { lesson: 1, quote: 'always returns 1.0', text: 'Python’s max(0.0, x) returns 1.0 for any input at or above zero.' },
  { lesson: 1, quote: 'the slope of the line is also rising', text: 'As the inputs rise, the slope of ReLU’s graph keeps rising.' },
  {
    lesson: 4,
    quote: 'a non-linear activation function when the value is negative',
    text: 'ReLU is linear for positive inputs and non-linear for negative ones.',
  },
  { lesson: 2, quote: 'stops being differentiable', text: 'ReLU has no derivative at x = 0, and using 1 there might speed learning up.' },
  {
    lesson: 5,
    quote: 'a significant improvement',
    text: 'ReLU is clearly better than sigmoid and tanh, and does well as the output unit for regression and binary classification.',
  },
  {
    lesson: 6,
    quote: 'avoids the “Vanishing Gradient” issue',
    text: 'Using ReLU in hidden layers removes the vanishing-gradient problem.',
  },
  { lesson: 7, quote: 'representational sparsity', text: 'ReLU units output exactly zero for many inputs.' },
  { lesson: 3, quote: 'go with linear activation functions', text: 'Linear activations give the smoothest results.' },
  { lesson: 9, quote: 'One Fallout of ReLU', text: 'Exploding gradients are a weakness of ReLU.' },
  { lesson: 8, quote: 'learns too quickly or has a bias', text: 'Units die when training is too fast or when they have a bias.' },
  { lesson: 10, quote: null, text: 'The post says nothing of what came after ReLU (its smooth relatives GELU, SiLU and others).' },
];
