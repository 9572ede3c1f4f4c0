#include "host/suite.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "host/instances.hpp"
#include "host/results.hpp"

namespace fs = std::filesystem;

namespace pgbench {

namespace {

const std::vector<std::string> kSuiteKeys{"name", "description", "master_seed", "seeds", "defaults", "tasks", "algorithms"};
const std::vector<std::string> kTaskSettings{"steps",           "eval_every",        "eval_episodes",   "max_episode_steps",
                                             "clip_actions",    "cell_time_limit",   "cell_memory_limit", "checkpoint_every"};
const std::vector<std::string> kTaskKeys{"env",          "config",          "steps",           "eval_every",
                                         "eval_episodes", "max_episode_steps", "clip_actions", "cell_time_limit",
                                         "cell_memory_limit", "checkpoint_every"};
const std::vector<std::string> kAlgoSettings{"num_envs"};
const std::vector<std::string> kAlgoKeys{"algorithm", "num_envs", "seeds", "tasks", "hyperparameters", "per_task"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::invalid_argument(where + ": " + what);
}

void check_keys(const std::string& where, const YAML::Node& map, const std::vector<std::string>& accepted) {
  if (!map.IsMap()) fail(where, "must be a map with keys among " + join(accepted));
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (std::find(accepted.begin(), accepted.end(), key) == accepted.end())
      fail(where, unknown_name_message("key", key, accepted));
  }
}

// YAML forbids a key twice in one map, but yaml-cpp keeps both and lookups see only the first:
// a typo'd copy-paste would silently win or lose. Every map of the file is checked, and that its
// keys are plain names (YAML allows a list as a key; a suite has no use for one).
void check_duplicate_keys(const std::string& file, const YAML::Node& node) {
  if (node.IsSequence())
    for (const auto& item : node) check_duplicate_keys(file, item);
  if (!node.IsMap()) return;
  std::map<std::string, int> first_line;
  for (const auto& kv : node) {
    const int line = kv.first.Mark().line + 1;
    if (kv.first.IsSequence() || kv.first.IsMap())
      fail(file, fmt::format("line {}: a key must be a plain name, not a list or a map", line));
    const std::string key = kv.first.Scalar();
    if (const auto [it, inserted] = first_line.emplace(key, line); !inserted)
      fail(file, fmt::format("key '{}' appears twice in the same map, on lines {} and {}; keep one", key, it->second, line));
    check_duplicate_keys(file, kv.second);
  }
}

std::string scalar_text(const std::string& where, const YAML::Node& node) {
  if (!node.IsScalar()) fail(where, "must be a single value, not a list or map");
  return node.Scalar();
}

Overrides scalar_map(const std::string& where, const YAML::Node& node) {
  Overrides out;
  if (!node || node.IsNull()) return out;
  if (!node.IsMap()) fail(where, "must be a map of key: value");
  for (const auto& kv : node) out[kv.first.Scalar()] = scalar_text(where + "." + kv.first.Scalar(), kv.second);
  return out;
}

template <class T>
T scalar_as(const std::string& where, const YAML::Node& node, const char* expected) {
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    fail(where, fmt::format("expected {}, got '{}'", expected, node.IsScalar() ? node.Scalar() : "a list or map"));
  }
}

// The most seeds one grid may run per task and algorithm. Every seed is a cell with a run
// directory of its own, so a count beyond this is a typo (an extra digit), and taking it would
// first spend minutes and gigabytes listing the indices.
constexpr std::int64_t kMaxSeeds = 10000;

// Seed indices 0..count-1, for a count given in a suite or on the command line.
std::vector<std::int64_t> first_seeds(const std::string& where, std::int64_t count) {
  if (count < 1 || count > kMaxSeeds) fail(where, fmt::format("must be >= 1 and <= {}, got {}", kMaxSeeds, count));
  std::vector<std::int64_t> seeds(static_cast<std::size_t>(count));
  std::iota(seeds.begin(), seeds.end(), std::int64_t{0});
  return seeds;
}

