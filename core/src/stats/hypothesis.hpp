// stats/hypothesis.hpp -- two-sample tests between the run scores of two algorithms on a task,
// and the Holm correction over the family of tests in one report.
//
// Each test is checked against SciPy: welch_t_test = scipy.stats.ttest_ind(a, b,
// equal_var=False); mann_whitney = scipy.stats.mannwhitneyu(a, b) with its defaults
// (two-sided, continuity correction, exact null distribution when a sample has at most 8 runs
// and there are no ties, else the normal approximation with tie correction).
#pragma once

#include <span>
#include <vector>

namespace pgbench::stats {

struct WelchResult {
  double t = 0;                  // (mean_a - mean_b) / sqrt(s_a^2/n_a + s_b^2/n_b)
  double degrees_of_freedom = 0; // Welch–Satterthwaite
  double p_two_sided = 0;        // 2 (1 - F_t(|t|; df))
};

// NaN fields when a sample has fewer than 2 runs or both have zero variance.
WelchResult welch_t_test(std::span<const double> a, std::span<const double> b);

struct MannWhitneyResult {
  double u = 0;                    // U of a: #{(i, j): a_i > b_j} + ½ #{a_i = b_j}
  double probability_greater = 0;  // P(A > B) = U / (n_a n_b), ties counting ½
  double p_two_sided = 0;
  bool exact = false;              // whether p came from the exact null distribution
};

// NaN fields when a sample is empty.
MannWhitneyResult mann_whitney(std::span<const double> a, std::span<const double> b);

// Holm's step-down adjustment of a family of p-values (same order as given; NaN entries are not
// part of the family and stay NaN). Matches statsmodels multipletests(method="holm").
std::vector<double> holm_adjust(std::span<const double> p_values);

}  // namespace pgbench::stats
