#include "kafka/wire/writer.hpp"

#include <stdexcept>

namespace lagwatch::kafka::wire {

void Writer::int16(int16_t v) {
  const auto u = static_cast<uint16_t>(v);
  buf_.push_back(static_cast<uint8_t>(u >> 8));
  buf_.push_back(static_cast<uint8_t>(u));
}

void Writer::int32(int32_t v) {
  const auto u = static_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) buf_.push_back(static_cast<uint8_t>(u >> shift));
}

void Writer::int64(int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) buf_.push_back(static_cast<uint8_t>(u >> shift));
}

void Writer::uvarint(uint32_t v) {
  while (v >= 0x80) {
    buf_.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  buf_.push_back(static_cast<uint8_t>(v));
}

void Writer::varint(int32_t v) { uvarint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31)); }

void Writer::varlong(int64_t v) {
  uint64_t u = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (u >= 0x80) {
    buf_.push_back(static_cast<uint8_t>(u | 0x80));
    u >>= 7;
  }
  buf_.push_back(static_cast<uint8_t>(u));
}

void Writer::uuid(std::string_view s) {
  if (s.size() != 16) throw std::length_error("uuid must be 16 bytes");
  buf_.insert(buf_.end(), s.begin(), s.end());
}

void Writer::string(std::string_view s, bool compact) {
  if (compact) {
    if (s.size() >= UINT32_MAX) throw std::length_error("compact string too long");
    uvarint(static_cast<uint32_t>(s.size() + 1));
  } else {
    if (s.size() > 32767) throw std::length_error("string longer than 32767 bytes");
    int16(static_cast<int16_t>(s.size()));
  }
  buf_.insert(buf_.end(), s.begin(), s.end());
}

void Writer::nullable_string(const std::optional<std::string>& s, bool compact) {
  if (s) return string(*s, compact);
  if (compact) {
    uvarint(0);
  } else {
    int16(-1);
  }
}

void Writer::bytes(std::span<const uint8_t> b, bool compact) {
  if (compact) {
    uvarint(static_cast<uint32_t>(b.size() + 1));
  } else {
    int32(static_cast<int32_t>(b.size()));
  }
  raw(b);
}

void Writer::array_length(size_t n, bool compact) {
  if (compact) {
    uvarint(static_cast<uint32_t>(n + 1));
  } else {
    int32(static_cast<int32_t>(n));
  }
}

void Writer::null_array(bool compact) {
  if (compact) {
    uvarint(0);
  } else {
    int32(-1);
  }
}

}  // namespace lagwatch::kafka::wire
