#include "kafka/protocol/describe_cluster.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "captures.hpp"
#include "kafka/wire/api.hpp"
#include "truncation.hpp"

// DescribeCluster is newer than the Kafka 2.4.0 captures (it came with 2.8), so these tests
// hold the codec to bytes written by hand from DescribeClusterRequest.json /
// DescribeClusterResponse.json (Kafka 4.0: versions 0-2, all flexible).
namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

using Bytes = std::vector<uint8_t>;

void append(Bytes& b, std::initializer_list<uint8_t> more) { b.insert(b.end(), more.begin(), more.end()); }
void append_compact_string(Bytes& b, const std::string& s) {
  b.push_back(static_cast<uint8_t>(s.size() + 1));
  b.insert(b.end(), s.begin(), s.end());
}

// A response as a Kafka 4.0 broker would write it at `version`, field by field: three brokers,
// one with a rack and (v2) one fenced; an unknown tagged field on broker 2 and on the top level.
Bytes response_bytes(int16_t version) {
  Bytes b;
  append(b, {0, 0, 0, 0});                             // throttle_time_ms
  append(b, {0, 0});                                   // error_code
  append(b, {0});                                      // error_message: null
  if (version >= 1) append(b, {1});                    // endpoint_type: brokers
  append_compact_string(b, "MkU3OEVBNTcwNTJENDM2Qk");  // cluster_id
  append(b, {0, 0, 0, 2});                             // controller_id
  append(b, {4});                                      // brokers: 3
  struct B {
    uint8_t id;
    std::string host;
    uint8_t port_lo;
    const char* rack;
    bool fenced;
  };
  const B brokers[] = {
      {1, "kafka-1", 0x84, "rack-a", false}, {2, "kafka-2", 0x85, nullptr, false}, {3, "kafka-3", 0x86, nullptr, true}};
  for (const auto& br : brokers) {
    append(b, {0, 0, 0, br.id});
    append_compact_string(b, br.host);
    append(b, {0, 0, 0x23, br.port_lo});  // 9092 .. 9094
    if (br.rack) {
      append_compact_string(b, br.rack);
    } else {
      append(b, {0});
    }
    if (version >= 2) append(b, {static_cast<uint8_t>(br.fenced ? 1 : 0)});
    if (br.id == 2) {
      append(b, {1, 7, 3, 'a', 'b', 'c'});  // tagged fields: tag 7, 3 bytes
    } else {
      append(b, {0});
    }
  }
  append(b, {0x80, 0, 0, 0});                     // cluster_authorized_operations: omitted
  append(b, {2, 0, 1, 0xff, 30, 2, 0xde, 0xad});  // tagged fields: tags 0 (1 byte) and 30 (2 bytes)
  return b;
}

TEST(DescribeCluster, ResponsesByHandAtEveryVersion) {
  for (int16_t v = 0; v <= 2; ++v) {
    const Bytes bytes = response_bytes(v);
    wire::Reader r(bytes);
    const auto resp = decode_describe_cluster_response(r, v);
    EXPECT_TRUE(r.at_end()) << "v" << v;
    EXPECT_EQ(resp.throttle_time_ms, 0);
    EXPECT_EQ(resp.error_code, 0);
    EXPECT_EQ(resp.error_message, std::nullopt);
    EXPECT_EQ(resp.endpoint_type, kEndpointTypeBrokers);
    EXPECT_EQ(resp.cluster_id, "MkU3OEVBNTcwNTJENDM2Qk");
    EXPECT_EQ(resp.controller_id, 2);
    EXPECT_EQ(resp.cluster_authorized_operations, kAuthorizedOperationsOmitted);
    ASSERT_EQ(resp.brokers.size(), 3u);
    for (int i = 0; i < 3; ++i) {
      const auto& b = resp.brokers[i];
      EXPECT_EQ(b.broker_id, i + 1);
      EXPECT_EQ(b.host, "kafka-" + std::to_string(i + 1));
      EXPECT_EQ(b.port, 9092 + i);
      EXPECT_EQ(b.rack, i == 0 ? std::optional<std::string>("rack-a") : std::nullopt);
      EXPECT_EQ(b.is_fenced, v >= 2 && i == 2) << "v" << v << " broker " << b.broker_id;
    }
    test::expect_every_truncation_fails(bytes, [v](wire::Reader& rr) { decode_describe_cluster_response(rr, v); });
  }
}

