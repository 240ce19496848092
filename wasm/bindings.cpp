// embind bindings: translation only. Each call converts arguments, calls the core, catches its errors and
// returns them as values (an empty string means success), and hands bulk results to JS as typed-array views
// of memory the core owns. Structs cross as plain JS objects (value_object, declared at the bottom).
// playground.mjs wraps this into the JS API and turns error strings into Errors.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <malloc.h>
#include <memory>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "diagnostics.hpp"
#include "error.hpp"
#include "formula.hpp"
#include "grid.hpp"
#include "hidden_space.hpp"
#include "serialize.hpp"
#include "trace.hpp"
#include "timeline.hpp"
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

class Session {
public:
    std::string configure(const std::string& json) {
        return guarded([&] { adopt(std::make_unique<ap::Trainer>(ap::config_from_json(json))); });
    }
    std::string importModel(const std::string& json) {
        return guarded([&] { adopt(ap::model_from_json(json)); });
    }
    // The snapshots' memory for time travel (core/timeline.hpp), from the current step on: 0 keeps none.
    std::string setSnapshotBudget(double bytes) {
        if (!trainer_) return "no network yet: configure the session first";
        if (!(bytes >= 0 && bytes <= static_cast<double>(ap::kSnapshotBudgetBytes)))
            return "snapshot budget must be 0.." + std::to_string(ap::kSnapshotBudgetBytes) + " bytes";
        return guarded([&] { timeline_ = std::make_unique<ap::Timeline>(*trainer_, static_cast<std::size_t>(bytes)); });
    }
    std::string exportModel() const { return trainer_ ? ap::model_to_json(*trainer_, -1) : ""; }
    std::string exportConfig() const { return trainer_ ? ap::config_to_json(trainer_->config(), -1) : ""; }

    // A whole config's live part (training settings, activation parameters); refuses other changes.
    std::string update(const std::string& json) {
        return change([&](ap::Trainer& t) { t.set_live_config(ap::config_from_json(json)); });
    }

    // Typed live changes: one value each, validated once by the core.
    std::string setLearningRate(double x) { return change([&](ap::Trainer& t) { t.set_learning_rate(x); }); }
    std::string setBatchSize(int n) { return change([&](ap::Trainer& t) { t.set_batch_size(n); }); }
    std::string setOptimizer(const std::string& name) {
        return change([&](ap::Trainer& t) { t.set_optimizer(ap::optimizer_named("training.optimizer", name)); });
    }
    std::string setRegularization(const std::string& name, double rate) {
        return change([&](ap::Trainer& t) {
            t.set_regularization(ap::regularization_named("training.regularization", name), rate);
        });
    }
    std::string setClipNorm(double x) { return change([&](ap::Trainer& t) { t.set_clip_norm(x); }); }
    std::string setOptimizerParam(const std::string& name, double x) {
        return change([&](ap::Trainer& t) { t.set_optimizer_param(name, x); });
    }
    // alpha, beta (and a formula's a, b): numbers, or undefined to keep the layer's own.
    std::string setActivationParams(int layer, val alpha, val beta, val a, val b) {
        return change([&](ap::Trainer& t) {
            const auto& hidden = t.config().network.hidden;
            const std::size_t l = layer < 0 ? hidden.size() : static_cast<std::size_t>(layer);
            ap::ActivationParams p = l < hidden.size() ? hidden[l].params : ap::ActivationParams{};
            if (!alpha.isUndefined()) p.alpha = alpha.as<double>();
            if (!beta.isUndefined()) p.beta = beta.as<double>();
            if (!a.isUndefined()) p.a = a.as<double>();
            if (!b.isUndefined()) p.b = b.as<double>();
            t.set_activation_params(l, p);
        });
    }
    std::string setReluGradAtZero(double g) { return change([&](ap::Trainer& t) { t.set_relu_grad_at_zero(g); }); }
    std::string setParameter(double index, double x) {
        return change([&](ap::Trainer& t) { t.set_parameter(static_cast<std::int64_t>(index), x); });
    }

