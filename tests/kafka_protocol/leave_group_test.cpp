// LeaveGroup was not captured (the live members never left), so these bodies are written by
// hand, field by field, from LeaveGroupRequest.json / LeaveGroupResponse.json: v0-2 carry one
// top-level MemberId; v3 a Members array (member id, nullable instance id); v4 is flexible; v5
// adds each member's nullable Reason. Responses: throttle time from v1, members with their own
// error from v3.
#include "kafka/protocol/leave_group.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/wire/api.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using test_bytes::Bytes;
using wire::ApiKey;

LeaveGroupRequest request(std::vector<std::string> ids, std::optional<std::string> instance = std::nullopt) {
  LeaveGroupRequest r;
  r.group_id = "g";
  for (auto& id : ids) {
    LeaveGroupMember m;
    m.member_id = std::move(id);
    m.group_instance_id = instance;
    r.members.push_back(std::move(m));
  }
  return r;
}

TEST(LeaveGroup, V0To2RequestCarriesOneMember) {
  const std::vector<uint8_t> v0{0, 7, 'b', 'i', 'l', 'l', 'i', 'n', 'g', 0, 3, 'm', '-', '1'};
  for (int16_t v : {0, 1, 2}) {
    wire::Reader r(v0);
    const auto req = decode_leave_group_request(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(req.group_id, "billing");
    ASSERT_EQ(req.members.size(), 1u);
    EXPECT_EQ(req.members[0].member_id, "m-1");
    EXPECT_EQ(req.members[0].group_instance_id, std::nullopt);
    wire::Writer w;
    encode(w, req, v);
    EXPECT_EQ(w.bytes(), v0);
    test::expect_every_truncation_fails(v0, [v](wire::Reader& x) { decode_leave_group_request(x, v); });
  }
  wire::Writer w;
  EXPECT_THROW(encode(w, request({}), 2), std::invalid_argument);
  EXPECT_THROW(encode(w, request({"a", "b"}), 0), std::invalid_argument);
  EXPECT_THROW(encode(w, request({"a"}, "inst"), 1), std::invalid_argument);
}

TEST(LeaveGroup, V3RequestCarriesAMembersArray) {
  wire::Writer b;
  b.string("g", false);
  b.int32(2);
  b.string("m-1", false);
  b.nullable_string(std::nullopt, false);
  b.string("", false);
  b.nullable_string("inst-2", false);
  // Spelled out: group "g", 2 members: ("m-1", null), ("", "inst-2").
  const std::vector<uint8_t> expected{0,    1,    'g', 0, 0, 0, 2,   0,   3,   'm', '-', '1',
                                      0xff, 0xff, 0,   0, 0, 6, 'i', 'n', 's', 't', '-', '2'};
  ASSERT_EQ(b.bytes(), expected);
  wire::Reader r(expected);
  const auto req = decode_leave_group_request(r, 3);
  EXPECT_TRUE(r.at_end());
  ASSERT_EQ(req.members.size(), 2u);
  EXPECT_EQ(req.members[0].member_id, "m-1");
  EXPECT_EQ(req.members[0].group_instance_id, std::nullopt);
  EXPECT_EQ(req.members[1].member_id, "");
  EXPECT_EQ(req.members[1].group_instance_id, "inst-2");
  wire::Writer w;
  encode(w, req, 3);
  EXPECT_EQ(w.bytes(), expected);
  test::expect_every_truncation_fails(expected, [](wire::Reader& x) { decode_leave_group_request(x, 3); });
}

TEST(LeaveGroup, FlexibleV4AndV5Requests) {
  Bytes v5;
  v5.str("grp").arr(2);
  v5.str("m-1").null_str().str("the consumer is being closed").no_tags();
  v5.str("m-2").str("inst-2").null_str().one_tag(0, {4});
  v5.no_tags();
  wire::Reader r(v5.b);
  const auto req = decode_leave_group_request(r, 5);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.group_id, "grp");
  ASSERT_EQ(req.members.size(), 2u);
  EXPECT_EQ(req.members[0].reason, "the consumer is being closed");
  EXPECT_EQ(req.members[1].group_instance_id, "inst-2");
  EXPECT_EQ(req.members[1].reason, std::nullopt);
  test::expect_every_truncation_fails(v5.b, [](wire::Reader& x) { decode_leave_group_request(x, 5); });
  // v4: no reasons.
  Bytes v4;
  v4.str("grp").arr(2).str("m-1").null_str().no_tags().str("m-2").str("inst-2").no_tags().no_tags();
  wire::Writer w4;
  encode(w4, req, 4);
  EXPECT_EQ(w4.bytes(), v4.b);
  wire::Reader r4(v4.b);
  const auto req4 = decode_leave_group_request(r4, 4);
  EXPECT_TRUE(r4.at_end());
  EXPECT_EQ(req4.members.size(), 2u);
  EXPECT_EQ(req4.members[0].reason, std::nullopt);
  EXPECT_TRUE(wire::is_flexible(ApiKey::leave_group, 4));
  EXPECT_FALSE(wire::is_flexible(ApiKey::leave_group, 3));
}

