#pragma once
// The plain loops that kernels.hpp's fast kernels must equal bit for bit: each output element is one sum,
// its terms added in the order written here. Read these to learn what a dense layer computes; read
// kernels.cpp to see how the same sums are made fast. Compiled by the tests (tests/native/test_kernels.cpp),
// which compare the two on odd shapes, zeros, negative zeros and non-finite values.
#include <cstddef>

namespace ap::kernels::reference {

// Z (n, out) = A (n, in) W (in, out) + b (out)
inline void dense_forward(const double* A, std::size_t n, std::size_t in, const double* W, const double* b,
                          std::size_t out, double* Z) {
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < out; ++j) {
            double z = b[j];
            for (std::size_t k = 0; k < in; ++k) z += A[i * in + k] * W[k * out + j];
            Z[i * out + j] = z;
        }
}

// dW (in, out) = A^T dZ and db (out) = column sums of dZ (n, out), overwriting both
inline void dense_backward_params(const double* A, const double* dZ, std::size_t n, std::size_t in,
                                  std::size_t out, double* dW, double* db) {
    for (std::size_t j = 0; j < out; ++j) {
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) s += dZ[i * out + j];
        db[j] = s;
        for (std::size_t k = 0; k < in; ++k) {
            double w = 0.0;
            for (std::size_t i = 0; i < n; ++i) w += A[i * in + k] * dZ[i * out + j];
            dW[k * out + j] = w;
        }
    }
}

// dA (n, in) = dZ (n, out) W^T
inline void dense_backward_input(const double* dZ, const double* W, std::size_t n, std::size_t in,
                                 std::size_t out, double* dA) {
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < in; ++k) {
            double s = 0.0;
            for (std::size_t j = 0; j < out; ++j) s += W[k * out + j] * dZ[i * out + j];
            dA[i * in + k] = s;
        }
}

// out (width) = init + sum over t of coef[t] * M[rows[t]] (width), terms in t order; init may be null.
inline void accumulate_rows(double* out, const double* init, const double* coef, const unsigned* rows,
                            std::size_t count, const double* M, std::size_t stride, std::size_t width) {
    for (std::size_t j = 0; j < width; ++j) {
        double s = init ? init[j] : 0.0;
        for (std::size_t t = 0; t < count; ++t) s += coef[t] * M[rows[t] * stride + j];
        out[j] = s;
    }
}

}  // namespace ap::kernels::reference
