// What the linear-region view says: the count in view, why a smooth network has none, and the layer menu.
// No DOM and no maths here: the count and the piecewise-linear facts come from the core.
import { activationLabel, count } from '../shell/format.js';

// The piecewise-linear activations, as the sentence for a smooth network lists them.
const PIECEWISE = 'ReLU, leaky ReLU, PReLU, ReLU6, hard tanh, hard sigmoid, identity or binary step';

/** The hidden layers' activations that are smooth (no linear pieces), each named once, in layer order. */
export function smoothActivations(layers, catalog) {
  const hidden = layers.slice(0, -1).map((l) => l.activation);
  return [...new Set(hidden.filter((a) => !catalog.info(a)?.piecewiseLinear))];
}

/** Why the view is off for a network with smooth activations: "Tanh is smooth: ...". */
export function smoothSentence(names) {
  const list = names.map((n, i) => (i === 0 ? activationLabel(n) : activationLabel(n).toLowerCase()));
  const who = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
  const one = list.length === 1;
  return (
    `${who} ${one ? 'is' : 'are'} smooth: ${one ? 'it bends' : 'they bend'} everywhere, not at a few kinks, so the network ` +
    `has no linear regions to colour or count; the map shows its prediction. Linear regions need a piecewise-linear ` +
    `activation in every hidden layer: ${PIECEWISE}.`
  );
}

/**
 * The count as the page says it. regions: the core's count in view; layers: how many hidden layers cut
 * them (k, or the network's hidden layer count for all); hidden: the network's hidden layers ({ units });
 * curvedFeatures: the network reads x1², sin x1, ... (one pattern can then cover several patches).
 */
export function regionSentence(regions, layers, hidden, curvedFeatures) {
  const n = hidden.length;
  let text = `${count(regions)} linear region${regions === 1 ? '' : 's'} in view`;
  if (n === 0) return `${text}: with no hidden layer the network is one linear function.`;
  if (layers < n) text += `, cut by the first ${layers === 1 ? 'hidden layer' : `${layers} hidden layers`} of ${n}`;
  else text += n === 1 ? '' : n === 2 ? ', cut by both hidden layers' : `, cut by all ${n} hidden layers`;
  text += '.';
  if (n === 1 && !curvedFeatures) {
    // Each unit's kink is a line across the plane, and n lines cut it into at most 1 + n + n(n-1)/2 regions.
    const u = hidden[0].units;
    text += ` ${u} unit${u === 1 ? '' : 's'}: at most ${count(1 + u + (u * (u - 1)) / 2)}.`;
  }
  if (curvedFeatures) text += ' With x₁², x₁x₂ or sine features one pattern can cover several patches: this counts patterns.';
  return text;
}

/** The "first k layers" menu for a network of n hidden layers: [value, label] with 0 for all of them. */
export function regionLayerOptions(n) {
  const options = [['0', n === 2 ? 'both layers' : n > 2 ? `all ${n} layers` : 'all layers']];
  for (let k = 1; k < n; ++k) options.push([String(k), k === 1 ? 'layer 1 only' : `layers 1–${k}`]);
  return options;
}

/** The layer limit the core takes: 0 (all) when k is 0 or not below the network's hidden layers. */
export function regionLayerLimit(k, hiddenLayers) {
  return k > 0 && k < hiddenLayers ? k : 0;
}
