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
    static constexpr double inv_sqrt2 = 0.70710678118654752440;
    static constexpr double inv_sqrt_2pi = 0.39894228040143267794;

    // Mills ratio R(t) = Phi(-t) / phi(t) for t >= 3, by Laplace's continued fraction
    // 1/(t+ 1/(t+ 2/(t+ 3/(t+ ...)))) evaluated from the tail; the term counts give ~1e-16 relative error
    // (checked against mpmath at t = 3, 4, 6: 49, 33 and 19 terms needed).
    static double mills_ratio(double t) {
        const int terms = t < 4.0 ? 50 : (t < 6.0 ? 34 : 20);
        double acc = 0.0;
        for (int k = terms; k >= 1; --k) acc = k / (t + acc);
        return 1.0 / (t + acc);
    }
    static double pdf(double x) { return inv_sqrt_2pi * detmath::exp(-0.5 * x * x); }

    // f = x Phi(x), Phi(x) = (1 + erf(x / sqrt2)) / 2; f' = Phi(x) + x phi(x).
    // For x < -3, 1 + erf cancels (at x = -8 it keeps one digit), so Phi(x) = phi(x) R(-x) there. Past |x| = 40
    // phi is 0 in double and f is x or -0: those branches are the formula's own values, minus inf * 0.
    double value(double x) const {
        if (!(x <= 40.0)) return x;  // also NaN
        if (x < -40.0) return -0.0;
        if (x < -3.0) return x * (pdf(x) * mills_ratio(-x));
        return 0.5 * x * (1.0 + detmath::erf(x * inv_sqrt2));
    }
    double derivative(double x) const {
        if (x != x) return x;
        if (x > 40.0) return 1.0;
        if (x < -40.0) return -0.0;
        if (x < -3.0) return pdf(x) * (mills_ratio(-x) + x);  // phi (R(t) - t): R < 1/t, no cancellation
        return 0.5 * (1.0 + detmath::erf(x * inv_sqrt2)) + x * pdf(x);
    }
};

struct GeluTanh {
    static constexpr double sqrt_2_over_pi = 0.79788456080286535588;
    static constexpr double c = 0.044715;

    // f = x (1 + tanh u) / 2 with u = sqrt(2/pi) (x + c x^3), computed as x sigmoid(2u) (the same function)
    // so the left tail does not cancel; f' = s + x s(1 - s) 2u', u' = sqrt(2/pi) (1 + 3 c x^2).
    // Past x = 20 (2u > 600) s is 1 and s(1 - s) ~1e-262, so f = x, f' = 1 exactly; below x = -30 (2u < -1900)
    // s is 0; the branches keep x^3 from overflowing into inf * 0.
    double value(double x) const {
        if (!(x <= 20.0)) return x;
        if (x < -30.0) return -0.0;
        const double u = sqrt_2_over_pi * (x + c * x * x * x);
        return x * sigmoid_parts(2.0 * u).s;
    }
    double derivative(double x) const {
        if (x != x) return x;
        if (x > 20.0) return 1.0;
        if (x < -30.0) return -0.0;
        const double u = sqrt_2_over_pi * (x + c * x * x * x);
        const double du = sqrt_2_over_pi * (1.0 + 3.0 * c * x * x);
        const SigmoidParts p = sigmoid_parts(2.0 * u);
        return p.s + x * p.ds * 2.0 * du;
    }
};

struct Silu {
    double beta;  // > 0
    // f = x sigmoid(beta x), f' = s + beta x s(1 - s). Past |beta x| = 800, e^-|beta x| is 0 and the formula
    // gives (x, 1) or (-0, -0); the branches keep x = +-inf out of inf * 0.
    double value(double x) const {
        const double z = beta * x;
        if (!(z <= 800.0)) return x;
        if (z < -800.0) return -0.0;
        return x * sigmoid_parts(z).s;
    }
    double derivative(double x) const {
        const double z = beta * x;
        if (z != z) return z;
        if (z > 800.0) return 1.0;
        if (z < -800.0) return -0.0;
        const SigmoidParts p = sigmoid_parts(z);
        return p.s + z * p.ds;
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
        if (x <= 0) {
            const double e = detmath::exp(x);
            const double n = e * (e + 2.0);
            const double m = n + 2.0;
            return n / m + x * (4.0 * (n + 1.0) / (m * m)) * (e / (1.0 + e));
        }
        const double w = detmath::exp(-x);
        const double p = 1.0 + 2.0 * w;
        const double q = p + 2.0 * w * w;
        return p / q + x * (4.0 * w * w * (1.0 + w) / (q * q));
    }
};

