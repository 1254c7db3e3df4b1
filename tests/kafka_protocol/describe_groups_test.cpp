#include "kafka/protocol/describe_groups.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "captures.hpp"
#include "kafka/protocol/consumer_protocol.hpp"
#include "kafka/wire/api.hpp"
#include "server_side.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

std::span<const uint8_t> response_body_of(const test::CapturedFrame& f) {
  auto r = test::response_reader(f);
  return std::span<const uint8_t>(f.response).subspan(r.position());
}

// The README's groups table (healthy phase, unchanged while broker 3 was down and after).
struct ExpectedMember {
  std::string client_id, topic;
  std::vector<int32_t> partitions;
};
struct ExpectedGroup {
  std::string state, protocol_type, protocol_data;
  std::map<std::string, ExpectedMember> members;  // by member id
};

const std::map<std::string, ExpectedGroup>& readme_groups() {
  static const std::map<std::string, ExpectedGroup> g = {
      {"billing",
       {"Stable",
        "consumer",
        "range",
        {{"billing-1-02e598ea-f1d3-49fe-9ee5-34afe3458d2e", {"billing-1", "orders", {0, 1, 2, 3, 4, 5}}}}}},
      {"analytics",
       {"Stable",
        "consumer",
        "range",
        {{"analytics-1-b3676ce5-a0fa-4a6f-b7db-e4f0980f7750", {"analytics-1", "orders", {0, 1, 2}}},
         {"analytics-2-83fc25e9-019b-46f3-969c-8bc2d0bd07eb", {"analytics-2", "orders", {3, 4, 5}}}}}},
      {"shipping",
       {"Stable",
        "consumer",
        "range",
        {{"shipping-1-a6a6981a-034b-4eb5-b588-a97d4d820a47", {"shipping-1", "payments", {0, 1, 2}}}}}},
      {"audit", {"Empty", "", "", {}}},
      {"partial", {"Empty", "", "", {}}},
      {"rf1-reader", {"Empty", "", "", {}}},
      {"no-such-group", {"Dead", "", "", {}}},
  };
  return g;
}

TEST(DescribeGroups, EveryCapturedResponseDecodesToTheLastByte) {
  size_t seen = 0;
  for (int16_t v : {0, 4, 5}) {
    const auto frames = test::frames_of(ApiKey::describe_groups, v);
    ASSERT_FALSE(frames.empty()) << "v" << v;
    for (const auto* f : frames) {
      auto r = test::response_reader(*f);
      const auto resp = decode_describe_groups_response(r, v);
      EXPECT_TRUE(r.at_end()) << "seq " << f->seq;
      EXPECT_FALSE(resp.groups.empty());
      ++seen;
    }
  }
  EXPECT_EQ(seen, 97u);  // README: 29 v0 + 10 v4 + 58 v5
}

TEST(DescribeGroups, GroupsMembersAndAssignmentsMatchTheReadme) {
  std::set<std::string> described;
  for (const auto* f : test::frames_of(ApiKey::describe_groups)) {
    // Before the first --reset-offsets, `partial` did not exist yet (Dead).
    if (f->step.rfind("setup-", 0) == 0) continue;
    auto r = test::response_reader(*f);
    const auto resp = decode_describe_groups_response(r, f->api_version);
    for (const auto& g : resp.groups) {
      SCOPED_TRACE("seq " + std::to_string(f->seq) + " group " + g.group_id);
      const auto it = readme_groups().find(g.group_id);
      ASSERT_NE(it, readme_groups().end());
      const auto& want = it->second;
      described.insert(g.group_id);
      EXPECT_EQ(g.error_code, 0);
      EXPECT_EQ(g.group_state, want.state);
      EXPECT_EQ(g.protocol_type, want.protocol_type);
      EXPECT_EQ(g.protocol_data, want.protocol_data);
      // v3+: not requested, Kafka 2.4 sends 0 (README); below v3 the field is absent.
      EXPECT_EQ(g.authorized_operations, f->api_version >= 3 ? 0 : std::numeric_limits<int32_t>::min());
      ASSERT_EQ(g.members.size(), want.members.size());
      for (const auto& m : g.members) {
        SCOPED_TRACE(m.member_id);
        const auto mi = want.members.find(m.member_id);
        ASSERT_NE(mi, want.members.end());
        EXPECT_EQ(m.client_id, mi->second.client_id);
        EXPECT_EQ(m.client_host, "/127.0.0.1");
        EXPECT_EQ(m.group_instance_id, std::nullopt);
        // Subscription: consumer protocol v1, the topic, no user data, no owned partitions.
        const auto sub = decode_consumer_protocol_subscription(m.member_metadata);
        EXPECT_EQ(sub.version, 1);
        EXPECT_EQ(sub.topics, std::vector<std::string>{mi->second.topic});
        EXPECT_TRUE(sub.user_data.empty());
        EXPECT_TRUE(sub.owned_partitions.empty());
        EXPECT_EQ(sub.generation_id, -1);
        // Assignment: version 0, no user data.
        const auto asg = decode_consumer_protocol_assignment(m.member_assignment);
        EXPECT_EQ(asg.version, 0);
        ASSERT_EQ(asg.assigned_partitions.size(), 1u);
        EXPECT_EQ(asg.assigned_partitions[0].topic, mi->second.topic);
        EXPECT_EQ(asg.assigned_partitions[0].partitions, mi->second.partitions);
        EXPECT_TRUE(asg.user_data.empty());
      }
    }
  }
  EXPECT_EQ(described.size(), readme_groups().size());
}

