#include "services/routes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "domain/messages.hpp"
#include "services/testing/fakes.hpp"
#include "services/testing/route_fakes.hpp"

namespace ascension::services {
namespace {

using domain::CorrectionAction;
using domain::HoldOrigin;
using domain::ImagePoint;
using domain::RouteStatus;

std::size_t Count(const domain::CorrectionCounts& c, CorrectionAction a) {
  return static_cast<std::size_t>(c[static_cast<std::size_t>(a)]);
}

domain::RouteHold Detected(double x, double y, double r, const std::string& colour) {
  domain::RouteHold h;
  h.id = domain::Uuid::Random();
  h.origin = HoldOrigin::kDetected;
  h.outline = domain::CircleOutline({x, y}, r, 8);
  h.colour = colour;
  h.size = "small";
  h.confidence = 0.8;
  return h;
}

class RoutesTest : public ::testing::Test {
 protected:
  RoutesTest() { db_.clock = &clock_; }

  // A photo route of mine, uploaded and detected with three holds (two blue, one red) on a
  // 1000x800 photo.
  domain::Route ReadyRoute() {
    auto t = service_.RequestUpload(me_, "wall.jpg");
    EXPECT_TRUE(t.ok());
    objects_.Put(t->route.image_key, "jpeg-bytes");
    auto queued = service_.Detect(me_, t->route.id);
    EXPECT_TRUE(queued.ok()) << queued.status().ToString();
    EXPECT_TRUE(
        routes_
            .CompleteDetection(t->route.id, queued->dispatch, 1000, 800, std::nullopt,
                               {Detected(100, 100, 20, "blue"), Detected(300, 200, 20, "red"),
                                Detected(500, 400, 30, "blue")})
            .value());
    return service_.Show(me_, t->route.id).value().route;
  }

