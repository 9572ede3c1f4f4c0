#include "report/report_builder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "report/format.hpp"

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;

std::string percent(double level) { return fmt::format("{:g}%", level * 100); }

std::size_t algorithm_index(const Analysis& analysis, const std::string& algorithm) {
  return static_cast<std::size_t>(std::find(analysis.algorithms.begin(), analysis.algorithms.end(), algorithm) -
                                  analysis.algorithms.begin());
}

std::string color_of(const Analysis& analysis, const std::string& algorithm) {
  return algorithm_color(algorithm_index(analysis, algorithm), algorithm);
}

// A dash pattern per algorithm as well as a colour, for readers (and printers) without colour.
int dash_of(const Analysis& analysis, const std::string& algorithm) {
  return 1 + static_cast<int>(algorithm_index(analysis, algorithm) % 5);
}

TableCell text(std::string value) { return {std::move(value), false}; }

std::string count_text(std::size_t n) { return std::to_string(n); }

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// Adds the rows of one statistic with an interval to a tidy list.
void add_estimate(std::vector<TidyRow>& rows, const std::string& table, const std::string& algorithm,
                  const std::string& versus, const std::string& task, const std::string& statistic,
                  const stats::Estimate& estimate, const char* ci_method) {
  rows.push_back({table, algorithm, versus, task, statistic, estimate.value, estimate.interval.lower,
                  estimate.interval.upper, ci_method});
}

void add_value(std::vector<TidyRow>& rows, const std::string& table, const std::string& algorithm,
               const std::string& versus, const std::string& task, const std::string& statistic, double value) {
  TidyRow& row = rows.emplace_back();
  row.table = table;
  row.algorithm = algorithm;
  row.versus = versus;
  row.task = task;
  row.statistic = statistic;
  row.value = value;
}

// 100000 -> "100k", 1000000 -> "1M", 2500 -> "2500".
std::string format_steps(double steps) {
  if (steps >= 1e6 && std::fmod(steps, 1e5) == 0) return format_general(steps / 1e6) + "M";
  if (steps >= 1e4 && std::fmod(steps, 1e3) == 0) return format_general(steps / 1e3) + "k";
  return format_general(steps);
}

}  // namespace

std::string file_stem(const std::string& name) {
  std::string stem;
  for (char c : name) stem += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return stem;
}

ReportBuilder::ReportBuilder(const RunSet& runs, const Analysis& analysis, const AnalysisSettings& settings)
    : runs_(runs), analysis_(analysis), settings_(settings) {}

std::string ReportBuilder::score_sentence() const {
  std::string sentence = "Score of a run (" + settings_.score.name() + "): " + settings_.score.description() + ".";
  if (settings_.score.biased_upward())
    sentence += " WARNING: this score is biased upward; do not compare it with final-performance numbers.";
  return sentence + " " + runs_sentence();
}

std::string ReportBuilder::band_sentence() const {
  const std::string level = percent(settings_.level);
  std::string sentence;
  switch (settings_.bands) {
    case stats::BandMethod::bootstrap:
      sentence = "Band: " + level + " percentile-bootstrap CI of the mean (" + std::to_string(settings_.profile_bootstrap) +
                 " replicates, runs resampled), which stays within the runs' range (with 2 runs it is that range).";
      break;
    case stats::BandMethod::student_t:
      sentence = "Band: " + level + " Student-t CI of the mean (at small N it can leave the range of achievable returns).";
      break;
    case stats::BandMethod::std_dev:
      sentence = "Band: one standard deviation of the runs (ddof = 1) either side of the mean, clipped to the runs' "
                 "range: their spread, not a confidence interval.";
      break;
  }
  if (settings_.smooth > 1)
    sentence += fmt::format(" Each run's curve is smoothed by a trailing mean over {} evaluations.", settings_.smooth);
  return sentence;
}

std::string ReportBuilder::band_label() const {
  switch (settings_.bands) {
    case stats::BandMethod::bootstrap: return "mean, " + percent(settings_.level) + " bootstrap CI";
    case stats::BandMethod::student_t: return "mean, " + percent(settings_.level) + " t CI";
    case stats::BandMethod::std_dev: return "mean ± 1 std";
  }
  return "mean";
}

std::string ReportBuilder::runs_sentence() const {
  // N: finished runs per cell, the same everywhere or its range.
  std::size_t fewest = std::numeric_limits<std::size_t>::max(), most = 0;
  for (const CellStats& c : analysis_.cells) {
    fewest = std::min(fewest, c.counts.finished);
    most = std::max(most, c.counts.finished);
  }
  std::string sentence = most == 0        ? "No finished run."
                         : fewest == most ? fmt::format("N = {} runs per cell.", most)
                                          : fmt::format("N = {} to {} runs per cell (see Runs per cell).", fewest, most);
  // The budget: one for every task, or per task in the Protocol table.
  std::set<double> budgets;
  for (const auto& [task, protocol] : runs_.protocols) budgets.insert(protocol.steps);
  if (budgets.size() == 1)
    sentence += " Budget: " + format_steps(*budgets.begin()) + " env steps per run.";
  else if (!budgets.empty())
    sentence += " Budget per task: see Protocol.";
  return sentence;
}

