// A TensorFlow Lite model read from a .tflite file: the tensors and operators of its first
// subgraph as plain values. Only what the BlazePose models need is decoded; an operator this reader
// does not know keeps its builtin code so the executor can reject it by name.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace ascension::vision::tflite {

// TFLite TensorType values.
enum class TensorType : int {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUint8 = 3,
  kInt64 = 4,
  kInt8 = 9
};

// TFLite BuiltinOperator values used by the pose models.
enum class OpCode : int {
  kAdd = 0,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kDepthToSpace = 5,
  kDequantize = 6,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kRelu6 = 21,
  kReshape = 22,
  kResizeBilinear = 23,
  kPad = 34,
  kPrelu = 54,
  kDensify = 124,
};

enum class Padding : int { kSame = 0, kValid = 1 };
enum class Activation : int { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3 };

// Sparse storage of a constant tensor (TFLite SparsityParameters). One entry per stored dimension,
// in traversal order. Block sparsity is not supported (rejected at load).
struct SparseDim {
  bool dense = true;
  int dense_size = 0;
  std::vector<std::int64_t> segments;  // CSR row pointers, for sparse dims
  std::vector<std::int64_t> indices;   // CSR column indices, for sparse dims
};

struct Sparsity {
  std::vector<int> traversal_order;
  std::vector<SparseDim> dims;
};

struct Tensor {
  std::string name;
  std::vector<int> shape;
  TensorType type = TensorType::kFloat32;
  // Constant contents (empty for activations). Points into the Model's file bytes.
  std::span<const std::uint8_t> data;
  bool sparse = false;
  Sparsity sparsity;
};

// Decoded builtin options; only the fields of the operator's kind are meaningful.
struct Operator {
  int builtin_code = -1;
  std::vector<int> inputs;  // tensor indices; -1 = optional input absent
  std::vector<int> outputs;
  Padding padding = Padding::kSame;
  int stride_w = 1, stride_h = 1;
  int dilation_w = 1, dilation_h = 1;
  int filter_w = 1, filter_h = 1;  // pooling
  int depth_multiplier = 1;
  int axis = 0;                                            // concatenation
  int block_size = 1;                                      // depth to space
  bool align_corners = false, half_pixel_centers = false;  // resize bilinear
  Activation activation = Activation::kNone;
};

class Model {
 public:
  // Reads and validates a .tflite file. Errors: kNotFound (cannot open), kDataLoss (not a
  // well-formed TFLite flatbuffer, or a tensor/operator refers outside the model).
  static Result<Model> Load(const std::string& path);
  // Same, from bytes in memory (the Model keeps its own copy).
  static Result<Model> FromBytes(std::vector<std::uint8_t> bytes);

  const std::vector<Tensor>& tensors() const { return tensors_; }
  const std::vector<Operator>& operators() const { return operators_; }
  const std::vector<int>& inputs() const { return inputs_; }
  const std::vector<int>& outputs() const { return outputs_; }
  // Index of the tensor named `name` among the subgraph outputs' tensors, or -1.
  int FindTensor(const std::string& name) const;

  Model(Model&&) = default;
  Model& operator=(Model&&) = default;

 private:
  Model() = default;
  Status Parse();

  // Held in a heap vector so spans into it survive moves of the Model.
  std::vector<std::uint8_t> bytes_;
  std::vector<Tensor> tensors_;
  std::vector<Operator> operators_;
  std::vector<int> inputs_, outputs_;
};

// Converts an IEEE half-precision value to float.
float HalfToFloat(std::uint16_t h);

}  // namespace ascension::vision::tflite
