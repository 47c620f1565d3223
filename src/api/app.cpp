#include "api/app.hpp"

#include <fstream>
#include <sstream>

#include "adapters/amqp/topology.hpp"
#include "adapters/amqp/url.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/web.hpp"
#include "api/respond.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"
#include "domain/messages.hpp"
#include "domain/rules.hpp"
#include "services/storage_usage.hpp"

namespace ascension::api {
namespace {

using Clock = std::chrono::steady_clock;

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id) {
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::string LoadOpenApi(const std::string& configured) {
  std::vector<std::string> candidates;
  if (!configured.empty()) candidates.push_back(configured);
  candidates.push_back(ASCENSION_OPENAPI_PATH);
  for (const auto& p : candidates) {
    std::ifstream f(p);
    if (f) {
      std::stringstream ss;
      ss << f.rdbuf();
      return ss.str();
    }
  }
  return R"({"openapi":"3.0.3","info":{"title":"Ascension API","version":"1"},"paths":{}})";
}

}  // namespace

App::App(ApiConfig config) : ctx_(std::make_unique<ApiContext>(std::move(config))) {
  ctx_->openapi_json = LoadOpenApi(ctx_->config.openapi_path);
  RegisterSystemRoutes(router_, *ctx_);
  RegisterAuthRoutes(router_, *ctx_);
  RegisterUserRoutes(router_, *ctx_);
  RegisterVideoRoutes(router_, *ctx_);
  RegisterAnalysisRoutes(router_, *ctx_);
  RegisterStatsRoutes(router_, *ctx_);
  RegisterProfileRoutes(router_, *ctx_);
  RegisterProgramRoutes(router_, *ctx_);
  RegisterGhostRoutes(router_, *ctx_);
  RegisterRouteRoutes(router_, *ctx_);
  web_ = WebClient::Load(
      {.root = ctx_->config.web_root,
       .content_security_policy = WebContentSecurityPolicy(ctx_->config.common.s3_endpoint)});
}

App::~App() { Stop(std::chrono::milliseconds(0)); }

BackgroundLoop& App::AddLoop(const std::string& name, BackgroundLoop::Body body,
                             std::chrono::milliseconds initial_delay) {
  loops_.push_back(std::make_unique<BackgroundLoop>(name, stopper_, std::move(body), initial_delay));
  BackgroundLoop& loop = *loops_.back();
  loop.OnCrash([this, name] { ctx_->metrics.loop_crashes(name).Increment(); });
  ctx_->loops.push_back(&loop);
  return loop;
}

Status App::Start() {
  if (Status s = ctx_->Compose(); !s.ok()) return s;
  auto url = amqp::ParseUrl(ctx_->config.common.rabbitmq_url);  // checked when read
  if (!url.ok()) return url.status();
  relay_publisher_.emplace(*url);
  relay_.emplace(*ctx_->outbox, *relay_publisher_, 100,
                 services::RelayObserver{
                     .backlog = [this](int n) { ctx_->metrics.outbox_backlog().Set(n); },
                     .published = [this](int n) { ctx_->metrics.jobs_published().Increment(n); }});
  event_source_.emplace(*url, std::vector<std::string>{std::string(amqp::topology::kAllEventsKey),
                                                       std::string(domain::kAllRouteEventsKey),
                                                       std::string(domain::kAllGhostEventsKey)});
  forwarder_.emplace(
      *event_source_, ctx_->forwarder,
      services::ForwarderObserver{
          .consuming = [this](bool consuming) { forwarder_loop_->SetDegraded(!consuming); },
          .forwarded = [this](int n) { ctx_->metrics.events_forwarded().Increment(n); },
          .dropped = [this] { ctx_->metrics.events_dropped().Increment(); }});
  relay_loop_ = &AddLoop(
      "outbox_relay", [this](Wakeup&) { return relay_->Round(); }, std::chrono::milliseconds(0));
  forwarder_loop_ = &AddLoop(
      "events_forwarder", [this](Wakeup& w) { return forwarder_->Round(w); },
      std::chrono::milliseconds(0));
  forwarder_loop_->SetDegraded(true);  // until it consumes
  // The sweeper's first pass shortly after start, then every interval.
  AddLoop("sweeper", [this](Wakeup&) { return SweeperRound(); }, std::chrono::milliseconds(2000));
  AddLoop("reaper", [this](Wakeup&) { return ReaperRound(); },
          std::chrono::duration_cast<std::chrono::milliseconds>(
              std::max(std::chrono::seconds(1), ctx_->config.reaper_timeout / 4)));
  AddLoop(
      "storage_usage", [this](Wakeup&) { return StorageUsageRound(); },
      std::chrono::milliseconds(3000));
  // Open WebSockets whose token expired or was revoked (logout of every session, new password,
  // role change, deleted account) are closed within about a second.
  AddLoop("websocket_sessions", [this](Wakeup&) { return WebSocketSessionsRound(); },
          std::chrono::milliseconds(1000));
  ctx_->relay_loop = relay_loop_;
  ctx_->forwarder_loop = forwarder_loop_;

  http::ServerOptions o;
  o.bind_address = ctx_->config.bind_address;
  o.port = ctx_->config.port;
  o.max_body_bytes = ctx_->config.max_body_bytes;
  o.handler_threads = ctx_->config.db_pool_size + 4;
  server_ = std::make_unique<http::Server>(
      o, [this](http::Request& r) { Decorate(r); }, [this](http::Request& r) { return Handle(r); },
      [this](const http::Request& q, http::Response& r, double s) { Observe(q, r, s); },
      [this](http::Request& r) { return AuthorizeUpgrade(r); }, &ctx_->hub);
  if (Status s = server_->Start(); !s.ok()) return s;
  for (auto& loop : loops_) loop->Start();
  log::Info("api listening", {{"port", server_->port()}, {"instance", ctx_->config.instance_id}});
  return Status::Ok();
}

void App::Stop(std::chrono::milliseconds grace) {
  if (server_) server_->Shutdown(grace);
  stopper_.Stop();
  for (auto& loop : loops_) loop->Join();
}

bool App::IsTrustedProxy(const std::string& ip) const {
  return ctx_->config.trusted_proxies.Contains(ip);
}

void App::Decorate(http::Request& req) const {
  auto rid = req.Header("x-request-id");
  req.request_id = (rid && ValidRequestId(*rid)) ? std::string(*rid) : NewUuid();
  if (IsTrustedProxy(req.peer_ip)) {
    // The right-most address not itself a trusted proxy is the client.
    if (auto xff = req.Header("x-forwarded-for")) {
      std::string list(*xff);
      std::vector<std::string> hops;
      std::stringstream ss(list);
      std::string hop;
      while (std::getline(ss, hop, ',')) {
        hop.erase(0, hop.find_first_not_of(' '));
        hop.erase(hop.find_last_not_of(' ') + 1);
        if (!hop.empty()) hops.push_back(hop);
      }
      // A hop that is not an address ends the walk: the last trusted hop is then the client.
      for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto hop_ip = http::CanonicalAddress(*it);
        if (!hop_ip) break;
        req.client_ip = *hop_ip;
        if (!IsTrustedProxy(*hop_ip)) break;
      }
    } else if (auto real = req.Header("x-real-ip")) {
      if (auto real_ip = http::CanonicalAddress(*real)) req.client_ip = *real_ip;
    }
    if (auto proto = req.Header("x-forwarded-proto")) req.via_tls = *proto == "https";
  }
}

