// Kafka frames as a broker sees them: a request's header read from the front of its frame, and
// a response framed for the version it answers. The demo broker front uses them to look at
// what passes through and to answer what the mock lacks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"

namespace lagwatch::demo::front {

struct RequestHeader {
  int16_t api_key = 0;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
  std::optional<std::string> client_id;
  bool flexible = false;   // header v2: the body is in the version's flexible encoding
  size_t body_offset = 0;  // where the body starts in the frame
};

// `frame` is the request without its size prefix. Header v1 (client id) for non-flexible
// versions and v2 (plus tagged fields) for flexible ones, as far as lagwatch's API table knows
// the key; an API it does not know is read as v1, which is all a front needs to forward it.
// Throws wire::DecodeError when the frame is too short for its header.
RequestHeader parse_request_header(std::span<const uint8_t> frame);

// A Reader over the request's body.
kafka::wire::Reader request_body(std::span<const uint8_t> frame, const RequestHeader& header);

// `frame` (a request or response without its size prefix) with its 4-byte size prefix.
std::vector<uint8_t> with_size_prefix(std::span<const uint8_t> frame);

// The response frame, size prefix included: the correlation id, the header's tagged fields
// for flexible versions (never for ApiVersions, whose header is always v0), then `body`.
std::vector<uint8_t> response_frame(const RequestHeader& request, std::span<const uint8_t> body);

}  // namespace lagwatch::demo::front
