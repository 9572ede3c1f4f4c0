#include "host/results.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "host/run_lock.hpp"

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

std::string read_file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("{}: cannot be read", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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
  const nlohmann::json shard = manifest.value("shard", nlohmann::json());
  return {{"suite", manifest.value("suite", nlohmann::json())},
          {"cells", manifest.value("cells", nlohmann::json())},
          {"shard", shard.is_null() ? shard : nlohmann::json{shard.value("index", 0), shard.value("count", 0)}}};
}

std::string text_of(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// Temporary files of atomic writes (".NAME.tmp.PID.N") left by a process that was killed.
std::size_t remove_stale_temporaries(const fs::path& root) {
  std::size_t removed = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file() && name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos) {
      std::error_code rm;
      if (fs::remove(it->path(), rm)) ++removed;
    }
  }
  return removed;
}

std::string now_text() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  return stamp;
}

// The newest entry of a manifest's record of changes (binary_changes, machine_changes: each made
// when a run is resumed under another build or on another machine), or the manifest itself.
const nlohmann::json& newest_change(const nlohmann::json& manifest, const char* changes_key) {
  const auto changes = manifest.find(changes_key);
  return changes != manifest.end() && changes->is_array() && !changes->empty() ? changes->back() : manifest;
}

// The machine a run directory's cells were last run on.
const nlohmann::json& newest_machine(const nlohmann::json& manifest) {
  static const nlohmann::json none = nlohmann::json::object();
  const nlohmann::json& newest = newest_change(manifest, "machine_changes");
  const auto machine = newest.find("machine");
  return machine != newest.end() ? *machine : none;
}

// The same machine as far as a cell's timing goes: CPU model, hardware threads and architecture
// (not the kernel release, which changes with an update).
bool same_machine(const nlohmann::json& a, const nlohmann::json& b) {
  for (const char* key : {"cpu", "hardware_threads", "arch"})
    if (a.value(key, nlohmann::json()) != b.value(key, nlohmann::json())) return false;
  return true;
}

}  // namespace

const nlohmann::json& newest_build(const nlohmann::json& manifest) { return newest_change(manifest, "binary_changes"); }

std::vector<std::string> binary_differences(const nlohmann::json& recorded, const nlohmann::json& current) {
  std::vector<std::string> out;
  const auto compare = [&](const char* section, const char* key, const char* what) {
    const nlohmann::json a = recorded.value(section, nlohmann::json::object()).value(key, nlohmann::json());
    const nlohmann::json b = current.value(section, nlohmann::json::object()).value(key, nlohmann::json());
    if (a != b) out.push_back(fmt::format("{}: {} then, {} now", what, text_of(a), text_of(b)));
  };
  compare("pgbench", "version", "pgbench version");
  compare("pgbench", "git_commit", "host git commit");
  compare("pgbench", "abi_version", "ABI version");
  compare("build", "compiler", "compiler");
  compare("build", "flags", "compiler flags");
  compare("build", "build_type", "build type");
  // Every plugin the run was recorded with must be there unchanged; new plugins do not matter
  // (a new plugin that changes what a name resolves to changes the grid, which is checked apart).
  std::map<std::string, nlohmann::json> now;
  for (const auto& p : current.value("plugins", nlohmann::json::array())) now[p.value("id", "")] = p;
  for (const auto& before : recorded.value("plugins", nlohmann::json::array())) {
    const std::string id = before.value("id", "");
    const auto it = now.find(id);
    if (it == now.end()) {
      out.push_back(fmt::format("plugin {} ({}): not found now", id, before.value("file", "")));
      continue;
    }
    for (const char* key : {"version", "sha256", "file"})
      if (before.value(key, "") != it->second.value(key, ""))
        out.push_back(fmt::format("plugin {}: {} {} then, {} now", id, key == std::string("sha256") ? "SHA-256" : key,
                                  before.value(key, ""), it->second.value(key, "")));
  }
  return out;
}