bool App::Authenticate(http::Request& req, http::Response* error, bool upgrade) const {
  std::string token;
  if (auto h = req.Header("authorization")) {
    std::string_view v = *h;
    if (v.size() > 7 && (v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer ")) token = std::string(v.substr(7));
  }
  if (token.empty()) {
    if (auto c = req.Cookie("session_token")) {
      token = *c;
      // A browser sends the cookie whatever site made the request: a state change (or the
      // WebSocket handshake) with it must come from an allowed Origin (cross-site request
      // forgery). The bearer header is never sent by a browser on its own.
      bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
      if ((upgrade || !safe) && !CookieOriginAllowed(req, ctx_->config.cors_origins)) {
        *error = http::Error(403, "forbidden", "This origin may not use the session cookie");
        return false;
      }
    }
  }
  if (token.empty()) {
    *error = http::Error(401, "unauthorized", "Authentication required").With("WWW-Authenticate", "Bearer");
    return false;
  }
  auto caller = ctx_->accounts->Authenticate(token);
  if (!caller.ok() && caller.status().kind() != ErrorKind::kUnauthenticated) {
    // The account could not be read (the database is down): not the client's fault.
    *error = FromStatus(caller.status());
    return false;
  }
  if (!caller.ok()) {
    *error = http::Error(401, "invalid_token", "Invalid or expired access token")
                 .With("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return false;
  }
  req.user_id = caller->user_id.str();
  req.role = caller->role;
  req.credential = token;
  return true;
}

http::Response App::Handle(http::Request& req) {
  auto started = Clock::now();
  ctx_->metrics.in_flight().Increment();
  http::Response res;
  try {
    res = Route(req);
  } catch (const std::exception& e) {
    // A handler that throws is a bug; the request still gets its 500, its log line and its
    // metrics, and the in-flight gauge comes back down.
    log::Error("handler threw", {{"error", e.what()}, {"request_id", req.request_id}, {"route", req.route}});
    res = http::Error(500, "internal_error", "Internal server error");
  } catch (...) {
    log::Error("handler threw", {{"request_id", req.request_id}, {"route", req.route}});
    res = http::Error(500, "internal_error", "Internal server error");
  }
  ctx_->metrics.in_flight().Decrement();
  Observe(req, res, std::chrono::duration<double>(Clock::now() - started).count());
  return res;
}

http::Response App::Route(http::Request& req) {
  auto m = router_.Find(req.method, req.path);
  req.route = m.kind == http::Router::Match::Kind::kFound ? m.route : "unmatched";
  // CORS preflight.
  if (req.method == "OPTIONS" && req.Header("origin")) {
    http::Response r;
    r.status = 204;
    return r;
  }
  // The web client: a GET no route matched, outside the API's /v1 prefix. Static files are not
  // counted against the API's rate limit (a page load fetches several).
  if (m.kind == http::Router::Match::Kind::kNotFound && req.method == "GET" && req.path != "/v1" &&
      req.path.rfind("/v1/", 0) != 0) {
    req.route = "/{web}";
    return web_.Serve(req);
  }
  // Per client address: /ready has its own, higher limit (probes and load balancers call it
  // often; issue 10 #13: a flood of it slowed every other request); /health and /metrics none.
  http::RateLimiter* limiter = &ctx_->global_limiter;
  std::string key = "ip:" + req.client_ip;
  if (req.route == "/ready") {
    limiter = &ctx_->ready_limiter;
    key = "ready:" + req.client_ip;
  } else if (req.route == "/health" || req.route == "/metrics") {
    limiter = nullptr;
  }
  if (limiter != nullptr) {
    auto d = limiter->Allow(key);
    if (!d.allowed) {
      return http::Error(429, "rate_limited", "Too many requests, slow down")
          .With("Retry-After", std::to_string(d.retry_after_s));
    }
  }
  if (m.kind == http::Router::Match::Kind::kNotFound) return http::Error(404, "not_found", "No such route");
  // Query parameters are client text like any body field.
  for (const auto& [name, value] : req.query) {
    if (!domain::IsCleanText(name))
      return http::Error(422, "validation_failed", "A query parameter name is not clean text");
    if (auto e = domain::ValidateText(name, value)) return http::Error(422, "validation_failed", *e);
  }
  if (m.kind == http::Router::Match::Kind::kMethodNotAllowed)
    return http::Error(405, "method_not_allowed", "Method not allowed").With("Allow", m.allowed);
  req.params = std::move(m.params);
  http::Response err;
  if (m.options.requires_auth && !Authenticate(req, &err)) return err;
  if (m.options.json_body) {
    auto body = ParseJsonBody(req, m.options.body_optional, &err);
    if (!body) return err;
    req.json = std::move(*body);
  }
  return (*m.handler)(req);
}

void App::Observe(const http::Request& req, http::Response& res, double seconds) {
  res.With("X-Instance", ctx_->config.instance_id);
  if (auto origin = req.Header("origin")) {
    const auto& allowed = ctx_->config.cors_origins;
    bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    if (any || std::find(allowed.begin(), allowed.end(), std::string(*origin)) != allowed.end()) {
      res.With("Access-Control-Allow-Origin", std::string(*origin))
          .With("Vary", "Origin")
          .With("Access-Control-Allow-Credentials", "true")
          .With("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
          .With("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
          .With("Access-Control-Expose-Headers", "X-Request-Id, ETag, Retry-After")
          .With("Access-Control-Max-Age", "600");
    }
  }
  std::string route = req.route.empty() ? "unmatched" : req.route;
  ctx_->metrics.ObserveRequest(req.method.empty() ? "UNKNOWN" : req.method, route, res.status, seconds);
  log::Info("request", {{"request_id", req.request_id},
                        {"method", req.method},
                        {"route", route},
                        {"status", res.status},
                        {"ms", std::round(seconds * 100000.0) / 100.0},
                        {"user_id", req.user_id},
                        {"client_ip", req.client_ip}});
}

std::optional<http::Response> App::AuthorizeUpgrade(http::Request& req) {
  req.route = "/v1/ws";
  if (req.path != "/v1/ws") return http::Error(404, "not_found", "No such route");
  auto d = ctx_->global_limiter.Allow("ip:" + req.client_ip);
  if (!d.allowed) {
    return http::Error(429, "rate_limited", "Too many requests, slow down")
        .With("Retry-After", std::to_string(d.retry_after_s));
  }
  http::Response err;
  if (!req.Header("authorization") && !req.Cookie("session_token") && req.query.count("token")) {
    req.headers.emplace_back("authorization", "Bearer " + req.query["token"]);
  }
  if (!Authenticate(req, &err, true)) return err;
  http::Response ok;
  ok.status = 101;
  Observe(req, ok, 0);
  return std::nullopt;
}

std::chrono::milliseconds App::WebSocketSessionsRound() {
  if (ctx_->hub.connections() > 0) {
    ctx_->hub.CloseInvalid([this](const std::string&, const std::string& credential) {
      auto caller = ctx_->accounts->Authenticate(credential);
      // Only a refusal closes it: a database outage does not end every live session.
      return caller.ok() || caller.status().kind() != ErrorKind::kUnauthenticated;
    });
  }
  return std::chrono::milliseconds(1000);
}

std::chrono::milliseconds App::SweeperRound() {
  auto r = ctx_->sweeper->RunOnce();
  if (!r.ok()) log::Warn("sweeper failed, retrying next pass", {{"error", r.status().message()}});
  // Login and registration counters past their window with no lock left.
  if (auto pruned = ctx_->login_guard->Prune(); !pruned.ok())
    log::Warn("attempt counters not pruned", {{"error", pruned.status().message()}});
  return std::chrono::duration_cast<std::chrono::milliseconds>(ctx_->config.sweep_interval);
}

std::chrono::milliseconds App::ReaperRound() {
  auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::max(std::chrono::seconds(1), ctx_->config.reaper_timeout / 4));
  auto r = ctx_->reaper->RunOnce();
  if (!r.ok()) {
    log::Warn("reaper failed", {{"error", r.status().message()}});
  } else if (r->total_requeued() > 0 || r->failed_stuck > 0) {
    log::Warn("lost analyses recovered", {{"requeued_stuck", r->requeued_stuck},
                                          {"requeued_lost", r->requeued_lost},
                                          {"failed_stuck", r->failed_stuck}});
    if (r->total_requeued() > 0) relay_loop_->Poke();  // the new outbox rows go out now
  }
  auto routes = ctx_->route_reaper->RunOnce();
  if (!routes.ok()) {
    log::Warn("route reaper failed", {{"error", routes.status().message()}});
  } else if (routes->requeued > 0 || routes->failed > 0) {
    log::Warn("lost route detections recovered",
              {{"requeued", routes->requeued}, {"failed", routes->failed}});
    if (routes->requeued > 0) relay_loop_->Poke();
  }
  return interval;
}

std::chrono::milliseconds App::StorageUsageRound() {
  static const std::vector<std::string> kPrefixes = {"uploads/", "saved/", "routes/"};
  auto usage = services::MeasureStorage(*ctx_->objects, kPrefixes);
  if (!usage.ok()) {
    log::Warn("storage usage not measured, retrying next pass",
              {{"error", usage.status().message()}});
  } else {
    for (const auto& u : *usage)
      ctx_->metrics.SetStorageUsage(u.prefix, static_cast<double>(u.objects),
                                    static_cast<double>(u.bytes));
    ctx_->metrics.storage_measured_at().SetToCurrentTime();
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(ctx_->config.storage_usage_interval);
}

}  // namespace ascension::api
