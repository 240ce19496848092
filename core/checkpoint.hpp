#pragma once
// A run's whole training state in binary, for time travel (timeline.hpp): the parameters, the optimizer's
// moments and step count, the position in the data (step, epoch, shuffle cursor) and the live settings
// (training config, each hidden layer's activation parameters). Restoring one into a Trainer of the same
// config continues bit for bit as the run it was captured from. Cheap next to the model JSON: raw doubles.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "config.hpp"
#include "trainer.hpp"

namespace ap {

struct Checkpoint {
    std::int64_t step = 0, epoch = 0;
    std::size_t cursor = 0;                    // position in this epoch's shuffled order
    double last_loss = 0;                      // the last mini-batch's loss, as progress() reports it
    TrainingConfig training;                   // the live settings at this step
    std::vector<ActivationParams> activation;  // (hidden layers) each layer's alpha, beta, f'(0)
    std::vector<double> params;                // (params)
    std::int64_t optimizer_steps = 0;
    std::vector<double> m, v;  // (params) or empty: the optimizer's moments
    bool pinned = false;       // a live change happened at this step: never thinned

    std::size_t bytes() const;  // memory it holds, struct included
};

Checkpoint capture(const Trainer& trainer);

// Puts the trainer back in the captured state (settings first, so a different optimizer kind gets its
// state back too). The trainer must have been made from the same config (shape, data, seed).
void restore(Trainer& trainer, const Checkpoint& checkpoint);

}  // namespace ap
