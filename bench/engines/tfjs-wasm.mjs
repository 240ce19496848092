// TensorFlow.js 4.22 on its wasm backend (XNNPACK; SIMD where the runtime has it, which Node 20 does).
// In Node the backend cannot fetch its .wasm from a URL, so it is pointed at the package's own files.
import { createRequire } from 'node:module';
import path from 'node:path';

import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { makeTfjsEngine } from './tfjs_common.mjs';

const require = createRequire(import.meta.url);

export default makeTfjsEngine({
  name: 'tfjs-wasm',
  backend: 'wasm',
  prepare() {
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(path.dirname(wasmFile) + path.sep);
  },
});
