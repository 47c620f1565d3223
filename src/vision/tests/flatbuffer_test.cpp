#include "vision/tflite/flatbuffer.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>

#include "vision/tflite/executor.hpp"
#include "vision/tflite/model.hpp"

namespace ascension::vision {
namespace {

template <typename T>
void Put(std::vector<std::uint8_t>& b, std::size_t pos, T v) {
  if (b.size() < pos + sizeof(T)) b.resize(pos + sizeof(T));
  std::memcpy(b.data() + pos, &v, sizeof(T));
}

// A table {0: int32 = 42, 1: [int32] = [7, 8, 9], 2: absent} laid out by hand.
std::vector<std::uint8_t> HandBuiltBuffer() {
  std::vector<std::uint8_t> b;
  Put<std::uint32_t>(b, 0, 16);  // root table at 16
  Put<std::uint16_t>(b, 4, 8);   // vtable: size 8 bytes (2 fields)
  Put<std::uint16_t>(b, 6, 12);  // table size
  Put<std::uint16_t>(b, 8, 4);   // field 0 at table+4
  Put<std::uint16_t>(b, 10, 8);  // field 1 at table+8
  Put<std::int32_t>(b, 16, 12);  // table -> vtable at 16-12 = 4
  Put<std::int32_t>(b, 20, 42);
  Put<std::uint32_t>(b, 24, 4);  // vector at 24+4 = 28
  Put<std::uint32_t>(b, 28, 3);
  Put<std::int32_t>(b, 32, 7);
  Put<std::int32_t>(b, 36, 8);
  Put<std::int32_t>(b, 40, 9);
  return b;
}

TEST(FlatBufferTest, ReadsHandBuiltTable) {
  auto bytes = HandBuiltBuffer();
  fb::FlatBuffer buf(bytes);
  fb::Table root = buf.Root();
  EXPECT_EQ(root.Scalar<std::int32_t>(0, -1), 42);
  EXPECT_EQ(root.Scalar<std::int32_t>(2, -1), -1);  // absent: default
  EXPECT_EQ(root.Scalar<std::int32_t>(7, -5), -5);  // beyond the vtable: default
  fb::Vector v = root.VectorField(1, 4);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.Scalar<std::int32_t>(0), 7);
  EXPECT_EQ(v.Scalar<std::int32_t>(2), 9);
  EXPECT_TRUE(buf.ok()) << buf.error();
  EXPECT_EQ(v.Scalar<std::int32_t>(3), 0);  // out of range: error, not a read
  EXPECT_FALSE(buf.ok());
}

TEST(FlatBufferTest, TruncatedBufferFailsCleanly) {
  const auto full = HandBuiltBuffer();
  for (std::size_t len = 0; len < full.size(); ++len) {
    std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<long>(len));
    fb::FlatBuffer buf(cut);
    fb::Table root = buf.Root();
    root.Scalar<std::int32_t>(0, 0);
    fb::Vector v = root.VectorField(1, 4);
    for (std::uint32_t i = 0; i < v.size(); ++i) v.Scalar<std::int32_t>(i);
    EXPECT_FALSE(buf.ok()) << "length " << len;
  }
}

TEST(FlatBufferTest, CorruptOffsetsFailCleanly) {
  auto bytes = HandBuiltBuffer();
  Put<std::int32_t>(bytes, 16, -100000);  // vtable far outside
  fb::FlatBuffer a(bytes);
  a.Root().Scalar<std::int32_t>(0, 0);
  EXPECT_FALSE(a.ok());

  bytes = HandBuiltBuffer();
  Put<std::uint32_t>(bytes, 28, 0x7fffffff);  // vector longer than the buffer
  fb::FlatBuffer b(bytes);
  EXPECT_EQ(b.Root().VectorField(1, 4).size(), 0u);
  EXPECT_FALSE(b.ok());

  bytes = HandBuiltBuffer();
  Put<std::uint16_t>(bytes, 8, 400);  // field offset beyond the table
  fb::FlatBuffer c(bytes);
  c.Root().Scalar<std::int32_t>(0, 0);
  EXPECT_FALSE(c.ok());
}

TEST(ModelTest, RejectsGarbage) {
  EXPECT_EQ(tflite::Model::FromBytes({}).status().kind(), ErrorKind::kDataLoss);
  std::vector<std::uint8_t> text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
  EXPECT_EQ(tflite::Model::FromBytes(text).status().kind(), ErrorKind::kDataLoss);
  // The identifier alone is not enough.
  std::vector<std::uint8_t> fake = {0xff, 0xff, 0xff, 0x7f, 'T', 'F', 'L', '3', 0, 0, 0, 0};
  EXPECT_EQ(tflite::Model::FromBytes(fake).status().kind(), ErrorKind::kDataLoss);
  EXPECT_EQ(tflite::Model::Load("/nonexistent/model.tflite").status().kind(), ErrorKind::kNotFound);
}

