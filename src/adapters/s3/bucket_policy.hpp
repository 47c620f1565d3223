// Who may do what in the bucket. Beside the owner (the bucket's creator, used by
// `ascension-admin storage-init` and the admin tasks, which keeps every right), three credentials
// get only the rights their process uses (docs/operations.md#storage-credentials):
//
//   - presign (the API signs presigned URLs with it; nothing is sent with it): PutObject under
//     uploads/ and routes/ (the keys clients upload to), GetObject under uploads/, saved/, routes/
//     and thumbnails/ (playback), and an explicit Deny of any PutObject that carries a copy
//     source, an ACL, a grant, a server-side-encryption choice or a storage class (one statement
//     per condition key, since the keys of one condition must all match). A presigned request may
//     carry headers it did not sign: S3 (and Ceph RGW) would otherwise honour an added
//     "x-amz-copy-source" (copy anyone's object to my key) or "x-amz-acl: public-read".
//   - api (the API's own requests): GetObject (HeadObject, the source of a saved copy) under
//     uploads/, saved/ and routes/; PutObject under saved/ (the copy's destination); DeleteObject
//     under uploads/, saved/, routes/ and thumbnails/; listings only with an s3:prefix under
//     uploads/, saved/ or routes/ (erasure, the sweeper, storage usage).
//   - worker: GetObject under uploads/, saved/ and routes/ (videos, route photos); PutObject under
//     routes/ (the wall image built from a video); no listing.
// The api and worker credentials also get s3:ListBucket for requests that are not listings
// (condition: no s3:max-keys): the store needs it to answer a missing object with 404 rather
// than 403, and it allows HeadBucket (/ready).
//
// None of them may touch the bucket's configuration (policy, lifecycle, CORS, ACL) or delete it:
// on Ceph RGW those need the bucket owner or a policy grant, and on MinIO and AWS an identity
// policy grant, and no statement here grants them. The owner's "s3:*" grant is needed on RGW: an
// object uploaded by another user belongs to that user, and only this grant lets the owner read
// and delete it (the other principals reach each other's objects through their own statements).
//
// Checked against Ceph RGW 16 by testsuite/security (docs/security.md). On MinIO and AWS S3 the
// same statements go into each credential's identity policy (IdentityPolicy).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ascension::s3 {

// The confined credentials, each with its own statements.
enum class Credential { kPresign, kApi, kWorker };

// "presign", "api", "worker"; nullopt for any other name.
std::optional<Credential> ParseCredential(std::string_view name);

struct PolicyPrincipals {
  std::string owner;    // e.g. "arn:aws:iam:::user/ascension" (RGW user "ascension")
  std::string presign;  // e.g. "arn:aws:iam:::user/ascension-presign"; empty: no statements
  std::string api;      // e.g. "arn:aws:iam:::user/ascension-api"; empty: no statements
  std::string worker;   // e.g. "arn:aws:iam:::user/ascension-worker"; empty: no statements
};

// The bucket policy document (JSON) for `bucket`: the owner's grant, then the statements of each
// credential whose principal is set.
std::string BucketAccessPolicy(std::string_view bucket, const PolicyPrincipals& principals);

// The rights of one credential as an identity policy (the same statements, no Principal): for
// stores that attach policies to users (MinIO's `mc admin policy create`, AWS IAM).
std::string IdentityPolicy(Credential credential, std::string_view bucket);

}  // namespace ascension::s3
