// pgbench-python: the plugin that runs algorithms written in Python (pgbench.Agent subclasses,
// python/pgbench/agent.py) under the host, through ABI 1.2's open_file. The host hands it every
// `.py` file on the plugin path; it imports the file in an embedded interpreter and registers one
// algorithm per Agent subclass defined there, whose calls it forwards to the Python object.
//
// Threads: every call takes the GIL, so agents in one process (--isolation thread) run one at a
// time; under process isolation (the default) each worker has its own interpreter.
// Errors: a Python exception becomes the call's error with its traceback; the host fails the cell.
#include <dlfcn.h>

#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pybind11/embed.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <pgbench/sdk/plugin.hpp>

namespace py = pybind11;
namespace fs = std::filesystem;

namespace {

// ------------------------------------------------------------------------------ interpreter

// Where the package `pgbench` is, relative to this plugin: the build tree's python/ folder or
// the installation's dist-packages.
std::vector<fs::path> package_roots() {
  Dl_info info{};
  if (!dladdr(reinterpret_cast<const void*>(&package_roots), &info) || !info.dli_fname) return {};
  const fs::path plugins = fs::path(info.dli_fname).parent_path();  // .../lib/pgbench/plugins
  std::vector<fs::path> roots;
  for (const fs::path& root : {plugins / ".." / ".." / ".." / "python", plugins / ".." / ".." / "python3" / "dist-packages"})
    if (fs::is_directory(root / "pgbench")) roots.push_back(fs::weakly_canonical(root));
  return roots;
}

// Starts the interpreter once per process and leaves the GIL free for whichever thread calls.
void ensure_interpreter() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!Py_IsInitialized()) {
      // The host loads plugins privately (RTLD_LOCAL), which hides libpython's symbols from the
      // extension modules Python loads (NumPy's): make them global.
      Dl_info libpython{};
      if (dladdr(reinterpret_cast<const void*>(&Py_Initialize), &libpython) && libpython.dli_fname)
        dlopen(libpython.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
      py::initialize_interpreter(/*init_signal_handlers=*/false);
      {
        py::module_ sys = py::module_::import("sys");
        for (const fs::path& root : package_roots()) sys.attr("path").attr("insert")(0, root.string());
      }
      PyEval_SaveThread();  // the host's threads take the GIL per call
    }
  });
}

// The message of a Python exception, with its traceback.
std::string describe(py::error_already_set& e) {
  try {
    py::module_ traceback = py::module_::import("traceback");
    py::list lines = traceback.attr("format_exception")(e.type(), e.value(), e.trace());
    std::string text = "Python raised:\n";
    for (const auto& line : lines) text += line.cast<std::string>();
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  } catch (...) {
    return std::string("Python raised: ") + e.what();
  }
}

// Runs `fn` with the GIL; a Python exception becomes a pgb::Error carrying its traceback.
template <class Fn>
auto with_python(Fn&& fn) {
  py::gil_scoped_acquire gil;
  try {
    return fn();
  } catch (py::error_already_set& e) {
    throw pgb::Error(PGB_ERR_INTERNAL, describe(e));
  }
}

// ------------------------------------------------------------------------------ the agents

// One Agent subclass, as declared: its class and the types of its hyperparameters.
struct AgentClass {
  py::object cls;                                         // held with the GIL
  std::vector<std::pair<std::string, pgb_value_type>> params;
};

py::object space_object(const pgb::Space& space) {
  py::module_ spaces = py::module_::import("pgbench.spaces");
  if (space.is_discrete()) return spaces.attr("Discrete")(space.n(), space.start());
  const std::size_t n = space.dim();
  py::array_t<double> low(static_cast<py::ssize_t>(n)), high(static_cast<py::ssize_t>(n));
  std::copy(space.low().begin(), space.low().end(), low.mutable_data());
  std::copy(space.high().begin(), space.high().end(), high.mutable_data());
  return spaces.attr("Box")(low, high);
}

