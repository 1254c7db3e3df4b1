// ConsumerGroupDescribe (KIP-848) is newer than the Kafka 2.4.0 captures, so these bodies are
// written by hand, field by field, from ConsumerGroupDescribeRequest.json and
// ConsumerGroupDescribeResponse.json: every version is flexible; the member's Assignment and
// TargetAssignment are nested structs with their own tag sections; topic ids are uuids; v1 adds
// member_type (int8, default -1) at the end of each member (KIP-1099).
#include "kafka/protocol/consumer_group_describe.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/wire/api.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

using test_bytes::Bytes;

const std::string kOrdersId = "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f";
const std::string kPaymentsId = std::string("\xfe\xdc\xba\x98", 4) + std::string(12, '\x01');

// Two groups: "billing" Stable with two members (one static with a rack and a regex, one
// plain, mid-reconciliation: its target assignment differs), and "no-such-group" with an
// error. Unknown tags close member 0's assignment, member 1, group 1 and the response.
std::vector<uint8_t> response_bytes(int16_t version) {
  Bytes b;
  b.i32(25);
  b.arr(2);
  // groups[0]
  b.i16(0).null_str().str("billing").str("Stable").i32(12).i32(11).str("uniform");
  b.arr(2);
  //   members[0]: static, rack, regex; assignment orders 0,1,2 + payments 0; target the same
  b.str("m-AAAAAAAAAAAAAAAAAAAAAA").str("billing-static-1").str("rack-a").i32(12);
  b.str("billing-1").str("/10.0.0.1");
  b.arr(2).str("orders").str("payments");
  b.str("^(orders|payments)$");
  b.arr(2);  // assignment.topic_partitions
  b.raw(kOrdersId).str("orders").arr(3).i32(0).i32(1).i32(2).no_tags();
  b.raw(kPaymentsId).str("payments").arr(1).i32(0).no_tags();
  b.one_tag(0, {0x11, 0x22});  // end of assignment
  b.arr(2);                    // target_assignment.topic_partitions
  b.raw(kOrdersId).str("orders").arr(3).i32(0).i32(1).i32(2).no_tags();
  b.raw(kPaymentsId).str("payments").arr(1).i32(0).no_tags();
  b.no_tags();
  if (version >= 1) b.u8(1);  // member_type: consumer
  b.no_tags();
  //   members[1]: no instance, no rack, no regex; owns nothing yet, target orders 3,4,5
  b.str("m-BBBBBBBBBBBBBBBBBBBBBB").null_str().null_str().i32(11);
  b.str("billing-2").str("/10.0.0.2");
  b.arr(1).str("orders");
  b.null_str();
  b.arr(0).no_tags();
  b.arr(1).raw(kOrdersId).str("orders").arr(3).i32(3).i32(4).i32(5).no_tags().no_tags();
  if (version >= 1) b.u8(0);  // member_type: classic
  b.one_tag(5, {0x01, 0x02, 0x03});
  b.i32(std::numeric_limits<int32_t>::min());
  b.no_tags();
  // groups[1]
  b.i16(69).str("group not found").str("no-such-group").str("Dead").i32(0).i32(0).str("");
  b.arr(0);
  b.i32(0x0cf8);
  b.one_tag(2, {0x00});
  b.one_tag(9, {});
  return b.b;
}