// Seeds as a suite gives them, for the whole grid or one algorithm: a count (indices 0..n-1) or
// a list of distinct indices.
std::vector<std::int64_t> seed_list(const std::string& where, const YAML::Node& node) {
  if (!node.IsSequence()) return first_seeds(where, scalar_as<std::int64_t>(where, node, "a count or a list of seed indices"));
  std::vector<std::int64_t> seeds;
  for (const auto& s : node) seeds.push_back(scalar_as<std::int64_t>(where, s, "an integer seed index"));
  if (seeds.empty()) fail(where, "must not be empty");
  if (std::ssize(seeds) > kMaxSeeds) fail(where, fmt::format("lists {} seed indices, more than {}", seeds.size(), kMaxSeeds));
  if (std::set<std::int64_t>(seeds.begin(), seeds.end()).size() != seeds.size()) fail(where, "lists a seed index twice");
  return seeds;
}

// The tasks an algorithm is restricted to: a list of the suite's task names (one name alone is a
// list of one).
std::vector<std::string> task_list(const std::string& where, const YAML::Node& node,
                                   const std::vector<std::string>& suite_tasks) {
  std::vector<std::string> tasks;
  if (node.IsScalar()) tasks.push_back(node.Scalar());
  else if (node.IsSequence())
    for (const auto& t : node) tasks.push_back(scalar_as<std::string>(where, t, "a task name"));
  else fail(where, "must be a list of task names of the suite");
  if (tasks.empty()) fail(where, "must name at least one task (leave it out for every task)");
  for (const auto& t : tasks)
    if (std::find(suite_tasks.begin(), suite_tasks.end(), t) == suite_tasks.end())
      fail(where, unknown_name_message("task", t, suite_tasks));
  if (std::set<std::string>(tasks.begin(), tasks.end()).size() != tasks.size()) fail(where, "lists a task twice");
  return tasks;
}

// A list on the command line (--set ddpg.tasks=A,B or =[A, B]) as the YAML node a suite file
// would have.
YAML::Node list_from_text(const std::string& where, const std::string& text) {
  if (text.starts_with('[')) {
    try {
      return YAML::Load(text);
    } catch (const YAML::Exception& e) {
      fail(where, fmt::format("not a list: {} (write A,B or [A, B])", e.msg));
    }
  }
  if (text.find(',') == std::string::npos) return YAML::Node(text);
  YAML::Node list(YAML::NodeType::Sequence);
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) list.push_back(item);
  return list;
}


// Reads a task setting, validated; `fallback` when absent.
std::uint64_t positive_setting(const std::string& where, const Overrides& s, const char* key, std::uint64_t fallback,
                               std::uint64_t min_value) {
  auto it = s.find(key);
  if (it == s.end()) return fallback;
  long long v = 0;
  if (!YAML::convert<long long>::decode(YAML::Node(it->second), v) || v < static_cast<long long>(min_value))
    fail(where, fmt::format("'{}' must be an integer >= {}, got '{}'", key, min_value, it->second));
  return static_cast<std::uint64_t>(v);
}

// A number followed by a unit from `units` (the first unit is the default for a bare number,
// if `bare_allowed`); "none" is 0.
double number_with_unit(const std::string& where, const std::string& text, const std::vector<std::pair<std::string, double>>& units,
                        bool bare_allowed, const char* accepted) {
  if (text == "none") return 0;
  std::size_t used = 0;
  double value = NAN;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  std::string unit = text.substr(std::min(used, text.size()));
  unit.erase(0, unit.find_first_not_of(' '));
  const auto bad = [&] { return std::invalid_argument(fmt::format("{}: expected {}, got '{}'", where, accepted, text)); };
  if (!std::isfinite(value) || value < 0 || used == 0) throw bad();
  if (unit.empty()) {
    if (!bare_allowed && value != 0) throw bad();
    return value * units.front().second;
  }
  for (const auto& [name, factor] : units)
    if (unit == name) return value * factor;
  throw bad();
}

}  // namespace

double parse_duration(const std::string& where, const std::string& text) {
  return number_with_unit(where, text, {{"s", 1}, {"min", 60}, {"m", 60}, {"h", 3600}, {"d", 86400}}, true,
                          "a duration such as 3600, 90s, 30min, 2h or 1d (or none)");
}

