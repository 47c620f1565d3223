// The S3 client against the running stack's S3 service (MINIO_* in the stack's env file).
// Objects live under a random "it-s3/<run>/" prefix of the stack bucket and are deleted at the
// end; bucket-level calls (lifecycle, CORS) use a bucket of their own, created and removed here.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "adapters/s3/client.hpp"
#include "stack/stack_env.hpp"

namespace ascension::s3 {
namespace {

using namespace std::chrono_literals;

std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s.push_back(kChars[rng() % 36]);
  return s;
}

std::string RandomBytes(size_t n) {
  std::mt19937_64 rng(42);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// A plain HTTP request without credentials, as a phone or a browser would send it.
struct HttpReply {
  long status = 0;
  std::string body;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

HttpReply PlainHttp(const std::string& method, const std::string& url,
                    const std::vector<std::string>& headers, const std::string& body = {}) {
  HttpReply reply;
  CURL* c = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  if (method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  return reply;
}

class S3ClientIT : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new testsuite::StackEnv(testsuite::StackEnv::Load());  // NOLINT: gtest suite fixture
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  void SetUp() override {
    if (!env_->ok()) GTEST_FAIL() << env_->error();
    config_.endpoint = env_->Get("MINIO_ENDPOINT");
    config_.bucket = env_->Get("MINIO_BUCKET");
    config_.access_key = env_->Get("MINIO_ROOT_USER");
    config_.secret_key = env_->Get("MINIO_ROOT_PASSWORD");
    std::string region = env_->Get("MINIO_REGION");
    if (!region.empty()) config_.region = region;
    auto client = Client::Create(config_);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_.emplace(std::move(client).value());
    Status created = client_->CreateBucket();
    ASSERT_TRUE(created.ok()) << created.ToString();
    prefix_ = "it-s3/" + RandomSuffix() + "/";
  }

  void TearDown() override {
    if (!client_) return;
    std::vector<std::string> keys;
    std::string token;
    do {
      auto page = client_->ListObjectsV2(prefix_, token);
      if (!page.ok()) break;
      for (auto& o : page->objects) keys.push_back(o.key);
      token = page->next_continuation_token;
    } while (!token.empty());
    if (!keys.empty()) (void)client_->DeleteObjects(keys);
  }

  static testsuite::StackEnv* env_;
  Config config_;
  std::optional<Client> client_;
  std::string prefix_;
};

testsuite::StackEnv* S3ClientIT::env_ = nullptr;

TEST_F(S3ClientIT, PutGetHeadDelete) {
  const std::string key = prefix_ + "hello.txt";
  ASSERT_TRUE(client_->PutObject(key, "hello, world", "text/plain").ok());

  auto body = client_->GetObject(key);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, "hello, world");

  auto part = client_->GetObject(key, ByteRange{7, 11});
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(*part, "world");
  auto tail = client_->GetObject(key, ByteRange{7, std::nullopt});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(*tail, "world");

  auto info = client_->HeadObject(key);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, 12u);
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->etag.size(), 32u);  // MD5 of a single-part upload
  EXPECT_FALSE(info->last_modified.empty());

  ASSERT_TRUE(client_->DeleteObject(key).ok());
  EXPECT_EQ(client_->HeadObject(key).status().kind(), ErrorKind::kNotFound);
  auto gone = client_->GetObject(key);
  EXPECT_EQ(gone.status().kind(), ErrorKind::kNotFound);
  EXPECT_NE(gone.status().message().find("NoSuchKey"), std::string::npos)
      << gone.status().message();
  EXPECT_TRUE(client_->DeleteObject(key).ok());  // deleting again is fine
}

TEST_F(S3ClientIT, KeysNeedingEncodingRoundTrip) {
  const std::string key = prefix_ + "dir with space/ü+=&?#~.mp4";
  ASSERT_TRUE(client_->PutObject(key, "x", "video/mp4").ok());
  EXPECT_EQ(client_->GetObject(key).value(), "x");
  auto page = client_->ListObjectsV2(prefix_ + "dir with space/");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, key);
}

TEST_F(S3ClientIT, PresignedPutWithPlainHttpThenRead) {
  const std::string key = prefix_ + "uploads/u1/v1.mp4";
  auto url = client_->PresignPut(key, "video/mp4", 15min, Clock::now());
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  HttpReply put = PlainHttp("PUT", url->url, {"Content-Type: video/mp4"}, "fake video bytes");
  EXPECT_EQ(put.status, 200) << put.body;

  EXPECT_EQ(client_->GetObject(key).value(), "fake video bytes");
  EXPECT_EQ(client_->HeadObject(key)->content_type, "video/mp4");

  auto get = client_->PresignGet(key, 5min, Clock::now());
  ASSERT_TRUE(get.ok());
  HttpReply read = PlainHttp("GET", get->url, {});
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body, "fake video bytes");
}

