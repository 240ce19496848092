#include "loss.hpp"

#include <cmath>

#include "detmath.hpp"
#include "detmath_simd.hpp"

namespace ap {

double stable_sigmoid(double x) {
    // For x < 0, e^x cannot overflow; for x >= 0 use e^-x. Either way the division is well-conditioned.
    if (x >= 0) return 1.0 / (1.0 + detmath::exp(-x));
    const double e = detmath::exp(x);
    return e / (1.0 + e);
}

double stable_softplus(double x) {
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): the exponent is never positive.
    return (x > 0 ? x : 0.0) + detmath::log1p(detmath::exp(-std::fabs(x)));
}

std::size_t head_outputs(Head head, int classes) {
    return head == Head::softmax_ce ? static_cast<std::size_t>(classes) : 1;
}

static double binary_target(const Point& p) { return p.label > 0.5 ? 1.0 : 0.0; }

// Cross-entropy of sigmoid(z) against t, as softplus(z) - t z: no log(0) however confident the logit.
static double sigmoid_bce(const double* z, const Point* pts, std::size_t n, double* dz) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = binary_target(pts[i]);
        sum += stable_softplus(z[i]) - t * z[i];
        if (dz) dz[i] = (stable_sigmoid(z[i]) - t) / static_cast<double>(n);
    }
    return sum / static_cast<double>(n);
}

// Squared error of tanh(z) against -1/+1; d/dz = 2 (y - t) (1 - y^2). The tanh values come in runs of
// kRun from detmath::tanh_n (the same bits as detmath::tanh, two at a time); the sum keeps its order.
static double tanh_mse(const double* z, const Point* pts, std::size_t n, double* dz) {
    constexpr std::size_t kRun = 64;
    double ys[kRun];  // (run) tanh(z) of this run
    double sum = 0.0;
    for (std::size_t i0 = 0; i0 < n; i0 += kRun) {
        const std::size_t run = n - i0 < kRun ? n - i0 : kRun;
        detmath::tanh_n(z + i0, ys, run);
        for (std::size_t r = 0; r < run; ++r) {
            const std::size_t i = i0 + r;
            const double t = binary_target(pts[i]) * 2.0 - 1.0;
            const double y = ys[r];
            const double e = y - t;
            sum += e * e;
            if (dz) dz[i] = 2.0 * e * (1.0 - y * y) / static_cast<double>(n);
        }
    }
    return sum / static_cast<double>(n);
}

static double linear_mse(const double* z, const Point* pts, std::size_t n, double* dz) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = z[i] - pts[i].label;
        sum += e * e;
        if (dz) dz[i] = 2.0 * e / static_cast<double>(n);
    }
    return sum / static_cast<double>(n);
}

// Cross-entropy of softmax(z) as logsumexp(z) - z[label]; subtracting the max keeps exp from overflowing.
static double softmax_ce(const double* z, const Point* pts, std::size_t n, std::size_t k, double* dz) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double* zi = z + i * k;
        double m = zi[0];
        for (std::size_t c = 1; c < k; ++c) m = zi[c] > m ? zi[c] : m;
        double s = 0.0;
        for (std::size_t c = 0; c < k; ++c) s += detmath::exp(zi[c] - m);
        const double lse = m + detmath::log(s);
        const auto label = static_cast<std::size_t>(pts[i].label);
        sum += lse - zi[label];
        if (dz)
            for (std::size_t c = 0; c < k; ++c)
                dz[i * k + c] = (detmath::exp(zi[c] - lse) - (c == label ? 1.0 : 0.0)) / static_cast<double>(n);
    }
    return sum / static_cast<double>(n);
}

double head_loss(Head head, const double* logits, const Point* points, std::size_t n, std::size_t k,
                 double* dlogits) {
    if (n == 0) return 0.0;
    switch (head) {
        case Head::linear_mse: return linear_mse(logits, points, n, dlogits);
        case Head::sigmoid_bce: return sigmoid_bce(logits, points, n, dlogits);
        case Head::tanh_mse: return tanh_mse(logits, points, n, dlogits);
        case Head::softmax_ce: return softmax_ce(logits, points, n, k, dlogits);
    }
    return 0.0;
}

void head_predict(Head head, const double* logits, std::size_t n, std::size_t k, double* out) {
    switch (head) {
        case Head::linear_mse:
            for (std::size_t i = 0; i < n; ++i) out[i] = logits[i];
            return;
        case Head::sigmoid_bce:
            for (std::size_t i = 0; i < n; ++i) out[i] = stable_sigmoid(logits[i]);
            return;
        case Head::tanh_mse:
            detmath::tanh_n(logits, out, n);
            return;
        case Head::softmax_ce:
            for (std::size_t i = 0; i < n; ++i) {
                const double* zi = logits + i * k;
                double m = zi[0];
                for (std::size_t c = 1; c < k; ++c) m = zi[c] > m ? zi[c] : m;
                double s = 0.0;
                for (std::size_t c = 0; c < k; ++c) s += (out[i * k + c] = detmath::exp(zi[c] - m));
                for (std::size_t c = 0; c < k; ++c) out[i * k + c] /= s;
            }
            return;
    }
}

static std::size_t predicted_class(Head head, const double* zi, std::size_t k) {
    if (head == Head::softmax_ce) {
        std::size_t best = 0;
        for (std::size_t c = 1; c < k; ++c) if (zi[c] > zi[best]) best = c;
        return best;
    }
    // sigmoid(z) >= 0.5 and tanh(z) >= 0 both mean z >= 0.
    return zi[0] >= 0 ? 1 : 0;
}

std::size_t head_correct(Head head, const double* logits, const Point* points, std::size_t n, std::size_t k) {
    std::size_t correct = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (predicted_class(head, logits + i * k, k) == static_cast<std::size_t>(points[i].label)) ++correct;
    return correct;
}

}  // namespace ap
