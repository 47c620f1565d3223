// A small, bounds-checked reader for FlatBuffers binary data (the encoding of .tflite files).
// Every access is checked against the buffer: a corrupt or truncated buffer never reads out of
// bounds. Errors are sticky: the first failed access records a message in the FlatBuffer and every
// later access returns a default value, so a parser can read a whole structure and check ok() once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ascension::vision::fb {

class FlatBuffer;

// A vector of scalars, strings or tables inside a FlatBuffer.
class Vector {
 public:
  Vector() = default;
  std::uint32_t size() const { return size_; }
  // Element i read as the scalar type T (int8..uint64, float, double).
  template <typename T>
  T Scalar(std::uint32_t i) const;
  // Element i as a table (the vector holds offsets to tables).
  class Table TableAt(std::uint32_t i) const;
  std::string_view StringAt(std::uint32_t i) const;
  // The raw bytes of a vector of bytes (or any scalar vector), already bounds-checked.
  std::span<const std::uint8_t> Bytes() const;

 private:
  friend class Table;
  friend class FlatBuffer;
  Vector(const FlatBuffer* fb, std::size_t pos, std::uint32_t size, std::size_t elem)
      : fb_(fb), pos_(pos), size_(size), elem_(elem) {}
  const FlatBuffer* fb_ = nullptr;
  std::size_t pos_ = 0;  // first element
  std::uint32_t size_ = 0;
  std::size_t elem_ = 0;  // element size in bytes
};

// A table. A default-constructed (or absent) table reads every field as absent.
class Table {
 public:
  Table() = default;
  bool present() const { return fb_ != nullptr; }

  // True if field `id` is stored (not defaulted).
  bool Has(int id) const { return FieldPos(id) != 0; }
  template <typename T>
  T Scalar(int id, T default_value) const;
  Table SubTable(int id) const;
  // Element size: 1, 2, 4 or 8 for scalars; 4 for vectors of tables or strings.
  Vector VectorField(int id, std::size_t elem_size) const;
  std::string_view String(int id) const;

 private:
  friend class FlatBuffer;
  friend class Vector;
  Table(const FlatBuffer* fb, std::size_t pos) : fb_(fb), pos_(pos) {}
  // Absolute position of field `id`, or 0 if absent or the table is corrupt.
  std::size_t FieldPos(int id) const;
  Table TableAtOffset(std::size_t offset_pos) const;

  const FlatBuffer* fb_ = nullptr;
  std::size_t pos_ = 0;
};

// Owns nothing: `data` must outlive the FlatBuffer and every Table/Vector read from it.
class FlatBuffer {
 public:
  explicit FlatBuffer(std::span<const std::uint8_t> data) : data_(data) {}
  FlatBuffer(const FlatBuffer&) = delete;
  FlatBuffer& operator=(const FlatBuffer&) = delete;

  // The root table; an absent table (and an error) if the buffer is too small.
  Table Root() const;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::span<const std::uint8_t> data() const { return data_; }

 private:
  friend class Table;
  friend class Vector;
  // Reads a little-endian T at pos; records an error and returns 0 if [pos, pos+sizeof(T)) is
  // outside the buffer.
  template <typename T>
  T Read(std::size_t pos) const;
  bool InBounds(std::size_t pos, std::size_t len) const {
    return pos <= data_.size() && len <= data_.size() - pos;
  }
  void Fail(std::string_view what) const;
  Table TableAt(std::size_t pos) const;
  Vector VectorAt(std::size_t pos, std::size_t elem) const;
  std::string_view StringAt(std::size_t pos) const;

  std::span<const std::uint8_t> data_;
  mutable std::string error_;
};

}  // namespace ascension::vision::fb

#include "vision/tflite/flatbuffer_inl.hpp"
