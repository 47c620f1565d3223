// Template definitions for flatbuffer.hpp. Include flatbuffer.hpp, not this file.
#pragma once

#include <cstring>
#include <type_traits>

namespace ascension::vision::fb {

template <typename T>
T FlatBuffer::Read(std::size_t pos) const {
  static_assert(std::is_arithmetic_v<T>);
  if (!ok()) return T{};
  if (!InBounds(pos, sizeof(T))) {
    Fail("read past the end of the buffer");
    return T{};
  }
  T v;
  std::memcpy(&v, data_.data() + pos, sizeof(T));  // FlatBuffers are little-endian, as is x86/ARM
  return v;
}

template <typename T>
T Table::Scalar(int id, T default_value) const {
  std::size_t pos = FieldPos(id);
  if (pos == 0) return default_value;
  return fb_->Read<T>(pos);
}

template <typename T>
T Vector::Scalar(std::uint32_t i) const {
  if (fb_ == nullptr) return T{};
  if (i >= size_ || sizeof(T) != elem_) {
    fb_->Fail("vector index or element type out of range");
    return T{};
  }
  return fb_->Read<T>(pos_ + std::size_t{i} * elem_);
}

}  // namespace ascension::vision::fb
