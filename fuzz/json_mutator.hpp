// A structure-aware mutation for fuzz inputs that carry JSON (job messages, events, token
// claims, request bodies). Byte-level mutation rarely turns `"model":"lite"` into `"model":1`
// while keeping the rest of the document valid, yet a value of the wrong type is exactly what
// breaks `value()`, `get<T>()` and `at()` readers (issue 11). So, half of the time, a target's
// custom mutator parses its JSON part and changes one value's type or shape, or drops or adds a
// member; otherwise libFuzzer's own byte mutations run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace ascension::fuzz {

// A value of a randomly chosen kind.
inline nlohmann::json RandomValue(std::mt19937& rng) {
  switch (rng() % 14) {
    case 0:
      return nullptr;
    case 1:
      return true;
    case 2:
      return 0;
    case 3:
      return -1;
    case 4:
      return 1;
    case 5:
      return std::int64_t{9223372036854775807};
    case 6:
      return 1e308;
    case 7:
      return 0.5;
    case 8:
      return "";
    case 9:
      return "50";
    case 10:
      return std::string(300, 'x');
    case 11:
      return nlohmann::json::array({1, "a", nullptr});
    case 12:
      return nlohmann::json::object({{"x", 1}});
    default:
      return std::string("\0nul", 4);
  }
}

// One random change to a JSON document; nullopt when `text` is not JSON.
inline std::optional<std::string> MutateJsonText(std::string_view text, std::mt19937& rng) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return std::nullopt;
  // Every value of the document, as a JSON pointer.
  std::vector<nlohmann::json::json_pointer> all;
  std::vector<nlohmann::json::json_pointer> todo = {nlohmann::json::json_pointer()};
  while (!todo.empty() && all.size() < 256) {
    auto p = todo.back();
    todo.pop_back();
    all.push_back(p);
    const auto& v = doc[p];
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) todo.push_back(p / it.key());
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size() && i < 16; ++i) todo.push_back(p / i);
    }
  }
  const auto& target = all[rng() % all.size()];
  switch (rng() % 4) {
    case 0:
    case 1:
      doc[target] = RandomValue(rng);  // a value of another kind
      break;
    case 2:
      if (!target.empty() && doc[target.parent_pointer()].is_object()) {
        doc[target.parent_pointer()].erase(target.back());  // a member goes missing
      } else {
        doc[target] = RandomValue(rng);
      }
      break;
    default:
      if (doc[target].is_object()) {
        doc[target]["extra" + std::to_string(rng() % 4)] =
            RandomValue(rng);  // an unexpected member
      } else {
        doc[target] = nlohmann::json::array({doc[target]});  // a value wrapped in an array
      }
      break;
  }
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The custom-mutator body for an input whose JSON part is data[json_begin, json_end): mutate that
// part structurally (half of the time, when it parses), else mutate the bytes.
inline std::size_t MutateWithJson(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                  unsigned seed, std::size_t json_begin, std::size_t json_end) {
  std::mt19937 rng(seed);
  if (rng() % 2 == 0 && json_begin <= json_end && json_end <= size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto mutated = MutateJsonText(in.substr(json_begin, json_end - json_begin), rng);
    if (mutated) {
      std::string out =
          std::string(in.substr(0, json_begin)) + *mutated + std::string(in.substr(json_end));
      if (out.size() <= max_size) {
        std::memcpy(data, out.data(), out.size());
        return out.size();
      }
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

}  // namespace ascension::fuzz
