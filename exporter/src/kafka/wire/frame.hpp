// Framing: every Kafka message is a 4-byte big-endian size followed by that many bytes. A
// request starts with its header (api key, version, correlation id, client id; tagged fields
// in header v2), a response with its correlation id (tagged fields in header v1).
//
// ApiVersions responses always use header v0, whatever the version, so that a client can read
// the answer of a broker that does not support the version it asked for (KIP-511).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kafka/wire/api.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::wire {

// Default cap on one response frame; larger size prefixes are refused before any allocation.
// A Metadata answer for 100 000 partitions is about 10 MB; Fetch asks for far less than this.
inline constexpr size_t kDefaultMaxFrameBytes = 64u << 20;

// The whole request frame, size prefix included. `body` is the encoded request body.
std::vector<uint8_t> frame_request(ApiKey key, int16_t version, int32_t correlation_id, std::string_view client_id,
                                   std::span<const uint8_t> body);

// The size announced by a 4-byte prefix; throws DecodeError when it is negative or above
// `max_frame_bytes`.
size_t frame_size(std::span<const uint8_t, 4> prefix, size_t max_frame_bytes);

// The correlation id at the start of a response frame (after the size prefix).
int32_t response_correlation_id(std::span<const uint8_t> frame);

// A reader positioned at the response body: after the correlation id and, for flexible
// versions other than ApiVersions, the header's tagged fields.
Reader response_body(std::span<const uint8_t> frame, ApiKey key, int16_t version);

}  // namespace lagwatch::kafka::wire
