// The upload sweeper, two passes:
// - Expiry: unsaved videos older than the retention period lose their object and are marked
//   expired. Objects are deleted first and a row is marked only once its object is gone (a refused
//   delete is retried on the next pass, nothing is marked).
// - Orphans (issue 10 #2): every object under uploads/ is looked up by its key. One whose video
//   still awaits it is counted as arrived (the row becomes uploaded, once: an upload never
//   analysed is seen here, issue 18 item 5); one no unsaved video owns — its video was saved
//   (the row now names the saved/ copy) or deleted, or the key was never issued — is deleted: a
//   presigned URL still valid after the save or the deletion left no untracked object.
// No row is locked while storage is called, so several API instances can sweep at once (deleting
// an object twice is harmless).
#pragma once

#include <chrono>

#include "ports/clock.hpp"
#include "ports/object_store.hpp"
#include "ports/video_repository.hpp"

namespace ascension::services {

struct SweepReport {
  int expired = 0;
  int refused = 0;  // objects storage would not delete this pass (retried next pass)
  int orphans = 0;  // objects under uploads/ that no unsaved video owned, deleted
  int arrived = 0;  // uploads first seen by the sweeper (never analysed nor looked at)
};

class Sweeper {
 public:
  Sweeper(ports::VideoRepository& videos, const ports::ObjectStore& objects,
          const ports::Clock& clock, std::chrono::seconds retention, int batch = 100);

  // One pass over every expiring video, in batches, then over every object under uploads/.
  Result<SweepReport> RunOnce();

 private:
  Status ExpireOld(SweepReport& report);
  Status SweepOrphans(SweepReport& report);

  ports::VideoRepository& videos_;
  const ports::ObjectStore& objects_;
  const ports::Clock& clock_;
  std::chrono::seconds retention_;
  int batch_;
};

}  // namespace ascension::services
