#pragma once
// One point through the network, for the page's "trace a point": the forward pass (every unit's
// pre-activation z, output a, slope f'(z) and whether it is on) and the backward pass of a training step
// on a batch of that one point (dLoss/da, dLoss/dz per unit, dLoss/dW per edge, dLoss/db), computed by the
// same Network::forward and Network::backward a training step runs, on a copy of the current weights.
//
// The loss is the run's head on that point alone (the data loss); the regularisation penalty is left out
// (it depends on the weights, not on the point, and would add rate * sign(w) or rate * w to every dW).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "activation.hpp"
#include "trainer.hpp"

namespace ap {

// Where one layer's numbers sit in Trace::values. Every array below has `out` entries except dw.
struct TraceLayer {
    std::size_t in = 0, out = 0;
    Activation activation = Activation::identity;
    std::size_t z = 0;      // pre-activation z = a_prev W + b
    std::size_t a = 0;      // output f(z) (the output layer is linear: a = z, the logits)
    std::size_t slope = 0;  // f'(z) with the layer's conventions (PReLU: its learned slope for z < 0)
    std::size_t on = 0;     // 1 where |f'(z)| > kSaturatedSlope (the unit passes gradient back), else 0
    std::size_t da = 0;     // dLoss/da
    std::size_t dz = 0;     // dLoss/dz = dLoss/da * f'(z)
    std::size_t db = 0;     // dLoss/db (= dz for one point)
    std::size_t dw = 0;     // dLoss/dW (in, out), row-major by input like the network's W
};

struct Trace {
    Point point;
    std::int64_t step = 0;            // the trainer's step: the weights traced are those after it
    double loss = 0;                  // the head's loss on this point alone
    std::size_t features = 0;         // values[0, features): what the first layer sees
    std::size_t prediction = 0;       // values[prediction, + outputs): the head's output (head_predict)
    std::size_t outputs = 0;
    std::vector<TraceLayer> layers;   // hidden layers, then the output layer
    std::vector<double> values;       // every array above, one arena
};

// Traces `point` (x1, x2 and its label: a class index for classification, the target for regression)
// through the trainer's current network. Leaves the trainer untouched. Throws ConfigError naming
// point.x1, point.x2 or point.label when one is not finite or the label is not one of the run's classes.
Trace trace_point(const Trainer& trainer, const Point& point);

}  // namespace ap
