#include "coaching/evidence_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <optional>
#include <set>

#include "coaching/thresholds.hpp"

namespace ascension::coaching::testing {
namespace {

namespace th = thresholds;
using nlohmann::json;

// Values in the document are rounded (evidence to 4 decimals, angles to 2, distances to 4):
// recomputed values may differ by this much, plus one frame's share for each borderline frame.
constexpr double kTolerance = 6e-4;

std::optional<double> Number(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<bool> Bool(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::string Fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// "3.2 s" / "3,2 s": how the advice names the time a claim rests on.
std::string Seconds(std::int64_t ms, bool french) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  std::string s = buf;
  if (french) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

struct Share {
  int hits = 0;
  int total = 0;
  int borderline = 0;  // values within rounding of the threshold
  double value() const { return total == 0 ? 0.0 : static_cast<double>(hits) / total; }
  double tolerance() const {
    return kTolerance + (total == 0 ? 0.0 : static_cast<double>(borderline) / total);
  }
};

class Checker {
 public:
  explicit Checker(const json& doc) : doc_(doc) {}

  std::vector<std::string> Run() {
    if (!doc_.is_object() || !doc_.contains("frames") || !doc_["frames"].is_array() ||
        !doc_.contains("biomechanics") || !doc_.contains("advice") || !doc_["advice"].is_array()) {
      return {"the document has no frames, biomechanics or advice"};
    }
    frames_ = &doc_["frames"];
    summary_ = &doc_["biomechanics"]["summary"];
    for (std::size_t i = 0; i < frames_->size(); ++i) {
      const json& f = (*frames_)[i];
      if (Bool(f, "pose_detected").value_or(false)) {
        const auto t = Number(f, "timestamp_ms").value_or(0);
        if (detected_ == 0) first_ms_ = t;
        last_ms_ = t;
        ++detected_;
      }
      if (const auto frame = Number(f, "frame")) by_frame_[static_cast<int>(*frame)] = i;
    }
    interval_ = detected_ > 0 ? (last_ms_ - first_ms_) / detected_ : 0.0;
    CheckFrames();
    CheckSummary();
    if (detected_ > 0) CheckScores();
    for (const json& advice : doc_["advice"]) CheckAdvice(advice);
    return problems_;
  }

  int checked() const { return checked_; }

 private:
  void Problem(std::string what) { problems_.push_back(std::move(what)); }

  void Expect(bool ok, const std::string& what) {
    if (!ok) Problem(what);
  }

  void ExpectNear(double actual, double recomputed, double tolerance, const std::string& what) {
    if (!(std::fabs(actual - recomputed) <= tolerance)) {
      Problem(what + ": the document says " + Fmt(actual) + ", its frames give " + Fmt(recomputed));
    }
  }

  const json* FrameByIndex(int frame) const {
    const auto it = by_frame_.find(frame);
    return it == by_frame_.end() ? nullptr : &(*frames_)[it->second];
  }

  const json* FrameAt(double timestamp_ms) const {
    for (const json& f : *frames_) {
      if (Number(f, "timestamp_ms") == timestamp_ms) return &f;
    }
    return nullptr;
  }

  // The drawn (certain) angle of `joint` in frame `f`.
  static std::optional<double> DrawnAngle(const json& f, const char* joint) {
    if (!f.contains("angles")) return std::nullopt;
    return Number(f["angles"], joint);
  }

  // Every drawn angle rests on three landmarks none of which is flagged uncertain, and every
  // angle set apart rests on at least one flagged landmark.
  void CheckFrames() {
    static const std::map<std::string, std::array<const char*, 3>> kJointLandmarks = {
        {"11", {"11", "13", "23"}}, {"12", {"12", "14", "24"}}, {"13", {"13", "11", "15"}},
        {"14", {"14", "12", "16"}}, {"23", {"23", "11", "25"}}, {"24", {"24", "12", "26"}},
        {"25", {"25", "23", "27"}}, {"26", {"26", "24", "28"}}};
    for (const json& f : *frames_) {
      if (!Bool(f, "pose_detected").value_or(false)) continue;
      const std::string where = "frame " + Fmt(Number(f, "frame").value_or(-1));
      if (!f.contains("uncertain") || !f["uncertain"].is_array()) {
        Problem(where + " does not list its uncertain landmarks");
        continue;
      }
      std::set<std::string> uncertain;
      for (const json& u : f["uncertain"]) {
        if (u.is_string()) uncertain.insert(u.get<std::string>());
      }
      for (const char* section : {"angles", "uncertain_angles"}) {
        if (!f.contains(section) || !f[section].is_object()) {
          Problem(where + " has no " + section);
          continue;
        }
        const bool drawn = std::string_view(section) == "angles";
        for (const auto& [joint, value] : f[section].items()) {
          const auto def = kJointLandmarks.find(joint);
          if (def == kJointLandmarks.end()) {
            Problem(where + ": unknown joint " + joint);
            continue;
          }
          bool rests_on_uncertain = false;
          for (const char* l : def->second) rests_on_uncertain |= uncertain.count(l) > 0;
          Expect(drawn != rests_on_uncertain,
                 where + ": angle " + joint +
                     (drawn ? " is drawn but rests on an uncertain landmark"
                            : " is set apart but all its landmarks are "
                              "usable"));
        }
      }
    }
  }

  Share ElbowShare(const char* joint) const {
    Share s;
    for (const json& f : *frames_) {
      if (const auto a = DrawnAngle(f, joint)) {
        ++s.total;
        s.hits += *a > th::kStraightElbowDeg ? 1 : 0;
        s.borderline += std::fabs(*a - th::kStraightElbowDeg) <= 0.005 ? 1 : 0;
      }
    }
    return s;
  }

  Share FrameShare(const char* key, double threshold) const {
    Share s;
    for (const json& f : *frames_) {
      if (const auto v = Number(f, key)) {
        ++s.total;
        s.hits += *v > threshold ? 1 : 0;
        s.borderline += std::fabs(*v - threshold) <= 5e-5 ? 1 : 0;
      }
    }
    return s;
  }

  Share BoolShare(const char* key) const {
    Share s;
    for (const json& f : *frames_) {
      if (const auto v = Bool(f, key)) {
        ++s.total;
        s.hits += *v ? 1 : 0;
      }
    }
    return s;
  }

  int Count(const char* key) const {
    int n = 0;
    for (const json& f : *frames_) n += f.contains(key) ? 1 : 0;
    return n;
  }

  double SummaryValue(const char* key) {
    const auto v = Number(*summary_, key);
    if (!v) Problem(std::string("the summary has no ") + key);
    return v.value_or(0);
  }

  int CoverageFrames(const char* name) {
    const json& c = (*summary_)["coverage"];
    if (!c.is_object() || !c.contains(name)) {
      Problem(std::string("the summary has no coverage of ") + name);
      return -1;
    }
    return static_cast<int>(Number(c[name], "frames").value_or(-1));
  }

  // The summary's ratios are the frames' own: what the app draws frame by frame adds up to what
  // the advice says about the climb.
  void CheckSummary() {
    ExpectNear(SummaryValue("detected_frame_count"), detected_, 0, "detected_frame_count");
    const Share left = ElbowShare("13"), right = ElbowShare("14");
    ExpectNear(SummaryValue("left_straight_arm_ratio"), left.value(), left.tolerance(),
               "left_straight_arm_ratio");
    ExpectNear(SummaryValue("right_straight_arm_ratio"), right.value(), right.tolerance(),
               "right_straight_arm_ratio");
    ExpectNear(CoverageFrames("left_elbow"), left.total, 0, "coverage.left_elbow");
    ExpectNear(CoverageFrames("right_elbow"), right.total, 0, "coverage.right_elbow");
    const Share hips = FrameShare("hip_distance_bh", th::kHipsFarDistance);
    ExpectNear(SummaryValue("hips_far_ratio"), hips.value(), hips.tolerance(), "hips_far_ratio");
    ExpectNear(CoverageFrames("hips"), hips.total, 0, "coverage.hips");
    const Share feet = BoolShare("com_over_feet");
    ExpectNear(SummaryValue("com_over_feet_ratio"), feet.value(), feet.tolerance(),
               "com_over_feet_ratio");
    ExpectNear(CoverageFrames("over_feet"), feet.total, 0, "coverage.over_feet");
    const Share support = BoolShare("com_in_support");
    ExpectNear(SummaryValue("com_in_support_ratio"), support.value(), support.tolerance(),
               "com_in_support_ratio");
    ExpectNear(CoverageFrames("com"), Count("com"), 0, "coverage.com");
  }

  // --- per measure ------------------------------------------------------------------------

  // Recomputes one evidence value; returns its basis frame count (nullopt when the measure is
  // about one moment or one pause rather than the climb) or reports a problem.
  struct Recomputed {
    double value = 0;
    double tolerance = kTolerance;
    int basis_frames = 0;
    bool climb = true;  // a claim about the climb (else about the frames it lists)
  };

  std::optional<Recomputed> Recompute(const json& advice, const json& e, const std::string& m) {
    Recomputed r;
    if (m == "left_straight_arm_ratio" || m == "right_straight_arm_ratio") {
      const char* joint = m[0] == 'l' ? "13" : "14";
      const Share s = ElbowShare(joint);
      r.value = s.value();
      r.tolerance = s.tolerance();
      r.basis_frames = s.total;
      // The frames shown, and the moment of the advice, have the arm bent as drawn.
      // An absent angle reads as 999: neither bent nor drawn.
      const double kAbsent = 999;
      for (const json& idx : e["frames"]) {
        const json* f = idx.is_number() ? FrameByIndex(idx.get<int>()) : nullptr;
        const double a = f ? DrawnAngle(*f, joint).value_or(kAbsent) : kAbsent;
        Expect(a <= th::kStraightElbowDeg + 0.005,
               m + ": frame " + idx.dump() + " is shown bent but its drawn angle " + joint +
                   " is " + (a == kAbsent ? std::string("absent") : Fmt(a)));
      }
      const json* at = FrameAt(Number(advice, "timestamp_ms").value_or(-1));
      const double a = at ? DrawnAngle(*at, joint).value_or(kAbsent) : kAbsent;
      Expect(a <= th::kStraightElbowDeg + 0.005,
             m + ": the advice's moment does not draw a bent angle " + joint);
      return r;
    }
    if (m == "hips_far_ratio") {
      const Share s = FrameShare("hip_distance_bh", th::kHipsFarDistance);
      r.value = s.value();
      r.tolerance = s.tolerance();
      r.basis_frames = s.total;
      for (const json& idx : e["frames"]) {
        const json* f = idx.is_number() ? FrameByIndex(idx.get<int>()) : nullptr;
        const auto d = f ? Number(*f, "hip_distance_bh") : std::nullopt;
        Expect(d && *d >= th::kHipsFarDistance - 5e-5,
               m + ": frame " + idx.dump() + " is shown with the hips far but is not");
      }
      return r;
    }
    if (m == "hip_distance_bh") {
      r.climb = false;
      const json* f = e["frames"].size() == 1 && e["frames"][0].is_number()
                          ? FrameByIndex(e["frames"][0].get<int>())
                          : nullptr;
      const auto d = f ? Number(*f, "hip_distance_bh") : std::nullopt;
      if (!d) {
        Problem(m + ": the evidence does not point at one frame with a hip distance");
        return std::nullopt;
      }
      r.value = *d;
      r.basis_frames = 1;
      return r;
    }
    if (m == "com_over_feet_ratio") {
      const Share s = BoolShare("com_over_feet");
      r.value = s.value();
      r.basis_frames = s.total;
      for (const json& idx : e["frames"]) {
        const json* f = idx.is_number() ? FrameByIndex(idx.get<int>()) : nullptr;
        Expect(f && Bool(*f, "com_over_feet") == false,
               m + ": frame " + idx.dump() + " is shown off the feet but is not");
      }
      return r;
    }
    if (m == "pause_ms" || m == "pause_straight_arm_share") return RecomputePause(e, m);
    if (m == "smoothness" || m == "jerk_hz") return RecomputeJerk(m);
    if (m == "foot_readjustments" || m == "hand_moves") {
      const bool feet = m == "foot_readjustments";
      const json& list = doc_["biomechanics"][feet ? "readjustments" : "moves"];
      int n = 0;
      for (const json& x : list) {
        const std::string limb = x.value("limb", "");
        n += limb.ends_with(feet ? "_foot" : "_hand") ? 1 : 0;
      }
      r.value = n;
      r.basis_frames = CoverageFrames(feet ? "both_feet" : "all_limbs");
      return r;
    }
    if (m == "stop_share") {
      double stopped = 0;
      for (const json& p : doc_["biomechanics"]["pauses"]) {
        if (Bool(p, "rest").value_or(true)) continue;
        stopped += Number(p, "end_ms").value_or(0) - Number(p, "start_ms").value_or(0);
      }
      const double duration = last_ms_ - first_ms_;
      r.value = duration > 0 ? stopped / duration : 0;
      r.basis_frames = Count("com");
      return r;
    }
    if (m == "camera_facing") return RecomputeCameraFacing();
    if (m == "long_reach_share" || m == "longest_hand_move_span") return RecomputeReach(e, m);
    if (m == "detected_frame_count") {
      r.value = detected_;
      r.basis_frames = static_cast<int>(frames_->size());
      return r;
    }
    if (m.ends_with("_score")) return RecomputeScore(m);
    Problem("no way to recompute the evidence measure \"" + m + "\"");
    return std::nullopt;
  }

  // The pause the evidence shows: one of biomechanics.pauses whose frames are all still.
  std::optional<Recomputed> RecomputePause(const json& e, const std::string& m) {
    const json& frames = e["frames"];
    if (frames.empty() || !frames.front().is_number() || !frames.back().is_number()) {
      Problem(m + ": no frames");
      return std::nullopt;
    }
    const int first = frames.front().get<int>(), last = frames.back().get<int>();
    for (const json& p : doc_["biomechanics"]["pauses"]) {
      const json& span = p["frames"];
      if (!span.is_array() || span.size() != 2 || span[0] != first || span[1] != last) continue;
      Recomputed r;
      r.climb = false;
      const auto from = by_frame_.find(first), to = by_frame_.find(last);
      if (from == by_frame_.end() || to == by_frame_.end()) break;
      Share straight;
      for (std::size_t i = from->second; i <= to->second; ++i) {
        const json& f = (*frames_)[i];
        Expect(Bool(f, "still") == true, m + ": frame " + Fmt(i) + " of the pause is not still");
        for (const char* joint : {"13", "14"}) {
          if (const auto a = DrawnAngle(f, joint)) {
            ++straight.total;
            straight.hits += *a > th::kStraightElbowDeg ? 1 : 0;
            straight.borderline += std::fabs(*a - th::kStraightElbowDeg) <= 0.005 ? 1 : 0;
          }
        }
      }
      r.basis_frames = static_cast<int>(to->second - from->second + 1);
      if (m == "pause_ms") {
        r.value = Number(p, "end_ms").value_or(0) - Number(p, "start_ms").value_or(0);
        r.tolerance = 0;
      } else {
        r.value = straight.value();
        r.tolerance = straight.tolerance();
      }
      return r;
    }
    Problem(m + ": the frames shown are not one of the pauses");
    return std::nullopt;
  }

  // jerk_hz = (1/2π)·(Σ|jerk|² / Σ|speed|²)^¼ over the frames where the body moves.
  std::optional<Recomputed> RecomputeJerk(const std::string& m) {
    double jerk2 = 0, speed2 = 0;
    int moving = 0, borderline = 0;
    for (const json& f : *frames_) {
      const auto v = Number(f, "com_speed_bh");
      const auto j = Number(f, "com_jerk_bh");
      if (!v || !j) continue;
      borderline += std::fabs(*v - th::kBodyStillSpeed) <= 5e-5 ? 1 : 0;
      if (*v < th::kBodyStillSpeed) continue;
      jerk2 += *j * *j;
      speed2 += *v * *v;
      ++moving;
    }
    const double hz =
        speed2 > 0 ? std::sqrt(std::sqrt(jerk2 / speed2)) / (2 * std::numbers::pi) : 0;
    Recomputed r;
    r.basis_frames = moving;
    // com_jerk_bh is rounded to 2 decimals: allow 2 % of the value.
    if (m == "jerk_hz") {
      r.value = hz;
      r.tolerance = 0.02 * hz + kTolerance;
    } else {
      r.value =
          std::clamp((th::kJerkyJerkHz - hz) / (th::kJerkyJerkHz - th::kSmoothJerkHz), 0.0, 1.0);
      r.tolerance = 0.02 * hz / (th::kJerkyJerkHz - th::kSmoothJerkHz) + kTolerance;
    }
    moving_borderline_ = borderline;
    return r;
  }

  // Hand moves against the span the climb was analysed with (biomechanics.climber.span_bh).
  std::optional<Recomputed> RecomputeReach(const json& e, const std::string& m) {
    const auto span = Number(doc_["biomechanics"]["climber"], "span_bh");
    if (!span || *span <= 0) {
      Problem(m + ": the document does not say which span the reaches were judged against");
      return std::nullopt;
    }
    int hand = 0, long_moves = 0, borderline = 0;
    double longest = 0;
    const json* longest_move = nullptr;
    for (const json& x : doc_["biomechanics"]["moves"]) {
      if (!x.value("limb", std::string()).ends_with("_hand")) continue;
      const double d = Number(x, "distance_bh").value_or(0);
      ++hand;
      long_moves += d >= th::kLongReachSpanShare * *span ? 1 : 0;
      borderline += std::fabs(d - th::kLongReachSpanShare * *span) <= 5e-5 ? 1 : 0;
      if (longest_move == nullptr || d > longest) {
        longest = d;
        longest_move = &x;
      }
    }
    Recomputed r;
    if (m == "long_reach_share") {
      r.value = hand > 0 ? static_cast<double>(long_moves) / hand : 0;
      r.tolerance = kTolerance + (hand > 0 ? static_cast<double>(borderline) / hand : 0);
      r.basis_frames = CoverageFrames("all_limbs");
      return r;
    }
    r.climb = false;
    r.value = longest / *span;
    r.tolerance = 2e-4 / *span + kTolerance;
    const json& frames = e["frames"];
    const json& span_frames = longest_move != nullptr ? (*longest_move)["frames"] : json();
    Expect(!frames.empty() && span_frames.is_array() && span_frames.size() == 2 &&
               frames.front() == span_frames[0] && frames.back() == span_frames[1],
           m + ": the frames shown are not the longest hand move's");
    if (span_frames.is_array() && span_frames.size() == 2) {
      const auto from = by_frame_.find(span_frames[0].get<int>());
      const auto to = by_frame_.find(span_frames[1].get<int>());
      if (from != by_frame_.end() && to != by_frame_.end()) {
        r.basis_frames = static_cast<int>(to->second - from->second + 1);
      }
    }
    return r;
  }

  // Median over frames with both shoulders and hips usable of (shoulder width / trunk length)
  // divided by its value for a back seen square on, capped at 1.
  std::optional<Recomputed> RecomputeCameraFacing() {
    const json& video = doc_.contains("video") ? doc_["video"] : json::object();
    const double w = Number(video, "width").value_or(0), h = Number(video, "height").value_or(0);
    const double aspect = w > 0 && h > 0 ? w / h : 1.0;
    std::vector<double> facing;
    for (const json& f : *frames_) {
      if (!f.contains("landmarks") || !f.contains("uncertain")) continue;
      std::set<std::string> uncertain;
      for (const json& u : f["uncertain"]) {
        if (u.is_string()) uncertain.insert(u.get<std::string>());
      }
      bool usable = true;
      double x[4], y[4];
      const char* keys[4] = {"11", "12", "23", "24"};
      for (int k = 0; k < 4; ++k) {
        const json& l = f["landmarks"].contains(keys[k]) ? f["landmarks"][keys[k]] : json();
        const auto lx = Number(l, "x"), ly = Number(l, "y");
        if (uncertain.count(keys[k]) || !lx || !ly) {
          usable = false;
          break;
        }
        x[k] = *lx * aspect;
        y[k] = *ly;
      }
      if (!usable) continue;
      const double trunk =
          std::hypot((x[0] + x[1]) / 2 - (x[2] + x[3]) / 2, (y[0] + y[1]) / 2 - (y[2] + y[3]) / 2);
      if (trunk > 0) {
        facing.push_back(std::hypot(x[0] - x[1], y[0] - y[1]) / trunk / (0.259 / (0.818 - 0.530)));
      }
    }
    Recomputed r;
    r.basis_frames = static_cast<int>(facing.size());
    if (!facing.empty()) {
      std::sort(facing.begin(), facing.end());
      const std::size_t n = facing.size();
      const double median = n % 2 ? facing[n / 2] : (facing[n / 2 - 1] + facing[n / 2]) / 2;
      r.value = std::min(1.0, median);
    }
    r.tolerance = 0.02;  // landmarks are rounded to 3 decimals
    return r;
  }

  // The documented formulas (docs/coaching.md, "Scores") over the summary and the lists.
  std::optional<Recomputed> RecomputeScore(const std::string& m) {
    const std::string name = m.substr(0, m.size() - std::string("_score").size());
    const json& stored = (*summary_)["scores"];
    if (!stored.is_object() || !Number(stored, name.c_str())) {
      Problem(m + ": the summary has no score " + name);
      return std::nullopt;
    }
    const auto scores = RecomputeScores();
    const auto it = scores.find(name);
    if (it == scores.end() || !it->second) {
      Problem(m + ": the frames give no " + name + " score");
      return std::nullopt;
    }
    Recomputed r;
    r.value = *it->second;
    r.basis_frames = CoverageFrames("com");
    r.tolerance = 0.35;  // the summary's ratios are rounded to 3 decimals, the scores to 1
    return r;
  }

  std::map<std::string, std::optional<double>> RecomputeScores() {
    std::map<std::string, std::optional<double>> out;
    auto pct = [](double share) { return std::clamp(100 * share, 0.0, 100.0); };
    const json& climber = doc_["biomechanics"]["climber"];
    auto absent = [&climber](const char* limb) {
      return climber.is_object() && climber.contains("limbs") && climber["limbs"].is_object() &&
             climber["limbs"].value(limb, std::string()) == "absent";
    };
    // technique
    double arms = 0, technique = 0, weight = 0;
    int arm_count = 0;
    if (CoverageFrames("left_elbow") > 0 && !absent("left_arm")) {
      arms += SummaryValue("left_straight_arm_ratio");
      ++arm_count;
    }
    if (CoverageFrames("right_elbow") > 0 && !absent("right_arm")) {
      arms += SummaryValue("right_straight_arm_ratio");
      ++arm_count;
    }
    if (arm_count > 0) {
      technique += th::kTechniqueStraightArmWeight * arms / arm_count;
      weight += th::kTechniqueStraightArmWeight;
    }
    if (CoverageFrames("hips") > 0) {
      technique += th::kTechniqueHipsCloseWeight * (1 - SummaryValue("hips_far_ratio"));
      weight += th::kTechniqueHipsCloseWeight;
    }
    out["technique"] = weight > 0 ? std::optional<double>(pct(technique / weight)) : std::nullopt;
    // fluidity
    const double duration = SummaryValue("duration_ms");
    const double pause_share =
        duration > 0 ? std::min(1.0, SummaryValue("total_pause_ms") / duration) : 0.0;
    out["fluidity"] =
        SummaryValue("moving_frames") > 0
            ? std::optional<double>(pct(th::kFluiditySmoothnessWeight * SummaryValue("smoothness") +
                                        th::kFluidityContinuityWeight * (1 - pause_share)))
            : std::nullopt;
    // stability
    out["stability"] =
        SummaryValue("camera_facing") >= th::kFrontalViewMin && CoverageFrames("over_feet") > 0
            ? std::optional<double>(
                  pct(th::kStabilityOverFeetWeight * SummaryValue("com_over_feet_ratio") +
                      th::kStabilityInSupportWeight * SummaryValue("com_in_support_ratio")))
            : std::nullopt;
    // efficiency
    const double moves = SummaryValue("hand_moves") + SummaryValue("foot_moves");
    const double readjust = SummaryValue("hand_readjustments") + SummaryValue("foot_readjustments");
    const double readjusting = moves + readjust > 0 ? readjust / (moves + readjust) : 0.0;
    out["efficiency"] = SummaryValue("com_path_bh") > 0
                            ? std::optional<double>(
                                  pct(th::kEfficiencyDirectnessWeight * SummaryValue("directness") +
                                      th::kEfficiencyNoReadjustmentWeight * (1 - readjusting)))
                            : std::nullopt;
    // pace
    const bool any_move =
        doc_["biomechanics"]["moves"].is_array() && !doc_["biomechanics"]["moves"].empty();
    if (any_move && duration > 0) {
      const double tempo = std::clamp(
          (th::kSlowMoveMs - SummaryValue("mean_move_ms")) / (th::kSlowMoveMs - th::kBriskMoveMs),
          0.0, 1.0);
      const double per_min = SummaryValue("hand_moves") * 60000.0 / duration;
      const double rate = std::clamp((per_min - th::kSlowHandMovesPerMin) /
                                         (th::kBriskHandMovesPerMin - th::kSlowHandMovesPerMin),
                                     0.0, 1.0);
      out["pace"] = pct(th::kPaceMoveTimeWeight * tempo + th::kPaceMoveRateWeight * rate);
    } else {
      out["pace"] = std::nullopt;
    }
    // global: the weighted mean of the measured indicators
    const std::pair<const char*, double> weights[] = {{"technique", th::kGlobalTechniqueWeight},
                                                      {"fluidity", th::kGlobalFluidityWeight},
                                                      {"stability", th::kGlobalStabilityWeight},
                                                      {"efficiency", th::kGlobalEfficiencyWeight},
                                                      {"pace", th::kGlobalPaceWeight}};
    double total = 0, w = 0;
    for (const auto& [name, weight_of] : weights) {
      if (out[name]) {
        total += weight_of * *out[name];
        w += weight_of;
      }
    }
    out["global"] = w > 0 ? std::optional<double>(total / w) : std::nullopt;
    return out;
  }

  // Every score of the summary is the documented formula of its measures; one that cannot be
  // measured is null on both sides.
  void CheckScores() {
    const json& stored = (*summary_)["scores"];
    if (!stored.is_object()) {
      Problem("the summary has no scores");
      return;
    }
    for (const auto& [name, value] : RecomputeScores()) {
      const auto have = Number(stored, name.c_str());
      if (!value || !have) {
        Expect(!value && !have && stored.contains(name),
               "score " + name + ": the document says " + (have ? Fmt(*have) : "null") +
                   ", its measures give " + (value ? Fmt(*value) : "null"));
        continue;
      }
      ExpectNear(*have, *value, 0.35, "score " + name);
    }
  }

  void CheckAdvice(const json& advice) {
    const std::string id = advice.value("id", std::string("?"));
    const bool french = advice.value("lang", std::string()) == "fr";
    const std::string first_point = advice.contains("points") && advice["points"].is_array() &&
                                            !advice["points"].empty() &&
                                            advice["points"][0].is_string()
                                        ? advice["points"][0].get<std::string>()
                                        : std::string();
    if (!advice.contains("evidence") || !advice["evidence"].is_array() ||
        advice["evidence"].empty()) {
      Problem(id + ": no evidence");
      return;
    }
    for (const json& e : advice["evidence"]) {
      const std::string m = e.value("measure", std::string());
      const std::string where = id + "/" + m;
      const auto value = Number(e, "value");
      const json& basis = e.contains("basis") ? e["basis"] : json();
      const auto basis_frames = Number(basis, "frames");
      const auto basis_ms = Number(basis, "ms");
      const auto whole = Bool(basis, "whole_climb");
      if (!value || !basis_frames || !basis_ms || !whole || !e.contains("frames") ||
          !e["frames"].is_array()) {
        Problem(where + ": evidence without value, frames or basis");
        continue;
      }
      for (const json& idx : e["frames"]) {
        Expect(idx.is_number() && FrameByIndex(idx.get<int>()) != nullptr,
               where + ": frame " + idx.dump() + " is not in the document");
      }
      const auto r = Recompute(advice, e, m);
      if (!r) continue;
      ++checked_;
      ExpectNear(*value, r->value, r->tolerance, where + " value");
      if (m == "detected_frame_count") continue;
      const double frames_tolerance = m == "smoothness" || m == "jerk_hz" ? moving_borderline_ : 0;
      ExpectNear(*basis_frames, r->basis_frames, frames_tolerance, where + " basis frames");
      if (!r->climb) {
        Expect(!*whole, where + ": a claim about one moment is marked as about the whole climb");
        continue;
      }
      const bool recomputed_whole =
          *basis_frames > 0 && *basis_frames >= th::kWholeClimbShare * detected_;
      Expect(*whole == recomputed_whole,
             where + ": whole_climb says " + (*whole ? "true" : "false") + " for " +
                 Fmt(*basis_frames) + " of " + Fmt(detected_) + " frames");
      ExpectNear(*basis_ms, std::llround(*basis_frames * interval_), 1, where + " basis ms");
      if (!*whole && advice.value("kind", std::string()) != "drill") {
        const std::string said = Seconds(static_cast<std::int64_t>(*basis_ms), french);
        Expect(first_point.find(said) != std::string::npos, where + ": the claim rests on " + said +
                                                                " only but does not say so: \"" +
                                                                first_point + "\"");
      }
    }
  }

  const json& doc_;
  const json* frames_ = nullptr;
  const json* summary_ = nullptr;
  std::map<int, std::size_t> by_frame_;
  int detected_ = 0;
  double first_ms_ = 0, last_ms_ = 0, interval_ = 0;
  int moving_borderline_ = 0;
  int checked_ = 0;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> RecomputeEvidence(const json& result) {
  return Checker(result).Run();
}

int CountEvidence(const json& result) {
  Checker c(result);
  c.Run();
  return c.checked();
}

}  // namespace ascension::coaching::testing
