// Status and Result: how errors travel through the project. A Status is a small value (a kind,
// a human sentence and, when the product names the problem, a snake_case code such as
// "quota_exceeded" or "not_a_video"); a Result<T> holds either a T or a non-ok Status. Adapters
// translate library errors into these kinds; HTTP handlers translate kinds and codes into
// responses.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ascension {

enum class ErrorKind {
  kOk,
  kInvalidArgument,     // the input is malformed or fails validation
  kNotFound,            // the thing does not exist (or the caller may not know it does)
  kAlreadyExists,       // a unique thing exists already
  kPermissionDenied,    // authenticated, but not allowed
  kUnauthenticated,     // no or bad credentials
  kResourceExhausted,   // quota or rate limit reached
  kFailedPrecondition,  // the system is not in a state where this can be done
  kUnavailable,         // a dependency is down or timed out; retrying may work
  kDataLoss,            // the stored data is unreadable (corrupt input)
  kInternal,            // a bug or an unexpected library failure
};

// Returns a stable snake_case name for the kind ("not_found", ...).
const char* ErrorKindName(ErrorKind kind);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  Status(ErrorKind kind, std::string message, std::string code)
      : kind_(kind), message_(std::move(message)), code_(std::move(code)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // The product's name for the problem ("video_not_uploaded"); empty when the kind says it all.
  const std::string& code() const { return code_; }
  // The same status with `code` set.
  Status WithCode(std::string code) const& { return Status(kind_, message_, std::move(code)); }
  // "kind: message", for logs.
  std::string ToString() const;

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  std::string code_;
};

inline Status InvalidArgument(std::string m) { return {ErrorKind::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {ErrorKind::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {ErrorKind::kAlreadyExists, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {ErrorKind::kPermissionDenied, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {ErrorKind::kUnauthenticated, std::move(m)}; }
inline Status ResourceExhausted(std::string m) { return {ErrorKind::kResourceExhausted, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {ErrorKind::kFailedPrecondition, std::move(m)}; }
inline Status Unavailable(std::string m) { return {ErrorKind::kUnavailable, std::move(m)}; }
inline Status DataLoss(std::string m) { return {ErrorKind::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }

// Either a value or an error. Construct from a T or from a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ascension
