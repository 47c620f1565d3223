// The climber's body as the ghost models it: segment lengths from the profile (height, arm span)
// and the anthropometric table the coaching uses, limbs that are absent or injured, a 2-D
// skeleton posed by inverse kinematics with constant segment lengths, and its centre of mass.
// Pure; docs/ghost.md gives the model.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "coaching/biomechanics.hpp"
#include "common/status.hpp"
#include "domain/pose.hpp"
#include "domain/profile.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

// The four limbs that hold a climber on the wall; the arm of a hand is named by its hand.
using coaching::IsHand;
using coaching::kLimbCount;
using coaching::Limb;
using coaching::LimbName;
inline constexpr std::array<Limb, kLimbCount> kLimbs = {Limb::kLeftHand, Limb::kRightHand,
                                                        Limb::kLeftFoot, Limb::kRightFoot};
inline int Index(Limb limb) {
  return static_cast<int>(limb);
}
// Parses "left_hand" | "right_hand" | "left_foot" | "right_foot".
std::optional<Limb> ParseLimb(std::string_view name);

// The climber's profile is the domain's (issue 13): height, arm span, and per limb nothing
// (healthy), injured (spared: its moves cost more) or absent (never used). Its BodyLimb order —
// left arm, right arm, left leg, right leg — is the Limb order of the hand or foot at their ends.
using domain::ClimberProfile;
using domain::LimbCondition;
using LimbConditions = std::array<std::optional<LimbCondition>, kLimbCount>;
// "healthy" (no condition), "injured", "absent".
std::string_view LimbConditionText(const std::optional<LimbCondition>& condition);

inline constexpr double kDefaultHeightCm = 175.0;  // when the profile has no height

// Lengths in metres. Joint centres: shoulder (glenohumeral), elbow, wrist, hip, knee, ankle.
// The hand holds at its grip point, `grip_offset` beyond the wrist along the forearm (the wrist
// is kept straight); the foot stands on its toe, `ankle_height` below the ankle.
struct BodyModel {
  double height = 0;  // stature
  double span = 0;    // fingertip to fingertip
  bool height_from_profile = false;
  bool span_from_profile = false;
  double upper_arm = 0, forearm = 0, hand = 0, grip_offset = 0;
  double thigh = 0, leg = 0, ankle_height = 0;
  double trunk = 0;                 // hip midpoint → shoulder midpoint
  double shoulder_width = 0;        // between the shoulder joints
  double hip_width = 0;             // between the hip joints
  double head_above_shoulders = 0;  // ear canal above the shoulder midpoint
  double head_width = 0;            // between the ears
  // How far the centre of mass may lie outside its support (the coaching's
  // kBaseOfSupportMargin: half a foot length).
  double support_margin = 0;
  LimbConditions limbs{};

  bool Available(Limb limb) const { return limbs[Index(limb)] != LimbCondition::kAbsent; }
  bool Injured(Limb limb) const { return limbs[Index(limb)] == LimbCondition::kInjured; }
  // Root joint → end point distance limits: an arm from the shoulder to the grip, a leg from the
  // hip to the ankle. The maximum keeps the limb just short of locked straight.
  double MaxReach(Limb limb) const;
  double MinReach(Limb limb) const;
};

// Builds the body from a profile; defaults: height kDefaultHeightCm, span = height. Fails
// (kInvalidArgument, naming the field as the API spells it) on what domain::ValidateProfile
// refuses (height 100–230 cm, span 100–250 cm, finite numbers), a span outside 80–125 % of the
// height, or a profile without any available arm.
Result<BodyModel> MakeBodyModel(const ClimberProfile& profile);

// Where the torso is: the hip midpoint and the lean of the trunk (radians from vertical,
// positive = shoulders to the right of the hips).
struct TorsoPose {
  Vec2 pelvis;
  double lean = 0;
};

