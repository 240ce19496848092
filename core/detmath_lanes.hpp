#pragma once
// The building blocks detmath's vectorised functions are written with (internal to detmath_*.cpp): bit
// views, constants as whole vectors, lane-wise choices and sign moves, for one double and for two lanes of
// a simd::v2d alike. A function written once over D = double or v2d with these performs the same IEEE
// operations in the same order either way, so its lanes give the scalar version's bits.
#include <cstdint>
#include <cstring>

#include "simd.hpp"

namespace ap::detmath::lanes {

using simd::v2d;
using v2l = std::int64_t __attribute__((vector_size(16)));  // 2 int64: bit patterns, and comparison masks

template <class D>
struct IntOf;
template <>
struct IntOf<double> {
    using type = std::int64_t;
};
template <>
struct IntOf<v2d> {
    using type = v2l;
};
template <class D>
using int_of = typename IntOf<D>::type;

// Constants as whole vectors, so the compiler loads them rather than broadcasting a scalar at each use.
template <class D = v2d>
constexpr D splat(double c) {
    if constexpr (sizeof(D) == sizeof(double)) {
        return c;
    } else {
        D v{};
        for (int i = 0; i < static_cast<int>(sizeof(D) / sizeof(double)); ++i) v[i] = c;
        return v;
    }
}
template <class L>
constexpr L splat_int(std::int64_t c) {
    if constexpr (sizeof(L) == sizeof(std::int64_t)) {
        return c;
    } else {
        L v{};
        for (int i = 0; i < static_cast<int>(sizeof(L) / sizeof(std::int64_t)); ++i) v[i] = c;
        return v;
    }
}

template <class D>
int_of<D> bits(D v) {
    int_of<D> r;
    std::memcpy(&r, &v, sizeof r);
    return r;
}
inline double from_bits(std::int64_t v) {
    double r;
    std::memcpy(&r, &v, sizeof r);
    return r;
}
inline v2d from_bits(v2l v) {
    v2d r;
    std::memcpy(&r, &v, sizeof r);
    return r;
}
template <class L, class Mask>
L mask_as(Mask m) {
    L r;
    static_assert(sizeof m == sizeof r);
    std::memcpy(&r, &m, sizeof r);
    return r;
}
template <class Mask>
v2l mask_of(Mask m) {
    return mask_as<v2l>(m);
}

#if defined(__SSE2__) && !defined(__wasm__)
// GCC recognises a comparison's mask in a choice and, without SSE4.1's blend, lowers the choice lane by lane
// through general registers and cmov (slow, and on the critical path); an empty asm hides where the mask
// came from, which keeps it to and/andn/or.
inline void hide(v2l& m) { __asm__("" : "+x"(m)); }
#else
inline void hide(v2l&) {}
#endif

// Lane-wise mask ? a : b, the mask's lanes all ones or all zeros (what comparisons return).
template <class Mask>
v2d select(Mask mask, v2d a, v2d b) {
    auto m = mask_as<v2l>(mask);
    hide(m);
    return from_bits((bits(a) & m) | (bits(b) & ~m));
}
inline double select(bool mask, double a, double b) { return mask ? a : b; }

constexpr std::int64_t kSign = std::int64_t{1} << 63;
template <class D>
D abs2(D x) {
    return from_bits(bits(x) & ~splat_int<int_of<D>>(kSign));
}
// +-0 with x's sign.
template <class D>
D sign_of(D x) {
    return from_bits(bits(x) & splat_int<int_of<D>>(kSign));
}
// magnitude (>= +0) with sign's sign.
template <class D>
D with_sign(D magnitude, D sign) {
    return from_bits(bits(magnitude) | bits(sign));
}

// ln 2 in two parts, fdlibm's: ln2_hi (0x3FE62E42 FEE00000) has 32 significant bits, so k * ln2_hi is exact
// for |k| < 2^21; ln2_lo (0x3DEA39EF 35793C76) is the rest.
constexpr double ln2_hi = 6.93147180369123816490e-01;
constexpr double ln2_lo = 1.90821492927058770002e-10;
constexpr double inv_ln2 = 1.44269504088896338700e+00;

// 1.5 * 2^52: for |v| < 2^51, v + kShift rounds v to an integer (ties to even), which then sits in the low
// mantissa bits: bits(v + kShift) - bits(kShift) is that integer, negative ones included.
constexpr double kShift = 0x1.8p52;

}  // namespace ap::detmath::lanes