// Paths are shown relative to their run directory (prefixed with its name), never as this
// machine's absolute paths: reports get committed and shared.
std::string ReportBuilder::display_path(const fs::path& file) const {
  for (const auto& directory : runs_.directories) {
    const fs::path relative = file.lexically_relative(directory.path);
    if (!relative.empty() && *relative.begin() != "..")
      return (directory.path.filename() / relative).generic_string();
  }
  return file.filename().generic_string();
}

ReportTable ReportBuilder::protocol_table() const {
  ReportTable t;
  t.table = {"protocol", "Evaluation protocol",
             "Per task: environment, env-step budget of a run, evaluation schedule (evaluation episodes on "
             "separate environments with the deterministic policy), episode time limit.",
             {"Task", "Environment", "Env steps", "Eval every", "Eval episodes", "Max episode steps", "Actions"},
             {false, false, true, true, true, true, false},
             {}};
  for (const auto& task : analysis_.tasks) {
    const auto found = runs_.protocols.find(task);
    if (found == runs_.protocols.end()) continue;
    const TaskProtocol& p = found->second;
    t.table.rows.push_back({text(task), text(p.env_name), text(format_general(p.steps)),
                            text(format_general(p.eval_every)), text(format_general(p.eval_episodes)),
                            text(format_general(p.max_episode_steps)), text(p.action_kind)});
    for (const auto& [statistic, value] : {std::pair{"env_steps", p.steps}, std::pair{"eval_every", p.eval_every},
                                           std::pair{"eval_episodes", p.eval_episodes},
                                           std::pair{"max_episode_steps", p.max_episode_steps}})
      add_value(t.numbers, "protocol", "", "", task, statistic, value);
  }
  return t;
}

ReportTable ReportBuilder::cells_table() const {
  ReportTable t;
  t.table = {"cells", "Runs per cell",
             "Runs listed in the manifest(s) and what became of them. Only finished runs enter the statistics; "
             "failed, missing (never finished) and unreadable runs are counted here, not averaged away.",
             {"Task", "Algorithm", "Started", "Finished", "Failed", "Missing", "Unreadable"},
             {false, false, true, true, true, true, true},
             {}};
  for (const CellStats& c : analysis_.cells) {
    const CellCounts& n = c.counts;
    TableCell finished = text(count_text(n.finished));
    finished.bold = !n.complete();
    t.table.rows.push_back({text(c.task), text(c.algorithm), text(count_text(n.started)), finished,
                            text(count_text(n.failed)), text(count_text(n.missing)), text(count_text(n.unreadable))});
    for (const auto& [statistic, value] :
         {std::pair{"n_started", n.started}, std::pair{"n_finished", n.finished}, std::pair{"n_failed", n.failed},
          std::pair{"n_missing", n.missing}, std::pair{"n_unreadable", n.unreadable}})
      add_value(t.numbers, "cells", c.algorithm, "", c.task, statistic, static_cast<double>(value));
  }
  return t;
}

ReportTable ReportBuilder::per_task_table() const {
  ReportTable t;
  t.table.stem = "per_task";
  t.table.title = "Score per task";
  t.table.caption = "Mean over runs ± half-width of the " + percent(settings_.level) +
                    " Student-t confidence interval of the mean. " + score_sentence() +
                    " Bold: the best mean of the task and every algorithm not significantly below it; * and **: "
                    "significantly below the best (Welch's t-test, Holm-corrected over the task's comparisons with its "
                    "best; p < 0.05 and p < 0.01); a cell with fewer than 2 runs is not tested. The random policy is a "
                    "reference, not a contender. (finished/started) follows a cell where some runs did not finish." +
                    (runs_.protocol_differences.empty()
                         ? std::string()
                         : " †: the runs of this task were made under different protocols (see Protocol differences).");
  t.table.columns = {"Task"};
  t.table.numeric = {false};
  for (const auto& algorithm : analysis_.algorithms) {
    t.table.columns.push_back(algorithm);
    t.table.numeric.push_back(true);
  }
  for (const auto& task : analysis_.tasks) {
    std::vector<TableCell> row = {text(runs_.protocol_differs(task) ? task + " †" : task)};
    for (const auto& algorithm : analysis_.algorithms) {
      const CellStats* c = analysis_.cell(task, algorithm);
      if (!c) {
        row.push_back(text(""));
        continue;
      }
      std::string value = c->scores.empty() ? "no finished run"
                                            : format_mean_pm(c->summary.mean, (c->t_interval.upper - c->t_interval.lower) / 2);
      const VersusBest* versus = analysis_.against_best(task, algorithm);
      if (versus && versus->p_holm < 0.01) value += "**";
      else if (versus && versus->p_holm < 0.05) value += "*";
      if (!c->counts.complete()) value += fmt::format(" ({}/{})", c->counts.finished, c->counts.started);
      row.push_back({value, versus && versus->tied});
      add_estimate(t.numbers, "per_task", algorithm, "", task, "mean", {c->summary.mean, c->t_interval}, "student-t");
      if (versus && versus->algorithm != versus->best)
        add_value(t.numbers, "per_task", algorithm, versus->best, task, "welch_p_holm_versus_best", versus->p_holm);
    }
    t.table.rows.push_back(std::move(row));
  }
  return t;
}

