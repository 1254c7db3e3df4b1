#include "kafka/protocol/find_coordinator.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "captures.hpp"
#include "server_side.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

std::vector<uint8_t> encoded(const FindCoordinatorRequest& req, int16_t v) {
  wire::Writer w;
  encode(w, req, v);
  return w.take();
}

std::vector<uint8_t> body_of(const test::CapturedFrame& f) {
  const auto b = test::request_body(f);
  return {b.begin(), b.end()};
}

// The groups the clients asked about: the README's six, kafka-consumer-groups' describe of
// `no-such-group` (h15) and confluent-kafka-python's probe group.
const std::vector<std::string> kGroups = {"billing", "analytics",  "shipping",      "audit",
                                          "partial", "rf1-reader", "no-such-group", "py-probe-unused"};

// The group a captured request asked about: the one whose encoding is the captured body.
std::optional<std::string> group_of(const test::CapturedFrame& f) {
  std::optional<std::string> found;
  for (const auto& g : kGroups) {
    if (encoded({{g}, kCoordinatorGroup}, f.api_version) == body_of(f)) {
      EXPECT_FALSE(found.has_value()) << "seq " << f.seq;
      found = g;
    }
  }
  return found;
}

// README: coordinators, healthy and while broker 3 was down.
const std::map<std::string, int32_t> kHealthy = {{"billing", 3},    {"audit", 3},     {"partial", 3},
                                                 {"rf1-reader", 3}, {"analytics", 2}, {"shipping", 1}};
const std::map<std::string, int32_t> kBroker3Down = {{"billing", 2},    {"audit", 1},     {"partial", 1},
                                                     {"rf1-reader", 1}, {"analytics", 2}, {"shipping", 1}};

TEST(FindCoordinator, EncoderReproducesEveryCapturedRequest) {
  std::map<int16_t, int> checked;
  for (const auto* f : test::frames_of(ApiKey::find_coordinator)) {
    if (f->request_has_trailing_bytes) continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    EXPECT_TRUE(group_of(*f).has_value());
    ++checked[f->api_version];
  }
  EXPECT_EQ(checked[2], 31 + 28 + 6);
  EXPECT_EQ(checked[3], 32 + 23 + 24);
}

TEST(FindCoordinator, EveryCapturedResponseMatchesTheReadmeCoordinators) {
  int healthy = 0, down = 0, down_stale = 0, recovery = 0;
  for (const auto* f : test::frames_of(ApiKey::find_coordinator)) {
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    const auto group = group_of(*f);
    ASSERT_TRUE(group.has_value());
    auto r = test::response_reader(*f);
    const auto resp = decode_find_coordinator_response(r, f->api_version, *group);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.throttle_time_ms, 0);
    ASSERT_EQ(resp.coordinators.size(), 1u);
    const auto& c = resp.coordinators[0];
    EXPECT_EQ(c.key, *group);
    EXPECT_EQ(c.error_code, 0);  // README: FindCoordinator always answered error 0
    EXPECT_EQ(c.error_message, "NONE");
    EXPECT_EQ(c.host, "127.0.0.1");
    EXPECT_EQ(c.port, 9091 + c.node_id);
    if (!kHealthy.count(*group)) continue;
    if (f->phase == "healthy") {
      EXPECT_EQ(c.node_id, kHealthy.at(*group)) << *group;
      ++healthy;
    } else if (f->phase == "broker3-down") {
      if (c.node_id == 3) {
        // Just after the stop, two answers still named broker 3: partial and rf1-reader.
        EXPECT_TRUE(*group == "partial" || *group == "rf1-reader") << *group;
        ++down_stale;
      } else {
        EXPECT_EQ(c.node_id, kBroker3Down.at(*group)) << *group;
        ++down;
      }
    } else if (f->phase == "recovery") {
      // Leadership moved back during the phase: either answer.
      EXPECT_TRUE(c.node_id == kHealthy.at(*group) || c.node_id == kBroker3Down.at(*group)) << *group;
      ++recovery;
    }
  }
  EXPECT_GT(healthy, 50);
  EXPECT_GT(down, 40);
  EXPECT_EQ(down_stale, 2);
  EXPECT_GT(recovery, 20);
}

