// The JSON shapes of the HTTP API (DESIGN.md, api/openapi.json) for the domain values.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "domain/account.hpp"
#include "domain/analysis.hpp"
#include "domain/video.hpp"
#include "services/accounts.hpp"
#include "services/videos.hpp"

namespace ascension::api {

// `language` is the profile's, or `default_language` when the climber never chose one. Quota
// figures are included when `quota_used` is given.
nlohmann::json UserJson(const domain::User& u, domain::Language default_language,
                        std::optional<int> quota_used = std::nullopt);
// {access_token, refresh_token, token_type, expires_in, user_id, user}: the app's shape.
nlohmann::json SessionJson(const services::Session& s, domain::Language default_language);
nlohmann::json VideoJson(const domain::Video& v);
nlohmann::json UploadTicketJson(const services::UploadTicket& t, std::chrono::seconds ttl,
                                std::int64_t max_bytes);
nlohmann::json PlaybackJson(const services::Playback& p, std::chrono::seconds ttl);
// The mobile app's analysis shape: result_json stays a JSON-encoded string.
nlohmann::json AnalysisJson(const domain::Analysis& a);

}  // namespace ascension::api
