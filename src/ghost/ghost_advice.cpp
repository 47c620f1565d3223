#include "ghost/ghost_advice.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace ascension::ghost {
namespace {

using coaching::Advice;
using coaching::AdviceKind;
using coaching::Evidence;
using coaching::Language;

struct Texts {
  std::string_view title;
  std::array<std::string_view, 3> points;
};

struct Entry {
  std::string_view id;
  Texts en;
  Texts fr;
};

// Placeholders: {t} timecode, {limb} the limb ("your left hand" / "votre main gauche"), {hold} the
// climber's hold, {ghost} the ghost's hold (by number: HoldNumber), {cm} a distance in cm, {s}
// and {gs} seconds.
constexpr Entry kTable[] = {
    {"ghost_other_hold",
     {"Another hold than the ghost's",
      {"{t} {Limb} went to hold {hold}; the ghost takes hold {ghost}, {cm} cm away.",
       "Spot hold {ghost} before the move: it keeps the line the ghost climbs.",
       "Replay this moment with the ghost beside your video and try its hold next time."}},
     {"Une autre prise que celle du fantôme",
      {"{t} Vous avez mis {limb} sur la prise {hold} ; le fantôme prend la prise {ghost}, à {cm} "
       "cm.",
       "Repérez la prise {ghost} avant le mouvement : elle garde la ligne du fantôme.",
       "Revoyez ce moment avec le fantôme à côté de votre vidéo et essayez sa prise la "
       "prochaine fois."}}},
    {"ghost_extra_move",
     {"A move the ghost does without",
      {"{t} {Limb} moved to hold {hold}: the ghost does not need this move.",
       "Each extra move costs strength: read the feet and hands of the sequence from the ground.",
       "Place the limb where the next move needs it, once."}},
     {"Un mouvement dont le fantôme se passe",
      {"{t} Vous avez mis {limb} sur la prise {hold} : le fantôme n'a pas besoin de ce "
       "mouvement.",
       "Chaque mouvement en trop coûte de la force : lisez les pieds et les mains depuis le sol.",
       "Placez le membre là où le mouvement suivant en a besoin, en une fois."}}},
    {"ghost_skipped_move",
     {"A hold the ghost uses and you did not",
      {"{t} The ghost puts {limb} on hold {ghost}; you went on without it.",
       "That placement makes the next move shorter and steadier.",
       "Try it on your next attempt, even if the move felt possible without it."}},
     {"Une prise que le fantôme utilise et pas vous",
      {"{t} Le fantôme pose {limb} sur la prise {ghost} ; vous avez continué sans elle.",
       "Ce placement rend le mouvement suivant plus court et plus stable.",
       "Essayez-le au prochain essai, même si le mouvement vous semblait possible sans."}}},
    {"ghost_com_far",
     {"Your weight is away from the ghost's",
      {"{t} When {limb} landed, your centre of mass was {cm} cm from the ghost's.",
       "Move the hips under the hold you are going to, as the ghost does, before you reach.",
       "Keep the weight over the feet: the arms then only guide the body."}},
     {"Votre poids est loin de celui du fantôme",
      {"{t} À l'arrivée de {limb} sur sa prise, votre centre de gravité était à {cm} cm de "
       "celui "
       "du fantôme.",
       "Placez les hanches sous la prise visée, comme le fantôme, avant d'aller la chercher.",
       "Gardez le poids sur les pieds : les bras ne font alors que guider le corps."}}},
    {"ghost_slow_move",
     {"A move much slower than the ghost's",
      {"{t} Moving {limb} to hold {hold} took {s} s; the ghost takes {gs} s.",
       "Decide the next hold before you leave this one, then move in one go.",
       "If the hold is far, set the feet first: the ghost's feet show where."}},
     {"Un mouvement bien plus lent que celui du fantôme",
      {"{t} Amener {limb} sur la prise {hold} vous a pris {s} s ; le fantôme met {gs} s.",
       "Choisissez la prise suivante avant de lâcher celle-ci, puis bougez d'un seul geste.",
       "Si la prise est loin, placez d'abord les pieds : ceux du fantôme montrent où."}}},
};

const Entry* Find(std::string_view id) {
  for (const Entry& e : kTable) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string LimbPhrase(Limb limb, Language lang, bool capital) {
  static constexpr std::array<std::string_view, 4> kEn = {"your left hand", "your right hand",
                                                          "your left foot", "your right foot"};
  static constexpr std::array<std::string_view, 4> kFr = {"votre main gauche", "votre main droite",
                                                          "votre pied gauche", "votre pied droit"};
  std::string s(lang == Language::kFrench ? kFr[Index(limb)] : kEn[Index(limb)]);
  if (capital) s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

struct Values {
  std::int64_t t = 0;
  Limb limb = Limb::kLeftHand;
  std::string hold, ghost;
  double cm = 0, s = 0, gs = 0;
};

std::string Fill(std::string_view text, const Values& v, Language lang) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    const std::size_t close = text.find('}', i);
    const std::string_view key = text.substr(i + 1, close - i - 1);
    char buf[32];
    if (key == "t") {
      out += coaching::FormatTimecode(v.t);
    } else if (key == "limb" || key == "Limb") {
      out += LimbPhrase(v.limb, lang, key == "Limb");
    } else if (key == "hold") {
      out += v.hold;
    } else if (key == "ghost") {
      out += v.ghost;
    } else if (key == "cm") {
      std::snprintf(buf, sizeof buf, "%.0f", v.cm);
      out += buf;
    } else if (key == "s" || key == "gs") {
      std::snprintf(buf, sizeof buf, "%.1f", key == "s" ? v.s : v.gs);
      out += buf;
      if (lang == Language::kFrench) std::replace(out.end() - 3, out.end(), '.', ',');
    }
    i = close;
  }
  return out;
}

struct Candidate {
  double severity = 0;
  std::string id;
  Values values;
  Evidence evidence;  // about one move: its basis is that move's frames (not the whole climb)
};

// The basis of a deviation: the frames and time of the real move it is about.
coaching::Coverage MoveBasis(std::int64_t start_ms, std::int64_t end_ms, double fps) {
  const std::int64_t ms = std::max<std::int64_t>(0, end_ms - start_ms);
  return {std::max(1, static_cast<int>(std::llround(ms * fps / 1000.0)) + 1), ms};
}

Evidence MakeEvidence(std::string measure, double value, double threshold, std::vector<int> frames,
                      coaching::Coverage basis) {
  Evidence e;
  e.measure = std::move(measure);
  e.value = value;
  e.threshold = threshold;
  e.frames = std::move(frames);
  e.basis = basis;
  return e;
}

int FrameAt(std::int64_t ms, double fps) {
  return static_cast<int>(std::llround(ms * fps / 1000.0));
}

}  // namespace

