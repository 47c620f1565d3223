#include "vision/tflite/model.hpp"

#include <cstring>
#include <fstream>
#include <iterator>

#include "vision/tflite/flatbuffer.hpp"

namespace ascension::vision::tflite {
namespace {

// Field ids of the TFLite schema (schema.fbs), in declaration order.
namespace model_f {
constexpr int kOperatorCodes = 1, kSubgraphs = 2, kBuffers = 4;
}
namespace opcode_f {
constexpr int kDeprecatedBuiltin = 0, kBuiltin = 3;
}
namespace subgraph_f {
constexpr int kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3;
}
namespace tensor_f {
constexpr int kShape = 0, kType = 1, kBuffer = 2, kName = 3, kSparsity = 6;
}
namespace buffer_f {
constexpr int kData = 0, kOffset = 1, kSize = 2;
}
namespace op_f {
constexpr int kOpcodeIndex = 0, kInputs = 1, kOutputs = 2, kOptions = 4;
}
namespace sparsity_f {
constexpr int kTraversalOrder = 0, kBlockMap = 1, kDimMetadata = 2;
}
namespace dim_f {
constexpr int kFormat = 0, kDenseSize = 1, kSegmentsType = 2, kSegments = 3, kIndicesType = 4,
              kIndices = 5;
}

// Largest tensor we accept: guards shape products against overflow and absurd allocations.
constexpr std::int64_t kMaxTensorElements = std::int64_t{1} << 28;
// TFLite itself allows at most 8 dimensions for most kernels; XNNPACK at most 6.
constexpr std::size_t kMaxRank = 8;

std::vector<int> IntVector(const fb::Vector& v) {
  std::vector<int> out(v.size());
  for (std::uint32_t i = 0; i < v.size(); ++i) out[i] = v.Scalar<std::int32_t>(i);
  return out;
}

// Reads a SparseIndexVector union (Int32Vector=1, Uint16Vector=2, Uint8Vector=3).
std::vector<std::int64_t> IndexVector(std::uint8_t type, const fb::Table& t) {
  std::vector<std::int64_t> out;
  if (!t.present()) return out;
  std::size_t elem = type == 1 ? 4 : type == 2 ? 2 : type == 3 ? 1 : 0;
  if (elem == 0) return out;
  fb::Vector v = t.VectorField(0, elem);
  out.resize(v.size());
  for (std::uint32_t i = 0; i < v.size(); ++i) {
    out[i] = type == 1   ? v.Scalar<std::int32_t>(i)
             : type == 2 ? v.Scalar<std::uint16_t>(i)
                         : v.Scalar<std::uint8_t>(i);
  }
  return out;
}

void ReadOptions(int code, const fb::Table& o, Operator* op) {
  auto act = [&](int id) { return static_cast<Activation>(o.Scalar<std::int8_t>(id, 0)); };
  auto pad = [&](int id) { return static_cast<Padding>(o.Scalar<std::int8_t>(id, 0)); };
  switch (static_cast<OpCode>(code)) {
    case OpCode::kConv2D:
      op->padding = pad(0);
      op->stride_w = o.Scalar<std::int32_t>(1, 1);
      op->stride_h = o.Scalar<std::int32_t>(2, 1);
      op->activation = act(3);
      op->dilation_w = o.Scalar<std::int32_t>(4, 1);
      op->dilation_h = o.Scalar<std::int32_t>(5, 1);
      break;
    case OpCode::kDepthwiseConv2D:
      op->padding = pad(0);
      op->stride_w = o.Scalar<std::int32_t>(1, 1);
      op->stride_h = o.Scalar<std::int32_t>(2, 1);
      op->depth_multiplier = o.Scalar<std::int32_t>(3, 1);
      op->activation = act(4);
      op->dilation_w = o.Scalar<std::int32_t>(5, 1);
      op->dilation_h = o.Scalar<std::int32_t>(6, 1);
      break;
    case OpCode::kMaxPool2D:
      op->padding = pad(0);
      op->stride_w = o.Scalar<std::int32_t>(1, 1);
      op->stride_h = o.Scalar<std::int32_t>(2, 1);
      op->filter_w = o.Scalar<std::int32_t>(3, 1);
      op->filter_h = o.Scalar<std::int32_t>(4, 1);
      op->activation = act(5);
      break;
    case OpCode::kAdd:
    case OpCode::kMul:
      op->activation = act(0);
      break;
    case OpCode::kConcatenation:
      op->axis = o.Scalar<std::int32_t>(0, 0);
      op->activation = act(1);
      break;
    case OpCode::kDepthToSpace:
      op->block_size = o.Scalar<std::int32_t>(0, 1);
      break;
    case OpCode::kResizeBilinear:
      op->align_corners = o.Scalar<std::uint8_t>(2, 0) != 0;
      op->half_pixel_centers = o.Scalar<std::uint8_t>(3, 0) != 0;
      break;
    default:
      break;
  }
}

}  // namespace

float HalfToFloat(std::uint16_t h) {
  std::uint32_t sign = (h & 0x8000u) << 16;
  std::uint32_t exp = (h >> 10) & 0x1fu;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400u) == 0);
      bits = sign | static_cast<std::uint32_t>(127 - 15 - e) << 23 | (mant & 0x3ffu) << 13;
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | mant << 13;
  } else {
    bits = sign | (exp + 127 - 15) << 23 | mant << 13;
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

Result<Model> Model::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open model file " + path);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  if (in.bad()) return DataLoss("cannot read model file " + path);
  auto m = FromBytes(std::move(bytes));
  if (!m.ok()) return DataLoss(path + ": " + m.status().message());
  return m;
}

