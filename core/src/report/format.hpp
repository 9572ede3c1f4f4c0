// report/format.hpp -- how numbers are printed in tables: as many decimals as the uncertainty
// justifies, "n/a" for a number that does not exist.
#pragma once

#include <string>

#include "stats/bootstrap.hpp"

namespace pgbench::report {

// Decimals that show `spread` (a CI half-width, a standard deviation) with two significant
// digits, between 0 and 4; 2 when the spread is zero or unknown.
int decimals_for(double spread);

std::string format_fixed(double value, int decimals);
std::string format_mean_pm(double mean, double half_width);               // "123.4 ± 5.6"
std::string format_estimate(double value, const stats::Interval& interval);  // "0.67 [0.60, 0.75]"
std::string format_p_value(double p);                                      // "0.012", "<0.001"
std::string format_general(double value);                                  // 4 significant digits

}  // namespace pgbench::report
