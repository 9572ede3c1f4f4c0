// _pgbench: the C++ half of the Python package `pgbench` (python/pgbench/ is the other half).
//
// It gives Python what the host has: the plugins found (built in, then PGBENCH_PLUGIN_PATH and
// any folder given), and environments as vectors of sub-envs stepped in C++ with the host's
// protocol, the time limit as `truncated` and an ended sub-env reset in the same step (its final
// observation kept apart). Each step writes straight into freshly allocated NumPy arrays, with
// the GIL released while the environment runs.
#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <pgbench/sdk/rng.hpp>

#include "host/instances.hpp"
#include "host/plugins.hpp"
#include "host/value.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using namespace pgbench;

namespace {

// The plugin folder of the pgbench this module belongs to: beside it in a build tree
// (build/python/pgbench -> build/lib/pgbench/plugins), or in the installation
// (<prefix>/lib/python3/dist-packages/pgbench -> <prefix>/lib/pgbench/plugins).
fs::path builtin_plugin_dir() {
  Dl_info info{};
  if (!dladdr(reinterpret_cast<const void*>(&builtin_plugin_dir), &info) || !info.dli_fname) return {};
  const fs::path here = fs::path(info.dli_fname).parent_path();
  for (const fs::path& candidate : {here / ".." / ".." / "lib" / "pgbench" / "plugins",
                                    here / ".." / ".." / ".." / "pgbench" / "plugins"})
    if (fs::is_directory(candidate)) return fs::weakly_canonical(candidate);
  return {};
}

// The plugins, loaded once per process: the built-in folder, then PGBENCH_PLUGIN_PATH.
std::shared_ptr<PluginRegistry>& registry() {
  static std::shared_ptr<PluginRegistry> plugins;
  return plugins;
}

const PluginRegistry& plugins() {
  if (!registry()) {
    auto r = std::make_shared<PluginRegistry>();
    std::vector<fs::path> path;
    if (const fs::path builtin = builtin_plugin_dir(); !builtin.empty()) path.push_back(builtin);
    if (const char* extra = std::getenv("PGBENCH_PLUGIN_PATH")) {
      std::stringstream folders(extra);
      for (std::string folder; std::getline(folders, folder, ':');)
        if (!folder.empty()) path.emplace_back(folder);
    }
    r->load(path);
    registry() = r;
  }
  return *registry();
}

// A Python value as the text a suite would hold, for the host's resolve_config (which types it
// against the declaration and names what is wrong).
std::string override_text(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::int_>(value)) return std::to_string(value.cast<long long>());
  if (py::isinstance<py::float_>(value)) return fmt::format("{}", value.cast<double>());
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  throw py::type_error(fmt::format("an environment parameter must be a bool, int, float or str, not {}",
                                   py::str(value.get_type().attr("__name__")).cast<std::string>()));
}

const EnvType& find_env(const std::string& env_id) {
  if (const EnvType* env = plugins().find_env(env_id)) return *env;
  throw py::value_error(unknown_name_message("environment", env_id, plugins().env_names()) +
                        " (pgbench.list_envs() lists them; PGBENCH_PLUGIN_PATH adds plugin folders)");
}

// N sub-environments of one type under the host's protocol (see the file comment).
class VecEnv {
 public:
  VecEnv(const std::string& env_id, std::uint32_t num_envs, std::uint64_t seed, const py::dict& config)
      : type_(find_env(env_id)) {
    if (num_envs < 1) throw py::value_error("num_envs must be at least 1");
    Overrides overrides;
    for (const auto& [key, value] : config) overrides[key.cast<std::string>()] = override_text(value);
    try {
      config_ = resolve_config(fmt::format("environment '{}'", type_.desc->name), type_.desc->params,
                               type_.desc->param_count, overrides);
    } catch (const std::invalid_argument& e) {
      throw py::value_error(e.what());
    }
    env_ = std::make_unique<EnvHandle>(type_, num_envs, config_, seed);
    const std::size_t n = num_envs;
    steps_.assign(n, 0);
    terminated_.assign(n, 0);
    truncated_.assign(n, 0);
    ended_.assign(n, 0);
    reward_.assign(n, 0.0);
  }

