// Every activation is a small struct with value() and derivative() next to each other; the batch loops are
// templates over those structs, so the kind is dispatched once per call and the inner loop has no switch.
//
// Rules that hold for every function here:
// - NaN in gives NaN out, for the value and the derivative, so a diverged network is never silently
//   repaired by a ReLU or a step (the trainer's divergence check sees the NaN).
// - Every finite x gives a finite value and derivative (up to |x| = 1e300; beyond that only a slope times x
//   can overflow, e.g. selu(1.7e308)); +-inf gives the limits (sigmoid(+inf) = 1, softplus(-inf) = 0, ...).
// - exp/expm1/log1p/tanh/erf come from detmath (bit-identical native and wasm) and only ever see finite
//   arguments: tails are answered by branches that agree with the formula at their threshold.
#include "activation.hpp"

#include <array>
#include <cassert>
#include <cmath>
#include <type_traits>
#include <utility>

#include "detmath.hpp"
#include "error.hpp"
#include "formula.hpp"

namespace ap {

namespace {

// exp(-800) is 0 in double (the smallest subnormal is e^-744.4), so clamping an exponent there changes no
// result while keeping detmath's argument finite when x is +-inf or so large that 2x or x^2 overflows.
constexpr double kExpFloor = -800.0;

double exp_clamped(double t) { return detmath::exp(t < kExpFloor ? kExpFloor : t); }

// The slope of a piecewise-linear function around the point c: left for x < c, right for x > c, at_c at
// exactly c, and NaN passes through.
double slope_around(double x, double c, double left, double at_c, double right) {
    return x > c ? right : (x < c ? left : (x == c ? at_c : x));
}

// The ReLU family's slope at exactly 0. relu_grad_at_zero (g0: 0, 0.5 or 1) is read as a weight between
// the left and right one-sided slopes, (1 - g0) left + g0 right: for ReLU (left 0, right 1) that is g0
// itself; for leaky ReLU and PReLU it is alpha (g0 = 0, PyTorch's and TensorFlow's choice, and what the
// network's own PReLU uses), 1 (g0 = 1) or their mean (g0 = 0.5). Exact for g0 = 0 and 1.
double relu_kink_slope(double left, double right, double g0) { return (1.0 - g0) * left + g0 * right; }

// sigmoid(z) and sigmoid'(z) = s(1 - s) from e = exp(-|z|) <= 1: nothing overflows, and s(1 - s) is
// e / (1 + e)^2 rather than a difference, so its tail keeps every digit (1 - s would round to 0 at z = 38).
struct SigmoidParts {
    double s, ds;
};
SigmoidParts sigmoid_parts(double z) {
    const double e = exp_clamped(-std::fabs(z));
    const double d = 1.0 + e;
    return {z >= 0 ? 1.0 / d : e / d, e / (d * d)};
}


// ---- Exact products and sums (no FMA: the build has -ffp-contract=off, so these round the same everywhere) ----

// A value carried as hi + lo with |lo| <= ulp(hi) / 2: about 106 bits.
struct DD {
    double hi, lo;
};
// Dekker's a * b = hi + lo exactly (Veltkamp's split into 26-bit halves); |a|, |b| < 1e150 here.
DD two_product(double a, double b) {
    constexpr double split = 134217729.0;  // 2^27 + 1
    const double ta = split * a, tb = split * b;
    const double a_hi = ta - (ta - a), b_hi = tb - (tb - b);
    const double a_lo = a - a_hi, b_lo = b - b_hi;
    const double p = a * b;
    return {p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo};
}
// Knuth's a + b = hi + lo exactly.
DD two_sum(double a, double b) {
    const double s = a + b;
    const double bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}
DD dd_add(DD a, DD b) {
    const DD s = two_sum(a.hi, b.hi);
    return two_sum(s.hi, s.lo + a.lo + b.lo);
}
DD dd_mul(DD a, DD b) {
    const DD p = two_product(a.hi, b.hi);
    return two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}
DD dd_scale(DD a, double b) {
    const DD p = two_product(a.hi, b);
    return two_sum(p.hi, p.lo + a.lo * b);
}

// ---- Next to a zero r of f' ----
// There f' is a difference of two terms of size ~0.2, so every rounding in them is an error of ~1e-17
// absolute in a result that goes to 0: thousands of ulp. Instead, within kZeroWindow of r, f'(r + d) is its
// Taylor series sum_k c_k d^k (k = 1..24), with d = x - r formed exactly: x - r_hi is exact (Sterbenz) and
// r_lo carries r's next 53 bits. The zeros and coefficients come from mpmath at 80 digits
// (python3 scripts/activation-reference.py --taylor, which also checks the truncation: below 1e-19
// relative over the window).
constexpr double kZeroWindow = 0.375;

using Taylor24 = std::array<double, 24>;  // c_1 .. c_24

double taylor_at_zero(const Taylor24& c, double d) {
    double acc = c[23];
    for (std::size_t k = 23; k-- > 0;) acc = c[k] + d * acc;
    return d * acc;
}

// silu: f'(x) = 0 at -1.278464542761073795109359; Taylor degree 24, worst relative error 1.18e-22 over |d| <= 3/8
constexpr double kSiluZeroHi = -1.2784645427610737, kSiluZeroLo = -1.0946994183093437e-16;
constexpr Taylor24 kSiluTaylor = {{
    0.2178117057198001,
    0.1466487969969469,
    0.018874814223782312,
    -0.015222655223188032,
    -0.006606589138356696,
    0.000126627410081122,
    0.0007985218818397998,
    0.00018570724361186496,
    -4.090534237428612e-05,
    -2.9733542213263917e-05,
    -2.942631888842464e-06,
    2.346029682463866e-06,
    8.599695028268575e-07,
    -3.051244750055421e-08,
    -9.266646309267441e-08,
    -1.8877622907727957e-08,
    4.619379769031606e-09,
    2.9177603026903803e-09,
    2.3648315053103244e-10,
    -2.251366201881081e-10,
    -7.50344609385287e-11,
    3.998547874723996e-12,
    8.04274075537398e-12,
    1.4842855116792256e-12}};
// mish: f'(x) = 0 at -1.192431214515495212137588; Taylor degree 24, worst relative error 1.11e-20 over |d| <= 3/8
constexpr double kMishZeroHi = -1.1924312145154952, kMishZeroLo = -4.8484829848031044e-17;
constexpr Taylor24 kMishTaylor = {{
    0.2669479140495345,
    0.20473126408010586,
    0.04190782104360987,
    -0.020271822716684245,
    -0.01582112656173338,
    -0.0033606849270232685,
    0.0010924055409445854,
    0.0009898181021289196,
    0.00025412936386191073,
    -4.1961496031696126e-05,
    -5.582891567360688e-05,
    -1.72992708103044e-05,
    9.427361327376651e-07,
    2.9088199364912223e-06,
    1.071676702702074e-06,
    2.6879417855557728e-08,
    -1.4117255919499382e-07,
    -6.174424363104907e-08,
    -5.460186173028381e-09,
    6.3895954615089855e-09,
    3.3604012383661332e-09,
    4.817646300218697e-10,
    -2.6751871594311224e-10,
    -1.7442209713382678e-10}};
// gelu_erf: f'(x) = 0 at -0.7517915246935644574579049; Taylor degree 24, worst relative error 2.65e-23 over |d| <= 3/8
constexpr double kGeluErfZeroHi = -0.7517915246935645, kGeluErfZeroLo = 1.4956759177009883e-17;
constexpr Taylor24 kGeluErfTaylor = {{
    0.4314939923140469,
    0.388284982990552,
    -0.018199676398671087,
    -0.1140082332972217,
    -0.014771522148244337,
    0.019421679838189067,
    0.004539228379125415,
    -0.002239538068073497,
    -0.0007448268386746817,
    0.00018633974623233514,
    8.615947861116571e-05,
    -1.121438018842664e-05,
    -7.74846130700372e-06,
    4.3284506257392273e-07,
    5.702764979242107e-07,
    -1.6044265494246427e-09,
    -3.5459866461783865e-08,
    -1.396942086426202e-09,
    1.90319840501314e-09,
    1.4506418938779426e-10,
    -8.950037692726255e-11,
    -9.950340824808053e-12,
    3.725967039270119e-12,
    5.482292964742324e-13}};
// gelu_tanh: f'(x) = 0 at -0.7524614220710162584879544; Taylor degree 24, worst relative error 5.08e-20 over |d| <= 3/8
constexpr double kGeluTanhZeroHi = -0.7524614220710163, kGeluTanhZeroLo = 3.635560509207687e-17;
constexpr Taylor24 kGeluTanhTaylor = {{
    0.4304000910248585,
    0.38751844613578895,
    -0.01578285352184803,
    -0.11394448308095899,
    -0.01661932834305256,
    0.019682309459833118,
    0.005261059254921912,
    -0.0024227318458750974,
    -0.0009274420230205449,
    0.00026392764052681053,
    0.00012425227802639782,
    -3.4956171694436116e-05,
    -1.5950896871645105e-05,
    5.918611710894005e-06,
    2.4335516344299543e-06,
    -9.898647747433667e-07,
    -4.3102482988029016e-07,
    1.4157556987729473e-07,
    7.520740909289922e-08,
    -1.6978217459781023e-08,
    -1.196180847972441e-08,
    1.7637802707907564e-09,
    1.744987137846621e-09,
    -1.708811216951738e-10}};

// ---- The functions ----

struct Identity {
    // f = x, f' = 1
    double value(double x) const { return x; }
    double derivative(double x) const { return x == x ? 1.0 : x; }
};

struct BinaryStep {
    // f = [x >= 0]; f' = 0. The jump at 0 belongs to the upper step (f(0) = f(-0) = 1, Heaviside with
    // H(0) = 1), and the derivative is 0 there too: no gradient ever flows through a step (that is its lesson).
    double value(double x) const { return x >= 0 ? 1.0 : (x < 0 ? 0.0 : x); }
    double derivative(double x) const { return x == x ? 0.0 : x; }
};

struct Sigmoid {
    // f = 1 / (1 + e^-x), f' = f (1 - f)
    double value(double x) const { return x != x ? x : sigmoid_parts(x).s; }
    double derivative(double x) const { return x != x ? x : sigmoid_parts(x).ds; }
    // The backward pass reuses y: y (1 - y) is exact to ~1e-16 absolute, which is all a gradient needs.
    double derivative_from_y(double y) const { return y * (1.0 - y); }
};

struct Tanh {
    // f = tanh x, f' = 1 - f^2 = 4 e / (1 + e)^2 with e = exp(-2|x|), which keeps the tail's digits.
    // tanh(20) rounds to 1 (1 - tanh 20 = 8.5e-18 < 2^-54), so the clamp changes nothing.
    double value(double x) const {
        return x > 20.0 ? 1.0 : (x < -20.0 ? -1.0 : (x == x ? detmath::tanh(x) : x));
    }
    double derivative(double x) const {
        if (x != x) return x;
        const double e = exp_clamped(-2.0 * std::fabs(x));
        return 4.0 * e / ((1.0 + e) * (1.0 + e));
    }
    double derivative_from_y(double y) const { return 1.0 - y * y; }
};

struct Relu {
    double g0;  // slope at exactly 0
    // f = max(0, x), f' = [x > 0]; f'(0) = g0. (x <= 0 ? 0 : x) also maps -0 to +0 and keeps NaN.
    double value(double x) const { return x <= 0 ? 0.0 : x; }
    double derivative(double x) const { return slope_around(x, 0.0, 0.0, g0, 1.0); }
};

struct LeakyRelu {  // also PReLU with a fixed slope (the network learns PReLU's per-unit slopes itself)
    double alpha, at_zero;
    // f = x for x > 0, alpha x otherwise; f' = 1 or alpha; f'(0) = relu_kink_slope(alpha, 1, g0).
    double value(double x) const { return x > 0 ? x : alpha * x; }
    double derivative(double x) const { return slope_around(x, 0.0, alpha, at_zero, 1.0); }
};

struct Relu6 {
    double g0;
    // f = min(max(0, x), 6); f' = 1 on (0, 6), 0 outside; f'(0) = g0 as ReLU; f'(6) = 0 (PyTorch's choice:
    // the top kink is where the unit stops learning, like hard tanh's).
    double value(double x) const { return x <= 0 ? 0.0 : (x >= 6.0 ? 6.0 : x); }
    double derivative(double x) const {
        return (x > 0 && x < 6.0) ? 1.0 : (x == 0 ? g0 : (x == x ? 0.0 : x));
    }
};

struct Elu {
    double alpha;
    // f = x for x > 0, alpha (e^x - 1) otherwise; f' = 1 or alpha e^x. With alpha != 1 the slope jumps at 0;
    // there we use the x > 0 side's 1 (PyTorch uses alpha, the left side; with alpha = 1 both agree).
    double value(double x) const { return !(x <= 0) ? x : alpha * detmath::expm1(x < kExpFloor ? kExpFloor : x); }
    double derivative(double x) const { return x >= 0 ? 1.0 : (x < 0 ? alpha * exp_clamped(x) : x); }
};

struct Selu {
    // Klambauer et al. 2017: the fixed point of mean 0, variance 1 activations.
    static constexpr double lambda = 1.0507009873554804934193349852946;
    static constexpr double alpha = 1.6732632423543772848170429916717;
    // f = lambda x for x > 0, lambda alpha (e^x - 1) otherwise; f' = lambda or lambda alpha e^x; the slope
    // jumps at 0 (1.0507 to 1.7581) and, as ELU, we use the x > 0 side's lambda there.
    double value(double x) const {
        return !(x <= 0) ? lambda * x : lambda * (alpha * detmath::expm1(x < kExpFloor ? kExpFloor : x));
    }
    double derivative(double x) const { return x >= 0 ? lambda : (x < 0 ? lambda * (alpha * exp_clamped(x)) : x); }
};

struct GeluErf {
    static constexpr double inv_sqrt2 = 0x1.6a09e667f3bcdp-1;      // 1/sqrt(2) = inv_sqrt2 + inv_sqrt2_lo
    static constexpr double inv_sqrt2_lo = -0x1.bdd3413b26456p-55;
    static constexpr double inv_sqrt_2pi = 0.39894228040143267794;
    static constexpr double two_over_sqrt_pi = 1.1283791670955125739;