TEST(DescribeCluster, ResponseEncoderWritesTheSpecFieldsAndRoundTrips) {
  for (int16_t v = 0; v <= 2; ++v) {
    const Bytes bytes = response_bytes(v);
    wire::Reader r(bytes);
    const auto resp = decode_describe_cluster_response(r, v);
    wire::Writer w;
    encode(w, resp, v);
    // The same bytes, less the unknown tagged fields (the encoder writes none).
    Bytes want = response_bytes(v);
    const Bytes broker2_tags = {1, 7, 3, 'a', 'b', 'c'};
    auto at = std::search(want.begin(), want.end(), broker2_tags.begin(), broker2_tags.end());
    ASSERT_NE(at, want.end());
    at = want.erase(at, at + static_cast<long>(broker2_tags.size()));
    want.insert(at, 0);
    want.resize(want.size() - 8);
    want.push_back(0);
    EXPECT_EQ(w.bytes(), want) << "v" << v;
  }

  DescribeClusterResponse resp;
  resp.throttle_time_ms = 12;
  resp.error_code = 0;
  resp.endpoint_type = kEndpointTypeControllers;
  resp.cluster_id = "c";
  resp.controller_id = 3000;
  resp.brokers = {{3000, "ctl", 9093, "r", false}, {3001, "ctl-2", 9093, std::nullopt, false}};
  resp.cluster_authorized_operations = 0x0c00;
  for (int16_t v = 1; v <= 2; ++v) {
    wire::Writer w;
    encode(w, resp, v);
    wire::Reader r(w.bytes());
    const auto back = decode_describe_cluster_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(back.throttle_time_ms, 12);
    EXPECT_EQ(back.endpoint_type, kEndpointTypeControllers);
    EXPECT_EQ(back.controller_id, 3000);
    EXPECT_EQ(back.cluster_authorized_operations, 0x0c00);
    ASSERT_EQ(back.brokers.size(), 2u);
    EXPECT_EQ(back.brokers[0].rack, "r");
    EXPECT_EQ(back.brokers[1].host, "ctl-2");
  }
  // v0 has no endpoint_type; v0/v1 no is_fenced: a value they cannot carry is refused.
  wire::Writer bad;
  EXPECT_THROW(encode(bad, resp, 0), std::invalid_argument);
  resp.endpoint_type = kEndpointTypeBrokers;
  resp.brokers[1].is_fenced = true;
  EXPECT_THROW(encode(bad, resp, 1), std::invalid_argument);
  EXPECT_THROW(encode(bad, resp, 3), std::invalid_argument);
  wire::Writer ok;
  encode(ok, resp, 2);
  wire::Reader r(ok.bytes());
  EXPECT_TRUE(decode_describe_cluster_response(r, 2).brokers[1].is_fenced);
}

TEST(DescribeCluster, ErrorResponse) {
  // UNSUPPORTED_ENDPOINT_TYPE (119) with a message, no brokers, v1.
  DescribeClusterResponse resp;
  resp.error_code = 119;
  resp.error_message = "controllers not supported";
  resp.endpoint_type = kEndpointTypeControllers;
  wire::Writer w;
  encode(w, resp, 1);
  Bytes want = {0, 0, 0, 0, 0, 119};
  append_compact_string(want, "controllers not supported");
  append(want, {2, 1, 0xff, 0xff, 0xff, 0xff, 1, 0x80, 0, 0, 0, 0});
  EXPECT_EQ(w.bytes(), want);
  wire::Reader r(want);
  const auto back = decode_describe_cluster_response(r, 1);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(back.error_code, 119);
  EXPECT_EQ(back.error_message, "controllers not supported");
  EXPECT_EQ(back.cluster_id, "");
  EXPECT_EQ(back.controller_id, -1);
  EXPECT_TRUE(back.brokers.empty());
}

