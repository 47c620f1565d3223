// One page of a listing: `page` counts from 1, `per_page` items each.
#pragma once

#include <cstdint>
#include <vector>

namespace ascension::domain {

struct Page {
  int page = 1;
  int per_page = 20;
  int offset() const { return (page - 1) * per_page; }
};

template <typename T>
struct PageOf {
  std::vector<T> items;
  std::int64_t total = 0;  // items over all pages
};

}  // namespace ascension::domain
