// The user's own activation (core/formula.hpp): the parser's messages and bounds, the forward-mode
// derivative against central differences, the built-ins written as formulas (bit for bit or within 1 ulp),
// a network with a formula layer (gradient check, training equal to the built-in's, the float grid), and
// the formula's trip through the config JSON.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "activation.hpp"
#include "error.hpp"
#include "formula.hpp"
#include "gradcheck.hpp"
#include "grid.hpp"
#include "grid_check.hpp"
#include "limits.hpp"
#include "serialize.hpp"
#include "trainer.hpp"

using namespace ap;

namespace {

std::string error_of(const std::string& text) {
    try {
        Formula::compile(text);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

std::vector<double> grid_of_x(double lo, double hi, int n) {
    std::vector<double> xs;
    for (int i = 0; i < n; ++i) xs.push_back(lo + (hi - lo) * i / (n - 1));
    return xs;
}

// Distance in units in the last place between two finite doubles of the same sign (0 if equal).
std::int64_t ulps(double p, double q) {
    if (p == q) return 0;
    std::int64_t a, b;
    std::memcpy(&a, &p, 8);
    std::memcpy(&b, &q, 8);
    if ((a < 0) != (b < 0)) return INT64_MAX;
    return a > b ? a - b : b - a;
}

bool same_bits(double p, double q) { return std::memcmp(&p, &q, sizeof p) == 0; }

ActivationParams formula_params(const std::string& text, double a = 1.0, double b = 1.0) {
    ActivationParams p;
    p.a = a;
    p.b = b;
    p.program = Formula::compile(text);
    return p;
}

LayerConfig formula_layer(int units, const std::string& text, double a = 1.0, double b = 1.0) {
    LayerConfig l{units, Activation::formula, default_params(Activation::formula), text};
    l.params.a = a;
    l.params.b = b;
    return l;
}

}  // namespace

TEST_CASE("a bad formula's message names the position and what was expected", "[formula]") {
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"", "formula: position 1: expected a number, x, a, b, a function or '(', got the end of the formula"},
        {"max(0 + x", "formula: position 10: expected ',' and a second argument of max, got the end of the formula"},
        {"max(0, x + ", "formula: position 12: expected a number, x, a, b, a function or '(', got the end of the formula"},
        {"max(0, x, 1)", "formula: position 9: expected ')' after the arguments of max, got ','"},
        {"exp(x, 1)", "formula: position 6: expected ')' after the argument of exp, got ','"},
        {"2x", "formula: position 2: expected an operator (+ - * / ^) or the end of the formula, got 'x'"},
        {"(x + 1", "formula: position 7: expected ')' to close the '(' at position 1, got the end of the formula"},
        {"x * foo(x)", "formula: position 5: unknown name 'foo'; expected one of x, a, b, pi, if, exp"},
        {"tanh x", "formula: position 6: expected '(' after tanh, got 'x'"},
        {"x > 0", "formula: position 3: expected an operator or the end of the formula (comparisons go in if(cond, then, else)), got '>'"},
        {"if(x, 1, 2)", "formula: position 5: expected a comparison (<, <=, >, >=) in the condition of if, got ','"},
        {"if(x >= 0, x)", "formula: position 13: expected ',' after the then-value of if, got ')'"},
        {"x # 2", "formula: position 3: expected an operator (+ - * / ^) or the end of the formula, got '#'"},
        {"x + .", "formula: position 5: expected a digit before or after '.'"},
        {"1e999 * x", "formula: position 1: the number 1e999 is too large"},
        {"x \xC3\xA9", "formula: position 3: unexpected non-ASCII character"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const std::string got = error_of(c.text);
        CHECK(got.substr(0, std::strlen(c.message)) == c.message);
    }
    // The network's field prefixes the message.
    ExperimentConfig cfg;
    cfg.network.hidden = {formula_layer(3, "x*"), formula_layer(2, "x")};
    CHECK_THROWS_WITH(validate_config(cfg), Catch::StartsWith("network.hidden[0].formula: position 3: expected a number"));
    // Good formulas compile: the grammar's corners.
    for (const char* ok : {"x", " -x ", "+x", "2^-1*x", "-x^2", "x*sigmoid(a*x)", "if(x<=b, a*x, x)", "pi*.5e1*x",
                           "max(min(x, 6), 0)", "erf(x/sqrt(2))", "abs(x)^1.5", "log(1 + exp(x))", "2E+2 - x"})
        CHECK(error_of(ok).empty());
}

TEST_CASE("formulas are bounded in length, depth and size", "[formula]") {
    std::string longest = "x";
    while (longest.size() + 2 <= static_cast<std::size_t>(kMaxFormulaLength)) longest += "+x";
    CHECK(longest.size() <= static_cast<std::size_t>(kMaxFormulaLength));
    CHECK(error_of(longest).empty());
    CHECK(error_of(longest + " +x") == "formula must be at most 200 characters, got " + std::to_string(longest.size() + 3));

    auto nested = [](int levels) { return std::string(levels, '(') + "x" + std::string(levels, ')'); };
    CHECK(error_of(nested(kMaxFormulaDepth - 1)).empty());
    CHECK(error_of(nested(kMaxFormulaDepth + 1)).find("nested deeper than 32 levels") != std::string::npos);
    CHECK(error_of(std::string(40, '-') + "x").find("nested deeper than 32 levels") != std::string::npos);
    // Right-nested sums use one stack slot a level; the depth bound keeps the stack within its own.
    std::string deep = "x";
    for (int i = 0; i < 20; ++i) deep = "x+(" + deep + ")";
    const auto f = Formula::compile(deep);
    CHECK(f->stack_depth() == 21);
    CHECK(f->ops() == 41);
    CHECK(f->stack_depth() <= static_cast<std::size_t>(kMaxFormulaStack));
}

TEST_CASE("values: precedence, integer powers, conditionals, a and b", "[formula]") {
    auto at = [](const std::string& text, double x, double a = 1.0, double b = 1.0) {
        return activate(Activation::formula, formula_params(text, a, b), x);
    };
    CHECK(at("1 + 2 * x", 3) == 7);
    CHECK(at("-x^2", 3) == -9);
    CHECK(at("2^3^2", 0) == 512);           // right to left: 2^9
    CHECK(at("x - 1 - 1", 5) == 3);         // left to right
    CHECK(at("x / 2 / 2", 8) == 2);
    CHECK(at("x^3", -2) == -8);             // an integer power keeps a negative base's sign
    CHECK(at("x^-2", 2) == 0.25);
    CHECK(at("x^0", 0) == 1);
    CHECK(at("x^0.5", 4) == Approx(2).epsilon(1e-15));
    CHECK(std::isnan(at("x^0.5", -4)));
    CHECK(at("if(x > 0, x, a*x)", -2, 0.1) == Approx(-0.2));
    CHECK(at("if(x > 0, x, a*x)", 2, 0.1) == 2);
    CHECK(at("if(x >= b, 1, 0)", 2, 1, 2) == 1);
    CHECK(at("if(x < b, 1, 0)", 2, 1, 2) == 0);
    CHECK(at("if(x <= b, 1, 0)", 2, 1, 2) == 1);
    CHECK(at("pi", 0) == detmath::pi);
    CHECK(at("abs(x) + sqrt(x*x)", -3) == 6);
    CHECK(at("log(exp(x))", 0.5) == Approx(0.5).epsilon(1e-15));
    // NaN in gives NaN out even where a conditional would pick a constant.
    const double nan = std::nan("");
    CHECK(std::isnan(at("if(x > 0, x, 0)", nan)));
    CHECK(std::isnan(activate_derivative(Activation::formula, formula_params("if(x > 0, x, 0)"), nan)));
    // The built-in functions without a compiled formula are refused, not dereferenced.
    CHECK_THROWS_AS(activate(Activation::formula, ActivationParams{}, 1.0), ConfigError);
}

TEST_CASE("the derivative matches central differences over many x", "[formula]") {
    const char* formulas[] = {
        "x*sigmoid(a*x)", "tanh(x)^2 + b*x", "exp(-x^2/2)", "log(1 + exp(x))", "sqrt(x*x + 1)",
        "erf(x/sqrt(2))", "x/(1 + abs(x))", "x^3 - 2*x", "sigmoid(x)*tanh(b*x)", "(x^2 + 1)^0.75",
        "max(x, a*x)", "min(x, 3) + max(x, -2)", "if(x > 0, x, a*(exp(x) - 1))", "1/(1 + x^2)",
        "x*erf(x)", "2^x", "-x^-2 + x^4", "abs(x)^2.5",
    };
    const auto xs = grid_of_x(-4.9, 4.9, 398);  // steps of 9.8/397: never within 0.01 of the kinks at 0, 3, -2
    for (const char* text : formulas) {
        const ActivationParams p = formula_params(text, 0.3, 0.7);
        std::vector<double> y(xs.size()), dy(xs.size());
        activate_batch(Activation::formula, p, xs.data(), y.data(), dy.data(), xs.size());
        double worst = 0;
        std::size_t checked = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            if (std::fabs(xs[i]) < 1e-3 && (std::strstr(text, "^-2") != nullptr || std::strstr(text, "1/") != nullptr))
                continue;  // x^-2 has its pole at 0
            double x = xs[i];
            const double fd = test::central_difference(&x, [&] { return activate(Activation::formula, p, x); });
            worst = std::max(worst, test::grad_error(dy[i], fd));
            // The batch and the one-value calls agree.
            CHECK(same_bits(y[i], activate(Activation::formula, p, xs[i])));
            CHECK(same_bits(dy[i], activate_derivative(Activation::formula, p, xs[i])));
            ++checked;
        }
        INFO(text << ": worst error " << worst);
        CHECK(checked > 390);
        CHECK(worst < 1e-6);
    }
    // At a branch point the derivative is that of the branch taken.
    CHECK(activate_derivative(Activation::formula, formula_params("max(0, x)"), 0.0) == 0.0);
    CHECK(activate_derivative(Activation::formula, formula_params("max(x, 0)"), 0.0) == 1.0);
    CHECK(activate_derivative(Activation::formula, formula_params("if(x >= 0, 2*x, -x)"), 0.0) == 2.0);
    CHECK(activate_derivative(Activation::formula, formula_params("abs(x)"), 0.0) == 0.0);
}

