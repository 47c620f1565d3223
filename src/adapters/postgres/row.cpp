#include "adapters/postgres/row.hpp"

#include <charconv>
#include <cstdlib>

namespace ascension::pg {
namespace {

// Type OIDs of pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBool = 16, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kFloat4 = 700,
              kFloat8 = 701, kBpchar = 1042, kVarchar = 1043, kNumeric = 1700, kUuid = 2950;

bool OfKind(Oid t, int kind) {
  switch (kind) {
    case 0:
      return t == kText || t == kVarchar || t == kName || t == kUuid || t == kBpchar;
    case 1:
      return t == kInt2 || t == kInt4 || t == kInt8;
    case 2:
      return t == kFloat4 || t == kFloat8 || t == kNumeric;
    default:
      return t == kBool;
  }
}

}  // namespace

void Row::Fail(const char* column, const std::string& why) {
  if (status_.ok()) {
    status_ = DataLoss("unreadable " + std::string(what_) + " row: column " + column + " " + why);
  }
}

std::optional<int> Row::Cell(const char* column, Kind kind, bool required) {
  if (!status_.ok()) return std::nullopt;
  int col = rows_.Column(column);
  if (col < 0 || row_ < 0 || row_ >= rows_.size()) {
    Fail(column, "is missing");
    return std::nullopt;
  }
  if (!OfKind(rows_.Type(col), static_cast<int>(kind))) {
    Fail(column, "has type oid " + std::to_string(rows_.Type(col)));
    return std::nullopt;
  }
  if (rows_.IsNull(row_, col)) {
    if (required) Fail(column, "is NULL");
    return std::nullopt;
  }
  return col;
}

std::string Row::Text(const char* column) {
  auto c = Cell(column, Kind::kText, true);
  return c ? rows_.Text(row_, *c) : std::string();
}

std::optional<std::string> Row::OptText(const char* column) {
  auto c = Cell(column, Kind::kText, false);
  if (!c) return std::nullopt;
  return rows_.Text(row_, *c);
}

std::optional<std::int64_t> Row::IntAt(const char* column, bool required) {
  auto c = Cell(column, Kind::kInt, required);
  if (!c) return std::nullopt;
  std::string text = rows_.Text(row_, *c);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    Fail(column, "is not an integer");
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> Row::OptInt(const char* column) {
  return IntAt(column, false);
}
std::int64_t Row::Int(const char* column) {
  return IntAt(column, true).value_or(0);
}

std::optional<double> Row::DoubleAt(const char* column, bool required) {
  auto c = Cell(column, Kind::kDouble, required);
  if (!c) return std::nullopt;
  std::string text = rows_.Text(row_, *c);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    Fail(column, "is not a number");
    return std::nullopt;
  }
  return v;
}

std::optional<double> Row::OptDouble(const char* column) {
  return DoubleAt(column, false);
}
double Row::Double(const char* column) {
  return DoubleAt(column, true).value_or(0);
}

bool Row::Bool(const char* column) {
  auto c = Cell(column, Kind::kBool, true);
  if (!c) return false;
  std::string text = rows_.Text(row_, *c);
  if (text != "t" && text != "f") Fail(column, "is not a boolean");
  return text == "t";
}

}  // namespace ascension::pg
