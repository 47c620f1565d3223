// Route registration, one function per group of endpoints. Each handler validates its input,
// talks to the store and storage through the context, and answers in the shapes of DESIGN.md.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace ascension::api {

void RegisterSystemRoutes(http::Router& r, ApiContext& ctx);    // /health /ready /metrics /openapi.json
void RegisterAuthRoutes(http::Router& r, ApiContext& ctx);      // /v1/auth/*
void RegisterUserRoutes(http::Router& r, ApiContext& ctx);      // /v1/users*
void RegisterVideoRoutes(http::Router& r, ApiContext& ctx);     // /v1/videos*
void RegisterAnalysisRoutes(http::Router& r, ApiContext& ctx);  // /v1/analyses*
void RegisterStatsRoutes(http::Router& r, ApiContext& ctx);     // /v1/users/me/stats

// Deletes every stored object of a user (uploads/ and saved/ prefixes). Used by account
// erasure, self-service and admin.
Status EraseUserObjects(ApiContext& ctx, const std::string& user_id);

}  // namespace ascension::api