TEST_CASE("built-ins written as formulas: max(0,x) is ReLU and tanh(x) is tanh bit for bit, x*sigmoid(x) is SiLU within 1 ulp",
          "[formula]") {
    std::vector<double> xs = grid_of_x(-40, 40, 16001);
    for (double x : {-0.0, 0.0, 1e-300, -1e-300, 5e-324, 1e300, -1e300, double{INFINITY}, -double{INFINITY}, std::nan("")})
        xs.push_back(x);
    struct Pair {
        const char* text;
        Activation builtin;
    };
    for (const Pair& pair : {Pair{"max(0, x)", Activation::relu}, Pair{"tanh(x)", Activation::tanh},
                             Pair{"sigmoid(x)", Activation::sigmoid}, Pair{"x", Activation::identity}}) {
        INFO(pair.text);
        const ActivationParams p = formula_params(pair.text);
        const ActivationParams q = default_params(pair.builtin);
        std::vector<double> fy(xs.size()), by(xs.size()), g(xs.size(), 0.37), fd(xs.size()), bd(xs.size());
        activation_forward(Activation::formula, p, xs.data(), fy.data(), xs.size());
        activation_forward(pair.builtin, q, xs.data(), by.data(), xs.size());
        activation_backward(Activation::formula, p, xs.data(), fy.data(), g.data(), fd.data(), xs.size());
        activation_backward(pair.builtin, q, xs.data(), by.data(), g.data(), bd.data(), xs.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) differ += !same_bits(fy[i], by[i]) || !same_bits(fd[i], bd[i]);
        CHECK(differ == 0);
    }
    // SiLU: the built-in keeps z = beta x in double-double; the formula rounds s and then x s.
    const ActivationParams silu = formula_params("x*sigmoid(x)");
    std::int64_t worst = 0;
    for (double x : grid_of_x(-700, 700, 280001)) {
        worst = std::max(worst, ulps(activate(Activation::formula, silu, x), activate(Activation::silu, default_params(Activation::silu), x)));
    }
    INFO("worst ulps " << worst);
    CHECK(worst <= 1);
}

