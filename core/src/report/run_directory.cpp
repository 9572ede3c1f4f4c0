#include "report/run_directory.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A file is malformed: the message names what, the caller adds which file.
struct MalformedFile : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MalformedFile("cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json read_json(const fs::path& path) {
  try {
    return json::parse(read_text(path));
  } catch (const json::exception& error) {
    throw MalformedFile(std::string("is not valid JSON: ") + error.what());
  }
}

double parse_field(std::string_view field, std::size_t line, std::string_view column) {
  if (field.empty()) return kNaN;
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size())
    throw MalformedFile("line " + std::to_string(line) + ", column " + std::string(column) +
                        ": '" + std::string(field) + "' is not a number");
  return value;
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string_view::npos; start = comma + 1)
    fields.push_back(line.substr(start, comma - start));
  fields.push_back(line.substr(start));
  return fields;
}

// curve.csv: the fixed columns first, then any algorithm metrics (not needed by the report).
Curve read_curve(const fs::path& path) {
  const std::string text = read_text(path);
  if (text.empty()) throw MalformedFile("is empty");
  if (text.back() != '\n') throw MalformedFile("is truncated: its last line does not end");

  std::istringstream lines(text);
  std::string header_line;
  std::getline(lines, header_line);
  const std::vector<std::string_view> header = split(header_line);
  auto column_of = [&](std::string_view name) -> std::size_t {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw MalformedFile("has no column " + std::string(name));
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t step = column_of("env_step"), mean = column_of("eval_return_mean"),
                    std = column_of("eval_return_std"), train = column_of("train_return_mean"),
                    wall = column_of("wall_time_s");

  Curve curve;
  std::string row;
  for (std::size_t line = 2; std::getline(lines, row); ++line) {
    const std::vector<std::string_view> fields = split(row);
    if (fields.size() != header.size())
      throw MalformedFile("line " + std::to_string(line) + " has " + std::to_string(fields.size()) +
                          " fields, the header has " + std::to_string(header.size()));
    curve.env_step.push_back(parse_field(fields[step], line, header[step]));
    curve.eval_return_mean.push_back(parse_field(fields[mean], line, header[mean]));
    curve.eval_return_std.push_back(parse_field(fields[std], line, header[std]));
    curve.train_return_mean.push_back(parse_field(fields[train], line, header[train]));
    curve.wall_time_s.push_back(parse_field(fields[wall], line, header[wall]));
    if (curve.env_step.size() > 1 && !(curve.env_step.back() > curve.env_step[curve.env_step.size() - 2]))
      throw MalformedFile("line " + std::to_string(line) + ": env_step does not increase");
  }
  if (curve.env_step.empty()) throw MalformedFile("has no evaluation rows");
  return curve;
}

double number_or_nan(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : kNaN;
}

Timing read_timing(const json& summary) {
  const json timing = summary.value("timing", json::object());
  return {number_or_nan(timing, "wall_s"),   number_or_nan(timing, "env_step_s"),
          number_or_nan(timing, "act_s"),    number_or_nan(timing, "observe_s"),
          number_or_nan(timing, "update_s"), number_or_nan(timing, "eval_s"),
          number_or_nan(timing, "steps_per_s")};
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// Where a cell's config.json departs from what the manifest's grid says that cell runs: one
// "field: VALUE here, VALUE in the manifest" per difference; empty when it matches.
std::vector<std::string> config_mismatches(const json& config, const json& suite, const Cell& cell) {
  const json task = suite.at("tasks").value(cell.task, json::object());
  const json algorithm = suite.at("algorithms").value(cell.algorithm, json::object());
  const json per_task = algorithm.value("per_task_hyperparameters", json::object());
  const json expected = {{"task", cell.task},
                         {"algorithm", cell.algorithm},
                         {"seed_index", cell.seed_index},
                         {"env", task.value("env", json())},
                         {"env_config", task.value("config", json())},
                         {"algorithm_id", algorithm.value("algorithm", json())},
                         {"num_envs", algorithm.value("num_envs", json())},
                         {"hyperparameters", per_task.contains(cell.task) ? per_task.at(cell.task)
                                                                          : algorithm.value("hyperparameters", json())},
                         {"steps", task.value("steps", json())},
                         {"eval_every", task.value("eval_every", json())},
                         {"eval_episodes", task.value("eval_episodes", json())},
                         {"max_episode_steps", task.value("max_episode_steps", json())},
                         {"clip_actions", task.value("clip_actions", json())}};
  std::vector<std::string> differences;
  for (const auto& [key, want] : expected.items()) {
    const json have = config.value(key, json());
    if (have != want) differences.push_back(key + ": " + have.dump() + " here, " + want.dump() + " in the manifest");
  }
  return differences;
}

// Fills in a cell listed in the manifest from the files in its directory.
void read_cell(Cell& cell, const json& suite, std::vector<Problem>& problems) {
  const fs::path summary_path = cell.dir / "summary.json";
  if (!fs::exists(summary_path)) {
    cell.status = CellStatus::missing;
    return;
  }
  const fs::path curve_path = cell.dir / "curve.csv";
  fs::path current = summary_path;
  try {
    const json summary = read_json(summary_path);
    cell.timing = read_timing(summary);
    if (summary.value("status", "") != "ok") {
      cell.status = CellStatus::failed;
      cell.error = summary.value("error", "(no error message)");
      return;
    }
    current = cell.dir / "config.json";
    if (const auto differences = config_mismatches(read_json(current), suite, cell); !differences.empty()) {
      std::string list;
      for (const auto& d : differences) list += (list.empty() ? "" : "; ") + d;
      cell.status = CellStatus::unreadable;
      problems.push_back({current, "does not match the grid of the directory's manifest (" + list +
                                       "): the run is left out"});
      return;
    }
    current = curve_path;
    cell.curve = read_curve(curve_path);
    const auto& returns = cell.curve.eval_return_mean;
    if (std::any_of(returns.begin(), returns.end(), [](double r) { return !std::isfinite(r); })) {
      cell.status = CellStatus::unreadable;
      problems.push_back({curve_path, "eval_return_mean has NaN or infinite values: the run is left out"});
      return;
    }
    cell.status = CellStatus::finished;
  } catch (const MalformedFile& error) {
    cell.status = CellStatus::unreadable;
    problems.push_back({current, std::string(error.what()) + ": the run is left out"});
  }
}

// Adds to set.protocol_differences what differs between the protocol of `task` in the first
// directory (`a`) and in `directory` (`b`).
void note_protocol_differences(const std::string& task, const TaskProtocol& a, const TaskProtocol& b,
                               const RunDirectoryInfo& first, const RunDirectoryInfo& directory, RunSet& set) {
  const std::string in_a = first.path.filename().string(), in_b = directory.path.filename().string();
  const auto differs = [&](const char* what, const auto& x, const auto& y) {
    if (x != y)
      set.protocol_differences.push_back({fmt::format("{}: {} {} in {}, {} in {}", task, what, x, in_a, y, in_b), {task}});
  };
  differs("environment", a.env, b.env);
  differs("environment parameters", a.config, b.config);
  differs("env-step budget", a.steps, b.steps);
  differs("evaluation every (env steps)", a.eval_every, b.eval_every);
  differs("evaluation episodes", a.eval_episodes, b.eval_episodes);
  differs("episode time limit", a.max_episode_steps, b.max_episode_steps);
}

struct CellKey {
  std::string task, algorithm;
  std::uint64_t master_seed;
  int seed_index;
  auto operator<=>(const CellKey&) const = default;
};

// Ranks a task and an algorithm in order of first appearance.
void note_grid_order(const std::string& task, const std::string& algorithm, std::map<std::string, std::size_t>& task_rank,
                     std::map<std::string, std::size_t>& algorithm_rank) {
  task_rank.emplace(task, task_rank.size());
  algorithm_rank.emplace(algorithm, algorithm_rank.size());
}

}  // namespace

const char* to_string(CellStatus status) {
  switch (status) {
    case CellStatus::finished: return "finished";
    case CellStatus::failed: return "failed";
    case CellStatus::missing: return "missing";
    case CellStatus::unreadable: return "unreadable";
  }
  return "";
}

namespace {

// The machine, build and plugins a run records, for the report's provenance: a field that a
// damaged or older manifest lacks or garbles stays empty rather than costing the run.
void read_provenance(const json& manifest, RunDirectoryInfo& info) {
  try {
    // Machines are told apart as the host tells them (CPU, hardware threads, architecture).
    std::set<std::string> seen;
    const auto add_machine = [&](const json& machine) {
      if (!machine.is_object() || machine.empty()) return;
      const auto cpu = machine.value("cpu", "?");
      const auto threads = machine.value("hardware_threads", 0);
      const auto arch = machine.value("arch", "?");
      if (seen.insert(fmt::format("{}\n{}\n{}", cpu, threads, arch)).second)
        info.machines.push_back(fmt::format("{}, {} hardware threads, {}, {}", cpu, threads, arch, machine.value("os", "?")));
    };
    add_machine(manifest.value("machine", json::object()));
    for (const json& change : manifest.value("machine_changes", json::array())) add_machine(change.value("machine", json()));
    for (const json& piece : manifest.value("merged_from", json::array()))
      for (const json& machine : piece.value("machines", json::array())) add_machine(machine);
    const json build = manifest.value("build", json::object());
    if (build.is_object() && !build.empty())
      info.build = fmt::format("{}, {}, {}", build.value("build_type", "?"), build.value("compiler", "?"),
                               build.value("flags", "?"));
    for (const json& plugin : manifest.value("plugins", json::array()))
      if (plugin.is_object())
        info.plugins.push_back({plugin.value("file", ""), plugin.value("id", ""), plugin.value("version", ""),
                                plugin.value("sha256", ""), plugin.value("build_signature", "")});
  } catch (const json::exception&) {
    info.machines.clear();
    info.build.clear();
    info.plugins.clear();
  }
}

}  // namespace

RunSet read_run_directories(const std::vector<fs::path>& directories) {
  if (directories.empty()) throw std::invalid_argument("report: no run directory given");
  RunSet set;
  std::map<std::string, std::size_t> task_rank, algorithm_rank;
  std::map<std::uint64_t, std::size_t> seed_rank;
  std::map<CellKey, std::size_t> cell_index;
  for (const fs::path& directory : directories) {
    if (!fs::is_directory(directory))
      throw std::invalid_argument("run directory " + directory.string() +
                                  " does not exist (expected a directory written by pgbench, with manifest.json)");
    const fs::path manifest_path = directory / "manifest.json";
    json manifest;
    try {
      manifest = read_json(manifest_path);
    } catch (const MalformedFile& error) {
      throw std::invalid_argument(manifest_path.string() + " " + error.what() +
                                  " (every run directory written by pgbench has one)");
    }
    try {
      const json& suite = manifest.at("suite");
      RunDirectoryInfo info;
      info.path = directory;
      const json pgbench = manifest.value("pgbench", json::object());
      info.pgbench_version = pgbench.value("version", "");
      info.git_commit = pgbench.value("git_commit", "");
      info.abi_version = pgbench.value("abi_version", std::int64_t{0});
      info.master_seed = suite.value("master_seed", std::uint64_t{0});
      info.seeds = fmt::format("{} seeds", suite.value("seeds", json::array()).size());
      std::string own_seeds;
      const json algorithms = suite.value("algorithms", json::object());
      for (const auto& [name, algorithm] : algorithms.items())
        if (algorithm.contains("seeds"))
          own_seeds += fmt::format("{}{}: {}", own_seeds.empty() ? "" : ", ", name, algorithm["seeds"].size());
      if (!own_seeds.empty()) info.seeds += " (" + own_seeds + ")";
      read_provenance(manifest, info);
      set.directories.push_back(info);
      if (set.suite_name.empty()) {
        set.suite_name = suite.value("name", "");
        set.suite_description = suite.value("description", "");
      } else if (suite.value("name", "") != set.suite_name) {
        set.problems.push_back({manifest_path, "suite '" + suite.value("name", "") + "' merged into a report of suite '" +
                                                   set.suite_name + "'"});
      }

      for (const auto& [name, task] : suite.at("tasks").items()) {
        json config = task.value("config", json::object());
        for (const json& key : task.value("config_not_affecting_results", json::array()))
          if (key.is_string()) config.erase(key.get<std::string>());
        TaskProtocol protocol{task.value("env", ""),
                              task.value("env_name", name),
                              config.dump(),
                              task.value("steps", 0.0),
                              task.value("eval_every", 0.0),
                              task.value("eval_episodes", 0.0),
                              task.value("max_episode_steps", 0.0),
                              task.value("action_kind", "")};
        const auto [existing, inserted] = set.protocols.emplace(name, protocol);
        if (!inserted) note_protocol_differences(name, existing->second, protocol, set.directories.front(), info, set);
      }
      if (set.directories.size() > 1 && info.master_seed != set.directories.front().master_seed)
        set.protocol_differences.push_back({fmt::format("master seed: {} in {}, {} in {}", set.directories.front().master_seed,
                                                        set.directories.front().path.filename().string(), info.master_seed,
                                                        directory.filename().string()),
                                            {}});

      for (const json& skipped : manifest.value("skipped", json::array()))
        set.skipped.push_back({skipped.value("task", ""), skipped.value("algorithm", ""), skipped.value("reason", "")});

      // The grid's order of tasks and algorithms: a shard lists the whole grid's cells beside its own.
      const json grid = manifest.contains("shard") ? manifest["shard"].value("grid_cells", json::array()) : json::array();
      for (const json& cell : grid)
        if (cell.is_object())
          note_grid_order(cell.value("task", ""), cell.value("algorithm", ""), task_rank, algorithm_rank);
      if (!seed_rank.count(info.master_seed)) seed_rank.emplace(info.master_seed, seed_rank.size());
      for (const json& listed : manifest.at("cells")) {
        Cell cell;
        cell.task = listed.at("task").get<std::string>();
        cell.algorithm = listed.at("algorithm").get<std::string>();
        cell.seed_index = listed.at("seed_index").get<int>();
        cell.master_seed = info.master_seed;
        cell.dir = directory / listed.at("dir").get<std::string>();
        add_unique(set.tasks, cell.task);
        add_unique(set.algorithms, cell.algorithm);
        read_cell(cell, suite, set.problems);

        const CellKey key{cell.task, cell.algorithm, cell.master_seed, cell.seed_index};
        if (const auto it = cell_index.find(key); it != cell_index.end()) {
          Cell& kept = set.cells[it->second];
          // Shards of one grid may both list a cell; the finished copy counts, once.
          if (kept.status != CellStatus::finished && cell.status == CellStatus::finished) std::swap(kept, cell);
          if (cell.status == CellStatus::finished)
            set.problems.push_back({cell.dir, "the same cell (same master seed and seed index) is also in " +
                                                  kept.dir.string() + "; that copy is used"});
          continue;
        }
        cell_index.emplace(key, set.cells.size());
        set.cells.push_back(std::move(cell));
      }
    } catch (const json::exception& error) {
      throw std::invalid_argument(manifest_path.string() + " lacks a field the report needs: " + error.what());
    }
  }
  // One order whatever the order of the directories or how the grid was sharded: task and
  // algorithm in grid order, then master seed (directory order), then seed index. Bootstrap
  // resampling follows this order, so the same runs give the same report.
  for (const Cell& c : set.cells) note_grid_order(c.task, c.algorithm, task_rank, algorithm_rank);
  std::stable_sort(set.cells.begin(), set.cells.end(), [&](const Cell& a, const Cell& b) {
    return std::tuple(task_rank.at(a.task), algorithm_rank.at(a.algorithm), seed_rank.at(a.master_seed), a.seed_index) <
           std::tuple(task_rank.at(b.task), algorithm_rank.at(b.algorithm), seed_rank.at(b.master_seed), b.seed_index);
  });
  const auto by_rank = [](std::vector<std::string>& names, const std::map<std::string, std::size_t>& rank) {
    std::stable_sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return rank.at(a) < rank.at(b); });
  };
  by_rank(set.tasks, task_rank);
  by_rank(set.algorithms, algorithm_rank);
  return set;
}

bool RunSet::protocol_differs(const std::string& task) const {
  for (const ProtocolDifference& d : protocol_differences)
    if (d.tasks.empty() || std::find(d.tasks.begin(), d.tasks.end(), task) != d.tasks.end()) return true;
  return false;
}

}  // namespace pgbench::report
