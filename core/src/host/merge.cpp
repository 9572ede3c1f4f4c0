#include "host/merge.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/results.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace pgbench {

namespace {

json read_manifest(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  if (!fs::exists(file)) throw std::invalid_argument(fmt::format("merge: {} holds no pgbench run (no manifest.json)", dir.string()));
  const json j = json::parse(read_file_text(file), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("suite") || !j.contains("cells"))
    throw std::invalid_argument(fmt::format("merge: {} is not a valid pgbench manifest", file.string()));
  return j;
}

// The whole grid's cells: a shard lists them beside its own; a whole run's are its own.
json grid_cells(const json& manifest) {
  return manifest.contains("shard") ? manifest["shard"].value("grid_cells", json::array()) : manifest["cells"];
}

// What makes `other` a piece of another grid than `first`: a line per difference, each indented
// and prefixed with `label`; empty when they are pieces of one grid.
std::string grid_differences(const json& first, const json& other, const std::string& label) {
  std::string lines;
  const auto add = [&](const std::string& difference) { lines += "\n  " + label + difference; };
  for (const auto& change : json::diff(first["suite"], other["suite"]))
    add(fmt::format("suite{}: {}", change.value("path", ""), change.value("op", "")));
  if (grid_cells(first) != grid_cells(other)) add("the grid's cells differ");
  for (const auto& d : binary_differences(newest_build(first), newest_build(other))) add(d);
  for (const auto& d : binary_differences(newest_build(other), newest_build(first))) add(d);
  return lines;
}

// The machines a piece's cells ran on: the one it began on, then those it was resumed on.
json machines_of(const json& manifest) {
  json machines = json::array({manifest.value("machine", json::object())});
  for (const auto& change : manifest.value("machine_changes", json::array()))
    machines.push_back(change.value("machine", json::object()));
  return machines;
}

// A cell is in a piece when its summary.json is there (ok or failed).
bool has_cell(const fs::path& piece, const std::string& dir) { return fs::exists(piece / dir / "summary.json"); }

}  // namespace

MergeOutcome merge_runs(const fs::path& out, const std::vector<fs::path>& pieces, bool partial, const std::string& command) {
  if (pieces.empty()) throw std::invalid_argument("merge: give the run directories to merge (pgbench merge OUT DIR...)");
  std::vector<json> manifests;
  for (const auto& p : pieces) manifests.push_back(read_manifest(p));

  std::string differences;
  for (std::size_t i = 1; i < pieces.size(); ++i)
    differences +=
        grid_differences(manifests[0], manifests[i], fmt::format("{} vs {}: ", pieces[0].string(), pieces[i].string()));
  if (!differences.empty())
    throw std::invalid_argument("merge: these run directories are not pieces of one grid; nothing written:" + differences);

  // OUT may hold an earlier merge of the same grid (merging again as the shards finish more
  // cells). Its cells stay merged, so a piece whose folder is gone since (a wiped scratch disk, a
  // new checkout) need not be given again; a piece given again replaces its earlier copy.
  const json earlier = fs::exists(out / "manifest.json") ? read_manifest(out) : json();
  if (const std::string d = earlier.is_null() ? "" : grid_differences(manifests[0], earlier, ""); !d.empty())
    throw std::invalid_argument(
        fmt::format("merge: {} holds a run of another grid than the pieces; nothing written:{}", out.string(), d));

  MergeOutcome outcome;
  std::map<std::string, std::size_t> source;  // cell dir -> index of the piece it is taken from
  for (const auto& cell : grid_cells(manifests[0])) {
    const std::string dir = cell.value("dir", "");
    std::vector<std::size_t> holders;
    for (std::size_t i = 0; i < pieces.size(); ++i)
      if (has_cell(pieces[i], dir)) holders.push_back(i);
    if (holders.empty()) {
      if (!earlier.is_null() && has_cell(out, dir))
        ++outcome.kept;
      else
        outcome.missing.push_back(dir);
      continue;
    }
    if (holders.size() > 1) {
      std::string where;
      for (std::size_t i : holders) where += (where.empty() ? "" : " and ") + pieces[i].string();
      outcome.duplicates.push_back(fmt::format("{}: in {}", dir, where));
    }
    source[dir] = holders.front();
  }
  if (!partial && (!outcome.missing.empty() || !outcome.duplicates.empty())) {
    std::string list;
    for (const auto& m : outcome.missing) list += "\n  missing: " + m;
    for (const auto& d : outcome.duplicates) list += "\n  twice: " + d;
    throw std::invalid_argument(fmt::format(
        "merge: {} cell(s) missing and {} present twice; nothing written (--partial writes what exists):{}",
        outcome.missing.size(), outcome.duplicates.size(), list));
  }

  // The manifest of the one-machine run: the first piece's, with the whole grid's cells; each
  // piece's machines are in merged_from.
  json manifest = manifests[0];
  manifest.erase("shard");
  manifest["command"] = command;
  manifest["cells"] = grid_cells(manifests[0]);
  std::vector<json> given;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    json piece = {{"dir", pieces[i].filename().string()},
                  {"command", manifests[i].value("command", "")},  // each piece's grid command
                  {"shard", manifests[i].value("shard", json()).is_null()
                                ? json()
                                : json{manifests[i]["shard"]["index"], manifests[i]["shard"]["count"]}},
                  {"machines", machines_of(manifests[i])}};
    // Which of the piece's cells ran on which machine.
    if (manifests[i].contains("machine_changes")) piece["machine_changes"] = manifests[i]["machine_changes"];
    given.push_back(std::move(piece));
  }
  // The earlier merge's pieces that are not given again (by folder name), then this merge's.
  json merged_from = json::array();
  for (const auto& before : earlier.is_null() ? json::array() : earlier.value("merged_from", json::array()))
    if (std::ranges::none_of(given, [&](const json& piece) { return piece["dir"] == before.value("dir", json()); }))
      merged_from.push_back(before);
  for (auto& piece : given) merged_from.push_back(std::move(piece));
  manifest.erase("machine_changes");
  manifest["merged_from"] = merged_from;
  if (partial) manifest["merge_incomplete"] = {{"missing", outcome.missing}, {"duplicates", outcome.duplicates}};

  const RunDirectory run(out, manifest);
  if (fs::exists(pieces[0] / "suite.yaml")) write_file_atomic(out / "suite.yaml", read_file_text(pieces[0] / "suite.yaml"));
  for (const auto& [dir, from] : source) {
    // summary.json last: a merge killed midway leaves cells that count as unfinished.
    for (const char* file : {"config.json", "curve.csv", "episodes.csv", "summary.json"})
      if (fs::exists(pieces[from] / dir / file))
        write_file_atomic(out / dir / file, read_file_text(pieces[from] / dir / file));
    ++outcome.cells;
  }
  // Into an earlier merge: the manifest now says what this merge and the earlier ones hold.
  if (run.resumed()) write_file_atomic(out / "manifest.json", manifest.dump(2) + "\n");
  return outcome;
}

}  // namespace pgbench
