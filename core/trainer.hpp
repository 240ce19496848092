#pragma once
// A training run: the data, the network, the optimizer and the step counter, all from one
// ExperimentConfig. Same config and seed, same weights and same losses, natively and in wasm.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "dataset.hpp"
#include "network.hpp"
#include "optimizer.hpp"
#include "update_guard.hpp"

namespace ap {

// Independent random streams of one seed (Rng::stream), so changing one choice does not shift another.
enum RngPurpose : std::uint64_t { kRngData = 1, kRngInit = 2, kRngShuffle = 1000 /* + epoch */ };

struct Metrics {
    double step = 0, epoch = 0;          // doubles: exact to 2^53, and what the page reads
    double batch_loss = 0;               // data loss of the last mini-batch
    double learning_rate = 0;            // the schedule's rate for the next step
    double train_loss = 0, test_loss = 0;
    double train_accuracy = 0, test_accuracy = 0;  // NaN for regression
};

class Trainer {
public:
    explicit Trainer(const ExperimentConfig& config);  // throws ConfigError on invalid config

    const ExperimentConfig& config() const { return config_; }
    const Dataset& data() const { return data_; }
    Network& network() { return network_; }
    const Network& network() const { return network_; }
    Optimizer& optimizer() { return optimizer_; }
    const Optimizer& optimizer() const { return optimizer_; }

    std::int64_t step() const { return step_; }
    std::int64_t epoch() const { return epoch_; }
    std::size_t cursor() const { return cursor_; }       // position in this epoch's shuffled order
    double last_loss() const { return last_loss_; }      // data loss of the last mini-batch
    double learning_rate_now() const;                    // the schedule's rate for the next step

    // Trains up to n mini-batch steps; stops early, keeping the last finite parameters, when the loss, a
    // gradient or a parameter stops being finite. Returns the steps taken.
    int train_steps(int n);
    int train_epochs(int n);
    bool diverged() const { return !divergence_.empty(); }
    const std::string& divergence_reason() const { return divergence_; }  // "loss became NaN at step 412"
    void clear_divergence() { divergence_.clear(); }

    // Live changes, without a reset: rates, regularisation, clipping, schedule, optimizer hyper-parameters.
    // Changing the optimizer's kind starts its state afresh. Throws ConfigError when out of range.
    void set_training(const TrainingConfig& training);
    // The live part of a whole (validated) config: its training settings and activation parameters. A
    // change to the data, the seed or the network's shape is refused: it needs a new Trainer.
    void set_live_config(const ExperimentConfig& next);
    // One setting each, for the page's controls: each is validated once, by the same check as a config
    // (so the message names the config field, e.g. "training.learning_rate must be 0..1000000, got -1"),
    // and a refused value leaves the trainer exactly as it was. None of them evaluates the data.
    void set_learning_rate(double rate);
    void set_batch_size(int size);
    void set_optimizer(OptimizerKind kind);  // a different kind starts afresh; the same kind keeps its state
    void set_regularization(Regularization kind, double rate);
    void set_clip_norm(double norm);
    // name: momentum, rho, beta1, beta2 or epsilon; the optimizer keeps its moments.
    void set_optimizer_param(std::string_view name, double value);
    void set_activation_params(std::size_t layer, const ActivationParams& params);
    void set_relu_grad_at_zero(double g);  // every hidden layer's f'(0)
    // One weight, bias or PReLU slope (index into network().params(), layout in network().layers()).
    void set_parameter(std::int64_t index, double value);
    // Every parameter at once; a wrong count or a non-finite value is refused with nothing changed.
    void set_parameters(std::span<const double> values);

    // progress(): step, epoch, batch loss and rate, at no cost (the full-set figures are NaN);
    // evaluate(): those plus the losses and accuracies over the whole training and test sets.
    Metrics progress() const;
    Metrics evaluate();

    // For gradient checks and diagnostics: the objective (data loss + regularisation penalty) over the
    // given points, and its gradient left in network().grads().
    double objective(const Point* points, std::size_t n);
    double compute_gradients(const Point* points, std::size_t n);

    // Head outputs for n points: (n, k) with k = network().outputs().
    void predict(const Point* points, std::size_t n, double* out);
    // Raw logits through the network for the same points (chunked; the network keeps the last chunk).
    std::size_t outputs() const { return network_.outputs(); }

    // Restores a saved state (serialisation): parameters, optimizer state and position in the data.
    // last_loss: the batch loss progress() reports (a model file does not keep it: 0 then).
    void restore(std::int64_t step, std::int64_t epoch, std::size_t cursor, const std::vector<double>& params,
                 std::int64_t optimizer_steps, std::vector<double> m, std::vector<double> v, double last_loss = 0);

private:
    const double* forward_points(const Point* points, std::size_t n);
    double forward_loss(const Point* points, std::size_t n, double* dlogits);
    void backward_regularised();
    double loss_sum(const Point* points, std::size_t n, std::size_t* correct);
    double regularisation_penalty() const;
    void add_regularisation_gradient();
    double clip_gradients();
    void next_batch();
    void shuffle_epoch();
    bool try_step();

    ExperimentConfig config_;
    Dataset data_;
    Network network_;
    Optimizer optimizer_;
    std::int64_t step_ = 0, epoch_ = 0;
    std::size_t cursor_ = 0;
    std::vector<std::uint32_t> order_;   // (train) this epoch's shuffled indices
    std::vector<Point> batch_;           // (batch) points of the current mini-batch
    std::vector<double> X_;              // (chunk, inputs) feature scratch
    std::vector<double> dlogits_;        // (chunk, outputs)
    UpdateGuard guard_;                  // applies each update, undoing one that overflows
    double last_loss_ = 0;
    std::string divergence_;
};

}  // namespace ap
