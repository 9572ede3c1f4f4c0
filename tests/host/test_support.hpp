// Helpers shared by the host tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/plugins.hpp"

namespace pgbench::test {

namespace fs = std::filesystem;

inline fs::path test_plugin(const std::string& name) { return fs::path(PGBENCH_TEST_PLUGIN_ROOT) / name; }

// The built-in plugins of this build plus the named test plugin folders.
inline PluginRegistry load_plugins(const std::vector<std::string>& test_plugins, bool builtin = true) {
  std::vector<fs::path> path;
  if (builtin) path.emplace_back(PGBENCH_PLUGIN_DIR);
  for (const auto& name : test_plugins) path.push_back(test_plugin(name));
  PluginRegistry registry;
  registry.load(path);
  return registry;
}

// A fresh folder, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pgbench-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const noexcept { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace pgbench::test
