// The two convolutions that take ~95 % of a BlazePose invocation, written for x86-64 with AVX-512F
// because the XNNPACK in Debian 12 (a February 2022 snapshot) leaves much of the core unused on
// them: its 7x16 GEMM tile keeps fewer accumulators than the FMA units need, and its depthwise
// kernel loads each weight again for every output pixel (docs/benchmarks.md measures both).
// Each computes exactly the sums XNNPACK computes, in the same order (bias first, then the input
// channels in order for the 1x1 convolution; the taps column by column for the depthwise one),
// with the same clamp, so the results are bit-identical to XNNPACK's and the executor can use
// either. On a CPU without AVX-512F, Create returns nullptr and XNNPACK runs the operator.
#pragma once

#include <pthreadpool.h>

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace ascension::vision::tflite::kernels {

// True when the CPU and the OS support AVX-512F (checked once).
bool Avx512Available();

// out[p][n] = clamp(bias[n] + sum_k in[p][k] * weights[n][k], lo, hi) for every pixel p of an
// NHWC tensor with K channels, writing N channels: a 1x1 convolution, stride 1, no padding.
class PointwiseConvolution {
 public:
  // weights: N x K (TFLite's OHWI layout with H = W = 1); bias: N values or empty.
  static std::unique_ptr<PointwiseConvolution> Create(std::span<const float> weights,
                                                      std::span<const float> bias, int k, int n,
                                                      float lo, float hi);
  // `in` holds pixels x K floats, `out` pixels x N floats; they must not overlap. With a
  // `residual` (pixels x N floats), out = clamp(sum + residual, lo, hi): the
  // sum is what XNNPACK's convolution stores unclamped and the addition what its ADD computes, so
  // a 1x1 convolution without activation followed by an ADD becomes one pass with the same bits.
  void Run(const float* in, std::size_t pixels, float* out, pthreadpool_t pool,
           const float* residual = nullptr) const;

  int input_channels() const { return k_; }
  int output_channels() const { return n_; }

 private:
  PointwiseConvolution() = default;
  int k_ = 0, n_ = 0;
  float lo_ = 0, hi_ = 0;
  std::vector<float> packed_;  // per 32-channel panel: bias[32], then K rows of 32 weights
};

// The geometry of a convolution over an NHWC tensor of batch 1 without dilation: explicit zero
// padding at the top and left; the bottom and right padding follow from the output size.
struct ConvShape {
  int in_channels = 0, out_channels = 0;
  int kernel_h = 0, kernel_w = 0;
  int stride = 1;
  int in_height = 0, in_width = 0;
  int out_height = 0, out_width = 0;
  int pad_top = 0, pad_left = 0;
};

// A full convolution over few input channels (the first layer of every BlazePose model: 3x3,
// stride 2, on the RGB input): each output pixel's sum runs over the taps row by row, column by
// column, then the input channels, as XNNPACK's does; taps in the padding are skipped.
class SmallConvolution {
 public:
  using Shape = ConvShape;
  static constexpr int kMaxInputChannels = 4;
  // weights: out x kh x kw x in (TFLite's OHWI layout); bias: out values or empty. Returns nullptr
  // for a shape outside the supported set.
  static std::unique_ptr<SmallConvolution> Create(const Shape& shape,
                                                  std::span<const float> weights,
                                                  std::span<const float> bias, float lo, float hi);
  void Run(const float* in, float* out, pthreadpool_t pool) const;

 private:
  SmallConvolution() = default;
  Shape s_;
  float lo_ = 0, hi_ = 0;
  std::vector<float> packed_;  // as PointwiseConvolution's, K = kh * kw * in_channels
};

// A depthwise convolution with one output channel per input channel (depth multiplier 1), a
// square 3x3 or 5x5 kernel, stride 1 or 2, explicit zero padding (top/left; bottom/right follow
// from the output size), without dilation.
class DepthwiseConvolution {
 public:
  using Shape = ConvShape;  // out_channels = in_channels, kernel_h = kernel_w
  // weights: kernel x kernel x channels (TFLite's [1, kh, kw, C] layout); bias: C values or empty.
  // Returns nullptr for a shape outside the supported set.
  static std::unique_ptr<DepthwiseConvolution> Create(const Shape& shape,
                                                      std::span<const float> weights,
                                                      std::span<const float> bias, float lo,
                                                      float hi);
  void Run(const float* in, float* out, pthreadpool_t pool) const;

 private:
  DepthwiseConvolution() = default;
  Shape s_;
  float lo_ = 0, hi_ = 0;
  std::vector<float> packed_;  // per 16-channel block: kernel*kernel taps of 16 weights
  std::vector<float> bias_;    // padded to a multiple of 16
};

}  // namespace ascension::vision::tflite::kernels
