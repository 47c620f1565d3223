// Anthropometric constants for the centre of mass and the body-height estimate.
//
// Segment masses and centre-of-mass positions: Dempster (1955) as tabulated in D. A. Winter,
// "Biomechanics and Motor Control of Human Movement", 4th ed., Wiley 2009, Table 4.1. Mass is a
// fraction of total body mass; `com_from_proximal` is the distance of the segment's centre of
// mass from its proximal end as a fraction of the segment length. The combined segments
// "forearm and hand" (elbow → ulnar styloid) and "leg and foot" (femoral condyles → medial
// malleolus) are used because BlazePose gives the wrist and ankle but the reference data has no
// hand or foot end points. Masses sum to 1: 2·(0.028 + 0.022) + 2·(0.100 + 0.061) + 0.497 +
// 0.081 = 1.000.
//
// Segment lengths as fractions of stature: Drillis & Contini (1966), Winter 2009, Fig. 4.1.
#pragma once

namespace ascension::coaching::anthropometry {

struct Segment {
  double mass_fraction;
  double com_from_proximal;
};

// Glenohumeral joint → elbow axis.
inline constexpr Segment kUpperArm{0.028, 0.436};
// Elbow axis → ulnar styloid, hand included.
inline constexpr Segment kForearmAndHand{0.022, 0.682};
// Greater trochanter → femoral condyles.
inline constexpr Segment kThigh{0.100, 0.433};
// Femoral condyles → medial malleolus, foot included.
inline constexpr Segment kLegAndFoot{0.061, 0.606};
// Greater trochanter → glenohumeral joint (midpoints of both sides).
inline constexpr Segment kTrunk{0.497, 0.500};
// C7–T1 → ear canal; the centre of mass lies at the ear canal (1.000 from proximal).
inline constexpr Segment kHeadAndNeck{0.081, 1.000};

// Stature fractions (Drillis & Contini): shoulder height 0.818, hip (greater trochanter) 0.530,
// ear canal ≈ eye height 0.936.
inline constexpr double kUpperArmLength = 0.186;
inline constexpr double kForearmLength = 0.146;
inline constexpr double kThighLength = 0.245;
inline constexpr double kLegLength = 0.246;
inline constexpr double kTrunkLength = 0.818 - 0.530;
// Shoulder width (biacromial, 0.259 of stature) over the trunk length.
inline constexpr double kShouldersPerTrunk = 0.259 / (0.818 - 0.530);
// Ear canal above the shoulder line, as a fraction of the trunk length: (0.936 − 0.818) / 0.288.
// Used to place the head when neither ears nor nose are visible.
inline constexpr double kHeadAboveShouldersPerTrunk = (0.936 - 0.818) / (0.818 - 0.530);

}  // namespace ascension::coaching::anthropometry
