#pragma once
// Activation functions: each one's value and derivative are written side by side in activation.cpp, so a
// reader checks one against the other at a glance. Conventions at points with no derivative are documented
// per function and listed by kinks().
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace ap {

enum class Activation : unsigned char {
    identity, binary_step, sigmoid, tanh, relu, leaky_relu, prelu, relu6, elu, selu,
    gelu_erf, gelu_tanh, silu, mish, softplus, softsign, hard_sigmoid, hard_tanh,
    formula,  // the user's own f(x) (formula.hpp); not among all_activations(), which are the built-ins
};

class Formula;

// Parameters; each activation reads only the ones it documents.
struct ActivationParams {
    double alpha = 0.01;         // leaky_relu and prelu (initial) slope for x < 0; elu's saturation value
    double beta = 1.0;           // silu/swish: x * sigmoid(beta x); softplus: log(1 + exp(beta x)) / beta
    double relu_grad_at_zero = 0.0;  // derivative used at exactly x == 0 by the ReLU family (0, 0.5 or 1)
    double a = 1.0, b = 1.0;         // formula: the parameters a and b its text may use
    // formula: the compiled text. The config carries the text (LayerConfig::formula); whoever evaluates
    // compiles it here (the network, the grid, the page's curve). Not part of ==: the text is.
    std::shared_ptr<const Formula> program;

    bool operator==(const ActivationParams& o) const {
        return alpha == o.alpha && beta == o.beta && relu_grad_at_zero == o.relu_grad_at_zero && a == o.a &&
               b == o.b;
    }
};

// The defaults that users of other frameworks expect (leaky alpha 0.01, ELU alpha 1, beta 1, f'(0) = 0).
ActivationParams default_params(Activation kind);

std::string_view activation_name(Activation kind);                   // "relu", "leaky_relu", "gelu_tanh", ...
std::optional<Activation> activation_from_name(std::string_view name);
std::span<const Activation> all_activations();  // the built-ins, without formula

bool is_relu_family(Activation kind);      // zero output over a half-line: relu, relu6, binary_step (dead units)
bool is_saturating(Activation kind);       // sigmoid/tanh family: flat tails (saturated units)
bool uses_alpha(Activation kind);
bool uses_beta(Activation kind);

// Points where the function has no derivative (or is discontinuous), for the plot and for tests.
std::vector<double> kinks(Activation kind, const ActivationParams& params);

// For Activation::formula every function below reads params.program, which must be set (else ConfigError).
// One value: f(x) and f'(x). Finite for every finite x up to |x| = 1e300.
double activate(Activation kind, const ActivationParams& params, double x);
double activate_derivative(Activation kind, const ActivationParams& params, double x);

// The batch API the page plots with: y[i] = f(x[i]) and dy[i] = f'(x[i]) for n entries (dy may be null).
void activate_batch(Activation kind, const ActivationParams& params,
                    const double* x, double* y, double* dy, std::size_t n);

// The network's path, over n entries: y = f(z).
void activation_forward(Activation kind, const ActivationParams& params,
                        const double* z, double* y, std::size_t n);
// dz = dy * f'(z), given z and y = f(z) (tanh and sigmoid reuse y).
void activation_backward(Activation kind, const ActivationParams& params,
                         const double* z, const double* y, const double* dy, double* dz, std::size_t n);

}  // namespace ap
