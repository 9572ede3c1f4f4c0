// pgbench/sdk/config.hpp -- typed access to an instance's parameters.
//
// The host validates user input against the declared parameters before create() and passes the
// fully resolved set; Config checks it once more (a plugin may be driven by another host), fills
// any missing key from its declared default, and then answers typed lookups.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pgbench/abi.h"
#include "pgbench/sdk/errors.hpp"

namespace pgb {

class Config {
 public:
  Config() = default;

  // Resolves `given` (may be NULL) against the declarations `params` (param_count entries).
  // Throws InvalidArgument naming the key and what is accepted on any unknown key, wrong type or
  // out-of-range value.
  Config(const pgb_config_t* given, const pgb_param_desc_t* const* params, std::uint32_t param_count) {
    for (std::uint32_t i = 0; i < param_count; ++i) {
      const pgb_param_desc_t& p = *params[i];
      values_[p.key] = Value::from_c(p.default_value);
    }
    if (!given) return;
    for (std::uint32_t i = 0; i < given->count; ++i) {
      const pgb_kv_t& kv = given->items[i];
      const pgb_param_desc_t* decl = nullptr;
      for (std::uint32_t j = 0; j < param_count && !decl; ++j)
        if (std::string_view(params[j]->key) == kv.key) decl = params[j];
      if (!decl) throw InvalidArgument("unknown parameter '" + std::string(kv.key) + "'; accepted: " + keys(params, param_count));
      values_[decl->key] = checked(*decl, kv.value);
    }
  }

  double get_double(const std::string& key) const {
    const Value& v = at(key);
    if (v.type == PGB_VALUE_FLOAT) return v.f;
    if (v.type == PGB_VALUE_INT) return static_cast<double>(v.i);
    throw InvalidArgument("parameter '" + key + "' is not a number");
  }
  std::int64_t get_int(const std::string& key) const {
    const Value& v = at(key);
    if (v.type != PGB_VALUE_INT) throw InvalidArgument("parameter '" + key + "' is not an integer");
    return v.i;
  }
  bool get_bool(const std::string& key) const {
    const Value& v = at(key);
    if (v.type != PGB_VALUE_BOOL) throw InvalidArgument("parameter '" + key + "' is not a boolean");
    return v.i != 0;
  }
  const std::string& get_string(const std::string& key) const {
    const Value& v = at(key);
    if (v.type != PGB_VALUE_STRING) throw InvalidArgument("parameter '" + key + "' is not a string");
    return v.s;
  }

 private:
  struct Value {
    pgb_value_type type = PGB_VALUE_FLOAT;
    std::int64_t i = 0;
    double f = 0.0;
    std::string s;
    static Value from_c(const pgb_value_t& c) {
      Value v;
      v.type = c.type;
      if (c.type == PGB_VALUE_FLOAT) v.f = c.as.f;
      else if (c.type == PGB_VALUE_STRING) v.s = c.as.s ? c.as.s : "";
      else v.i = c.as.i;
      return v;
    }
  };

  static std::string keys(const pgb_param_desc_t* const* params, std::uint32_t count) {
    std::string out;
    for (std::uint32_t i = 0; i < count; ++i) out += (i ? ", " : "") + std::string(params[i]->key);
    return count ? out : "(none)";
  }

  static Value checked(const pgb_param_desc_t& decl, const pgb_value_t& given) {
    const std::string key = decl.key;
    const pgb_value_type want = decl.default_value.type;
    Value v = Value::from_c(given);
    if (want == PGB_VALUE_FLOAT && v.type == PGB_VALUE_INT) {  // 3 is a fine value for a float
      v.type = PGB_VALUE_FLOAT;
      v.f = static_cast<double>(v.i);
    }
    if (v.type != want) throw InvalidArgument("parameter '" + key + "' has the wrong type; expected " + type_name(want));
    if (want == PGB_VALUE_FLOAT || want == PGB_VALUE_INT) {
      const double x = want == PGB_VALUE_FLOAT ? v.f : static_cast<double>(v.i);
      if (!std::isfinite(x) || (!std::isnan(decl.min) && x < decl.min) || (!std::isnan(decl.max) && x > decl.max))
        throw InvalidArgument("parameter '" + key + "' = " + std::to_string(x) + " is out of range [" +
                              std::to_string(decl.min) + ", " + std::to_string(decl.max) + "]");
    }
    if (want == PGB_VALUE_STRING && decl.choices) {
      const std::string choices = decl.choices;
      bool ok = false;
      for (std::size_t b = 0, e; b <= choices.size() && !ok; b = e + 1) {
        e = choices.find('|', b);
        if (e == std::string::npos) e = choices.size();
        ok = choices.compare(b, e - b, v.s) == 0;
      }
      if (!ok) throw InvalidArgument("parameter '" + key + "' = '" + v.s + "' is not one of " + choices);
    }
    return v;
  }

  static std::string type_name(pgb_value_type t) {
    switch (t) {
      case PGB_VALUE_BOOL: return "a boolean";
      case PGB_VALUE_INT: return "an integer";
      case PGB_VALUE_FLOAT: return "a number";
      default: return "a string";
    }
  }

  const Value& at(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw InvalidArgument("parameter '" + key + "' was not declared");
    return it->second;
  }

  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace pgb
