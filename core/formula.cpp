// The formula's parser (recursive descent straight to postfix bytecode) and its evaluator (the bytecode run
// over chunks of kChunk entries at once: each operation is one tight loop over the chunk, so a formula
// layer costs a few passes over memory per operation instead of an interpreter's dispatch per element).
#include "formula.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "activation.hpp"
#include "error.hpp"
#include "detmath.hpp"
#include "detmath_simd.hpp"
#include "limits.hpp"

namespace ap {

namespace {

using Op = Formula::Op;

struct Function {
    std::string_view name;
    Op op;
    int args;
};
constexpr Function kFunctions[] = {
    {"exp", Op::exp, 1},   {"log", Op::log, 1},         {"sqrt", Op::sqrt, 1}, {"abs", Op::abs, 1},
    {"tanh", Op::tanh, 1}, {"sigmoid", Op::sigmoid, 1}, {"erf", Op::erf, 1},   {"max", Op::max, 2},
    {"min", Op::min, 2},
};

std::string known_names() {
    std::string s = "x, a, b, pi, if";
    for (const Function& f : kFunctions) s += ", " + std::string(f.name);
    return s;
}

// u^n by square and multiply in a fixed order; negative n is 1 / u^-n.
double powi(double u, int n) {
    unsigned m = n < 0 ? static_cast<unsigned>(-n) : static_cast<unsigned>(n);
    double result = 1.0, base = u;
    bool first = true;
    while (m != 0) {
        if (m & 1u) {
            result = first ? base : result * base;  // the first factor is taken as is: x^1 is x, x^2 is x*x
            first = false;
        }
        m >>= 1;
        if (m != 0) base = base * base;
    }
    return n < 0 ? 1.0 / result : result;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

}  // namespace

// Recursive descent; each parse_* emits its operand's bytecode and leaves one value on the stack.
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?            (right to left: the exponent is a unary, which nests power)
//   primary := number | x | a | b | pi | name '(' args ')' | if '(' sum cmp sum ',' sum ',' sum ')' | '(' sum ')'
class FormulaParser {
public:
    FormulaParser(std::string_view text, const std::string& field, Formula& out) : s_(text), field_(field), f_(out) {}

    void parse() {
        if (s_.size() > static_cast<std::size_t>(kMaxFormulaLength))
            throw ConfigError(field_ + " must be at most " + std::to_string(kMaxFormulaLength) +
                              " characters, got " + std::to_string(s_.size()));
        for (std::size_t i = 0; i < s_.size(); ++i) {
            const auto c = static_cast<unsigned char>(s_[i]);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') fail_at(i, "unexpected control character");
            if (c >= 0x80) fail_at(i, "unexpected non-ASCII character");
        }
        parse_sum();
        skip_spaces();
        if (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == '<' || c == '>')
                fail("expected an operator or the end of the formula (comparisons go in if(cond, then, else))");
            if (c == ',' || c == ')') fail("expected an operator or the end of the formula");
            fail("expected an operator (+ - * / ^) or the end of the formula");
        }
    }

private:
    [[noreturn]] void fail_at(std::size_t at, const std::string& what) const {
        throw ConfigError(field_ + ": position " + std::to_string(at + 1) + ": " + what);
    }
    // "...: expected X, got 'tok'" at the current token.
    [[noreturn]] void fail(const std::string& expected) const { fail_at(pos_, expected + ", got " + token_text()); }

    std::string token_text() const {
        if (pos_ >= s_.size()) return "the end of the formula";
        std::size_t end = pos_ + 1;
        if (is_name_start(s_[pos_])) {
            while (end < s_.size() && is_name_char(s_[end]) && end - pos_ < 20) ++end;
        } else if (is_digit(s_[pos_]) || s_[pos_] == '.') {
            while (end < s_.size() && (is_digit(s_[end]) || s_[end] == '.') && end - pos_ < 20) ++end;
        } else if ((s_[pos_] == '<' || s_[pos_] == '>') && end < s_.size() && s_[end] == '=') {
            ++end;
        }
        return "'" + std::string(s_.substr(pos_, end - pos_)) + "'";
    }

