// The object-store port (ports/object_store.hpp) over the S3 client.
#pragma once

#include "adapters/s3/client.hpp"
#include "ports/object_store.hpp"

namespace ascension::s3 {

class S3ObjectStore final : public ports::ObjectStore {
 public:
  // `client` must outlive this object.
  explicit S3ObjectStore(const Client& client) : client_(client) {}

  Result<ports::SignedUrl> PresignPut(std::string_view key, std::string_view content_type,
                                      std::optional<std::uint64_t> content_length,
                                      std::chrono::seconds ttl, domain::Time now) const override;
  Result<ports::SignedUrl> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                      domain::Time now) const override;
  Result<ports::StoredObject> Head(std::string_view key) const override;
  Status Copy(std::string_view from_key, std::string_view to_key) const override;
  Status Delete(std::string_view key) const override;
  Result<std::vector<std::string>> DeleteMany(std::span<const std::string> keys) const override;
  Result<ports::ObjectListing> List(std::string_view prefix, std::string_view token) const override;
  Status Download(std::string_view key, const std::filesystem::path& path,
                  const ports::DownloadCondition& condition) const override;
  Status Upload(std::string_view key, const std::filesystem::path& path,
                std::string_view content_type) const override;
  Status Ping() const override;

 private:
  const Client& client_;
};

}  // namespace ascension::s3
