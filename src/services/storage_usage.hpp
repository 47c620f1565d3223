// Bytes and objects stored under each prefix of the bucket (uploads/, saved/, routes/), for the
// storage metrics. Measured by listing the prefixes (pages of up to 1000 keys), which costs one
// request per page: the API does it in a background loop every STORAGE_USAGE_INTERVAL_SECONDS and
// /metrics serves the last figures, so a scrape never lists the bucket.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ports/object_store.hpp"

namespace ascension::services {

struct PrefixUsage {
  std::string prefix;  // "uploads/"
  std::uint64_t objects = 0;
  std::uint64_t bytes = 0;
};

// Every object under each prefix, at most `max_pages` pages per prefix (a bound on one pass;
// kResourceExhausted when a prefix has more).
Result<std::vector<PrefixUsage>> MeasureStorage(const ports::ObjectStore& objects,
                                                std::span<const std::string> prefixes,
                                                int max_pages = 100000);

}  // namespace ascension::services