ReportTable ReportBuilder::cell_statistics_table() const {
  ReportTable t;
  const std::string level = percent(settings_.level);
  t.table = {"cell_statistics", "Statistics per task and algorithm",
             "Over the finished runs of each cell. Std is the sample standard deviation (ddof = 1); SE = Std / "
             "sqrt(N). " + level + " CIs of the mean: Student-t, and percentile bootstrap (" +
                 std::to_string(settings_.bootstrap) + " replicates). " + score_sentence(),
             {"Task", "Algorithm", "N", "Mean", "Median", "IQM", "Std", "SE", "Min", "Max", "CI (t)", "CI (bootstrap)"},
             {false, false, true, true, true, true, true, true, true, true, true, true},
             {}};
  for (const CellStats& c : analysis_.cells) {
    const stats::Summary& s = c.summary;
    const int decimals = decimals_for(s.standard_error);
    auto number = [&](double v) { return text(format_fixed(v, decimals)); };
    auto interval = [&](const stats::Interval& i) {
      return text("[" + format_fixed(i.lower, decimals) + ", " + format_fixed(i.upper, decimals) + "]");
    };
    t.table.rows.push_back({text(c.task), text(c.algorithm), text(fmt::format("{}/{}", c.counts.finished, c.counts.started)),
                            number(s.mean), number(s.median), number(s.iqm), number(s.std), number(s.standard_error),
                            number(s.min), number(s.max), interval(c.t_interval), interval(c.bootstrap_interval)});
    const std::string table = "cell_statistics";
    add_value(t.numbers, table, c.algorithm, "", c.task, "n", static_cast<double>(s.n));
    add_estimate(t.numbers, table, c.algorithm, "", c.task, "mean_t", {s.mean, c.t_interval}, "student-t");
    add_estimate(t.numbers, table, c.algorithm, "", c.task, "mean_bootstrap", {s.mean, c.bootstrap_interval}, "percentile-bootstrap");
    for (const auto& [statistic, value] : {std::pair{"median", s.median}, std::pair{"iqm", s.iqm}, std::pair{"std_ddof1", s.std},
                                           std::pair{"standard_error", s.standard_error}, std::pair{"min", s.min},
                                           std::pair{"max", s.max}})
      add_value(t.numbers, table, c.algorithm, "", c.task, statistic, value);
  }
  return t;
}

ReportTable ReportBuilder::normalization_table() const {
  ReportTable t;
  const ReferenceTable& reference = *settings_.reference;
  bool any_measured = false, any_table = false;
  for (const auto& task : analysis_.normalized_tasks)
    (analysis_.references.at(task).measured ? any_measured : any_table) = true;
  std::string r_min_sentence =
      any_measured && !any_table ? "r_min is the mean return of these runs' own random policy over all its evaluations"
      : any_measured             ? "r_min is the mean return of these runs' own random policy over all its evaluations "
                                   "where they include it, else the table's"
                                 : "r_min is the table's (these runs include no random policy)";
  if (any_measured)
    r_min_sentence += " (with the " + percent(settings_.level) + " Student-t CI over its runs' means)";
  t.table = {"normalization", "Reference scores",
             "Normalised score = (raw - r_min) / (r_max - r_min). " + r_min_sentence + "; r_max and the published r_min "
                 "are from reference table " + reference.label() + " (" + reference.origin + ").",
             {"Task", "r_min", "r_min source", "r_max", "r_max source", "Table's r_min"},
             {false, true, false, true, false, true},
             {}};
  for (const auto& task : analysis_.normalized_tasks) {
    const TaskReference& r = analysis_.references.at(task);
    std::string r_min = format_general(r.scores.r_min);
    if (r.measured && std::isfinite(r.r_min_interval.lower))
      r_min += " [" + format_general(r.r_min_interval.lower) + ", " + format_general(r.r_min_interval.upper) + "]";
    t.table.rows.push_back({text(task), text(r_min), text(r.scores.r_min_source), text(format_general(r.scores.r_max)),
                            text(r.scores.r_max_source), text(format_general(r.table_r_min))});
    if (r.measured)
      add_estimate(t.numbers, "normalization", "random", "", task, "r_min", {r.scores.r_min, r.r_min_interval}, "student-t");
    else
      add_value(t.numbers, "normalization", "", "", task, "r_min", r.scores.r_min);
    add_value(t.numbers, "normalization", "", "", task, "r_max", r.scores.r_max);
    add_value(t.numbers, "normalization", "", "", task, "table_r_min", r.table_r_min);
  }
  return t;
}

