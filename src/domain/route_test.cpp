#include "domain/route.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "domain/messages.hpp"
#include "domain/result_frames.hpp"

namespace ascension::domain {
namespace {

TEST(RouteGeometry, AreaCentroidBoxOfASquare) {
  const std::vector<ImagePoint> square = {{10, 10}, {30, 10}, {30, 30}, {10, 30}};
  EXPECT_DOUBLE_EQ(PolygonArea(square), 400);
  const ImagePoint c = PolygonCentroid(square);
  EXPECT_DOUBLE_EQ(c.x, 20);
  EXPECT_DOUBLE_EQ(c.y, 20);
  const ImageBox b = BoundingBox(square);
  EXPECT_DOUBLE_EQ(b.x, 10);
  EXPECT_DOUBLE_EQ(b.width, 20);
  EXPECT_TRUE(PolygonContains(square, {15, 25}));
  EXPECT_FALSE(PolygonContains(square, {35, 25}));
  // A degenerate outline (all on a line) has no area; its centroid is the points' mean.
  const std::vector<ImagePoint> line = {{0, 0}, {10, 0}, {20, 0}};
  EXPECT_DOUBLE_EQ(PolygonArea(line), 0);
  EXPECT_DOUBLE_EQ(PolygonCentroid(line).x, 10);
  const auto circle = CircleOutline({50, 50}, 10);
  EXPECT_EQ(circle.size(), 16u);
  EXPECT_NEAR(PolygonArea(circle), 306.1, 0.1);  // a 16-gon in a circle of area 314
}

TEST(RouteRules, OutlinesMustBeUsable) {
  const std::vector<ImagePoint> ok = {{10, 10}, {30, 10}, {20, 30}};
  EXPECT_FALSE(ValidateOutline(ok, 100, 100));
  EXPECT_TRUE(ValidateOutline({{10, 10}, {30, 10}}, 100, 100));             // 2 points
  EXPECT_TRUE(ValidateOutline({{10, 10}, {300, 10}, {20, 30}}, 100, 100));  // outside
  EXPECT_TRUE(ValidateOutline({{10, 10}, {11, 10}, {10, 11}}, 100, 100));   // 0.5 px²
  EXPECT_TRUE(ValidateOutline({{10, 10}, {NAN, 10}, {20, 30}}, 100, 100));  // NaN
  std::vector<ImagePoint> many(kMaxOutlinePoints + 1, ImagePoint{5, 5});
  EXPECT_TRUE(ValidateOutline(many, 100, 100));
}

TEST(RouteRules, PhotoFilenames) {
  EXPECT_FALSE(CheckPhotoFilename("wall.JPG"));
  EXPECT_FALSE(CheckPhotoFilename("wall.jpeg"));
  EXPECT_FALSE(CheckPhotoFilename("wall.png"));
  EXPECT_FALSE(CheckPhotoFilename("wall.webp"));
  EXPECT_EQ(PhotoContentType("wall.PNG"), "image/png");
  EXPECT_EQ(PhotoContentType("wall.webp"), "image/webp");
  EXPECT_EQ(PhotoContentType("wall.jpg"), "image/jpeg");
  auto heic = CheckPhotoFilename("IMG_0001.HEIC");
  ASSERT_TRUE(heic);
  EXPECT_EQ(heic->code, "heic_unsupported");
  EXPECT_NE(heic->message.find("JPEG"), std::string::npos);
  EXPECT_EQ(CheckPhotoFilename("wall.gif")->code, "unsupported_format");
  EXPECT_EQ(CheckPhotoFilename("wall")->code, "unsupported_format");
  const Uuid u = *Uuid::Parse("11111111-1111-4111-8111-111111111111");
  const Uuid r = *Uuid::Parse("22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(RouteImageKey(u, r),
            "routes/11111111-1111-4111-8111-111111111111/22222222-2222-4222-8222-222222222222.jpg");
}

TEST(RouteRules, NamesAnglesAndSizes) {
  EXPECT_FALSE(ValidateRouteName("La bleue du fond"));
  EXPECT_FALSE(ValidateRouteName("Écaille"));
  EXPECT_TRUE(ValidateRouteName(""));
  EXPECT_TRUE(ValidateRouteName(std::string(101, 'a')));
  EXPECT_TRUE(ValidateRouteName(std::string("a\0b", 3)));
  EXPECT_TRUE(ValidateRouteName("tab\there"));
  EXPECT_TRUE(ValidateRouteName("\xC3"));          // truncated sequence
  EXPECT_TRUE(ValidateRouteName("\xC0\xAF"));      // overlong
  EXPECT_TRUE(ValidateRouteName("\xED\xA0\x80"));  // surrogate
  EXPECT_TRUE(ValidateRouteName("\xC2\x85"));      // C1 control
  EXPECT_FALSE(ValidateWallAngle(0));
  EXPECT_FALSE(ValidateWallAngle(45));
  EXPECT_FALSE(ValidateWallAngle(-10));
  EXPECT_TRUE(ValidateWallAngle(91));
  EXPECT_TRUE(ValidateWallAngle(NAN));
  // 1000 px long side: a 10 px-diameter hold is a foot chip, a 150 px one a volume.
  EXPECT_EQ(HoldSizeFor(3.14159 * 5 * 5, 1000, 800), "foot_chip");
  EXPECT_EQ(HoldSizeFor(3.14159 * 25 * 25, 1000, 800), "medium");
  EXPECT_EQ(HoldSizeFor(3.14159 * 75 * 75, 800, 1000), "volume");
}

TEST(RouteRules, NamesRoundTrip) {
  for (auto s : {RouteStatus::kAwaitingUpload, RouteStatus::kDetecting, RouteStatus::kReady,
                 RouteStatus::kFailed})
    EXPECT_EQ(ParseRouteStatus(RouteStatusName(s)), s);
  for (auto r : {HoldRole::kStart, HoldRole::kTop, HoldRole::kHand, HoldRole::kFoot})
    EXPECT_EQ(ParseHoldRole(HoldRoleName(r)), r);
  for (auto a : kCorrectionActions) EXPECT_EQ(ParseCorrectionAction(CorrectionActionName(a)), a);
  EXPECT_FALSE(ParseHoldRole("none"));
  EXPECT_FALSE(ParseHoldOrigin(""));
  EXPECT_TRUE(IsHoldColour("blue"));
  EXPECT_FALSE(IsHoldColour("Blue"));
  EXPECT_EQ(RouteFailureMessage("corrupt_image", Language::kEn),
            "The photo is damaged or incomplete.");
  EXPECT_EQ(RouteFailureMessage("storage_unavailable", Language::kFr),
            "La détection des prises a échoué.");
  EXPECT_EQ(RouteFailureMessage("no-such-code", Language::kEn), "Hold detection failed.");
}

TEST(HoldsJobMessage, RoundTripsAndRefusesWhatItCannotUse) {
  HoldsJobMessage m;
  m.job_id = "j";
  m.route_id = "r";
  m.user_id = "u";
  m.source = "analysis";
  m.analysis_id = "a";
  m.image_url = "s3://bucket/routes/u/r.jpg";
  m.attempt = 2;
  m.dispatch = 4;
  auto back = DecodeHoldsJob(EncodeHoldsJob(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ImageKey(), "routes/u/r.jpg");
  EXPECT_EQ(back->analysis_id, "a");
  EXPECT_EQ(back->dispatch, 4);
  EXPECT_EQ(DecodeHoldsJob(*WithAttempt(EncodeHoldsJob(m), 3))->attempt, 3);

  for (const char* bad :
       {R"([])", R"({"job_id":"j","route_id":"r","user_id":"u","source":"photo"})",
        R"({"job_id":"j","route_id":1,"user_id":"u","source":"photo","image_url":"s3://b/k"})",
        R"({"job_id":"j","route_id":"r","user_id":"u","source":"video","image_url":"s3://b/k"})",
        R"({"job_id":"j","route_id":"r","user_id":"u","source":"analysis","image_url":"s3://b/k"})",
        R"({"job_id":"j","route_id":"r","user_id":"u","source":"photo","image_url":"http://x"})",
        R"({"job_id":"j","route_id":"r","user_id":"u","source":"photo","image_url":"s3://b/k",)"
        R"("attempt":"2"})"}) {
    EXPECT_FALSE(DecodeHoldsJob(bad).ok()) << bad;
  }
  auto typed = DecodeHoldsJob(
      R"({"job_id":"j","route_id":1,"user_id":"u","source":"photo","image_url":"s3://b/k"})");
  EXPECT_NE(typed.status().message().find("route_id"), std::string::npos);
}

TEST(RouteEvent, RoundTripsByKind) {
  RouteEvent e;
  e.kind = RouteEventKind::kDetected;
  e.route_id = "r";
  e.user_id = "u";
  e.hold_count = 27;
  EXPECT_EQ(RouteEventRoutingKey(e), "holds.detected.r");
  auto back = DecodeRouteEvent(RouteEventRoutingKey(e), EncodeRouteEvent(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kind, RouteEventKind::kDetected);
  EXPECT_EQ(back->hold_count, 27);
  e.kind = RouteEventKind::kFailed;
  e.error_code = "corrupt_image";
  back = DecodeRouteEvent(RouteEventRoutingKey(e), EncodeRouteEvent(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->error_code, "corrupt_image");
  EXPECT_FALSE(DecodeRouteEvent("skeleton.progress.x", EncodeRouteEvent(e)).ok());
  EXPECT_FALSE(DecodeRouteEvent("holds.progress.r", R"({"user_id":"u","route_id":"r",)"
                                                    R"("progress":"50"})")
                   .ok());
  EXPECT_FALSE(DecodeRouteEvent("holds.progress.r", R"({"route_id":"r"})").ok());
}

TEST(GhostEvent, RoundTripsByKindAndRefusesWrongTypes) {
  GhostEvent e;
  e.kind = GhostEventKind::kReady;
  e.route_id = "r";
  e.user_id = "u";
  e.job_id = "j";
  e.beta_found = false;
  EXPECT_EQ(GhostEventRoutingKey(e), "ghost.ready.r");
  auto back = DecodeGhostEvent(GhostEventRoutingKey(e), EncodeGhostEvent(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->kind, GhostEventKind::kReady);
  EXPECT_FALSE(back->beta_found);
  EXPECT_EQ(back->job_id, "j");
  e.kind = GhostEventKind::kFailed;
  e.error_code = "invalid_profile";
  e.message = "m";
  EXPECT_EQ(GhostEventRoutingKey(e), "ghost.failed.r");
  back = DecodeGhostEvent(GhostEventRoutingKey(e), EncodeGhostEvent(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kind, GhostEventKind::kFailed);
  EXPECT_EQ(back->error_code, "invalid_profile");
  e.kind = GhostEventKind::kProgress;
  e.progress = 10;
  e.stage = "planning";
  back = DecodeGhostEvent(GhostEventRoutingKey(e), EncodeGhostEvent(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->progress, 10);
  EXPECT_EQ(back->stage, "planning");
  EXPECT_FALSE(DecodeGhostEvent("holds.detected.r", EncodeGhostEvent(e)).ok());
  for (const char* bad :
       {R"({"user_id":"u","route_id":"r","beta_found":1})",
        R"({"user_id":"u","route_id":"r","progress":101})", R"({"user_id":"u","route_id":7})",
        R"({"route_id":"r"})", R"({"user_id":"u\u0000","route_id":"r"})", "[]", "not json"}) {
    EXPECT_FALSE(DecodeGhostEvent("ghost.ready.r", bad).ok()) << bad;
  }
  auto typed =
      DecodeGhostEvent("ghost.ready.r", R"({"user_id":"u","route_id":"r","beta_found":1})");
  EXPECT_NE(typed.status().message().find("beta_found"), std::string::npos);
}

TEST(ResultFrames, ReadsBothLandmarkFormsAndNamesWhatIsWrong) {
  std::string lm33 = "[";
  for (int i = 0; i < 33; ++i) lm33 += std::string(i ? "," : "") + "[0.5,0.25,0,0.9,0.8]";
  lm33 += "]";
  const std::string doc =
      R"({"video":{"fps":30,"width":480,"height":854},"frames":[)"
      R"({"frame":0,"timestamp_ms":0,"pose_detected":true,"landmarks33":)" +
      lm33 + "}," +
      R"({"frame":3,"timestamp_ms":100,"pose_detected":true,"landmarks":{"11":{"x":0.1,"y":0.2,)"
      R"("z":0,"pres":0.7}}},)"
      R"({"frame":6,"timestamp_ms":200,"pose_detected":false}]})";
  auto seq = PosesFromResult(doc);
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  ASSERT_EQ(seq->frames.size(), 3u);
  EXPECT_EQ(seq->video.width, 480);
  EXPECT_DOUBLE_EQ(seq->frames[0].landmarks[20].presence, 0.8);
  EXPECT_DOUBLE_EQ(seq->frames[0].landmarks[20].visibility, 0.9);
  EXPECT_DOUBLE_EQ(seq->frames[1].landmarks[11].x, 0.1);
  EXPECT_DOUBLE_EQ(seq->frames[1].landmarks[11].visibility, 0.7);
  EXPECT_EQ(seq->frames[2].timestamp_ms, 200);
  EXPECT_FALSE(seq->frames[2].detected);

  auto bad = PosesFromResult(R"({"frames":[{"frame":0,"timestamp_ms":"0","pose_detected":true}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("frames[0].timestamp_ms"), std::string::npos);
  EXPECT_FALSE(PosesFromResult("not json").ok());
  EXPECT_FALSE(PosesFromResult(R"({"frames":{}})").ok());
  EXPECT_FALSE(
      PosesFromResult(
          R"({"frames":[{"frame":0,"timestamp_ms":0,"pose_detected":true,"landmarks33":[1]}]})")
          .ok());
  EXPECT_FALSE(PosesFromResult(R"({"frames":[{"frame":0,"timestamp_ms":0,"pose_detected":true,)"
                               R"("landmarks":{"11":{"x":"a"}}}]})")
                   .ok());
}

}  // namespace
}  // namespace ascension::domain
