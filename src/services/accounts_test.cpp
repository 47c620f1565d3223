// Accounts over in-memory fakes: registration, login, refresh rotation and revocation, profile
// rules, erasure. Milliseconds each (the fake hasher stands in for Argon2id).
#include "services/accounts.hpp"

#include <gtest/gtest.h>

#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

using testing::FakeClock;

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() { db_.clock = &clock_; }

  Session MustRegister(const std::string& name, std::optional<std::string> lang = std::nullopt) {
    auto s = accounts_.Register({name, name + "@Example.com", "climbing-" + name, lang});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : Session{};
  }
  static Principal Of(const Session& s) { return {s.user.id, s.user.role}; }

  FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeUserRepository users_{db_};
  testing::FakeTokenRepository tokens_{db_};
  testing::FakeVideoRepository videos_{db_};
  testing::FakeObjectStore objects_;
  testing::FakePasswordHasher passwords_;
  auth::JwtCodec jwt_{std::string(40, 'k'), "ascension", "ascension-app", std::chrono::hours(1)};
  Accounts accounts_{users_, tokens_, videos_, objects_, passwords_, jwt_, clock_};
};

TEST_F(AccountsTest, RegisterStoresTheEmailLowerCaseAndRefusesDuplicatesInAnyCase) {
  Session s = MustRegister("alice");
  EXPECT_EQ(s.user.email, "alice@example.com");
  EXPECT_FALSE(s.user.language.has_value());  // never chosen
  auto who = accounts_.Authenticate(s.access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user_id, s.user.id);
  auto dup = accounts_.Register({"alice2", "ALICE@example.COM", "password123", std::nullopt});
  EXPECT_EQ(dup.status().kind(), ErrorKind::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "An account with this email already exists");
  auto same_name = accounts_.Register({"ALICE", "other@example.com", "password123", std::nullopt});
  EXPECT_EQ(same_name.status().message(), "This username is already taken");
  auto bad = accounts_.Register({"x", "a@b.co", "password123", std::nullopt});
  EXPECT_EQ(bad.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("username"), std::string::npos);
  EXPECT_EQ(accounts_.Register({"bob", "b@b.co", "password123", "de"}).status().message(),
            "language must be en or fr");
}

TEST_F(AccountsTest, LoginDoesTheSameWorkForAnUnknownEmail) {
  MustRegister("carol");
  passwords_.verifications = 0;
  auto wrong = accounts_.Login("carol@example.com", "wrong-password");
  EXPECT_EQ(wrong.status().code(), "invalid_credentials");
  auto unknown = accounts_.Login("nobody@example.com", "climbing-carol");
  EXPECT_EQ(unknown.status().code(), "invalid_credentials");
  EXPECT_EQ(passwords_.verifications, 2);
  auto ok = accounts_.Login("CAROL@example.com", "climbing-carol");
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ok->refresh_token.empty());
}

TEST_F(AccountsTest, AnImportedPasswordIsReplacedByAFreshHashAtItsFirstLogin) {
  Session s = MustRegister("ivy");
  {
    std::lock_guard l(db_.mu);
    db_.users[s.user.id].password_hash = "legacy:old-secret";  // as import-legacy stores bcrypt
  }
  EXPECT_EQ(accounts_.Login("ivy@example.com", "wrong").status().code(), "invalid_credentials");
  {
    std::lock_guard l(db_.mu);
    EXPECT_EQ(db_.users[s.user.id].password_hash, "legacy:old-secret") << "a failed login rehashed";
  }
  ASSERT_TRUE(accounts_.Login("ivy@example.com", "old-secret").ok());
  {
    std::lock_guard l(db_.mu);
    EXPECT_EQ(db_.users[s.user.id].password_hash, "hash:old-secret");
  }
  ASSERT_TRUE(accounts_.Login("ivy@example.com", "old-secret").ok());
  EXPECT_EQ(accounts_.Login("ivy@example.com", "climbing-ivy").status().code(),
            "invalid_credentials");
}

// Token revocation: rotation, reuse detection, logout, password change, expiry.
TEST_F(AccountsTest, RefreshRotatesAndReuseRevokesTheFamily) {
  Session s = MustRegister("dave");
  auto r1 = accounts_.Refresh(s.refresh_token);
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_NE(r1->refresh_token, s.refresh_token);
  auto r2 = accounts_.Refresh(r1->refresh_token);
  ASSERT_TRUE(r2.ok());
  // The first token again: someone kept a copy. Its whole family dies, r2's successor too.
  EXPECT_EQ(accounts_.Refresh(s.refresh_token).status().code(), "invalid_refresh_token");
  EXPECT_EQ(accounts_.Refresh(r2->refresh_token).status().code(), "invalid_refresh_token");
  EXPECT_EQ(accounts_.Refresh("never-issued").status().code(), "invalid_refresh_token");
}

