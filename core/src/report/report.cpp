#include "report/report.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "report/analysis.hpp"
#include "report/report_builder.hpp"

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFormats = {"md", "html", "tex", "csv", "json", "pdf", "png", "svg"};
const std::vector<std::string> kFigureFormats = {"pdf", "png", "svg"};

std::string accepted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// What an earlier report left in `out`, so that a report written again over fewer tasks or
// algorithms (a run that has finished more cells, other options) leaves no table or figure of the
// old one beside the new. Only the kinds of file a report writes are removed.
void remove_previous_report(const fs::path& out) {
  for (const char* file : {"report.md", "report.html", "summary.json"}) fs::remove(out / file);
  std::vector<std::string> figure_files = {"gp", "dat"};  // each figure's script and data, beside its renderings
  figure_files.insert(figure_files.end(), kFigureFormats.begin(), kFigureFormats.end());
  const std::map<std::string, std::vector<std::string>> written = {{"tables", {"md", "tex", "csv"}},
                                                                   {"figures", figure_files}};
  for (const auto& [folder, extensions] : written) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(out / folder, ec)) {
      const std::string extension = entry.path().extension().string();
      if (entry.is_regular_file() && !extension.empty() &&
          std::find(extensions.begin(), extensions.end(), extension.substr(1)) != extensions.end())
        fs::remove(entry.path());
    }
  }
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

// Checks every option before any work, so that a typo costs nothing.
AnalysisSettings validated_settings(const Options& options) {
  if (options.run_dirs.empty()) throw std::invalid_argument("report: give at least one run directory");
  if (options.last_k < 1) throw std::invalid_argument("--last-k must be at least 1 (got " + std::to_string(options.last_k) + ")");
  if (!(options.ci > 0 && options.ci < 1))
    throw std::invalid_argument("--ci must be a confidence level between 0 and 1, e.g. 0.95 (got " + std::to_string(options.ci) + ")");
  if (options.bootstrap < 1 || options.profile_bootstrap < 1)
    throw std::invalid_argument("--bootstrap must be a positive number of replicates (default 50000)");
  for (const auto& format : options.formats)
    if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end())
      throw std::invalid_argument("unknown format '" + format + "': accepted formats are " + accepted(kFormats));

  if (options.smooth < 1)
    throw std::invalid_argument("--smooth must be a window of at least 1 evaluation (1: no smoothing; got " +
                                std::to_string(options.smooth) + ")");
  AnalysisSettings settings;
  settings.bands = stats::parse_band_method(options.bands);
  settings.smooth = static_cast<std::size_t>(options.smooth);
  settings.score = stats::ScoreDefinition::parse(options.score, static_cast<std::size_t>(options.last_k));
  settings.level = options.ci;
  settings.bootstrap = static_cast<std::size_t>(options.bootstrap);
  settings.profile_bootstrap = static_cast<std::size_t>(options.profile_bootstrap);
  settings.seed = options.seed;
  settings.baseline = options.baseline;
  settings.power_difference = options.power_difference;
  return settings;
}

nlohmann::json settings_json(const Options& options, const AnalysisSettings& settings, const RunSet& runs) {
  nlohmann::json differences = nlohmann::json::array();
  for (const auto& d : runs.protocol_differences) differences.push_back({{"difference", d.what}, {"tasks", d.tasks}});
  nlohmann::json directories = nlohmann::json::array();
  for (const auto& d : runs.directories)
    directories.push_back({{"name", d.path.filename().string()},
                           {"pgbench_version", d.pgbench_version},
                           {"git_commit", d.git_commit},
                           {"master_seed", d.master_seed}});
  return {{"suite", runs.suite_name},
          {"run_directories", directories},
          {"protocol_differences", differences},
          {"score", settings.score.name()},
          {"score_definition", settings.score.description()},
          {"score_biased_upward", settings.score.biased_upward()},
          {"ci", settings.level},
          {"bootstrap_seed", settings.seed},
          {"bootstrap_replicates", settings.bootstrap},
          {"profile_bootstrap_replicates", settings.profile_bootstrap},
          {"std_ddof", 1},
          {"curve_bands", stats::band_method_name(settings.bands)},
          {"curve_smoothing_window", settings.smooth},
          {"baseline", options.baseline},
          {"normalization", settings.reference ? nlohmann::json(settings.reference->label()) : nlohmann::json(nullptr)}};
}

}  // namespace

