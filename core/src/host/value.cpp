#include "host/value.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace pgbench {

namespace {

std::string bounds_text(const pgb_param_desc_t& p) {
  const auto side = [](double x, const char* inf) { return std::isnan(x) ? std::string(inf) : fmt::format("{:g}", x); };
  return fmt::format("[{}, {}]", side(p.min, "-inf"), side(p.max, "+inf"));
}

std::vector<std::string> split_choices(const char* choices) {
  std::vector<std::string> out;
  if (!choices) return out;
  std::stringstream ss(choices);
  for (std::string item; std::getline(ss, item, '|');) out.push_back(item);
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

std::optional<double> parse_number(const std::string& text) {
  double x = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, x);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return x;
}

Value parse_value(const std::string& what, const pgb_param_desc_t& p, const std::string& text) {
  const std::string where = fmt::format("{}: parameter '{}'", what, p.key);
  switch (p.default_value.type) {
    case PGB_VALUE_BOOL: {
      const auto b = parse_bool(text);
      if (!b) throw std::invalid_argument(fmt::format("{} must be true or false, got '{}'", where, text));
      return *b;
    }
    case PGB_VALUE_INT: {
      const auto x = parse_number(text);
      if (!x || !std::isfinite(*x) || std::floor(*x) != *x)
        throw std::invalid_argument(fmt::format("{} must be an integer in {}, got '{}'", where, bounds_text(p), text));
      if ((!std::isnan(p.min) && *x < p.min) || (!std::isnan(p.max) && *x > p.max))
        throw std::invalid_argument(fmt::format("{} = {} is out of range {}", where, text, bounds_text(p)));
      return static_cast<std::int64_t>(*x);
    }
    case PGB_VALUE_FLOAT: {
      const auto x = parse_number(text);
      if (!x || !std::isfinite(*x))
        throw std::invalid_argument(fmt::format("{} must be a finite number in {}, got '{}'", where, bounds_text(p), text));
      if ((!std::isnan(p.min) && *x < p.min) || (!std::isnan(p.max) && *x > p.max))
        throw std::invalid_argument(fmt::format("{} = {} is out of range {}", where, text, bounds_text(p)));
      return *x;
    }
    case PGB_VALUE_STRING: {
      const auto choices = split_choices(p.choices);
      if (!choices.empty() && std::find(choices.begin(), choices.end(), text) == choices.end()) {
        const std::string guess = closest_match(text, choices);
        throw std::invalid_argument(fmt::format("{} = '{}' is not accepted{}; accepted: {}", where, text,
                                                guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                                                join(choices)));
      }
      return text;
    }
    default:
      throw std::invalid_argument(fmt::format("{} has an unknown declared type {}", where, p.default_value.type));
  }
}

Value default_of(const pgb_param_desc_t& p) {
  switch (p.default_value.type) {
    case PGB_VALUE_BOOL: return p.default_value.as.i != 0;
    case PGB_VALUE_INT: return p.default_value.as.i;
    case PGB_VALUE_FLOAT: return p.default_value.as.f;
    default: return std::string(p.default_value.as.s ? p.default_value.as.s : "");
  }
}

}  // namespace

std::optional<bool> parse_bool(const std::string& text) {
  bool b = false;
  if (!YAML::convert<bool>::decode(YAML::Node(text), b)) return std::nullopt;
  return b;
}

std::string value_type_name(pgb_value_type type) {
  switch (type) {
    case PGB_VALUE_BOOL: return "bool";
    case PGB_VALUE_INT: return "int";
    case PGB_VALUE_FLOAT: return "float";
    case PGB_VALUE_STRING: return "string";
    default: return "unknown";
  }
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  // Levenshtein distance, case-insensitive; a candidate is "close" within a third of the word.
  const auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  const std::string a = lower(word);
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, a.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::string b = lower(candidate);
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    if (row[b.size()] < best_distance) {
      best_distance = row[b.size()];
      best = candidate;
    }
  }
  return best;
}

std::string unknown_name_message(const std::string& kind, const std::string& name,
                                 const std::vector<std::string>& accepted) {
  const std::string guess = closest_match(name, accepted);
  return fmt::format("unknown {} '{}'{}; accepted: {}", kind, name,
                     guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess), join(accepted));
}

ResolvedConfig resolve_config(const std::string& what, const pgb_param_desc_t* const* params,
                              std::uint32_t param_count, const Overrides& overrides) {
  std::vector<std::string> keys;
  for (std::uint32_t i = 0; i < param_count; ++i) keys.emplace_back(params[i]->key);
  for (const auto& [key, node] : overrides)
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw std::invalid_argument(what + ": " + unknown_name_message("parameter", key, keys));
  ResolvedConfig config;
  for (std::uint32_t i = 0; i < param_count; ++i) {
    const pgb_param_desc_t& p = *params[i];
    auto it = overrides.find(p.key);
    config.emplace_back(p.key, it == overrides.end() ? default_of(p) : parse_value(what, p, it->second));
  }
  return config;
}

std::string to_string(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return v;
        else if constexpr (std::is_same_v<T, double>) return fmt::format("{}", v);
        else return std::to_string(v);
      },
      value);
}

nlohmann::json to_json(const ResolvedConfig& config) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, value] : config) std::visit([&, &k = key](const auto& v) { j[k] = v; }, value);
  return j;
}

CConfig::CConfig(const ResolvedConfig& config) {
  items_.reserve(config.size());
  for (const auto& [key, value] : config) {
    pgb_kv_t kv{};
    kv.key = key.c_str();
    std::visit(
        [&kv](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) {
            kv.value.type = PGB_VALUE_BOOL;
            kv.value.as.i = v ? 1 : 0;
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            kv.value.type = PGB_VALUE_INT;
            kv.value.as.i = v;
          } else if constexpr (std::is_same_v<T, double>) {
            kv.value.type = PGB_VALUE_FLOAT;
            kv.value.as.f = v;
          } else {
            kv.value.type = PGB_VALUE_STRING;
            kv.value.as.s = v.c_str();
          }
        },
        value);
    items_.push_back(kv);
  }
  config_.struct_size = sizeof(pgb_config_t);
  config_.count = static_cast<std::uint32_t>(items_.size());
  config_.items = items_.data();
}

}  // namespace pgbench
