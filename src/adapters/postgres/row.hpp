// Reading one result row by column name, with the column's type checked: a column missing from
// the result, of an unexpected type, NULL where a value is required, or text that does not parse
// is an error value (kDataLoss, naming the column), never an exception and never a silent zero.
//
//   pg::Row r(*rows, i, "analyses");
//   a.progress = static_cast<int>(r.Int("progress"));
//   a.hints = r.OptText("hints");
//   if (!r.ok()) return r.status();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/postgres/connection.hpp"

namespace ascension::pg {

class Row {
 public:
  // `what` names the rows in errors ("users").
  Row(const Rows& rows, int row, std::string_view what) : rows_(rows), row_(row), what_(what) {}

  // text, varchar, name, uuid (as canonical text) — NOT NULL.
  std::string Text(const char* column);
  std::optional<std::string> OptText(const char* column);
  // int2, int4, int8.
  std::int64_t Int(const char* column);
  std::optional<std::int64_t> OptInt(const char* column);
  // float4, float8, numeric.
  double Double(const char* column);
  std::optional<double> OptDouble(const char* column);
  bool Bool(const char* column);

  // Records a problem the caller found in a value it read ("is not a UUID").
  void Reject(const char* column, const std::string& why) { Fail(column, why); }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  enum class Kind { kText, kInt, kDouble, kBool };
  // The column index when present, of `kind` and not NULL (nullopt otherwise; a missing or
  // mistyped column records an error, NULL records one when `required`).
  std::optional<int> Cell(const char* column, Kind kind, bool required);
  std::optional<std::int64_t> IntAt(const char* column, bool required);
  std::optional<double> DoubleAt(const char* column, bool required);
  void Fail(const char* column, const std::string& why);

  const Rows& rows_;
  int row_;
  std::string_view what_;
  Status status_;
};

}  // namespace ascension::pg
