#include "vision/tflite/executor.hpp"

#include <xnnpack.h>

#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <set>

namespace ascension::vision::tflite {
namespace {

struct SubgraphDeleter {
  void operator()(xnn_subgraph* s) const { xnn_delete_subgraph(s); }
};
struct RuntimeDeleter {
  void operator()(xnn_runtime* r) const { xnn_delete_runtime(r); }
};
struct ThreadpoolDeleter {
  void operator()(pthreadpool* p) const { pthreadpool_destroy(p); }
};

std::size_t Elements(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

void ActivationRange(Activation a, float* lo, float* hi) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (a) {
    case Activation::kRelu:
      *lo = 0, *hi = kInf;
      return;
    case Activation::kRelu6:
      *lo = 0, *hi = 6;
      return;
    case Activation::kReluN1To1:
      *lo = -1, *hi = 1;
      return;
    default:
      *lo = -kInf, *hi = kInf;
      return;
  }
}

std::string OpName(int code) {
  return "builtin operator " + std::to_string(code);
}

// Output extent of a convolution or pooling window along one axis, as TFLite computes it.
int WindowOutput(int in, int kernel, int stride, int dilation, Padding padding) {
  if (stride <= 0 || dilation <= 0 || kernel <= 0) return -1;
  if (padding == Padding::kSame) return (in + stride - 1) / stride;
  const int effective = (kernel - 1) * dilation + 1;
  return in < effective ? -1 : (in - effective) / stride + 1;
}

// XNNPACK sizes its buffers from the shapes we declare, so a model whose declared output shapes
// disagree with what an operator computes would make it write out of bounds: check every operator
// before defining it. Returns an empty string when the shapes agree.
std::string CheckShapes(const Operator& op, const std::vector<Tensor>& tensors) {
  auto shape = [&](std::size_t k) -> const std::vector<int>& {
    return tensors[op.inputs[k]].shape;
  };
  const auto& in = shape(0);
  const auto& out = tensors[op.outputs[0]].shape;
  if (in.size() > XNN_MAX_TENSOR_DIMS || out.size() > XNN_MAX_TENSOR_DIMS) return "rank too large";
  auto windowed = [&](int kh, int kw, int channels, int dh, int dw) -> std::string {
    if (in.size() != 4 || out.size() != 4) return "expected 4-D tensors";
    const int oh = WindowOutput(in[1], kh, op.stride_h, dh, op.padding);
    const int ow = WindowOutput(in[2], kw, op.stride_w, dw, op.padding);
    if (out != std::vector<int>{in[0], oh, ow, channels}) return "output shape mismatch";
    return {};
  };
  switch (static_cast<OpCode>(op.builtin_code)) {
    case OpCode::kConv2D: {
      const auto& f = shape(1);
      if (f.size() != 4) return "filter must be 4-D";
      return windowed(f[1], f[2], f[0], op.dilation_h, op.dilation_w);
    }
    case OpCode::kDepthwiseConv2D: {
      const auto& f = shape(1);
      if (f.size() != 4 || f[0] != 1) return "depthwise filter must be [1,h,w,c]";
      return windowed(f[1], f[2], f[3], op.dilation_h, op.dilation_w);
    }
    case OpCode::kMaxPool2D:
      if (in.size() != 4) return "expected 4-D tensors";
      return windowed(op.filter_h, op.filter_w, in[3], 1, 1);
    case OpCode::kAdd:
    case OpCode::kMul: {
      const auto& b = shape(1);
      const std::size_t rank = std::max(in.size(), b.size());
      if (out.size() != rank) return "broadcast rank mismatch";
      for (std::size_t d = 0; d < rank; ++d) {
        const int x = d + in.size() >= rank ? in[d + in.size() - rank] : 1;
        const int y = d + b.size() >= rank ? b[d + b.size() - rank] : 1;
        if (x != y && x != 1 && y != 1) return "shapes do not broadcast";
        if (out[d] != std::max(x, y)) return "broadcast shape mismatch";
      }
      return {};
    }
    case OpCode::kLogistic:
    case OpCode::kRelu:
    case OpCode::kRelu6:
      return in == out ? std::string() : "output shape mismatch";
    case OpCode::kReshape:
      return Elements(in) == Elements(out) ? std::string() : "reshape changes the element count";
    case OpCode::kResizeBilinear:
      if (in.size() != 4 || out.size() != 4 || in[0] != out[0] || in[3] != out[3]) {
        return "resize shape mismatch";
      }
      return {};
    case OpCode::kDepthToSpace: {
      const int b = op.block_size;
      if (in.size() != 4 || b <= 0 || in[3] % (b * b) != 0) return "bad depth-to-space";
      if (out != std::vector<int>{in[0], in[1] * b, in[2] * b, in[3] / (b * b)}) {
        return "output shape mismatch";
      }
      return {};
    }
    default:
      return {};  // PAD is checked where its paddings are read
  }
}

}  // namespace

Result<std::vector<std::uint16_t>> DensifyHalf(const std::vector<int>& shape, const Sparsity& sp,
                                               std::span<const std::uint16_t> values) {
  const std::size_t rank = shape.size();
  if (sp.dims.size() != rank || sp.traversal_order.size() != rank) {
    return DataLoss("sparse tensor: metadata rank does not match the shape");
  }
  std::vector<bool> seen(rank, false);
  for (int o : sp.traversal_order) {
    if (o < 0 || static_cast<std::size_t>(o) >= rank || seen[o]) {
      return DataLoss("sparse tensor: bad traversal order");
    }
    seen[o] = true;
  }
  std::vector<std::uint16_t> dense(Elements(shape), 0);
  std::vector<int> coord(rank, 0);
  std::string error;
  // Walks the stored dimensions in traversal order; `pos` is the position inside the current
  // level (a row for CSR levels), and at the leaf it is the index of the stored value.
  std::function<void(std::size_t, std::size_t)> walk = [&](std::size_t level, std::size_t pos) {
    if (!error.empty()) return;
    if (level == rank) {
      if (pos >= values.size()) {
        error = "sparse tensor: value index out of range";
        return;
      }
      std::size_t linear = 0;
      for (std::size_t d = 0; d < rank; ++d) linear = linear * shape[d] + coord[d];
      dense[linear] = values[pos];
      return;
    }
    const SparseDim& dim = sp.dims[level];
    int axis = sp.traversal_order[level];
    if (dim.dense) {
      if (dim.dense_size != shape[axis]) {
        error = "sparse tensor: dense dimension size mismatch";
        return;
      }
      for (int i = 0; i < dim.dense_size; ++i) {
        coord[axis] = i;
        walk(level + 1, pos * dim.dense_size + i);
      }
    } else {
      if (pos + 1 >= dim.segments.size()) {
        error = "sparse tensor: segment index out of range";
        return;
      }
      std::int64_t begin = dim.segments[pos], end = dim.segments[pos + 1];
      if (begin < 0 || end < begin || end > static_cast<std::int64_t>(dim.indices.size())) {
        error = "sparse tensor: bad segment";
        return;
      }
      for (std::int64_t k = begin; k < end; ++k) {
        std::int64_t c = dim.indices[k];
        if (c < 0 || c >= shape[axis]) {
          error = "sparse tensor: index out of range";
          return;
        }
        coord[axis] = static_cast<int>(c);
        walk(level + 1, static_cast<std::size_t>(k));
      }
    }
  };
  walk(0, 0);
  if (!error.empty()) return DataLoss(error);
  return dense;
}

struct Executor::Impl {
  // Storage the runtime reads: static weights must outlive it.
  std::vector<std::vector<float>> static_data;
  std::vector<std::vector<float>> buffers;  // external outputs (with XNN_EXTRA_BYTES slack)
  std::vector<std::size_t> buffer_elements;
  // Each requested output either aliases an external buffer or is a concatenation of several,
  // which XNNPACK's 2022 subgraph API cannot express; it is done here after the invocation.
  struct Output {
    std::vector<int> shape;
    int direct = -1;  // index into buffers, or -1 if concatenated
    std::vector<int> parts;
    std::vector<std::size_t> part_inner;  // elements per outer slice, per part
    std::size_t outer = 1;
    std::vector<float> concat;
  };
  std::vector<Output> outputs;
  std::unique_ptr<pthreadpool, ThreadpoolDeleter> pool;
  std::unique_ptr<xnn_runtime, RuntimeDeleter> runtime;
};

Executor::Executor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Executor::~Executor() = default;

std::span<const float> Executor::output(std::size_t i) const {
  const auto& o = impl_->outputs.at(i);
  if (o.direct >= 0) return {impl_->buffers[o.direct].data(), impl_->buffer_elements[o.direct]};
  return o.concat;
}

const std::vector<int>& Executor::output_shape(std::size_t i) const {
  return impl_->outputs.at(i).shape;
}

Status Executor::Invoke() {
  if (xnn_invoke_runtime(impl_->runtime.get()) != xnn_status_success) {
    return Internal("XNNPACK inference failed");
  }
  for (auto& o : impl_->outputs) {
    if (o.direct >= 0) continue;
    float* dst = o.concat.data();
    for (std::size_t s = 0; s < o.outer; ++s) {
      for (std::size_t p = 0; p < o.parts.size(); ++p) {
        const float* src = impl_->buffers[o.parts[p]].data() + s * o.part_inner[p];
        std::memcpy(dst, src, o.part_inner[p] * sizeof(float));
        dst += o.part_inner[p];
      }
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Executor>> Executor::Create(const Model& model,
                                                   const std::vector<std::string>& output_names,
                                                   int threads) {
  if (xnn_initialize(nullptr) != xnn_status_success) {
    return Internal("XNNPACK is not supported on this CPU");
  }
  const auto& tensors = model.tensors();
  const auto& ops = model.operators();
  if (model.inputs().size() != 1) return InvalidArgument("model must have exactly one input");
  const int input_tensor = model.inputs()[0];

  // Which operator produces each tensor.
  std::vector<int> producer(tensors.size(), -1);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    for (int t : ops[i].outputs) producer[t] = static_cast<int>(i);
  }

  // Requested outputs; a CONCATENATION producing one is done by hand, so its inputs become the
  // runtime's external outputs instead.
  std::vector<int> wanted;
  for (const auto& name : output_names) {
    int t = -1;
    for (int o : model.outputs()) {
      if (tensors[o].name == name) t = o;
    }
    if (t < 0) return InvalidArgument("model has no output named " + name);
    wanted.push_back(t);
  }
  std::vector<int> external_outputs;  // tensor indices
  auto external_index = [&](int t) {
    for (std::size_t i = 0; i < external_outputs.size(); ++i) {
      if (external_outputs[i] == t) return static_cast<int>(i);
    }
    external_outputs.push_back(t);
    return static_cast<int>(external_outputs.size() - 1);
  };
  auto impl = std::make_unique<Impl>();
  std::set<int> handled_concats;
  for (int t : wanted) {
    Impl::Output out;
    out.shape = tensors[t].shape;
    int p = producer[t];
    if (p >= 0 && static_cast<OpCode>(ops[p].builtin_code) == OpCode::kConcatenation) {
      const Operator& op = ops[p];
      int rank = static_cast<int>(out.shape.size());
      int axis = op.axis < 0 ? op.axis + rank : op.axis;
      if (axis < 0 || axis >= rank || op.activation != Activation::kNone) {
        return InvalidArgument("unsupported concatenation");
      }
      for (int d = 0; d < axis; ++d) out.outer *= static_cast<std::size_t>(out.shape[d]);
      std::size_t total = 0;
      for (int in : op.inputs) {
        if (in < 0 || tensors[in].shape.size() != out.shape.size()) {
          return InvalidArgument("concatenation inputs do not match its output");
        }
        for (int d = 0; d < rank; ++d) {
          if (d != axis && tensors[in].shape[d] != out.shape[d]) {
            return InvalidArgument("concatenation inputs do not match its output");
          }
        }
        out.parts.push_back(external_index(in));
        std::size_t inner = 1;
        for (int d = axis; d < rank; ++d) inner *= static_cast<std::size_t>(tensors[in].shape[d]);
        out.part_inner.push_back(inner);
        total += inner;
      }
      if (total * out.outer != Elements(out.shape)) {
        return InvalidArgument("concatenation sizes do not add up");
      }
      out.concat.assign(Elements(out.shape), 0.f);
      handled_concats.insert(p);
    } else {
      out.direct = external_index(t);
    }
    impl->outputs.push_back(std::move(out));
  }

  // Operators needed for the external outputs, found backwards from them.
  std::vector<bool> needed(ops.size(), false);
  std::vector<int> stack(external_outputs);
  std::vector<bool> visited(tensors.size(), false);
  while (!stack.empty()) {
    int t = stack.back();
    stack.pop_back();
    if (t < 0 || visited[t]) continue;
    visited[t] = true;
    int p = producer[t];
    if (p < 0 || needed[p]) continue;
    needed[p] = true;
    for (int in : ops[p].inputs) stack.push_back(in);
  }

  xnn_subgraph_t raw_subgraph = nullptr;
  const auto num_external = static_cast<std::uint32_t>(1 + external_outputs.size());
  if (xnn_create_subgraph(num_external, 0, &raw_subgraph) != xnn_status_success) {
    return Internal("cannot create an XNNPACK subgraph");
  }
  std::unique_ptr<xnn_subgraph, SubgraphDeleter> subgraph(raw_subgraph);

  // Constant tensors folded at load: fp32 values, and fp16 values produced by DENSIFY.
  std::map<int, std::size_t> constant;  // tensor -> index into impl->static_data
  std::map<int, std::vector<std::uint16_t>> half;
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    const Tensor& tensor = tensors[t];
    if (tensor.data.empty() || tensor.type != TensorType::kFloat32) continue;
    if (tensor.data.size() != Elements(tensor.shape) * sizeof(float)) {
      return DataLoss("constant " + tensor.name + " has the wrong size");
    }
    std::vector<float> v(Elements(tensor.shape));
    std::memcpy(v.data(), tensor.data.data(), tensor.data.size());
    constant[static_cast<int>(t)] = impl->static_data.size();
    impl->static_data.push_back(std::move(v));
  }
  auto half_values = [&](int t) -> Result<std::vector<std::uint16_t>> {
    if (auto it = half.find(t); it != half.end()) return it->second;
    const Tensor& tensor = tensors[t];
    if (tensor.type != TensorType::kFloat16 || tensor.data.empty() || tensor.data.size() % 2 != 0) {
      return InvalidArgument("expected constant fp16 data in " + tensor.name);
    }
    std::vector<std::uint16_t> v(tensor.data.size() / 2);
    std::memcpy(v.data(), tensor.data.data(), tensor.data.size());
    if (tensor.sparse) return v;  // stored values only; DENSIFY expands them
    if (v.size() != Elements(tensor.shape)) {
      return DataLoss("constant " + tensor.name + " has the wrong size");
    }
    return v;
  };

  std::map<int, std::uint32_t> value_id;
  const std::set<int> external_set(external_outputs.begin(), external_outputs.end());
  auto define = [&](int t) -> Result<std::uint32_t> {
    if (auto it = value_id.find(t); it != value_id.end()) return it->second;
    const Tensor& tensor = tensors[t];
    std::vector<std::size_t> dims(tensor.shape.begin(), tensor.shape.end());
    const void* data = nullptr;
    std::uint32_t external = XNN_INVALID_VALUE_ID;
    std::uint32_t flags = 0;
    if (auto c = constant.find(t); c != constant.end()) {
      data = impl->static_data[c->second].data();
    } else if (t == input_tensor) {
      external = 0;
      flags = XNN_VALUE_FLAG_EXTERNAL_INPUT;
    } else if (external_set.count(t) != 0) {
      external = static_cast<std::uint32_t>(1 + external_index(t));
      flags = XNN_VALUE_FLAG_EXTERNAL_OUTPUT;
    } else if (producer[t] < 0) {
      return InvalidArgument("tensor " + tensor.name + " has no value");
    }
    if (data == nullptr && tensor.type != TensorType::kFloat32) {
      return InvalidArgument("tensor " + tensor.name + " is not fp32");
    }
    std::uint32_t id = 0;
    if (xnn_define_tensor_value(subgraph.get(), xnn_datatype_fp32, dims.size(), dims.data(), data,
                                external, flags, &id) != xnn_status_success) {
      return InvalidArgument("XNNPACK rejected tensor " + tensor.name);
    }
    value_id[t] = id;
    return id;
  };
  auto int_constant = [&](int t, std::size_t count) -> Result<std::vector<int>> {
    const Tensor& tensor = tensors[t];
    if (tensor.type != TensorType::kInt32 || tensor.data.size() != count * 4) {
      return InvalidArgument("expected " + std::to_string(count) + " int32 constants in " +
                             tensor.name);
    }
    std::vector<int> v(count);
    std::memcpy(v.data(), tensor.data.data(), count * 4);
    return v;
  };

  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!needed[i] || handled_concats.count(static_cast<int>(i)) != 0) continue;
    const Operator& op = ops[i];
    const auto code = static_cast<OpCode>(op.builtin_code);
    if (op.outputs.empty() || op.inputs.empty() || op.inputs[0] < 0) {
      return InvalidArgument(OpName(op.builtin_code) + " without input or output");
    }
    const int out_t = op.outputs[0];
    // Weight preparation, folded at load time.
    if (code == OpCode::kDensify) {
      auto stored = half_values(op.inputs[0]);
      if (!stored.ok()) return stored.status();
      const Tensor& in = tensors[op.inputs[0]];
      if (!in.sparse) return InvalidArgument("DENSIFY of a dense tensor");
      auto dense = DensifyHalf(tensors[out_t].shape, in.sparsity, *stored);
      if (!dense.ok()) return dense.status();
      half[out_t] = std::move(*dense);
      continue;
    }
    if (code == OpCode::kDequantize) {
      auto h = half_values(op.inputs[0]);
      if (!h.ok()) return h.status();
      if (h->size() != Elements(tensors[out_t].shape)) {
        return DataLoss("DEQUANTIZE size mismatch at " + tensors[out_t].name);
      }
      std::vector<float> v(h->size());
      for (std::size_t k = 0; k < v.size(); ++k) v[k] = HalfToFloat((*h)[k]);
      constant[out_t] = impl->static_data.size();
      impl->static_data.push_back(std::move(v));
      continue;
    }

    if (code == OpCode::kConv2D || code == OpCode::kDepthwiseConv2D || code == OpCode::kAdd ||
        code == OpCode::kMul) {
      if (op.inputs.size() < 2 || op.inputs[1] < 0) {
        return InvalidArgument(OpName(op.builtin_code) + " is missing an input");
      }
    }
    if (std::string why = CheckShapes(op, tensors); !why.empty()) {
      return InvalidArgument(OpName(op.builtin_code) + " at " + tensors[out_t].name + ": " + why);
    }
    float lo, hi;
    ActivationRange(op.activation, &lo, &hi);
    auto in0 = define(op.inputs[0]);
    if (!in0.ok()) return in0.status();
    auto out = define(out_t);
    if (!out.ok()) return out.status();
    const auto& in_shape = tensors[op.inputs[0]].shape;
    const auto& out_shape = tensors[out_t].shape;
    xnn_status st = xnn_status_success;
    auto input_at = [&](std::size_t k) -> Result<std::uint32_t> {
      if (k >= op.inputs.size() || op.inputs[k] < 0) {
        return InvalidArgument(OpName(op.builtin_code) + " is missing an input");
      }
      return define(op.inputs[k]);
    };
    switch (code) {
      case OpCode::kConv2D:
      case OpCode::kDepthwiseConv2D: {
        auto filter = input_at(1);
        if (!filter.ok()) return filter.status();
        std::uint32_t bias = XNN_INVALID_VALUE_ID;
        if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
          if (Elements(tensors[op.inputs[2]].shape) != static_cast<std::size_t>(out_shape.back())) {
            return InvalidArgument("bias size does not match the output channels");
          }
          auto b = define(op.inputs[2]);
          if (!b.ok()) return b.status();
          bias = *b;
        }
        const auto& fs = tensors[op.inputs[1]].shape;
        if (fs.size() != 4 || in_shape.size() != 4 || out_shape.size() != 4) {
          return InvalidArgument("convolution tensors must be 4-D");
        }
        const std::uint32_t flags =
            op.padding == Padding::kSame ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0;
        if (code == OpCode::kConv2D) {
          const int group_in = fs[3];
          if (group_in <= 0 || in_shape[3] % group_in != 0) {
            return InvalidArgument("convolution channels do not match");
          }
          const int groups = in_shape[3] / group_in;
          st =
              xnn_define_convolution_2d(subgraph.get(), 0, 0, 0, 0, fs[1], fs[2], op.stride_h,
                                        op.stride_w, op.dilation_h, op.dilation_w, groups, group_in,
                                        fs[0] / groups, lo, hi, *in0, *filter, bias, *out, flags);
        } else {
          if (in_shape[3] <= 0 || fs[3] % in_shape[3] != 0) {
            return InvalidArgument("depthwise convolution channels do not match");
          }
          st = xnn_define_depthwise_convolution_2d(subgraph.get(), 0, 0, 0, 0, fs[1], fs[2],
                                                   op.stride_h, op.stride_w, op.dilation_h,
                                                   op.dilation_w, fs[3] / in_shape[3], in_shape[3],
                                                   lo, hi, *in0, *filter, bias, *out, flags);
        }
        break;
      }
      case OpCode::kAdd:
      case OpCode::kMul: {
        auto in1 = input_at(1);
        if (!in1.ok()) return in1.status();
        st = code == OpCode::kAdd
                 ? xnn_define_add2(subgraph.get(), lo, hi, *in0, *in1, *out, 0)
                 : xnn_define_multiply2(subgraph.get(), lo, hi, *in0, *in1, *out, 0);
        break;
      }
      case OpCode::kRelu:
        st = xnn_define_clamp(subgraph.get(), 0, std::numeric_limits<float>::infinity(), *in0, *out,
                              0);
        break;
      case OpCode::kRelu6:
        st = xnn_define_clamp(subgraph.get(), 0, 6, *in0, *out, 0);
        break;
      case OpCode::kPad: {
        if (op.inputs.size() < 2) return InvalidArgument("PAD without paddings");
        auto pads = int_constant(op.inputs[1], in_shape.size() * 2);
        if (!pads.ok()) return pads.status();
        std::vector<std::size_t> pre(in_shape.size()), post(in_shape.size());
        for (std::size_t d = 0; d < in_shape.size(); ++d) {
          if ((*pads)[2 * d] < 0 || (*pads)[2 * d + 1] < 0) {
            return InvalidArgument("negative padding");
          }
          pre[d] = static_cast<std::size_t>((*pads)[2 * d]);
          post[d] = static_cast<std::size_t>((*pads)[2 * d + 1]);
          if (out_shape.size() != in_shape.size() ||
              static_cast<std::size_t>(out_shape[d]) != in_shape[d] + pre[d] + post[d]) {
            return InvalidArgument("PAD output shape mismatch");
          }
        }
        st = xnn_define_static_constant_pad(subgraph.get(), pre.data(), post.data(), 0.f, *in0,
                                            *out, 0);
        break;
      }
      case OpCode::kMaxPool2D:
        st = xnn_define_max_pooling_2d(
            subgraph.get(), 0, 0, 0, 0, op.filter_h, op.filter_w, op.stride_h, op.stride_w, 1, 1,
            lo, hi, *in0, *out,
            op.padding == Padding::kSame ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0);
        break;
      case OpCode::kResizeBilinear: {
        if (out_shape.size() != 4) return InvalidArgument("RESIZE_BILINEAR output must be 4-D");
        std::uint32_t flags = op.align_corners        ? XNN_FLAG_ALIGN_CORNERS
                              : op.half_pixel_centers ? 0
                                                      : XNN_FLAG_TENSORFLOW_LEGACY_MODE;
        st = xnn_define_static_resize_bilinear_2d(subgraph.get(), out_shape[1], out_shape[2], *in0,
                                                  *out, flags);
        break;
      }
      case OpCode::kReshape: {
        std::vector<std::size_t> dims(out_shape.begin(), out_shape.end());
        st = xnn_define_static_reshape(subgraph.get(), dims.size(), dims.data(), *in0, *out, 0);
        break;
      }
      case OpCode::kLogistic:
        st = xnn_define_sigmoid(subgraph.get(), *in0, *out, 0);
        break;
      case OpCode::kDepthToSpace:
        st = xnn_define_depth_to_space(subgraph.get(), *in0, *out,
                                       static_cast<std::uint32_t>(op.block_size), 0);
        break;
      default:
        return InvalidArgument(OpName(op.builtin_code) + " is not supported");
    }
    if (st != xnn_status_success) {
      return InvalidArgument("XNNPACK rejected " + OpName(op.builtin_code) + " producing " +
                             tensors[out_t].name);
    }
  }

  // The input must be defined even if (oddly) no operator reads it, and outputs must be produced.
  auto in_id = define(input_tensor);
  if (!in_id.ok()) return in_id.status();
  for (int t : external_outputs) {
    if (value_id.count(t) == 0)
      return InvalidArgument("output " + tensors[t].name + " not computed");
  }

  if (threads > 1) {
    impl->pool.reset(pthreadpool_create(static_cast<std::size_t>(threads)));
    if (!impl->pool) return Internal("cannot create a thread pool");
  }
  xnn_runtime_t raw_runtime = nullptr;
  if (xnn_create_runtime_v2(subgraph.get(), impl->pool.get(), 0, &raw_runtime) !=
      xnn_status_success) {
    return Internal("XNNPACK could not create a runtime for the model");
  }
  impl->runtime.reset(raw_runtime);

  const std::size_t slack = XNN_EXTRA_BYTES / sizeof(float) + 1;
  std::vector<xnn_external_value> externals;
  const auto& in_shape = tensors[input_tensor].shape;
  std::vector<float> input(Elements(in_shape) + slack, 0.f);
  externals.push_back({0, input.data()});
  for (std::size_t k = 0; k < external_outputs.size(); ++k) {
    std::size_t n = Elements(tensors[external_outputs[k]].shape);
    impl->buffers.emplace_back(n + slack, 0.f);
    impl->buffer_elements.push_back(n);
    externals.push_back({static_cast<std::uint32_t>(1 + k), impl->buffers.back().data()});
  }
  if (xnn_setup_runtime(impl->runtime.get(), externals.size(), externals.data()) !=
      xnn_status_success) {
    return Internal("XNNPACK runtime setup failed");
  }
  auto exec = std::make_unique<Executor>(std::move(impl));
  exec->input_ = std::move(input);  // moving a vector keeps its heap buffer, so the runtime's
  exec->input_elements_ = Elements(in_shape);  // pointer stays valid
  exec->input_shape_ = in_shape;
  return exec;
}

}  // namespace ascension::vision::tflite
