// libFuzzer target: experiment config JSON (config_from_json). Any input must either parse into a config
// that validate_config accepts, or throw ap::ConfigError; anything else (another exception type, a crash,
// a leak, undefined behaviour) is a bug. A parsed config must also survive a write and a read unchanged,
// since links and saved files depend on that.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "error.hpp"
#include "serialize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ap::ExperimentConfig config;
    try {
        config = ap::config_from_json(text);
    } catch (const ap::ConfigError&) {
        return 0;  // rejected with a message: the expected outcome for most inputs
    }
    ap::validate_config(config);  // must not throw: config_from_json promised a valid config

    const std::string written = ap::config_to_json(config, -1);
    const ap::ExperimentConfig again = ap::config_from_json(written);
    if (!(again == config)) {
        std::fprintf(stderr, "config changed in a write and read back:\n%s\n", written.c_str());
        std::abort();
    }
    return 0;
}
