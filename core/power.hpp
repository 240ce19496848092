#pragma once
// b^n for whole n by repeated squaring: O(log n) multiplications in a fixed order, so the same bits on every
// platform (std::pow is not guaranteed to be), and the same bits whether a run reached step n one step at a
// time or was restored from a file at step n.
#include <cstdint>

namespace ap {

inline double integer_power(double b, std::uint64_t n) {
    double result = 1.0;
    while (n > 0) {
        if (n & 1u) result *= b;
        b *= b;
        n >>= 1;
    }
    return result;
}

}  // namespace ap
