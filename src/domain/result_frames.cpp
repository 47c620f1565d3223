#include "domain/result_frames.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace ascension::domain {
namespace {

using nlohmann::json;

Status Bad(const std::string& where, const char* why) {
  return InvalidArgument("result " + where + " " + why);
}

// A finite number, or *ok = false.
double Number(const json& j, bool* ok) {
  if (!j.is_number()) {
    *ok = false;
    return 0;
  }
  const double v = j.get<double>();
  if (!std::isfinite(v)) *ok = false;
  return v;
}

}  // namespace

Result<PoseSequence> PosesFromResult(std::string_view text) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return InvalidArgument("result is not a JSON object");
  auto frames = doc.find("frames");
  if (frames == doc.end() || !frames->is_array()) return Bad("frames", "must be an array");
  PoseSequence seq;
  if (auto v = doc.find("video"); v != doc.end() && v->is_object()) {
    if (auto w = v->find("width"); w != v->end() && w->is_number_integer())
      seq.video.width = w->get<int>();
    if (auto h = v->find("height"); h != v->end() && h->is_number_integer())
      seq.video.height = h->get<int>();
    if (auto f = v->find("fps"); f != v->end() && f->is_number()) seq.video.fps = f->get<double>();
  }
  if (auto m = doc.find("model"); m != doc.end() && m->is_string())
    seq.model = m->get<std::string>();
  seq.frames.reserve(frames->size());
  for (std::size_t i = 0; i < frames->size(); ++i) {
    const json& f = (*frames)[i];
    const std::string at = "frames[" + std::to_string(i) + "]";
    if (!f.is_object()) return Bad(at, "must be an object");
    PoseFrame frame;
    auto index = f.find("frame");
    if (index == f.end() || !index->is_number_integer())
      return Bad(at + ".frame", "must be an integer");
    frame.frame = index->get<int>();
    auto ts = f.find("timestamp_ms");
    if (ts == f.end() || !ts->is_number_integer()) {
      return Bad(at + ".timestamp_ms", "must be an integer");
    }
    frame.timestamp_ms = ts->get<std::int64_t>();
    auto detected = f.find("pose_detected");
    if (detected == f.end() || !detected->is_boolean()) {
      return Bad(at + ".pose_detected", "must be a boolean");
    }
    frame.detected = detected->get<bool>();
    if (frame.detected) {
      bool ok = true;
      if (auto all = f.find("landmarks33"); all != f.end()) {
        if (!all->is_array() || all->size() != kLandmarkCount) {
          return Bad(at + ".landmarks33", "must be an array of 33 landmarks");
        }
        for (int l = 0; l < kLandmarkCount; ++l) {
          const json& v = (*all)[l];
          if (!v.is_array() || v.size() != 5) return Bad(at + ".landmarks33", "has a bad landmark");
          frame.landmarks[l] = {Number(v[0], &ok), Number(v[1], &ok), Number(v[2], &ok),
                                Number(v[3], &ok), Number(v[4], &ok)};
        }
        if (!ok) return Bad(at + ".landmarks33", "must hold finite numbers");
      } else if (auto keyed = f.find("landmarks"); keyed != f.end()) {
        if (!keyed->is_object()) return Bad(at + ".landmarks", "must be an object");
        for (const auto& item : keyed->items()) {
          // Named references, not a structured binding: clang-14 (the fuzz preset) refuses to
          // capture a binding in the lambda below.
          const std::string& key = item.key();
          const auto& l = item.value();
          int n = -1;
          const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
          if (ec != std::errc() || end != key.data() + key.size() || n < 0 || n >= kLandmarkCount) {
            continue;  // not a landmark index: ignored
          }
          if (!l.is_object()) return Bad(at + ".landmarks." + key, "must be an object");
          auto num = [&](const char* name) {
            auto it = l.find(name);
            return it == l.end() ? 0.0 : Number(*it, &ok);
          };
          const double pres = num("pres");
          const double vis = l.contains("vis") ? num("vis") : pres;
          frame.landmarks[n] = {num("x"), num("y"), num("z"), vis, pres};
        }
        if (!ok) return Bad(at + ".landmarks", "must hold finite numbers");
      }
    }
    seq.frames.push_back(frame);
  }
  return seq;
}

}  // namespace ascension::domain
