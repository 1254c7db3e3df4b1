// The frame reader: a stream of bytes from a socket split into response frames by their
// 4-byte size prefixes (with the cap the connection uses, here small so the fuzzer reaches
// it), each frame's correlation id and header read as the connection reads them, and each
// record batch set in a frame decoded as the record-timestamp reader decodes Fetch records.
#include <cstddef>
#include <cstdint>
#include <span>

#include "kafka/protocol/record_batch.hpp"
#include "kafka/wire/frame.hpp"

namespace wire = lagwatch::kafka::wire;
namespace protocol = lagwatch::kafka::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kCap = 1 << 16;
  std::span<const uint8_t> rest(data, size);
  while (rest.size() >= 4) {
    size_t frame_size = 0;
    try {
      frame_size = wire::frame_size(rest.first<4>(), kCap);
    } catch (const wire::DecodeError&) {
      return 0;  // the connection closes here
    }
    rest = rest.subspan(4);
    if (frame_size > rest.size()) return 0;  // truncated: the connection waits, then times out
    const auto frame = rest.first(frame_size);
    rest = rest.subspan(frame_size);
    wire::response_correlation_id(frame);
    try {
      auto r = wire::response_body(frame, wire::ApiKey::fetch, 12);
      (void)r;
    } catch (const wire::DecodeError&) {
    }
    try {
      protocol::decode_record_batches(frame.subspan(4), {true, 1 << 20});
      protocol::timestamp_at(frame.subspan(4), static_cast<int64_t>(frame_size), 1 << 20);
    } catch (const wire::DecodeError&) {
    }
  }
  return 0;
}
