// report/analysis.hpp -- every statistic of specs/statistics.md, computed from a RunSet. The
// writers (report_builder) only format what is here.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/reference_tables.hpp"
#include "report/run_directory.hpp"
#include "stats/curves.hpp"
#include "stats/descriptive.hpp"
#include "stats/hypothesis.hpp"
#include "stats/rliable.hpp"
#include "stats/run_score.hpp"

namespace pgbench::report {

struct AnalysisSettings {
  stats::ScoreDefinition score;
  double level = 0.95;
  std::size_t bootstrap = 50000;          // cell and difference CIs, aggregates, sample efficiency
  std::size_t profile_bootstrap = 2000;   // performance profiles and P(X > Y), as in rliable
  std::uint64_t seed = 0;
  std::string baseline;                   // empty: compare every pair of algorithms
  std::optional<ReferenceTable> reference;
  double power_difference = 0.1;          // in normalised units: runs needed to detect it
  std::size_t curve_points = 200;         // most points on a learning-curve grid
  std::size_t efficiency_points = 21;     // checkpoints of the sample-efficiency curve
  stats::BandMethod bands = stats::BandMethod::bootstrap;  // around the mean learning curves
  std::size_t smooth = 1;                 // trailing mean over this many evaluations of each run's curve
};

struct CellCounts {
  std::size_t started = 0, finished = 0, failed = 0, missing = 0, unreadable = 0;
  bool complete() const { return finished == started; }
};

// A learning curve over runs: x grid and the mean with its band (AnalysisSettings::bands).
struct CurveStats {
  std::vector<double> x;
  stats::CurveBand band;
};

struct CellStats {
  std::string task, algorithm;
  CellCounts counts;
  std::vector<double> scores;  // one per finished run
  stats::Summary summary;
  stats::Interval t_interval, bootstrap_interval;
  CurveStats by_steps, by_wall_clock;
  // Means over finished runs; fractions of the run's wall-clock time.
  double wall_s = 0, steps_per_s = 0, rollout_fraction = 0, update_fraction = 0, eval_fraction = 0;
};

struct PairStats {
  std::string task, a, b;
  double difference = 0;  // mean(a) - mean(b)
  stats::Interval difference_interval;
  stats::WelchResult welch;
  double welch_p_holm = 0;
  stats::MannWhitneyResult mann_whitney;
  double detectable_difference = 0;  // raw units, with min(n_a, n_b) runs each
  double power_target = 0;           // the difference (raw units) the required runs are for; NaN if none
  std::optional<std::size_t> required_runs;
};

// An algorithm against the best of its task (the highest mean; the random policy is a reference,
// never a contender): Welch's t-test, Holm-adjusted over that task's comparisons with its best.
struct VersusBest {
  std::string task, algorithm, best;
  double p = 0, p_holm = 0;  // NaN where untestable (fewer than 2 runs); 1 for the best itself
  // Not significantly below the best at 0.05, the best itself included. Two cells without spread
  // are tied exactly when their means are equal.
  bool tied = true;
};

struct AlgorithmAggregate {
  std::string algorithm;
  std::vector<std::string> tasks;
  std::array<stats::Estimate, 4> estimates;  // in stats::kAggregateMetrics order
  // Over its own tasks, a subset of the comparison's: reported apart, not compared with the others.
  bool separate = false;
};

struct Improvement {
  std::string x, y;
  std::size_t tasks = 0;
  stats::Estimate estimate;
};

struct AlgorithmBand {
  std::string algorithm;
  stats::Band band;
};

// The normalisation of one task. r_min comes from the random policy of the runs themselves when
// they include it (the mean return over every evaluation of every run: it does not learn, so all
// of them measure the same thing), else from the table; r_max always from the table.
struct TaskReference {
  ReferenceScores scores;
  double table_r_min = 0;
  bool measured = false;          // r_min from the runs' random policy
  stats::Interval r_min_interval; // measured: Student-t CI over the runs' own means
};

struct Analysis {
  std::vector<std::string> tasks;
  std::vector<std::string> algorithms;  // suite order, the random policy last
  std::vector<CellStats> cells;         // tasks × algorithms, only cells with runs started
  std::vector<PairStats> pairs;           // every pair of algorithms per task; Holm over all of them
  std::vector<PairStats> baseline_pairs;  // with a baseline, also: each other algorithm against it; Holm over these
  std::vector<VersusBest> versus_best;    // per task, every contender with finished runs
  std::vector<std::string> normalized_tasks, unnormalized_tasks;
  // The tasks the aggregates, P(X > Y), performance profiles and sample-efficiency curves compare
  // algorithms over: every normalised task that any algorithm has finished runs on, when some
  // algorithms cover them all (those are compared; one with fewer tasks is aggregated apart, see
  // AlgorithmAggregate::separate); else the tasks all algorithms share.
  std::vector<std::string> common_tasks;
  std::vector<std::string> compared_algorithms;
  std::vector<AlgorithmAggregate> aggregates;
  std::vector<Improvement> improvements;
  std::vector<double> profile_taus;
  std::vector<AlgorithmBand> profiles;
  std::vector<double> efficiency_x;
  std::string efficiency_x_label;
  std::vector<AlgorithmBand> efficiency;
  // What normalises each task's scores: the reference table's entry, with r_min measured by the
  // run's own random policy where it has finished runs on the task (TaskReference::measured).
  std::map<std::string, TaskReference> references;

  const CellStats* cell(const std::string& task, const std::string& algorithm) const;
  const VersusBest* against_best(const std::string& task, const std::string& algorithm) const;
};

Analysis analyze(const RunSet& runs, const AnalysisSettings& settings);

}  // namespace pgbench::report
