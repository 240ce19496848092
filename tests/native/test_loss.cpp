// Heads: losses and gradients worked out by hand, gradients against central differences, the tails at
// |z| = 1e300, predictions and the correct-count.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "gradcheck.hpp"
#include "loss.hpp"

using namespace ap;

namespace {

Point labelled(double label) { return Point{0.0, 0.0, label}; }

bool all_finite(const std::vector<double>& v) {
    for (double x : v) if (!std::isfinite(x)) return false;
    return true;
}

// Every dLoss/dlogit against a central difference of the mean loss.
void check_head_gradient(Head head, std::vector<double> logits, const std::vector<Point>& points, std::size_t k) {
    const std::size_t n = points.size();
    std::vector<double> dz(n * k);
    head_loss(head, logits.data(), points.data(), n, k, dz.data());
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const double fd = test::central_difference(&logits[i], [&] {
            return head_loss(head, logits.data(), points.data(), n, k, nullptr);
        });
        INFO("head " << head_name(head) << ", logit " << i << ": analytic " << dz[i] << ", fd " << fd);
        CHECK(test::grad_error(dz[i], fd) <= test::kGradTolerance);
    }
}

}  // namespace

TEST_CASE("sigmoid_bce: hand values", "[loss]") {
    // z = 0: softplus(0) - t * 0 = log 2 for either label; dz = (sigmoid(0) - t) / n = (0.5 - t) / 2.
    const std::vector<Point> pts{labelled(0), labelled(1)};
    std::vector<double> z{0.0, 0.0}, dz(2);
    CHECK(head_loss(Head::sigmoid_bce, z.data(), pts.data(), 2, 1, dz.data()) == Approx(std::log(2.0)).epsilon(1e-15));
    CHECK(dz[0] == Approx(0.25).epsilon(1e-15));
    CHECK(dz[1] == Approx(-0.25).epsilon(1e-15));

    // z = 2, t = 1: log(1 + e^2) - 2 = log(1 + e^-2) = 0.126928011042972; dz = sigmoid(2) - 1 = -0.119202922022118.
    // z = -2, t = 1 costs 2 more: log(1 + e^2) = 2.126928011042972.
    const std::vector<Point> ones{labelled(1)};
    std::vector<double> z2{2.0}, dz2(1);
    CHECK(head_loss(Head::sigmoid_bce, z2.data(), ones.data(), 1, 1, dz2.data()) == Approx(0.126928011042972496).epsilon(1e-14));
    CHECK(dz2[0] == Approx(-0.119202922022117556).epsilon(1e-14));
    z2[0] = -2.0;
    CHECK(head_loss(Head::sigmoid_bce, z2.data(), ones.data(), 1, 1, nullptr) == Approx(2.126928011042972496).epsilon(1e-14));
}

TEST_CASE("tanh_mse: labels 0/1 become -1/+1, hand values", "[loss]") {
    // z = 0, label 1 (t = +1): y = 0, e = -1, loss 1, dz = 2 e (1 - y^2) = -2.
    // z = atanh(0.5), label 0 (t = -1): y = 0.5, e = 1.5, loss 2.25, dz = 2 * 1.5 * 0.75 = 2.25.
    // Mean over the two: loss (1 + 2.25) / 2 = 1.625; dz = [-1, 1.125].
    const std::vector<Point> pts{labelled(1), labelled(0)};
    std::vector<double> z{0.0, 0.549306144334054846}, dz(2);
    CHECK(head_loss(Head::tanh_mse, z.data(), pts.data(), 2, 1, dz.data()) == Approx(1.625).epsilon(1e-14));
    CHECK(dz[0] == Approx(-1.0).epsilon(1e-14));
    CHECK(dz[1] == Approx(1.125).epsilon(1e-14));
}

TEST_CASE("linear_mse: hand values", "[loss]") {
    // z = 3 for target 1: e = 2, loss 4, dz = 2 e = 4; z = -1 for target 0.5: e = -1.5, loss 2.25, dz = -3.
    // Mean: (4 + 2.25) / 2 = 3.125; dz / n = [2, -1.5].
    const std::vector<Point> pts{labelled(1.0), labelled(0.5)};
    std::vector<double> z{3.0, -1.0}, dz(2);
    CHECK(head_loss(Head::linear_mse, z.data(), pts.data(), 2, 1, dz.data()) == 3.125);
    CHECK(dz[0] == 2.0);
    CHECK(dz[1] == -1.5);
}

