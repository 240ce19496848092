#pragma once
// Deterministic elementary functions.
//
// Why: glibc (native) and musl (Emscripten) implement exp/log/sin/... differently, so results can differ
// in the last bit, and over 1,000 training steps such bits grow into visibly different losses. These
// versions use only IEEE-754 basic operations (+ - * / sqrt, exactly rounded everywhere) in a fixed order,
// so the same input gives the same bits natively and in wasm. Build with -ffp-contract=off (no FMA fusion).
// Accuracy (fdlibm's algorithms, measured against long double in tests/native/test_detmath.cpp): below 1 ulp
// of the true value over the whole finite range for exp, expm1, log, log1p, sin, cos (any |x|: the large-
// argument reduction is exact enough) and erf; tanh (our own, detmath_tanh.hpp) up to about 2.1 ulp, like glibc's own tanh.
// No libm function is called, and NaN inputs are returned unchanged.

namespace ap::detmath {

double exp(double x);
double expm1(double x);
double log(double x);
double log1p(double x);
double sin(double x);
double cos(double x);
double tanh(double x);
double erf(double x);
double erfc(double x);  // 1 - erf(x) without cancellation (detmath_erfc.cpp)

inline constexpr double pi = 3.141592653589793238462643383279502884;

}  // namespace ap::detmath
