// Bounded reader for Kafka's wire primitives (kafka.apache.org/protocol#protocol_types).
//
// Every byte a broker sends is untrusted: each read checks what is left, every length and
// count is checked against the bytes that remain before anything is allocated, and a failure
// throws DecodeError naming the field ("topics[2].partitions[0].leader_id") and the byte
// offset. Nothing here can read past the buffer or allocate more than the buffer's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lagwatch::kafka::wire {

// A response (or request) that does not decode. what(): "<field path>: <reason> at byte N".
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  // Fixed-width big-endian integers.
  int8_t int8(const char* field);
  int16_t int16(const char* field);
  int32_t int32(const char* field);
  int64_t int64(const char* field);
  uint32_t uint32(const char* field);
  bool boolean(const char* field);
  // Zig-zag varint / varlong (record batches) and unsigned varint (flexible versions).
  int32_t varint(const char* field);
  int64_t varlong(const char* field);
  uint32_t uvarint(const char* field);
  // 16 raw bytes (topic ids).
  std::string uuid(const char* field);

  // STRING (int16 length) and COMPACT_STRING (uvarint length + 1); `compact` picks the form.
  std::string string(const char* field, bool compact);
  // NULLABLE_STRING / COMPACT_NULLABLE_STRING: nullopt for null.
  std::optional<std::string> nullable_string(const char* field, bool compact);
  // BYTES / COMPACT_BYTES and their nullable forms (null reads as empty).
  std::vector<uint8_t> bytes(const char* field, bool compact);
  // A view of the next `n` bytes, consumed.
  std::span<const uint8_t> raw(size_t n, const char* field);

  // ARRAY / COMPACT_ARRAY element count; -1 (null) when the array is null. A count larger than
  // the bytes left (each element takes at least `min_element_bytes`) is refused here, so a
  // caller may reserve() it.
  int32_t array_length(const char* field, bool compact, size_t min_element_bytes = 1);
  // As array_length, but a null array reads as 0 elements.
  size_t count(const char* field, bool compact, size_t min_element_bytes = 1);

  // Skips a tagged-field section (flexible versions). Tags lagwatch does not know are skipped;
  // their sizes are still checked.
  void skip_tagged_fields();

  size_t position() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }
  // Throws unless every byte was read: a response longer than its version allows is malformed.
  void expect_end(const char* what);

  // Names the element being read in error messages: `auto s = r.scope("topics", i);`.
  class Scope {
   public:
    Scope(Reader& r, std::string name);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Reader& r_;
  };
  Scope scope(const char* name, size_t index) {
    return Scope(*this, std::string(name) + "[" + std::to_string(index) + "]");
  }
  Scope scope(const char* name) { return Scope(*this, name); }

  [[noreturn]] void fail(const char* field, const std::string& reason) const;

 private:
  const uint8_t* take(size_t n, const char* field);
  uint64_t unsigned_varint(const char* field, int max_bytes);

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  std::vector<std::string> path_;
};

}  // namespace lagwatch::kafka::wire