TEST_F(AccountsTest, LogoutRevokesOneFamilyOrAllAndANewPasswordEndsEverySession) {
  Session s = MustRegister("erin");
  auto other = accounts_.Login("erin@example.com", "climbing-erin");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(accounts_.Logout(Of(s), s.refresh_token).ok());
  EXPECT_FALSE(accounts_.Refresh(s.refresh_token).ok());
  auto still = accounts_.Refresh(other->refresh_token);
  ASSERT_TRUE(still.ok()) << "logout of one family must leave the other";
  ProfileChanges pw;
  pw.password = "a-new-password";
  EXPECT_EQ(accounts_.UpdateSelf(Of(s), pw).status().kind(), ErrorKind::kInvalidArgument);
  pw.current_password = "not-the-password";
  EXPECT_EQ(accounts_.UpdateSelf(Of(s), pw).status().code(), "wrong_password");
  EXPECT_TRUE(accounts_.Login("erin@example.com", "climbing-erin").ok()) << "a refused change changed it";
  pw.current_password = "climbing-erin";
  ASSERT_TRUE(accounts_.UpdateSelf(Of(s), pw).ok());
  EXPECT_FALSE(accounts_.Refresh(still->refresh_token).ok());
  auto again = accounts_.Login("erin@example.com", "a-new-password");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(accounts_.Logout(Of(s), std::nullopt).ok());
  EXPECT_FALSE(accounts_.Refresh(again->refresh_token).ok());
}

