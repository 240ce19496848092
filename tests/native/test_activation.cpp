// Activations: values worked out by hand (arithmetic in the comments; transcendental constants from tables),
// derivatives against central differences, the conventions at kinks, the tails, and the batch paths.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "activation.hpp"

using ap::Activation;
using ap::ActivationParams;
using Catch::Matchers::WithinRel;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

double f(Activation k, double x, ActivationParams p) { return ap::activate(k, p, x); }
double f(Activation k, double x) { return ap::activate(k, ap::default_params(k), x); }
double df(Activation k, double x, ActivationParams p) { return ap::activate_derivative(k, p, x); }
double df(Activation k, double x) { return ap::activate_derivative(k, ap::default_params(k), x); }

ActivationParams with_alpha(Activation k, double alpha) {
    ActivationParams p = ap::default_params(k);
    p.alpha = alpha;
    return p;
}
ActivationParams with_beta(Activation k, double beta) {
    ActivationParams p = ap::default_params(k);
    p.beta = beta;
    return p;
}
ActivationParams with_g0(Activation k, double g0) {
    ActivationParams p = ap::default_params(k);
    p.relu_grad_at_zero = g0;
    return p;
}

// Every kind with its defaults, plus the parameter settings that change its shape.
struct Case {
    Activation kind;
    ActivationParams params;
};
std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (Activation k : ap::all_activations()) cases.push_back({k, ap::default_params(k)});
    cases.push_back({Activation::leaky_relu, with_alpha(Activation::leaky_relu, 0.3)});
    cases.push_back({Activation::leaky_relu, with_alpha(Activation::leaky_relu, -0.5)});
    cases.push_back({Activation::prelu, with_alpha(Activation::prelu, 2.0)});
    cases.push_back({Activation::elu, with_alpha(Activation::elu, 2.0)});
    cases.push_back({Activation::elu, with_alpha(Activation::elu, 0.5)});
    cases.push_back({Activation::silu, with_beta(Activation::silu, 2.5)});
    cases.push_back({Activation::silu, with_beta(Activation::silu, 0.3)});
    cases.push_back({Activation::softplus, with_beta(Activation::softplus, 0.5)});
    cases.push_back({Activation::softplus, with_beta(Activation::softplus, 5.0)});
    cases.push_back({Activation::relu, with_g0(Activation::relu, 0.5)});
    cases.push_back({Activation::relu6, with_g0(Activation::relu6, 1.0)});
    return cases;
}

std::string describe(const Case& c) {
    return std::string(ap::activation_name(c.kind)) + " alpha=" + std::to_string(c.params.alpha) +
           " beta=" + std::to_string(c.params.beta) + " g0=" + std::to_string(c.params.relu_grad_at_zero);
}

bool same_bits_or_both_nan(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

}  // namespace

// ---- Values worked out by hand ----

TEST_CASE("identity and binary step", "[activation]") {
    const auto id = Activation::identity, step = Activation::binary_step;
    CHECK(f(id, -3.5) == -3.5);
    CHECK(df(id, -3.5) == 1.0);
    CHECK(df(id, 1e300) == 1.0);
    CHECK(f(step, -2.0) == 0.0);
    CHECK(f(step, 2.0) == 1.0);
    CHECK(f(step, 0.0) == 1.0);   // H(0) = 1: the jump belongs to the upper step
    CHECK(f(step, -0.0) == 1.0);  // -0 >= 0
    CHECK(f(step, -1e-300) == 0.0);
    CHECK(df(step, -2.0) == 0.0);
    CHECK(df(step, 0.0) == 0.0);  // no gradient through the jump either
    CHECK(df(step, 2.0) == 0.0);
}

TEST_CASE("sigmoid", "[activation]") {
    const auto s = Activation::sigmoid;
    CHECK(f(s, 0.0) == 0.5);  // 1 / (1 + e^0) = 1/2
    CHECK(df(s, 0.0) == 0.25);  // 1/2 * 1/2
    // 1 / (1 + e^-2) = 1 / (1 + 0.1353352832366127) = 0.8807970779778823
    CHECK_THAT(f(s, 2.0), WithinRel(0.8807970779778823, 2e-15));
    // 1 - 0.8807970779778823 = 0.11920292202211755 (sigmoid(-x) = 1 - sigmoid(x))
    CHECK_THAT(f(s, -2.0), WithinRel(0.11920292202211755, 2e-15));
    // s (1 - s) = 0.8807970779778823 * 0.11920292202211755 = 0.10499358540350652
    CHECK_THAT(df(s, 2.0), WithinRel(0.10499358540350652, 2e-15));
    CHECK_THAT(df(s, -2.0), WithinRel(0.10499358540350652, 2e-15));
    // Tails keep their digits: e^-40 / (1 + e^-40) and e^-40 / (1 + e^-40)^2 both round to
    // e^-40 = 4.248354255291589e-18 (the 1 + 4e-18 is 1); 1 - sigmoid(40) would be exactly 0.
    CHECK_THAT(f(s, -40.0), WithinRel(4.248354255291589e-18, 1e-14));
    CHECK_THAT(df(s, 40.0), WithinRel(4.248354255291589e-18, 1e-14));
    CHECK_THAT(df(s, -40.0), WithinRel(4.248354255291589e-18, 1e-14));
}

