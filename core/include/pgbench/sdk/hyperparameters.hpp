// pgbench/sdk/hyperparameters.hpp -- each hyperparameter declared once.
//
// An algorithm keeps its settings in a plain struct whose member initialisers are the defaults,
// and lists each setting once in a table: the key users write, the field it sets, what it means
// and its bounds. The table is both the declaration the host validates against (registration)
// and the reader that fills the struct from an instance's configuration, so a key cannot be
// declared under one spelling and read under another, and a field cannot be forgotten by one.
//
//   struct Options {
//     double learning_rate = 3e-4;
//     std::int64_t steps_per_batch = 2048;
//     Baseline baseline = Baseline::value;
//   };
//   inline const pgb::Hyperparameters<Options> kHyperparameters{
//       {"learning_rate", &Options::learning_rate, "Adam step size", 0.0, 1.0},
//       {"steps_per_batch", &Options::steps_per_batch, "env steps per update, all sub-envs", 1, 1e9},
//       {"baseline", &Options::baseline, "b(s)", {{"mean", Baseline::mean}, {"value", Baseline::value}}},
//   };
//   PGB_REGISTER_ALGORITHM(Vpg, "org.example.vpg/1").name("vpg").params(kHyperparameters);
//   ...  const Options options = kHyperparameters.read(context.hyperparameters);
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "pgbench/abi.h"
#include "pgbench/sdk/config.hpp"

namespace pgb {

// A bound that is not there: min or max of a number without a limit on that side.
inline constexpr double kUnbounded = std::numeric_limits<double>::quiet_NaN();

template <class Options>
class Hyperparameters {
 public:
  // One hyperparameter: its declaration (pgb_param_desc_t) and how it is read into its field.
  class Entry {
   public:
    // A number in [min, max]: a double field is a FLOAT parameter, an integer field an INT one.
    // The field may belong to a base of Options: settings that several algorithms share (an SDK
    // module's settings struct) are declared once, by that module, for all of them.
    template <class T, class Owner>
      requires(std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && std::is_base_of_v<Owner, Options>)
    Entry(const char* key, T Owner::*owner_field, const char* help, double min = kUnbounded, double max = kUnbounded)
        : key_(key), help_(help), min_(min), max_(max) {
      T Options::*const field = owner_field;
      const T initial = Options{}.*field;
      if constexpr (std::is_floating_point_v<T>) {
        default_.type = PGB_VALUE_FLOAT;
        default_.as.f = static_cast<double>(initial);
        read_ = [field, k = key_](Options& o, const Config& c) { o.*field = static_cast<T>(c.get_double(k)); };
      } else {
        default_.type = PGB_VALUE_INT;
        default_.as.i = static_cast<std::int64_t>(initial);
        read_ = [field, k = key_](Options& o, const Config& c) { o.*field = static_cast<T>(c.get_int(k)); };
      }
    }
    // A switch.
    template <class Owner>
      requires std::is_base_of_v<Owner, Options>
    Entry(const char* key, bool Owner::*owner_field, const char* help) : key_(key), help_(help) {
      bool Options::*const field = owner_field;
      default_.type = PGB_VALUE_BOOL;
      default_.as.i = (Options{}.*field) ? 1 : 0;
      read_ = [field, k = key_](Options& o, const Config& c) { o.*field = c.get_bool(k); };
    }
    // A string, free or (`choices` "a|b|c") one of a list.
    template <class Owner>
      requires std::is_base_of_v<Owner, Options>
    Entry(const char* key, std::string Owner::*owner_field, const char* help, const char* choices = "")
        : key_(key), help_(help), choices_(choices), string_default_(Options{}.*owner_field) {
      std::string Options::*const field = owner_field;
      default_.type = PGB_VALUE_STRING;
      read_ = [field, k = key_](Options& o, const Config& c) { o.*field = c.get_string(k); };
    }
    // One of named choices, held in an enum field: users write the names.
    template <class E>
      requires std::is_enum_v<E>
    Entry(const char* key, E Options::*field, const char* help, std::initializer_list<std::pair<const char*, E>> names)
        : key_(key), help_(help) {
      const E initial = Options{}.*field;
      std::vector<std::pair<std::string, E>> table;
      for (const auto& [name, value] : names) {
        if (!choices_.empty()) choices_ += '|';
        choices_ += name;
        if (value == initial) string_default_ = name;
        table.emplace_back(name, value);
      }
      default_.type = PGB_VALUE_STRING;
      read_ = [field, table, k = key_](Options& o, const Config& c) {
        for (const auto& [name, value] : table)
          if (c.get_string(k) == name) o.*field = value;
      };
    }

    const std::string& key() const noexcept { return key_; }
    const std::string& help() const noexcept { return help_; }
    // The default as a C value; a string default points into this entry.
    pgb_value_t default_value() const noexcept {
      pgb_value_t v = default_;
      if (v.type == PGB_VALUE_STRING) v.as.s = string_default_.c_str();
      return v;
    }
    double min() const noexcept { return min_; }
    double max() const noexcept { return max_; }
    const std::string& choices() const noexcept { return choices_; }
    void read(Options& options, const Config& config) const { read_(options, config); }

   private:
    std::string key_, help_, choices_, string_default_;
    pgb_value_t default_{};
    double min_ = kUnbounded, max_ = kUnbounded;
    std::function<void(Options&, const Config&)> read_;
  };

  Hyperparameters(std::initializer_list<Entry> entries) : entries_(entries) {}
  // The settings SDK modules declare for every algorithm built on them (`shared`, e.g.
  // {learn::off_policy_hyperparameters<Options>()}), then the algorithm's own:
  //   const Hyperparameters<Options> kHyperparameters({learn::off_policy_hyperparameters<Options>()},
  //                                                   {{"policy_delay", &Options::policy_delay, ...}});
  Hyperparameters(std::initializer_list<std::vector<Entry>> shared, std::initializer_list<Entry> own) {
    for (const auto& entries : shared) entries_.insert(entries_.end(), entries.begin(), entries.end());
    entries_.insert(entries_.end(), own.begin(), own.end());
  }

  // The settings of one instance: every field from `config` (which the SDK resolved against
  // this table's declarations, defaults filled in).
  Options read(const Config& config) const {
    Options options;
    for (const Entry& e : entries_) e.read(options, config);
    return options;
  }

  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace pgb