TEST_CASE("a network with a formula layer: gradient check by central differences", "[formula]") {
    for (const char* text : {"x*sigmoid(a*x) + b*tanh(x)^2", "erf(x) + 0.1*x^3", "log(1 + exp(x))/b"}) {
        INFO(text);
        ExperimentConfig c;
        c.seed = 11;
        c.data.kind = DatasetKind::circle;
        c.data.num_points = 100;
        c.network.hidden = {formula_layer(5, text, 0.8, 0.6), formula_layer(3, text, 0.8, 0.6)};
        c.network.init.bias = 0.1;
        c.training.regularization = Regularization::l2;
        c.training.regularization_rate = 0.05;
        Trainer t(c);
        Network& net = t.network();
        const std::vector<Point> pts(t.data().train.begin(), t.data().train.begin() + 8);
        t.compute_gradients(pts.data(), pts.size());
        const std::vector<double> g(net.grads().begin(), net.grads().end());
        auto params = net.params();
        double worst = 0, largest = 0;
        for (std::size_t i = 0; i < params.size(); ++i) {
            const double fd = test::central_difference(&params[i], [&] { return t.objective(pts.data(), pts.size()); });
            worst = std::max(worst, test::grad_error(g[i], fd));
            largest = std::max(largest, std::fabs(g[i]));
        }
        INFO("worst " << worst);
        CHECK(worst <= test::kGradTolerance);
        CHECK(largest > 1e-4);
    }
}

