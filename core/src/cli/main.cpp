// pgbench: the command line.
//
//   pgbench --suite NAME|FILE [options]     run a grid (same as `pgbench run ...`)
//   pgbench list                            plugins, environments and algorithms
//   pgbench describe ID|NAME                an environment's or algorithm's parameters
//   pgbench check PLUGIN|DIR                the conformance checks, on a plugin being written
//   pgbench new algorithm|env NAME [DIR]    a plugin project to start from
//   pgbench report DIR [DIR...] [options]   statistics, tables and figures of run directories
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "check/conformance.hpp"
#include "cli/new_project.hpp"
#include "host/grid.hpp"
#include "host/instances.hpp"
#include "host/merge.hpp"
#include "host/mpi_session.hpp"
#include "host/plugins.hpp"
#include "host/profile.hpp"
#include "host/provenance.hpp"
#include "host/results.hpp"
#include "host/shard.hpp"
#include "host/slurm.hpp"
#include "host/suite.hpp"
#include "host/version.hpp"
#include "host/worker.hpp"
#ifdef PGBENCH_HAVE_REPORT
#include "report/report.hpp"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace pgbench;

namespace {

enum ExitCode { kOk = 0, kFailedCells = 1, kBadInput = 2, kInternalError = 70, kInterrupted = 130 };

RunControl* g_control = nullptr;

extern "C" void on_interrupt(int) {
  // First Ctrl-C: finish cleanly (cells in flight are dropped, finished ones are kept).
  // Second: leave at once; the run directory stays consistent because every write is atomic.
  static volatile std::sig_atomic_t count = 0;
  count = count + 1;
  if (count > 1) _exit(kInterrupted);
  if (g_control) g_control->stop.store(true);
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::stringstream ss(v);
    for (std::string item; std::getline(ss, item, ',');)
      if (!item.empty()) out.push_back(item);
  }
  return out;
}

po::options_description plugin_options() {
  po::options_description o("Plugins");
  o.add_options()("plugin-path", po::value<std::vector<std::string>>()->composing(),
                  "also load plugins from this folder or file (repeatable; PGBENCH_PLUGIN_PATH is read too, "
                  "':'-separated)");
  return o;
}

PluginRegistry load_plugins(const po::variables_map& vm, bool quiet_rejections = false) {
  std::vector<fs::path> extra;
  if (vm.count("plugin-path"))
    for (const auto& p : vm["plugin-path"].as<std::vector<std::string>>()) extra.emplace_back(p);
  PluginRegistry registry;
  registry.load(plugin_search_path(extra));
  if (!quiet_rejections)
    for (const auto& r : registry.rejections()) std::cerr << "pgbench: skipped plugin " << r.line() << "\n";
  return registry;
}

std::string command_line(int argc, char** argv) {
  std::string s = "pgbench";
  for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
  return s;
}

// The newest run of `suite` under `results_root`, for --resume without --out.
fs::path latest_run(const fs::path& results_root, const std::string& suite) {
  fs::path best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(results_root, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && name.rfind(suite + "-", 0) == 0 && fs::exists(e.path() / "manifest.json") &&
        (best.empty() || name > best.filename().string()))
      best = e.path();
  }
  return best;
}

fs::path new_run_dir(const fs::path& results_root, const std::string& suite) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  fs::path dir = results_root / fmt::format("{}-{}", suite, stamp);
  for (int i = 2; fs::exists(dir); ++i) dir = results_root / fmt::format("{}-{}-{}", suite, stamp, i);
  return dir;
}

// The options that define a grid: shared by `pgbench --suite ...` and its workers, which
// re-resolve the same grid from the same options.
po::options_description grid_options() {
  po::options_description o("Grid");
  o.add_options()("suite", po::value<std::string>(),
                  "a suite name (looked up in the suite folders: --suite-path, PGBENCH_SUITE_PATH, then the shipped "
                  "suites/) or the path of a suite file (./my-suite.yaml)")(
      "suite-path", po::value<std::vector<std::string>>()->composing(), "also look up suite names in this folder (repeatable)")(
      "seeds", po::value<std::int64_t>(), "run seed indices 0..N-1 instead of the suite's")(
      "steps", po::value<std::int64_t>(), "env-step budget of every task instead of the suite's")(
      "algos", po::value<std::vector<std::string>>()->composing(), "only these algorithms of the suite (comma-separated)")(
      "envs", po::value<std::vector<std::string>>()->composing(), "only these tasks of the suite (comma-separated)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "NAME.KEY=VALUE: set a hyperparameter of algorithm NAME, or a setting or env parameter of task NAME "
      "(repeatable), e.g. --set random.num_envs=4 --set CartPole-v1.eval_every=1000")(
      "checkpoint-every", po::value<std::string>(),
      "wall-clock time between a running cell's checkpoints, e.g. 5min (suite key checkpoint_every; default 5min; "
      "none = only when stopped); a stopped or killed cell continues from its last one")(
      "cell-time-limit", po::value<std::string>(),
      "wall-clock limit of one cell, e.g. 90min, 2h (suite key cell_time_limit; default 24h; none = no limit)")(
      "cell-memory-limit", po::value<std::string>(),
      "resident-memory limit of one cell, e.g. 8GiB (suite key cell_memory_limit; default 8GiB; none = no limit)");
  return o;
}

// A name list option: "a,b" or repeated; an empty list is an error.
std::vector<std::string> name_list(const po::variables_map& vm, const char* option, const char* what) {
  const auto names = split_list(vm[option].as<std::vector<std::string>>());
  if (names.empty())
    throw std::invalid_argument(fmt::format("--{}: empty; give one or more {} of the suite, comma-separated", option, what));
  return names;
}

SuiteOverrides grid_overrides(const po::variables_map& vm) {
  SuiteOverrides overrides;
  if (vm.count("algos")) overrides.algos = name_list(vm, "algos", "algorithm names");
  if (vm.count("envs")) overrides.envs = name_list(vm, "envs", "task names");
  if (vm.count("seeds")) overrides.seeds = vm["seeds"].as<std::int64_t>();
  if (vm.count("steps")) {
    const std::int64_t steps = vm["steps"].as<std::int64_t>();
    if (steps < 1) throw std::invalid_argument(fmt::format("--steps: must be an integer >= 1, got {}", steps));
    overrides.steps = static_cast<std::uint64_t>(steps);
  }
  if (vm.count("set")) overrides.sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("checkpoint-every")) overrides.checkpoint_every = vm["checkpoint-every"].as<std::string>();
  if (vm.count("cell-time-limit")) overrides.cell_time_limit = vm["cell-time-limit"].as<std::string>();
  if (vm.count("cell-memory-limit")) overrides.cell_memory_limit = vm["cell-memory-limit"].as<std::string>();
  return overrides;
}

