// libFuzzer target: saved model JSON (model_from_json). Any input must either load or throw
// ap::ConfigError. A loaded model must also be usable: it saves and loads back to the same parameters bit
// for bit, trains a few steps, and predicts a small grid, all without a crash or a sanitizer report.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "grid.hpp"
#include "serialize.hpp"
#include "trainer.hpp"

namespace {

// Multiply-adds one training step may cost before the target skips training: a 12x256 network with a
// 4096-point batch is ~3e9 per step under ASan, which would spend the fuzzer's time on arithmetic the
// core tests already cover rather than on parsing.
constexpr double kMaxStepWork = 4e6;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::unique_ptr<ap::Trainer> trainer;
    try {
        trainer = ap::model_from_json(text);
    } catch (const ap::ConfigError&) {
        return 0;
    }

    const auto params = trainer->network().params();
    const std::unique_ptr<ap::Trainer> again = ap::model_from_json(ap::model_to_json(*trainer));
    const auto params_again = again->network().params();
    if (params.size() != params_again.size() || again->step() != trainer->step()) {
        std::fprintf(stderr, "a saved model read back with another shape or step\n");
        std::abort();
    }
    for (std::size_t i = 0; i < params.size(); ++i)
        if (std::bit_cast<std::uint64_t>(params[i]) != std::bit_cast<std::uint64_t>(params_again[i])) {
            std::fprintf(stderr, "params[%zu] changed in a save and load\n", i);
            std::abort();
        }

    const double work = static_cast<double>(params.size()) * trainer->config().training.batch_size;
    if (work <= kMaxStepWork) trainer->train_steps(3);
    std::vector<float> grid;  // (8, 8, outputs)
    ap::predict_grid(*trainer, ap::GridSpec{8, 8, -6, 6, -6, 6}, grid);
    if (grid.size() != 64 * trainer->outputs()) std::abort();
    return 0;
}
