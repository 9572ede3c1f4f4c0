// The results store: one run directory per grid.
//
//   RUN/manifest.json                       provenance, the resolved suite, the cells, the skipped pairs
//   RUN/cells/<task>/<algorithm>/seed-<k>/  config.json  curve.csv  episodes.csv  summary.json
//
// Every file is written atomically (a temporary file in the same folder, flushed, then renamed),
// and summary.json is written last: a cell is finished exactly when its summary says "ok". A run
// killed at any moment therefore loses at most the cells in flight, and resuming re-runs those
// (and the failed ones).
//
// A run directory has one writer and one identity (DESIGN.md §6). The scheduler holds its lock
// (RUN/.lock) while it runs; resuming compares the grid, the host build and the plugins with the
// manifest and refuses any difference, unless changed binaries are allowed, which the manifest
// then records with the cells run under each build. A resume on another machine is recorded the
// same way (machine_changes): the cells' timings depend on it.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <cmath>

#include <nlohmann/json.hpp>

#include "host/cell.hpp"
#include "host/run_loop.hpp"
#include "host/suite.hpp"

namespace pgbench {

// Writes `content` to `path` atomically; creates parent folders.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);
// The whole of a file; std::invalid_argument naming it when it cannot be read.
std::string read_file_text(const std::filesystem::path& path);

class RunLock;

// What a finished cell's summary.json says, for the progress log and --profile.
struct CellSummary {
  bool ok = false;
  std::string error;
  double final_eval_return = NAN;
  PhaseTimes time;
  std::uint64_t env_steps = 0, updates = 0;
};

class RunDirectory {
 public:
  struct Options {
    bool allow_changed_binaries = false;  // resume under another host build or other plugin files
  };

  // Opens `root` as the one writer of the run `manifest` describes (the complete manifest of a
  // new run): takes its lock, then creates it, or, if it already holds a run, checks that the run
  // is of the same resolved suite and the same binaries and removes the temporary files a killed
  // run left behind. Throws std::invalid_argument saying what differs.
  RunDirectory(std::filesystem::path root, const nlohmann::json& manifest, const Options& options);
  RunDirectory(std::filesystem::path root, const nlohmann::json& manifest) : RunDirectory(std::move(root), manifest, Options{}) {}
  ~RunDirectory();

  // The run directory as a worker writes into it: no lock (its scheduler holds it), no checks.
  static std::unique_ptr<RunDirectory> for_worker(std::filesystem::path root);

  const std::filesystem::path& root() const noexcept { return root_; }
  bool resumed() const noexcept { return resumed_; }
  // Lines worth telling the user about the opening: a lock taken over, stale files removed,
  // changed binaries accepted.
  const std::vector<std::string>& notes() const noexcept { return notes_; }

  bool finished(const CellSpec& cell) const;
  // Where a running cell keeps its checkpoint (removed once the cell's summary is written).
  CheckpointPolicy checkpoints(const CellSpec& cell) const;
  void write_cell(const CellSpec& cell, const CellResult& result) const;
  CellSummary read_summary(const CellSpec& cell) const;
  // Adds the cell to the manifest's record of the current build (under --allow-changed-binaries)
  // and of the current machine (a run resumed on another one), when this run made such a record.
  // Thread-safe.
  void record_cell_run(const CellSpec& cell) const;

 private:
  RunDirectory() = default;
  std::filesystem::path root_;
  bool resumed_ = false;
  std::unique_ptr<RunLock> lock_;
  std::vector<std::string> notes_;
  // What this run records of itself into the manifest: its cells under a change of binaries, of
  // machine, or both (bits of Record).
  enum Record : unsigned { binaries = 1, machine = 2 };
  unsigned records_ = 0;
  // The manifest as written, kept while such a record is being made in it.
  mutable std::mutex manifest_mutex_;
  mutable std::optional<nlohmann::json> manifest_;
};

// The build whose binaries a run directory's cells were last run with: the manifest's newest
// accepted change (binary_changes), or the manifest itself.
const nlohmann::json& newest_build(const nlohmann::json& manifest);

// Where the host build and plugins of `current` (a provenance) differ from those `recorded` in a
// manifest (its newest build): one line per difference; empty when none.
std::vector<std::string> binary_differences(const nlohmann::json& recorded, const nlohmann::json& current);

// A number as the curve files write it: shortest round-trip form, "" for NaN.
std::string format_number(double x);

}  // namespace pgbench
