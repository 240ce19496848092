#include "catalog.hpp"

#include <iterator>

#include "formula.hpp"
#include "grid_forward.hpp"
#include "serialize.hpp"

namespace ap {

ActivationInfo activation_info(Activation kind) {
    const ActivationParams d = default_params(kind);
    return {std::string(activation_name(kind)), uses_alpha(kind), uses_beta(kind), is_relu_family(kind),
            is_saturating(kind), d.alpha, d.beta, kinks(kind, d), is_piecewise_linear(kind)};
}

namespace {

std::vector<std::string> strings(const std::vector<std::string_view>& names) {
    return {names.begin(), names.end()};
}

DatasetInfo dataset_info(DatasetKind kind) {
    if (kind == DatasetKind::custom) return {std::string(dataset_name(kind)), "", 0, 0};
    DataConfig d;
    d.kind = kind;
    return {std::string(dataset_name(kind)), std::string(problem_name(problem_of(d))), input_dims_of(d), classes_of(d)};
}

Catalog build() {
    Catalog c;
    for (Activation a : all_activations()) c.activations.push_back(activation_info(a));
    for (std::string_view name : dataset_names()) c.datasets.push_back(dataset_info(*dataset_from_name(name)));
    c.features = strings(feature_names());
    c.heads = strings(head_names());
    c.inits = strings(init_names());
    c.optimizers = strings(optimizer_names());
    c.regularizations = strings(regularization_names());
    c.schedules = strings(schedule_names());
    c.learning_rates = {0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};
    c.regularization_rates = {0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};
    c.relu_grads_at_zero.assign(std::begin(kReluGradsAtZero), std::end(kReluGradsAtZero));
    c.formula_functions = Formula::function_names();
    c.plot_extent = kPlotExtent;
    c.limits = {
        {"maxHiddenLayers", kMaxHiddenLayers},
        {"maxUnits", kMaxUnits},
        {"minPoints", kMinPoints},
        {"minCustomPoints", kMinCustomPoints},
        {"maxPoints", kMaxPoints},
        {"maxBatch", kMaxBatch},
        {"maxClasses", kMaxClasses},
        {"maxFeatures", kMaxFeatures},
        {"maxGridSide", kMaxGridSide},
        {"maxUnitGridValues", static_cast<double>(kMaxUnitGridValues)},
        {"maxStepsPerCall", kMaxStepsPerCall},
        {"maxCsvBytes", static_cast<double>(kMaxCsvBytes)},
        {"maxJsonBytes", static_cast<double>(kMaxJsonBytes)},
        {"minCurvePoints", kMinCurvePoints},
        {"maxCurvePoints", kMaxCurvePoints},
        {"maxHistogramBins", kMaxHistogramBins},
        {"maxSeed", static_cast<double>(kMaxSeed)},
        {"maxScheduleSteps", kMaxScheduleSteps},
        {"maxFormulaLength", kMaxFormulaLength},
        {"maxFormulaDepth", kMaxFormulaDepth},
        {"maxFormulaOps", kMaxFormulaOps},
        {"snapshotBudgetBytes", static_cast<double>(kSnapshotBudgetBytes)},
    };
    auto range = [](const char* name, Range r) { return NamedRange{name, r.min, r.max}; };
    auto ints = [](const char* name, double lo, double hi) { return NamedRange{name, lo, hi}; };
    c.ranges = {
        // training.*
        range("learningRate", kLearningRateRange),
        ints("batchSize", 1, kMaxBatch),
        range("regularizationRate", kRegularizationRateRange),
        range("clipNorm", kClipNormRange),
        range("momentum", kDecayRange),
        range("rho", kDecayRange),
        range("beta1", kDecayRange),
        range("beta2", kDecayRange),
        range("epsilon", kEpsilonRange),
        ints("stepEvery", 1, kMaxScheduleSteps),
        range("stepGamma", kStepGammaRange),
        ints("cosineSteps", 1, kMaxScheduleSteps),
        range("minLearningRate", kLearningRateRange),  // and at most the learning rate
        // network.*
        ints("hiddenLayers", 0, kMaxHiddenLayers),
        ints("units", 1, kMaxUnits),
        ints("features", 1, kMaxFeatures),
        range("alpha", kAlphaRange),
        range("beta", kBetaRange),
        range("formulaParam", kFormulaParamRange),  // a and b
        range("reluGradAtZero", Range{kReluGradsAtZero[0], kReluGradsAtZero[std::size(kReluGradsAtZero) - 1]}),
        range("initRange", kInitRangeRange),
        range("initBias", kInitBiasRange),
        // data.* and seed
        ints("numPoints", kMinPoints, kMaxPoints),
        ints("customPoints", kMinCustomPoints, kMaxPoints),
        range("customCoordinate", kCustomCoordinateRange),
        range("noise", kNoiseRange),
        range("testFraction", kTestFractionRange),
        ints("blobClasses", 2, kMaxClasses),
        ints("seed", 0, static_cast<double>(kMaxSeed)),
        // calls
        ints("steps", 0, kMaxStepsPerCall),
        ints("gridSide", 1, kMaxGridSide),
        ints("curvePoints", kMinCurvePoints, kMaxCurvePoints),
        ints("histogramBins", 1, kMaxHistogramBins),
    };
    return c;
}

}  // namespace

const Catalog& catalog() {
    static const Catalog c = build();
    return c;
}

}  // namespace ap
