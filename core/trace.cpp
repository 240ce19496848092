#include "trace.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "diagnostics.hpp"
#include "error.hpp"
#include "features.hpp"
#include "loss.hpp"

namespace ap {

static void check_point(const Trainer& trainer, const Point& p) {
    if (!std::isfinite(p.x1)) throw ConfigError("point.x1 must be finite");
    if (!std::isfinite(p.x2)) throw ConfigError("point.x2 must be finite");
    if (!std::isfinite(p.label)) throw ConfigError("point.label must be finite");
    const Dataset& d = trainer.data();
    if (d.problem == ProblemKind::classification &&
        (p.label != std::floor(p.label) || p.label < 0 || p.label >= d.classes))
        throw ConfigError("point.label must be a class 0.." + std::to_string(d.classes - 1) + ", got " +
                          std::to_string(p.label));
}

Trace trace_point(const Trainer& trainer, const Point& point) {
    check_point(trainer, point);
    // A copy, so the trainer's gradient buffer and cached activations stay those of its last step.
    Network net = trainer.network();
    const auto& shapes = net.layers();
    const Head head = trainer.config().network.head;
    const std::size_t inputs = net.inputs(), k = net.outputs();

    Trace t;
    t.point = point;
    t.step = trainer.step();
    t.outputs = k;
    // The arena: features, each layer's seven unit arrays and its dW, then the prediction.
    std::size_t size = inputs;
    for (const auto& s : shapes) size += 7 * s.out + s.in * s.out;
    t.values.assign(size + k, 0.0);
    t.features = 0;
    map_features(trainer.config().network.features, &point, 1, t.values.data());

    // The training step's path on a batch of one: forward, the head's loss and dlogits, backward.
    const double* logits = net.forward(t.values.data(), 1);
    std::vector<double> dlogits(k);
    t.loss = head_loss(head, logits, &point, 1, k, dlogits.data());
    BackwardRecord record;
    net.backward(t.values.data(), dlogits.data(), &record);

    std::size_t at = inputs;
    for (std::size_t l = 0; l < shapes.size(); ++l) {
        const LayerShape& s = shapes[l];
        TraceLayer tl;
        tl.in = s.in;
        tl.out = s.out;
        tl.activation = s.activation;
        tl.z = at; tl.a = at + s.out; tl.slope = at + 2 * s.out; tl.on = at + 3 * s.out;
        tl.da = at + 4 * s.out; tl.dz = at + 5 * s.out; tl.db = at + 6 * s.out; tl.dw = at + 7 * s.out;
        at = tl.dw + s.in * s.out;
        double* v = t.values.data();
        std::copy_n(net.pre_activations(l), s.out, v + tl.z);
        std::copy_n(net.activations(l), s.out, v + tl.a);
        net.activation_slopes(l, v + tl.z, v + tl.a, 1, v + tl.slope);
        for (std::size_t j = 0; j < s.out; ++j) v[tl.on + j] = std::fabs(v[tl.slope + j]) > kSaturatedSlope ? 1.0 : 0.0;
        std::copy_n(record.dA[l].data(), s.out, v + tl.da);
        std::copy_n(record.dZ[l].data(), s.out, v + tl.dz);
        const auto g = net.grads();
        std::copy_n(g.data() + s.b, s.out, v + tl.db);
        std::copy_n(g.data() + s.w, s.in * s.out, v + tl.dw);
        t.layers.push_back(tl);
    }
    t.prediction = at;
    head_predict(head, logits, 1, k, t.values.data() + t.prediction);
    return t;
}

}  // namespace ap
