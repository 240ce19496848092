#include "update_guard.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ap {

namespace {

// The largest |x|, or NaN if some x is not finite (so "bound < limit" is false for it).
double max_abs(std::span<const double> v) {
    double m = 0.0;
    for (double x : v) {
        if (!std::isfinite(x)) return std::nan("");
        m = std::max(m, std::fabs(x));
    }
    return m;
}

// An SGD step p - lr g cannot overflow while |p| + lr |g| stays far below the largest double: |g| <= norm
// (the gradient's L2 norm, finite here) and |p| <= bound_. Then the step needs neither a snapshot to
// undo it nor a pass to check it, which on the benchmark's wide network is a tenth of a step. 1e300 leaves
// a factor of 1e8 below DBL_MAX for the roundings the bound ignores.
constexpr double kSafeParamBound = 1e300;

}  // namespace

void UpdateGuard::start(std::span<const double> params) { bound_ = max_abs(params); }

bool UpdateGuard::update(Optimizer& optimizer, std::span<double> p, std::span<const double> g, double lr,
                         double norm) {
    if (optimizer.kind() == OptimizerKind::sgd && bound_ + lr * norm < kSafeParamBound) {
        optimizer.step(p.data(), g.data(), p.size(), lr);
        // |p - lr g| <= (|p| + lr |g|)(1 + 2^-52)^2; the factor covers those roundings and norm's own.
        bound_ = (bound_ + lr * norm) * (1.0 + 0x1p-48);
        return true;
    }
    // Keep what the update overwrites, to undo it if it overflows (assign reuses the buffers' capacity).
    snapshot_.assign(p.begin(), p.end());
    snapshot_m_.assign(optimizer.first_moment().begin(), optimizer.first_moment().end());
    snapshot_v_.assign(optimizer.second_moment().begin(), optimizer.second_moment().end());
    const std::int64_t t = optimizer.steps();
    optimizer.step(p.data(), g.data(), p.size(), lr);
    bound_ = max_abs(p);
    if (bound_ < std::numeric_limits<double>::infinity()) return true;
    std::copy(snapshot_.begin(), snapshot_.end(), p.begin());
    optimizer.restore(t, snapshot_m_, snapshot_v_);
    bound_ = max_abs(p);
    return false;
}

}  // namespace ap
