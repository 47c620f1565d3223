#include "vision/tflite/executor.hpp"

#include <time.h>
#include <xnnpack.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "vision/tflite/kernels.hpp"

namespace ascension::vision::tflite {
namespace {

struct OperatorDeleter {
  void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
struct ThreadpoolDeleter {
  void operator()(pthreadpool* p) const { pthreadpool_destroy(p); }
};
using XnnOperator = std::unique_ptr<xnn_operator, OperatorDeleter>;

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
// In 64 bits: a model's stride and dilation are any int32 (an int sum would overflow).
int WindowOutput(int in, int kernel, int stride, int dilation, Padding padding) {
  if (stride <= 0 || dilation <= 0 || kernel <= 0 || in < 0) return -1;
  if (padding == Padding::kSame) {
    return static_cast<int>((std::int64_t{in} + stride - 1) / stride);
  }
  const std::int64_t effective = std::int64_t{kernel - 1} * dilation + 1;
  return in < effective ? -1 : static_cast<int>((in - effective) / stride + 1);
}

// The most padding one side of a window may get: TensorFlow's SAME padding of a real model is
// less than its kernel; a dilation or stride of millions would hand XNNPACK a padded input of
// that size.
constexpr std::int64_t kMaxSidePadding = std::int64_t{1} << 16;

// Output pixels × window taps of one convolution or pooling (see CheckShapes).
constexpr std::int64_t kMaxWindowTaps = std::int64_t{1} << 24;

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
    // XNNPACK's indirection buffer holds a pointer per output pixel and window tap: a window and
    // an output sized from the file made it allocate gigabytes (found by fuzz/tflite_model, a
    // MAX_POOL_2D). The largest of our models needs 0.6 M taps.
    const std::int64_t taps = std::int64_t{in[0]} * oh * ow * kh * kw;
    if (kh <= 0 || kw <= 0 || taps > kMaxWindowTaps) return "window too large";
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
      // In 64 bits: a block size read from the file squares (and multiplies a dimension)
      // beyond int (917504 * 917504 was signed overflow, found by fuzz/tflite_model).
      const std::int64_t b = op.block_size;
      if (in.size() != 4 || b <= 0 || in[3] % (b * b) != 0) return "bad depth-to-space";
      if (out.size() != 4 || out[0] != in[0] || out[1] != in[1] * b || out[2] != in[2] * b ||
          out[3] != in[3] / (b * b)) {
        return "output shape mismatch";
      }
      return {};
    }
    default:
      return {};  // PAD is checked where its paddings are read
  }
}

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// "16x16x160" for [1,16,16,160]: the batch of one is left out.
std::string Dims(const std::vector<int>& shape) {
  std::string s;
  for (std::size_t d = shape.size() == 4 && shape[0] == 1 ? 1 : 0; d < shape.size(); ++d) {
    if (!s.empty()) s += 'x';
    s += std::to_string(shape[d]);
  }
  return s.empty() ? "scalar" : s;
}

std::vector<std::size_t> SizeDims(const std::vector<int>& shape) {
  return {shape.begin(), shape.end()};
}

// Zero padding of the two spatial dimensions of an NHWC tensor, in elements.
struct SpatialPad {
  int source = -1;  // the unpadded tensor
  int top = 0, bottom = 0, left = 0, right = 0;
};

struct FoldedPads {
  std::map<int, SpatialPad> pads;  // padded tensor -> how it is made from its source
  std::set<int> skip;              // PAD operators not run at all
};

// PAD operators that only pad height and width with zeros and whose every reader (among the
// operators computed) is a convolution taking the padded tensor as its input: those convolutions
// read the unpadded tensor with explicit padding instead. Anything else is left to the PAD itself
// (which checks its operands when its step is made).
FoldedPads FoldablePads(const Model& model, const std::vector<bool>& needed,
                        const std::set<int>& kept_tensors) {
  const auto& tensors = model.tensors();
  const auto& ops = model.operators();
  std::vector<std::vector<int>> readers(tensors.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!needed[i]) continue;
    for (int t : ops[i].inputs) {
      if (t >= 0) readers[t].push_back(static_cast<int>(i));
    }
  }
  FoldedPads out;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Operator& op = ops[i];
    if (!needed[i] || static_cast<OpCode>(op.builtin_code) != OpCode::kPad) continue;
    if (op.inputs.size() != 2 || op.outputs.size() != 1 || op.inputs[0] < 0 || op.inputs[1] < 0) {
      continue;
    }
    const int src = op.inputs[0], dst = op.outputs[0];
    const auto& in = tensors[src].shape;
    const auto& padded = tensors[dst].shape;
    const Tensor& paddings = tensors[op.inputs[1]];
    if (in.size() != 4 || padded.size() != 4 || paddings.type != TensorType::kInt32 ||
        paddings.data.size() != 8 * sizeof(std::int32_t) || !tensors[dst].data.empty() ||
        !tensors[src].data.empty() || kept_tensors.count(dst) != 0) {
      continue;
    }
    std::int32_t p[8];
    std::memcpy(p, paddings.data.data(), sizeof p);
    bool ok = p[0] == 0 && p[1] == 0 && p[6] == 0 && p[7] == 0;
    for (int k = 2; k < 6; ++k) ok = ok && p[k] >= 0 && p[k] <= 64;
    ok = ok && padded[0] == in[0] && padded[3] == in[3] &&
         std::int64_t{padded[1]} == std::int64_t{in[1]} + p[2] + p[3] &&
         std::int64_t{padded[2]} == std::int64_t{in[2]} + p[4] + p[5];
    ok = ok && !readers[dst].empty();
    for (int r : readers[dst]) {
      const Operator& reader = ops[r];
      const auto code = static_cast<OpCode>(reader.builtin_code);
      ok = ok && (code == OpCode::kConv2D || code == OpCode::kDepthwiseConv2D) &&
           reader.inputs[0] == dst;
      for (std::size_t k = 1; k < reader.inputs.size(); ++k) ok = ok && reader.inputs[k] != dst;
    }
    if (!ok) continue;
    out.pads[dst] = {src, p[2], p[3], p[4], p[5]};
    out.skip.insert(static_cast<int>(i));
  }
  return out;
}

