#include "trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "detmath.hpp"
#include "error.hpp"
#include "features.hpp"
#include "loss.hpp"
#include "power.hpp"

namespace ap {

// Full-set passes (evaluation, diagnostics, prediction) go through the network this many points at a
// time, which bounds the workspace whatever the data size.
static constexpr std::size_t kChunk = 256;

static Network make_network(const ExperimentConfig& c, const Dataset& d) {
    Rng rng = Rng::stream(c.seed, kRngInit);
    const std::size_t inputs = d.input_dims == 1 ? 1 : c.network.features.size();
    return Network(c.network, inputs, head_outputs(c.network.head, d.classes), rng);
}

static Dataset validated_dataset(const ExperimentConfig& c) {
    validate_config(c);
    return make_dataset(c.data, c.seed);
}

Trainer::Trainer(const ExperimentConfig& config)
    : config_(config),
      data_(validated_dataset(config)),
      network_(make_network(config_, data_)),
      optimizer_(config.training, network_.params().size()) {
    if (data_.input_dims == 1) config_.network.features.clear();
    shuffle_epoch();
    const std::size_t widest = std::max<std::size_t>(kChunk, static_cast<std::size_t>(config.training.batch_size));
    batch_.reserve(widest);
    X_.resize(widest * network_.inputs());
    dlogits_.resize(widest * network_.outputs());
}

void Trainer::shuffle_epoch() {
    order_.resize(data_.train.size());
    std::iota(order_.begin(), order_.end(), 0u);
    Rng rng = Rng::stream(config_.seed, kRngShuffle + static_cast<std::uint64_t>(epoch_));
    rng.shuffle(order_.data(), order_.size());
}

// The next mini-batch in this epoch's order; the last one of an epoch may be smaller, and batches never
// straddle two epochs, so an epoch is exactly one pass over the training set.
void Trainer::next_batch() {
    const std::size_t n = order_.size();
    const std::size_t size = std::min(static_cast<std::size_t>(config_.training.batch_size), n - cursor_);
    batch_.clear();
    for (std::size_t i = 0; i < size; ++i) batch_.push_back(data_.train[order_[cursor_ + i]]);
    cursor_ += size;
    if (cursor_ == n) {
        cursor_ = 0;
        ++epoch_;
        shuffle_epoch();
    }
}

const double* Trainer::forward_points(const Point* points, std::size_t n) {
    map_features(config_.network.features, points, n, X_.data());
    return network_.forward(X_.data(), n);
}

double Trainer::regularisation_penalty() const {
    const auto& tc = config_.training;
    if (tc.regularization == Regularization::none || tc.regularization_rate == 0) return 0.0;
    double sum = 0.0;
    const auto p = network_.params();
    for (const auto& s : network_.layers())
        for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i)
            sum += tc.regularization == Regularization::l1 ? std::fabs(p[i]) : 0.5 * p[i] * p[i];
    return tc.regularization_rate * sum;
}

// Weights only: biases and PReLU slopes are not pulled towards zero (as in TF Playground and Keras).
// L1's subgradient at exactly 0 is 0.
void Trainer::add_regularisation_gradient() {
    const auto& tc = config_.training;
    if (tc.regularization == Regularization::none || tc.regularization_rate == 0) return;
    const auto p = network_.params();
    auto g = network_.grads();
    const double r = tc.regularization_rate;
    for (const auto& s : network_.layers())
        for (std::size_t i = s.w; i < s.w + s.in * s.out; ++i) {
            if (tc.regularization == Regularization::l2) g[i] += r * p[i];
            else g[i] += p[i] > 0 ? r : (p[i] < 0 ? -r : 0.0);
        }
}

// Forward over n points and the head's mean loss; dlogits (n, outputs) receives its gradient unless null.
double Trainer::forward_loss(const Point* points, std::size_t n, double* dlogits) {
    const double* logits = forward_points(points, n);
    return head_loss(config_.network.head, logits, points, n, network_.outputs(), dlogits);
}

// After forward_loss with dlogits_: the objective's gradient (data loss and penalty) in network().grads().
void Trainer::backward_regularised() {
    network_.backward(X_.data(), dlogits_.data());
    add_regularisation_gradient();
}

// The data loss summed over points (each chunk's mean times its size, in chunk order), and the count of
// correct predictions when correct is not null.
double Trainer::loss_sum(const Point* points, std::size_t n, std::size_t* correct) {
    double sum = 0.0;
    for (std::size_t start = 0; start < n; start += kChunk) {
        const std::size_t m = std::min(kChunk, n - start);
        const double* logits = forward_points(points + start, m);
        sum += head_loss(config_.network.head, logits, points + start, m, network_.outputs(), nullptr) *
               static_cast<double>(m);
        if (correct) *correct += head_correct(config_.network.head, logits, points + start, m, network_.outputs());
    }
    return sum;
}

double Trainer::compute_gradients(const Point* points, std::size_t n) {
    if (X_.size() < n * network_.inputs()) X_.resize(n * network_.inputs());
    if (dlogits_.size() < n * network_.outputs()) dlogits_.resize(n * network_.outputs());
    const double loss = forward_loss(points, n, dlogits_.data());
    backward_regularised();
    return loss + regularisation_penalty();
}

