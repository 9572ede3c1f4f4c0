// `pgbench new algorithm|env NAME [DIR]`: a plugin project to start from, written from the
// templates in examples/algorithm-template and examples/environment-template (compiled into the
// binary, so that an installed pgbench has them) under the user's name.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pgbench::cli {

struct TemplateFile {
  const char* path;  // relative to the project folder
  const char* text;
};
// Generated from the example folders at configure time (project_templates.cpp).
extern const std::vector<TemplateFile> kAlgorithmTemplate;
extern const std::vector<TemplateFile> kEnvironmentTemplate;

enum class ProjectKind { Algorithm, Environment };

// Writes the template of `kind` as a project named `name` into `dir`, which must not exist or
// be empty; returns the files written. An algorithm's name is what users type in suites
// (lower case: [a-z][a-z0-9_]*), an environment's is Gymnasium-style (CamelCase-vN). Throws
// std::invalid_argument naming what is wrong and what is accepted.
std::vector<std::filesystem::path> write_new_project(ProjectKind kind, const std::string& name,
                                                     const std::filesystem::path& dir);

}  // namespace pgbench::cli