ReportTable ReportBuilder::aggregate_table() const {
  ReportTable t;
  t.table = {"aggregate", "Aggregate performance across tasks",
             "Normalised scores; point estimate [" + percent(settings_.level) + " stratified-bootstrap CI, " +
                 std::to_string(settings_.bootstrap) +
                 " replicates, runs resampled within each task]. IQM: interquartile mean of all (task, run) scores; "
                 "Median and Mean: of the per-task mean scores; Optimality gap: 1 - mean of min(score, 1) (lower is "
                 "better). " + task_set_sentence() + " " + score_sentence(),
             {"Algorithm", "Tasks", "IQM", "Median", "Mean", "Optimality gap"},
             {false, true, true, true, true, true},
             {}};
  static constexpr std::array<const char*, 4> kStatistic = {"iqm", "median", "mean", "optimality_gap"};
  for (const AlgorithmAggregate& a : analysis_.aggregates) {
    std::vector<TableCell> row = {text(a.separate ? a.algorithm + " ‡" : a.algorithm), text(std::to_string(a.tasks.size()))};
    for (std::size_t i = 0; i < 4; ++i) {
      row.push_back(text(format_estimate(a.estimates[i].value, a.estimates[i].interval)));
      add_estimate(t.numbers, "aggregate", a.algorithm, "", "", kStatistic[i], a.estimates[i], "stratified-bootstrap");
    }
    add_value(t.numbers, "aggregate", a.algorithm, "", "", "tasks", static_cast<double>(a.tasks.size()));
    t.table.rows.push_back(std::move(row));
  }
  return t;
}

std::string ReportBuilder::task_set_sentence() const {
  std::string sentence = fmt::format("Compared over the same {} normalised task{}: {}.", analysis_.common_tasks.size(),
                                     analysis_.common_tasks.size() == 1 ? "" : "s", joined(analysis_.common_tasks));
  for (const AlgorithmAggregate& a : analysis_.aggregates)
    if (a.separate)
      return sentence + " ‡: has runs on only some of them, so it is aggregated over its own tasks (column Tasks), is "
                        "not comparable with the rows above, and is left out of P(X > Y), the performance profile "
                        "and the sample-efficiency curves.";
  return sentence;
}

ReportTable ReportBuilder::improvement_table() const {
  ReportTable t;
  t.table = {"probability_of_improvement", "Probability of improvement",
             "P(X > Y): probability that a run of X scores higher than a run of Y on the same task (Mann-Whitney U / "
             "(N_X N_Y), ties count 1/2), averaged over the tasks of the comparison (" + joined(analysis_.common_tasks) +
                 "); [" +
                 percent(settings_.level) + " CI from " + std::to_string(settings_.profile_bootstrap) +
                 " stratified-bootstrap replicates, X and Y resampled independently].",
             {"X", "Y", "Tasks", "P(X > Y)"},
             {false, false, true, true},
             {}};
  for (const Improvement& i : analysis_.improvements) {
    t.table.rows.push_back({text(i.x), text(i.y), text(std::to_string(i.tasks)),
                            text(format_estimate(i.estimate.value, i.estimate.interval))});
    add_estimate(t.numbers, "probability_of_improvement", i.x, i.y, "", "probability_of_improvement", i.estimate, "stratified-bootstrap");
  }
  return t;
}

ReportTable ReportBuilder::pairwise_table(const std::vector<PairStats>& pairs, const std::string& stem,
                                          const std::string& title) const {
  ReportTable t;
  const auto tested = std::count_if(pairs.begin(), pairs.end(),
                                    [](const PairStats& p) { return std::isfinite(p.welch.p_two_sided); });
  t.table = {stem, title,
             "Difference of mean scores A - B with its " + percent(settings_.level) + " percentile-bootstrap CI (" +
                 std::to_string(settings_.bootstrap) +
                 " replicates); Welch's t-test (t, Welch-Satterthwaite degrees of freedom, two-sided p, and p after "
                 "Holm's correction over the " + std::to_string(tested) +
                 " comparisons of this table that have a p-value); P(A > B) = Mann-Whitney U / (N_A N_B) with its "
                 "two-sided p. " +
                 score_sentence(),
             {"Task", "A", "B", "A - B [CI]", "t", "df", "p", "p (Holm)", "P(A > B)", "p (Mann-Whitney)"},
             {false, false, false, true, true, true, true, true, true, true},
             {}};
  for (const PairStats& p : pairs) {
    TableCell holm = text(format_p_value(p.welch_p_holm));
    holm.bold = p.welch_p_holm < 0.05;
    t.table.rows.push_back({text(p.task), text(p.a), text(p.b), text(format_estimate(p.difference, p.difference_interval)),
                            text(format_general(p.welch.t)), text(format_general(p.welch.degrees_of_freedom)),
                            text(format_p_value(p.welch.p_two_sided)), holm,
                            text(format_general(p.mann_whitney.probability_greater)),
                            text(format_p_value(p.mann_whitney.p_two_sided))});
    add_estimate(t.numbers, stem, p.a, p.b, p.task, "difference_of_means", {p.difference, p.difference_interval},
                 "percentile-bootstrap");
    for (const auto& [statistic, value] :
         {std::pair{"welch_t", p.welch.t}, std::pair{"welch_df", p.welch.degrees_of_freedom},
          std::pair{"welch_p", p.welch.p_two_sided}, std::pair{"welch_p_holm", p.welch_p_holm},
          std::pair{"mann_whitney_u", p.mann_whitney.u},
          std::pair{"probability_greater", p.mann_whitney.probability_greater},
          std::pair{"mann_whitney_p", p.mann_whitney.p_two_sided}})
      add_value(t.numbers, stem, p.a, p.b, p.task, statistic, value);
  }
  t.table.caption += " Bold: Holm-adjusted p < 0.05.";
  return t;
}