// The points of a posed body in the wall frame, by MediaPipe landmark index (present[i] says
// which are set: 0 nose, 7/8 ears, 11–16 arms, 17–22 hands, 23–28 legs, 29–32 feet), and its
// centre of mass (segment model of docs/coaching.md, absent limbs left out).
struct Skeleton {
  std::array<Vec2, domain::kLandmarkCount> points{};
  std::array<bool, domain::kLandmarkCount> present{};
  Vec2 com;
};

// Ends of the limbs: for a hand its grip point, for a foot its toe. A limb without an end hangs.
using LimbEnds = std::array<std::optional<Vec2>, kLimbCount>;

// The shoulder or hip a limb hangs from.
Vec2 LimbRoot(const BodyModel& body, const TorsoPose& torso, Limb limb);
// The point the root must reach for the limb's end to be at `end`: the grip itself for a hand,
// the ankle (`ankle_height` above the toe) for a foot.
Vec2 ReachPoint(const BodyModel& body, Limb limb, Vec2 end);

// Poses the whole body: each limb with an end reaches for it by two-bone inverse kinematics
// (segment lengths constant; an end out of reach gives a straight limb pointing at it), elbows
// bending down and out, knees out. Absent limbs hang straight down and carry no mass.
Skeleton PoseBody(const BodyModel& body, const TorsoPose& torso, const LimbEnds& ends);
// The centre of mass of PoseBody(body, torso, ends), computed without the other points.
Vec2 CentreOfMass(const BodyModel& body, const TorsoPose& torso, const LimbEnds& ends);

// Which limbs hold the body and the rule its centre of mass must satisfy.
//   kPolygon: within support_margin of the convex hull of the contact points (the coaching's
//             com_in_support) — every state of a beta.
//   kVertical: horizontally within the contacts' x-range ± support_margin, i.e. inside the base
//             of support projected along gravity — the stance during a move, when one limb is off.
enum class SupportRule { kPolygon, kVertical };
bool ComSupported(const BodyModel& body, const LimbEnds& contacts, Vec2 com, SupportRule rule);
// 0 when the centre of mass is above the middle of the contacts' x-range, 1 at its edge ± margin.
double Balance(const BodyModel& body, const LimbEnds& contacts, Vec2 com);

struct StanceQuery {
  LimbEnds contacts;  // limbs holding the body
  SupportRule rule = SupportRule::kPolygon;
  // A free limb that must also reach a point (the hold a move goes to).
  std::optional<Limb> reach_limb;
  Vec2 reach_target;
  // Soft: the free limb should also reach this point (the hold it leaves), so that it can stay
  // on it while the body shifts.
  std::optional<Vec2> prefer_reach;
  // Soft: stay close to this torso pose (continuity between successive poses of a ghost).
  std::optional<TorsoPose> near;
  // Refine the best sample by a local search (the ghost's poses); the planner only samples.
  bool refine = true;
};

struct StanceSolution {
  TorsoPose torso;
  Vec2 com;
  // Limbs near full extension or folded, holding hands locked off below their shoulders, and
  // trunk lean (0 = relaxed; about 1 per limb at a limit).
  double strain = 0;
  double balance = 0;  // Balance() of the solution
};

// Finds the most comfortable torso pose that holds the query: every contact (and the reach
// target) within its limb's reach, no ankle more than 0.1 of the stature above the hips, the centre
// of mass supported by the rule. Samples the lean and the pelvis position, then refines; nullopt
// when no pose does.
std::optional<StanceSolution> SolveStance(const BodyModel& body, const StanceQuery& query);

// How far `limb` would miss `target` at best over the torso poses that hold `contacts` under
// `rule` (metres; ≤ 0 means it reaches). nullopt when the contacts alone cannot be held.
std::optional<double> ReachShortfall(const BodyModel& body, const LimbEnds& contacts,
                                     SupportRule rule, Limb limb, Vec2 target);

}  // namespace ascension::ghost