TEST_F(S3ClientIT, PresignedPutWithAnotherContentTypeIsRefused) {
  const std::string key = prefix_ + "uploads/u1/v2.mp4";
  auto url = client_->PresignPut(key, "video/mp4", 15min, Clock::now());
  ASSERT_TRUE(url.ok());
  HttpReply put = PlainHttp("PUT", url->url, {"Content-Type: text/html"}, "<script>");
  EXPECT_EQ(put.status, 403) << put.body;
  EXPECT_EQ(client_->HeadObject(key).status().kind(), ErrorKind::kNotFound);
}

TEST_F(S3ClientIT, TamperedPresignedUrlIsRefused) {
  const std::string key = prefix_ + "uploads/u1/v3.mp4";
  auto url = client_->PresignPut(key, "video/mp4", 15min, Clock::now());
  ASSERT_TRUE(url.ok());
  // Another key with the same signature.
  std::string other = url->url;
  other.replace(other.find("v3.mp4"), 6, "v4.mp4");
  EXPECT_EQ(PlainHttp("PUT", other, {"Content-Type: video/mp4"}, "x").status, 403);
  // A longer expiry with the same signature.
  std::string longer = url->url;
  longer.replace(longer.find("X-Amz-Expires=900"), 17, "X-Amz-Expires=901");
  EXPECT_EQ(PlainHttp("PUT", longer, {"Content-Type: video/mp4"}, "x").status, 403);
  // A flipped signature character.
  std::string flipped = url->url;
  char& last = flipped.back();
  last = last == '0' ? '1' : '0';
  EXPECT_EQ(PlainHttp("PUT", flipped, {"Content-Type: video/mp4"}, "x").status, 403);
  EXPECT_EQ(client_->HeadObject(key).status().kind(), ErrorKind::kNotFound);
}

TEST_F(S3ClientIT, ExpiredPresignedUrlIsRefused) {
  const std::string key = prefix_ + "expired.txt";
  ASSERT_TRUE(client_->PutObject(key, "old", "text/plain").ok());
  auto get = client_->PresignGet(key, 60s, Clock::now() - 1h);
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(PlainHttp("GET", get->url, {}).status, 403);
  auto put = client_->PresignPut(key, "text/plain", 60s, Clock::now() - 1h);
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(PlainHttp("PUT", put->url, {"Content-Type: text/plain"}, "new").status, 403);
  EXPECT_EQ(client_->GetObject(key).value(), "old");
}

TEST_F(S3ClientIT, WrongSecretIsPermissionDenied) {
  Config bad = config_;
  bad.secret_key = "not-the-secret";
  auto client = Client::Create(bad);
  ASSERT_TRUE(client.ok());
  Status st = client->PutObject(prefix_ + "x", "x");
  EXPECT_EQ(st.kind(), ErrorKind::kPermissionDenied) << st.ToString();
  EXPECT_NE(st.message().find("SignatureDoesNotMatch"), std::string::npos) << st.message();
}

TEST_F(S3ClientIT, CopyObject) {
  const std::string src = prefix_ + "uploads/a.mp4";
  const std::string dst = prefix_ + "saved/a.mp4";
  ASSERT_TRUE(client_->PutObject(src, "payload", "video/mp4").ok());
  ASSERT_TRUE(client_->CopyObject(src, dst).ok());
  EXPECT_EQ(client_->GetObject(dst).value(), "payload");
  EXPECT_EQ(client_->HeadObject(dst)->content_type, "video/mp4");
  EXPECT_EQ(client_->CopyObject(prefix_ + "missing", dst).kind(), ErrorKind::kNotFound);
}

TEST_F(S3ClientIT, ListPagingAndDeleteObjects) {
  std::set<std::string> expected;
  for (int i = 0; i < 7; ++i) {
    std::string key = prefix_ + "list/obj-" + std::to_string(i);
    ASSERT_TRUE(client_->PutObject(key, std::string(static_cast<size_t>(i), 'x')).ok());
    expected.insert(key);
  }
  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  std::string token;
  do {
    auto page = client_->ListObjectsV2(prefix_ + "list/", token, 3);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    page_sizes.push_back(page->objects.size());
    for (const auto& o : page->objects) {
      EXPECT_EQ(o.size, static_cast<uint64_t>(o.key.back() - '0'));
      seen.push_back(o.key);
    }
    token = page->next_continuation_token;
  } while (!token.empty());
  EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  std::vector<std::string> to_delete(expected.begin(), expected.end());
  to_delete.push_back(prefix_ + "list/never-existed");
  auto failures = client_->DeleteObjects(to_delete);
  ASSERT_TRUE(failures.ok()) << failures.status().ToString();
  EXPECT_TRUE(failures->empty());
  auto after = client_->ListObjectsV2(prefix_ + "list/");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->objects.empty());
}