TEST_CASE("softmax_ce: hand values", "[loss]") {
    // Uniform logits over k classes: every probability is 1/k, the loss log k whatever the label, and
    // dz = (1/k - [c == label]) / n.
    for (std::size_t k : {2u, 3u}) {
        const std::vector<Point> pts{labelled(0), labelled(static_cast<double>(k - 1))};
        std::vector<double> z(2 * k, 0.7), dz(2 * k);
        INFO("k = " << k);
        CHECK(head_loss(Head::softmax_ce, z.data(), pts.data(), 2, k, dz.data()) ==
              Approx(std::log(static_cast<double>(k))).epsilon(1e-15));
        for (std::size_t c = 0; c < k; ++c) {
            CHECK(dz[c] == Approx((1.0 / k - (c == 0 ? 1.0 : 0.0)) / 2).epsilon(1e-14));
            CHECK(dz[k + c] == Approx((1.0 / k - (c == k - 1 ? 1.0 : 0.0)) / 2).epsilon(1e-14));
        }
    }
    // Logits [0, log 2, log 3]: probabilities 1/6, 2/6, 3/6. Label 0 costs log 6 = 1.791759469228055;
    // label 2 costs log 2 = 0.693147180559945.
    const std::vector<Point> pts{labelled(0), labelled(2)};
    std::vector<double> z{0.0, std::log(2.0), std::log(3.0), 0.0, std::log(2.0), std::log(3.0)}, dz(6);
    CHECK(head_loss(Head::softmax_ce, z.data(), pts.data(), 2, 3, dz.data()) ==
          Approx((1.791759469228055 + 0.693147180559945) / 2).epsilon(1e-13));
    // dz for the first point: ([1/6, 2/6, 3/6] - [1, 0, 0]) / 2
    CHECK(dz[0] == Approx((1.0 / 6 - 1) / 2).epsilon(1e-13));
    CHECK(dz[1] == Approx((2.0 / 6) / 2).epsilon(1e-13));
    CHECK(dz[2] == Approx((3.0 / 6) / 2).epsilon(1e-13));
    CHECK(dz[5] == Approx((3.0 / 6 - 1) / 2).epsilon(1e-13));
}

TEST_CASE("every head's gradient matches central differences", "[loss][gradcheck]") {
    const std::vector<Point> binary{labelled(0), labelled(1), labelled(1), labelled(0)};
    const std::vector<double> z{-1.3, 0.4, 2.2, 0.05};
    check_head_gradient(Head::sigmoid_bce, z, binary, 1);
    check_head_gradient(Head::tanh_mse, z, binary, 1);
    const std::vector<Point> targets{labelled(-0.5), labelled(3.0), labelled(0.25), labelled(1.0)};
    check_head_gradient(Head::linear_mse, z, targets, 1);
    const std::vector<Point> three{labelled(0), labelled(2), labelled(1)};
    check_head_gradient(Head::softmax_ce, {0.3, -1.2, 2.0, 1.1, 0.0, -0.4, -2.5, 0.9, 0.9}, three, 3);
}

TEST_CASE("heads stay finite at |z| = 1e300", "[loss]") {
    // Confident logits come from diverging runs; the loss must stay a number so the trainer can report it.
    for (double big : {1e300, -1e300}) {
        INFO("z = " << big);
        for (double label : {0.0, 1.0}) {
            const std::vector<Point> pts{labelled(label)};
            for (Head head : {Head::sigmoid_bce, Head::tanh_mse}) {
                std::vector<double> z{big}, dz(1);
                const double loss = head_loss(head, z.data(), pts.data(), 1, 1, dz.data());
                INFO(head_name(head) << ", label " << label);
                CHECK(std::isfinite(loss));
                CHECK(std::isfinite(dz[0]));
                const bool right = (big > 0) == (label == 1.0);
                if (head == Head::sigmoid_bce) {
                    // Right and confident: softplus(z) - z -> 0. Wrong: the loss is |z| itself.
                    CHECK(loss == (right ? 0.0 : 1e300));
                    CHECK(dz[0] == (right ? 0.0 : (label == 1.0 ? -1.0 : 1.0)));
                } else {
                    // tanh saturates to +-1: error 0 or 2, squared 0 or 4; the gradient vanishes with 1 - y^2.
                    CHECK(loss == (right ? 0.0 : 4.0));
                    CHECK(dz[0] == 0.0);
                }
            }
        }
        // Softmax: logits [big, -big, 0]; the max is subtracted before exp, so nothing overflows.
        for (double label : {0.0, 1.0, 2.0}) {
            const std::vector<Point> pts{labelled(label)};
            std::vector<double> z{big, -big, 0.0}, dz(3);
            const double loss = head_loss(Head::softmax_ce, z.data(), pts.data(), 1, 3, dz.data());
            INFO("softmax_ce, label " << label);
            CHECK(std::isfinite(loss));
            CHECK(all_finite(dz));
            // The winner is class 0 for +big (z = [1e300, -1e300, 0]) and class 1 for -big ([-1e300, 1e300, 0]);
            // any other label costs at least the gap to the winner, 1e300.
            const double winner = big > 0 ? 0.0 : 1.0;
            if (label == winner) CHECK(loss == 0.0);
            else CHECK(loss >= 1e300);
            double sum = 0;
            for (double d : dz) sum += d;
            CHECK(std::fabs(sum) <= 1e-15);  // probabilities sum to 1, minus the one-hot
        }
    }
    CHECK(stable_sigmoid(1e300) == 1.0);
    CHECK(stable_sigmoid(-1e300) == 0.0);
    CHECK(stable_softplus(1e300) == 1e300);
    CHECK(stable_softplus(-1e300) == 0.0);
}

