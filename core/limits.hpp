#pragma once
// Every limit and numeric range the core enforces, one home each. The checks that enforce them (config.cpp,
// dataset.cpp, grid.cpp, diagnostics.cpp, the bindings) and the page (through catalog.hpp) read them here,
// so a limit changes in one line.
#include <cstddef>
#include <cstdint>

namespace ap {

// The input plane: 2-D data lie in [-kPlotExtent, kPlotExtent]^2 and 1-D data in x within the same
// interval (as in TF Playground); the page's maps cover the same square.
inline constexpr double kPlotExtent = 6.0;

// ---- Sizes ----
inline constexpr int kMaxHiddenLayers = 12;
inline constexpr int kMaxUnits = 256;
inline constexpr int kMinPoints = 10;             // a generated dataset
inline constexpr int kMinCustomPoints = 4;        // the user's own points
inline constexpr int kMaxPoints = 100000;
inline constexpr int kMaxBatch = 4096;
inline constexpr int kMaxClasses = 6;     // the softmax head's outputs; 6 colours tell them apart
inline constexpr int kMaxFeatures = 7;            // every feature column once
inline constexpr int kMaxGridSide = 512;
// hidden_unit_grids' output: 64 MiB of floats. 12 layers of 256 units at 512 x 512 would be 3 GiB, more
// than wasm memory holds; the page's thumbnails (24 x 24 for 3,072 units) use a tenth of the bound.
inline constexpr std::size_t kMaxUnitGridValues = std::size_t{1} << 24;
inline constexpr int kMaxStepsPerCall = 1000000;  // one train() call from the page
// 100,000 rows of full-precision numbers take about 6 MiB; the bound leaves room for comments and spaces.
inline constexpr std::size_t kMaxCsvBytes = 16u << 20;
inline constexpr int kMinCurvePoints = 2, kMaxCurvePoints = 100000;
inline constexpr int kMaxHistogramBins = 1000;
inline constexpr std::uint64_t kMaxSeed = 4294967295u;  // seeds travel through JS numbers and URLs: 32 bits
// The user's own activation (formula.hpp): its text, how deep parentheses, calls and unary signs nest, how
// many bytecode operations and stack slots it compiles to, and the largest integer power done by
// multiplication. 200 characters hold every built-in written out (GELU's tanh form is 45) and keep links short.
inline constexpr int kMaxFormulaLength = 200;
inline constexpr int kMaxFormulaDepth = 32;
inline constexpr int kMaxFormulaOps = 256;
inline constexpr int kMaxFormulaStack = 64;
inline constexpr int kMaxFormulaIntPower = 64;

// Time travel (timeline.hpp): the snapshots a run keeps take at most this many bytes (32 MB, named on the
// page), and are taken at least this many steps apart (more for big data sets: see Timeline).
inline constexpr std::size_t kSnapshotBudgetBytes = 32'000'000;
inline constexpr int kMinSnapshotEvery = 16;

// ---- Numeric ranges of config fields, inclusive ----
struct Range {
    double min, max;
};
inline constexpr Range kNoiseRange{0.0, 0.5};
inline constexpr Range kTestFractionRange{0.1, 0.9};
inline constexpr Range kCustomCoordinateRange{-1e6, 1e6};  // custom points' coordinates and targets
inline constexpr Range kInitRangeRange{0.0, 100.0};        // network.init.uniform_range
inline constexpr Range kInitBiasRange{-100.0, 100.0};
inline constexpr Range kAlphaRange{-10.0, 10.0};
inline constexpr Range kBetaRange{0.01, 100.0};
inline constexpr Range kFormulaParamRange{-10.0, 10.0};     // the formula's a and b
inline constexpr Range kLearningRateRange{0.0, 1e6};      // min_learning_rate: 0..learning_rate
inline constexpr Range kRegularizationRateRange{0.0, 10.0};
inline constexpr Range kClipNormRange{0.0, 1e6};
inline constexpr Range kDecayRange{0.0, 0.999999};         // momentum, rho, beta1, beta2
inline constexpr Range kEpsilonRange{1e-300, 1.0};
inline constexpr Range kStepGammaRange{0.0, 1.0};
inline constexpr int kMaxScheduleSteps = 100000000;        // step_every and cosine_steps: 1..this
// The ReLU family's f'(0): one of these (0 is the frameworks' choice).
inline constexpr double kReluGradsAtZero[] = {0.0, 0.5, 1.0};

}  // namespace ap
