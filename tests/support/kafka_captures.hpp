// The wire captures of a real Apache Kafka 2.4.0 cluster (tests/data/kafka-2.4.0, copied from
// the shared captures; its README.md is the ground truth): the loader, shared by the protocol
// tests (tests/kafka_protocol/captures.hpp adds their helpers on top) and the integration tests'
// replay cluster (kafka_capture_cluster.hpp). Needs zlib, nlohmann_json and LAGWATCH_CAPTURES
// (the path of frames.jsonl.gz) defined by the build.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

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

}  // namespace lagwatch::test
