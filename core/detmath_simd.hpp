#pragma once
// detmath's tanh and expm1 over arrays, two lanes of a 128-bit vector at a time (SSE2 natively, simd128 in
// wasm; see simd.hpp). Bit for bit what the scalar detmath::tanh and detmath::expm1 return, for every input:
// each lane performs the scalar function's IEEE operations in the same order, and its branches become
// lane-wise selects between values computed the branch's way. So a network trained through these gives the
// same bits as through the scalar functions, natively and in wasm alike.
//
// Why: a small tanh network (TF Playground's 2-4-2-1) spends about half of each training step in ~70 scalar
// tanh calls, whose branches on the argument's range mispredict and whose two divisions each serialise.
#include <cstddef>

namespace ap::detmath {

// y[i] = detmath::tanh(x[i]) for n entries; y may alias x.
void tanh_n(const double* x, double* y, std::size_t n);

// y[i] = detmath::expm1(x[i]) for n entries; y may alias x.
void expm1_n(const double* x, double* y, std::size_t n);

}  // namespace ap::detmath
