#pragma once
// A multilayer perceptron over flat buffers: every parameter lives in one arena and every gradient in a
// second one of the same layout, so optimizers, clipping and serialisation are single loops over them.
//
// Layer l maps A_{l-1} (n, in) to Z_l = A_{l-1} W_l + b_l (n, out) and A_l = f_l(Z_l). W_l is stored
// (in, out), row-major by input, so the inner loop of both passes runs over contiguous output units.
// The last layer is linear (identity); the head (loss.hpp) turns its logits into predictions.
#include <cstddef>
#include <span>
#include <vector>

#include "config.hpp"
#include "rng.hpp"

namespace ap {

// What one backward pass saw inside the network, per layer (hidden layers, then the output), for a caller
// that shows it (trace.hpp): dA (n, out) = dLoss/d(the layer's output) and dZ (n, out) = dLoss/d(its
// pre-activation). The output layer is linear, so there both are dlogits.
struct BackwardRecord {
    std::vector<std::vector<double>> dA, dZ;
};

struct LayerShape {
    std::size_t in = 0, out = 0;
    std::size_t w = 0;          // offset of W (in, out) in the arena
    std::size_t b = 0;          // offset of b (out)
    std::size_t alpha = 0;      // offset of PReLU's learned slopes (out); only if has_alpha
    bool has_alpha = false;
    Activation activation = Activation::identity;
    ActivationParams params{};
};

class Network {
public:
    // inputs: feature columns; outputs: 1, or the number of classes for softmax. Draws weights from rng.
    Network(const NetworkConfig& config, std::size_t inputs, std::size_t outputs, Rng& rng);

    std::size_t inputs() const { return layers_.front().in; }
    std::size_t outputs() const { return layers_.back().out; }
    std::size_t hidden_layers() const { return layers_.size() - 1; }
    const std::vector<LayerShape>& layers() const { return layers_; }  // hidden layers, then the output

    std::span<double> params() { return params_; }
    std::span<const double> params() const { return params_; }
    std::span<double> grads() { return grads_; }
    std::span<const double> grads() const { return grads_; }

    // Changes a hidden layer's activation parameters without touching weights (live slider changes).
    void set_activation_params(std::size_t layer, const ActivationParams& params);

    // Forward over a batch X (n, inputs); keeps every layer's Z and A until the next forward.
    // Returns the logits (n, outputs).
    const double* forward(const double* X, std::size_t n);

    // Pre-activations and outputs of layer l from the last forward: (n, out).
    const double* pre_activations(std::size_t layer) const { return z_[layer].data(); }
    const double* activations(std::size_t layer) const { return a_[layer].data(); }
    std::size_t batch() const { return batch_; }

    // Backward from dlogits (n, outputs) of the last forward: overwrites grads() with dLoss/dparams.
    // dlogits already carries the batch mean's 1/n. With a record, also copies each layer's dA and dZ into it
    // (the training step passes none).
    void backward(const double* X, const double* dlogits, BackwardRecord* record = nullptr);

    // f'(z) of layer l's activation for n values of its Z (and A = f(Z)), with the conventions and PReLU slopes
    // backward uses: backward's own activation step with dLoss/dA = 1.
    void activation_slopes(std::size_t layer, const double* Z, const double* A, std::size_t n, double* slope) const;

private:
    void reserve(std::size_t n);

    std::vector<LayerShape> layers_;
    std::vector<double> params_;
    std::vector<double> grads_;
    std::vector<std::vector<double>> z_, a_;   // per layer (capacity, out)
    std::vector<double> dz_, dz_prev_;         // (capacity, max width) scratch for backward
    std::vector<double> wt_;                   // (largest in * out) a layer's W^T, scratch for backward
    std::size_t capacity_ = 0, batch_ = 0, max_width_ = 0;
};

}  // namespace ap
