// Profiles over in-memory fakes: partial updates, validation naming the field, outages.
#include "services/profiles.hpp"

#include <gtest/gtest.h>

#include "services/testing/training_fakes.hpp"

namespace ascension::services {
namespace {

using domain::Patch;

class ProfilesTest : public ::testing::Test {
 protected:
  ProfilesTest() {
    domain::User u;
    u.id = me_.user_id;
    db_.users[u.id] = u;
  }

  testing::FakeDatabase db_;
  testing::FakeProfileRepository repo_{db_};
  Profiles profiles_{repo_};
  Principal me_{domain::Uuid::Random(), "user"};
};

TEST_F(ProfilesTest, AnUpdateChangesOnlyTheFieldsItNames) {
  EXPECT_EQ(profiles_.Show(me_).value(), domain::ClimberProfile{});
  domain::ProfilePatch first;
  first.height_cm = Patch<double>::Set(178);
  first.level = Patch<domain::LevelText>::Set({"v_scale", "v4"});
  first.limb[static_cast<int>(domain::BodyLimb::kLeftArm)] = Patch<std::string>::Set("injured");
  ASSERT_TRUE(profiles_.Update(me_, first).ok());
  domain::ProfilePatch second;
  second.weight_kg = Patch<double>::Set(70);
  second.height_cm = Patch<double>::Clear();
  auto after = profiles_.Update(me_, second);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->height_cm);
  EXPECT_EQ(after->weight_kg, 70);
  EXPECT_EQ(after->level->text(), "V4");
  EXPECT_FALSE(after->CanUse(domain::BodyLimb::kLeftArm));
  EXPECT_EQ(profiles_.Show(me_).value(), *after);
}

TEST_F(ProfilesTest, AnInvalidUpdateNamesTheFieldAndStoresNothing) {
  domain::ProfilePatch ok;
  ok.arm_span_cm = Patch<double>::Set(181);
  ASSERT_TRUE(profiles_.Update(me_, ok).ok());
  domain::ProfilePatch bad;
  bad.weight_kg = Patch<double>::Set(80);
  bad.level = Patch<domain::LevelText>::Set({"french", "6D"});
  auto r = profiles_.Update(me_, bad);
  ASSERT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("level.grade", 0), 0u) << r.status().message();
  EXPECT_FALSE(profiles_.Show(me_)->weight_kg);
  EXPECT_EQ(profiles_.Show(me_)->arm_span_cm, 181);
}

TEST_F(ProfilesTest, AGoneAccountAndAnOutageAreErrors) {
  domain::ProfilePatch p;
  p.height_cm = Patch<double>::Set(170);
  EXPECT_EQ(profiles_.Update({domain::Uuid::Random(), "user"}, p).status().kind(),
            ErrorKind::kNotFound);
  db_.outage = Unavailable("database down");
  EXPECT_EQ(profiles_.Show(me_).status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(profiles_.Update(me_, p).status().kind(), ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace ascension::services
