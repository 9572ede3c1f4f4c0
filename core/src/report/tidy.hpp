// report/tidy.hpp -- every number of the report in long ("tidy") form: one row per
// (table, algorithm, versus, task, statistic), for pandas or R. Written as CSV (tables/*.csv,
// one file per table) and as the rows of summary.json.
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pgbench::report {

struct TidyRow {
  std::string table;      // the table the number belongs to (per_task, aggregate, pairwise, ...)
  std::string algorithm;  // empty where not applicable
  std::string versus;     // the other algorithm of a pairwise statistic, else empty
  std::string task;       // empty for statistics across tasks
  std::string statistic;  // e.g. mean, ci_t_lower, welch_p_holm, iqm
  double value = std::numeric_limits<double>::quiet_NaN();
  double ci_lower = std::numeric_limits<double>::quiet_NaN();  // where the statistic has an interval
  double ci_upper = std::numeric_limits<double>::quiet_NaN();
};

// Header: table,algorithm,versus,task,statistic,value,ci_lower,ci_upper; numbers with %.17g,
// NaN as an empty field (pandas reads it as NaN).
std::string tidy_csv(const std::vector<TidyRow>& rows);
nlohmann::json tidy_json(const std::vector<TidyRow>& rows);  // NaN as null

}  // namespace pgbench::report
