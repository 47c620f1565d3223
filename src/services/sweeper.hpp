// The upload sweeper: unsaved videos older than the retention period lose their object and are
// marked expired. Objects are deleted first and a row is marked only once its object is gone
// (a refused delete is retried on the next pass); no row is locked while storage is called, so
// several API instances can sweep at once (deleting an object twice is harmless).
#pragma once

#include <chrono>

#include "ports/clock.hpp"
#include "ports/object_store.hpp"
#include "ports/video_repository.hpp"

namespace ascension::services {

struct SweepReport {
  int expired = 0;
  int refused = 0;  // objects storage would not delete this pass (retried next pass)
};

class Sweeper {
 public:
  Sweeper(ports::VideoRepository& videos, const ports::ObjectStore& objects,
          const ports::Clock& clock, std::chrono::seconds retention, int batch = 100);

  // One pass over every expiring video, in batches.
  Result<SweepReport> RunOnce();

 private:
  ports::VideoRepository& videos_;
  const ports::ObjectStore& objects_;
  const ports::Clock& clock_;
  std::chrono::seconds retention_;
  int batch_;
};

}  // namespace ascension::services