TEST_CASE("tanh", "[activation]") {
    const auto t = Activation::tanh;
    CHECK(f(t, 0.0) == 0.0);
    CHECK(df(t, 0.0) == 1.0);  // 4 e^0 / (1 + e^0)^2 = 4/4
    // (e^2 - 1) / (e^2 + 1) = 6.38905609893065 / 8.38905609893065 = 0.7615941559557649
    CHECK_THAT(f(t, 1.0), WithinRel(0.7615941559557649, 2e-15));
    CHECK_THAT(f(t, -1.0), WithinRel(-0.7615941559557649, 2e-15));
    // 1 - 0.7615941559557649^2 = 1 - 0.580025658385974 = 0.4199743416140261
    CHECK_THAT(df(t, 1.0), WithinRel(0.4199743416140261, 1e-14));
    // 1 - tanh^2(20) = 4 e^-40 / (1 + e^-40)^2 = 4 * 4.248354255291589e-18 = 1.6993417021166355e-17
    CHECK_THAT(df(t, 20.0), WithinRel(1.6993417021166355e-17, 1e-14));
    CHECK_THAT(df(t, -20.0), WithinRel(1.6993417021166355e-17, 1e-14));
    CHECK(f(t, 25.0) == 1.0);
}

TEST_CASE("relu, leaky relu, prelu, relu6", "[activation]") {
    const auto r = Activation::relu;
    CHECK(f(r, 3.0) == 3.0);
    CHECK(f(r, -3.0) == 0.0);
    CHECK_FALSE(std::signbit(f(r, -0.0)));  // max(0, -0) is reported as +0
    CHECK(df(r, 3.0) == 1.0);
    CHECK(df(r, -3.0) == 0.0);

    const auto lk = Activation::leaky_relu;
    CHECK(f(lk, -3.0) == -0.03);  // 0.01 * -3 (both sides round the same product)
    CHECK(f(lk, 2.0) == 2.0);
    CHECK(df(lk, -3.0) == 0.01);
    CHECK(df(lk, 2.0) == 1.0);
    CHECK(f(lk, -5.0, with_alpha(lk, 0.25)) == -1.25);  // 0.25 * -5, exact

    const auto pr = Activation::prelu;  // fixed slope 0.25 by default (PyTorch's init)
    CHECK(f(pr, -2.0) == -0.5);
    CHECK(df(pr, -2.0) == 0.25);
    CHECK(f(pr, 4.0) == 4.0);

    const auto r6 = Activation::relu6;
    CHECK(f(r6, -1.0) == 0.0);
    CHECK(f(r6, 2.5) == 2.5);
    CHECK(f(r6, 7.0) == 6.0);
    CHECK(df(r6, 2.5) == 1.0);
    CHECK(df(r6, 7.0) == 0.0);
    CHECK(df(r6, -1.0) == 0.0);
}

TEST_CASE("elu and selu", "[activation]") {
    const auto e = Activation::elu;
    // e^-1 - 1 = 0.36787944117144233 - 1 = -0.6321205588285577
    CHECK_THAT(f(e, -1.0), WithinRel(-0.6321205588285577, 2e-15));
    CHECK_THAT(df(e, -1.0), WithinRel(0.36787944117144233, 2e-15));  // e^-1
    CHECK(f(e, 2.0) == 2.0);
    CHECK(df(e, 2.0) == 1.0);
    // alpha 2: 2 * -0.6321205588285577 = -1.2642411176571153
    CHECK_THAT(f(e, -1.0, with_alpha(e, 2.0)), WithinRel(-1.2642411176571153, 2e-15));
    CHECK_THAT(df(e, -1.0, with_alpha(e, 2.0)), WithinRel(0.7357588823428847, 2e-15));  // 2 e^-1

    const auto s = Activation::selu;
    // lambda = 1.0507009873554805, lambda alpha = 1.0507009873554805 * 1.6732632423543772 = 1.7580993408473768
    CHECK_THAT(f(s, 2.0), WithinRel(2.101401974710961, 2e-15));  // 2 lambda
    CHECK_THAT(df(s, 2.0), WithinRel(1.0507009873554805, 2e-15));
    // lambda alpha (e^-1 - 1) = 1.7580993408473768 * -0.6321205588285577 = -1.1113307378125628
    CHECK_THAT(f(s, -1.0), WithinRel(-1.1113307378125628, 2e-15));
    // lambda alpha e^-1 = 1.7580993408473768 * 0.36787944117144233 = 0.6467686030348141
    CHECK_THAT(df(s, -1.0), WithinRel(0.6467686030348141, 2e-15));
    // The left tail saturates at -lambda alpha.
    CHECK_THAT(f(s, -50.0), WithinRel(-1.7580993408473768, 2e-15));
}