    int train(int steps) {
        if (!trainer_ || steps <= 0) return 0;
        return timeline_->train(*trainer_, steps > ap::kMaxStepsPerCall ? ap::kMaxStepsPerCall : steps);
    }

    // Trains in small slices until the time budget is spent: the page's frame budget, measured in wasm.
    int trainFor(double ms, int max_steps) {
        if (!trainer_ || !(ms > 0) || max_steps <= 0) return 0;
        if (max_steps > ap::kMaxStepsPerCall) max_steps = ap::kMaxStepsPerCall;
        const double end = emscripten_get_now() + (ms < 10000 ? ms : 10000);
        int done = 0;
        while (done < max_steps && !trainer_->diverged() && emscripten_get_now() < end) {
            const int slice = max_steps - done < 8 ? max_steps - done : 8;
            const int n = timeline_->train(*trainer_, slice);
            done += n;
            if (n < slice) break;
        }
        return done;
    }

    // Time travel (core/timeline.hpp): show an earlier step exactly; train or change there to branch.
    std::string seek(double step) {
        return live([&](ap::Trainer& t) {
            // playground.mjs checks for a whole number; a value beyond int64 is outside the timeline anyway.
            const double clamped = std::isfinite(step) ? std::clamp(step, -9.0e18, 9.0e18) : -1.0;
            timeline_->seek(t, static_cast<std::int64_t>(clamped));
        });
    }
    // { head, earliest, every, kept, bytes, budget, units, events }
    val timeline() const {
        val v = val::object();
        if (!timeline_) return v;
        v.set("head", static_cast<double>(timeline_->head()));
        v.set("earliest", static_cast<double>(timeline_->earliest()));
        v.set("every", timeline_->every());
        v.set("kept", static_cast<double>(timeline_->checkpoints().size()));
        v.set("bytes", static_cast<double>(timeline_->bytes()));
        v.set("budget", static_cast<double>(timeline_->budget()));
        v.set("units", static_cast<double>(timeline_->units()));
        v.set("events", static_cast<double>(timeline_->unit_events().size()));
        return v;
    }
    // The kept snapshots' steps, and the units' events as (n, 3) rows: step, unit, 1 died / 0 came back.
    val snapshotStepsView() {
        snapshot_steps_.clear();
        if (timeline_)
            for (const auto& c : timeline_->checkpoints()) snapshot_steps_.push_back(static_cast<double>(c.step));
        return view_of(snapshot_steps_);
    }
    val unitEventsView() {
        unit_events_.clear();
        if (timeline_)
            for (const auto& e : timeline_->unit_events())
                unit_events_.insert(unit_events_.end(), {static_cast<double>(e.step), static_cast<double>(e.unit), e.dead ? 1.0 : 0.0});
        return view_of(unit_events_);
    }

    std::string divergence() const { return trainer_ ? trainer_->divergence_reason() : ""; }
    void clearDivergence() { if (trainer_) trainer_->clear_divergence(); }

    val metrics() { return trainer_ ? val(trainer_->evaluate()) : val::object(); }
    val metricsLatest() const { return trainer_ ? val(trainer_->progress()) : val::object(); }

    std::string computeDiagnostics(int bins) {
        return live([&](ap::Trainer& t) { diagnostics_ = ap::compute_diagnostics(t, static_cast<std::size_t>(bins < 0 ? 0 : bins)); });
    }
    val lastDiagnostics() const { return val(diagnostics_); }

    // The architecture, for drawing the network: one entry per layer (hidden layers, then the output).
    val layers() const { return trainer_ ? val::array(trainer_->network().layers()) : val::array(); }

    std::string predictGrid(int w, int h, double x0, double x1, double y0, double y1) {
        return live([&](ap::Trainer& t) { ap::predict_grid(t, ap::GridSpec{w, h, x0, x1, y0, y1}, grid_); });
    }
    val gridView() const { return view_of(grid_); }

