#pragma once
// Optimizers as single loops over the flat parameter and gradient arenas. Update rules follow PyTorch's
// definitions, so a learner can compare with the framework they will use next:
//   sgd       p -= lr g
//   momentum  v = mu v + g;                       p -= lr v
//   nesterov  v = mu v + g;                       p -= lr (g + mu v)
//   rmsprop   s = rho s + (1 - rho) g^2;          p -= lr g / (sqrt(s) + eps)
//   adam      m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
//             p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
#include <cstddef>
#include <cstdint>
#include <vector>

#include "config.hpp"

namespace ap {

class Optimizer {
public:
    Optimizer(const TrainingConfig& config, std::size_t parameters);

    // One update of p (n) from g (n) at learning rate lr.
    void step(double* p, const double* g, std::size_t n, double lr);

    // Hyper-parameters may change between steps without resetting the state (live changes).
    void set_hyperparameters(const TrainingConfig& config);

    OptimizerKind kind() const { return kind_; }
    std::int64_t steps() const { return t_; }
    // State for serialisation: first and second moments (empty when the optimizer keeps none) and b^t.
    std::vector<double>& first_moment() { return m_; }
    std::vector<double>& second_moment() { return v_; }
    const std::vector<double>& first_moment() const { return m_; }
    const std::vector<double>& second_moment() const { return v_; }
    void restore(std::int64_t steps, std::vector<double> m, std::vector<double> v);

private:
    OptimizerKind kind_;
    double mu_, rho_, beta1_, beta2_, eps_;
    std::vector<double> m_, v_;
    std::int64_t t_ = 0;
};

}  // namespace ap
