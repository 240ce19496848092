// Deterministic elementary functions. Algorithms and coefficients: Sun's fdlibm 5.3 as kept in FreeBSD msun
// (e_exp.c, s_expm1.c, e_log.c, s_log1p.c, k_sin.c, k_cos.c, e_rem_pio2.c, s_erf.c); the large-
// argument reduction is our own integer Payne-Hanek, and tanh is our own (detmath_tanh.hpp). Only + - * / on doubles, integer operations and exact bit
// moves are used, each in a fixed order, so g++ (x86-64, glibc) and clang (wasm32, musl) produce the same bits.
// NaN inputs are returned unchanged (not x + x) because wasm may canonicalise the payload of a computed NaN.
#include "detmath.hpp"
#include "detmath_tanh.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ap::detmath {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double quiet_nan = std::numeric_limits<double>::quiet_NaN();

// std::bit_cast is missing from Emscripten 3.1.6's libc++; memcpy of 8 bytes compiles to the same move.
std::uint64_t to_bits(double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}
double from_bits(std::uint64_t b) {
    double x = 0.0;
    std::memcpy(&x, &b, sizeof x);
    return x;
}

std::uint32_t high_word(double x) { return static_cast<std::uint32_t>(to_bits(x) >> 32); }
std::uint32_t low_word(double x) { return static_cast<std::uint32_t>(to_bits(x)); }
// fdlibm compares the high word as a signed integer: every negative x then sorts below every positive one.
std::int32_t signed_high_word(double x) { return static_cast<std::int32_t>(high_word(x)); }
double from_words(std::uint32_t hi, std::uint32_t lo) {
    return from_bits((static_cast<std::uint64_t>(hi) << 32) | lo);
}
double with_high_word(double x, std::uint32_t hi) { return from_words(hi, low_word(x)); }
// 2^k for -1022 <= k <= 1023, from its bit pattern: exact, and cheaper than a call to ldexp.
double pow2(int k) { return from_bits(static_cast<std::uint64_t>(k + 1023) << 52); }

using lanes::inv_ln2;  // ln 2 in two parts, and 1 / ln 2: one home for them (detmath_lanes.hpp)
using lanes::ln2_hi;
using lanes::ln2_lo;
constexpr double two54 = 1.80143985094819840000e+16;

// ---------------------------------------------------------------------------------------------------------
// sin and cos kernels on [-pi/4, pi/4]; y is the tail of the reduced argument x + y.

