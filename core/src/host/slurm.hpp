// pgbench slurm: a grid as a Slurm job array, one array task per shard, plus a job that merges
// the shards and writes the report once the array has ended (DESIGN.md §6: an existing engine,
// no protocol of our own).
//
//   OUT/slurm/array.sbatch     #SBATCH --array=1-N; each task runs pgbench --shard K/N into
//                              OUT/shards/shard-K (resumable: --requeue re-runs it into the same
//                              folder, which continues where it stopped)
//   OUT/slurm/merge.sbatch     pgbench merge OUT/merged OUT/shards/shard-1 ... (the report too)
//   OUT/slurm/suite.yaml       the suite as resolved, which both scripts read
//   OUT/slurm/logs/            the jobs' output
//
// The scripts are plain and commented, meant to be read and edited before `sbatch`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pgbench {

struct SlurmJob {
  std::string suite_name;
  std::filesystem::path program;             // the pgbench binary, absolute
  std::filesystem::path suite_file;          // absolute
  std::vector<std::string> grid_args;        // --seeds, --set, --plugin-path, ... as the shards take them
  std::filesystem::path out;                 // absolute
  unsigned shards = 1;
  unsigned cpus_per_task = 1;
  std::string time_limit;                    // HH:MM:SS or D-HH:MM:SS
  std::optional<std::string> partition;
  std::string command;                       // the pgbench slurm command that wrote it
};

struct SlurmScripts {
  std::filesystem::path array, merge;
};

SlurmScripts write_slurm_scripts(const SlurmJob& job);

// Submits the array, then the merge with --dependency=afterany on it; returns the two job ids.
// Throws std::runtime_error with sbatch's own message when a submission fails.
std::pair<std::string, std::string> submit_slurm_scripts(const SlurmScripts& scripts);

// Slurm's time format for `seconds`, rounded up to a minute: "HH:MM:SS" or "D-HH:MM:SS".
std::string slurm_time(double seconds);

// Checks a --time value: HH:MM:SS, MM:SS, D-HH:MM:SS or a number of minutes, as sbatch takes it.
void check_slurm_time(const std::string& text);

}  // namespace pgbench