ReportTable ReportBuilder::power_table() const {
  ReportTable t;
  t.table = {"power", "Statistical power",
             "After Colas et al. (2018): the smallest difference of means that a one-sided Welch test at alpha = 0.05 "
             "detects with power 0.8 given the runs at hand (N = the smaller run count of the pair, standard deviations "
             "from these runs, so optimistic for small N), and the runs per algorithm needed to detect a difference "
             "of " + format_general(settings_.power_difference) +
                 " in normalised score (shown in raw units; needs a reference score for the task).",
             {"Task", "A", "B", "N", "Detectable difference", "Target difference", "Runs needed"},
             {false, false, false, true, true, true, true},
             {}};
  for (const PairStats& p : analysis_.pairs) {
    const CellStats* a = analysis_.cell(p.task, p.a);
    const CellStats* b = analysis_.cell(p.task, p.b);
    const std::size_t n = std::min(a->scores.size(), b->scores.size());
    // Runs without spread on both sides show any difference: the test's minimum of 2 runs will do.
    const bool no_spread = a->summary.std == 0 && b->summary.std == 0;
    const std::optional<std::size_t> required = no_spread && std::isfinite(p.power_target) ? 2 : p.required_runs;
    std::string needed = !std::isfinite(p.power_target) ? "n/a"
                         : no_spread                    ? "2 (no spread)"
                         : required                     ? std::to_string(*required)
                                                        : "> 1000";
    t.table.rows.push_back({text(p.task), text(p.a), text(p.b), text(std::to_string(n)),
                            text(format_general(p.detectable_difference)), text(format_general(p.power_target)),
                            text(needed)});
    add_value(t.numbers, "power", p.a, p.b, p.task, "detectable_difference", p.detectable_difference);
    add_value(t.numbers, "power", p.a, p.b, p.task, "target_difference", p.power_target);
    add_value(t.numbers, "power", p.a, p.b, p.task, "runs_needed",
              required ? static_cast<double>(*required) : std::numeric_limits<double>::quiet_NaN());
  }
  return t;
}

ReportTable ReportBuilder::timing_table() const {
  ReportTable t;
  t.table = {"timing", "Compute per run",
             "Means over finished runs: wall-clock seconds per run, env steps per second, and the share of wall-clock "
             "time spent in rollouts (env step + act + observe), updates and evaluation.",
             {"Task", "Algorithm", "Wall-clock (s)", "Env steps/s", "Rollout", "Update", "Evaluation"},
             {false, false, true, true, true, true, true},
             {}};
  auto share = [](double fraction) { return std::isfinite(fraction) ? fmt::format("{:.0f}%", 100 * fraction) : "n/a"; };
  for (const CellStats& c : analysis_.cells) {
    if (c.scores.empty()) continue;
    t.table.rows.push_back({text(c.task), text(c.algorithm), text(format_general(c.wall_s)),
                            text(format_general(c.steps_per_s)), text(share(c.rollout_fraction)),
                            text(share(c.update_fraction)), text(share(c.eval_fraction))});
    for (const auto& [statistic, value] :
         {std::pair{"wall_s", c.wall_s}, std::pair{"steps_per_s", c.steps_per_s},
          std::pair{"rollout_fraction", c.rollout_fraction}, std::pair{"update_fraction", c.update_fraction},
          std::pair{"eval_fraction", c.eval_fraction}})
      add_value(t.numbers, "timing", c.algorithm, "", c.task, statistic, value);
  }
  return t;
}

std::vector<ReportTable> ReportBuilder::tables() const {
  std::vector<ReportTable> tables = {protocol_table(), cells_table(), per_task_table(), cell_statistics_table()};
  if (settings_.reference && !analysis_.normalized_tasks.empty()) tables.push_back(normalization_table());
  if (!analysis_.aggregates.empty()) tables.push_back(aggregate_table());
  if (!analysis_.improvements.empty()) tables.push_back(improvement_table());
  if (!analysis_.pairs.empty()) {
    tables.push_back(pairwise_table(analysis_.pairs, "pairwise", "Pairwise comparisons per task"));
    tables.push_back(power_table());
  }
  if (!analysis_.baseline_pairs.empty())
    tables.push_back(pairwise_table(analysis_.baseline_pairs, "pairwise_vs_" + file_stem(settings_.baseline),
                                    "Comparisons with " + settings_.baseline));
  tables.push_back(timing_table());
  return tables;
}