TEST_CASE("formula networks train bit for bit like the built-ins they spell", "[formula]") {
    struct Pair {
        const char* text;
        Activation builtin;
    };
    for (const Pair& pair : {Pair{"max(0, x)", Activation::relu}, Pair{"tanh(x)", Activation::tanh}}) {
        INFO(pair.text);
        ExperimentConfig c = grid_check::config(DatasetKind::xor_, Head::sigmoid_bce, {});
        c.network.hidden = {grid_check::layer(6, pair.builtin), grid_check::layer(4, pair.builtin)};
        Trainer builtin(c);
        c.network.hidden = {formula_layer(6, pair.text), formula_layer(4, pair.text)};
        Trainer formula(c);
        builtin.train_steps(300);
        formula.train_steps(300);
        const auto p = builtin.network().params(), q = formula.network().params();
        REQUIRE(p.size() == q.size());
        CHECK(std::memcmp(p.data(), q.data(), p.size() * sizeof(double)) == 0);
        CHECK(same_bits(builtin.evaluate().train_loss, formula.evaluate().train_loss));
        // The float grid: formulas take the double path and round, within the grid tests' 1e-4.
        std::vector<float> got;
        predict_grid(formula, GridSpec{}, got);
        CHECK(grid_check::worst_error(formula, GridSpec{}, got, false) < 1e-4);
    }
}

TEST_CASE("the float grid of a formula network agrees with Trainer::predict", "[formula]") {
    ExperimentConfig c = grid_check::config(DatasetKind::circle, Head::tanh_mse,
                                            {formula_layer(8, "x*sigmoid(a*x)", 1.5), formula_layer(5, "if(x > 0, x, b*x)", 1, 0.2)});
    Trainer t(c);
    t.train_steps(200);
    for (GridSpec g : {GridSpec{}, GridSpec{7, 3, -2, 5, -1, 4}}) {
        std::vector<float> got;
        predict_grid(t, g, got);
        CHECK(grid_check::worst_error(t, g, got, false) < 1e-4);
    }
}

TEST_CASE("the formula and a, b travel in the config and model JSON", "[formula]") {
    ExperimentConfig c;
    c.network.hidden = {formula_layer(3, "x*sigmoid(a*x) + b", 1.7, -0.25), grid_check::layer(2, Activation::relu)};
    const std::string json = config_to_json(c);
    CHECK(json.find("\"formula\": \"x*sigmoid(a*x) + b\"") != std::string::npos);
    CHECK(config_from_json(json) == c);
    // A built-in layer writes no formula, a or b, and refuses them.
    CHECK(json.find("\"a\"", json.find("\"activation\": \"relu\"")) == std::string::npos);
    CHECK_THROWS_WITH(config_from_json(R"({"network": {"hidden": [{"activation": "relu", "formula": "x"}]}})"),
                      Catch::Contains("network.hidden[0].formula is only for activation formula, not relu"));
    CHECK_THROWS_WITH(config_from_json(R"({"network": {"hidden": [{"activation": "formula", "formula": "max(0,"}]}})"),
                      Catch::StartsWith("network.hidden[0].formula: position 7: expected a number"));
    CHECK_THROWS_WITH(config_from_json(R"({"network": {"hidden": [{"activation": "formula", "formula": "x", "a": 11}]}})"),
                      Catch::Contains("network.hidden[0].a"));

    Trainer t(c);
    t.train_steps(50);
    const auto back = model_from_json(model_to_json(t));
    CHECK(back->config() == t.config());
    const auto p = t.network().params(), q = back->network().params();
    CHECK(std::memcmp(p.data(), q.data(), p.size() * sizeof(double)) == 0);
    t.train_steps(20);
    back->train_steps(20);
    CHECK(same_bits(t.evaluate().train_loss, back->evaluate().train_loss));
}

TEST_CASE("a and b change live, while the formula's text needs a reset", "[formula]") {
    ExperimentConfig c = grid_check::config(DatasetKind::circle, Head::sigmoid_bce, {formula_layer(4, "x*sigmoid(a*x)")});
    Trainer t(c);
    ActivationParams p = t.config().network.hidden[0].params;
    p.a = 3.0;
    t.set_activation_params(0, p);
    CHECK(t.network().layers()[0].params.a == 3.0);
    CHECK(t.network().layers()[0].params.program != nullptr);  // still compiled
    CHECK(activate(Activation::formula, t.network().layers()[0].params, 1.0) == Approx(1.0 / (1.0 + std::exp(-3.0))));
    p.a = 10.5;
    CHECK_THROWS_WITH(t.set_activation_params(0, p), Catch::Contains("network.hidden[0].a must be"));
    ExperimentConfig next = t.config();
    next.network.hidden[0].formula = "tanh(x)";
    CHECK_THROWS_WITH(t.set_live_config(next), Catch::Contains("needs a reset"));
}