TEST_CASE("stable_sigmoid and stable_softplus keep their digits in the tails", "[loss]") {
    // sigmoid(-700) = e^-700 / (1 + e^-700) = e^-700 = 9.85967654375977e-305 (still normal)
    CHECK(stable_sigmoid(-700.0) == Approx(9.85967654375977e-305).epsilon(1e-13));
    CHECK(stable_sigmoid(0.0) == 0.5);
    // sigmoid(x) + sigmoid(-x) = 1
    for (double x : {0.1, 1.0, 5.0, 20.0}) CHECK(stable_sigmoid(x) + stable_sigmoid(-x) == Approx(1.0).epsilon(1e-15));
    // softplus(-30) = log(1 + e^-30) = e^-30 - e^-60 / 2 + ... = 9.357622968840175e-14
    CHECK(stable_softplus(-30.0) == Approx(9.357622968840175e-14).epsilon(1e-13));
    // softplus(0) = log 2; softplus(x) - softplus(-x) = x
    CHECK(stable_softplus(0.0) == Approx(std::log(2.0)).epsilon(1e-15));
    for (double x : {0.5, 3.0, 40.0}) CHECK(stable_softplus(x) - stable_softplus(-x) == Approx(x).epsilon(1e-14));
}

TEST_CASE("head_predict: values, probabilities and tanh outputs", "[loss]") {
    std::vector<double> z{0.0, 2.0, -2.0}, out(3);
    head_predict(Head::sigmoid_bce, z.data(), 3, 1, out.data());
    CHECK(out[0] == 0.5);
    CHECK(out[1] == Approx(0.880797077977882).epsilon(1e-14));  // 1 / (1 + e^-2)
    CHECK(out[1] + out[2] == Approx(1.0).epsilon(1e-15));
    head_predict(Head::tanh_mse, z.data(), 3, 1, out.data());
    CHECK(out[1] == Approx(0.964027580075817).epsilon(1e-14));  // tanh 2
    CHECK(out[2] == -out[1]);
    head_predict(Head::linear_mse, z.data(), 3, 1, out.data());
    CHECK(out == z);
    std::vector<double> logits{0.0, std::log(2.0), std::log(3.0)}, probs(3);
    head_predict(Head::softmax_ce, logits.data(), 1, 3, probs.data());
    CHECK(probs[0] == Approx(1.0 / 6).epsilon(1e-14));
    CHECK(probs[1] == Approx(2.0 / 6).epsilon(1e-14));
    CHECK(probs[2] == Approx(3.0 / 6).epsilon(1e-14));
}

TEST_CASE("head_correct counts by hand", "[loss]") {
    // Binary heads predict class 1 when z >= 0 (sigmoid >= 0.5, tanh >= 0): z = 0 counts as class 1.
    const std::vector<Point> pts{labelled(1), labelled(0), labelled(1), labelled(0), labelled(1)};
    const std::vector<double> z{0.0, -0.1, -3.0, 2.0, 5.0};
    // predicted: 1, 0, 0, 1, 1 against labels 1, 0, 1, 0, 1: right, right, wrong, wrong, right = 3
    CHECK(head_correct(Head::sigmoid_bce, z.data(), pts.data(), 5, 1) == 3);
    CHECK(head_correct(Head::tanh_mse, z.data(), pts.data(), 5, 1) == 3);
    // Softmax: the arg-max, the first one on a tie.
    const std::vector<Point> three{labelled(2), labelled(0), labelled(1), labelled(1)};
    const std::vector<double> l{0.1, 0.2, 0.9,    // class 2: right
                                1.0, 1.0, 0.0,    // tie between 0 and 1, first wins: class 0, right
                                0.0, -1.0, 3.0,   // class 2, label 1: wrong
                                -5.0, 4.0, 3.9};  // class 1: right
    CHECK(head_correct(Head::softmax_ce, l.data(), three.data(), 4, 3) == 3);
    CHECK(head_outputs(Head::softmax_ce, 3) == 3);
    CHECK(head_outputs(Head::sigmoid_bce, 2) == 1);
    CHECK(head_outputs(Head::linear_mse, 0) == 1);
}
