// TEMPORARY: forwards to <cmath> until the deterministic implementations land.
#include "detmath.hpp"

#include <cmath>

namespace ap::detmath {
double exp(double x) { return std::exp(x); }
double expm1(double x) { return std::expm1(x); }
double log(double x) { return std::log(x); }
double log1p(double x) { return std::log1p(x); }
double sin(double x) { return std::sin(x); }
double cos(double x) { return std::cos(x); }
double tanh(double x) { return std::tanh(x); }
double erf(double x) { return std::erf(x); }
}  // namespace ap::detmath
