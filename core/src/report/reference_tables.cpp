#include "report/reference_tables.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace pgbench::report {
namespace {

// "classic-control.v12" -> {"classic-control", 12}
std::pair<std::string, int> split_stem(std::string_view stem) {
  const auto dot = stem.rfind(".v");
  return {std::string(stem.substr(0, dot)), std::stoi(std::string(stem.substr(dot + 2)))};
}

std::string builtin_names() {
  std::string names;
  for (const auto& table : builtin_reference_tables()) {
    if (!names.empty()) names += ", ";
    names += table.stem;
  }
  return names;
}

ReferenceTable parse_builtin(const BuiltinReferenceTable& table) {
  return parse_reference_table(table.json, "built-in " + std::string(table.stem));
}

const BuiltinReferenceTable* latest_builtin(std::string_view name) {
  const BuiltinReferenceTable* latest = nullptr;
  int latest_version = -1;
  for (const auto& table : builtin_reference_tables()) {
    const auto [table_name, version] = split_stem(table.stem);
    if (table_name == name && version > latest_version) {
      latest = &table;
      latest_version = version;
    }
  }
  return latest;
}

bool covers(const ReferenceTable& table, const std::vector<TaskNames>& tasks) {
  return std::all_of(tasks.begin(), tasks.end(),
                     [&](const TaskNames& t) { return table.find(t.task, t.env_name) != nullptr; });
}

}  // namespace

const ReferenceScores* ReferenceTable::find(const std::string& task, const std::string& env_name) const {
  if (auto it = tasks.find(task); it != tasks.end()) return &it->second;
  if (auto it = tasks.find(env_name); it != tasks.end()) return &it->second;
  return nullptr;
}

ReferenceTable parse_reference_table(std::string_view json, const std::string& origin) {
  try {
    const auto document = nlohmann::json::parse(json);
    ReferenceTable table;
    table.name = document.at("name").get<std::string>();
    table.version = document.at("version").get<int>();
    table.description = document.value("description", "");
    table.origin = origin;
    for (const auto& [task, entry] : document.at("tasks").items()) {
      ReferenceScores scores{entry.at("r_min").get<double>(), entry.at("r_max").get<double>(),
                             entry.at("r_min_source").get<std::string>(),
                             entry.at("r_max_source").get<std::string>()};
      if (!std::isfinite(scores.r_min) || !std::isfinite(scores.r_max) || scores.r_max <= scores.r_min)
        throw std::invalid_argument("task " + task + ": r_max must be finite and above r_min");
      table.tasks.emplace(task, std::move(scores));
    }
    return table;
  } catch (const std::exception& error) {
    throw std::invalid_argument("reference table " + origin + ": " + error.what() +
                                " (expected {\"name\", \"version\", \"tasks\": {TASK: {\"r_min\", "
                                "\"r_min_source\", \"r_max\", \"r_max_source\"}}})");
  }
}

std::optional<ReferenceTable> resolve_reference_table(const std::string& request,
                                                      const std::string& suite_name,
                                                      const std::vector<TaskNames>& tasks) {
  if (request == "none") return std::nullopt;
  if (request.empty()) {
    if (const auto* table = latest_builtin(suite_name)) return parse_builtin(*table);
    for (const auto& table : builtin_reference_tables()) {
      const auto [name, version] = split_stem(table.stem);
      if (latest_builtin(name) != &table) continue;  // only the latest version of each
      ReferenceTable parsed = parse_builtin(table);
      if (covers(parsed, tasks)) return parsed;
    }
    return std::nullopt;
  }
  for (const auto& table : builtin_reference_tables())
    if (table.stem == request) return parse_builtin(table);
  if (const auto* table = latest_builtin(request)) return parse_builtin(*table);

  const std::filesystem::path path(request);
  std::ifstream in(path);
  if (!in)
    throw std::invalid_argument("--normalize " + request +
                                ": neither a built-in reference table nor a readable file (built-in: " +
                                builtin_names() + "; or none)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_reference_table(text.str(), path.string());
}

}  // namespace pgbench::report