    void skip_spaces() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool accept(char c) {
        skip_spaces();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    void expect(char c, const std::string& where) {
        if (!accept(c)) fail(std::string("expected '") + c + "' " + where);
    }

    // Emits one operation and tracks the stack: pushes add a slot, binary operations take one, select two.
    void emit(Formula::Instr in) {
        if (f_.code_.size() >= static_cast<std::size_t>(kMaxFormulaOps))
            fail_at(pos_, "the formula compiles to more than " + std::to_string(kMaxFormulaOps) + " operations");
        f_.code_.push_back(in);
        switch (in.op) {
            case Op::x: case Op::a: case Op::b: case Op::constant: ++stack_; break;
            case Op::add: case Op::sub: case Op::mul: case Op::div: case Op::pow: case Op::max: case Op::min:
            case Op::lt: case Op::le: case Op::gt: case Op::ge: --stack_; break;
            case Op::select: stack_ -= 2; break;
            default: break;
        }
        if (stack_ > static_cast<std::size_t>(kMaxFormulaStack))
            fail_at(pos_, "the formula needs more than " + std::to_string(kMaxFormulaStack) + " stack slots");
        f_.max_stack_ = std::max(f_.max_stack_, stack_);
    }
    // True if the code from start on is a single constant (the operand just parsed was a number).
    bool just_constant(std::size_t start) const {
        return f_.code_.size() == start + 1 && f_.code_.back().op == Op::constant;
    }

    struct Nest {
        FormulaParser& p;
        explicit Nest(FormulaParser& parser) : p(parser) {
            if (++p.depth_ > kMaxFormulaDepth)
                p.fail_at(p.pos_, "nested deeper than " + std::to_string(kMaxFormulaDepth) + " levels");
        }
        ~Nest() { --p.depth_; }
        Nest(const Nest&) = delete;
        Nest& operator=(const Nest&) = delete;
    };

    void parse_sum() {
        parse_product();
        for (;;) {
            if (accept('+')) { parse_product(); emit({Op::add}); }
            else if (accept('-')) { parse_product(); emit({Op::sub}); }
            else return;
        }
    }

    void parse_product() {
        parse_unary();
        for (;;) {
            if (accept('*')) { parse_unary(); emit({Op::mul}); }
            else if (accept('/')) { parse_unary(); emit({Op::div}); }
            else return;
        }
    }

    void parse_unary() {
        if (accept('+')) {
            Nest nest(*this);
            return parse_unary();
        }
        if (accept('-')) {
            Nest nest(*this);
            const std::size_t start = f_.code_.size();
            parse_unary();
            if (just_constant(start)) f_.code_.back().k = -f_.code_.back().k;  // -2 is a number
            else emit({Op::neg});
            return;
        }
        parse_power();
    }

    void parse_power() {
        const std::size_t base = f_.code_.size();
        parse_primary();
        if (!accept('^')) return;
        Nest nest(*this);
        const std::size_t start = f_.code_.size();
        parse_unary();
        if (just_constant(start)) {
            const double k = f_.code_.back().k;
            if (k == std::floor(k) && std::fabs(k) <= kMaxFormulaIntPower) {
                f_.code_.pop_back();
                --stack_;
                // A number to an integer power is a number (3^2 is 9, so 2^3^2 is 2^9, exactly 512).
                if (just_constant(base)) f_.code_.back().k = powi(f_.code_.back().k, static_cast<int>(k));
                else emit({Op::powi, static_cast<int>(k)});
                return;
            }
        }
        emit({Op::pow});
    }

    void parse_primary() {
        skip_spaces();
        if (pos_ >= s_.size()) fail("expected a number, x, a, b, a function or '('");
        const char c = s_[pos_];
        if (is_digit(c) || c == '.') return parse_number();
        if (c == '(') {
            Nest nest(*this);
            ++pos_;
            parse_sum();
            expect(')', "to close the '(' at position " + std::to_string(open_position()));
            return;
        }
        if (!is_name_start(c)) fail("expected a number, x, a, b, a function or '('");
        const std::size_t at = pos_;
        while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
        const std::string_view name = s_.substr(at, pos_ - at);
        if (name == "x") return emit({Op::x});
        if (name == "a") return emit({Op::a});
        if (name == "b") return emit({Op::b});
        if (name == "pi") return emit({Op::constant, 0, detmath::pi});
        if (name == "if") return parse_if();
        for (const Function& fn : kFunctions)
            if (fn.name == name) return parse_call(fn);
        pos_ = at;
        fail_at(at, "unknown name '" + std::string(name.substr(0, 20)) + "'; expected one of " + known_names());
    }

    // The position (1-based) of the '(' the innermost open parenthesis started at, for messages.
    std::size_t open_position() const {
        int level = 0;
        for (std::size_t i = std::min(pos_, s_.size()); i-- > 0;) {
            if (s_[i] == ')') ++level;
            if (s_[i] == '(' && level-- == 0) return i + 1;
        }
        return 1;
    }

    void parse_call(const Function& fn) {
        Nest nest(*this);
        const std::string name(fn.name);
        expect('(', "after " + name);
        parse_sum();
        if (fn.args == 2) {
            expect(',', "and a second argument of " + name);
            parse_sum();
            expect(')', "after the arguments of " + name);
        } else {
            expect(')', "after the argument of " + name);
        }
        emit({fn.op});
    }

    void parse_if() {
        Nest nest(*this);
        expect('(', "after if");
        parse_sum();
        skip_spaces();
        Op cmp;
        if (accept('<')) cmp = pos_ < s_.size() && s_[pos_] == '=' ? (++pos_, Op::le) : Op::lt;
        else if (accept('>')) cmp = pos_ < s_.size() && s_[pos_] == '=' ? (++pos_, Op::ge) : Op::gt;
        else fail("expected a comparison (<, <=, >, >=) in the condition of if");
        parse_sum();
        emit({cmp});
        expect(',', "after the condition of if");
        parse_sum();
        expect(',', "after the then-value of if");
        parse_sum();
        expect(')', "after the else-value of if");
        emit({Op::select});
    }

    void parse_number() {
        const std::size_t at = pos_;
        while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
        }
        if (pos_ == at + 1 && s_[at] == '.') fail_at(at, "expected a digit before or after '.'");
        // An exponent only if digits follow: "2e" is the number 2 and then the name e.
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            std::size_t q = pos_ + 1;
            if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
            if (q < s_.size() && is_digit(s_[q])) {
                pos_ = q;
                while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
            }
        }
        // strtod reads the C locale's decimal point, which is what the text uses; it rounds correctly.
        const std::string digits(s_.substr(at, pos_ - at));
        const double v = std::strtod(digits.c_str(), nullptr);
        if (!std::isfinite(v)) fail_at(at, "the number " + digits.substr(0, 20) + " is too large");
        emit({Op::constant, 0, v});
    }

