// The wire captures of a real Apache Kafka 2.4.0 cluster (tests/data/kafka-2.4.0, copied from
// the shared captures; its README.md is the ground truth the decoders are held to).
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/wire/frame.hpp"

namespace lagwatch::test {

struct CapturedFrame {
  int seq = 0;
  std::string phase, client, step, api_name;
  int16_t api_key = -1;  // -1 for SaslRawToken lines
  int16_t api_version = -1;
  int32_t correlation_id = 0;
  int broker_port = 0;
  std::vector<uint8_t> request;   // whole message without the size prefix, header first
  std::vector<uint8_t> response;  // empty when the client closed before the answer
  bool has_response = false;
  bool request_has_trailing_bytes = false;  // the librdkafka quirk the README lists
};

inline std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

inline const std::vector<CapturedFrame>& captured_frames() {
  static const std::vector<CapturedFrame> frames = [] {
    std::vector<CapturedFrame> out;
    gzFile f = gzopen(LAGWATCH_CAPTURES, "rb");
    if (!f) throw std::runtime_error(std::string("cannot open ") + LAGWATCH_CAPTURES);
    std::string text;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    gzclose(f);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) {
        const auto j = nlohmann::json::parse(text.substr(start, end - start));
        CapturedFrame c;
        c.seq = j.at("seq").get<int>();
        c.phase = j.at("phase").get<std::string>();
        c.client = j.at("client").get<std::string>();
        c.step = j.at("step").get<std::string>();
        c.api_name = j.at("api_name").get<std::string>();
        if (!j.at("api_key").is_null()) c.api_key = j.at("api_key").get<int16_t>();
        if (!j.at("api_version").is_null()) c.api_version = j.at("api_version").get<int16_t>();
        if (!j.at("correlation_id").is_null()) c.correlation_id = j.at("correlation_id").get<int32_t>();
        c.broker_port = j.at("broker_port").get<int>();
        c.request = from_hex(j.at("request_hex").get<std::string>());
        if (!j.at("response_hex").is_null()) {
          c.response = from_hex(j.at("response_hex").get<std::string>());
          c.has_response = true;
        }
        c.request_has_trailing_bytes = j.contains("note");
        out.push_back(std::move(c));
      }
      start = end + 1;
    }
    return out;
  }();
  return frames;
}

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
