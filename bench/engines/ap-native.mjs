// The playground's core built natively (bench/native_bench.cpp, CMake target ap_native_bench). It times
// itself by the harness's protocol in its own process; the harness checks its figures like any other's.
// The binary: $AP_NATIVE_BENCH, else the native-release preset's build (cmake --preset native-release).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { coreConfig, DOMAIN, GRID_SIDE } from '../workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = process.env.AP_NATIVE_BENCH ?? path.join(root, 'build', 'native-release', 'ap_native_bench');

function runBinary(request) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${path.basename(binary)} exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`${path.basename(binary)} printed no JSON: ${out.slice(0, 200)}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

export default {
  name: 'ap-native',

  available() {
    return existsSync(binary)
      ? null
      : `no ${path.relative(root, binary)} (build it: cmake --preset native-release && cmake --build --preset native-release --target ap_native_bench)`;
  },

  async measure(workload, data, protocol) {
    return runBinary({
      config: coreConfig(workload, data.points),
      protocol,
      grid: { width: GRID_SIDE, height: GRID_SIDE, xMin: -DOMAIN, xMax: DOMAIN, yMin: -DOMAIN, yMax: DOMAIN },
    });
  },
};
