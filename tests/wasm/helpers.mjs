// Shared by the wasm tests: loads the built module from AP_WASM_DIR (scripts/test-wasm.sh sets it to
// build/wasm/out) and finds the native CLI from AP_CLI, for parity runs.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export const wasmDir = path.resolve(process.env.AP_WASM_DIR ?? path.join(root, 'build/wasm/out'));
export const cliPath = path.resolve(process.env.AP_CLI ?? path.join(root, 'build/native-release/ap_cli'));

for (const file of ['playground.mjs', 'ap_core.mjs', 'ap_core.wasm']) {
  if (!fs.existsSync(path.join(wasmDir, file))) {
    throw new Error(`${path.join(wasmDir, file)} is missing: build the wasm preset (bash scripts/test-wasm.sh does)`);
  }
}

const api = await import(pathToFileURL(path.join(wasmDir, 'playground.mjs')).href);
export const { loadPlayground, PlaygroundError } = api;

// A fresh module instance: each test file gets its own heap, so memory figures are not shared.
export async function load() {
  return loadPlayground({ wasmBinary: fs.readFileSync(path.join(wasmDir, 'ap_core.wasm')) });
}

// A small config most tests can train quickly: circle, 2 ReLU layers, sigmoid head.
export function smallConfig(overrides = {}) {
  return {
    seed: 3,
    data: { dataset: 'circle', num_points: 200, noise: 0.05 },
    network: {
      hidden: [
        { units: 5, activation: 'relu' },
        { units: 3, activation: 'relu' },
      ],
      head: 'sigmoid_bce',
    },
    training: { optimizer: 'sgd', learning_rate: 0.05, batch_size: 10 },
    ...overrides,
  };
}
