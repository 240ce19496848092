// Each optimizer against two steps worked out by hand, from p = [1, -2] with g1 = [0.5, 0.1], then
// g2 = [-0.3, 0.2], at lr = 0.1 (PyTorch's update rules, as optimizer.hpp states them).
#include <catch2/catch.hpp>

#include <vector>

#include "optimizer.hpp"
#include "power.hpp"

using namespace ap;

namespace {

constexpr double kLr = 0.1;
const std::vector<double> kG1{0.5, 0.1};
const std::vector<double> kG2{-0.3, 0.2};

TrainingConfig config_for(OptimizerKind kind) {
    TrainingConfig c;
    c.optimizer = kind;
    c.momentum = 0.9;
    c.rho = 0.9;
    c.beta1 = 0.9;
    c.beta2 = 0.999;
    c.epsilon = 1e-8;
    return c;
}

struct TwoSteps {
    std::vector<double> after1, after2;
};

TwoSteps run_two_steps(OptimizerKind kind) {
    Optimizer opt(config_for(kind), 2);
    std::vector<double> p{1.0, -2.0};
    TwoSteps r;
    opt.step(p.data(), kG1.data(), 2, kLr);
    r.after1 = p;
    opt.step(p.data(), kG2.data(), 2, kLr);
    r.after2 = p;
    return r;
}

// The hand values carry 15+ significant digits, so 1e-12 allows only the rounding of the double arithmetic.
void check_close(const std::vector<double>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("component " << i);
        CHECK(got[i] == Approx(want[i]).epsilon(0).margin(1e-12));
    }
}

}  // namespace

TEST_CASE("sgd: p -= lr g, two steps by hand", "[optimizer]") {
    // step 1: [1 - 0.1 * 0.5, -2 - 0.1 * 0.1] = [0.95, -2.01]
    // step 2: [0.95 + 0.1 * 0.3, -2.01 - 0.1 * 0.2] = [0.98, -2.03]
    const TwoSteps r = run_two_steps(OptimizerKind::sgd);
    check_close(r.after1, {0.95, -2.01});
    check_close(r.after2, {0.98, -2.03});
}

TEST_CASE("momentum: v = 0.9 v + g, p -= lr v, two steps by hand", "[optimizer]") {
    // step 1: v = [0.5, 0.1]; p = [1 - 0.05, -2 - 0.01] = [0.95, -2.01]
    // step 2: v = [0.45 - 0.3, 0.09 + 0.2] = [0.15, 0.29]; p = [0.95 - 0.015, -2.01 - 0.029] = [0.935, -2.039]
    const TwoSteps r = run_two_steps(OptimizerKind::momentum);
    check_close(r.after1, {0.95, -2.01});
    check_close(r.after2, {0.935, -2.039});
}

TEST_CASE("nesterov: v = 0.9 v + g, p -= lr (g + 0.9 v), two steps by hand", "[optimizer]") {
    // step 1: v = [0.5, 0.1]; g + 0.9 v = [0.95, 0.19]; p = [1 - 0.095, -2 - 0.019] = [0.905, -2.019]
    // step 2: v = [0.15, 0.29]; g + 0.9 v = [-0.3 + 0.135, 0.2 + 0.261] = [-0.165, 0.461];
    //         p = [0.905 + 0.0165, -2.019 - 0.0461] = [0.9215, -2.0651]
    const TwoSteps r = run_two_steps(OptimizerKind::nesterov);
    check_close(r.after1, {0.905, -2.019});
    check_close(r.after2, {0.9215, -2.0651});
}

TEST_CASE("rmsprop: s = 0.9 s + 0.1 g^2, p -= lr g / (sqrt s + eps), two steps by hand", "[optimizer]") {
    // step 1: s = [0.025, 0.001]; sqrt s = [0.158113883008419, 0.0316227766016838]
    //         0.1 * 0.5 / (0.158113883008419 + 1e-8) = 0.316227746016839 (eps shows in the 8th digit)
    //         0.1 * 0.1 / (0.0316227766016838 + 1e-8) = 0.316227666016839
    //         p = [0.683772253983161, -2.316227666016870]
    // step 2: s = [0.0225 + 0.009, 0.0009 + 0.004] = [0.0315, 0.0049]; sqrt s = [0.177482393492988, 0.07]
    //         0.1 * -0.3 / (0.177482393492988 + 1e-8) = -0.169030841421894
    //         0.1 * 0.2 / (0.07 + 1e-8) = 0.285714244897965
    //         p = [0.852803095405055, -2.601941910914835]
    const TwoSteps r = run_two_steps(OptimizerKind::rmsprop);
    check_close(r.after1, {0.683772253983160802, -2.316227666016869556});
    check_close(r.after2, {0.852803095405055130, -2.601941910914834571});
}