std::vector<fs::path> suite_path_option(const po::variables_map& vm) {
  std::vector<fs::path> folders;
  if (vm.count("suite-path"))
    for (const auto& p : vm["suite-path"].as<std::vector<std::string>>()) folders.emplace_back(p);
  return folders;
}

// The grid the options describe: the suite file found, the suite with the command line's changes,
// the plugins, and the grid resolved against them (skipped pairs reported).
struct Grid {
  fs::path suite_file;
  Suite suite;
  SuiteOverrides overrides;
  PluginRegistry plugins;
  std::unique_ptr<ResolvedSuite> resolved;
};

Grid resolve_grid(const po::variables_map& vm) {
  if (!vm.count("suite")) throw std::invalid_argument("missing --suite NAME|FILE (try: pgbench --suite classic-control)");
  Grid g;
  g.suite_file = find_suite(vm["suite"].as<std::string>(), suite_path_option(vm));
  g.suite = load_suite(g.suite_file);
  g.overrides = grid_overrides(vm);
  g.plugins = load_plugins(vm);
  apply_overrides(g.suite, g.overrides, [&](const std::string& kind, const std::string& name) {
    // By the name users type (it names the cells' folders), not by id.
    if (kind == "algorithm") return g.plugins.find_algorithm(name) && name == g.plugins.find_algorithm(name)->desc->name;
    return g.plugins.find_env(name) && name == g.plugins.find_env(name)->desc->name;
  });
  g.resolved = resolve_suite(g.suite, g.plugins);
  for (const auto& s : g.resolved->skipped)
    std::cerr << fmt::format("pgbench: skipping {} x {}: {}\n", s.task, s.algorithm, s.reason);
  if (g.resolved->cells.empty()) throw std::invalid_argument("the grid is empty: no (task, algorithm) pair is compatible");
  return g;
}

// The report of a run directory, at its usual place (DIR/report), unless this build has none.
void write_report_of(const fs::path& run) {
#ifdef PGBENCH_HAVE_REPORT
  report::Options options;
  options.run_dirs = {run};
  report::write_report(options, std::cerr);
#else
  std::cerr << "pgbench: this build has no report module; no report written\n";
#endif
}

// Parses `args` against `options` (plus, when `positional` names one, a list of positional
// arguments); prints `options` and returns nothing for --help.
std::optional<po::variables_map> parse_options(const std::vector<std::string>& args, const po::options_description& options,
                                               const char* positional = nullptr) {
  po::options_description all;
  all.add(options);
  po::positional_options_description pos;
  if (positional) {
    all.add_options()(positional, po::value<std::vector<std::string>>());
    pos.add(positional, -1);
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << "\n";
    return std::nullopt;
  }
  return vm;
}

std::string comma_joined(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ",") + item;
  return joined;
}

// The command-line form of `o`: what another pgbench process needs to resolve the same grid.
std::vector<std::string> override_args(const SuiteOverrides& o) {
  std::vector<std::string> args;
  if (!o.algos.empty()) args.insert(args.end(), {"--algos", comma_joined(o.algos)});
  if (!o.envs.empty()) args.insert(args.end(), {"--envs", comma_joined(o.envs)});
  if (o.seeds) args.insert(args.end(), {"--seeds", std::to_string(*o.seeds)});
  if (o.steps) args.insert(args.end(), {"--steps", std::to_string(*o.steps)});
  for (const auto& set : o.sets) args.insert(args.end(), {"--set", set});
  if (o.cell_time_limit) args.insert(args.end(), {"--cell-time-limit", *o.cell_time_limit});
  if (o.cell_memory_limit) args.insert(args.end(), {"--cell-memory-limit", *o.cell_memory_limit});
  if (o.checkpoint_every) args.insert(args.end(), {"--checkpoint-every", *o.checkpoint_every});
  return args;
}

// The arguments that make a worker resolve exactly the grid this process resolved.
// (The cell's own arguments name the two plugin files it needs: a worker loads nothing else.)
std::vector<std::string> worker_grid_args(const fs::path& suite_file, SuiteOverrides o, const fs::path& out,
                                          const PluginRegistry& plugins) {
  o.cell_time_limit.reset();  // the scheduler's business, not the worker's
  o.cell_memory_limit.reset();
  std::vector<std::string> args{"worker", "--suite", fs::absolute(suite_file).string(), "--out", fs::absolute(out).string()};
  const auto grid = override_args(o);
  args.insert(args.end(), grid.begin(), grid.end());
  std::vector<std::string> hashes;
  for (const auto& lib : plugins.libraries()) hashes.push_back(lib->sha256);
  args.insert(args.end(), {"--expect-plugins", comma_joined(hashes)});
  return args;
}