TEST(DescribeCluster, RequestsByHand) {
  struct Case {
    DescribeClusterRequest req;
    int16_t version;
    Bytes bytes;
  };
  const std::vector<Case> cases = {
      {{false, kEndpointTypeBrokers, false}, 0, {0, 0}},      {{true, kEndpointTypeBrokers, false}, 0, {1, 0}},
      {{false, kEndpointTypeBrokers, false}, 1, {0, 1, 0}},   {{false, kEndpointTypeControllers, false}, 1, {0, 2, 0}},
      {{false, kEndpointTypeBrokers, true}, 2, {0, 1, 1, 0}}, {{true, kEndpointTypeBrokers, false}, 2, {1, 1, 0, 0}},
  };
  for (const auto& c : cases) {
    wire::Writer w;
    encode(w, c.req, c.version);
    EXPECT_EQ(w.bytes(), c.bytes) << "v" << c.version;
    wire::Reader r(c.bytes);
    const auto back = decode_describe_cluster_request(r, c.version);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(back.include_cluster_authorized_operations, c.req.include_cluster_authorized_operations);
    EXPECT_EQ(back.endpoint_type, c.req.endpoint_type);
    EXPECT_EQ(back.include_fenced_brokers, c.req.include_fenced_brokers);
    test::expect_every_truncation_fails(c.bytes,
                                        [v = c.version](wire::Reader& rr) { decode_describe_cluster_request(rr, v); });
  }
  // A request with a tagged field the broker does not know is still read.
  const Bytes tagged = {0, 1, 0, 1, 5, 1, 42};
  wire::Reader r(tagged);
  EXPECT_TRUE(decode_describe_cluster_request(r, 2).endpoint_type == kEndpointTypeBrokers);
  EXPECT_TRUE(r.at_end());

  wire::Writer bad;
  EXPECT_THROW(encode(bad, DescribeClusterRequest{false, kEndpointTypeControllers, false}, 0), std::invalid_argument);
  EXPECT_THROW(encode(bad, DescribeClusterRequest{false, kEndpointTypeBrokers, true}, 1), std::invalid_argument);
  EXPECT_THROW(encode(bad, DescribeClusterRequest{}, 3), std::invalid_argument);
  EXPECT_THROW(encode(bad, DescribeClusterRequest{}, -1), std::invalid_argument);
  wire::Reader rr(tagged);
  EXPECT_THROW(decode_describe_cluster_response(rr, 3), std::invalid_argument);
}

TEST(DescribeCluster, EveryVersionIsFlexible) {
  const auto range = wire::implemented_versions(ApiKey::describe_cluster);
  EXPECT_EQ(range.min, 0);
  EXPECT_EQ(range.max, 2);
  for (int16_t v = 0; v <= 2; ++v) EXPECT_TRUE(wire::is_flexible(ApiKey::describe_cluster, v));
  EXPECT_EQ(wire::pick_version(ApiKey::describe_cluster, {0, 1}), 1);  // Kafka 3.7-3.9
  EXPECT_TRUE(test::frames_of(ApiKey::describe_cluster).empty());      // Kafka 2.4 has no key 60
}

TEST(DescribeCluster, HugeCountsAreRefused) {
  for (int16_t v = 0; v <= 2; ++v) {
    Bytes b = {0, 0, 0, 0, 0, 0, 0};
    if (v >= 1) b.push_back(1);
    append(b, {2, 'c', 0, 0, 0, 1});
    // 100 brokers of at least 11 (v2: 12) bytes cannot fit in the 1 000 bytes that follow; a
    // count check of one byte per element would let them by.
    append(b, {101});
    b.resize(b.size() + 1000, 0);
    wire::Reader r(b);
    try {
      decode_describe_cluster_response(r, v);
      ADD_FAILURE() << "v" << v << ": 100 brokers accepted";
    } catch (const wire::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot fit"), std::string::npos) << e.what();
    }
    // A compact array count of 2^32 - 1 (the largest uvarint Kafka allows).
    Bytes huge(b.begin(), b.end() - 1001);
    append(huge, {0xff, 0xff, 0xff, 0xff, 0x0f});
    wire::Reader rh(huge);
    EXPECT_THROW(decode_describe_cluster_response(rh, v), wire::DecodeError);
  }
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