TEST_CASE("gelu (erf) including the far left tail", "[activation]") {
    const auto g = Activation::gelu_erf;
    CHECK(f(g, 0.0) == 0.0);
    CHECK(df(g, 0.0) == 0.5);  // Phi(0) + 0 phi(0)
    // Phi(1) = (1 + erf(1/sqrt2)) / 2 = (1 + 0.6826894921370859) / 2 = 0.8413447460685429
    CHECK_THAT(f(g, 1.0), WithinRel(0.8413447460685429, 2e-15));
    // -Phi(-1) = -(1 - 0.8413447460685429) = -0.15865525393145705
    CHECK_THAT(f(g, -1.0), WithinRel(-0.15865525393145705, 1e-14));
    // Phi(1) + phi(1); phi(1) = e^-0.5 / sqrt(2 pi) = 0.6065306597126334 * 0.3989422804014327 = 0.24197072451914334
    // 0.8413447460685429 + 0.24197072451914334 = 1.0833154705876864
    CHECK_THAT(df(g, 1.0), WithinRel(1.0833154705876864, 2e-15));
    // Tables: Phi(-5) = 2.866515718791939e-7, Phi(-10) = 7.619853024160525e-24, phi(10) = 7.694598626706419e-23.
    // -5 Phi(-5) = -1.4332578593959695e-6; 1 + erf would keep only ~9 digits here.
    CHECK_THAT(f(g, -5.0), WithinRel(-1.4332578593959695e-6, 1e-13));
    // -10 Phi(-10) = -7.619853024160526e-23; 1 + erf(-7.07) is exactly 0 in double.
    CHECK_THAT(f(g, -10.0), WithinRel(-7.619853024160526e-23, 1e-13));
    // Phi(-10) - 10 phi(10) = 7.6198530241605e-24 - 7.694598626706419e-22 = -7.618400096464814e-22
    CHECK_THAT(df(g, -10.0), WithinRel(-7.618400096464814e-22, 1e-13));
    CHECK(f(g, 50.0) == 50.0);
}

TEST_CASE("gelu (tanh approximation)", "[activation]") {
    const auto g = Activation::gelu_tanh;
    CHECK(f(g, 0.0) == 0.0);
    CHECK(df(g, 0.0) == 0.5);
    // u = sqrt(2/pi) (1 + 0.044715) = 0.7978845608028654 * 1.044715 = 0.8335619689391655;
    // tanh u = 0.6823839812165534; (1 + 0.6823839812165534) / 2 = 0.8411919906082767
    CHECK_THAT(f(g, 1.0), WithinRel(0.8411919906082767, 2e-15));
    // s = 0.8411919906082767, s(1 - s) = 0.13358802554476162, 2u' = 2 * 0.7978845608028654 * 1.134145
    // = 1.8098335704235315; s + 1 * 0.13358802554476162 * 1.8098335704235315 = 1.0829640838457826
    CHECK_THAT(df(g, 1.0), WithinRel(1.0829640838457826, 1e-14));
    // 2u(-10) = 2 * 0.7978845608028654 * (-10 - 44.715) = -87.31250748865756, e^87.3125 = 8.305010836475774e37;
    // -10 / (1 + 8.305010836475774e37) = -1.2040923482098107e-37 (1 + tanh u would be 0 here).
    CHECK_THAT(f(g, -10.0), WithinRel(-1.2040923482098107e-37, 1e-13));
}