    // Phi(x) for x < 0 as erfc(t) / 2, t = -x / sqrt2: no 1 + erf(x) to cancel (at x = -2.5 it lost 6 bits).
    // t is carried as t_hi + t_lo, and t_lo enters through erfc' = -2/sqrt(pi) e^-t^2: rounding t alone
    // would cost 2 t^2 half-ulps (100 at x = -10).
    static double lower_cdf(double x) {
        const DD t = two_product(-x, inv_sqrt2);
        const double t_lo = t.lo + (-x) * inv_sqrt2_lo;
        return 0.5 * (detmath::erfc(t.hi) - t_lo * (two_over_sqrt_pi * detmath::exp(-t.hi * t.hi)));
    }
    // phi(x) = e^(-x^2/2) / sqrt(2 pi) with x^2 = p + e exact: e^-(p + e)/2 = e^(-p/2) (1 - e/2); rounding x^2
    // would cost x^2 / 2 half-ulps.
    static double pdf(double x) {
        const DD sq = two_product(x, x);
        return inv_sqrt_2pi * (detmath::exp(-0.5 * sq.hi) * (1.0 - 0.5 * sq.lo));
    }

    // f = x Phi(x), f' = Phi(x) + x phi(x). Past x = 40 Phi is 1 and phi 0 in double; below x = -39.5, f and
    // f' are below the smallest subnormal (|f| < 1e-335): those branches are the formula's own values.
    double value(double x) const {
        if (!(x <= 40.0)) return x;  // also NaN
        if (x < -39.5) return -0.0;
        if (x < 0) return x * lower_cdf(x);
        return 0.5 * x * (1.0 + detmath::erf(x * inv_sqrt2));
    }
    double derivative(double x) const {
        if (x != x) return x;
        if (x > 40.0) return 1.0;
        if (x < -39.5) return -0.0;
        const double d = (x - kGeluErfZeroHi) - kGeluErfZeroLo;
        if (std::fabs(d) <= kZeroWindow) return taylor_at_zero(kGeluErfTaylor, d);
        if (x < 0) return lower_cdf(x) + x * pdf(x);
        return 0.5 * (1.0 + detmath::erf(x * inv_sqrt2)) + x * pdf(x);
    }
};

// sigmoid(z) and z's exponential e = exp(-|z|) for z = hi + lo: e is taken at hi and moved to hi + lo to first
// order (e^-|z| = e^-|hi| (1 -+ lo)), so a z carried in two parts loses nothing to its rounding.
struct SigmoidDD {
    double e;     // exp(-|z|), <= 1
    bool upper;   // z >= 0: sigmoid = 1 / (1 + e); else e / (1 + e)
};
SigmoidDD sigmoid_dd(DD z) {
    const double e = exp_clamped(-std::fabs(z.hi));
    return {e - e * (z.hi >= 0 ? z.lo : -z.lo), z.hi >= 0};
}

// s + x s (1 - s) dz with s = sigmoid(z), without the cancellation next to f' = 0. From e = exp(-|z|):
// z < 0:  s = e / (1 + e), 1 - s = 1 / (1 + e), f' = e ((1 + e) + x dz) / (1 + e)^2,
// z >= 0: s = 1 / (1 + e), 1 - s = e / (1 + e), f' = ((1 + e) + x dz e) / (1 + e)^2.
// The numerator is summed in double-double (x dz is given as a DD), so only the final roundings remain:
// ~2 ulp, plus exp's own error, which moves f' by less than an ulp wherever f' is well-conditioned.
double swish_like_derivative(SigmoidDD s, DD x_dz) {
    const DD one_e = two_sum(1.0, s.e);
    const DD term = s.upper ? dd_scale(x_dz, s.e) : x_dz;
    const double num = dd_add(one_e, term).hi;
    const DD den = dd_mul(one_e, one_e);
    return s.upper ? num / den.hi : (s.e * num) / den.hi;
}
double sigmoid_of(SigmoidDD s) { return s.upper ? 1.0 / (1.0 + s.e) : s.e / (1.0 + s.e); }

struct GeluTanh {
    static constexpr double c = 0.044715;
    // 2 sqrt(2/pi) = k2 + k2_lo
    static constexpr double k2 = 0x1.9884533d43651p+0;
    static constexpr double k2_lo = -0x1.d1c4b4b9e2ef3p-54;