ReportFigures ReportBuilder::figures() const {
  ReportFigures figures;
  const std::string level = percent(settings_.level);
  // Every task's learning curves also as the panels of one figure, and every run's score.
  BandGrid all_curves{"learning_curves", "Evaluation return (" + band_label() + ")", {}, 3};
  for (const auto& task : analysis_.tasks) {
    BandPlot by_steps{"learning_curve_" + file_stem(task), task + ": evaluation return", "env steps",
                      "evaluation return (" + band_label() + ")", {}, std::nullopt};
    BandPlot by_time{"wallclock_curve_" + file_stem(task), task + ": evaluation return against wall-clock time",
                     "wall-clock time of the run (s)", "evaluation return (" + band_label() + ")", {}, std::nullopt};
    for (const auto& algorithm : analysis_.algorithms) {
      const CellStats* c = analysis_.cell(task, algorithm);
      if (!c || c->scores.empty()) continue;
      const std::string color = color_of(analysis_, algorithm);
      const int dash = dash_of(analysis_, algorithm);
      by_steps.series.push_back({algorithm, color, c->by_steps.x, c->by_steps.band.mean, c->by_steps.band.lower,
                                 c->by_steps.band.upper, dash});
      by_time.series.push_back({algorithm, color, c->by_wall_clock.x, c->by_wall_clock.band.mean,
                                c->by_wall_clock.band.lower, c->by_wall_clock.band.upper, dash});
    }
    if (by_steps.series.empty()) continue;
    // Runs whose durations differ by more than 10x share a readable time axis only on a log scale.
    double shortest = std::numeric_limits<double>::infinity(), longest = 0;
    for (const BandSeries& series : by_time.series)
      if (!series.x.empty()) {
        shortest = std::min(shortest, series.x.back());
        longest = std::max(longest, series.x.back());
      }
    by_time.log_x = shortest > 0 && longest > 10 * shortest;
    if (by_time.log_x) by_time.x_label += ", log scale";
    BandPlot panel = by_steps;
    panel.title = task;
    panel.y_label = "evaluation return";
    all_curves.panels.push_back(std::move(panel));
    figures.band_plots.push_back(std::move(by_steps));
    figures.band_plots.push_back(std::move(by_time));
  }

  StripPlot run_scores{"run_scores", "Score of every run (bar: mean)", "score (" + settings_.score.name() + ")", {}, 3};
  for (const auto& task : analysis_.tasks) {
    StripPanel panel{task, {}, {}, {}};
    for (const auto& algorithm : analysis_.algorithms)
      if (const CellStats* c = analysis_.cell(task, algorithm); c && !c->scores.empty()) {
        panel.labels.push_back(algorithm);
        panel.colors.push_back(color_of(analysis_, algorithm));
        panel.values.push_back(c->scores);
      }
    if (!panel.values.empty()) run_scores.panels.push_back(std::move(panel));
  }
  if (!all_curves.panels.empty()) figures.band_grids.push_back(std::move(all_curves));
  if (!run_scores.panels.empty()) figures.strip_plots.push_back(std::move(run_scores));

  if (!analysis_.aggregates.empty()) {
    IntervalPlot aggregate{"aggregate_intervals", "Aggregate normalised score (" + level + " stratified-bootstrap CI)",
                           "normalised score", {}, std::nullopt, std::nullopt};
    for (std::size_t i = 0; i < 4; ++i) {
      IntervalPanel panel{std::string(stats::aggregate_metric_name(stats::kAggregateMetrics[i])), {}};
      for (const AlgorithmAggregate& a : analysis_.aggregates)
        panel.rows.push_back({a.separate ? a.algorithm + " ‡" : a.algorithm, color_of(analysis_, a.algorithm), a.estimates[i].value,
                              a.estimates[i].interval.lower, a.estimates[i].interval.upper});
      aggregate.panels.push_back(std::move(panel));
    }
    figures.interval_plots.push_back(std::move(aggregate));

    BandPlot profile{"performance_profile", "Performance profile (run-score distribution)", "normalised score tau",
                     "fraction of runs with score > tau", {}, std::pair{-0.03, 1.03}};  // a fraction, padded off the frame
    for (const AlgorithmBand& p : analysis_.profiles)
      profile.series.push_back({p.algorithm, color_of(analysis_, p.algorithm), analysis_.profile_taus, p.band.value,
                                p.band.lower, p.band.upper, dash_of(analysis_, p.algorithm)});
    figures.band_plots.push_back(std::move(profile));
  }
  if (!analysis_.improvements.empty()) {
    IntervalPlot improvement{"probability_of_improvement", "Probability of improvement (" + level + " CI)",
                             "P(X > Y)", {}, 0.5, std::pair{0.0, 1.0}};
    IntervalPanel panel{"P(X > Y)", {}};
    for (const Improvement& i : analysis_.improvements)
      panel.rows.push_back({i.x + " vs " + i.y, color_of(analysis_, i.x), i.estimate.value, i.estimate.interval.lower,
                            i.estimate.interval.upper});
    improvement.panels.push_back(std::move(panel));
    figures.interval_plots.push_back(std::move(improvement));
  }
  if (!analysis_.efficiency.empty()) {
    BandPlot efficiency{"sample_efficiency", "Sample efficiency: IQM normalised score", analysis_.efficiency_x_label,
                        "IQM normalised score (" + level + " CI)", {}, std::nullopt};
    for (const AlgorithmBand& e : analysis_.efficiency)
      efficiency.series.push_back({e.algorithm, color_of(analysis_, e.algorithm), analysis_.efficiency_x, e.band.value,
                                   e.band.lower, e.band.upper, dash_of(analysis_, e.algorithm)});
    figures.band_plots.push_back(std::move(efficiency));
  }
  return figures;
}

