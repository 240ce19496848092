#include "kernels.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <utility>

#include "simd.hpp"

namespace ap::kernels {

namespace {

using simd::v2d;

// Terms are gathered at most this many at a time into stack buffers, whatever the layer width or batch
// size; a longer sum continues from where the previous run of terms left it, so the order is unchanged.
constexpr std::size_t kRun = 256;

// Sums shorter than this take every term in place: the gather that skipping needs costs about what it
// saves on short sums (measured on the benchmark's 8-wide ReLU layers).
constexpr std::size_t kMinSkip = 16;

// Outputs narrower than this are vectorised across pairs of rows instead of across columns: a 1-, 2- or
// 4-wide row fills no vector, and the per-row overhead of the column tiles dominates tiny layers.
constexpr std::size_t kMinWide = 16;

// Row numbers 0, 1, 2, ... and coefficients of 1, for sums that take every term in order.
constexpr auto kIota = [] {
    std::array<unsigned, kRun> a{};
    for (std::size_t i = 0; i < kRun; ++i) a[i] = static_cast<unsigned>(i);
    return a;
}();
constexpr auto kOnes = [] {
    std::array<double, kRun> a{};
    for (double& x : a) x = 1.0;
    return a;
}();

// ---- Wide outputs: vectorised across columns ----

// V vectors of 2 columns each, kept in registers while every term is added.
template <int V>
void accumulate_tile(double* out, const double* init, const double* coef, const unsigned* rows,
                     std::size_t count, const double* M, std::size_t stride) {
    v2d acc[V];
    for (int v = 0; v < V; ++v) acc[v] = init ? simd::load2(init + 2 * v) : v2d{0.0, 0.0};
    for (std::size_t t = 0; t < count; ++t) {
        const v2d c = simd::splat2(coef[t]);
        const double* m = M + rows[t] * stride;
        for (int v = 0; v < V; ++v) acc[v] += c * simd::load2(m + 2 * v);
    }
    for (int v = 0; v < V; ++v) simd::store2(out + 2 * v, acc[v]);
}

void accumulate_column(double* out, const double* init, const double* coef, const unsigned* rows,
                       std::size_t count, const double* M, std::size_t stride) {
    double acc = init ? *init : 0.0;
    for (std::size_t t = 0; t < count; ++t) acc += coef[t] * M[rows[t] * stride];
    *out = acc;
}

// Copies x[0], x[step], ..., x[(count - 1) step] into coef with their indices in rows, dropping zeros when
// skip_zeros; returns how many were kept. Branch-free: a ReLU layer's zeros fall in no predictable pattern.
std::size_t gather_terms(const double* x, std::size_t step, std::size_t count, bool skip_zeros, double* coef,
                         unsigned* rows) {
    std::size_t m = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const double v = x[k * step];
        coef[m] = v;
        rows[m] = static_cast<unsigned>(k);
        m += (v != 0.0) | !skip_zeros;
    }
    return m;
}

// Y (n, nq) = init + X (n, np) M, M (np, nq) with rows `stride` apart; zero X terms skipped when allowed
// and the sums are long enough to gain from it.
void rows_times_matrix(const double* X, std::size_t n, std::size_t np, const double* M, std::size_t stride,
                       const double* init, bool skip_zeros, std::size_t nq, double* Y) {
    double coef[kRun];    // (run) the nonzero X[i][p] of this row
    unsigned rows[kRun];  // (run) their p
    for (std::size_t i = 0; i < n; ++i) {
        double* y = Y + i * nq;
        for (std::size_t p0 = 0; p0 < np; p0 += kRun) {
            const std::size_t run = std::min(kRun, np - p0);
            const double* x = X + i * np + p0;
            const double* start = p0 == 0 ? init : y;
            if (skip_zeros && run >= kMinSkip) {
                const std::size_t m = gather_terms(x, 1, run, true, coef, rows);
                accumulate_rows(y, start, coef, rows, m, M + p0 * stride, stride, nq);
            } else {
                accumulate_rows(y, start, x, kIota.data(), run, M + p0 * stride, stride, nq);
            }
        }
        if (np == 0) std::fill_n(y, nq, 0.0);
    }
}

// ---- Narrow outputs: vectorised across pairs of rows ----

// Q outputs of one row pair: Q independent sums in flight, so the adds' latency overlaps.
template <int Q>
void pair_block(const v2d* x, std::size_t np, const double* m, std::size_t sp, std::size_t sq,
                const double* init, double* y0, double* y1) {
    v2d acc[Q];
    for (int r = 0; r < Q; ++r) acc[r] = simd::splat2(init ? init[r] : 0.0);
    for (std::size_t p = 0; p < np; ++p)
        for (int r = 0; r < Q; ++r) acc[r] += x[p] * simd::splat2(m[p * sp + r * sq]);
    for (int r = 0; r < Q; ++r) {
        y0[r] = acc[r][0];
        if (y1) y1[r] = acc[r][1];
    }
}

// ---- Small layers: the weights splatted once per call, not once per row pair ----

// Inputs up to this many take small_pairs (outputs are below kMinWide there): the splatted weights,
// kSmallIn * kMinWide vectors, then sit on the stack (4 KB).
constexpr std::size_t kSmallIn = 16;

// One row pair (or one row in both lanes) of Y (., NQ), the sums as pair_block's: init, then p in order.
// x0 and x1 are the rows of X; NP_ is the input count when known at compile time (0: np at run time).
template <int NP_, int NQ>
[[gnu::always_inline]] inline void small_pair(const double* x0, const double* x1, std::size_t np, const v2d* w,
                                              const v2d* b, double* y0, double* y1) {
    const std::size_t count = NP_ > 0 ? static_cast<std::size_t>(NP_) : np;
    v2d acc[NQ];
    for (int q = 0; q < NQ; ++q) acc[q] = b[q];
    for (std::size_t p = 0; p < count; ++p) {
        const v2d x = v2d{x0[p], x1[p]};
        for (int q = 0; q < NQ; ++q) acc[q] += x * w[p * NQ + q];
    }
    for (int q = 0; q < NQ; ++q) y0[q] = acc[q][0];
    if (y1)
        for (int q = 0; q < NQ; ++q) y1[q] = acc[q][1];
}

// rows_in_pairs for NQ outputs and np <= kSmallIn inputs (np = NP_ when NP_ > 0): the same sums, each
// term the same product, with M's entries splatted once into w (np, NQ) for the whole batch.
template <int NP_, int NQ>
void small_pairs(const double* X, std::size_t n, std::size_t np, const double* M, std::size_t sp,
                 std::size_t sq, const double* init, double* Y) {
    v2d w[kSmallIn * NQ];  // (np, NQ) M[p sp + q sq] in both lanes
    v2d b[NQ];             // (NQ) init in both lanes
    if (NP_ > 0) np = static_cast<std::size_t>(NP_);  // the caller's np, known here
    for (std::size_t p = 0; p < np; ++p)
        for (int q = 0; q < NQ; ++q) w[p * NQ + q] = simd::splat2(M[p * sp + static_cast<std::size_t>(q) * sq]);
    for (int q = 0; q < NQ; ++q) b[q] = simd::splat2(init ? init[q] : 0.0);
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) small_pair<NP_, NQ>(X + i * np, X + (i + 1) * np, np, w, b, Y + i * NQ, Y + (i + 1) * NQ);
    if (i < n) small_pair<NP_, NQ>(X + i * np, X + i * np, np, w, b, Y + i * NQ, nullptr);
}

