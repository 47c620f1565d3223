// Ghost mode against the running stack: a route with its holds (written in the stack's
// database, as a finished detection leaves them), its ghost requested over HTTP, computed by the
// worker from the vision.ghost job (through the outbox relay and RabbitMQ) and read back; the
// premium gating, staleness after a profile change, and hostile requests; ghost:progress and
// ghost:ready reach the owner's WebSocket only; the sample clip climbed on its labelled route:
// the ghost advice's hold numbers in GET /v1/routes/{id}'s order, the section's fingerprint
// GET ghost's.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "stack/api_fixture.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using Socket = websocket::stream<net::ip::tcp::socket>;

class GhostIt : public StackTest {
 protected:
  void SetUp() override { PickClient("198.51.104."); }

  // A ready photo route of `a` on a 400 x 1000 px photo of 5 m of wall: a column of ten large
  // green jugs 45 cm apart (rung 3 the start, rung 9 the top) and two unselected blue holds.
  // Returns the route id and the ids of the selected holds (the rungs, bottom first).
  static std::pair<std::string, std::vector<std::string>> LadderRoute(const Account& a) {
    const std::string route = NewUuid();
    Sql("INSERT INTO routes (id, user_id, source, image_key, content_type, status, image_width, "
        "image_height, job_id, dispatch, detected_at) VALUES ('" +
        route + "', '" + a.id + "', 'photo', 'routes/" + a.id + "/" + route +
        ".jpg', 'image/jpeg', 'ready', 400, 1000, '" + NewUuid() + "', 1, now())");
    std::vector<std::string> selected;
    auto hold = [&](double x, double y, double r, const char* colour, const char* size,
                    const char* role, bool sel) {
      json outline = json::array();
      for (int i = 0; i < 12; ++i) {
        const double t = 2 * 3.14159265358979 * i / 12;
        outline.push_back({x + r * std::cos(t), y + r * std::sin(t)});
      }
      const std::string id = NewUuid();
      Sql("INSERT INTO route_holds (id, route_id, origin, outline, centre_x, centre_y, colour, "
          "size, confidence, role, selected) VALUES ('" +
          id + "', '" + route + "', 'detected', '" + outline.dump() + "', " + std::to_string(x) +
          ", " + std::to_string(y) + ", '" + colour + "', '" + size + "', 0.9, " + role + ", " +
          (sel ? "true" : "false") + ")");
      if (sel) selected.push_back(id);
      return id;
    };
    for (int i = 0; i < 10; ++i) {
      hold(200, 1000 - 60 - 90.0 * i, 22, "green", "large",
           i == 3   ? "'start'"
           : i == 9 ? "'top'"
                    : "NULL",
           true);
    }
    hold(360, 300, 15, "blue", "medium", "NULL", false);
    hold(360, 600, 15, "blue", "medium", "NULL", false);
    return {route, selected};
  }

  static Account Premium(const std::string& prefix, const char* tier = "premium") {
    Account a = Register(prefix);
    Sql("UPDATE users SET subscription_tier = '" + std::string(tier) + "' WHERE id = '" + a.id +
        "'");
    return a;
  }

  // GET the ghost until it is no longer computing (60 s); the last response.
  static HttpResponse WaitGhost(const Account& a, const std::string& route) {
    HttpResponse r;
    WaitFor(std::chrono::seconds(60), [&] {
      r = Call("GET", "/v1/routes/" + route + "/ghost", a.token);
      return r.status != 202;
    });
    return r;
  }

  std::unique_ptr<Socket> OpenSocket(const std::string& token) {
    auto ws = std::make_unique<Socket>(io_);
    net::ip::tcp::resolver resolver(io_);
    net::connect(ws->next_layer(), resolver.resolve("127.0.0.1", env_->Get("API_PORT")));
    ws->handshake("127.0.0.1", "/v1/ws?token=" + token);
    return ws;
  }

