#include "coaching/result_frames_fixture.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace ascension::coaching::testing {

Result<domain::PoseSequence> LoadResultFrames(const std::string& path,
                                              const domain::VideoInfo& video) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot open " + path);
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("frames") || !doc["frames"].is_array()) {
    return DataLoss(path + " is not a result document with a frames array");
  }
  domain::PoseSequence seq;
  seq.video = video;
  seq.model = "heavy";
  for (const nlohmann::json& f : doc["frames"]) {
    domain::PoseFrame frame;
    frame.frame = f.value("frame", 0);
    frame.timestamp_ms = f.value("timestamp_ms", std::int64_t{0});
    frame.detected = f.value("pose_detected", false);
    if (f.contains("landmarks")) {
      for (const auto& [key, l] : f["landmarks"].items()) {
        const int index = std::stoi(key);
        if (index < 0 || index >= domain::kLandmarkCount) continue;
        const double pres = l.value("pres", 0.0);
        frame.landmarks[index] = {l.value("x", 0.0), l.value("y", 0.0), l.value("z", 0.0), pres,
                                  pres};
      }
    }
    seq.frames.push_back(frame);
  }
  return seq;
}

}  // namespace ascension::coaching::testing
