#pragma once
// Shared by test_grid.cpp and test_grid_adaptive.cpp: the small networks they draw, and the yardstick every
// grid is held to, Trainer::predict in double at each pixel's centre.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "grid.hpp"
#include "trainer.hpp"

namespace grid_check {

inline ap::LayerConfig layer(int units, ap::Activation a) { return {units, a, ap::default_params(a)}; }

inline ap::ExperimentConfig config(ap::DatasetKind data, ap::Head head, std::vector<ap::LayerConfig> hidden,
                                   std::uint64_t seed = 5) {
    ap::ExperimentConfig c;
    c.seed = seed;
    c.data.kind = data;
    c.data.num_points = 200;
    c.network.head = head;
    c.network.hidden = std::move(hidden);
    c.network.init.bias = 0.1;
    c.training.optimizer = ap::OptimizerKind::adam;
    c.training.learning_rate = 0.01;
    return c;
}

inline std::vector<ap::Point> pixel_centres(const ap::GridSpec& g) {
    std::vector<ap::Point> pts;
    const double dx = (g.x_max - g.x_min) / g.width, dy = (g.y_max - g.y_min) / g.height;
    for (int r = 0; r < g.height; ++r)
        for (int c = 0; c < g.width; ++c) pts.push_back({g.x_min + (c + 0.5) * dx, g.y_max - (r + 0.5) * dy, 0});
    return pts;
}

// The largest |got - predict| over the pixel centres, each difference scaled by (1 + |predict|) when relative.
inline double worst_error(ap::Trainer& t, const ap::GridSpec& g, const std::vector<float>& got, bool relative) {
    const auto pts = pixel_centres(g);
    std::vector<double> want(pts.size() * t.outputs());
    t.predict(pts.data(), pts.size(), want.data());
    REQUIRE(got.size() == want.size());
    double worst = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double e = std::fabs(got[i] - want[i]) / (relative ? 1.0 + std::fabs(want[i]) : 1.0);
        worst = std::max(worst, std::isnan(e) ? 1e9 : e);
    }
    return worst;
}

}  // namespace grid_check