    // f = x (1 + tanh u) / 2 with u = sqrt(2/pi) (x + c x^3), computed as x sigmoid(2u) (the same function)
    // so the left tail does not cancel; f' = s + x s(1 - s) 2u', 2u' = 2 sqrt(2/pi) (1 + 3 c x^2).
    // 2u = k2 x (1 + c x^2) is carried in double-double: in the tail f's relative error is |2u| times 2u's, so
    // the 4 roundings of a plain evaluation cost up to 40 ulp at x = -10.
    // Past x = 20 (2u > 600) s is 1 and s(1 - s) ~1e-262, so f = x, f' = 1 exactly; below x = -30 (2u < -1900)
    // s is 0; the branches keep x^3 from overflowing into inf * 0.
    static DD two_u(double x, DD x2) {
        const DD cx2 = dd_scale(x2, c);
        const DD w = dd_add({1.0, 0.0}, cx2);  // 1 + c x^2
        const DD xw = dd_scale(w, x);
        return dd_add(dd_scale(xw, k2), {xw.hi * k2_lo, 0.0});
    }
    double value(double x) const {
        if (!(x <= 20.0)) return x;
        if (x < -30.0) return -0.0;
        return x * sigmoid_of(sigmoid_dd(two_u(x, two_product(x, x))));
    }
    double derivative(double x) const {
        if (x != x) return x;
        if (x > 20.0) return 1.0;
        if (x < -30.0) return -0.0;
        const double d = (x - kGeluTanhZeroHi) - kGeluTanhZeroLo;
        if (std::fabs(d) <= kZeroWindow) return taylor_at_zero(kGeluTanhTaylor, d);
        const DD x2 = two_product(x, x);
        // x 2u' = k2 x (1 + 3 c x^2), in double-double
        const DD dw = dd_add({1.0, 0.0}, dd_scale(x2, 3.0 * c));
        const DD x_du = dd_add(dd_scale(dd_scale(dw, x), k2), {x * dw.hi * k2_lo, 0.0});
        return swish_like_derivative(sigmoid_dd(two_u(x, x2)), x_du);
    }
};

// e^-700 exactly rounded (mpmath), to rescale the deep left tails where e^z is subnormal.
constexpr double kExpM700 = 0x1.14f2b0fb9307fp-1010;

struct Silu {
    double beta;  // > 0
    // f = x sigmoid(beta x), f' = s + beta x s(1 - s), with z = beta x carried as z_hi + z_lo (its rounding
    // would cost |z| half-ulps in the tails). Next to f' = 0 (z = -1.2785) the Taylor series takes over.
    // Below z = -700, e^z is subnormal and short of bits: f = x e^z and f' = e^z (1 + z) (1 + e^z rounds to
    // 1) are formed from e^(z + 700) and scaled by e^-700 last (z + 700 is exact). Past |z| = 800 the
    // formula gives (x, 1) or (-0, -0); the branches keep x = +-inf out of inf * 0.
    double value(double x) const {
        const double z = beta * x;
        if (!(z <= 800.0)) return x;
        if (z < -800.0) return -0.0;
        const DD zz = two_product(beta, x);
        if (z < -700.0) return x * (detmath::exp(zz.hi + 700.0) * (1.0 + zz.lo)) * kExpM700;
        return x * sigmoid_of(sigmoid_dd(zz));
    }
    double derivative(double x) const {
        const double z = beta * x;
        if (z != z) return z;
        if (z > 800.0) return 1.0;
        if (z < -800.0) return -0.0;
        const DD zz = two_product(beta, x);
        if (z < -700.0) return detmath::exp(zz.hi + 700.0) * (1.0 + zz.lo) * (1.0 + z) * kExpM700;
        const double d = (zz.hi - kSiluZeroHi) + (zz.lo - kSiluZeroLo);
        if (std::fabs(d) <= kZeroWindow) return taylor_at_zero(kSiluTaylor, d);
        return swish_like_derivative(sigmoid_dd(zz), zz);
    }
};

struct Mish {
    // f = x tanh(softplus x), f' = t + x (1 - t^2) sigmoid(x), with t = tanh(log(1 + e^x)) written without
    // cancellation. With n = e^x (e^x + 2): t = n / (n + 2), 1 - t^2 = 4 (n + 1) / (n + 2)^2 (used for x <= 0).
    // With w = e^-x, P = 1 + 2w, Q = P + 2w^2: t = P / Q, (1 - t^2) sigmoid(x) = 4 w^2 (1 + w) / Q^2 (x > 0).
    // Every term is positive, so nothing cancels in either tail. Past x = 40, 2w < 2^-53 and (f, f') = (x, 1).
    double value(double x) const {
        if (!(x <= 40.0)) return x;
        if (x < kExpFloor) return -0.0;
        if (x <= 0) {
            const double e = detmath::exp(x);
            const double n = e * (e + 2.0);
            return x * (n / (n + 2.0));
        }
        const double w = detmath::exp(-x);
        const double p = 1.0 + 2.0 * w;
        return x * (p / (p + 2.0 * w * w));
    }
    double derivative(double x) const {
        if (x != x) return x;
        if (x > 40.0) return 1.0;
        if (x < kExpFloor) return -0.0;
        const double d = (x - kMishZeroHi) - kMishZeroLo;
        if (std::fabs(d) <= kZeroWindow) return taylor_at_zero(kMishTaylor, d);
        if (x <= 0) {
            // f' = n/m + x (4 (n + 1) / m^2) e / (1 + e) = [n m (1 + e) + 4 x (n + 1) e] / [m^2 (1 + e)]: the two
            // terms of the numerator cancel towards f' = 0 (x = -1.19), so it is summed in double-double.
            const double e = detmath::exp(x);
            const DD n = dd_add(two_product(e, e), dd_scale({e, 0.0}, 2.0));  // e^2 + 2e
            const DD m = dd_add(n, {2.0, 0.0});
            const DD one_e = two_sum(1.0, e);
            const DD left = dd_mul(dd_mul(n, m), one_e);
            const DD right = dd_scale(dd_scale(dd_add(n, {1.0, 0.0}), e), 4.0 * x);  // 4x exact
            const double num = dd_add(left, right).hi;
            return num / dd_mul(dd_mul(m, m), one_e).hi;
        }
        const double w = detmath::exp(-x);
        const double p = 1.0 + 2.0 * w;
        const double q = p + 2.0 * w * w;
        return p / q + x * (4.0 * w * w * (1.0 + w) / (q * q));
    }
};

struct Softplus {
    double beta;  // > 0
    // f = log(1 + e^(beta x)) / beta, f' = sigmoid(beta x).
    // z = beta x > 40: log1p(e^-z)/beta < 2^-60 x, so f rounds to x and we return x itself (not z / beta).
    // 0 < z <= 40: x + log1p(e^-z) / beta, exact x plus a small positive correction.
    // z <= 0: log1p(e^z) / beta, which is e^z / beta once e^z < 2^-53.
    // z < -700: e^z is subnormal and has lost bits, but e^z / beta can still be normal (beta < 1), so
    // compute (e^(z + 700) / beta) e^-700 (z + 700 is exact for z >= -1400; below that f is 0 anyway).
    double value(double x) const {
        const double z = beta * x;
        if (!(z <= 40.0)) return x;
        if (z > 0) return x + detmath::log1p(detmath::exp(-z)) / beta;
        if (z > -700.0) return detmath::log1p(detmath::exp(z)) / beta;
        return detmath::exp((z < -1500.0 ? -1500.0 : z) + 700.0) / beta * kExpM700;
    }
    double derivative(double x) const {
        const double z = beta * x;
        return z != z ? z : sigmoid_parts(z).s;
    }
};

struct Softsign {
    // f = x / (1 + |x|), f' = 1 / (1 + |x|)^2, as (1 / d) / d: d * d overflows past |x| ~ 1.3e154, where the
    // true f' is still a subnormal (1e-310 at 1e155); it underflows to 0 only past |x| ~ 2e161.
    double value(double x) const { return std::isinf(x) ? (x > 0 ? 1.0 : -1.0) : x / (1.0 + std::fabs(x)); }
    double derivative(double x) const {
        const double d = 1.0 + std::fabs(x);
        return 1.0 / d / d;
    }
};

struct HardSigmoid {
    // PyTorch's: f = relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1); f' = 1/6 on (-3, 3), 0 outside and at
    // the kinks +-3 (PyTorch's choice).
    // Written as (x + 3) / 6, not x / 6 + 0.5: next to x = -3 the sum x / 6 + 0.5 cancels and keeps only the
    // rounding error of x / 6 (683 ulp off at -3 + 2^-10), while x + 3 is exact there (Sterbenz).
    double value(double x) const { return x <= -3.0 ? 0.0 : (x >= 3.0 ? 1.0 : (x + 3.0) / 6.0); }
    double derivative(double x) const { return (x > -3.0 && x < 3.0) ? 1.0 / 6.0 : (x == x ? 0.0 : x); }
};

struct HardTanh {
    // f = clip(x, -1, 1); f' = 1 on (-1, 1), 0 outside and at the kinks +-1 (PyTorch's choice).
    double value(double x) const { return x <= -1.0 ? -1.0 : (x >= 1.0 ? 1.0 : x); }
    double derivative(double x) const { return (x > -1.0 && x < 1.0) ? 1.0 : (x == x ? 0.0 : x); }
};

// ---- Dispatch: one switch per call, the visitor's loop is instantiated for each struct ----

template <class Visit>
decltype(auto) visit_activation(Activation kind, const ActivationParams& p, Visit&& visit) {
    const double g0 = p.relu_grad_at_zero;
    switch (kind) {
        case Activation::identity: return visit(Identity{});
        case Activation::binary_step: return visit(BinaryStep{});
        case Activation::sigmoid: return visit(Sigmoid{});
        case Activation::tanh: return visit(Tanh{});
        case Activation::relu: return visit(Relu{g0});
        case Activation::leaky_relu:
        case Activation::prelu: return visit(LeakyRelu{p.alpha, relu_kink_slope(p.alpha, 1.0, g0)});
        case Activation::relu6: return visit(Relu6{g0});
        case Activation::elu: return visit(Elu{p.alpha});
        case Activation::selu: return visit(Selu{});
        case Activation::gelu_erf: return visit(GeluErf{});
        case Activation::gelu_tanh: return visit(GeluTanh{});
        case Activation::silu: assert(p.beta > 0); return visit(Silu{p.beta});
        case Activation::mish: return visit(Mish{});
        case Activation::softplus: assert(p.beta > 0); return visit(Softplus{p.beta});
        case Activation::softsign: return visit(Softsign{});
        case Activation::hard_sigmoid: return visit(HardSigmoid{});
        case Activation::hard_tanh: return visit(HardTanh{});
        case Activation::formula: break;  // the public functions below take formulas before dispatching
    }
    assert(!"visit_activation: Activation out of range");
    return visit(Identity{});
}

template <class F>
concept ReusesOutput = requires(const F& f, double y) { f.derivative_from_y(y); };

struct Info {
    Activation kind;
    std::string_view name;
};
constexpr std::array<Info, 19> kInfo{{
    {Activation::identity, "identity"},       {Activation::binary_step, "binary_step"},
    {Activation::sigmoid, "sigmoid"},         {Activation::tanh, "tanh"},
    {Activation::relu, "relu"},               {Activation::leaky_relu, "leaky_relu"},
    {Activation::prelu, "prelu"},             {Activation::relu6, "relu6"},
    {Activation::elu, "elu"},                 {Activation::selu, "selu"},
    {Activation::gelu_erf, "gelu_erf"},       {Activation::gelu_tanh, "gelu_tanh"},
    {Activation::silu, "silu"},               {Activation::mish, "mish"},
    {Activation::softplus, "softplus"},       {Activation::softsign, "softsign"},
    {Activation::hard_sigmoid, "hard_sigmoid"}, {Activation::hard_tanh, "hard_tanh"},
    {Activation::formula, "formula"},
}};
static_assert(static_cast<std::size_t>(Activation::formula) + 1 == kInfo.size(), "a name for every Activation");

constexpr std::array<Activation, kInfo.size() - 1> kAll = [] {  // the built-ins: all but formula, the last
    std::array<Activation, kInfo.size() - 1> all{};
    for (std::size_t i = 0; i + 1 < kInfo.size(); ++i) all[i] = kInfo[i].kind;
    return all;
}();

// The compiled formula of params, or ConfigError if the caller forgot to compile it.
const Formula& program_of(const ActivationParams& p) {
    if (!p.program) throw ConfigError("activation formula: the formula was not compiled");
    return *p.program;
}

}  // namespace

ActivationParams default_params(Activation kind) {
    ActivationParams p;  // alpha 0.01 (leaky ReLU), beta 1, f'(0) = 0
    if (kind == Activation::prelu) p.alpha = 0.25;  // PyTorch's nn.PReLU init
    if (kind == Activation::elu) p.alpha = 1.0;
    return p;
}

std::string_view activation_name(Activation kind) {
    const auto i = static_cast<std::size_t>(kind);
    assert(i < kInfo.size() && kInfo[i].kind == kind);
    return i < kInfo.size() ? kInfo[i].name : std::string_view("unknown");
}

std::optional<Activation> activation_from_name(std::string_view name) {
    for (const Info& info : kInfo)
        if (info.name == name) return info.kind;
    return std::nullopt;
}

std::span<const Activation> all_activations() { return kAll; }

bool is_relu_family(Activation kind) {
    return kind == Activation::relu || kind == Activation::relu6 || kind == Activation::binary_step;
}

bool is_saturating(Activation kind) {
    return kind == Activation::sigmoid || kind == Activation::tanh || kind == Activation::softsign ||
           kind == Activation::hard_sigmoid || kind == Activation::hard_tanh;
}

bool uses_alpha(Activation kind) {
    return kind == Activation::leaky_relu || kind == Activation::prelu || kind == Activation::elu;
}

bool uses_beta(Activation kind) { return kind == Activation::silu || kind == Activation::softplus; }

std::vector<double> kinks(Activation kind, const ActivationParams& params) {
    switch (kind) {
        case Activation::binary_step:
        case Activation::relu:
        case Activation::selu: return {0.0};
        case Activation::leaky_relu:
        case Activation::prelu:
        case Activation::elu: return params.alpha == 1.0 ? std::vector<double>{} : std::vector<double>{0.0};
        case Activation::relu6: return {0.0, 6.0};
        case Activation::hard_sigmoid: return {-3.0, 3.0};
        case Activation::hard_tanh: return {-1.0, 1.0};
        default: return {};
    }
}

double activate(Activation kind, const ActivationParams& params, double x) {
    if (kind == Activation::formula) {
        double y = 0;
        program_of(params).forward(params.a, params.b, &x, &y, 1);
        return y;
    }
    return visit_activation(kind, params, [x](const auto& f) { return f.value(x); });
}

double activate_derivative(Activation kind, const ActivationParams& params, double x) {
    if (kind == Activation::formula) {
        double dy = 0;
        program_of(params).evaluate(params.a, params.b, &x, nullptr, &dy, 1);
        return dy;
    }
    return visit_activation(kind, params, [x](const auto& f) { return f.derivative(x); });
}

// Each element is read before it is written, so y may alias x.
void activate_batch(Activation kind, const ActivationParams& params, const double* x, double* y, double* dy,
                    std::size_t n) {
    if (kind == Activation::formula) return program_of(params).evaluate(params.a, params.b, x, y, dy, n);
    visit_activation(kind, params, [=](const auto& f) {
        if (dy == nullptr) {
            for (std::size_t i = 0; i < n; ++i) y[i] = f.value(x[i]);
            return;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const double xi = x[i];
            y[i] = f.value(xi);
            dy[i] = f.derivative(xi);
        }
    });
}

void activation_forward(Activation kind, const ActivationParams& params, const double* z, double* y,
                        std::size_t n) {
    if (kind == Activation::formula) return program_of(params).forward(params.a, params.b, z, y, n);
    visit_activation(kind, params, [=](const auto& f) {
        for (std::size_t i = 0; i < n; ++i) y[i] = f.value(z[i]);
    });
}

// dz may alias dy. Sigmoid and tanh take f' from y (no second exp); the rest from z.
void activation_backward(Activation kind, const ActivationParams& params, const double* z, const double* y,
                         const double* dy, double* dz, std::size_t n) {
    if (kind == Activation::formula) return program_of(params).backward(params.a, params.b, z, dy, dz, n);
    visit_activation(kind, params, [=](const auto& f) {
        if constexpr (ReusesOutput<std::decay_t<decltype(f)>>) {
            for (std::size_t i = 0; i < n; ++i) dz[i] = dy[i] * f.derivative_from_y(y[i]);
        } else {
            for (std::size_t i = 0; i < n; ++i) dz[i] = dy[i] * f.derivative(z[i]);
        }
    });
}

}  // namespace ap
