// The messages of the routes and ghost pipelines as their consumers decode them
// (domain/messages.hpp): a vision.holds job (the worker's RouteDetection), a vision.ghost job
// (GhostComputation) and a holds.* event on ascension.events (the API's events forwarder). The
// input's first line is "holds_job", "ghost_job" or the event's routing key (holds.progress.<id>,
// holds.detected.<id>, holds.failed.<id>; another first line: its first byte picks one of the
// three), the rest is the body.
//
// Invariants: no exception; a refusal is kInvalidArgument with a message; an accepted message has
// its required fields (ids, an s3://bucket/key image, a known source with its analysis, attempt
// and dispatch in range, progress 0..100) and survives a round trip: encoding it and decoding the
// result gives the same values (and, for an event, the same kind from its own routing key).
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/messages.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

namespace {

using namespace ascension;

template <class T>
bool Refused(const Result<T>& r) {
  if (r.ok()) return false;
  fuzz::Check(r.status().kind() == ErrorKind::kInvalidArgument,
              "a refusal that is not kInvalidArgument");
  fuzz::Check(!r.status().message().empty(), "a refusal without a message");
  return true;
}

void HoldsJob(std::string_view body) {
  auto m = domain::DecodeHoldsJob(body);
  if (Refused(m)) return;
  fuzz::Check(!m->job_id.empty() && !m->route_id.empty() && !m->user_id.empty(),
              "holds job accepted without its ids");
  fuzz::Check(m->image_url.rfind("s3://", 0) == 0 && !m->ImageKey().empty(),
              "holds job accepted without an s3://bucket/key image");
  fuzz::Check(m->source == "photo" ||
                  (m->source == "analysis" && m->analysis_id && !m->analysis_id->empty()),
              "holds job accepted with an unknown source or an analysis route without analysis");
  fuzz::Check(m->attempt >= 1 && m->dispatch >= 0, "holds job attempt or dispatch out of range");
  auto again = domain::DecodeHoldsJob(domain::EncodeHoldsJob(*m));
  fuzz::Check(again.ok(), "an encoded holds job does not decode");
  fuzz::Check(again->job_id == m->job_id && again->route_id == m->route_id &&
                  again->user_id == m->user_id && again->source == m->source &&
                  again->image_url == m->image_url && again->analysis_id == m->analysis_id &&
                  again->attempt == m->attempt && again->dispatch == m->dispatch &&
                  again->created_at == m->created_at,
              "a holds job changes through encode and decode");
}

void GhostJob(std::string_view body) {
  auto m = domain::DecodeGhostJob(body);
  if (Refused(m)) return;
  fuzz::Check(!m->job_id.empty() && !m->route_id.empty() && !m->user_id.empty(),
              "ghost job accepted without its ids");
  fuzz::Check(m->attempt >= 1 && m->dispatch >= 0, "ghost job attempt or dispatch out of range");
  auto again = domain::DecodeGhostJob(domain::EncodeGhostJob(*m));
  fuzz::Check(again.ok(), "an encoded ghost job does not decode");
  fuzz::Check(again->job_id == m->job_id && again->route_id == m->route_id &&
                  again->user_id == m->user_id && again->fingerprint == m->fingerprint &&
                  again->attempt == m->attempt && again->dispatch == m->dispatch &&
                  again->created_at == m->created_at,
              "a ghost job changes through encode and decode");
}

void RouteEvent(std::string_view key, std::string_view body) {
  auto e = domain::DecodeRouteEvent(key, body);
  if (Refused(e)) return;
  fuzz::Check(!e->user_id.empty() && !e->route_id.empty(), "route event without user or route");
  fuzz::Check(e->progress >= 0 && e->progress <= 100, "route event progress out of 0..100");
  fuzz::Check(e->hold_count >= 0, "route event with a negative hold count");
  auto again =
      domain::DecodeRouteEvent(domain::RouteEventRoutingKey(*e), domain::EncodeRouteEvent(*e));
  fuzz::Check(again.ok(), "an encoded route event does not decode");
  fuzz::Check(again->kind == e->kind && again->job_id == e->job_id &&
                  again->route_id == e->route_id && again->user_id == e->user_id,
              "a route event changes kind or ids through encode and decode");
  switch (e->kind) {
    case domain::RouteEventKind::kProgress:
      fuzz::Check(again->progress == e->progress && again->stage == e->stage,
                  "a progress event changes through encode and decode");
      break;
    case domain::RouteEventKind::kDetected:
      fuzz::Check(again->hold_count == e->hold_count,
                  "a detected event changes through encode and decode");
      break;
    case domain::RouteEventKind::kFailed:
      fuzz::Check(again->error_code == e->error_code && again->message == e->message,
                  "a failed event changes through encode and decode");
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::string_view first = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  int which = static_cast<unsigned char>(in[0]) % 3;
  if (first == "holds_job") which = 0;
  if (first == "ghost_job") which = 1;
  if (first.starts_with("holds.")) which = 2;
  if (which == 0) HoldsJob(body);
  if (which == 1) GhostJob(body);
  if (which == 2) RouteEvent(first, body);
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
  return ascension::fuzz::MutateWithJson(data, size, max_size, seed, begin, size);
}
