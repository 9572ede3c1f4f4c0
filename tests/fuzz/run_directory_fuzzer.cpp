// Fuzz target: the run-directory reader behind `pgbench report`. The input is split at lines
// "----" into manifest.json, then one cell's config.json, summary.json and curve.csv; any content
// must end as cells, Problems or a std::invalid_argument about the manifest, never a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/run_directory.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path root = [] {
    std::string pattern = (fs::temp_directory_path() / "pgbench-fuzz-XXXXXX").string();
    return fs::path(::mkdtemp(pattern.data()));
  }();
  std::vector<std::string> parts(1);
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  for (std::size_t separator; parts.size() < 4 && (separator = text.find("\n----\n", start)) != std::string::npos;) {
    parts.back() = text.substr(start, separator - start);
    parts.emplace_back();
    start = separator + 6;
  }
  parts.back() = text.substr(start);
  parts.resize(4);

  const fs::path run = root / "run", cell = run / "cells/CartPole-v1/ppo/seed-0";
  fs::remove_all(run);
  fs::create_directories(cell);
  const auto write = [](const fs::path& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; };
  write(run / "manifest.json", parts[0]);
  write(cell / "config.json", parts[1]);
  write(cell / "summary.json", parts[2]);
  write(cell / "curve.csv", parts[3]);
  try {
    pgbench::report::read_run_directories({run});
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