// sin(x + y) ~ x + x^3 * (S1 + x^2 * r(x^2)): degree 13 minimax, error < 2^-58. Without a tail (has_tail
// false) the shorter fdlibm form is used, so results for |x| <= pi/4 match fdlibm's.
double kernel_sin(double x, double y, bool has_tail) {
    constexpr double S1 = -1.66666666666666324348e-01;
    constexpr double S2 = 8.33333333332248946124e-03;
    constexpr double S3 = -1.98412698298579493134e-04;
    constexpr double S4 = 2.75573137070700676789e-06;
    constexpr double S5 = -2.50507602534068634195e-08;
    constexpr double S6 = 1.58969099521155010221e-10;
    const double z = x * x;
    const double w = z * z;
    const double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    const double v = z * x;
    if (!has_tail) return x + v * (S1 + z * r);
    // The tail enters to first order as cos(x) * y ~ y - x^2 * y / 2.
    return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

// cos(x + y) ~ 1 - x^2/2 + x^4 * r(x^2); 1 - x^2/2 is split so its rounding error is kept.
double kernel_cos(double x, double y) {
    constexpr double C1 = 4.16666666666666019037e-02;
    constexpr double C2 = -1.38888888888741095749e-03;
    constexpr double C3 = 2.48015872894767294178e-05;
    constexpr double C4 = -2.75573143513906633035e-07;
    constexpr double C5 = 2.08757232129817482790e-09;
    constexpr double C6 = -1.13596475577881948265e-11;
    const double z = x * x;
    const double w = z * z;
    const double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    const double hz = 0.5 * z;
    const double one_minus_hz = 1.0 - hz;
    return one_minus_hz + (((1.0 - one_minus_hz) - hz) + (z * r - x * y));
}

// ---------------------------------------------------------------------------------------------------------
// Reduction x = n * pi/2 + (y0 + y1), |y0 + y1| <= pi/4 (a hair more in the medium case); returns n.

// 2/pi in binary: bit i (weight 2^-i, i >= 1) sits at bit (i - 1) of this array read as one big-endian
// number after the two zero words, which let a window start up to 64 bits before the binary point.
constexpr std::uint32_t two_over_pi[42] = {
    0x00000000, 0x00000000, 0xA2F9836E, 0x4E441529, 0xFC2757D1, 0xF534DDC0, 0xDB629599, 0x3C439041,
    0xFE5163AB, 0xDEBBC561, 0xB7246E3A, 0x424DD2E0, 0x06492EEA, 0x09D1921C, 0xFE1DEB1C, 0xB129A73E,
    0xE88235F5, 0x2EBB4484, 0xE99C7026, 0xB45F7E41, 0x3991D639, 0x835339F4, 0x9C845F8B, 0xBDF9283B,
    0x1FF897FF, 0xDE05980F, 0xEF2F118B, 0x5A0A6D1F, 0x6D367ECF, 0x27CB09B7, 0x4F463F66, 0x9E5FEA2D,
    0x7527BAC7, 0xEBE5F17B, 0x3D0739F7, 0x8A5292EA, 0x6BFB5FB1, 0x1F8D5D08, 0x56033046, 0xFC7B6BAB,
    0xF0CFBC20, 0x9AF4361D,
};

// Dekker's exact product a * b = p + e without FMA (Veltkamp split into 26-bit halves).
void two_product(double a, double b, double& p, double& e) {
    constexpr double split = 134217729.0;  // 2^27 + 1
    const double ta = split * a;
    const double a_hi = ta - (ta - a);
    const double a_lo = a - a_hi;
    const double tb = split * b;
    const double b_hi = tb - (tb - b);
    const double b_lo = b - b_hi;
    p = a * b;
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
}

// Payne-Hanek for |x| >= 2^19 * pi: |x| = m * 2^q with m a 53-bit integer, so x * 2/pi mod 4 needs only the
// bits of 2/pi from weight 2^(1-q) on (earlier bits add multiples of 4). A 192-bit window of them times m,
// kept mod 2^192, holds n mod 4 in its top 2 bits and the fraction in the other 190. Doubles come no closer
// than about 2^-62 (in units of pi/2) to a multiple of pi/2, so the 2^-137 truncation error leaves > 70
// correct bits in the reduced argument.
int rem_pio2_large(double x, double& y0, double& y1) {
    const std::uint64_t bits = to_bits(x);
    const int q = static_cast<int>((bits >> 52) & 0x7ff) - 1075;  // q >= -32 here
    const std::uint64_t m = (bits & 0x000fffffffffffffULL) | 0x0010000000000000ULL;

    // window: 6 words of 2/pi, most significant first, starting at bit i = q - 1.
    const int start = q + 62;
    const int word = start >> 5;
    const int shift = start & 31;
    std::uint32_t window[6];
    for (int k = 0; k < 6; ++k) {
        window[k] = shift == 0 ? two_over_pi[word + k]
                               : (two_over_pi[word + k] << shift) | (two_over_pi[word + k + 1] >> (32 - shift));
    }

    // r = m * window mod 2^192, little-endian 32-bit limbs.
    std::uint32_t r[6] = {};
    auto add_at = [&r](int limb, std::uint64_t v) {
        // v < 2^64 - 2^33 + 2 and r[k] < 2^32, so v + r[k] never wraps.
        for (int k = limb; k < 6 && v != 0; ++k) {
            v += r[k];
            r[k] = static_cast<std::uint32_t>(v);
            v >>= 32;
        }
    };
    const std::uint64_t m_lo = m & 0xffffffffULL;
    const std::uint64_t m_hi = m >> 32;
    for (int j = 0; j < 6; ++j) {
        const std::uint64_t w = window[5 - j];
        add_at(j, m_lo * w);
        if (j + 1 < 6) add_at(j + 1, m_hi * w);
    }

    int n = static_cast<int>(r[5] >> 30);
    r[5] &= 0x3fffffffU;
    bool negate = false;
    if (r[5] & 0x20000000U) {  // fraction >= 1/2: round n up and take 1 - fraction
        n += 1;
        negate = true;
        std::uint64_t carry = 1;
        for (int k = 0; k < 6; ++k) {
            const std::uint64_t v = static_cast<std::uint64_t>(~r[k]) + carry;
            r[k] = static_cast<std::uint32_t>(v);
            carry = v >> 32;
        }
        r[5] &= 0x3fffffffU;
    }

    std::uint64_t a2 = (static_cast<std::uint64_t>(r[5]) << 32) | r[4];
    std::uint64_t a1 = (static_cast<std::uint64_t>(r[3]) << 32) | r[2];
    std::uint64_t a0 = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
    if ((a2 | a1 | a0) == 0) {
        y0 = 0.0;
        y1 = 0.0;
    } else {
        int z = 0;  // total left shift that brings the leading 1 to the top of a2
        while (a2 == 0) {
            a2 = a1;
            a1 = a0;
            a0 = 0;
            z += 64;
        }
        const int s = std::countl_zero(a2);
        if (s != 0) {
            a2 = (a2 << s) | (a1 >> (64 - s));
            a1 = (a1 << s) | (a0 >> (64 - s));
        }
        z += s;
        // fraction = (a2 * 2^128 + a1 * 2^64 + ...) * 2^(-190 - z): bit 0 of a2 weighs 2^e.
        const int e = -62 - z;
        // e >= -62 - 191, so both scales are normal powers of two and the products exact.
        const double hi = static_cast<double>(a2 >> 11) * pow2(e + 11);  // 53 bits: exact
        const double lo = static_cast<double>(((a2 & 0x7ffULL) << 53) | (a1 >> 11)) * pow2(e - 53);
        // (hi + lo) * pi/2 in double-double.
        constexpr double pio2_hi = 0x1.921fb54442d18p+0;
        constexpr double pio2_lo = 0x1.1a62633145c07p-54;
        double p = 0.0;
        double err = 0.0;
        two_product(hi, pio2_hi, p, err);
        const double tail = err + (hi * pio2_lo + lo * pio2_hi);
        y0 = p + tail;
        y1 = tail - (y0 - p);
        if (negate) {
            y0 = -y0;
            y1 = -y1;
        }
    }
    if (x < 0) {
        y0 = -y0;
        y1 = -y1;
        n = -n;
    }
    return n;
}

// fdlibm's medium case (Cody-Waite with pi/2 in 3 pieces of 33 bits, each with a tail) below 2^19 * pi,
// where n has at most 20 bits so fn * pio2_k is exact; Payne-Hanek above.
int rem_pio2(double x, double& y0, double& y1) {
    constexpr double inv_pio2 = 6.36619772367581382433e-01;
    constexpr double pio2_1 = 1.57079632673412561417e+00;   // first 33 bits of pi/2
    constexpr double pio2_1t = 6.07710050650619224932e-11;  // pi/2 - pio2_1
    constexpr double pio2_2 = 6.07710050630396597660e-11;   // second 33 bits of pi/2
    constexpr double pio2_2t = 2.02226624879595063154e-21;  // pi/2 - (pio2_1 + pio2_2)
    constexpr double pio2_3 = 2.02226624871116645580e-21;   // third 33 bits of pi/2
    constexpr double pio2_3t = 8.47842766036889956997e-32;  // pi/2 - (pio2_1 + pio2_2 + pio2_3)
    const std::uint32_t ix = high_word(x) & 0x7fffffff;
    if (ix >= 0x413921fb) return rem_pio2_large(x, y0, y1);

    // Adding and removing 1.5 * 2^52 rounds to the nearest integer (ties to even) in round-to-nearest.
    double fn = x * inv_pio2 + 0x1.8p52;
    fn = fn - 0x1.8p52;
    const int n = static_cast<int>(fn);
    double r = x - fn * pio2_1;
    double w = fn * pio2_1t;  // first round: good to 85 bits
    const int j = static_cast<int>(ix >> 20);
    y0 = r - w;
    // Each further round is needed only when cancellation ate more bits than the previous tail provides.
    if (j - static_cast<int>((high_word(y0) >> 20) & 0x7ff) > 16) {
        double t = r;
        w = fn * pio2_2;
        r = t - w;
        w = fn * pio2_2t - ((t - r) - w);  // second round: good to 118 bits
        y0 = r - w;
        if (j - static_cast<int>((high_word(y0) >> 20) & 0x7ff) > 49) {
            t = r;
            w = fn * pio2_3;
            r = t - w;
            w = fn * pio2_3t - ((t - r) - w);  // third round: 151 bits
            y0 = r - w;
        }
    }
    y1 = (r - y0) - w;
    return n;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// exp: x = k ln2 + r with |r| <= ln2/2; exp(r) = 1 + 2r / (2 - R(r)) with R a degree-5 minimax in r^2
// (Remez error < 2^-59); exp(x) = 2^k exp(r). Error < 1 ulp. Unlike fdlibm, k comes from one branch-free
// rounding for every |x| >= 2^-28 (fdlibm special-cases |k| <= 1, which this computes identically), because
// exp sits on the training hot path.
double exp(double x) {
    constexpr double o_threshold = 7.09782712893383973096e+02;  // largest x with finite exp(x)
    constexpr double u_threshold = -7.45133219101941108420e+02;  // below it exp(x) rounds to 0
    constexpr double P1 = 1.66666666666666019037e-01;
    constexpr double P2 = -2.77777777770155933842e-03;
    constexpr double P3 = 6.61375632143793436117e-05;
    constexpr double P4 = -1.65339022054652515390e-06;
    constexpr double P5 = 4.13813679705723846039e-08;
    const std::uint32_t ix = high_word(x) & 0x7fffffff;

    if (ix >= 0x40862E42) {  // |x| >= 709.78: overflow, underflow, inf or NaN
        if (x != x) return x;
        if (x > o_threshold) return inf;
        if (x < u_threshold) return 0.0;
    }
    if (ix < 0x3e300000) return 1.0 + x;  // |x| < 2^-28: exp(x) rounds to 1 + x

    // Adding and removing 1.5 * 2^52 rounds to the nearest integer (ties to even) in round-to-nearest.
    double kd = inv_ln2 * x + 0x1.8p52;
    kd = kd - 0x1.8p52;
    const int k = static_cast<int>(kd);
    const double hi = x - kd * ln2_hi;  // exact: ln2_hi has 32 significant bits and |k| <= 1075
    const double lo = kd * ln2_lo;
    const double r = hi - lo;

    const double t = r * r;
    const double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    if (k >= -1021) {
        // y is in [0.7, 1.5) and 2^k y is a normal number: adding k to the exponent field is exact.
        return from_bits(to_bits(y) +
                                     (static_cast<std::uint64_t>(static_cast<std::int64_t>(k)) << 52));
    }
    return y * pow2(k + 1000) * 0x1p-1000;  // subnormal result: one rounding, in the last multiply
}

// ---------------------------------------------------------------------------------------------------------
// expm1: same reduction as exp, keeping the rounding error c of hi - lo; a rational form for
// expm1(r) with a degree-5 minimax in r^2 (error < 2^-61), then exact-as-possible recombination with 2^k.
double expm1(double x) {
    constexpr double o_threshold = 7.09782712893383973096e+02;
    constexpr double Q1 = -3.33333333333331316428e-02;
    constexpr double Q2 = 1.58730158725481460165e-03;
    constexpr double Q3 = -7.93650757867487942473e-05;
    constexpr double Q4 = 4.00821782732936239552e-06;
    constexpr double Q5 = -2.01099218183624371326e-07;
    const std::uint32_t hx0 = high_word(x);
    const bool negative = (hx0 >> 31) != 0;
    const std::uint32_t hx = hx0 & 0x7fffffff;

    if (hx >= 0x4043687A) {  // |x| >= 56 ln2
        if (hx >= 0x40862E42) {  // |x| >= 709.78
            if (hx >= 0x7ff00000) {
                if (((hx & 0xfffff) | low_word(x)) != 0) return x;
                return negative ? -1.0 : x;
            }
            if (x > o_threshold) return inf;
        }
        if (negative) return -1.0;  // exp(x) < 2^-56: expm1 rounds to -1
    }

    double hi = 0.0;
    double lo = 0.0;
    double c = 0.0;
    int k = 0;
    if (hx > 0x3fd62e42) {  // |x| > ln2/2
        if (hx < 0x3FF0A2B2) {  // |x| < 1.5 ln2
            hi = negative ? x + ln2_hi : x - ln2_hi;
            lo = negative ? -ln2_lo : ln2_lo;
            k = negative ? -1 : 1;
        } else {
            k = static_cast<int>(inv_ln2 * x + (negative ? -0.5 : 0.5));
            const double t = k;
            hi = x - t * ln2_hi;
            lo = t * ln2_lo;
        }
        x = hi - lo;
        c = (hi - x) - lo;
    } else if (hx < 0x3c900000) {  // |x| < 2^-54: expm1(x) rounds to x
        return x;
    }

    const double hfx = 0.5 * x;
    const double hxs = x * hfx;
    const double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
    double t = 3.0 - r1 * hfx;
    double e = hxs * ((r1 - t) / (6.0 - x * t));
    if (k == 0) return x - (x * e - hxs);
    e = x * (e - c) - c;
    e -= hxs;
    if (k == -1) return 0.5 * (x - e) - 0.5;
    if (k == 1) {
        if (x < -0.25) return -2.0 * (e - (x + 0.5));
        return 1.0 + 2.0 * (x - e);
    }
    if (k <= -2 || k > 56) {  // the -1 is either dominant or negligible: compute exp(x) - 1 directly
        double y = 1.0 - (e - x);
        y = k == 1024 ? y * 2.0 * 0x1p1023 : y * pow2(k);
        return y - 1.0;
    }
    if (k < 20) {
        t = from_words(0x3ff00000U - (0x200000U >> k), 0);  // 1 - 2^-k
        return (t - (e - x)) * pow2(k);
    }
    t = from_words(static_cast<std::uint32_t>(0x3ff - k) << 20, 0);  // 2^-k
    double y = x - (e + t);
    y += 1.0;
    return y * pow2(k);
}

// ---------------------------------------------------------------------------------------------------------
// log: x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2); log(1 + f) = 2s + s R(s^2) with s = f / (2 + f)
// and R a degree-14 minimax (error < 2^-58.45); log(x) = k ln2 + log(1 + f). Error < 1 ulp.
double log(double x) {
    constexpr double Lg1 = 6.666666666666735130e-01;
    constexpr double Lg2 = 3.999999999940941908e-01;
    constexpr double Lg3 = 2.857142874366239149e-01;
    constexpr double Lg4 = 2.222219843214978396e-01;
    constexpr double Lg5 = 1.818357216161805012e-01;
    constexpr double Lg6 = 1.531383769920937332e-01;
    constexpr double Lg7 = 1.479819860511658591e-01;
    std::int32_t hx = signed_high_word(x);
    int k = 0;
    if (hx < 0x00100000) {  // x < 2^-1022: zero, subnormal, negative (or NaN with the sign bit set)
        if (((hx & 0x7fffffff) | static_cast<std::int32_t>(low_word(x))) == 0) return -inf;
        if (hx < 0) return x != x ? x : quiet_nan;
        k -= 54;
        x *= two54;  // subnormal: scale up, exactly
        hx = signed_high_word(x);
    }
    if (hx >= 0x7ff00000) return x;  // +inf or NaN
    k += (hx >> 20) - 1023;
    hx &= 0x000fffff;
    const std::int32_t i = (hx + 0x95f64) & 0x100000;  // 1 when the mantissa is above sqrt(2)
    x = with_high_word(x, static_cast<std::uint32_t>(hx | (i ^ 0x3ff00000)));  // normalise x or x/2
    k += i >> 20;
    const double f = x - 1.0;
    const double dk = k;
    if ((0x000fffff & (2 + hx)) < 3) {  // -2^-20 <= f < 2^-20: a short series is enough
        if (f == 0.0) return k == 0 ? 0.0 : dk * ln2_hi + dk * ln2_lo;
        const double R = f * f * (0.5 - 0.33333333333333333 * f);
        if (k == 0) return f - R;
        return dk * ln2_hi - ((R - dk * ln2_lo) - f);
    }
    const double s = f / (2.0 + f);
    const double z = s * s;
    const double w = z * z;
    const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    const double R = t2 + t1;
    // Away from f ~ 0 (mantissa outside [1.38, 1.42) roughly), subtracting f^2/2 first is more accurate.
    if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
        const double hfsq = 0.5 * f * f;
        if (k == 0) return f - (hfsq - s * (hfsq + R));
        return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
    }
    if (k == 0) return f - s * (f - R);
    return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

// ---------------------------------------------------------------------------------------------------------
// log1p: as log, on u = 1 + x, plus a correction c = (1 + x - u) / u for the rounding of u. Error < 1 ulp.
double log1p(double x) {
    constexpr double Lp1 = 6.666666666666735130e-01;
    constexpr double Lp2 = 3.999999999940941908e-01;
    constexpr double Lp3 = 2.857142874366239149e-01;
    constexpr double Lp4 = 2.222219843214978396e-01;
    constexpr double Lp5 = 1.818357216161805012e-01;
    constexpr double Lp6 = 1.531383769920937332e-01;
    constexpr double Lp7 = 1.479819860511658591e-01;
    const std::int32_t hx = signed_high_word(x);
    const std::int32_t ax = hx & 0x7fffffff;
    int k = 1;
    double f = 0.0;
    double c = 0.0;
    std::int32_t hu = 0;
    if (hx < 0x3FDA827A) {  // 1 + x < sqrt(2)+
        if (ax >= 0x3ff00000) {  // x <= -1 (or a NaN with the sign bit set)
            if (x == -1.0) return -inf;
            return x != x ? x : quiet_nan;
        }
        if (ax < 0x3e200000) {  // |x| < 2^-29
            if (ax < 0x3c900000) return x;  // |x| < 2^-54
            return x - x * x * 0.5;
        }
        if (hx > 0 || hx <= static_cast<std::int32_t>(0xbfd2bec4U)) {  // sqrt(2)/2- <= 1 + x < sqrt(2)+
            k = 0;
            f = x;
            hu = 1;
        }
    }
    if (hx >= 0x7ff00000) return x;  // +inf or NaN
    if (k != 0) {
        double u = 0.0;
        if (hx < 0x43400000) {  // x < 2^53: 1 + x rounds, keep the correction
            u = 1.0 + x;
            hu = signed_high_word(u);
            k = (hu >> 20) - 1023;
            c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
            c /= u;
        } else {
            u = x;
            hu = signed_high_word(u);
            k = (hu >> 20) - 1023;
            c = 0.0;
        }
        hu &= 0x000fffff;
        if (hu < 0x6a09e) {  // u ~< sqrt(2)
            u = with_high_word(u, static_cast<std::uint32_t>(hu | 0x3ff00000));
        } else {
            k += 1;
            u = with_high_word(u, static_cast<std::uint32_t>(hu | 0x3fe00000));  // normalise u / 2
            hu = (0x00100000 - hu) >> 2;
        }
        f = u - 1.0;
    }
    const double hfsq = 0.5 * f * f;
    const double dk = k;
    if (hu == 0) {  // |f| < 2^-20
        if (f == 0.0) {
            if (k == 0) return 0.0;
            c += dk * ln2_lo;
            return dk * ln2_hi + c;
        }
        const double R = hfsq * (1.0 - 0.66666666666666666 * f);
        if (k == 0) return f - R;
        return dk * ln2_hi - ((R - (dk * ln2_lo + c)) - f);
    }
    const double s = f / (2.0 + f);
    const double z = s * s;
    const double R = z * (Lp1 + z * (Lp2 + z * (Lp3 + z * (Lp4 + z * (Lp5 + z * (Lp6 + z * Lp7))))));
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + (dk * ln2_lo + c))) - f);
}

