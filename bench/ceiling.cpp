// The wasm SIMD ceiling of this machine: the most multiply-add arithmetic one thread can do through
// WebAssembly's 128-bit SIMD, which has no fused multiply-add (relaxed SIMD is not in Emscripten 3.1.6).
// Built by scripts/bench.sh as a standalone .wasm (no imports) that bench/ceiling.mjs runs.
//
// Each call runs kChains independent chains of acc = acc * m + c, each step a SIMD multiply and a SIMD add
// (2 flops per lane): enough chains in flight that the adds' and multiplies' latency is hidden and the
// figure is the floating-point units' throughput. m and c keep every value finite and normal.
#include <wasm_simd128.h>

namespace {
constexpr int kChains = 12;
}

extern "C" {

// Returns a sum of the chains' lanes so nothing is optimised away; flops = iters * kChains * 4 lanes * 2.
__attribute__((export_name("peak_f32"))) float peak_f32(int iters) {
    v128_t acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = wasm_f32x4_splat(1.0f + 0.01f * static_cast<float>(i));
    const v128_t m = wasm_f32x4_splat(0.999999f), c = wasm_f32x4_splat(1e-6f);
    for (int t = 0; t < iters; ++t)
        for (int i = 0; i < kChains; ++i) acc[i] = wasm_f32x4_add(wasm_f32x4_mul(acc[i], m), c);
    v128_t s = acc[0];
    for (int i = 1; i < kChains; ++i) s = wasm_f32x4_add(s, acc[i]);
    return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) +
           wasm_f32x4_extract_lane(s, 3);
}

// The same in double: flops = iters * kChains * 2 lanes * 2.
__attribute__((export_name("peak_f64"))) double peak_f64(int iters) {
    v128_t acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = wasm_f64x2_splat(1.0 + 0.01 * i);
    const v128_t m = wasm_f64x2_splat(0.999999), c = wasm_f64x2_splat(1e-6);
    for (int t = 0; t < iters; ++t)
        for (int i = 0; i < kChains; ++i) acc[i] = wasm_f64x2_add(wasm_f64x2_mul(acc[i], m), c);
    v128_t s = acc[0];
    for (int i = 1; i < kChains; ++i) s = wasm_f64x2_add(s, acc[i]);
    return wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
}

}  // extern "C"
