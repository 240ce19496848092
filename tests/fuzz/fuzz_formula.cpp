// libFuzzer target: the user's own activation formula (ap::Formula::compile). Any input must either compile
// or throw ap::ConfigError naming a position inside the text (or its length). A compiled formula stays
// within its bounds and evaluates (values and derivatives, forward and backward) over a range of x,
// including NaN and the infinities, without a sanitizer report; the one-value and batch paths agree.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "error.hpp"
#include "formula.hpp"
#include "limits.hpp"

namespace {

[[noreturn]] void finding(const char* what, const std::string& text) {
    std::fprintf(stderr, "%s: %s\n", what, text.c_str());
    std::abort();
}

bool same(double p, double q) { return std::memcmp(&p, &q, sizeof p) == 0 || (p != p && q != q); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::shared_ptr<const ap::Formula> f;
    try {
        f = ap::Formula::compile(text);
    } catch (const ap::ConfigError& e) {
        const std::string m = e.what();
        if (m.rfind("formula: position ", 0) == 0) {
            const long pos = std::strtol(m.c_str() + 18, nullptr, 10);
            if (pos < 1 || static_cast<std::size_t>(pos) > text.size() + 1) finding("position outside the text", m);
        } else if (m.rfind("formula must be at most", 0) != 0) {
            finding("a message without a position", m);
        }
        return 0;
    }
    if (text.size() > static_cast<std::size_t>(ap::kMaxFormulaLength) || f->ops() > ap::kMaxFormulaOps ||
        f->stack_depth() > ap::kMaxFormulaStack || f->ops() == 0)
        finding("bounds", text);
    constexpr std::size_t n = 300;  // more than one chunk
    double x[n], y[n], dy[n], y1[n], g[n], dz[n];
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = -8.0 + 16.0 * static_cast<double>(i) / n;
        g[i] = 0.5;
    }
    x[0] = NAN;
    x[1] = INFINITY;
    x[2] = -INFINITY;
    x[3] = 0.0;
    x[4] = -0.0;
    f->evaluate(0.7, -1.3, x, y, dy, n);
    f->forward(0.7, -1.3, x, y1, n);
    f->backward(0.7, -1.3, x, g, dz, n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!same(y[i], y1[i])) finding("forward and evaluate differ", text);
        if (!same(dz[i], 0.5 * dy[i])) finding("backward is not dy * f'", text);
    }
    if (!std::isnan(y[0]) || !std::isnan(dy[0])) finding("NaN in did not give NaN out", text);
    double one = 0, d_one = 0;
    f->evaluate(0.7, -1.3, &x[100], &one, &d_one, 1);
    if (!same(one, y[100]) || !same(d_one, dy[100])) finding("one value and the batch differ", text);
    return 0;
}
