// What a manifest records about where a result came from.
#pragma once

#include <nlohmann/json.hpp>

#include "host/plugins.hpp"
#include "host/suite.hpp"

namespace pgbench {

// pgbench version and commit, ABI, compiler and flags, library versions, CPU and OS, and every
// plugin's id, version, file and SHA-256.
nlohmann::json provenance(const PluginRegistry& plugins);

// The manifest's list of cells: task, algorithm, seed index and folder of each, in grid order.
nlohmann::json cell_list(const std::vector<CellSpec>& cells);

// The complete manifest of a new run of `suite`.
nlohmann::json make_manifest(const ResolvedSuite& suite, const PluginRegistry& plugins, const std::string& command);

}  // namespace pgbench
