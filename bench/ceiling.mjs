// The wasm SIMD ceiling (bench/ceiling.cpp): GFLOP/s of independent 128-bit multiply-add chains, f32x4 and
// f64x2, per CPU-second of this process. scripts/bench.sh builds build/bench/ceiling.wasm; AP_CEILING_WASM
// points elsewhere. The figure is the best of 7 rounds of at least 0.1 s each (the best, not the median:
// nothing makes a loop of independent arithmetic run faster than the units allow, while other work on the
// machine can only slow a round down).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHAINS = 12; // kChains in ceiling.cpp

export function ceilingWasmPath() {
  return process.env.AP_CEILING_WASM ?? path.join(root, 'build', 'bench', 'ceiling.wasm');
}

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// { f32x4, f64x2 } in GFLOP/s per CPU-second, or null (with why) when the module is missing.
export async function measureCeiling({ rounds = 7, roundSeconds = 0.1 } = {}) {
  const file = ceilingWasmPath();
  if (!existsSync(file)) return { error: `no ${path.relative(process.cwd(), file)} (npm run bench builds it)` };
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  const { peak_f32: f32, peak_f64: f64 } = instance.exports;
  const measure = (fn, lanes) => {
    fn(1000); // compile and warm up
    let best = 0;
    for (let r = 0; r < rounds; ++r) {
      let iters = 0;
      const t0 = cpuSeconds();
      let t = t0;
      while (t - t0 < roundSeconds) {
        fn(100000);
        iters += 100000;
        t = cpuSeconds();
      }
      best = Math.max(best, (iters * CHAINS * lanes * 2) / (t - t0) / 1e9);
    }
    return best;
  };
  return {
    f32x4: measure(f32, 4),
    f64x2: measure(f64, 2),
    how: `${CHAINS} independent chains of v = v * m + c (a SIMD mul and add, 2 flops a lane) in a loop, best of ${rounds} rounds of >= ${roundSeconds} s CPU time`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(await measureCeiling());
}
