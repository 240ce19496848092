#pragma once
// Errors that cross to users (CLI, JSON, wasm). Each message names the field and what is allowed.
#include <stdexcept>
#include <string>

namespace ap {

struct ConfigError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

}  // namespace ap
