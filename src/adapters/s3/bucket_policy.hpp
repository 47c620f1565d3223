// Who may do what in the bucket. Presigned URLs are signed with their own credential (the
// "presign" principal), because a presigned request may carry headers it did not sign: S3 (and
// Ceph RGW) would otherwise honour an added "x-amz-copy-source" (copy anyone's object to my key)
// or "x-amz-acl: public-read". The policy lets that principal only
//   - PutObject under uploads/ and routes/ (the keys clients upload to),
//   - GetObject under uploads/, saved/, routes/ and thumbnails/ (playback),
// and explicitly denies any PutObject that carries a copy source, an ACL, a grant or a
// server-side-encryption choice (one statement per condition key, since the keys of one
// condition must all match). The owner principal (the processes' own credential) keeps every
// right: on Ceph RGW an object uploaded by another user belongs to that user, and only this
// grant lets the owner read and delete it.
//
// Checked against Ceph RGW 16 by testsuite/security (docs/security.md, docs/operations.md for
// MinIO and AWS S3, where the same statements go into the credential's identity policy).
#pragma once

#include <string>
#include <string_view>

namespace ascension::s3 {

struct PolicyPrincipals {
  std::string owner;    // e.g. "arn:aws:iam:::user/ascension" (RGW user "ascension")
  std::string presign;  // e.g. "arn:aws:iam:::user/ascension-presign"
};

// The bucket policy document (JSON) for `bucket`.
std::string BucketAccessPolicy(std::string_view bucket, const PolicyPrincipals& principals);

// The same rights for the presign credential as an identity policy (no Principal): for stores
// that attach policies to users (MinIO's `mc admin policy create`, AWS IAM).
std::string PresignIdentityPolicy(std::string_view bucket);

}  // namespace ascension::s3