ConsumerGroupDescribeResponse expected_response(int16_t version) {
  ConsumerGroupDescribeResponse r;
  r.throttle_time_ms = 25;
  ConsumerGroupDescribeGroup billing;
  billing.group_id = "billing";
  billing.group_state = "Stable";
  billing.group_epoch = 12;
  billing.assignment_epoch = 11;
  billing.assignor_name = "uniform";
  ConsumerGroupDescribeMember m0;
  m0.member_id = "m-AAAAAAAAAAAAAAAAAAAAAA";
  m0.instance_id = "billing-static-1";
  m0.rack_id = "rack-a";
  m0.member_epoch = 12;
  m0.client_id = "billing-1";
  m0.client_host = "/10.0.0.1";
  m0.subscribed_topic_names = {"orders", "payments"};
  m0.subscribed_topic_regex = "^(orders|payments)$";
  m0.assignment.topic_partitions = {{kOrdersId, "orders", {0, 1, 2}}, {kPaymentsId, "payments", {0}}};
  m0.target_assignment = m0.assignment;
  if (version >= 1) m0.member_type = 1;
  ConsumerGroupDescribeMember m1;
  m1.member_id = "m-BBBBBBBBBBBBBBBBBBBBBB";
  m1.member_epoch = 11;
  m1.client_id = "billing-2";
  m1.client_host = "/10.0.0.2";
  m1.subscribed_topic_names = {"orders"};
  m1.target_assignment.topic_partitions = {{kOrdersId, "orders", {3, 4, 5}}};
  if (version >= 1) m1.member_type = 0;
  billing.members = {m0, m1};
  ConsumerGroupDescribeGroup missing;
  missing.error_code = 69;
  missing.error_message = "group not found";
  missing.group_id = "no-such-group";
  missing.group_state = "Dead";
  missing.authorized_operations = 0x0cf8;
  r.groups = {billing, missing};
  return r;
}

std::vector<uint8_t> request_bytes() {
  Bytes b;
  b.arr(2).str("billing").str("analytics").u8(1).no_tags();
  return b.b;
}

TEST(ConsumerGroupDescribe, ImplementedVersionsFollowTheSpec) {
  const auto range = wire::implemented_versions(ApiKey::consumer_group_describe);
  EXPECT_EQ(range.min, 0);
  EXPECT_EQ(range.max, 1);
  for (int16_t v = 0; v <= 1; ++v) EXPECT_TRUE(wire::is_flexible(ApiKey::consumer_group_describe, v)) << v;
  wire::Writer w;
  EXPECT_THROW(encode(w, ConsumerGroupDescribeRequest{}, 2), std::invalid_argument);
  EXPECT_THROW(encode(w, ConsumerGroupDescribeResponse{}, 2), std::invalid_argument);
  std::vector<uint8_t> empty;
  wire::Reader r(empty);
  EXPECT_THROW(decode_consumer_group_describe_response(r, 2), std::invalid_argument);
  EXPECT_THROW(decode_consumer_group_describe_request(r, -1), std::invalid_argument);
}

TEST(ConsumerGroupDescribe, HandBuiltResponsesDecodeAtEveryVersion) {
  for (int16_t v = 0; v <= 1; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    const auto body = response_bytes(v);
    wire::Reader r(body);
    const auto got = decode_consumer_group_describe_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(got, expected_response(v));
    // Spot checks that do not lean on operator==.
    ASSERT_EQ(got.groups.size(), 2u);
    const auto& g = got.groups[0];
    EXPECT_FALSE(g.error_message.has_value());
    EXPECT_EQ(g.authorized_operations, std::numeric_limits<int32_t>::min());
    ASSERT_EQ(g.members.size(), 2u);
    EXPECT_EQ(g.members[0].instance_id, std::optional<std::string>("billing-static-1"));
    EXPECT_FALSE(g.members[1].instance_id.has_value());
    EXPECT_FALSE(g.members[1].rack_id.has_value());
    EXPECT_FALSE(g.members[1].subscribed_topic_regex.has_value());
    ASSERT_EQ(g.members[0].assignment.topic_partitions.size(), 2u);
    EXPECT_EQ(g.members[0].assignment.topic_partitions[1].topic_id, kPaymentsId);
    EXPECT_TRUE(g.members[1].assignment.topic_partitions.empty());
    EXPECT_EQ(g.members[1].target_assignment.topic_partitions.at(0).partitions, (std::vector<int32_t>{3, 4, 5}));
    EXPECT_EQ(g.members[0].member_type, v >= 1 ? 1 : -1);
    EXPECT_EQ(g.members[1].member_type, v >= 1 ? 0 : -1);
    EXPECT_EQ(got.groups[1].error_code, 69);
    EXPECT_EQ(got.groups[1].error_message, std::optional<std::string>("group not found"));
  }
}

