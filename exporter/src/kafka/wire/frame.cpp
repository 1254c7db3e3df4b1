#include "kafka/wire/frame.hpp"

#include <string>

namespace lagwatch::kafka::wire {

std::vector<uint8_t> frame_request(ApiKey key, int16_t version, int32_t correlation_id, std::string_view client_id,
                                   std::span<const uint8_t> body) {
  Writer w;
  w.int32(0);  // size, patched below
  w.int16(static_cast<int16_t>(key));
  w.int16(version);
  w.int32(correlation_id);
  // The client id stays a non-compact NULLABLE_STRING even in header v2.
  w.string(client_id, false);
  if (is_flexible(key, version)) w.no_tagged_fields();
  w.raw(body);
  auto out = w.take();
  const auto size = static_cast<uint32_t>(out.size() - 4);
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(size >> (24 - 8 * i));
  return out;
}

size_t frame_size(std::span<const uint8_t, 4> prefix, size_t max_frame_bytes) {
  const auto size = static_cast<int32_t>((uint32_t(prefix[0]) << 24) | (uint32_t(prefix[1]) << 16) |
                                         (uint32_t(prefix[2]) << 8) | uint32_t(prefix[3]));
  if (size < 4) throw DecodeError("frame size " + std::to_string(size) + " is too small for a response header");
  if (static_cast<size_t>(size) > max_frame_bytes) {
    throw DecodeError("frame size " + std::to_string(size) + " exceeds the limit of " +
                      std::to_string(max_frame_bytes) + " bytes");
  }
  return static_cast<size_t>(size);
}

int32_t response_correlation_id(std::span<const uint8_t> frame) {
  Reader r(frame);
  return r.int32("correlation_id");
}

Reader response_body(std::span<const uint8_t> frame, ApiKey key, int16_t version) {
  Reader r(frame);
  r.int32("correlation_id");
  if (key != ApiKey::api_versions && is_flexible(key, version)) r.skip_tagged_fields();
  return r;
}

}  // namespace lagwatch::kafka::wire