std::uint64_t parse_byte_size(const std::string& where, const std::string& text) {
  constexpr double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;
  return static_cast<std::uint64_t>(number_with_unit(
      where, text,
      {{"GiB", GiB}, {"MiB", MiB}, {"KiB", KiB}, {"TiB", TiB}, {"G", GiB}, {"M", MiB}, {"K", KiB}, {"T", TiB},
       {"GB", GiB}, {"MB", MiB}, {"KB", KiB}, {"TB", TiB}},
      false, "a size with a unit such as 8GiB or 512MiB (or none)"));
}

std::vector<fs::path> shipped_suite_folders() {
  std::vector<fs::path> folders;
  const fs::path bin = boost::dll::program_location().parent_path().string();
  folders.push_back(bin.parent_path() / "share" / "pgbench" / "suites");
#ifdef PGBENCH_SOURCE_SUITES_DIR
  folders.emplace_back(PGBENCH_SOURCE_SUITES_DIR);
#endif
  return folders;
}

std::vector<fs::path> suite_folders(const std::vector<fs::path>& extra) {
  std::vector<fs::path> folders = extra;
  if (const char* env = std::getenv("PGBENCH_SUITE_PATH")) {
    std::stringstream ss(env);
    for (std::string item; std::getline(ss, item, ':');)
      if (!item.empty()) folders.emplace_back(item);
  }
  const auto shipped = shipped_suite_folders();
  folders.insert(folders.end(), shipped.begin(), shipped.end());
  return folders;
}

std::string suite_file_label(const fs::path& file) {
  std::error_code ec;
  for (const auto& folder : shipped_suite_folders())
    if (fs::equivalent(folder, file.parent_path(), ec)) return "suites/" + file.filename().string();
  return file.string();
}

fs::path find_suite(const std::string& name_or_path, const std::vector<fs::path>& extra_folders) {
  if (name_or_path.empty()) throw std::invalid_argument("--suite: empty; give a suite name (e.g. smoke) or a file path");
  if (name_or_path.find('/') != std::string::npos) {
    const fs::path p(name_or_path);
    if (fs::is_regular_file(p)) return p;
    throw std::invalid_argument(fmt::format("--suite {}: {}", name_or_path,
                                            fs::exists(p) ? "is not a file" : "no such file"));
  }
  std::string name = name_or_path;
  for (const char* ext : {".yaml", ".yml"})
    if (name.size() > std::strlen(ext) && name.ends_with(ext)) name.resize(name.size() - std::strlen(ext));
  std::vector<std::string> available;
  for (const auto& folder : suite_folders(extra_folders)) {
    const fs::path p = folder / (name + ".yaml");
    if (fs::is_regular_file(p)) return p;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(folder, ec))
      if (f.path().extension() == ".yaml") available.push_back(f.path().stem().string());
  }
  std::sort(available.begin(), available.end());
  available.erase(std::unique(available.begin(), available.end()), available.end());
  std::string hint = " (a suite file is given as a path, e.g. ./my-suite.yaml; --suite-path DIR adds a folder)";
  for (const fs::path& here : {fs::path(name_or_path), fs::path(name_or_path + ".yaml")})
    if (fs::is_regular_file(here))
      hint = fmt::format(" (suite names are looked up in the suite folders only; to use the file here, give --suite ./{})",
                         here.string());
  throw std::invalid_argument("--suite: " + unknown_name_message("suite", name_or_path, available) + hint);
}

Suite load_suite(const fs::path& file) {
  return parse_suite(read_file_text(file), file);
}

static Suite parse_suite_checked(const std::string& yaml, const fs::path& file);

Suite parse_suite(const std::string& yaml, const fs::path& file) {
  // The checks below name what is wrong; anything yaml-cpp still objects to is bad input too.
  try {
    return parse_suite_checked(yaml, file);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument(fmt::format("{}: line {}: {}", file.string(), e.mark.line + 1, e.msg));
  }
}

