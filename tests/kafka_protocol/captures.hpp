// The wire captures of a real Apache Kafka 2.4.0 cluster (tests/data/kafka-2.4.0, copied from
// the shared captures; its README.md is the ground truth the decoders are held to). The loader
// is tests/support/kafka_captures.hpp; here are the protocol tests' helpers.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/wire/frame.hpp"
#include "kafka_captures.hpp"

namespace lagwatch::test {

// Every captured pair of one API (and version, when given) that has a response.
inline std::vector<const CapturedFrame*> frames_of(kafka::wire::ApiKey key, std::optional<int16_t> version = {}) {
  std::vector<const CapturedFrame*> out;
  for (const auto& f : captured_frames()) {
    if (f.api_key != static_cast<int16_t>(key) || !f.has_response) continue;
    if (version && f.api_version != *version) continue;
    out.push_back(&f);
  }
  return out;
}

// The response body of a captured frame (after the response header).
inline kafka::wire::Reader response_reader(const CapturedFrame& f) {
  return kafka::wire::response_body(f.response, static_cast<kafka::wire::ApiKey>(f.api_key), f.api_version);
}

// The request body of a captured frame: after api key, version, correlation id, client id and,
// for flexible versions, the header's tagged fields.
inline std::span<const uint8_t> request_body(const CapturedFrame& f) {
  kafka::wire::Reader r(f.request);
  r.int16("api_key");
  r.int16("api_version");
  r.int32("correlation_id");
  r.nullable_string("client_id", false);
  if (kafka::wire::is_flexible(static_cast<kafka::wire::ApiKey>(f.api_key), f.api_version)) r.skip_tagged_fields();
  return std::span<const uint8_t>(f.request).subspan(r.position());
}

}  // namespace lagwatch::test
