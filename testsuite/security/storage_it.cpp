// Issue 10, storage: presigned URLs (item 1) and the size of an uploaded object (item 2), tried
// against the stack's Ceph RGW.
#include <algorithm>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "adapters/s3/bucket_policy.hpp"
#include "security/harness.hpp"

namespace ascension::testsuite::security {
namespace {

class StorageAttack : public SecurityTest {
 protected:
  static std::string Bucket() { return env_->Get("MINIO_BUCKET"); }

  // PUT to a presigned upload URL with extra headers, as an attacker's curl would.
  static HttpResponse PutWith(const UploadUrl& u, std::vector<std::string> headers,
                              const std::string& body) {
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

  // A client with the credential a process of the stack uses: `prefix`_ACCESS_KEY/_SECRET_KEY
  // (S3_API, S3_WORKER), or the bucket owner's when the stack sets none (what the process falls
  // back to).
  static s3::Client CredentialOf(const std::string& prefix) {
    s3::Config c;
    c.endpoint = env_->Get("MINIO_ENDPOINT");
    c.bucket = Bucket();
    c.access_key = env_->Get(prefix + "_ACCESS_KEY", env_->Get("MINIO_ROOT_USER"));
    c.secret_key = env_->Get(prefix + "_SECRET_KEY", env_->Get("MINIO_ROOT_PASSWORD"));
    return s3::Client::Create(c).value();
  }

  // The store answered 403.
  static bool Denied(const Status& s) { return s.kind() == ErrorKind::kPermissionDenied; }
  template <typename T>
  static bool Denied(const Result<T>& r) {
    return Denied(r.status());
  }
  // Every key refused: the whole request (403) or each key in the answer.
  static bool Denied(const Result<std::vector<s3::DeleteFailure>>& r, size_t keys) {
    return r.ok() ? r->size() == keys : Denied(r.status());
  }

  // The object's bytes as the owner reads them ("" when it cannot be read).
  static std::string Bytes(const std::string& key) {
    auto got = Storage().GetObject(key);
    return got.ok() ? *got : "";
  }

  // Tries everything that changes the bucket rather than its objects, with `client`: each must be
  // refused with 403, and the bucket must still be there afterwards. The documents are harmless
  // should a call get through (the test then fails, the stack keeps working): the policy in force
  // plus every right for `self`, storage-init's own lifecycle rule and CORS.
  static void ExpectNoBucketConfiguration(const s3::Client& client, const std::string& self) {
    s3::PolicyPrincipals principals{
        env_->Get("S3_BUCKET_POLICY_OWNER"), env_->Get("S3_BUCKET_POLICY_PRESIGN"),
        env_->Get("S3_BUCKET_POLICY_API"), env_->Get("S3_BUCKET_POLICY_WORKER")};
    json escalation = json::parse(s3::BucketAccessPolicy(Bucket(), principals));
    escalation["Statement"].push_back(
        {{"Sid", "Escalation"},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", json::array({self})}}},
         {"Action", {"s3:*"}},
         {"Resource", {"arn:aws:s3:::" + Bucket(), "arn:aws:s3:::" + Bucket() + "/*"}}});
    Status policy = client.PutBucketPolicy(escalation.dump());
    EXPECT_TRUE(Denied(policy)) << "PutBucketPolicy: " << policy.ToString();
    const s3::LifecycleRule rule{"expire-unsaved-uploads", "uploads/", 7};
    Status lifecycle = client.PutBucketLifecycle(std::span(&rule, 1));
    EXPECT_TRUE(Denied(lifecycle)) << "PutBucketLifecycle: " << lifecycle.ToString();
    s3::CorsRule cors;
    cors.allowed_origins = {"*"};
    Status cors_status = client.PutBucketCors(std::span(&cors, 1));
    EXPECT_TRUE(Denied(cors_status)) << "PutBucketCors: " << cors_status.ToString();
    Status deleted = client.DeleteBucket();
    EXPECT_TRUE(Denied(deleted)) << "DeleteBucket: " << deleted.ToString();
    EXPECT_TRUE(Storage().HeadBucket().ok()) << "the bucket is gone";
  }
};

// Item 1: "x-amz-copy-source" on my upload URL made the store copy the victim's object to my key.
TEST_F(StorageAttack, UploadUrlCannotCopyAnotherUsersObject) {
  Account victim = Register("vic");
  Account attacker = Register("atk");
  const std::string secret = "VICTIM-PRIVATE-" + HexEncode(RandomBytes(8));
  UploadUrl theirs = Upload(victim, secret);
  UploadUrl mine = NewUploadUrl(attacker);

  for (const std::string& source :
       {"/" + Bucket() + "/" + theirs.key, Bucket() + "/" + theirs.key}) {
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
  for (const std::string& d :
       std::vector<std::string>{"x-amz-tagging: owner=someone-else", "x-amz-meta-origin: injected",
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
    auto r = Call("POST", "/v1/videos/upload-url", a.token,
                  json{{"filename", "a.mp4"}, {"size_bytes", bad}}.dump());
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
  std::string answer = RawExchange(
      env_->Port("ASCENSION_S3_PORT"),
      "PUT " + target + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + u.content_type +
          "\r\nContent-Length: " + std::to_string(attempt) + "\r\n\r\n" + std::string(4096, 'x'),
      5000ms);
  EXPECT_NE(answer.find("EntityTooLarge"), std::string::npos)
      << "no refusal: " << answer.substr(0, 300);
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
  EXPECT_EQ(Sql("SELECT object_size FROM analyses WHERE id = '" + id + "'"),
            std::to_string(head->size));

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
  EXPECT_TRUE(left->objects.empty())
      << left->objects.size() << " objects left under uploads/" << gone.id;
}

// Item 2: an upload URL is still valid (15 min) after its video was saved or deleted: the bytes
// sent again landed under uploads/ with no row tracking them, for ever. The sweeper lists uploads/
// and deletes every object no unsaved video owns; the saved copy and a tracked upload stay.
TEST_F(StorageAttack, AnUploadUrlUsedAfterTheSaveOrTheDeletionLeavesNoObject) {
  Account a = Register("orp");
  UploadUrl saved = Upload(a, "a climb to keep");
  ASSERT_EQ(Call("POST", "/v1/videos/" + saved.video_id + "/save", a.token).status, 200);
  const std::string saved_copy =
      Sql("SELECT object_key FROM videos WHERE id = '" + saved.video_id + "'");
  ASSERT_EQ(saved_copy.rfind("saved/", 0), 0u) << saved_copy;
  ASSERT_TRUE(Absent(saved.key)) << "the save left the upload copy";
  auto again = Http("PUT", saved.url, {"Content-Type: " + saved.content_type},
                    "sent again after the save", true);
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_FALSE(Absent(saved.key));

  UploadUrl deleted = Upload(a, "a climb to delete");
  ASSERT_EQ(Call("DELETE", "/v1/videos/" + deleted.video_id, a.token).status, 204);
  ASSERT_TRUE(Absent(deleted.key));
  auto late = Http("PUT", deleted.url, {"Content-Type: " + deleted.content_type},
                   "sent after the deletion", true);
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

// Item 1, "the API's and worker's storage credentials get only the rights they use": the worker
// used the bucket owner's credential, so a compromised or buggy worker could overwrite or delete
// any video and rewrite the bucket's policy. Its own credential reads videos and route photos and
// writes wall images under routes/, and nothing else.
TEST_F(StorageAttack, TheWorkersCredentialOnlyReadsVideosAndWritesWallImages) {
  const s3::Client worker = CredentialOf("S3_WORKER");
  Account a = Register("wrk");
  const std::string uploaded = "UPLOADED-" + HexEncode(RandomBytes(8));
  UploadUrl u = Upload(a, uploaded);
  const std::string kept = "SAVED-" + HexEncode(RandomBytes(8));
  UploadUrl s = Upload(a, kept);
  ASSERT_EQ(Call("POST", "/v1/videos/" + s.video_id + "/save", a.token).status, 200);
  const std::string saved = Sql("SELECT object_key FROM videos WHERE id = '" + s.video_id + "'");
  ASSERT_EQ(saved.rfind("saved/", 0), 0u) << saved;

  // What the worker does: download the video (uploaded or saved), store and read a wall image.
  auto got = worker.GetObject(u.key);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, uploaded);
  auto got_saved = worker.GetObject(saved);
  ASSERT_TRUE(got_saved.ok()) << got_saved.status().ToString();
  EXPECT_EQ(*got_saved, kept);
  const std::string wall = "routes/" + a.id + "/" + HexEncode(RandomBytes(8)) + ".jpg";
  Status put = worker.PutObject(wall, "a wall image", "image/jpeg");
  ASSERT_TRUE(put.ok()) << put.ToString();
  auto got_wall = worker.GetObject(wall);
  EXPECT_TRUE(got_wall.ok() && *got_wall == "a wall image") << got_wall.status().ToString();
  // A video deleted meanwhile is missing (video_not_found), not forbidden (a storage outage).
  auto missing = worker.GetObject("uploads/" + a.id + "/missing.mp4");
  EXPECT_EQ(missing.status().kind(), ErrorKind::kNotFound) << missing.status().ToString();

  // What it must not: overwrite, add or delete a video, delete anything, list, change the bucket.
  EXPECT_TRUE(Denied(worker.PutObject(u.key, "REPLACED"))) << "overwrote an upload";
  EXPECT_TRUE(Denied(worker.PutObject(saved, "REPLACED"))) << "overwrote a saved video";
  EXPECT_TRUE(Denied(worker.PutObject("uploads/" + a.id + "/forged.mp4", "FORGED")));
  EXPECT_TRUE(Denied(worker.CopyObject(u.key, "saved/" + a.id + "/copied.mp4")));
  EXPECT_TRUE(Denied(worker.DeleteObject(u.key))) << "deleted an upload";
  EXPECT_TRUE(Denied(worker.DeleteObject(saved))) << "deleted a saved video";
  EXPECT_TRUE(Denied(worker.DeleteObject(wall))) << "deleted a route photo";
  const std::vector<std::string> both = {u.key, saved};
  EXPECT_TRUE(Denied(worker.DeleteObjects(both), both.size())) << "deleted videos in a batch";
  EXPECT_TRUE(Denied(worker.ListObjectsV2("uploads/")));
  EXPECT_TRUE(Denied(worker.ListObjectsV2("")));
  ExpectNoBucketConfiguration(worker,
                              env_->Get("S3_BUCKET_POLICY_WORKER", "arn:aws:iam:::user/ascension"));

  // Everything is as it was.
  EXPECT_EQ(Bytes(u.key), uploaded);
  EXPECT_EQ(Bytes(saved), kept);
  EXPECT_EQ(Bytes(wall), "a wall image");
  EXPECT_TRUE(Absent("uploads/" + a.id + "/forged.mp4"));
  EXPECT_TRUE(Absent("saved/" + a.id + "/copied.mp4"));
  EXPECT_TRUE(Storage().DeleteObject(wall).ok());
}

// Item 1, the API's side: it used the owner's credential too, which may also rewrite the bucket's
// policy (undoing the presign credential's confinement), its lifecycle and CORS, or delete it. Its
// own credential does what the API does with objects (head, copy an upload to saved/, list its
// prefixes, delete one or many) and nothing to the bucket itself.
TEST_F(StorageAttack, TheApisCredentialManagesItsObjectsButNeverTheBucket) {
  const s3::Client api = CredentialOf("S3_API");
  Account a = Register("apc");
  const std::string bytes = "API-" + HexEncode(RandomBytes(8));
  UploadUrl u = Upload(a, bytes);

  // Its own object actions: HEAD (POST /v1/analyses), the save's copy, listings (erasure, the
  // sweeper, storage usage), deletion of one object and of a batch.
  auto head = api.HeadObject(u.key);
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->size, bytes.size());
  // Not uploaded yet is a 404 (POST /v1/analyses says so), not a 403; /ready's HeadBucket.
  auto missing = api.HeadObject("uploads/" + a.id + "/not-yet.mp4");
  EXPECT_EQ(missing.status().kind(), ErrorKind::kNotFound) << missing.status().ToString();
  EXPECT_TRUE(api.HeadBucket().ok());
  const std::string saved = "saved/" + a.id + "/" + u.video_id + ".mp4";
  Status copied = api.CopyObject(u.key, saved);
  ASSERT_TRUE(copied.ok()) << copied.ToString();
  EXPECT_EQ(Bytes(saved), bytes);
  for (const std::string& prefix : {"uploads/" + a.id + "/", "saved/" + a.id + "/"}) {
    auto page = api.ListObjectsV2(prefix);
    ASSERT_TRUE(page.ok()) << prefix << ": " << page.status().ToString();
    EXPECT_EQ(page->objects.size(), 1u) << prefix;
  }
  for (const char* prefix : {"uploads/", "saved/", "routes/"}) {
    auto page = api.ListObjectsV2(prefix, {}, 1);
    EXPECT_TRUE(page.ok()) << prefix << ": " << page.status().ToString();
  }
  // Not its business: writing an upload (clients do, through presigned URLs), listing the whole
  // bucket or another prefix, the bucket's configuration.
  EXPECT_TRUE(Denied(api.PutObject("uploads/" + a.id + "/forged.mp4", "FORGED")));
  EXPECT_TRUE(Denied(api.PutObject("routes/" + a.id + "/forged.jpg", "FORGED")));
  EXPECT_TRUE(Denied(api.ListObjectsV2("")));
  EXPECT_TRUE(Denied(api.ListObjectsV2("thumbnails/")));
  ExpectNoBucketConfiguration(api,
                              env_->Get("S3_BUCKET_POLICY_API", "arn:aws:iam:::user/ascension"));
  EXPECT_TRUE(Absent("uploads/" + a.id + "/forged.mp4"));
  EXPECT_TRUE(Absent("routes/" + a.id + "/forged.jpg"));
  EXPECT_EQ(Bytes(u.key), bytes);

  const std::vector<std::string> batch = {saved};
  auto refused = api.DeleteObjects(batch);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_TRUE(refused->empty()) << refused->front().key << ": " << refused->front().code;
  EXPECT_TRUE(Absent(saved));
  Status deleted = api.DeleteObject(u.key);
  EXPECT_TRUE(deleted.ok()) << deleted.ToString();
  EXPECT_TRUE(Absent(u.key));
}

// The owner's key may rewrite the bucket policy that confines every other credential: once the
// API and the worker have their own, it is not in their environment at all (a process that is
// compromised cannot read it from /proc/self/environ), only in ascension-admin's.
TEST_F(StorageAttack, TheOwnersKeyIsNotInTheApisOrTheWorkersEnvironment) {
  ASSERT_FALSE(env_->Get("MINIO_ROOT_USER").empty());
  ASSERT_FALSE(env_->Get("S3_API_ACCESS_KEY").empty());
  ASSERT_FALSE(env_->Get("S3_WORKER_ACCESS_KEY").empty());
  for (const char* process : {"api", "worker"}) {
    std::ifstream pid_file(env_->Get("ASCENSION_HOME") + "/run/" + process + ".pid");
    pid_t pid = 0;
    pid_file >> pid;
    ASSERT_GT(pid, 0) << "no pid file for the stack's " << process;
    std::ifstream environ("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    ASSERT_TRUE(environ.is_open())
        << "cannot read the environment of " << process << " (pid " << pid << ")";
    std::string entry;
    std::vector<std::string> names;
    while (std::getline(environ, entry, '\0')) names.push_back(entry.substr(0, entry.find('=')));
    ASSERT_FALSE(names.empty()) << process;
    const auto has = [&](const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    EXPECT_FALSE(has("MINIO_ROOT_USER")) << process << " holds the bucket owner's access key";
    EXPECT_FALSE(has("MINIO_ROOT_PASSWORD")) << process << " holds the bucket owner's secret key";
    EXPECT_TRUE(has(std::string(process) == "api" ? "S3_API_ACCESS_KEY" : "S3_WORKER_ACCESS_KEY"))
        << process << " runs without its own credential";
  }
}

}  // namespace
}  // namespace ascension::testsuite::security