TEST(FindCoordinator, RequestLayouts) {
  // v0: key only; v1-2: key, key type; v3: compact key, key type, tagged fields.
  EXPECT_EQ(encoded({{"ab"}}, 0), (std::vector<uint8_t>{0, 2, 'a', 'b'}));
  EXPECT_EQ(encoded({{"ab"}, kCoordinatorTransaction}, 1), (std::vector<uint8_t>{0, 2, 'a', 'b', 1}));
  EXPECT_EQ(encoded({{"ab"}}, 3), (std::vector<uint8_t>{3, 'a', 'b', 0, 0}));
  // v4+: key type, then the keys as a compact array.
  const std::vector<uint8_t> v4{0, 3, 3, 'a', 'b', 2, 'c', 0};
  EXPECT_EQ(encoded({{"ab", "c"}}, 4), v4);
  EXPECT_EQ(encoded({{"ab", "c"}}, 5), v4);
  wire::Writer w;
  EXPECT_THROW(encode(w, FindCoordinatorRequest{{"a", "b"}}, 3), std::invalid_argument);
  EXPECT_THROW(encode(w, FindCoordinatorRequest{{}}, 2), std::invalid_argument);
  EXPECT_THROW(encode(w, FindCoordinatorRequest{{"a"}, kCoordinatorTransaction}, 0), std::invalid_argument);
  EXPECT_THROW(encode(w, FindCoordinatorRequest{{"a"}}, 6), std::invalid_argument);
  EXPECT_THROW(encode(w, FindCoordinatorRequest{{"a"}}, -1), std::invalid_argument);
}

TEST(FindCoordinator, V0AndV1ResponseLayouts) {
  // v0: error, node id, host, port.
  const std::vector<uint8_t> v0{0, 0, 0, 0, 0, 2, 0, 1, 'h', 0, 0, 0x23, 0x85};
  wire::Reader r0(v0);
  const auto a = decode_find_coordinator_response(r0, 0, "g");
  EXPECT_TRUE(r0.at_end());
  ASSERT_EQ(a.coordinators.size(), 1u);
  EXPECT_EQ(a.coordinators[0].key, "g");
  EXPECT_EQ(a.coordinators[0].node_id, 2);
  EXPECT_EQ(a.coordinators[0].host, "h");
  EXPECT_EQ(a.coordinators[0].port, 9093);
  EXPECT_EQ(a.coordinators[0].error_message, std::nullopt);
  test::expect_every_truncation_fails(v0, [](wire::Reader& x) { decode_find_coordinator_response(x, 0); });
  // v1: throttle, error 15 with a null message, node -1, empty host, port -1.
  const std::vector<uint8_t> v1{0, 0, 0, 9, 0, 15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff};
  wire::Reader r1(v1);
  const auto b = decode_find_coordinator_response(r1, 1, "g");
  EXPECT_TRUE(r1.at_end());
  EXPECT_EQ(b.throttle_time_ms, 9);
  EXPECT_EQ(b.coordinators.at(0).error_code, 15);
  EXPECT_EQ(b.coordinators.at(0).error_message, std::nullopt);
  EXPECT_EQ(b.coordinators.at(0).node_id, -1);
}