double Trainer::objective(const Point* points, std::size_t n) {
    return loss_sum(points, n, nullptr) / static_cast<double>(n) + regularisation_penalty();
}

// Scales the gradient to clip_norm when its global L2 norm is larger; returns the norm before clipping
// (NaN or infinite when some gradient is).
double Trainer::clip_gradients() {
    auto g = network_.grads();
    double sq = 0.0;
    for (double v : g) sq += v * v;
    const double norm = std::sqrt(sq);
    const double c = config_.training.clip_norm;
    if (c > 0 && std::isfinite(norm) && norm > c) {
        const double scale = c / norm;
        for (double& v : g) v *= scale;
    }
    return norm;
}

double Trainer::learning_rate_now() const {
    const auto& tc = config_.training;
    switch (tc.schedule) {
        case Schedule::constant: return tc.learning_rate;
        case Schedule::step:
            return tc.learning_rate * integer_power(tc.step_gamma, static_cast<std::uint64_t>(step_ / tc.step_every));
        case Schedule::cosine: {
            const double t = static_cast<double>(std::min<std::int64_t>(step_, tc.cosine_steps));
            const double lo = tc.min_learning_rate;
            return lo + 0.5 * (tc.learning_rate - lo) * (1.0 + detmath::cos(detmath::pi * t / tc.cosine_steps));
        }
    }
    return tc.learning_rate;
}

static std::string non_finite_word(double x) { return std::isnan(x) ? "NaN" : "infinite"; }

// One step; false (with a reason, and the parameters as they were) when anything stops being finite.
bool Trainer::try_step() {
    next_batch();
    const double loss = forward_loss(batch_.data(), batch_.size(), dlogits_.data());
    // Reasons are built only on failure: the loop allocates nothing per step.
    auto at = [&] { return " at step " + std::to_string(step_ + 1); };
    if (!std::isfinite(loss)) {
        divergence_ = "loss became " + non_finite_word(loss) + at();
        return false;
    }
    backward_regularised();
    const double norm = clip_gradients();
    if (!std::isfinite(norm)) {
        divergence_ = "gradient became " + non_finite_word(norm) + at();
        return false;
    }
    if (!guard_.update(optimizer_, network_.params(), network_.grads(), learning_rate_now(), norm)) {
        divergence_ = "a weight became infinite" + at();
        return false;
    }
    last_loss_ = loss;
    ++step_;
    return true;
}

// Parameters may have been set from outside since the last call (restore, the page's weight editor).
int Trainer::train_steps(int n) {
    guard_.start(network_.params());
    int done = 0;
    while (done < n && !diverged() && try_step()) ++done;
    return done;
}

int Trainer::train_epochs(int n) {
    const std::int64_t target = epoch_ + n;
    guard_.start(network_.params());
    int done = 0;
    while (epoch_ < target && !diverged() && try_step()) ++done;
    return done;
}

void Trainer::set_training(const TrainingConfig& training) {
    validate_training(training);  // the training fields depend on nothing else in the config
    const bool new_optimizer = training.optimizer != config_.training.optimizer;
    config_.training = training;
    if (new_optimizer) optimizer_ = Optimizer(training, network_.params().size());
    else optimizer_.set_hyperparameters(training);
    const std::size_t widest = std::max<std::size_t>(kChunk, static_cast<std::size_t>(training.batch_size));
    if (X_.size() < widest * network_.inputs()) X_.resize(widest * network_.inputs());
    if (dlogits_.size() < widest * network_.outputs()) dlogits_.resize(widest * network_.outputs());
    clear_divergence();
}

void Trainer::set_live_config(const ExperimentConfig& next) {
    const ExperimentConfig& now = config_;
    if (!(next.data == now.data) || next.seed != now.seed)
        throw ConfigError("changing the data or the seed needs a new network (reset)");
    if (next.network.hidden.size() != now.network.hidden.size() || next.network.head != now.network.head ||
        !(next.network.init == now.network.init) ||
        (!now.network.features.empty() && next.network.features != now.network.features))
        throw ConfigError("changing the network's shape needs a new network (reset)");
    for (std::size_t l = 0; l < now.network.hidden.size(); ++l) {
        const LayerConfig& a = next.network.hidden[l];
        const LayerConfig& b = now.network.hidden[l];
        if (a.units != b.units || a.activation != b.activation ||
            (a.activation == Activation::formula && a.formula != b.formula))
            throw ConfigError("changing layer " + std::to_string(l) + "'s units or activation needs a reset");
    }
    validate_config(next);  // before anything changes, so a refusal leaves the trainer as it was
    set_training(next.training);
    for (std::size_t l = 0; l < next.network.hidden.size(); ++l)
        if (!(next.network.hidden[l].params == now.network.hidden[l].params))
            set_activation_params(l, next.network.hidden[l].params);
}