TEST_CASE("silu, mish, softplus, softsign", "[activation]") {
    const auto si = Activation::silu;
    // 1 / (1 + e^-1) = 1 / 1.3678794411714423 = 0.7310585786300049
    CHECK_THAT(f(si, 1.0), WithinRel(0.7310585786300049, 2e-15));
    // s + x s(1 - s) = 0.7310585786300049 + 0.19661193324148185 = 0.9276705118714867
    CHECK_THAT(df(si, 1.0), WithinRel(0.9276705118714867, 2e-15));
    CHECK(df(si, 0.0) == 0.5);
    // beta 2: 1 * sigmoid(2) = 0.8807970779778823
    CHECK_THAT(f(si, 1.0, with_beta(si, 2.0)), WithinRel(0.8807970779778823, 2e-15));
    // -40 e^-40 / (1 + e^-40) = -40 * 4.248354255291589e-18 = -1.6993417021166355e-16
    CHECK_THAT(f(si, -40.0), WithinRel(-1.6993417021166355e-16, 1e-14));

    const auto m = Activation::mish;
    // tanh(ln(1 + e)) = tanh(1.3132616875182228) = 0.8650983882673103
    CHECK_THAT(f(m, 1.0), WithinRel(0.8650983882673103, 2e-15));
    // -tanh(ln(1 + e^-1)) = -tanh(0.3132616875182228) = -0.3034014613741089
    CHECK_THAT(f(m, -1.0), WithinRel(-0.3034014613741089, 2e-15));
    // t + x (1 - t^2) sigmoid(x) = 0.8650983882673103 + (1 - 0.7483952213826981) * 0.7310585786300049
    // = 0.8650983882673103 + 0.25160477861730196 * 0.7310585786300049 = 1.0490362200997922
    CHECK_THAT(df(m, 1.0), WithinRel(1.0490362200997922, 1e-14));
    CHECK_THAT(df(m, 0.0), WithinRel(0.6, 2e-15));  // tanh(ln 2) = (4 - 1) / (4 + 1)
    // -20 tanh(ln(1 + e^-20)) = -20 * 2.061153620314381e-9 (tanh y = y and ln(1 + y) = y - y^2/2 this small)
    CHECK_THAT(f(m, -20.0), WithinRel(-4.122307240628762e-8, 1e-13));

    const auto sp = Activation::softplus;
    CHECK_THAT(f(sp, 0.0), WithinRel(0.6931471805599453, 2e-15));  // ln 2
    CHECK(df(sp, 0.0) == 0.5);
    CHECK_THAT(f(sp, 1.0), WithinRel(1.3132616875182228, 2e-15));  // ln(1 + 2.718281828459045)
    CHECK_THAT(df(sp, 1.0), WithinRel(0.7310585786300049, 2e-15));  // sigmoid(1)
    // beta 2: ln(1 + e^2) / 2 = 2.1269280110429727 / 2 = 1.0634640055214863
    CHECK_THAT(f(sp, 1.0, with_beta(sp, 2.0)), WithinRel(1.0634640055214863, 2e-15));
    // ln(1 + e^-40) = e^-40 - e^-80/2 = 4.248354255291589e-18 (log(1 + e^x) naively would give 0)
    CHECK_THAT(f(sp, -40.0), WithinRel(4.248354255291589e-18, 1e-14));
    // Large beta x returns x itself, not (beta x) / beta: 3 * 20 = 60 > 40; 0.3 * 1000.1 > 40.
    CHECK(f(sp, 20.0, with_beta(sp, 3.0)) == 20.0);
    CHECK(f(sp, 1000.1, with_beta(sp, 0.3)) == 1000.1);
    CHECK(f(sp, 1e300) == 1e300);
    // beta = 2^-6, x = -45600: beta x = -712.5 exactly, f = e^-712.5 / 2^-6 = 64 * 3.67435948674720e-310
    // = 2.3515900715182093e-308, a normal number although e^-712.5 is subnormal: rounded there it has lost
    // 6 bits, and 64 times it would be 4e-15 off.
    CHECK_THAT(f(sp, -45600.0, with_beta(sp, 0x1p-6)), WithinRel(2.3515900715182093e-308, 2e-15));

    const auto ss = Activation::softsign;
    CHECK(f(ss, 3.0) == 0.75);    // 3 / (1 + 3)
    CHECK(f(ss, -1.0) == -0.5);   // -1 / (1 + 1)
    CHECK(df(ss, 3.0) == 0.0625); // 1 / (1 + 3)^2
    CHECK(df(ss, 0.0) == 1.0);
    CHECK(f(ss, 1e300) == 1.0);
}

