// detmath::tanh_n and expm1_n against the scalar detmath::tanh and expm1, bit for bit: random arguments over
// every range the scalar code branches on, each threshold and its neighbours, and the special values. The
// network trains through tanh_n, so any differing bit would change training results.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "activation.hpp"
#include "detmath.hpp"
#include "detmath_simd.hpp"

namespace dm = ap::detmath;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct Stream {  // splitmix64, as in test_detmath.cpp
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
};

// Log-uniform magnitudes from 2^-60 to 2^10 with either sign, uniform values in [-50, 50], the thresholds
// of tanh (2^-28; ln2/4, where tanh_core's k leaves 0; 22) and expm1 (2^-54, ln2/2, 1, 1.5 ln2, 20, 56 ln2,
// 700) with 4 neighbours each side,
// halves and doubles of those, and the special values.
std::vector<double> arguments() {
    std::vector<double> xs;
    Stream s{15};
    for (int i = 0; i < 200000; ++i) {
        const double x = std::exp2(-60.0 + 70.0 * s.unit());
        xs.push_back((s.next() & 1) ? -x : x);
        xs.push_back(-50.0 + 100.0 * s.unit());
    }
    const double thresholds[] = {0x1p-54, 0x1p-28, 0x1.62e42fefa39efp-3, 0x1.62e42fefa39efp-2, 0x1.62e43p-2, 1.0, 0x1.0a2b2p0,
                                 0x1.0a2b23f3bab73p0, 2.0, 20.0, 22.0, 38.0, 0x1.368p5, 40.0, 44.0, 700.0};
    for (double t : thresholds) {
        for (double v : {t, t / 2, t * 2}) {
            double up = v, down = v;
            for (int k = 0; k < 5; ++k) {
                for (double w : {up, down}) {
                    xs.push_back(w);
                    xs.push_back(-w);
                }
                up = std::nextafter(up, inf);
                down = std::nextafter(down, -inf);
            }
        }
    }
    for (double v : {0.0, -0.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(), 5e-324, -5e-324,
                     std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(), 1e-310})
        xs.push_back(v);
    return xs;
}

// Same bits, or both NaN (wasm may change a NaN's payload; the scalar function returns the input NaN).
bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (a != a && b != b); }

}  // namespace

TEST_CASE("tanh_n gives detmath::tanh's bits for every argument, at every offset and length", "[detmath_simd]") {
    const std::vector<double> xs = arguments();
    std::vector<double> ys(xs.size());
    dm::tanh_n(xs.data(), ys.data(), xs.size());
    std::size_t mismatches = 0;
    double first = 0;
    for (std::size_t i = 0; i < xs.size(); ++i)
        if (!same(ys[i], dm::tanh(xs[i])) && mismatches++ == 0) first = xs[i];
    INFO("first mismatch at x = " << std::hexfloat << first);
    CHECK(mismatches == 0);
    // Odd lengths and offsets: the last odd element goes through the scalar function, in place works.
    for (std::size_t n = 0; n < 9; ++n) {
        std::vector<double> in(xs.begin() + 3, xs.begin() + 3 + static_cast<std::ptrdiff_t>(n));
        dm::tanh_n(in.data(), in.data(), n);
        for (std::size_t i = 0; i < n; ++i) CHECK(same(in[i], dm::tanh(xs[3 + i])));
    }
}

TEST_CASE("tanh_n's paths for pairs within one range and across two give detmath::tanh's bits", "[detmath_simd]") {
    // tanh_n takes a shorter path when both lanes of a pair are in [2^-28, 22), and within it each lane
    // chooses its quotient by k (0 below ln2/4): pair every argument with partners of each kind (k = 0,
    // k >= 1, tiny, saturated, NaN), in either lane.
    const std::vector<double> xs = arguments();
    const double partners[] = {0.25, -0.01, 0x1p-28, 0.17, -0.18, 0.9999, 1.0, -3.0, 6.75, 19.0, -21.99, 0.0, 30.0,
                               std::numeric_limits<double>::quiet_NaN()};
    std::size_t mismatches = 0, pairs = 0;
    double first = 0;
    std::vector<double> in(2), out(2);
    for (double x : xs)
        for (double partner : partners)
            for (int lane = 0; lane < 2; ++lane) {
                in[lane] = x;
                in[1 - lane] = partner;
                dm::tanh_n(in.data(), out.data(), 2);
                ++pairs;
                if ((!same(out[0], dm::tanh(in[0])) || !same(out[1], dm::tanh(in[1]))) && mismatches++ == 0) first = x;
            }
    INFO("first mismatch at x = " << std::hexfloat << first << " over " << pairs << " pairs");
    CHECK(mismatches == 0);
}

TEST_CASE("tanh_n is the tanh activation's value, bit for bit", "[detmath_simd]") {
    // activation_forward's Tanh clamps |x| > 20 to +-1 where detmath::tanh computes t / (t + 2) up to 22:
    // both give exactly +-1 there, so the network may use either.
    const std::vector<double> xs = arguments();
    std::vector<double> ys(xs.size()), ref(xs.size());
    dm::tanh_n(xs.data(), ys.data(), xs.size());
    ap::activation_forward(ap::Activation::tanh, ap::default_params(ap::Activation::tanh), xs.data(), ref.data(), xs.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) mismatches += !same(ys[i], ref[i]);
    CHECK(mismatches == 0);
}

TEST_CASE("expm1_n gives detmath::expm1's bits for every argument", "[detmath_simd]") {
    std::vector<double> xs = arguments();
    for (double x : {709.0, 709.78, 710.0, -745.0, -38.9, -39.0, 0x1.62e42fefa39efp+9}) xs.push_back(x);
    std::vector<double> ys(xs.size());
    dm::expm1_n(xs.data(), ys.data(), xs.size());
    std::size_t mismatches = 0;
    double first = 0;
    for (std::size_t i = 0; i < xs.size(); ++i)
        if (!same(ys[i], dm::expm1(xs[i])) && mismatches++ == 0) first = xs[i];
    INFO("first mismatch at x = " << std::hexfloat << first);
    CHECK(mismatches == 0);
}
