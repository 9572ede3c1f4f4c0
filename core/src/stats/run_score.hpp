// stats/run_score.hpp -- the scalar score of one run, computed from its evaluation curve.
//
// The definition changes numbers by far more than implementation quality does (see
// specs/published-scores.md §0), so it is a value that travels with every table: its name and
// sentence are printed next to the numbers it produced.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace pgbench::stats {

enum class ScoreKind {
  final,   // mean evaluation return at the last evaluation
  last_k,  // mean of the last k evaluations
  auc,     // mean over all evaluations: the area under the learning curve divided by its length
  max,     // best evaluation over training: biased upward, only on request
};

struct ScoreDefinition {
  ScoreKind kind = ScoreKind::final;
  std::size_t last_k = 5;

  // Parses "final", "last-k", "auc" or "max"; throws std::invalid_argument naming the accepted
  // names. last_k must be >= 1 for "last-k".
  static ScoreDefinition parse(std::string_view name, std::size_t last_k = 5);

  std::string name() const;         // "final", "last-5", "auc", "max"
  std::string description() const;  // one sentence for captions
  bool biased_upward() const { return kind == ScoreKind::max; }
};

// The score of a run whose evaluation returns (means over the evaluation episodes) are given in
// env-step order. With fewer than k evaluations, last-k averages all of them. NaN when empty.
double run_score(std::span<const double> evaluation_returns, const ScoreDefinition& definition);

}  // namespace pgbench::stats
