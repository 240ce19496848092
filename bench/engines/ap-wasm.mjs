// The playground's wasm module in Node, through its JS API (wasm/playground.mjs), as the page uses it:
// train(steps) and one heatmap call per grid, read back as a copy. The module: $AP_WASM_DIR, else the
// wasm preset's output (cmake --preset wasm && cmake --build --preset wasm), build/wasm/out.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { coreConfig, DOMAIN, GRID_SIDE } from '../workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = process.env.AP_WASM_DIR ?? path.join(root, 'build', 'wasm', 'out');
const GRID = { width: GRID_SIDE, height: GRID_SIDE, xMin: -DOMAIN, xMax: DOMAIN, yMin: -DOMAIN, yMax: DOMAIN };

let playground = null;
let session = null;
let trainSize = 0,
  batchSize = 0,
  stepsPerEpoch = 0;

// The core's epochs are whole passes whose last batch may be short, so the examples behind a step count
// follow from it: whole epochs, plus full batches into the current one.
function examplesAt(step) {
  return Math.floor(step / stepsPerEpoch) * trainSize + Math.min((step % stepsPerEpoch) * batchSize, trainSize);
}

export default {
  name: 'ap-wasm',

  available() {
    for (const f of ['playground.mjs', 'ap_core.wasm']) {
      if (!existsSync(path.join(dir, f)))
        return `no ${path.relative(root, path.join(dir, f))} (build it: cmake --preset wasm && cmake --build --preset wasm)`;
    }
    return null;
  },

  async setup(workload, data) {
    if (!playground) {
      const { loadPlayground } = await import(pathToFileURL(path.join(dir, 'playground.mjs')).href);
      // Emscripten 3.1.6's loader cannot fetch a file path in Node: hand it the bytes.
      playground = await loadPlayground({ wasmBinary: readFileSync(path.join(dir, 'ap_core.wasm')) });
    }
    session = playground.createSession(coreConfig(workload, data.points));
    trainSize = session.points('train').length / 3;
    batchSize = workload.batchSize;
    stepsPerEpoch = Math.ceil(trainSize / batchSize);
    return { trainPoints: trainSize, build: 'wasm' };
  },

  trainSteps(steps) {
    const before = session.step;
    const { diverged, reason } = session.train(steps);
    if (diverged) throw new Error(`training diverged: ${reason}`);
    return examplesAt(session.step) - examplesAt(before);
  },

  loss() {
    return session.metrics().trainLoss;
  },

  heatmap() {
    return session.heatmap(GRID);
  },

  dispose() {
    session?.dispose();
    session = null;
  },
};
