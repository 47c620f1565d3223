// Routes through the running test stack (API + worker + PostgreSQL + RabbitMQ + Ceph RGW):
// the repository's wall photo uploaded through a presigned PUT, detected by the worker on
// vision.holds, route:detected on the owner's WebSocket only; the holds listed, corrected
// (added, recoloured, moved, deleted: each correction counted) and selected by colour; names,
// grades and angles validated (422 naming the field); another user's route is 404; a corrupt
// photo fails with its code; deleting the route or the account removes its photo and rows; a
// route built from an analysed climb video gets holds, the analysis it was built from gains the
// holds its placements used once the holds are detected (route.holds_used), and so does an
// analysis of that clip on that route.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/s3/client.hpp"
#include "api/http_client.hpp"
#include "stack/api_fixture.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using Socket = websocket::stream<net::ip::tcp::socket>;

// testdata/example-2.mp4 lasts 10.3 s (309 frames at 30 fps).
constexpr std::int64_t kExampleVideoMs = 10300;

class RouteApiTest : public StackTest {
 protected:
  void SetUp() override { PickClient("198.51.102."); }

  std::unique_ptr<Socket> OpenSocket(const std::string& token) {
    auto ws = std::make_unique<Socket>(io_);
    net::ip::tcp::resolver resolver(io_);
    net::connect(ws->next_layer(), resolver.resolve("127.0.0.1", env_->Get("API_PORT")));
    ws->handshake("127.0.0.1", "/v1/ws?token=" + token);
    return ws;
  }