    // The same map and, in the same pass, each pixel's pattern hash over the first `layers` hidden layers
    // (negative: all) and the regions in view.
    std::string predictRegions(int w, int h, double x0, double x1, double y0, double y1, int layers) {
        return live([&](ap::Trainer& t) {
            ap::GridStats stats;
            const std::size_t limit = layers < 0 ? ap::kAllPatternLayers : static_cast<std::size_t>(layers);
            ap::predict_grid(t, ap::GridSpec{w, h, x0, x1, y0, y1}, grid_, &patterns_, &stats, ap::GridPath::automatic, limit);
            regions_ = static_cast<double>(stats.regions);
        });
    }
    val patternsView() const { return view_of(patterns_); }
    double regionCount() const { return regions_; }

    std::string unitGrids(int w, int h, double x0, double x1, double y0, double y1) {
        return live([&](ap::Trainer& t) { ap::hidden_unit_grids(t, ap::GridSpec{w, h, x0, x1, y0, y1}, units_); });
    }
    val unitGridsView() const { return view_of(units_); }

    // The data and the input plane's grid lines in two units' coordinates of one hidden layer (0-based),
    // and the output's decision line there when it has one (hidden_space.hpp).
    std::string hiddenSpace(int layer, int unit_x, int unit_y, bool test) {
        return live([&](ap::Trainer& t) {
            if (layer < 0 || unit_x < 0 || unit_y < 0)
                throw ap::ConfigError("hiddenSpace: layer and units count from 0, got a negative one");
            ap::hidden_space(t, {static_cast<std::size_t>(layer), static_cast<std::size_t>(unit_x),
                                 static_cast<std::size_t>(unit_y), test}, hidden_);
        });
    }
    val hiddenSpaceView() const { return view_of(hidden_.points); }
    val hiddenBoundaryView() const { return view_of(hidden_.boundary); }
    val hiddenSpaceShape() const {
        val s = val::object();
        s.set("train", static_cast<double>(hidden_.train));
        s.set("test", static_cast<double>(hidden_.test));
        s.set("lines", static_cast<double>(hidden_.lines));
        s.set("samples", static_cast<double>(hidden_.samples));
        s.set("hasBoundary", hidden_.has_boundary);
        return s;
    }

    // The head's outputs in double at points the caller chooses (Trainer::predict, the path training and the
    // metrics use; the grids above are float32 pictures): an exact reference for the exported scripts. JS
    // writes (x1, x2) pairs into the staging view, then asks for the prediction of those n points.
    val pointStagingView(int n) {
        const bool fits = n >= 0 && n <= kMaxPredictPoints;
        point_xy_.assign(fits ? 2 * static_cast<std::size_t>(n) : 0, 0.0);
        return view_of(point_xy_);
    }
    std::string predictPoints() {
        return live([&](ap::Trainer& t) {
            const std::size_t n = point_xy_.size() / 2;
            std::vector<ap::Point> points(n);
            for (std::size_t i = 0; i < n; ++i) points[i] = {point_xy_[2 * i], point_xy_[2 * i + 1], 0.0};
            predictions_.assign(n * t.outputs(), 0.0);
            t.predict(points.data(), n, predictions_.data());
        });
    }
    val predictionsView() const { return view_of(predictions_); }

    // One point's forward and backward pass (trace.hpp): traceValuesView() is the whole arena, traceInfo()
    // the offsets into it, the loss and the step.
    std::string tracePoint(double x1, double x2, double label) {
        return live([&](ap::Trainer& t) { trace_ = ap::trace_point(t, ap::Point{x1, x2, label}); });
    }
    val traceValuesView() const { return view_of(trace_.values); }
    val traceInfo() const { return val(trace_); }
    static constexpr int kMaxPredictPoints = ap::kMaxGridSide * ap::kMaxGridSide;

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
        return change([&](ap::Trainer& t) {
            if (staging_requested_ < 0 || static_cast<std::size_t>(staging_requested_) != staging_.size())
                throw ap::ConfigError("params must have " + std::to_string(t.network().params().size()) +
                                      " values, got " + std::to_string(staging_requested_));
            t.set_parameters(staging_);
        });
    }

    // The data points: (n, 3) rows of x1, x2, label (Point is three doubles, so the vector is the view).
    val pointsView(bool test) const {
        static_assert(sizeof(ap::Point) == 3 * sizeof(double));
        static const std::vector<ap::Point> none;
        const auto& pts = !trainer_ ? none : test ? trainer_->data().test : trainer_->data().train;
        return val(emscripten::typed_memory_view(3 * pts.size(), reinterpret_cast<const double*>(pts.data())));
    }

    int outputs() const { return trainer_ ? static_cast<int>(trainer_->outputs()) : 0; }
    double step() const { return trainer_ ? static_cast<double>(trainer_->step()) : 0; }
    double epoch() const { return trainer_ ? static_cast<double>(trainer_->epoch()) : 0; }

