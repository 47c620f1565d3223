// Runs a TFLite model on the CPU with XNNPACK. The model's operators are translated once into an
// XNNPACK subgraph; constant weights are densified and converted from fp16 to fp32 at load, so an
// inference is a single runtime invocation. Supports the operator set of the BlazePose models
// (see docs in pose-pipeline notes); any other operator fails Create with kInvalidArgument.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "vision/tflite/model.hpp"

namespace ascension::vision::tflite {

class Executor {
 public:
  // Builds a runtime for `model` computing only the subgraph outputs named in `outputs` (operators
  // that feed none of them are skipped). threads <= 1 runs on the calling thread. The Executor does
  // not keep a reference to `model`.
  static Result<std::unique_ptr<Executor>> Create(const Model& model,
                                                  const std::vector<std::string>& outputs,
                                                  int threads);
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
