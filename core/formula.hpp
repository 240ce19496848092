#pragma once
// The user's own activation: a formula f(x) typed as text, parsed here (never by JS eval) into a small
// stack bytecode, and evaluated over whole arrays on dual numbers (value, derivative) -- forward-mode
// automatic differentiation, so f' is exact to rounding and needs no second formula.
//
// The language (limits in limits.hpp: kMaxFormulaLength characters, kMaxFormulaDepth nesting levels,
// kMaxFormulaOps bytecode operations):
//   numbers     2, 0.5, .5, 1e-3, 2.5E+2; the constant pi
//   variables   x, and the parameters a and b (sliders on the page; not learned)
//   operators   + - * / ^ and unary -, with the usual precedence: ^ binds tightest and right to left
//               (2^3^2 = 2^9), and -x^2 is -(x^2)
//   functions   exp log sqrt abs tanh sigmoid erf (one argument), max min (two)
//   conditional if(cond, then, else), cond one comparison  u < v, u <= v, u > v or u >= v
// e.g. x*sigmoid(a*x), max(0, x), if(x > 0, x, a*(exp(x) - 1)), tanh(x)^2.
//
// Rules of the numerics (the same bits natively and in wasm, as everywhere in the core):
// - exp, log, tanh, sigmoid and erf come from detmath or the built-in activations (tanh and sigmoid are
//   literally the built-in tanh and sigmoid), sqrt is IEEE-exact; no libm call.
// - u^n with n an integer literal, |n| <= kMaxFormulaIntPower, is repeated multiplication (square and
//   multiply, a fixed order): exact signs for negative u, x^2 is x*x. Any other exponent is
//   exp(v log u) for u > 0; 0^v is 0 (v > 0), 1 (v = 0) or inf (v < 0); a negative base gives NaN.
// - Where the formula has no derivative, the derivative is that of the branch taken: max(u, v) is
//   (v > u ? v : u), so at a tie it takes u's derivative (max(0, x) at 0 has slope 0, like ReLU's default);
//   min likewise; if() takes the derivative of the branch its condition picks; abs'(0) is 0.
// - NaN in gives NaN out (value and derivative), as for the built-ins: a diverged network is never
//   silently repaired by a conditional.
// Errors are ap::ConfigError "<field>: position P: expected ..., got '...'" with P counted from 1.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ap {

class Formula {
public:
    // Parses and compiles text; throws ConfigError naming field (e.g. "network.hidden[0].formula"), the
    // 1-based position and what was expected there.
    static std::shared_ptr<const Formula> compile(std::string_view text, const std::string& field = "formula");

    const std::string& text() const { return text_; }
    std::size_t ops() const { return code_.size(); }
    std::size_t stack_depth() const { return max_stack_; }

    // y = f(x) over n entries (y may alias x).
    void forward(double a, double b, const double* x, double* y, std::size_t n) const;
    // y = f(x) and dy = f'(x) over n entries (y may be null).
    void evaluate(double a, double b, const double* x, double* y, double* dy, std::size_t n) const;
    // dz = dy * f'(z) over n entries (dz may alias dy): the network's backward.
    void backward(double a, double b, const double* z, const double* dy, double* dz, std::size_t n) const;

    // The function names the language knows, for the catalog and the page's help text.
    static std::vector<std::string> function_names();

    enum class Op : std::uint8_t {
        x, a, b, constant,
        add, sub, mul, div, neg, powi, pow,
        exp, log, sqrt, abs, tanh, sigmoid, erf, max, min,
        lt, le, gt, ge, select,
    };
    struct Instr {
        Op op;
        int n = 0;        // powi's exponent
        double k = 0.0;   // constant's value
    };

private:
    void run(double a, double b, const double* x, double* y, double* dy, const double* grad, std::size_t n,
             bool with_d) const;

    std::string text_;
    std::vector<Instr> code_;
    std::size_t max_stack_ = 0;
    friend class FormulaParser;
};

}  // namespace ap
