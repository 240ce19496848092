#pragma once
// The dense layer's training kernels in double precision. Each output element is one sum whose terms are
// added in the same order as the plain loops in the comments below, so the results are bit-identical to
// them (and between native and wasm): the speed comes from vectorising across independent sums (output
// columns, two lanes of a 128-bit vector) and from skipping terms whose coefficient is zero.
//
// Why skipping a zero coefficient is exact: a term c * m with c = +-0 and m finite is +-0, and s + (+-0)
// is s for every s except s = -0 (where -0 + +0 = +0). A sum that starts at +0 or at any value other than
// -0 can never become -0 (x + y rounds to +0 when it is exactly zero and x, y are not both -0), so
// dropping the zero terms changes no bit. Two preconditions follow, and the kernels check the first:
//   - dense_forward starts each sum at b[j]: a bias of -0.0 turns skipping off for that call.
//   - the other factor must be finite (0 * inf is NaN): weights are (the trainer keeps every parameter
//     finite); dZ may not be in a diverging step, so dense_backward_params recomputes without skipping
//     when its bias gradient (a sum of every dZ term, non-finite if any term is) is not finite.
#include <cstddef>

namespace ap::kernels {

// Z (n, out) = A (n, in) W (in, out) + b (out):
//   Z[i][j] = b[j];  for k in 0..in: Z[i][j] += A[i][k] * W[k][j]
void dense_forward(const double* A, std::size_t n, std::size_t in, const double* W, const double* b,
                   std::size_t out, double* Z);

// dW (in, out) = A^T dZ and db (out) = column sums of dZ, overwriting both (not accumulating):
//   dW[k][j] = 0;  for i in 0..n: dW[k][j] += A[i][k] * dZ[i][j]
//   db[j] = 0;     for i in 0..n: db[j] += dZ[i][j]
void dense_backward_params(const double* A, const double* dZ, std::size_t n, std::size_t in, std::size_t out,
                           double* dW, double* db);

// dA (n, in) = dZ (n, out) W^T, with WT (out, in) scratch for W's transpose:
//   dA[i][k] = 0;  for j in 0..out: dA[i][k] += W[k][j] * dZ[i][j]
void dense_backward_input(const double* dZ, const double* W, std::size_t n, std::size_t in, std::size_t out,
                          double* WT, double* dA);

// The shared core: out (width) = init + sum over t of coef[t] * M[rows[t]] (width), terms in t order;
// init may be null (zeros). M's rows are `stride` apart.
void accumulate_rows(double* out, const double* init, const double* coef, const unsigned* rows,
                     std::size_t count, const double* M, std::size_t stride, std::size_t width);

}  // namespace ap::kernels