int cmd_run(const std::vector<std::string>& args, int argc, char** argv) {
  po::options_description grid("Run a grid: pgbench --suite NAME|FILE [options]");
  grid.add_options()(
      "out", po::value<std::string>(),
      "run directory; default: a new folder results/<suite>-<date>-<time>. If it already holds a run of the same "
      "grid, finished cells are kept and the rest (failed ones included) are run")(
      "resume", "continue the newest run of this suite under results/ (or the --out folder)")(
      "threads", po::value<std::int64_t>()->default_value(0), "cells run in parallel; 0 = every core")(
      "isolation", po::value<std::string>()->default_value("process"),
      "process: every cell in a worker process of its own, so a crashing, hanging or runaway plugin fails only its "
      "cell; thread: cells in threads of this process (debugging; a crash ends the grid). Results are identical")(
      "mpi", "share the grid among the ranks of an MPI job: mpirun -n R pgbench --suite NAME --mpi; each rank runs "
             "--threads cells at once; the run directory must be on a filesystem every rank sees")(
      "allow-changed-binaries",
      "resume although the host build or a plugin file differs from the run's; the manifest records each change and "
      "the cells run under each build")(
      "no-report", "do not write the report at the end")(
      "progress-every", po::value<std::string>()->default_value("10min"),
      "when the output is not a terminal (a log file, a batch job): print the progress line (cells and env steps done, env steps/s, "
      "ETA) this often, e.g. 30s, 1h (none = only a line per finished cell)")(
      "profile", "print where the time went at the end: simulate, act, observe, update, evaluate per (task, algorithm)")(
      "shard", po::value<std::string>(),
      "K/N: run only shard K of N of the grid (1 <= K <= N), a partition every shard computes alike, balanced by "
      "expected cost; merge the shards' run directories with pgbench merge")(
      "costs", po::value<std::string>(),
      "cost table that balances --shard (written by --dry-run --write-costs FILE); default: each cell's env-step budget")(
      "dry-run", "print the grid and an estimate of its cost in core-hours from a short calibration run of each "
                 "(task, algorithm); runs no grid and writes nothing but --write-costs")(
      "write-costs", po::value<std::string>(), "with --dry-run: write the calibration as a cost table (JSON) for --costs")(
      "calibration-steps", po::value<std::uint64_t>()->default_value(20000), "env steps of each --dry-run calibration")(
      "help,h", "this help");
  po::options_description all;
  all.add(grid_options()).add(grid).add(plugin_options());
  const auto parsed = parse_options(args, all);
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::int64_t threads = vm["threads"].as<std::int64_t>();
  if (threads < 0) throw std::invalid_argument(fmt::format("--threads: must be 0 (every core) or a positive count, got {}", threads));
  const std::string isolation = vm["isolation"].as<std::string>();
  if (isolation != "process" && isolation != "thread")
    throw std::invalid_argument(fmt::format("--isolation: '{}' is not accepted; use process or thread", isolation));
  const double progress_every_s = parse_duration("--progress-every", vm["progress-every"].as<std::string>());

  const Grid g = resolve_grid(vm);
  const fs::path& suite_file = g.suite_file;
  const Suite& suite = g.suite;
  const SuiteOverrides& overrides = g.overrides;
  const PluginRegistry& plugins = g.plugins;
  const auto& resolved = g.resolved;

  if (vm.count("dry-run")) {
    const CostTable costs =
        print_dry_run(*resolved, vm["calibration-steps"].as<std::uint64_t>(), static_cast<unsigned>(threads), std::cout);
    if (vm.count("write-costs")) {
      const fs::path file = vm["write-costs"].as<std::string>();
      write_file_atomic(file, costs.to_json(provenance(plugins)["machine"]["cpu"].get<std::string>()).dump(2) + "\n");
      std::cout << "cost table written to " << file.string() << " (use it with --costs)\n";
    }
    return kOk;
  }
  if (vm.count("write-costs")) throw std::invalid_argument("--write-costs: only with --dry-run, which calibrates the costs");

  // A shard keeps only its own cells; the manifest lists the whole grid's beside them.
  std::optional<ShardSpec> shard;
  nlohmann::json shard_record;
  if (vm.count("shard")) {
    shard = parse_shard(vm["shard"].as<std::string>());
    const CostTable costs = vm.count("costs") ? CostTable::load(vm["costs"].as<std::string>()) : CostTable();
    const Partition partition = partition_cells(*resolved, shard->count, costs);
    const nlohmann::json grid_cells = cell_list(resolved->cells);
    std::vector<CellSpec> mine;
    for (std::size_t i : partition.cells[shard->index - 1]) mine.push_back(resolved->cells[i]);
    resolved->cells = std::move(mine);
    shard_record = {{"index", shard->index},
                    {"count", shard->count},
                    {"partition", "longest expected cost first, onto the shard with the least so far"},
                    {"costs", costs.source()},
                    {"expected_cost", partition.cost[shard->index - 1]},
                    {"expected_cost_unit", costs.calibrated() ? "core-seconds" : "env steps"},
                    {"grid_cells", grid_cells}};
  } else if (vm.count("costs")) {
    throw std::invalid_argument("--costs: only with --shard, whose balance it sets");
  }

  std::unique_ptr<MpiSession> mpi;
  if (vm.count("mpi")) mpi = std::make_unique<MpiSession>(nullptr, nullptr);
  const bool leader = !mpi || mpi->rank() == 0;  // writes the manifest, the banner, the totals, the report

  fs::path out;
  if (vm.count("out")) {
    out = vm["out"].as<std::string>();
  } else if (vm.count("resume")) {
    out = latest_run("results", suite.name);
    if (out.empty()) throw std::invalid_argument(fmt::format("--resume: no earlier run of '{}' under results/", suite.name));
  } else {
    out = new_run_dir("results", shard ? fmt::format("{}-shard-{}-of-{}", suite.name, shard->index, shard->count)
                                       : suite.name);
  }
  nlohmann::json manifest = make_manifest(*resolved, plugins, command_line(argc, argv));
  if (shard) manifest["shard"] = shard_record;
  manifest["suite_file"] = {{"path", suite_file_label(suite_file)}, {"sha256", file_sha256(suite_file)}};
  RunDirectory::Options open_options;
  open_options.allow_changed_binaries = vm.count("allow-changed-binaries") > 0;
  // The suite file as resolved, beside the results: workers read it, and the run keeps it.
  const fs::path suite_copy = out / "suite.yaml";
  // The leader opens the run directory as its one writer; under MPI the other ranks learn its
  // path, or its refusal.
  std::unique_ptr<RunDirectory> run;
  std::string refusal;
  if (leader) {
    try {
      run = std::make_unique<RunDirectory>(out, manifest, open_options);
      write_file_atomic(suite_copy, read_file_text(suite_file));
    } catch (const std::invalid_argument& e) {
      if (!mpi) throw;
      refusal = e.what();
    }
  }
  if (mpi) {
    refusal = mpi->broadcast(refusal);
    if (!refusal.empty()) throw std::invalid_argument(refusal);
    out = mpi->broadcast(out.string());
    if (!leader) run = RunDirectory::for_worker(out);
    mpi->barrier();
  }
  for (const auto& note : run->notes()) std::cerr << "pgbench: " << note << "\n";
  if (leader)
    std::cerr << fmt::format("pgbench {}: suite '{}' ({}), {} cells ({}{}{}), run directory {}\n",
                           kVersion, suite.name, suite_file.string(), resolved->cells.size(), resolved->shape(),
                           resolved->skipped.empty() ? "" : fmt::format(", {} pairs skipped", resolved->skipped.size()),
                           shard ? fmt::format("; shard {} of {}", shard->index, shard->count) : "",
                           out.string())
              << (mpi ? fmt::format("MPI: {} ranks take the cells from one shared counter, each {} at a time\n", mpi->size(),
                                    threads ? threads : std::thread::hardware_concurrency())
                      : "");

  RunControl control;
  g_control = &control;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  GridOptions options;
  options.threads = static_cast<unsigned>(threads);
  options.live_progress = isatty(STDERR_FILENO);
  options.progress_every_s = progress_every_s;
  options.isolation = isolation == "thread" ? Isolation::Thread : Isolation::Process;
  options.worker.program = boost::dll::program_location().string();
  options.worker.args = worker_grid_args(suite_copy, overrides, out, plugins);
  options.worker.cell_args = [](const CellSpec& cell) -> std::vector<std::string> {
    std::vector<std::string> args{"--task", cell.task->name, "--algorithm", cell.algo->name, "--seed-index",
                                  std::to_string(cell.seed_index)};
    // The cell's two plugin files, each after the plugin that opens it when it is not a library.
    for (const Library* lib : {cell.task->env.library.get(), cell.algo->algorithm.library.get()}) {
      if (lib->runtime) args.insert(args.end(), {"--plugin-file", fs::absolute(lib->runtime->path).string()});
      args.insert(args.end(), {"--plugin-file", fs::absolute(lib->path).string()});
    }
    return args;
  };
  if (mpi) {
    options.next_pending = mpi->shared_counter();
    options.log_name = fmt::format("rank {}", mpi->rank());
    options.live_progress = false;
  }
  GridOutcome outcome = run_grid(*resolved, *run, options, control, std::cerr);
  g_control = nullptr;
  bool interrupted = control.stop.load();
  if (mpi) {
    // The job's totals; rank 0 reads the failed cells' reasons from their summaries.
    outcome.ok = mpi->sum(outcome.ok);
    outcome.failed = mpi->sum(outcome.failed);
    outcome.interrupted = mpi->sum(outcome.interrupted);
    interrupted = mpi->sum(interrupted ? 1 : 0) > 0;
    mpi->barrier();
    if (!leader) return interrupted ? kInterrupted : outcome.failed ? kFailedCells : kOk;
    outcome.failures.clear();
    for (const auto& cell : resolved->cells)
      if (const CellSummary summary = run->read_summary(cell); !summary.ok && fs::exists(out / cell.dir() / "summary.json"))
        outcome.failures.push_back(cell.dir() + ": " + summary.error);
  }

  const auto print_failures = [&] {
    if (outcome.failures.empty()) return;
    std::cerr << fmt::format("failed cells ({}; each summary.json has the details):\n", outcome.failures.size());
    for (const auto& f : outcome.failures) std::cerr << "  " << f << "\n";
  };
  if (interrupted) {
    const std::string resume = vm.count("out") ? command_line(argc, argv)
                                               : fmt::format("{} --out {}", command_line(argc, argv), out.string());
    std::cerr << fmt::format("\ninterrupted: {} cells finished, {} not. Resume with:\n  {}\n",
                             outcome.already_finished + outcome.ok + outcome.failed, outcome.interrupted, resume);
    print_failures();
    return kInterrupted;
  }
  std::cerr << fmt::format("done: {} ok, {} failed, {} finished earlier; results in {}\n", outcome.ok, outcome.failed,
                           outcome.already_finished, out.string());
  print_failures();
  if (outcome.failed)
    std::cerr << fmt::format("the failed cells run again when the run is resumed (the same command with --out {})\n",
                             out.string());
  if (vm.count("profile")) print_profile(outcome.profiles, std::cout);
  if (!vm.count("no-report")) write_report_of(out);
  return outcome.failed ? kFailedCells : kOk;
}

