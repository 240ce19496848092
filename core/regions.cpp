#include "regions.hpp"

#include <algorithm>
#include <vector>

namespace ap {

// Sorting a copy: 10,000 pixels (the page's 100 x 100 map) sort in well under a millisecond, and the
// count needs no table sized by a guess of how many regions there are.
std::size_t count_regions(std::span<const std::uint32_t> hashes) {
    std::vector<std::uint32_t> sorted(hashes.begin(), hashes.end());
    std::sort(sorted.begin(), sorted.end());
    return static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
}

}  // namespace ap
