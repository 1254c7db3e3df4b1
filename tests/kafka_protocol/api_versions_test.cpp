#include "kafka/protocol/api_versions.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "captures.hpp"
#include "server_side.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

// README "Cluster": the ranges every broker advertised in every phase.
const std::map<int16_t, std::pair<int16_t, int16_t>> kKafka24Ranges = {
    {0, {0, 8}},  {1, {0, 11}}, {2, {0, 5}},  {3, {0, 9}},  {4, {0, 4}},  {5, {0, 2}},  {6, {0, 6}},  {7, {0, 3}},
    {8, {0, 8}},  {9, {0, 6}},  {10, {0, 3}}, {11, {0, 6}}, {12, {0, 4}}, {13, {0, 4}}, {14, {0, 4}}, {15, {0, 5}},
    {16, {0, 3}}, {17, {0, 1}}, {18, {0, 3}}, {19, {0, 5}}, {20, {0, 4}}, {21, {0, 1}}, {22, {0, 2}}, {23, {0, 3}},
    {24, {0, 1}}, {25, {0, 1}}, {26, {0, 1}}, {27, {0, 0}}, {28, {0, 2}}, {29, {0, 1}}, {30, {0, 1}}, {31, {0, 1}},
    {32, {0, 2}}, {33, {0, 1}}, {34, {0, 1}}, {35, {0, 1}}, {36, {0, 1}}, {37, {0, 1}}, {38, {0, 2}}, {39, {0, 1}},
    {40, {0, 1}}, {41, {0, 1}}, {42, {0, 2}}, {43, {0, 2}}, {44, {0, 1}}, {45, {0, 0}}, {46, {0, 0}}, {47, {0, 0}},
};

TEST(ApiVersions, EveryCapturedResponseDecodesToTheLastByteWithTheReadmeRanges) {
  const auto frames = test::frames_of(ApiKey::api_versions);
  ASSERT_GT(frames.size(), 300u);
  std::map<int16_t, int> per_version;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    auto r = test::response_reader(*f);
    const auto resp = decode_api_versions_response(r, f->api_version);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.error_code, 0);
    EXPECT_EQ(resp.throttle_time_ms, 0);
    EXPECT_EQ(resp.decoded_version, f->api_version);
    ASSERT_EQ(resp.api_keys.size(), kKafka24Ranges.size());
    for (const auto& k : resp.api_keys) {
      const auto it = kKafka24Ranges.find(k.api_key);
      ASSERT_NE(it, kKafka24Ranges.end()) << k.api_key;
      EXPECT_EQ(k.min_version, it->second.first) << k.api_key;
      EXPECT_EQ(k.max_version, it->second.second) << k.api_key;
    }
    ++per_version[f->api_version];
  }
  EXPECT_EQ(per_version[0], 13);  // README: Java tools on SASL connections
  EXPECT_EQ(per_version[3], 177 + 82 + 63 + 28);
}

TEST(ApiVersions, LookupHelpersAndVersionPicking) {
  const auto frames = test::frames_of(ApiKey::api_versions, 3);
  ASSERT_FALSE(frames.empty());
  auto r = test::response_reader(*frames.front());
  const auto resp = decode_api_versions_response(r, 3);
  const auto ranges = version_ranges(resp);
  EXPECT_EQ(ranges.size(), 48u);
  EXPECT_EQ(ranges.at(3).max, 9);   // Metadata 0-9
  EXPECT_EQ(ranges.at(9).max, 6);   // OffsetFetch 0-6
  EXPECT_EQ(ranges.at(10).max, 3);  // FindCoordinator 0-3
  EXPECT_EQ(ranges.at(16).max, 3);  // ListGroups 0-3
  EXPECT_EQ(ranges.at(15).max, 5);  // DescribeGroups 0-5
  EXPECT_EQ(ranges.at(32).max, 2);  // DescribeConfigs 0-2
  EXPECT_EQ(ranges.at(1).max, 11);  // Fetch 0-11
  EXPECT_EQ(ranges.at(2).max, 5);   // ListOffsets 0-5
  EXPECT_EQ(ranges.at(18).max, 3);  // ApiVersions 0-3
  const auto metadata = find_version_range(resp, ApiKey::metadata);
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->min, 0);
  EXPECT_EQ(metadata->max, 9);
  EXPECT_FALSE(find_version_range(resp, ApiKey::describe_cluster).has_value());  // Kafka 2.4 has no key 60
  EXPECT_EQ(wire::pick_version(ApiKey::metadata, *metadata), 9);
  // ListOffsets is sent at v3 at most (api.cpp says why), though the codec speaks up to v8.
  EXPECT_EQ(wire::pick_version(ApiKey::list_offsets, *find_version_range(resp, ApiKey::list_offsets)), 3);
  EXPECT_EQ(wire::pick_version(ApiKey::find_coordinator, *find_version_range(resp, ApiKey::find_coordinator)), 3);
}

