#include "host/results.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace pgbench {

void write_file_atomic(const fs::path& path, const std::string& content) {
  static std::atomic<std::uint64_t> counter{0};
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.parent_path() / fmt::format(".{}.tmp.{}.{}", path.filename().string(), ::getpid(), counter++);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(err)));
    }
    written += static_cast<std::size_t>(n);
  }
  // fsync so that a power cut, not only a killed process, leaves either the old file or the new.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot flush {}: {}", tmp.string(), std::strerror(errno)));
  }
  fs::rename(tmp, path);
}

std::string format_number(double x) {
  if (std::isnan(x)) return "";
  return fmt::format("{}", x);
}

namespace {

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The parts of a manifest that define what the run computes; two runs that agree on these can
// share a directory.
nlohmann::json identity(const nlohmann::json& manifest) {
  return {{"suite", manifest.value("suite", nlohmann::json())}, {"cells", manifest.value("cells", nlohmann::json())}};
}

}  // namespace

RunDirectory::RunDirectory(fs::path root, const nlohmann::json& manifest) : root_(std::move(root)) {
  const fs::path manifest_path = root_ / "manifest.json";
  if (fs::exists(manifest_path)) {
    const nlohmann::json existing = read_json(manifest_path);
    if (existing.is_discarded())
      throw std::invalid_argument(fmt::format("--out {}: manifest.json exists but is not valid JSON; choose a new "
                                              "--out", root_.string()));
    const nlohmann::json patch = nlohmann::json::diff(identity(existing), identity(manifest));
    if (!patch.empty()) {
      std::string first = patch.front().value("path", std::string("?"));
      throw std::invalid_argument(fmt::format(
          "--out {}: this folder holds a run of a different grid (first difference at {}); resume it with the "
          "command that started it, or choose a new --out", root_.string(), first));
    }
    resumed_ = true;
    return;
  }
  if (fs::exists(root_) && !fs::is_empty(root_))
    throw std::invalid_argument(fmt::format("--out {}: the folder exists, is not empty and holds no pgbench run; "
                                            "choose a new --out", root_.string()));
  write_file_atomic(manifest_path, manifest.dump(2) + "\n");
}

bool RunDirectory::finished(const CellSpec& cell) const {
  const fs::path summary = root_ / cell.dir() / "summary.json";
  if (!fs::exists(summary)) return false;
  const nlohmann::json j = read_json(summary);
  return !j.is_discarded() && j.value("status", "") == "ok";
}

void RunDirectory::write_cell(const CellSpec& cell, const CellResult& result) const {
  const fs::path dir = root_ / cell.dir();

  nlohmann::json config = {{"task", cell.task->name},
                           {"algorithm", cell.algo->name},
                           {"seed_index", cell.seed_index},
                           {"env", cell.task->env.desc->id},
                           {"env_config", to_json(cell.task->env_config)},
                           {"algorithm_id", cell.algo->algorithm.desc->id},
                           {"num_envs", cell.algo->num_envs},
                           {"hyperparameters", to_json(cell.hyperparameters)},
                           {"steps", cell.task->steps},
                           {"eval_every", cell.task->eval_every},
                           {"eval_episodes", cell.task->eval_episodes},
                           {"max_episode_steps", cell.task->max_episode_steps},
                           {"clip_actions", cell.task->clip_actions}};
  write_file_atomic(dir / "config.json", config.dump(2) + "\n");

  // Metric columns: every key any row has, sorted, so the header is a function of the data.
  std::set<std::string> keys;
  for (const auto& row : result.curve)
    for (const auto& [k, _] : row.metrics) keys.insert(k);
  std::string curve = "env_step,eval_return_mean,eval_return_std,eval_episodes,train_return_mean,train_episodes,wall_time_s";
  for (const auto& k : keys) curve += "," + k;
  curve += "\n";
  for (const auto& row : result.curve) {
    curve += fmt::format("{},{},{},{},{},{},{}", row.env_step, format_number(row.eval_return_mean),
                         format_number(row.eval_return_std), row.eval_episodes, format_number(row.train_return_mean),
                         row.train_episodes, format_number(row.wall_time_s));
    for (const auto& k : keys) {
      curve += ',';
      if (auto it = row.metrics.find(k); it != row.metrics.end()) curve += format_number(it->second);
    }
    curve += "\n";
  }
  write_file_atomic(dir / "curve.csv", curve);

  std::string episodes = "env_step,return,length\n";
  for (const auto& e : result.episodes) episodes += fmt::format("{},{},{}\n", e.env_step, format_number(e.episode_return), e.length);
  write_file_atomic(dir / "episodes.csv", episodes);

  const bool ok = result.status == CellResult::Status::Ok;
  const double wall = result.time.wall;
  nlohmann::json summary = {{"status", ok ? "ok" : "failed"},
                            {"task", cell.task->name},
                            {"algorithm", cell.algo->name},
                            {"seed_index", cell.seed_index},
                            {"env_steps", result.env_steps},
                            {"updates", result.updates},
                            {"train_episodes", result.episodes.size()}};
  if (!ok) summary["error"] = result.error;
  if (!result.curve.empty()) {
    summary["final_eval_return_mean"] = result.curve.back().eval_return_mean;
    summary["final_eval_return_std"] = result.curve.back().eval_return_std;
  }
  summary["timing"] = {{"wall_s", wall},
                       {"env_step_s", result.time.env_step},
                       {"act_s", result.time.act},
                       {"observe_s", result.time.observe},
                       {"update_s", result.time.update},
                       {"eval_s", result.time.eval},
                       {"steps_per_s", wall > 0 ? static_cast<double>(result.env_steps) / wall : 0.0}};
  write_file_atomic(dir / "summary.json", summary.dump(2) + "\n");
}

}  // namespace pgbench