  std::uint32_t num_envs() const { return env().num_envs(); }
  std::size_t obs_dim() const { return env().obs_dim(); }
  std::size_t act_dim() const { return env().act_dim(); }
  bool discrete() const { return env().discrete_actions(); }
  std::uint32_t max_episode_steps() const { return env().info().max_episode_steps; }
  std::string name() const { return type_.desc->name; }
  const pgb_space_t& action_space() const { return *env().info().action_space; }
  py::dict config() const {
    py::dict d;
    for (const auto& [key, value] : config_) d[py::str(key)] = py::str(to_string(value));
    return d;
  }
  // The bounds of a Box space, or (n, start) of a Discrete one.
  py::tuple observation_bounds() const { return bounds(*env().info().observation_space, obs_dim()); }
  py::tuple action_bounds() const {
    const pgb_space_t& s = *env().info().action_space;
    if (s.kind == PGB_SPACE_DISCRETE) return py::make_tuple(s.n, s.start);
    return bounds(s, act_dim());
  }

  // Starts an episode in every sub-env: seed None continues each sub-env's stream, an int seeds
  // sub-env i with seed + i (Gymnasium's vector-env convention). Returns the observations.
  py::array_t<double> reset(std::optional<std::uint64_t> seed) {
    py::array_t<double> obs({static_cast<py::ssize_t>(num_envs()), static_cast<py::ssize_t>(obs_dim())});
    std::vector<std::uint64_t> seeds;
    if (seed)
      for (std::uint32_t i = 0; i < num_envs(); ++i) seeds.push_back(*seed + i);
    double* out = obs.mutable_data();
    {
      py::gil_scoped_release unlocked;
      env().reset(nullptr, seed ? seeds.data() : nullptr, out);
    }
    std::fill(steps_.begin(), steps_.end(), 0);
    started_ = true;
    return obs;
  }

  // One step of every sub-env: (obs, rewards, terminated, truncated, final_obs, ended). A sub-env
  // whose episode ended is reset at once: obs holds its first observation of the next episode,
  // final_obs[i] its last one of this episode (zeros where ended[i] is false).
  py::tuple step(const py::array& actions) {
    if (!started_) throw py::value_error(fmt::format("{}: call reset() before step()", name()));
    const std::size_t n = num_envs();
    std::vector<double> box;
    std::vector<std::int64_t> index;
    const void* action_data = validated_actions(actions, box, index);
    py::array_t<double> obs({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(obs_dim())});
    py::array_t<double> final_obs({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(obs_dim())});
    py::array_t<double> rewards(static_cast<py::ssize_t>(n));
    py::array_t<bool> terminated(static_cast<py::ssize_t>(n)), truncated(static_cast<py::ssize_t>(n)),
        ended(static_cast<py::ssize_t>(n));
    {
      py::gil_scoped_release unlocked;
      advance(action_data, obs.mutable_data(), final_obs.mutable_data());
    }
    for (std::size_t i = 0; i < n; ++i) {
      rewards.mutable_data()[i] = reward_[i];
      terminated.mutable_data()[i] = terminated_[i] != 0;
      truncated.mutable_data()[i] = truncated_[i] != 0;
      ended.mutable_data()[i] = ended_[i] != 0;
    }
    return py::make_tuple(obs, rewards, terminated, truncated, final_obs, ended);
  }

