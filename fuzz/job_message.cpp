// A message body from the `vision.skeleton` job queue, as the worker parses it. Invariants: no
// exception; a parsed job has every required field non-empty and an s3://bucket/key video URL;
// a refused one is kInvalidArgument (the worker dead-letters it).
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "worker/job_runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  std::string body(reinterpret_cast<const char*>(data), size);
  auto job = worker::ParseJob(body);
  if (!job.ok()) {
    fuzz::Check(job.status().kind() == ErrorKind::kInvalidArgument, "unexpected error kind");
    return 0;
  }
  fuzz::Check(!job->job_id.empty() && !job->analysis_id.empty() && !job->user_id.empty(),
              "job accepted without its ids");
  fuzz::Check(
      job->video_url.rfind("s3://", 0) == 0 && job->video_url.find('/', 5) != std::string::npos,
      "job accepted with a video URL that is not s3://bucket/key");
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  return ascension::fuzz::MutateWithJson(data, size, max_size, seed, 0, size);
}
