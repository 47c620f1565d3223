// A video file as the worker reads an upload: FFmpeg's demuxers and decoders behind the
// project's VideoReader (validation, rotation, scaling, sampling, limits). The input is written to
// a file in memory (memfd) and opened by path, like a downloaded upload. Invariants: no sanitizer
// report or exception; a refusal carries one of the documented error codes; frames have the size
// the reader announced and timestamps never go backwards.
#include "vision/video/video_reader.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.hpp"

namespace {

const std::set<std::string> kCodes = {"empty_file",     "not_a_video",
                                      "corrupt_video",  "unsupported_dimensions",
                                      "video_too_long", "internal"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  static int fd = [] {
    fuzz::QuietLogs();
    return memfd_create("fuzz-video", 0);
  }();
  fuzz::Check(fd >= 0, "memfd_create");
  fuzz::Check(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == static_cast<ssize_t>(size),
              "write input");
  const std::string path = "/proc/self/fd/" + std::to_string(fd);

  vision::VideoReaderOptions o;
  o.max_duration_s = 60;
  o.max_width = 160;
  o.max_fps = 10;
  std::string code;
  auto reader = vision::VideoReader::Open(path, o, &code);
  if (!reader.ok()) {
    fuzz::Check(kCodes.count(code) != 0, "Open failed with an undocumented code");
    return 0;
  }
  vision::VideoFrame frame;
  std::int64_t last_ts = -1;
  for (int i = 0; i < 30; ++i) {
    std::string next_code;
    auto more = (*reader)->Next(&frame, &next_code);
    if (!more.ok()) {
      fuzz::Check(kCodes.count(next_code) != 0, "Next failed with an undocumented code");
      break;
    }
    if (!*more) break;
    fuzz::Check(
        frame.rgb.cols == (*reader)->output_width() && frame.rgb.rows == (*reader)->output_height(),
        "frame size differs from output_width/height");
    fuzz::Check(frame.timestamp_ms >= last_ts, "timestamps go backwards");
    last_ts = frame.timestamp_ms;
    double p = (*reader)->progress();
    fuzz::Check(p >= 0 && p <= 1, "progress outside [0, 1]");
  }
  return 0;
}
