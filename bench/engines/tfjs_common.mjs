// TensorFlow.js as a peer: the network as tf.variables, trained with tf.train.sgd's minimize, which is
// the library's lowest-overhead training path (tf.LayersModel.fit adds callbacks and async work per batch).
// Shared by the cpu and wasm backends; each engine file only selects its backend.
import * as tf from '@tensorflow/tfjs';

import { BatchStream, initialParams, targetOf } from '../workloads.mjs';

// Production mode, as a deployed page would run: it skips tfjs's debug-time checks (and its hint, in Node,
// to install tfjs-node instead, which is beside the point here: the peers are the cpu and wasm backends).
tf.enableProdMode();

export function makeTfjsEngine({ name, backend, prepare }) {
  let layers = []; // [{ w: tf.Variable (in, out), b: tf.Variable (out), activation }]
  let optimizer = null;
  let stream = null;
  let xsAll = null; // Float32Array (n, 2)
  let ysAll = null; // Float32Array (n): targets -1/+1
  let allX = null,
    allY = null; // tensors of the whole training set, for loss()
  let gridTensor = null; // (side * side, 2), built once: the grid does not change between frames
  let batchX = null,
    batchY = null; // Float32Array scratch (batch, 2) and (batch)

  function forward(x) {
    let h = x;
    for (const layer of layers) {
      const z = tf.add(tf.matMul(h, layer.w), layer.b);
      h = layer.activation === 'relu' ? tf.relu(z) : tf.tanh(z);
    }
    return h; // (n, 1): the output layer's activation is tanh
  }

  function meanSquaredError(x, y) {
    return tf.mean(tf.square(tf.sub(forward(x), y)));
  }

  return {
    name,
    async setup(workload, data) {
      await prepare?.();
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' did not initialise`);
      await tf.ready();
      if (tf.getBackend() !== backend) throw new Error(`tfjs runs backend '${tf.getBackend()}', not '${backend}'`);
      const params = initialParams(workload);
      const activations = [...workload.hidden.map((h) => h.activation), 'tanh'];
      layers = params.map((p, l) => ({
        w: tf.variable(tf.tensor2d(Float32Array.from(p.w), [p.w.length / p.b.length, p.b.length])),
        b: tf.variable(tf.tensor1d(Float32Array.from(p.b))),
        activation: activations[l],
      }));
      optimizer = tf.train.sgd(workload.learningRate);
      const n = data.points.length;
      xsAll = new Float32Array(n * 2);
      ysAll = new Float32Array(n);
      data.points.forEach(([x1, x2, label], i) => {
        xsAll[2 * i] = x1;
        xsAll[2 * i + 1] = x2;
        ysAll[i] = targetOf(label);
      });
      allX = tf.tensor2d(xsAll, [n, 2]);
      allY = tf.tensor2d(ysAll, [n, 1]);
      gridTensor = tf.tensor2d(Float32Array.from(data.grid), [data.grid.length / 2, 2]);
      stream = new BatchStream(n, workload.batchSize);
      batchX = new Float32Array(workload.batchSize * 2);
      batchY = new Float32Array(workload.batchSize);
      const info = { backend: tf.getBackend(), version: tf.version.tfjs, sharedStart: true };
      if (backend === 'wasm') {
        info.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
        info.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      }
      return info;
    },

    // One step per mini-batch: the batch is copied into a fresh tensor, as an app feeding tfjs would.
    trainSteps(steps) {
      let examples = 0;
      for (let s = 0; s < steps; ++s) {
        const idx = stream.next();
        const m = idx.length;
        for (let i = 0; i < m; ++i) {
          batchX[2 * i] = xsAll[2 * idx[i]];
          batchX[2 * i + 1] = xsAll[2 * idx[i] + 1];
          batchY[i] = ysAll[idx[i]];
        }
        tf.tidy(() => {
          const x = tf.tensor2d(batchX.subarray(0, 2 * m), [m, 2]);
          const y = tf.tensor2d(batchY.subarray(0, m), [m, 1]);
          optimizer.minimize(() => meanSquaredError(x, y));
        });
        examples += m;
      }
      return examples;
    },

    loss() {
      return tf.tidy(() => meanSquaredError(allX, allY).dataSync()[0]);
    },

    // One predict call over the whole grid, read back to JS as a page would before drawing it.
    heatmap() {
      return tf.tidy(() => forward(gridTensor).dataSync());
    },

    dispose() {
      for (const layer of layers) {
        layer.w.dispose();
        layer.b.dispose();
      }
      layers = [];
      optimizer?.dispose();
      for (const t of [allX, allY, gridTensor]) t?.dispose();
      allX = allY = gridTensor = optimizer = null;
    },

    // Leaked tensors would make later workloads slower and the comparison unfair: the harness checks this.
    liveTensors() {
      return tf.memory().numTensors;
    },
  };
}
