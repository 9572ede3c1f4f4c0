#include "report/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "stats/confidence.hpp"
#include "stats/power.hpp"
#include "stats/seeding.hpp"

namespace pgbench::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The random policy is a reference point: listed after the algorithms it anchors.
std::vector<std::string> ordered_algorithms(std::vector<std::string> algorithms) {
  std::stable_partition(algorithms.begin(), algorithms.end(), [](const std::string& a) { return a != "random"; });
  return algorithms;
}

std::vector<const Cell*> finished_runs(const RunSet& runs, const std::string& task, const std::string& algorithm) {
  std::vector<const Cell*> finished;
  for (const Cell& cell : runs.cells)
    if (cell.task == task && cell.algorithm == algorithm && cell.status == CellStatus::finished)
      finished.push_back(&cell);
  return finished;
}

bool strictly_increasing(const std::vector<double>& x) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || (i > 0 && !(x[i] > x[i - 1]))) return false;
  return !x.empty();
}

// Each run's evaluation returns (smoothed when asked) interpolated on the grid of its own x (env
// steps or seconds), then the mean and its band.
CurveStats curve_over(const std::vector<const Cell*>& cells, const std::vector<double> Curve::*x,
                      const std::vector<double>& grid, const AnalysisSettings& settings) {
  CurveStats curve{grid, {}};
  std::vector<std::vector<double>> on_grid;
  for (const Cell* cell : cells)
    on_grid.push_back(
        stats::interpolate(cell->curve.*x, stats::trailing_mean(cell->curve.eval_return_mean, settings.smooth), grid));
  curve.band = stats::mean_band(on_grid, {settings.bands, settings.level, {settings.profile_bootstrap, settings.seed}});
  return curve;
}

double mean_of(const std::vector<const Cell*>& cells, auto value_of) {
  std::vector<double> values;
  for (const Cell* cell : cells) values.push_back(value_of(*cell));
  return stats::mean(values);
}

CellStats cell_statistics(const RunSet& runs, const std::string& task, const std::string& algorithm,
                          const std::vector<double>& step_grid, const AnalysisSettings& settings) {
  CellStats stats_of_cell;
  stats_of_cell.task = task;
  stats_of_cell.algorithm = algorithm;
  for (const Cell& cell : runs.cells) {
    if (cell.task != task || cell.algorithm != algorithm) continue;
    ++stats_of_cell.counts.started;
    switch (cell.status) {
      case CellStatus::finished: ++stats_of_cell.counts.finished; break;
      case CellStatus::failed: ++stats_of_cell.counts.failed; break;
      case CellStatus::missing: ++stats_of_cell.counts.missing; break;
      case CellStatus::unreadable: ++stats_of_cell.counts.unreadable; break;
    }
  }
  const std::vector<const Cell*> finished = finished_runs(runs, task, algorithm);
  for (const Cell* cell : finished) {
    // The mean of the last k evaluations of a run with fewer than k would silently be another score.
    if (settings.score.kind == stats::ScoreKind::last_k && cell->curve.eval_return_mean.size() < settings.score.last_k)
      throw std::invalid_argument(fmt::format(
          "--last-k {}: the runs of {} on {} have only {} evaluations; choose k of at most {}, or --score auc for "
          "the mean over all of them",
          settings.score.last_k, algorithm, task, cell->curve.eval_return_mean.size(),
          cell->curve.eval_return_mean.size()));
    stats_of_cell.scores.push_back(stats::run_score(cell->curve.eval_return_mean, settings.score));
  }
  stats_of_cell.summary = stats::summarize(stats_of_cell.scores);
  stats_of_cell.t_interval = stats::student_t_interval(stats_of_cell.scores, settings.level);
  stats_of_cell.bootstrap_interval = stats::bootstrap_mean_interval(
      stats_of_cell.scores, settings.level,
      {settings.bootstrap, stats::derive_seed(settings.seed, "cell/" + task + "/" + algorithm)});

  stats_of_cell.by_steps = curve_over(finished, &Curve::env_step, step_grid, settings);
  std::vector<const Cell*> timed;
  std::vector<std::span<const double>> wall_times;
  for (const Cell* cell : finished)
    if (strictly_increasing(cell->curve.wall_time_s)) {
      timed.push_back(cell);
      wall_times.push_back(cell->curve.wall_time_s);
    }
  stats_of_cell.by_wall_clock =
      curve_over(timed, &Curve::wall_time_s, stats::common_grid(wall_times, settings.curve_points), settings);

  stats_of_cell.wall_s = mean_of(finished, [](const Cell& c) { return c.timing.wall_s; });
  stats_of_cell.steps_per_s = mean_of(finished, [](const Cell& c) { return c.timing.steps_per_s; });
  stats_of_cell.rollout_fraction = mean_of(finished, [](const Cell& c) {
    return (c.timing.env_step_s + c.timing.act_s + c.timing.observe_s) / c.timing.wall_s;
  });
  stats_of_cell.update_fraction = mean_of(finished, [](const Cell& c) { return c.timing.update_s / c.timing.wall_s; });
  stats_of_cell.eval_fraction = mean_of(finished, [](const Cell& c) { return c.timing.eval_s / c.timing.wall_s; });
  return stats_of_cell;
}

