// embind bindings: translation only. Each call converts arguments, calls the core, catches its errors and
// returns them as values (an empty string means success), and hands bulk results to JS as typed-array views
// of memory the core owns. playground.mjs wraps this into the JS API and turns error strings into Errors.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <exception>
#include <malloc.h>
#include <memory>
#include <string>
#include <vector>

#include "activation.hpp"
#include "diagnostics.hpp"
#include "error.hpp"
#include "grid.hpp"
#include "serialize.hpp"
#include "trainer.hpp"

using emscripten::val;

namespace {

template <typename F>
std::string guarded(F&& f) {
    try {
        f();
        return {};
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unexpected error in the core";
    }
}

template <typename T>
val view_of(const std::vector<T>& v) {
    return val(emscripten::typed_memory_view(v.size(), v.data()));
}

std::string need_session() { return "no network yet: configure the session first"; }

class Session {
public:
    std::string configure(const std::string& json) {
        return guarded([&] { trainer_ = std::make_unique<ap::Trainer>(ap::config_from_json(json)); });
    }
    std::string importModel(const std::string& json) {
        return guarded([&] { trainer_ = ap::model_from_json(json); });
    }
    std::string exportModel() const { return trainer_ ? ap::model_to_json(*trainer_, -1) : ""; }
    std::string exportConfig() const { return trainer_ ? ap::config_to_json(trainer_->config(), -1) : ""; }

    // Live changes: training settings and activation parameters, without a reset.
    std::string update(const std::string& json) {
        if (!trainer_) return need_session();
        return guarded([&] {
            const ap::ExperimentConfig next = ap::config_from_json(json);
            const ap::ExperimentConfig& now = trainer_->config();
            if (!(next.data == now.data) || next.seed != now.seed)
                throw ap::ConfigError("changing the data or the seed needs a new network (reset)");
            if (next.network.hidden.size() != now.network.hidden.size() || next.network.head != now.network.head ||
                !(next.network.init == now.network.init) ||
                (!now.network.features.empty() && next.network.features != now.network.features))
                throw ap::ConfigError("changing the network's shape needs a new network (reset)");
            for (std::size_t l = 0; l < now.network.hidden.size(); ++l) {
                const auto& a = next.network.hidden[l];
                const auto& b = now.network.hidden[l];
                if (a.units != b.units || a.activation != b.activation)
                    throw ap::ConfigError("changing layer " + std::to_string(l) + "'s units or activation needs a reset");
            }
            ap::validate_config(next);
            trainer_->set_training(next.training);
            for (std::size_t l = 0; l < next.network.hidden.size(); ++l)
                if (!(next.network.hidden[l].params == now.network.hidden[l].params))
                    trainer_->set_activation_params(l, next.network.hidden[l].params);
        });
    }

    int train(int steps) {
        if (!trainer_ || steps <= 0) return 0;
        return trainer_->train_steps(steps > kMaxStepsPerCall ? kMaxStepsPerCall : steps);
    }

    // Trains in small slices until the time budget is spent: the page's frame budget, measured in wasm.
    int trainFor(double ms, int max_steps) {
        if (!trainer_ || !(ms > 0) || max_steps <= 0) return 0;
        if (max_steps > kMaxStepsPerCall) max_steps = kMaxStepsPerCall;
        const double end = emscripten_get_now() + (ms < 10000 ? ms : 10000);
        int done = 0;
        while (done < max_steps && !trainer_->diverged() && emscripten_get_now() < end) {
            const int slice = max_steps - done < 8 ? max_steps - done : 8;
            const int n = trainer_->train_steps(slice);
            done += n;
            if (n < slice) break;
        }
        return done;
    }

    std::string divergence() const { return trainer_ ? trainer_->divergence_reason() : ""; }
    void clearDivergence() { if (trainer_) trainer_->clear_divergence(); }

    val metrics() {
        val m = val::object();
        if (!trainer_) return m;
        const ap::Metrics x = trainer_->evaluate();
        m.set("step", static_cast<double>(trainer_->step()));
        m.set("epoch", static_cast<double>(trainer_->epoch()));
        m.set("batchLoss", trainer_->last_loss());
        m.set("learningRate", trainer_->learning_rate_now());
        m.set("trainLoss", x.train_loss);
        m.set("testLoss", x.test_loss);
        m.set("trainAccuracy", x.train_accuracy);
        m.set("testAccuracy", x.test_accuracy);
        return m;
    }