  // The step itself, without Python (the caller has released the GIL): steps every sub-env with
  // `actions`, applies the time limit, and resets the sub-envs that ended after copying their last
  // observation to `final_out` (zeros elsewhere). Outputs (num_envs x obs_dim); rewards and flags
  // stay in this object.
  void advance(const void* actions, double* obs_out, double* final_out) {
    const std::size_t n = num_envs();
    pgb_step_out_t out{};
    out.struct_size = sizeof out;
    out.num_envs = static_cast<std::uint32_t>(n);
    out.observation = obs_out;
    out.reward = reward_.data();
    out.terminated = terminated_.data();
    out.truncated = truncated_.data();
    env().step(actions, nullptr, out);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      ++steps_[i];
      // The time limit is the host's: it truncates an episode that reaches it (and did not end).
      if (max_episode_steps() && steps_[i] >= max_episode_steps() && !terminated_[i]) truncated_[i] = 1;
      ended_[i] = terminated_[i] || truncated_[i];
      any = any || ended_[i];
    }
    std::memset(final_out, 0, n * obs_dim() * sizeof(double));
    if (!any) return;
    for (std::size_t i = 0; i < n; ++i)
      if (ended_[i]) {
        std::memcpy(final_out + i * obs_dim(), obs_out + i * obs_dim(), obs_dim() * sizeof(double));
        steps_[i] = 0;
      }
    env().reset(ended_.data(), nullptr, obs_out);
  }

  void close() { env_.reset(); }
  bool closed() const { return !env_; }

 private:
  EnvHandle& env() const {
    if (!env_) throw py::value_error(fmt::format("{}: the environment is closed", type_.desc->name));
    return *env_;
  }

  static py::tuple bounds(const pgb_space_t& s, std::size_t dim) {
    py::array_t<double> low(static_cast<py::ssize_t>(dim)), high(static_cast<py::ssize_t>(dim));
    std::copy(s.low, s.low + dim, low.mutable_data());
    std::copy(s.high, s.high + dim, high.mutable_data());
    return py::make_tuple(low, high);
  }

  // The actions as the plugin reads them, or a ValueError/TypeError naming what is wrong.
  const void* validated_actions(const py::array& actions, std::vector<double>& box, std::vector<std::int64_t>& index) const {
    const std::size_t n = num_envs();
    const pgb_space_t& s = *env().info().action_space;
    if (s.kind == PGB_SPACE_DISCRETE) {
      if (!(actions.ndim() == 1 && static_cast<std::size_t>(actions.shape(0)) == n))
        throw py::value_error(fmt::format("{}: actions must have shape ({},), one index per sub-env; got {}", name(), n,
                                          shape_text(actions)));
      if (!py::isinstance<py::array_t<std::int64_t>>(actions) && actions.dtype().kind() != 'i' &&
          actions.dtype().kind() != 'u')
        throw py::type_error(fmt::format("{}: Discrete actions must be integers; got dtype {}", name(),
                                         py::str(actions.dtype()).cast<std::string>()));
      const auto a = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(actions);
      index.assign(a.data(), a.data() + n);
      for (std::size_t i = 0; i < n; ++i)
        if (index[i] < s.start || index[i] >= s.start + s.n)
          throw py::value_error(fmt::format("{}: action {} of sub-env {} is outside Discrete({}) (values {} to {})",
                                            name(), index[i], i, s.n, s.start, s.start + s.n - 1));
      return index.data();
    }
    const std::size_t d = act_dim();
    const bool shape_ok = (actions.ndim() == 2 && static_cast<std::size_t>(actions.shape(0)) == n &&
                           static_cast<std::size_t>(actions.shape(1)) == d);
    if (!shape_ok)
      throw py::value_error(fmt::format("{}: actions must have shape ({}, {}), one row per sub-env; got {}", name(), n, d,
                                        shape_text(actions)));
    if (actions.dtype().kind() != 'f' && actions.dtype().kind() != 'i')
      throw py::type_error(fmt::format("{}: Box actions must be numbers; got dtype {}", name(),
                                       py::str(actions.dtype()).cast<std::string>()));
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(actions);
    box.assign(a.data(), a.data() + n * d);
    for (std::size_t k = 0; k < box.size(); ++k)
      if (!std::isfinite(box[k]))
        throw py::value_error(fmt::format("{}: action [{}, {}] is {}; actions must be finite", name(), k / d, k % d, box[k]));
    return box.data();
  }

  static std::string shape_text(const py::array& a) {
    std::string text = "(";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) text += (i ? ", " : "") + std::to_string(a.shape(i));
    return text + (a.ndim() == 1 ? ",)" : ")");
  }

  EnvType type_;
  ResolvedConfig config_;
  std::unique_ptr<EnvHandle> env_;
  bool started_ = false;
  std::vector<std::uint32_t> steps_;
  std::vector<std::uint8_t> terminated_, truncated_, ended_;
  std::vector<double> reward_;
};

