// Runs a TFLite model on the CPU. The model's operators are translated once into a fixed
// sequence of steps — XNNPACK operators, and on CPUs with AVX-512F our own kernels for the 1x1 and
// depthwise convolutions (kernels.hpp; bit-identical results) — that read and write one arena
// planned from the tensors' lifetimes. Constant weights are densified and converted from fp16 to
// fp32 at load; fused activations become the steps' output range; a zero PAD read only by
// convolutions becomes their implicit padding; RESHAPE and a CONCATENATION along the outermost
// axis cost nothing (their tensors alias). Supports the operator set of the BlazePose models
// (src/vision/README.md); any other operator fails Create with kInvalidArgument.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "vision/tflite/model.hpp"

namespace ascension::vision::tflite {

struct ExecutorOptions {
  int threads = 1;          // <= 1: run on the calling thread
  bool own_kernels = true;  // false: XNNPACK for every operator (for comparisons)
};

class Executor {
 public:
  // Builds a runtime for `model` computing only the subgraph outputs named in `outputs` (operators
  // that feed none of them are skipped). threads <= 1 runs on the calling thread. The Executor does
  // not keep a reference to `model`.
  static Result<std::unique_ptr<Executor>> Create(const Model& model,
                                                  const std::vector<std::string>& outputs,
                                                  int threads);
  static Result<std::unique_ptr<Executor>> Create(const Model& model,
                                                  const std::vector<std::string>& outputs,
                                                  const ExecutorOptions& options);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // The model's single input tensor (NHWC fp32), to be filled before Invoke().
  std::span<float> input() { return {input_.data(), input_elements_}; }
  const std::vector<int>& input_shape() const { return input_shape_; }

  // Output i, in the order given to Create. Valid until the next Invoke().
  std::span<const float> output(std::size_t i) const;
  const std::vector<int>& output_shape(std::size_t i) const;

  // Runs one inference. Not thread-safe: one Invoke at a time per Executor.
  Status Invoke();

  // 2 x the multiply-adds of the convolutions, plus one operation per output element of the
  // element-wise operators, in one Invoke.
  double flops() const;

  // The steps of an invocation, for profiling: what each computes and its FLOPs.
  struct Step {
    std::string kind;   // e.g. "conv 1x1", "depthwise 5x5/2", "add"
    std::string shape;  // input -> output, e.g. "16x16x160 -> 16x16x960"
    bool own_kernel = false;
    double flops = 0;
  };
  const std::vector<Step>& steps() const;
  // Invoke, adding the calling thread's CPU time of step i to (*step_ms)[i] (resized to fit).
  Status InvokeProfiled(std::vector<double>* step_ms);

  struct Impl;
  // Use Create(); public only so Create can use std::make_unique.
  explicit Executor(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
  std::vector<float> input_;
  std::size_t input_elements_ = 0;
  std::vector<int> input_shape_;
};

// Expands a sparse constant tensor (TFLite CSR-style sparsity without blocks) into dense row-major
// order. `values` holds the stored elements. Fails with kDataLoss if the metadata is inconsistent
// with `shape` or `values`.
Result<std::vector<std::uint16_t>> DensifyHalf(const std::vector<int>& shape,
                                               const Sparsity& sparsity,
                                               std::span<const std::uint16_t> values);

}  // namespace ascension::vision::tflite
