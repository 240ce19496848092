// The grid pictures: the float32 path (grid_forward) against the double path (Trainer::predict, Network
// activations) on every activation and head, the grid's geometry (pixel centres, row 0 at the top, 1-D
// curves of height 1), grids whose size is not a multiple of the block, and the validation messages.
//
// Tolerances. Float rounds each operation to 2^-24 ~ 6e-8 relative. A pre-activation here sums at most
// 24 products of O(1) inputs and weights, so its error is below ~24 * 6e-8 * sum|terms| ~ 1e-5 with
// sum|terms| < 10; the activations have slopes of at most ~1.1 (SELU's 1.05), and three layers compound
// that to a few 1e-5. The heads map logits through tanh, sigmoid or softmax, whose slopes are at most 1.
// So 1e-4 absolute on bounded outputs (and 1e-4 (1 + |y|) on regression values) holds with a margin,
// while any real mistake (a wrong unit, pixel, row order or activation) is off by far more.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "error.hpp"
#include "features.hpp"
#include "grid.hpp"
#include "grid_check.hpp"
#include "grid_forward.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

using grid_check::config;
using grid_check::layer;
using grid_check::pixel_centres;

// The largest |float - double| over the grid, each difference scaled by (1 + |double|) when relative.
double grid_error(Trainer& t, const GridSpec& g, bool relative) {
    std::vector<float> got;
    predict_grid(t, g, got);
    return grid_check::worst_error(t, g, got, relative);
}

}  // namespace

TEST_CASE("float activations agree with the double ones", "[grid]") {
    // Relative where the value is large, absolute near 0: 1e-6 (1 + |f|); tanh and sigmoid's float exp is
    // ~2 ulp, the polynomial near 0 ~1 ulp; the rest are float arithmetic or the double path rounded.
    std::vector<float> xs;
    for (int i = -4000; i <= 4000; ++i) xs.push_back(static_cast<float>(i) * 0.005f);  // -20..20
    for (float x : {-90.0f, -50.0f, -6.0f, -3.0f, -1.0f, -0.0f, 0.0f, 1e-6f, 0.62f, 0.63f, 1.0f, 3.0f, 6.0f, 50.0f, 90.0f})
        xs.push_back(x);
    for (Activation a : all_activations()) {
        INFO(activation_name(a));
        ActivationParams p = default_params(a);
        if (a == Activation::leaky_relu) p.alpha = 0.1;
        std::vector<float> got = xs;
        activation_forward_f32(a, p, got.data(), got.size());
        double worst = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double want = activate(a, p, xs[i]);
            worst = std::max(worst, std::fabs(got[i] - want) / (1.0 + std::fabs(want)));
        }
        CHECK(worst < 1e-6);
    }
    // ReLU is exact, including -0 -> +0.
    float z[5] = {-2.0f, -0.0f, 0.0f, 1.5f, 3e38f};
    activation_forward_f32(Activation::relu, default_params(Activation::relu), z, 5);
    CHECK(z[0] == 0.0f);
    CHECK(!std::signbit(z[1]));
    CHECK(z[3] == 1.5f);
    CHECK(z[4] == 3e38f);
}

TEST_CASE("predict_grid agrees with Trainer::predict on every activation", "[grid]") {
    for (Activation a : all_activations()) {
        INFO(activation_name(a));
        Trainer t(config(DatasetKind::circle, Head::tanh_mse, {layer(8, a), layer(5, a)}));
        t.train_steps(200);
        CHECK(grid_error(t, GridSpec{}, false) < 1e-4);
    }
}

TEST_CASE("ReLU layers fused into their sums give the unfused pass's bits", "[grid]") {
    // Without patterns, a ReLU layer applies ReLU as it stores its sums and flags its live units for the next
    // layer (grid_forward.cpp, units_block<J, true>); with patterns asked for it takes the separate passes.
    // The two must agree bit for bit, on networks whose units die in some blocks and not in others.
    for (std::uint64_t seed : {1, 2, 3}) {
        Trainer t(config(DatasetKind::spiral, Head::sigmoid_bce,
                         {layer(9, Activation::relu), layer(16, Activation::relu), layer(5, Activation::relu)}, seed));
        t.train_steps(300);
        std::vector<float> fused, separate;
        std::vector<std::uint32_t> patterns;
        predict_grid_dense(t, GridSpec{}, fused);
        predict_grid_dense(t, GridSpec{}, separate, &patterns);
        REQUIRE(fused.size() == separate.size());
        std::size_t differing = 0;
        for (std::size_t i = 0; i < fused.size(); ++i)
            differing += std::bit_cast<std::uint32_t>(fused[i]) != std::bit_cast<std::uint32_t>(separate[i]);
        CHECK(differing == 0);
        CHECK(grid_error(t, GridSpec{}, false) < 1e-4);
    }
}

TEST_CASE("predict_grid agrees with Trainer::predict on every head, with every feature", "[grid]") {
    struct Case {
        DatasetKind data;
        Head head;
    };
    for (const Case& hc : {Case{DatasetKind::plane, Head::linear_mse}, Case{DatasetKind::circle, Head::sigmoid_bce},
                           Case{DatasetKind::xor_, Head::tanh_mse}, Case{DatasetKind::spiral3, Head::softmax_ce}}) {
        INFO(head_name(hc.head));
        ExperimentConfig c = config(hc.data, hc.head, {layer(24, Activation::relu), layer(7, Activation::tanh)});
        c.network.features = {Feature::x1, Feature::x2, Feature::x1_squared, Feature::x2_squared,
                              Feature::x1_times_x2, Feature::sin_x1, Feature::sin_x2};
        Trainer t(c);
        t.train_steps(300);
        // Odd sizes: 10,000 is not the only pixel count, and 7 x 3 = 21 leaves a partial block.
        for (GridSpec g : {GridSpec{}, GridSpec{7, 3, -2, 5, -1, 4}, GridSpec{1, 1, -6, 6, -6, 6}}) {
            INFO(g.width << "x" << g.height);
            CHECK(grid_error(t, g, hc.head == Head::linear_mse) < 1e-4);
        }
    }
}