TEST(FindCoordinator, BatchedV4AndV5Responses) {
  // throttle 0, two coordinators: billing on 3 (127.0.0.1:9094), and audit with error 15.
  wire::Writer w;
  w.int32(0);
  w.array_length(2, true);
  w.string("billing", true);
  w.int32(3);
  w.string("127.0.0.1", true);
  w.int32(9094);
  w.int16(0);
  w.nullable_string(std::nullopt, true);
  w.no_tagged_fields();
  w.string("audit", true);
  w.int32(-1);
  w.string("", true);
  w.int32(-1);
  w.int16(15);
  w.nullable_string(std::string("The coordinator is not available."), true);
  w.no_tagged_fields();
  w.no_tagged_fields();
  const auto body = w.take();
  for (int16_t v : {4, 5}) {
    wire::Reader r(body);
    const auto resp = decode_find_coordinator_response(r, v, "ignored");
    EXPECT_TRUE(r.at_end());
    ASSERT_EQ(resp.coordinators.size(), 2u);
    EXPECT_EQ(resp.coordinators[0].key, "billing");
    EXPECT_EQ(resp.coordinators[0].node_id, 3);
    EXPECT_EQ(resp.coordinators[0].port, 9094);
    EXPECT_EQ(resp.coordinators[1].key, "audit");
    EXPECT_EQ(resp.coordinators[1].error_code, 15);
    EXPECT_EQ(resp.coordinators[1].error_message, "The coordinator is not available.");
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_find_coordinator_response(x, v); });
  }
  // 2^28 coordinators in a few bytes.
  const std::vector<uint8_t> huge{0, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0};
  wire::Reader r(huge);
  EXPECT_THROW(decode_find_coordinator_response(r, 4), wire::DecodeError);
}

TEST(FindCoordinator, TruncatedCapturedResponsesAreRefused) {
  for (int16_t v : {2, 3}) {
    const auto frames = test::frames_of(ApiKey::find_coordinator, v);
    ASSERT_FALSE(frames.empty());
    auto r = test::response_reader(*frames.front());
    const auto body = r.raw(r.remaining(), "body");
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_find_coordinator_response(x, v); });
  }
  const std::vector<uint8_t> body(16, 0);
  wire::Reader r(body);
  EXPECT_THROW(decode_find_coordinator_response(r, 6), std::invalid_argument);
}

// Server side (demo broker front): decode, edit, re-encode.

TEST(FindCoordinatorServer, EveryCapturedResponseReencodesToTheSameBytes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_find_coordinator_response(r, v); };
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::find_coordinator, 2, decode), 50);
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::find_coordinator, 3, decode), 50);
}

TEST(FindCoordinatorServer, EveryCapturedRequestDecodesAndReencodes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_find_coordinator_request(r, v); };
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::find_coordinator, 2, decode), 50);
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::find_coordinator, 3, decode), 50);
  for (const auto* f : test::frames_of(ApiKey::find_coordinator)) {
    wire::Reader r(test::request_body(*f));
    const auto req = decode_find_coordinator_request(r, f->api_version);
    ASSERT_EQ(req.coordinator_keys.size(), 1u);
    EXPECT_FALSE(req.coordinator_keys[0].empty());
  }
}

FindCoordinatorResponse full_response(int16_t v) {
  FindCoordinatorResponse resp;
  if (v >= 1) resp.throttle_time_ms = 15;
  FindCoordinatorResponseCoordinator c;
  if (v >= 4) c.key = "billing";
  c.node_id = 2;
  c.host = "kafka-2";
  c.port = 19093;
  c.error_code = 0;
  if (v >= 1) c.error_message = "NONE";
  resp.coordinators.push_back(c);
  if (v >= 4) {
    FindCoordinatorResponseCoordinator bad;
    bad.key = "";
    bad.error_code = 15;  // COORDINATOR_NOT_AVAILABLE
    bad.error_message = "The coordinator is not available.";
    resp.coordinators.push_back(bad);
  }
  return resp;
}

TEST(FindCoordinatorServer, HandBuiltResponsesAndRequestsRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 5; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto resp = full_response(v);
    wire::Writer w;
    encode(w, resp, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_find_coordinator_response(r, v), resp);
    EXPECT_TRUE(r.at_end());

    FindCoordinatorRequest req;
    req.coordinator_keys = {"billing"};
    if (v >= 4) req.coordinator_keys.push_back("audit");
    if (v >= 1) req.key_type = kCoordinatorTransaction;
    wire::Writer wr;
    encode(wr, req, v);
    wire::Reader rr(wr.bytes());
    EXPECT_EQ(decode_find_coordinator_request(rr, v), req);
    EXPECT_TRUE(rr.at_end());
    test::expect_every_truncation_fails(wr.bytes(), [v](wire::Reader& x) { decode_find_coordinator_request(x, v); });
  }
}

