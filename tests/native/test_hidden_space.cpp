// The hidden space (hidden_space.hpp): each mapped point is the network's own activation for it, bit for
// bit; an identity layer keeps the grid lines straight and a ReLU layer puts negative pre-activations on the
// axes; the decision boundary, where there is one, is where the logits say it is.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"
#include "features.hpp"
#include "grid_check.hpp"
#include "hidden_space.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

using grid_check::config;
using grid_check::layer;

// The points hidden_space maps, in its order: train, test, then the grid's samples.
std::vector<Point> mapped_inputs(const Trainer& t, const HiddenSpace& hs) {
    std::vector<Point> pts(t.data().train);
    pts.insert(pts.end(), t.data().test.begin(), t.data().test.begin() + static_cast<long>(hs.test));
    const double e = kPlotExtent;
    const auto at = [&](std::size_t i, std::size_t n) { return -e + 2 * e * static_cast<double>(i) / (n - 1); };
    const std::size_t family = hs.lines / 2;
    for (std::size_t l = 0; l < hs.lines; ++l)
        for (std::size_t s = 0; s < hs.samples; ++s) {
            if (hs.lines == 1) pts.push_back({at(s, hs.samples), 0, 0});
            else if (l < family) pts.push_back({at(s, hs.samples), at(l, family), 0});
            else pts.push_back({at(l - family, family), at(s, hs.samples), 0});
        }
    return pts;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// |cross((b - a), (c - a))| relative to the lengths: 0 for three collinear points.
double bend(const double* a, const double* b, const double* c) {
    const double ux = b[0] - a[0], uy = b[1] - a[1], vx = c[0] - a[0], vy = c[1] - a[1];
    const double scale = std::hypot(ux, uy) * std::hypot(vx, vy);
    return scale == 0 ? 0 : std::fabs(ux * vy - uy * vx) / scale;
}

}  // namespace

TEST_CASE("a mapped point is the network's own activation and prediction for it, bit for bit", "[hidden]") {
    Trainer t(config(DatasetKind::spiral, Head::sigmoid_bce,
                     {layer(5, Activation::relu), layer(3, Activation::tanh), layer(4, Activation::gelu_erf)}));
    t.train_steps(150);
    for (const HiddenSpaceSpec spec :
         {HiddenSpaceSpec{0, 1, 3, true}, HiddenSpaceSpec{1, 2, 0, true}, HiddenSpaceSpec{2, 0, 3, false}}) {
        INFO("layer " << spec.layer << ", units " << spec.unit_x << ", " << spec.unit_y);
        HiddenSpace hs;
        hidden_space(t, spec, hs);
        const auto pts = mapped_inputs(t, hs);
        REQUIRE(hs.points.size() == 3 * pts.size());
        // Every point, one at a time through the network: its activations and the head's prediction.
        std::vector<double> X(t.network().inputs());
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            map_features(t.config().network.features, &pts[i], 1, X.data());
            t.network().forward(X.data(), 1);
            const double* A = t.network().activations(spec.layer);
            double p = 0;
            t.predict(&pts[i], 1, &p);
            mismatches += !same_bits(hs.points[3 * i], A[spec.unit_x]) ||
                          !same_bits(hs.points[3 * i + 1], A[spec.unit_y]) || !same_bits(hs.points[3 * i + 2], p);
        }
        CHECK(mismatches == 0);
    }
}

TEST_CASE("the map holds the train points, the test points if asked, and the grid's lines", "[hidden]") {
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, Activation::relu)}));
    HiddenSpace with, without;
    hidden_space(t, {0, 0, 1, true}, with);
    hidden_space(t, {0, 0, 1, false}, without);
    CHECK(with.train == t.data().train.size());
    CHECK(with.test == t.data().test.size());
    CHECK(without.test == 0);
    CHECK(with.lines == 2 * kHiddenGridLines);
    CHECK(with.samples == kHiddenGridSamples);
    CHECK(with.points.size() == 3 * (with.train + with.test + with.lines * with.samples));
    CHECK(without.points.size() == 3 * (without.train + without.lines * without.samples));

    // 1-D data: one grid line, the x axis; the prediction is the fitted value.
    ExperimentConfig c = config(DatasetKind::sine, Head::linear_mse, {layer(3, Activation::tanh)});
    Trainer r(c);
    HiddenSpace line;
    hidden_space(r, {0, 2, 0, true}, line);
    CHECK(line.lines == 1);
    CHECK(line.points.size() == 3 * (line.train + line.test + kHiddenGridSamples));
    CHECK_FALSE(line.has_boundary);
}

TEST_CASE("an identity layer keeps every grid line straight; a ReLU layer folds them onto the axes", "[hidden]") {
    for (const Activation a : {Activation::identity, Activation::relu}) {
        INFO(activation_name(a));
        Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, a)}, 9));
        HiddenSpace hs;
        hidden_space(t, {0, 0, 2, false}, hs);
        const double* grid = hs.points.data() + 3 * hs.train;
        double worst = 0;
        for (std::size_t l = 0; l < hs.lines; ++l) {
            const double* line = grid + 3 * l * hs.samples;
            for (std::size_t s = 1; s + 1 < hs.samples; ++s)
                worst = std::max(worst, bend(line, line + 3 * s, line + 3 * (hs.samples - 1)));
        }
        if (a == Activation::identity) {
            CHECK(worst < 1e-9);
        } else {
            CHECK(worst > 0.1);  // some line crosses a unit's kink and bends there
        }

        // Where a unit's pre-activation is negative, ReLU's output is exactly 0: the point is on that axis.
        const auto pts = mapped_inputs(t, hs);
        std::vector<double> X(t.network().inputs());
        std::size_t negative = 0, off_axis = 0;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            map_features(t.config().network.features, &pts[i], 1, X.data());
            t.network().forward(X.data(), 1);
            const double* Z = t.network().pre_activations(0);
            for (const auto [col, unit] : {std::pair{0, 0}, std::pair{1, 2}}) {
                if (Z[unit] >= 0) continue;
                ++negative;
                off_axis += hs.points[3 * i + col] != (a == Activation::relu ? 0.0 : Z[unit]);
            }
        }
        CHECK(negative > 100);
        CHECK(off_axis == 0);
    }
}

