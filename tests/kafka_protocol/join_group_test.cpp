// JoinGroup: the Kafka 2.4.0 captures hold librdkafka 2.0.2's JoinGroup v5 (nine pairs: each
// member's first join, answered MEMBER_ID_REQUIRED, then its join with the returned id). The
// flexible versions (v6+), v0's missing rebalance timeout and v7-v9's response fields are
// checked against bodies written by hand from JoinGroupRequest.json / JoinGroupResponse.json.
#include "kafka/protocol/join_group.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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

using Member = test::LiveMember;

std::vector<uint8_t> request_of(const test::CapturedFrame& f) { return test::request_bytes(f); }
std::vector<uint8_t> response_of(const test::CapturedFrame& f) { return test::response_bytes(f); }
const Member& member_of(const test::CapturedFrame& f) { return test::live_member_of(f); }
const std::map<std::string, Member>& kMembers = test::live_members();

// README: subscription metadata is consumer protocol v1, the group's one topic, no user data,
// no owned partitions.
void expect_subscription(std::span<const uint8_t> metadata, const std::string& topic) {
  const auto sub = decode_consumer_protocol_subscription(metadata);
  EXPECT_EQ(sub.version, 1);
  EXPECT_EQ(sub.topics, std::vector<std::string>{topic});
  EXPECT_TRUE(sub.user_data.empty());
  EXPECT_TRUE(sub.owned_partitions.empty());
}

TEST(JoinGroup, EveryCapturedRequestDecodesAndReEncodesToItsBytes) {
  const auto frames = test::frames_of(ApiKey::join_group);
  ASSERT_EQ(frames.size(), 9u);
  int first_joins = 0;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    ASSERT_EQ(f->api_version, 5);
    ASSERT_FALSE(f->request_has_trailing_bytes);
    const auto body = request_of(*f);
    wire::Reader r(body);
    const auto req = decode_join_group_request(r, 5);
    EXPECT_TRUE(r.at_end());
    const auto& m = member_of(*f);
    EXPECT_EQ(req.group_id, m.group);
    EXPECT_EQ(req.session_timeout_ms, 45000);
    EXPECT_EQ(req.rebalance_timeout_ms, 300000);
    if (req.member_id.empty()) {
      ++first_joins;
    } else {
      EXPECT_EQ(req.member_id, m.member_id);
    }
    EXPECT_EQ(req.group_instance_id, std::nullopt);
    EXPECT_EQ(req.protocol_type, "consumer");
    ASSERT_EQ(req.protocols.size(), 2u);
    EXPECT_EQ(req.protocols[0].name, "range");
    EXPECT_EQ(req.protocols[1].name, "roundrobin");
    for (const auto& p : req.protocols) expect_subscription(p.metadata, m.topic);
    EXPECT_EQ(req.reason, std::nullopt);
    wire::Writer w;
    encode(w, req, 5);
    EXPECT_EQ(w.bytes(), body);
  }
  EXPECT_EQ(first_joins, 4);  // one per member
}

TEST(JoinGroup, EveryCapturedResponseMatchesTheReadmeGroups) {
  int required = 0, joined = 0;
  for (const auto* f : test::frames_of(ApiKey::join_group)) {
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    const auto body = response_of(*f);
    wire::Reader r(body);
    const auto resp = decode_join_group_response(r, f->api_version);
    EXPECT_TRUE(r.at_end());
    wire::Writer w;
    encode(w, resp, f->api_version);
    EXPECT_EQ(w.bytes(), body);

    const auto& m = member_of(*f);
    const auto request = request_of(*f);
    wire::Reader rq(request);
    const auto req = decode_join_group_request(rq, f->api_version);
    EXPECT_EQ(resp.throttle_time_ms, 0);
    EXPECT_EQ(resp.member_id, m.member_id);
    EXPECT_EQ(resp.protocol_type, std::nullopt);  // v7+ only
    if (req.member_id.empty()) {
      // README: the first join gets MEMBER_ID_REQUIRED (79) and the id to join with.
      EXPECT_EQ(resp.error_code, 79);
      EXPECT_EQ(resp.generation_id, -1);
      EXPECT_EQ(resp.protocol_name, "");
      EXPECT_EQ(resp.leader, "");
      EXPECT_TRUE(resp.members.empty());
      ++required;
      continue;
    }
    ++joined;
    EXPECT_EQ(resp.error_code, 0);
    EXPECT_EQ(resp.protocol_name, "range");
    if (m.group != "analytics") {
      // A single member leads its group and sees itself.
      EXPECT_EQ(resp.generation_id, 1);
      EXPECT_EQ(resp.leader, resp.member_id);
      ASSERT_EQ(resp.members.size(), 1u);
      EXPECT_EQ(resp.members[0].member_id, m.member_id);
      EXPECT_EQ(resp.members[0].group_instance_id, std::nullopt);
      expect_subscription(resp.members[0].metadata, m.topic);
      continue;
    }
    // analytics: analytics-1 alone (generation 1), then both (generation 2), led by analytics-1;
    // only the leader gets the member list.
    const auto& leader = kMembers.at("analytics-1").member_id;
    EXPECT_EQ(resp.leader, leader);
    if (resp.member_id != leader) {
      EXPECT_EQ(resp.generation_id, 2);
      EXPECT_TRUE(resp.members.empty());
      continue;
    }
    std::vector<std::string> ids;
    for (const auto& x : resp.members) {
      ids.push_back(x.member_id);
      expect_subscription(x.metadata, "orders");
    }
    if (resp.generation_id == 1) {
      EXPECT_EQ(ids, std::vector<std::string>{leader});
    } else {
      EXPECT_EQ(resp.generation_id, 2);
      EXPECT_EQ(ids, (std::vector<std::string>{leader, kMembers.at("analytics-2").member_id}));
    }
  }
  EXPECT_EQ(required, 4);
  EXPECT_EQ(joined, 5);
}

