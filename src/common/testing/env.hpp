// For the configuration tests (common, api, worker): the process environment reset to none of the
// settings table's variables (nor their aliases) but the required common ones, with valid values,
// plus the test's own. Each test starts from it, so no test sees what another one set.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <string>
#include <utility>

#include "common/settings.hpp"

namespace ascension::testenv {

inline void MinimalSettingsEnv(
    std::initializer_list<std::pair<const char*, std::string>> extra = {}) {
  for (const SettingSpec& s : AllSettings()) {
    unsetenv(std::string(s.name).c_str());
    if (!s.alias.empty()) unsetenv(std::string(s.alias).c_str());
  }
  setenv("DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/db", 1);
  setenv("RABBITMQ_URL", "amqp://u:p@127.0.0.1:5672/%2F", 1);
  setenv("MINIO_ENDPOINT", "http://127.0.0.1:7480", 1);
  setenv("MINIO_BUCKET", "ascension", 1);
  setenv("MINIO_ROOT_USER", "ak", 1);
  setenv("MINIO_ROOT_PASSWORD", "sk", 1);
  for (const auto& [name, value] : extra) setenv(name, value.c_str(), 1);
}

}  // namespace ascension::testenv
