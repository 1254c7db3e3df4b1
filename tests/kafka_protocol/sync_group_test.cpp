// SyncGroup: the captures hold librdkafka 2.0.2's SyncGroup v3 (five pairs: billing-1,
// shipping-1 and analytics-1 leading generation 1, analytics-1 leading generation 2 with two
// assignments, analytics-2 following with none). The flexible versions (v4+) and v5's protocol
// fields are checked against bodies written by hand from SyncGroupRequest/Response.json.
#include "kafka/protocol/sync_group.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "captures.hpp"
#include "group_members.hpp"
#include "kafka/protocol/consumer_protocol.hpp"
#include "kafka/wire/api.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using test_bytes::Bytes;
using wire::ApiKey;

// README: assignments are consumer protocol v0, one topic, no user data.
void expect_assignment(std::span<const uint8_t> bytes, const std::string& topic, const std::vector<int32_t>& parts) {
  const auto a = decode_consumer_protocol_assignment(bytes);
  EXPECT_EQ(a.version, 0);
  ASSERT_EQ(a.assigned_partitions.size(), 1u);
  EXPECT_EQ(a.assigned_partitions[0].topic, topic);
  EXPECT_EQ(a.assigned_partitions[0].partitions, parts);
  EXPECT_TRUE(a.user_data.empty());
}

const std::vector<int32_t> kAll6{0, 1, 2, 3, 4, 5};
const std::vector<int32_t> kLow{0, 1, 2};
const std::vector<int32_t> kHigh{3, 4, 5};

TEST(SyncGroup, EveryCapturedPairDecodesReEncodesAndMatchesTheReadmeAssignments) {
  const auto frames = test::frames_of(ApiKey::sync_group);
  ASSERT_EQ(frames.size(), 5u);
  int leaders = 0;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    ASSERT_EQ(f->api_version, 3);
    ASSERT_FALSE(f->request_has_trailing_bytes);
    const auto& m = test::live_member_of(*f);
    const auto body = test::request_bytes(*f);
    wire::Reader r(body);
    const auto req = decode_sync_group_request(r, 3);
    EXPECT_TRUE(r.at_end());
    wire::Writer w;
    encode(w, req, 3);
    EXPECT_EQ(w.bytes(), body);
    EXPECT_EQ(req.group_id, m.group);
    EXPECT_EQ(req.member_id, m.member_id);
    EXPECT_EQ(req.group_instance_id, std::nullopt);
    EXPECT_EQ(req.protocol_type, std::nullopt);  // v5+
    EXPECT_EQ(req.protocol_name, std::nullopt);

    const auto rbody = test::response_bytes(*f);
    wire::Reader rr(rbody);
    const auto resp = decode_sync_group_response(rr, 3);
    EXPECT_TRUE(rr.at_end());
    wire::Writer rw;
    encode(rw, resp, 3);
    EXPECT_EQ(rw.bytes(), rbody);
    EXPECT_EQ(resp.throttle_time_ms, 0);
    EXPECT_EQ(resp.error_code, 0);

    const auto client = test::live_client(*f);
    if (m.group != "analytics") {
      EXPECT_EQ(req.generation_id, 1);
      ASSERT_EQ(req.assignments.size(), 1u);
      EXPECT_EQ(req.assignments[0].member_id, m.member_id);
      const auto& parts = m.group == "billing" ? kAll6 : kLow;  // shipping: payments 0-2
      expect_assignment(req.assignments[0].assignment, m.topic, parts);
      expect_assignment(resp.assignment, m.topic, parts);
      ++leaders;
    } else if (client == "analytics-2") {
      EXPECT_EQ(req.generation_id, 2);
      EXPECT_TRUE(req.assignments.empty());
      expect_assignment(resp.assignment, "orders", kHigh);
    } else if (req.generation_id == 1) {
      ASSERT_EQ(req.assignments.size(), 1u);
      expect_assignment(req.assignments[0].assignment, "orders", kAll6);
      expect_assignment(resp.assignment, "orders", kAll6);
      ++leaders;
    } else {
      EXPECT_EQ(req.generation_id, 2);
      ASSERT_EQ(req.assignments.size(), 2u);
      EXPECT_EQ(req.assignments[0].member_id, m.member_id);
      expect_assignment(req.assignments[0].assignment, "orders", kLow);
      EXPECT_EQ(req.assignments[1].member_id, test::live_members().at("analytics-2").member_id);
      expect_assignment(req.assignments[1].assignment, "orders", kHigh);
      expect_assignment(resp.assignment, "orders", kLow);
      ++leaders;
    }
  }
  EXPECT_EQ(leaders, 4);
}