// The names each client put in its v3 request (decoded copy); v0-2 requests are empty.
ApiVersionsRequest request_of(const std::string& client) {
  if (client.find("Java") != std::string::npos) return {"apache-kafka-java", "2.4.0"};
  if (client.find("confluent-kafka-python") != std::string::npos)
    return {"confluent-kafka-python", "1.7.0-rdkafka-2.0.2"};
  if (client.find("sarama") != std::string::npos) return {"sarama", "dev"};
  return {"librdkafka", "2.0.2"};  // kcat, apicheck
}

TEST(ApiVersions, EncoderReproducesEveryCapturedRequest) {
  int checked = 0;
  for (const auto* f : test::frames_of(ApiKey::api_versions)) {
    if (f->request_has_trailing_bytes) continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " " + f->client);
    wire::Writer w;
    encode(w, request_of(f->client), f->api_version);
    const auto body = test::request_body(*f);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

TEST(ApiVersions, LagwatchsRequestV3AndEmptyOlderRequests) {
  wire::Writer w;
  encode(w, ApiVersionsRequest{"lagwatch", "1.2.3"}, 3);
  const std::vector<uint8_t> expected{0x09, 'l',  'a', 'g', 'w', 'a', 't', 'c',
                                      'h',  0x06, '1', '.', '2', '.', '3', 0x00};
  EXPECT_EQ(w.bytes(), expected);
  for (int16_t v : {0, 1, 2}) {
    wire::Writer old;
    encode(old, ApiVersionsRequest{"lagwatch", "1.2.3"}, v);
    EXPECT_TRUE(old.bytes().empty()) << v;
  }
}

TEST(ApiVersions, V1AndV2ResponsesCarryTheThrottleTime) {
  // error 0, [ {18, 0, 3} ], throttle 7: the v1/v2 layout (not captured: Kafka 2.4 clients ask v0 or v3).
  const std::vector<uint8_t> body{0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12,
                                  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07};
  for (int16_t v : {1, 2}) {
    wire::Reader r(body);
    const auto resp = decode_api_versions_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.throttle_time_ms, 7);
    ASSERT_EQ(resp.api_keys.size(), 1u);
    EXPECT_EQ(resp.api_keys[0].max_version, 3);
  }
}

TEST(ApiVersions, UnsupportedVersionAnswerInTheV0LayoutIsReadAsV0) {
  // KIP-511: a broker that knows ApiVersions only up to v2 answers a v3 request with error 35 in
  // the v0 layout, listing ApiVersions 0-2 and Metadata 0-8.
  const std::vector<uint8_t> body{0x00, 0x23, 0x00, 0x00, 0x00, 0x02, 0x00, 0x12, 0x00,
                                  0x00, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08};
  wire::Reader r(body);
  const auto resp = decode_api_versions_response(r, 3);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(resp.error_code, 35);
  EXPECT_EQ(resp.decoded_version, 0);
  ASSERT_EQ(resp.api_keys.size(), 2u);
  EXPECT_EQ(resp.api_keys[0].api_key, 18);
  EXPECT_EQ(resp.api_keys[0].max_version, 2);
  EXPECT_EQ(find_version_range(resp, ApiKey::metadata)->max, 8);
  // The same answer to a v1 request (whose layout would want a throttle time after the array).
  wire::Reader r1(body);
  EXPECT_EQ(decode_api_versions_response(r1, 1).decoded_version, 0);
  EXPECT_TRUE(r1.at_end());
  test::expect_every_truncation_fails(body, [](wire::Reader& x) { decode_api_versions_response(x, 3); });
}

