// Two-lane versions of detmath::expm1 and detmath::tanh. tanh's algorithm is written once, for a double
// and for two lanes (detmath_tanh.hpp). expm1's is fdlibm's (detmath.cpp has it and its why): every branch
// of the scalar code on the argument's range becomes a select between lanes computed that branch's way;
// each such value is computed with exactly the scalar branch's operations, in its order, so a lane ends
// with the scalar function's bits. Where the scalar code reads an integer (the high word, k), these read the
// same fact from a double comparison, which is equivalent for the ranges involved (noted at each). No
// float-to-integer conversion is used: SSE2 and simd128 disagree on its out-of-range results, and k is an
// exact small integer in a double anyway.
#include "detmath_simd.hpp"

#include <cstdint>
#include <cstring>

#include "detmath.hpp"
#include "detmath_lanes.hpp"
#include "detmath_tanh.hpp"

namespace ap::detmath {
namespace {

using namespace lanes;

// v rounded toward zero, for |v| < 2^51, as the scalar code's static_cast<int>.
template <class D>
[[gnu::always_inline]] inline D trunc2(D v) {
    const D r = (v + splat<D>(kShift)) - splat<D>(kShift);  // nearest integer
    const D toward_zero = select(v < splat<D>(0.0), r + splat<D>(1.0), r - splat<D>(1.0));
    return select(abs2(r) > abs2(v), toward_zero, r);
}

// 2^k for integer-valued kd with -1022 <= kd <= 1023, from its bit pattern as the scalar pow2.
v2d pow2(v2d kd) {
    const v2l k = bits(kd + kShift) - bits(v2d{kShift, kShift});
    return from_bits((k + 1023) << 52);
}

// detmath::expm1 for lanes with -56 ln2 < x <= 700 (finite): the caller answers the rest. The scalar's early
// returns (|x| < 2^-54 gives x) are the last select.
v2d expm1_core(v2d x0) {
    constexpr double Q1 = -3.33333333333331316428e-02;
    constexpr double Q2 = 1.58730158725481460165e-03;
    constexpr double Q3 = -7.93650757867487942473e-05;
    constexpr double Q4 = 4.00821782732936239552e-06;
    constexpr double Q5 = -2.01099218183624371326e-07;
    const v2d ax = abs2(x0);

    // Reduction for |x| > ln2/2 (scalar: high word > 0x3fd62e42, i.e. |x| >= 0x3fd62e43'00000000).
    // k = (int)(inv_ln2 x +- 0.5) toward zero. The scalar's own branch for |x| < 1.5 ln2 sets k = +-1,
    // hi = x -+ ln2_hi, lo = +-ln2_lo: exactly what the general form computes there (t = +-1 makes
    // t * ln2_hi and t * ln2_lo exact, x - (-ln2_hi) is x + ln2_hi, and inv_ln2 |x| + 0.5 lies in (1, 2)).
    const auto reduce = ax >= 0x1.62e43p-2;
    const v2d half = with_sign(v2d{0.5, 0.5}, sign_of(x0));
    const v2d kd = select(reduce, trunc2(inv_ln2 * x0 + half), v2d{0.0, 0.0});
    const v2d hi = x0 - kd * ln2_hi;
    const v2d lo = kd * ln2_lo;
    const v2d xr = hi - lo;
    const v2d x = select(reduce, xr, x0);
    const v2d c = select(reduce, (hi - xr) - lo, v2d{0.0, 0.0});

    const v2d hfx = 0.5 * x;
    const v2d hxs = x * hfx;
    const v2d r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
    const v2d t = 3.0 - r1 * hfx;
    v2d e = hxs * ((r1 - t) / (6.0 - x * t));
    const v2d k_zero = x - (x * e - hxs);  // k == 0
    e = x * (e - c) - c;
    e -= hxs;
    const v2d k_minus_one = 0.5 * (x - e) - 0.5;
    const v2d k_one = select(x < -0.25, -2.0 * (e - (x + 0.5)), 1.0 + 2.0 * (x - e));
    const v2d p = pow2(kd);
    const v2d far = (1.0 - (e - x)) * p - 1.0;                 // k <= -2 or k > 56 (k = 1024 is out of range)
    const v2d below_20 = ((1.0 - pow2(-kd)) - (e - x)) * p;    // 2 <= k < 20: 1 - 2^-k is exact
    const v2d from_20 = ((x - (e + pow2(-kd))) + 1.0) * p;     // 20 <= k <= 56

    v2d r = select(kd < 20.0, below_20, from_20);
    r = select((kd <= -2.0) | (kd > 56.0), far, r);
    r = select(kd == 1.0, k_one, r);
    r = select(kd == -1.0, k_minus_one, r);
    r = select(kd == 0.0, k_zero, r);
    return select(ax < 0x1p-54, x0, r);
}

v2d expm1_2(v2d x) {
    // Outside expm1_core's range (and NaN): the scalar function per lane; 56 ln2 is its saturation bound.
    const auto inside = (x > -38.0) & (x <= 700.0);
    if ((mask_of(inside)[0] & mask_of(inside)[1]) != 0) return expm1_core(x);
    const v2d safe = select(inside, x, v2d{1.0, 1.0});
    v2d r = expm1_core(safe);
    for (int i = 0; i < 2; ++i)
        if (mask_of(inside)[i] == 0) r[i] = expm1(x[i]);
    return r;
}

// detmath::tanh, two lanes at a time: tanh_core (detmath_tanh.hpp) on the lanes it covers, and the scalar
// function's answers for the rest: x itself below 2^-28 and for NaN, +-1 from 22 on (infinities too).
v2d tanh_2(v2d x) {
    const v2d a = abs2(x);
    const v2l inside = (a >= splat(0x1p-28)) & (a < splat(22.0));  // false for NaN
    if ((inside[0] & inside[1]) != 0) return with_sign(tanh_core(a), sign_of(x));
    const v2l saturated = a >= splat(22.0);
    const v2d y = with_sign(select(saturated, splat(1.0), tanh_core(select(inside, a, splat(1.0)))), sign_of(x));
    return select(inside | saturated, y, x);
}

template <class F2, class F1>
void map_n(const double* x, double* y, std::size_t n, F2 f2, F1 f1) {
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) simd::store2(y + i, f2(simd::load2(x + i)));
    if (i < n) y[i] = f1(x[i]);  // the odd last one: the scalar function gives the same bits
}

}  // namespace

void tanh_n(const double* x, double* y, std::size_t n) {
    map_n(x, y, n, tanh_2, [](double v) { return tanh(v); });
}

void expm1_n(const double* x, double* y, std::size_t n) {
    map_n(x, y, n, expm1_2, [](double v) { return expm1(v); });
}

}  // namespace ap::detmath
