// pgbench merge: the run directories of the shards of one grid (or any pieces of it) made into
// the one run directory a single machine would have written.
//
// The pieces must be of one grid: the same resolved suite (tasks, algorithms, seeds, budgets,
// hyperparameters, master seed) and the same host build and plugin files; otherwise nothing is
// written and every difference is listed. Every cell of the grid must be in exactly one piece;
// otherwise the missing and the doubled cells are named and nothing is written, unless `partial`,
// which writes the cells that exist (the first copy of a doubled one) and lists the rest.
// Cell files are copied unchanged, so the merged cells are byte-identical to the pieces'.
//
// Merging again into the folder of an earlier merge of the same grid keeps the cells it holds
// and their pieces' entries under merged_from: only the pieces with new cells need be given, and
// a piece whose folder is gone since loses nothing. A piece given again (the same folder name)
// replaces its earlier copy and entry.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pgbench {

struct MergeOutcome {
  std::size_t cells = 0;                 // cells written
  std::size_t kept = 0;                  // cells of an earlier merge into the same folder, in no piece now
  std::vector<std::string> missing;      // cell directories no piece has
  std::vector<std::string> duplicates;   // "cells/...: in A and B"
};

// Throws std::invalid_argument when the pieces are not of one grid, or (without `partial`) when
// a cell is missing or doubled; `command` is recorded in the manifest.
MergeOutcome merge_runs(const std::filesystem::path& out, const std::vector<std::filesystem::path>& pieces,
                        bool partial, const std::string& command);

}  // namespace pgbench
