#include "stats/hypothesis.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "stats/descriptive.hpp"

namespace pgbench::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Largest sample size for which SciPy's "auto" method may use the exact null distribution.
constexpr std::size_t kExactMaxRuns = 8;

// Midranks (1-based, ties averaged) of the pooled sample a ++ b; also returns sum(t^3 - t)
// over tie groups, for the variance correction.
struct PooledRanks {
  std::vector<double> ranks;
  double tie_term = 0;
};

PooledRanks pooled_ranks(std::span<const double> a, std::span<const double> b) {
  std::vector<double> pooled(a.begin(), a.end());
  pooled.insert(pooled.end(), b.begin(), b.end());
  std::vector<std::size_t> order(pooled.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return pooled[i] < pooled[j]; });

  PooledRanks result;
  result.ranks.resize(pooled.size());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && pooled[order[last]] == pooled[order[first]]) ++last;
    const double midrank = (static_cast<double>(first + 1) + static_cast<double>(last)) / 2.0;
    for (std::size_t k = first; k < last; ++k) result.ranks[order[k]] = midrank;
    const double ties = static_cast<double>(last - first);
    result.tie_term += ties * ties * ties - ties;
    first = last;
  }
  return result;
}

// P(U >= u) under H0 for sample sizes m, n without ties: the number of arrangements with
// statistic U follows the recursion f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u).
double exact_u_survival(double u, std::size_t m, std::size_t n) {
  const std::size_t max_u = m * n;
  // counts[j][k]: arrangements of j values of a and the current i values of b with U = k.
  std::vector<std::vector<double>> counts(m + 1, std::vector<double>(max_u + 1, 0.0));
  for (std::size_t j = 0; j <= m; ++j) counts[j][0] = 1.0;  // i = 0 values of b: U = 0
  for (std::size_t i = 1; i <= n; ++i) {
    // Add the i-th value of b; every a-value above it adds 1 to U. Process j upwards so that
    // counts[j - 1] already holds the distribution for (j - 1, i).
    for (std::size_t j = 1; j <= m; ++j) {
      // f(j, i, k) = f(j-1, i, k-i) + f(j, i-1, k)
      for (std::size_t k = max_u + 1; k-- > 0;) {
        const double from_a = k >= i ? counts[j - 1][k - i] : 0.0;
        counts[j][k] = from_a + counts[j][k];
      }
    }
  }
  double total = 0, tail = 0;
  for (std::size_t k = 0; k <= max_u; ++k) {
    total += counts[m][k];
    if (static_cast<double>(k) >= u) tail += counts[m][k];
  }
  return tail / total;
}

}  // namespace

WelchResult welch_t_test(std::span<const double> a, std::span<const double> b) {
  if (a.size() < 2 || b.size() < 2) return {kNaN, kNaN, kNaN};
  const double n_a = static_cast<double>(a.size()), n_b = static_cast<double>(b.size());
  const double var_a = std::pow(sample_std(a), 2) / n_a;
  const double var_b = std::pow(sample_std(b), 2) / n_b;
  const double pooled = var_a + var_b;
  if (pooled == 0) return {kNaN, kNaN, kNaN};

  WelchResult result;
  result.t = (mean(a) - mean(b)) / std::sqrt(pooled);
  result.degrees_of_freedom =
      pooled * pooled / (var_a * var_a / (n_a - 1) + var_b * var_b / (n_b - 1));
  const boost::math::students_t distribution(result.degrees_of_freedom);
  result.p_two_sided = 2 * boost::math::cdf(boost::math::complement(distribution, std::abs(result.t)));
  return result;
}

MannWhitneyResult mann_whitney(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return {kNaN, kNaN, kNaN, false};
  const PooledRanks pooled = pooled_ranks(a, b);
  const double n_a = static_cast<double>(a.size()), n_b = static_cast<double>(b.size());
  const double rank_sum_a =
      std::accumulate(pooled.ranks.begin(), pooled.ranks.begin() + static_cast<std::ptrdiff_t>(a.size()), 0.0);

  MannWhitneyResult result;
  result.u = rank_sum_a - n_a * (n_a + 1) / 2;
  result.probability_greater = result.u / (n_a * n_b);
  // Two-sided: twice the upper tail of the larger of U_a and U_b = n_a n_b - U_a.
  const double u_larger = std::max(result.u, n_a * n_b - result.u);
  const bool ties = pooled.tie_term > 0;
  result.exact = !ties && (a.size() <= kExactMaxRuns || b.size() <= kExactMaxRuns);
  double upper_tail;
  if (result.exact) {
    upper_tail = exact_u_survival(u_larger, a.size(), b.size());
  } else {
    const double n = n_a + n_b;
    const double sd = std::sqrt(n_a * n_b / 12 * ((n + 1) - pooled.tie_term / (n * (n - 1))));
    const double z = (u_larger - n_a * n_b / 2 - 0.5) / sd;  // 0.5: continuity correction
    upper_tail = boost::math::cdf(boost::math::complement(boost::math::normal(), z));
  }
  result.p_two_sided = std::min(1.0, 2 * upper_tail);
  return result;
}

std::vector<double> holm_adjust(std::span<const double> p_values) {
  std::vector<std::size_t> family;
  for (std::size_t i = 0; i < p_values.size(); ++i)
    if (!std::isnan(p_values[i])) family.push_back(i);
  std::stable_sort(family.begin(), family.end(),
                   [&](std::size_t i, std::size_t j) { return p_values[i] < p_values[j]; });

  std::vector<double> adjusted(p_values.size(), kNaN);
  const double m = static_cast<double>(family.size());
  double running_max = 0;
  for (std::size_t rank = 0; rank < family.size(); ++rank) {
    const double scaled = std::min(1.0, (m - static_cast<double>(rank)) * p_values[family[rank]]);
    running_max = std::max(running_max, scaled);
    adjusted[family[rank]] = running_max;
  }
  return adjusted;
}

}  // namespace pgbench::stats