// The request as a test-side reader sees it, to rebuild the struct a client sent.
DescribeGroupsRequest parse_request(std::span<const uint8_t> body, int16_t version) {
  const bool flexible = wire::is_flexible(ApiKey::describe_groups, version);
  wire::Reader r(body);
  DescribeGroupsRequest req;
  const size_t n = r.count("groups", flexible);
  for (size_t i = 0; i < n; ++i) req.groups.push_back(r.string("groups", flexible));
  if (version >= 3) req.include_authorized_operations = r.boolean("include_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  EXPECT_TRUE(r.at_end());
  return req;
}

TEST(DescribeGroups, EncoderReproducesCapturedRequests) {
  std::set<int16_t> versions;
  for (const auto* f : test::frames_of(ApiKey::describe_groups)) {
    if (f->request_has_trailing_bytes) continue;
    const auto body = test::request_body(*f);
    const auto req = parse_request(body, f->api_version);
    wire::Writer w;
    encode(w, req, f->api_version);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end())) << "seq " << f->seq;
    versions.insert(f->api_version);
  }
  EXPECT_EQ(versions, (std::set<int16_t>{0, 4, 5}));
}

TEST(DescribeGroups, JavaToolRequestBuiltByHand) {
  // kafka-consumer-groups --describe for no-such-group (step h15): DescribeGroups v5.
  const auto frames = test::frames_of(ApiKey::describe_groups, 5);
  const auto it = std::find_if(frames.begin(), frames.end(), [](auto* f) { return f->step.rfind("h15", 0) == 0; });
  ASSERT_NE(it, frames.end());
  wire::Writer w;
  encode(w, DescribeGroupsRequest{{"no-such-group"}, false}, 5);
  const auto body = test::request_body(**it);
  EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
  // confluent-kafka-python's list_groups: DescribeGroups v0 for the groups of broker 3.
  wire::Writer w0;
  encode(w0, DescribeGroupsRequest{{"audit"}, true}, 0);  // v0 cannot carry the flag
  EXPECT_EQ(w0.bytes(), (std::vector<uint8_t>{0, 0, 0, 1, 0, 5, 'a', 'u', 'd', 'i', 't'}));
  EXPECT_THROW(encode(w0, DescribeGroupsRequest{}, 6), std::invalid_argument);
}

TEST(DescribeGroups, VersionsOneToThreeByHand) {
  for (int16_t v : {1, 2, 3}) {
    wire::Writer w;
    w.int32(5);  // throttle
    w.array_length(1, false);
    w.int16(0);
    w.string("g", false);
    w.string("Stable", false);
    w.string("consumer", false);
    w.string("range", false);
    w.array_length(1, false);
    w.string("m", false);
    w.string("c", false);
    w.string("/h", false);
    w.bytes(std::vector<uint8_t>{1}, false);
    w.bytes(std::vector<uint8_t>{2, 3}, false);
    if (v >= 3) w.int32(0x0f);
    wire::Reader r(w.bytes());
    const auto resp = decode_describe_groups_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.throttle_time_ms, 5);
    ASSERT_EQ(resp.groups.size(), 1u);
    ASSERT_EQ(resp.groups[0].members.size(), 1u);
    EXPECT_EQ(resp.groups[0].members[0].client_host, "/h");
    EXPECT_EQ(resp.groups[0].members[0].member_assignment, (std::vector<uint8_t>{2, 3}));
    EXPECT_EQ(resp.groups[0].authorized_operations, v >= 3 ? 0x0f : std::numeric_limits<int32_t>::min());
    wire::Writer req;
    encode(req, DescribeGroupsRequest{{"g"}, true}, v);
    EXPECT_EQ(req.bytes().size(), v >= 3 ? 8u : 7u);
  }
}

TEST(DescribeGroups, TruncatedResponsesAndHugeCountsAreRefused) {
  for (int16_t v : {0, 4, 5}) {
    const auto frames = test::frames_of(ApiKey::describe_groups, v);
    const auto* longest = *std::max_element(frames.begin(), frames.end(),
                                            [](auto* a, auto* b) { return a->response.size() < b->response.size(); });
    test::expect_every_truncation_fails(response_body_of(*longest),
                                        [v](wire::Reader& r) { decode_describe_groups_response(r, v); });
  }
  wire::Writer w;
  w.array_length(1, false);
  w.int16(0);
  for (int i = 0; i < 4; ++i) w.string("", false);
  w.int32(0x7fffffff);  // members
  wire::Reader r(w.bytes());
  EXPECT_THROW(decode_describe_groups_response(r, 0), wire::DecodeError);
}

// Server side (demo broker front, which answers DescribeGroups itself).