py::array_t<double> rows_array(const pgb::ConstRows& rows) {
  py::array_t<double> a({static_cast<py::ssize_t>(rows.rows), static_cast<py::ssize_t>(rows.cols)});
  std::memcpy(a.mutable_data(), rows.data, std::size_t{rows.rows} * rows.cols * sizeof(double));
  return a;
}

std::string shape_text(const py::array& a) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) text += (i ? ", " : "") + std::to_string(a.shape(i));
  return text + (a.ndim() == 1 ? ",)" : ")");
}

class PythonAgent final : public pgb::Algorithm {
 public:
  PythonAgent(std::shared_ptr<const AgentClass> agent_class, const pgb::AlgorithmContext& c)
      : class_(std::move(agent_class)), act_dim_(c.action_space.dim()), discrete_(c.action_space.is_discrete()) {
    with_python([&] {
      py::dict hp;
      for (const auto& [key, type] : class_->params) {
        switch (type) {
          case PGB_VALUE_BOOL: hp[py::str(key)] = c.hyperparameters.get_bool(key); break;
          case PGB_VALUE_INT: hp[py::str(key)] = c.hyperparameters.get_int(key); break;
          case PGB_VALUE_FLOAT: hp[py::str(key)] = c.hyperparameters.get_double(key); break;
          default: hp[py::str(key)] = c.hyperparameters.get_string(key);
        }
      }
      py::object context = py::module_::import("pgbench.agent")
                               .attr("Context")(space_object(c.observation_space), space_object(c.action_space),
                                                c.num_envs, c.seed, c.total_env_steps);
      instance_ = class_->cls(context, **hp);
      return 0;
    });
  }
  ~PythonAgent() override {
    py::gil_scoped_acquire gil;
    instance_ = py::object();
  }

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override { write_actions("act", obs, actions); }
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override { write_actions("act_eval", obs, actions); }

