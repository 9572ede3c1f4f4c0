#include "synthetic_run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pgbench/sdk/rng.hpp"

namespace pgbench::report::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

fs::path cell_dir(const fs::path& run_dir, const std::string& task, const std::string& algorithm, int seed) {
  return run_dir / "cells" / task / algorithm / ("seed-" + std::to_string(seed));
}

void write_synthetic_run(const fs::path& directory, const SyntheticRun& run) {
  json tasks = json::object(), algorithms = json::object(), cells = json::array();
  for (const auto& task : run.tasks)
    tasks[task.name] = {{"env", "org.pgbench.test/" + task.env_name}, {"env_name", task.env_name}, {"config", json::object()},
                        {"steps", run.steps}, {"eval_every", run.eval_every}, {"eval_episodes", 10},
                        {"max_episode_steps", 500}, {"action_kind", "discrete"}};
  for (const auto& algorithm : run.algorithms)
    algorithms[algorithm.name] = {{"algorithm", "org.pgbench.algo." + algorithm.name + "/1"}, {"num_envs", 1},
                                  {"hyperparameters", json::object()}};

  for (std::size_t t = 0; t < run.tasks.size(); ++t) {
    const SyntheticTask& task = run.tasks[t];
    for (const auto& algorithm : run.algorithms) {
      for (int seed : run.seeds) {
        const std::string relative = "cells/" + task.name + "/" + algorithm.name + "/seed-" + std::to_string(seed);
        cells.push_back({{"task", task.name}, {"algorithm", algorithm.name}, {"seed_index", seed}, {"dir", relative}});
        pgb::Rng rng(run.master_seed * 1000003 + t * 1009 + static_cast<std::uint64_t>(seed) * 17 + algorithm.name.size());
        const double target = algorithm.final_return[t];
        std::string curve = "env_step,eval_return_mean,eval_return_std,eval_episodes,train_return_mean,train_episodes,"
                            "wall_time_s,loss/policy\n";
        double final_return = 0;
        for (double step = 0; step <= run.steps; step += run.eval_every) {
          const double progress = 1 - std::exp(-4 * step / run.steps);
          final_return = task.start_return + (target - task.start_return) * progress + rng.normal(0, task.noise);
          const std::string train = step == 0 ? "" : fmt::format("{:.17g}", final_return - 5);
          curve += fmt::format("{:.17g},{:.17g},{:.17g},10,{},3,{:.17g},0.5\n", step, final_return, task.noise, train,
                               step / algorithm.steps_per_s * (1 + 0.05 * rng.uniform()));
        }
        const fs::path dir = directory / relative;
        write(dir / "curve.csv", curve);
        write(dir / "episodes.csv", "env_step,return,length\n500,20,20\n");
        const json& task_json = tasks[task.name];
        write(dir / "config.json",
              json{{"task", task.name}, {"algorithm", algorithm.name}, {"seed_index", seed},
                   {"env", task_json["env"]}, {"env_config", task_json["config"]},
                   {"algorithm_id", algorithms[algorithm.name]["algorithm"]}, {"num_envs", 1},
                   {"hyperparameters", json::object()}, {"steps", run.steps}, {"eval_every", run.eval_every},
                   {"eval_episodes", 10}, {"max_episode_steps", 500}}
                  .dump());
        const double wall = run.steps / algorithm.steps_per_s;
        write(dir / "summary.json",
              json{{"status", "ok"}, {"task", task.name}, {"algorithm", algorithm.name}, {"seed_index", seed},
                   {"env_steps", run.steps}, {"final_eval_return_mean", final_return}, {"final_eval_return_std", task.noise},
                   {"train_episodes", 100},
                   {"timing", {{"wall_s", wall}, {"env_step_s", 0.3 * wall}, {"act_s", 0.2 * wall}, {"observe_s", 0.1 * wall},
                               {"update_s", 0.3 * wall}, {"eval_s", 0.1 * wall}, {"steps_per_s", algorithm.steps_per_s}}}}
                  .dump());
      }
    }
  }
  json seeds = json::array();
  for (int seed : run.seeds) seeds.push_back(seed);
  const json manifest = {
      {"pgbench", {{"version", "0.1.0"}, {"git_commit", "0123abc"}, {"abi_version", 1000000}}},
      {"suite", {{"name", run.suite}, {"description", "synthetic test runs"}, {"master_seed", run.master_seed},
                 {"seeds", seeds}, {"tasks", tasks}, {"algorithms", algorithms}}},
      {"cells", cells},
      {"machine", {{"cpu", "Synthetic CPU"}, {"hardware_threads", 2}, {"arch", "x86_64"}, {"os", "Linux"}}},
      {"build", {{"build_type", "Release"}, {"compiler", "GNU 12.2.0"}, {"flags", "-O3"}}},
      {"plugins", json::array({{{"file", "pgbench-ppo.so"}, {"id", "org.pgbench.ppo"}, {"version", "1.0.0"},
                                {"sha256", std::string(64, 'a')}, {"build_signature", "gcc 12.2.0; vector=avx2"}}})},
      {"skipped", json::array({{{"task", "CartPole-v1"}, {"algorithm", "ddpg"}, {"reason", "needs continuous actions"}}})}};
  write(directory / "manifest.json", manifest.dump(1));
}

double final_return_of(const fs::path& run_dir, const std::string& task, const std::string& algorithm, int seed) {
  const json summary = json::parse(read(cell_dir(run_dir, task, algorithm, seed) / "summary.json"));
  return summary.at("final_eval_return_mean").get<double>();
}

void change_config(const fs::path& cell, const std::string& changes) {
  json config = json::parse(read(cell / "config.json"));
  config.update(json::parse(changes));
  write(cell / "config.json", config.dump());
}

void mark_failed(const fs::path& cell, const std::string& error) {
  json summary = json::parse(read(cell / "summary.json"));
  summary["status"] = "failed";
  summary["error"] = error;
  write(cell / "summary.json", summary.dump());
}

void remove_summary(const fs::path& cell) { fs::remove(cell / "summary.json"); }

void truncate_curve(const fs::path& cell) {
  const std::string curve = read(cell / "curve.csv");
  write(cell / "curve.csv", curve.substr(0, curve.size() - 7));
}

void poison_curve_with_nan(const fs::path& cell) {
  std::string curve = read(cell / "curve.csv");
  const auto second_line = curve.find('\n') + 1;
  const auto first_comma = curve.find(',', second_line);
  const auto second_comma = curve.find(',', first_comma + 1);
  curve.replace(first_comma + 1, second_comma - first_comma - 1, "nan");
  write(cell / "curve.csv", curve);
}

}  // namespace pgbench::report::testing
