#include "host/plugins.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/dll/library_info.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "host/version.hpp"

namespace fs = std::filesystem;

namespace pgbench {

namespace {

// Messages a plugin logs while its entry function runs are kept here, so that a refusal can be
// reported with the plugin's own reason.
thread_local std::string entry_log;

void PGB_ABI host_log(const pgb_host_t*, pgb_log_level level, const char* msg) {
  if (!msg) return;
  static const char* const names[] = {"debug", "info", "warning", "error"};
  const char* name = level >= 0 && level <= 3 ? names[level] : "log";
  entry_log += (entry_log.empty() ? "" : "; ") + std::string(msg);
  if (level >= PGB_LOG_WARN) std::cerr << "pgbench: plugin " << name << ": " << msg << '\n';
}

bool is_shared_library_name(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".so" || ext == ".dylib" || ext == ".dll";
}

bool nonempty(const char* s) { return s && *s; }

// Whether a plugin opens plugins written in other languages (ABI 1.2's file_extensions/open_file).
bool opens_files(const pgb_plugin_t& p) {
  return PGB_HAS_FIELD(&p, pgb_plugin_t, open_file) && p.open_file && nonempty(p.file_extensions);
}

// Whether `runtime` claims the file name ending of `file` in its file_extensions ("a|b").
bool claims(const pgb_plugin_t& runtime, const fs::path& file) {
  if (!opens_files(runtime)) return false;
  std::stringstream endings(runtime.file_extensions);
  for (std::string ending; std::getline(endings, ending, '|');)
    if (!ending.empty() && file.extension() == ending) return true;
  return false;
}

// Every check the host makes before it calls anything in a descriptor; "" when well formed.
std::string check_params(const pgb_param_desc_t* const* params, std::uint32_t count) {
  if (count > 0 && !params) return "params is NULL but param_count > 0";
  std::vector<std::string> keys;
  for (std::uint32_t i = 0; i < count; ++i) {
    const pgb_param_desc_t* p = params[i];
    if (!p) return fmt::format("parameter #{} is NULL", i);
    if (p->struct_size < offsetof(pgb_param_desc_t, choices)) return fmt::format("parameter #{} has struct_size {}", i, p->struct_size);
    if (!nonempty(p->key)) return fmt::format("parameter #{} has no key", i);
    const std::string key = p->key;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) return "parameter '" + key + "' is declared twice";
    keys.push_back(key);
    const pgb_value_type t = p->default_value.type;
    if (t < PGB_VALUE_BOOL || t > PGB_VALUE_STRING) return fmt::format("parameter '{}' has unknown type {}", key, t);
    if (t == PGB_VALUE_INT || t == PGB_VALUE_FLOAT) {
      const double d = t == PGB_VALUE_INT ? static_cast<double>(p->default_value.as.i) : p->default_value.as.f;
      if (!std::isnan(p->min) && !std::isnan(p->max) && p->min > p->max) return "parameter '" + key + "' has min > max";
      if ((!std::isnan(p->min) && d < p->min) || (!std::isnan(p->max) && d > p->max))
        return "parameter '" + key + "' has a default outside its bounds";
    }
    if (t == PGB_VALUE_STRING && !p->default_value.as.s) return "parameter '" + key + "' has a NULL default";
  }
  return "";
}

std::string check_env(const pgb_env_desc_t* d) {
  if (!d) return "an environment descriptor is NULL";
  if (d->struct_size < offsetof(pgb_env_desc_t, reserved)) return fmt::format("environment descriptor has struct_size {}", d->struct_size);
  if (!nonempty(d->id) || !nonempty(d->name)) return "an environment descriptor has no id or name";
  if (!d->description || !d->dependencies)
    return fmt::format("environment '{}' has a NULL {} (use \"\" for none)", d->id, !d->description ? "description" : "dependencies");
  const pgb_env_vtable_t* v = d->vtable;
  if (!v || v->struct_size < offsetof(pgb_env_vtable_t, reserved) || !v->create || !v->destroy || !v->get_info ||
      !v->reset || !v->step || !v->last_error)
    return fmt::format("environment '{}' has an incomplete function table", d->id);
  if (std::string err = check_params(d->params, d->param_count); !err.empty()) return fmt::format("environment '{}': {}", d->id, err);
  return "";
}

std::string check_algo(const pgb_algo_desc_t* d) {
  if (!d) return "an algorithm descriptor is NULL";
  if (d->struct_size < offsetof(pgb_algo_desc_t, reserved)) return fmt::format("algorithm descriptor has struct_size {}", d->struct_size);
  if (!nonempty(d->id) || !nonempty(d->name)) return "an algorithm descriptor has no id or name";
  if (!d->description || !d->dependencies)
    return fmt::format("algorithm '{}' has a NULL {} (use \"\" for none)", d->id, !d->description ? "description" : "dependencies");
  const pgb_algo_vtable_t* v = d->vtable;
  if (!v || v->struct_size < offsetof(pgb_algo_vtable_t, reserved) || !v->create || !v->destroy || !v->act ||
      !v->act_eval || !v->observe || !v->update || !v->save || !v->load || !v->last_error)
    return fmt::format("algorithm '{}' has an incomplete function table", d->id);
  if (!(d->flags & (PGB_ALGO_BOX_ACTIONS | PGB_ALGO_DISCRETE_ACTIONS)))
    return fmt::format("algorithm '{}' declares no action space kind it handles", d->id);
  if (std::string err = check_params(d->params, d->param_count); !err.empty()) return fmt::format("algorithm '{}': {}", d->id, err);
  return "";
}

std::string check_plugin(const pgb_plugin_t* p) {
  if (p->struct_size < offsetof(pgb_plugin_t, reserved)) return fmt::format("plugin descriptor has struct_size {}", p->struct_size);
  if (PGB_ABI_MAJOR_OF(p->abi_version) != PGB_ABI_VERSION_MAJOR)
    return fmt::format("plugin descriptor says ABI {} but was found under {}", p->abi_version, PGB_ENTRY_SYMBOL);
  if (!nonempty(p->id)) return "plugin descriptor has no id";
  for (const auto& [field, value] : {std::pair{"name", p->name}, {"version", p->version}, {"vendor", p->vendor},
                                     {"description", p->description}})
    if (!value) return fmt::format("plugin '{}' has a NULL {} (every string of the descriptor must be set; \"\" for none)", p->id, field);
  if ((p->env_count > 0 && !p->envs) || (p->algo_count > 0 && !p->algos)) return "plugin descriptor has a NULL list";
  if (p->env_count == 0 && p->algo_count == 0 && !opens_files(*p))
    return "plugin provides no environment and no algorithm";
  for (std::uint32_t i = 0; i < p->env_count; ++i)
    if (std::string err = check_env(p->envs[i]); !err.empty()) return err;
  for (std::uint32_t i = 0; i < p->algo_count; ++i)
    if (std::string err = check_algo(p->algos[i]); !err.empty()) return err;
  return "";
}

}  // namespace