TEST_CASE("hard sigmoid and hard tanh", "[activation]") {
    const auto hs = Activation::hard_sigmoid;
    CHECK(f(hs, 1.5) == 0.75);  // 1.5 / 6 + 1/2
    CHECK(f(hs, 0.0) == 0.5);
    CHECK(f(hs, -3.5) == 0.0);
    CHECK(f(hs, 4.0) == 1.0);
    CHECK(f(hs, -3.0) == 0.0);  // relu6(0) / 6
    CHECK(f(hs, 3.0) == 1.0);   // relu6(6) / 6
    CHECK(df(hs, 1.0) == 1.0 / 6.0);
    CHECK(df(hs, 4.0) == 0.0);

    const auto ht = Activation::hard_tanh;
    CHECK(f(ht, 0.3) == 0.3);
    CHECK(f(ht, 2.0) == 1.0);
    CHECK(f(ht, -2.0) == -1.0);
    CHECK(df(ht, 0.3) == 1.0);
    CHECK(df(ht, 2.0) == 0.0);
    CHECK(df(ht, -2.0) == 0.0);
}

// ---- Derivatives against central differences ----

TEST_CASE("every derivative matches central differences away from kinks", "[activation]") {
    // Step h = 1e-5: the central difference's truncation error is h^2 |f'''| / 6 ~ 2e-11 |f'''| and its
    // rounding error ~ eps |f| / h ~ 2e-11 |f|; h = (3 eps)^(1/3) ~ 1e-5 balances the two for functions of
    // size ~1 on [-10, 10]. The bound is relative (1e-7 |f'|) plus that rounding floor (4.5 eps |f| / h, which
    // also covers detmath's 2 ulp), so tails where f and f' are both tiny are still checked relatively.
    const double h = 1e-5;
    const double margin = 1e-3;  // >> h: the stencil never straddles a kink
    std::size_t checked = 0;
    for (const Case& c : all_cases()) {
        std::vector<double> ks = ap::kinks(c.kind, c.params);
        // Softsign and ELU (alpha 1) have a first derivative at 0 but f'' jumps there (softsign's from 2 to -2,
        // ELU's from 1 to 0), so the central difference is only O(h) accurate there: 0 gets an O(h) bound here instead.
        const bool c1_only_at_0 = c.kind == Activation::softsign || (c.kind == Activation::elu && ks.empty());
        if (c1_only_at_0) {
            const double fd0 = (ap::activate(c.kind, c.params, h) - ap::activate(c.kind, c.params, -h)) / (2 * h);
            INFO(describe(c) << " at 0: central difference " << fd0);
            CHECK(std::fabs(fd0 - ap::activate_derivative(c.kind, c.params, 0.0)) <= h * 2.0);  // h max|f''|
            ks.push_back(0.0);
        }
        std::vector<double> xs;
        for (int i = 0; i <= 400; ++i) xs.push_back(-10.0 + 0.05 * i);
        for (double k : ks)
            for (double d : {-0.01, -0.002, 0.002, 0.01}) xs.push_back(k + d);
        for (double x : xs) {
            bool near_kink = false;
            for (double k : ks) near_kink = near_kink || std::fabs(x - k) < margin;
            if (near_kink) continue;
            const double xp = x + h, xm = x - h;
            const double fp = ap::activate(c.kind, c.params, xp), fm = ap::activate(c.kind, c.params, xm);
            const double fd = (fp - fm) / (xp - xm);
            const double d = ap::activate_derivative(c.kind, c.params, x);
            const double bound = 1e-7 * std::fabs(d) + 1e-10 * (std::fabs(fp) + std::fabs(fm));
            INFO(describe(c) << " x=" << x << " derivative=" << d << " central difference=" << fd);
            CHECK(std::fabs(fd - d) <= bound);
            ++checked;
        }
    }
    CHECK(checked > 20 * 400);
}

// ---- Conventions at kinks ----

TEST_CASE("ReLU family slope at exactly 0 follows relu_grad_at_zero", "[activation]") {
    for (double g0 : {0.0, 0.5, 1.0}) {
        INFO("relu_grad_at_zero=" << g0);
        CHECK(df(Activation::relu, 0.0, with_g0(Activation::relu, g0)) == g0);
        CHECK(df(Activation::relu, -0.0, with_g0(Activation::relu, g0)) == g0);
        CHECK(df(Activation::relu6, 0.0, with_g0(Activation::relu6, g0)) == g0);
        // Away from 0 the setting changes nothing.
        CHECK(df(Activation::relu, 1e-300, with_g0(Activation::relu, g0)) == 1.0);
        CHECK(df(Activation::relu, -1e-300, with_g0(Activation::relu, g0)) == 0.0);
        // The other kinks keep their own conventions whatever g0 is.
        CHECK(df(Activation::relu6, 6.0, with_g0(Activation::relu6, g0)) == 0.0);
        CHECK(df(Activation::binary_step, 0.0, with_g0(Activation::binary_step, g0)) == 0.0);
    }
    // Leaky ReLU and PReLU at 0: (1 - g0) alpha + g0 * 1, i.e. the left slope, the mean, the right slope.
    const auto lk = Activation::leaky_relu, pr = Activation::prelu;
    CHECK(df(lk, 0.0, with_g0(lk, 0.0)) == 0.01);
    CHECK(df(lk, 0.0, with_g0(lk, 0.5)) == 0.505);  // (0.01 + 1) / 2
    CHECK(df(lk, 0.0, with_g0(lk, 1.0)) == 1.0);
    CHECK(df(pr, 0.0, with_g0(pr, 0.0)) == 0.25);
    CHECK(df(pr, 0.0, with_g0(pr, 0.5)) == 0.625);  // (0.25 + 1) / 2
    CHECK(df(pr, -0.0, with_g0(pr, 1.0)) == 1.0);
}