private:
    void adopt(std::unique_ptr<ap::Trainer> trainer) {
        auto timeline = std::make_unique<ap::Timeline>(*trainer);
        trainer_ = std::move(trainer);
        timeline_ = std::move(timeline);
    }
    // A live change: applied, then a pinned snapshot at this step (a new branch if the run was sought back).
    template <typename F>
    std::string change(F&& f) {
        std::string error = live(std::forward<F>(f));
        if (error.empty()) error = guarded([&] { timeline_->changed(*trainer_); });
        return error;
    }
    template <typename F>
    std::string live(F&& f) {
        if (!trainer_) return "no network yet: configure the session first";
        return guarded([&] { f(*trainer_); });
    }

    std::unique_ptr<ap::Trainer> trainer_;
    std::unique_ptr<ap::Timeline> timeline_;  // the snapshots of trainer_'s run
    std::vector<double> snapshot_steps_;      // (kept snapshots)
    std::vector<double> unit_events_;         // (events, 3)
    ap::Diagnostics diagnostics_;
    std::vector<float> grid_;     // (h, w, k)
    std::vector<float> units_;    // (hidden units, h, w)
    ap::HiddenSpace hidden_;      // the last hiddenSpace: points (n, 3), boundary (segments, 4)
    std::vector<std::uint32_t> patterns_;  // (h, w) activation-pattern hashes
    double regions_ = 0;          // distinct patterns in the last predictRegions
    std::vector<double> point_xy_;     // (n, 2) points for predictPoints
    std::vector<double> predictions_;  // (n, outputs) its result
    ap::Trace trace_;             // the last tracePoint
    std::vector<double> staging_; // (params)
    int staging_requested_ = 0;   // the length stagingView was asked for
};

// ---- Activations, for the explorer ----

std::vector<double> curve_;  // (3, n): x, then f(x), then f'(x)

