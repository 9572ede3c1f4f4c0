#include "stats/run_score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "stats/descriptive.hpp"

namespace pgbench::stats {

ScoreDefinition ScoreDefinition::parse(std::string_view name, std::size_t last_k) {
  ScoreDefinition definition;
  definition.last_k = last_k;
  if (name == "final") {
    definition.kind = ScoreKind::final;
  } else if (name == "last-k") {
    if (last_k == 0) throw std::invalid_argument("score last-k: k must be at least 1");
    definition.kind = ScoreKind::last_k;
  } else if (name == "auc") {
    definition.kind = ScoreKind::auc;
  } else if (name == "max") {
    definition.kind = ScoreKind::max;
  } else {
    throw std::invalid_argument("unknown score '" + std::string(name) +
                                "': accepted scores are final, last-k, auc, max");
  }
  return definition;
}

std::string ScoreDefinition::name() const {
  switch (kind) {
    case ScoreKind::final: return "final";
    case ScoreKind::last_k: return "last-" + std::to_string(last_k);
    case ScoreKind::auc: return "auc";
    case ScoreKind::max: return "max";
  }
  return {};
}

std::string ScoreDefinition::description() const {
  switch (kind) {
    case ScoreKind::final:
      return "mean return of the evaluation episodes at the last evaluation";
    case ScoreKind::last_k:
      return "mean evaluation return over the last " + std::to_string(last_k) + " evaluations";
    case ScoreKind::auc:
      return "mean evaluation return over all evaluations (area under the learning curve)";
    case ScoreKind::max:
      return "best evaluation return over training (biased upward: a maximum over noisy "
             "evaluations)";
  }
  return {};
}

double run_score(std::span<const double> evaluation_returns, const ScoreDefinition& definition) {
  if (evaluation_returns.empty()) return std::numeric_limits<double>::quiet_NaN();
  switch (definition.kind) {
    case ScoreKind::final:
      return evaluation_returns.back();
    case ScoreKind::last_k:
      return mean(evaluation_returns.last(std::min(definition.last_k, evaluation_returns.size())));
    case ScoreKind::auc:
      return mean(evaluation_returns);
    case ScoreKind::max:
      // A NaN evaluation makes the run's maximum unknown, as it makes its mean unknown.
      if (std::any_of(evaluation_returns.begin(), evaluation_returns.end(),
                      [](double v) { return std::isnan(v); }))
        return std::numeric_limits<double>::quiet_NaN();
      return *std::max_element(evaluation_returns.begin(), evaluation_returns.end());
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace pgbench::stats