static Suite parse_suite_checked(const std::string& yaml, const fs::path& file) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument(fmt::format("{}: not valid YAML: {}", file.string(), e.what()));
  }
  const std::string where = file.string();
  if (!root.IsMap()) fail(where, "a suite must be a map with keys " + join(kSuiteKeys));
  check_duplicate_keys(where, root);
  check_keys(where, root, kSuiteKeys);
  Suite suite;
  suite.file = file;
  for (const char* required : {"name", "master_seed", "seeds", "tasks", "algorithms"})
    if (!root[required]) fail(where, fmt::format("missing required key '{}'", required));
  suite.name = scalar_as<std::string>(where + ".name", root["name"], "a string");
  suite.description = root["description"] ? scalar_as<std::string>(where + ".description", root["description"], "a string") : "";
  suite.master_seed = scalar_as<std::uint64_t>(where + ".master_seed", root["master_seed"], "a non-negative integer");
  suite.seeds = seed_list(where + ".seeds", root["seeds"]);

  Overrides defaults;
  if (const YAML::Node d = root["defaults"]) {
    check_keys(where + ".defaults", d, kTaskSettings);
    defaults = scalar_map(where + ".defaults", d);
  }
  suite.defaults = defaults;
  const YAML::Node tasks = root["tasks"];
  if (!tasks.IsMap() || tasks.size() == 0) fail(where + ".tasks", "must be a non-empty map of task name: settings");
  for (const auto& kv : tasks) {
    TaskEntry t;
    t.name = kv.first.Scalar();
    const std::string tw = where + ".tasks." + t.name;
    const YAML::Node node = kv.second;
    if (node && !node.IsNull() && !node.IsMap()) fail(tw, "must be a map of settings");
    if (node.IsMap()) check_keys(tw, node, kTaskKeys);
    t.env = node["env"] ? scalar_as<std::string>(tw + ".env", node["env"], "an env id or name") : t.name;
    t.config = scalar_map(tw + ".config", node["config"]);
    t.settings = defaults;
    for (const auto& key : kTaskSettings)
      if (node[key]) t.settings[key] = scalar_text(tw + "." + key, node[key]);
    if (!t.settings.count("steps")) fail(tw, "missing 'steps' (the env-step budget), here or under defaults");
    suite.tasks.push_back(std::move(t));
  }

  std::vector<std::string> task_names;
  for (const auto& t : suite.tasks) task_names.push_back(t.name);
  const YAML::Node algos = root["algorithms"];
  if (!algos.IsMap() || algos.size() == 0) fail(where + ".algorithms", "must be a non-empty map of algorithm name: settings");
  for (const auto& kv : algos) {
    AlgoEntry a;
    a.name = kv.first.Scalar();
    const std::string aw = where + ".algorithms." + a.name;
    const YAML::Node node = kv.second;
    if (node && !node.IsNull() && !node.IsMap()) fail(aw, "must be a map of settings");
    if (node.IsMap()) check_keys(aw, node, kAlgoKeys);
    a.algorithm = node["algorithm"] ? scalar_as<std::string>(aw + ".algorithm", node["algorithm"], "an algorithm id or name") : a.name;
    if (node["num_envs"]) a.settings["num_envs"] = scalar_text(aw + ".num_envs", node["num_envs"]);
    if (node["seeds"]) a.seeds = seed_list(aw + ".seeds", node["seeds"]);
    if (node["tasks"]) a.tasks = task_list(aw + ".tasks", node["tasks"], task_names);
    a.hyperparameters = scalar_map(aw + ".hyperparameters", node["hyperparameters"]);
    if (const YAML::Node per_task = node["per_task"]) {
      if (!per_task.IsMap()) fail(aw + ".per_task", "must be a map of task name: hyperparameters");
      for (const auto& pt : per_task) a.per_task[pt.first.Scalar()] = scalar_map(aw + ".per_task." + pt.first.Scalar(), pt.second);
    }
    suite.algorithms.push_back(std::move(a));
  }
  for (const auto& a : suite.algorithms)
    for (const auto& entry : a.per_task)
      if (const std::string& task = entry.first; std::find(task_names.begin(), task_names.end(), task) == task_names.end())
        fail(where + ".algorithms." + a.name + ".per_task", unknown_name_message("task", task, task_names));
  return suite;
}

