// Hand-built request and response bodies for the codec tests of APIs newer than the Kafka 2.4.0
// captures (DescribeQuorum, ConsumerGroupDescribe): the spec's field lists written out byte by
// byte.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace lagwatch::kafka::protocol::test_bytes {

// Big-endian bytes and KIP-482 compact forms, spelled out instead of going through wire::Writer
// so the codec is checked against the spec, not against itself. Lengths here stay below 127, so
// every unsigned varint is one byte.
struct Bytes {
  std::vector<uint8_t> b;
  Bytes& u8(uint8_t v) {
    b.push_back(v);
    return *this;
  }
  Bytes& be(uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  Bytes& i16(int16_t v) { return be(static_cast<uint16_t>(v), 2); }
  Bytes& i32(int32_t v) { return be(static_cast<uint32_t>(v), 4); }
  Bytes& i64(int64_t v) { return be(static_cast<uint64_t>(v), 8); }
  Bytes& str(const std::string& s) {  // COMPACT_STRING: length + 1, then the bytes
    u8(static_cast<uint8_t>(s.size() + 1));
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& null_str() { return u8(0); }                               // COMPACT_NULLABLE_STRING null
  Bytes& arr(size_t n) { return u8(static_cast<uint8_t>(n + 1)); }  // COMPACT_ARRAY count
  Bytes& raw(const std::string& s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& no_tags() { return u8(0); }
  // One tagged field lagwatch does not know: the decoder must skip it.
  Bytes& one_tag(uint8_t tag, std::initializer_list<uint8_t> value) {
    u8(1).u8(tag).u8(static_cast<uint8_t>(value.size()));
    b.insert(b.end(), value.begin(), value.end());
    return *this;
  }
};

}  // namespace lagwatch::kafka::protocol::test_bytes
