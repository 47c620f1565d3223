// Route registration, one function per group of endpoints. Handlers only translate: they read
// the request (the JSON body is already parsed by the json_body prologue), call one service and
// answer in the shapes of DESIGN.md (views.hpp).
#pragma once

#include "api/context.hpp"
#include "api/respond.hpp"
#include "http/router.hpp"

namespace ascension::api {

void RegisterSystemRoutes(http::Router& r,
                          ApiContext& ctx);                 // /health /ready /metrics /openapi.json
void RegisterAuthRoutes(http::Router& r, ApiContext& ctx);  // /v1/auth/*
void RegisterUserRoutes(http::Router& r, ApiContext& ctx);  // /v1/users*
void RegisterVideoRoutes(http::Router& r, ApiContext& ctx);     // /v1/videos*
void RegisterAnalysisRoutes(http::Router& r, ApiContext& ctx);  // /v1/analyses*
void RegisterStatsRoutes(http::Router& r, ApiContext& ctx);     // /v1/users/me/stats
void RegisterProfileRoutes(http::Router& r, ApiContext& ctx);   // /v1/users/me/profile
void RegisterProgramRoutes(http::Router& r, ApiContext& ctx);   // /v1/programs*
void RegisterGhostRoutes(http::Router& r, ApiContext& ctx);     // /v1/routes/{id}/ghost
void RegisterRouteRoutes(http::Router& r, ApiContext& ctx);     // /v1/routes*

}  // namespace ascension::api
