#pragma once
// Whole-grid evaluation for the page: the decision-boundary heatmap and every hidden unit's thumbnail,
// each computed in one call into a caller-owned float buffer (the page reads it through a view of wasm
// memory; floats halve what it reads, and 7 digits are more than a colour needs).
#include <cstddef>
#include <vector>

#include "limits.hpp"
#include "trainer.hpp"

namespace ap {

// kMaxGridSide and kMaxUnitGridValues bound the grids (limits.hpp).

// Pixel (r, c) is the point at its centre: x = x_min + (c + 0.5) (x_max - x_min) / width,
// y = y_max - (r + 0.5) (y_max - y_min) / height (row 0 at the top, as drawn). For 1-D data only x is used,
// so a grid of height 1 is the fitted curve.
struct GridSpec {
    int width = 100, height = 100;
    double x_min = -kPlotExtent, x_max = kPlotExtent, y_min = -kPlotExtent, y_max = kPlotExtent;
};

void validate_grid(const GridSpec& grid);  // throws ConfigError naming the field

// out (height, width, k): the head's prediction at each pixel, k = trainer.outputs().
void predict_grid(Trainer& trainer, const GridSpec& grid, std::vector<float>& out);

// out (hidden units in layer order, height, width): each hidden unit's output at each pixel.
void hidden_unit_grids(Trainer& trainer, const GridSpec& grid, std::vector<float>& out);

std::size_t total_hidden_units(const Network& network);

}  // namespace ap
