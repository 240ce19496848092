#pragma once
// 128-bit vectors written once with GCC/Clang vector extensions: natively they compile to SSE2, under
// Emscripten with -msimd128 to WebAssembly SIMD. Lane-wise + - * / on these types are the IEEE operations
// of the scalar type, one per lane (no fused multiply-add: the build has -ffp-contract=off), so a kernel
// that vectorises across independent sums rounds exactly as the scalar loop does.
#include <cstdint>
#include <cstring>

namespace ap::simd {

using v2d = double __attribute__((vector_size(16)));       // 2 doubles
using v4f = float __attribute__((vector_size(16)));        // 4 floats
using v4i = std::int32_t __attribute__((vector_size(16)));  // 4 int32, also the lane masks of comparisons

// Unaligned loads and stores through memcpy: no alignment or aliasing assumption, one movups / v128.load.
inline v2d load2(const double* p) { v2d v; std::memcpy(&v, p, sizeof v); return v; }
inline void store2(double* p, v2d v) { std::memcpy(p, &v, sizeof v); }
inline v4f load4(const float* p) { v4f v; std::memcpy(&v, p, sizeof v); return v; }
inline void store4(float* p, v4f v) { std::memcpy(p, &v, sizeof v); }

inline v2d splat2(double x) { return v2d{x, x}; }
inline v4f splat4(float x) { return v4f{x, x, x, x}; }

// Lane-wise choice: mask lanes are all ones (true) or all zeros, as comparisons return them.
inline v4i bits(v4f v) { v4i r; std::memcpy(&r, &v, sizeof r); return r; }
inline v4f from_bits(v4i v) { v4f r; std::memcpy(&r, &v, sizeof r); return r; }

// Lane-wise choice: mask lanes are all ones (true) or all zeros, as comparisons return them.
inline v4f select(v4i mask, v4f if_true, v4f if_false) {
    return from_bits((bits(if_true) & mask) | (bits(if_false) & ~mask));
}

}  // namespace ap::simd
