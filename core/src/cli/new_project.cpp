#include "cli/new_project.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

namespace pgbench::cli {

namespace fs = std::filesystem;

namespace {

// The spellings of a name the templates use, and what they become.
struct Spelling {
  std::string from, to;
};

// "my_algo" -> "MyAlgo"; "PointMass" stays.
std::string camel_case(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// "PointMass" -> "point_mass" (separator '_') or "point-mass" ('-').
std::string words_lower(const std::string& camel, char separator) {
  std::string out;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const auto c = static_cast<unsigned char>(camel[i]);
    if (std::isupper(c) && i > 0) out += separator;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// Longest spelling first, so that "PointMass-v0" is replaced before "PointMass".
std::string respell(std::string text, const std::vector<Spelling>& spellings) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const Spelling& s : spellings)
      if (text.compare(i, s.from.size(), s.from) == 0) {
        out += s.to;
        i += s.from.size();
        replaced = true;
        break;
      }
    if (!replaced) out += text[i++];
  }
  return out;
}

}  // namespace

std::vector<fs::path> write_new_project(ProjectKind kind, const std::string& name, const fs::path& dir) {
  std::vector<Spelling> spellings;
  const std::vector<TemplateFile>* files = nullptr;
  if (kind == ProjectKind::Algorithm) {
    if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]{0,39}")))
      throw std::invalid_argument(fmt::format(
          "new algorithm: '{}' is not an algorithm name; use lower case letters, digits and '_', starting with a "
          "letter (e.g. my_vpg)",
          name));
    spellings = {{"vpg", name}, {"Vpg", camel_case(name)}};
    files = &kAlgorithmTemplate;
  } else {
    std::smatch m;
    if (!std::regex_match(name, m, std::regex("([A-Z][A-Za-z0-9]{0,39})-v([0-9]+)")))
      throw std::invalid_argument(fmt::format(
          "new env: '{}' is not an environment name; use Gymnasium's form, CamelCase then -v and a version "
          "(e.g. MyTask-v0)",
          name));
    const std::string camel = m[1];
    spellings = {{"PointMass-v0", name},
                 {"PointMass", camel},
                 {"point_mass", words_lower(camel, '_')},
                 {"point-mass", words_lower(camel, '-')}};
    files = &kEnvironmentTemplate;
  }
  if (fs::exists(dir) && !(fs::is_directory(dir) && fs::is_empty(dir)))
    throw std::invalid_argument(fmt::format("new: {} already exists and is not an empty folder; nothing was written "
                                            "(give another folder as the last argument)",
                                            dir.string()));
  fs::create_directories(dir);
  std::vector<fs::path> written;
  for (const TemplateFile& f : *files) {
    const fs::path path = dir / respell(f.path, spellings);
    std::ofstream out(path, std::ios::binary);
    out << respell(f.text, spellings);
    if (!out) throw std::runtime_error("new: could not write " + path.string());
    written.push_back(path);
  }
  return written;
}

}  // namespace pgbench::cli
