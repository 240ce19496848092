#pragma once
// The hidden space: the data and the input plane's grid lines seen through one hidden layer, in the
// coordinates of two of its units (as ConvNetJS's classify2d shows it). Each point goes through the network's
// own forward pass in double (Network::forward), so a mapped point is exactly that layer's activation A for
// it; a ReLU layer puts every point with a negative pre-activation on an axis (a = 0), and a grid line,
// straight in the input plane, comes out folded.
//
// Where the output's decision is a line in these coordinates (the chosen layer is the last hidden layer, it
// has exactly two units, and the head classifies), the boundary comes back as segments: the logits are
// affine in the two units' outputs there. Otherwise the decision shows only as the prediction at each mapped
// point (`value`), which the page uses as the grid points' colour.
#include <cstddef>
#include <vector>

#include "trainer.hpp"

namespace ap {

// The input plane's grid: kHiddenGridLines lines of each family (x2 constant, then x1 constant) over
// [-kPlotExtent, kPlotExtent], each sampled at kHiddenGridSamples points, ends included. 1-D data have one
// line, the x axis.
inline constexpr int kHiddenGridLines = 13;
inline constexpr int kHiddenGridSamples = 101;

struct HiddenSpaceSpec {
    std::size_t layer = 0;               // hidden layer, 0-based
    std::size_t unit_x = 0, unit_y = 1;  // its two units, 0-based and different
    bool test = true;                    // map the test points too
};

// Throws ConfigError naming what is wrong: a layer the network does not have, a unit its layer does not
// have, the same unit twice.
void validate_hidden_space(const Network& network, const HiddenSpaceSpec& spec);

struct HiddenSpace {
    // (points, 3): each point's two coordinates (unit_x's output, unit_y's output) and the head's prediction
    // there (sigmoid: P(class 1); tanh: its output; linear: the value; softmax: the predicted class index).
    // Rows: the training points, then the test points (if asked for), then the grid lines' samples, line by
    // line (the x2-constant family from x2 = -extent up, then the x1-constant family from x1 = -extent).
    std::vector<double> points;
    std::size_t train = 0, test = 0;
    std::size_t lines = 0;    // grid lines in all (1-D data: 1; 2-D: 2 * kHiddenGridLines)
    std::size_t samples = 0;  // points per grid line
    // (segments, 4): x0, y0, x1, y1 of the decision boundary in the hidden coordinates, clipped to the
    // mapped points' bounding box widened by its own size on each side. Empty when has_boundary is false,
    // and possibly when it is true (all the box on one side).
    std::vector<double> boundary;
    bool has_boundary = false;
};

// Maps the data and the grid through `trainer`'s network as it is now. Allocates out's buffers once; the
// network's workspace stays that of its largest batch so far (points go through in chunks of 256).
void hidden_space(Trainer& trainer, const HiddenSpaceSpec& spec, HiddenSpace& out);

}  // namespace ap