Result<Model> Model::FromBytes(std::vector<std::uint8_t> bytes) {
  Model m;
  m.bytes_ = std::move(bytes);
  Status s = m.Parse();
  if (!s.ok()) return s;
  return m;
}

int Model::FindTensor(const std::string& name) const {
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    if (tensors_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Status Model::Parse() {
  // "TFL3" file identifier at bytes 4..7.
  if (bytes_.size() < 8 || std::memcmp(bytes_.data() + 4, "TFL3", 4) != 0) {
    return DataLoss("not a TFLite model (missing TFL3 identifier)");
  }
  fb::FlatBuffer buf(bytes_);
  fb::Table root = buf.Root();
  fb::Vector codes = root.VectorField(model_f::kOperatorCodes, 4);
  fb::Vector subgraphs = root.VectorField(model_f::kSubgraphs, 4);
  fb::Vector buffers = root.VectorField(model_f::kBuffers, 4);
  if (!buf.ok()) return DataLoss("corrupt model: " + buf.error());
  if (subgraphs.size() == 0) return DataLoss("model has no subgraph");

  std::vector<int> builtin(codes.size());
  for (std::uint32_t i = 0; i < codes.size(); ++i) {
    fb::Table c = codes.TableAt(i);
    // Newer writers store codes > 127 in builtin_code and keep a placeholder in the deprecated
    // field.
    int deprecated = c.Scalar<std::int8_t>(opcode_f::kDeprecatedBuiltin, 0);
    int modern = c.Scalar<std::int32_t>(opcode_f::kBuiltin, 0);
    builtin[i] = std::max(deprecated, modern);
  }

  fb::Table sg = subgraphs.TableAt(0);
  fb::Vector tensors = sg.VectorField(subgraph_f::kTensors, 4);
  inputs_ = IntVector(sg.VectorField(subgraph_f::kInputs, 4));
  outputs_ = IntVector(sg.VectorField(subgraph_f::kOutputs, 4));
  if (!buf.ok()) return DataLoss("corrupt model: " + buf.error());

  tensors_.resize(tensors.size());
  for (std::uint32_t i = 0; i < tensors.size(); ++i) {
    fb::Table t = tensors.TableAt(i);
    Tensor& out = tensors_[i];
    out.shape = IntVector(t.VectorField(tensor_f::kShape, 4));
    out.type = static_cast<TensorType>(t.Scalar<std::int8_t>(tensor_f::kType, 0));
    out.name = std::string(t.String(tensor_f::kName));
    if (out.shape.size() > kMaxRank)
      return DataLoss("tensor " + out.name + " has too many dimensions");
    std::int64_t elements = 1;
    for (int d : out.shape) {
      if (d < 0 || (d > 0 && elements > kMaxTensorElements / d)) {
        return DataLoss("tensor " + out.name + " has an invalid shape");
      }
      elements *= d;
    }
    auto buffer_index = t.Scalar<std::uint32_t>(tensor_f::kBuffer, 0);
    if (buffer_index != 0) {
      if (buffer_index >= buffers.size()) return DataLoss("tensor refers to a missing buffer");
      fb::Table b = buffers.TableAt(buffer_index);
      fb::Vector data = b.VectorField(buffer_f::kData, 1);
      if (data.size() > 0) {
        out.data = data.Bytes();
      } else if (b.Has(buffer_f::kOffset)) {
        // Large models keep buffers after the flatbuffer, addressed from the file start.
        auto off = b.Scalar<std::uint64_t>(buffer_f::kOffset, 0);
        auto size = b.Scalar<std::uint64_t>(buffer_f::kSize, 0);
        if (off > bytes_.size() || size > bytes_.size() - off) {
          return DataLoss("tensor buffer outside the file");
        }
        out.data = std::span<const std::uint8_t>(bytes_).subspan(off, size);
      }
    }
    fb::Table sp = t.SubTable(tensor_f::kSparsity);
    if (sp.present()) {
      out.sparse = true;
      out.sparsity.traversal_order = IntVector(sp.VectorField(sparsity_f::kTraversalOrder, 4));
      if (sp.VectorField(sparsity_f::kBlockMap, 4).size() != 0) {
        return DataLoss("tensor " + out.name + ": block sparsity is not supported");
      }
      fb::Vector dims = sp.VectorField(sparsity_f::kDimMetadata, 4);
      for (std::uint32_t d = 0; d < dims.size(); ++d) {
        fb::Table dm = dims.TableAt(d);
        SparseDim sd;
        sd.dense = dm.Scalar<std::int8_t>(dim_f::kFormat, 0) == 0;
        sd.dense_size = dm.Scalar<std::int32_t>(dim_f::kDenseSize, 0);
        if (!sd.dense) {
          sd.segments = IndexVector(dm.Scalar<std::uint8_t>(dim_f::kSegmentsType, 0),
                                    dm.SubTable(dim_f::kSegments));
          sd.indices = IndexVector(dm.Scalar<std::uint8_t>(dim_f::kIndicesType, 0),
                                   dm.SubTable(dim_f::kIndices));
        }
        out.sparsity.dims.push_back(std::move(sd));
      }
    }
    if (!buf.ok()) return DataLoss("corrupt model: " + buf.error());
  }

  auto valid_tensor = [&](int idx) { return idx >= -1 && idx < static_cast<int>(tensors_.size()); };
  for (int idx : inputs_) {
    if (idx < 0 || !valid_tensor(idx)) return DataLoss("subgraph input out of range");
  }
  for (int idx : outputs_) {
    if (idx < 0 || !valid_tensor(idx)) return DataLoss("subgraph output out of range");
  }

  fb::Vector ops = sg.VectorField(subgraph_f::kOperators, 4);
  operators_.resize(ops.size());
  for (std::uint32_t i = 0; i < ops.size(); ++i) {
    fb::Table o = ops.TableAt(i);
    Operator& op = operators_[i];
    auto code_index = o.Scalar<std::uint32_t>(op_f::kOpcodeIndex, 0);
    if (code_index >= builtin.size()) return DataLoss("operator refers to a missing opcode");
    op.builtin_code = builtin[code_index];
    op.inputs = IntVector(o.VectorField(op_f::kInputs, 4));
    op.outputs = IntVector(o.VectorField(op_f::kOutputs, 4));
    ReadOptions(op.builtin_code, o.SubTable(op_f::kOptions), &op);
    if (!buf.ok()) return DataLoss("corrupt model: " + buf.error());
    for (int idx : op.inputs) {
      if (!valid_tensor(idx)) return DataLoss("operator input out of range");
    }
    for (int idx : op.outputs) {
      if (idx < 0 || !valid_tensor(idx)) return DataLoss("operator output out of range");
    }
  }
  return Status::Ok();
}

}  // namespace ascension::vision::tflite