    val diagnostics(int bins) {
        val out = val::object();
        if (!trainer_) return out;
        std::string error = guarded([&] {
            if (bins < 1 || bins > 1000) throw ap::ConfigError("histogram bins must be 1..1000, got " + std::to_string(bins));
            diagnostics_ = ap::compute_diagnostics(*trainer_, static_cast<std::size_t>(bins));
        });
        if (!error.empty()) { out.set("error", error); return out; }
        out.set("step", static_cast<double>(diagnostics_.step));
        val layers = val::array();
        for (const auto& d : diagnostics_.layers) {
            val l = val::object();
            l.set("units", static_cast<double>(d.units));
            l.set("gradNorm", d.grad_norm);
            l.set("gradMeanAbs", d.grad_mean_abs);
            l.set("weightNorm", d.weight_norm);
            l.set("sparsity", d.sparsity);
            l.set("zeroPreActivations", static_cast<double>(d.zero_pre_activations));
            l.set("deadUnits", static_cast<double>(d.dead_units));
            l.set("saturatedUnits", static_cast<double>(d.saturated_units));
            l.set("dead", val::global("Uint8Array").call<val>("from", view_of(d.dead)));
            l.set("saturated", val::global("Uint8Array").call<val>("from", view_of(d.saturated)));
            l.set("histogramLo", d.pre_activations.lo);
            l.set("histogramHi", d.pre_activations.hi);
            l.set("histogram", val::global("Uint32Array").call<val>("from", view_of(d.pre_activations.counts)));
            layers.call<void>("push", l);
        }
        out.set("layers", layers);
        return out;
    }

    // The architecture, for drawing the network: one entry per layer (hidden layers, then the output).
    val layers() const {
        val out = val::array();
        if (!trainer_) return out;
        for (const auto& s : trainer_->network().layers()) {
            val l = val::object();
            l.set("inputs", static_cast<double>(s.in));
            l.set("units", static_cast<double>(s.out));
            l.set("weightOffset", static_cast<double>(s.w));
            l.set("biasOffset", static_cast<double>(s.b));
            l.set("alphaOffset", s.has_alpha ? static_cast<double>(s.alpha) : -1.0);
            l.set("activation", std::string(ap::activation_name(s.activation)));
            out.call<void>("push", l);
        }
        return out;
    }

    std::string predictGrid(int w, int h, double x0, double x1, double y0, double y1) {
        if (!trainer_) return need_session();
        return guarded([&] { ap::predict_grid(*trainer_, ap::GridSpec{w, h, x0, x1, y0, y1}, grid_); });
    }
    val gridView() const { return view_of(grid_); }

    std::string unitGrids(int w, int h, double x0, double x1, double y0, double y1) {
        if (!trainer_) return need_session();
        return guarded([&] { ap::hidden_unit_grids(*trainer_, ap::GridSpec{w, h, x0, x1, y0, y1}, units_); });
    }
    val unitGridsView() const { return view_of(units_); }

    // Parameters: JS reads them through a view; to set them it writes a staging buffer, then commits,
    // so a wrong length or a non-finite value is refused with the network left as it was.
    val paramsView() {
        if (!trainer_) return val::null();
        auto p = trainer_->network().params();
        return val(emscripten::typed_memory_view(p.size(), p.data()));
    }
    val gradsView() {
        if (!trainer_) return val::null();
        auto g = trainer_->network().grads();
        return val(emscripten::typed_memory_view(g.size(), g.data()));
    }
    // Only a buffer of the network's own size is ever allocated (bounded by the config's limits): any other
    // length is remembered and refused at commit, so a caller's huge n cannot grow wasm memory.
    val stagingView(int n) {
        staging_requested_ = n;
        const std::size_t size = trainer_ ? trainer_->network().params().size() : 0;
        staging_.assign(n >= 0 && static_cast<std::size_t>(n) == size ? size : 0, 0.0);
        return view_of(staging_);
    }
    std::string commitParams() {
        if (!trainer_) return need_session();
        return guarded([&] {
            auto p = trainer_->network().params();
            if (staging_requested_ < 0 || static_cast<std::size_t>(staging_requested_) != p.size())
                throw ap::ConfigError("params must have " + std::to_string(p.size()) + " values, got " +
                                      std::to_string(staging_requested_));
            for (std::size_t i = 0; i < staging_.size(); ++i)
                if (!std::isfinite(staging_[i]))
                    throw ap::ConfigError("params[" + std::to_string(i) + "] must be finite");
            std::copy(staging_.begin(), staging_.end(), p.begin());
        });
    }

    // The data points: (n, 3) rows of x1, x2, label.
    val pointsView(bool test) {
        points_.clear();
        if (trainer_)
            for (const auto& p : test ? trainer_->data().test : trainer_->data().train) {
                points_.push_back(p.x1);
                points_.push_back(p.x2);
                points_.push_back(p.label);
            }
        return view_of(points_);
    }

