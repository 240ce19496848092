// Two-lane versions of detmath::expm1 and detmath::tanh (detmath.cpp has the algorithms and their why).
// Every branch of the scalar code on the argument's range becomes a select between lanes computed that
// branch's way; each such value is computed with exactly the scalar branch's operations, in its order, so
// a lane ends with the scalar function's bits. Where the scalar code reads an integer (the high word, k),
// these read the same fact from a double comparison, which is equivalent for the ranges involved (noted
// at each). No float-to-integer conversion is used: SSE2 and simd128 disagree on its out-of-range results,
// and k is an exact small integer in a double anyway.
#include "detmath_simd.hpp"

#include <cstdint>
#include <cstring>

#include "detmath.hpp"
#include "simd.hpp"

namespace ap::detmath {
namespace {

using simd::v2d;
using v2l = std::int64_t __attribute__((vector_size(16)));  // 2 int64: bit patterns, and comparison masks

template <class D> struct IntOf;
template <> struct IntOf<v2d> { using type = v2l; };
template <class D> using int_of = typename IntOf<D>::type;

// Constants as whole vectors, so the compiler loads them rather than broadcasting a scalar at each use.
template <class D = v2d>
constexpr D splat(double c) {
    D v{};
    for (int i = 0; i < static_cast<int>(sizeof(D) / sizeof(double)); ++i) v[i] = c;
    return v;
}
template <class L>
constexpr L splat_int(std::int64_t c) {
    L v{};
    for (int i = 0; i < static_cast<int>(sizeof(L) / sizeof(std::int64_t)); ++i) v[i] = c;
    return v;
}

template <class D> int_of<D> bits(D v) { int_of<D> r; std::memcpy(&r, &v, sizeof r); return r; }
template <class L> auto from_bits(L v) {
    static_assert(sizeof(L) == sizeof(v2d));
    v2d r; std::memcpy(&r, &v, sizeof r); return r;
}
template <class L, class Mask>
L mask_as(Mask m) { L r; static_assert(sizeof m == sizeof r); std::memcpy(&r, &m, sizeof r); return r; }
template <class Mask>
v2l mask_of(Mask m) { return mask_as<v2l>(m); }

#if defined(__SSE2__) && !defined(__wasm__)
// GCC recognises a comparison's mask in a choice and, without SSE4.1's blend, lowers the choice lane by lane
// through general registers and cmov (slow, and on the critical path); an empty asm hides where the mask
// came from, which keeps it to and/andn/or.
inline void hide(v2l& m) { __asm__("" : "+x"(m)); }
#else
template <class L> void hide(L&) {}
#endif

// Lane-wise mask ? a : b, the mask's lanes all ones or all zeros (what comparisons return).
template <class Mask, class D>
D select(Mask mask, D a, D b) {
    auto m = mask_as<int_of<D>>(mask);
    hide(m);
    return from_bits((bits(a) & m) | (bits(b) & ~m));
}

constexpr std::int64_t kSign = std::int64_t{1} << 63;
template <class D> D abs2(D x) { return from_bits(bits(x) & ~splat_int<int_of<D>>(kSign)); }
template <class D> D sign_of(D x) { return from_bits(bits(x) & splat_int<int_of<D>>(kSign)); }  // +-0, x's sign
template <class D> D with_sign(D magnitude, D sign) { return from_bits(bits(magnitude) | bits(sign)); }  // magnitude >= +0

constexpr double ln2_hi = 6.93147180369123816490e-01;
constexpr double ln2_lo = 1.90821492927058770002e-10;
constexpr double inv_ln2 = 1.44269504088896338700e+00;

// 1.5 * 2^52: for |v| < 2^51, v + kShift rounds v to an integer (ties to even), which then sits in the low
// mantissa bits: bits(v + kShift) - bits(kShift) is that integer, negative ones included.
constexpr double kShift = 0x1.8p52;

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

// detmath::tanh: -t / (t + 2) with t = expm1(-2|x|) below 1, 1 - 2 / (expm1(2|x|) + 2) from 1 to 22; x
// itself below 2^-28 (keeps -0), +-1 from 22 (and for +-inf), NaN unchanged. Comparisons on |x| stand for
// the scalar's on the high word: 0x3e300000 is 2^-28, 0x3ff00000 is 1, 0x40360000 is 22.
//
// expm1 is inlined here for the two argument ranges tanh gives it, -2 < u < 0 (k is 0, -1, -2 or -3) and
// 2 <= u < 44 (3 <= k <= 63), so only the branches those reach are computed; and the two divisions become
// one, since each lane takes one of them: 2 / (t + 2) and (-t) / (t + 2) are the same IEEE divisions.
template <class D>
D tanh_lanes(D x) {
    using L = int_of<D>;
    constexpr double Q1 = -3.33333333333331316428e-02;
    constexpr double Q2 = 1.58730158725481460165e-03;
    constexpr double Q3 = -7.93650757867487942473e-05;
    constexpr double Q4 = 4.00821782732936239552e-06;
    constexpr double Q5 = -2.01099218183624371326e-07;
    const D a = abs2(x);
    const L tiny = a < splat<D>(0x1p-28);
    const L saturated = a >= splat<D>(22.0);  // +-inf too; false for NaN
    const L is_nan = x != x;
    const L computed = ~(tiny | saturated | is_nan);
    const D sa = select(computed, a, splat<D>(1.0));  // the other lanes compute something harmless
    const L large = sa >= splat<D>(1.0);

    // u = 2|x| or -2|x| (exact), and expm1(u) as detmath::expm1 computes it.
    const D u = from_bits(bits(sa + sa) | (~large & splat_int<L>(kSign)));
    const L reduce = sa >= splat<D>(0x1.62e43p-3);  // |u| > ln2/2, as in expm1_core
    const D kd = select(reduce, trunc2(splat<D>(inv_ln2) * u + with_sign(splat<D>(0.5), sign_of(u))), splat<D>(0.0));
    const D hi = u - kd * splat<D>(ln2_hi);
    const D lo = kd * splat<D>(ln2_lo);
    const D xr = hi - lo;
    const D r = select(reduce, xr, u);
    const D c = select(reduce, (hi - xr) - lo, splat<D>(0.0));
    const D hfx = splat<D>(0.5) * r;
    const D hxs = r * hfx;
    const D r1 = splat<D>(1.0) +
                   hxs * (splat<D>(Q1) + hxs * (splat<D>(Q2) + hxs * (splat<D>(Q3) + hxs * (splat<D>(Q4) + hxs * splat<D>(Q5)))));
    const D s = splat<D>(3.0) - r1 * hfx;
    const D e0 = hxs * ((r1 - s) / (splat<D>(6.0) - r * s));
    const D k_zero = r - (r * e0 - hxs);
    const D e = (r * (e0 - c) - c) - hxs;
    const D k_minus_one = splat<D>(0.5) * (r - e) - splat<D>(0.5);
    const L scaled = bits(kd + splat<D>(kShift)) << 52;  // k in the exponent field
    const D p = from_bits(scaled + bits(splat<D>(1.0)));       // 2^k
    const D p_inv = from_bits(bits(splat<D>(1.0)) - scaled);   // 2^-k
    const D far = (splat<D>(1.0) - (e - r)) * p - splat<D>(1.0);  // k <= -2 or k > 56
    const D below_20 = ((splat<D>(1.0) - p_inv) - (e - r)) * p;
    const D from_20 = ((r - (e + p_inv)) + splat<D>(1.0)) * p;
    D t = select(kd < splat<D>(20.0), below_20, from_20);
    t = select((kd < splat<D>(2.0)) | (kd > splat<D>(56.0)), far, t);
    t = select(kd == splat<D>(-1.0), k_minus_one, t);
    t = select(kd == splat<D>(0.0), k_zero, t);

    const D q = select(large, splat<D>(2.0), -t) / (t + splat<D>(2.0));
    const D z = select(large, splat<D>(1.0) - q, q);  // z > 0
    D y = with_sign(z, sign_of(x));                  // negative ? -z : z
    y = select(saturated, with_sign(splat<D>(1.0), sign_of(x)), y);
    return select(tiny | is_nan, x, y);
}

// The same lanes when both are 2^-28 <= |x| < 1 (tanh_small) or both 1 <= |x| < 22 (tanh_large), the two
// ranges a network's pre-activations almost always fall in: each computes only the branches its range
// reaches, with the same operations in the same order as tanh_lanes (and the scalar code) there. What the
// ranges give (u = -+2|x|, expm1's k = trunc(inv_ln2 u -+ 0.5)):
//   - small: u in (-2, -2^-27], k in {0, -1, -2, -3}: -t / (t + 2), t from the k == 0, k == -1 or k <= -2
//     branch. Lanes that are not reduced (|u| <= ln2/2) get k = +0, and then hi = u - 0 ln2_hi = u, lo = 0,
//     the reduced argument is u and c = (u - u) - 0 = +0 exactly: what the scalar uses unreduced, so no
//     select is needed. Reduced lanes have inv_ln2 u - 0.5 <= -1: k <= -1, and trunc is ceil there.
//   - large: u in [2, 44), always reduced, inv_ln2 u + 0.5 in (3, 64): k in 3..63, trunc is floor there;
//     1 - 2 / (t + 2), t from the 2 <= k < 20, 20 <= k <= 56 or k > 56 branch.
// Either way the result is positive before x's sign is put on it, as in tanh_lanes.
constexpr double Q1 = -3.33333333333331316428e-02;
constexpr double Q2 = 1.58730158725481460165e-03;
constexpr double Q3 = -7.93650757867487942473e-05;
constexpr double Q4 = 4.00821782732936239552e-06;
constexpr double Q5 = -2.01099218183624371326e-07;

// expm1's common part for the reduced argument r with k's rounding error c: e0 (for k == 0) and e.
struct Expm1Parts {
    v2d e0, e, hxs;
};
[[gnu::always_inline]] inline Expm1Parts expm1_parts(v2d r, v2d c) {
    const v2d hfx = splat(0.5) * r;
    const v2d hxs = r * hfx;
    const v2d r1 = splat(1.0) +
                   hxs * (splat(Q1) + hxs * (splat(Q2) + hxs * (splat(Q3) + hxs * (splat(Q4) + hxs * splat(Q5)))));
    const v2d s = splat(3.0) - r1 * hfx;
    const v2d e0 = hxs * ((r1 - s) / (splat(6.0) - r * s));
    return {e0, (r * (e0 - c) - c) - hxs, hxs};
}

v2d tanh_small(v2d x) {
    const v2d a = abs2(x);
    const v2d u = -(a + a);
    const v2l reduce = a >= splat(0x1.62e43p-3);
    const v2d v = splat(inv_ln2) * u + splat(-0.5);
    const v2d rn = (v + splat(kShift)) - splat(kShift);
    v2l up = rn < v;
    hide(up);
    const v2d kd = from_bits(bits(rn + from_bits(up & bits(splat(1.0)))) & reduce);  // ceil(v), or +0
    const v2d hi = u - kd * splat(ln2_hi);
    const v2d lo = kd * splat(ln2_lo);
    const v2d r = hi - lo;
    const v2d c = (hi - r) - lo;
    const Expm1Parts q = expm1_parts(r, c);
    const v2d k_zero = r - (r * q.e0 - q.hxs);
    const v2d k_minus_one = splat(0.5) * (r - q.e) - splat(0.5);
    const v2l scaled = bits(kd + splat(kShift)) << 52;
    const v2d p = from_bits(scaled + bits(splat(1.0)));  // 2^k
    const v2d far = (splat(1.0) - (q.e - r)) * p - splat(1.0);
    v2d t = select(kd == splat(-1.0), k_minus_one, far);
    t = select(kd == splat(0.0), k_zero, t);
    return with_sign((-t) / (t + splat(2.0)), sign_of(x));
}

v2d tanh_large(v2d x) {
    const v2d a = abs2(x);
    const v2d u = a + a;
    const v2d v = splat(inv_ln2) * u + splat(0.5);
    const v2d rn = (v + splat(kShift)) - splat(kShift);
    v2l down = rn > v;
    hide(down);
    const v2d kd = rn - from_bits(down & bits(splat(1.0)));  // floor(v)
    const v2d hi = u - kd * splat(ln2_hi);
    const v2d lo = kd * splat(ln2_lo);
    const v2d r = hi - lo;
    const v2d c = (hi - r) - lo;
    const Expm1Parts q = expm1_parts(r, c);
    const v2l scaled = bits(kd + splat(kShift)) << 52;
    const v2d p = from_bits(scaled + bits(splat(1.0)));      // 2^k
    const v2d p_inv = from_bits(bits(splat(1.0)) - scaled);  // 2^-k
    const v2d below_20 = ((splat(1.0) - p_inv) - (q.e - r)) * p;
    const v2l under_20 = kd < splat(20.0);
    if ((under_20[0] & under_20[1]) != 0) return with_sign(splat(1.0) - splat(2.0) / (below_20 + splat(2.0)), sign_of(x));
    const v2d from_20 = ((r - (q.e + p_inv)) + splat(1.0)) * p;
    const v2d far = (splat(1.0) - (q.e - r)) * p - splat(1.0);
    v2d t = select(kd > splat(56.0), far, from_20);
    t = select(under_20, below_20, t);
    return with_sign(splat(1.0) - splat(2.0) / (t + splat(2.0)), sign_of(x));
}

// One lane of each range: both ways, lane by lane (tanh_lanes without its special values). trunc toward
// zero is rn - 1 where rn > v > 0 and rn + 1 (as rn - (-1)) where rn < v < 0: rn minus v's sign where
// |rn| > |v|, and rn - (+0) = rn elsewhere.
v2d tanh_mixed(v2d x) {
    const v2d a = abs2(x);
    const v2l large = a >= splat(1.0);
    const v2l negative_u = ~large & splat_int<v2l>(kSign);
    const v2d u = from_bits(bits(a + a) | negative_u);
    const v2l reduce = a >= splat(0x1.62e43p-3);
    const v2d v = splat(inv_ln2) * u + from_bits(bits(splat(0.5)) | negative_u);
    const v2d rn = (v + splat(kShift)) - splat(kShift);
    v2l away = abs2(rn) > abs2(v);
    hide(away);
    const v2d kd = from_bits(bits(rn - from_bits(away & (bits(splat(1.0)) | negative_u))) & reduce);
    const v2d hi = u - kd * splat(ln2_hi);
    const v2d lo = kd * splat(ln2_lo);
    const v2d r = hi - lo;
    const v2d c = (hi - r) - lo;
    const Expm1Parts q = expm1_parts(r, c);
    const v2d k_zero = r - (r * q.e0 - q.hxs);
    const v2d k_minus_one = splat(0.5) * (r - q.e) - splat(0.5);
    const v2l scaled = bits(kd + splat(kShift)) << 52;
    const v2d p = from_bits(scaled + bits(splat(1.0)));      // 2^k
    const v2d p_inv = from_bits(bits(splat(1.0)) - scaled);  // 2^-k
    const v2d far = (splat(1.0) - (q.e - r)) * p - splat(1.0);
    const v2d below_20 = ((splat(1.0) - p_inv) - (q.e - r)) * p;
    const v2d from_20 = ((r - (q.e + p_inv)) + splat(1.0)) * p;
    v2d t = select(kd < splat(20.0), below_20, from_20);
    t = select((kd < splat(2.0)) | (kd > splat(56.0)), far, t);
    t = select(kd == splat(-1.0), k_minus_one, t);
    t = select(kd == splat(0.0), k_zero, t);
    const v2d qt = select(large, splat(2.0), -t) / (t + splat(2.0));
    return with_sign(select(large, splat(1.0) - qt, qt), sign_of(x));
}

// Lanes with 2^-28 <= |x| < 22 take tanh_small, tanh_large or tanh_mixed; a pair with another value (tiny,
// saturated, infinite, NaN), tanh_lanes.
v2d tanh_2(v2d x) {
    const v2d a = abs2(x);
    const v2l inside = (a >= splat(0x1p-28)) & (a < splat(22.0));
    if ((inside[0] & inside[1]) == 0) return tanh_lanes<v2d>(x);
    const v2l large = a >= splat(1.0);
    if ((large[0] & large[1]) != 0) return tanh_large(x);
    if ((large[0] | large[1]) == 0) return tanh_small(x);
    return tanh_mixed(x);
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