TEST(LeaveGroup, ResponsesPerVersion) {
  const std::vector<uint8_t> v0{0, 25};
  wire::Reader r0(v0);
  EXPECT_EQ(decode_leave_group_response(r0, 0).error_code, 25);
  EXPECT_TRUE(r0.at_end());
  const std::vector<uint8_t> v1{0, 0, 0, 3, 0, 0};
  wire::Reader r1(v1);
  EXPECT_EQ(decode_leave_group_response(r1, 1).throttle_time_ms, 3);
  EXPECT_TRUE(r1.at_end());
  // v3: members with their own errors (UNKNOWN_MEMBER_ID 25 for the second).
  const std::vector<uint8_t> v3{0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 'a', 0xff, 0xff, 0, 0, 0, 1, 'b', 0, 1, 'i', 0, 25};
  wire::Reader r3(v3);
  const auto a = decode_leave_group_response(r3, 3);
  EXPECT_TRUE(r3.at_end());
  ASSERT_EQ(a.members.size(), 2u);
  EXPECT_EQ(a.members[0].member_id, "a");
  EXPECT_EQ(a.members[0].group_instance_id, std::nullopt);
  EXPECT_EQ(a.members[1].group_instance_id, "i");
  EXPECT_EQ(a.members[1].error_code, 25);
  test::expect_every_truncation_fails(v3, [](wire::Reader& x) { decode_leave_group_response(x, 3); });
  Bytes v5;
  v5.i32(0).i16(0).arr(1).str("m-1").null_str().i16(0).no_tags().one_tag(1, {0, 0});
  wire::Reader r5(v5.b);
  const auto b = decode_leave_group_response(r5, 5);
  EXPECT_TRUE(r5.at_end());
  ASSERT_EQ(b.members.size(), 1u);
  EXPECT_EQ(b.members[0].member_id, "m-1");
  test::expect_every_truncation_fails(v5.b, [](wire::Reader& x) { decode_leave_group_response(x, 5); });
}

TEST(LeaveGroup, HugeCountsAndBadVersionsAreRefused) {
  const std::vector<uint8_t> req{0, 1, 'g', 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  wire::Reader r(req);
  EXPECT_THROW(decode_leave_group_request(r, 3), wire::DecodeError);
  const std::vector<uint8_t> resp{0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0};
  wire::Reader rr(resp);
  EXPECT_THROW(decode_leave_group_response(rr, 3), wire::DecodeError);
  Bytes flex;
  flex.str("g").u8(0xff).u8(0xff).u8(0xff).u8(0x07).no_tags();  // a compact count of ~16M
  wire::Reader rf(flex.b);
  EXPECT_THROW(decode_leave_group_request(rf, 5), wire::DecodeError);
  wire::Writer w;
  EXPECT_THROW(encode(w, request({"a"}), 6), std::invalid_argument);
  wire::Reader empty(std::span<const uint8_t>{});
  EXPECT_THROW(decode_leave_group_response(empty, -1), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
