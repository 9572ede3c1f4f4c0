#include "host/slurm.hpp"

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "host/results.hpp"

namespace fs = std::filesystem;

namespace pgbench {

namespace {

// A word for bash, single-quoted unless it is plainly safe.
std::string quoted(const std::string& word) {
  if (!word.empty() && std::regex_match(word, std::regex("[A-Za-z0-9_./=:,+@%-]+"))) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += " " + quoted(w);
  return out;
}

// Runs `command` (a shell line), returns what it printed; throws with the output if it fails.
std::string run(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  if (status != 0) throw std::runtime_error(fmt::format("{} failed: {}", command, output));
  return output;
}

}  // namespace

std::string slurm_time(double seconds) {
  const auto minutes = static_cast<long long>(std::ceil(std::max(seconds, 60.0) / 60));
  const long long days = minutes / (24 * 60), hours = (minutes / 60) % 24, mins = minutes % 60;
  return days > 0 ? fmt::format("{}-{:02}:{:02}:00", days, hours, mins) : fmt::format("{:02}:{:02}:00", hours, mins);
}

void check_slurm_time(const std::string& text) {
  static const std::regex accepted(R"((\d+-)?\d+(:\d{2}){0,2})");
  if (!std::regex_match(text, accepted))
    throw std::invalid_argument(fmt::format(
        "--time: expected auto, HH:MM:SS, MM:SS, D-HH:MM:SS or minutes (as sbatch takes it), got '{}'", text));
}

SlurmScripts write_slurm_scripts(const SlurmJob& job) {
  const fs::path slurm = job.out / "slurm", logs = slurm / "logs", shards = job.out / "shards";
  fs::create_directories(logs);
  fs::create_directories(shards);
  SlurmScripts scripts{slurm / "array.sbatch", slurm / "merge.sbatch"};

  std::string array = fmt::format(
      "#!/bin/bash\n"
      "# pgbench: the grid of suite '{name}' as a Slurm job array, one task per shard.\n"
      "# Written by: {command}\n"
      "# Submit it, then the merge once every task has ended (pgbench slurm --submit does both):\n"
      "#   jobid=$(sbatch --parsable {array_path})\n"
      "#   sbatch --dependency=afterany:$jobid {merge_path}\n"
      "# Each task runs shard K of {n} into {shards}/shard-K. A task that is stopped (time limit,\n"
      "# preemption: Slurm sends SIGTERM, --signal asks for it 2 minutes early) is requeued and\n"
      "# continues where it stopped; so does re-submitting the array.\n"
      "#SBATCH --job-name=pgbench-{name}\n"
      "#SBATCH --array=1-{n}\n"
      "#SBATCH --cpus-per-task={cpus}\n"
      "#SBATCH --time={time}\n"
      "#SBATCH --requeue\n"
      "#SBATCH --signal=B:TERM@120\n"
      "#SBATCH --output={logs}/shard-%a.log\n"
      "{partition}"
      "set -euo pipefail\n"
      "exec {program} --suite {suite}{args} \\\n"
      "  --shard \"${{SLURM_ARRAY_TASK_ID}}/{n}\" --threads \"${{SLURM_CPUS_PER_TASK:-{cpus}}}\" --no-report \\\n"
      "  --out \"{shards}/shard-${{SLURM_ARRAY_TASK_ID}}\"\n",
      fmt::arg("name", job.suite_name), fmt::arg("command", job.command), fmt::arg("array_path", scripts.array.string()),
      fmt::arg("merge_path", scripts.merge.string()), fmt::arg("n", job.shards), fmt::arg("shards", shards.string()),
      fmt::arg("cpus", job.cpus_per_task), fmt::arg("time", job.time_limit), fmt::arg("logs", logs.string()),
      fmt::arg("partition", job.partition ? "#SBATCH --partition=" + *job.partition + "\n" : ""),
      fmt::arg("program", quoted(job.program.string())), fmt::arg("suite", quoted(job.suite_file.string())),
      fmt::arg("args", joined(job.grid_args)));

  std::string shard_dirs;
  for (unsigned k = 1; k <= job.shards; ++k) shard_dirs += fmt::format(" \\\n  {}", quoted((shards / fmt::format("shard-{}", k)).string()));
  std::string merge = fmt::format(
      "#!/bin/bash\n"
      "# pgbench: merges the {n} shards of suite '{name}' into one run directory and writes its report.\n"
      "# Submitted to start after the array has ended (--dependency=afterany): merge refuses, naming\n"
      "# them, if cells are missing; re-submit the array (finished cells are kept), then this.\n"
      "#SBATCH --job-name=pgbench-{name}-merge\n"
      "#SBATCH --cpus-per-task=1\n"
      "#SBATCH --time=01:00:00\n"
      "#SBATCH --output={logs}/merge.log\n"
      "{partition}"
      "set -euo pipefail\n"
      "exec {program} merge {merged}{dirs}\n",
      fmt::arg("n", job.shards), fmt::arg("name", job.suite_name), fmt::arg("logs", logs.string()),
      fmt::arg("partition", job.partition ? "#SBATCH --partition=" + *job.partition + "\n" : ""),
      fmt::arg("program", quoted(job.program.string())), fmt::arg("merged", quoted((job.out / "merged").string())),
      fmt::arg("dirs", shard_dirs));

  write_file_atomic(scripts.array, array);
  write_file_atomic(scripts.merge, merge);
  fs::permissions(scripts.array, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
  fs::permissions(scripts.merge, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
  return scripts;
}

std::pair<std::string, std::string> submit_slurm_scripts(const SlurmScripts& scripts) {
  const std::string array = run("sbatch --parsable " + quoted(scripts.array.string()));
  const std::string array_id = array.substr(0, array.find(';'));  // "<id>[;<cluster>]"
  const std::string merge =
      run(fmt::format("sbatch --parsable --dependency=afterany:{} {}", array_id, quoted(scripts.merge.string())));
  return {array_id, merge.substr(0, merge.find(';'))};
}

}  // namespace pgbench
