// The shipped Flutter app's calls, replayed against the test stack exactly as the app makes them
// (docs/mobile-app.md): the field names it sends, the fields it reads, no Accept-Language header,
// polling instead of the WebSocket. A change that breaks the app breaks this test.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "api/http_client.hpp"
#include "common/crypto.hpp"
#include "stack/stack_env.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;

class MobileAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = StackEnv::Load();
    ASSERT_TRUE(env.ok()) << env.error();
    base_ = "http://127.0.0.1:" + env.Get("API_PORT");
    // The stack trusts loopback as a proxy: one client address per test for the rate limiter,
    // as each phone is its own client behind nginx.
    forwarded_ = "X-Forwarded-For: 203.0.113." + std::to_string(1 + RandomBytes(1)[0] % 250);
  }

  // A call the way the app makes it: JSON body, Bearer header when logged in, nothing else.
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = "") const {
    std::vector<std::string> headers = {forwarded_};
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    return Http(method, base_ + path, headers, body, !body.empty());
  }

  static json Parse(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }

  // The app reads fields as strings and numbers; a missing field or another type fails here.
  static std::string Str(const json& j, const char* key) {
    EXPECT_TRUE(j.is_object() && j.contains(key) && j[key].is_string()) << key << " in " << j.dump();
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
  }

  std::string base_;
  std::string forwarded_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST_F(MobileAppTest, RegisterLoginUploadAnalysePollAndDrawTheResult) {
  const std::string tag = HexEncode(RandomBytes(4));
  const std::string email = "app" + tag + "@example.com";
  const std::string password = "grimpe-" + tag;

  // Sign-up screen: {username,email,password} → 201 {access_token,user_id}.
  auto reg = Call("POST", "/v1/auth/register", "",
                  json{{"username", "app_" + tag}, {"email", email}, {"password", password}}.dump());
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_FALSE(Str(Parse(reg), "access_token").empty());
  const std::string user_id = Str(Parse(reg), "user_id");
  ASSERT_FALSE(user_id.empty());

  // The same sign-up again: the app shows "account exists" on 409 or a body containing "already".
  auto again = Call("POST", "/v1/auth/register", "",
                    json{{"username", "app_" + tag}, {"email", email}, {"password", password}}.dump());
  EXPECT_TRUE(again.status == 409 || again.body.find("already") != std::string::npos) << again.body;

  // Sign-in screen: a wrong password is 401 or 403 ("bad credentials"), the right one 200.
  auto wrong = Call("POST", "/v1/auth/login", "", json{{"email", email}, {"password", "not-" + password}}.dump());
  EXPECT_TRUE(wrong.status == 401 || wrong.status == 403) << wrong.status;
  auto login = Call("POST", "/v1/auth/login", "", json{{"email", email}, {"password", password}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = Str(Parse(login), "access_token");
  EXPECT_EQ(Str(Parse(login), "user_id"), user_id);

  // Profile screen: GET /v1/users/{id} → {id,username,email,role}.
  auto me = Call("GET", "/v1/users/" + user_id, token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Str(Parse(me), "id"), user_id);
  EXPECT_EQ(Str(Parse(me), "email"), email);
  EXPECT_EQ(Str(Parse(me), "username"), "app_" + tag);
  EXPECT_EQ(Str(Parse(me), "role"), "user");

  // Upload: {filename, user_id} → 201 {video_id, upload_url}; PUT with the extension's type.
  auto ticket = Call("POST", "/v1/videos/upload-url", token,
                     json{{"filename", "IMG_0042.mp4"}, {"user_id", user_id}}.dump());
  ASSERT_EQ(ticket.status, 201) << ticket.body;
  const std::string video_id = Str(Parse(ticket), "video_id");
  const std::string upload_url = Str(Parse(ticket), "upload_url");
  auto put = Http("PUT", upload_url, {"Content-Type: video/mp4"}, ReadFile(ASCENSION_EXAMPLE_VIDEO), true);
  ASSERT_EQ(put.status, 200) << put.body;

  // Analyse: {video_id} → 202 {analysis_id, job_id, status:"pending"}.
  auto started = Call("POST", "/v1/analyses", token, json{{"video_id", video_id}}.dump());
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string analysis_id = Str(Parse(started), "analysis_id");
  EXPECT_FALSE(Str(Parse(started), "job_id").empty());
  EXPECT_EQ(Str(Parse(started), "status"), "pending");

  // Progress screen: the app polls GET /v1/analyses/{id} until completed or failed.
  const std::set<std::string> statuses = {"pending", "processing", "generating_hints", "completed", "failed"};
  json analysis;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(8);
  for (;;) {
    auto r = Call("GET", "/v1/analyses/" + analysis_id, token);
    ASSERT_EQ(r.status, 200) << r.body;
    analysis = Parse(r);
    const std::string status = Str(analysis, "status");
    ASSERT_TRUE(statuses.count(status)) << "status the app does not know: " << status;
    ASSERT_TRUE(analysis["progress"].is_number()) << r.body;
    if (status == "completed" || status == "failed") break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "analysis " << analysis_id << " still " << status;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the app's polling period
  }
  ASSERT_EQ(Str(analysis, "status"), "completed") << analysis.dump();
  for (const char* key : {"id", "video_id", "job_id", "created_at", "completed_at"}) Str(analysis, key);
  EXPECT_TRUE(analysis["processing_time_ms"].is_number()) << analysis.dump();

  // Result screen: result_json is a JSON-encoded string the app decodes, then draws frame by frame.
  const json result = json::parse(Str(analysis, "result_json"), nullptr, false);
  ASSERT_TRUE(result.is_object()) << "result_json does not decode";
  ASSERT_TRUE(result["frames"].is_array() && !result["frames"].empty());
  int drawn = 0;
  int drawn_angles = 0;
  for (const json& f : result["frames"]) {
    ASSERT_TRUE(f["frame"].is_number_integer() && f["timestamp_ms"].is_number() && f["pose_detected"].is_boolean());
    if (!f["pose_detected"].get<bool>()) continue;
    ++drawn;
    for (const char* index : {"11", "12", "13", "14", "15", "16", "23", "24", "25", "26", "27", "28"}) {
      const json& l = f["landmarks"][index];
      ASSERT_TRUE(l["x"].is_number() && l["y"].is_number() && l["z"].is_number() && l["pres"].is_number())
          << "landmark " << index << " of frame " << f["frame"];
    }
    // Each joint angle is drawn (`angles`) or, when its landmarks are too uncertain to measure,
    // listed apart (`uncertain_angles`) so that no number is drawn for it (issue 15).
    for (const char* joint : {"11", "12", "13", "14", "23", "24", "25", "26"}) {
      const bool drawn = f["angles"].contains(joint) && f["angles"][joint].is_number();
      const bool withheld = f["uncertain_angles"].contains(joint) && f["uncertain_angles"][joint].is_number();
      ASSERT_TRUE(drawn != withheld) << "angle " << joint << " of frame " << f["frame"];
      if (drawn) ++drawn_angles;
    }
  }
  EXPECT_GT(drawn, 0) << "no frame with a climber";
  EXPECT_GT(drawn_angles, 0) << "no angle drawn on any frame";

  // The app sends no Accept-Language and is French-first: the hints are Markdown, in French.
  EXPECT_EQ(Str(result, "language"), "fr");
  const std::string hints = Str(analysis, "hints");
  EXPECT_EQ(hints.rfind("## ", 0), 0u) << hints;
}

}  // namespace
}  // namespace ascension::testsuite