using SmallPairs = void (*)(const double*, std::size_t, std::size_t, const double*, std::size_t, std::size_t,
                            const double*, double*);

// Fully unrolled for np, nq <= 4 (TF Playground's small layers); nq <= 8 with np at run time otherwise.
template <int NQ, int... NP>
constexpr std::array<SmallPairs, 5> small_row(std::integer_sequence<int, NP...>) {
    return {small_pairs<0, NQ>, small_pairs<NP + 1, NQ>...};
}
constexpr std::array<std::array<SmallPairs, 5>, 9> kSmallPairs = {{
    {},
    small_row<1>(std::make_integer_sequence<int, 4>{}),
    small_row<2>(std::make_integer_sequence<int, 4>{}),
    small_row<3>(std::make_integer_sequence<int, 4>{}),
    small_row<4>(std::make_integer_sequence<int, 4>{}),
    {small_pairs<0, 5>, small_pairs<0, 5>, small_pairs<0, 5>, small_pairs<0, 5>, small_pairs<0, 5>},
    {small_pairs<0, 6>, small_pairs<0, 6>, small_pairs<0, 6>, small_pairs<0, 6>, small_pairs<0, 6>},
    {small_pairs<0, 7>, small_pairs<0, 7>, small_pairs<0, 7>, small_pairs<0, 7>, small_pairs<0, 7>},
    {small_pairs<0, 8>, small_pairs<0, 8>, small_pairs<0, 8>, small_pairs<0, 8>, small_pairs<0, 8>},
}};