// Where the numbers come from, per run directory: the pgbench build and commit, the machine, and
// each plugin with its SHA-256 (the first 16 hex digits here; the manifest has all 64).
void ReportBuilder::provenance_blocks(std::vector<Block>& blocks) const {
  blocks.push_back(Heading{2, "Provenance"});
  std::vector<std::string> items;
  for (const auto& d : runs_.directories)
    items.push_back(fmt::format("{}: pgbench {}, git commit {}, ABI {}, master seed {}, {}; {}; build: {}",
                                d.path.filename().string(), d.pgbench_version,
                                d.git_commit.empty() ? "unknown" : d.git_commit, d.abi_version, d.master_seed, d.seeds,
                                d.machines.empty()       ? std::string("machine: not recorded")
                                : d.machines.size() == 1 ? "machine: " + d.machines.front()
                                                         : fmt::format("machines: {}", fmt::join(d.machines, "; ")),
                                d.build.empty() ? "not recorded" : d.build));
  blocks.push_back(BulletList{items});
  Table plugins{"plugins", "Plugins", "As loaded by the runs (manifest.json of each run directory lists them in full).",
                {"Run", "File", "Id", "Version", "SHA-256", "Built with"}, {false, false, false, false, false, false}, {}};
  for (const auto& d : runs_.directories)
    for (const PluginRecord& p : d.plugins)
      plugins.rows.push_back({text(d.path.filename().string()), text(p.file), text(p.id), text(p.version),
                              text(p.sha256.substr(0, 16)), text(p.build_signature)});
  if (!plugins.rows.empty()) blocks.push_back(std::move(plugins));
}