// v0: no instance id; the response has no throttle time.
TEST(SyncGroup, V0Layouts) {
  const std::vector<uint8_t> req0{0, 1, 'g', 0, 0, 0, 4, 0, 1, 'm', 0, 0, 0, 1, 0, 1, 'm', 0, 0, 0, 2, 8, 9};
  wire::Reader r(req0);
  const auto req = decode_sync_group_request(r, 0);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.generation_id, 4);
  ASSERT_EQ(req.assignments.size(), 1u);
  EXPECT_EQ(req.assignments[0].assignment, (std::vector<uint8_t>{8, 9}));
  wire::Writer w;
  encode(w, req, 0);
  EXPECT_EQ(w.bytes(), req0);
  test::expect_every_truncation_fails(req0, [](wire::Reader& x) { decode_sync_group_request(x, 0); });
  const std::vector<uint8_t> resp0{0, 27, 0, 0, 0, 0};
  wire::Reader rr(resp0);
  const auto resp = decode_sync_group_response(rr, 0);
  EXPECT_TRUE(rr.at_end());
  EXPECT_EQ(resp.error_code, 27);
  EXPECT_TRUE(resp.assignment.empty());
  SyncGroupRequest with_instance;
  with_instance.group_instance_id = "i";
  EXPECT_THROW(encode(w, with_instance, 2), std::invalid_argument);
}

TEST(SyncGroup, FlexibleV5Layouts) {
  Bytes req;
  req.str("grp").i32(3).str("m-1").null_str().str("consumer").str("range");
  req.arr(2).str("m-1").u8(2).u8(0x11).no_tags().str("m-2").u8(1).one_tag(0, {1});
  req.no_tags();
  wire::Reader r(req.b);
  const auto a = decode_sync_group_request(r, 5);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(a.group_id, "grp");
  EXPECT_EQ(a.generation_id, 3);
  EXPECT_EQ(a.group_instance_id, std::nullopt);
  EXPECT_EQ(a.protocol_type, "consumer");
  EXPECT_EQ(a.protocol_name, "range");
  ASSERT_EQ(a.assignments.size(), 2u);
  EXPECT_EQ(a.assignments[0].assignment, std::vector<uint8_t>{0x11});
  EXPECT_EQ(a.assignments[1].member_id, "m-2");
  test::expect_every_truncation_fails(req.b, [](wire::Reader& x) { decode_sync_group_request(x, 5); });
  // v4 is flexible without the protocol fields.
  Bytes v4;
  v4.str("grp").i32(3).str("m-1").null_str();
  v4.arr(2).str("m-1").u8(2).u8(0x11).no_tags().str("m-2").u8(1).no_tags().no_tags();
  wire::Writer w4;
  encode(w4, a, 4);
  EXPECT_EQ(w4.bytes(), v4.b);

  Bytes resp;
  resp.i32(0).i16(0).str("consumer").null_str().u8(3).u8(0).u8(0).one_tag(2, {});
  wire::Reader rr(resp.b);
  const auto b = decode_sync_group_response(rr, 5);
  EXPECT_TRUE(rr.at_end());
  EXPECT_EQ(b.protocol_type, "consumer");
  EXPECT_EQ(b.protocol_name, std::nullopt);
  EXPECT_EQ(b.assignment, (std::vector<uint8_t>{0, 0}));
  test::expect_every_truncation_fails(resp.b, [](wire::Reader& x) { decode_sync_group_response(x, 5); });
  EXPECT_TRUE(wire::is_flexible(ApiKey::sync_group, 4));
  EXPECT_FALSE(wire::is_flexible(ApiKey::sync_group, 3));
}

TEST(SyncGroup, TruncatedCapturesHugeCountsAndBadVersionsAreRefused) {
  const auto frames = test::frames_of(ApiKey::sync_group, 3);
  const auto* longest = *std::max_element(frames.begin(), frames.end(),
                                          [](auto* a, auto* b) { return a->request.size() < b->request.size(); });
  test::expect_every_truncation_fails(test::request_bytes(*longest),
                                      [](wire::Reader& r) { decode_sync_group_request(r, 3); });
  test::expect_every_truncation_fails(test::response_bytes(*longest),
                                      [](wire::Reader& r) { decode_sync_group_response(r, 3); });
  wire::Writer huge;
  huge.string("g", false);
  huge.int32(1);
  huge.string("m", false);
  huge.nullable_string(std::nullopt, false);
  huge.int32(50000000);  // assignments
  huge.int32(0);
  wire::Reader r(huge.bytes());
  EXPECT_THROW(decode_sync_group_request(r, 3), wire::DecodeError);
  wire::Writer w;
  EXPECT_THROW(encode(w, SyncGroupRequest{}, 6), std::invalid_argument);
  wire::Reader empty(std::span<const uint8_t>{});
  EXPECT_THROW(decode_sync_group_response(empty, -1), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
