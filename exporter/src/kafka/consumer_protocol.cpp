#include "kafka/consumer_protocol.hpp"

namespace lagwatch::kafka {
namespace {

class Reader {
 public:
  Reader(const void* data, size_t size) : p_(static_cast<const unsigned char*>(data)), left_(size) {}

  bool i16(int16_t& v) {
    if (left_ < 2) return false;
    v = static_cast<int16_t>((p_[0] << 8) | p_[1]);
    advance(2);
    return true;
  }
  bool i32(int32_t& v) {
    if (left_ < 4) return false;
    v = static_cast<int32_t>((uint32_t(p_[0]) << 24) | (uint32_t(p_[1]) << 16) | (uint32_t(p_[2]) << 8) | p_[3]);
    advance(4);
    return true;
  }
  bool str(std::string& s) {
    int16_t n;
    if (!i16(n) || n < 0 || static_cast<size_t>(n) > left_) return false;
    s.assign(reinterpret_cast<const char*>(p_), static_cast<size_t>(n));
    advance(static_cast<size_t>(n));
    return true;
  }
  size_t left() const { return left_; }

 private:
  void advance(size_t n) {
    p_ += n;
    left_ -= n;
  }
  const unsigned char* p_;
  size_t left_;
};

}  // namespace

std::optional<Assignment> decode_consumer_assignment(const void* data, size_t size) {
  if (!data || size == 0) return Assignment{};  // a member not (yet) assigned anything
  Reader r(data, size);
  int16_t version;
  int32_t topics;
  if (!r.i16(version) || version < 0 || !r.i32(topics) || topics < 0) return std::nullopt;
  Assignment out;
  for (int32_t t = 0; t < topics; ++t) {
    std::string topic;
    int32_t partitions;
    if (!r.str(topic) || !r.i32(partitions) || partitions < 0) return std::nullopt;
    // Each partition takes 4 bytes: reject counts the buffer cannot hold before reserving.
    if (static_cast<size_t>(partitions) > r.left() / 4) return std::nullopt;
    for (int32_t i = 0; i < partitions; ++i) {
      int32_t p;
      if (!r.i32(p)) return std::nullopt;
      out.emplace_back(topic, p);
    }
  }
  return out;
}

}  // namespace lagwatch::kafka
