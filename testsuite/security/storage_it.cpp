// Issue 10, storage: presigned URLs (item 1) and the size of an uploaded object (item 2), tried
// against the stack's Ceph RGW.
#include "security/harness.hpp"

namespace ascension::testsuite::security {
namespace {

class StorageAttack : public SecurityTest {
 protected:
  static std::string Bucket() { return env_->Get("MINIO_BUCKET"); }

  // PUT to a presigned upload URL with extra headers, as an attacker's curl would.
  static HttpResponse PutWith(const UploadUrl& u, std::vector<std::string> headers, const std::string& body) {
    headers.push_back("Content-Type: " + u.content_type);
    return Http("PUT", u.url, headers, body, true);
  }

  // The store holds nothing at `key`.
  static bool Absent(const std::string& key) {
    auto head = Storage().HeadObject(key);
    return !head.ok() && head.status().kind() == ErrorKind::kNotFound;
  }

  std::string Playback(const Account& a, const std::string& video_id) const {
    auto show = Call("GET", "/v1/videos/" + video_id, a.token);
    EXPECT_EQ(show.status, 200) << show.body;
    auto j = Body(show);
    if (!j.is_object() || !j.contains("playback_url") || !j["playback_url"].is_string()) return "";
    return j["playback_url"].get<std::string>();
  }