// ---------------------------------------------------------------------------------------------------------
// sin and cos: reduce to [-pi/4, pi/4] and pick the kernel and sign by n mod 4. Error < 1 ulp for every
// finite x (the reduction is accurate everywhere, see rem_pio2_large).
double sin(double x) {
    const std::uint32_t ix = high_word(x) & 0x7fffffff;
    if (ix <= 0x3fe921fb) {  // |x| ~<= pi/4
        if (ix < 0x3e500000) return x;  // |x| < 2^-26: sin(x) rounds to x
        return kernel_sin(x, 0.0, false);
    }
    if (ix >= 0x7ff00000) return x != x ? x : quiet_nan;  // sin(+-inf) is NaN
    double y0 = 0.0;
    double y1 = 0.0;
    switch (rem_pio2(x, y0, y1) & 3) {
        case 0: return kernel_sin(y0, y1, true);
        case 1: return kernel_cos(y0, y1);
        case 2: return -kernel_sin(y0, y1, true);
        default: return -kernel_cos(y0, y1);
    }
}

double cos(double x) {
    const std::uint32_t ix = high_word(x) & 0x7fffffff;
    if (ix <= 0x3fe921fb) {  // |x| ~<= pi/4
        if (ix < 0x3e46a09e) return 1.0;  // |x| < 2^-27 sqrt(2): cos(x) rounds to 1
        return kernel_cos(x, 0.0);
    }
    if (ix >= 0x7ff00000) return x != x ? x : quiet_nan;
    double y0 = 0.0;
    double y1 = 0.0;
    switch (rem_pio2(x, y0, y1) & 3) {
        case 0: return kernel_cos(y0, y1);
        case 1: return -kernel_sin(y0, y1, true);
        case 2: return -kernel_cos(y0, y1);
        default: return kernel_sin(y0, y1, true);
    }
}

