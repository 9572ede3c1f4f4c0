// Helpers shared by the host tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/plugins.hpp"

// A check that `text` contains `part`, printing the text when it does not.
#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

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

// Every file of every cell, with what legitimately varies between runs removed: the wall-clock
// column of the curves and the timing block of the summaries.
inline std::map<std::string, std::string> cell_files(const fs::path& run) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(run / "cells")) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), run).string();
    std::string text = read_file(e.path());
    if (e.path().filename() == "summary.json") {
      auto j = nlohmann::json::parse(text);
      j.erase("timing");
      text = j.dump();
    } else if (e.path().filename() == "curve.csv") {
      std::stringstream in(text), out;
      for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        std::stringstream ls(line);
        for (std::string f; std::getline(ls, f, ',');) fields.push_back(f);
        fields.erase(fields.begin() + 6);  // wall_time_s
        for (const auto& f : fields) out << f << ',';
        out << '\n';
      }
      text = out.str();
    }
    files[rel] = text;
  }
  return files;
}

// Runs the pgbench binary; returns its pid. Output goes to `log`.
inline pid_t spawn_pgbench(const std::vector<std::string>& args, const fs::path& log, const fs::path& cwd = {}) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) _exit(126);
    FILE* f = std::fopen(log.c_str(), "w");
    dup2(fileno(f), STDOUT_FILENO);
    dup2(fileno(f), STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(PGBENCH_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(PGBENCH_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

inline int wait_exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs the pgbench binary to its end; returns its exit status, its output is in `log`.
inline int run_pgbench(const std::vector<std::string>& args, const fs::path& log) {
  return wait_exit_code(spawn_pgbench(args, log));
}

}  // namespace pgbench::test
