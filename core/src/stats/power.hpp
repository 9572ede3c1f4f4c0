// stats/power.hpp -- how many runs a comparison needs (Colas, Sigaud & Oudeyer 2018, "How Many
// Random Seeds? Statistical Power Analysis in Deep Reinforcement Learning Experiments").
//
// For two algorithms with (pilot) standard deviations s_a, s_b and N runs each, a one-sided
// Welch test at level alpha misses a true difference epsilon with probability
//   beta = F_t(t_{1-alpha, nu} - epsilon / sqrt((s_a^2 + s_b^2) / N); nu),
//   nu   = (s_a^2 + s_b^2)^2 (N - 1) / (s_a^4 + s_b^4).
// The standard deviations come from the runs at hand, so with few runs the answers are
// optimistic (the paper's warning).
#pragma once

#include <cstddef>
#include <optional>

namespace pgbench::stats {

struct PowerSettings {
  double alpha = 0.05;  // one-sided significance level
  double power = 0.8;   // 1 - beta
};

// beta for a difference epsilon with n runs per algorithm.
double type_two_error(double std_a, double std_b, std::size_t n, double epsilon,
                      const PowerSettings& settings = {});

// The smallest difference detectable with n runs per algorithm:
// epsilon = sqrt((s_a^2 + s_b^2) / n) (t_{1-alpha, nu} + t_{power, nu}). NaN for n < 2.
double detectable_difference(double std_a, double std_b, std::size_t n,
                             const PowerSettings& settings = {});

// The smallest n in [2, max_runs] that detects epsilon; nullopt when none does.
std::optional<std::size_t> required_runs(double std_a, double std_b, double epsilon,
                                         const PowerSettings& settings = {},
                                         std::size_t max_runs = 1000);

}  // namespace pgbench::stats
