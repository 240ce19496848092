// The dense layer's optimised kernels against the plain loops they replace (kernels_reference.hpp), bit for
// bit, on odd shapes: every width of 1, 2, 3, 4, 5, 7, 8, 16, 17, 64, 65 and 256 (the small-layer kernels'
// edges: 4, 8 and 16) and every batch of 1..33 (and longer ones that cross the kernels' 256-term runs), with
// ReLU-like zeros, negative zeros, a -0.0 bias and non-finite gradients.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.hpp"
#include "kernels_reference.hpp"
#include "rng.hpp"

using namespace ap;

namespace {

const std::size_t kWidths[] = {1, 2, 3, 4, 5, 7, 8, 16, 17, 64, 65, 256};

// The reference kernels (core/kernels_reference.hpp) over vectors.
void naive_forward(const std::vector<double>& A, std::size_t n, std::size_t in, const std::vector<double>& W,
                   const std::vector<double>& b, std::size_t out, std::vector<double>& Z) {
    kernels::reference::dense_forward(A.data(), n, in, W.data(), b.data(), out, Z.data());
}

void naive_backward_params(const std::vector<double>& A, const std::vector<double>& dZ, std::size_t n,
                           std::size_t in, std::size_t out, std::vector<double>& dW, std::vector<double>& db) {
    kernels::reference::dense_backward_params(A.data(), dZ.data(), n, in, out, dW.data(), db.data());
}

void naive_backward_input(const std::vector<double>& dZ, const std::vector<double>& W, std::size_t n,
                          std::size_t in, std::size_t out, std::vector<double>& dA) {
    kernels::reference::dense_backward_input(dZ.data(), W.data(), n, in, out, dA.data());
}

// Values like a ReLU network's: about 40% exact zeros (a few of them -0.0), the rest spread over
// magnitudes 1e-3..1e3 so that sums round differently when reordered.
std::vector<double> relu_like(Rng& rng, std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v) {
        const double u = rng.uniform();
        if (u < 0.35) x = 0.0;
        else if (u < 0.4) x = -0.0;
        else x = (rng.uniform() * 2.0 - 1.0) * std::pow(10.0, rng.uniform() * 6.0 - 3.0);
    }
    return v;
}

std::vector<double> dense(Rng& rng, std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = (rng.uniform() * 2.0 - 1.0) * std::pow(10.0, rng.uniform() * 4.0 - 2.0);
    return v;
}

// Bit-identical, except that any NaN matches any NaN (payloads are not part of the contract).
bool same(const std::vector<double>& a, const std::vector<double>& b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(a[i]) && std::isnan(b[i])) continue;
        if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return false;
    }
    return true;
}

struct Shape {
    std::size_t n, in, out;
};

// Every width pair with batches 1..33, and a few long batches.
std::vector<Shape> shapes() {
    std::vector<Shape> s;
    for (std::size_t in : kWidths)
        for (std::size_t out : kWidths)
            for (std::size_t n = 1; n <= 33; n += (in * out > 5000 ? 8 : 1)) s.push_back({n, in, out});
    for (std::size_t n : {255, 256, 257, 600}) s.push_back({n, 17, 65});
    s.push_back({600, 3, 1});
    return s;
}

}  // namespace

TEST_CASE("dense_forward equals the plain loop bit for bit", "[kernels]") {
    Rng rng(11);
    for (const Shape& s : shapes()) {
        INFO("n " << s.n << " in " << s.in << " out " << s.out);
        const auto A = relu_like(rng, s.n * s.in), W = dense(rng, s.in * s.out);
        auto b = dense(rng, s.out);
        std::vector<double> want(s.n * s.out), got(s.n * s.out, 7.0);
        naive_forward(A, s.n, s.in, W, b, s.out, want);
        kernels::dense_forward(A.data(), s.n, s.in, W.data(), b.data(), s.out, got.data());
        REQUIRE(same(want, got, want.size()));
    }
}

TEST_CASE("dense_forward keeps -0.0 where the plain loop does: a -0 bias with all-zero inputs", "[kernels]") {
    // -0 + (+0 * w) is +0 for w > 0 but -0 + (+0 * w) = -0 + -0 = -0 for w < 0: skipping the zero terms would
    // leave -0 in both columns, so the kernel must take every term when a bias is -0.
    for (std::size_t in : {3, 17, 64}) {
        INFO("in " << in);
        const std::size_t out = 18;
        std::vector<double> A(2 * in, 0.0), W(in * out), b(out, -0.0);
        for (std::size_t k = 0; k < in; ++k)
            for (std::size_t j = 0; j < out; ++j) W[k * out + j] = j % 2 ? -1.5 : 2.5;
        std::vector<double> want(2 * out), got(2 * out);
        naive_forward(A, 2, in, W, b, out, want);
        kernels::dense_forward(A.data(), 2, in, W.data(), b.data(), out, got.data());
        CHECK(!std::signbit(want[0]));  // +0: a +0 term reached the -0 bias
        CHECK(std::signbit(want[1]));   // -0: only -0 terms
        REQUIRE(same(want, got, want.size()));
    }
}

