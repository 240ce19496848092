// Weight initialisation: each scheme's sample mean, sd, bounds and shape over a large layer against the
// scheme's formula worked out for that layer; zeros, the bias fill, buffer bounds and determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "init.hpp"

using namespace ap;

namespace {

// 400 inputs, 300 outputs: fan_in != fan_out, so Glorot (fan_in + fan_out) and He/LeCun (fan_in) differ.
constexpr std::size_t kIn = 400, kOut = 300, kN = kIn * kOut;  // 120,000 weights
constexpr double kGuard = -12345.0;  // written around the buffers to catch writes past their ends

struct Sample {
    std::vector<double> w;  // (kIn, kOut), with one guard value either side
    std::vector<double> b;  // (kOut), with one guard value either side
    double mean = 0, sd = 0, lo = 0, hi = 0;
    double within_1sd = 0;  // fraction of |w - mean| < sd: 0.6827 for a normal, 0.5774 for a uniform
};

Sample draw(InitScheme scheme, std::uint64_t seed, double uniform_range = 0.5, double bias = 0.0) {
    Sample s;
    s.w.assign(kN + 2, kGuard);
    s.b.assign(kOut + 2, kGuard);
    Rng rng(seed);
    init_layer(InitConfig{scheme, uniform_range, bias}, rng, s.w.data() + 1, kIn, kOut, s.b.data() + 1);
    REQUIRE(s.w.front() == kGuard);
    REQUIRE(s.w.back() == kGuard);
    REQUIRE(s.b.front() == kGuard);
    REQUIRE(s.b.back() == kGuard);
    const auto first = s.w.begin() + 1, last = s.w.end() - 1;
    double sum = 0, sum2 = 0;
    for (auto it = first; it != last; ++it) { sum += *it; sum2 += *it * *it; }
    s.mean = sum / kN;
    s.sd = std::sqrt(sum2 / kN - s.mean * s.mean);
    s.lo = *std::min_element(first, last);
    s.hi = *std::max_element(first, last);
    int inside = 0;
    for (auto it = first; it != last; ++it) inside += std::fabs(*it - s.mean) < s.sd;
    s.within_1sd = static_cast<double>(inside) / kN;
    return s;
}

// Uniform(-a, a): sd a / sqrt 3; the extremes of 120,000 draws lie within about a * 1e-4 of +-a.
void check_uniform(const Sample& s, double a) {
    INFO("a = " << a << ", mean " << s.mean << ", sd " << s.sd << ", range [" << s.lo << ", " << s.hi << "]");
    CHECK(s.lo >= -a);
    CHECK(s.hi < a);
    CHECK(s.lo < -0.999 * a);
    CHECK(s.hi > 0.999 * a);
    // Standard error of the mean: (a / sqrt 3) / sqrt(120000) = 0.0017 a; of the sd: about 0.0011 a / sqrt 3.
    CHECK(std::fabs(s.mean) < 0.01 * a);
    CHECK(s.sd == Approx(a / std::sqrt(3.0)).epsilon(0.01));
    CHECK(std::fabs(s.within_1sd - 0.5774) < 0.01);
}

// Normal(0, sd), not truncated: some draws beyond 3 sd (0.27% of 120,000 is about 320), a bell shape.
void check_normal(const Sample& s, double sd) {
    INFO("sd = " << sd << ", mean " << s.mean << ", sample sd " << s.sd << ", range [" << s.lo << ", " << s.hi << "]");
    // Standard errors: mean sd / 346 = 0.0029 sd, sd 0.002 sd.
    CHECK(std::fabs(s.mean) < 0.015 * sd);
    CHECK(s.sd == Approx(sd).epsilon(0.01));
    CHECK(std::fabs(s.within_1sd - 0.6827) < 0.01);
    CHECK(s.hi > 3.5 * sd);
    CHECK(s.lo < -3.5 * sd);
    CHECK(s.hi < 6.5 * sd);
    CHECK(s.lo > -6.5 * sd);
}

}  // namespace

TEST_CASE("uniform draws from (-uniform_range, uniform_range)", "[init]") {
    check_uniform(draw(InitScheme::uniform, 1, 0.5), 0.5);
    check_uniform(draw(InitScheme::uniform, 2, 3.0), 3.0);
}

