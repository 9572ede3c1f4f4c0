#include "report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pgbench::report {

namespace {
constexpr const char* kMissing = "n/a";
}

int decimals_for(double spread) {
  if (!std::isfinite(spread) || spread <= 0) return 2;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(spread))), 0, 4);
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return kMissing;
  std::string text = fmt::format("{:.{}f}", value, decimals);
  // A negative value that rounds to zero is zero: "0.00", not "-0.00".
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string format_mean_pm(double mean, double half_width) {
  if (!std::isfinite(half_width)) return format_fixed(mean, decimals_for(std::abs(mean) / 100));
  const int decimals = decimals_for(half_width);
  return format_fixed(mean, decimals) + " ± " + format_fixed(half_width, decimals);
}

std::string format_estimate(double value, const stats::Interval& interval) {
  const int decimals = decimals_for((interval.upper - interval.lower) / 2);
  return format_fixed(value, decimals) + " [" + format_fixed(interval.lower, decimals) + ", " +
         format_fixed(interval.upper, decimals) + "]";
}

std::string format_p_value(double p) {
  if (!std::isfinite(p)) return kMissing;
  if (p < 0.001) return "<0.001";
  return fmt::format("{:.3f}", p);
}

std::string format_general(double value) {
  if (!std::isfinite(value)) return kMissing;
  if (std::abs(value) >= 1e4) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

}  // namespace pgbench::report