// With a baseline: every other algorithm against it; without: every pair, in algorithm order.
std::vector<std::pair<std::string, std::string>> compared_pairs(const std::vector<std::string>& algorithms,
                                                                 const std::string& baseline) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!baseline.empty()) {
    for (const auto& algorithm : algorithms)
      if (algorithm != baseline) pairs.emplace_back(algorithm, baseline);
    return pairs;
  }
  for (std::size_t i = 0; i < algorithms.size(); ++i)
    for (std::size_t j = i + 1; j < algorithms.size(); ++j) pairs.emplace_back(algorithms[i], algorithms[j]);
  return pairs;
}

PairStats compare(const CellStats& a, const CellStats& b, const ReferenceScores* reference,
                  const AnalysisSettings& settings) {
  PairStats pair;
  pair.task = a.task;
  pair.a = a.algorithm;
  pair.b = b.algorithm;
  pair.difference = a.summary.mean - b.summary.mean;
  pair.difference_interval = stats::bootstrap_difference_interval(
      a.scores, b.scores, settings.level,
      {settings.bootstrap, stats::derive_seed(settings.seed, "difference/" + a.task + "/" + a.algorithm + "/" + b.algorithm)});
  pair.welch = stats::welch_t_test(a.scores, b.scores);
  pair.mann_whitney = stats::mann_whitney(a.scores, b.scores);
  const std::size_t runs = std::min(a.scores.size(), b.scores.size());
  pair.detectable_difference = stats::detectable_difference(a.summary.std, b.summary.std, runs);
  pair.power_target = reference ? settings.power_difference * (reference->r_max - reference->r_min) : kNaN;
  if (reference && std::isfinite(a.summary.std) && std::isfinite(b.summary.std))
    pair.required_runs = stats::required_runs(a.summary.std, b.summary.std, pair.power_target);
  return pair;
}

std::vector<double> normalized(const std::vector<double>& raw, const ReferenceScores& reference) {
  std::vector<double> scores;
  for (double x : raw) scores.push_back(reference.normalize(x));
  return scores;
}

}  // namespace

const CellStats* Analysis::cell(const std::string& task, const std::string& algorithm) const {
  for (const CellStats& c : cells)
    if (c.task == task && c.algorithm == algorithm) return &c;
  return nullptr;
}

const VersusBest* Analysis::against_best(const std::string& task, const std::string& algorithm) const {
  for (const VersusBest& v : versus_best)
    if (v.task == task && v.algorithm == algorithm) return &v;
  return nullptr;
}