TEST(DescribeGroupsServer, EveryCapturedResponseReencodesToTheSameBytes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_describe_groups_response(r, v); };
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::describe_groups, 0, decode), 20);
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::describe_groups, 4, decode), 5);
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::describe_groups, 5, decode), 40);
}

TEST(DescribeGroupsServer, EveryCapturedRequestDecodesAndReencodes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_describe_groups_request(r, v); };
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::describe_groups, 0, decode), 20);
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::describe_groups, 4, decode), 5);
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::describe_groups, 5, decode), 40);
}

DescribeGroupsResponse full_response(int16_t v) {
  DescribeGroupsResponse resp;
  if (v >= 1) resp.throttle_time_ms = 8;
  DescribedGroup g;
  g.group_id = "billing";
  g.group_state = "Stable";
  g.protocol_type = "consumer";
  g.protocol_data = "range";
  DescribedGroupMember m;
  m.member_id = "billing-1-3f2a";
  if (v >= 4) m.group_instance_id = "billing-static-1";
  m.client_id = "billing-1";
  m.client_host = "/127.0.0.1";
  m.member_metadata = {0, 1, 0, 0, 0, 1, 0, 6, 'o', 'r', 'd', 'e', 'r', 's', 0xff, 0xff, 0xff, 0xff};
  m.member_assignment = {0, 1, 0, 0, 0, 1, 0, 6, 'o', 'r', 'd', 'e', 'r', 's', 0, 0, 0, 1, 0, 0, 0, 2};
  DescribedGroupMember m2 = m;
  m2.member_id = "billing-2-9c1d";
  m2.group_instance_id = std::nullopt;
  m2.member_assignment.clear();
  g.members = {m, m2};
  if (v >= 3) g.authorized_operations = 0x0f80;
  DescribedGroup dead;
  dead.error_code = 16;  // NOT_COORDINATOR
  dead.group_id = "elsewhere";
  dead.group_state = "Dead";
  resp.groups = {g, dead};
  return resp;
}

TEST(DescribeGroupsServer, HandBuiltResponsesAndRequestsRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 5; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto resp = full_response(v);
    wire::Writer w;
    encode(w, resp, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_describe_groups_response(r, v), resp);
    EXPECT_TRUE(r.at_end());

    DescribeGroupsRequest req{{"billing", "shipping", ""}, v >= 3};
    wire::Writer wr;
    encode(wr, req, v);
    wire::Reader rr(wr.bytes());
    EXPECT_EQ(decode_describe_groups_request(rr, v), req);
    EXPECT_TRUE(rr.at_end());
    test::expect_every_truncation_fails(wr.bytes(), [v](wire::Reader& x) { decode_describe_groups_request(x, v); });
  }
  // The v5 struct at v0 loses the throttle time, instance ids and operations.
  wire::Writer w0;
  encode(w0, full_response(5), 0);
  wire::Reader r0(w0.bytes());
  EXPECT_EQ(decode_describe_groups_response(r0, 0), full_response(0));
  EXPECT_THROW(encode(w0, full_response(5), 6), std::invalid_argument);
}

TEST(DescribeGroupsServer, V5BytesFromTheSpec) {
  // Response v5: throttle, groups [error, id, state, protocol type, protocol data, members
  // [member id, instance id, client id, client host, metadata, assignment (compact bytes),
  // tags], operations, tags], tags.
  test_bytes::Bytes b;
  b.i32(0).arr(1).i16(0).str("g").str("Stable").str("consumer").str("range").arr(1);
  b.str("m").null_str().str("c").str("/h").u8(2).u8(9).u8(3).u8(1).u8(2).no_tags();
  b.i32(INT32_MIN).no_tags().no_tags();
  DescribedGroup g{0, "g", "Stable", "consumer", "range", {{"m", std::nullopt, "c", "/h", {9}, {1, 2}}}};
  DescribeGroupsResponse resp;
  resp.groups = {g};
  wire::Writer w;
  encode(w, resp, 5);
  EXPECT_EQ(w.bytes(), b.b);
  wire::Reader r(b.b);
  EXPECT_EQ(decode_describe_groups_response(r, 5), resp);
  // Request v5: groups, include operations, tags (an unknown tag skipped).
  test_bytes::Bytes q;
  q.arr(2).str("a").str("bc").u8(1).one_tag(0, {5});
  wire::Reader rq(q.b);
  EXPECT_EQ(decode_describe_groups_request(rq, 5), (DescribeGroupsRequest{{"a", "bc"}, true}));
  EXPECT_TRUE(rq.at_end());
}

TEST(DescribeGroupsServer, HugeRequestCountsAreRefused) {
  const std::vector<uint8_t> v0{0x7f, 0xff, 0xff, 0xff, 0, 1, 'a'};
  wire::Reader a(v0);
  EXPECT_THROW(decode_describe_groups_request(a, 0), wire::DecodeError);
  const std::vector<uint8_t> v5{0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0};
  wire::Reader b(v5);
  EXPECT_THROW(decode_describe_groups_request(b, 5), wire::DecodeError);
  wire::Reader c(v5);
  EXPECT_THROW(decode_describe_groups_request(c, 6), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
