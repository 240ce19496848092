#pragma once
// Central finite differences with a relative-error bound, shared by the network and loss tests.
//
// The step is relative to the parameter, h = kFdStep * max(1, |p|): central differences have truncation
// error O(h^2 f''') ~ 1e-12 and rounding error ~ 1e-16 |f| / h ~ 1e-10 at objectives of order 1, so a
// correct analytic gradient agrees to far better than kGradTolerance and a wrong one (a missing factor, a
// sign, a dropped term) misses it by orders of magnitude.
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ap::test {

inline constexpr double kFdStep = 1e-6;
// |g - fd| <= kGradTolerance * max(1, |g|, |fd|)
inline constexpr double kGradTolerance = 1e-6;

inline double fd_step(double p) { return kFdStep * std::max(1.0, std::fabs(p)); }

// (f(p + h) - f(p - h)) / 2h for the parameter *p, restoring it afterwards. f takes no arguments and reads
// the parameter through whatever holds it.
template <class F>
double central_difference(double* p, F&& f) {
    const double saved = *p;
    const double h = fd_step(saved);
    *p = saved + h;
    const double up = f();
    *p = saved - h;
    const double down = f();
    *p = saved;
    // (saved + h) - (saved - h) is the step actually taken after rounding, not 2h.
    return (up - down) / ((saved + h) - (saved - h));
}

// The error measure the bound applies to: absolute below 1, relative above.
inline double grad_error(double g, double fd) {
    return std::fabs(g - fd) / std::max({1.0, std::fabs(g), std::fabs(fd)});
}

}  // namespace ap::test
