#include "adapters/s3/legacy_objects.hpp"

namespace ascension::s3 {

Result<const Client*> LegacyObjects::ClientFor(const std::string& bucket) const {
  std::lock_guard l(mu_);
  auto it = clients_.find(bucket);
  if (it == clients_.end()) {
    Config c = config_;
    c.bucket = bucket;
    auto client = Client::Create(c);
    if (!client.ok()) return client.status();
    it = clients_.emplace(bucket, std::move(client).value()).first;
  }
  return &it->second;
}

Result<std::uint64_t> LegacyObjects::Size(const std::string& bucket, const std::string& key) const {
  auto client = ClientFor(bucket);
  if (!client.ok()) return client.status();
  auto head = (*client)->HeadObject(key);
  if (!head.ok()) return head.status();
  return head->size;
}

Result<bool> LegacyObjects::Exists(const std::string& key) const {
  auto client = ClientFor(config_.bucket);
  if (!client.ok()) return client.status();
  auto head = (*client)->HeadObject(key);
  if (head.ok()) return true;
  if (head.status().kind() == ErrorKind::kNotFound) return false;
  return head.status();
}

Status LegacyObjects::CopyIn(const std::string& bucket, const std::string& key,
                             const std::string& to_key) const {
  auto client = ClientFor(config_.bucket);
  if (!client.ok()) return client.status();
  return (*client)->CopyObjectFrom(bucket, key, to_key);
}

}  // namespace ascension::s3