TEST(ApiVersions, UnsupportedVersionInTheRequestedLayoutIsReadAsSuch) {
  // error 35, compact array of one {18, 0, 4}, throttle 0, no tagged fields: a v3 body.
  const std::vector<uint8_t> body{0x00, 0x23, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00,
                                  0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  wire::Reader r(body);
  const auto resp = decode_api_versions_response(r, 3);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(resp.decoded_version, 3);
  ASSERT_EQ(resp.api_keys.size(), 1u);
  EXPECT_EQ(resp.api_keys[0].max_version, 4);
}

TEST(ApiVersions, V3TaggedFieldsAreSkipped) {
  // error 0, [] (compact 1), throttle 0, one tagged field (tag 0 supported_features, 1 byte: empty array).
  const std::vector<uint8_t> body{0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01};
  wire::Reader r(body);
  const auto resp = decode_api_versions_response(r, 3);
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(resp.api_keys.empty());
}

TEST(ApiVersions, TruncatedAndHostileResponsesAreRefused) {
  for (int16_t v : {0, 3}) {
    const auto frames = test::frames_of(ApiKey::api_versions, v);
    ASSERT_FALSE(frames.empty());
    auto r = test::response_reader(*frames.front());
    const auto body = r.raw(r.remaining(), "body");
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_api_versions_response(x, v); });
  }
  // v0: 2 billion api keys in 10 bytes.
  const std::vector<uint8_t> huge{0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
  wire::Reader r0(huge);
  EXPECT_THROW(decode_api_versions_response(r0, 0), wire::DecodeError);
  const std::vector<uint8_t> huge3{0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00};
  wire::Reader r3(huge3);
  EXPECT_THROW(decode_api_versions_response(r3, 3), wire::DecodeError);
}

TEST(ApiVersions, VersionsOutsideTheImplementedRangeAreRefused) {
  wire::Writer w;
  EXPECT_THROW(encode(w, ApiVersionsRequest{}, 4), std::invalid_argument);
  EXPECT_THROW(encode(w, ApiVersionsRequest{}, -1), std::invalid_argument);
  const std::vector<uint8_t> body{0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  wire::Reader r(body);
  EXPECT_THROW(decode_api_versions_response(r, 4), std::invalid_argument);
}

// Server side (demo broker front): decode, edit, re-encode.

TEST(ApiVersionsServer, EveryCapturedResponseReencodesToTheSameBytes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_api_versions_response(r, v); };
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::api_versions, 0, decode), 5);
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::api_versions, 3, decode), 300);
}

TEST(ApiVersionsServer, EveryCapturedRequestDecodesAndReencodes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_api_versions_request(r, v); };
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::api_versions, 0, decode), 5);
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::api_versions, 3, decode), 300);
  // The Java tools name themselves "apache-kafka-java" 2.4.0 (KIP-511).
  int java = 0;
  for (const auto* f : test::frames_of(ApiKey::api_versions, 3)) {
    wire::Reader r(test::request_body(*f));
    const auto req = decode_api_versions_request(r, 3);
    if (req.client_software_name == "apache-kafka-java") {
      EXPECT_EQ(req.client_software_version, "2.4.0");
      ++java;
    }
  }
  EXPECT_GT(java, 0);
}

ApiVersionsResponse full_response(int16_t v, int16_t error_code = 0) {
  ApiVersionsResponse resp;
  resp.error_code = error_code;
  resp.api_keys = {{3, 0, 12}, {10, 1, 5}, {18, 0, 3}};
  if (v >= 1) resp.throttle_time_ms = 40;
  resp.decoded_version = v;
  return resp;
}