  bool observe(const pgb::Transitions& batch) override {
    return with_python([&] {
      const auto rows = static_cast<py::ssize_t>(batch.rows());
      py::array actions = batch.discrete
                              ? py::array(py::array_t<std::int64_t>(rows, static_cast<const std::int64_t*>(batch.action)))
                              : py::array(py::array_t<double>({rows, static_cast<py::ssize_t>(batch.action_dim)},
                                                              static_cast<const double*>(batch.action)));
      py::array_t<double> rewards(rows, batch.reward.data());
      py::array_t<bool> terminated(rows), truncated(rows);
      for (py::ssize_t i = 0; i < rows; ++i) {
        terminated.mutable_data()[i] = batch.terminated[static_cast<std::size_t>(i)] != 0;
        truncated.mutable_data()[i] = batch.truncated[static_cast<std::size_t>(i)] != 0;
      }
      return py::bool_(instance_.attr("observe")(rows_array(batch.observation), actions, rewards,
                                                 rows_array(batch.next_observation), terminated, truncated))
          .cast<bool>();
    });
  }

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    with_python([&] {
      py::object result = instance_.attr("update")(env_steps_done);
      if (result.is_none()) return 0;
      if (!py::isinstance<py::dict>(result))
        throw pgb::InvalidArgument("update() returned a " + py::str(result.get_type().attr("__name__")).cast<std::string>() +
                                   "; it returns a dict of metrics or None");
      for (const auto& [key, value] : result.cast<py::dict>()) metrics(key.cast<std::string>(), value.cast<double>());
      return 0;
    });
  }

  void save(pgb::OutputArchive& out, pgb::StateScope scope) const override {
    const std::string bytes = with_python([&] {
      py::object data = instance_.attr("save")(scope == pgb::StateScope::Full ? "full" : "policy");
      if (!py::isinstance<py::bytes>(data)) throw pgb::InvalidArgument("save() must return bytes");
      return data.cast<std::string>();
    });
    out.pod<std::uint64_t>(bytes.size());
    out.bytes(bytes.data(), bytes.size());
  }

  void load(pgb::InputArchive& in, pgb::StateScope scope) override {
    std::string bytes(in.pod<std::uint64_t>(), '\0');
    in.bytes(bytes.data(), bytes.size());
    with_python([&] {
      instance_.attr("load")(py::bytes(bytes), scope == pgb::StateScope::Full ? "full" : "policy");
      return 0;
    });
  }

 private:
  // Calls `method` and writes what it returns into the host's buffer, or says what is wrong.
  void write_actions(const char* method, const pgb::ConstRows& obs, pgb::ActionRows& actions) const {
    with_python([&] {
      py::object result = instance_.attr(method)(rows_array(obs));
      if (discrete_) {
        const py::array given = py::array::ensure(result);
        if (!given || given.ndim() != 1 || given.shape(0) != obs.rows)
          throw pgb::InvalidArgument(std::string(method) + "() returned " +
                                     (given ? "an array of shape " + shape_text(given) : std::string("no array")) +
                                     "; Discrete actions need shape (" + std::to_string(obs.rows) + ",)");
        if (given.dtype().kind() != 'i' && given.dtype().kind() != 'u')
          throw pgb::InvalidArgument(std::string(method) + "() returned " + py::str(given.dtype()).cast<std::string>() +
                                     " actions; Discrete actions are integers");
        const auto a = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(given);
        for (std::uint32_t r = 0; r < obs.rows; ++r) actions.index(r) = a.data()[r];
      } else {
        const py::array given = py::array::ensure(result);
        if (!given || given.ndim() != 2 || given.shape(0) != obs.rows || static_cast<std::size_t>(given.shape(1)) != act_dim_)
          throw pgb::InvalidArgument(std::string(method) + "() returned " +
                                     (given ? "an array of shape " + shape_text(given) : std::string("no array")) +
                                     "; Box actions need shape (" + std::to_string(obs.rows) + ", " +
                                     std::to_string(act_dim_) + ")");
        const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(given);
        for (std::uint32_t r = 0; r < obs.rows; ++r)
          std::copy(a.data() + std::size_t{r} * act_dim_, a.data() + std::size_t{r + 1} * act_dim_, actions.values(r).begin());
      }
      return 0;
    });
  }

  std::shared_ptr<const AgentClass> class_;
  py::object instance_;
  std::size_t act_dim_;
  bool discrete_;
};

// ------------------------------------------------------------------------------ opening files

// One opened file: its descriptor and the strings it points at.
struct OpenedFile {
  std::string id, name, description;
  std::vector<const pgb_algo_desc_t*> algos;
  pgb_plugin_t plugin{};
};

std::deque<OpenedFile>& opened_files() {
  static std::deque<OpenedFile> files;  // deque: descriptors stay put
  return files;
}

// The declaration of one hyperparameter from its pgbench.Param.
void declare(pgb::sdk::AlgorithmRegistration& reg, const std::string& key, const py::handle& param,
             std::vector<std::pair<std::string, pgb_value_type>>& types) {
  const py::object d = param.attr("default");
  const std::string help = py::str(param.attr("help")).cast<std::string>();
  const auto bound = [&](const char* which) {
    const py::object b = param.attr(which);
    return b.is_none() ? pgb::kUnbounded : b.cast<double>();
  };
  if (py::isinstance<py::bool_>(d)) {
    reg.param(key, d.cast<bool>(), help);
    types.emplace_back(key, PGB_VALUE_BOOL);
  } else if (py::isinstance<py::int_>(d)) {
    reg.param(key, d.cast<std::int64_t>(), help, bound("low"), bound("high"));
    types.emplace_back(key, PGB_VALUE_INT);
  } else if (py::isinstance<py::float_>(d)) {
    reg.param(key, d.cast<double>(), help, bound("low"), bound("high"));
    types.emplace_back(key, PGB_VALUE_FLOAT);
  } else {
    std::string choices;
    if (!param.attr("choices").is_none())
      for (const auto& c : param.attr("choices")) choices += (choices.empty() ? "" : "|") + py::str(c).cast<std::string>();
    static std::deque<std::string> defaults;  // the registration keeps the pointer until finalise copies it
    reg.param(key, defaults.emplace_back(d.cast<std::string>()).c_str(), help, choices);
    types.emplace_back(key, PGB_VALUE_STRING);
  }
}