// v0: group, session timeout, member, protocol type, protocols (no rebalance timeout).
TEST(JoinGroup, V0RequestHasNoRebalanceTimeout) {
  const std::vector<uint8_t> v0{0, 1, 'g', 0, 0, 0x27, 0x10, 0, 0, 0, 1, 'c', 0, 0, 0, 1, 0, 1, 'r', 0, 0, 0, 1, 7};
  wire::Reader r(v0);
  const auto req = decode_join_group_request(r, 0);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.group_id, "g");
  EXPECT_EQ(req.session_timeout_ms, 10000);
  EXPECT_EQ(req.rebalance_timeout_ms, -1);
  EXPECT_EQ(req.member_id, "");
  EXPECT_EQ(req.protocol_type, "c");
  ASSERT_EQ(req.protocols.size(), 1u);
  EXPECT_EQ(req.protocols[0].name, "r");
  EXPECT_EQ(req.protocols[0].metadata, std::vector<uint8_t>{7});
  wire::Writer w;
  encode(w, req, 0);
  EXPECT_EQ(w.bytes(), v0);
  test::expect_every_truncation_fails(v0, [](wire::Reader& x) { decode_join_group_request(x, 0); });
  // A v0/v1 response has no throttle time.
  const std::vector<uint8_t> resp{0, 0, 0, 0, 0, 3, 0, 1, 'r', 0, 1, 'm', 0, 1, 'm', 0, 0, 0, 0};
  wire::Reader rr(resp);
  const auto a = decode_join_group_response(rr, 1);
  EXPECT_TRUE(rr.at_end());
  EXPECT_EQ(a.generation_id, 3);
  EXPECT_EQ(a.leader, "m");
}

// v9 request: compact everything, an instance id, a reason, unknown tags to skip.
std::vector<uint8_t> v9_request() {
  Bytes b;
  b.str("grp").i32(45000).i32(300000).str("m-1").str("inst-1").str("consumer");
  b.arr(2);
  b.str("range").u8(3).u8(0).u8(1).no_tags();  // metadata: 2 bytes, compact length 3
  b.str("cooperative-sticky").u8(1).one_tag(0, {9});
  b.str("rejoin");
  b.one_tag(3, {1, 2});
  return b.b;
}

