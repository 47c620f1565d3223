// The storage metrics counted where the services meet the store: decorators of the object store
// (presigned upload and download URLs issued, by key prefix) and of the video rows (an upload seen
// for the first time: awaiting_upload -> uploaded, at POST /v1/analyses). The services stay
// unaware of metrics; the API's composition (context.cpp) puts these in front of the adapters.
#pragma once

#include "api/metrics.hpp"
#include "ports/object_store.hpp"
#include "ports/video_repository.hpp"

namespace ascension::api {

class MeteredObjectStore final : public ports::ObjectStore {
 public:
  MeteredObjectStore(const ports::ObjectStore& inner, ApiMetrics& metrics)
      : inner_(inner), metrics_(metrics) {}

  Result<ports::SignedUrl> PresignPut(std::string_view key, std::string_view content_type,
                                      std::optional<std::uint64_t> content_length,
                                      std::chrono::seconds ttl, domain::Time now) const override {
    auto url = inner_.PresignPut(key, content_type, content_length, ttl, now);
    if (url.ok()) metrics_.upload_urls_issued(key).Increment();
    return url;
  }
  Result<ports::SignedUrl> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                      domain::Time now) const override {
    auto url = inner_.PresignGet(key, ttl, now);
    if (url.ok()) metrics_.presigned_gets_issued(key).Increment();
    return url;
  }
  Result<ports::StoredObject> Head(std::string_view key) const override { return inner_.Head(key); }
  Status Copy(std::string_view from_key, std::string_view to_key) const override {
    return inner_.Copy(from_key, to_key);
  }
  Status Delete(std::string_view key) const override { return inner_.Delete(key); }
  Result<std::vector<std::string>> DeleteMany(std::span<const std::string> keys) const override {
    return inner_.DeleteMany(keys);
  }
  Result<ports::ObjectListing> List(std::string_view prefix,
                                    std::string_view token) const override {
    return inner_.List(prefix, token);
  }
  Status Download(std::string_view key, const std::filesystem::path& path,
                  const ports::DownloadCondition& condition) const override {
    return inner_.Download(key, path, condition);
  }
  Status Upload(std::string_view key, const std::filesystem::path& path,
                std::string_view content_type) const override {
    return inner_.Upload(key, path, content_type);
  }
  Status Ping() const override { return inner_.Ping(); }

 private:
  const ports::ObjectStore& inner_;
  ApiMetrics& metrics_;
};

class MeteredVideoRepository final : public ports::VideoRepository {
 public:
  MeteredVideoRepository(ports::VideoRepository& inner, ApiMetrics& metrics)
      : inner_(inner), metrics_(metrics) {}

  Result<domain::Video> Create(const domain::Video& video) override { return inner_.Create(video); }
  Result<std::optional<domain::Video>> FindOwned(const domain::Uuid& id,
                                                 const domain::Uuid& user_id) override {
    return inner_.FindOwned(id, user_id);
  }
  Result<domain::PageOf<domain::Video>> ListOwned(const domain::Uuid& user_id,
                                                  const domain::Page& page) override {
    return inner_.ListOwned(user_id, page);
  }
  // Counted when the upload arrives (awaiting_upload → uploaded), whoever sees it first: POST
  // /v1/analyses, the upload URL's confirmation or the sweeper.
  Result<bool> MarkUploaded(const domain::Uuid& id, std::int64_t size_bytes) override {
    auto changed = inner_.MarkUploaded(id, size_bytes);
    if (changed.ok() && *changed) metrics_.uploads_arrived().Increment();
    return changed;
  }
  Result<std::vector<KeyOwner>> FindByObjectKeys(std::span<const std::string> keys) override {
    return inner_.FindByObjectKeys(keys);
  }
  Result<domain::Video> MarkSaved(const domain::Uuid& id, const std::string& saved_key,
                                  std::int64_t size_bytes) override {
    return inner_.MarkSaved(id, saved_key, size_bytes);
  }
  Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) override {
    return inner_.DeleteOwned(id, user_id);
  }
  Result<std::vector<domain::Uuid>> IdsOfUser(const domain::Uuid& user_id) override {
    return inner_.IdsOfUser(user_id);
  }
  Result<std::vector<domain::Video>> FindExpiring(domain::Time created_before,
                                                  const std::optional<Cursor>& after,
                                                  int limit) override {
    return inner_.FindExpiring(created_before, after, limit);
  }
  Result<int> MarkExpired(std::span<const domain::Uuid> ids) override {
    return inner_.MarkExpired(ids);
  }

 private:
  ports::VideoRepository& inner_;
  ApiMetrics& metrics_;
};

}  // namespace ascension::api
