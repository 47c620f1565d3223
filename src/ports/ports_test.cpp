// The ports are interfaces only: each header compiles on its own and declares an abstract class.
#include <gtest/gtest.h>

#include <type_traits>

#include "ports/analysis_repository.hpp"
#include "ports/clock.hpp"
#include "ports/event_source.hpp"
#include "ports/job_bus.hpp"
#include "ports/notifier.hpp"
#include "ports/object_store.hpp"
#include "ports/outbox.hpp"
#include "ports/password_hasher.hpp"
#include "ports/pose_estimator.hpp"
#include "ports/token_repository.hpp"
#include "ports/user_repository.hpp"
#include "ports/video_repository.hpp"

namespace ascension::ports {
namespace {

static_assert(std::is_abstract_v<Clock>);
static_assert(std::is_abstract_v<UserRepository>);
static_assert(std::is_abstract_v<TokenRepository>);
static_assert(std::is_abstract_v<VideoRepository>);
static_assert(std::is_abstract_v<AnalysisRepository>);
static_assert(std::is_abstract_v<OutboxRepository>);
static_assert(std::is_abstract_v<ObjectStore>);
static_assert(std::is_abstract_v<JobPublisher>);
static_assert(std::is_abstract_v<EventPublisher>);
static_assert(std::is_abstract_v<EventSource>);
static_assert(std::is_abstract_v<EventSubscription>);
static_assert(std::is_abstract_v<PoseEstimator>);
static_assert(std::is_abstract_v<Notifier>);
static_assert(std::is_abstract_v<PasswordHasher>);

TEST(SystemClock, IsTheWallClock) {
  SystemClock clock;
  auto before = std::chrono::system_clock::now();
  auto now = clock.Now();
  EXPECT_GE(now, before);
  EXPECT_LE(now - before, std::chrono::seconds(5));
}

}  // namespace
}  // namespace ascension::ports