// The typed setters change one field of a copy and go through set_training: one validation, one place
// that applies training settings, and a refusal (thrown before anything changes) leaves the trainer as is.
void Trainer::set_learning_rate(double rate) {
    TrainingConfig t = config_.training;
    t.learning_rate = rate;
    set_training(t);
}

void Trainer::set_batch_size(int size) {
    TrainingConfig t = config_.training;
    t.batch_size = size;
    set_training(t);
}

void Trainer::set_optimizer(OptimizerKind kind) {
    TrainingConfig t = config_.training;
    t.optimizer = kind;
    set_training(t);
}

void Trainer::set_regularization(Regularization kind, double rate) {
    TrainingConfig t = config_.training;
    t.regularization = kind;
    t.regularization_rate = rate;
    set_training(t);
}

void Trainer::set_clip_norm(double norm) {
    TrainingConfig t = config_.training;
    t.clip_norm = norm;
    set_training(t);
}

void Trainer::set_optimizer_param(std::string_view name, double value) {
    TrainingConfig t = config_.training;
    if (name == "momentum") t.momentum = value;
    else if (name == "rho") t.rho = value;
    else if (name == "beta1") t.beta1 = value;
    else if (name == "beta2") t.beta2 = value;
    else if (name == "epsilon") t.epsilon = value;
    else throw ConfigError("optimizer parameter must be one of momentum, rho, beta1, beta2, epsilon; got " + echo_string(name));
    set_training(t);
}

void Trainer::set_activation_params(std::size_t layer, const ActivationParams& params) {
    const std::size_t layers = network_.hidden_layers();
    if (layer >= layers)
        throw ConfigError(layers == 0 ? "layer " + std::to_string(layer) + ": the network has no hidden layer"
                                      : "layer must be 0.." + std::to_string(layers - 1) + ", got " + std::to_string(layer));
    LayerConfig& l = config_.network.hidden[layer];
    validate_activation_params("network.hidden[" + std::to_string(layer) + "]", l.activation, params);
    l.params = params;
    network_.set_activation_params(layer, params);
}

void Trainer::set_relu_grad_at_zero(double g) {
    validate_relu_grad_at_zero("network.hidden[*]", g);
    for (std::size_t l = 0; l < network_.hidden_layers(); ++l) {
        config_.network.hidden[l].params.relu_grad_at_zero = g;
        network_.set_activation_params(l, config_.network.hidden[l].params);
    }
}

void Trainer::set_parameter(std::int64_t index, double value) {
    auto p = network_.params();
    if (index < 0 || static_cast<std::uint64_t>(index) >= p.size())
        throw ConfigError("params index must be 0.." + std::to_string(p.size() - 1) + ", got " + std::to_string(index));
    if (!std::isfinite(value))
        throw ConfigError("params[" + std::to_string(index) + "] must be finite, got " + non_finite_word(value));
    p[static_cast<std::size_t>(index)] = value;
}

void Trainer::set_parameters(std::span<const double> values) {
    auto p = network_.params();
    if (values.size() != p.size())
        throw ConfigError("params must have " + std::to_string(p.size()) + " values, got " + std::to_string(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i])) throw ConfigError("params[" + std::to_string(i) + "] must be finite");
    std::copy(values.begin(), values.end(), p.begin());
}

Metrics Trainer::progress() const {
    const double nan = std::nan("");
    return {static_cast<double>(step_), static_cast<double>(epoch_), last_loss_, learning_rate_now(), nan, nan, nan, nan};
}

Metrics Trainer::evaluate() {
    Metrics m = progress();
    const bool classify = data_.problem == ProblemKind::classification;
    auto pass = [&](const std::vector<Point>& pts, double& loss, double& accuracy) {
        std::size_t correct = 0;
        const double sum = loss_sum(pts.data(), pts.size(), classify ? &correct : nullptr);
        const double count = static_cast<double>(pts.size());
        loss = pts.empty() ? std::nan("") : sum / count;
        accuracy = classify && !pts.empty() ? static_cast<double>(correct) / count : std::nan("");
    };
    pass(data_.train, m.train_loss, m.train_accuracy);
    pass(data_.test, m.test_loss, m.test_accuracy);
    return m;
}

void Trainer::predict(const Point* points, std::size_t n, double* out) {
    const std::size_t k = network_.outputs();
    for (std::size_t start = 0; start < n; start += kChunk) {
        const std::size_t m = std::min(kChunk, n - start);
        const double* logits = forward_points(points + start, m);
        head_predict(config_.network.head, logits, m, k, out + start * k);
    }
}

void Trainer::restore(std::int64_t step, std::int64_t epoch, std::size_t cursor, const std::vector<double>& params,
                      std::int64_t optimizer_steps, std::vector<double> m, std::vector<double> v, double last_loss) {
    step_ = step;
    last_loss_ = last_loss;
    epoch_ = epoch;
    shuffle_epoch();
    cursor_ = cursor;
    std::copy(params.begin(), params.end(), network_.params().begin());
    optimizer_.restore(optimizer_steps, std::move(m), std::move(v));
    clear_divergence();
}

}  // namespace ap