int cmd_slurm(const std::vector<std::string>& args, int argc, char** argv) {
  po::options_description slurm("pgbench slurm --suite NAME|FILE [grid options] [options]: the grid as a Slurm job array "
                                "of shards, and a job that merges them");
  slurm.add_options()("shards", po::value<std::int64_t>()->default_value(10),
                      "array tasks: the grid in this many shards (at most one per cell)")(
      "cpus-per-task", po::value<std::int64_t>()->default_value(1), "cores of each array task; its cells run this many at once")(
      "partition", po::value<std::string>(), "the Slurm partition to run in (default: the cluster's default)")(
      "time", po::value<std::string>()->default_value("auto"),
      "time limit of each array task: HH:MM:SS (sbatch's formats), or auto: 1.5 x the largest shard's calibrated cost "
      "/ cpus-per-task + 10 min")(
      "costs", po::value<std::string>(),
      "cost table (pgbench --dry-run --write-costs FILE) for the shards' balance and --time auto; without it, --time "
      "auto calibrates now")(
      "calibration-steps", po::value<std::uint64_t>()->default_value(20000), "env steps of the calibration of --time auto")(
      "out", po::value<std::string>(),
      "where the scripts (OUT/slurm), the shards (OUT/shards) and the merged run (OUT/merged) go; default "
      "results/<suite>-<date>-<time>; a shared filesystem, seen by every node")(
      "submit", "submit the array and the merge job now (sbatch)")("help,h", "this help");
  po::options_description all;
  all.add(grid_options()).add(slurm).add(plugin_options());
  const auto parsed = parse_options(args, all);
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::int64_t shards = vm["shards"].as<std::int64_t>(), cpus = vm["cpus-per-task"].as<std::int64_t>();
  if (shards < 1) throw std::invalid_argument(fmt::format("--shards: must be >= 1, got {}", shards));
  if (cpus < 1) throw std::invalid_argument(fmt::format("--cpus-per-task: must be >= 1, got {}", cpus));
  const std::string time = vm["time"].as<std::string>();
  if (time != "auto") check_slurm_time(time);

  const Grid g = resolve_grid(vm);
  const auto& resolved = g.resolved;
  const Suite& suite = g.suite;

  const fs::path out = fs::absolute(vm.count("out") ? fs::path(vm["out"].as<std::string>()) : new_run_dir("results", suite.name));
  if (fs::exists(out) && !fs::is_empty(out) && !fs::exists(out / "slurm" / "array.sbatch"))
    throw std::invalid_argument(fmt::format("--out {}: exists, is not empty and holds no pgbench Slurm job; choose a new --out",
                                            out.string()));
  fs::create_directories(out / "slurm");

  // The cost table: given, or calibrated now for --time auto; the shards balance with the same one.
  std::optional<fs::path> costs_file;
  CostTable costs;
  if (vm.count("costs")) {
    costs_file = fs::absolute(vm["costs"].as<std::string>());
    costs = CostTable::load(*costs_file);
  } else if (time == "auto") {
    std::cerr << "--time auto: calibrating the grid's cost (give --costs FILE or --time HH:MM:SS to skip)\n";
    costs = print_dry_run(*resolved, vm["calibration-steps"].as<std::uint64_t>(), 0, std::cerr);
    costs_file = out / "slurm" / "costs.json";
    write_file_atomic(*costs_file, costs.to_json(provenance(g.plugins)["machine"]["cpu"].get<std::string>()).dump(2) + "\n");
  }
  const unsigned shard_count = static_cast<unsigned>(std::min<std::int64_t>(shards, resolved->cells.size()));
  std::string time_limit = time;
  if (time == "auto") {
    const std::vector<double> shard_costs = partition_cells(*resolved, shard_count, costs).cost;
    const double largest = *std::max_element(shard_costs.begin(), shard_costs.end());
    time_limit = slurm_time(1.5 * largest / static_cast<double>(cpus) + 600);
  }

  SlurmJob job;
  job.suite_name = suite.name;
  job.program = boost::dll::program_location().string();
  job.suite_file = out / "slurm" / "suite.yaml";
  write_file_atomic(job.suite_file, read_file_text(g.suite_file));
  job.grid_args = override_args(g.overrides);
  if (vm.count("plugin-path"))
    for (const auto& p : vm["plugin-path"].as<std::vector<std::string>>())
      job.grid_args.insert(job.grid_args.end(), {"--plugin-path", fs::absolute(p).string()});
  if (costs_file) job.grid_args.insert(job.grid_args.end(), {"--costs", costs_file->string()});
  job.out = out;
  job.shards = shard_count;
  job.cpus_per_task = static_cast<unsigned>(cpus);
  job.time_limit = time_limit;
  if (vm.count("partition")) job.partition = vm["partition"].as<std::string>();
  job.command = command_line(argc, argv);
  const SlurmScripts scripts = write_slurm_scripts(job);
  std::cerr << fmt::format("suite '{}': {} cells in {} shards of {} cpus, time limit {} each\n  {}\n  {}\n", suite.name,
                           resolved->cells.size(), shard_count, cpus, time_limit, scripts.array.string(), scripts.merge.string());
  if (!vm.count("submit")) {
    std::cerr << fmt::format("submit with:\n  jobid=$(sbatch --parsable {})\n  sbatch --dependency=afterany:$jobid {}\n"
                             "(or again with --submit); the merged run and its report will be in {}\n",
                             scripts.array.string(), scripts.merge.string(), (out / "merged").string());
    return kOk;
  }
  const auto [array_id, merge_id] = submit_slurm_scripts(scripts);
  std::cout << fmt::format("submitted: array job {} ({} tasks), merge job {}; the merged run and its report will be in {}\n",
                           array_id, shard_count, merge_id, (out / "merged").string());
  return kOk;
}