void apply_overrides(Suite& suite, const SuiteOverrides& o, const LoadedName& loaded) {
  std::vector<std::string> task_names, algo_names;
  for (const auto& t : suite.tasks) task_names.push_back(t.name);
  for (const auto& a : suite.algorithms) algo_names.push_back(a.name);
  const auto known = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  const char* also = loaded ? " or among the loaded plugins (pgbench list)" : "";

  if (!o.algos.empty()) {
    for (const auto& name : o.algos) {
      if (known(algo_names, name)) continue;
      if (!loaded || !loaded("algorithm", name))
        throw std::invalid_argument(fmt::format("--algos: {} in suite '{}'{}",
                                                unknown_name_message("algorithm", name, algo_names), suite.name, also));
      AlgoEntry added;  // the plugin's declared defaults and num_envs, unless --set NAME.num_envs=N
      added.name = added.algorithm = name;
      suite.algorithms.push_back(std::move(added));
      suite.added_from_command_line.push_back("algorithm " + name);
      algo_names.push_back(name);
    }
    std::erase_if(suite.algorithms, [&](const AlgoEntry& a) { return !known(o.algos, a.name); });
  }
  if (!o.envs.empty()) {
    for (const auto& name : o.envs) {
      if (known(task_names, name)) continue;
      if (!loaded || !loaded("environment", name))
        throw std::invalid_argument(fmt::format("--envs: {} in suite '{}'{}",
                                                unknown_name_message("task", name, task_names), suite.name, also));
      TaskEntry added;  // the suite's task defaults and the env's declared parameters
      added.name = added.env = name;
      added.settings = suite.defaults;
      suite.tasks.push_back(std::move(added));
      suite.added_from_command_line.push_back("task " + name);
      task_names.push_back(name);
    }
    std::erase_if(suite.tasks, [&](const TaskEntry& t) { return !known(o.envs, t.name); });
  }
  if (o.seeds) {
    suite.seeds = first_seeds("--seeds", *o.seeds);
    for (auto& a : suite.algorithms) a.seeds.reset();  // the command line's count holds for every algorithm
  }
  if (o.steps) {
    if (*o.steps < 1) throw std::invalid_argument("--steps: must be >= 1");
    for (auto& t : suite.tasks) t.settings["steps"] = std::to_string(*o.steps);
  }
  if (o.cell_time_limit) {
    parse_duration("--cell-time-limit", *o.cell_time_limit);
    for (auto& t : suite.tasks) t.settings["cell_time_limit"] = *o.cell_time_limit;
  }
  if (o.cell_memory_limit) {
    parse_byte_size("--cell-memory-limit", *o.cell_memory_limit);
    for (auto& t : suite.tasks) t.settings["cell_memory_limit"] = *o.cell_memory_limit;
  }
  if (o.checkpoint_every) {
    parse_duration("--checkpoint-every", *o.checkpoint_every);
    for (auto& t : suite.tasks) t.settings["checkpoint_every"] = *o.checkpoint_every;
  }
  for (const std::string& set : o.sets) {
    const auto eq = set.find('=');
    const auto dot = set.rfind('.', eq);
    if (eq == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 == eq)
      throw std::invalid_argument(fmt::format("--set '{}': expected NAME.KEY=VALUE, where NAME is a task or algorithm "
                                              "of the suite (e.g. --set ppo.learning_rate=1e-4)", set));
    const std::string name = set.substr(0, dot), key = set.substr(dot + 1, eq - dot - 1), value = set.substr(eq + 1);
    auto task = std::find_if(suite.tasks.begin(), suite.tasks.end(), [&](const TaskEntry& t) { return t.name == name; });
    auto algo = std::find_if(suite.algorithms.begin(), suite.algorithms.end(), [&](const AlgoEntry& a) { return a.name == name; });
    if (task != suite.tasks.end()) {
      if (std::find(kTaskSettings.begin(), kTaskSettings.end(), key) != kTaskSettings.end()) task->settings[key] = value;
      else task->config[key] = value;  // checked against the env's declared parameters at resolution
    } else if (algo != suite.algorithms.end()) {
      const std::string where = fmt::format("--set '{}'", set);
      if (key == "num_envs") algo->settings[key] = value;
      else if (key == "seeds") algo->seeds = seed_list(where, list_from_text(where, value));
      else if (key == "tasks") algo->tasks = task_list(where, list_from_text(where, value), task_names);
      else algo->hyperparameters[key] = value;
    } else {
      std::vector<std::string> names = task_names;
      names.insert(names.end(), algo_names.begin(), algo_names.end());
      throw std::invalid_argument(fmt::format("--set '{}': {}", set, unknown_name_message("task or algorithm", name, names)));
    }
  }
  for (const auto& t : suite.tasks)
    if (!t.settings.count("steps"))
      throw std::invalid_argument(fmt::format(
          "--envs: task '{}' is not in suite '{}', whose defaults give no budget: add --steps N or --set {}.steps=N",
          t.name, suite.name, t.name));
}