RunDirectory::RunDirectory(fs::path root, const nlohmann::json& manifest, const Options& options) : root_(std::move(root)) {
  if (fs::exists(root_) && !fs::is_directory(root_))
    throw std::invalid_argument(fmt::format("--out {}: is a file, not a folder; choose a new --out", root_.string()));
  const fs::path manifest_path = root_ / "manifest.json";
  if (!fs::exists(manifest_path) && fs::exists(root_) && !fs::is_empty(root_))
    throw std::invalid_argument(fmt::format("--out {}: the folder exists, is not empty and holds no pgbench run; "
                                            "choose a new --out", root_.string()));
  fs::create_directories(root_);
  lock_ = std::make_unique<RunLock>(root_);
  if (!lock_->previous_holder().empty())
    notes_.push_back(fmt::format("took over the lock of a pgbench that ended without releasing it ({})",
                                 lock_->previous_holder()));

  if (!fs::exists(manifest_path)) {
    write_file_atomic(manifest_path, manifest.dump(2) + "\n");
    return;
  }
  nlohmann::json existing = read_json(manifest_path);
  if (existing.is_discarded())
    throw std::invalid_argument(fmt::format("--out {}: manifest.json exists but is not valid JSON; choose a new "
                                            "--out", root_.string()));
  const nlohmann::json patch = nlohmann::json::diff(identity(existing), identity(manifest));
  if (!patch.empty()) {
    std::string first = patch.front().value("path", std::string("?"));
    // The usual cause after a while: the suite file was edited since the run began. The run keeps
    // the suite as it was, so name it.
    const std::string suite_copy = (root_ / "suite.yaml").string();
    const std::string kept_suite =
        fs::exists(suite_copy)
            ? fmt::format(" (if the suite file has changed since, with --suite {}, the copy kept when it began)",
                          suite_copy)
            : std::string();
    throw std::invalid_argument(fmt::format(
        "--out {}: this folder holds a run of a different grid (first difference at {}); resume it with the "
        "command that started it, `{}`{}, or choose a new --out",
        root_.string(), first, existing.value("command", std::string("?")), kept_suite));
  }
  const std::vector<std::string> changed = binary_differences(newest_build(existing), manifest);
  if (!changed.empty()) {
    if (!options.allow_changed_binaries) {
      std::string list;
      for (const auto& d : changed) list += "\n  " + d;
      throw std::invalid_argument(fmt::format(
          "--out {}: the run was started with other binaries; its cells would be credited to builds that did not "
          "compute them. Differences:{}\nRebuild what it was run with, choose a new --out, or give "
          "--allow-changed-binaries to go on and record the change in the manifest",
          root_.string(), list));
    }
    nlohmann::json change = {{"at", now_text()},
                             {"command", manifest.value("command", "")},
                             {"differences", changed},
                             {"pgbench", manifest.value("pgbench", nlohmann::json())},
                             {"build", manifest.value("build", nlohmann::json())},
                             {"plugins", manifest.value("plugins", nlohmann::json())},
                             {"cells", nlohmann::json::array()}};
    existing["binary_changes"].push_back(std::move(change));
    records_ |= Record::binaries;
    notes_.push_back(fmt::format("--allow-changed-binaries: {} difference(s) from the run's earlier build recorded in "
                                 "manifest.json, with the cells run now", changed.size()));
  }
  // Resumed on another machine (another node of a cluster): the cells' timings depend on it, and
  // with a BLAS that picks its kernels per CPU their rounding too, so the manifest says which cells
  // ran where.
  const nlohmann::json& before = newest_machine(existing);
  const nlohmann::json now = manifest.value("machine", nlohmann::json::object());
  if (!same_machine(before, now)) {
    existing["machine_changes"].push_back(
        {{"at", now_text()}, {"machine", now}, {"cells", nlohmann::json::array()}});
    records_ |= Record::machine;
    notes_.push_back(fmt::format("resumed on another machine ({}, {} hardware threads; it ran on {}, {}): recorded in "
                                 "manifest.json with the cells run now",
                                 now.value("cpu", "?"), now.value("hardware_threads", 0), before.value("cpu", "?"),
                                 before.value("hardware_threads", 0)));
  }
  if (records_) {
    write_file_atomic(manifest_path, existing.dump(2) + "\n");
    manifest_ = std::move(existing);
  }
  if (const std::size_t n = remove_stale_temporaries(root_))
    notes_.push_back(fmt::format("removed {} temporary file(s) left by an interrupted run", n));
  resumed_ = true;
}

RunDirectory::~RunDirectory() = default;

std::unique_ptr<RunDirectory> RunDirectory::for_worker(fs::path root) {
  std::unique_ptr<RunDirectory> run(new RunDirectory());
  run->root_ = std::move(root);
  return run;
}

void RunDirectory::record_cell_run(const CellSpec& cell) const {
  std::lock_guard lock(manifest_mutex_);
  if (!manifest_) return;
  if (records_ & Record::binaries) (*manifest_)["binary_changes"].back()["cells"].push_back(cell.dir());
  if (records_ & Record::machine) (*manifest_)["machine_changes"].back()["cells"].push_back(cell.dir());
  write_file_atomic(root_ / "manifest.json", manifest_->dump(2) + "\n");
}

CellSummary RunDirectory::read_summary(const CellSpec& cell) const {
  CellSummary s;
  const nlohmann::json j = read_json(root_ / cell.dir() / "summary.json");
  if (j.is_discarded()) {
    s.error = "summary.json is missing or not valid JSON";
    return s;
  }
  s.ok = j.value("status", "") == "ok";
  s.error = j.value("error", "");
  s.final_eval_return = j.value("final_eval_return_mean", NAN);
  s.env_steps = j.value("env_steps", std::uint64_t{0});
  s.updates = j.value("updates", std::uint64_t{0});
  const nlohmann::json t = j.value("timing", nlohmann::json::object());
  s.time = {t.value("env_step_s", 0.0), t.value("act_s", 0.0),    t.value("observe_s", 0.0),
            t.value("update_s", 0.0),   t.value("eval_s", 0.0),   t.value("wall_s", 0.0)};
  return s;
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
  if (!ok) {
    summary["error"] = result.error;
    summary["failure"] = {{"reason", result.error},
                          {"plugin_file", result.failed_plugin},
                          {"env_step", result.env_steps},
                          {"stderr_tail", result.stderr_tail}};
  }
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
  // How this run went, not what it computed: kept with the timing, which comparisons leave aside.
  if (result.resumed_at_env_step > 0) summary["timing"]["resumed_from_checkpoint_at_env_step"] = result.resumed_at_env_step;
  write_file_atomic(dir / "summary.json", summary.dump(2) + "\n");
  // A finished cell needs its checkpoint no more; a failed one keeps it, so that a cell killed
  // from outside (a time limit, the OOM killer, a lost node) continues from it when run again.
  std::error_code ec;
  if (ok) fs::remove(dir / "checkpoint.bin", ec);
}

CheckpointPolicy RunDirectory::checkpoints(const CellSpec& cell) const {
  return {root_ / cell.dir() / "checkpoint.bin", cell.task->checkpoint_every_s};
}

}  // namespace pgbench
