// report/reference_tables.hpp -- the versioned reference scores that normalise returns across
// tasks: x = (raw - r_min) / (r_max - r_min). The tables live in suites/normalization/ (one file
// NAME.vVERSION.json per version) and are compiled in; a user may also name a file.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgbench::report {

struct ReferenceScores {
  double r_min = 0;
  double r_max = 1;
  std::string r_min_source;
  std::string r_max_source;

  double normalize(double raw) const { return (raw - r_min) / (r_max - r_min); }
};

struct ReferenceTable {
  std::string name;
  int version = 0;
  std::string description;
  std::string origin;  // "built-in NAME.vVERSION" or the file it was read from
  std::map<std::string, ReferenceScores> tasks;

  // By the suite's task name, else by the environment's name; nullptr when neither is listed.
  const ReferenceScores* find(const std::string& task, const std::string& env_name) const;
  std::string label() const { return name + " v" + std::to_string(version); }
};

// Parses a table; throws std::invalid_argument naming `origin` and what is wrong.
ReferenceTable parse_reference_table(std::string_view json, const std::string& origin);

struct BuiltinReferenceTable {
  std::string_view stem;  // "classic-control.v1"
  std::string_view json;
};
std::span<const BuiltinReferenceTable> builtin_reference_tables();  // sorted by stem

struct TaskNames {
  std::string task;
  std::string env_name;
};

// What --normalize asks for:
//   "none"                 -> nullopt (no normalisation);
//   ""                     -> the latest built-in table named like the suite, else the first
//                             built-in table (by name) that covers every task, else nullopt;
//   "NAME" / "NAME.vN"     -> the latest / that version of a built-in table;
//   anything else          -> a file path.
// Throws std::invalid_argument for an unknown name or an unreadable file, listing the built-in
// names.
std::optional<ReferenceTable> resolve_reference_table(const std::string& request,
                                                      const std::string& suite_name,
                                                      const std::vector<TaskNames>& tasks);

}  // namespace pgbench::report