std::unique_ptr<ResolvedSuite> resolve_suite(const Suite& suite, const PluginRegistry& plugins) {
  auto r = std::make_unique<ResolvedSuite>();
  r->suite = suite;
  for (const TaskEntry& t : suite.tasks) {
    const std::string where = fmt::format("task '{}'", t.name);
    const EnvType* env = plugins.find_env(t.env);
    if (!env) throw std::invalid_argument(where + ": " + unknown_name_message("environment", t.env, plugins.env_names()));
    TaskSpec spec;
    spec.name = t.name;
    spec.env = *env;
    spec.env_config = resolve_config(where + " (env " + env->desc->name + ")", env->desc->params, env->desc->param_count, t.config);
    // The env's own view of this config: spaces and registered time limit.
    EnvHandle probe(*env, 1, spec.env_config, 0);
    spec.discrete_actions = probe.discrete_actions();
    spec.steps = positive_setting(where, t.settings, "steps", 0, 1);
    spec.eval_every = positive_setting(where, t.settings, "eval_every", spec.steps, 1);
    spec.eval_episodes = static_cast<std::uint32_t>(positive_setting(where, t.settings, "eval_episodes", 10, 1));
    spec.max_episode_steps = static_cast<std::uint32_t>(positive_setting(where, t.settings, "max_episode_steps", probe.info().max_episode_steps, 0));
    if (auto it = t.settings.find("clip_actions"); it != t.settings.end()) {
      const auto clip = parse_bool(it->second);
      if (!clip) fail(where, fmt::format("'clip_actions' must be true or false, got '{}'", it->second));
      spec.clip_actions = *clip;
    }
    spec.time_limit_s = kDefaultCellTimeLimitSeconds;
    if (auto it = t.settings.find("cell_time_limit"); it != t.settings.end())
      spec.time_limit_s = parse_duration(where + ": 'cell_time_limit'", it->second);
    spec.memory_limit_bytes = kDefaultCellMemoryLimitBytes;
    if (auto it = t.settings.find("cell_memory_limit"); it != t.settings.end())
      spec.memory_limit_bytes = parse_byte_size(where + ": 'cell_memory_limit'", it->second);
    spec.checkpoint_every_s = kDefaultCheckpointEverySeconds;
    if (auto it = t.settings.find("checkpoint_every"); it != t.settings.end())
      spec.checkpoint_every_s = parse_duration(where + ": 'checkpoint_every'", it->second);
    r->tasks.push_back(std::move(spec));
  }
  for (const AlgoEntry& a : suite.algorithms) {
    const std::string where = fmt::format("algorithm '{}'", a.name);
    const AlgoType* algo = plugins.find_algorithm(a.algorithm);
    if (!algo) throw std::invalid_argument(where + ": " + unknown_name_message("algorithm", a.algorithm, plugins.algorithm_names()));
    AlgoSpec spec;
    spec.name = a.name;
    spec.algorithm = *algo;
    // The suite's num_envs, else the algorithm's own default (ABI 1.2), else 1.
    spec.num_envs = static_cast<std::uint32_t>(
        positive_setting(where, a.settings, "num_envs", default_num_envs(*algo->desc), 1));
    spec.hyperparameters = resolve_config(where, algo->desc->params, algo->desc->param_count, a.hyperparameters);
    r->algorithms.push_back(std::move(spec));
  }
  for (std::size_t ti = 0; ti < r->tasks.size(); ++ti) {
    const TaskSpec& task = r->tasks[ti];
    for (std::size_t ai = 0; ai < r->algorithms.size(); ++ai) {
      const AlgoSpec& algo = r->algorithms[ai];
      const AlgoEntry& entry = suite.algorithms[ai];
      if (entry.tasks && std::find(entry.tasks->begin(), entry.tasks->end(), task.name) == entry.tasks->end()) continue;
      const std::uint64_t needed = task.discrete_actions ? PGB_ALGO_DISCRETE_ACTIONS : PGB_ALGO_BOX_ACTIONS;
      if (!(algo.algorithm.desc->flags & needed)) {
        r->skipped.push_back({task.name, algo.name,
                              fmt::format("{} does not handle {} action spaces", algo.algorithm.desc->name,
                                          task.discrete_actions ? "Discrete" : "Box")});
        continue;
      }
      Overrides hp = entry.hyperparameters;
      if (auto it = entry.per_task.find(task.name); it != entry.per_task.end())
        for (const auto& [k, v] : it->second) hp[k] = v;
      const ResolvedConfig resolved = resolve_config(fmt::format("algorithm '{}' on task '{}'", algo.name, task.name),
                                                     algo.algorithm.desc->params, algo.algorithm.desc->param_count, hp);
      for (std::int64_t seed : entry.seeds ? *entry.seeds : suite.seeds) {
        CellSpec cell;
        cell.task = &task;
        cell.algo = &algo;
        cell.hyperparameters = resolved;
        cell.seed_index = seed;
        cell.master_seed = suite.master_seed;
        r->cells.push_back(std::move(cell));
      }
    }
  }
  return r;
}

