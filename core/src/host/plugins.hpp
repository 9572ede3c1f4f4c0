// Plugin discovery, loading (Boost.DLL), the ABI handshake and descriptor validation.
//
// A plugin library stays loaded while anything made from it lives: every descriptor handle and
// every instance holds a shared_ptr to its Library. A plugin that cannot be used is reported in
// one line naming the file and the reason; the others still load.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <pgbench/abi.h>

namespace pgbench {

// A plugin file: a shared library, or a file in another language that a loaded plugin opened
// for the host (ABI 1.2's open_file: a Python agent), which then keeps that plugin loaded.
struct Library {
  std::filesystem::path path;
  std::string sha256;
  boost::dll::shared_library handle;       // empty for an opened file
  std::shared_ptr<const Library> runtime;  // the plugin that opened this file; null for a library
  const pgb_plugin_t* plugin = nullptr;
};

struct EnvType {
  std::shared_ptr<const Library> library;
  const pgb_env_desc_t* desc = nullptr;
};

struct AlgoType {
  std::shared_ptr<const Library> library;
  const pgb_algo_desc_t* desc = nullptr;
};

// A plugin that could not be used, and why.
struct PluginRejection {
  std::filesystem::path path;
  std::string reason;
  std::string line() const { return path.string() + ": " + reason; }
};

class PluginRegistry {
 public:
  // Loads every plugin found in `search_path` (folders are scanned for shared libraries, sorted by
  // name; files are loaded as given). Never throws for a bad plugin: see rejections().
  void load(const std::vector<std::filesystem::path>& search_path);

  // Loads one file (a shared library, or a file a loaded plugin opens); returns false and records
  // the reason if it is not usable.
  bool load_file(const std::filesystem::path& file);

  const std::vector<std::shared_ptr<const Library>>& libraries() const noexcept { return libraries_; }
  const std::vector<EnvType>& envs() const noexcept { return envs_; }
  const std::vector<AlgoType>& algorithms() const noexcept { return algos_; }
  const std::vector<PluginRejection>& rejections() const noexcept { return rejections_; }

  // Finds by id ("org.pgbench.classic.cartpole/1") or name ("CartPole-v1"); nullptr if none.
  const EnvType* find_env(const std::string& id_or_name) const;
  const AlgoType* find_algorithm(const std::string& id_or_name) const;
  std::vector<std::string> env_names() const;
  std::vector<std::string> algorithm_names() const;

 private:
  void reject(const std::filesystem::path& path, std::string reason);
  // The loaded plugin that opens files like `file`, if any.
  std::shared_ptr<const Library> runtime_for(const std::filesystem::path& file) const;
  // Checks a loaded descriptor and its ids against everything loaded, then adds it.
  bool add_library(std::shared_ptr<Library> lib);
  std::vector<std::shared_ptr<const Library>> libraries_;
  std::vector<EnvType> envs_;
  std::vector<AlgoType> algos_;
  std::vector<PluginRejection> rejections_;
};

// The default search path: the plugin folder beside the pgbench binary (bin/../lib/pgbench/plugins,
// in the build tree and in an installation alike), then PGBENCH_PLUGIN_PATH (':'-separated), then
// `extra`.
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::filesystem::path>& extra);

// ABI 1.2's optional descriptor fields, with their meaning when absent: the plugin's build
// signature ("" when it records none) and an algorithm's default number of sub-envs (1).
std::string build_signature(const pgb_plugin_t& plugin);
std::uint32_t default_num_envs(const pgb_algo_desc_t& algorithm);

// The host struct handed to every plugin.
const pgb_host_t* host_interface();

// SHA-256 of a file, lower-case hex.
std::string file_sha256(const std::filesystem::path& file);

}  // namespace pgbench