TEST(FindCoordinatorServer, V0To3CarryExactlyOneCoordinator) {
  auto two = full_response(4);
  for (int16_t v = 0; v <= 3; ++v) {
    wire::Writer w;
    EXPECT_THROW(encode(w, two, v), std::invalid_argument) << v;
    EXPECT_THROW(encode(w, FindCoordinatorResponse{}, v), std::invalid_argument) << v;
  }
  // v4 writes any number, none included.
  wire::Writer w;
  encode(w, FindCoordinatorResponse{}, 4);
  EXPECT_EQ(w.bytes(), (std::vector<uint8_t>{0, 0, 0, 0, 1, 0}));
  // v0 has no throttle time or message: the v3 fields are dropped.
  wire::Writer w0;
  encode(w0, full_response(3), 0);
  wire::Reader r0(w0.bytes());
  EXPECT_EQ(decode_find_coordinator_response(r0, 0), full_response(0));
  EXPECT_THROW(encode(w0, full_response(3), 6), std::invalid_argument);
}

TEST(FindCoordinatorServer, FlexibleBytesFromTheSpec) {
  // Response v4: throttle, coordinators [key, node, host, port, error, message, tags], tags.
  test_bytes::Bytes b;
  b.i32(0).arr(1).str("g").i32(1).str("h").i32(9092).i16(0).null_str().no_tags().no_tags();
  FindCoordinatorResponse resp;
  resp.coordinators = {{"g", 1, "h", 9092, 0, std::nullopt}};
  wire::Writer w;
  encode(w, resp, 4);
  EXPECT_EQ(w.bytes(), b.b);
  // Response v3: throttle, error, message, node, host, port, tags (no key).
  test_bytes::Bytes b3;
  b3.i32(0).i16(0).str("NONE").i32(1).str("h").i32(9092).no_tags();
  resp.coordinators[0].key.clear();
  resp.coordinators[0].error_message = "NONE";
  wire::Writer w3;
  encode(w3, resp, 3);
  EXPECT_EQ(w3.bytes(), b3.b);
  // Request v4: key type, coordinator keys, tags (an unknown tag skipped).
  test_bytes::Bytes req;
  req.u8(0).arr(2).str("a").str("bc").one_tag(1, {0});
  wire::Reader r(req.b);
  EXPECT_EQ(decode_find_coordinator_request(r, 4), (FindCoordinatorRequest{{"a", "bc"}, kCoordinatorGroup}));
  EXPECT_TRUE(r.at_end());
  // Request v3: key, key type, tags.
  test_bytes::Bytes req3;
  req3.str("billing").u8(1).no_tags();
  wire::Reader r3(req3.b);
  EXPECT_EQ(decode_find_coordinator_request(r3, 3), (FindCoordinatorRequest{{"billing"}, kCoordinatorTransaction}));
  EXPECT_TRUE(r3.at_end());
}

TEST(FindCoordinatorServer, HugeRequestCountsAreRefused) {
  const std::vector<uint8_t> v4{0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0};
  wire::Reader a(v4);
  EXPECT_THROW(decode_find_coordinator_request(a, 4), wire::DecodeError);
  const std::vector<uint8_t> v5{0, 10, 2, 'a', 0};  // 9 keys, 3 bytes left
  wire::Reader b(v5);
  EXPECT_THROW(decode_find_coordinator_request(b, 5), wire::DecodeError);
  const std::vector<uint8_t> long_key{0x7f, 0xff, 'a', 0};
  wire::Reader c(long_key);
  EXPECT_THROW(decode_find_coordinator_request(c, 2), wire::DecodeError);
  wire::Reader d(long_key);
  EXPECT_THROW(decode_find_coordinator_request(d, 6), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