TEST(JoinGroup, FlexibleV9RequestLayout) {
  const auto bytes = v9_request();
  wire::Reader r(bytes);
  const auto req = decode_join_group_request(r, 9);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.group_id, "grp");
  EXPECT_EQ(req.session_timeout_ms, 45000);
  EXPECT_EQ(req.rebalance_timeout_ms, 300000);
  EXPECT_EQ(req.member_id, "m-1");
  EXPECT_EQ(req.group_instance_id, "inst-1");
  EXPECT_EQ(req.protocol_type, "consumer");
  ASSERT_EQ(req.protocols.size(), 2u);
  EXPECT_EQ(req.protocols[0].metadata, (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(req.protocols[1].name, "cooperative-sticky");
  EXPECT_TRUE(req.protocols[1].metadata.empty());
  EXPECT_EQ(req.reason, "rejoin");
  test::expect_every_truncation_fails(bytes, [](wire::Reader& x) { decode_join_group_request(x, 9); });
  // The encoder writes the same fields without the unknown tags; v6/v7 lack the reason.
  Bytes clean;
  clean.str("grp").i32(45000).i32(300000).str("m-1").str("inst-1").str("consumer");
  clean.arr(2).str("range").u8(3).u8(0).u8(1).no_tags().str("cooperative-sticky").u8(1).no_tags();
  auto v6 = clean;
  v6.no_tags();
  clean.str("rejoin").no_tags();
  wire::Writer w9, w6;
  encode(w9, req, 9);
  encode(w6, req, 6);
  EXPECT_EQ(w9.bytes(), clean.b);
  EXPECT_EQ(w6.bytes(), v6.b);
  EXPECT_TRUE(wire::is_flexible(ApiKey::join_group, 6));
  EXPECT_FALSE(wire::is_flexible(ApiKey::join_group, 5));
}

// v9 response: protocol type and (null) name at v7+, skip_assignment at v9.
std::vector<uint8_t> v9_response(bool null_name) {
  Bytes b;
  b.i32(5).i16(0).i32(7).str("consumer");
  if (null_name) {
    b.null_str();
  } else {
    b.str("range");
  }
  b.str("m-1").u8(1).str("m-1");
  b.arr(2);
  b.str("m-1").null_str().u8(2).u8(0xab).no_tags();
  b.str("m-2").str("inst-2").u8(1).one_tag(1, {0});
  b.no_tags();
  return b.b;
}

TEST(JoinGroup, FlexibleV9ResponseLayout) {
  const auto bytes = v9_response(false);
  wire::Reader r(bytes);
  const auto resp = decode_join_group_response(r, 9);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(resp.throttle_time_ms, 5);
  EXPECT_EQ(resp.generation_id, 7);
  EXPECT_EQ(resp.protocol_type, "consumer");
  EXPECT_EQ(resp.protocol_name, "range");
  EXPECT_EQ(resp.leader, "m-1");
  EXPECT_TRUE(resp.skip_assignment);
  EXPECT_EQ(resp.member_id, "m-1");
  ASSERT_EQ(resp.members.size(), 2u);
  EXPECT_EQ(resp.members[0].group_instance_id, std::nullopt);
  EXPECT_EQ(resp.members[0].metadata, std::vector<uint8_t>{0xab});
  EXPECT_EQ(resp.members[1].group_instance_id, "inst-2");
  EXPECT_TRUE(resp.members[1].metadata.empty());
  test::expect_every_truncation_fails(bytes, [](wire::Reader& x) { decode_join_group_response(x, 9); });

  const auto null_bytes = v9_response(true);
  wire::Reader rn(null_bytes);
  EXPECT_EQ(decode_join_group_response(rn, 9).protocol_name, std::nullopt);
  // v8 has no skip_assignment: the same body without that byte.
  auto v8 = bytes;
  v8.erase(v8.begin() + 4 + 2 + 4 + 9 + 6 + 4);
  wire::Reader r8(v8);
  const auto resp8 = decode_join_group_response(r8, 8);
  EXPECT_TRUE(r8.at_end());
  EXPECT_FALSE(resp8.skip_assignment);
  EXPECT_EQ(resp8.members.size(), 2u);
  // Before v7 a null protocol name cannot be written.
  JoinGroupResponse null_name;
  null_name.protocol_name.reset();
  wire::Writer w;
  EXPECT_THROW(encode(w, null_name, 6), std::invalid_argument);
  EXPECT_NO_THROW(encode(w, null_name, 7));
}

TEST(JoinGroup, TruncatedCapturesHugeCountsAndBadVersionsAreRefused) {
  const auto frames = test::frames_of(ApiKey::join_group, 5);
  const auto* longest = *std::max_element(frames.begin(), frames.end(),
                                          [](auto* a, auto* b) { return a->response.size() < b->response.size(); });
  test::expect_every_truncation_fails(response_of(*longest), [](wire::Reader& r) { decode_join_group_response(r, 5); });
  test::expect_every_truncation_fails(request_of(*longest), [](wire::Reader& r) { decode_join_group_request(r, 5); });

  wire::Writer w;
  wire::Writer huge;
  huge.int32(0);
  huge.int16(0);
  huge.int32(1);
  huge.string("range", false);
  huge.string("m", false);
  huge.string("m", false);
  huge.int32(0x7fffffff);  // members
  huge.int32(0);
  wire::Reader r(huge.bytes());
  EXPECT_THROW(decode_join_group_response(r, 5), wire::DecodeError);

  wire::Writer req;
  req.string("g", false);
  req.int32(1);
  req.int32(1);
  req.string("", false);
  req.nullable_string(std::nullopt, false);
  req.string("consumer", false);
  req.int32(100000000);  // protocols
  wire::Reader rq(req.bytes());
  EXPECT_THROW(decode_join_group_request(rq, 5), wire::DecodeError);

  JoinGroupRequest with_instance;
  with_instance.group_instance_id = "i";
  EXPECT_THROW(encode(w, with_instance, 4), std::invalid_argument);
  EXPECT_THROW(encode(w, JoinGroupRequest{}, 10), std::invalid_argument);
  wire::Reader empty(std::span<const uint8_t>{});
  EXPECT_THROW(decode_join_group_request(empty, -1), std::invalid_argument);
  EXPECT_THROW(decode_join_group_response(empty, 10), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
