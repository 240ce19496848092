#pragma once
// detmath::tanh's algorithm, written once over D = double (detmath.cpp) and D = simd::v2d (detmath_simd.cpp,
// two lanes at a time), so every lane performs the scalar function's IEEE operations in the same order and
// ends with its bits, natively (SSE2) and in wasm (simd128) alike.
//
// Why not fdlibm's tanh (which detmath used before): its expm1 branches on k in six ways and tanh adds a
// second division, so two lanes computed every branch (~72 instructions and two divisions a value); a small
// tanh network (TF Playground's 2-4-2-1) spent half of each training step there. This form has one
// polynomial, one division and one choice (~57 instructions a value with the loop; 5.3 ns against 9.6
// natively), and is as accurate: within 2.1 ulp of the true value (tests/native/test_detmath.cpp), where
// fdlibm's reached 2.1 and glibc's 2.2.
//
// For 2^-28 <= a < 22 (the callers answer the rest: tanh(a) rounds to a below, to 1 above):
//   u = 2a, k = nearest integer to u / ln 2 (0..64), r + c = u - k ln 2 (Cody-Waite: r rounded, c its
//   rounding error, exact to ~2^-100), so that e^u = 2^k e^(r + c) with |r| <= ln2 / 2.
//   e = expm1(r + c) - r: r^2 times Taylor's series 1/2! + r/3! + ... + r^11/13! (what is left out is below
//   2^-56 of expm1(r) on |r| <= ln2 / 2), plus c (1 + r) for c to first order.
//   t = expm1(u) = 2^k ((1 - 2^-k) + r + e), the first sum exact (Fast2Sum: |1 - 2^-k| >= |r| for k >= 1,
//   and 1 - 2^0 = 0 for k = 0), so t is rounded once before the exact scaling by 2^k.
//   tanh(a) = t / (t + 2). Where k = 0 (a < ln2 / 4) t is close to u and that quotient would round three
//   times to about 2.4 ulp; there a + (e - a t) / (t + 2) (the same value: t - a (t + 2) = e + u - a t - u)
//   adds a correction of about -a^3 / 3 to the exact a: within 1 ulp.
#include <cstdint>

#include "detmath_lanes.hpp"

namespace ap::detmath {

template <class D>
[[gnu::always_inline]] inline D tanh_core(D a) {
    using namespace lanes;
    const D u = a + a;
    const D kd = (u * splat<D>(inv_ln2) + splat<D>(kShift)) - splat<D>(kShift);  // k, exactly
    const D hi = u - kd * splat<D>(ln2_hi);                                      // exact
    const D lo = kd * splat<D>(ln2_lo);
    const D r = hi - lo;
    const D c = (hi - r) - lo;
    // 1/2! + r/3! + ... + r^11/13!, by Estrin's scheme (pairs, then r^2 and r^4), which keeps the chain short.
    const D r2 = r * r;
    const D r4 = r2 * r2;
    const D p0 = splat<D>(1.0 / 2) + r * splat<D>(1.0 / 6);
    const D p1 = splat<D>(1.0 / 24) + r * splat<D>(1.0 / 120);
    const D p2 = splat<D>(1.0 / 720) + r * splat<D>(1.0 / 5040);
    const D p3 = splat<D>(1.0 / 40320) + r * splat<D>(1.0 / 362880);
    const D p4 = splat<D>(1.0 / 3628800) + r * splat<D>(1.0 / 39916800);
    const D p5 = splat<D>(1.0 / 479001600) + r * splat<D>(1.0 / 6227020800.0);
    const D series = (p0 + r2 * p1) + r4 * ((p2 + r2 * p3) + r4 * (p4 + r2 * p5));
    const D e = r2 * series + (c + c * r);
    // 2^k and 1 - 2^-k from k's bits: k sits in the low mantissa bits of kd + kShift.
    const int_of<D> scaled = bits(kd + splat<D>(kShift)) << 52;
    const D two_k = from_bits(scaled + bits(splat<D>(1.0)));
    const D one_less = splat<D>(1.0) - from_bits(bits(splat<D>(1.0)) - scaled);
    const D s_hi = one_less + r;
    const D s_lo = (one_less - s_hi) + r;
    const D t = (s_hi + (s_lo + e)) * two_k;
    const auto k_zero = kd == splat<D>(0.0);
    const D q = select(k_zero, e - a * t, t) / (t + splat<D>(2.0));
    return select(k_zero, a + q, q);
}

}  // namespace ap::detmath
