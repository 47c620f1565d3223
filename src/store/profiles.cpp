#include "store/profiles.hpp"

#include <charconv>

#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

const char* const kColumns =
    "height_cm, weight_kg, arm_span_cm, grade_system, grade, dominant_hand, left_arm, "
    "right_arm, left_leg, right_leg";

// The limb columns, in domain::BodyLimb order.
constexpr const char* kLimbColumns[] = {"left_arm", "right_arm", "left_leg", "right_leg"};

// A row read back through the same rules as an update (a value another writer stored outside
// them is a row error, never a profile the API would refuse).
Result<domain::ClimberProfile> ReadProfile(const pg::Rows& rows) {
  if (rows.empty()) return domain::ClimberProfile{};
  pg::Row r(rows, 0, "climber_profiles");
  domain::ProfilePatch patch;
  auto number = [&](const char* column, domain::Patch<double>* out) {
    if (auto v = r.OptDouble(column)) *out = domain::Patch<double>::Set(*v);
  };
  number("height_cm", &patch.height_cm);
  number("weight_kg", &patch.weight_kg);
  number("arm_span_cm", &patch.arm_span_cm);
  auto system = r.OptText("grade_system");
  auto grade = r.OptText("grade");
  if (system && grade) {
    patch.level = domain::Patch<domain::LevelText>::Set({*system, *grade});
  } else if (system || grade) {
    r.Reject("grade", "is set without its system (or the other way round)");
  }
  if (auto hand = r.OptText("dominant_hand")) {
    patch.dominant_hand = domain::Patch<std::string>::Set(*hand);
  }
  for (domain::BodyLimb l : domain::kBodyLimbs) {
    if (auto c = r.OptText(kLimbColumns[static_cast<int>(l)])) {
      patch.limb[static_cast<int>(l)] = domain::Patch<std::string>::Set(*c);
    }
  }
  if (!r.ok()) return r.status();
  domain::PatchOutcome out = domain::ApplyProfilePatch(domain::ClimberProfile{}, patch);
  if (out.error) return DataLoss("climber_profiles: " + out.error->message);
  return std::move(out.profile);
}

pg::Param Number(const std::optional<double>& v) {
  if (!v) return pg::Null();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  if (ec != std::errc()) return pg::Null();
  return std::string(buf, end);
}

template <typename T, typename Name>
pg::Param Named(const std::optional<T>& v, Name name) {
  if (!v) return pg::Null();
  return std::string(name(*v));
}

}  // namespace

Result<domain::ClimberProfile> PgProfileRepository::Find(const domain::Uuid& user_id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows =
      (*conn)->Exec(std::string("SELECT ") + kColumns + " FROM climber_profiles WHERE user_id = $1",
                    {P(user_id)});
  if (!rows.ok()) return rows.status();
  return ReadProfile(*rows);
}

Result<domain::ClimberProfile> PgProfileRepository::Update(
    const domain::Uuid& user_id,
    const std::function<Result<domain::ClimberProfile>(const domain::ClimberProfile&)>& change) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  // The row exists (and is locked) from here on; a missing account fails the foreign key.
  auto inserted =
      tx.Exec("INSERT INTO climber_profiles (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING",
              {P(user_id)});
  if (!inserted.ok()) {
    if (inserted.status().kind() == ErrorKind::kFailedPrecondition) {
      return NotFound("no such account");
    }
    return inserted.status();
  }
  auto rows = tx.Exec(
      std::string("SELECT ") + kColumns + " FROM climber_profiles WHERE user_id = $1 FOR UPDATE",
      {P(user_id)});
  if (!rows.ok()) return rows.status();
  auto current = ReadProfile(*rows);
  if (!current.ok()) return current.status();
  auto next = change(*current);
  if (!next.ok()) return next.status();
  const domain::ClimberProfile& p = *next;
  std::vector<pg::Param> params = {
      P(user_id),
      Number(p.height_cm),
      Number(p.weight_kg),
      Number(p.arm_span_cm),
      p.level ? pg::Param(std::string(domain::GradeSystemName(p.level->system()))) : pg::Null(),
      p.level ? pg::Param(p.level->text()) : pg::Null(),
      Named(p.dominant_hand, domain::HandName)};
  for (domain::BodyLimb l : domain::kBodyLimbs) {
    params.push_back(Named(p.condition(l), domain::LimbConditionName));
  }
  auto updated = tx.Exec(
      "UPDATE climber_profiles SET height_cm = $2, weight_kg = $3, arm_span_cm = $4, "
      "grade_system = $5, grade = $6, dominant_hand = $7, left_arm = $8, right_arm = $9, "
      "left_leg = $10, right_leg = $11, updated_at = now() WHERE user_id = $1",
      params);
  if (!updated.ok()) return updated.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return next;
}

}  // namespace ascension::store