// ---------------------------------------------------------------------------------------------------------
// tanh: tanh_core (detmath_tanh.hpp, written once for this and for tanh_n's two lanes) from 2^-28 to 22;
// below, tanh(x) rounds to x (which keeps -0), and from 22 on to +-1 (1 - tanh(22) < 2^-63).
double tanh(double x) {
    const std::uint32_t hx = high_word(x);
    const std::uint32_t ix = hx & 0x7fffffff;
    const bool negative = (hx >> 31) != 0;
    if (ix >= 0x7ff00000) {
        if (x != x) return x;
        return negative ? -1.0 : 1.0;
    }
    if (ix >= 0x40360000) return negative ? -1.0 : 1.0;  // |x| >= 22
    if (ix < 0x3e300000) return x;                        // |x| < 2^-28
    const double z = tanh_core(negative ? -x : x);
    return negative ? -z : z;
}

// ---------------------------------------------------------------------------------------------------------
// erf: rational minimax fits on [0, 0.84375] (x + x P/Q) and around 1 (erx + P/Q, erx = erf(1) cut to 24 bits);
// beyond 1.25 via erfc = exp(-x^2 - 0.5625 + R/S) / x with exp(-x^2) split so x^2 is exact; exactly +-1
// from 6 on (1 - erf(6) < 2^-54).
double erf(double x) {
    constexpr double erx = 8.45062911510467529297e-01;
    constexpr double efx = 1.28379167095512586316e-01;   // 2/sqrt(pi) - 1
    constexpr double efx8 = 1.02703333676410069053e+00;  // 8 efx
    constexpr double pp0 = 1.28379167095512558561e-01;
    constexpr double pp1 = -3.25042107247001499370e-01;
    constexpr double pp2 = -2.84817495755985104766e-02;
    constexpr double pp3 = -5.77027029648944159157e-03;
    constexpr double pp4 = -2.37630166566501626084e-05;
    constexpr double qq1 = 3.97917223959155352819e-01;
    constexpr double qq2 = 6.50222499887672944485e-02;
    constexpr double qq3 = 5.08130628187576562776e-03;
    constexpr double qq4 = 1.32494738004321644526e-04;
    constexpr double qq5 = -3.96022827877536812320e-06;
    constexpr double pa0 = -2.36211856075265944077e-03;
    constexpr double pa1 = 4.14856118683748331666e-01;
    constexpr double pa2 = -3.72207876035701323847e-01;
    constexpr double pa3 = 3.18346619901161753674e-01;
    constexpr double pa4 = -1.10894694282396677476e-01;
    constexpr double pa5 = 3.54783043256182359371e-02;
    constexpr double pa6 = -2.16637559486879084300e-03;
    constexpr double qa1 = 1.06420880400844228286e-01;
    constexpr double qa2 = 5.40397917702171048937e-01;
    constexpr double qa3 = 7.18286544141962662868e-02;
    constexpr double qa4 = 1.26171219808761642112e-01;
    constexpr double qa5 = 1.36370839120290507362e-02;
    constexpr double qa6 = 1.19844998467991074170e-02;
    constexpr double ra0 = -9.86494403484714822705e-03;
    constexpr double ra1 = -6.93858572707181764372e-01;
    constexpr double ra2 = -1.05586262253232909814e+01;
    constexpr double ra3 = -6.23753324503260060396e+01;
    constexpr double ra4 = -1.62396669462573470355e+02;
    constexpr double ra5 = -1.84605092906711035994e+02;
    constexpr double ra6 = -8.12874355063065934246e+01;
    constexpr double ra7 = -9.81432934416914548592e+00;
    constexpr double sa1 = 1.96512716674392571292e+01;
    constexpr double sa2 = 1.37657754143519042600e+02;
    constexpr double sa3 = 4.34565877475229228821e+02;
    constexpr double sa4 = 6.45387271733267880336e+02;
    constexpr double sa5 = 4.29008140027567833386e+02;
    constexpr double sa6 = 1.08635005541779435134e+02;
    constexpr double sa7 = 6.57024977031928170135e+00;
    constexpr double sa8 = -6.04244152148580987438e-02;
    constexpr double rb0 = -9.86494292470009928597e-03;
    constexpr double rb1 = -7.99283237680523006574e-01;
    constexpr double rb2 = -1.77579549177547519889e+01;
    constexpr double rb3 = -1.60636384855821916062e+02;
    constexpr double rb4 = -6.37566443368389627722e+02;
    constexpr double rb5 = -1.02509513161107724954e+03;
    constexpr double rb6 = -4.83519191608651397019e+02;
    constexpr double sb1 = 3.03380607434824582924e+01;
    constexpr double sb2 = 3.25792512996573918826e+02;
    constexpr double sb3 = 1.53672958608443695994e+03;
    constexpr double sb4 = 3.19985821950859553908e+03;
    constexpr double sb5 = 2.55305040643316442583e+03;
    constexpr double sb6 = 4.74528541206955367215e+02;
    constexpr double sb7 = -2.24409524465858183362e+01;
    const std::uint32_t hx = high_word(x);
    const std::uint32_t ix = hx & 0x7fffffff;
    const bool negative = (hx >> 31) != 0;

    if (ix >= 0x7ff00000) {
        if (x != x) return x;
        return negative ? -1.0 : 1.0;
    }
    if (ix < 0x3feb0000) {  // |x| < 0.84375
        if (ix < 0x3e300000) {  // |x| < 2^-28
            if (ix < 0x00800000) return 0.125 * (8.0 * x + efx8 * x);  // scaled so efx * x does not underflow
            return x + efx * x;
        }
        const double z = x * x;
        const double r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
        const double s = 1.0 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
        return x + x * (r / s);
    }
    if (ix < 0x3ff40000) {  // 0.84375 <= |x| < 1.25
        const double s = (negative ? -x : x) - 1.0;
        const double P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
        const double Q = 1.0 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
        return negative ? -erx - P / Q : erx + P / Q;
    }
    if (ix >= 0x40180000) return negative ? -1.0 : 1.0;  // |x| >= 6

    const double a = negative ? -x : x;
    const double s = 1.0 / (a * a);
    double R = 0.0;
    double S = 0.0;
    if (ix < 0x4006DB6E) {  // |x| < 1/0.35
        R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
        S = 1.0 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
    } else {
        R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
        S = 1.0 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
    }
    const double z = from_words(high_word(a), 0);  // a to 21 bits, so z * z is exact
    const double r = exp(-z * z - 0.5625) * exp((z - a) * (z + a) + R / S);
    return negative ? r / a - 1.0 : 1.0 - r / a;
}

}  // namespace ap::detmath
