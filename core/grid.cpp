#include "grid.hpp"

#include <algorithm>
#include <string>

#include "error.hpp"
#include "features.hpp"
#include "grid_forward.hpp"

namespace ap {

void validate_grid(const GridSpec& g) {
    auto side = [](const char* field, int v) {
        if (v < 1 || v > kMaxGridSide)
            throw ConfigError(std::string("grid.") + field + " must be 1.." + std::to_string(kMaxGridSide) +
                              ", got " + std::to_string(v));
    };
    side("width", g.width);
    side("height", g.height);
    auto range = [](const char* field, double lo, double hi) {
        if (!(lo < hi) || !(hi - lo < 1e12) || !(lo > -1e6) || !(hi < 1e6))
            throw ConfigError(std::string("grid.") + field + " must be an increasing range inside -1e6..1e6");
    };
    range("x range", g.x_min, g.x_max);
    range("y range", g.y_min, g.y_max);
}

std::size_t total_hidden_units(const Network& network) {
    std::size_t n = 0;
    for (std::size_t l = 0; l < network.hidden_layers(); ++l) n += network.layers()[l].out;
    return n;
}

namespace {

// The network's input features at each pixel, kGridBlock pixels at a time (unit-major, as GridForward
// reads them). Coordinates and features are computed in double exactly as the double path computes them
// (pixel centres per GridSpec, map_features' formulas), then rounded to float; sines are taken once per
// column or row rather than once per pixel.
class GridInputs {
public:
    GridInputs(const Trainer& trainer, const GridSpec& g)
        : features_(trainer.config().network.features), width_(static_cast<std::size_t>(g.width)) {
        const double dx = (g.x_max - g.x_min) / g.width, dy = (g.y_max - g.y_min) / g.height;
        for (int c = 0; c < g.width; ++c) xs_.push_back(g.x_min + (static_cast<double>(c) + 0.5) * dx);
        for (int r = 0; r < g.height; ++r) ys_.push_back(g.y_max - (static_cast<double>(r) + 0.5) * dy);
        for (double x : xs_) sin_xs_.push_back(feature_value(Feature::sin_x1, x, 0.0));
        for (double y : ys_) sin_ys_.push_back(feature_value(Feature::sin_x2, 0.0, y));
    }

    std::size_t inputs() const { return features_.empty() ? 1 : features_.size(); }

    // X (inputs, kGridBlock) for pixels p0 .. p0 + n - 1; lanes past n repeat the last pixel.
    void fill(std::size_t p0, std::size_t n, float* X) const {
        for (std::size_t lane = 0; lane < kGridBlock; ++lane) {
            const std::size_t p = p0 + std::min(lane, n - 1);
            const std::size_t r = p / width_, c = p % width_;
            if (features_.empty()) {
                X[lane] = static_cast<float>(xs_[c]);  // 1-D data: the input is x
                continue;
            }
            for (std::size_t f = 0; f < features_.size(); ++f)
                X[f * kGridBlock + lane] = static_cast<float>(value(features_[f], r, c));
        }
    }

private:
    double value(Feature f, std::size_t r, std::size_t c) const {
        if (f == Feature::sin_x1) return sin_xs_[c];
        if (f == Feature::sin_x2) return sin_ys_[r];
        return feature_value(f, xs_[c], ys_[r]);
    }

    std::vector<Feature> features_;
    std::size_t width_;
    std::vector<double> xs_, ys_, sin_xs_, sin_ys_;  // (width) and (height)
};

constexpr std::size_t kMaxInputs = 8;  // 7 features at most, or x alone

}  // namespace

void predict_grid(Trainer& trainer, const GridSpec& grid, std::vector<float>& out) {
    validate_grid(grid);
    const std::size_t k = trainer.outputs();
    const std::size_t pixels = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    out.resize(pixels * k);
    const GridInputs inputs(trainer, grid);
    GridForward net(trainer.network());
    float X[kMaxInputs * kGridBlock];    // (inputs, block)
    float Y[kMaxClasses * kGridBlock];  // (k, block)
    for (std::size_t p0 = 0; p0 < pixels; p0 += kGridBlock) {
        const std::size_t n = std::min(kGridBlock, pixels - p0);
        inputs.fill(p0, n, X);
        net.run(X);
        std::copy_n(net.logits(), k * kGridBlock, Y);
        head_predict_f32(trainer.config().network.head, Y, k);
        for (std::size_t lane = 0; lane < n; ++lane)
            for (std::size_t c = 0; c < k; ++c) out[(p0 + lane) * k + c] = Y[c * kGridBlock + lane];
    }
}

void hidden_unit_grids(Trainer& trainer, const GridSpec& grid, std::vector<float>& out) {
    validate_grid(grid);
    const Network& network = trainer.network();
    const std::size_t pixels = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    const std::size_t units = total_hidden_units(network);
    if (units * pixels > kMaxUnitGridValues)
        throw ConfigError("unit grids: " + std::to_string(units) + " hidden units x " + std::to_string(pixels) +
                          " pixels is more than " + std::to_string(kMaxUnitGridValues) +
                          " values (kMaxUnitGridValues); use a smaller grid");
    out.resize(units * pixels);
    const GridInputs inputs(trainer, grid);
    GridForward net(network);
    float X[kMaxInputs * kGridBlock];  // (inputs, block)
    for (std::size_t p0 = 0; p0 < pixels; p0 += kGridBlock) {
        const std::size_t n = std::min(kGridBlock, pixels - p0);
        inputs.fill(p0, n, X);
        net.run(X);
        std::size_t unit = 0;
        for (std::size_t l = 0; l < network.hidden_layers(); ++l)
            for (std::size_t u = 0; u < net.units(l); ++u, ++unit)
                std::copy_n(net.activations(l) + u * kGridBlock, n, out.data() + unit * pixels + p0);
    }
}

}  // namespace ap