// Y (n, nq): Y[i][q] = init[q] (0 if null) + sum over p of X[i][p] * M[p sp + q sq], p in order. The
// strides let one kernel read W (forward: sp = out, sq = 1) and W^T (backward: sp = 1, sq = out). An odd
// last row is paired with itself and only its first lane stored.
void rows_in_pairs(const double* X, std::size_t n, std::size_t np, const double* M, std::size_t sp,
                   std::size_t sq, const double* init, std::size_t nq, double* Y) {
    assert(np <= kRun);
    if (np >= 1 && np <= kSmallIn && nq >= 1 && nq <= 8)
        return kSmallPairs[nq][np <= 4 ? np : 0](X, n, np, M, sp, sq, init, Y);
    v2d x[kRun];  // (np) column p of the row pair
    for (std::size_t i = 0; i < n; i += 2) {
        const double* x0 = X + i * np;
        const double* x1 = i + 1 < n ? x0 + np : x0;
        for (std::size_t p = 0; p < np; ++p) x[p] = v2d{x0[p], x1[p]};
        double* y0 = Y + i * nq;
        double* y1 = i + 1 < n ? y0 + nq : nullptr;
        auto block = [&](std::size_t q, auto kernel) {
            kernel(x, np, M + q * sq, sp, sq, init ? init + q : nullptr, y0 + q, y1 ? y1 + q : nullptr);
        };
        std::size_t q = 0;
        for (; q + 8 <= nq; q += 8) block(q, pair_block<8>);
        if (nq - q >= 4) { block(q, pair_block<4>); q += 4; }
        if (nq - q >= 2) { block(q, pair_block<2>); q += 2; }
        if (q < nq) block(q, pair_block<1>);
    }
}

// ---- Weight gradients ----

bool has_negative_zero(const double* b, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j)
        if (b[j] == 0.0 && std::signbit(b[j])) return true;
    return false;
}

bool all_finite(const double* x, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j)
        if (!std::isfinite(x[j])) return false;
    return true;
}

// dW[k] (out) = sum over i of A[i][k] dZ[i], each row of dW one sum of rows of dZ.
void weight_gradient(const double* A, const double* dZ, std::size_t n, std::size_t in, std::size_t out,
                     bool skip_zeros, double* dW) {
    double coef[kRun];    // (run) A[i][k] of the rows kept
    unsigned rows[kRun];  // (run) their row numbers within the run
    for (std::size_t i0 = 0; i0 < n; i0 += kRun) {
        const std::size_t run = std::min(kRun, n - i0);
        for (std::size_t k = 0; k < in; ++k) {
            const std::size_t m = gather_terms(A + i0 * in + k, in, run, skip_zeros && run >= kMinSkip, coef, rows);
            double* dw = dW + k * out;
            accumulate_rows(dw, i0 == 0 ? nullptr : dw, coef, rows, m, dZ + i0 * out, out, out);
        }
    }
}

