#include "kafka/wire/reader.hpp"

#include <cstring>

namespace lagwatch::kafka::wire {

Reader::Scope::Scope(Reader& r, std::string name) : r_(r) { r_.path_.push_back(std::move(name)); }
Reader::Scope::~Scope() { r_.path_.pop_back(); }

void Reader::fail(const char* field, const std::string& reason) const {
  std::string where;
  for (const auto& p : path_) where += p + ".";
  where += field;
  throw DecodeError(where + ": " + reason + " at byte " + std::to_string(pos_) + " of " +
                    std::to_string(bytes_.size()));
}

const uint8_t* Reader::take(size_t n, const char* field) {
  if (n > remaining()) {
    fail(field, "truncated (needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left)");
  }
  const uint8_t* p = bytes_.data() + pos_;
  pos_ += n;
  return p;
}

int8_t Reader::int8(const char* field) { return static_cast<int8_t>(*take(1, field)); }

int16_t Reader::int16(const char* field) {
  const uint8_t* p = take(2, field);
  return static_cast<int16_t>((uint16_t(p[0]) << 8) | p[1]);
}

uint32_t Reader::uint32(const char* field) {
  const uint8_t* p = take(4, field);
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

int32_t Reader::int32(const char* field) { return static_cast<int32_t>(uint32(field)); }

int64_t Reader::int64(const char* field) {
  const uint8_t* p = take(8, field);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return static_cast<int64_t>(v);
}

bool Reader::boolean(const char* field) {
  const uint8_t v = *take(1, field);
  if (v > 1) fail(field, "boolean is " + std::to_string(v));
  return v == 1;
}

uint64_t Reader::unsigned_varint(const char* field, int max_bytes) {
  uint64_t v = 0;
  for (int i = 0; i < max_bytes; ++i) {
    const uint8_t b = *take(1, field);
    v |= uint64_t(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      // The last byte of a maximal-length varint may only carry the bits that fit.
      if (i == max_bytes - 1 && (b >> (max_bytes == 5 ? 4 : 1)) != 0) fail(field, "varint overflows");
      return v;
    }
  }
  fail(field, "varint longer than " + std::to_string(max_bytes) + " bytes");
}

uint32_t Reader::uvarint(const char* field) { return static_cast<uint32_t>(unsigned_varint(field, 5)); }

int32_t Reader::varint(const char* field) {
  const auto u = static_cast<uint32_t>(unsigned_varint(field, 5));
  return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

int64_t Reader::varlong(const char* field) {
  const uint64_t u = unsigned_varint(field, 10);
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

std::string Reader::uuid(const char* field) {
  const uint8_t* p = take(16, field);
  return std::string(reinterpret_cast<const char*>(p), 16);
}

std::span<const uint8_t> Reader::raw(size_t n, const char* field) {
  const uint8_t* p = take(n, field);
  return {p, n};
}

std::optional<std::string> Reader::nullable_string(const char* field, bool compact) {
  int64_t n;
  if (compact) {
    n = int64_t(uvarint(field)) - 1;
  } else {
    n = int16(field);
  }
  if (n < -1) fail(field, "string length " + std::to_string(n));
  if (n == -1) return std::nullopt;
  const uint8_t* p = take(static_cast<size_t>(n), field);
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

std::string Reader::string(const char* field, bool compact) {
  auto s = nullable_string(field, compact);
  if (!s) fail(field, "null where a string is required");
  return std::move(*s);
}

std::vector<uint8_t> Reader::bytes(const char* field, bool compact) {
  int64_t n = compact ? int64_t(uvarint(field)) - 1 : int64_t(int32(field));
  if (n < -1) fail(field, "bytes length " + std::to_string(n));
  if (n <= 0) return {};
  const uint8_t* p = take(static_cast<size_t>(n), field);
  return std::vector<uint8_t>(p, p + n);
}

int32_t Reader::array_length(const char* field, bool compact, size_t min_element_bytes) {
  int64_t n = compact ? int64_t(uvarint(field)) - 1 : int64_t(int32(field));
  if (n < -1) fail(field, "array length " + std::to_string(n));
  if (n > 0 && static_cast<uint64_t>(n) > remaining() / (min_element_bytes ? min_element_bytes : 1)) {
    fail(field,
         "array of " + std::to_string(n) + " elements cannot fit in " + std::to_string(remaining()) + " bytes left");
  }
  return static_cast<int32_t>(n);
}

size_t Reader::count(const char* field, bool compact, size_t min_element_bytes) {
  const int32_t n = array_length(field, compact, min_element_bytes);
  return n < 0 ? 0 : static_cast<size_t>(n);
}

void Reader::skip_tagged_fields() {
  const uint32_t n = uvarint("_tagged_fields");
  if (n > remaining()) fail("_tagged_fields", std::to_string(n) + " tagged fields cannot fit");
  for (uint32_t i = 0; i < n; ++i) {
    uvarint("_tagged_fields.tag");
    const uint32_t size = uvarint("_tagged_fields.size");
    take(size, "_tagged_fields.value");
  }
}

void Reader::expect_end(const char* what) {
  if (!at_end()) fail(what, std::to_string(remaining()) + " unexpected bytes after the end");
}

}  // namespace lagwatch::kafka::wire
