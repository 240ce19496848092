#pragma once
// Output heads: how logits become predictions, and the loss with its gradient, side by side.
#include <cstddef>

#include "config.hpp"

namespace ap {

std::size_t head_outputs(Head head, int classes);  // softmax: the classes; every other head: 1

// Mean loss over n points; if dlogits (n, k) is not null, writes dLoss/dlogits (with the mean's 1/n).
// Labels: class index for classification (tanh_mse maps 0/1 to -1/+1), the target for regression.
double head_loss(Head head, const double* logits, const Point* points, std::size_t n, std::size_t k,
                 double* dlogits);

// What the head predicts: a value (regression), P(class 1) (sigmoid), tanh output in [-1, 1] (tanh), or
// class probabilities (n, k) for softmax.
void head_predict(Head head, const double* logits, std::size_t n, std::size_t k, double* out);

// Number of points whose predicted class equals the label (classification heads only).
std::size_t head_correct(Head head, const double* logits, const Point* points, std::size_t n, std::size_t k);

// Numerically stable pieces, shared with the activations' tests.
double stable_sigmoid(double x);   // never evaluates exp of a large positive number
double stable_softplus(double x);  // log(1 + e^x) without overflow for large x or loss of digits for small

}  // namespace ap