int cmd_merge(const std::vector<std::string>& args, int argc, char** argv) {
  po::options_description visible("pgbench merge OUT DIR...: the shards (or any pieces) of one grid made into one run directory");
  visible.add_options()("partial", "write the cells that exist even if some are missing or doubled (listed)")(
      "no-report", "do not write the report")("help,h", "this help");
  const auto parsed = parse_options(args, visible, "dirs");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const auto dirs = vm.count("dirs") ? vm["dirs"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (dirs.size() < 2) throw std::invalid_argument("merge: give the output directory, then the run directories to merge");
  const fs::path out = dirs.front();
  std::vector<fs::path> pieces(dirs.begin() + 1, dirs.end());
  const MergeOutcome merged = merge_runs(out, pieces, vm.count("partial") > 0, command_line(argc, argv));
  std::cerr << fmt::format("merged {} cells from {} run directories into {}{}\n", merged.cells, pieces.size(), out.string(),
                           merged.kept ? fmt::format(", beside the {} cells of its earlier merge", merged.kept) : "");
  for (const auto& m : merged.missing) std::cerr << "  missing: " << m << "\n";
  for (const auto& d : merged.duplicates) std::cerr << "  twice (the first copy is used): " << d << "\n";
  if (!vm.count("no-report")) write_report_of(out);
  return merged.missing.empty() && merged.duplicates.empty() ? kOk : kFailedCells;
}

// pgbench worker: runs one cell of a grid for a scheduler (host/worker.hpp). Not for users.
int cmd_worker(const std::vector<std::string>& args) {
  po::options_description cell("Worker");
  cell.add_options()("out", po::value<std::string>()->required(), "")("task", po::value<std::string>()->required(), "")(
      "algorithm", po::value<std::string>()->required(), "")("seed-index", po::value<std::int64_t>()->required(), "")(
      "status-fd", po::value<int>()->required(), "")("expect-plugins", po::value<std::string>()->required(), "")(
      "plugin-file", po::value<std::vector<std::string>>()->required(), "");
  po::options_description all;
  all.add(grid_options()).add(cell);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).run(), vm);
  po::notify(vm);

  Suite suite = load_suite(vm["suite"].as<std::string>());
  // The scheduler checked every name: the ones the suite lacks were added from loaded plugins.
  // This worker has only its cell's two plugins, and keeps only its cell below.
  apply_overrides(suite, grid_overrides(vm), [](const std::string&, const std::string&) { return true; });
  const std::string task = vm["task"].as<std::string>(), algorithm = vm["algorithm"].as<std::string>();
  std::erase_if(suite.tasks, [&](const TaskEntry& t) { return t.name != task; });
  std::erase_if(suite.algorithms, [&](const AlgoEntry& a) { return a.name != algorithm; });
  suite.seeds = {vm["seed-index"].as<std::int64_t>()};
  for (auto& a : suite.algorithms) a.seeds.reset();  // an algorithm's own seeds, if any, hold this one
  PluginRegistry plugins;
  std::vector<fs::path> plugin_files;
  for (const auto& file : vm["plugin-file"].as<std::vector<std::string>>()) plugin_files.emplace_back(file);
  plugins.load(plugin_files);
  const auto resolved = resolve_suite(suite, plugins);
  if (resolved->cells.size() != 1)
    throw std::invalid_argument(fmt::format("worker: the grid has no cell {} x {}", task, algorithm));
  const CellSpec& the_cell = resolved->cells.front();
  const std::string expected = vm["expect-plugins"].as<std::string>();
  for (const auto* lib : {the_cell.task->env.library.get(), the_cell.algo->algorithm.library.get()})
    if (expected.find(lib->sha256) == std::string::npos)
      throw std::invalid_argument(fmt::format("worker: the plugin file {} changed since the grid started (its SHA-256 "
                                              "is now {}); rebuild what the grid started with, or start it again",
                                              lib->path.string(), lib->sha256));
  const auto run = RunDirectory::for_worker(vm["out"].as<std::string>());
  run_worker(the_cell, *run, vm["status-fd"].as<int>());
}

