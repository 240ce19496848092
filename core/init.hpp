#pragma once
// Weight initialisation schemes, drawn from our own Rng so the same seed gives the same weights everywhere.
#include <cstddef>

#include "config.hpp"
#include "rng.hpp"

namespace ap {

// Fills w (fan_in x fan_out, row-major by input) by the scheme, and b (fan_out) with config.bias.
void init_layer(const InitConfig& config, Rng& rng, double* w, std::size_t fan_in, std::size_t fan_out,
                double* b);

}  // namespace ap