Document ReportBuilder::document(const std::vector<ReportTable>& tables, const FigureStatus& figure_status) const {
  auto table = [&](const std::string& stem) -> const Table* {
    for (const auto& t : tables)
      if (t.table.stem == stem) return &t.table;
    return nullptr;
  };
  Document doc;
  doc.title = "pgbench report: " + (runs_.suite_name.empty() ? std::string("run") : runs_.suite_name);
  auto& blocks = doc.blocks;
  const std::string level = percent(settings_.level);

  std::size_t started = 0, finished = 0;
  for (const CellStats& c : analysis_.cells) {
    started += c.counts.started;
    finished += c.counts.finished;
  }
  std::vector<std::string> directories;
  for (const auto& d : runs_.directories) directories.push_back(d.path.filename().string());
  blocks.push_back(Paragraph{fmt::format(
      "Suite {}{}: {} tasks × {} algorithms, {} runs started, {} finished. Run directories: {}. {} Confidence "
      "intervals at {}; every bootstrap is seeded from report seed {} ({} replicates for cell, difference, aggregate "
      "and sample-efficiency intervals; {} for performance profiles and P(X > Y)).",
      runs_.suite_name, runs_.suite_description.empty() ? "" : " (" + runs_.suite_description + ")",
      analysis_.tasks.size(), analysis_.algorithms.size(), started, finished, joined(directories), score_sentence(),
      level, settings_.seed, settings_.bootstrap, settings_.profile_bootstrap)});
  provenance_blocks(blocks);

  if (!runs_.protocol_differences.empty()) {
    blocks.push_back(Heading{2, "Protocol differences"});
    blocks.push_back(Paragraph{
        "These run directories were not made under the same protocol, and the report was asked to go on "
        "(--allow-mismatch): scores of the affected tasks (marked † in the tables) do not compare like with like."});
    std::vector<std::string> items;
    for (const ProtocolDifference& d : runs_.protocol_differences)
      items.push_back(d.what + (d.tasks.empty() ? " (every task)" : ""));
    blocks.push_back(BulletList{items});
  }
  blocks.push_back(Heading{2, "Data completeness"});
  if (started == finished && runs_.problems.empty()) {
    blocks.push_back(Paragraph{"All " + std::to_string(started) + " runs finished and were read without problems."});
  } else {
    blocks.push_back(Paragraph{fmt::format(
        "{} of {} runs finished. The statistics use finished runs only; the table below counts the others per cell "
        "so that no average hides a missing run.",
        finished, started)});
    std::vector<std::string> items;
    for (const Problem& p : runs_.problems) items.push_back(display_path(p.file) + ": " + p.message);
    for (const CellStats& c : analysis_.cells)
      if (c.counts.failed > 0)
        for (const Cell& cell : runs_.cells)
          if (cell.task == c.task && cell.algorithm == c.algorithm && cell.status == CellStatus::failed)
            items.push_back(display_path(cell.dir) + ": failed: " + cell.error);
    if (!items.empty()) blocks.push_back(BulletList{items});
    blocks.push_back(*table("cells"));
  }
  if (!runs_.skipped.empty()) {
    std::vector<std::string> items;
    for (const Skipped& s : runs_.skipped) items.push_back(s.algorithm + " on " + s.task + ": " + s.reason);
    blocks.push_back(Paragraph{"Pairs the suite skipped (never run):"});
    blocks.push_back(BulletList{items});
  }

  blocks.push_back(Heading{2, "Protocol"});
  blocks.push_back(*table("protocol"));

  blocks.push_back(Heading{2, "Results per task"});
  blocks.push_back(*table("per_task"));
  blocks.push_back(*table("cell_statistics"));

  const ReportFigures figures = this->figures();
  auto figure_block = [&](const std::string& stem, const std::string& title, const std::string& caption) {
    blocks.push_back(Figure{stem, title, caption});
  };
  if (figure_status.requested) {
    blocks.push_back(Heading{2, "Learning curves"});
    if (!figure_status.rendered)
      blocks.push_back(Paragraph{"Figures were not rendered (gnuplot was not found): the gnuplot scripts and data "
                                 "are in figures/; install gnuplot and run gnuplot NAME.gp there."});
    for (const auto& error : figure_status.errors) blocks.push_back(Paragraph{"Figure error: " + error});
    if (!figures.band_grids.empty())
      figure_block("learning_curves", "Learning curves of every task",
                   "Mean evaluation return over finished runs against env steps, one panel per task, sized for a "
                   "paper's full width (figures/learning_curves.pdf). " + band_sentence() + " " + runs_sentence());
    if (!figures.strip_plots.empty())
      figure_block("run_scores", "Scores of every run",
                   "One point per run, the bar at the algorithm's mean: at small N the runs themselves say more than "
                   "a mean and its interval. " + score_sentence());
    for (const BandPlot& plot : figures.band_plots)
      if (plot.stem.starts_with("learning_curve_"))
        figure_block(plot.stem, plot.title,
                     "Mean evaluation return over finished runs, each run linearly interpolated onto a grid common "
                     "to all runs of the task (never extrapolated). " + band_sentence() + " " + runs_sentence());
  }

  blocks.push_back(Heading{2, "Across tasks (normalised scores)"});
  if (!settings_.reference) {
    blocks.push_back(Paragraph{"No reference table (normalisation: none, or no built-in table covers these tasks): "
                               "scores of different tasks are not comparable, so no aggregate is computed. Choose "
                               "one with --normalize."});
  } else if (analysis_.normalized_tasks.empty()) {
    blocks.push_back(Paragraph{"Reference table " + settings_.reference->label() +
                               " lists none of these tasks: no aggregate is computed."});
  } else {
    if (!analysis_.unnormalized_tasks.empty())
      blocks.push_back(Paragraph{"Left out of the aggregates (no reference score in " + settings_.reference->label() +
                                 "): " + joined(analysis_.unnormalized_tasks) + "."});
    blocks.push_back(*table("normalization"));
    if (const Table* t = table("aggregate")) blocks.push_back(*t);
    if (figure_status.requested && !analysis_.aggregates.empty()) {
      figure_block("aggregate_intervals", "Aggregate metrics",
                   "Point estimates (dots) and " + level + " stratified-bootstrap intervals (bars) of the aggregates "
                   "in the table above. " + task_set_sentence());
      figure_block("performance_profile", "Performance profile",
                   "Fraction of all (task, run) normalised scores above tau, tasks weighted equally, with " + level +
                       " stratified-bootstrap bands (" + std::to_string(settings_.profile_bootstrap) + " replicates). " +
                       task_set_sentence());
    }
    if (const Table* t = table("probability_of_improvement")) blocks.push_back(*t);
    if (figure_status.requested && !analysis_.improvements.empty())
      figure_block("probability_of_improvement", "Probability of improvement",
                   "P(X > Y) with " + level + " intervals; 0.5 (dashed) means no difference.");
    if (figure_status.requested && !analysis_.efficiency.empty())
      figure_block("sample_efficiency", "Sample efficiency",
                   "IQM of normalised evaluation returns at " + std::to_string(settings_.efficiency_points) +
                       " checkpoints over the env-step budget, with " + level + " stratified-bootstrap bands (" +
                       std::to_string(settings_.bootstrap) + " replicates; a replicate resamples whole runs). " +
                       task_set_sentence());
  }

  if (const Table* t = table("pairwise")) {
    blocks.push_back(Heading{2, "Pairwise comparisons"});
    if (const Table* against = table("pairwise_vs_" + file_stem(settings_.baseline)); against && !settings_.baseline.empty())
      blocks.push_back(*against);
    blocks.push_back(*t);
    blocks.push_back(*table("power"));
  }

  if (figure_status.requested) {
    blocks.push_back(Heading{2, "Learning curves against wall-clock time"});
    for (const BandPlot& plot : figures.band_plots)
      if (plot.stem.starts_with("wallclock_curve_"))
        figure_block(plot.stem, plot.title,
                     "Mean evaluation return against the run's own wall-clock time, up to the time every run of the "
                     "algorithm reached. " + band_sentence());
  }
  blocks.push_back(Heading{2, "Compute"});
  blocks.push_back(*table("timing"));

  blocks.push_back(Heading{2, "Report settings"});
  blocks.push_back(BulletList{{fmt::format(
                                   "Score {}, CI level {}, bootstrap seed {}, {} / {} replicates, curve bands {}, "
                                   "normalisation {}",
                                   settings_.score.name(), level, settings_.seed, settings_.bootstrap,
                                   settings_.profile_bootstrap, stats::band_method_name(settings_.bands),
                                   settings_.reference ? settings_.reference->label() : std::string("none")),
                               "Every number of the tables, in tidy form: summary.json and tables/*.csv."}});
  return doc;
}

}  // namespace pgbench::report