  json Analysis(const Account& a, const std::string& id) const {
    auto r = Call("GET", "/v1/analyses/" + id, a.token);
    return r.status == 200 ? Body(r) : json();
  }
};

// Item 1: "x-amz-copy-source" on my upload URL made the store copy the victim's object to my key.
TEST_F(StorageAttack, UploadUrlCannotCopyAnotherUsersObject) {
  Account victim = Register("vic");
  Account attacker = Register("atk");
  const std::string secret = "VICTIM-PRIVATE-" + HexEncode(RandomBytes(8));
  UploadUrl theirs = Upload(victim, secret);
  UploadUrl mine = NewUploadUrl(attacker);

  for (const std::string& source : {"/" + Bucket() + "/" + theirs.key, Bucket() + "/" + theirs.key}) {
    auto copy = PutWith(mine, {"x-amz-copy-source: " + source}, "");
    EXPECT_EQ(copy.status, 403) << source << ": " << copy.body;
    EXPECT_EQ(copy.body.find("CopyObjectResult"), std::string::npos) << copy.body;
  }
  // Nothing reached my key, so my playback URL cannot serve the victim's bytes.
  EXPECT_TRUE(Absent(mine.key));
  std::string playback = Playback(attacker, mine.video_id);
  if (!playback.empty()) {
    EXPECT_NE(Http("GET", playback).body, secret);
  }
  // The victim's object is unreadable to anyone else and intact for its owner.
  EXPECT_EQ(Anonymous("GET", theirs.key).status, 403);
  EXPECT_NE(Anonymous("GET", theirs.key).body, secret);
  EXPECT_EQ(Http("GET", Playback(victim, theirs.video_id)).body, secret);
}

// Item 1: "x-amz-acl: public-read" on the same PUT made the object world-readable; grants,
// server-side encryption choices and storage classes are directives the URL did not sign either.
TEST_F(StorageAttack, UploadUrlRefusesAclGrantsAndStorageDirectives) {
  Account attacker = Register("acl");
  UploadUrl mine = NewUploadUrl(attacker);
  const std::string all_users = "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"";
  const std::vector<std::string> directives = {
      "x-amz-acl: public-read",
      "x-amz-acl: public-read-write",
      "x-amz-acl: authenticated-read",
      "x-amz-grant-read: " + all_users,
      "x-amz-grant-full-control: " + all_users,
      "x-amz-grant-read-acp: " + all_users,
      "x-amz-grant-write-acp: " + all_users,
      "x-amz-server-side-encryption: AES256",
      "x-amz-server-side-encryption-customer-algorithm: AES256",
      "x-amz-storage-class: REDUCED_REDUNDANCY",
  };
  for (const auto& d : directives) {
    auto put = PutWith(mine, {d}, "PUBLIC?");
    EXPECT_GE(put.status, 400) << d << " was accepted: " << put.status;
    EXPECT_NE(Anonymous("GET", mine.key).status, 200) << d << " made the object public";
  }
  // The URL still does what it is for, and what it stores is private.
  ASSERT_EQ(PutWith(mine, {}, "my climb").status, 200);
  EXPECT_EQ(Anonymous("GET", mine.key).status, 403);
  EXPECT_EQ(Anonymous("HEAD", mine.key).status, 403);
}

// Item 1: directives the store accepts on an upload (tags, user metadata, a website redirect)
// are refused where the object is used: the analysis does not start and the object is removed.
TEST_F(StorageAttack, ObjectCarryingUnsignedDirectivesIsNotAnalysed) {
  Account a = Register("dir");
  for (const std::string& d : std::vector<std::string>{"x-amz-tagging: owner=someone-else", "x-amz-meta-origin: injected",
                              "x-amz-website-redirect-location: /evil"}) {
    UploadUrl u = NewUploadUrl(a);
    auto put = PutWith(u, {d}, "tiny");
    if (put.status != 200) continue;  // refused by the store itself: even better
    auto r = Call("POST", "/v1/analyses", a.token, json{{"video_id", u.video_id}}.dump());
    EXPECT_EQ(r.status, 422) << d << ": " << r.body;
    EXPECT_EQ(ErrorCode(r), "upload_rejected") << d;
    EXPECT_TRUE(Absent(u.key)) << d;
  }
}

// Item 2: a client that declares the size gets a URL signed for exactly that many bytes, and a
// declared size over the limit is refused before any byte moves.
TEST_F(StorageAttack, DeclaredUploadSizeIsSignedAndLimited) {
  Account a = Register("siz");
  auto probe = Call("POST", "/v1/videos/upload-url", a.token, json{{"filename", "a.mp4"}}.dump());
  ASSERT_EQ(probe.status, 201) << probe.body;
  const std::int64_t max_bytes = Body(probe)["max_bytes"].get<std::int64_t>();

  auto too_big = Call("POST", "/v1/videos/upload-url", a.token,
                      json{{"filename", "a.mp4"}, {"size_bytes", max_bytes + 1}}.dump());
  EXPECT_EQ(too_big.status, 413) << too_big.body;
  EXPECT_EQ(ErrorCode(too_big), "video_too_large");
  for (const json& bad : {json(-1), json(0), json("100"), json(1.5)}) {
    auto r = Call("POST", "/v1/videos/upload-url", a.token, json{{"filename", "a.mp4"}, {"size_bytes", bad}}.dump());
    EXPECT_EQ(r.status, 422) << bad.dump() << ": " << r.body;
    EXPECT_NE(ErrorMessage(r).find("size_bytes"), std::string::npos) << r.body;
  }

  UploadUrl u = NewUploadUrl(a, json{{"size_bytes", 100}});
  EXPECT_EQ(PutWith(u, {}, std::string(101, 'x')).status, 403);
  EXPECT_EQ(PutWith(u, {}, std::string(99, 'x')).status, 403);
  EXPECT_TRUE(Absent(u.key));
  EXPECT_EQ(PutWith(u, {}, std::string(100, 'x')).status, 200);
}

// Item 2: a 520 MiB upload was accepted. The store refuses a body over the limit from its
// Content-Length alone, before receiving it.
TEST_F(StorageAttack, StoreRefusesAnUploadOverTheLimit) {
  Account a = Register("big");
  UploadUrl u = NewUploadUrl(a);
  auto probe = Call("POST", "/v1/videos/upload-url", a.token, json{{"filename", "a.mp4"}}.dump());
  const std::int64_t max_bytes = Body(probe)["max_bytes"].get<std::int64_t>();
  const std::int64_t attempt = std::max<std::int64_t>(max_bytes + (20 << 20), 520LL << 20);
  std::string endpoint = env_->Get("MINIO_ENDPOINT");
  ASSERT_EQ(u.url.rfind(endpoint, 0), 0u) << u.url;
  std::string target = u.url.substr(endpoint.size());
  std::string host = endpoint.substr(endpoint.find("://") + 3);
  std::string answer =
      RawExchange(env_->Port("ASCENSION_S3_PORT"),
                  "PUT " + target + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + u.content_type +
                      "\r\nContent-Length: " + std::to_string(attempt) + "\r\n\r\n" + std::string(4096, 'x'),
                  5000ms);
  EXPECT_NE(answer.find("EntityTooLarge"), std::string::npos) << "no refusal: " << answer.substr(0, 300);
  EXPECT_TRUE(Absent(u.key));
}

// Item 2: the object was overwritten after the 202 and the worker analysed the replacement.
// POST /v1/analyses records the object's ETag and size; the worker downloads with If-Match on that
// ETag, so the replaced object fails the analysis with video_changed and is never analysed.
TEST_F(StorageAttack, ObjectReplacedAfterTheAnalysisWasAcceptedIsNotAnalysed) {
  Account a = Register("swp");
  UploadUrl u = Upload(a, "the video the analysis was accepted for");
  auto head = Storage().HeadObject(u.key);
  ASSERT_TRUE(head.ok()) << head.status().ToString();

  PausedWorker worker(*env_);
  ASSERT_TRUE(worker.paused()) << "cannot pause the stack's worker";
  auto started = Call("POST", "/v1/analyses", a.token, json{{"video_id", u.video_id}}.dump());
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = Body(started).value("analysis_id", "");
  EXPECT_EQ(Sql("SELECT object_etag FROM analyses WHERE id = '" + id + "'"), head->etag);
  EXPECT_EQ(Sql("SELECT object_size FROM analyses WHERE id = '" + id + "'"), std::to_string(head->size));

  // The same upload URL, another body: the object the worker would read is now the attacker's.
  auto replace = Http("PUT", u.url, {"Content-Type: " + u.content_type}, "a replacement", true);
  ASSERT_EQ(replace.status, 200) << replace.body;
  worker.Resume();

  json analysis;
  ASSERT_TRUE(WaitFor(120s, [&] {
    analysis = Analysis(a, id);
    return analysis.is_object() && analysis.value("status", "") == "failed";
  })) << analysis.dump();
  ASSERT_TRUE(analysis.contains("error") && analysis["error"].is_object()) << analysis.dump();
  EXPECT_EQ(analysis["error"].value("code", ""), "video_changed") << analysis.dump();
}

// Item 3: DELETE /v1/users/<UPPER-CASE-UUID> removed the rows but left uploads/<uid>/... behind
// (the rows matched case-insensitively, the object prefix did not). Ids are parsed and
// canonicalised once, before any use.
TEST_F(StorageAttack, ErasureWithAnUpperCaseIdRemovesEveryObject) {
  Account admin = Admin("era");
  Account gone = Register("gon");
  UploadUrl u = Upload(gone, "to be erased");
  ASSERT_FALSE(Absent(u.key));
  std::string upper = gone.id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_NE(upper, gone.id);
  auto r = Call("DELETE", "/v1/users/" + upper, admin.token);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE id = '" + gone.id + "'"), "0");
  EXPECT_TRUE(Absent(u.key)) << u.key << " outlived its account";
  auto left = Storage().ListObjectsV2("uploads/" + gone.id + "/");
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_TRUE(left->objects.empty()) << left->objects.size() << " objects left under uploads/" << gone.id;
}

// Item 2: an upload URL is still valid (15 min) after its video was saved or deleted: the bytes sent
// again landed under uploads/ with no row tracking them, for ever. The sweeper lists uploads/ and
// deletes every object no unsaved video owns; the saved copy and a tracked upload stay.
TEST_F(StorageAttack, AnUploadUrlUsedAfterTheSaveOrTheDeletionLeavesNoObject) {
  Account a = Register("orp");
  UploadUrl saved = Upload(a, "a climb to keep");
  ASSERT_EQ(Call("POST", "/v1/videos/" + saved.video_id + "/save", a.token).status, 200);
  const std::string saved_copy = Sql("SELECT object_key FROM videos WHERE id = '" + saved.video_id + "'");
  ASSERT_EQ(saved_copy.rfind("saved/", 0), 0u) << saved_copy;
  ASSERT_TRUE(Absent(saved.key)) << "the save left the upload copy";
  auto again = Http("PUT", saved.url, {"Content-Type: " + saved.content_type}, "sent again after the save", true);
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_FALSE(Absent(saved.key));

  UploadUrl deleted = Upload(a, "a climb to delete");
  ASSERT_EQ(Call("DELETE", "/v1/videos/" + deleted.video_id, a.token).status, 204);
  ASSERT_TRUE(Absent(deleted.key));
  auto late = Http("PUT", deleted.url, {"Content-Type: " + deleted.content_type}, "sent after the deletion", true);
  ASSERT_EQ(late.status, 200) << late.body;
  ASSERT_FALSE(Absent(deleted.key));

  UploadUrl tracked = Upload(a, "a climb nobody analysed yet");
  // An instance that sweeps every second (its first pass 2 s after start).
  ApiProcess sweeper(*env_, {"SWEEP_INTERVAL_SECONDS=1"});
  ASSERT_GT(sweeper.WaitListening(30000ms), 0) << sweeper.output();
  EXPECT_TRUE(WaitFor(30000ms, [&] { return Absent(saved.key) && Absent(deleted.key); }))
      << "untracked objects outlived the sweep: " << (Absent(saved.key) ? "" : saved.key + " ")
      << (Absent(deleted.key) ? "" : deleted.key);
  EXPECT_FALSE(Absent(saved_copy)) << "the saved copy was swept";
  EXPECT_FALSE(Absent(tracked.key)) << "a tracked upload was swept";
  EXPECT_EQ(Call("GET", "/v1/videos/" + saved.video_id, a.token).status, 200);
}

}  // namespace
}  // namespace ascension::testsuite::security
