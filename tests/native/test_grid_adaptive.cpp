// The adaptive heatmap for piecewise-linear networks (grid.cpp's quadtree) against the dense double
// evaluation, Trainer::predict at every pixel: every piecewise-linear activation on random networks, every
// head, odd grid sizes, and hand-made thin regions that slip between grid points or contain one. The
// adaptive path runs the network in double at cell corners and interpolates the logits, so it must agree
// with the dense double evaluation to float rounding of the output: 1e-6 (relative for regression values).
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "grid.hpp"
#include "grid_check.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

using grid_check::config;
using grid_check::layer;

// The largest difference between the adaptive grid and Trainer::predict at the pixel centres.
double adaptive_error(Trainer& t, const GridSpec& g, bool relative, GridStats& stats) {
    std::vector<float> got;
    std::vector<std::uint32_t> hashes;
    predict_grid(t, g, got, &hashes, &stats, GridPath::adaptive);
    REQUIRE(hashes.size() == static_cast<std::size_t>(g.width) * g.height);
    return grid_check::worst_error(t, g, got, relative);
}

const Activation kPiecewiseLinear[] = {Activation::relu,     Activation::leaky_relu, Activation::prelu,
                                       Activation::relu6,    Activation::hard_tanh,  Activation::hard_sigmoid,
                                       Activation::identity, Activation::binary_step};

}  // namespace

TEST_CASE("adaptive grid equals dense evaluation on every piecewise-linear activation", "[grid_adaptive]") {
    for (Activation a : kPiecewiseLinear) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            INFO(activation_name(a) << ", seed " << seed);
            ExperimentConfig c = config(DatasetKind::circle, Head::sigmoid_bce, {layer(6, a), layer(4, a)}, seed);
            if (a == Activation::leaky_relu) c.network.hidden[0].params.alpha = c.network.hidden[1].params.alpha = 0.2;
            Trainer t(c);
            t.train_steps(50);
            GridStats stats;
            CHECK(adaptive_error(t, GridSpec{}, false, stats) < 1e-6);
            CHECK(stats.adaptive);
            CHECK(stats.evaluated + stats.interpolated == 10000);
            CHECK(stats.interpolated > 0);  // a network this small has large regions
        }
    }
}

TEST_CASE("adaptive grid on every head and odd grid sizes", "[grid_adaptive]") {
    struct Case {
        DatasetKind data;
        Head head;
    };
    for (const Case& hc : {Case{DatasetKind::plane, Head::linear_mse}, Case{DatasetKind::circle, Head::sigmoid_bce},
                           Case{DatasetKind::xor_, Head::tanh_mse}, Case{DatasetKind::spiral3, Head::softmax_ce}}) {
        INFO(head_name(hc.head));
        Trainer t(config(hc.data, hc.head, {layer(16, Activation::relu), layer(8, Activation::relu), layer(8, Activation::relu)}));
        t.train_steps(300);
        for (GridSpec g : {GridSpec{}, GridSpec{7, 3, -2, 5, -1, 4}, GridSpec{1, 1, -6, 6, -6, 6}, GridSpec{1, 40, -6, 6, -6, 6},
                           GridSpec{37, 1, -5, 5, 100, 200}, GridSpec{200, 130, -3, 4, -6, 1}}) {
            INFO(g.width << "x" << g.height);
            GridStats stats;
            CHECK(adaptive_error(t, g, hc.head == Head::linear_mse, stats) < 1e-6);
            CHECK(stats.evaluated + stats.interpolated == static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
        }
    }
}

TEST_CASE("adaptive grid keeps thin regions that slip between grid points or hold one", "[grid_adaptive]") {
    // One hidden layer of 2 ReLU units with parallel fold lines close together, and an output that is 0 on
    // one side of both, a constant on the other, and a ramp on the thin strip between: the regions on the
    // two sides share no pattern, so every cell the strip crosses must split down to its pixels. Pixel
    // centres are at x = -6 + (c + 0.5) 0.12, e.g. -0.06 and 0.06.
    struct Strip {
        double wx, wy, at, width;  // fold lines wx x + wy y = at and = at + width
    };
    for (const Strip& s : {Strip{1, 0, 0.01, 0.0005},    // between the centres -0.06 and 0.06
                           Strip{1, 0, 0.055, 0.01},     // holds the centre 0.06
                           Strip{0, 1, -3.001, 0.0001},  // horizontal, between rows
                           Strip{1, 1, 0.3, 0.002},      // diagonal
                           Strip{1, -0.37, 2.0, 0.004}}) {
        INFO("strip " << s.wx << " x + " << s.wy << " y in [" << s.at << ", " << s.at + s.width << "]");
        Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(2, Activation::relu)}));
        Network& net = t.network();
        auto p = net.params();
        const LayerShape& h = net.layers()[0];
        const LayerShape& o = net.layers()[1];
        // z_a = wx x + wy y - at, z_b = the same - width; out = 1000 (relu(z_a) - relu(z_b)).
        p[h.w + 0 * h.out + 0] = s.wx;
        p[h.w + 1 * h.out + 0] = s.wy;
        p[h.w + 0 * h.out + 1] = s.wx;
        p[h.w + 1 * h.out + 1] = s.wy;
        p[h.b + 0] = -s.at;
        p[h.b + 1] = -(s.at + s.width);
        p[o.w + 0] = 1000.0;
        p[o.w + 1] = -1000.0;
        p[o.b] = -0.2;
        GridStats stats;
        CHECK(adaptive_error(t, GridSpec{}, false, stats) < 1e-6);
        CHECK(stats.adaptive);
        CHECK(stats.interpolated > 5000);
        std::vector<float> out;
        std::vector<std::uint32_t> hashes;
        predict_grid(t, GridSpec{}, out, &hashes, nullptr, GridPath::adaptive);
        const std::set<std::uint32_t> regions(hashes.begin(), hashes.end());
        CHECK(regions.size() >= 2);
        CHECK(regions.size() <= 3);
    }
}

TEST_CASE("adaptive grid: hashes name regions as the dense pass does; smooth networks stay dense", "[grid_adaptive]") {
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(8, Activation::relu), layer(8, Activation::relu)}));
    t.train_steps(100);
    std::vector<float> a, d;
    std::vector<std::uint32_t> ha, hd;
    predict_grid(t, GridSpec{}, a, &ha, nullptr, GridPath::adaptive);
    predict_grid_dense(t, GridSpec{}, d, &hd);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < ha.size(); ++i) differ += ha[i] != hd[i];
    CHECK(differ <= ha.size() / 100);  // the dense pass's float z may fall on the other side of a fold by a hair

    for (Activation a2 : {Activation::tanh, Activation::gelu_tanh, Activation::elu}) {
        Trainer s(config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, a2)}));
        GridStats stats;
        std::vector<float> out;
        std::vector<std::uint32_t> hashes;
        predict_grid(s, GridSpec{}, out, &hashes, &stats, GridPath::adaptive);
        CHECK(!stats.adaptive);
        CHECK(std::set<std::uint32_t>(hashes.begin(), hashes.end()) == std::set<std::uint32_t>{0});
    }
    ExperimentConfig c = config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, Activation::relu)});
    c.network.features = {Feature::x1, Feature::x2, Feature::x1_squared};
    Trainer q(c);
    GridStats stats;
    std::vector<float> out;
    predict_grid(q, GridSpec{}, out, nullptr, &stats, GridPath::adaptive);
    CHECK(!stats.adaptive);  // x1^2 is not affine in the point
}