const pgb_host_t* host_interface() {
  static const pgb_host_t host = [] {
    pgb_host_t h{};
    h.struct_size = sizeof(pgb_host_t);
    h.abi_version = PGB_ABI_VERSION;
    h.name = "pgbench";
    h.version = kVersion;
    h.log = &host_log;
    return h;
  }();
  return &host;
}

std::string file_sha256(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) EVP_DigestUpdate(ctx, buffer, static_cast<std::size_t>(in.gcount()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, digest, &size);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& extra) {
  std::vector<fs::path> path;
  const fs::path bin = boost::dll::program_location().parent_path().string();
  if (const fs::path own = bin.parent_path() / "lib" / "pgbench" / "plugins"; fs::is_directory(own)) path.push_back(own);
  if (const char* env = std::getenv("PGBENCH_PLUGIN_PATH")) {
    std::stringstream ss(env);
    for (std::string item; std::getline(ss, item, ':');)
      if (!item.empty()) path.emplace_back(item);
  }
  path.insert(path.end(), extra.begin(), extra.end());
  return path;
}

void PluginRegistry::reject(const fs::path& path, std::string reason) {
  rejections_.push_back({path, std::move(reason)});
}

void PluginRegistry::load(const std::vector<fs::path>& search_path) {
  for (const fs::path& entry : search_path) {
    std::error_code ec;
    if (fs::is_directory(entry, ec)) {
      // The shared libraries first, then the files that a loaded plugin opens (Python agents).
      std::vector<fs::path> libraries, others;
      for (const auto& f : fs::directory_iterator(entry, ec))
        if (f.is_regular_file()) (is_shared_library_name(f.path()) ? libraries : others).push_back(f.path());
      std::sort(libraries.begin(), libraries.end());
      std::sort(others.begin(), others.end());
      for (const auto& f : libraries) load_file(f);
      for (const auto& f : others)
        if (runtime_for(f)) load_file(f);
    } else if (fs::exists(entry, ec)) {
      load_file(entry);
    } else {
      reject(entry, "no such file or folder");
    }
  }
}

