// SigV4 against the worked examples of the S3 API reference ("Signature Calculations for the
// Authorization Header" and "Authenticating Requests: Using Query Parameters"), which use the
// documentation's example credentials and 2013-05-24T00:00:00Z.
#include "adapters/s3/sigv4.hpp"

#include <gtest/gtest.h>

namespace ascension::s3 {
namespace {

const Credentials kExampleCredentials{
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};

Clock::time_point May24_2013() {
  return Clock::from_time_t(1369353600);
}  // 20130524T000000Z

TEST(SigV4, AmzDateIsUtcBasicFormat) {
  EXPECT_EQ(AmzDate(May24_2013()), "20130524T000000Z");
  EXPECT_EQ(AmzDate(Clock::from_time_t(1374437527)), "20130721T201207Z");
}

TEST(SigV4, Sha256OfEmptyPayload) {
  EXPECT_EQ(Sha256Hex(""), kEmptyPayloadSha256);
}

TEST(SigV4, UriEncodeKeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(UriEncode("a-z_A.Z~09", false), "a-z_A.Z~09");
  EXPECT_EQ(UriEncode("a b/c", false), "a%20b%2Fc");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(UriEncode("test$file.text", true), "test%24file.text");
  EXPECT_EQ(UriEncode("x+y=z&é", false), "x%2By%3Dz%26%C3%A9");
}

TEST(SigV4, CanonicalQueryIsSortedAndEncoded) {
  EXPECT_EQ(CanonicalQuery({{"prefix", "J"}, {"max-keys", "2"}}), "max-keys=2&prefix=J");
  EXPECT_EQ(CanonicalQuery({{"lifecycle", ""}}), "lifecycle=");
  // The wire form: the same order and encoding, an empty value sent bare.
  EXPECT_EQ(EncodedQuery({{"prefix", "a b"}, {"delete", ""}}, EmptyValue::kBare), "delete&prefix=a%20b");
  EXPECT_EQ(EncodedQuery({{"prefix", "a b"}, {"delete", ""}}, EmptyValue::kEquals),
            "delete=&prefix=a%20b");
  EXPECT_EQ(CanonicalQuery({{"b", "x y"}, {"a", "1/2"}}), "a=1%2F2&b=x%20y");
  EXPECT_EQ(CanonicalQuery({}), "");
}

// "Example: GET Object" — a Range request with an empty payload.
TEST(SigV4, GetObjectWithRangeMatchesAwsExample) {
  SignableRequest req{"GET", "examplebucket.s3.amazonaws.com", "/test.txt",
                      {},    {{"Range", "bytes=0-9"}},         std::string(kEmptyPayloadSha256)};
  std::string auth = SignRequest(kExampleCredentials, req, May24_2013());
  EXPECT_EQ(
      CanonicalRequest(req),
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// "Example: PUT Object" — a signed payload, a key needing encoding, and extra signed headers.
TEST(SigV4, PutObjectMatchesAwsExample) {
  std::string body = "Welcome to Amazon S3.";
  SignableRequest req{
      "PUT",
      "examplebucket.s3.amazonaws.com",
      "/test$file.text",
      {},
      {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
      Sha256Hex(body)};
  EXPECT_EQ(req.payload_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  std::string auth = SignRequest(kExampleCredentials, req, May24_2013());
  EXPECT_EQ(auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

// "Example: GET Bucket Lifecycle" — a bare sub-resource in the query.
TEST(SigV4, GetBucketLifecycleMatchesAwsExample) {
  SignableRequest req{"GET", "examplebucket.s3.amazonaws.com", "/", {{"lifecycle", ""}},
                      {},    std::string(kEmptyPayloadSha256)};
  std::string auth = SignRequest(kExampleCredentials, req, May24_2013());
  EXPECT_EQ(auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

// "Example: Get Bucket (List Objects)" — query parameters are sorted.
TEST(SigV4, ListObjectsMatchesAwsExample) {
  SignableRequest req{"GET", "examplebucket.s3.amazonaws.com",
                      "/",   {{"prefix", "J"}, {"max-keys", "2"}},
                      {},    std::string(kEmptyPayloadSha256)};
  std::string auth = SignRequest(kExampleCredentials, req, May24_2013());
  EXPECT_EQ(auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

// The presigned GET example for examplebucket/test.txt (24 hours).
TEST(SigV4, PresignedGetMatchesAwsExample) {
  PresignInput in{"GET",       "https", "examplebucket.s3.amazonaws.com",
                  "/test.txt", {},      std::chrono::seconds(86400)};
  Result<std::string> url = PresignUrl(kExampleCredentials, in, May24_2013());
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(*url,
            "https://examplebucket.s3.amazonaws.com/test.txt"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4, PresignedPutSignsContentType) {
  PresignInput in{"PUT",
                  "http",
                  "127.0.0.1:7480",
                  "/bucket/uploads/u1/v1.mp4",
                  {{"Content-Type", "video/mp4"}},
                  std::chrono::seconds(900)};
  Result<std::string> url = PresignUrl(kExampleCredentials, in, May24_2013());
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->starts_with("http://127.0.0.1:7480/bucket/uploads/u1/v1.mp4?"));
  EXPECT_NE(url->find("X-Amz-SignedHeaders=content-type%3Bhost"), std::string::npos);
  EXPECT_NE(url->find("X-Amz-Expires=900"), std::string::npos);

  // A different content type yields a different signature.
  in.signed_headers[0].value = "video/webm";
  Result<std::string> other = PresignUrl(kExampleCredentials, in, May24_2013());
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*url, *other);
}

TEST(SigV4, PresignRejectsExpiryOutsideOneSecondToSevenDays) {
  PresignInput in{"GET", "https", "h", "/b/k", {}, std::chrono::seconds(0)};
  EXPECT_EQ(PresignUrl(kExampleCredentials, in, May24_2013()).status().kind(),
            ErrorKind::kInvalidArgument);
  in.expires = kMaxPresignExpiry + std::chrono::seconds(1);
  EXPECT_EQ(PresignUrl(kExampleCredentials, in, May24_2013()).status().kind(),
            ErrorKind::kInvalidArgument);
  in.expires = kMaxPresignExpiry;
  EXPECT_TRUE(PresignUrl(kExampleCredentials, in, May24_2013()).ok());
}

TEST(SigV4, HeaderValuesAreTrimmedAndNamesLowerCased) {
  SignableRequest req{"GET", "h", "/", {}, {{"X-Custom", "  a   b  "}}, "UNSIGNED-PAYLOAD"};
  (void)SignRequest(kExampleCredentials, req, May24_2013());
  EXPECT_NE(CanonicalRequest(req).find("\nx-custom:a b\n"), std::string::npos);
}

}  // namespace
}  // namespace ascension::s3