fs::path write_report(const Options& options, std::ostream& log) {
  AnalysisSettings settings = validated_settings(options);
  const RunSet runs = read_run_directories(options.run_dirs);
  if (!runs.protocol_differences.empty() && !options.allow_mismatch) {
    std::string list;
    for (const ProtocolDifference& d : runs.protocol_differences) list += "\n  " + d.what;
    throw std::invalid_argument(
        "report: these run directories were not made under the same protocol, so their scores do not compare like "
        "with like:" + list +
        "\nRun the new grid with the reference's suite file and master seed (the reference's suite.yaml is in its "
        "run directory), or pass --allow-mismatch to report them anyway, with the differences in the report's header "
        "and the affected rows marked.");
  }
  if (!options.baseline.empty() &&
      std::find(runs.algorithms.begin(), runs.algorithms.end(), options.baseline) == runs.algorithms.end())
    throw std::invalid_argument("--baseline " + options.baseline + ": no such algorithm in the runs (algorithms: " +
                                accepted(runs.algorithms) + ")");
  std::vector<TaskNames> task_names;
  for (const auto& task : runs.tasks) {
    const auto protocol = runs.protocols.find(task);
    task_names.push_back({task, protocol != runs.protocols.end() ? protocol->second.env_name : task});
  }
  settings.reference = resolve_reference_table(options.normalize, runs.suite_name, task_names);
  for (const Problem& problem : runs.problems) log << "report: " << problem.file.string() << ": " << problem.message << '\n';

  const Analysis analysis = analyze(runs, settings);
  const ReportBuilder builder(runs, analysis, settings);

  const fs::path out = options.out_dir.empty() ? options.run_dirs.front() / "report" : options.out_dir;
  const auto wants = [&](const std::string& format) {
    return options.formats.empty() || std::find(options.formats.begin(), options.formats.end(), format) != options.formats.end();
  };
  fs::create_directories(out);
  remove_previous_report(out);

  const std::vector<ReportTable> tables = builder.tables();
  if (wants("md") || wants("tex") || wants("csv")) fs::create_directories(out / "tables");
  const TidyContext tidy{settings.score.name(), settings.level};
  std::vector<TidyRow> all_numbers;
  for (const ReportTable& t : tables) {
    if (wants("md")) write_file(out / "tables" / (t.table.stem + ".md"), markdown_table(t.table));
    if (wants("tex")) write_file(out / "tables" / (t.table.stem + ".tex"), latex_table(t.table));
    if (wants("csv")) write_file(out / "tables" / (t.table.stem + ".csv"), tidy_csv(t.numbers, tidy));
    all_numbers.insert(all_numbers.end(), t.numbers.begin(), t.numbers.end());
  }
  if (wants("json")) {
    const nlohmann::json summary = {{"pgbench_report", settings_json(options, settings, runs)},
                                    {"rows", tidy_json(all_numbers, tidy)}};
    write_file(out / "summary.json", summary.dump(1) + "\n");
  }

  FigureStatus figure_status;
  std::vector<std::string> figure_formats;
  for (const auto& format : kFigureFormats)
    if (wants(format)) figure_formats.push_back(format);
  figure_status.requested = !figure_formats.empty();
  const fs::path figures_dir = out / "figures";
  if (figure_status.requested) {
    const FigureWriter writer(figures_dir, figure_formats, options.gnuplot);
    figure_status.rendered = writer.can_render();
    if (!writer.can_render())
      log << "report: " << options.gnuplot << " not found: figures not rendered (scripts and data are in "
          << figures_dir.string() << ")\n";
    const ReportFigures figures = builder.figures();
    auto record = [&](const std::string& error) {
      if (error.empty()) return;
      figure_status.errors.push_back(error);
      log << "report: " << error << '\n';
    };
    for (const auto& plot : figures.band_plots) record(writer.write(plot));
    for (const auto& plot : figures.interval_plots) record(writer.write(plot));
    for (const auto& grid : figures.band_grids) record(writer.write(grid));
    for (const auto& plot : figures.strip_plots) record(writer.write(plot));
  }

  const Document document = builder.document(tables, figure_status);
  if (wants("md")) write_file(out / "report.md", render_markdown(document, figures_dir));
  if (wants("html")) write_file(out / "report.html", render_html(document, figures_dir));
  log << "report: written to " << out.string() << '\n';
  return out;
}

}  // namespace pgbench::report
