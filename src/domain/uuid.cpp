#include "domain/uuid.hpp"

#include "common/crypto.hpp"

namespace ascension::domain {

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  auto canonical = CanonicalUuid(text);
  if (!canonical) return std::nullopt;
  return Uuid(std::move(*canonical));
}

Uuid Uuid::FromRandomBytes(const std::array<std::uint8_t, 16>& bytes) {
  return Uuid(FormatUuidV4(bytes));
}

Uuid Uuid::Random() { return Uuid(NewUuid()); }

}  // namespace ascension::domain
