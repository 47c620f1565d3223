// The web client (web/, built into WEB_ROOT) served at `/`: every file is read into memory once
// at start, so a request never touches the file system and no path can reach outside the
// build. Hashed files under assets/ are immutable for a year; everything else (index.html) is
// revalidated on every load (ETag, 304). A GET of a client route (a path without a file
// extension outside assets/) gets index.html: the single-page app routes it itself.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace ascension::api {

class WebClient {
 public:
  struct Options {
    std::string root;                     // directory of the built client (index.html, assets/)
    std::string content_security_policy;  // sent with index.html
    std::size_t max_total_bytes = 64 * 1024 * 1024;
  };

  // Loads every regular file under `root` (a file `x.gz` is the gzip variant of `x`). A missing
  // root, or one without index.html, gives a client that answers 404 web_client_not_built.
  static WebClient Load(const Options& options);

  bool built() const { return files_.count("index.html") > 0; }
  std::size_t file_count() const { return files_.size(); }

  // The answer to a GET of `req.path`. The caller only asks for paths no API route matched.
  http::Response Serve(const http::Request& req) const;

 private:
  struct File {
    std::string body;
    std::string gzip;  // empty when there is no .gz variant
    std::string content_type;
    std::string etag;  // of the identity body; the gzip variant appends -gz
    bool immutable = false;
  };
  http::Response Send(const http::Request& req, const File& f) const;

  std::map<std::string, File> files_;  // relative path ("index.html", "assets/index-x.js")
  std::string csp_;
  std::string root_;
};

// The policy sent with the page: scripts and styles only from this origin; media, uploads and
// playback also from the storage origin the presigned URLs point at (e.g. "https://s3.example").
std::string WebContentSecurityPolicy(std::string_view storage_url);

// The browser's Origin is this API's own: scheme (TLS or not) and Host match. A Host without a
// port (nginx passes $host) matches the origin's host name whatever its port.
bool IsOwnOrigin(std::string_view origin, std::string_view host, bool tls);

// A request authenticated by a cookie must come from this site: no Origin (not a browser, or a
// same-origin navigation), the API's own origin, or one listed in CORS_ALLOWED_ORIGINS by name
// ("*" does not count: it would let any site act with the user's session).
bool CookieOriginAllowed(const http::Request& req, const std::vector<std::string>& cors_origins);

// "gzip" is acceptable in an Accept-Encoding value (a token with no q=0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace ascension::api