TEST(ConsumerGroupDescribe, ResponsesRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 1; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    const auto expected = expected_response(v);
    wire::Writer w;
    encode(w, expected, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_consumer_group_describe_response(r, v), expected);
    EXPECT_TRUE(r.at_end());
    // member_type is not written at v0: a v1 response encoded at v0 is the v0 body.
    wire::Writer w1;
    encode(w1, expected_response(1), v);
    EXPECT_EQ(w1.bytes(), w.bytes());
  }
  // Encoded at v0, the body is the hand-built one less the unknown tags: sizes tell.
  wire::Writer w0;
  encode(w0, expected_response(0), 0);
  wire::Writer w1;
  encode(w1, expected_response(1), 1);
  EXPECT_EQ(w1.size(), w0.size() + 2);  // one member_type byte per member
}

TEST(ConsumerGroupDescribe, RequestEncodesAndDecodesAtEveryVersion) {
  const ConsumerGroupDescribeRequest request{{"billing", "analytics"}, true};
  for (int16_t v = 0; v <= 1; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    wire::Writer w;
    encode(w, request, v);
    EXPECT_EQ(w.bytes(), request_bytes());
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_consumer_group_describe_request(r, v), request);
    EXPECT_TRUE(r.at_end());
    const ConsumerGroupDescribeRequest none{{}, false};
    wire::Writer wn;
    encode(wn, none, v);
    EXPECT_EQ(wn.bytes(), (std::vector<uint8_t>{0x01, 0x00, 0x00}));
    wire::Reader rn(wn.bytes());
    EXPECT_EQ(decode_consumer_group_describe_request(rn, v), none);
    // An unknown request tag is skipped.
    Bytes tagged;
    tagged.arr(1).str("g").u8(0).one_tag(4, {0x01, 0x02});
    wire::Reader rt(tagged.b);
    EXPECT_EQ(decode_consumer_group_describe_request(rt, v), (ConsumerGroupDescribeRequest{{"g"}, false}));
    EXPECT_TRUE(rt.at_end());
  }
}

TEST(ConsumerGroupDescribe, EveryTruncationIsADecodeError) {
  for (int16_t v = 0; v <= 1; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    const auto body = response_bytes(v);
    test::expect_every_truncation_fails(body, [v](wire::Reader& r) { decode_consumer_group_describe_response(r, v); });
    const auto req = request_bytes();
    test::expect_every_truncation_fails(req, [v](wire::Reader& r) { decode_consumer_group_describe_request(r, v); });
  }
}

TEST(ConsumerGroupDescribe, HostileCountsAreRefusedBeforeAllocation) {
  for (int16_t v = 0; v <= 1; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    // groups: 2^32 - 2 elements.
    Bytes huge;
    huge.i32(0).u8(0xff).u8(0xff).u8(0xff).u8(0xff).u8(0x0f);
    huge.b.resize(huge.b.size() + 64, 0);
    wire::Reader r(huge.b);
    try {
      decode_consumer_group_describe_response(r, v);
      ADD_FAILURE() << "a hostile group count decoded";
    } catch (const wire::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("groups"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot fit"), std::string::npos) << e.what();
    }
    // A member's assignment claiming 50 topic-partitions entries with 200 bytes left (each
    // takes at least 19): refused at the count.
    Bytes tp;
    tp.i32(0).arr(1).i16(0).null_str().str("g").str("Stable").i32(1).i32(1).str("uniform").arr(1);
    tp.str("m").null_str().null_str().i32(1).str("c").str("h").arr(0).null_str().arr(50);
    tp.b.resize(tp.b.size() + 200, 0);
    wire::Reader rt(tp.b);
    try {
      decode_consumer_group_describe_response(rt, v);
      ADD_FAILURE() << "a hostile topic-partitions count decoded";
    } catch (const wire::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("members[0].assignment.topic_partitions"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot fit"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