  testing::FakeClock clock_;
  testing::FakeRouteDatabase db_;
  testing::FakeRouteRepository routes_{db_};
  testing::FakeObjectStore objects_;
  Routes service_{routes_, objects_, clock_, RoutesOptions{.bucket = "bucket"}};
  Principal me_{domain::Uuid::Random(), "user"};
  Principal you_{domain::Uuid::Random(), "user"};
};

TEST_F(RoutesTest, UploadTicketsNameTheCallersKeyAndRefuseHeic) {
  auto t = service_.RequestUpload(me_, "Wall.PNG");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->route.image_key, "routes/" + me_.user_id.str() + "/" + t->route.id.str() + ".jpg");
  EXPECT_EQ(t->route.content_type, "image/png");
  EXPECT_EQ(t->route.status, RouteStatus::kAwaitingUpload);
  EXPECT_EQ(t->url.method, "PUT");
  ASSERT_EQ(t->url.headers.size(), 1u);
  EXPECT_EQ(t->url.headers[0].second, "image/png");
  auto heic = service_.RequestUpload(me_, "IMG_0042.heic");
  EXPECT_EQ(heic.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(heic.status().code(), "heic_unsupported");
  EXPECT_EQ(service_.RequestUpload(me_, "wall.gif").status().code(), "unsupported_format");
  EXPECT_EQ(service_.RequestUpload(me_, "").status().kind(), ErrorKind::kInvalidArgument);
}

TEST_F(RoutesTest, DetectNeedsThePhotoQueuesOnceAndIsIdempotentWhileRunning) {
  auto t = service_.RequestUpload(me_, "wall.jpg");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(service_.Detect(me_, t->route.id).status().code(), "photo_not_uploaded");
  EXPECT_TRUE(db_.Unsent().empty());
  objects_.Put(t->route.image_key, "jpeg-bytes");
  auto queued = service_.Detect(me_, t->route.id);
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_EQ(queued->status, RouteStatus::kDetecting);
  EXPECT_EQ(queued->dispatch, 1);
  auto unsent = db_.Unsent();
  ASSERT_EQ(unsent.size(), 1u);
  EXPECT_EQ(unsent[0].exchange, "");
  EXPECT_EQ(unsent[0].routing_key, "vision.holds");
  auto job = domain::DecodeHoldsJob(unsent[0].body);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->route_id, t->route.id.str());
  EXPECT_EQ(job->user_id, me_.user_id.str());
  EXPECT_EQ(job->source, "photo");
  EXPECT_EQ(job->image_url, "s3://bucket/" + t->route.image_key);
  EXPECT_EQ(job->dispatch, 1);
  EXPECT_EQ(job->job_id, queued->job_id.str());
  // Asking again while it runs queues nothing more.
  auto again = service_.Detect(me_, t->route.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->job_id, queued->job_id);
  EXPECT_EQ(db_.Unsent().size(), 1u);
}

TEST_F(RoutesTest, DetectRefusesEmptyAndOversizedPhotos) {
  auto t = service_.RequestUpload(me_, "wall.jpg");
  objects_.Put(t->route.image_key, "");
  EXPECT_EQ(service_.Detect(me_, t->route.id).status().code(), "empty_file");
  Routes small{routes_, objects_, clock_, RoutesOptions{.bucket = "b", .max_photo_bytes = 4}};
  objects_.Put(t->route.image_key, "12345");
  auto big = small.Detect(me_, t->route.id);
  EXPECT_EQ(big.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(big.status().code(), "image_too_large");
  EXPECT_TRUE(db_.Unsent().empty());
}

TEST_F(RoutesTest, SomeoneElsesRouteIsMissing) {
  const domain::Route r = ReadyRoute();
  const domain::Uuid hold = db_.holds[r.id][0].id;
  EXPECT_EQ(service_.Show(you_, r.id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.Detect(you_, r.id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.Update(you_, r.id, {.name = std::optional<std::string>("x")}).status().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(service_.Delete(you_, r.id).kind(), ErrorKind::kNotFound);
  EXPECT_EQ(
      service_.AddHold(you_, r.id, {.centre = ImagePoint{10, 10}, .radius = 5, .colour = "red"})
          .status()
          .kind(),
      ErrorKind::kNotFound);
  EXPECT_EQ(service_.EditHold(you_, r.id, hold, {.colour = "red"}).status().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(service_.DeleteHold(you_, r.id, hold).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.SelectColour(you_, r.id, "blue").status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.Colours(you_, r.id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.List(you_, {}).value().total, 0);
  EXPECT_EQ(service_.List(me_, {}).value().total, 1);
  EXPECT_EQ(db_.holds[r.id].size(), 3u);
  EXPECT_TRUE(db_.corrections.empty());
}

TEST_F(RoutesTest, ShowGivesTheImageOnceItExistsAndTheHolds) {
  auto t = service_.RequestUpload(me_, "wall.jpg");
  auto before = service_.Show(me_, t->route.id);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->image);
  const domain::Route r = ReadyRoute();
  auto view = service_.Show(me_, r.id);
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(view->image);
  EXPECT_EQ(view->image->method, "GET");
  EXPECT_NE(view->image->url.find(r.image_key), std::string::npos);
  EXPECT_EQ(view->holds.size(), 3u);
  EXPECT_EQ(view->route.image_width, 1000);
  EXPECT_EQ(view->route.hold_count, 3);
}

TEST_F(RoutesTest, CorrectionsNeedAReadyRoute) {
  auto t = service_.RequestUpload(me_, "wall.jpg");
  auto add = service_.AddHold(me_, t->route.id,
                              {.centre = ImagePoint{10, 10}, .radius = 5, .colour = "red"});
  EXPECT_EQ(add.status().kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(add.status().code(), "route_not_ready");
  EXPECT_EQ(service_.SelectColour(me_, t->route.id, "red").status().code(), "route_not_ready");
}

TEST_F(RoutesTest, AddingAHoldRecordsAManualCorrection) {
  const domain::Route r = ReadyRoute();
  auto added = service_.AddHold(me_, r.id,
                                {.centre = ImagePoint{700, 600},
                                 .radius = 25,
                                 .colour = "green",
                                 .role = domain::HoldRole::kTop});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->hold.origin, HoldOrigin::kManual);
  EXPECT_EQ(added->hold.colour, "green");
  EXPECT_EQ(added->hold.role, domain::HoldRole::kTop);
  EXPECT_EQ(added->hold.size, "medium");  // a 50 px hold on a 1000 px photo
  EXPECT_NEAR(domain::PolygonCentroid(added->hold.outline).x, 700, 0.01);
  ASSERT_EQ(added->corrections.size(), 1u);
  EXPECT_EQ(added->corrections[0].action, CorrectionAction::kAdded);
  EXPECT_EQ(added->corrections[0].origin, HoldOrigin::kManual);
  EXPECT_EQ(added->corrections[0].at, clock_.Now());
  EXPECT_EQ(db_.holds[r.id].size(), 4u);
  auto by_outline = service_.AddHold(
      me_, r.id,
      {.outline = std::vector<ImagePoint>{{10, 10}, {40, 10}, {25, 40}}, .colour = "pink"});
  ASSERT_TRUE(by_outline.ok());
  EXPECT_EQ(Count(service_.Show(me_, r.id)->corrections, CorrectionAction::kAdded), 2u);

  struct Bad {
    NewHold hold;
    const char* says;
  };
  for (const Bad& b : std::vector<Bad>{
           {{.centre = ImagePoint{10, 10}, .radius = 5, .colour = "teal"}, "colour"},
           {{.centre = ImagePoint{1200, 10}, .radius = 5, .colour = "red"}, "centre"},
           {{.centre = ImagePoint{10, 10}, .radius = 0.5, .colour = "red"}, "radius"},
           {{.centre = ImagePoint{10, 10}, .colour = "red"}, "required"},
           {{.outline = std::vector<ImagePoint>{{10, 10}, {2000, 10}, {25, 40}}, .colour = "red"},
            "inside"},
           {{.outline = std::vector<ImagePoint>{{10, 10}, {40, 10}, {25, 40}},
           .centre = ImagePoint{10, 10},
           .radius = 5,
           .colour = "red"},
            "either"}}) {
    auto s = service_.AddHold(me_, r.id, b.hold);
    EXPECT_EQ(s.status().kind(), ErrorKind::kInvalidArgument) << b.says;
    EXPECT_NE(s.status().message().find(b.says), std::string::npos) << s.status().message();
  }
  EXPECT_EQ(db_.holds[r.id].size(), 5u);
}

TEST_F(RoutesTest, EditingAHoldRecordsEachChangeWithTheHoldsOrigin) {
  const domain::Route r = ReadyRoute();
  const domain::RouteHold red = db_.holds[r.id][1];
  ASSERT_EQ(red.colour, "red");
  clock_.Advance(std::chrono::seconds(5));
  // Move: the centre goes where asked, the shape stays.
  auto moved = service_.EditHold(me_, r.id, red.id, {.centre = ImagePoint{350, 260}});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  const ImagePoint c = domain::PolygonCentroid(moved->hold.outline);
  EXPECT_NEAR(c.x, 350, 1e-6);
  EXPECT_NEAR(c.y, 260, 1e-6);
  EXPECT_NEAR(domain::PolygonArea(moved->hold.outline), domain::PolygonArea(red.outline), 1e-6);
  ASSERT_EQ(moved->corrections.size(), 1u);
  EXPECT_EQ(moved->corrections[0].action, CorrectionAction::kMoved);
  EXPECT_EQ(moved->corrections[0].origin, HoldOrigin::kDetected);
  EXPECT_EQ(moved->corrections[0].at, clock_.Now());
  // Recolour, role and selection at once: three corrections.
  auto several =
      service_.EditHold(me_, r.id, red.id,
                        {.colour = "orange",
                         .role = std::optional<domain::HoldRole>(domain::HoldRole::kStart),
                         .selected = true});
  ASSERT_TRUE(several.ok());
  EXPECT_EQ(several->hold.colour, "orange");
  EXPECT_EQ(several->hold.role, domain::HoldRole::kStart);
  EXPECT_TRUE(several->hold.selected);
  EXPECT_EQ(several->corrections.size(), 3u);
  // The same values again change nothing and record nothing.
  auto same = service_.EditHold(me_, r.id, red.id, {.colour = "orange", .selected = true});
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->corrections.empty());
  // Clear the role; reshape (the size class follows the new outline).
  auto cleared = service_.EditHold(me_, r.id, red.id, {.role = std::optional<domain::HoldRole>()});
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->hold.role);
  auto reshaped = service_.EditHold(
      me_, r.id, red.id,
      {.outline = std::vector<ImagePoint>{{300, 200}, {400, 200}, {400, 300}, {300, 300}}});
  ASSERT_TRUE(reshaped.ok());
  EXPECT_EQ(reshaped->hold.size, "large");
  // A move that would push the hold out of the image is refused.
  auto off = service_.EditHold(me_, r.id, red.id, {.centre = ImagePoint{990, 700}});
  EXPECT_EQ(off.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(service_.EditHold(me_, r.id, domain::Uuid::Random(), {.colour = "red"}).status().kind(),
            ErrorKind::kNotFound);
  const auto counts = service_.Show(me_, r.id)->corrections;
  EXPECT_EQ(Count(counts, CorrectionAction::kMoved), 1u);
  EXPECT_EQ(Count(counts, CorrectionAction::kRecoloured), 1u);
  EXPECT_EQ(Count(counts, CorrectionAction::kRole), 2u);
  EXPECT_EQ(Count(counts, CorrectionAction::kSelected), 1u);
  EXPECT_EQ(Count(counts, CorrectionAction::kReshaped), 1u);
}

TEST_F(RoutesTest, DeletingAHoldRecordsItAndTheHoldIsGone) {
  const domain::Route r = ReadyRoute();
  const domain::Uuid id = db_.holds[r.id][0].id;
  auto c = service_.DeleteHold(me_, r.id, id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->action, CorrectionAction::kDeleted);
  EXPECT_EQ(c->origin, HoldOrigin::kDetected);
  EXPECT_EQ(db_.holds[r.id].size(), 2u);
  EXPECT_EQ(service_.DeleteHold(me_, r.id, id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(Count(service_.Show(me_, r.id)->corrections, CorrectionAction::kDeleted), 1u);
}

TEST_F(RoutesTest, SelectingAColourSelectsExactlyItsHolds) {
  const domain::Route r = ReadyRoute();
  auto red = db_.holds[r.id][1];
  ASSERT_TRUE(service_.EditHold(me_, r.id, red.id, {.selected = true}).ok());
  auto blue = service_.SelectColour(me_, r.id, "blue");
  ASSERT_TRUE(blue.ok()) << blue.status().ToString();
  EXPECT_EQ(blue->selected, 2);
  for (const auto& h : blue->holds) EXPECT_EQ(h.selected, h.colour == "blue") << h.colour;
  EXPECT_EQ(blue->corrections.size(), 3u);  // two selected, the red one deselected
  for (const auto& h : db_.holds[r.id]) EXPECT_EQ(h.selected, h.colour == "blue");
  auto colours = service_.Colours(me_, r.id);
  ASSERT_TRUE(colours.ok());
  ASSERT_EQ(colours->size(), 2u);
  EXPECT_EQ((*colours)[0].colour, "blue");
  EXPECT_EQ((*colours)[0].holds, 2);
  EXPECT_EQ((*colours)[0].selected, 2);
  EXPECT_EQ((*colours)[1].colour, "red");
  EXPECT_EQ((*colours)[1].selected, 0);
  EXPECT_EQ(service_.SelectColour(me_, r.id, "Blue").status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(service_.SelectColour(me_, r.id, "yellow").value().selected, 0);
}

TEST_F(RoutesTest, NameGradeAndWallAngleAreValidated) {
  const domain::Route r = ReadyRoute();
  auto ok = service_.Update(me_, r.id,
                            {.name = std::optional<std::string>("La bleue"),
                             .grade = std::optional<std::string>("6a+"),
                             .grade_system = "fontainebleau",
                             .wall_angle_deg = std::optional<double>(20)});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->name, "La bleue");
  EXPECT_EQ(ok->grade, "6A+");  // canonical spelling
  EXPECT_EQ(ok->grade_system, "fontainebleau");
  EXPECT_EQ(ok->wall_angle_deg, 20);
  auto cleared = service_.Update(me_, r.id, {.grade = std::optional<std::string>()});
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->grade);
  EXPECT_FALSE(cleared->grade_system);
  EXPECT_EQ(cleared->name, "La bleue");
  struct Bad {
    RouteEdit edit;
    const char* says;
  };
  for (const Bad& b : std::vector<Bad>{
           {{.name = std::optional<std::string>("")}, "name"},
           {{.name = std::optional<std::string>(std::string("a\0b", 3))}, "name"},
           {{.grade = std::optional<std::string>("6A")}, "grade_system"},
           {{.grade = std::optional<std::string>("9Z"), .grade_system = "fontainebleau"}, "9Z"},
           {{.grade = std::optional<std::string>("6A"), .grade_system = "uiaa"}, "grade_system"},
           {{.grade_system = "yds"}, "grade_system"},
           {{.wall_angle_deg = std::optional<double>(120)}, "wall_angle_deg"}}) {
    auto s = service_.Update(me_, r.id, b.edit);
    EXPECT_EQ(s.status().kind(), ErrorKind::kInvalidArgument) << b.says;
    EXPECT_NE(s.status().message().find(b.says), std::string::npos) << s.status().message();
  }
}

TEST_F(RoutesTest, TheScaleIsValidatedStoredAndGoesWithItsHolds) {
  const domain::Route r = ReadyRoute();
  const auto& holds = db_.holds[r.id];
  const domain::Uuid a = holds[0].id, b = holds[2].id;  // 500 px apart on an 800 px photo
  auto scale = [](std::optional<domain::GhostHoldDistance> d, std::optional<double> wall) {
    domain::GhostScale s;
    s.distance = d;
    s.wall_height_cm = wall;
    return s;
  };
  auto set = service_.Update(me_, r.id, {.scale = scale({{a, b, 250}}, std::nullopt)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_TRUE(set->scale.distance);
  EXPECT_EQ(set->scale.distance->hold_b, b);
  EXPECT_EQ(db_.routes[r.id].scale.distance->distance_cm, 250);
  // Other edits leave it.
  ASSERT_TRUE(service_.Update(me_, r.id, {.name = std::optional<std::string>("x")}).ok());
  EXPECT_TRUE(db_.routes[r.id].scale.distance);

  struct Bad {
    domain::GhostScale scale;
    const char* says;
  };
  const domain::Uuid stranger = domain::Uuid::Random();
  for (const Bad& bad : std::vector<Bad>{
           {scale({{a, a, 250}}, std::nullopt), "scale.hold_a and scale.hold_b"},
           {scale({{a, stranger, 250}}, std::nullopt), "scale.hold_b"},
           {scale({{stranger, b, 250}}, std::nullopt), "scale.hold_a"},
           {scale({{a, b, 0}}, std::nullopt), "scale.distance_cm"},
           {scale({{a, b, 6000}}, std::nullopt), "scale.distance_cm"},
           {scale({{a, b, std::nan("")}}, std::nullopt), "scale.distance_cm"},
           {scale({{a, b, 10}}, std::nullopt), "0.16 m high"},  // a photo of 16 cm of wall
           {scale(std::nullopt, 50), "scale.wall_height_cm"},
           {scale(std::nullopt, std::numeric_limits<double>::infinity()), "scale.wall_height_cm"},
           {scale({{a, b, 250}}, 400), "either"}}) {
    auto refused = service_.Update(me_, r.id, {.scale = bad.scale});
    EXPECT_EQ(refused.status().kind(), ErrorKind::kInvalidArgument) << bad.says;
    EXPECT_EQ(refused.status().code(), "validation_failed") << bad.says;
    EXPECT_NE(refused.status().message().find(bad.says), std::string::npos)
        << refused.status().message();
  }
  EXPECT_EQ(db_.routes[r.id].scale.distance->distance_cm, 250);  // unchanged by the refusals
  EXPECT_EQ(service_.Update(you_, r.id, {.scale = scale(std::nullopt, 400)}).status().kind(),
            ErrorKind::kNotFound);

  // Deleting one of its holds clears the distance; a wall height and clearing.
  ASSERT_TRUE(service_.DeleteHold(me_, r.id, b).ok());
  EXPECT_FALSE(service_.Show(me_, r.id)->route.scale.distance);
  auto wall = service_.Update(me_, r.id, {.scale = scale(std::nullopt, 420)});
  ASSERT_TRUE(wall.ok());
  EXPECT_EQ(wall->scale.wall_height_cm, 420);
  auto cleared = service_.Update(me_, r.id, {.scale = domain::GhostScale{}});
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(cleared->scale.empty());
}

TEST_F(RoutesTest, DeleteRemovesTheImageFirst) {
  const domain::Route r = ReadyRoute();
  objects_.RefuseDelete(r.image_key);
  EXPECT_FALSE(service_.Delete(me_, r.id).ok());
  EXPECT_TRUE(objects_.Has(r.image_key));
  EXPECT_EQ(db_.routes.count(r.id), 1u);
  objects_.AllowDelete(r.image_key);
  ASSERT_TRUE(service_.Delete(me_, r.id).ok());
  EXPECT_FALSE(objects_.Has(r.image_key));
  EXPECT_EQ(db_.routes.count(r.id), 0u);
  EXPECT_EQ(service_.Show(me_, r.id).status().kind(), ErrorKind::kNotFound);
}

TEST_F(RoutesTest, ARouteFromAnAnalysisNeedsTheCallersCompletedAnalysis) {
  const domain::Uuid done = domain::Uuid::Random(), running = domain::Uuid::Random();
  db_.analyses[done] = {me_.user_id, "completed", {"saved/v.mp4", "{}"}};
  db_.analyses[running] = {me_.user_id, "processing", {"uploads/v.mp4", ""}};
  EXPECT_EQ(service_.FromAnalysis(you_, done).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.FromAnalysis(me_, running).status().code(), "analysis_not_completed");
  EXPECT_EQ(service_.FromAnalysis(me_, domain::Uuid::Random()).status().kind(),
            ErrorKind::kNotFound);
  auto r = service_.FromAnalysis(me_, done);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, RouteStatus::kDetecting);
  EXPECT_EQ(r->source, domain::RouteSource::kAnalysis);
  EXPECT_EQ(r->analysis_id, done);
  auto unsent = db_.Unsent(r->id);
  ASSERT_EQ(unsent.size(), 1u);
  auto job = domain::DecodeHoldsJob(unsent[0].body);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->source, "analysis");
  EXPECT_EQ(job->analysis_id, done.str());
  EXPECT_EQ(job->ImageKey(), r->image_key);
}

}  // namespace
}  // namespace ascension::services
