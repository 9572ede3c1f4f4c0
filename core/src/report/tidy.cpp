#include "report/tidy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace pgbench::report {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

std::string csv_number(double value) { return std::isfinite(value) ? fmt::format("{:.17g}", value) : ""; }

nlohmann::json json_number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

std::string tidy_csv(const std::vector<TidyRow>& rows, const TidyContext& context) {
  std::string out = "table,algorithm,versus,task,statistic,value,ci_lower,ci_upper,ci_level,ci_method,score\n";
  for (const TidyRow& row : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(row.table), csv_field(row.algorithm),
                       csv_field(row.versus), csv_field(row.task), csv_field(row.statistic),
                       csv_number(row.value), csv_number(row.ci_lower), csv_number(row.ci_upper),
                       row.ci_method.empty() ? "" : csv_number(context.ci_level), csv_field(row.ci_method),
                       csv_field(context.score));
  return out;
}

nlohmann::json tidy_json(const std::vector<TidyRow>& rows, const TidyContext& context) {
  nlohmann::json array = nlohmann::json::array();
  for (const TidyRow& row : rows)
    array.push_back({{"table", row.table},
                     {"algorithm", row.algorithm},
                     {"versus", row.versus},
                     {"task", row.task},
                     {"statistic", row.statistic},
                     {"value", json_number(row.value)},
                     {"ci_lower", json_number(row.ci_lower)},
                     {"ci_upper", json_number(row.ci_upper)},
                     {"ci_level", row.ci_method.empty() ? nlohmann::json(nullptr) : nlohmann::json(context.ci_level)},
                     {"ci_method", row.ci_method.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.ci_method)},
                     {"score", context.score}});
  return array;
}

}  // namespace pgbench::report