TEST_F(S3ClientIT, StreamLargeObjectThroughFiles) {
  namespace fs = std::filesystem;
  const std::string key = prefix_ + "big.bin";
  fs::path dir = fs::temp_directory_path() / ("asc-s3-it-" + RandomSuffix());
  fs::create_directories(dir);
  const std::string data = RandomBytes(6 * 1024 * 1024 + 123);
  {
    std::ofstream out(dir / "in.bin", std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  ASSERT_TRUE(client_->PutObjectFromFile(key, dir / "in.bin", "video/mp4").ok());
  EXPECT_EQ(client_->HeadObject(key)->size, data.size());

  ASSERT_TRUE(client_->GetObjectToFile(key, dir / "out.bin").ok());
  EXPECT_FALSE(fs::exists(dir / "out.bin.part"));
  std::ifstream in(dir / "out.bin", std::ios::binary);
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(got == data) << "downloaded " << got.size() << " bytes, expected " << data.size();

  ASSERT_TRUE(client_->GetObjectToFile(key, dir / "range.bin", ByteRange{1024, 2047}).ok());
  EXPECT_EQ(fs::file_size(dir / "range.bin"), 1024u);

  Status missing = client_->GetObjectToFile(prefix_ + "nope", dir / "nope.bin");
  EXPECT_EQ(missing.kind(), ErrorKind::kNotFound);
  EXPECT_FALSE(fs::exists(dir / "nope.bin"));
  EXPECT_FALSE(fs::exists(dir / "nope.bin.part"));
  fs::remove_all(dir);
}

TEST_F(S3ClientIT, OneClientServesManyThreads) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 10;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        std::string key = prefix_ + "mt/" + std::to_string(t) + "-" + std::to_string(i);
        std::string body = key + std::string(static_cast<size_t>(1000 * t), 'z');
        if (!client_->PutObject(key, body).ok()) ++failures[t];
        auto got = client_->GetObject(key);
        if (!got.ok() || *got != body) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
}

// The storage service going away and coming back: calls fail with kUnavailable meanwhile, and
// the same client (with its pooled, now dead connections) works again afterwards.
TEST_F(S3ClientIT, StorageRestartIsUnavailableThenRecovers) {
  const std::string key = prefix_ + "outage.txt";
  ASSERT_TRUE(client_->PutObject(key, "before").ok());
  if (env_->Control("stop rgw") != 0) GTEST_FAIL() << "needs ASCENSION_CLI (run through ctest)";
  EXPECT_EQ(client_->HeadBucket().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(client_->PutObject(key, "during").kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(client_->GetObject(key).status().kind(), ErrorKind::kUnavailable);
  ASSERT_EQ(env_->Control("start rgw"), 0);
  Status ready = Unavailable("not tried");
  for (auto until = std::chrono::steady_clock::now() + 60s;
       std::chrono::steady_clock::now() < until && !ready.ok();) {
    ready = client_->HeadBucket();
    if (!ready.ok()) std::this_thread::sleep_for(250ms);
  }
  ASSERT_TRUE(ready.ok()) << ready.ToString();
  EXPECT_EQ(client_->GetObject(key).value(), "before");
  EXPECT_TRUE(client_->PutObject(key, "after").ok());
}

TEST_F(S3ClientIT, BucketSetupOnAFreshBucket) {
  Config c = config_;
  c.bucket = "asc-it-" + RandomSuffix();
  auto client = Client::Create(c);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->HeadBucket().kind(), ErrorKind::kNotFound);
  ASSERT_TRUE(client->CreateBucket().ok());
  ASSERT_TRUE(client->CreateBucket().ok()) << "CreateBucket must be idempotent for the owner";
  EXPECT_TRUE(client->HeadBucket().ok());

  LifecycleRule rule{"expire-uploads", "uploads/", 7};
  Status lc = client->PutBucketLifecycle(std::span(&rule, 1));
  EXPECT_TRUE(lc.ok()) << lc.ToString();
  CorsRule cors;
  cors.allowed_origins = {"*"};
  Status cs = client->PutBucketCors(std::span(&cors, 1));
  EXPECT_TRUE(cs.ok()) << cs.ToString();
  // A browser's preflight for a presigned upload is now answered.
  HttpReply preflight =
      PlainHttp("OPTIONS", c.endpoint + "/" + c.bucket + "/uploads/u/v.mp4",
                {"Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                 "Access-Control-Request-Headers: content-type"});
  EXPECT_EQ(preflight.status, 200) << preflight.body;

  EXPECT_TRUE(client->DeleteBucket().ok());
  EXPECT_EQ(client->HeadBucket().kind(), ErrorKind::kNotFound);
}

}  // namespace
}  // namespace ascension::s3
