// The storage metrics (issue 18 item 5) against the test stack: an upload URL issued, the upload
// arriving at POST /v1/analyses, the analysis started and a presigned GET each move their
// counter on /metrics by exactly one, and an API instance that measures the bucket every second
// reports the bytes under uploads/ (the bucket is listed by the background loop, not by the
// scrape).
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "stack/api_fixture.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The value of one sample (name with its labels) in a Prometheus text, or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

class StorageMetricsTest : public StackTest {
 protected:
  void SetUp() override { PickClient("198.18.9."); }
  // /metrics from loopback (a private address), without a forwarded client address.
  static std::string Metrics(const std::string& base = base_) {
    return Http("GET", base + "/metrics").body;
  }
};

TEST_F(StorageMetricsTest, UploadsAnalysesAndDownloadsAreCountedAndBytesMeasuredByPrefix) {
  const std::string issued = "storage_upload_urls_issued_total{prefix=\"uploads\"}";
  const std::string arrived = "storage_uploads_arrived_total";
  const std::string started = "analyses_started_total";
  const std::string gets = "storage_presigned_gets_issued_total{prefix=\"uploads\"}";
  std::string before = Metrics();
  ASSERT_GE(Sample(before, issued), 0) << "no " << issued << " on /metrics:\n"
                                       << before.substr(0, 2000);
  ASSERT_GE(Sample(before, arrived), 0);
  ASSERT_GE(Sample(before, started), 0);
  ASSERT_GE(Sample(before, gets), 0);

  Account a = Register("met");
  const std::string bytes(200000, 'm');
  const std::string video = Upload(a, bytes);
  std::string after_upload = Metrics();
  EXPECT_EQ(Sample(after_upload, issued), Sample(before, issued) + 1);
  EXPECT_EQ(Sample(after_upload, arrived), Sample(before, arrived))
      << "counted before anyone saw it";

  ASSERT_FALSE(Start(a, video).empty());
  ASSERT_FALSE(Start(a, video).empty());  // the second analysis of the same upload
  auto show = Call("GET", "/v1/videos/" + video, a.token);
  ASSERT_EQ(show.status, 200) << show.body;
  ASSERT_TRUE(Body(show)["playback_url"].is_string()) << show.body;
  std::string after = Metrics();
  EXPECT_EQ(Sample(after, arrived), Sample(before, arrived) + 1) << "an upload arrives once";
  EXPECT_EQ(Sample(after, started), Sample(before, started) + 2);
  EXPECT_EQ(Sample(after, gets), Sample(before, gets) + 1);

  // Bytes by prefix, measured in the background (every second here, 5 min by default).
  ApiInstance measuring(*env_, env_->Port("API_PORT") + 54, {"STORAGE_USAGE_INTERVAL_SECONDS=1"});
  ASSERT_TRUE(measuring.ready());
  std::string m;
  bool measured = WaitFor(30s, [&] {
    m = Metrics(measuring.url());
    return Sample(m, "storage_usage_measured_timestamp_seconds") > 0;
  });
  ASSERT_TRUE(measured) << "the bucket was never measured:\n" << m.substr(0, 2000);
  EXPECT_GE(Sample(m, "storage_bytes{prefix=\"uploads\"}"), static_cast<double>(bytes.size()));
  EXPECT_GE(Sample(m, "storage_objects{prefix=\"uploads\"}"), 1);
  EXPECT_GE(Sample(m, "storage_bytes{prefix=\"saved\"}"), 0) << "no saved/ series";
  EXPECT_GE(Sample(m, "storage_bytes{prefix=\"routes\"}"), 0) << "no routes/ series";
  // A new upload is in the next measure.
  const double uploads_before = Sample(m, "storage_bytes{prefix=\"uploads\"}");
  Upload(a, std::string(300000, 'n'));
  EXPECT_TRUE(WaitFor(30s, [&] {
    return Sample(Metrics(measuring.url()), "storage_bytes{prefix=\"uploads\"}") >=
           uploads_before + 300000;
  })) << "the next measure did not see the new upload";
}

// Issue 18 item 5, "uploads that arrived — seen by the sweeper": an upload nobody analysed (nor
// opened) was never counted. The sweeper sees its object, counts it as arrived and marks it
// uploaded (whoever sees it next does not count it again: SweeperTest); past the retention it is
// deleted like any unsaved upload.
TEST_F(StorageMetricsTest, AnUploadNeverAnalysedArrivesWhenTheSweeperSeesIt) {
  const std::string arrived = "storage_uploads_arrived_total";
  Account a = Register("swa");
  const std::string bytes(1234, 's');
  const std::string video = Upload(a, bytes);
  const std::string where = " FROM videos WHERE id = '" + video + "'";
  ASSERT_EQ(Sql("SELECT status" + where), "awaiting_upload");
  const std::string key = Sql("SELECT object_key" + where);
  ApiInstance sweeping(*env_, env_->Port("API_PORT") + 55, {"SWEEP_INTERVAL_SECONDS=1"});
  ASSERT_TRUE(sweeping.ready());
  EXPECT_TRUE(WaitFor(30s, [&] { return Sql("SELECT status" + where) == "uploaded"; }))
      << "the sweeper never saw the upload";
  EXPECT_EQ(Sql("SELECT size_bytes" + where), std::to_string(bytes.size()));
  EXPECT_GE(Sample(Metrics(sweeping.url()), arrived), 1) << "seen but not counted";
  // Past the retention (moved back here), the next pass deletes it and marks it expired.
  Sql("UPDATE videos SET created_at = now() - interval '8 days' WHERE id = '" + video + "'");
  EXPECT_TRUE(WaitFor(30s, [&] { return Sql("SELECT status" + where) == "expired"; }));
  auto head = Storage().HeadObject(key);
  EXPECT_EQ(head.status().kind(), ErrorKind::kNotFound) << key << " outlived the retention";
}

}  // namespace
}  // namespace ascension::testsuite
