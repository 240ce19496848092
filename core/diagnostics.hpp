#pragma once
// What no other playground shows: per-layer gradient health, dead and saturated units, sparsity and the
// distribution of pre-activations, computed on demand over the whole training set.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "trainer.hpp"

namespace ap {

struct Histogram {
    double lo = 0, hi = 0;          // range of the bins; values outside are counted in the end bins
    std::vector<std::uint32_t> counts;
};

struct LayerDiagnostics {
    std::size_t units = 0;
    // Of the full-training-set gradient (not the last mini-batch's, which is noisy):
    double grad_norm = 0;           // L2 norm of dLoss/dW for this layer's weights
    double grad_mean_abs = 0;       // mean |dLoss/dW|
    double weight_norm = 0;         // L2 norm of W
    double sparsity = 0;            // fraction of this layer's outputs exactly 0 over the training set
    std::size_t zero_pre_activations = 0;  // (point, unit) pairs with z exactly 0: ReLU's kink is hit
    std::size_t dead_units = 0;     // ReLU-family units whose output is 0 for every training point
    std::size_t saturated_units = 0;  // sigmoid/tanh-family units with |f'| < 0.01 on >= 95% of points
    std::vector<std::uint8_t> dead;       // (units) 1 where the unit is dead
    std::vector<std::uint8_t> saturated;  // (units) 1 where the unit is saturated
    Histogram pre_activations;      // of Z over the training set
};

struct Diagnostics {
    std::int64_t step = 0;
    Metrics metrics;
    std::vector<LayerDiagnostics> layers;  // hidden layers, then the output layer (never dead/saturated)
};

inline constexpr std::size_t kHistogramBins = 40;
// A unit is saturated when |f'(z)| is below this on at least 19/20 of the training points; a traced unit
// (trace.hpp) is off at a point where |f'(z)| is not above it.
inline constexpr double kSaturatedSlope = 0.01;

// Only the dead units, cheaply (one forward pass over the training set, no gradient): (hidden units, layer
// by layer) 1 where a ReLU-family unit outputs exactly 0 on every training point. For the time line.
std::vector<std::uint8_t> dead_units(Trainer& trainer);

// Leaves the network's parameters untouched; overwrites its gradient buffer and cached activations.
Diagnostics compute_diagnostics(Trainer& trainer, std::size_t histogram_bins = kHistogramBins);

}  // namespace ap
