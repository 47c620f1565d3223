// pg::Row against hand-built results (libpq's PQsetResultAttrs/PQsetvalue): no server needed.
#include "adapters/postgres/row.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace ascension::pg {
namespace {

struct Col {
  const char* name;
  Oid type;
};

// One row with the given columns; a null `value` is SQL NULL.
Rows MakeRows(const std::vector<Col>& cols, const std::vector<const char*>& values) {
  PGresult* r = PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK);
  std::vector<PGresAttDesc> attrs(cols.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    attrs[i] = PGresAttDesc{const_cast<char*>(cols[i].name), 0, 0, 0, cols[i].type, -1, -1};
  }
  PQsetResultAttrs(r, static_cast<int>(attrs.size()), attrs.data());
  for (size_t i = 0; i < values.size(); ++i) {
    const char* v = values[i];
    PQsetvalue(r, 0, static_cast<int>(i), const_cast<char*>(v),
               v ? static_cast<int>(strlen(v)) : -1);
  }
  return Rows(r);
}

TEST(Row, ReadsByNameWithTheType) {
  Rows rows =
      MakeRows({{"id", 2950}, {"progress", 23}, {"hints", 25}, {"ghost", 16}, {"score", 701}},
               {"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "42", nullptr, "t", "61.5"});
  Row r(rows, 0, "analyses");
  EXPECT_EQ(r.Text("id"), "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
  EXPECT_EQ(r.Int("progress"), 42);
  EXPECT_EQ(r.OptText("hints"), std::nullopt);
  EXPECT_TRUE(r.Bool("ghost"));
  EXPECT_DOUBLE_EQ(r.Double("score"), 61.5);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST(Row, MissingMistypedNullAndMalformedAreErrorsNamingTheColumn) {
  struct Case {
    std::vector<Col> cols;
    std::vector<const char*> values;
    const char* column;
  };
  for (const Case& c : {
           Case{{{"progress", 23}}, {"42"}, "stage"},        // missing
           Case{{{"progress", 25}}, {"42"}, "progress"},     // text where an integer is expected
           Case{{{"progress", 23}}, {nullptr}, "progress"},  // NULL in a required column
           Case{{{"progress", 23}}, {"4x"}, "progress"},     // garbage in an integer column
       }) {
    Rows rows = MakeRows(c.cols, c.values);
    Row r(rows, 0, "analyses");
    (void)r.Int(c.column);
    ASSERT_FALSE(r.ok()) << c.column;
    EXPECT_EQ(r.status().kind(), ErrorKind::kDataLoss);
    EXPECT_NE(r.status().message().find(c.column), std::string::npos) << r.status().message();
  }
  Rows rows = MakeRows({{"ghost", 16}}, {"maybe"});
  Row r(rows, 0, "users");
  (void)r.Bool("ghost");
  EXPECT_FALSE(r.ok());
}

TEST(Row, TheFirstErrorIsKept) {
  Rows rows = MakeRows({{"a", 23}, {"b", 23}}, {"x", nullptr});
  Row r(rows, 0, "t");
  (void)r.Int("a");
  (void)r.Int("b");
  EXPECT_NE(r.status().message().find("column a"), std::string::npos);
}

}  // namespace
}  // namespace ascension::pg