int cmd_list(const std::vector<std::string>& args) {
  po::options_description all("pgbench list: the plugins found and what they provide");
  all.add(plugin_options());
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).run(), vm);
  const PluginRegistry plugins = load_plugins(vm, /*quiet_rejections=*/true);
  for (const auto& lib : plugins.libraries()) {
    const pgb_plugin_t* p = lib->plugin;
    std::cout << fmt::format("plugin {} {} ({})\n  {}\n", p->id, p->version, lib->path.filename().string(), p->description);
    if (const std::string built = build_signature(*p); !built.empty()) std::cout << fmt::format("  built with {}\n", built);
  }
  std::cout << "\nenvironments:\n";
  for (const auto& e : plugins.envs()) std::cout << fmt::format("  {:<26} {}\n", e.desc->name, e.desc->id);
  std::cout << "\nalgorithms:\n";
  for (const auto& a : plugins.algorithms()) {
    std::string kinds;
    if (a.desc->flags & PGB_ALGO_BOX_ACTIONS) kinds += "box";
    if (a.desc->flags & PGB_ALGO_DISCRETE_ACTIONS) kinds += kinds.empty() ? "discrete" : ", discrete";
    std::cout << fmt::format("  {:<26} {} [{} actions]\n", a.desc->name, a.desc->id, kinds);
  }
  if (!plugins.rejections().empty()) {
    std::cout << "\nnot loaded:\n";
    for (const auto& r : plugins.rejections()) std::cout << "  " << r.line() << "\n";
  }
  return kOk;
}

std::string param_line(const pgb_param_desc_t& p) {
  std::string def;
  switch (p.default_value.type) {
    case PGB_VALUE_BOOL: def = p.default_value.as.i ? "true" : "false"; break;
    case PGB_VALUE_INT: def = std::to_string(p.default_value.as.i); break;
    case PGB_VALUE_FLOAT: def = fmt::format("{}", p.default_value.as.f); break;
    default: def = fmt::format("\"{}\"", p.default_value.as.s);
  }
  std::string range;
  if (p.default_value.type == PGB_VALUE_INT || p.default_value.type == PGB_VALUE_FLOAT)
    if (!std::isnan(p.min) || !std::isnan(p.max))
      range = fmt::format("  in [{}, {}]", std::isnan(p.min) ? "-inf" : fmt::format("{}", p.min),
                          std::isnan(p.max) ? "+inf" : fmt::format("{}", p.max));
  if (p.choices) range = fmt::format("  one of {}", p.choices);
  return fmt::format("  {:<24} {:<7} default {}{}\n      {}\n", p.key, value_type_name(p.default_value.type), def, range,
                     p.help ? p.help : "");
}