TEST(ModelTest, CorruptedRealModelNeverCrashes) {
  const std::string path = std::string(ASCENSION_TEST_MODELS_DIR) + "/pose_detection.tflite";
  std::ifstream in(path, std::ios::binary);
  if (!in) GTEST_FAIL() << "models not fetched (scripts/fetch-models.sh)";
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_TRUE(tflite::Model::FromBytes(bytes).ok());
  // Truncations: most fail to parse; any that parse must still build or fail cleanly.
  for (std::size_t len : {std::size_t{16}, std::size_t{1000}, bytes.size() / 2, bytes.size() - 8}) {
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(len));
    auto m = tflite::Model::FromBytes(cut);
    if (m.ok()) (void)tflite::Executor::Create(*m, {"Identity"}, 1);
  }
  // Random byte corruption in the metadata region (the start of the file and the tables).
  std::mt19937 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    auto bad = bytes;
    for (int k = 0; k < 8; ++k) {
      bad[rng() % 4096] = static_cast<std::uint8_t>(rng());
      bad[bad.size() - 1 - rng() % 65536] = static_cast<std::uint8_t>(rng());
    }
    auto m = tflite::Model::FromBytes(bad);
    if (m.ok()) (void)tflite::Executor::Create(*m, {"Identity", "Identity_1"}, 1);
  }
}

// The executor built from a model of fuzz/tflite_model's corpus (a kept crash input), over all
// the model's outputs; nullopt when the file cannot be read or is not a model.
std::optional<Result<std::unique_ptr<tflite::Executor>>> ExecutorFromCorpus(
    const std::string& name) {
  std::ifstream in(std::string(ASCENSION_FUZZ_CORPUS_DIR) + "/tflite_model/" + name,
                   std::ios::binary);
  if (!in) return std::nullopt;
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto m = tflite::Model::FromBytes(bytes);
  if (!m.ok()) return std::nullopt;
  std::vector<std::string> outputs;
  for (int t : m->outputs()) outputs.push_back(m->tensors()[static_cast<std::size_t>(t)].name);
  return tflite::Executor::Create(*m, outputs, 1);
}

// Found by fuzz/tflite_model (the input is kept in its corpus): a DEPTH_TO_SPACE whose block size
// is 917504 made the shape check square it in int (signed overflow). It is refused as a bad shape.
TEST(ModelTest, HugeDepthToSpaceBlockIsRefused) {
  const auto exec = ExecutorFromCorpus("crash-depth-to-space-block-overflows-int");
  ASSERT_TRUE(exec.has_value())
      << "crash-depth-to-space-block-overflows-int is not a readable model";
  ASSERT_FALSE(exec->ok());
  EXPECT_NE(exec->status().message().find("depth-to-space"), std::string::npos)
      << exec->status().message();
}

// Found by fuzz/tflite_model (kept in its corpus): a PAD whose input has rank 0 read its zero
// int32 paddings with memcpy from a null pointer (undefined). The model builds or is refused, with
// no undefined behaviour (UBSan aborts the sanitize build's run).
TEST(ModelTest, PadOfAScalarReadsNoConstants) {
  const auto exec = ExecutorFromCorpus("crash-int-constants-of-a-scalar-pad");
  ASSERT_TRUE(exec.has_value()) << "crash-int-constants-of-a-scalar-pad is not a readable model";
  if (!exec->ok()) {
    EXPECT_FALSE(exec->status().message().empty());
  }
}

// Found by fuzz/tflite_model (kept in its corpus): a CONV_2D over an input of 0 channels divided
// by a group count of 0. It is refused.
TEST(ModelTest, ConvolutionOfZeroChannelsIsRefused) {
  const auto exec = ExecutorFromCorpus("crash-conv-of-zero-channels");
  ASSERT_TRUE(exec.has_value()) << "crash-conv-of-zero-channels is not a readable model";
  ASSERT_FALSE(exec->ok());
  EXPECT_FALSE(exec->status().message().empty());
}

// A MAX_POOL_2D whose window and output come from the file made XNNPACK allocate more than
// 2 GB for its indirection buffer (found by fuzz/tflite_model): refused before it is created.
TEST(ModelTest, PoolingWindowTooLargeIsRefused) {
  const auto exec = ExecutorFromCorpus("crash-max-pool-window-too-large");
  ASSERT_TRUE(exec.has_value()) << "crash-max-pool-window-too-large is not a readable model";
  ASSERT_FALSE(exec->ok());
  EXPECT_NE(exec->status().message().find("window too large"), std::string::npos)
      << exec->status().message();
}