// Where each tensor lives: at an offset (in floats) from a representative tensor of its group,
// the tensors of a group sharing one storage (a RESHAPE's input and output; the parts of a
// concatenation and its output). Union-find with offsets.
class Placement {
 public:
  explicit Placement(std::size_t n) : parent_(n), offset_(n, 0) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  // The group's representative and the tensor's offset from it.
  std::pair<int, std::int64_t> Find(int t) {
    if (parent_[t] == t) return {t, 0};
    auto [root, off] = Find(parent_[t]);
    parent_[t] = root;
    offset_[t] += off;
    return {root, offset_[t]};
  }
  // Places tensor a at tensor b + off. False (and nothing changed) if they are already placed
  // otherwise relative to each other.
  bool Join(int a, int b, std::int64_t off) {
    auto [ra, oa] = Find(a);
    auto [rb, ob] = Find(b);
    if (ra == rb) return oa == ob + off;
    parent_[ra] = rb;
    offset_[ra] = ob + off - oa;
    return true;
  }

 private:
  std::vector<int> parent_;
  std::vector<std::int64_t> offset_;
};

// A storage group: its extent relative to the representative, and when it is live (in steps).
struct Group {
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  int first = std::numeric_limits<int>::max();
  int last = -1;
  std::size_t arena_offset = 0;  // floats, of the reserved block; `lo` is at + colour
  std::size_t colour = 0;        // floats
};

// Rounds a size in floats up to whole 64-byte lines plus XNNPACK's over-read allowance.
std::size_t PaddedFloats(std::size_t n) {
  const std::size_t extra = (XNN_EXTRA_BYTES + sizeof(float) - 1) / sizeof(float);
  return (n + extra + 15) / 16 * 16;
}

// First-fit placement of the groups in one arena: groups live at the same time never overlap.
// Largest first, which keeps the arena close to the largest set of simultaneously live tensors.
// Each group also starts at its own offset modulo 4 KiB ("colour", groups.size() of them spread
// over 64 cache lines): an operator whose input and output sit a multiple of 4 KiB apart makes
// every load wait for the store 4 KiB away (4K aliasing), which halves a depthwise convolution.
std::size_t PlanArena(std::vector<Group*> groups) {
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i]->colour = (i * 37) % 64 * 16;
  std::sort(groups.begin(), groups.end(),
            [](const Group* a, const Group* b) { return a->hi - a->lo > b->hi - b->lo; });
  std::vector<const Group*> placed;
  std::size_t total = 0;
  for (Group* g : groups) {
    const std::size_t size = PaddedFloats(static_cast<std::size_t>(g->hi - g->lo)) + g->colour;
    std::vector<std::pair<std::size_t, std::size_t>> busy;  // [begin, end) of overlapping groups
    for (const Group* p : placed) {
      if (p->first <= g->last && g->first <= p->last) {
        busy.emplace_back(
            p->arena_offset,
            p->arena_offset + p->colour + PaddedFloats(static_cast<std::size_t>(p->hi - p->lo)));
      }
    }
    std::sort(busy.begin(), busy.end());
    std::size_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (offset + size <= begin) break;
      offset = std::max(offset, end);
    }
    g->arena_offset = offset;
    total = std::max(total, offset + size);
    placed.push_back(g);
  }
  return total;
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
  // One step of an invocation: an XNNPACK operator set up on fixed buffers, or one of our kernels.
  struct Action {
    XnnOperator op;
    std::unique_ptr<kernels::PointwiseConvolution> pointwise;
    std::unique_ptr<kernels::DepthwiseConvolution> depthwise;
    std::unique_ptr<kernels::SmallConvolution> small;
    const float* in = nullptr;
    const float* residual = nullptr;
    float* out = nullptr;
    std::size_t pixels = 0;
  };
  struct Output {
    std::vector<int> shape;
    const float* data = nullptr;
    std::size_t elements = 0;
  };
  // fp32 constants (weights converted from fp16, biases, operands of element-wise operators):
  // XNNPACK's element-wise operators read them at every run, so they live as long as the steps.
  std::vector<std::vector<float>> constants;
  std::vector<float> arena;
  std::vector<Action> actions;
  std::vector<Executor::Step> steps;
  std::vector<Output> outputs;
  std::unique_ptr<pthreadpool, ThreadpoolDeleter> pool;
  double flops = 0;

  Status Run(Action& a) {
    if (a.op) {
      return xnn_run_operator(a.op.get(), pool.get()) == xnn_status_success
                 ? Status::Ok()
                 : Internal("XNNPACK inference failed");
    }
    if (a.pointwise) a.pointwise->Run(a.in, a.pixels, a.out, pool.get(), a.residual);
    if (a.depthwise) a.depthwise->Run(a.in, a.out, pool.get());
    if (a.small) a.small->Run(a.in, a.out, pool.get());
    return Status::Ok();
  }
};

