#pragma once
// The linear-region view's count: how many regions a grid of activation-pattern hashes shows.
//
// With every hidden unit's linear piece fixed, a piecewise-linear network on the features x1, x2 is affine in
// the point, and the points sharing one pattern are an intersection of half-planes, layer by layer: a convex,
// so connected, set. So distinct patterns in view are distinct regions in view, and counting distinct
// hashes counts regions (but for 32-bit hash collisions, ~n^2 / 2^33 for n regions). With non-linear
// features (x1^2, sin x1) one pattern may cover several pieces of the plane, and the count is of patterns.
#include <cstddef>
#include <cstdint>
#include <span>

namespace ap {

// The number of distinct values in hashes (pixels); 0 for no pixels.
std::size_t count_regions(std::span<const std::uint32_t> hashes);

}  // namespace ap