TEST_CASE("adam: bias-corrected moments, two steps by hand", "[optimizer]") {
    // step 1: m = 0.1 g = [0.05, 0.01]; v = 0.001 g^2 = [2.5e-4, 1e-5]; c1 = 0.1, c2 = 0.001
    //         m / c1 = g; sqrt(v / c2) = |g|; update = 0.1 * g / (|g| + 1e-8)
    //         = [0.1 * 0.5 / 0.50000001, 0.1 * 0.1 / 0.10000001] = [0.099999998, 0.0999999900000001]
    //         p = [0.900000002, -2.09999999]
    // step 2: m = [0.045 - 0.03, 0.009 + 0.02] = [0.015, 0.029]
    //         v = [0.999 * 2.5e-4 + 0.001 * 0.09, 0.999 * 1e-5 + 0.001 * 0.04] = [3.3975e-4, 4.999e-5]
    //         c1 = 1 - 0.81 = 0.19, c2 = 1 - 0.998001 = 0.001999
    //         m / c1 = [0.0789473684210526, 0.152631578947368]
    //         sqrt(v / c2) = [0.412262028314511, 0.158137610175050]
    //         update = [0.019149803058225, 0.096518196478747]
    //         p = [0.900000002 - 0.019149803058225, -2.09999999 - 0.096518196478747]
    //           = [0.880850198941775, -2.196518186478747]
    const TwoSteps r = run_two_steps(OptimizerKind::adam);
    check_close(r.after1, {0.900000001999999960, -2.099999990000001});
    check_close(r.after2, {0.880850198941775055, -2.196518186478747641});
}

TEST_CASE("optimizer state: sizes, step count, hyper-parameter changes keep the moments", "[optimizer]") {
    SECTION("sgd keeps no moments; momentum and nesterov one; rmsprop one; adam two") {
        CHECK(Optimizer(config_for(OptimizerKind::sgd), 5).first_moment().empty());
        CHECK(Optimizer(config_for(OptimizerKind::sgd), 5).second_moment().empty());
        CHECK(Optimizer(config_for(OptimizerKind::momentum), 5).first_moment().size() == 5);
        CHECK(Optimizer(config_for(OptimizerKind::nesterov), 5).second_moment().empty());
        CHECK(Optimizer(config_for(OptimizerKind::rmsprop), 5).first_moment().size() == 5);
        CHECK(Optimizer(config_for(OptimizerKind::adam), 5).first_moment().size() == 5);
        CHECK(Optimizer(config_for(OptimizerKind::adam), 5).second_moment().size() == 5);
    }
    SECTION("a live momentum change applies from the next step and keeps v") {
        // step 1 at mu 0.9: v = [0.5, 0.1], p = [0.95, -2.01]
        // step 2 at mu 0.5: v = [0.25 - 0.3, 0.05 + 0.2] = [-0.05, 0.25]; p = [0.955, -2.035]
        Optimizer opt(config_for(OptimizerKind::momentum), 2);
        std::vector<double> p{1.0, -2.0};
        opt.step(p.data(), kG1.data(), 2, kLr);
        TrainingConfig c = config_for(OptimizerKind::momentum);
        c.momentum = 0.5;
        opt.set_hyperparameters(c);
        CHECK(opt.steps() == 1);
        check_close(opt.first_moment(), {0.5, 0.1});
        opt.step(p.data(), kG2.data(), 2, kLr);
        check_close(p, {0.955, -2.035});
        CHECK(opt.steps() == 2);
    }
    SECTION("restore continues a saved adam run exactly") {
        Optimizer a(config_for(OptimizerKind::adam), 2);
        std::vector<double> pa{1.0, -2.0};
        a.step(pa.data(), kG1.data(), 2, kLr);
        Optimizer b(config_for(OptimizerKind::adam), 2);
        b.restore(a.steps(), a.first_moment(), a.second_moment());
        std::vector<double> pb = pa;
        a.step(pa.data(), kG2.data(), 2, kLr);
        b.step(pb.data(), kG2.data(), 2, kLr);
        CHECK(pa == pb);  // bias corrections rebuilt from the step count: the same bits
    }
}

TEST_CASE("integer_power matches repeated multiplication for small n and stays O(log n) for huge n", "[optimizer]") {
    // 0.9^2 = 0.81 and 0.9^3 = 0.729 (up to rounding of the same products in another order).
    CHECK(ap::integer_power(0.9, 0) == 1.0);
    CHECK(ap::integer_power(0.9, 1) == 0.9);
    CHECK(ap::integer_power(0.9, 2) == 0.9 * 0.9);
    CHECK(ap::integer_power(0.5, 10) == 1.0 / 1024.0);  // exact: powers of two
    // A hand-made model file may claim step 2^53 - 1: the power must come back at once, not loop 2^53 times.
    CHECK(ap::integer_power(1.0, (std::uint64_t{1} << 53) - 1) == 1.0);
    CHECK(ap::integer_power(0.999, (std::uint64_t{1} << 53) - 1) == 0.0);
}
