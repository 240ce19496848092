#pragma once
// Whole-grid evaluation for the page: the decision-boundary heatmap and every hidden unit's thumbnail,
// each computed in one call into a caller-owned float buffer (the page reads it through a view of wasm
// memory; floats halve what it reads, and 7 digits are more than a colour needs).
#include <cstddef>
#include <cstdint>
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

// How predict_grid computed a grid: the network evaluated at `evaluated` pixels, the rest interpolated;
// with patterns asked for, `regions` distinct patterns in view (count_regions), 0 for a smooth network.
struct GridStats {
    bool adaptive = false;
    std::size_t evaluated = 0, interpolated = 0;
    std::size_t regions = 0;
};

// Which hidden layers a pattern covers: the first pattern_layers of them (the regions those layers alone
// cut the plane into; the later layers only cut them further), or all.
inline constexpr std::size_t kAllPatternLayers = ~std::size_t{0};

// out (height, width, k): the head's prediction at each pixel, k = trainer.outputs().
// patterns, if given (height, width): each pixel's activation-pattern hash, equal for pixels in the same
// linear region of a piecewise-linear network (and, but for 32-bit hash collisions, different otherwise);
// all 0 for a network with a smooth hidden activation. A unit's part of the pattern is which linear piece
// its z is on (2 bits for two kinks: relu6, hard tanh, hard sigmoid), not only on or off, so the pixels
// sharing a hash share one affine function. pattern_layers limits the hash to the first hidden layers.
//
// GridPath::adaptive, for piecewise-linear networks on linear features (x1, x2): with every hidden
// activation's pattern fixed the network is affine in the point, and the set of points with one pattern is
// convex (an intersection of half-planes, layer by layer). So where the four corners of a cell of pixels
// share one pattern, the whole cell does, and the logits at its pixels are exactly the bilinear
// interpolation of the corners' logits. Cells start 16 pixels wide and split in four (a quadtree) while
// their corners differ; the network runs only at the corners (in double, so logits are those of
// Trainer::predict to ~1e-15), the head at every pixel. Smooth activations and non-linear features
// (x1^2, sin, ...) take the dense path.
//
// GridPath::automatic (the default) is the dense path: measured natively, the quadtree costs 1.7x to 11x
// the dense float pass's CPU time on trained ReLU networks of 1-3 layers of 4-64 units at 100 x 100 and
// 200 x 200, even where it evaluates only 9% of the pixels (double evaluation of scattered corners costs
// ~18x a float pixel in a 16-wide block), and the bench's W2 and W3 have 700 and 3,000+ regions on
// 100 x 100, where it evaluates 75% and 99% of the pixels. Its use today is an exact reference and the
// per-pixel pattern hashes (which the dense path also returns).
// automatic: dense (see above); adaptive: the quadtree whenever applicable; dense: always.
enum class GridPath { automatic, adaptive, dense };
void predict_grid(Trainer& trainer, const GridSpec& grid, std::vector<float>& out,
                  std::vector<std::uint32_t>* patterns = nullptr, GridStats* stats = nullptr,
                  GridPath path = GridPath::automatic, std::size_t pattern_layers = kAllPatternLayers);

// The dense path alone, whatever the network: the float32 GridForward at every pixel, in 4 x 4 tiles.
void predict_grid_dense(Trainer& trainer, const GridSpec& grid, std::vector<float>& out,
                        std::vector<std::uint32_t>* patterns = nullptr,
                        std::size_t pattern_layers = kAllPatternLayers);

// out (hidden units in layer order, height, width): each hidden unit's output at each pixel.
void hidden_unit_grids(Trainer& trainer, const GridSpec& grid, std::vector<float>& out);

std::size_t total_hidden_units(const Network& network);

}  // namespace ap