// Fills x, f(x), f'(x) for n evenly spaced x over [from, to]; returns "" or the error.
std::string curve(const std::string& name, double alpha, double beta, double grad_at_zero, double from, double to,
                  int n) {
    return guarded([&] {
        const auto kind = ap::activation_from_name(name);
        if (!kind) throw ap::ConfigError("unknown activation '" + name + "'");
        if (n < ap::kMinCurvePoints || n > ap::kMaxCurvePoints)
            throw ap::ConfigError("curve points must be " + std::to_string(ap::kMinCurvePoints) + ".." +
                                  std::to_string(ap::kMaxCurvePoints) + ", got " + std::to_string(n));
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

// The user's formula over [from, to]: x, f(x), f'(x) into the same buffer as curve(); "" or the parse error
// ("formula: position 7: expected ...").
std::string formulaCurve(const std::string& text, double a, double b, double from, double to, int n) {
    return guarded([&] {
        if (n < ap::kMinCurvePoints || n > ap::kMaxCurvePoints)
            throw ap::ConfigError("curve points must be " + std::to_string(ap::kMinCurvePoints) + ".." +
                                  std::to_string(ap::kMaxCurvePoints) + ", got " + std::to_string(n));
        if (!(from < to) || !std::isfinite(from) || !std::isfinite(to))
            throw ap::ConfigError("curve range must be finite and increasing");
        ap::ActivationParams p;
        p.a = a;
        p.b = b;
        ap::validate_activation_params("formula", ap::Activation::formula, p);
        const auto program = ap::Formula::compile(text);
        curve_.resize(3 * static_cast<std::size_t>(n));
        double* x = curve_.data();
        for (int i = 0; i < n; ++i) x[i] = from + (to - from) * i / (n - 1);
        program->evaluate(a, b, x, x + n, x + 2 * n, static_cast<std::size_t>(n));
    });
}
// "" if text is a formula the core accepts, else the message naming the position.
std::string validateFormula(const std::string& text) { return guarded([&] { ap::Formula::compile(text); }); }

val kinksOf(const std::string& name, double alpha, double beta) {
    const auto kind = ap::activation_from_name(name);
    return val::array(kind ? ap::kinks(*kind, ap::ActivationParams{alpha, beta, 0}) : std::vector<double>{});
}

val catalog() { return val(ap::catalog()); }
std::string defaultConfig() { return ap::config_to_json(ap::ExperimentConfig{}, -1); }

// Bytes the allocator holds for live objects: flat across create/train/delete cycles if nothing leaks.
double heapInUse() { return static_cast<double>(mallinfo().uordblks); }

// value_object fields that JS reads in another form than C++ keeps: arrays, typed-array copies, numbers.
template <typename T, typename V, V T::*M> val array_of(const T& t) { return val::array(t.*M); }
template <typename Array, typename T, typename V, V T::*M> val copy_of(const T& t) {
    return val::global(Array::name).template call<val>("from", view_of(t.*M));
}
template <typename T> void read_only(T&, val) {}
struct U8 { static constexpr const char* name = "Uint8Array"; };
struct U32 { static constexpr const char* name = "Uint32Array"; };
double alpha_offset(const ap::LayerShape& s) { return s.has_alpha ? static_cast<double>(s.alpha) : -1.0; }
std::string activation_of(const ap::LayerShape& s) { return std::string(ap::activation_name(s.activation)); }
double trace_step(const ap::Trace& t) { return static_cast<double>(t.step); }
double trace_slope_threshold(const ap::Trace&) { return ap::kSaturatedSlope; }
std::string trace_activation(const ap::TraceLayer& l) { return std::string(ap::activation_name(l.activation)); }
double diagnostics_step(const ap::Diagnostics& d) { return static_cast<double>(d.step); }
double histogram_lo(const ap::LayerDiagnostics& d) { return d.pre_activations.lo; }
double histogram_hi(const ap::LayerDiagnostics& d) { return d.pre_activations.hi; }
val histogram_of(const ap::LayerDiagnostics& d) { return val::global("Uint32Array").call<val>("from", view_of(d.pre_activations.counts)); }

}  // namespace

EMSCRIPTEN_BINDINGS(activation_playground) {
    using namespace emscripten;
    using ap::ActivationInfo, ap::Catalog, ap::Diagnostics, ap::LayerDiagnostics, ap::LayerShape;
    value_object<ap::Metrics>("Metrics")
        .field("step", &ap::Metrics::step).field("epoch", &ap::Metrics::epoch)
        .field("batchLoss", &ap::Metrics::batch_loss).field("learningRate", &ap::Metrics::learning_rate)
        .field("trainLoss", &ap::Metrics::train_loss).field("testLoss", &ap::Metrics::test_loss)
        .field("trainAccuracy", &ap::Metrics::train_accuracy).field("testAccuracy", &ap::Metrics::test_accuracy);
    value_object<LayerShape>("LayerShape")
        .field("inputs", &LayerShape::in).field("units", &LayerShape::out)
        .field("weightOffset", &LayerShape::w).field("biasOffset", &LayerShape::b)
        .field("alphaOffset", &alpha_offset, &read_only<LayerShape>)
        .field("activation", &activation_of, &read_only<LayerShape>);
    value_object<LayerDiagnostics>("LayerDiagnostics")
        .field("units", &LayerDiagnostics::units).field("gradNorm", &LayerDiagnostics::grad_norm)
        .field("gradMeanAbs", &LayerDiagnostics::grad_mean_abs).field("weightNorm", &LayerDiagnostics::weight_norm)
        .field("sparsity", &LayerDiagnostics::sparsity)
        .field("zeroPreActivations", &LayerDiagnostics::zero_pre_activations)
        .field("deadUnits", &LayerDiagnostics::dead_units).field("saturatedUnits", &LayerDiagnostics::saturated_units)
        .field("dead", &copy_of<U8, LayerDiagnostics, std::vector<std::uint8_t>, &LayerDiagnostics::dead>, &read_only<LayerDiagnostics>)
        .field("saturated", &copy_of<U8, LayerDiagnostics, std::vector<std::uint8_t>, &LayerDiagnostics::saturated>, &read_only<LayerDiagnostics>)
        .field("histogramLo", &histogram_lo, &read_only<LayerDiagnostics>)
        .field("histogramHi", &histogram_hi, &read_only<LayerDiagnostics>)
        .field("histogram", &histogram_of, &read_only<LayerDiagnostics>);
    value_object<Diagnostics>("Diagnostics")
        .field("step", &diagnostics_step, &read_only<Diagnostics>)
        .field("layers", &array_of<Diagnostics, std::vector<LayerDiagnostics>, &Diagnostics::layers>, &read_only<Diagnostics>);
    value_object<ap::TraceLayer>("TraceLayer")
        .field("inputs", &ap::TraceLayer::in).field("units", &ap::TraceLayer::out)
        .field("activation", &trace_activation, &read_only<ap::TraceLayer>)
        .field("z", &ap::TraceLayer::z).field("a", &ap::TraceLayer::a).field("slope", &ap::TraceLayer::slope)
        .field("on", &ap::TraceLayer::on).field("dA", &ap::TraceLayer::da).field("dZ", &ap::TraceLayer::dz)
        .field("dB", &ap::TraceLayer::db).field("dW", &ap::TraceLayer::dw);
    value_object<ap::Trace>("Trace")
        .field("step", &trace_step, &read_only<ap::Trace>).field("loss", &ap::Trace::loss)
        .field("features", &ap::Trace::features).field("prediction", &ap::Trace::prediction)
        .field("outputs", &ap::Trace::outputs)
        .field("layers", &array_of<ap::Trace, std::vector<ap::TraceLayer>, &ap::Trace::layers>, &read_only<ap::Trace>)
        .field("onAbove", &trace_slope_threshold, &read_only<ap::Trace>);
    value_object<ActivationInfo>("ActivationInfo")
        .field("name", &ActivationInfo::name).field("usesAlpha", &ActivationInfo::uses_alpha)
        .field("usesBeta", &ActivationInfo::uses_beta).field("reluFamily", &ActivationInfo::relu_family)
        .field("saturating", &ActivationInfo::saturating).field("defaultAlpha", &ActivationInfo::default_alpha)
        .field("defaultBeta", &ActivationInfo::default_beta)
        .field("kinks", &array_of<ActivationInfo, std::vector<double>, &ActivationInfo::kinks>, &read_only<ActivationInfo>)
        .field("piecewiseLinear", &ActivationInfo::piecewise_linear);
    value_object<ap::DatasetInfo>("DatasetInfo")
        .field("name", &ap::DatasetInfo::name).field("problem", &ap::DatasetInfo::problem)
        .field("dims", &ap::DatasetInfo::dims).field("classes", &ap::DatasetInfo::classes);
    value_object<ap::NamedValue>("NamedValue").field("name", &ap::NamedValue::name).field("value", &ap::NamedValue::value);
    value_object<ap::NamedRange>("NamedRange")
        .field("name", &ap::NamedRange::name).field("min", &ap::NamedRange::min).field("max", &ap::NamedRange::max);
#define AP_ARRAY(js, member) .field(js, &array_of<Catalog, decltype(Catalog::member), &Catalog::member>, &read_only<Catalog>)
    value_object<Catalog>("Catalog")
        AP_ARRAY("activations", activations) AP_ARRAY("datasets", datasets) AP_ARRAY("features", features)
        AP_ARRAY("heads", heads) AP_ARRAY("inits", inits) AP_ARRAY("optimizers", optimizers)
        AP_ARRAY("regularizations", regularizations) AP_ARRAY("schedules", schedules)
        AP_ARRAY("learningRates", learning_rates) AP_ARRAY("regularizationRates", regularization_rates)
        AP_ARRAY("reluGradsAtZero", relu_grads_at_zero) AP_ARRAY("limits", limits) AP_ARRAY("ranges", ranges)
        AP_ARRAY("formulaFunctions", formula_functions)
        .field("plotExtent", &Catalog::plot_extent);
#undef AP_ARRAY
    class_<Session>("Session")
        .constructor<>()
        .function("configure", &Session::configure)
        .function("importModel", &Session::importModel)
        .function("setSnapshotBudget", &Session::setSnapshotBudget)
        .function("exportModel", &Session::exportModel)
        .function("exportConfig", &Session::exportConfig)
        .function("update", &Session::update)
        .function("setLearningRate", &Session::setLearningRate)
        .function("setBatchSize", &Session::setBatchSize)
        .function("setOptimizer", &Session::setOptimizer)
        .function("setRegularization", &Session::setRegularization)
        .function("setClipNorm", &Session::setClipNorm)
        .function("setOptimizerParam", &Session::setOptimizerParam)
        .function("setActivationParams", &Session::setActivationParams)
        .function("setReluGradAtZero", &Session::setReluGradAtZero)
        .function("setParameter", &Session::setParameter)
        .function("train", &Session::train)
        .function("trainFor", &Session::trainFor)
        .function("seek", &Session::seek)
        .function("timeline", &Session::timeline)
        .function("snapshotStepsView", &Session::snapshotStepsView)
        .function("unitEventsView", &Session::unitEventsView)
        .function("divergence", &Session::divergence)
        .function("clearDivergence", &Session::clearDivergence)
        .function("metrics", &Session::metrics)
        .function("metricsLatest", &Session::metricsLatest)
        .function("computeDiagnostics", &Session::computeDiagnostics)
        .function("lastDiagnostics", &Session::lastDiagnostics)
        .function("layers", &Session::layers)
        .function("predictGrid", &Session::predictGrid)
        .function("gridView", &Session::gridView)
        .function("predictRegions", &Session::predictRegions)
        .function("patternsView", &Session::patternsView)
        .function("regionCount", &Session::regionCount)
        .function("unitGrids", &Session::unitGrids)
        .function("unitGridsView", &Session::unitGridsView)
        .function("hiddenSpace", &Session::hiddenSpace)
        .function("hiddenSpaceView", &Session::hiddenSpaceView)
        .function("hiddenBoundaryView", &Session::hiddenBoundaryView)
        .function("hiddenSpaceShape", &Session::hiddenSpaceShape)
        .function("pointStagingView", &Session::pointStagingView)
        .function("predictPoints", &Session::predictPoints)
        .function("predictionsView", &Session::predictionsView)
        .function("tracePoint", &Session::tracePoint)
        .function("traceValuesView", &Session::traceValuesView)
        .function("traceInfo", &Session::traceInfo)
        .function("paramsView", &Session::paramsView)
        .function("gradsView", &Session::gradsView)
        .function("stagingView", &Session::stagingView)
        .function("commitParams", &Session::commitParams)
        .function("pointsView", &Session::pointsView)
        .function("outputs", &Session::outputs)
        .function("step", &Session::step)
        .function("epoch", &Session::epoch);
    function("kinksOf", &kinksOf);
    function("curve", &curve);
    function("curveView", &curveView);
    function("formulaCurve", &formulaCurve);
    function("validateFormula", &validateFormula);
    function("catalog", &catalog);
    function("defaultConfig", &defaultConfig);
    function("heapInUse", &heapInUse);
}