TEST_CASE("dense_backward_params equals the plain loops bit for bit", "[kernels]") {
    Rng rng(12);
    for (const Shape& s : shapes()) {
        INFO("n " << s.n << " in " << s.in << " out " << s.out);
        const auto A = relu_like(rng, s.n * s.in), dZ = relu_like(rng, s.n * s.out);
        std::vector<double> dW(s.in * s.out), db(s.out), gotW(s.in * s.out, 7.0), gotb(s.out, 7.0);
        naive_backward_params(A, dZ, s.n, s.in, s.out, dW, db);
        kernels::dense_backward_params(A.data(), dZ.data(), s.n, s.in, s.out, gotW.data(), gotb.data());
        REQUIRE(same(db, gotb, db.size()));
        REQUIRE(same(dW, gotW, dW.size()));
    }
}

TEST_CASE("dense_backward_params with a non-finite dZ gives the plain loops' NaN, not a skipped 0", "[kernels]") {
    // A[i][k] = 0 against dZ = inf is 0 * inf = NaN in the plain loop; a kernel that skipped zero A terms would
    // report a finite (or infinite) dW there. 32 rows so the skipping path is the one taken.
    const double inf = std::numeric_limits<double>::infinity();
    for (double bad : {inf, -inf, std::numeric_limits<double>::quiet_NaN()}) {
        Rng rng(13);
        const std::size_t n = 32, in = 20, out = 18;
        auto A = relu_like(rng, n * in), dZ = dense(rng, n * out);
        A[5 * in + 3] = 0.0;
        dZ[5 * out + 4] = bad;
        std::vector<double> dW(in * out), db(out), gotW(in * out), gotb(out);
        naive_backward_params(A, dZ, n, in, out, dW, db);
        kernels::dense_backward_params(A.data(), dZ.data(), n, in, out, gotW.data(), gotb.data());
        CHECK(std::isnan(dW[3 * out + 4]));
        REQUIRE(same(db, gotb, db.size()));
        REQUIRE(same(dW, gotW, dW.size()));
    }
}

TEST_CASE("dense_backward_input equals the plain loop bit for bit", "[kernels]") {
    Rng rng(14);
    for (const Shape& s : shapes()) {
        INFO("n " << s.n << " in " << s.in << " out " << s.out);
        const auto dZ = relu_like(rng, s.n * s.out), W = dense(rng, s.in * s.out);
        std::vector<double> want(s.n * s.in), got(s.n * s.in, 7.0), WT(s.in * s.out);
        naive_backward_input(dZ, W, s.n, s.in, s.out, want);
        kernels::dense_backward_input(dZ.data(), W.data(), s.n, s.in, s.out, WT.data(), got.data());
        REQUIRE(same(want, got, want.size()));
    }
}

TEST_CASE("the reference really depends on the order: a reordered sum differs", "[kernels]") {
    // Guards the tests above against inputs too tame to tell orders apart: summing the same products of
    // one 256-term row backwards must change some result bits.
    Rng rng(15);
    const std::size_t in = 256;
    const auto a = dense(rng, in), w = dense(rng, in);
    int differ = 0;
    for (int trial = 0; trial < 8; ++trial) {
        double forward = 0.0, backward = 0.0;
        for (std::size_t k = 0; k < in; ++k) forward += a[(k + trial) % in] * w[(k + trial) % in];
        for (std::size_t k = in; k-- > 0;) backward += a[(k + trial) % in] * w[(k + trial) % in];
        differ += forward != backward;
    }
    CHECK(differ > 0);
}

TEST_CASE("accumulate_rows equals the plain loop bit for bit, with and without init", "[kernels]") {
    Rng rng(16);
    for (std::size_t width : kWidths)
        for (std::size_t count : {1, 2, 5, 31, 256, 257, 600}) {
            INFO("width " << width << " count " << count);
            const std::size_t rows_in_m = 40, stride = width + 3;
            const auto M = dense(rng, rows_in_m * stride), coef = relu_like(rng, count), init = dense(rng, width);
            std::vector<unsigned> rows(count);
            for (unsigned& r : rows) r = static_cast<unsigned>(rng.uniform() * rows_in_m) % rows_in_m;
            for (const double* start : {static_cast<const double*>(nullptr), init.data()}) {
                std::vector<double> want(width), got(width, 7.0);
                kernels::reference::accumulate_rows(want.data(), start, coef.data(), rows.data(), count, M.data(), stride, width);
                kernels::accumulate_rows(got.data(), start, coef.data(), rows.data(), count, M.data(), stride, width);
                REQUIRE(same(want, got, width));
            }
        }
}