namespace {

std::vector<VersusBest> compare_with_best(const Analysis& analysis, const std::string& task) {
  std::vector<const CellStats*> contenders;
  for (const auto& algorithm : analysis.algorithms)
    if (const CellStats* c = analysis.cell(task, algorithm); c && algorithm != "random" && !c->scores.empty())
      contenders.push_back(c);
  if (contenders.empty()) return {};
  const CellStats* best = *std::max_element(contenders.begin(), contenders.end(), [](const CellStats* a, const CellStats* b) {
    return a->summary.mean < b->summary.mean;
  });
  std::vector<VersusBest> out;
  std::vector<double> p_values;
  for (const CellStats* c : contenders) {
    VersusBest v{task, c->algorithm, best->algorithm, 1.0, 1.0, true};
    if (c != best) {
      if (c->summary.std == 0 && best->summary.std == 0 && c->scores.size() > 1 && best->scores.size() > 1)
        v.p = c->summary.mean == best->summary.mean ? 1.0 : 0.0;
      else
        v.p = stats::welch_t_test(c->scores, best->scores).p_two_sided;
      p_values.push_back(v.p);
    }
    out.push_back(v);
  }
  const std::vector<double> adjusted = stats::holm_adjust(p_values);
  for (std::size_t i = 0, k = 0; i < out.size(); ++i)
    if (contenders[i] != best) {
      out[i].p_holm = adjusted[k++];
      out[i].tied = !(out[i].p_holm < 0.05);  // an untestable cell (NaN) counts as a tie
    }
  return out;
}

}  // namespace

