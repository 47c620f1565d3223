// Our AVX-512 convolutions against XNNPACK's operators on the same data: the results must be
// bit-identical (same sums in the same order), over shapes that exercise every tail and border.
#include "vision/tflite/kernels.hpp"

#include <gtest/gtest.h>
#include <pthreadpool.h>
#include <xnnpack.h>

#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "vision/tflite/executor.hpp"
#include "vision/tflite/model.hpp"

namespace ascension::vision::tflite {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<float> Random(std::size_t n, std::mt19937* rng, float scale = 1.f) {
  std::uniform_real_distribution<float> d(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(*rng);
  return v;
}

// Number of elements that differ in their bits.
std::size_t BitDifferences(const std::vector<float>& a, const std::vector<float>& b,
                           std::size_t n) {
  std::size_t diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff += std::memcmp(&a[i], &b[i], sizeof(float)) != 0;
  return diff;
}

struct PointwiseCase {
  std::size_t pixels;
  int k, n;
  float lo, hi;
};

class PointwiseTest : public ::testing::TestWithParam<PointwiseCase> {};

TEST_P(PointwiseTest, BitIdenticalToXnnpack) {
  const auto c = GetParam();
  ASSERT_EQ(xnn_initialize(nullptr), xnn_status_success);
  std::mt19937 rng(c.k * 131 + c.n);
  const auto in = Random(c.pixels * c.k + 16, &rng);
  const auto w = Random(static_cast<std::size_t>(c.n) * c.k, &rng, 0.5f);
  const auto bias = Random(c.n, &rng);
  std::vector<float> expected(c.pixels * c.n, 0.f), got(c.pixels * c.n, 0.f);
  xnn_operator_t op = nullptr;
  ASSERT_EQ(xnn_create_convolution2d_nhwc_f32(0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, c.k, c.n, c.k, c.n,
                                              w.data(), bias.data(), c.lo, c.hi, 0, &op),
            xnn_status_success);
  std::unique_ptr<xnn_operator, decltype(&xnn_delete_operator)> owned(op, xnn_delete_operator);
  ASSERT_EQ(
      xnn_setup_convolution2d_nhwc_f32(op, 1, c.pixels, 1, in.data(), expected.data(), nullptr),
      xnn_status_success);
  ASSERT_EQ(xnn_run_operator(op, nullptr), xnn_status_success);

  auto conv = kernels::PointwiseConvolution::Create(w, bias, c.k, c.n, c.lo, c.hi);
  if (!kernels::Avx512Available()) {
    EXPECT_EQ(conv, nullptr) << "without AVX-512 the executor must fall back to XNNPACK";
    return;
  }
  ASSERT_NE(conv, nullptr);
  conv->Run(in.data(), c.pixels, got.data(), nullptr);
  EXPECT_EQ(BitDifferences(expected, got, expected.size()), 0u);

  // Two threads split the rows; the sums do not change.
  std::unique_ptr<pthreadpool, decltype(&pthreadpool_destroy)> pool(pthreadpool_create(2),
                                                                    pthreadpool_destroy);
  std::vector<float> threaded(c.pixels * c.n, 0.f);
  conv->Run(in.data(), c.pixels, threaded.data(), pool.get());
  EXPECT_EQ(BitDifferences(expected, threaded, expected.size()), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PointwiseTest,
    ::testing::Values(PointwiseCase{64, 272, 1632, -kInf, kInf},  // two chunks of channels
                      PointwiseCase{1100, 600, 40, 0, 6},         // row chunks, three K chunks
                      PointwiseCase{256, 24, 96, 0, 6},           // one chunk
                      PointwiseCase{77, 13, 39, 0, 6},            // row, panel and channel tails
                      PointwiseCase{5, 48, 8, -kInf, kInf},       // half a vector of outputs
                      PointwiseCase{1, 3, 1, 0, kInf},            // a single pixel and channel
                      PointwiseCase{200, 40, 17, -1, 1}));

struct DepthwiseCase {
  int channels, kernel, stride, height, width, pad_top, pad_left, pad_bottom, pad_right;
};

class DepthwiseTest : public ::testing::TestWithParam<DepthwiseCase> {};

TEST_P(DepthwiseTest, BitIdenticalToXnnpack) {
  const auto c = GetParam();
  ASSERT_EQ(xnn_initialize(nullptr), xnn_status_success);
  const int out_h = (c.height + c.pad_top + c.pad_bottom - c.kernel) / c.stride + 1;
  const int out_w = (c.width + c.pad_left + c.pad_right - c.kernel) / c.stride + 1;
  const std::size_t in_n = static_cast<std::size_t>(c.height) * c.width * c.channels;
  const std::size_t out_n = static_cast<std::size_t>(out_h) * out_w * c.channels;
  std::mt19937 rng(c.channels * 7 + c.kernel);
  const auto in = Random(in_n + 16, &rng);
  const auto w = Random(static_cast<std::size_t>(c.kernel) * c.kernel * c.channels, &rng, 0.5f);
  const auto bias = Random(c.channels, &rng);
  std::vector<float> expected(out_n, 0.f), got(out_n, 0.f);
  xnn_operator_t op = nullptr;
  ASSERT_EQ(xnn_create_convolution2d_nhwc_f32(
                c.pad_top, c.pad_right, c.pad_bottom, c.pad_left, c.kernel, c.kernel, c.stride,
                c.stride, 1, 1, c.channels, 1, 1, c.channels, c.channels, w.data(), bias.data(), 0,
                6, XNN_FLAG_DEPTHWISE_CONVOLUTION, &op),
            xnn_status_success);
  std::unique_ptr<xnn_operator, decltype(&xnn_delete_operator)> owned(op, xnn_delete_operator);
  ASSERT_EQ(xnn_setup_convolution2d_nhwc_f32(op, 1, c.height, c.width, in.data(), expected.data(),
                                             nullptr),
            xnn_status_success);
  ASSERT_EQ(xnn_run_operator(op, nullptr), xnn_status_success);

  kernels::DepthwiseConvolution::Shape s;
  s.in_channels = s.out_channels = c.channels;
  s.kernel_h = s.kernel_w = c.kernel;
  s.stride = c.stride;
  s.in_height = c.height;
  s.in_width = c.width;
  s.out_height = out_h;
  s.out_width = out_w;
  s.pad_top = c.pad_top;
  s.pad_left = c.pad_left;
  auto conv = kernels::DepthwiseConvolution::Create(s, w, bias, 0, 6);
  if (!kernels::Avx512Available()) {
    EXPECT_EQ(conv, nullptr);
    return;
  }
  ASSERT_NE(conv, nullptr);
  conv->Run(in.data(), got.data(), nullptr);
  EXPECT_EQ(BitDifferences(expected, got, out_n), 0u);
  std::unique_ptr<pthreadpool, decltype(&pthreadpool_destroy)> pool(pthreadpool_create(2),
                                                                    pthreadpool_destroy);
  std::vector<float> threaded(out_n, 0.f);
  conv->Run(in.data(), threaded.data(), pool.get());
  EXPECT_EQ(BitDifferences(expected, threaded, out_n), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, DepthwiseTest,
    ::testing::Values(DepthwiseCase{960, 5, 1, 16, 16, 2, 2, 2, 2},   // SAME 5x5
                      DepthwiseCase{24, 3, 1, 19, 13, 1, 1, 1, 1},    // channel tail, odd sizes
                      DepthwiseCase{96, 3, 2, 20, 20, 1, 1, 1, 1},    // folded PAD, then VALID
                      DepthwiseCase{40, 5, 2, 17, 23, 2, 2, 2, 2},    // 5x5 stride 2, odd sizes
                      DepthwiseCase{8, 3, 2, 8, 8, 0, 0, 1, 1},       // SAME stride 2 (TF style)
                      DepthwiseCase{33, 5, 1, 3, 2, 2, 2, 2, 2},      // smaller than the kernel
                      DepthwiseCase{16, 3, 1, 12, 12, 0, 0, 0, 0}));  // VALID, no padding

TEST(DepthwiseTest, RejectsWhatItDoesNotCompute) {
  kernels::DepthwiseConvolution::Shape s{16, 16, 7, 7, 1, 8, 8, 8, 8, 3, 3};
  const std::vector<float> w(49 * 16), b(16);
  EXPECT_EQ(kernels::DepthwiseConvolution::Create(s, w, b, 0, 6), nullptr);  // 7x7
  s.kernel_h = s.kernel_w = 3;
  EXPECT_EQ(kernels::DepthwiseConvolution::Create(s, w, b, 0, 6), nullptr);  // weights size
  s.out_channels = 32;
  const std::vector<float> w3(9 * 16);
  EXPECT_EQ(kernels::DepthwiseConvolution::Create(s, w3, b, 0, 6), nullptr);  // multiplier 2
}

struct SmallCase {
  int cin, cout, kernel, stride, height, width, pad_top, pad_left, pad_bottom, pad_right;
};

class SmallConvolutionTest : public ::testing::TestWithParam<SmallCase> {};

TEST_P(SmallConvolutionTest, BitIdenticalToXnnpack) {
  const auto c = GetParam();
  ASSERT_EQ(xnn_initialize(nullptr), xnn_status_success);
  const int out_h = (c.height + c.pad_top + c.pad_bottom - c.kernel) / c.stride + 1;
  const int out_w = (c.width + c.pad_left + c.pad_right - c.kernel) / c.stride + 1;
  const std::size_t out_n = static_cast<std::size_t>(out_h) * out_w * c.cout;
  std::mt19937 rng(c.cin * 11 + c.cout);
  const auto in = Random(static_cast<std::size_t>(c.height) * c.width * c.cin + 16, &rng);
  const auto w = Random(static_cast<std::size_t>(c.cout) * c.kernel * c.kernel * c.cin, &rng, 0.5f);
  const auto bias = Random(c.cout, &rng);
  std::vector<float> expected(out_n, 0.f), got(out_n, 0.f);
  xnn_operator_t op = nullptr;
  ASSERT_EQ(
      xnn_create_convolution2d_nhwc_f32(c.pad_top, c.pad_right, c.pad_bottom, c.pad_left, c.kernel,
                                        c.kernel, c.stride, c.stride, 1, 1, 1, c.cin, c.cout, c.cin,
                                        c.cout, w.data(), bias.data(), 0, 6, 0, &op),
      xnn_status_success);
  std::unique_ptr<xnn_operator, decltype(&xnn_delete_operator)> owned(op, xnn_delete_operator);
  ASSERT_EQ(xnn_setup_convolution2d_nhwc_f32(op, 1, c.height, c.width, in.data(), expected.data(),
                                             nullptr),
            xnn_status_success);
  ASSERT_EQ(xnn_run_operator(op, nullptr), xnn_status_success);
  kernels::SmallConvolution::Shape s{c.cin,   c.cout, c.kernel, c.kernel,  c.stride,  c.height,
                                     c.width, out_h,  out_w,    c.pad_top, c.pad_left};
  auto conv = kernels::SmallConvolution::Create(s, w, bias, 0, 6);
  if (!kernels::Avx512Available()) {
    EXPECT_EQ(conv, nullptr);
    return;
  }
  ASSERT_NE(conv, nullptr);
  conv->Run(in.data(), got.data(), nullptr);
  EXPECT_EQ(BitDifferences(expected, got, out_n), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, SmallConvolutionTest,
    ::testing::Values(SmallCase{3, 24, 3, 2, 34, 34, 1, 1, 1, 1},  // folded PAD, VALID, stride 2
                      SmallCase{3, 16, 3, 2, 33, 21, 0, 0, 1, 1},  // SAME, odd sizes
                      SmallCase{3, 40, 5, 1, 19, 17, 2, 2, 2, 2},  // panel tail, 5x5
                      SmallCase{1, 8, 3, 1, 9, 9, 1, 1, 1, 1}));   // one channel in, 8 out

// The whole executor, with our kernels and with XNNPACK alone, on a real model: same bits.
TEST(ExecutorKernelsTest, RealModelsBitIdenticalWithAndWithoutOwnKernels) {
  for (const std::string file : {"pose_landmark_lite.tflite", "pose_detection.tflite"}) {
    auto model = Model::Load(std::string(ASCENSION_TEST_MODELS_DIR) + "/" + file);
    if (!model.ok()) GTEST_FAIL() << "models not fetched (scripts/fetch-models.sh)";
    const std::vector<std::string> outputs =
        file == "pose_detection.tflite"
            ? std::vector<std::string>{"Identity", "Identity_1"}
            : std::vector<std::string>{"Identity", "Identity_1", "Identity_3"};
    ExecutorOptions own, xnn;
    xnn.own_kernels = false;
    auto a = Executor::Create(*model, outputs, own);
    auto b = Executor::Create(*model, outputs, xnn);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    std::mt19937 rng(5);
    const auto frame = Random((*a)->input().size(), &rng);
    std::copy(frame.begin(), frame.end(), (*a)->input().begin());
    std::copy(frame.begin(), frame.end(), (*b)->input().begin());
    ASSERT_TRUE((*a)->Invoke().ok());
    ASSERT_TRUE((*b)->Invoke().ok());
    bool own_used = false;
    for (const auto& step : (*a)->steps()) own_used = own_used || step.own_kernel;
    EXPECT_EQ(own_used, kernels::Avx512Available()) << file;
    for (const auto& step : (*b)->steps()) EXPECT_FALSE(step.own_kernel);
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      const auto x = (*a)->output(o), y = (*b)->output(o);
      ASSERT_EQ(x.size(), y.size());
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(float)), 0)
          << file << " output " << outputs[o];
    }
  }
}

}  // namespace
}  // namespace ascension::vision::tflite