int cmd_describe(const std::vector<std::string>& args) {
  po::options_description visible("pgbench describe ID|NAME: an environment's or algorithm's parameters");
  visible.add(plugin_options());
  po::options_description all;
  all.add(visible).add_options()("id", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("id", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  if (!vm.count("id")) throw std::invalid_argument("describe: which environment or algorithm? (pgbench list shows them)");
  const std::string id = vm["id"].as<std::string>();
  const PluginRegistry plugins = load_plugins(vm, true);
  if (const EnvType* e = plugins.find_env(id)) {
    std::cout << fmt::format("environment {} ({})\n{}\nplugin: {}\n", e->desc->name, e->desc->id, e->desc->description,
                             e->library->path.filename().string());
    EnvHandle probe(*e, 1, resolve_config("describe", e->desc->params, e->desc->param_count, {}), 0);
    const auto& info = probe.info();
    // A box with its bounds: "Box(3), each in [-1, 1]" or, per dimension, "Box(2) in [-2, 2] x [-5, 5]"
    // (the first 8 dimensions).
    const auto box = [](const pgb_space_t& s, std::size_t dim) {
      bool same = true;
      for (std::size_t d = 1; d < dim; ++d) same = same && s.low[d] == s.low[0] && s.high[d] == s.high[0];
      if (same) return fmt::format("Box({}), each in [{}, {}]", dim, s.low[0], s.high[0]);
      std::string text = fmt::format("Box({}) in ", dim);
      for (std::size_t d = 0; d < std::min<std::size_t>(dim, 8); ++d)
        text += fmt::format("{}[{}, {}]", d ? " x " : "", s.low[d], s.high[d]);
      return dim > 8 ? text + " x ..." : text;
    };
    std::cout << fmt::format("observation: {}\naction: {}\ntime limit: {} steps | frames per step: {}\n",
                             box(*info.observation_space, probe.obs_dim()),
                             probe.discrete_actions() ? fmt::format("Discrete({})", info.action_space->n)
                                                      : box(*info.action_space, probe.act_dim()),
                             info.max_episode_steps, info.frames_per_step);
    std::cout << "\nparameters:\n";
    for (std::uint32_t i = 0; i < e->desc->param_count; ++i) std::cout << param_line(*e->desc->params[i]);
    if (e->desc->param_count == 0) std::cout << "  (none)\n";
    return kOk;
  }
  if (const AlgoType* a = plugins.find_algorithm(id)) {
    std::cout << fmt::format("algorithm {} ({})\n{}\nplugin: {}\n\nhyperparameters:\n", a->desc->name, a->desc->id,
                             a->desc->description, a->library->path.filename().string());
    for (std::uint32_t i = 0; i < a->desc->param_count; ++i) std::cout << param_line(*a->desc->params[i]);
    if (a->desc->param_count == 0) std::cout << "  (none)\n";
    return kOk;
  }
  std::vector<std::string> names = plugins.env_names();
  const auto algos = plugins.algorithm_names();
  names.insert(names.end(), algos.begin(), algos.end());
  throw std::invalid_argument("describe: " + unknown_name_message("environment or algorithm", id, names));
}

// pgbench check PLUGIN|DIR: the conformance checks (check/conformance.hpp) on every environment
// and algorithm of the plugins given, as a pass/fail list that says what each rule means.
int cmd_check(const std::vector<std::string>& args) {
  po::options_description visible(
      "pgbench check PLUGIN|DIR: checks that a plugin keeps the rules of the ABI (abi.h), so that its results can be "
      "trusted; exit status 0 when every check passes, 1 when one fails");
  visible.add(plugin_options()).add_options()(
      "rule", po::value<std::vector<std::string>>()->composing(), "only these checks (comma-separated names)")(
      "time-limit", po::value<std::string>()->default_value("5min"), "wall-clock limit of one check")("help,h", "this help");
  const auto parsed = parse_options(args, visible, "target");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("target")) throw std::invalid_argument("check: give a plugin file or a folder of plugins");
  std::vector<std::string> only;
  if (vm.count("rule")) only = split_list(vm["rule"].as<std::vector<std::string>>());
  for (const auto& name : only) {
    std::vector<std::string> known;
    for (const auto* rules : {&check::env_rules(), &check::algorithm_rules()})
      for (const auto& r : *rules) known.push_back(r.name);
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw std::invalid_argument("check: " + unknown_name_message("rule", name, known));
  }
  // Everything on the plugin path (the tasks algorithms are checked on, and the plugins that open
  // other languages' files), then the targets; only what the targets hold is checked.
  PluginRegistry plugins = load_plugins(vm, /*quiet_rejections=*/true);
  const std::size_t rejected_before = plugins.rejections().size();
  std::vector<fs::path> targets;
  for (const auto& target : vm["target"].as<std::vector<std::string>>()) {
    if (!fs::exists(target)) throw std::invalid_argument("check: no such plugin file or folder: " + target);
    targets.push_back(fs::weakly_canonical(target));
  }
  plugins.load(targets);
  const auto in_targets = [&](const fs::path& file) {
    for (const fs::path& t : targets)
      if (file == t || file.parent_path() == t) return true;
    return false;
  };
  check::Options options;
  options.tasks = &plugins;
  const double limit = parse_duration("--time-limit", vm["time-limit"].as<std::string>());
  options.time_limit = std::chrono::seconds(limit > 0 ? static_cast<std::int64_t>(limit) : 7 * 86400);

  int passed = 0, failed = 0, skipped = 0;
  const auto report = [&](const check::Outcome& o) {
    switch (o.verdict) {
      case check::Verdict::Pass:
        ++passed;
        std::cout << fmt::format("  pass  {}\n", o.rule->title);
        break;
      case check::Verdict::Skip:
        ++skipped;
        std::cout << fmt::format("  skip  {}: {}\n", o.rule->title, o.detail);
        break;
      case check::Verdict::Fail:
        ++failed;
        std::cout << fmt::format("  FAIL  {} [{}]\n        {}\n        why it matters: {}\n        to fix: {}\n",
                                 o.rule->title, o.rule->name, o.detail, o.rule->why, o.rule->fix);
        break;
    }
    std::cout.flush();
  };
  const auto wanted = [&](const check::Rule& r) {
    return only.empty() || std::find(only.begin(), only.end(), r.name) != only.end();
  };
  bool found = false;
  for (std::size_t i = rejected_before; i < plugins.rejections().size(); ++i) {
    ++failed;
    found = true;
    std::cout << fmt::format("FAIL  {}\n        the host refuses to load it; nothing else can be checked\n",
                             plugins.rejections()[i].line());
  }
  for (const auto& lib : plugins.libraries())
    if (in_targets(lib->path)) {
      found = true;
      std::cout << fmt::format("{}: plugin {} {} loads\n", lib->path.filename().string(), lib->plugin->id,
                               lib->plugin->version);
    }
  if (!found)
    throw std::invalid_argument("check: no plugin (a shared library, or a file a plugin opens such as a Python agent) in " +
                                vm["target"].as<std::vector<std::string>>().front());
  for (const auto& env : plugins.envs()) {
    if (!in_targets(env.library->path)) continue;
    std::cout << fmt::format("\nenvironment {} ({})\n", env.desc->name, env.desc->id);
    for (const auto& rule : check::env_rules())
      if (wanted(rule)) report(check::check_env(env, rule, options));
  }
  for (const auto& algo : plugins.algorithms()) {
    if (!in_targets(algo.library->path)) continue;
    std::cout << fmt::format("\nalgorithm {} ({}), trained on {}\n", algo.desc->name, algo.desc->id,
                             check::task_for(algo, plugins).desc->name);
    for (const auto& rule : check::algorithm_rules())
      if (wanted(rule)) report(check::check_algorithm(algo, rule, options));
  }
  std::cout << fmt::format("\n{} checks: {} passed, {} failed, {} skipped\n", passed + failed + skipped, passed, failed,
                           skipped);
  return failed ? kFailedCells : kOk;
}

// The folder find_package(pgbench) reads for this pgbench: the build tree it was built in, or
// the installation it belongs to; "" when neither is found.
fs::path package_dir() {
  const fs::path prefix = boost::dll::program_location().parent_path().parent_path().string();
  for (const fs::path& dir : {prefix, prefix / "lib" / "cmake" / "pgbench"})
    if (fs::exists(dir / "pgbenchConfig.cmake")) return dir;
  return {};
}

// pgbench new algorithm|env NAME [DIR]: a plugin project to start from (cli/new_project.hpp).
int cmd_new(const std::vector<std::string>& args) {
  po::options_description visible(
      "pgbench new algorithm NAME [DIR] | pgbench new env NAME [DIR]: writes a plugin project to start from into DIR "
      "(default ./NAME): an algorithm that learns (vanilla policy gradient) or an environment, its CMakeLists.txt, a "
      "suite and a README");
  visible.add_options()("help,h", "this help");
  const auto parsed = parse_options(args, visible, "what");
  if (!parsed) return kOk;
  const auto what = (*parsed).count("what") ? (*parsed)["what"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (what.size() < 2 || what.size() > 3 || (what[0] != "algorithm" && what[0] != "env"))
    throw std::invalid_argument("new: give 'algorithm NAME [DIR]' or 'env NAME [DIR]', e.g. pgbench new algorithm my_vpg");
  const cli::ProjectKind kind = what[0] == "algorithm" ? cli::ProjectKind::Algorithm : cli::ProjectKind::Environment;
  const std::string& name = what[1];
  const fs::path dir = what.size() == 3 ? fs::path(what[2]) : fs::path(name);
  const PluginRegistry plugins = load_plugins({}, /*quiet_rejections=*/true);
  if (kind == cli::ProjectKind::Algorithm ? plugins.find_algorithm(name) != nullptr : plugins.find_env(name) != nullptr)
    throw std::invalid_argument(fmt::format("new: a loaded plugin already provides '{}'; choose another name", name));
  const auto written = cli::write_new_project(kind, name, dir);
  std::cout << fmt::format("wrote {}:\n", dir.string());
  for (const auto& f : written) std::cout << "  " << f.filename().string() << "\n";
  const fs::path package = package_dir();
  const std::string build = (dir / "build").string();
  std::string suite;
  for (const auto& f : written)
    if (f.extension() == ".yaml") suite = f.string();
  std::cout << fmt::format(
      "\nnext:\n  cmake -S {0} -B {1} -DCMAKE_BUILD_TYPE=Release -Dpgbench_DIR={2}\n  cmake --build {1}\n"
      "  pgbench check {1}\n  pgbench --suite {3} --plugin-path {1}\n",
      dir.string(), build, package.empty() ? "<the pgbench build folder>" : package.string(), suite);
  return kOk;
}

#ifdef PGBENCH_HAVE_REPORT
int cmd_report(const std::vector<std::string>& args) {
  po::options_description visible(
      "pgbench report DIR [DIR...]: statistics, tables and figures of run directories; several directories are shards "
      "of one grid or runs side by side, e.g. pgbench report REF NEW for a new algorithm's run next to a reference "
      "run (made under the same protocol)");
  report::Options defaults;
  visible.add_options()("out", po::value<std::string>(), "output folder (default: DIR/report)")(
      "format", po::value<std::vector<std::string>>()->composing(),
      "only these outputs: md, html, tex, csv, json, pdf, png, svg (comma-separated; default all)")(
      "score", po::value<std::string>()->default_value(defaults.score), "per-run score: final | last-k | auc | max")(
      "last-k", po::value<int>()->default_value(defaults.last_k), "k for --score last-k")(
      "ci", po::value<double>()->default_value(defaults.ci), "confidence level of intervals")(
      "bootstrap", po::value<int>()->default_value(defaults.bootstrap), "bootstrap replicates")(
      "baseline", po::value<std::string>(), "also compare every algorithm against this one")(
      "normalize", po::value<std::string>(), "reference-score table (name or path), or none")(
      "seed", po::value<std::uint64_t>()->default_value(defaults.seed), "bootstrap seed")(
      "bands", po::value<std::string>()->default_value(defaults.bands),
      "band around mean learning curves: bootstrap (percentile CI of the mean), t (Student-t CI) or std (one "
      "standard deviation, clipped to the runs' range)")(
      "smooth", po::value<int>()->default_value(defaults.smooth),
      "smooth each run's learning curve by a trailing mean over this many evaluations (1: none)")(
      "allow-mismatch",
      "report directories made under different protocols (master seed, environment version or parameters, budget, "
      "evaluation) anyway: the differences head the report and the affected rows are marked")("help,h", "this help");
  const auto parsed = parse_options(args, visible, "dir");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("dir")) throw std::invalid_argument("report: give at least one run directory");
  report::Options o;
  for (const auto& d : vm["dir"].as<std::vector<std::string>>()) o.run_dirs.emplace_back(d);
  if (vm.count("out")) o.out_dir = vm["out"].as<std::string>();
  if (vm.count("format")) o.formats = split_list(vm["format"].as<std::vector<std::string>>());
  o.score = vm["score"].as<std::string>();
  o.last_k = vm["last-k"].as<int>();
  o.ci = vm["ci"].as<double>();
  o.bootstrap = vm["bootstrap"].as<int>();
  if (vm.count("baseline")) o.baseline = vm["baseline"].as<std::string>();
  if (vm.count("normalize")) o.normalize = vm["normalize"].as<std::string>();
  o.seed = vm["seed"].as<std::uint64_t>();
  o.bands = vm["bands"].as<std::string>();
  o.smooth = vm["smooth"].as<int>();
  o.allow_mismatch = vm.count("allow-mismatch") > 0;
  const fs::path where = report::write_report(o, std::cerr);
  std::cout << (where / "report.md").string() << "\n";
  return kOk;
}
#endif

void print_usage() {
  std::cout << "pgbench " << kVersion << " -- reproducible policy-gradient RL benchmarks\n\n"
            << "usage:\n"
            << "  pgbench --suite NAME|FILE [options]   run a grid of tasks x algorithms x seeds\n"
            << "  pgbench list                          the plugins found: environments and algorithms\n"
            << "  pgbench describe ID|NAME              parameters of an environment or algorithm\n"
            << "  pgbench check PLUGIN|DIR              the conformance checks, on a plugin you are writing\n"
            << "  pgbench new algorithm|env NAME [DIR]  a plugin project to start from (one that learns)\n"
            << "  pgbench merge OUT DIR...              the shards of one grid (--shard K/N) made into one run\n"
            << "  pgbench slurm --suite NAME [--submit] the grid as a Slurm job array of shards, then a merge\n"
#ifdef PGBENCH_HAVE_REPORT
            << "  pgbench report DIR [DIR...]           statistics, tables and figures of run directories\n"
#endif
            << "\nexamples:\n"
            << "  pgbench --suite classic-control                         the classic-control grid\n"
            << "  pgbench --suite smoke --seeds 2 --threads 2 --out results/try\n"
            << "  pgbench --suite classic-control --algos random --set CartPole-v1.steps=20000\n"
            << "  pgbench --suite classic-control --resume                continue the newest run\n"
            << "\nEach subcommand takes --help. Exit status: 0 ok, 1 some cells failed, 2 bad input, 70 internal error, 130 interrupted.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      print_usage();
      return args.empty() ? kBadInput : kOk;
    }
    if (args[0] == "--version") {
      std::cout << "pgbench " << kVersion << " (" << kGitCommit << "), ABI " << PGB_ABI_VERSION << "\n";
      return kOk;
    }
    const std::string command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "list") return cmd_list(rest);
    if (command == "describe") return cmd_describe(rest);
    if (command == "check") return cmd_check(rest);
    if (command == "new") return cmd_new(rest);
#ifdef PGBENCH_HAVE_REPORT
    if (command == "report") return cmd_report(rest);
#endif
    if (command == "run") return cmd_run(rest, argc, argv);
    if (command == "worker") return cmd_worker(rest);
    if (command == "merge") return cmd_merge(rest, argc, argv);
    if (command == "slurm") return cmd_slurm(rest, argc, argv);
    if (command.rfind("-", 0) == 0) return cmd_run(args, argc, argv);
    std::cerr << "pgbench: unknown command '" << command << "'\n\n";
    print_usage();
    return kBadInput;
  } catch (const po::error& e) {
    std::cerr << "pgbench: " << e.what() << " (see pgbench --help)\n";
    return kBadInput;
  } catch (const std::invalid_argument& e) {
    std::cerr << "pgbench: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "pgbench: internal error: " << e.what() << "\n";
    return kInternalError;
  }
}