TEST_CASE("glorot_uniform: a = sqrt(6 / (fan_in + fan_out))", "[init]") {
    // sqrt(6 / 700) = sqrt(0.00857143) = 0.0925820
    check_uniform(draw(InitScheme::glorot_uniform, 3), 0.0925820);
}

TEST_CASE("glorot_normal: sd = sqrt(2 / (fan_in + fan_out))", "[init]") {
    // sqrt(2 / 700) = sqrt(0.00285714) = 0.0534522
    check_normal(draw(InitScheme::glorot_normal, 4), 0.0534522);
}

TEST_CASE("he_uniform: a = sqrt(6 / fan_in)", "[init]") {
    // sqrt(6 / 400) = sqrt(0.015) = 0.122474
    check_uniform(draw(InitScheme::he_uniform, 5), 0.122474);
}

TEST_CASE("he_normal: sd = sqrt(2 / fan_in)", "[init]") {
    // sqrt(2 / 400) = sqrt(0.005) = 0.0707107
    check_normal(draw(InitScheme::he_normal, 6), 0.0707107);
}

TEST_CASE("lecun_normal: sd = sqrt(1 / fan_in)", "[init]") {
    // sqrt(1 / 400) = 0.05
    check_normal(draw(InitScheme::lecun_normal, 7), 0.05);
}

TEST_CASE("zeros: every weight 0, the bias still filled", "[init]") {
    const Sample s = draw(InitScheme::zeros, 8, 0.5, 0.1);
    for (std::size_t i = 1; i <= kN; ++i) REQUIRE(s.w[i] == 0.0);
    for (std::size_t j = 1; j <= kOut; ++j) REQUIRE(s.b[j] == 0.1);
}

TEST_CASE("every bias is config.bias, whatever the scheme", "[init]") {
    for (InitScheme scheme : {InitScheme::uniform, InitScheme::glorot_uniform, InitScheme::glorot_normal,
                              InitScheme::he_uniform, InitScheme::he_normal, InitScheme::lecun_normal,
                              InitScheme::zeros}) {
        for (double bias : {0.0, 0.1, -0.5}) {
            std::vector<double> w(6 * 3), b(3 + 1, kGuard);  // w: (6, 3); b: (3) and a guard
            Rng rng(9);
            init_layer(InitConfig{scheme, 0.5, bias}, rng, w.data(), 6, 3, b.data());
            INFO(init_name(scheme) << ", bias " << bias);
            CHECK(b[0] == bias);
            CHECK(b[1] == bias);
            CHECK(b[2] == bias);
            CHECK(b[3] == kGuard);
        }
    }
}

TEST_CASE("the same seed gives the same weights, another seed others", "[init]") {
    for (InitScheme scheme : {InitScheme::uniform, InitScheme::glorot_uniform, InitScheme::glorot_normal,
                              InitScheme::he_uniform, InitScheme::he_normal, InitScheme::lecun_normal}) {
        INFO(init_name(scheme));
        std::vector<double> w1(20 * 10), w2(20 * 10), w3(20 * 10), b(10);  // w: (20, 10); b: (10)
        Rng r1(100), r2(100), r3(101);
        const InitConfig config{scheme, 0.5, 0.0};
        init_layer(config, r1, w1.data(), 20, 10, b.data());
        init_layer(config, r2, w2.data(), 20, 10, b.data());
        init_layer(config, r3, w3.data(), 20, 10, b.data());
        CHECK(w1 == w2);
        int same = 0;
        for (std::size_t i = 0; i < w1.size(); ++i) same += w1[i] == w3[i];
        CHECK(same == 0);
        // A second layer drawn from the same generator continues the sequence rather than repeating it.
        std::vector<double> next(20 * 10);
        init_layer(config, r1, next.data(), 20, 10, b.data());
        CHECK(next != w1);
    }
}

TEST_CASE("a 1 x 1 layer draws inside the scheme's bound", "[init]") {
    // he_uniform at fan_in 1: a = sqrt(6) = 2.449; glorot_uniform at 1 + 1: a = sqrt(3) = 1.732.
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        double w = 0, b = 0;
        Rng rng(seed);
        init_layer(InitConfig{InitScheme::he_uniform, 0.5, 0.0}, rng, &w, 1, 1, &b);
        CHECK(std::fabs(w) < 2.4495);
        init_layer(InitConfig{InitScheme::glorot_uniform, 0.5, 0.0}, rng, &w, 1, 1, &b);
        CHECK(std::fabs(w) < 1.7321);
    }
}
