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
  std::string ci_method;  // how the interval was computed ("student-t", "percentile-bootstrap", ...); "" if none
};

// What every row of one report shares, written into each so that a row read alone says what it is.
struct TidyContext {
  std::string score;  // the per-run score definition ("final", "last-5", "auc", "max")
  double ci_level;    // of every interval
};

// Header: table,algorithm,versus,task,statistic,value,ci_lower,ci_upper,ci_level,ci_method,score;
// numbers with %.17g, NaN as an empty field (pandas reads it as NaN); ci_level and ci_method are
// empty for a statistic without an interval.
std::string tidy_csv(const std::vector<TidyRow>& rows, const TidyContext& context);
nlohmann::json tidy_json(const std::vector<TidyRow>& rows, const TidyContext& context);  // NaN as null

}  // namespace pgbench::report