Executor::Executor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Executor::~Executor() = default;

std::span<const float> Executor::output(std::size_t i) const {
  const auto& o = impl_->outputs.at(i);
  return {o.data, o.elements};
}

const std::vector<int>& Executor::output_shape(std::size_t i) const {
  return impl_->outputs.at(i).shape;
}

double Executor::flops() const {
  return impl_->flops;
}

const std::vector<Executor::Step>& Executor::steps() const {
  return impl_->steps;
}

Status Executor::Invoke() {
  for (auto& a : impl_->actions) {
    if (Status s = impl_->Run(a); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Executor::InvokeProfiled(std::vector<double>* step_ms) {
  step_ms->resize(impl_->actions.size(), 0.0);
  for (std::size_t i = 0; i < impl_->actions.size(); ++i) {
    const double t0 = ThreadCpuMs();
    if (Status s = impl_->Run(impl_->actions[i]); !s.ok()) return s;
    (*step_ms)[i] += ThreadCpuMs() - t0;
  }
  return Status::Ok();
}

Result<std::unique_ptr<Executor>> Executor::Create(const Model& model,
                                                   const std::vector<std::string>& output_names,
                                                   int threads) {
  ExecutorOptions options;
  options.threads = threads;
  return Create(model, output_names, options);
}

Result<std::unique_ptr<Executor>> Executor::Create(const Model& model,
                                                   const std::vector<std::string>& output_names,
                                                   const ExecutorOptions& options) {
  if (xnn_initialize(nullptr) != xnn_status_success) {
    return Internal("XNNPACK is not supported on this CPU");
  }
  const auto& tensors = model.tensors();
  const auto& ops = model.operators();
  if (model.inputs().size() != 1) return InvalidArgument("model must have exactly one input");
  const int input_tensor = model.inputs()[0];
  if (tensors[input_tensor].type != TensorType::kFloat32 || !tensors[input_tensor].data.empty()) {
    return InvalidArgument("tensor " + tensors[input_tensor].name + " is not an fp32 input");
  }

  // Which operator produces each tensor.
  std::vector<int> producer(tensors.size(), -1);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    for (int t : ops[i].outputs) producer[t] = static_cast<int>(i);
  }
  std::vector<int> wanted;
  for (const auto& name : output_names) {
    int t = -1;
    for (int o : model.outputs()) {
      if (tensors[o].name == name) t = o;
    }
    if (t < 0) return InvalidArgument("model has no output named " + name);
    wanted.push_back(t);
  }

  // Operators needed for the requested outputs, found backwards from them.
  std::vector<bool> needed(ops.size(), false);
  {
    std::vector<int> stack(wanted);
    std::vector<bool> visited(tensors.size(), false);
    while (!stack.empty()) {
      const int t = stack.back();
      stack.pop_back();
      if (t < 0 || visited[t]) continue;
      visited[t] = true;
      const int p = producer[t];
      if (p < 0 || needed[p]) continue;
      needed[p] = true;
      for (int in : ops[p].inputs) stack.push_back(in);
    }
  }
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (needed[i] && (ops[i].outputs.empty() || ops[i].inputs.empty() || ops[i].inputs[0] < 0)) {
      return InvalidArgument(OpName(ops[i].builtin_code) + " without input or output");
    }
  }
  const FoldedPads folded =
      FoldablePads(model, needed, std::set<int>(wanted.begin(), wanted.end()));

  auto impl = std::make_unique<Impl>();
  // Constants: fp32 tensors of the file, and the fp16 weights DEQUANTIZE (after DENSIFY) turns
  // into fp32, converted here once.
  std::map<int, const float*> constant;
  std::map<int, std::vector<std::uint16_t>> half;
  auto keep = [&](std::vector<float> v) {
    impl->constants.push_back(std::move(v));
    return impl->constants.back().data();
  };
  // The fp32 data of tensor t if it is a constant, nullptr if it is an activation.
  auto constant_data = [&](int t) -> Result<const float*> {
    if (auto it = constant.find(t); it != constant.end()) return it->second;
    const Tensor& tensor = tensors[t];
    if (tensor.data.empty()) return static_cast<const float*>(nullptr);
    if (tensor.type != TensorType::kFloat32) {
      return InvalidArgument("constant " + tensor.name + " is not fp32");
    }
    if (tensor.data.size() != Elements(tensor.shape) * sizeof(float)) {
      return DataLoss("constant " + tensor.name + " has the wrong size");
    }
    std::vector<float> v(Elements(tensor.shape));
    std::memcpy(v.data(), tensor.data.data(), tensor.data.size());
    return constant[t] = keep(std::move(v));
  };
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
  auto int_constant = [&](int t, std::size_t count) -> Result<std::vector<int>> {
    const Tensor& tensor = tensors[t];
    if (tensor.type != TensorType::kInt32 || tensor.data.size() != count * 4) {
      return InvalidArgument("expected " + std::to_string(count) + " int32 constants in " +
                             tensor.name);
    }
    std::vector<int> v(count);
    // A PAD of a rank-0 tensor asks for no constant: memcpy of null pointers is undefined even for
    // zero bytes (found by fuzz/tflite_model).
    if (count > 0) std::memcpy(v.data(), tensor.data.data(), count * 4);
    return v;
  };

  // The operators that run, in the model's (topological) order; weight preparation is done now.
  std::vector<int> nodes;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!needed[i] || folded.skip.count(static_cast<int>(i)) != 0) continue;
    const Operator& op = ops[i];
    const auto code = static_cast<OpCode>(op.builtin_code);
    const int out_t = op.outputs[0];
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
      constant[out_t] = keep(std::move(v));
      continue;
    }
    switch (code) {
      case OpCode::kConv2D:
      case OpCode::kDepthwiseConv2D:
      case OpCode::kAdd:
      case OpCode::kMul:
        if (op.inputs.size() < 2 || op.inputs[1] < 0) {
          return InvalidArgument(OpName(op.builtin_code) + " is missing an input");
        }
        break;
      case OpCode::kPad:
        if (op.inputs.size() < 2 || op.inputs[1] < 0)
          return InvalidArgument("PAD without paddings");
        break;
      case OpCode::kConcatenation:
        for (int in : op.inputs) {
          if (in < 0) return InvalidArgument("concatenation inputs do not match its output");
        }
        break;
      case OpCode::kRelu:
      case OpCode::kRelu6:
      case OpCode::kMaxPool2D:
      case OpCode::kResizeBilinear:
      case OpCode::kReshape:
      case OpCode::kLogistic:
      case OpCode::kDepthToSpace:
        break;
      default:
        return InvalidArgument(OpName(op.builtin_code) + " is not supported");
    }
    if (std::string why = CheckShapes(op, tensors); !why.empty()) {
      return InvalidArgument(OpName(op.builtin_code) + " at " + tensors[out_t].name + ": " + why);
    }
    nodes.push_back(static_cast<int>(i));
  }

  // The tensor an operator reads as its data input (a folded PAD's source, not the padded one).
  auto data_input = [&](const Operator& op) {
    const auto it = folded.pads.find(op.inputs[0]);
    return it != folded.pads.end() ? it->second.source : op.inputs[0];
  };

  // A 1x1 convolution without activation whose only reader is an ADD of a tensor computed
  // before it (a residual connection) does the addition in its own output pass (our kernel).
  const bool own = options.own_kernels && kernels::Avx512Available();
  std::map<int, int> fused_add;  // convolution node -> ADD node it computes
  std::map<int, int> residual;   // convolution node -> the ADD's other operand
  std::set<int> fused_away;      // ADD nodes done by a convolution
  if (own) {
    std::map<int, int> position_of;
    std::vector<std::vector<int>> readers(tensors.size());
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      const Operator& op = ops[nodes[k]];
      position_of[nodes[k]] = static_cast<int>(k);
      for (std::size_t in = 0; in < op.inputs.size(); ++in) {
        const int t = in == 0 ? data_input(op) : op.inputs[in];
        if (t >= 0) readers[t].push_back(nodes[k]);
      }
    }
    const std::set<int> wanted_set(wanted.begin(), wanted.end());
    for (int i : nodes) {
      const Operator& op = ops[i];
      if (static_cast<OpCode>(op.builtin_code) != OpCode::kConv2D ||
          op.activation != Activation::kNone || folded.pads.count(op.inputs[0]) != 0) {
        continue;
      }
      const auto& fs = tensors[op.inputs[1]].shape;
      const auto& in_shape = tensors[op.inputs[0]].shape;
      const int t = op.outputs[0];
      if (fs.size() != 4 || in_shape.size() != 4 || fs[1] != 1 || fs[2] != 1 ||
          fs[3] != in_shape[3] || op.stride_h != 1 || op.stride_w != 1 || op.dilation_h != 1 ||
          op.dilation_w != 1 || wanted_set.count(t) != 0 || readers[t].size() != 1) {
        continue;
      }
      const int j = readers[t][0];
      const Operator& add = ops[j];
      if (static_cast<OpCode>(add.builtin_code) != OpCode::kAdd || add.inputs.size() != 2) continue;
      const int other = add.inputs[0] == t ? add.inputs[1] : add.inputs[0];
      if (other == t || other < 0 || tensors[other].shape != tensors[t].shape ||
          tensors[add.outputs[0]].shape != tensors[t].shape) {
        continue;
      }
      auto c = constant_data(other);
      if (!c.ok()) return c.status();
      const bool earlier = other == input_tensor ||
                           (producer[other] >= 0 && position_of.count(producer[other]) != 0 &&
                            position_of[producer[other]] < position_of[i]);
      if (*c != nullptr || !earlier) continue;
      fused_add[i] = j;
      residual[i] = other;
      fused_away.insert(j);
    }
  }

  // Storage: RESHAPE outputs alias their input; the parts of a concatenation along its outermost
  // axis are written in place inside its output.
  struct Concat {
    std::vector<std::size_t> inner;  // elements per outer slice, per part
    std::size_t outer = 1, total_inner = 0;
    bool in_place = false;
  };
  std::map<int, Concat> concats;  // node -> layout
  std::set<int> aliases;          // nodes with nothing to run
  Placement place(tensors.size());
  for (int i : nodes) {
    const Operator& op = ops[i];
    const auto code = static_cast<OpCode>(op.builtin_code);
    const int out_t = op.outputs[0];
    if (code == OpCode::kReshape) {
      auto c = constant_data(op.inputs[0]);
      if (!c.ok()) return c.status();
      if (*c != nullptr) {
        constant[out_t] = *c;
        aliases.insert(i);
      } else if (place.Join(out_t, op.inputs[0], 0)) {
        aliases.insert(i);
      }
    } else if (code == OpCode::kConcatenation) {
      const auto& shape = tensors[out_t].shape;
      const int rank = static_cast<int>(shape.size());
      const int axis = op.axis < 0 ? op.axis + rank : op.axis;
      if (axis < 0 || axis >= rank || op.activation != Activation::kNone) {
        return InvalidArgument("unsupported concatenation");
      }
      Concat layout;
      for (int d = 0; d < axis; ++d) layout.outer *= static_cast<std::size_t>(shape[d]);
      for (int in : op.inputs) {
        if (tensors[in].shape.size() != shape.size()) {
          return InvalidArgument("concatenation inputs do not match its output");
        }
        std::size_t inner = 1;
        for (int d = 0; d < rank; ++d) {
          if (d != axis && tensors[in].shape[d] != shape[d]) {
            return InvalidArgument("concatenation inputs do not match its output");
          }
          if (d >= axis) inner *= static_cast<std::size_t>(tensors[in].shape[d]);
        }
        layout.inner.push_back(inner);
        layout.total_inner += inner;
      }
      if (layout.total_inner * layout.outer != Elements(shape)) {
        return InvalidArgument("concatenation sizes do not add up");
      }
      if (layout.outer == 1) {
        Placement before = place;
        bool ok = true;
        std::set<int> seen;
        std::size_t offset = 0;
        for (std::size_t p = 0; p < op.inputs.size() && ok; ++p) {
          const int in = op.inputs[p];
          auto c = constant_data(in);
          if (!c.ok()) return c.status();
          ok = *c == nullptr && seen.insert(in).second &&
               place.Join(in, out_t, static_cast<std::int64_t>(offset));
          offset += layout.inner[p];
        }
        ok = ok && place.Find(input_tensor).first != place.Find(out_t).first;
        if (ok) {
          layout.in_place = true;
          aliases.insert(i);
        } else {
          place = before;
        }
      }
      concats[i] = std::move(layout);
    }
  }

  // Each storage group's extent and lifetime (in node positions); requested outputs live to the
  // end. The model input's group is the input buffer; every other group gets a place in the arena.
  std::map<int, Group> groups;
  const int end = static_cast<int>(nodes.size());
  auto touch = [&](int t, int position) -> Status {
    auto c = constant_data(t);
    if (!c.ok()) return c.status();
    if (*c != nullptr) return Status::Ok();
    const Tensor& tensor = tensors[t];
    if (tensor.type != TensorType::kFloat32) {
      return InvalidArgument("tensor " + tensor.name + " is not fp32");
    }
    if (t != input_tensor && producer[t] < 0) {
      return InvalidArgument("tensor " + tensor.name + " has no value");
    }
    const auto [root, offset] = place.Find(t);
    Group& g = groups[root];
    g.lo = std::min(g.lo, offset);
    g.hi = std::max(g.hi, offset + static_cast<std::int64_t>(Elements(tensor.shape)));
    g.first = std::min(g.first, position);
    g.last = std::max(g.last, position);
    return Status::Ok();
  };
  if (Status s = touch(input_tensor, 0); !s.ok()) return s;
  for (int position = 0; position < end; ++position) {
    const int node = nodes[position];
    if (fused_away.count(node) != 0) continue;
    const Operator& op = ops[node];
    const auto code = static_cast<OpCode>(op.builtin_code);
    // Only the data inputs are activations; shapes and paddings are parameters.
    const std::size_t data_inputs =
        code == OpCode::kConcatenation || code == OpCode::kAdd || code == OpCode::kMul
            ? op.inputs.size()
        : code == OpCode::kConv2D || code == OpCode::kDepthwiseConv2D
            ? std::min<std::size_t>(3, op.inputs.size())
            : 1;
    for (std::size_t k = 0; k < data_inputs; ++k) {
      const int t = k == 0 ? data_input(op) : op.inputs[k];
      if (t < 0) continue;
      if (Status s = touch(t, position); !s.ok()) return s;
    }
    int written = op.outputs[0];
    if (auto f = fused_add.find(node); f != fused_add.end()) {
      if (Status s = touch(residual.at(node), position); !s.ok()) return s;
      written = ops[f->second].outputs[0];
    }
    if (Status s = touch(written, position); !s.ok()) return s;
  }
  for (int t : wanted) {
    if (t != input_tensor && (producer[t] < 0 || !needed[producer[t]])) {
      return InvalidArgument("output " + tensors[t].name + " not computed");
    }
    if (constant.count(t) != 0)
      return InvalidArgument("output " + tensors[t].name + " is constant");
    if (Status s = touch(t, end); !s.ok()) return s;
  }
  const int input_root = place.Find(input_tensor).first;
  std::vector<Group*> arena_groups;
  for (auto& [root, g] : groups) {
    if (root != input_root) arena_groups.push_back(&g);
  }
  const std::size_t arena_floats = PlanArena(arena_groups);
  impl->arena.assign(arena_floats + 16, 0.f);
  float* arena = impl->arena.data();
  arena += (64 - reinterpret_cast<std::uintptr_t>(arena) % 64) % 64 / sizeof(float);
  const Group& in_group = groups[input_root];
  std::vector<float> input(PaddedFloats(static_cast<std::size_t>(in_group.hi - in_group.lo)), 0.f);
  // Where tensor t's first element is. Every tensor a step reads or writes was placed above; a
  // miss would be a bug here, reported as an error rather than a crash.
  bool unplaced = false;
  auto at = [&](int t) -> float* {
    const auto [root, offset] = place.Find(t);
    const auto it = groups.find(root);
    if (it == groups.end()) {
      unplaced = true;
      return input.data();
    }
    const Group& g = it->second;
    float* base = root == input_root ? input.data() : arena + g.arena_offset + g.colour;
    return base + (offset - g.lo);
  };
  auto read = [&](int t) -> const float* {
    auto c = constant.find(t);
    return c != constant.end() ? c->second : at(t);
  };

  if (options.threads > 1) {
    impl->pool.reset(pthreadpool_create(static_cast<std::size_t>(options.threads)));
    if (!impl->pool) return Internal("cannot create a thread pool");
  }
  pthreadpool_t pool = impl->pool.get();
  for (int i : nodes) {
    if (aliases.count(i) != 0 || fused_away.count(i) != 0) continue;
    const Operator& op = ops[i];
    const auto code = static_cast<OpCode>(op.builtin_code);
    const int out_t = op.outputs[0];
    const int in_t = data_input(op);
    const auto& in_shape = tensors[in_t].shape;
    const auto& out_shape = tensors[out_t].shape;
    const double out_elements = static_cast<double>(Elements(out_shape));
    float lo, hi;
    ActivationRange(op.activation, &lo, &hi);
    Executor::Step info;
    info.shape = Dims(in_shape) + " -> " + Dims(out_shape);
    Impl::Action action;
    xnn_operator_t raw = nullptr;
    xnn_status st = xnn_status_success;
    auto failed = [&](const char* what) {
      return InvalidArgument("XNNPACK rejected " + OpName(op.builtin_code) + " producing " +
                             tensors[out_t].name + " (" + what + ")");
    };
    switch (code) {
      case OpCode::kConv2D:
      case OpCode::kDepthwiseConv2D: {
        const auto& fs = tensors[op.inputs[1]].shape;
        if (fs.size() != 4 || in_shape.size() != 4 || out_shape.size() != 4) {
          return InvalidArgument("convolution tensors must be 4-D");
        }
        auto filter = constant_data(op.inputs[1]);
        if (!filter.ok()) return filter.status();
        if (*filter == nullptr) return InvalidArgument("convolution weights must be constant");
        const float* bias = nullptr;
        if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
          if (Elements(tensors[op.inputs[2]].shape) != static_cast<std::size_t>(out_shape.back())) {
            return InvalidArgument("bias size does not match the output channels");
          }
          auto b = constant_data(op.inputs[2]);
          if (!b.ok()) return b.status();
          if (*b == nullptr) return InvalidArgument("convolution bias must be constant");
          bias = *b;
        }
        const std::size_t filter_elements = Elements(fs);
        const std::size_t out_channels = static_cast<std::size_t>(out_shape[3]);
        // Explicit padding: the folded PAD's, plus TensorFlow's SAME padding of the padded input.
        const auto fold = folded.pads.find(op.inputs[0]);
        SpatialPad p = fold != folded.pads.end() ? fold->second : SpatialPad{};
        if (op.padding == Padding::kSame) {
          const auto& padded = tensors[op.inputs[0]].shape;
          // In 64 bits (CheckShapes has refused non-positive strides, dilations and kernels).
          const auto same = [](int in, int kernel, int stride, int dilation, int* before,
                               int* after) {
            const std::int64_t out = (std::int64_t{in} + stride - 1) / stride;
            const std::int64_t total = std::max<std::int64_t>(
                (out - 1) * stride + std::int64_t{kernel - 1} * dilation + 1 - in, 0);
            if (*before + total / 2 > kMaxSidePadding || *after + (total - total / 2) > kMaxSidePadding) {
              return false;
            }
            *before += static_cast<int>(total / 2);
            *after += static_cast<int>(total - total / 2);
            return true;
          };
          if (!same(padded[1], fs[1], op.stride_h, op.dilation_h, &p.top, &p.bottom) ||
              !same(padded[2], fs[2], op.stride_w, op.dilation_w, &p.left, &p.right)) {
            return InvalidArgument("padding too large: the stride or dilation of a convolution exceeds its input");
          }
        }
        const bool unit = op.dilation_h == 1 && op.dilation_w == 1;
        // The geometry our kernels take (they check what they support).
        auto conv_shape = [&] {
          kernels::ConvShape cs;
          cs.in_channels = in_shape[3];
          cs.out_channels = out_shape[3];
          cs.kernel_h = fs[1];
          cs.kernel_w = fs[2];
          cs.stride = op.stride_h;
          cs.in_height = in_shape[1];
          cs.in_width = in_shape[2];
          cs.out_height = out_shape[1];
          cs.out_width = out_shape[2];
          cs.pad_top = p.top;
          cs.pad_left = p.left;
          return cs;
        };
        if (code == OpCode::kConv2D) {
          const int group_in = fs[3];
          // An input of 0 channels made the group count 0 and the next check divide by it
          // (found by fuzz/tflite_model).
          if (group_in <= 0 || in_shape[3] <= 0 || in_shape[3] % group_in != 0 ||
              fs[0] % (in_shape[3] / group_in) != 0) {
            return InvalidArgument("convolution channels do not match");
          }
          const int groups = in_shape[3] / group_in;
          info.kind = "conv " + std::to_string(fs[1]) + "x" + std::to_string(fs[2]) +
                      (op.stride_h > 1 ? "/" + std::to_string(op.stride_h) : "");
          info.flops = 2 * out_elements * fs[1] * fs[2] * group_in;
          const auto fused = fused_add.find(i);
          if (fused != fused_add.end()) ActivationRange(ops[fused->second].activation, &lo, &hi);
          if (own && groups == 1 && fs[1] == 1 && fs[2] == 1 && op.stride_h == 1 &&
              op.stride_w == 1 && unit && p.top == 0 && p.bottom == 0 && p.left == 0 &&
              p.right == 0) {
            action.pointwise = kernels::PointwiseConvolution::Create(
                {*filter, filter_elements}, {bias, bias != nullptr ? out_channels : std::size_t{0}},
                fs[3], fs[0], lo, hi);
          }
          if (action.pointwise) {
            action.in = read(in_t);
            action.pixels = Elements(in_shape) / static_cast<std::size_t>(fs[3]);
            info.own_kernel = true;
            if (fused == fused_add.end()) {
              action.out = at(out_t);
            } else {
              const int sum = ops[fused->second].outputs[0];
              action.out = at(sum);
              action.residual = read(residual.at(i));
              info.kind += " + add";
              info.shape = Dims(in_shape) + " -> " + Dims(tensors[sum].shape);
              info.flops += out_elements;
            }
            break;
          }
          if (fused != fused_add.end()) return Internal("a fused 1x1 convolution has no kernel");
          if (own && groups == 1 && unit && in_shape[0] == 1 && op.stride_h == op.stride_w &&
              in_shape[3] <= kernels::SmallConvolution::kMaxInputChannels) {
            action.small = kernels::SmallConvolution::Create(
                conv_shape(), {*filter, filter_elements},
                {bias, bias != nullptr ? out_channels : std::size_t{0}}, lo, hi);
          }
          if (action.small) {
            action.in = read(in_t);
            action.out = at(out_t);
            info.own_kernel = true;
            break;
          }
          st = xnn_create_convolution2d_nhwc_f32(
              p.top, p.right, p.bottom, p.left, fs[1], fs[2], op.stride_h, op.stride_w,
              op.dilation_h, op.dilation_w, groups, group_in, fs[0] / groups, in_shape[3],
              out_shape[3], *filter, bias, lo, hi, 0, &raw);
        } else {
          if (in_shape[3] <= 0 || fs[3] % in_shape[3] != 0) {
            return InvalidArgument("depthwise convolution channels do not match");
          }
          const int multiplier = fs[3] / in_shape[3];
          info.kind = "depthwise " + std::to_string(fs[1]) + "x" + std::to_string(fs[2]) +
                      (op.stride_h > 1 ? "/" + std::to_string(op.stride_h) : "");
          info.flops = 2 * out_elements * fs[1] * fs[2];
          if (own && multiplier == 1 && fs[1] == fs[2] && op.stride_h == op.stride_w && unit &&
              in_shape[0] == 1) {
            action.depthwise = kernels::DepthwiseConvolution::Create(
                conv_shape(), {*filter, filter_elements},
                {bias, bias != nullptr ? out_channels : std::size_t{0}}, lo, hi);
          }
          if (action.depthwise) {
            action.in = read(in_t);
            action.out = at(out_t);
            info.own_kernel = true;
            break;
          }
          st = xnn_create_convolution2d_nhwc_f32(
              p.top, p.right, p.bottom, p.left, fs[1], fs[2], op.stride_h, op.stride_w,
              op.dilation_h, op.dilation_w, in_shape[3], 1, multiplier, in_shape[3], fs[3], *filter,
              bias, lo, hi, XNN_FLAG_DEPTHWISE_CONVOLUTION, &raw);
        }
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        st = xnn_setup_convolution2d_nhwc_f32(raw, in_shape[0], in_shape[1], in_shape[2],
                                              read(in_t), at(out_t), pool);
        break;
      }
      case OpCode::kAdd:
      case OpCode::kMul: {
        info.kind = code == OpCode::kAdd ? "add" : "mul";
        info.flops = out_elements;
        st = code == OpCode::kAdd ? xnn_create_add_nd_f32(lo, hi, 0, &raw)
                                  : xnn_create_multiply_nd_f32(lo, hi, 0, &raw);
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        const auto a = SizeDims(in_shape), b = SizeDims(tensors[op.inputs[1]].shape);
        st = code == OpCode::kAdd
                 ? xnn_setup_add_nd_f32(raw, a.size(), a.data(), b.size(), b.data(), read(in_t),
                                        read(op.inputs[1]), at(out_t), pool)
                 : xnn_setup_multiply_nd_f32(raw, a.size(), a.data(), b.size(), b.data(),
                                             read(in_t), read(op.inputs[1]), at(out_t), pool);
        break;
      }
      case OpCode::kRelu:
      case OpCode::kRelu6:
      case OpCode::kLogistic: {
        const std::size_t channels =
            in_shape.empty() ? 1 : static_cast<std::size_t>(in_shape.back());
        const std::size_t batch = channels == 0 ? 0 : Elements(in_shape) / channels;
        if (code == OpCode::kLogistic) {
          info.kind = "sigmoid";
          info.flops = out_elements;
          st = xnn_create_sigmoid_nc_f32(channels, channels, channels, 0, &raw);
        } else {
          info.kind = "clamp";
          st = xnn_create_clamp_nc_f32(
              channels, channels, channels, 0,
              code == OpCode::kRelu6 ? 6.f : std::numeric_limits<float>::infinity(), 0, &raw);
        }
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        st = code == OpCode::kLogistic
                 ? xnn_setup_sigmoid_nc_f32(raw, batch, read(in_t), at(out_t), pool)
                 : xnn_setup_clamp_nc_f32(raw, batch, read(in_t), at(out_t), pool);
        break;
      }
      case OpCode::kPad: {
        info.kind = "pad";
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
        static const float kZero = 0.f;
        st = xnn_create_constant_pad_nd_x32(&kZero, 0, &raw);
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        const auto dims = SizeDims(in_shape);
        st = xnn_setup_constant_pad_nd_x32(raw, dims.size(), dims.data(), pre.data(), post.data(),
                                           read(in_t), at(out_t), pool);
        break;
      }
      case OpCode::kMaxPool2D: {
        info.kind = "max pool " + std::to_string(op.filter_h) + "x" + std::to_string(op.filter_w);
        const auto c = static_cast<std::size_t>(in_shape[3]);
        st = xnn_create_max_pooling2d_nhwc_f32(
            0, 0, 0, 0, op.filter_h, op.filter_w, op.stride_h, op.stride_w, 1, 1, c, c, c, lo, hi,
            op.padding == Padding::kSame ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0, &raw);
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        st = xnn_setup_max_pooling2d_nhwc_f32(raw, in_shape[0], in_shape[1], in_shape[2],
                                              read(in_t), at(out_t), pool);
        break;
      }
      case OpCode::kResizeBilinear: {
        info.kind = "resize bilinear";
        const auto c = static_cast<std::size_t>(in_shape[3]);
        const std::uint32_t flags = op.align_corners        ? XNN_FLAG_ALIGN_CORNERS
                                    : op.half_pixel_centers ? 0
                                                            : XNN_FLAG_TENSORFLOW_LEGACY_MODE;
        st = xnn_create_resize_bilinear2d_nhwc_f32(c, c, c, flags, &raw);
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        st = xnn_setup_resize_bilinear2d_nhwc_f32(raw, in_shape[0], in_shape[1], in_shape[2],
                                                  out_shape[1], out_shape[2], read(in_t), at(out_t),
                                                  pool);
        break;
      }
      case OpCode::kDepthToSpace: {
        info.kind = "depth to space";
        const auto cin = static_cast<std::size_t>(in_shape[3]);
        const auto cout = static_cast<std::size_t>(out_shape[3]);
        st = xnn_create_depth_to_space_nhwc_x32(cout, cin, cout,
                                                static_cast<std::uint32_t>(op.block_size), 0, &raw);
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        st = xnn_setup_depth_to_space_nhwc_x32(raw, in_shape[0], in_shape[1], in_shape[2],
                                               read(in_t), at(out_t), pool);
        break;
      }
      case OpCode::kReshape: {
        // Only when the input could not share the output's storage (never for these models).
        info.kind = "copy";
        const std::size_t n = Elements(out_shape);
        st = xnn_create_copy_nc_x32(n, n, n, 0, &raw);
        if (st != xnn_status_success) return failed("create");
        action.op.reset(raw);
        st = xnn_setup_copy_nc_x32(raw, 1, read(in_t), at(out_t), pool);
        break;
      }
      case OpCode::kConcatenation: {
        // Not along the outermost axis (or a part that cannot be written in place): one strided
        // copy per part into the output.
        const Concat& layout = concats.at(i);
        std::size_t offset = 0;
        for (std::size_t p = 0; p < op.inputs.size(); ++p) {
          Impl::Action copy;
          st =
              xnn_create_copy_nc_x32(layout.inner[p], layout.inner[p], layout.total_inner, 0, &raw);
          if (st != xnn_status_success) return failed("create");
          copy.op.reset(raw);
          st = xnn_setup_copy_nc_x32(raw, layout.outer, read(op.inputs[p]), at(out_t) + offset,
                                     pool);
          if (st != xnn_status_success) return failed("setup");
          offset += layout.inner[p];
          impl->actions.push_back(std::move(copy));
          Executor::Step part;
          part.kind = "copy";
          part.shape = Dims(tensors[op.inputs[p]].shape) + " -> " + Dims(out_shape);
          impl->steps.push_back(std::move(part));
        }
        continue;
      }
      default:
        return InvalidArgument(OpName(op.builtin_code) + " is not supported");
    }
    if (st != xnn_status_success) return failed("setup");
    if (unplaced) return Internal("a tensor of " + tensors[out_t].name + " has no storage");
    impl->flops += info.flops;
    impl->actions.push_back(std::move(action));
    impl->steps.push_back(std::move(info));
  }

  for (int t : wanted) {
    impl->outputs.push_back({tensors[t].shape, at(t), Elements(tensors[t].shape)});
  }
  if (at(input_tensor) != input.data() || unplaced) {
    return Internal("the model input or an output has no storage");
  }
  auto exec = std::make_unique<Executor>(std::move(impl));
  exec->input_elements_ = Elements(tensors[input_tensor].shape);
  exec->input_shape_ = tensors[input_tensor].shape;
  // The input buffer's heap block moves with the vector, so the pointers set up above stay valid.
  exec->input_ = std::move(input);
  return exec;
}

}  // namespace ascension::vision::tflite