// What a VectorEnv's steps are compared with (benchmarks/python): the same C++ step, `steps` times
// with uniform random actions and no Python in between. Returns the seconds it took.
double time_host_loop(const std::string& env_id, std::uint32_t num_envs, std::uint64_t steps, std::uint64_t seed) {
  VecEnv envs(env_id, num_envs, seed, py::dict());
  envs.reset(std::nullopt);
  const pgb_space_t& a = envs.action_space();
  const std::size_t ad = envs.act_dim();
  std::vector<double> box(num_envs * ad), obs(num_envs * envs.obs_dim()), final_obs(obs.size());
  std::vector<std::int64_t> index(num_envs);
  pgb::Rng rng(seed);
  py::gil_scoped_release unlocked;
  const auto begin = std::chrono::steady_clock::now();
  for (std::uint64_t t = 0; t < steps; ++t) {
    if (a.kind == PGB_SPACE_DISCRETE)
      for (auto& x : index) x = a.start + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(a.n)));
    else
      for (std::size_t k = 0; k < box.size(); ++k) box[k] = rng.uniform(a.low[k % ad], a.high[k % ad]);
    envs.advance(a.kind == PGB_SPACE_DISCRETE ? static_cast<const void*>(index.data()) : box.data(), obs.data(),
                 final_obs.data());
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

py::list env_descriptions() {
  py::list out;
  for (const EnvType& e : plugins().envs()) {
    py::dict d;
    d["name"] = e.desc->name;
    d["id"] = e.desc->id;
    d["description"] = e.desc->description;
    d["plugin"] = e.library->path.filename().string();
    py::list params;
    for (std::uint32_t i = 0; i < e.desc->param_count; ++i) {
      const pgb_param_desc_t& p = *e.desc->params[i];
      py::dict param;
      param["key"] = p.key;
      param["help"] = p.help ? p.help : "";
      param["type"] = value_type_name(p.default_value.type);
      switch (p.default_value.type) {
        case PGB_VALUE_BOOL: param["default"] = p.default_value.as.i != 0; break;
        case PGB_VALUE_INT: param["default"] = p.default_value.as.i; break;
        case PGB_VALUE_FLOAT: param["default"] = p.default_value.as.f; break;
        default: param["default"] = p.default_value.as.s ? p.default_value.as.s : "";
      }
      param["min"] = p.min;
      param["max"] = p.max;
      param["choices"] = p.choices ? py::object(py::str(p.choices)) : py::object(py::none());
      params.append(param);
    }
    d["parameters"] = params;
    out.append(d);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_pgbench, m) {
  m.doc() = "pgbench's environments for Python: the C++ half (use the package pgbench)";
  py::register_exception<PluginError>(m, "PluginError", PyExc_RuntimeError);
  m.def("env_descriptions", &env_descriptions, "Every environment the plugins provide, with its parameters.");
  m.def("time_host_loop", &time_host_loop, py::arg("env_id"), py::arg("num_envs"), py::arg("steps"), py::arg("seed") = 0,
        "Seconds the C++ loop takes for `steps` random-action steps (what make_vec is measured against).");
  m.def("plugin_dir", [] { return builtin_plugin_dir().string(); }, "The built-in plugin folder found.");
  m.def("rejected_plugins", [] {
    py::list out;
    for (const auto& r : plugins().rejections()) out.append(r.line());
    return out;
  });
  py::class_<VecEnv>(m, "VecEnv")
      .def(py::init<const std::string&, std::uint32_t, std::uint64_t, const py::dict&>(), py::arg("env_id"),
           py::arg("num_envs"), py::arg("seed"), py::arg("config"))
      .def_property_readonly("num_envs", &VecEnv::num_envs)
      .def_property_readonly("obs_dim", &VecEnv::obs_dim)
      .def_property_readonly("act_dim", &VecEnv::act_dim)
      .def_property_readonly("discrete", &VecEnv::discrete)
      .def_property_readonly("max_episode_steps", &VecEnv::max_episode_steps)
      .def_property_readonly("name", &VecEnv::name)
      .def_property_readonly("config", &VecEnv::config)
      .def_property_readonly("closed", &VecEnv::closed)
      .def("observation_bounds", &VecEnv::observation_bounds)
      .def("action_bounds", &VecEnv::action_bounds)
      .def("reset", &VecEnv::reset, py::arg("seed") = py::none())
      .def("step", &VecEnv::step, py::arg("actions"))
      .def("close", &VecEnv::close);
}
