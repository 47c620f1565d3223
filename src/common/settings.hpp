// Every setting of the Ascension processes in one table: name, type, default, meaning and which
// processes read it. The per-process readers (api/config.cpp, worker/config.cpp, the admin tool)
// read settings only through EnvReader by name, which takes the default and the bounds from here;
// a unit test checks that .env.example and the README's configuration table list exactly these
// names.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ascension {

enum class SettingType {
  kString,  // free text (a path, a name)
  kUrl,     // a URL; the reader checks its scheme
  kSecret,  // a credential: never logged
  kInt,     // an integer in [min, max]
  kBool,    // true|false|1|0|yes|no|on|off
  kList,    // comma-separated, spaces trimmed, empty entries dropped
  kChoice,  // one of `choices` ("lite|full|heavy")
};

// Which processes read a setting (a bit mask).
enum SettingProcess : unsigned {
  kApiProcess = 1,
  kWorkerProcess = 2,
  kAdminProcess = 4,
  kAnalyzeProcess = 8,  // the offline tools: ascension-analyze, ascension-holds
};

struct SettingSpec {
  std::string_view name;
  SettingType type = SettingType::kString;
  bool required = false;
  std::string_view default_value;  // as text; "" = no value (or computed: see default_note)
  std::int64_t min = 0;            // kInt
  std::int64_t max = 0;            // kInt
  std::string_view choices;        // kChoice: "a|b|c"
  std::string_view meaning;
  unsigned processes = 0;
  std::string_view alias;         // an older name read when this one is unset (RUST_LOG)
  std::string_view default_note;  // when the default is computed ("one per core")
};

// The whole table, in the order of .env.example.
std::span<const SettingSpec> AllSettings();
// The entry for `name`; nullptr when it is not a setting.
const SettingSpec* FindSetting(std::string_view name);

}  // namespace ascension
