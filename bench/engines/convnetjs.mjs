// ConvNetJS 0.3.0 as a peer: float64 JavaScript, one example at a time through its own Trainer.
//
// The layers are built by hand rather than with Net.makeLayers: makeLayers puts an extra fully connected
// layer in front of a regression layer, and gives ReLU layers a bias of 0.1, so the network would no
// longer be the workload's. Its RegressionLayer's loss is (y - t)^2 / 2 with gradient (y - t), half of our
// objective's; training it at twice the learning rate makes every update equal to the other engines'.
import { createRequire } from 'node:module';

import { BatchStream, initialParams, layerSizes, targetOf } from '../workloads.mjs';

const require = createRequire(import.meta.url);
const convnetjs = require('convnetjs');

let net = null;
let trainer = null;
let stream = null;
let inputs = []; // one Vol (1, 1, 2) per training point, made once
let targets = []; // one [t] per training point: RegressionLayer.backward takes an array
let gridVol = null;

function buildNet(workload) {
  const sizes = layerSizes(workload);
  const params = initialParams(workload);
  const activations = [...workload.hidden.map((h) => h.activation), 'tanh'];
  const layers = [new convnetjs.InputLayer({ out_sx: 1, out_sy: 1, out_depth: 2 })];
  for (let l = 0; l + 1 < sizes.length; ++l) {
    const fanIn = sizes[l],
      fanOut = sizes[l + 1];
    const fc = new convnetjs.FullyConnLayer({ num_neurons: fanOut, in_sx: 1, in_sy: 1, in_depth: fanIn, bias_pref: 0 });
    // ConvNetJS keeps one filter per output unit: filters[j].w[i] is the weight from input i to unit j.
    for (let j = 0; j < fanOut; ++j) {
      for (let i = 0; i < fanIn; ++i) fc.filters[j].w[i] = params[l].w[i * fanOut + j];
      fc.biases.w[j] = params[l].b[j];
    }
    layers.push(fc);
    const Activation = activations[l] === 'relu' ? convnetjs.ReluLayer : convnetjs.TanhLayer;
    layers.push(new Activation({ in_sx: 1, in_sy: 1, in_depth: fanOut }));
  }
  layers.push(new convnetjs.RegressionLayer({ in_sx: 1, in_sy: 1, in_depth: 1 }));
  const result = new convnetjs.Net();
  result.layers = layers;
  return result;
}

export default {
  name: 'convnetjs',

  async setup(workload, data) {
    net = buildNet(workload);
    trainer = new convnetjs.SGDTrainer(net, {
      method: 'sgd',
      learning_rate: 2 * workload.learningRate,
      momentum: 0,
      batch_size: workload.batchSize,
      l1_decay: 0,
      l2_decay: 0,
    });
    inputs = data.points.map(([x1, x2]) => {
      const v = new convnetjs.Vol(1, 1, 2, 0);
      v.w[0] = x1;
      v.w[1] = x2;
      return v;
    });
    targets = data.points.map(([, , label]) => [targetOf(label)]);
    stream = new BatchStream(data.points.length, workload.batchSize);
    gridVol = new convnetjs.Vol(1, 1, 2, 0);
    return { version: '0.3.0', sharedStart: true };
  },

  // The Trainer updates after every batch_size examples (when its counter k is a multiple of it). Setting
  // both for each batch makes the update land exactly at the end of our batch, the short last batch of an
  // epoch included, and average over that batch's size, as the other engines do.
  trainSteps(steps) {
    let examples = 0;
    for (let s = 0; s < steps; ++s) {
      const idx = stream.next();
      trainer.batch_size = idx.length;
      trainer.k = 0;
      for (let i = 0; i < idx.length; ++i) trainer.train(inputs[idx[i]], targets[idx[i]]);
      examples += idx.length;
    }
    return examples;
  },

  loss() {
    let sum = 0;
    for (let i = 0; i < inputs.length; ++i) {
      const e = net.forward(inputs[i], false).w[0] - targets[i][0];
      sum += e * e;
    }
    return sum / inputs.length;
  },

  // ConvNetJS has no batched forward: one call per pixel, as a page using it would do.
  heatmap(grid) {
    const n = grid.length / 2;
    const out = new Float64Array(n);
    for (let k = 0; k < n; ++k) {
      gridVol.w[0] = grid[2 * k];
      gridVol.w[1] = grid[2 * k + 1];
      out[k] = net.forward(gridVol, false).w[0];
    }
    return out;
  },

  dispose() {
    net = trainer = stream = gridVol = null;
    inputs = [];
    targets = [];
  },
};
