#include "demo/front/frames.hpp"

#include "kafka/wire/api.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::demo::front {

namespace wire = kafka::wire;

RequestHeader parse_request_header(std::span<const uint8_t> frame) {
  wire::Reader r(frame);
  RequestHeader h;
  h.api_key = r.int16("api_key");
  h.api_version = r.int16("api_version");
  h.correlation_id = r.int32("correlation_id");
  h.client_id = r.nullable_string("client_id", false);  // never compact, even in header v2
  h.flexible = wire::is_flexible(static_cast<wire::ApiKey>(h.api_key), h.api_version);
  if (h.flexible) r.skip_tagged_fields();
  h.body_offset = r.position();
  return h;
}

wire::Reader request_body(std::span<const uint8_t> frame, const RequestHeader& header) {
  return wire::Reader(frame.subspan(header.body_offset));
}

std::vector<uint8_t> with_size_prefix(std::span<const uint8_t> frame) {
  wire::Writer w;
  w.int32(static_cast<int32_t>(frame.size()));
  w.raw(frame);
  return w.take();
}

std::vector<uint8_t> response_frame(const RequestHeader& request, std::span<const uint8_t> body) {
  wire::Writer w;
  w.int32(request.correlation_id);
  if (request.flexible && request.api_key != static_cast<int16_t>(wire::ApiKey::api_versions)) w.no_tagged_fields();
  w.raw(body);
  return with_size_prefix(w.bytes());
}

}  // namespace lagwatch::demo::front
