// The import from the original system (issue 18 item 3), against the test stack: the original
// schema is built in a scratch database of the stack's PostgreSQL and filled (bcrypt hashes made
// here with libxcrypt, videos in a bucket of their own), then `ascension admin import-legacy`
// runs: a dry run first (nothing written), the import, and a second run (nothing changed).
// Imported climbers log in with their old password (which is then rehashed to Argon2id), find
// their old analyses with results and hints in their history, and play their videos; a token of
// the old system gets 401.
#include <crypt.h>
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "stack/api_fixture.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string Bcrypt(const char* prefix, const std::string& password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn(prefix, 5, nullptr, 0, setting, sizeof setting) == nullptr) return "";
  struct crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* out = crypt_rn(password.c_str(), setting, &data, sizeof data);
  return out != nullptr && out[0] != '*' ? std::string(out) : std::string();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// SQL string literal.
std::string Lit(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

class LegacyImportTest : public StackTest {
 protected:
  void SetUp() override {
    PickClient("198.18.7.");
    tag_ = HexEncode(RandomBytes(4));
    db_name_ = "legacy_" + tag_;
    bucket_ = "legacy-videos-" + tag_;
    // postgresql://user:pass@host:port/DB[?...] -> the same server, the scratch database.
    std::string url = env_->Get("DATABASE_URL");
    auto query = url.find('?');
    auto slash = url.rfind('/', query);
    ASSERT_NE(slash, std::string::npos) << url;
    legacy_url_ =
        url.substr(0, slash + 1) + db_name_ + (query == std::string::npos ? "" : url.substr(query));
  }
  void TearDown() override {
    Exec(env_->Get("DATABASE_URL"), "DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    if (legacy_store_) {
      for (const auto& key : legacy_keys_) (void)legacy_store_->DeleteObject(key);
      (void)legacy_store_->DeleteBucket();
    }
  }

  // Runs SQL on a database; the error message, "" on success.
  static std::string Exec(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    std::string err;
    if (PQstatus(c) != CONNECTION_OK) {
      err = PQerrorMessage(c);
    } else {
      PGresult* r = PQexec(c, sql.c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        err = PQresultErrorMessage(r);
      PQclear(r);
    }
    PQfinish(c);
    return err;
  }

  // `ascension admin import-legacy ARGS`: exit status and output.
  std::pair<int, std::string> Import(const std::string& args) {
    const std::string out = env_->Get("ASCENSION_HOME") + "/import-" + tag_ + ".out";
    int rc = env_->Control("admin import-legacy --from '" + legacy_url_ + "' " + args + " >'" +
                           out + "' 2>&1");
    std::string text = ReadFile(out);
    std::filesystem::remove(out);
    return {rc, text};
  }

  static HttpResponse Login(const std::string& email, const std::string& password) {
    return Call("POST", "/v1/auth/login", "",
                json{{"email", email}, {"password", password}}.dump());
  }

  std::string tag_, db_name_, bucket_, legacy_url_;
  std::optional<s3::Client> legacy_store_;
  std::vector<std::string> legacy_keys_;
};

TEST_F(LegacyImportTest, UsersVideosAndAnalysesMoveOverOnceAndOldPasswordsWork) {
  // The original system's database and videos.
  ASSERT_EQ(Exec(env_->Get("DATABASE_URL"), "CREATE DATABASE " + db_name_), "");
  ASSERT_EQ(Exec(legacy_url_, R"(
    CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, username TEXT NOT NULL,
      password_hash TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'user',
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE videos (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id),
      object_key TEXT NOT NULL, bucket TEXT NOT NULL DEFAULT 'videos', filename TEXT, status TEXT,
      size_bytes BIGINT, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE analyses (id TEXT PRIMARY KEY, video_id TEXT NOT NULL REFERENCES videos (id),
      job_id TEXT, status TEXT NOT NULL, result_json TEXT, processing_time_ms INTEGER,
      completed_at TIMESTAMPTZ, progress REAL, hints TEXT, error TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now());)"),
            "");
  const std::string pw1 = "ancien-mot-de-passe", pw3 = "autre-secret-3";
  const std::string h1 = Bcrypt("$2b$", pw1), h3 = Bcrypt("$2y$", pw3);
  ASSERT_EQ(h1.size(), 60u);
  ASSERT_EQ(h3.rfind("$2y$", 0), 0u) << h3;
  const std::string u1 = NewUuid(), u2 = "legacy-2-" + tag_, u3 = "legacy-3-" + tag_;
  const std::string email1 = "Grimpeur" + tag_ + "@Example.com",
                    email3 = "third" + tag_ + "@example.com";
  // u2's email is taken here already.
  Account here = Register("dup");
  ASSERT_FALSE(here.id.empty());
  const std::string result1 =
      R"({"frames":[{"t":0.0,"landmarks":[]}],"summary":{"score":71},"legacy":true})";
  const std::string hints1 = "## Conseils\n- Garde les bras tendus\n- Pousse sur les jambes";
  ASSERT_EQ(
      Exec(legacy_url_,
           "INSERT INTO users (id, email, username, password_hash, role, created_at) VALUES "
           "(" +
               Lit(u1) + ", " + Lit(email1) + ", " + Lit("grimpeur." + tag_) + ", " + Lit(h1) +
               ", 'user', '2025-03-01 10:00:00+00'), "
               "(" +
               Lit(u2) + ", " + Lit(here.email) + ", 'dup', " + Lit(Bcrypt("$2a$", "x-password")) +
               ", 'user', '2025-03-02 10:00:00+00'), "
               "(" +
               Lit(u3) + ", " + Lit(email3) + ", " + Lit("third_" + tag_) + ", " + Lit(h3) +
               ", 'user', '2025-03-03 10:00:00+00');"
               "INSERT INTO videos (id, user_id, object_key, bucket, filename, status, created_at) "
               "VALUES "
               "('v1-" +
               tag_ + "', " + Lit(u1) + ", " + Lit("raw/" + u1 + "/one.mp4") + ", " + Lit(bucket_) +
               ", 'one.mp4', 'uploaded', '2025-03-04 10:00:00+00'), "
               "('v2-" +
               tag_ + "', " + Lit(u1) + ", 'raw/gone.mov', " + Lit(bucket_) +
               ", 'gone.mov', 'uploaded', '2025-03-05 10:00:00+00'), "
               "('v3-" +
               tag_ + "', " + Lit(u3) + ", 'raw/three.mp4', " + Lit(bucket_) +
               ", 'three.mp4', 'uploaded', '2025-03-06 10:00:00+00');"
               "INSERT INTO analyses (id, video_id, job_id, status, result_json, "
               "processing_time_ms, "
               "completed_at, progress, hints, created_at) VALUES "
               "('a1-" +
               tag_ + "', 'v1-" + tag_ + "', " + Lit(NewUuid()) + ", 'completed', " + Lit(result1) +
               ", 4321, '2025-03-04 10:05:00+00', 100, " + Lit(hints1) +
               ", '2025-03-04 10:01:00+00'), "
               "('a2-" +
               tag_ + "', 'v1-" + tag_ +
               "', 'j2', 'processing', NULL, NULL, NULL, 42.5, NULL, "
               "'2025-03-04 11:00:00+00'), "
               "('a3-" +
               tag_ + "', 'v2-" + tag_ +
               "', 'j3', 'completed', '{\"frames\":[]}', 1000, "
               "'2025-03-05 10:05:00+00', 100, 'Bravo', '2025-03-05 10:01:00+00'), "
               "('a4-" +
               tag_ + "', 'v3-" + tag_ +
               "', 'j4', 'failed', NULL, NULL, NULL, 10, NULL, "
               "'2025-03-06 10:01:00+00');"),
      "");
  s3::Config c;
  c.endpoint = env_->Get("MINIO_ENDPOINT");
  c.bucket = bucket_;
  c.access_key = env_->Get("MINIO_ROOT_USER");
  c.secret_key = env_->Get("MINIO_ROOT_PASSWORD");
  auto store = s3::Client::Create(c);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  legacy_store_.emplace(std::move(store).value());
  ASSERT_TRUE(legacy_store_->CreateBucket().ok());
  const std::string video_bytes = "legacy video one " + tag_ + std::string(4096, 'v');
  legacy_keys_ = {"raw/" + u1 + "/one.mp4", "raw/three.mp4"};
  ASSERT_TRUE(legacy_store_->PutObject(legacy_keys_[0], video_bytes, "video/mp4").ok());
  ASSERT_TRUE(legacy_store_->PutObject(legacy_keys_[1], "three", "video/mp4").ok());
  const std::string where_ours =
      "FROM users WHERE lower(email) IN (" + Lit(Lower(email1)) + ", " + Lit(email3) + ")";

  // A dry run: the counts, nothing written.
  auto [dry_rc, dry] = Import("--dry-run");
  ASSERT_EQ(dry_rc, 0) << dry;
  EXPECT_NE(dry.find("dry run"), std::string::npos) << dry;
  EXPECT_NE(dry.find("users: 3 found, 2 to import, 0 already here, 1 skipped"), std::string::npos)
      << dry;
  EXPECT_NE(dry.find("analyses: 4 found, 3 to import, 0 already here, 1 skipped"),
            std::string::npos)
      << dry;
  EXPECT_EQ(Sql("SELECT count(*) " + where_ours), "0");

  // The import.
  auto [rc, out] = Import("");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("users: 3 found, 2 imported, 0 already here, 1 skipped"), std::string::npos)
      << out;
  EXPECT_NE(out.find("videos: 3 found, 3 imported, 0 already here, 0 skipped"), std::string::npos)
      << out;
  EXPECT_NE(out.find("analyses: 4 found, 3 imported, 0 already here, 1 skipped"), std::string::npos)
      << out;
  EXPECT_NE(out.find("objects: 2 copied, 0 already copied, 1 missing"), std::string::npos) << out;
  EXPECT_NE(out.find("\"" + u2 + "\""), std::string::npos)
      << "the duplicate email is not reported:\n"
      << out;
  EXPECT_NE(out.find("duplicate email"), std::string::npos) << out;
  EXPECT_NE(out.find("raw/gone.mov\" missing"), std::string::npos) << out;
  EXPECT_NE(out.find("status \"processing\""), std::string::npos) << out;
  EXPECT_NE(out.find("is now"), std::string::npos) << "the changed username is not reported:\n"
                                                   << out;
  EXPECT_EQ(Sql("SELECT count(*) " + where_ours), "2");
  EXPECT_EQ(Sql("SELECT id FROM users WHERE lower(email) = " + Lit(Lower(email1))), u1)
      << "a UUID id is kept";
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE lower(email) = " + Lit(here.email)), "1");

  // An old token is refused; the old password works, once bcrypt, then Argon2id.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string head = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  const std::string body =
      Base64UrlEncode(json{{"sub", u1}, {"iat", now}, {"exp", now + 3600}}.dump());
  const std::string old_token =
      head + "." + body + "." +
      Base64UrlEncode(HmacSha256("the-original-systems-secret", head + "." + body));
  EXPECT_EQ(Call("GET", "/v1/users/me", old_token).status, 401);
  EXPECT_EQ(Login(email1, pw1 + "x").status, 401);
  auto login = Login(email1, pw1);
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = Body(login).value("access_token", "");
  EXPECT_EQ(Sql("SELECT left(password_hash, 10) FROM users WHERE id = " + Lit(u1)), "$argon2id$")
      << "the bcrypt hash was not replaced at the first login";
  EXPECT_EQ(Login(email1, pw1).status, 200) << "the rehashed password does not verify";
  EXPECT_EQ(Login(email3, pw3).status, 200) << "a $2y$ hash does not verify";
  auto me = Body(Call("GET", "/v1/users/me", token));
  EXPECT_EQ(me.value("id", me.value("user_id", "")), u1) << me.dump();

  // The history: both finished analyses, intact; the video plays from this system's store.
  auto history = Body(Call("GET", "/v1/analyses", token));
  ASSERT_TRUE(history.is_object() && history["items"].is_array()) << history.dump();
  int found = 0;
  for (const auto& a : history["items"]) {
    if (a.value("status", "") == "completed") ++found;
  }
  EXPECT_EQ(found, 2) << history.dump().substr(0, 1000);
  const std::string a1 =
      Sql("SELECT id FROM analyses WHERE user_id = " + Lit(u1) + " AND hints LIKE '## Conseils%'");
  ASSERT_FALSE(a1.empty());
  auto one = Body(Call("GET", "/v1/analyses/" + a1, token));
  EXPECT_EQ(one.value("status", ""), "completed");
  EXPECT_EQ(one.value("result_json", ""), result1);
  EXPECT_EQ(one.value("hints", ""), hints1);
  EXPECT_EQ(one["processing_time_ms"], 4321);
  const std::string v1 = one.value("video_id", "");
  auto video = Body(Call("GET", "/v1/videos/" + v1, token));
  ASSERT_TRUE(video.is_object() && video["playback_url"].is_string()) << video.dump();
  auto played = Http("GET", video["playback_url"].get<std::string>());
  EXPECT_EQ(played.status, 200);
  EXPECT_EQ(played.body, video_bytes) << "the copied video is not the original's bytes";
  EXPECT_EQ(
      Sql("SELECT status FROM videos WHERE user_id = " + Lit(u1) + " AND filename = 'gone.mov'"),
      "expired");

  // A second run changes nothing (and keeps the new Argon2id hash).
  const std::string counts =
      "SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM videos) || '/' || "
      "(SELECT count(*) FROM analyses)";
  const std::string before = Sql(counts);
  auto [again_rc, again] = Import("");
  ASSERT_EQ(again_rc, 0) << again;
  EXPECT_NE(again.find("users: 3 found, 0 imported, 2 already here, 1 skipped"), std::string::npos)
      << again;
  EXPECT_NE(again.find("videos: 3 found, 0 imported, 3 already here, 0 skipped"), std::string::npos)
      << again;
  EXPECT_NE(again.find("analyses: 4 found, 0 imported, 3 already here, 1 skipped"),
            std::string::npos)
      << again;
  EXPECT_NE(again.find("objects: 0 copied, 2 already copied, 1 missing"), std::string::npos)
      << again;
  EXPECT_EQ(Sql(counts), before);
  EXPECT_EQ(Sql("SELECT left(password_hash, 10) FROM users WHERE id = " + Lit(u1)), "$argon2id$");

  // Mistakes of the operator: an option unknown, no --from, a database without the schema.
  EXPECT_EQ(Import("--bogus").first, 2);
  EXPECT_EQ(env_->Control("admin import-legacy --dry-run >/dev/null 2>&1"), 2);
  legacy_url_ = legacy_url_.substr(0, legacy_url_.rfind(db_name_)) + "postgres" +
                legacy_url_.substr(legacy_url_.rfind(db_name_) + db_name_.size());
  auto [none_rc, none] = Import("--dry-run");
  EXPECT_EQ(none_rc, 1) << none;
  EXPECT_NE(none.find("has no table users"), std::string::npos) << none;
}

}  // namespace
}  // namespace ascension::testsuite
