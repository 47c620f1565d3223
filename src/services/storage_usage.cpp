#include "services/storage_usage.hpp"

namespace ascension::services {

Result<std::vector<PrefixUsage>> MeasureStorage(const ports::ObjectStore& objects,
                                                std::span<const std::string> prefixes,
                                                int max_pages) {
  std::vector<PrefixUsage> out;
  for (const auto& prefix : prefixes) {
    PrefixUsage u;
    u.prefix = prefix;
    std::string token;
    int pages = 0;
    do {
      if (++pages > max_pages) {
        return Status(ErrorKind::kResourceExhausted, "more than " + std::to_string(max_pages) +
                                                         " pages of objects under " + prefix);
      }
      auto page = objects.List(prefix, token);
      if (!page.ok()) return page.status();
      for (const auto& o : page->objects) {
        ++u.objects;
        u.bytes += o.size;
      }
      if (!page->next_token.empty() && page->next_token == token) {
        return Status(ErrorKind::kDataLoss,
                      "the store returned the same page token twice for " + prefix);
      }
      token = page->next_token;
    } while (!token.empty());
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace ascension::services
