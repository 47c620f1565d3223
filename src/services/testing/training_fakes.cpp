#include "services/testing/training_fakes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "domain/rules.hpp"

namespace ascension::services::testing {

Result<domain::ClimberProfile> FakeProfileRepository::Find(const domain::Uuid& user_id) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.profiles.find(user_id);
  return it == db_.profiles.end() ? domain::ClimberProfile{} : it->second;
}

Result<domain::ClimberProfile> FakeProfileRepository::Update(
    const domain::Uuid& user_id,
    const std::function<Result<domain::ClimberProfile>(const domain::ClimberProfile&)>& change) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  if (db_.users.count(user_id) == 0) return NotFound("no such account");
  auto it = db_.profiles.find(user_id);
  auto next = change(it == db_.profiles.end() ? domain::ClimberProfile{} : it->second);
  if (!next.ok()) return next.status();
  db_.profiles[user_id] = *next;
  return next;
}

Result<ports::StoredProgram> FakeProgramRepository::CreateActive(const domain::Uuid& id,
                                                                 const domain::Uuid& user_id,
                                                                 const training::Program& program) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  if (db_.users.count(user_id) == 0) return NotFound("no such account");
  for (auto& [pid, row] : db_.programs) {
    if (row.stored.user_id == user_id) row.active = false;
  }
  ports::StoredProgram s{id, user_id, 1, db_.Now(), db_.Now(), program};
  db_.programs[id] = {s, true};
  return s;
}

Result<std::optional<ports::StoredProgram>> FakeProgramRepository::FindActive(
    const domain::Uuid& user_id) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  for (const auto& [pid, row] : db_.programs) {
    if (row.stored.user_id == user_id && row.active) {
      return std::optional<ports::StoredProgram>(row.stored);
    }
  }
  return std::optional<ports::StoredProgram>();
}

Result<std::optional<ports::StoredProgram>> FakeProgramRepository::FindOwned(
    const domain::Uuid& id, const domain::Uuid& user_id) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.programs.find(id);
  if (it == db_.programs.end() || it->second.stored.user_id != user_id) {
    return std::optional<ports::StoredProgram>();
  }
  return std::optional<ports::StoredProgram>(it->second.stored);
}

Result<std::optional<ports::StoredProgram>> FakeProgramRepository::Update(
    const domain::Uuid& id, int version, const training::Program& program) {
  if (before_update) before_update();
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.programs.find(id);
  if (it == db_.programs.end() || it->second.stored.version != version) {
    return std::optional<ports::StoredProgram>();
  }
  it->second.stored.program = program;
  ++it->second.stored.version;
  it->second.stored.updated_at = db_.Now();
  return std::optional<ports::StoredProgram>(it->second.stored);
}

Result<ports::LoggedSession> FakeProgramRepository::AddSession(
    const domain::Uuid& id, const domain::Uuid& program_id, const domain::Uuid& user_id,
    const training::DoneSession& session) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.programs.find(program_id);
  if (it == db_.programs.end() || it->second.stored.user_id != user_id) {
    return NotFound("no such program");
  }
  ports::LoggedSession s{id, program_id, db_.Now(), session};
  db_.journal.push_back(s);
  return s;
}

Result<domain::PageOf<ports::LoggedSession>> FakeProgramRepository::Sessions(
    const domain::Uuid& program_id, const domain::Page& page) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<ports::LoggedSession> all;
  for (const auto& s : db_.journal) {
    if (s.program_id == program_id) all.push_back(s);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.session.date < b.session.date; });
  domain::PageOf<ports::LoggedSession> out;
  out.total = static_cast<std::int64_t>(all.size());
  for (std::size_t i = static_cast<std::size_t>(page.offset());
       i < all.size() && out.items.size() < static_cast<std::size_t>(page.per_page); ++i) {
    out.items.push_back(all[i]);
  }
  return out;
}

Result<std::vector<training::DoneSession>> FakeProgramRepository::Journal(
    const domain::Uuid& program_id) {
  auto page = Sessions(program_id, domain::Page{1, 1 << 30});
  if (!page.ok()) return page.status();
  std::vector<training::DoneSession> out;
  for (const auto& s : page->items) out.push_back(s.session);
  return out;
}

Result<std::vector<ports::AnalysisOutcome>> FakeScoreHistory::Outcomes(
    const domain::Uuid& user_id) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<ports::AnalysisOutcome> out;
  for (const auto& [id, stored] : db_.analyses) {
    const domain::Analysis& a = stored.analysis;
    if (a.user_id != user_id) continue;
    ports::AnalysisOutcome o;
    o.created_at = a.created_at;
    o.status = a.status;
    o.scores.analysis_id = a.id.str();
    o.scores.date = std::chrono::floor<std::chrono::days>(a.created_at);
    if (a.status == domain::kCompleted && a.result_json) {
      const auto doc = nlohmann::json::parse(*a.result_json, nullptr, false);
      const auto ptr = nlohmann::json::json_pointer("/biomechanics/summary/scores");
      if (doc.is_object() && doc.contains(ptr) && doc[ptr].is_object()) {
        const auto& s = doc[ptr];
        auto read = [&s](const std::string& name) -> std::optional<double> {
          auto it = s.find(name);
          if (it == s.end() || !it->is_number()) return std::nullopt;
          return it->get<double>();
        };
        o.scores.global = read("global");
        for (domain::Indicator i : domain::kIndicators) {
          o.scores.indicators.Set(i, read(std::string(domain::IndicatorName(i))));
        }
      }
    }
    out.push_back(std::move(o));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  return out;
}

std::string ResultWithScores(std::optional<double> global,
                             const domain::IndicatorValues& indicators) {
  nlohmann::json scores = {{"global", global ? nlohmann::json(*global) : nlohmann::json()}};
  for (domain::Indicator i : domain::kIndicators) {
    const auto v = indicators.Get(i);
    scores[std::string(domain::IndicatorName(i))] = v ? nlohmann::json(*v) : nlohmann::json();
  }
  return nlohmann::json{{"frames", nlohmann::json::array()},
                        {"biomechanics", {{"summary", {{"scores", scores}}}}}}
      .dump();
}

}  // namespace ascension::services::testing
