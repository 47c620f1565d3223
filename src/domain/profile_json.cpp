#include "domain/profile_json.hpp"

namespace ascension::domain {
namespace {

using nlohmann::json;

json Opt(const std::optional<double>& v) {
  return v ? json(*v) : json();
}

// A name the client sent, shown in an error: at most 40 bytes, cut on a character boundary.
std::string Shown(const std::string& name) {
  constexpr std::size_t kMax = 40;
  if (name.size() <= kMax) return name;
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
  return name.substr(0, end) + "...";
}

Status Problem(const std::string& field, std::string_view what) {
  return InvalidArgument(field + " " + std::string(what));
}

// A number field of a patch: absent, null (clear) or a number.
Status ReadNumber(const json& body, const char* name, Patch<double>* out) {
  auto it = body.find(name);
  if (it == body.end()) return Status::Ok();
  if (it->is_null()) {
    *out = Patch<double>::Clear();
  } else if (it->is_number()) {
    *out = Patch<double>::Set(it->get<double>());
  } else {
    return Problem(name, "must be a number or null");
  }
  return Status::Ok();
}

Status ReadName(const json& body, const std::string& field, const char* name,
                Patch<std::string>* out) {
  auto it = body.find(name);
  if (it == body.end()) return Status::Ok();
  if (it->is_null()) {
    *out = Patch<std::string>::Clear();
  } else if (it->is_string()) {
    *out = Patch<std::string>::Set(it->get<std::string>());
  } else {
    return Problem(field, "must be a string or null");
  }
  return Status::Ok();
}

Status ReadLevel(const json& body, Patch<LevelText>* out) {
  auto it = body.find("level");
  if (it == body.end()) return Status::Ok();
  if (it->is_null()) {
    *out = Patch<LevelText>::Clear();
    return Status::Ok();
  }
  if (!it->is_object()) return Problem("level", "must be an object {system, grade} or null");
  LevelText level;
  for (const auto& [key, value] : it->items()) {
    if (key != "system" && key != "grade") return Problem("level." + Shown(key), "is not a field");
  }
  for (const char* name : {"system", "grade"}) {
    auto f = it->find(name);
    if (f == it->end() || !f->is_string()) {
      return Problem(std::string("level.") + name, "is required and must be a string");
    }
    (std::string_view(name) == "system" ? level.system : level.grade) = f->get<std::string>();
  }
  *out = Patch<LevelText>::Set(std::move(level));
  return Status::Ok();
}

Status ReadLimbs(const json& body, ProfilePatch* out) {
  auto it = body.find("limbs");
  if (it == body.end()) return Status::Ok();
  if (it->is_null()) {
    out->limbs_cleared = true;
    return Status::Ok();
  }
  if (!it->is_object()) return Problem("limbs", "must be an object or null");
  for (const auto& [key, value] : it->items()) {
    const auto limb = ParseBodyLimb(key);
    const std::string field = "limbs." + Shown(key);
    if (!limb) return Problem(field, "is not a limb (left_arm, right_arm, left_leg, right_leg)");
    if (Status s = ReadName(*it, field, key.c_str(), &out->limb[static_cast<int>(*limb)]);
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace

json ProfileJson(const ClimberProfile& p) {
  json limbs = json::object();
  for (BodyLimb l : kBodyLimbs) {
    if (const auto c = p.condition(l)) {
      limbs[std::string(BodyLimbName(l))] = LimbConditionName(*c);
    }
  }
  json level;
  if (p.level) level = {{"system", GradeSystemName(p.level->system())}, {"grade", p.level->text()}};
  return {{"height_cm", Opt(p.height_cm)},
          {"weight_kg", Opt(p.weight_kg)},
          {"arm_span_cm", Opt(p.arm_span_cm)},
          {"level", std::move(level)},
          {"dominant_hand", p.dominant_hand ? json(HandName(*p.dominant_hand)) : json()},
          {"limbs", std::move(limbs)}};
}

Result<ClimberProfile> ProfileFromJson(const json& j) {
  if (!j.is_object()) return InvalidArgument("profile must be an object");
  // A stored profile reads like a patch of an empty one, except that null limbs mean usable.
  auto patch = DecodeProfilePatch(j);
  if (!patch.ok()) return patch.status();
  const PatchOutcome out = ApplyProfilePatch(ClimberProfile{}, *patch);
  if (out.error) return InvalidArgument(out.error->message);
  return out.profile;
}

Result<ProfilePatch> DecodeProfilePatch(const json& body) {
  if (!body.is_object()) return InvalidArgument("the profile must be a JSON object");
  static constexpr const char* kFields[] = {"height_cm", "weight_kg",     "arm_span_cm",
                                            "level",     "dominant_hand", "limbs"};
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* f : kFields) known |= key == f;
    if (!known) return Problem(Shown(key), "is not a field of the profile");
  }
  ProfilePatch p;
  Status s = ReadNumber(body, "height_cm", &p.height_cm);
  if (s.ok()) s = ReadNumber(body, "weight_kg", &p.weight_kg);
  if (s.ok()) s = ReadNumber(body, "arm_span_cm", &p.arm_span_cm);
  if (s.ok()) s = ReadLevel(body, &p.level);
  if (s.ok()) s = ReadName(body, "dominant_hand", "dominant_hand", &p.dominant_hand);
  if (s.ok()) s = ReadLimbs(body, &p);
  if (!s.ok()) return s;
  return p;
}

}  // namespace ascension::domain