    std::string_view s_;
    const std::string& field_;
    Formula& f_;
    std::size_t pos_ = 0, stack_ = 0;
    int depth_ = 0;
};

std::shared_ptr<const Formula> Formula::compile(std::string_view text, const std::string& field) {
    auto f = std::make_shared<Formula>();
    f->text_ = std::string(text.substr(0, static_cast<std::size_t>(kMaxFormulaLength) + 1));
    FormulaParser(text, field, *f).parse();
    return f;
}

std::vector<std::string> Formula::function_names() {
    std::vector<std::string> names;
    for (const Function& fn : kFunctions) names.emplace_back(fn.name);
    return names;
}

namespace {

constexpr std::size_t kChunk = 256;

double exp_clamped(double t) { return detmath::exp(t < -800.0 ? -800.0 : t); }

const ActivationParams kBuiltinParams{};

}  // namespace

// The stack lives in one scratch buffer: slot s's values at V(s), its derivatives at D(s), kChunk each.
// With grad set (the backward pass), dy receives grad * f' instead of f'.
void Formula::run(double a, double b, const double* x, double* y, double* dy, const double* grad, std::size_t n,
                  bool with_d) const {
    thread_local std::vector<double> scratch;
    const std::size_t slots = std::max<std::size_t>(max_stack_, 1);
    if (scratch.size() < 2 * slots * kChunk) scratch.resize(2 * slots * kChunk);
    double* const base = scratch.data();
    auto V = [&](std::size_t s) { return base + s * kChunk; };
    auto D = [&](std::size_t s) { return base + (slots + s) * kChunk; };

    for (std::size_t o = 0; o < n; o += kChunk) {
        const std::size_t m = std::min(kChunk, n - o);
        std::size_t sp = 0;
        for (const Instr& in : code_) {
            double* v = V(sp - (sp > 0));   // the top slot (the left operand after the binary ops' pop below)
            double* d = D(sp - (sp > 0));
            auto push_fill = [&](double value) {
                double* pv = V(sp);
                double* pd = D(sp);
                std::fill_n(pv, m, value);
                if (with_d) std::fill_n(pd, m, 0.0);
                ++sp;
            };
            // Binary operations: l is the left operand's slot (the result's), r the right's.
            double *lv = nullptr, *ld = nullptr, *rv = nullptr, *rd = nullptr;
            if (sp >= 2) {
                lv = V(sp - 2); ld = D(sp - 2);
                rv = V(sp - 1); rd = D(sp - 1);
            }
            switch (in.op) {
                case Op::x: {
                    std::copy_n(x + o, m, V(sp));
                    if (with_d) std::fill_n(D(sp), m, 1.0);
                    ++sp;
                    break;
                }
                case Op::a: push_fill(a); break;
                case Op::b: push_fill(b); break;
                case Op::constant: push_fill(in.k); break;
                case Op::add:
                    for (std::size_t i = 0; i < m; ++i) lv[i] += rv[i];
                    if (with_d) for (std::size_t i = 0; i < m; ++i) ld[i] += rd[i];
                    --sp;
                    break;
                case Op::sub:
                    for (std::size_t i = 0; i < m; ++i) lv[i] -= rv[i];
                    if (with_d) for (std::size_t i = 0; i < m; ++i) ld[i] -= rd[i];
                    --sp;
                    break;
                case Op::mul:  // (uv)' = u'v + uv'
                    if (with_d) for (std::size_t i = 0; i < m; ++i) ld[i] = ld[i] * rv[i] + lv[i] * rd[i];
                    for (std::size_t i = 0; i < m; ++i) lv[i] *= rv[i];
                    --sp;
                    break;
                case Op::div:  // (u/v)' = (u' - (u/v) v') / v
                    for (std::size_t i = 0; i < m; ++i) {
                        const double q = lv[i] / rv[i];
                        if (with_d) ld[i] = (ld[i] - q * rd[i]) / rv[i];
                        lv[i] = q;
                    }
                    --sp;
                    break;
                case Op::neg:
                    for (std::size_t i = 0; i < m; ++i) v[i] = -v[i];
                    if (with_d) for (std::size_t i = 0; i < m; ++i) d[i] = -d[i];
                    break;
                case Op::powi:  // (u^n)' = n u^(n-1) u'
                    for (std::size_t i = 0; i < m; ++i) {
                        if (with_d) d[i] = in.n == 0 ? 0.0 : in.n * powi(v[i], in.n - 1) * d[i];
                        v[i] = powi(v[i], in.n);
                    }
                    break;
                case Op::pow:  // u^v = exp(v log u) for u > 0; (u^v)' = u^v (v' log u + v u'/u)
                    for (std::size_t i = 0; i < m; ++i) {
                        const double u = lv[i], w = rv[i];
                        double p, dp;
                        if (u > 0) {
                            const double l = detmath::log(u);
                            p = detmath::exp(w * l);
                            dp = with_d ? p * (rd[i] * l + w * ld[i] / u) : 0.0;
                        } else if (u == 0) {
                            p = w > 0 ? 0.0 : (w == 0 ? 1.0 : HUGE_VAL);
                            dp = w > 1 ? 0.0 : (w == 1 ? ld[i] : NAN);
                        } else {
                            p = dp = NAN;
                        }
                        lv[i] = p;
                        if (with_d) ld[i] = dp;
                    }
                    --sp;
                    break;
                case Op::exp:
                    for (std::size_t i = 0; i < m; ++i) {
                        v[i] = detmath::exp(v[i]);
                        if (with_d) d[i] *= v[i];
                    }
                    break;
                case Op::log:
                    for (std::size_t i = 0; i < m; ++i) {
                        if (with_d) d[i] /= v[i];
                        v[i] = detmath::log(v[i]);
                    }
                    break;
                case Op::sqrt:
                    for (std::size_t i = 0; i < m; ++i) {
                        v[i] = std::sqrt(v[i]);
                        if (with_d) d[i] /= 2.0 * v[i];
                    }
                    break;
                case Op::abs:  // abs'(0) = 0
                    for (std::size_t i = 0; i < m; ++i) {
                        const double u = v[i];
                        if (with_d) d[i] = u > 0 ? d[i] : (u < 0 ? -d[i] : (u == 0 ? 0.0 : u));
                        v[i] = std::fabs(u);
                    }
                    break;
                case Op::tanh:
                case Op::sigmoid: {
                    // The built-ins themselves: the same value bits, and the network's derivative from y.
                    // tanh two lanes at a time, as the network's tanh layers (the activation's bits too).
                    const Activation k = in.op == Op::tanh ? Activation::tanh : Activation::sigmoid;
                    if (in.op == Op::tanh) detmath::tanh_n(v, v, m);
                    else activation_forward(k, kBuiltinParams, v, v, m);
                    if (with_d) activation_backward(k, kBuiltinParams, v, v, d, d, m);
                    break;
                }
                case Op::erf:  // erf'(u) = 2/sqrt(pi) e^(-u^2)
                    for (std::size_t i = 0; i < m; ++i) {
                        const double u = v[i];
                        if (with_d) d[i] *= 1.1283791670955126 * exp_clamped(-(u * u));
                        v[i] = detmath::erf(u);
                    }
                    break;
                case Op::max:  // v > u ? v : u -- a tie takes u (max(0, x) is ReLU, slope 0 at 0)
                    for (std::size_t i = 0; i < m; ++i)
                        if (rv[i] > lv[i]) {
                            lv[i] = rv[i];
                            if (with_d) ld[i] = rd[i];
                        }
                    --sp;
                    break;
                case Op::min:
                    for (std::size_t i = 0; i < m; ++i)
                        if (rv[i] < lv[i]) {
                            lv[i] = rv[i];
                            if (with_d) ld[i] = rd[i];
                        }
                    --sp;
                    break;
                case Op::lt: for (std::size_t i = 0; i < m; ++i) lv[i] = lv[i] < rv[i] ? 1.0 : 0.0; --sp; break;
                case Op::le: for (std::size_t i = 0; i < m; ++i) lv[i] = lv[i] <= rv[i] ? 1.0 : 0.0; --sp; break;
                case Op::gt: for (std::size_t i = 0; i < m; ++i) lv[i] = lv[i] > rv[i] ? 1.0 : 0.0; --sp; break;
                case Op::ge: for (std::size_t i = 0; i < m; ++i) lv[i] = lv[i] >= rv[i] ? 1.0 : 0.0; --sp; break;
                case Op::select: {
                    double *cv = V(sp - 3), *cd = D(sp - 3);
                    for (std::size_t i = 0; i < m; ++i) {
                        const bool take = cv[i] != 0.0;
                        cv[i] = take ? lv[i] : rv[i];
                        if (with_d) cd[i] = take ? ld[i] : rd[i];
                    }
                    sp -= 2;
                    break;
                }
            }
        }
        // NaN in gives NaN out; x is read before y or dy is written (they may alias it).
        const double* rv = V(0);
        const double* rd = D(0);
        for (std::size_t i = 0; i < m; ++i) {
            const double xi = x[o + i];
            const bool nan = xi != xi;
            if (with_d) dy[o + i] = nan ? xi : (grad != nullptr ? grad[o + i] * rd[i] : rd[i]);
            if (y != nullptr) y[o + i] = nan ? xi : rv[i];
        }
    }
}

void Formula::forward(double a, double b, const double* x, double* y, std::size_t n) const {
    run(a, b, x, y, nullptr, nullptr, n, false);
}

void Formula::evaluate(double a, double b, const double* x, double* y, double* dy, std::size_t n) const {
    run(a, b, x, y, dy, nullptr, n, dy != nullptr);
}

void Formula::backward(double a, double b, const double* z, const double* dy, double* dz, std::size_t n) const {
    run(a, b, z, nullptr, dz, dy, n, true);
}

}  // namespace ap