  // The next WebSocket message as JSON, or null when none arrives within `limit` (the read is
  // cancelled) or the socket fails.
  json ReadEvent(Socket& ws, std::chrono::milliseconds limit) {
    boost::beast::flat_buffer buf;
    bool done = false;
    boost::beast::error_code result;
    ws.async_read(buf, [&](boost::beast::error_code ec, std::size_t) {
      done = true;
      result = ec;
    });
    io_.restart();
    io_.run_for(limit);
    if (!done) {
      boost::system::error_code ignored;
      ws.next_layer().cancel(ignored);
      io_.restart();
      io_.run();  // the cancelled read completes
      return nullptr;
    }
    if (result) return nullptr;
    return json::parse(boost::beast::buffers_to_string(buf.data()), nullptr, false);
  }

  // Every ghost:* event read until one about `route` that is not ghost:progress (or 90 s pass).
  std::vector<json> GhostEventsUntilDone(Socket& ws, const std::string& route) {
    std::vector<json> seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (std::chrono::steady_clock::now() < deadline) {
      json e = ReadEvent(ws, std::chrono::duration_cast<std::chrono::milliseconds>(
                                 deadline - std::chrono::steady_clock::now()));
      if (!e.is_object()) break;
      if (!e.contains("event") || !e["event"].is_string()) continue;
      if (!e["event"].get<std::string>().starts_with("ghost:")) continue;
      seen.push_back(e);
      if (e["event"] != "ghost:progress" && e["data"].is_object() &&
          e["data"].value("route_id", "") == route) {
        break;
      }
    }
    return seen;
  }

  // Every move of the ghost document `g` from a hold to a hold of the ladder's column covers a
  // whole number of rungs `rung_cm` apart (and there are such moves).
  static void ExpectHoldMovesInSteps(const json& g, double rung_cm) {
    ASSERT_TRUE(g["beta"].is_object()) << g["no_beta"].dump();
    int checked = 0;
    for (const json& m : g["beta"]["moves"]) {
      if (!m["from"].is_object() || !m["from"].contains("hold") || !m["to"].is_object() ||
          !m["to"].contains("hold") || m["from"]["hold"] == m["to"]["hold"]) {
        continue;
      }
      const double steps = m["distance_cm"].get<double>() / rung_cm;
      EXPECT_NEAR(steps, std::round(steps), 0.01) << m.dump();
      EXPECT_GE(std::round(steps), 1) << m.dump();
      ++checked;
    }
    EXPECT_GT(checked, 3);
  }

  net::io_context io_;
};

TEST_F(GhostIt, GhostEventsReachTheOwnersWebSocketOnly) {
  Account a = Premium("ghostwa");
  Account b = Premium("ghostwb");
  auto [route_a, rungs_a] = LadderRoute(a);
  auto [route_b, rungs_b] = LadderRoute(b);
  (void)rungs_a;
  (void)rungs_b;
  auto ws_a = OpenSocket(a.token);
  auto ws_b = OpenSocket(b.token);

  ASSERT_EQ(Call("POST", "/v1/routes/" + route_a + "/ghost", a.token,
                 json{{"scale", {{"wall_height_cm", 500}}}}.dump())
                .status,
            202);
  const auto events_a = GhostEventsUntilDone(*ws_a, route_a);
  ASSERT_FALSE(events_a.empty()) << "no ghost event on the owner's WebSocket within 90 s";
  const json& ready = events_a.back();
  ASSERT_EQ(ready["event"], "ghost:ready") << ready.dump();
  EXPECT_EQ(ready["data"]["route_id"], route_a);
  EXPECT_EQ(ready["data"]["status"], "ready");
  EXPECT_EQ(ready["data"]["beta_found"], true) << ready.dump();
  EXPECT_EQ(ready["data"]["job_id"],
            Sql("SELECT job_id FROM route_ghosts WHERE route_id = '" + route_a + "'"));
  bool progressed = false;
  for (const json& e : events_a) {
    EXPECT_EQ(e["data"]["route_id"], route_a) << e.dump();
    progressed = progressed || e["event"] == "ghost:progress";
  }
  EXPECT_TRUE(progressed) << "no ghost:progress before ghost:ready";
  // The event came after the ghost was stored: GET answers ready at once.
  auto shown = Call("GET", "/v1/routes/" + route_a + "/ghost", a.token);
  EXPECT_EQ(shown.status, 200) << shown.body.substr(0, 300);

  // B's own ghost: B's socket hears of B's route only, never of A's (whose events went out
  // before).
  ASSERT_EQ(Call("POST", "/v1/routes/" + route_b + "/ghost", b.token,
                 json{{"scale", {{"wall_height_cm", 500}}}}.dump())
                .status,
            202);
  const auto events_b = GhostEventsUntilDone(*ws_b, route_b);
  ASSERT_FALSE(events_b.empty()) << "no ghost event on B's WebSocket within 90 s";
  EXPECT_EQ(events_b.back()["event"], "ghost:ready") << events_b.back().dump();
  for (const json& e : events_b) EXPECT_EQ(e["data"]["route_id"], route_b) << e.dump();
  // And A's socket heard nothing of B's ghost.
  for (json e = ReadEvent(*ws_a, std::chrono::milliseconds(300)); e.is_object();
       e = ReadEvent(*ws_a, std::chrono::milliseconds(300))) {
    if (e.contains("data") && e["data"].is_object()) {
      EXPECT_NE(e["data"].value("route_id", ""), route_b) << e.dump();
    }
  }
}