std::vector<std::string_view> GhostAdviceIds() {
  std::vector<std::string_view> ids;
  for (const Entry& e : kTable) ids.push_back(e.id);
  return ids;
}

std::vector<std::string> GhostAdviceTexts(std::string_view id, std::string_view lang_tag) {
  const Language lang = coaching::ParseLanguage(lang_tag);
  std::vector<std::string> out;
  const Entry* e = Find(id);
  if (e == nullptr) return out;
  const Texts& texts = lang == Language::kFrench ? e->fr : e->en;
  for (Limb limb : {Limb::kLeftHand, Limb::kRightHand, Limb::kLeftFoot, Limb::kRightFoot}) {
    Values v;
    v.t = 12345;
    v.limb = limb;
    v.hold = "12";
    v.ghost = "17";
    v.cm = 23;
    v.s = 3.5;
    v.gs = 1.2;
    out.emplace_back(texts.title);
    for (std::string_view p : texts.points) out.push_back(Fill(p, v, lang));
  }
  return out;
}

std::vector<Advice> GhostAdvice(const Route& route, const Ghost& ghost, const Comparison& c,
                                std::string_view lang_tag, const GhostAdviceOptions& options) {
  const Language lang = coaching::ParseLanguage(lang_tag);
  // "hold 18", as the web names it: the hold's number in the route's order (route.hpp), not its
  // id (a UUID for a stored route).
  const auto hold_number = [&](std::size_t i) {
    return i < route.holds.size() ? std::to_string(HoldNumber(i)) : std::string("?");
  };
  std::vector<Candidate> candidates;
  for (const AlignedMove& a : c.moves) {
    const RealMove* rm = a.real_move ? &c.real_moves[*a.real_move] : nullptr;
    const GhostMove* gm = a.ghost_move ? &ghost.moves[*a.ghost_move] : nullptr;
    Candidate k;
    k.values.limb = a.limb;
    if (rm) k.values.hold = hold_number(rm->to_hold);
    const coaching::Coverage basis = rm ? MoveBasis(rm->start_ms, rm->end_ms, options.video_fps)
                                        : MoveBasis(gm->start_ms, gm->end_ms, options.video_fps);
    if (gm && gm->to.kind == Contact::Kind::kHold) k.values.ghost = hold_number(gm->to.hold);
    switch (a.kind) {
      case AlignmentKind::kOtherHold:
        k.id = "ghost_other_hold";
        k.values.t = rm->end_ms;
        k.values.cm = a.hold_distance * 100;
        k.severity = 0.6 + 0.4 * std::min(1.0, a.hold_distance / 0.5);
        k.evidence = MakeEvidence("hold_distance_cm", std::round(a.hold_distance * 1000) / 10, 0,
                                  {FrameAt(rm->end_ms, options.video_fps)}, basis);
        candidates.push_back(k);
        break;
      case AlignmentKind::kExtraMove:
        k.id = "ghost_extra_move";
        k.values.t = rm->end_ms;
        k.severity = 0.5;
        k.evidence = MakeEvidence("extra_moves", static_cast<double>(c.extra), 0,
                                  {FrameAt(rm->end_ms, options.video_fps)}, basis);
        candidates.push_back(k);
        break;
      case AlignmentKind::kSkippedMove: {
        k.id = "ghost_skipped_move";
        // The moment in the video: when the climber was where the ghost makes this move.
        std::int64_t t = 0;
        for (const auto& [video_ms, ghost_ms] : c.sync) {
          if (ghost_ms <= gm->end_ms) t = video_ms;
        }
        k.values.t = t;
        k.severity = 0.4;
        k.evidence = MakeEvidence("skipped_moves", static_cast<double>(c.skipped), 0,
                                  {FrameAt(t, options.video_fps)}, basis);
        candidates.push_back(k);
        break;
      }
      case AlignmentKind::kSameHold:
        break;
    }
    if (rm && gm && a.com_distance && *a.com_distance * 100 > kComAdviceCm) {
      Candidate m = k;
      m.id = "ghost_com_far";
      m.values.t = rm->end_ms;
      m.values.cm = *a.com_distance * 100;
      m.severity = 0.3 + 0.7 * std::min(1.0, (m.values.cm - kComAdviceCm) / 35);
      m.evidence = MakeEvidence("com_distance_cm", std::round(*a.com_distance * 1000) / 10,
                                kComAdviceCm, {FrameAt(rm->end_ms, options.video_fps)}, basis);
      candidates.push_back(m);
    }
    if (rm && gm && a.time_delta_ms) {
      const std::int64_t real_ms = rm->end_ms - rm->start_ms;
      const std::int64_t ghost_ms = gm->end_ms - gm->start_ms;
      if (real_ms > kSlowMoveFactor * ghost_ms && real_ms - ghost_ms > kSlowMoveMinExtraMs) {
        Candidate m = k;
        m.id = "ghost_slow_move";
        m.values.t = rm->start_ms;
        m.values.s = real_ms / 1000.0;
        m.values.gs = ghost_ms / 1000.0;
        const double ratio = static_cast<double>(real_ms) / std::max<std::int64_t>(ghost_ms, 1);
        m.severity = 0.3 + 0.7 * std::min(1.0, (ratio - kSlowMoveFactor) / 2);
        m.evidence = MakeEvidence(
            "move_ms", static_cast<double>(real_ms),
            kSlowMoveFactor * static_cast<double>(ghost_ms),
            {FrameAt(rm->start_ms, options.video_fps), FrameAt(rm->end_ms, options.video_fps)},
            basis);
        candidates.push_back(m);
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.severity > b.severity; });
  std::vector<Advice> out;
  for (const Candidate& k : candidates) {
    if (static_cast<int>(out.size()) >= options.max_entries) break;
    const Entry* e = Find(k.id);
    const Texts& texts = lang == Language::kFrench ? e->fr : e->en;
    Advice a;
    a.id = k.id;
    a.kind = AdviceKind::kImprovement;
    a.priority = static_cast<int>(out.size()) + 1;
    a.timestamp_ms = std::max<std::int64_t>(0, k.values.t);
    a.language = lang;
    a.title = std::string(texts.title);
    for (std::string_view p : texts.points) a.points.push_back(Fill(p, k.values, lang));
    a.evidence.push_back(k.evidence);
    // The limb the advice is about (never an absent one: the ghost does not use it).
    a.limbs.push_back(static_cast<domain::BodyLimb>(Index(k.values.limb)));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace ascension::ghost
