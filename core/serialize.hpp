#pragma once
// The project's two public JSON formats, shared by the CLI, the wasm module and the page:
//   an experiment config  { "format_version": 1, "seed", "data", "network", "training" }
//   a trained model       { "format_version": 1, "kind": "model", "config": {...}, "state": {...} }
// Names of enum values come from config.hpp and activation.hpp. Reading is strict: unknown fields, wrong
// types and non-finite numbers are errors whose message names the field; missing config fields take the
// defaults of config.hpp's structs. Doubles survive a write and a read bit for bit.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "config.hpp"
#include "trainer.hpp"

namespace ap {

// Input limits, checked before and while parsing so a hostile file cannot exhaust memory or time.
inline constexpr std::size_t kMaxJsonBytes = 64u << 20;        // 64 MiB
inline constexpr int kMaxJsonDepth = 16;                       // the formats nest 5 deep at most
inline constexpr std::size_t kMaxJsonValues = 4'000'000;       // a 12x256 model with Adam state is ~2.2M
inline constexpr std::int64_t kMaxSavedStep = 9'007'199'254'740'991;  // 2^53 - 1: exact as a JS number

// indent < 0 writes one line; indent >= 0 pretty-prints with that many spaces.
// Throws ConfigError when a number is not finite (it could not be read back).
std::string config_to_json(const ExperimentConfig& config, int indent = 2);

// Parses and validates (validate_config) a config. Throws ConfigError, e.g.
// "network.hidden[1].units must be an integer, got string" or "unknown field network.hiden".
ExperimentConfig config_from_json(std::string_view text);

// The trainer's config and its state: step, epoch, cursor, parameters and optimizer moments.
std::string model_to_json(const Trainer& trainer, int indent = -1);

// Builds a Trainer from the saved config (same seed, same data) and restores the saved state, so training
// continues exactly as the saved run would have. Throws ConfigError.
std::unique_ptr<Trainer> model_from_json(std::string_view text);

}  // namespace ap