TEST_CASE("the decision line: the last hidden layer's two units, where the logit is 0", "[hidden]") {
    Trainer t(config(DatasetKind::xor_, Head::sigmoid_bce, {layer(6, Activation::relu), layer(2, Activation::tanh)}));
    t.train_steps(300);
    HiddenSpace hs;
    hidden_space(t, {1, 1, 0, true}, hs);
    REQUIRE(hs.has_boundary);
    REQUIRE(hs.boundary.size() == 4);
    const LayerShape& o = t.network().layers()[2];
    const auto p = t.network().params();
    // unit_x is unit 1: logit = W[1] x + W[0] y + b.
    const auto logit = [&](double x, double y) { return p[o.w + 1] * x + p[o.w + 0] * y + p[o.b]; };
    CHECK(logit(hs.boundary[0], hs.boundary[1]) == Approx(0).margin(1e-9));
    CHECK(logit(hs.boundary[2], hs.boundary[3]) == Approx(0).margin(1e-9));
    CHECK(std::hypot(hs.boundary[2] - hs.boundary[0], hs.boundary[3] - hs.boundary[1]) > 0);
    // Each point's side of the line is its prediction's side of 0.5.
    std::size_t wrong_side = 0;
    for (std::size_t i = 0; i < hs.points.size(); i += 3) {
        const double z = logit(hs.points[i], hs.points[i + 1]);
        if (std::fabs(z) > 1e-9) wrong_side += (z > 0) != (hs.points[i + 2] > 0.5);
    }
    CHECK(wrong_side == 0);

    // No line where the logits depend on more than the two units shown.
    HiddenSpace first, wide;
    hidden_space(t, {0, 0, 1, true}, first);
    CHECK_FALSE(first.has_boundary);
    CHECK(first.boundary.empty());
    Trainer w(config(DatasetKind::xor_, Head::sigmoid_bce, {layer(3, Activation::relu)}));
    hidden_space(w, {0, 0, 1, true}, wide);
    CHECK_FALSE(wide.has_boundary);
}

TEST_CASE("softmax: the boundary is where two classes tie at the top", "[hidden]") {
    ExperimentConfig c =
        config(DatasetKind::blobs, Head::softmax_ce, {layer(8, Activation::relu), layer(2, Activation::identity)});
    c.data.classes = 3;
    Trainer t(c);
    t.train_steps(400);
    HiddenSpace hs;
    hidden_space(t, {1, 0, 1, true}, hs);
    REQUIRE(hs.has_boundary);
    REQUIRE(hs.boundary.size() >= 4);
    REQUIRE(hs.boundary.size() % 4 == 0);
    const LayerShape& o = t.network().layers()[2];
    const auto p = t.network().params();
    const auto logit = [&](std::size_t k, double x, double y) {
        return p[o.w + k] * x + p[o.w + 3 + k] * y + p[o.b + k];
    };
    // Every end of every segment: the two largest logits are equal there.
    for (std::size_t i = 0; i < hs.boundary.size(); i += 2) {
        double z[3];
        for (std::size_t k = 0; k < 3; ++k) z[k] = logit(k, hs.boundary[i], hs.boundary[i + 1]);
        std::sort(z, z + 3);
        CHECK(z[2] - z[1] == Approx(0).margin(1e-9 * (1 + std::fabs(z[2]))));
    }
    // The predicted class of each point is its largest logit.
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < hs.points.size(); i += 3) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < 3; ++k)
            if (logit(k, hs.points[i], hs.points[i + 1]) > logit(best, hs.points[i], hs.points[i + 1])) best = k;
        wrong += static_cast<double>(best) != hs.points[i + 2];
    }
    CHECK(wrong == 0);
}

TEST_CASE("a layer or unit the network does not have is refused by name", "[hidden]") {
    Trainer t(config(DatasetKind::circle, Head::sigmoid_bce, {layer(4, Activation::relu), layer(1, Activation::relu)}));
    HiddenSpace hs;
    const auto message = [&](HiddenSpaceSpec spec) {
        try {
            hidden_space(t, spec, hs);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(message({2, 0, 1, true}) == "hiddenSpace.layer must be 0..1 (the network's hidden layers, from 0), got 2");
    CHECK(message({0, 4, 1, true}) == "hiddenSpace.unitX must be 0..3 (layer 0's units, from 0), got 4");
    CHECK(message({0, 0, 9, true}) == "hiddenSpace.unitY must be 0..3 (layer 0's units, from 0), got 9");
    CHECK(message({0, 2, 2, true}) == "hiddenSpace.unitY must differ from unitX (both 2)");
    CHECK(message({1, 0, 1, true}) == "hiddenSpace: layer 1 has one unit; the hidden space needs two");
    CHECK(message({0, 3, 0, true}) == "accepted");
}
