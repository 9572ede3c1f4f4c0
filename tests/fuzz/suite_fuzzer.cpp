// Fuzz target: the suite parser. Any text must give a Suite or a std::invalid_argument naming
// what is wrong; never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "host/suite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    pgbench::Suite suite = pgbench::parse_suite(text, "fuzz.yaml");
    // What a resolved run reads next: the task limits, with their units.
    for (const auto& task : suite.tasks) {
      if (auto it = task.settings.find("cell_time_limit"); it != task.settings.end())
        pgbench::parse_duration("cell_time_limit", it->second);
      if (auto it = task.settings.find("cell_memory_limit"); it != task.settings.end())
        pgbench::parse_byte_size("cell_memory_limit", it->second);
    }
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