const pgb_plugin_t* PGB_ABI open_python_file(const pgb_host_t*, const char* path, char* err, std::uint32_t err_size) {
  try {
    ensure_interpreter();
    return with_python([&]() -> const pgb_plugin_t* {
      const fs::path file(path);
      const std::string stem = file.stem().string();
      py::module_ importlib = py::module_::import("importlib.util");
      py::object spec = importlib.attr("spec_from_file_location")("pgbench_agent_" + stem, file.string());
      py::object module = importlib.attr("module_from_spec")(spec);
      py::module_::import("sys").attr("path").attr("insert")(0, file.parent_path().string());
      spec.attr("loader").attr("exec_module")(module);
      const py::object base = py::module_::import("pgbench.agent").attr("Agent");

      OpenedFile& opened = opened_files().emplace_back();
      opened.id = "org.pgbench.python." + stem;
      opened.name = file.filename().string();
      opened.description = "Python agents of " + file.filename().string();
      py::object builtins = py::module_::import("builtins");
      for (const auto& item : module.attr("__dict__").attr("values")()) {
        const py::object cls = py::reinterpret_borrow<py::object>(item);
        if (!py::isinstance<py::type>(cls) || cls.is(base) || !builtins.attr("issubclass")(cls, base).cast<bool>() ||
            py::str(cls.attr("__module__")).cast<std::string>() != "pgbench_agent_" + stem)
          continue;
        auto agent_class = std::make_shared<AgentClass>();
        agent_class->cls = cls;
        const std::string name = cls.attr("name").is_none() ? stem : py::str(cls.attr("name")).cast<std::string>();
        auto& reg = pgb::sdk::Registry::instance().algorithms.emplace_back(
            "org.pgbench.python." + stem + "." + name + "/1",
            [agent_class](const pgb::AlgorithmContext& c) { return std::make_unique<PythonAgent>(agent_class, c); },
            &pgb::sdk::AlgoAdapter::vtable);
        reg.name(name).description(py::str(cls.attr("description")).cast<std::string>()).num_envs(
            cls.attr("num_envs").cast<std::uint32_t>());
        std::string kinds;
        for (const auto& kind : cls.attr("actions")) kinds += py::str(kind).cast<std::string>() + " ";
        if (kinds.find("box") == std::string::npos) reg.discrete_actions_only();
        if (kinds.find("discrete") == std::string::npos) reg.box_actions_only();
        for (const auto& [key, param] : cls.attr("hyperparameters").cast<py::dict>())
          declare(reg, key.cast<std::string>(), param, agent_class->params);
        opened.algos.push_back(reg.finalise());
      }
      if (opened.algos.empty())
        throw pgb::InvalidArgument("defines no subclass of pgbench.Agent (a Python file on the plugin path is a plugin "
                                   "when it does)");
      pgb_plugin_t& p = opened.plugin;
      p.struct_size = sizeof p;
      p.abi_version = PGB_ABI_VERSION;
      p.id = opened.id.c_str();
      p.name = opened.name.c_str();
      p.version = "";
      p.vendor = "";
      p.description = opened.description.c_str();
      p.algo_count = static_cast<std::uint32_t>(opened.algos.size());
      p.algos = opened.algos.data();
      p.build_signature = "Python " PY_VERSION;
      return &p;
    });
  } catch (const std::exception& e) {
    pgb::sdk::write_message(err, err_size, e.what());
    return nullptr;
  }
}

}  // namespace

PGB_PLUGIN_OPENS_FILES(".py", &open_python_file);

PGB_PLUGIN("org.pgbench.python", "Python agents", "1.0.0",
           "Runs algorithms written in Python (pgbench.Agent subclasses in .py files on the plugin path)")