// V vectors of dW[k]'s columns over a short batch, reading A's strided column in place.
template <int V>
void short_tile(const double* a, std::size_t in, const double* dZ, std::size_t out, std::size_t n, double* dw) {
    v2d acc[V];
    for (int v = 0; v < V; ++v) acc[v] = v2d{0.0, 0.0};
    for (std::size_t i = 0; i < n; ++i) {
        const v2d c = simd::splat2(a[i * in]);
        for (int v = 0; v < V; ++v) acc[v] += c * simd::load2(dZ + i * out + 2 * v);
    }
    for (int v = 0; v < V; ++v) simd::store2(dw + 2 * v, acc[v]);
}

// The same sums for batches too short to skip anything: no gather, every term in place.
void weight_gradient_short(const double* A, const double* dZ, std::size_t n, std::size_t in, std::size_t out,
                           double* dW) {
    for (std::size_t k = 0; k < in; ++k) {
        double* dw = dW + k * out;
        auto tile = [&](std::size_t j, auto kernel) { kernel(A + k, in, dZ + j, out, n, dw + j); };
        std::size_t j = 0;
        for (; j + 16 <= out; j += 16) tile(j, short_tile<8>);
        if (out - j >= 8) { tile(j, short_tile<4>); j += 8; }
        if (out - j >= 4) { tile(j, short_tile<2>); j += 4; }
        if (out - j >= 2) { tile(j, short_tile<1>); j += 2; }
        if (j < out) {
            double acc = 0.0;
            for (std::size_t i = 0; i < n; ++i) acc += A[i * in + k] * dZ[i * out + j];
            dw[j] = acc;
        }
    }
}

// dW (IN, OUT) and db (OUT) for a batch too short to skip, in one pass over it with every sum in registers:
// dW[k][j] = 0 + A[0][k] dZ[0][j] + A[1][k] dZ[1][j] + ..., db[j] = 0 + dZ[0][j] + dZ[1][j] + ... (1 * dZ is
// dZ exactly, so this is dense_backward_params' sum of rows with coefficients of 1). OUT is 1, 2 or 4.
template <int IN, int OUT>
void small_gradient(const double* A, const double* dZ, std::size_t n, double* dW, double* db) {
    if constexpr (OUT == 1) {
        // Across pairs of inputs k, k + 1 (an odd last one alone in its first lane).
        constexpr int V = (IN + 1) / 2;
        v2d acc[V] = {};
        double accb = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            const double* a = A + i * IN;
            const v2d d = simd::splat2(dZ[i]);
            accb += dZ[i];
            for (int v = 0; v < IN / 2; ++v) acc[v] += simd::load2(a + 2 * v) * d;
            if constexpr (IN % 2 == 1) acc[V - 1] += v2d{a[IN - 1], 0.0} * d;
        }
        for (int v = 0; v < IN / 2; ++v) simd::store2(dW + 2 * v, acc[v]);
        if constexpr (IN % 2 == 1) dW[IN - 1] = acc[V - 1][0];
        *db = accb;
    } else {
        constexpr int V = OUT / 2;
        v2d acc[IN][V] = {};
        v2d accb[V] = {};
        for (std::size_t i = 0; i < n; ++i) {
            const double* a = A + i * IN;
            v2d d[V];
            for (int v = 0; v < V; ++v) {
                d[v] = simd::load2(dZ + i * OUT + 2 * v);
                accb[v] += d[v];
            }
            for (int k = 0; k < IN; ++k) {
                const v2d c = simd::splat2(a[k]);
                for (int v = 0; v < V; ++v) acc[k][v] += c * d[v];
            }
        }
        for (int k = 0; k < IN; ++k)
            for (int v = 0; v < V; ++v) simd::store2(dW + k * OUT + 2 * v, acc[k][v]);
        for (int v = 0; v < V; ++v) simd::store2(db + 2 * v, accb[v]);
    }
}

