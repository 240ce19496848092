#include "network.hpp"

#include <algorithm>
#include <cassert>
#include <string>

#include "detmath_simd.hpp"
#include "formula.hpp"
#include "init.hpp"
#include "kernels.hpp"

namespace ap {

Network::Network(const NetworkConfig& config, std::size_t inputs, std::size_t outputs, Rng& rng) {
    std::size_t offset = 0;
    std::size_t in = inputs;
    auto add_layer = [&](std::size_t out, Activation act, const ActivationParams& p) {
        LayerShape s;
        s.in = in; s.out = out; s.activation = act; s.params = p;
        s.w = offset; offset += in * out;
        s.b = offset; offset += out;
        if (act == Activation::prelu) { s.has_alpha = true; s.alpha = offset; offset += out; }
        layers_.push_back(s);
        max_width_ = std::max(max_width_, std::max(in, out));
        in = out;
    };
    for (std::size_t l = 0; l < config.hidden.size(); ++l) {
        const LayerConfig& h = config.hidden[l];
        ActivationParams p = h.params;
        if (h.activation == Activation::formula)
            p.program = Formula::compile(h.formula, "network.hidden[" + std::to_string(l) + "].formula");
        add_layer(static_cast<std::size_t>(h.units), h.activation, p);
    }
    add_layer(outputs, Activation::identity, default_params(Activation::identity));

    params_.assign(offset, 0.0);
    std::size_t largest = 0;
    for (const auto& s : layers_) largest = std::max(largest, s.in * s.out);
    wt_.assign(largest, 0.0);
    grads_.assign(offset, 0.0);
    for (const auto& s : layers_) {
        init_layer(config.init, rng, params_.data() + s.w, s.in, s.out, params_.data() + s.b);
        if (s.has_alpha) std::fill_n(params_.data() + s.alpha, s.out, s.params.alpha);
    }
    z_.resize(layers_.size());
    a_.resize(layers_.size());
}

void Network::set_activation_params(std::size_t layer, const ActivationParams& params) {
    assert(layer < hidden_layers());
    auto program = layers_[layer].params.program;  // the formula stays compiled; only a and b change
    layers_[layer].params = params;
    if (!params.program) layers_[layer].params.program = std::move(program);
}

void Network::reserve(std::size_t n) {
    if (n <= capacity_) return;
    capacity_ = std::max(n, capacity_ * 2);
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        z_[l].resize(capacity_ * layers_[l].out);
        a_[l].resize(capacity_ * layers_[l].out);
    }
    dz_.resize(capacity_ * max_width_);
    dz_prev_.resize(capacity_ * max_width_);
}

static void prelu_forward(const double* Z, std::size_t n, std::size_t out, const double* alpha, double* A) {
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < out; ++j) {
            const double z = Z[i * out + j];
            A[i * out + j] = z > 0 ? z : alpha[j] * z;
        }
}

const double* Network::forward(const double* X, std::size_t n) {
    reserve(n);
    batch_ = n;
    const double* A = X;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const LayerShape& s = layers_[l];
        double* Z = z_[l].data();
        kernels::dense_forward(A, n, s.in, params_.data() + s.w, params_.data() + s.b, s.out, Z);
        if (s.has_alpha) prelu_forward(Z, n, s.out, params_.data() + s.alpha, a_[l].data());
        // tanh two lanes at a time: the same bits as activation_forward's scalar detmath::tanh.
        else if (s.activation == Activation::tanh) detmath::tanh_n(Z, a_[l].data(), n * s.out);
        else activation_forward(s.activation, s.params, Z, a_[l].data(), n * s.out);
        A = a_[l].data();
    }
    return a_.back().data();
}

// PReLU: dz = da * (z > 0 ? 1 : alpha); dalpha += da * (z > 0 ? 0 : z). At z == 0 the slope follows the
// ReLU family's convention g0, (1 - g0) alpha + g0 (g0 = 0 is PyTorch's alpha), as activate_derivative
// does; dalpha gets nothing there since z = 0.
static void prelu_backward(const double* Z, const double* dA, std::size_t n, std::size_t out,
                           const double* alpha, double g0, double* dZ, double* dalpha) {
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < out; ++j) {
            const double z = Z[i * out + j], da = dA[i * out + j];
            if (z > 0) {
                dZ[i * out + j] = da;
            } else if (z < 0) {
                dZ[i * out + j] = da * alpha[j];
                dalpha[j] += da * z;
            } else {
                dZ[i * out + j] = da * ((1.0 - g0) * alpha[j] + g0);
            }
        }
}

void Network::backward(const double* X, const double* dlogits, BackwardRecord* record) {
    const std::size_t n = batch_;
    if (record) {
        record->dA.assign(layers_.size(), {});
        record->dZ.assign(layers_.size(), {});
        record->dA.back().assign(dlogits, dlogits + n * outputs());
    }
    // The kernels overwrite dW and db; only PReLU's slope gradients accumulate and need zeroing.
    for (const auto& s : layers_)
        if (s.has_alpha) std::fill_n(grads_.data() + s.alpha, s.out, 0.0);
    std::copy_n(dlogits, n * outputs(), dz_.data());
    for (std::size_t l = layers_.size(); l-- > 0;) {
        const LayerShape& s = layers_[l];
        const double* A = l == 0 ? X : a_[l - 1].data();
        if (record) record->dZ[l].assign(dz_.data(), dz_.data() + n * s.out);
        kernels::dense_backward_params(A, dz_.data(), n, s.in, s.out, grads_.data() + s.w, grads_.data() + s.b);
        if (l == 0) break;
        kernels::dense_backward_input(dz_.data(), params_.data() + s.w, n, s.in, s.out, wt_.data(), dz_prev_.data());
        const LayerShape& p = layers_[l - 1];
        if (record) record->dA[l - 1].assign(dz_prev_.data(), dz_prev_.data() + n * p.out);
        if (p.has_alpha) {
            prelu_backward(z_[l - 1].data(), dz_prev_.data(), n, p.out, params_.data() + p.alpha,
                           p.params.relu_grad_at_zero, dz_.data(), grads_.data() + p.alpha);
        } else {
            activation_backward(p.activation, p.params, z_[l - 1].data(), a_[l - 1].data(), dz_prev_.data(),
                                dz_.data(), n * p.out);
        }
    }
}

void Network::activation_slopes(std::size_t layer, const double* Z, const double* A, std::size_t n,
                                double* slope) const {
    const LayerShape& s = layers_[layer];
    const std::vector<double> ones(n * s.out, 1.0);
    if (s.has_alpha) {
        std::vector<double> dalpha(s.out, 0.0);  // prelu_backward accumulates the slopes' gradient: unused here
        prelu_backward(Z, ones.data(), n, s.out, params_.data() + s.alpha, s.params.relu_grad_at_zero, slope,
                       dalpha.data());
    } else {
        activation_backward(s.activation, s.params, Z, A, ones.data(), slope, n * s.out);
    }
}

}  // namespace ap
