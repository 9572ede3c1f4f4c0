#include "reference_values.hpp"

#include <fstream>
#include <stdexcept>

namespace pgbench::stats::testing {

const nlohmann::json& reference_values() {
  static const nlohmann::json values = [] {
    const char* path = PGBENCH_STATS_FIXTURES "/reference_values.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string("cannot open ") + path);
    return nlohmann::json::parse(in);
  }();
  return values;
}

}  // namespace pgbench::stats::testing