// issue 10 #4: a logout of every session, a new password, a role change and the account's
// deletion end every access token issued before, at once on this instance.
TEST_F(AccountsTest, AccessTokensIssuedBeforeARevocationAreRefusedAtOnce) {
  Session s = MustRegister("nina");
  ASSERT_TRUE(accounts_.Authenticate(s.access_token).ok());
  ASSERT_TRUE(accounts_.Logout(Of(s), std::nullopt).ok());
  EXPECT_EQ(accounts_.Authenticate(s.access_token).status().message(), "token revoked");

  auto fresh = accounts_.Login("nina@example.com", "climbing-nina");
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(accounts_.Authenticate(fresh->access_token).ok()) << "a new login works again";
  ProfileChanges pw;
  pw.password = "another-password";
  pw.current_password = "climbing-nina";
  ASSERT_TRUE(accounts_.UpdateSelf(Of(s), pw).ok());
  EXPECT_FALSE(accounts_.Authenticate(fresh->access_token).ok()) << "the password changed";

  // A demoted administrator loses the role at once (the role is the account's, not the token's).
  ProfileChanges promote;
  promote.role = "admin";
  Principal root{domain::Uuid::Random(), "admin"};
  ASSERT_TRUE(accounts_.UpdateAsAdmin(root, s.user.id, promote).ok());
  auto as_admin = accounts_.Login("nina@example.com", "another-password");
  ASSERT_TRUE(as_admin.ok());
  auto who = accounts_.Authenticate(as_admin->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_TRUE(who->is_admin());
  ProfileChanges demote;
  demote.role = "user";
  ASSERT_TRUE(accounts_.UpdateAsAdmin(root, s.user.id, demote).ok());
  EXPECT_FALSE(accounts_.Authenticate(as_admin->access_token).ok()) << "the role changed";

  auto last = accounts_.Login("nina@example.com", "another-password");
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(accounts_.Authenticate(last->access_token).ok());
  ASSERT_TRUE(accounts_.EraseSelf(Of(s)).ok());
  EXPECT_EQ(accounts_.Authenticate(last->access_token).status().message(),
            "the token's account no longer exists");
}

// Another API instance believes what it read for at most account_cache_ttl.
TEST_F(AccountsTest, AnotherInstanceRefusesARevokedTokenWithinTheCacheTime) {
  Accounts other{users_, tokens_, videos_, objects_, passwords_, jwt_, clock_};
  Session s = MustRegister("omar");
  ASSERT_TRUE(other.Authenticate(s.access_token).ok());  // read and cached there
  ASSERT_TRUE(accounts_.Logout(Of(s), std::nullopt).ok());
  EXPECT_FALSE(accounts_.Authenticate(s.access_token).ok());
  clock_.Advance(std::chrono::milliseconds(2000));
  EXPECT_FALSE(other.Authenticate(s.access_token).ok());
  // The database unreadable: unavailable, not "unauthenticated" (the client is not logged out).
  Session t = MustRegister("pia");
  clock_.Advance(std::chrono::milliseconds(2000));
  db_.outage = Unavailable("postgres unreachable");
  EXPECT_EQ(accounts_.Authenticate(t.access_token).status().kind(), ErrorKind::kUnavailable);
}

TEST_F(AccountsTest, RefreshTokensExpireAndAccessTokensToo) {
  Session s = MustRegister("fay");
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(accounts_.Authenticate(s.access_token).status().kind(), ErrorKind::kUnauthenticated);
  clock_.Advance(std::chrono::hours(24 * 31));
  auto r = accounts_.Refresh(s.refresh_token);
  EXPECT_EQ(r.status().code(), "invalid_refresh_token");
  EXPECT_EQ(r.status().message(), "Refresh token has expired");
}

TEST_F(AccountsTest, OthersProfilesAreNotFoundUnlessAdmin) {
  Session a = MustRegister("gail");
  Session b = MustRegister("hank");
  EXPECT_EQ(accounts_.Profile(Of(a), b.user.id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(accounts_.Profile(Of(a), domain::Uuid::Random()).status().kind(), ErrorKind::kNotFound);
  Principal admin{a.user.id, "admin"};
  auto seen = accounts_.Profile(admin, b.user.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->user.username, "hank");
  EXPECT_EQ(accounts_.List(Of(a), {}).status().kind(), ErrorKind::kPermissionDenied);
  EXPECT_EQ(accounts_.List(admin, {})->total, 2);
}

TEST_F(AccountsTest, RoleTierAndGhostModeRules) {
  Session a = MustRegister("ivan");
  ProfileChanges role;
  role.role = "admin";
  EXPECT_EQ(accounts_.UpdateSelf(Of(a), role).status().kind(), ErrorKind::kPermissionDenied);
  ProfileChanges ghost;
  ghost.ghost_mode = true;
  ghost.language = "en";
  auto refused = accounts_.UpdateSelf(Of(a), ghost);
  EXPECT_EQ(refused.status().code(), "premium_required");
  EXPECT_FALSE(db_.users[a.user.id].language.has_value()) << "a refused change applies nothing";
  Principal admin{domain::Uuid::Random(), "admin"};
  ProfileChanges tier;
  tier.subscription_tier = "gold";
  EXPECT_EQ(accounts_.UpdateAsAdmin(admin, a.user.id, tier).status().kind(),
            ErrorKind::kInvalidArgument);
  tier.subscription_tier = "premium";
  EXPECT_EQ(accounts_.UpdateAsAdmin(Of(a), a.user.id, tier).status().kind(),
            ErrorKind::kPermissionDenied);
  ASSERT_TRUE(accounts_.UpdateAsAdmin(admin, a.user.id, tier).ok());
  auto now_ghost = accounts_.UpdateSelf(Of(a), ghost);
  ASSERT_TRUE(now_ghost.ok()) << now_ghost.status().ToString();
  EXPECT_TRUE(now_ghost->user.ghost_mode);
  EXPECT_EQ(now_ghost->user.language, domain::Language::kEn);
  Session b = MustRegister("judy");
  ProfileChanges steal;
  steal.username = "IVAN";
  EXPECT_EQ(accounts_.UpdateSelf(Of(b), steal).status().kind(), ErrorKind::kAlreadyExists);
}

// Erasure: objects first; a refused delete leaves the account (and the request can be retried).
TEST_F(AccountsTest, ErasureDeletesObjectsThenRowsAndStopsOnAStorageFailure) {
  Session a = MustRegister("kate");
  Session other = MustRegister("liam");
  std::string id = a.user.id.str();
  objects_.Put("uploads/" + id + "/v.mp4", "x");
  objects_.Put("saved/" + id + "/w.mp4", "y");
  objects_.Put("routes/" + id + "/r.jpg", "z");
  objects_.Put("uploads/" + other.user.id.str() + "/mine.mp4", "keep");
  objects_.RefuseDelete("saved/" + id + "/w.mp4");
  EXPECT_EQ(accounts_.EraseSelf(Of(a)).kind(), ErrorKind::kUnavailable);
  EXPECT_TRUE(db_.users.count(a.user.id)) << "the account must stay when storage refused";
  objects_.AllowDelete("saved/" + id + "/w.mp4");
  ASSERT_TRUE(accounts_.EraseSelf(Of(a)).ok());
  EXPECT_FALSE(db_.users.count(a.user.id));
  EXPECT_EQ(objects_.Keys(), std::set<std::string>{"uploads/" + other.user.id.str() + "/mine.mp4"});
  for (const auto& t : db_.tokens) EXPECT_NE(t.user_id, a.user.id);
  EXPECT_EQ(accounts_.EraseSelf(Of(a)).kind(), ErrorKind::kNotFound);
  EXPECT_EQ(accounts_.EraseAsAdmin(Of(other), other.user.id).kind(), ErrorKind::kPermissionDenied);
}

TEST_F(AccountsTest, ADatabaseOutageIsUnavailableNotACrash) {
  db_.outage = Unavailable("postgres unreachable");
  EXPECT_EQ(
      accounts_.Register({"mona", "m@example.com", "password123", std::nullopt}).status().kind(),
      ErrorKind::kUnavailable);
  EXPECT_EQ(accounts_.Login("m@example.com", "password123").status().kind(),
            ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace ascension::services
