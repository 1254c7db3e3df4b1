// Writer for Kafka's wire primitives, the counterpart of Reader. Requests are small and built
// by lagwatch itself, so nothing here can fail except on values Kafka cannot carry (a string
// over 32767 bytes in a non-compact STRING), which throw std::length_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lagwatch::kafka::wire {

class Writer {
 public:
  void int8(int8_t v) { buf_.push_back(static_cast<uint8_t>(v)); }
  void int16(int16_t v);
  void int32(int32_t v);
  void int64(int64_t v);
  void boolean(bool v) { buf_.push_back(v ? 1 : 0); }
  void uvarint(uint32_t v);
  void varint(int32_t v);
  void varlong(int64_t v);
  void uuid(std::string_view sixteen_bytes);  // must be 16 bytes

  void string(std::string_view s, bool compact);
  void nullable_string(const std::optional<std::string>& s, bool compact);
  void bytes(std::span<const uint8_t> b, bool compact);
  void raw(std::span<const uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  // ARRAY / COMPACT_ARRAY count; null_array writes the null marker (-1 / 0).
  void array_length(size_t n, bool compact);
  void null_array(bool compact);
  // An empty tagged-field section (lagwatch sends no tagged fields).
  void no_tagged_fields() { uvarint(0); }

  const std::vector<uint8_t>& bytes() const { return buf_; }
  std::vector<uint8_t> take() { return std::move(buf_); }
  size_t size() const { return buf_.size(); }

 private:
  std::vector<uint8_t> buf_;
};

}  // namespace lagwatch::kafka::wire