    int outputs() const { return trainer_ ? static_cast<int>(trainer_->outputs()) : 0; }
    double step() const { return trainer_ ? static_cast<double>(trainer_->step()) : 0; }
    double epoch() const { return trainer_ ? static_cast<double>(trainer_->epoch()) : 0; }

private:
    static constexpr int kMaxStepsPerCall = 1000000;
    std::unique_ptr<ap::Trainer> trainer_;
    ap::Diagnostics diagnostics_;
    std::vector<float> grid_;     // (h, w, k)
    std::vector<float> units_;    // (hidden units, h, w)
    std::vector<double> staging_; // (params)
    int staging_requested_ = 0;   // the length stagingView was asked for
    std::vector<double> points_;  // (n, 3)
};

// ---- Activations, for the explorer ----

std::vector<double> curve_;  // (3, n): x, then f(x), then f'(x)

val activationNames() {
    val out = val::array();
    for (ap::Activation a : ap::all_activations()) out.call<void>("push", std::string(ap::activation_name(a)));
    return out;
}

// Fills x, f(x), f'(x) for n evenly spaced x over [from, to]; returns "" or the error.
std::string curve(const std::string& name, double alpha, double beta, double grad_at_zero, double from, double to,
                  int n) {
    return guarded([&] {
        const auto kind = ap::activation_from_name(name);
        if (!kind) throw ap::ConfigError("unknown activation '" + name + "'");
        if (n < 2 || n > 100000) throw ap::ConfigError("curve points must be 2..100000, got " + std::to_string(n));
        if (!(from < to) || !std::isfinite(from) || !std::isfinite(to))
            throw ap::ConfigError("curve range must be finite and increasing");
        const ap::ActivationParams p{alpha, beta, grad_at_zero};
        ap::validate_activation_params(name, *kind, p);
        curve_.resize(3 * static_cast<std::size_t>(n));
        double* x = curve_.data();
        for (int i = 0; i < n; ++i) x[i] = from + (to - from) * i / (n - 1);
        ap::activate_batch(*kind, p, x, x + n, x + 2 * n, static_cast<std::size_t>(n));
    });
}
val curveView() { return view_of(curve_); }

val activationInfo(const std::string& name) {
    val out = val::object();
    const auto kind = ap::activation_from_name(name);
    if (!kind) return val::null();
    const ap::ActivationParams d = ap::default_params(*kind);
    out.set("name", name);
    out.set("usesAlpha", ap::uses_alpha(*kind));
    out.set("usesBeta", ap::uses_beta(*kind));
    out.set("reluFamily", ap::is_relu_family(*kind));
    out.set("saturating", ap::is_saturating(*kind));
    out.set("defaultAlpha", d.alpha);
    out.set("defaultBeta", d.beta);
    val k = val::array();
    for (double x : ap::kinks(*kind, d)) k.call<void>("push", x);
    out.set("kinks", k);
    return out;
}

val kinksOf(const std::string& name, double alpha, double beta) {
    val out = val::array();
    const auto kind = ap::activation_from_name(name);
    if (!kind) return out;
    for (double x : ap::kinks(*kind, ap::ActivationParams{alpha, beta, 0})) out.call<void>("push", x);
    return out;
}

std::string defaultConfig() { return ap::config_to_json(ap::ExperimentConfig{}, -1); }

// Bytes the allocator holds for live objects: flat across create/train/delete cycles if nothing leaks.
double heapInUse() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(activation_playground) {
    using namespace emscripten;
    class_<Session>("Session")
        .constructor<>()
        .function("configure", &Session::configure)
        .function("importModel", &Session::importModel)
        .function("exportModel", &Session::exportModel)
        .function("exportConfig", &Session::exportConfig)
        .function("update", &Session::update)
        .function("train", &Session::train)
        .function("trainFor", &Session::trainFor)
        .function("divergence", &Session::divergence)
        .function("clearDivergence", &Session::clearDivergence)
        .function("metrics", &Session::metrics)
        .function("diagnostics", &Session::diagnostics)
        .function("layers", &Session::layers)
        .function("predictGrid", &Session::predictGrid)
        .function("gridView", &Session::gridView)
        .function("unitGrids", &Session::unitGrids)
        .function("unitGridsView", &Session::unitGridsView)
        .function("paramsView", &Session::paramsView)
        .function("gradsView", &Session::gradsView)
        .function("stagingView", &Session::stagingView)
        .function("commitParams", &Session::commitParams)
        .function("pointsView", &Session::pointsView)
        .function("outputs", &Session::outputs)
        .function("step", &Session::step)
        .function("epoch", &Session::epoch);
    function("activationNames", &activationNames);
    function("activationInfo", &activationInfo);
    function("kinksOf", &kinksOf);
    function("curve", &curve);
    function("curveView", &curveView);
    function("defaultConfig", &defaultConfig);
    function("heapInUse", &heapInUse);
}
