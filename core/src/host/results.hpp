// The results store: one run directory per grid.
//
//   RUN/manifest.json                       provenance, the resolved suite, the cells, the skipped pairs
//   RUN/cells/<task>/<algorithm>/seed-<k>/  config.json  curve.csv  episodes.csv  summary.json
//
// Every file is written atomically (a temporary file in the same folder, flushed, then renamed),
// and summary.json is written last: a cell is finished exactly when its summary says "ok". A run
// killed at any moment therefore loses at most the cells in flight, and resuming re-runs those.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "host/cell.hpp"
#include "host/suite.hpp"

namespace pgbench {

// Writes `content` to `path` atomically; creates parent folders.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

class RunDirectory {
 public:
  // Opens `root` for `suite`: creates it with a new manifest, or, if it already holds a run,
  // checks that the run is of the same resolved suite (else std::invalid_argument saying what
  // differs and suggesting a new --out). `manifest` is the complete manifest for a new run.
  RunDirectory(std::filesystem::path root, const nlohmann::json& manifest);

  const std::filesystem::path& root() const noexcept { return root_; }
  bool resumed() const noexcept { return resumed_; }

  bool finished(const CellSpec& cell) const;
  void write_cell(const CellSpec& cell, const CellResult& result) const;

 private:
  std::filesystem::path root_;
  bool resumed_ = false;
};

// A number as the curve files write it: shortest round-trip form, "" for NaN.
std::string format_number(double x);

}  // namespace pgbench