nlohmann::json ResolvedSuite::to_json() const {
  nlohmann::json j;
  j["name"] = suite.name;
  j["description"] = suite.description;
  j["master_seed"] = suite.master_seed;
  j["seeds"] = suite.seeds;
  if (!suite.added_from_command_line.empty()) j["added_from_command_line"] = suite.added_from_command_line;
  j["tasks"] = nlohmann::json::object();
  for (const auto& t : tasks) {
    // Parameters declared without PGB_PARAM_AFFECTS_RESULTS (a thread count, a log level) are
    // recorded but not part of the protocol runs are compared under.
    nlohmann::json not_affecting = nlohmann::json::array();
    for (std::uint32_t i = 0; i < t.env.desc->param_count; ++i)
      if (!(t.env.desc->params[i]->flags & PGB_PARAM_AFFECTS_RESULTS)) not_affecting.push_back(t.env.desc->params[i]->key);
    j["tasks"][t.name] = {{"env", t.env.desc->id},
                          {"env_name", t.env.desc->name},
                          {"config", pgbench::to_json(t.env_config)},
                          {"steps", t.steps},
                          {"eval_every", t.eval_every},
                          {"eval_episodes", t.eval_episodes},
                          {"max_episode_steps", t.max_episode_steps},
                          {"clip_actions", t.clip_actions},
                          {"action_kind", t.discrete_actions ? "discrete" : "box"}};
    if (!not_affecting.empty()) j["tasks"][t.name]["config_not_affecting_results"] = not_affecting;
  }
  j["algorithms"] = nlohmann::json::object();
  for (std::size_t ai = 0; ai < algorithms.size(); ++ai) {
    const auto& a = algorithms[ai];
    nlohmann::json per_task = nlohmann::json::object();
    for (const auto& c : cells)
      if (c.algo == &a && c.hyperparameters != a.hyperparameters) per_task[c.task->name] = pgbench::to_json(c.hyperparameters);
    j["algorithms"][a.name] = {{"algorithm", a.algorithm.desc->id},
                               {"algorithm_name", a.algorithm.desc->name},
                               {"num_envs", a.num_envs},
                               {"hyperparameters", pgbench::to_json(a.hyperparameters)},
                               {"per_task_hyperparameters", per_task}};
    // Only when set, so that a grid without them keeps the identity it always had.
    const AlgoEntry& entry = suite.algorithms[ai];
    if (entry.seeds) j["algorithms"][a.name]["seeds"] = *entry.seeds;
    if (entry.tasks) j["algorithms"][a.name]["tasks"] = *entry.tasks;
  }
  return j;
}

std::string ResolvedSuite::shape() const {
  std::string out = fmt::format("{} tasks x {} algorithms x {} seeds", tasks.size(), algorithms.size(), suite.seeds.size());
  for (const AlgoEntry& a : suite.algorithms) {
    if (!a.seeds && !a.tasks) continue;
    const auto runs_on = [&](const TaskSpec& t) {
      return !a.tasks || std::find(a.tasks->begin(), a.tasks->end(), t.name) != a.tasks->end();
    };
    out += fmt::format("; {}: {} tasks x {} seeds", a.name, std::count_if(tasks.begin(), tasks.end(), runs_on),
                       (a.seeds ? *a.seeds : suite.seeds).size());
  }
  return out;
}

}  // namespace pgbench