  // Reads WebSocket messages until one about `route_id` other than route:progress arrives (or
  // the socket times out / the deadline passes); returns that one, or null.
  static json WaitRouteEvent(Socket& ws, const std::string& route_id, std::chrono::seconds limit,
                             int* progress_events) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      boost::beast::flat_buffer buf;
      boost::beast::error_code ec;
      ws.read(buf, ec);
      if (ec) return nullptr;
      auto e = json::parse(boost::beast::buffers_to_string(buf.data()), nullptr, false);
      if (!e.is_object() || !e.contains("data") || !e["data"].is_object()) continue;
      if (e["data"].value("route_id", "") != route_id) continue;
      if (e.value("event", "") == "route:progress") {
        ++*progress_events;
        continue;
      }
      return e;
    }
    return nullptr;
  }

  // Nothing is waiting on a socket (or the idle socket was closed): no event reached it.
  static void ExpectNothingReceived(Socket& ws) {
    ws.next_layer().non_blocking(true);
    boost::beast::flat_buffer buf;
    boost::beast::error_code ec;
    ws.read(buf, ec);
    EXPECT_TRUE(ec) << "the stranger received: " << boost::beast::buffers_to_string(buf.data());
    EXPECT_EQ(buf.size(), 0u);
  }

  // upload-url + presigned PUT of `bytes`; returns the upload answer.
  static json UploadPhoto(const Account& a, const std::string& bytes,
                          const std::string& filename = "wall.jpg") {
    auto r = Call("POST", "/v1/routes/upload-url", a.token, json{{"filename", filename}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    auto j = Body(r);
    if (!j.is_object() || !j.contains("upload_url")) return json::object();
    std::vector<std::string> headers;
    for (auto it = j["headers"].begin(); it != j["headers"].end(); ++it) {
      headers.push_back(it.key() + ": " + it.value().get<std::string>());
    }
    auto put = Http("PUT", j["upload_url"].get<std::string>(), headers, bytes, true);
    EXPECT_EQ(put.status, 200) << put.body;
    return j;
  }

  static json WaitRouteTerminal(const Account& a, const std::string& id,
                                std::chrono::seconds limit) {
    json j;
    WaitFor(limit, [&] {
      j = Body(Call("GET", "/v1/routes/" + id, a.token));
      return j.is_object() && (j["status"] == "ready" || j["status"] == "failed");
    });
    return j;
  }

  static bool ObjectExists(const std::string& key) {
    auto head = Storage().HeadObject(key);
    return head.ok();
  }

  static std::string Message(const HttpResponse& r) {
    auto j = Body(r);
    if (!j.is_object() || !j.contains("error")) return "<no error shape: " + r.body + ">";
    return j["error"].value("message", "");
  }

  net::io_context io_;
};

TEST_F(RouteApiTest, PhotoDetectedCorrectedAndSelectedByColourThroughTheRunningSystem) {
  Account a = Register("rte");
  Account stranger = Register("rts");
  auto ws = OpenSocket(a.token);
  auto spy = OpenSocket(stranger.token);

  // The upload request is checked at the boundary.
  auto wrong_type = Call("POST", "/v1/routes/upload-url", a.token, json{{"filename", 42}}.dump());
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_NE(Message(wrong_type).find("filename"), std::string::npos) << wrong_type.body;
  auto heic = Call("POST", "/v1/routes/upload-url", a.token, json{{"filename", "IMG.HEIC"}}.dump());
  EXPECT_EQ(heic.status, 422);
  EXPECT_EQ(ErrorCode(heic), "heic_unsupported");
  auto extra = Call("POST", "/v1/routes/upload-url", a.token,
                    json{{"filename", "w.jpg"}, {"user_id", stranger.id}}.dump());
  EXPECT_EQ(extra.status, 422);
  EXPECT_NE(Message(extra).find("user_id"), std::string::npos) << extra.body;

  // Detecting before the photo is uploaded is refused.
  auto early =
      Body(Call("POST", "/v1/routes/upload-url", a.token, json{{"filename", "later.png"}}.dump()));
  ASSERT_TRUE(early.contains("route_id")) << early.dump();
  auto not_uploaded =
      Call("POST", "/v1/routes/" + early["route_id"].get<std::string>() + "/detect", a.token);
  EXPECT_EQ(not_uploaded.status, 409);
  EXPECT_EQ(ErrorCode(not_uploaded), "photo_not_uploaded");

  const json upload = UploadPhoto(a, ReadFile(ASCENSION_WALL_PHOTO));
  ASSERT_TRUE(upload.contains("route_id")) << upload.dump();
  const std::string id = upload["route_id"];
  EXPECT_EQ(upload["content_type"], "image/jpeg");
  EXPECT_EQ(upload["object_key"], "routes/" + a.id + "/" + id + ".jpg");
  EXPECT_EQ(upload["expires_in"], 900);

  // Another user cannot detect it (404 like a missing route).
  EXPECT_EQ(Call("POST", "/v1/routes/" + id + "/detect", stranger.token).status, 404);
  auto detect = Call("POST", "/v1/routes/" + id + "/detect", a.token);
  ASSERT_EQ(detect.status, 202) << detect.body;
  EXPECT_EQ(Body(detect)["status"], "detecting");

  int progress = 0;
  json done = WaitRouteEvent(*ws, id, std::chrono::seconds(180), &progress);
  ASSERT_TRUE(done.is_object()) << "no route event within 180 s";
  ASSERT_EQ(done["event"], "route:detected") << done.dump();
  EXPECT_GT(progress, 0);
  const int detected_count = done["data"]["hold_count"];
  EXPECT_GE(detected_count, 15) << done.dump();

  auto shown = Call("GET", "/v1/routes/" + id, a.token);
  ASSERT_EQ(shown.status, 200) << shown.body;
  json route = Body(shown);
  EXPECT_EQ(route["status"], "ready");
  EXPECT_EQ(route["source"], "photo");
  EXPECT_EQ(route["image_width"], 480);
  EXPECT_EQ(route["image_height"], 854);
  ASSERT_EQ(route["holds"].size(), static_cast<std::size_t>(detected_count));
  ASSERT_TRUE(route["image_url"].is_string());
  auto image = Http("GET", route["image_url"].get<std::string>());
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.body, ReadFile(ASCENSION_WALL_PHOTO));
  std::multiset<std::string> colours;
  for (const auto& h : route["holds"]) {
    EXPECT_EQ(h["origin"], "detected");
    EXPECT_GE(h["outline"].size(), 3u);
    EXPECT_GT(h["area_px"].get<double>(), 0);
    const double cx = h["centre_normalised"]["x"], cy = h["centre_normalised"]["y"];
    EXPECT_TRUE(cx >= 0 && cx <= 1 && cy >= 0 && cy <= 1) << h.dump();
    EXPECT_TRUE(h["measured_colour"].contains("hex")) << h.dump();
    EXPECT_GT(h["confidence"].get<double>(), 0);
    colours.insert(h["colour"].get<std::string>());
  }
  // The sample wall's blue and green routes (docs/routes.md).
  EXPECT_GE(colours.count("blue"), 4u);
  EXPECT_GE(colours.count("green"), 3u);

  // Ownership: another user's route is missing for them.
  EXPECT_EQ(Call("GET", "/v1/routes/" + id, stranger.token).status, 404);
  EXPECT_EQ(Call("GET", "/v1/routes/" + id + "/colours", stranger.token).status, 404);
  EXPECT_EQ(Call("PATCH", "/v1/routes/" + id, stranger.token, json{{"name", "mine"}}.dump()).status,
            404);
  const std::string first = route["holds"][0]["id"];
  EXPECT_EQ(Call("PATCH", "/v1/routes/" + id + "/holds/" + first, stranger.token,
                 json{{"colour", "red"}}.dump())
                .status,
            404);
  EXPECT_EQ(Call("DELETE", "/v1/routes/" + id + "/holds/" + first, stranger.token).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/routes/" + id, stranger.token).status, 404);
  EXPECT_EQ(Body(Call("GET", "/v1/routes", stranger.token))["items"].size(), 0u);

  // Corrections: the body is checked field by field.
  struct Bad {
    json body;
    const char* field;
  };
  for (const auto& c :
       {Bad{{{"centre", {{"x", 10}, {"y", 10}}}, {"radius", 8}, {"colour", "teal"}}, "colour"},
        Bad{{{"outline", {{"a", "b"}, {1, 2}, {3, 4}}}, {"colour", "red"}}, "outline"},
        Bad{{{"radius", 8}, {"colour", "red"}}, "centre"},
        Bad{{{"centre", {{"x", 10}, {"y", 10}}}, {"radius", "8"}, {"colour", "red"}}, "radius"},
        Bad{{{"centre", {{"x", 10}, {"y", 10}}},
             {"radius", 8},
             {"colour", "red"},
             {"role", "crux"}},
            "role"},
        Bad{{{"centre", {{"x", 9000}, {"y", 10}}}, {"radius", 8}, {"colour", "red"}}, "centre"}}) {
    auto r = Call("POST", "/v1/routes/" + id + "/holds", a.token, c.body.dump());
    EXPECT_EQ(r.status, 422) << c.body.dump() << " " << r.body;
    EXPECT_NE(Message(r).find(c.field), std::string::npos) << r.body;
  }
  // Add the hold the detection missed, recolour one, move one, delete one.
  auto added =
      Call("POST", "/v1/routes/" + id + "/holds", a.token,
           json{{"centre", {{"x", 240}, {"y", 20}}}, {"radius", 9}, {"colour", "red"}}.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Body(added)["origin"], "manual");
  EXPECT_EQ(Body(added)["colour"], "red");
  EXPECT_NEAR(Body(added)["centre"]["x"].get<double>(), 240, 1.0);
  const std::string second = route["holds"][1]["id"];
  const std::string third = route["holds"][2]["id"];
  auto recoloured = Call("PATCH", "/v1/routes/" + id + "/holds/" + first, a.token,
                         json{{"colour", "yellow"}}.dump());
  ASSERT_EQ(recoloured.status, 200) << recoloured.body;
  EXPECT_EQ(Body(recoloured)["colour"], "yellow");
  const double x0 = route["holds"][1]["centre"]["x"], y0 = route["holds"][1]["centre"]["y"];
  auto moved = Call("PATCH", "/v1/routes/" + id + "/holds/" + second, a.token,
                    json{{"centre", {{"x", x0 + 5}, {"y", y0 + 3}}}}.dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_NEAR(Body(moved)["centre"]["x"].get<double>(), x0 + 5, 0.5);
  EXPECT_NEAR(Body(moved)["centre"]["y"].get<double>(), y0 + 3, 0.5);
  auto bad_patch = Call("PATCH", "/v1/routes/" + id + "/holds/" + second, a.token,
                        json{{"selected", "yes"}}.dump());
  EXPECT_EQ(bad_patch.status, 422);
  EXPECT_NE(Message(bad_patch).find("selected"), std::string::npos) << bad_patch.body;
  EXPECT_EQ(Call("DELETE", "/v1/routes/" + id + "/holds/" + third, a.token).status, 204);
  EXPECT_EQ(Call("DELETE", "/v1/routes/" + id + "/holds/" + third, a.token).status, 404);

  route = Body(Call("GET", "/v1/routes/" + id, a.token));
  EXPECT_EQ(route["holds"].size(), static_cast<std::size_t>(detected_count));  // +1 -1
  EXPECT_EQ(route["corrections"]["added"], 1) << route["corrections"].dump();
  EXPECT_EQ(route["corrections"]["recoloured"], 1);
  EXPECT_EQ(route["corrections"]["moved"], 1);
  EXPECT_EQ(route["corrections"]["deleted"], 1);
  EXPECT_EQ(Sql("SELECT count(*) FROM route_corrections WHERE route_id = '" + id +
                "' AND origin = 'detected'"),
            "3");

  // Select the blue route: exactly the blue holds; then its start hold.
  auto colours_before = Body(Call("GET", "/v1/routes/" + id + "/colours", a.token));
  int blue = 0;
  for (const auto& c : colours_before["colours"]) {
    if (c["colour"] == "blue") blue = c["holds"];
  }
  ASSERT_GT(blue, 0) << colours_before.dump();
  auto bad_colour =
      Call("POST", "/v1/routes/" + id + "/select", a.token, json{{"colour", 7}}.dump());
  EXPECT_EQ(bad_colour.status, 422);
  EXPECT_NE(Message(bad_colour).find("colour"), std::string::npos);
  auto selected =
      Call("POST", "/v1/routes/" + id + "/select", a.token, json{{"colour", "blue"}}.dump());
  ASSERT_EQ(selected.status, 200) << selected.body;
  const json selection = Body(selected);
  EXPECT_EQ(selection["selected"], blue);
  std::string blue_hold;
  for (const auto& h : selection["holds"]) {
    EXPECT_EQ(h["selected"].get<bool>(), h["colour"] == "blue") << h.dump();
    if (h["colour"] == "blue" && blue_hold.empty()) blue_hold = h["id"];
  }
  auto start = Call("PATCH", "/v1/routes/" + id + "/holds/" + blue_hold, a.token,
                    json{{"role", "start"}}.dump());
  ASSERT_EQ(start.status, 200) << start.body;
  EXPECT_EQ(Body(start)["role"], "start");
  const json colours_after = Body(Call("GET", "/v1/routes/" + id + "/colours", a.token));
  for (const auto& c : colours_after["colours"]) {
    EXPECT_EQ(c["selected"], c["colour"] == "blue" ? c["holds"] : json(0)) << c.dump();
  }

  // Name, grade and wall angle.
  for (const auto& c :
       {Bad{{{"grade", "9Z"}, {"grade_system", "fontainebleau"}}, "grade"},
        Bad{{{"grade", "6a"}}, "grade_system"}, Bad{{{"wall_angle_deg", 200}}, "angle"},
        Bad{{{"wall_angle_deg", "steep"}}, "wall_angle_deg"},
        Bad{{{"name", std::string(101, 'n')}}, "name"}, Bad{{{"colour", "blue"}}, "colour"}}) {
    auto r = Call("PATCH", "/v1/routes/" + id, a.token, c.body.dump());
    EXPECT_EQ(r.status, 422) << c.body.dump() << " " << r.body;
    EXPECT_NE(Message(r).find(c.field), std::string::npos) << r.body;
  }
  auto named = Call("PATCH", "/v1/routes/" + id, a.token,
                    json{{"name", "La bleue"},
                         {"grade", "6a+"},
                         {"grade_system", "fontainebleau"},
                         {"wall_angle_deg", 15}}
                        .dump());
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(Body(named)["name"], "La bleue");
  EXPECT_EQ(Body(named)["grade"], "6A+");
  EXPECT_EQ(Body(named)["wall_angle_deg"], 15.0);
  auto list = Body(Call("GET", "/v1/routes", a.token));
  ASSERT_EQ(list["items"].size(), 2u) << list.dump();  // this one and the one never uploaded
  EXPECT_EQ(list["pagination"]["total"], 2);

  ExpectNothingReceived(*spy);

  // Deleting the route removes its photo, its holds and its corrections.
  const std::string key = upload["object_key"];
  EXPECT_TRUE(ObjectExists(key));
  ASSERT_EQ(Call("DELETE", "/v1/routes/" + id, a.token).status, 204);
  EXPECT_FALSE(ObjectExists(key));
  EXPECT_EQ(Call("GET", "/v1/routes/" + id, a.token).status, 404);
  for (const char* table : {"route_holds", "route_corrections"}) {
    EXPECT_EQ(Sql(std::string("SELECT count(*) FROM ") + table + " WHERE route_id = '" + id + "'"),
              "0")
        << table;
  }
}

TEST_F(RouteApiTest, CorruptPhotoFailsTheDetectionWithItsCode) {
  Account a = Register("rtc");
  auto ws = OpenSocket(a.token);
  std::string junk = "\xff\xd8\xff\xe0 this is not a JPEG at all";
  junk += std::string(4096, '\x5a');
  const json upload = UploadPhoto(a, junk);
  ASSERT_TRUE(upload.contains("route_id"));
  const std::string id = upload["route_id"];
  ASSERT_EQ(Call("POST", "/v1/routes/" + id + "/detect", a.token).status, 202);
  int progress = 0;
  json done = WaitRouteEvent(*ws, id, std::chrono::seconds(120), &progress);
  ASSERT_TRUE(done.is_object()) << "no route event within 120 s";
  EXPECT_EQ(done["event"], "route:failed") << done.dump();
  EXPECT_EQ(done["data"]["error_code"], "corrupt_image") << done.dump();
  auto route = Body(Call("GET", "/v1/routes/" + id, a.token));
  EXPECT_EQ(route["status"], "failed");
  EXPECT_EQ(route["error_code"], "corrupt_image");
  EXPECT_TRUE(route["error_message"].is_string());
}

TEST_F(RouteApiTest, AccountErasureRemovesRoutePhotosAndRows) {
  Account a = Register("rtx");
  const json upload = UploadPhoto(a, ReadFile(ASCENSION_WALL_PHOTO));
  ASSERT_TRUE(upload.contains("route_id"));
  const std::string id = upload["route_id"];
  ASSERT_EQ(Call("POST", "/v1/routes/" + id + "/detect", a.token).status, 202);
  json route = WaitRouteTerminal(a, id, std::chrono::seconds(180));
  ASSERT_EQ(route["status"], "ready") << route.dump();
  ASSERT_TRUE(ObjectExists(upload["object_key"]));
  ASSERT_EQ(Call("DELETE", "/v1/users/me", a.token).status, 204);
  EXPECT_FALSE(ObjectExists(upload["object_key"]));
  EXPECT_EQ(Sql("SELECT count(*) FROM routes WHERE user_id = '" + a.id + "'"), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM route_holds WHERE route_id = '" + id + "'"), "0");
  auto page = Storage().ListObjectsV2("routes/" + a.id + "/");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->objects.empty());
}

TEST_F(RouteApiTest, RouteBuiltFromAnAnalysedClimbHasHolds) {
  Account a = Register("rtv");
  Account stranger = Register("rtw");
  std::string video = Upload(a, ReadFile(ASCENSION_EXAMPLE_VIDEO));
  std::string analysis = Start(a, video);
  ASSERT_FALSE(analysis.empty());
  // Not before the analysis is complete; never from another user's analysis.
  auto early = Call("POST", "/v1/routes", a.token, json{{"analysis_id", analysis}}.dump());
  EXPECT_TRUE(early.status == 409 || early.status == 202) << early.body;
  json done = WaitTerminal(a, analysis, std::chrono::seconds(600));
  ASSERT_EQ(done["status"], "completed") << done.dump();
  EXPECT_EQ(
      Call("POST", "/v1/routes", stranger.token, json{{"analysis_id", analysis}}.dump()).status,
      404);
  auto bad = Call("POST", "/v1/routes", a.token, json{{"analysis_id", 12}}.dump());
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(Message(bad).find("analysis_id"), std::string::npos);
  std::string id;
  bool announced = false;  // route:detected seen on the owner's socket
  if (early.status == 202) {
    id = Body(early)["id"];
  } else {
    auto ws = OpenSocket(a.token);
    auto created = Call("POST", "/v1/routes", a.token, json{{"analysis_id", analysis}}.dump());
    ASSERT_EQ(created.status, 202) << created.body;
    EXPECT_EQ(Body(created)["source"], "analysis");
    id = Body(created)["id"];
    int progress = 0;
    json detected = WaitRouteEvent(*ws, id, std::chrono::seconds(300), &progress);
    ASSERT_EQ(detected["event"], "route:detected") << detected.dump();
    announced = true;
  }
  json route = WaitRouteTerminal(a, id, std::chrono::seconds(300));
  ASSERT_EQ(route["status"], "ready") << route.dump();
  EXPECT_EQ(route["analysis_id"], analysis);

  // The analysis the route was built from completed before the route's holds existed: the
  // detection's completion gave it route.holds_used (issue 13 item 5), on the route's holds.
  std::set<std::string> hold_ids;
  for (const auto& h : route["holds"]) hold_ids.insert(h["id"].get<std::string>());
  json source_result;
  auto source_has_holds_used = [&] {
    json got = Body(Call("GET", "/v1/analyses/" + analysis, a.token));
    if (!got.is_object() || !got["result_json"].is_string()) return false;
    source_result = json::parse(got["result_json"].get<std::string>(), nullptr, false);
    return source_result.is_object() && source_result["route"].is_object() &&
           source_result["route"].contains("holds_used");
  };
  if (announced) {
    // Filled before route:detected was published: present at the first read.
    EXPECT_TRUE(source_has_holds_used()) << source_result.dump().substr(0, 600);
  } else {
    // Created at the first try, before a socket was open: the fill follows the ready status.
    WaitFor(std::chrono::seconds(30), source_has_holds_used);
  }
  ASSERT_TRUE(source_result.is_object() && source_result["route"].is_object())
      << "the source analysis has no route section";
  const json& built = source_result["route"];
  EXPECT_EQ(built["id"], id);
  EXPECT_FALSE(built.contains("error")) << built.dump();
  ASSERT_TRUE(built["holds_used"].is_array()) << built.dump();
  EXPECT_FALSE(built["holds_used"].empty()) << built.dump();
  for (const json& u : built["holds_used"]) {
    EXPECT_TRUE(hold_ids.count(u["hold_id"].get<std::string>())) << u.dump();
  }
  EXPECT_EQ(built["hold_count"].get<std::size_t>(), hold_ids.size());
  // The frame the wall image is seen from: a time inside the clip.
  ASSERT_TRUE(route["reference_ms"].is_number_integer()) << route.dump();
  EXPECT_GE(route["reference_ms"].get<std::int64_t>(), 0);
  EXPECT_LE(route["reference_ms"].get<std::int64_t>(), kExampleVideoMs) << route.dump();
  EXPECT_GE(route["holds"].size(), 15u) << route.dump();
  ASSERT_TRUE(route["image_url"].is_string());
  auto image = Http("GET", route["image_url"].get<std::string>());
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.body.substr(0, 3), "\xff\xd8\xff");  // the wall image, a JPEG

  // The same clip analysed on that route (issue 13 item 5): the result says which hold each
  // hand and foot placement was on. Only the caller's route, by a UUID, is accepted.
  auto start = [&](const Account& who, json route_id) {
    return Call("POST", "/v1/analyses", who.token,
                json{{"video_id", video}, {"route_id", std::move(route_id)}}.dump());
  };
  EXPECT_EQ(start(a, 12).status, 422);
  auto not_uuid = start(a, "not-a-route");
  EXPECT_EQ(not_uuid.status, 404) << not_uuid.body;
  EXPECT_EQ(Body(not_uuid)["error"]["code"], "route_not_found");
  Account other = Register("rtx");
  std::string other_video = Upload(other, ReadFile(ASCENSION_EXAMPLE_VIDEO));
  auto strangers = Call("POST", "/v1/analyses", other.token,
                        json{{"video_id", other_video}, {"route_id", id}}.dump());
  EXPECT_EQ(strangers.status, 404) << strangers.body;
  EXPECT_EQ(Body(strangers)["error"]["code"], "route_not_found");
  // Ghost mode (issue 14 item 5): a premium climber of 178 cm, the route's holds of its most
  // frequent colour selected, its ghost computed; the analysis on the route is compared with it.
  Sql("UPDATE users SET subscription_tier = 'premium' WHERE id = '" + a.id + "'");
  ASSERT_EQ(Call("PATCH", "/v1/users/me/profile", a.token, json{{"height_cm", 178}}.dump()).status,
            200);
  std::string colour;
  int most = 0;
  const json colours = Body(Call("GET", "/v1/routes/" + id + "/colours", a.token));
  for (const auto& c : colours["colours"]) {
    const std::string name = c["colour"];
    if (name != "white" && name != "grey" && name != "black" && c["holds"].get<int>() > most) {
      most = c["holds"];
      colour = name;
    }
  }
  ASSERT_GE(most, 4) << "no colour with 4 holds on the route";
  auto selected = Call("POST", "/v1/routes/" + id + "/select", a.token,
                       json{{"colour", colour}}.dump());
  ASSERT_EQ(selected.status, 200) << selected.body;
  auto asked = Call("POST", "/v1/routes/" + id + "/ghost", a.token, "{}");
  ASSERT_EQ(asked.status, 202) << asked.body;
  HttpResponse ghost_response;
  WaitFor(std::chrono::seconds(120), [&] {
    ghost_response = Call("GET", "/v1/routes/" + id + "/ghost", a.token);
    return ghost_response.status != 202;
  });
  ASSERT_EQ(ghost_response.status, 200) << ghost_response.body.substr(0, 600);
  const json stored_ghost = Body(ghost_response);
  ASSERT_EQ(stored_ghost["status"], "ready") << ghost_response.body.substr(0, 600);

  auto on_route = start(a, id);
  ASSERT_EQ(on_route.status, 202) << on_route.body;
  EXPECT_EQ(Body(on_route)["route_id"], id);
  std::string climb = Body(on_route)["analysis_id"];
  json climbed = WaitTerminal(a, climb, std::chrono::seconds(600));
  ASSERT_EQ(climbed["status"], "completed") << climbed.dump();
  EXPECT_EQ(climbed["route_id"], id);
  json result = json::parse(climbed["result_json"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(result.is_object());
  ASSERT_TRUE(result.contains("route")) << "no route section";
  const json& section = result["route"];
  EXPECT_EQ(section["id"], id);
  EXPECT_FALSE(section.contains("error")) << section.dump();
  ASSERT_TRUE(section["holds_used"].is_array()) << section.dump();
  EXPECT_FALSE(section["holds_used"].empty()) << section.dump();
  const std::set<std::string> limbs = {"left_hand", "right_hand", "left_foot", "right_foot"};
  std::set<std::string> limbs_seen;
  for (const json& u : section["holds_used"]) {
    EXPECT_TRUE(hold_ids.count(u["hold_id"].get<std::string>())) << u.dump();
    EXPECT_TRUE(limbs.count(u["limb"].get<std::string>())) << u.dump();
    limbs_seen.insert(u["limb"].get<std::string>());
    EXPECT_LT(u["from_ms"].get<std::int64_t>(), u["to_ms"].get<std::int64_t>()) << u.dump();
  }
  EXPECT_GE(limbs_seen.size(), 2u) << section.dump();
  // Every placement is either on a hold or counted as unmatched.
  ASSERT_TRUE(result["biomechanics"]["placements"].is_array());
  EXPECT_EQ(section["holds_used"].size() + section["unmatched_placements"].get<std::size_t>(),
            result["biomechanics"]["placements"].size());

  // The ghost section: the stored ghost's beta (the worker computes the same model again from
  // the same inputs), compared with the climb; its advice in the result's advice and the hints.
  ASSERT_TRUE(result.contains("ghost")) << "no ghost section";
  const json& g = result["ghost"];
  EXPECT_EQ(g["route_id"], id);
  // The section's fingerprint is the stored ghost's, which GET /v1/routes/{id}/ghost returns:
  // how a client knows the frames it reads are those of the ghost compared with.
  ASSERT_TRUE(stored_ghost["fingerprint"].is_string()) << ghost_response.body.substr(0, 600);
  EXPECT_EQ(stored_ghost["fingerprint"].get<std::string>().size(), 64u);
  if (g["status"] == "compared") {
    EXPECT_EQ(g["fingerprint"], stored_ghost["fingerprint"]);
  }
  const json& stored = stored_ghost["ghost"];
  if (stored["beta"].is_object()) {
    ASSERT_EQ(g["status"], "compared") << g.dump().substr(0, 600);
    EXPECT_EQ(g["beta"]["moves"].size(), stored["beta"]["moves"].size());
    EXPECT_EQ(g["beta"]["cost"], stored["beta"]["cost"]);
    const json& c = g["comparison"];
    const json& n = c["counts"];
    EXPECT_EQ(n["same_hold"].get<std::size_t>() + n["other_hold"].get<std::size_t>() +
                  n["skipped_move"].get<std::size_t>(),
              g["beta"]["moves"].size() - [&] {
                // ghost moves onto a smear are not in the alignment
                std::size_t smears = 0;
                for (const json& m : g["beta"]["moves"]) smears += m["to"].contains("smear");
                return smears;
              }());
    std::size_t aligned = 0;
    for (const json& m : c["moves"]) {
      ++aligned;
      if (m["real_hold"].is_string()) {
        EXPECT_TRUE(hold_ids.count(m["real_hold"])) << m.dump();
      }
      if (m["ghost_hold"].is_string()) {
        EXPECT_TRUE(hold_ids.count(m["ghost_hold"])) << m.dump();
      }
    }
    EXPECT_EQ(aligned, n["same_hold"].get<std::size_t>() + n["other_hold"].get<std::size_t>() +
                           n["skipped_move"].get<std::size_t>() + n["extra_move"].get<std::size_t>());
    ASSERT_FALSE(c["sync"].empty());
    std::int64_t last_video = -1, last_ghost = -1;
    for (const json& pair : c["sync"]) {
      EXPECT_GE(pair[0].get<std::int64_t>(), last_video);
      EXPECT_GE(pair[1].get<std::int64_t>(), last_ghost);
      last_video = pair[0];
      last_ghost = pair[1];
    }
    int ghost_advice = 0;
    for (const json& advice : result["advice"]) {
      const std::string advice_id = advice["id"];
      if (advice_id.rfind("ghost_", 0) != 0) continue;
      ++ghost_advice;
      EXPECT_NE(climbed["hints"].get<std::string>().find(advice["title"].get<std::string>()),
                std::string::npos);
    }
    const bool deviates = n["other_hold"].get<int>() + n["extra_move"].get<int>() +
                              n["skipped_move"].get<int>() > 0;
    if (deviates) {
      EXPECT_GT(ghost_advice, 0);
    }
  } else {
    EXPECT_EQ(g["status"], "no_beta") << g.dump().substr(0, 600);
    EXPECT_EQ(g["no_beta"]["code"], stored["no_beta"]["code"]);
  }
}

}  // namespace
}  // namespace ascension::testsuite
