#include "api/handlers/web.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"

namespace ascension::api {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const std::string& name) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
  };
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return "application/octet-stream";
  std::string ext = Lowercase(name.substr(dot));
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::optional<std::string> ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

// The last segment of a path looks like a file name ("robots.txt", "x.js").
bool LooksLikeFile(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') != std::string_view::npos;
}

bool EtagMatches(std::string_view if_none_match, const std::string& etag) {
  if (if_none_match == "*") return true;
  size_t pos = 0;
  while (pos < if_none_match.size()) {
    size_t comma = if_none_match.find(',', pos);
    std::string_view tag = if_none_match.substr(
        pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

}  // namespace

std::string WebContentSecurityPolicy(std::string_view storage_url) {
  std::string origin;
  if (auto scheme = storage_url.find("://"); scheme != std::string_view::npos) {
    auto end = storage_url.find_first_of("/?#", scheme + 3);
    origin = std::string(storage_url.substr(0, end));
  }
  // An origin with anything but URL characters is left out rather than trusted into the header.
  for (char c : origin) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view(":/.-[]").find(c) == std::string_view::npos) {
      origin.clear();
      break;
    }
  }
  std::string storage = origin.empty() ? "" : " " + origin;
  // Route photos are shown from their presigned GET (img-src), videos played from theirs
  // (media-src), uploads sent to their presigned PUT (connect-src).
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:" +
         storage + "; media-src 'self' blob:" + storage + "; connect-src 'self'" + storage +
         "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
}

bool IsOwnOrigin(std::string_view origin, std::string_view host, bool tls) {
  std::string_view scheme = tls ? "https://" : "http://";
  if (host.empty() || origin.substr(0, scheme.size()) != scheme) return false;
  std::string_view authority = origin.substr(scheme.size());
  if (authority == host) return true;
  // "[::1]:8443" or "127.0.0.1:8443" against a Host without a port.
  bool host_has_port = host.back() != ']' && host.find(':') != std::string_view::npos;
  if (host_has_port) return false;
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || authority.find(']', colon) != std::string_view::npos)
    return false;
  std::string_view port = authority.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
  return authority.substr(0, colon) == host;
}

bool CookieOriginAllowed(const http::Request& req, const std::vector<std::string>& cors_origins) {
  auto origin = req.Header("origin");
  if (!origin) return true;
  if (auto host = req.Header("host"); host && IsOwnOrigin(*origin, *host, req.via_tls)) return true;
  return std::find(cors_origins.begin(), cors_origins.end(), std::string(*origin)) != cors_origins.end();
}

bool AcceptsGzip(std::string_view v) {
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    std::string_view part =
        v.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    std::string item;
    for (char c : part) {
      if (c != ' ' && c != '\t')
        item += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string_view token = item;
    std::string_view params;
    if (auto semi = token.find(';'); semi != std::string_view::npos) {
      params = token.substr(semi + 1);
      token = token.substr(0, semi);
    }
    if (token == "gzip" || token == "*") {
      bool refused =
          params == "q=0" || params == "q=0.0" || params == "q=0.00" || params == "q=0.000";
      if (!refused) return true;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

WebClient WebClient::Load(const Options& o) {
  WebClient w;
  w.csp_ = o.content_security_policy;
  w.root_ = o.root;
  std::error_code ec;
  if (o.root.empty() || !fs::is_directory(o.root, ec)) {
    log::Warn("web client not built: WEB_ROOT is not a directory", {{"web_root", o.root}});
    return w;
  }
  std::map<std::string, std::string> gz;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(
           o.root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string rel = fs::relative(it->path(), o.root, ec).generic_string();
    if (ec || rel.empty() || rel.rfind("..", 0) == 0) continue;
    auto body = ReadAll(it->path());
    if (!body) {
      log::Warn("web client file unreadable", {{"file", rel}});
      continue;
    }
    total += body->size();
    if (total > o.max_total_bytes) {
      log::Error("web client larger than its limit: not served",
                 {{"web_root", o.root}, {"limit", o.max_total_bytes}});
      return WebClient{};
    }
    if (rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".gz") == 0) {
      gz[rel.substr(0, rel.size() - 3)] = std::move(*body);
      continue;
    }
    File f;
    f.content_type = ContentType(rel);
    f.etag = "\"" + HexEncode(Sha256(*body)).substr(0, 32) + "\"";
    f.immutable = rel.rfind("assets/", 0) == 0;
    f.body = std::move(*body);
    w.files_[rel] = std::move(f);
  }
  for (auto& [rel, body] : gz) {
    auto it = w.files_.find(rel);
    if (it != w.files_.end()) it->second.gzip = std::move(body);
  }
  if (!w.built()) {
    log::Warn("web client not built: no index.html in WEB_ROOT", {{"web_root", o.root}});
  } else {
    log::Info("web client loaded",
              {{"web_root", o.root}, {"files", w.files_.size()}, {"bytes", total}});
  }
  return w;
}

http::Response WebClient::Serve(const http::Request& req) const {
  if (!built()) {
    return http::Error(
        404, "web_client_not_built",
        "The web client is not built here (build web/ into WEB_ROOT, e.g. ./ascension build)");
  }
  std::string_view path = req.path;
  if (path.empty() || path.front() != '/') return http::Error(404, "not_found", "No such file");
  std::string rel(path.substr(1));
  if (rel.empty()) rel = "index.html";
  if (auto it = files_.find(rel); it != files_.end()) return Send(req, it->second);
  // A missing asset or file is a 404, never the page: a stale script must not receive HTML.
  if (rel.rfind("assets/", 0) == 0 || LooksLikeFile(rel))
    return http::Error(404, "not_found", "No such file");
  return Send(req, files_.at("index.html"));
}

http::Response WebClient::Send(const http::Request& req, const File& f) const {
  http::Response res;
  res.content_type = f.content_type;
  bool gzip = false;
  if (!f.gzip.empty()) {
    res.With("Vary", "Accept-Encoding");
    if (auto ae = req.Header("accept-encoding"); ae && AcceptsGzip(*ae)) gzip = true;
  }
  std::string etag = gzip ? f.etag.substr(0, f.etag.size() - 1) + "-gz\"" : f.etag;
  res.With("ETag", etag);
  res.With("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.With("X-Content-Type-Options", "nosniff");
  if (f.content_type.rfind("text/html", 0) == 0) {
    if (!csp_.empty()) res.With("Content-Security-Policy", csp_);
    res.With("X-Frame-Options", "DENY").With("Referrer-Policy", "same-origin");
  }
  if (auto inm = req.Header("if-none-match"); inm && EtagMatches(*inm, etag)) {
    res.status = 304;
    return res;
  }
  if (gzip) {
    res.With("Content-Encoding", "gzip");
    res.body = f.gzip;
  } else {
    res.body = f.body;
  }
  return res;
}

}  // namespace ascension::api