struct Softplus {
    double beta;  // > 0
    // e^-700 exactly rounded (mpmath), to rescale the deep left tail.
    static constexpr double exp_m700 = 0x1.14f2b0fb9307fp-1010;

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
        return detmath::exp((z < -1500.0 ? -1500.0 : z) + 700.0) / beta * exp_m700;
    }
    double derivative(double x) const {
        const double z = beta * x;
        return z != z ? z : sigmoid_parts(z).s;
    }
};

struct Softsign {
    // f = x / (1 + |x|), f' = 1 / (1 + |x|)^2 (which underflows to 0 past |x| ~ 1e162: the true value does too)
    double value(double x) const { return std::isinf(x) ? (x > 0 ? 1.0 : -1.0) : x / (1.0 + std::fabs(x)); }
    double derivative(double x) const {
        const double d = 1.0 + std::fabs(x);
        return 1.0 / (d * d);
    }
};

struct HardSigmoid {
    // PyTorch's: f = relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1); f' = 1/6 on (-3, 3), 0 outside and at
    // the kinks +-3 (PyTorch's choice).
    double value(double x) const { return x <= -3.0 ? 0.0 : (x >= 3.0 ? 1.0 : x / 6.0 + 0.5); }
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
constexpr std::array<Info, 18> kInfo{{
    {Activation::identity, "identity"},       {Activation::binary_step, "binary_step"},
    {Activation::sigmoid, "sigmoid"},         {Activation::tanh, "tanh"},
    {Activation::relu, "relu"},               {Activation::leaky_relu, "leaky_relu"},
    {Activation::prelu, "prelu"},             {Activation::relu6, "relu6"},
    {Activation::elu, "elu"},                 {Activation::selu, "selu"},
    {Activation::gelu_erf, "gelu_erf"},       {Activation::gelu_tanh, "gelu_tanh"},
    {Activation::silu, "silu"},               {Activation::mish, "mish"},
    {Activation::softplus, "softplus"},       {Activation::softsign, "softsign"},
    {Activation::hard_sigmoid, "hard_sigmoid"}, {Activation::hard_tanh, "hard_tanh"},
}};
static_assert(static_cast<std::size_t>(Activation::hard_tanh) + 1 == kInfo.size(), "a name for every Activation");

constexpr std::array<Activation, kInfo.size()> kAll = [] {
    std::array<Activation, kInfo.size()> all{};
    for (std::size_t i = 0; i < kInfo.size(); ++i) all[i] = kInfo[i].kind;
    return all;
}();

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
    return visit_activation(kind, params, [x](const auto& f) { return f.value(x); });
}

double activate_derivative(Activation kind, const ActivationParams& params, double x) {
    return visit_activation(kind, params, [x](const auto& f) { return f.derivative(x); });
}

// Each element is read before it is written, so y may alias x.
void activate_batch(Activation kind, const ActivationParams& params, const double* x, double* y, double* dy,
                    std::size_t n) {
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
    visit_activation(kind, params, [=](const auto& f) {
        for (std::size_t i = 0; i < n; ++i) y[i] = f.value(z[i]);
    });
}

// dz may alias dy. Sigmoid and tanh take f' from y (no second exp); the rest from z.
void activation_backward(Activation kind, const ActivationParams& params, const double* z, const double* y,
                         const double* dy, double* dz, std::size_t n) {
    visit_activation(kind, params, [=](const auto& f) {
        if constexpr (ReusesOutput<std::decay_t<decltype(f)>>) {
            for (std::size_t i = 0; i < n; ++i) dz[i] = dy[i] * f.derivative_from_y(y[i]);
        } else {
            for (std::size_t i = 0; i < n; ++i) dz[i] = dy[i] * f.derivative(z[i]);
        }
    });
}

}  // namespace ap