TEST_CASE("grid geometry: pixel centres, row 0 at the top", "[grid]") {
    // No hidden layer and a linear head: the output is w1 x + w2 y + b, so setting the weights reads out the
    // coordinates the grid used. 5 x 3 over x in [-2, 3], y in [1, 4]: dx = 1, dy = 1.
    Trainer t(config(DatasetKind::plane, Head::linear_mse, {}));
    auto p = t.network().params();  // W (2, 1), then b (1)
    REQUIRE(p.size() == 3);
    const GridSpec g{5, 3, -2, 3, 1, 4};
    std::vector<float> out;
    p[0] = 1; p[1] = 0; p[2] = 0;
    predict_grid(t, g, out);
    REQUIRE(out.size() == 15);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 5; ++c) CHECK(out[r * 5 + c] == Approx(-2 + (c + 0.5)).margin(1e-6));  // -1.5 .. 2.5
    p[0] = 0; p[1] = 1;
    predict_grid(t, g, out);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 5; ++c) CHECK(out[r * 5 + c] == Approx(4 - (r + 0.5)).margin(1e-6));  // 3.5, 2.5, 1.5
}

TEST_CASE("1-D data: a grid of height 1 is the fitted curve over x", "[grid]") {
    Trainer t(config(DatasetKind::sine, Head::linear_mse, {layer(16, Activation::relu), layer(16, Activation::gelu_erf)}));
    t.train_steps(300);
    const GridSpec g{37, 1, -5, 5, -1, 1};
    CHECK(grid_error(t, g, true) < 1e-4);
    // The output is a function of x alone: another y range gives the same curve.
    std::vector<float> a, b;
    predict_grid(t, g, a);
    predict_grid(t, GridSpec{37, 1, -5, 5, 100, 200}, b);
    CHECK(a == b);
}

TEST_CASE("hidden_unit_grids: every unit's output, unit-major, agrees with the double network", "[grid]") {
    ExperimentConfig c = config(DatasetKind::circle, Head::sigmoid_bce,
                                {layer(6, Activation::relu), layer(3, Activation::prelu), layer(2, Activation::sigmoid)});
    Trainer t(c);
    t.train_steps(200);
    const GridSpec g{9, 4, -6, 6, -6, 6};
    std::vector<float> out;
    hidden_unit_grids(t, g, out);
    const std::size_t pixels = 36;
    REQUIRE(out.size() == (6 + 3 + 2) * pixels);
    const auto pts = pixel_centres(g);
    std::vector<double> X(pixels * 2);
    map_features(t.config().network.features, pts.data(), pixels, X.data());
    Network& net = t.network();
    net.forward(X.data(), pixels);
    std::size_t unit = 0;
    double worst = 0;
    for (std::size_t l = 0; l < net.hidden_layers(); ++l) {
        const std::size_t units = net.layers()[l].out;
        for (std::size_t u = 0; u < units; ++u, ++unit)
            for (std::size_t i = 0; i < pixels; ++i)
                worst = std::max(worst, std::fabs(out[unit * pixels + i] - net.activations(l)[i * units + u]));
    }
    CHECK(worst < 1e-5);
}

TEST_CASE("grid validation names the field", "[grid]") {
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, Activation::relu)}));
    std::vector<float> out;
    auto message = [&](GridSpec g) {
        try {
            predict_grid(t, g, out);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK_THAT(message(GridSpec{0, 10}), Catch::Contains("grid.width"));
    CHECK_THAT(message(GridSpec{kMaxGridSide + 1, 10}), Catch::Contains("grid.width"));
    CHECK_THAT(message(GridSpec{10, 0}), Catch::Contains("grid.height"));
    CHECK_THAT(message(GridSpec{10, 10, 3, 3, -6, 6}), Catch::Contains("grid.x range"));
    CHECK_THAT(message(GridSpec{10, 10, -6, 6, 1, std::nan("")}), Catch::Contains("grid.y range"));
    CHECK(message(GridSpec{kMaxGridSide, 1}) == "accepted");
    CHECK_THROWS_AS(hidden_unit_grids(t, GridSpec{10, -1}, out), ConfigError);
}

TEST_CASE("unit grids are bounded by their total size, named in the message", "[grid]") {
    std::vector<float> out;
    // 64 units x 512 x 512 pixels = 16,777,216 values, exactly kMaxUnitGridValues (2^24): accepted.
    Trainer at_bound(config(DatasetKind::circle, Head::sigmoid_bce, {layer(64, Activation::relu)}));
    hidden_unit_grids(at_bound, GridSpec{kMaxGridSide, kMaxGridSide}, out);
    CHECK(out.size() == kMaxUnitGridValues);
    // 40 + 25 = 65 units x 262,144 pixels = 17,039,360 values: refused before any memory is taken.
    Trainer over(config(DatasetKind::circle, Head::sigmoid_bce, {layer(40, Activation::relu), layer(25, Activation::tanh)}));
    std::vector<float> untouched(3, 1.0f);
    CHECK_THROWS_WITH(hidden_unit_grids(over, GridSpec{kMaxGridSide, kMaxGridSide}, untouched),
                      Catch::Contains("65 hidden units x 262144 pixels is more than 16777216 values") &&
                          Catch::Contains("kMaxUnitGridValues"));
    CHECK(untouched.size() == 3);
}
