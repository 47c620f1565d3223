// A .tflite file as the worker loads a pose model: the bounds-checked flatbuffer reader and model
// decoder, then the XNNPACK graph builder (Executor::Create) for the model's outputs and, for
// small graphs, one inference. Invariants: no sanitizer report or exception; a refused file is
// kDataLoss (decoder) or kInvalidArgument/kDataLoss/kInternal (builder); every tensor index an
// accepted model holds is inside its tensor list.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "vision/tflite/executor.hpp"
#include "vision/tflite/model.hpp"

namespace {

using namespace ascension;
using namespace ascension::vision::tflite;

// Graphs larger than this are decoded but not built: the builder allocates every tensor, and
// the fuzzer would spend its time in memset instead of in the code paths.
constexpr std::size_t kMaxBuiltElements = std::size_t{1} << 22;
constexpr std::size_t kMaxInvokedElements = std::size_t{1} << 18;

bool ValidIndex(int t, std::size_t n, bool optional) {
  return (optional && t == -1) || (t >= 0 && static_cast<std::size_t>(t) < n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto model = Model::FromBytes(std::vector<std::uint8_t>(data, data + size));
  if (!model.ok()) {
    fuzz::Check(model.status().kind() == ErrorKind::kDataLoss, "decoder error is not kDataLoss");
    return 0;
  }
  const auto& tensors = model->tensors();
  const std::size_t n = tensors.size();
  std::size_t elements = 0;
  for (const auto& t : tensors) {
    std::size_t e = 1;
    for (int d : t.shape) {
      fuzz::Check(d >= 0, "accepted a negative dimension");
      e *= static_cast<std::size_t>(d);
    }
    elements += e;
  }
  for (int t : model->inputs())
    fuzz::Check(ValidIndex(t, n, false), "input index outside the model");
  for (int t : model->outputs())
    fuzz::Check(ValidIndex(t, n, false), "output index outside the model");
  for (const auto& op : model->operators()) {
    for (int t : op.inputs) fuzz::Check(ValidIndex(t, n, true), "operator input outside the model");
    for (int t : op.outputs)
      fuzz::Check(ValidIndex(t, n, false), "operator output outside the model");
  }
  if (elements > kMaxBuiltElements) return 0;

  std::vector<std::string> outputs;
  for (int t : model->outputs()) outputs.push_back(tensors[static_cast<std::size_t>(t)].name);
  auto exec = Executor::Create(*model, outputs, 1);
  if (!exec.ok()) {
    ErrorKind k = exec.status().kind();
    fuzz::Check(
        k == ErrorKind::kInvalidArgument || k == ErrorKind::kDataLoss || k == ErrorKind::kInternal,
        "builder error of an unexpected kind");
    return 0;
  }
  if (elements > kMaxInvokedElements) return 0;
  auto in = (*exec)->input();
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 7) * 0.25f - 0.5f;
  if ((*exec)->Invoke().ok()) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      std::size_t e = 1;
      for (int d : (*exec)->output_shape(i)) e *= static_cast<std::size_t>(d);
      fuzz::Check((*exec)->output(i).size() == e, "output size differs from its shape");
    }
  }
  return 0;
}
