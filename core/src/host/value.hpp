// Parameter values on the host side: typed, validated against a plugin's declarations, and
// convertible to the ABI's pgb_config_t and to JSON for the manifest.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <pgbench/abi.h>

namespace pgbench {

using Value = std::variant<bool, std::int64_t, double, std::string>;

// A fully resolved configuration, in declaration order.
using ResolvedConfig = std::vector<std::pair<std::string, Value>>;

// A user's overrides before validation: key -> the value as written (in a suite file or `--set`).
// Plain text on purpose: values are typed only against a declaration, at resolution.
using Overrides = std::map<std::string, std::string>;

// A boolean as YAML writes it (true/false, yes/no, on/off); nullopt if it is none of those.
std::optional<bool> parse_bool(const std::string& text);

// Resolves `overrides` against `params`: every declared key, overridden or defaulted, checked for
// type, bounds and choices. `what` names the owner in messages ("algorithm 'ppo'"). Throws
// std::invalid_argument naming the key, with a "did you mean" for near-misses and the accepted keys.
ResolvedConfig resolve_config(const std::string& what, const pgb_param_desc_t* const* params,
                              std::uint32_t param_count, const Overrides& overrides);

std::string to_string(const Value& value);
nlohmann::json to_json(const ResolvedConfig& config);
std::string value_type_name(pgb_value_type type);

// Owns a pgb_config_t view of a ResolvedConfig (strings stay where the ResolvedConfig keeps them).
class CConfig {
 public:
  explicit CConfig(const ResolvedConfig& config);
  CConfig(const CConfig&) = delete;
  CConfig& operator=(const CConfig&) = delete;
  const pgb_config_t* get() const noexcept { return &config_; }

 private:
  std::vector<pgb_kv_t> items_;
  pgb_config_t config_{};
};

// The closest of `candidates` to `word` by edit distance, or "" if none is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// "key 'x' ... (did you mean 'y'?); accepted: a, b, c"
std::string unknown_name_message(const std::string& kind, const std::string& name,
                                 const std::vector<std::string>& accepted);

}  // namespace pgbench
