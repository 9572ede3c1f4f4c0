#include "host/provenance.hpp"

#include <sys/utsname.h>

#include <fstream>
#include <thread>

#include <Eigen/Core>
#include <fmt/format.h>
#include <boost/version.hpp>
#include <oneapi/tbb/version.h>
#include <yaml-cpp/yaml.h>

#include "host/instances.hpp"
#include "host/seeds.hpp"
#include "host/version.hpp"

namespace pgbench {

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return "unknown";
}

}  // namespace

nlohmann::json provenance(const PluginRegistry& plugins) {
  utsname uts{};
  uname(&uts);
  nlohmann::json j;
  j["pgbench"] = {{"version", kVersion}, {"git_commit", kGitCommit}, {"abi_version", PGB_ABI_VERSION}};
  j["build"] = {{"compiler", kCompiler}, {"flags", kCompileFlags}, {"build_type", kBuildType}};
  j["libraries"] = {{"eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                  std::to_string(EIGEN_MINOR_VERSION)},
                    {"tbb", TBB_VERSION_STRING},
                    {"boost", BOOST_LIB_VERSION}};
  j["machine"] = {{"cpu", cpu_model()},
                  {"hardware_threads", std::thread::hardware_concurrency()},
                  {"os", std::string(uts.sysname) + " " + uts.release},
                  {"arch", uts.machine}};
  j["plugins"] = nlohmann::json::array();
  for (const auto& lib : plugins.libraries()) {
    // What each environment and algorithm says it runs on (descriptor `dependencies`).
    nlohmann::json provides = nlohmann::json::array();
    for (std::uint32_t i = 0; i < lib->plugin->env_count; ++i)
      provides.push_back({{"environment", lib->plugin->envs[i]->id}, {"dependencies", lib->plugin->envs[i]->dependencies}});
    for (std::uint32_t i = 0; i < lib->plugin->algo_count; ++i)
      provides.push_back({{"algorithm", lib->plugin->algos[i]->id}, {"dependencies", lib->plugin->algos[i]->dependencies}});
    j["plugins"].push_back({{"id", lib->plugin->id},
                            {"name", lib->plugin->name ? lib->plugin->name : ""},
                            {"version", lib->plugin->version ? lib->plugin->version : ""},
                            {"abi_version", lib->plugin->abi_version},
                            {"file", lib->path.filename().string()},
                            {"sha256", lib->sha256},
                            {"build_signature", build_signature(*lib->plugin)},
                            {"provides", provides}});
  }
  return j;
}

nlohmann::json cell_list(const std::vector<CellSpec>& cells) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : cells)
    list.push_back({{"task", c.task->name}, {"algorithm", c.algo->name}, {"seed_index", c.seed_index}, {"dir", c.dir()}});
  return list;
}

nlohmann::json make_manifest(const ResolvedSuite& suite, const PluginRegistry& plugins, const std::string& command) {
  nlohmann::json j = provenance(plugins);
  j["format"] = "pgbench-run/1";
  j["command"] = command;
  j["suite"] = suite.to_json();
  j["seed_derivation"] = seed_derivation_text();
  j["cells"] = cell_list(suite.cells);
  // Checkpoints do not change what a cell computes; where the env cannot save its state, an
  // interrupted cell starts again from step 0.
  nlohmann::json checkpoints = {{"every_s", nlohmann::json::object()}, {"restart_from_zero", nlohmann::json::array()}};
  for (const auto& t : suite.tasks) {
    checkpoints["every_s"][t.name] = t.checkpoint_every_s;
    if (!saves_state(t.env))
      checkpoints["restart_from_zero"].push_back(
          {{"task", t.name}, {"reason", fmt::format("environment {} has no save_state (ABI 1.1)", t.env.desc->id)}});
  }
  j["checkpoints"] = checkpoints;
  j["skipped"] = nlohmann::json::array();
  for (const auto& s : suite.skipped) j["skipped"].push_back({{"task", s.task}, {"algorithm", s.algorithm}, {"reason", s.reason}});
  return j;
}

}  // namespace pgbench
