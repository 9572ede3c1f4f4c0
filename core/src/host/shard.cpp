#include "host/shard.hpp"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace pgbench {

ShardSpec parse_shard(const std::string& text) {
  const auto bad = [&] {
    return std::invalid_argument(fmt::format(
        "--shard: expected K/N with 1 <= K <= N (shard K of N, e.g. --shard 2/8), got '{}'", text));
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw bad();
  ShardSpec s;
  try {
    std::size_t used_k = 0, used_n = 0;
    const long k = std::stol(text.substr(0, slash), &used_k);
    const long n = std::stol(text.substr(slash + 1), &used_n);
    if (used_k != slash || used_n != text.size() - slash - 1 || n < 1 || k < 1 || k > n || n > 100000) throw bad();
    s.index = static_cast<unsigned>(k);
    s.count = static_cast<unsigned>(n);
  } catch (const std::logic_error&) {
    throw bad();
  }
  return s;
}

CostTable CostTable::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument(fmt::format("--costs {}: cannot be read", file.string()));
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  const auto bad = [&](const std::string& what) {
    return std::invalid_argument(fmt::format("--costs {}: {} (write one with pgbench --suite NAME --dry-run "
                                             "--write-costs FILE)", file.string(), what));
  };
  if (j.is_discarded() || !j.is_object()) throw bad("not valid JSON");
  if (j.value("format", "") != "pgbench-costs/1") throw bad("not a pgbench cost table (format pgbench-costs/1)");
  CostTable table;
  for (const auto& pair : j.value("pairs", nlohmann::json::array())) {
    const double rate = pair.value("train_steps_per_s", 0.0), eval = pair.value("seconds_per_eval", -1.0);
    if (!(rate > 0) || !(eval >= 0) || !pair.contains("task") || !pair.contains("algorithm"))
      throw bad("each pair needs task, algorithm, train_steps_per_s > 0 and seconds_per_eval >= 0");
    table.set(pair["task"].get<std::string>(), pair["algorithm"].get<std::string>(), {rate, eval});
  }
  if (!table.calibrated()) throw bad("it has no pairs");
  table.source_ = fmt::format("calibrated on {} ({})", j.value("cpu", "an unnamed CPU"), file.filename().string());
  return table;
}

void CostTable::set(const std::string& task, const std::string& algorithm, PairCost cost) {
  pairs_[{task, algorithm}] = cost;
}

nlohmann::json CostTable::to_json(const std::string& cpu) const {
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& [key, cost] : pairs_)
    pairs.push_back({{"task", key.first},
                     {"algorithm", key.second},
                     {"train_steps_per_s", cost.train_steps_per_s},
                     {"seconds_per_eval", cost.seconds_per_eval}});
  return {{"format", "pgbench-costs/1"}, {"cpu", cpu}, {"pairs", pairs}};
}

double CostTable::cell_cost(const CellSpec& cell) const {
  const TaskSpec& task = *cell.task;
  const auto it = pairs_.find({task.name, cell.algo->name});
  if (it == pairs_.end()) {
    if (calibrated())
      throw std::invalid_argument(fmt::format("the cost table ({}) has no entry for {} x {}; calibrate this grid with "
                                              "--dry-run --write-costs FILE", source_, task.name, cell.algo->name));
    return static_cast<double>(task.steps);
  }
  const double evaluations = static_cast<double>(task.steps / task.eval_every) + 2;
  return static_cast<double>(task.steps) / it->second.train_steps_per_s + evaluations * it->second.seconds_per_eval;
}

Partition partition_cells(const ResolvedSuite& suite, unsigned count, const CostTable& costs) {
  std::vector<double> cost(suite.cells.size());
  for (std::size_t i = 0; i < cost.size(); ++i) cost[i] = costs.cell_cost(suite.cells[i]);
  std::vector<std::size_t> order(cost.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  Partition p{std::vector<std::vector<std::size_t>>(count), std::vector<double>(count, 0.0)};
  for (std::size_t i : order) {
    const auto lightest = static_cast<std::size_t>(std::min_element(p.cost.begin(), p.cost.end()) - p.cost.begin());
    p.cells[lightest].push_back(i);
    p.cost[lightest] += cost[i];
  }
  for (auto& s : p.cells) std::sort(s.begin(), s.end());
  return p;
}

}  // namespace pgbench