std::shared_ptr<const Library> PluginRegistry::runtime_for(const fs::path& file) const {
  for (const auto& lib : libraries_)
    if (claims(*lib->plugin, file)) return lib;
  return nullptr;
}

bool PluginRegistry::load_file(const fs::path& file) {
  const fs::path path = fs::weakly_canonical(file);
  for (const auto& lib : libraries_)
    if (lib->path == path) return true;  // the same file reached twice through the search path

  if (!is_shared_library_name(path)) {
    if (const auto runtime = runtime_for(path)) {
      auto lib = std::make_shared<Library>();
      lib->path = path;
      lib->runtime = runtime;
      char err[4096] = "";
      entry_log.clear();
      lib->plugin = runtime->plugin->open_file(host_interface(), path.c_str(), err, sizeof err);
      if (!lib->plugin) {
        reject(path, fmt::format("{} could not open it: {}", runtime->path.filename().string(),
                                 err[0] ? err : entry_log.empty() ? "no message" : entry_log));
        return false;
      }
      return add_library(std::move(lib));
    }
  }

  // Read the export table first: it tells a foreign file and a plugin of another ABI major apart
  // without running any of its code.
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(path.string());
    symbols = info.symbols();
  } catch (const std::exception&) {
    reject(path, "not a shared library (no readable ELF/PE/Mach-O header)");
    return false;
  }
  if (std::find(symbols.begin(), symbols.end(), PGB_ENTRY_SYMBOL) == symbols.end()) {
    for (const auto& s : symbols)
      if (s.rfind("pgb_plugin_entry_v", 0) == 0) {
        reject(path, fmt::format("built for another pgbench ABI (exports {}); this pgbench loads {} plugins", s,
                                 PGB_ENTRY_SYMBOL));
        return false;
      }
    reject(path, fmt::format("not a pgbench plugin: no exported entry symbol {} (build it with PGB_PLUGIN and "
                             "pgbench_add_plugin)", PGB_ENTRY_SYMBOL));
    return false;
  }

  auto lib = std::make_shared<Library>();
  lib->path = path;
  boost::dll::fs::error_code ec;
  dlerror();
  lib->handle.load(path.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !lib->handle.is_loaded()) {
    const char* why = dlerror();
    reject(path, fmt::format("cannot be loaded: {}", why ? why : ec.message()));
    return false;
  }
  auto entry = lib->handle.get<const pgb_plugin_t*(const pgb_host_t*)>(PGB_ENTRY_SYMBOL);
  entry_log.clear();
  const pgb_plugin_t* plugin = entry(host_interface());
  if (!plugin) {
    reject(path, "the plugin refused to load" + (entry_log.empty() ? std::string() : ": " + entry_log));
    return false;
  }
  lib->plugin = plugin;
  return add_library(std::move(lib));
}