using SmallGradient = void (*)(const double*, const double*, std::size_t, double*, double*);
template <int OUT>
constexpr std::array<SmallGradient, 5> kSmallGradientRow = {nullptr, small_gradient<1, OUT>, small_gradient<2, OUT>,
                                                            small_gradient<3, OUT>, small_gradient<4, OUT>};
// [out][in] for in <= 4 and out in {1, 2, 4}; null elsewhere.
constexpr std::array<std::array<SmallGradient, 5>, 5> kSmallGradient = {
    {{}, kSmallGradientRow<1>, kSmallGradientRow<2>, {}, kSmallGradientRow<4>}};

}  // namespace

void accumulate_rows(double* out, const double* init, const double* coef, const unsigned* rows,
                     std::size_t count, const double* M, std::size_t stride, std::size_t width) {
    std::size_t j = 0;
    auto at = [&](std::size_t offset, auto tile) {
        tile(out + offset, init ? init + offset : nullptr, coef, rows, count, M + offset, stride);
    };
    for (; j + 16 <= width; j += 16) at(j, accumulate_tile<8>);
    if (width - j >= 8) { at(j, accumulate_tile<4>); j += 8; }
    if (width - j >= 4) { at(j, accumulate_tile<2>); j += 4; }
    if (width - j >= 2) { at(j, accumulate_tile<1>); j += 2; }
    if (j < width) at(j, accumulate_column);
}

void dense_forward(const double* A, std::size_t n, std::size_t in, const double* W, const double* b,
                   std::size_t out, double* Z) {
    if (out < kMinWide && in <= kRun) return rows_in_pairs(A, n, in, W, out, 1, b, out, Z);
    rows_times_matrix(A, n, in, W, out, b, !has_negative_zero(b, out), out, Z);
}

void dense_backward_params(const double* A, const double* dZ, std::size_t n, std::size_t in, std::size_t out,
                           double* dW, double* db) {
    if (n == 0) {
        std::fill_n(db, out, 0.0);
        std::fill_n(dW, in * out, 0.0);
        return;
    }
    if (n < kMinSkip && in <= 4 && out <= 4 && kSmallGradient[out][in]) return kSmallGradient[out][in](A, dZ, n, dW, db);
    // 1 * dZ is dZ exactly, so the bias's sum is a sum of rows with coefficients of 1.
    for (std::size_t i0 = 0; i0 < n; i0 += kRun) {
        const std::size_t run = std::min(kRun, n - i0);
        accumulate_rows(db, i0 == 0 ? nullptr : db, kOnes.data(), kIota.data(), run, dZ + i0 * out, out, out);
    }
    // db sums every dZ term, so it is finite only if every term is: then 0 * dZ is 0 and skipping is exact.
    if (n < kMinSkip) return weight_gradient_short(A, dZ, n, in, out, dW);
    weight_gradient(A, dZ, n, in, out, all_finite(db, out), dW);
}

void dense_backward_input(const double* dZ, const double* W, std::size_t n, std::size_t in, std::size_t out,
                          double* WT, double* dA) {
    if (in < kMinWide && out <= kRun) return rows_in_pairs(dZ, n, out, W, 1, out, nullptr, in, dA);
    for (std::size_t k = 0; k < in; ++k)
        for (std::size_t j = 0; j < out; ++j) WT[j * in + k] = W[k * out + j];
    rows_times_matrix(dZ, n, out, WT, in, nullptr, true, in, dA);
}

}  // namespace ap::kernels
