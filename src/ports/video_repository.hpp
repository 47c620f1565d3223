// Videos in storage (the rows; the bytes are in the object store).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "domain/page.hpp"
#include "domain/video.hpp"

namespace ascension::ports {

class VideoRepository {
 public:
  virtual ~VideoRepository() = default;

  // Inserts a new video (status awaiting_upload; created_at assigned here).
  virtual Result<domain::Video> Create(const domain::Video& video) = 0;
  // The video if it exists and belongs to `user_id`; nullopt otherwise (the two look the same).
  virtual Result<std::optional<domain::Video>> FindOwned(const domain::Uuid& id,
                                                         const domain::Uuid& user_id) = 0;
  // The user's videos that are not expired, newest first.
  virtual Result<domain::PageOf<domain::Video>> ListOwned(const domain::Uuid& user_id,
                                                          const domain::Page& page) = 0;
  // awaiting_upload → uploaded with its size; no change in any other state. True when it changed
  // (the upload arrived now: counted once, whoever saw it first).
  virtual Result<bool> MarkUploaded(const domain::Uuid& id, std::int64_t size_bytes) = 0;
  // → saved under `saved_key`.
  virtual Result<domain::Video> MarkSaved(const domain::Uuid& id, const std::string& saved_key,
                                          std::int64_t size_bytes) = 0;
  // Deletes the row (and its analyses, by cascade). False when it was not the user's.
  virtual Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) = 0;
  // Ids of every video of the user.
  virtual Result<std::vector<domain::Uuid>> IdsOfUser(const domain::Uuid& user_id) = 0;

  // Up to `limit` unsaved videos (awaiting_upload or uploaded) created before `created_before`,
  // oldest first, strictly after the cursor (created_at, id) when given. Takes no lock.
  struct Cursor {
    domain::Time created_at;
    domain::Uuid id;
  };
  virtual Result<std::vector<domain::Video>> FindExpiring(domain::Time created_before,
                                                          const std::optional<Cursor>& after,
                                                          int limit) = 0;
  // The videos whose object_key is one of `keys` (a saved video's key is its saved/ one), in no
  // particular order. Takes no lock.
  struct KeyOwner {
    std::string object_key;
    domain::Uuid id;
    std::string status;
  };
  virtual Result<std::vector<KeyOwner>> FindByObjectKeys(std::span<const std::string> keys) = 0;
  // Marks expired those of `ids` that are still unsaved (a video saved meanwhile stays saved).
  // Returns how many changed.
  virtual Result<int> MarkExpired(std::span<const domain::Uuid> ids) = 0;
};

}  // namespace ascension::ports
