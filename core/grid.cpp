#include "grid.hpp"

#include <algorithm>
#include <string>

#include "error.hpp"
#include "features.hpp"

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

// Walks the grid a chunk of pixels at a time, so the scratch stays small whatever the resolution.
constexpr std::size_t kGridChunk = 256;

template <typename Visit>
void for_each_chunk(const GridSpec& g, Visit visit) {
    const std::size_t pixels = static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height);
    const double dx = (g.x_max - g.x_min) / g.width, dy = (g.y_max - g.y_min) / g.height;
    Point chunk[kGridChunk];
    for (std::size_t start = 0; start < pixels; start += kGridChunk) {
        const std::size_t n = std::min(kGridChunk, pixels - start);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t p = start + i;
            const std::size_t r = p / static_cast<std::size_t>(g.width), c = p % static_cast<std::size_t>(g.width);
            chunk[i] = Point{g.x_min + (static_cast<double>(c) + 0.5) * dx, g.y_max - (static_cast<double>(r) + 0.5) * dy, 0};
        }
        visit(chunk, start, n);
    }
}

}  // namespace

void predict_grid(Trainer& trainer, const GridSpec& grid, std::vector<float>& out) {
    validate_grid(grid);
    const std::size_t k = trainer.outputs();
    const std::size_t pixels = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    out.resize(pixels * k);
    double values[kGridChunk * kMaxClasses];  // (chunk, k)
    for_each_chunk(grid, [&](const Point* pts, std::size_t start, std::size_t n) {
        trainer.predict(pts, n, values);
        for (std::size_t i = 0; i < n * k; ++i) out[start * k + i] = static_cast<float>(values[i]);
    });
}

void hidden_unit_grids(Trainer& trainer, const GridSpec& grid, std::vector<float>& out) {
    validate_grid(grid);
    Network& net = trainer.network();
    const std::size_t pixels = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    out.resize(total_hidden_units(net) * pixels);
    const auto features = trainer.config().network.features;
    std::vector<double> X(kGridChunk * net.inputs());  // (chunk, inputs)
    for_each_chunk(grid, [&](const Point* pts, std::size_t start, std::size_t n) {
        map_features(features, pts, n, X.data());
        net.forward(X.data(), n);
        std::size_t unit_base = 0;
        for (std::size_t l = 0; l < net.hidden_layers(); ++l) {
            const std::size_t units = net.layers()[l].out;
            const double* A = net.activations(l);  // (n, units)
            for (std::size_t u = 0; u < units; ++u) {
                float* dst = out.data() + (unit_base + u) * pixels + start;
                for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(A[i * units + u]);
            }
            unit_base += units;
        }
    });
}

}  // namespace ap
