#pragma once
// The network's forward pass in float32 over blocks of points, for the page's pictures only (training
// stays in double). A heatmap is 10,000 points through the same weights, so this path trades the
// training path's bit-exactness for speed: 4-lane float SIMD, activations kept unit-major (units, block) so
// every layer width fills the vectors, zero-skipping where a unit is 0 across a whole block (ReLU regions
// are contiguous on a grid), and float approximations of tanh and sigmoid (~1e-7 relative).
// grid.cpp turns pixels into blocks of features and the outputs into the caller's buffer.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "activation.hpp"
#include "network.hpp"

namespace ap {

// Points per block: 4 vectors of 4 floats.
inline constexpr std::size_t kGridBlock = 16;

// z (n) = f(z) in float, in place. ReLU's family, identity, the hard functions, binary step and softsign
// are exact in float arithmetic; tanh and sigmoid use a float exp (~2 ulp); the others go through the
// double activation_forward (exact, slower).
void activation_forward_f32(Activation kind, const ActivationParams& params, float* z, std::size_t n);

// The head's prediction in place over logits (k, kGridBlock), as head_predict does in double.
void head_predict_f32(Head head, float* logits, std::size_t k);

// Piecewise-linear activations (identity, binary step, the ReLU family, relu6, hard tanh, hard sigmoid):
// f is affine on each of at most three intervals of z. The activation pattern of a point is which interval
// each hidden unit's z falls in; with it fixed, the network is an affine function of its inputs.
bool is_piecewise_linear(Activation kind);
// Bits of pattern per unit: 0 (identity), 1 (one kink), 2 (two kinks).
int pattern_bits(Activation kind);

class GridForward {
public:
    explicit GridForward(const Network& network);  // copies the weights, as floats

    // X (inputs, kGridBlock): the block's input features, unit-major. Afterwards activations(l) and
    // logits() hold this block's values. With `pattern`, also writes each lane's activation pattern as
    // pattern_words() words, lane after lane (kGridBlock, pattern_words()); only for a network whose hidden
    // activations are all piecewise linear (piecewise_linear()). Only the first pattern_layers hidden layers
    // write their bits (the rest stay 0), so the pattern names the regions those layers alone cut.
    void run(const float* X, std::uint64_t* pattern = nullptr, std::size_t pattern_layers = kAllLayers);
    static constexpr std::size_t kAllLayers = ~std::size_t{0};

    bool piecewise_linear() const { return piecewise_linear_; }
    std::size_t pattern_words() const { return pattern_words_; }

    std::size_t layers() const { return layers_.size(); }
    std::size_t units(std::size_t layer) const { return layers_[layer].out; }
    const float* activations(std::size_t layer) const { return act_[layer].data(); }  // (units, kGridBlock)
    const float* logits() const { return act_.back().data(); }                        // (outputs, kGridBlock)

private:
    struct Layer {
        std::size_t in = 0, out = 0;
        std::vector<float> wt;     // (out, in) W^T: a unit's weights contiguous
        std::vector<float> b;      // (out)
        std::vector<float> alpha;  // (out) PReLU's slopes, else empty
        Activation activation = Activation::identity;
        ActivationParams params{};
        std::size_t pattern_bit = 0;  // where this layer's units start in a point's pattern
    };
    // flagged: A's units' liveness is already in alive_ (the layer before was fused, see layer_forward).
    // Returns whether this layer left its own units' liveness in alive_.
    bool layer_forward(const Layer& layer, const float* A, float* Z, std::uint64_t* pattern, bool flagged);

    std::vector<Layer> layers_;
    std::vector<std::vector<float>> act_;  // per layer (out, kGridBlock)
    std::vector<unsigned> live_;           // (widest input) inputs not zero across the block
    std::vector<unsigned char> alive_;     // (widest layer) a fused ReLU layer's units: not zero across the block
    bool piecewise_linear_ = true;
    std::size_t pattern_words_ = 0;        // ceil(sum over hidden units of pattern_bits / 64)
};

}  // namespace ap