TEST_CASE("the other kinks have fixed conventions", "[activation]") {
    CHECK(df(Activation::hard_tanh, 1.0) == 0.0);
    CHECK(df(Activation::hard_tanh, -1.0) == 0.0);
    CHECK(f(Activation::hard_tanh, 1.0) == 1.0);
    CHECK(df(Activation::hard_sigmoid, 3.0) == 0.0);
    CHECK(df(Activation::hard_sigmoid, -3.0) == 0.0);
    // ELU and SELU at 0 take the x > 0 side's slope.
    CHECK(df(Activation::elu, 0.0, with_alpha(Activation::elu, 2.0)) == 1.0);
    CHECK(df(Activation::elu, 0.0) == 1.0);  // alpha 1: both sides agree
    CHECK_THAT(df(Activation::selu, 0.0), WithinRel(1.0507009873554805, 2e-15));
    CHECK_THAT(df(Activation::selu, -0.0), WithinRel(1.0507009873554805, 2e-15));
}

TEST_CASE("kinks lists the points without a derivative", "[activation]") {
    using V = std::vector<double>;
    auto k = [](Activation a) { return ap::kinks(a, ap::default_params(a)); };
    CHECK(k(Activation::identity).empty());
    CHECK(k(Activation::binary_step) == V{0.0});
    CHECK(k(Activation::relu) == V{0.0});
    CHECK(k(Activation::leaky_relu) == V{0.0});
    CHECK(k(Activation::prelu) == V{0.0});
    CHECK(k(Activation::relu6) == V{0.0, 6.0});
    CHECK(k(Activation::elu).empty());  // alpha 1: the slope is continuous
    CHECK(ap::kinks(Activation::elu, with_alpha(Activation::elu, 2.0)) == V{0.0});
    CHECK(ap::kinks(Activation::leaky_relu, with_alpha(Activation::leaky_relu, 1.0)).empty());  // identity
    CHECK(k(Activation::selu) == V{0.0});
    CHECK(k(Activation::hard_sigmoid) == V{-3.0, 3.0});
    CHECK(k(Activation::hard_tanh) == V{-1.0, 1.0});
    for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::gelu_erf, Activation::gelu_tanh,
                         Activation::silu, Activation::mish, Activation::softplus, Activation::softsign})
        CHECK(k(a).empty());
}

// ---- Extremes ----

TEST_CASE("finite values and derivatives from 1e-300 to 1e300, for extreme parameters too", "[activation]") {
    std::vector<Case> cases = all_cases();
    for (double a : {-10.0, 10.0})
        for (Activation k : {Activation::leaky_relu, Activation::prelu, Activation::elu})
            cases.push_back({k, with_alpha(k, a)});
    for (double b : {0.01, 100.0})
        for (Activation k : {Activation::silu, Activation::softplus}) cases.push_back({k, with_beta(k, b)});
    for (const Case& c : cases)
        for (double x : {1e300, -1e300, 1e30, -1e30, 710.0, -710.0, 1e-300, -1e-300, 0.0, -0.0}) {
            INFO(describe(c) << " x=" << x);
            CHECK(std::isfinite(ap::activate(c.kind, c.params, x)));
            CHECK(std::isfinite(ap::activate_derivative(c.kind, c.params, x)));
        }
}

