#include "optimizer.hpp"

#include <cmath>
#include <utility>

#include "power.hpp"

namespace ap {


Optimizer::Optimizer(const TrainingConfig& config, std::size_t parameters) : kind_(config.optimizer) {
    set_hyperparameters(config);
    if (kind_ != OptimizerKind::sgd) m_.assign(parameters, 0.0);
    if (kind_ == OptimizerKind::adam) v_.assign(parameters, 0.0);
}

void Optimizer::set_hyperparameters(const TrainingConfig& config) {
    mu_ = config.momentum;
    rho_ = config.rho;
    beta1_ = config.beta1;
    beta2_ = config.beta2;
    eps_ = config.epsilon;
}

void Optimizer::restore(std::int64_t steps, std::vector<double> m, std::vector<double> v) {
    t_ = steps;
    m_ = std::move(m);
    v_ = std::move(v);
}

void Optimizer::step(double* p, const double* g, std::size_t n, double lr) {
    ++t_;
    switch (kind_) {
        case OptimizerKind::sgd:
            for (std::size_t i = 0; i < n; ++i) p[i] -= lr * g[i];
            return;
        case OptimizerKind::momentum:
            for (std::size_t i = 0; i < n; ++i) {
                m_[i] = mu_ * m_[i] + g[i];
                p[i] -= lr * m_[i];
            }
            return;
        case OptimizerKind::nesterov:
            for (std::size_t i = 0; i < n; ++i) {
                m_[i] = mu_ * m_[i] + g[i];
                p[i] -= lr * (g[i] + mu_ * m_[i]);
            }
            return;
        case OptimizerKind::rmsprop:
            for (std::size_t i = 0; i < n; ++i) {
                m_[i] = rho_ * m_[i] + (1.0 - rho_) * g[i] * g[i];
                p[i] -= lr * g[i] / (std::sqrt(m_[i]) + eps_);
            }
            return;
        case OptimizerKind::adam: {
            const auto t = static_cast<std::uint64_t>(t_);
            const double c1 = 1.0 - integer_power(beta1_, t), c2 = 1.0 - integer_power(beta2_, t);
            for (std::size_t i = 0; i < n; ++i) {
                m_[i] = beta1_ * m_[i] + (1.0 - beta1_) * g[i];
                v_[i] = beta2_ * v_[i] + (1.0 - beta2_) * g[i] * g[i];
                p[i] -= lr * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + eps_);
            }
            return;
        }
    }
}

}  // namespace ap