// Found by fuzz/tflite_model (UBSan, signed overflow in the SAME padding of a convolution), the
// input rebuilt by fuzz/tools/make_seeds.py: a 3x3 SAME CONV_2D with a dilation of 2^30. Refused.
TEST(ModelTest, SamePaddingOfAHugeDilationIsRefused) {
  const auto exec = ExecutorFromCorpus("crash-conv-same-padding-of-a-huge-dilation");
  ASSERT_TRUE(exec.has_value())
      << "crash-conv-same-padding-of-a-huge-dilation is not a readable model";
  ASSERT_FALSE(exec->ok());
  EXPECT_NE(exec->status().message().find("padding too large"), std::string::npos)
      << exec->status().message();
}

TEST(DensifyTest, ExpandsCsrRows) {
  // 2x3 matrix [[1,0,2],[0,3,0]] stored as dense rows, sparse columns.
  tflite::Sparsity sp;
  sp.traversal_order = {0, 1};
  tflite::SparseDim rows;
  rows.dense = true;
  rows.dense_size = 2;
  tflite::SparseDim cols;
  cols.dense = false;
  cols.segments = {0, 2, 3};
  cols.indices = {0, 2, 1};
  sp.dims = {rows, cols};
  const std::vector<std::uint16_t> values = {1, 2, 3};
  auto dense = tflite::DensifyHalf({2, 3}, sp, values);
  ASSERT_TRUE(dense.ok()) << dense.status().ToString();
  EXPECT_EQ(*dense, (std::vector<std::uint16_t>{1, 0, 2, 0, 3, 0}));

  sp.dims[1].indices = {0, 5, 1};  // column out of range
  EXPECT_FALSE(tflite::DensifyHalf({2, 3}, sp, values).ok());
  sp.dims[1].indices = {0, 2, 1};
  sp.dims[1].segments = {0, 2, 9};  // segment past the indices
  EXPECT_FALSE(tflite::DensifyHalf({2, 3}, sp, values).ok());
}

TEST(HalfTest, ConvertsKnownValues) {
  EXPECT_EQ(tflite::HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(tflite::HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(tflite::HalfToFloat(0x0000), 0.0f);
  EXPECT_FLOAT_EQ(tflite::HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_FLOAT_EQ(tflite::HalfToFloat(0x0001), 5.9604645e-8f);  // smallest subnormal
  EXPECT_TRUE(std::isinf(tflite::HalfToFloat(0x7c00)));
}

}  // namespace
}  // namespace ascension::vision

namespace ascension::vision {
namespace {

TEST(ExecutorTest, RealModelShapesAndThreadsAgree) {
  const std::string path = std::string(ASCENSION_TEST_MODELS_DIR) + "/pose_landmark_lite.tflite";
  auto model = tflite::Model::Load(path);
  if (!model.ok()) GTEST_FAIL() << "models not fetched (scripts/fetch-models.sh)";
  const std::vector<std::string> outputs = {"Identity", "Identity_1", "Identity_3"};
  auto one = tflite::Executor::Create(*model, outputs, 1);
  auto two = tflite::Executor::Create(*model, outputs, 2);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ((*one)->input_shape(), (std::vector<int>{1, 256, 256, 3}));
  EXPECT_EQ((*one)->output(0).size(), 195u);
  EXPECT_EQ((*one)->output_shape(2), (std::vector<int>{1, 64, 64, 39}));
  std::mt19937 rng(3);
  for (std::size_t i = 0; i < (*one)->input().size(); ++i) {
    (*one)->input()[i] = (*two)->input()[i] = static_cast<float>(rng() % 256) / 255.f;
  }
  ASSERT_TRUE((*one)->Invoke().ok());
  ASSERT_TRUE((*two)->Invoke().ok());
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const auto a = (*one)->output(k), b = (*two)->output(k);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      ASSERT_NEAR(a[i], b[i], 1e-3f * (1 + std::abs(a[i]))) << "output " << k << " at " << i;
      ASSERT_TRUE(std::isfinite(a[i]));
    }
  }
  const float presence = (*one)->output(1)[0];
  EXPECT_GE(presence, 0.f);  // a probability (the model ends in a logistic)
  EXPECT_LE(presence, 1.f);
  EXPECT_FALSE(tflite::Executor::Create(*model, {"NoSuchOutput"}, 1).ok());
}

}  // namespace
}  // namespace ascension::vision