TEST_CASE("infinities give the limits, NaN stays NaN", "[activation]") {
    struct Limits {
        Activation kind;
        double f_neg, f_pos, df_neg, df_pos;
    };
    const double la = 1.0507009873554805 * 1.6732632423543772;  // selu's lambda alpha
    const Limits table[] = {
        {Activation::identity, -inf, inf, 1, 1},       {Activation::binary_step, 0, 1, 0, 0},
        {Activation::sigmoid, 0, 1, 0, 0},             {Activation::tanh, -1, 1, 0, 0},
        {Activation::relu, 0, inf, 0, 1},              {Activation::leaky_relu, -inf, inf, 0.01, 1},
        {Activation::prelu, -inf, inf, 0.25, 1},       {Activation::relu6, 0, 6, 0, 0},
        {Activation::elu, -1, inf, 0, 1},              {Activation::selu, -la, inf, 0, 1.0507009873554805},
        {Activation::gelu_erf, 0, inf, 0, 1},          {Activation::gelu_tanh, 0, inf, 0, 1},
        {Activation::silu, 0, inf, 0, 1},              {Activation::mish, 0, inf, 0, 1},
        {Activation::softplus, 0, inf, 0, 1},          {Activation::softsign, -1, 1, 0, 0},
        {Activation::hard_sigmoid, 0, 1, 0, 0},        {Activation::hard_tanh, -1, 1, 0, 0},
    };
    CHECK(std::size(table) == ap::all_activations().size());
    for (const Limits& l : table) {
        INFO(ap::activation_name(l.kind));
        CHECK(f(l.kind, -inf) == l.f_neg);
        CHECK(f(l.kind, inf) == l.f_pos);
        CHECK(df(l.kind, -inf) == l.df_neg);
        CHECK(df(l.kind, inf) == l.df_pos);
        CHECK(std::isnan(f(l.kind, qnan)));
        CHECK(std::isnan(df(l.kind, qnan)));
    }
}

TEST_CASE("switching formulas at internal thresholds leaves no jump", "[activation]") {
    // Each function changes formula at these points; both sides must agree to ~1e-12 (they share no code).
    struct At {
        Activation kind;
        double x;
        ActivationParams params;
    };
    const ActivationParams none{};
    const At points[] = {
        {Activation::gelu_erf, -3.0, none},  {Activation::gelu_erf, 40.0, none},
        {Activation::gelu_erf, -40.0, none}, {Activation::gelu_tanh, 20.0, none},
        {Activation::gelu_tanh, -30.0, none}, {Activation::mish, 0.0, none},
        {Activation::mish, 40.0, none},      {Activation::tanh, 20.0, none},
        {Activation::tanh, -20.0, none},     {Activation::softplus, 40.0, none},
        {Activation::softplus, 0.0, none},   {Activation::softplus, -700.0, none},
        {Activation::softplus, -1400.0, with_beta(Activation::softplus, 0.5)},  // beta x = -700
        {Activation::softplus, 8.0, with_beta(Activation::softplus, 5.0)},      // beta x = 40
        {Activation::silu, 800.0, none},     {Activation::silu, -800.0, none},
    };
    for (const At& p : points) {
        const double below = std::nextafter(p.x, -inf), above = std::nextafter(p.x, inf);
        for (bool derivative : {false, true}) {
            auto g = [&](double x) {
                return derivative ? ap::activate_derivative(p.kind, p.params, x) : ap::activate(p.kind, p.params, x);
            };
            const double a = g(below), b = g(p.x), c = g(above);
            INFO(ap::activation_name(p.kind) << " at " << p.x << (derivative ? " derivative " : " value ") << a
                                             << " " << b << " " << c);
            const double tol = 1e-12 * std::max({std::fabs(a), std::fabs(b), std::fabs(c)}) + 1e-300;
            CHECK(std::fabs(a - b) <= tol);
            CHECK(std::fabs(c - b) <= tol);
        }
    }
}

// ---- Batch paths ----

