#pragma once
// Applies the optimizer's update to the parameters and undoes it when a parameter overflows, so a diverging
// run stops with its last finite weights. Most steps need no undo at all: see update().
#include <span>
#include <vector>

#include "optimizer.hpp"

namespace ap {

class UpdateGuard {
public:
    // Before a run of steps: parameters may have been set from outside since the last one (a restore, the
    // page's weight editor), so the bound on them is measured afresh.
    void start(std::span<const double> params);

    // One update of params from grads at rate lr; norm is the gradient's L2 norm (finite). Returns false,
    // with params and the optimizer's state as they were, when a parameter became infinite.
    bool update(Optimizer& optimizer, std::span<double> params, std::span<const double> grads, double lr, double norm);

private:
    double bound_ = 0;                   // >= every |parameter| between updates
    std::vector<double> snapshot_;       // parameters before the update, to undo an overflowing one
    std::vector<double> snapshot_m_, snapshot_v_;  // the optimizer's moments before it
};

}  // namespace ap