TEST(ApiVersionsServer, HandBuiltResponsesAndRequestsRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 3; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto resp = full_response(v);
    wire::Writer w;
    encode(w, resp, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_api_versions_response(r, v), resp);
    EXPECT_TRUE(r.at_end());

    ApiVersionsRequest req;
    if (v >= 3) req = {"lagwatch", "0.9.0"};
    wire::Writer wr;
    encode(wr, req, v);
    wire::Reader rr(wr.bytes());
    EXPECT_EQ(decode_api_versions_request(rr, v), req);
    EXPECT_TRUE(rr.at_end());
    test::expect_every_truncation_fails(wr.bytes(), [v](wire::Reader& x) { decode_api_versions_request(x, v); });
  }
  // The v3 struct written at v0 loses the throttle time.
  wire::Writer w0;
  encode(w0, full_response(3), 0);
  wire::Reader r0(w0.bytes());
  EXPECT_EQ(decode_api_versions_response(r0, 0), full_response(0));
}

TEST(ApiVersionsServer, V3BytesFromTheSpec) {
  // Response v3 (flexible): error, api_keys [key, min, max, tags], throttle, tags.
  test_bytes::Bytes b;
  b.i16(0).arr(2).i16(3).i16(0).i16(12).no_tags().i16(18).i16(0).i16(3).no_tags().i32(9).no_tags();
  ApiVersionsResponse resp;
  resp.api_keys = {{3, 0, 12}, {18, 0, 3}};
  resp.throttle_time_ms = 9;
  resp.decoded_version = 3;
  wire::Writer w;
  encode(w, resp, 3);
  EXPECT_EQ(w.bytes(), b.b);
  // A Kafka 3.x answer's feature tags (SupportedFeatures, tag 0) are skipped, not re-encoded.
  test_bytes::Bytes tagged;
  tagged.i16(0).arr(2).i16(3).i16(0).i16(12).no_tags().i16(18).i16(0).i16(3).no_tags().i32(9);
  tagged.one_tag(0, {2, 14, 'k', 'r', 'a', 'f', 't', '.', 'v', 'e', 'r', 's', 'i', 'o', 'n', 0, 0, 0, 1, 0});
  wire::Reader r(tagged.b);
  EXPECT_EQ(decode_api_versions_response(r, 3), resp);
  EXPECT_TRUE(r.at_end());

  // Request v3: client software name and version (compact strings), tags; an unknown tag is
  // skipped.
  test_bytes::Bytes req;
  req.str("kcat").str("1.7.1").one_tag(5, {1});
  wire::Reader rq(req.b);
  EXPECT_EQ(decode_api_versions_request(rq, 3), (ApiVersionsRequest{"kcat", "1.7.1"}));
  EXPECT_TRUE(rq.at_end());
  // v0-2 requests have no fields: nothing is read.
  for (int16_t v = 0; v <= 2; ++v) {
    wire::Reader empty(req.b);
    EXPECT_EQ(decode_api_versions_request(empty, v), ApiVersionsRequest{});
    EXPECT_EQ(empty.position(), 0u);
  }
}

TEST(ApiVersionsServer, UnsupportedVersionAnswerIsWrittenInTheRequestedLayout) {
  // KIP-511: the front answers an ApiVersions version it does not know with error 35 at v0.
  const auto resp = full_response(0, 35);
  wire::Writer w;
  encode(w, resp, 0);
  wire::Reader r(w.bytes());
  const auto back = decode_api_versions_response(r, 3);  // the client asked for v3
  EXPECT_EQ(back.decoded_version, 0);
  EXPECT_EQ(back.error_code, 35);
  EXPECT_EQ(back.api_keys, resp.api_keys);
}

TEST(ApiVersionsServer, HugeRequestAndResponseCountsAndBadVersionsAreRefused) {
  const std::vector<uint8_t> huge_name{0xff, 0xff, 0xff, 0x7f, 'a', 0};
  wire::Reader a(huge_name);
  EXPECT_THROW(decode_api_versions_request(a, 3), wire::DecodeError);
  wire::Reader b(huge_name);
  EXPECT_THROW(decode_api_versions_request(b, 4), std::invalid_argument);
  wire::Writer w;
  EXPECT_THROW(encode(w, full_response(3), 4), std::invalid_argument);
  EXPECT_THROW(encode(w, full_response(3), -1), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
