#include "checkpoint.hpp"

#include <cassert>

namespace ap {

std::size_t Checkpoint::bytes() const {
    return sizeof(Checkpoint) + activation.capacity() * sizeof(ActivationParams) +
           (params.capacity() + m.capacity() + v.capacity()) * sizeof(double);
}

Checkpoint capture(const Trainer& trainer) {
    Checkpoint c;
    c.step = trainer.step();
    c.epoch = trainer.epoch();
    c.cursor = trainer.cursor();
    c.last_loss = trainer.last_loss();
    c.training = trainer.config().training;
    for (const LayerConfig& l : trainer.config().network.hidden) c.activation.push_back(l.params);
    const auto p = trainer.network().params();
    c.params.assign(p.begin(), p.end());
    c.optimizer_steps = trainer.optimizer().steps();
    c.m = trainer.optimizer().first_moment();
    c.v = trainer.optimizer().second_moment();
    return c;
}

void restore(Trainer& trainer, const Checkpoint& c) {
    assert(c.params.size() == trainer.network().params().size());
    assert(c.activation.size() == trainer.network().hidden_layers());
    trainer.set_training(c.training);
    for (std::size_t l = 0; l < c.activation.size(); ++l)
        if (!(trainer.config().network.hidden[l].params == c.activation[l]))
            trainer.set_activation_params(l, c.activation[l]);
    trainer.restore(c.step, c.epoch, c.cursor, c.params, c.optimizer_steps, c.m, c.v, c.last_loss);
}

}  // namespace ap
