#include "http/router.hpp"

namespace ascension::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  if (path.empty() || path[0] != '/') return out;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool IsParam(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

}  // namespace

void Router::Add(std::string method, std::string path_template, RouteOptions options, Handler handler) {
  Route r{std::move(method), path_template, Split(path_template), options, std::move(handler)};
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  auto segs = Split(path);
  Match best;
  int best_score = -1;
  std::string allowed;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    int score = 0;
    bool ok = true;
    std::map<std::string, std::string> params;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (IsParam(r.segments[i])) {
        if (segs[i].empty()) ok = false;
        params[r.segments[i].substr(1, r.segments[i].size() - 2)] = segs[i];
      } else if (r.segments[i] == segs[i]) {
        score += 1 << (segs.size() - i);  // earlier literal segments weigh more
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    if (r.method != method) {
      if (allowed.find(r.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + r.method;
      continue;
    }
    if (score > best_score) {
      best_score = score;
      best.kind = Match::Kind::kFound;
      best.handler = &r.handler;
      best.options = r.options;
      best.route = r.path_template;
      best.params = std::move(params);
    }
  }
  if (best.kind != Match::Kind::kFound && !allowed.empty()) {
    best.kind = Match::Kind::kMethodNotAllowed;
    best.allowed = allowed;
  }
  return best;
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : routes_) out.emplace_back(r.method, r.path_template);
  return out;
}

}  // namespace ascension::http
