// The original system's videos in the S3 service (ports::LegacyObjects): HEAD in their bucket,
// server-side copy into this system's bucket. One client per legacy bucket, made on first use
// with this system's endpoint and credentials (which must be able to read that bucket).
#pragma once

#include <map>
#include <mutex>

#include "adapters/s3/client.hpp"
#include "ports/legacy_import.hpp"

namespace ascension::s3 {

class LegacyObjects final : public ports::LegacyObjects {
 public:
  // `ours`: the configuration of this system's bucket.
  explicit LegacyObjects(Config ours) : config_(std::move(ours)) {}

  Result<std::uint64_t> Size(const std::string& bucket, const std::string& key) const override;
  Result<bool> Exists(const std::string& key) const override;
  Status CopyIn(const std::string& bucket, const std::string& key,
                const std::string& to_key) const override;

 private:
  Result<const Client*> ClientFor(const std::string& bucket) const;
  Config config_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Client> clients_;
};

}  // namespace ascension::s3