bool PluginRegistry::add_library(std::shared_ptr<Library> lib) {
  const fs::path& path = lib->path;
  const pgb_plugin_t* plugin = lib->plugin;
  if (std::string err = check_plugin(plugin); !err.empty()) {
    reject(path, "malformed descriptor: " + err);
    return false;
  }

  // Ids and names must be unique across everything loaded; the first one found wins.
  const auto clash = [&](const char* what, const std::string& key) -> std::string {
    for (const auto& other : libraries_) {
      const pgb_plugin_t* o = other->plugin;
      if (key == o->id) return fmt::format("duplicate {} '{}' (already provided by {})", what, key, other->path.string());
      for (std::uint32_t i = 0; i < o->env_count; ++i)
        if (key == o->envs[i]->id || key == o->envs[i]->name)
          return fmt::format("duplicate {} '{}' (already provided by {})", what, key, other->path.string());
      for (std::uint32_t i = 0; i < o->algo_count; ++i)
        if (key == o->algos[i]->id || key == o->algos[i]->name)
          return fmt::format("duplicate {} '{}' (already provided by {})", what, key, other->path.string());
    }
    return "";
  };
  std::vector<std::string> keys{plugin->id};
  for (std::uint32_t i = 0; i < plugin->env_count; ++i) keys.insert(keys.end(), {plugin->envs[i]->id, plugin->envs[i]->name});
  for (std::uint32_t i = 0; i < plugin->algo_count; ++i) keys.insert(keys.end(), {plugin->algos[i]->id, plugin->algos[i]->name});
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const char* what = i == 0 ? "plugin id" : "id or name";
    if (std::string err = clash(what, keys[i]); !err.empty()) {
      reject(path, err);
      return false;
    }
    if (i > 0 && std::find(keys.begin() + 1, keys.begin() + static_cast<long>(i), keys[i]) != keys.begin() + static_cast<long>(i)) {
      reject(path, fmt::format("malformed descriptor: '{}' is used twice within the plugin", keys[i]));
      return false;
    }
  }

  lib->sha256 = file_sha256(path);
  std::shared_ptr<const Library> shared = lib;
  libraries_.push_back(shared);
  for (std::uint32_t i = 0; i < plugin->env_count; ++i) envs_.push_back({shared, plugin->envs[i]});
  for (std::uint32_t i = 0; i < plugin->algo_count; ++i) algos_.push_back({shared, plugin->algos[i]});
  return true;
}

const EnvType* PluginRegistry::find_env(const std::string& key) const {
  for (const auto& e : envs_)
    if (key == e.desc->id || key == e.desc->name) return &e;
  return nullptr;
}

const AlgoType* PluginRegistry::find_algorithm(const std::string& key) const {
  for (const auto& a : algos_)
    if (key == a.desc->id || key == a.desc->name) return &a;
  return nullptr;
}

std::vector<std::string> PluginRegistry::env_names() const {
  std::vector<std::string> names;
  for (const auto& e : envs_) names.emplace_back(e.desc->name);
  return names;
}

std::vector<std::string> PluginRegistry::algorithm_names() const {
  std::vector<std::string> names;
  for (const auto& a : algos_) names.emplace_back(a.desc->name);
  return names;
}

std::string build_signature(const pgb_plugin_t& plugin) {
  return PGB_HAS_FIELD(&plugin, pgb_plugin_t, build_signature) && plugin.build_signature ? plugin.build_signature : "";
}

std::uint32_t default_num_envs(const pgb_algo_desc_t& algorithm) {
  return PGB_HAS_FIELD(&algorithm, pgb_algo_desc_t, default_num_envs) && algorithm.default_num_envs > 0
             ? algorithm.default_num_envs
             : 1;
}

}  // namespace pgbench
