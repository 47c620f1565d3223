// Access tokens as the API receives them (Bearer header, cookie or ?token=). The first byte picks
// what the rest is:
//   even: a whole token, verified as is (structure, base64, header, signature);
//   odd:  the JSON claims of a token the harness signs with the right key, so the claim checks
//         behind the signature are fuzzed too (the rest is "header-json\nclaims-json", or only
//         the claims with the usual HS256 header).
// Invariants: no exception or sanitizer report; an accepted token has a UUID subject, a known
// role and is not expired at the verification time; a refusal is kUnauthenticated.
#include "auth/jwt.hpp"

#include <cstdint>
#include <string>

#include "common/crypto.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  static const std::string kSecret = "fuzzing-secret-fuzzing-secret-fuzzing-secret";
  static const auth::JwtCodec codec(kSecret, "ascension", "ascension-app", std::chrono::hours(1));
  constexpr std::int64_t kNow = 1'800'000'000;
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string token;
  if (data[0] % 2 == 0) {
    token = std::string(rest);
  } else {
    std::string_view header = R"({"alg":"HS256","typ":"JWT"})";
    std::string_view claims = rest;
    if (size_t nl = rest.find('\n'); nl != std::string_view::npos) {
      header = rest.substr(0, nl);
      claims = rest.substr(nl + 1);
    }
    std::string signing_input = Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
    token = signing_input + "." + Base64UrlEncode(HmacSha256(kSecret, signing_input));
  }
  auto claims = codec.Verify(token, kNow);
  if (claims.ok()) {
    fuzz::Check(IsUuid(claims->user_id), "accepted a token whose subject is not a UUID");
    fuzz::Check(claims->role == "user" || claims->role == "admin", "accepted an unknown role");
    fuzz::Check(claims->expires_at >= kNow - 60, "accepted an expired token");
  } else {
    fuzz::Check(claims.status().kind() == ErrorKind::kUnauthenticated, "unexpected error kind");
  }
  return 0;
}

// Signed-claims inputs (odd first byte): the claims after the optional header line are JSON.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  if (size == 0 || data[0] % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::size_t begin = nl == std::string_view::npos ? 1 : nl + 1;
  return ascension::fuzz::MutateWithJson(data, size, max_size, seed, begin, size);
}