TEST_CASE("batch, forward and backward equal the scalar functions", "[activation]") {
    std::vector<double> x;  // (n,)
    for (int i = 0; i < 500; ++i) x.push_back(-12.0 + 24.0 * i / 499.0);
    for (double v : {0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, 1e300, -1e300, 45.0, -45.0}) x.push_back(v);
    const std::size_t n = x.size();
    std::vector<double> dy(n);  // (n,) upstream gradient
    for (std::size_t i = 0; i < n; ++i) dy[i] = 0.5 + 0.25 * static_cast<double>(i % 7) - 1.0 * (i % 3 == 0);

    for (const Case& c : all_cases()) {
        INFO(describe(c));
        std::vector<double> y(n), d(n), y2(n), y_only(n), dz(n);  // (n,) each
        ap::activate_batch(c.kind, c.params, x.data(), y.data(), d.data(), n);
        ap::activate_batch(c.kind, c.params, x.data(), y_only.data(), nullptr, n);
        ap::activation_forward(c.kind, c.params, x.data(), y2.data(), n);
        ap::activation_backward(c.kind, c.params, x.data(), y2.data(), dy.data(), dz.data(), n);
        const bool from_y = c.kind == Activation::sigmoid || c.kind == Activation::tanh;
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double fx = ap::activate(c.kind, c.params, x[i]);
            const double dfx = ap::activate_derivative(c.kind, c.params, x[i]);
            if (!same_bits_or_both_nan(y[i], fx) || !same_bits_or_both_nan(y_only[i], fx) ||
                !same_bits_or_both_nan(y2[i], fx) || !same_bits_or_both_nan(d[i], dfx))
                ++mismatches;
            if (from_y) {
                // y (1 - y) and 1 - y^2 carry y's rounding: ~1e-16 absolute, relative near the middle.
                if (!(std::fabs(dz[i] - dy[i] * dfx) <= 1e-15 * std::fabs(dy[i]) + 1e-14 * std::fabs(dy[i] * dfx)))
                    ++mismatches;
            } else if (!same_bits_or_both_nan(dz[i], dy[i] * dfx)) {
                ++mismatches;
            }
        }
        CHECK(mismatches == 0);

        // In place: y may alias x, dz may alias dy.
        std::vector<double> inplace = x;
        ap::activation_forward(c.kind, c.params, inplace.data(), inplace.data(), n);
        CHECK(std::equal(inplace.begin(), inplace.end(), y.begin(), same_bits_or_both_nan));
        std::vector<double> grad = dy;
        ap::activation_backward(c.kind, c.params, x.data(), y2.data(), grad.data(), grad.data(), n);
        CHECK(std::equal(grad.begin(), grad.end(), dz.begin(), same_bits_or_both_nan));
    }
}

TEST_CASE("sigmoid and tanh backward reuse y instead of recomputing from z", "[activation]") {
    // Pass a y that is not f(z): the result must follow y. y = 0.5 gives 0.5 (1 - 0.5) = 0.25 for sigmoid and
    // 1 - 0.25 = 0.75 for tanh, whatever z is.
    const double z[] = {-7.0, 0.0, 3.0};
    const double y[] = {0.5, 0.5, 0.5};
    const double dy[] = {2.0, 2.0, 2.0};
    double dz[3];
    ap::activation_backward(Activation::sigmoid, {}, z, y, dy, dz, 3);
    for (double v : dz) CHECK(v == 0.5);  // 2 * 0.25
    ap::activation_backward(Activation::tanh, {}, z, y, dy, dz, 3);
    for (double v : dz) CHECK(v == 1.5);  // 2 * 0.75
}

// ---- Names and classification ----

TEST_CASE("names round trip, unknown names are rejected", "[activation]") {
    const char* expected[] = {"identity", "binary_step", "sigmoid",  "tanh",     "relu",     "leaky_relu",
                              "prelu",    "relu6",       "elu",      "selu",     "gelu_erf", "gelu_tanh",
                              "silu",     "mish",        "softplus", "softsign", "hard_sigmoid", "hard_tanh"};
    const auto all = ap::all_activations();
    REQUIRE(all.size() == std::size(expected));
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(static_cast<std::size_t>(all[i]) == i);  // enum order, each once
        CHECK(ap::activation_name(all[i]) == expected[i]);
        CHECK(ap::activation_from_name(expected[i]) == all[i]);
    }
    for (const char* bad : {"", "ReLU", "relu ", " relu", "swish", "linear", "gelu", "leaky-relu", "relu66"})
        CHECK_FALSE(ap::activation_from_name(bad).has_value());
}

TEST_CASE("families, parameter use and defaults", "[activation]") {
    for (Activation a : ap::all_activations()) {
        INFO(ap::activation_name(a));
        CHECK(ap::is_relu_family(a) ==
              (a == Activation::relu || a == Activation::relu6 || a == Activation::binary_step));
        CHECK(ap::is_saturating(a) == (a == Activation::sigmoid || a == Activation::tanh ||
                                       a == Activation::softsign || a == Activation::hard_sigmoid ||
                                       a == Activation::hard_tanh));
        CHECK(ap::uses_alpha(a) == (a == Activation::leaky_relu || a == Activation::prelu || a == Activation::elu));
        CHECK(ap::uses_beta(a) == (a == Activation::silu || a == Activation::softplus));
        const ActivationParams p = ap::default_params(a);
        CHECK(p.beta == 1.0);
        CHECK(p.relu_grad_at_zero == 0.0);
    }
    CHECK(ap::default_params(Activation::leaky_relu).alpha == 0.01);
    CHECK(ap::default_params(Activation::prelu).alpha == 0.25);
    CHECK(ap::default_params(Activation::elu).alpha == 1.0);
    CHECK(ap::default_params(Activation::relu) == ActivationParams{});
}
