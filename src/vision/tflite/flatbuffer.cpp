#include "vision/tflite/flatbuffer.hpp"

namespace ascension::vision::fb {

void FlatBuffer::Fail(std::string_view what) const {
  if (error_.empty()) error_ = std::string(what);
}

Table FlatBuffer::Root() const {
  auto off = Read<std::uint32_t>(0);
  if (!ok()) return {};
  return TableAt(off);
}

Table FlatBuffer::TableAt(std::size_t pos) const {
  // A table starts with a signed offset back to its vtable; both must lie inside the buffer.
  auto soff = Read<std::int32_t>(pos);
  if (!ok()) return {};
  auto vt = static_cast<std::int64_t>(pos) - soff;
  if (vt < 0 || !InBounds(static_cast<std::size_t>(vt), 4)) {
    Fail("table vtable out of bounds");
    return {};
  }
  auto vt_size = Read<std::uint16_t>(static_cast<std::size_t>(vt));
  if (vt_size < 4 || vt_size % 2 != 0 || !InBounds(static_cast<std::size_t>(vt), vt_size)) {
    Fail("malformed vtable");
    return {};
  }
  return Table(this, pos);
}

Vector FlatBuffer::VectorAt(std::size_t pos, std::size_t elem) const {
  auto n = Read<std::uint32_t>(pos);
  if (!ok()) return {};
  if (elem == 0 || !InBounds(pos + 4, std::size_t{n} * elem)) {
    Fail("vector out of bounds");
    return {};
  }
  return Vector(this, pos + 4, n, elem);
}

std::string_view FlatBuffer::StringAt(std::size_t pos) const {
  auto n = Read<std::uint32_t>(pos);
  if (!ok()) return {};
  if (!InBounds(pos + 4, std::size_t{n})) {
    Fail("string out of bounds");
    return {};
  }
  return {reinterpret_cast<const char*>(data_.data() + pos + 4), n};
}

std::size_t Table::FieldPos(int id) const {
  if (fb_ == nullptr || id < 0 || !fb_->ok()) return 0;
  // TableAt() validated the vtable position when this table was created.
  auto vt =
      static_cast<std::size_t>(static_cast<std::int64_t>(pos_) - fb_->Read<std::int32_t>(pos_));
  auto vt_size = fb_->Read<std::uint16_t>(vt);
  auto slot = 4 + 2 * static_cast<std::size_t>(id);
  if (slot + 2 > vt_size) return 0;  // field newer than the writer's schema: absent
  auto field = fb_->Read<std::uint16_t>(vt + slot);
  if (field == 0) return 0;
  auto table_size = fb_->Read<std::uint16_t>(vt + 2);
  if (field >= table_size || !fb_->InBounds(pos_, table_size)) {
    fb_->Fail("table field out of bounds");
    return 0;
  }
  return pos_ + field;
}

Table Table::TableAtOffset(std::size_t offset_pos) const {
  auto off = fb_->Read<std::uint32_t>(offset_pos);
  if (!fb_->ok()) return {};
  return fb_->TableAt(offset_pos + off);
}

Table Table::SubTable(int id) const {
  std::size_t pos = FieldPos(id);
  if (pos == 0) return {};
  return TableAtOffset(pos);
}

Vector Table::VectorField(int id, std::size_t elem_size) const {
  std::size_t pos = FieldPos(id);
  if (pos == 0) return {};
  auto off = fb_->Read<std::uint32_t>(pos);
  if (!fb_->ok()) return {};
  return fb_->VectorAt(pos + off, elem_size);
}

std::string_view Table::String(int id) const {
  std::size_t pos = FieldPos(id);
  if (pos == 0) return {};
  auto off = fb_->Read<std::uint32_t>(pos);
  if (!fb_->ok()) return {};
  return fb_->StringAt(pos + off);
}

Table Vector::TableAt(std::uint32_t i) const {
  if (fb_ == nullptr) return {};
  if (i >= size_ || elem_ != 4) {
    fb_->Fail("vector index out of range");
    return {};
  }
  return Table(fb_, 0).TableAtOffset(pos_ + std::size_t{i} * 4);
}

std::string_view Vector::StringAt(std::uint32_t i) const {
  if (fb_ == nullptr) return {};
  if (i >= size_ || elem_ != 4) {
    fb_->Fail("vector index out of range");
    return {};
  }
  std::size_t p = pos_ + std::size_t{i} * 4;
  auto off = fb_->Read<std::uint32_t>(p);
  if (!fb_->ok()) return {};
  return fb_->StringAt(p + off);
}

std::span<const std::uint8_t> Vector::Bytes() const {
  if (fb_ == nullptr) return {};
  return fb_->data().subspan(pos_, std::size_t{size_} * elem_);
}

}  // namespace ascension::vision::fb