TEST_F(GhostIt, TheWorkerComputesTheGhostOfARouteForThePremiumClimber) {
  Account a = Premium("ghosta");
  ASSERT_EQ(Call("PATCH", "/v1/users/me/profile", a.token, json{{"height_cm", 178}}.dump()).status,
            200);
  auto [route, rungs] = LadderRoute(a);
  const std::set<std::string> selected(rungs.begin(), rungs.end());

  auto none = Call("GET", "/v1/routes/" + route + "/ghost", a.token);
  EXPECT_EQ(none.status, 404) << none.body;
  EXPECT_EQ(ErrorCode(none), "ghost_not_found");

  auto queued = Call("POST", "/v1/routes/" + route + "/ghost", a.token,
                     json{{"scale", {{"wall_height_cm", 500}}}}.dump());
  ASSERT_EQ(queued.status, 202) << queued.body;
  EXPECT_EQ(Body(queued)["status"], "computing");
  EXPECT_EQ(Body(queued)["scale"]["wall_height_cm"], 500);
  // Asked again while it is computed: the same job.
  auto again = Call("POST", "/v1/routes/" + route + "/ghost", a.token,
                    json{{"scale", {{"wall_height_cm", 500}}}}.dump());
  EXPECT_EQ(Body(again)["job_id"], Body(queued)["job_id"]) << again.body;

  auto ready = WaitGhost(a, route);
  ASSERT_EQ(ready.status, 200) << ready.body.substr(0, 600);
  const json j = Body(ready);
  ASSERT_EQ(j["status"], "ready") << ready.body.substr(0, 600);
  const json& g = j["ghost"];
  EXPECT_EQ(g["scale"]["source"], "wall_height");
  EXPECT_NEAR(g["scale"]["metres_per_pixel"].get<double>(), 0.005, 1e-9);
  EXPECT_EQ(g["body"]["height_cm"], 178);
  ASSERT_TRUE(g["beta"].is_object()) << g["no_beta"].dump();
  int hand_moves = 0;
  for (const json& m : g["beta"]["moves"]) {
    if (m["to"].is_object() && m["to"].contains("hold")) {
      EXPECT_TRUE(selected.count(m["to"]["hold"].get<std::string>())) << m.dump();
    }
    if (m["limb"] == "left_hand" || m["limb"] == "right_hand") ++hand_moves;
  }
  EXPECT_GE(hand_moves, 6);
  ASSERT_TRUE(g["frames"].is_array());
  ASSERT_GT(g["frames"].size(), 30u);
  for (const char* lm : {"11", "12", "13", "14", "15", "16", "23", "24", "25", "26", "27", "28"}) {
    EXPECT_TRUE(g["frames"][0]["landmarks"].contains(lm)) << lm;
  }
  EXPECT_TRUE(g["frames"][0].contains("timestamp_ms"));
  EXPECT_EQ(Sql("SELECT status FROM route_ghosts WHERE route_id = '" + route + "'"), "ready");

  // The profile changes: the ghost is stale until it is asked for again.
  ASSERT_EQ(Call("PATCH", "/v1/users/me/profile", a.token, json{{"height_cm", 165}}.dump()).status,
            200);
  auto stale = Call("GET", "/v1/routes/" + route + "/ghost", a.token);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(ErrorCode(stale), "ghost_stale");
  ASSERT_EQ(Call("POST", "/v1/routes/" + route + "/ghost", a.token,
                 json{{"scale", {{"wall_height_cm", 500}}}}.dump())
                .status,
            202);
  auto recomputed = WaitGhost(a, route);
  ASSERT_EQ(recomputed.status, 200) << recomputed.body.substr(0, 600);
  EXPECT_EQ(Body(recomputed)["ghost"]["body"]["height_cm"], 165);
  // Up to date: asking again answers 200 and queues nothing.
  auto up_to_date = Call("POST", "/v1/routes/" + route + "/ghost", a.token,
                         json{{"scale", {{"wall_height_cm", 500}}}}.dump());
  EXPECT_EQ(up_to_date.status, 200) << up_to_date.body;
  EXPECT_EQ(Sql("SELECT dispatch FROM route_ghosts WHERE route_id = '" + route + "'"), "2");
  // The scale given with the request is the route's.
  auto shown = Call("GET", "/v1/routes/" + route, a.token);
  ASSERT_EQ(shown.status, 200) << shown.body.substr(0, 300);
  EXPECT_EQ(Body(shown)["scale"], (json{{"wall_height_cm", 500}})) << shown.body.substr(0, 300);
  ExpectHoldMovesInSteps(Body(recomputed)["ghost"], 45);  // 90 px rungs at 0.5 cm/px

  // The climber gives another scale on the route: rungs 4 and 5 (90 px) are 36 cm apart.
  const json distance = {{"hold_a", rungs[4]}, {"hold_b", rungs[5]}, {"distance_cm", 36}};
  auto patched = Call("PATCH", "/v1/routes/" + route, a.token, json{{"scale", distance}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched)["scale"], distance);
  EXPECT_EQ(Body(Call("GET", "/v1/routes/" + route, a.token))["scale"], distance);
  EXPECT_EQ(Sql("SELECT scale_distance_cm || ' ' || (scale_wall_height_cm IS NULL) FROM routes "
                "WHERE id = '" + route + "'"),
            "36 true");
  // The ghost computed with the old scale is stale; asked again (no body), it uses the route's.
  auto rescaled_stale = Call("GET", "/v1/routes/" + route + "/ghost", a.token);
  EXPECT_EQ(rescaled_stale.status, 409) << rescaled_stale.body.substr(0, 300);
  EXPECT_EQ(ErrorCode(rescaled_stale), "ghost_stale");
  auto requeued = Call("POST", "/v1/routes/" + route + "/ghost", a.token);
  ASSERT_EQ(requeued.status, 202) << requeued.body;
  EXPECT_EQ(Body(requeued)["scale"], distance);
  auto rescaled = WaitGhost(a, route);
  ASSERT_EQ(rescaled.status, 200) << rescaled.body.substr(0, 600);
  const json rg = Body(rescaled)["ghost"];  // a copy: Body() is a temporary
  EXPECT_EQ(rg["scale"]["source"], "user_distance");
  EXPECT_NEAR(rg["scale"]["metres_per_pixel"].get<double>(), 0.004, 1e-9);
  EXPECT_GE(rg["scale"]["confidence"].get<double>(), 0.8);
  ExpectHoldMovesInSteps(rg, 36);  // the same rungs, 36 cm apart now
  // Hostile scales are refused naming the field, and change nothing.
  for (const auto& [body, says] : std::vector<std::pair<json, std::string>>{
           {json{{"scale", {{"hold_a", rungs[4]}, {"hold_b", rungs[4]}, {"distance_cm", 36}}}},
            "scale.hold_a and scale.hold_b"},
           {json{{"scale", {{"hold_a", rungs[4]}, {"hold_b", NewUuid()}, {"distance_cm", 36}}}},
            "scale.hold_b"},
           {json{{"scale", {{"hold_a", rungs[4]}, {"hold_b", rungs[5]}, {"distance_cm", 0.5}}}},
            "scale.distance_cm"},
           {json{{"scale", {{"hold_a", rungs[4]}, {"hold_b", rungs[5]}, {"distance_cm", 3}}}},
            "scale.distance_cm"},  // a photo of 33 cm of wall
           {json{{"scale", {{"wall_height_cm", 20000}}}}, "scale.wall_height_cm"},
           {json{{"scale", {{"wall_height_cm", "4 m"}}}}, "scale.wall_height_cm"},
           {json{{"scale", {{"wall_height_cm", 400}, {"distance_cm", 36}}}}, "either"},
           {json{{"scale", json::array()}}, "scale must be"}}) {
    auto r = Call("PATCH", "/v1/routes/" + route, a.token, body.dump());
    EXPECT_EQ(r.status, 422) << body.dump() << " " << r.body;
    EXPECT_EQ(ErrorCode(r), "validation_failed") << body.dump();
    EXPECT_NE(ErrorMessage(r).find(says), std::string::npos) << body.dump() << " " << r.body;
  }
  EXPECT_EQ(Body(Call("GET", "/v1/routes/" + route, a.token))["scale"], distance);
  EXPECT_EQ(Call("GET", "/v1/routes/" + route + "/ghost", a.token).status, 200);
  // Cleared: stale again (the holds' sizes would give it).
  auto cleared = Call("PATCH", "/v1/routes/" + route, a.token, R"({"scale":null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(Body(cleared)["scale"].is_null());
  EXPECT_EQ(Call("GET", "/v1/routes/" + route + "/ghost", a.token).status, 409);

  // The ghost goes with its route.
  Sql("DELETE FROM routes WHERE id = '" + route + "'");
  EXPECT_EQ(Sql("SELECT count(*) FROM route_ghosts WHERE route_id = '" + route + "'"), "0");
}

// The sample clip climbed on its labelled green route (testdata/ghost, frame 0 of the clip: the
// route's image is the video's view): the worker's ghost section compares the climb with the
// route's ghost. Its advice names holds by number as the web does — index + 1 in GET
// /v1/routes/{id}'s holds, which the store orders by position, not in the order they were
// written — and its fingerprint is the one GET /v1/routes/{id}/ghost returns.
TEST_F(GhostIt, TheAdviceOfAClimbNamesHoldsByTheirNumberInTheRoutesRead) {
  Account a = Premium("ghostn");
  const json labelled = json::parse(ReadFile(ASCENSION_GREEN_ROUTE));
  const std::string route = NewUuid();
  Sql("INSERT INTO routes (id, user_id, source, image_key, content_type, status, image_width, "
      "image_height, job_id, dispatch, detected_at) VALUES ('" +
      route + "', '" + a.id + "', 'photo', 'routes/" + a.id + "/" + route +
      ".jpg', 'image/jpeg', 'ready', 480, 854, '" + NewUuid() + "', 1, now())");
  std::map<std::string, std::string> uuid_of;  // the file's hold id -> the stored hold's
  for (const json& h : labelled["holds"]) {
    const std::string id = NewUuid();
    uuid_of[h["id"].get<std::string>()] = id;
    const bool selected = h.value("selected", true);  // the green route; the others are blue
    const std::string role = h.contains("role") && h["role"].is_string()
                                 ? "'" + h["role"].get<std::string>() + "'"
                                 : std::string("NULL");
    Sql("INSERT INTO route_holds (id, route_id, origin, outline, centre_x, centre_y, colour, "
        "size, confidence, role, selected) VALUES ('" +
        id + "', '" + route + "', 'detected', '" + h["outline"].dump() + "', " +
        std::to_string(h["centre"]["x"].get<double>()) + ", " +
        std::to_string(h["centre"]["y"].get<double>()) + ", '" + (selected ? "green" : "blue") +
        "', '" + h["size_class"].get<std::string>() + "', 0.9, " + role + ", " +
        (selected ? "true" : "false") + ")");
  }
  // The scale of the file (the climber's 442 px stature for 175 cm) as the wall's height.
  auto queued = Call("POST", "/v1/routes/" + route + "/ghost", a.token,
                     json{{"scale", {{"wall_height_cm", 854 * 175.0 / 442}}}}.dump());
  ASSERT_EQ(queued.status, 202) << queued.body;
  auto ready = WaitGhost(a, route);
  ASSERT_EQ(ready.status, 200) << ready.body.substr(0, 600);
  const json stored = Body(ready);
  ASSERT_EQ(stored["status"], "ready") << ready.body.substr(0, 600);
  ASSERT_TRUE(stored["ghost"]["beta"].is_object()) << stored["ghost"]["no_beta"].dump();
  ASSERT_TRUE(stored["fingerprint"].is_string()) << ready.body.substr(0, 600);

  std::string video = Upload(a, ReadFile(ASCENSION_EXAMPLE_VIDEO));
  auto started =
      Call("POST", "/v1/analyses", a.token, json{{"video_id", video}, {"route_id", route}}.dump());
  ASSERT_EQ(started.status, 202) << started.body;
  const json done =
      WaitTerminal(a, Body(started)["analysis_id"].get<std::string>(), std::chrono::seconds(600));
  ASSERT_EQ(done["status"], "completed") << done.dump().substr(0, 600);
  const json result = json::parse(done["result_json"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(result.is_object());
  const json& g = result["ghost"];
  ASSERT_EQ(g["status"], "compared") << g.dump().substr(0, 600);
  EXPECT_EQ(g["fingerprint"], stored["fingerprint"]);

  // GET's order: by position (top first), not the file's nor the insertion's.
  const json listed = Body(Call("GET", "/v1/routes/" + route, a.token))["holds"];
  std::vector<std::string> by_number;
  for (const json& h : listed) by_number.push_back(h["id"]);
  ASSERT_EQ(by_number.size(), labelled["holds"].size());
  std::vector<std::string> inserted;
  for (const json& h : labelled["holds"]) inserted.push_back(uuid_of[h["id"].get<std::string>()]);
  ASSERT_NE(by_number, inserted) << "the check needs GET's order to differ from the insertion's";

  const json& moves = g["comparison"]["moves"];
  const std::regex numbered("(?:hold|prise) ([0-9]+)");
  int named_holds = 0;
  for (const json& advice : result["advice"]) {
    const std::string advice_id = advice["id"];
    if (advice_id.rfind("ghost_", 0) != 0) continue;
    const std::string first = advice["points"][0];
    std::vector<std::string> named;
    for (auto it = std::sregex_iterator(first.begin(), first.end(), numbered);
         it != std::sregex_iterator(); ++it) {
      const std::size_t n = std::stoul((*it)[1].str());
      ASSERT_GE(n, 1u) << first;
      ASSERT_LE(n, by_number.size()) << first;
      named.push_back(by_number[n - 1]);
    }
    for (const auto& [file_id, uuid] : uuid_of) {
      EXPECT_EQ(first.find(uuid), std::string::npos) << first;
    }
    if (advice_id != "ghost_other_hold" && advice_id != "ghost_extra_move") continue;
    // Exactly the holds of the compared move at that moment: the climber's, then the ghost's.
    const bool other = advice_id == "ghost_other_hold";
    ASSERT_EQ(named.size(), other ? 2u : 1u) << first;
    bool found = false;
    for (const json& m : moves) {
      found = found || (m["kind"] == (other ? "other_hold" : "extra_move") &&
                        m["video_ms"] == advice["timestamp_ms"] && m["real_hold"] == named[0] &&
                        (!other || m["ghost_hold"] == named[1]));
    }
    EXPECT_TRUE(found) << first << " " << moves.dump();
    named_holds += static_cast<int>(named.size());
  }
  EXPECT_GT(named_holds, 0) << "no ghost advice about another hold or an extra move: "
                            << result["advice"].dump().substr(0, 1500);
}

TEST_F(GhostIt, FreemiumIsRefusedAndRequestsAreChecked) {
  Account free_climber = Register("ghostf");
  auto [free_route, unused] = LadderRoute(free_climber);
  (void)unused;
  for (const char* method : {"POST", "GET"}) {
    auto r = Call(method, "/v1/routes/" + free_route + "/ghost", free_climber.token);
    EXPECT_EQ(r.status, 403) << method << " " << r.body;
    EXPECT_EQ(ErrorCode(r), "premium_required") << method;
  }

  Account a = Premium("ghostb", "infinity");
  auto [route, holds] = LadderRoute(a);
  // Someone else's route, an id that is not one, no token.
  EXPECT_EQ(Call("POST", "/v1/routes/" + free_route + "/ghost", a.token).status, 404);
  EXPECT_EQ(Call("GET", "/v1/routes/not-a-uuid/ghost", a.token).status, 404);
  EXPECT_EQ(Call("POST", "/v1/routes/" + route + "/ghost").status, 401);
  // Hostile bodies.
  const std::string hold_a = holds[4], hold_b = holds[5];  // 45 cm apart
  for (const json& body :
       {json{{"scale", "big"}}, json{{"scale", {{"wall_height_cm", "high"}}}},
        json{{"scale", {{"wall_height_cm", 20}}}},
        json{{"scale", {{"hold_a", "x"}, {"hold_b", hold_b}, {"distance_cm", 45}}}},
        json{{"scale", {{"hold_a", hold_a}, {"hold_b", hold_a}, {"distance_cm", 45}}}},
        json{{"scale", {{"hold_a", hold_a}, {"hold_b", NewUuid()}, {"distance_cm", 45}}}},
        json{{"scale", {{"hold_a", hold_a}, {"hold_b", hold_b}, {"distance_cm", -1}}}},
        json{{"scale", {{"hold_a", hold_a}, {"hold_b", hold_b}, {"wall_height_cm", 400}}}}}) {
    auto r = Call("POST", "/v1/routes/" + route + "/ghost", a.token, body.dump());
    EXPECT_EQ(r.status, 422) << body.dump() << " " << r.body;
  }
  EXPECT_EQ(Call("POST", "/v1/routes/" + route + "/ghost", a.token, "[1]").status, 400);
  // A route whose holds are being detected again.
  Sql("UPDATE routes SET status = 'detecting' WHERE id = '" + route + "'");
  auto busy = Call("POST", "/v1/routes/" + route + "/ghost", a.token);
  EXPECT_EQ(busy.status, 409) << busy.body;
  EXPECT_EQ(ErrorCode(busy), "route_not_ready");
  Sql("UPDATE routes SET status = 'ready' WHERE id = '" + route + "'");
  // A distance between two holds is a scale the ghost uses; nothing was queued before.
  EXPECT_EQ(Sql("SELECT count(*) FROM route_ghosts WHERE route_id = '" + route + "'"), "0");
  auto ok =
      Call("POST", "/v1/routes/" + route + "/ghost", a.token,
           json{{"scale", {{"hold_a", hold_a}, {"hold_b", hold_b}, {"distance_cm", 45}}}}.dump());
  EXPECT_EQ(ok.status, 202) << ok.body;
  auto done = WaitGhost(a, route);
  ASSERT_EQ(done.status, 200) << done.body.substr(0, 600);
  EXPECT_EQ(Body(done)["ghost"]["scale"]["source"], "user_distance");
  EXPECT_NEAR(Body(done)["ghost"]["scale"]["metres_per_pixel"].get<double>(), 0.005, 1e-4);
}

}  // namespace
}  // namespace ascension::testsuite