Analysis analyze(const RunSet& runs, const AnalysisSettings& settings) {
  Analysis analysis;
  analysis.tasks = runs.tasks;
  analysis.algorithms = ordered_algorithms(runs.algorithms);

  // Per task: one env-step grid shared by every algorithm, so their curves line up.
  std::map<std::string, std::vector<double>> step_grids;
  for (const auto& task : analysis.tasks) {
    std::vector<std::span<const double>> steps;
    for (const Cell& cell : runs.cells)
      if (cell.task == task && cell.status == CellStatus::finished) steps.push_back(cell.curve.env_step);
    step_grids[task] = stats::common_grid(steps, settings.curve_points);
    for (const auto& algorithm : analysis.algorithms) {
      CellStats c = cell_statistics(runs, task, algorithm, step_grids[task], settings);
      if (c.counts.started > 0) analysis.cells.push_back(std::move(c));
    }
  }

  // Normalisation per task (see TaskReference).
  for (const auto& task : analysis.tasks) {
    if (!settings.reference) break;
    const auto protocol = runs.protocols.find(task);
    const ReferenceScores* entry =
        settings.reference->find(task, protocol != runs.protocols.end() ? protocol->second.env_name : task);
    if (!entry) continue;
    TaskReference reference{*entry, entry->r_min, false, {}};
    std::vector<double> run_means, all_evaluations;
    for (const Cell* cell : finished_runs(runs, task, "random")) {
      const auto& returns = cell->curve.eval_return_mean;
      if (returns.empty()) continue;
      run_means.push_back(stats::mean(returns));
      all_evaluations.insert(all_evaluations.end(), returns.begin(), returns.end());
    }
    const double measured = all_evaluations.empty() ? std::nan("") : stats::mean(all_evaluations);
    // A random policy at or above r_max would make every score meaningless: the table's r_min stays.
    if (std::isfinite(measured) && measured < entry->r_max) {
      reference.scores.r_min = measured;
      reference.scores.r_min_source = fmt::format("this run's random policy, {} run{} x {} evaluations",
                                                  run_means.size(), run_means.size() == 1 ? "" : "s",
                                                  all_evaluations.size() / run_means.size());
      reference.measured = true;
      reference.r_min_interval = stats::student_t_interval(run_means, settings.level);
    }
    analysis.references.emplace(task, std::move(reference));
  }
  const auto reference_of = [&](const std::string& task) -> const ReferenceScores* {
    const auto found = analysis.references.find(task);
    return found == analysis.references.end() ? nullptr : &found->second.scores;
  };

  // Pairwise comparisons per task: every pair, and with a baseline also every algorithm against
  // it; each set Holm-adjusted over itself (the family its table states).
  const auto comparisons = [&](const std::string& baseline) {
    std::vector<PairStats> pairs;
    for (const auto& task : analysis.tasks)
      for (const auto& [a, b] : compared_pairs(analysis.algorithms, baseline)) {
        const CellStats* cell_a = analysis.cell(task, a);
        const CellStats* cell_b = analysis.cell(task, b);
        if (cell_a && cell_b && !cell_a->scores.empty() && !cell_b->scores.empty())
          pairs.push_back(compare(*cell_a, *cell_b, reference_of(task), settings));
      }
    std::vector<double> p_values;
    for (const auto& pair : pairs) p_values.push_back(pair.welch.p_two_sided);
    const std::vector<double> adjusted = stats::holm_adjust(p_values);
    for (std::size_t i = 0; i < pairs.size(); ++i) pairs[i].welch_p_holm = adjusted[i];
    return pairs;
  };
  analysis.pairs = comparisons("");
  for (const auto& task : analysis.tasks)
    for (VersusBest& v : compare_with_best(analysis, task)) analysis.versus_best.push_back(std::move(v));
  if (!settings.baseline.empty()) analysis.baseline_pairs = comparisons(settings.baseline);

  for (const auto& task : analysis.tasks)
    (reference_of(task) ? analysis.normalized_tasks : analysis.unnormalized_tasks).push_back(task);
  if (analysis.normalized_tasks.empty()) return analysis;

  // Across tasks, on normalised scores, like with like: the algorithms that cover every task any
  // of them has runs on are compared over those tasks; one that covers fewer (DDPG: Box tasks
  // only) is aggregated over its own tasks, apart. When none covers them all, every algorithm is
  // compared over the tasks they share.
  std::map<std::string, std::vector<std::string>> tasks_by_algorithm;
  std::vector<std::string> covered;  // by any algorithm, in task order
  for (const auto& task : analysis.normalized_tasks)
    for (const auto& algorithm : analysis.algorithms)
      if (const CellStats* c = analysis.cell(task, algorithm); c && !c->scores.empty()) {
        tasks_by_algorithm[algorithm].push_back(task);
        if (covered.empty() || covered.back() != task) covered.push_back(task);
      }
  for (const auto& algorithm : analysis.algorithms)
    if (tasks_by_algorithm.count(algorithm) && tasks_by_algorithm[algorithm] == covered)
      analysis.compared_algorithms.push_back(algorithm);
  if (!analysis.compared_algorithms.empty()) {
    analysis.common_tasks = covered;
  } else {
    for (const auto& task : covered) {
      bool everyone = true;
      for (const auto& [algorithm, tasks] : tasks_by_algorithm)
        everyone = everyone && std::find(tasks.begin(), tasks.end(), task) != tasks.end();
      if (everyone) analysis.common_tasks.push_back(task);
    }
    if (!analysis.common_tasks.empty())
      for (const auto& algorithm : analysis.algorithms)
        if (tasks_by_algorithm.count(algorithm)) analysis.compared_algorithms.push_back(algorithm);
  }
  const auto compared = [&](const std::string& algorithm) {
    return std::find(analysis.compared_algorithms.begin(), analysis.compared_algorithms.end(), algorithm) !=
           analysis.compared_algorithms.end();
  };
  // A compared algorithm's scores over the common tasks; another's over its own.
  std::map<std::string, stats::TaskScores> scores_by_algorithm;
  for (auto& [algorithm, tasks] : tasks_by_algorithm) {
    if (compared(algorithm)) tasks = analysis.common_tasks;
    for (const auto& task : tasks)
      scores_by_algorithm[algorithm].push_back(normalized(analysis.cell(task, algorithm)->scores, *reference_of(task)));
  }

  constexpr std::size_t kProfilePoints = 101;
  double highest = 1.0;
  for (const auto& [algorithm, scores] : scores_by_algorithm)
    for (const auto& task : scores) highest = std::max(highest, *std::max_element(task.begin(), task.end()));
  analysis.profile_taus = stats::linear_grid(0.0, std::min(highest, 2.0), kProfilePoints);

  // The compared algorithms first, then those aggregated apart.
  std::vector<std::string> in_order = analysis.compared_algorithms;
  for (const auto& algorithm : analysis.algorithms)
    if (!compared(algorithm) && scores_by_algorithm.count(algorithm)) in_order.push_back(algorithm);
  for (const auto& algorithm : in_order) {
    const stats::TaskScores& scores = scores_by_algorithm.at(algorithm);
    analysis.aggregates.push_back(
        {algorithm, tasks_by_algorithm[algorithm],
         stats::aggregate_estimates(scores, settings.level,
                                    {settings.bootstrap, stats::derive_seed(settings.seed, "aggregate/" + algorithm)}),
         !compared(algorithm)});
    if (!compared(algorithm)) continue;
    analysis.profiles.push_back(
        {algorithm, stats::performance_profile_band(
                        scores, analysis.profile_taus, settings.level,
                        {settings.profile_bootstrap, stats::derive_seed(settings.seed, "profile/" + algorithm)})});
  }

  for (const auto& [x, y] : compared_pairs(analysis.compared_algorithms, "")) {
    stats::TaskScores x_scores, y_scores;
    for (const auto& task : analysis.common_tasks) {
      const CellStats* cx = analysis.cell(task, x);
      const CellStats* cy = analysis.cell(task, y);
      if (!cx || !cy || cx->scores.empty() || cy->scores.empty()) continue;
      x_scores.push_back(normalized(cx->scores, *reference_of(task)));
      y_scores.push_back(normalized(cy->scores, *reference_of(task)));
    }
    if (x_scores.empty()) continue;
    analysis.improvements.push_back(
        {x, y, x_scores.size(),
         stats::probability_of_improvement_estimate(
             x_scores, y_scores, settings.level,
             {settings.profile_bootstrap, stats::derive_seed(settings.seed, "improvement/" + x + "/" + y)})});
  }

  // Sample efficiency: checkpoints at fixed fractions of each task's common env-step range, so
  // tasks with different budgets line up; the x axis is in env steps when every task has the same.
  const std::vector<double> fractions = stats::linear_grid(0.0, 1.0, settings.efficiency_points);
  bool same_range = true;
  std::optional<std::pair<double, double>> range;
  for (const auto& task : analysis.common_tasks) {
    const auto& grid = step_grids[task];
    if (grid.size() < 2) continue;
    if (range && (*range != std::pair{grid.front(), grid.back()})) same_range = false;
    range = std::pair{grid.front(), grid.back()};
  }
  if (!range) return analysis;
  analysis.efficiency_x_label = same_range ? "env steps" : "fraction of the env-step budget";
  for (double f : fractions) analysis.efficiency_x.push_back(same_range ? range->first + f * (range->second - range->first) : f);

  for (const auto& algorithm : analysis.compared_algorithms) {
    std::vector<std::vector<std::vector<double>>> curves;
    for (const auto& task : analysis.common_tasks) {
      const auto& grid = step_grids[task];
      const auto finished = finished_runs(runs, task, algorithm);
      if (grid.size() < 2 || finished.empty()) continue;
      std::vector<double> checkpoints;
      for (double f : fractions) checkpoints.push_back(grid.front() + f * (grid.back() - grid.front()));
      checkpoints.back() = grid.back();
      auto& task_curves = curves.emplace_back();
      for (const Cell* cell : finished)
        task_curves.push_back(normalized(stats::interpolate(cell->curve.env_step, cell->curve.eval_return_mean, checkpoints),
                                         *reference_of(task)));
    }
    if (curves.empty()) continue;
    analysis.efficiency.push_back(
        {algorithm, stats::iqm_curve_band(curves, settings.level,
                                          {settings.bootstrap, stats::derive_seed(settings.seed, "efficiency/" + algorithm)})});
  }
  return analysis;
}

}  // namespace pgbench::report
