// Heartbeat: the captures hold librdkafka 2.0.2's Heartbeat v3 (16 pairs, every phase). The
// flexible v4 and the older layouts are checked against bodies written by hand from
// HeartbeatRequest.json / HeartbeatResponse.json.
#include "kafka/protocol/heartbeat.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "captures.hpp"
#include "group_members.hpp"
#include "kafka/wire/api.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using test_bytes::Bytes;
using wire::ApiKey;

TEST(Heartbeat, EveryCapturedPairDecodesReEncodesAndMatchesTheReadme) {
  const auto frames = test::frames_of(ApiKey::heartbeat);
  ASSERT_EQ(frames.size(), 16u);
  int rebalancing = 0, not_coordinator = 0;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    ASSERT_EQ(f->api_version, 3);
    ASSERT_FALSE(f->request_has_trailing_bytes);
    const auto& m = test::live_member_of(*f);
    const auto body = test::request_bytes(*f);
    wire::Reader r(body);
    const auto req = decode_heartbeat_request(r, 3);
    EXPECT_TRUE(r.at_end());
    wire::Writer w;
    encode(w, req, 3);
    EXPECT_EQ(w.bytes(), body);
    EXPECT_EQ(req.group_id, m.group);
    EXPECT_EQ(req.member_id, m.member_id);
    EXPECT_EQ(req.group_instance_id, std::nullopt);
    // README generations: billing and shipping 1; analytics 2 once analytics-2 joined.
    if (m.group == "analytics") {
      EXPECT_TRUE(req.generation_id == 1 || req.generation_id == 2) << req.generation_id;
    } else {
      EXPECT_EQ(req.generation_id, 1);
    }

    const auto rbody = test::response_bytes(*f);
    wire::Reader rr(rbody);
    const auto resp = decode_heartbeat_response(rr, 3);
    EXPECT_TRUE(rr.at_end());
    wire::Writer rw;
    encode(rw, resp, 3);
    EXPECT_EQ(rw.bytes(), rbody);
    EXPECT_EQ(resp.throttle_time_ms, 0);
    if (resp.error_code == 27) {
      // README: analytics-1's Heartbeat got REBALANCE_IN_PROGRESS when analytics-2 joined.
      EXPECT_EQ(test::live_client(*f), "analytics-1");
      EXPECT_EQ(req.generation_id, 1);
      ++rebalancing;
    } else if (resp.error_code == 16) {
      // README: billing-1's Heartbeat to broker 2 got NOT_COORDINATOR during the recovery.
      EXPECT_EQ(test::live_client(*f), "billing-1");
      EXPECT_EQ(f->phase, "recovery");
      EXPECT_EQ(f->broker_port, 9093);
      ++not_coordinator;
    } else {
      EXPECT_EQ(resp.error_code, 0);
      if (test::live_client(*f) == "analytics-2") {
        EXPECT_EQ(req.generation_id, 2);
      }
    }
  }
  EXPECT_EQ(rebalancing, 1);
  EXPECT_EQ(not_coordinator, 1);
}

TEST(Heartbeat, LayoutsPerVersion) {
  // v0-2: group, generation, member; v0 answers have no throttle time.
  const std::vector<uint8_t> v0{0, 1, 'g', 0, 0, 0, 2, 0, 1, 'm'};
  wire::Reader r0(v0);
  const auto a = decode_heartbeat_request(r0, 0);
  EXPECT_TRUE(r0.at_end());
  EXPECT_EQ(a.group_id, "g");
  EXPECT_EQ(a.generation_id, 2);
  EXPECT_EQ(a.member_id, "m");
  wire::Writer w0;
  encode(w0, a, 2);
  EXPECT_EQ(w0.bytes(), v0);
  const std::vector<uint8_t> resp0{0, 25};
  wire::Reader rr0(resp0);
  EXPECT_EQ(decode_heartbeat_response(rr0, 0).error_code, 25);
  EXPECT_TRUE(rr0.at_end());
  test::expect_every_truncation_fails(v0, [](wire::Reader& x) { decode_heartbeat_request(x, 1); });

  // v4: compact strings, an instance id, tagged fields.
  Bytes v4;
  v4.str("grp").i32(-1).str("").str("inst").one_tag(5, {1, 2, 3});
  wire::Reader r4(v4.b);
  const auto b = decode_heartbeat_request(r4, 4);
  EXPECT_TRUE(r4.at_end());
  EXPECT_EQ(b.group_id, "grp");
  EXPECT_EQ(b.generation_id, -1);
  EXPECT_EQ(b.member_id, "");
  EXPECT_EQ(b.group_instance_id, "inst");
  Bytes clean;
  clean.str("grp").i32(-1).str("").str("inst").no_tags();
  wire::Writer w4;
  encode(w4, b, 4);
  EXPECT_EQ(w4.bytes(), clean.b);
  test::expect_every_truncation_fails(v4.b, [](wire::Reader& x) { decode_heartbeat_request(x, 4); });
  Bytes resp4;
  resp4.i32(100).i16(22).no_tags();
  wire::Reader rr4(resp4.b);
  const auto c = decode_heartbeat_response(rr4, 4);
  EXPECT_TRUE(rr4.at_end());
  EXPECT_EQ(c.throttle_time_ms, 100);
  EXPECT_EQ(c.error_code, 22);
  test::expect_every_truncation_fails(resp4.b, [](wire::Reader& x) { decode_heartbeat_response(x, 4); });
  wire::Writer rw4;
  encode(rw4, c, 4);
  EXPECT_EQ(rw4.bytes(), resp4.b);
  EXPECT_TRUE(wire::is_flexible(ApiKey::heartbeat, 4));
  EXPECT_FALSE(wire::is_flexible(ApiKey::heartbeat, 3));

  wire::Writer w;
  EXPECT_THROW(encode(w, b, 2), std::invalid_argument);  // instance id below v3
  EXPECT_THROW(encode(w, HeartbeatRequest{}, 5), std::invalid_argument);
  wire::Reader empty(std::span<const uint8_t>{});
  EXPECT_THROW(decode_heartbeat_response(empty, -1), std::invalid_argument);
}

TEST(Heartbeat, TruncatedCapturesAreRefused) {
  for (const auto* f : test::frames_of(ApiKey::heartbeat, 3)) {
    test::expect_every_truncation_fails(test::request_bytes(*f),
                                        [](wire::Reader& r) { decode_heartbeat_request(r, 3); });
    test::expect_every_truncation_fails(test::response_bytes(*f),
                                        [](wire::Reader& r) { decode_heartbeat_response(r, 3); });
  }
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
