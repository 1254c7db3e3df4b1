#include "kafka/protocol/list_groups.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "captures.hpp"
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

// Broker id from the capture's port: 9092/9192 = 1, 9093/9193 = 2, 9094/9194 = 3.
int broker_of(const test::CapturedFrame& f) { return f.broker_port % 100 - 91; }

TEST(ListGroups, EveryCapturedResponseDecodesToTheLastByte) {
  size_t seen = 0;
  for (int16_t v : {0, 3}) {
    const auto frames = test::frames_of(ApiKey::list_groups, v);
    ASSERT_FALSE(frames.empty()) << "v" << v;
    for (const auto* f : frames) {
      auto r = test::response_reader(*f);
      const auto resp = decode_list_groups_response(r, v);
      EXPECT_TRUE(r.at_end()) << "seq " << f->seq;
      EXPECT_EQ(resp.error_code, 0) << "seq " << f->seq;
      EXPECT_EQ(resp.throttle_time_ms, 0);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 92u);  // README: 30 v0 + 62 v3
}

TEST(ListGroups, EachBrokerListsTheGroupsItCoordinates) {
  // README: broker 1 shipping; broker 2 analytics; broker 3 audit, rf1-reader, partial
  // (protocol type "") and billing ("consumer"). Coordinators are the same when healthy and
  // after the SASL restart.
  const std::map<int, std::map<std::string, std::string>> expected = {
      {1, {{"shipping", "consumer"}}},
      {2, {{"analytics", "consumer"}}},
      {3, {{"audit", ""}, {"rf1-reader", ""}, {"partial", ""}, {"billing", "consumer"}}},
  };
  std::set<std::pair<int, int16_t>> checked;
  for (const auto* f : test::frames_of(ApiKey::list_groups)) {
    if (f->phase != "healthy" && f->phase != "sasl") continue;
    auto r = test::response_reader(*f);
    const auto resp = decode_list_groups_response(r, f->api_version);
    std::map<std::string, std::string> got;
    for (const auto& g : resp.groups) {
      got[g.group_id] = g.protocol_type;
      EXPECT_EQ(g.group_state, "");  // not in v0-3
    }
    EXPECT_EQ(got, expected.at(broker_of(*f))) << "seq " << f->seq;
    checked.insert({broker_of(*f), f->api_version});
  }
  EXPECT_EQ(checked.size(), 6u);  // three brokers, v0 and v3
}

TEST(ListGroups, BrokerThreeDownMovesItsGroups) {
  // README: billing -> broker 2; audit, partial, rf1-reader -> broker 1. Answers caught just
  // after the stop may still lack the moved groups, so each answer is a subset.
  const std::map<int, std::set<std::string>> allowed = {
      {1, {"shipping", "audit", "partial", "rf1-reader"}},
      {2, {"analytics", "billing"}},
      {3, {"audit", "rf1-reader", "partial", "billing"}},
  };
  bool saw_billing_on_2 = false;
  for (const auto* f : test::frames_of(ApiKey::list_groups)) {
    if (f->phase != "broker3-down") continue;
    auto r = test::response_reader(*f);
    for (const auto& g : decode_list_groups_response(r, f->api_version).groups) {
      EXPECT_TRUE(allowed.at(broker_of(*f)).count(g.group_id)) << g.group_id << " seq " << f->seq;
      if (g.group_id == "billing" && broker_of(*f) == 2) saw_billing_on_2 = true;
    }
  }
  EXPECT_TRUE(saw_billing_on_2);
}

TEST(ListGroups, EncoderReproducesCapturedRequests) {
  // Every captured ListGroups request has an empty body (v0: nothing; v3: the tag section).
  size_t compared = 0;
  for (int16_t v : {0, 3}) {
    for (const auto* f : test::frames_of(ApiKey::list_groups, v)) {
      if (f->request_has_trailing_bytes) continue;
      wire::Writer w;
      encode(w, ListGroupsRequest{}, v);
      const auto body = test::request_body(*f);
      EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end())) << "seq " << f->seq;
      ++compared;
    }
  }
  EXPECT_GT(compared, 40u);
}

TEST(ListGroups, FiltersOfVersionsFourAndFive) {
  wire::Writer w4;
  encode(w4, ListGroupsRequest{{"Stable", "Empty"}, {}}, 4);
  EXPECT_EQ(w4.bytes(), (std::vector<uint8_t>{3, 7, 'S', 't', 'a', 'b', 'l', 'e', 6, 'E', 'm', 'p', 't', 'y', 0}));
  wire::Writer w5;
  encode(w5, ListGroupsRequest{{}, {"classic"}}, 5);
  EXPECT_EQ(w5.bytes(), (std::vector<uint8_t>{1, 2, 8, 'c', 'l', 'a', 's', 's', 'i', 'c', 0}));
  wire::Writer w;
  EXPECT_THROW(encode(w, ListGroupsRequest{{"Stable"}, {}}, 3), std::invalid_argument);
  EXPECT_THROW(encode(w, ListGroupsRequest{{}, {"consumer"}}, 4), std::invalid_argument);
  EXPECT_THROW(encode(w, ListGroupsRequest{}, 6), std::invalid_argument);
}

TEST(ListGroups, StateAndTypeOfVersionsFourAndFive) {
  for (int16_t v : {4, 5}) {
    wire::Writer w;
    w.int32(7);
    w.int16(0);
    w.array_length(1, true);
    w.string("billing", true);
    w.string("consumer", true);
    w.string("Stable", true);
    if (v >= 5) w.string("classic", true);
    w.no_tagged_fields();
    w.no_tagged_fields();
    wire::Reader r(w.bytes());
    const auto resp = decode_list_groups_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.throttle_time_ms, 7);
    ASSERT_EQ(resp.groups.size(), 1u);
    EXPECT_EQ(resp.groups[0].group_id, "billing");
    EXPECT_EQ(resp.groups[0].protocol_type, "consumer");
    EXPECT_EQ(resp.groups[0].group_state, "Stable");
    EXPECT_EQ(resp.groups[0].group_type, v >= 5 ? "classic" : "");
  }
}

TEST(ListGroups, TruncatedResponsesAndHugeCountsAreRefused) {
  for (int16_t v : {0, 3}) {
    const auto frames = test::frames_of(ApiKey::list_groups, v);
    const auto* longest = *std::max_element(frames.begin(), frames.end(),
                                            [](auto* a, auto* b) { return a->response.size() < b->response.size(); });
    test::expect_every_truncation_fails(response_body_of(*longest),
                                        [v](wire::Reader& r) { decode_list_groups_response(r, v); });
  }
  wire::Writer w;
  w.int16(0);
  w.int32(0x7fffffff);
  wire::Reader r(w.bytes());
  EXPECT_THROW(decode_list_groups_response(r, 0), wire::DecodeError);
  wire::Reader r2(w.bytes());
  EXPECT_THROW(decode_list_groups_response(r2, -1), std::invalid_argument);
}

// Server side (demo broker front, which answers ListGroups itself).

TEST(ListGroupsServer, EveryCapturedResponseReencodesToTheSameBytes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_list_groups_response(r, v); };
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::list_groups, 0, decode), 20);
  EXPECT_GT(test::expect_captured_responses_reencode(ApiKey::list_groups, 3, decode), 40);
}

TEST(ListGroupsServer, EveryCapturedRequestDecodesAndReencodes) {
  const auto decode = [](wire::Reader& r, int16_t v) { return decode_list_groups_request(r, v); };
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::list_groups, 0, decode), 20);
  EXPECT_GT(test::expect_captured_requests_reencode(ApiKey::list_groups, 3, decode), 30);  // 27 have trailing bytes
}

ListGroupsResponse full_response(int16_t v) {
  ListGroupsResponse resp;
  if (v >= 1) resp.throttle_time_ms = 11;
  resp.error_code = 0;
  resp.groups = {{"billing", "consumer", v >= 4 ? "Stable" : "", v >= 5 ? "classic" : ""},
                 {"offsets-only", "", v >= 4 ? "Empty" : "", v >= 5 ? "consumer" : ""}};
  return resp;
}

TEST(ListGroupsServer, HandBuiltResponsesAndRequestsRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 5; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto resp = full_response(v);
    wire::Writer w;
    encode(w, resp, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_list_groups_response(r, v), resp);
    EXPECT_TRUE(r.at_end());
    ListGroupsResponse err;
    err.error_code = 15;  // COORDINATOR_NOT_AVAILABLE
    wire::Writer we;
    encode(we, err, v);
    wire::Reader re(we.bytes());
    EXPECT_EQ(decode_list_groups_response(re, v), err);

    ListGroupsRequest req;
    if (v >= 4) req.states_filter = {"Stable", "PreparingRebalance"};
    if (v >= 5) req.types_filter = {"classic"};
    wire::Writer wr;
    encode(wr, req, v);
    wire::Reader rr(wr.bytes());
    EXPECT_EQ(decode_list_groups_request(rr, v), req);
    EXPECT_TRUE(rr.at_end());
    test::expect_every_truncation_fails(wr.bytes(), [v](wire::Reader& x) { decode_list_groups_request(x, v); });
  }
  // The v5 struct at v3 loses state and type.
  wire::Writer w3;
  encode(w3, full_response(5), 3);
  wire::Reader r3(w3.bytes());
  EXPECT_EQ(decode_list_groups_response(r3, 3), full_response(3));
  EXPECT_THROW(encode(w3, full_response(5), 6), std::invalid_argument);
}

TEST(ListGroupsServer, V5BytesFromTheSpec) {
  // Response v5: throttle, error, groups [id, protocol type, state, type, tags], tags.
  test_bytes::Bytes b;
  b.i32(0).i16(0).arr(1).str("g").str("consumer").str("Stable").str("classic").no_tags().no_tags();
  ListGroupsResponse resp;
  resp.groups = {{"g", "consumer", "Stable", "classic"}};
  wire::Writer w;
  encode(w, resp, 5);
  EXPECT_EQ(w.bytes(), b.b);
  // Request v5: states filter, types filter, tags (an unknown tag skipped).
  test_bytes::Bytes q;
  q.arr(1).str("Empty").arr(0).one_tag(4, {1, 2});
  wire::Reader r(q.b);
  EXPECT_EQ(decode_list_groups_request(r, 5), (ListGroupsRequest{{"Empty"}, {}}));
  EXPECT_TRUE(r.at_end());
  // v0-2 requests have no fields; v3 only the tag section.
  const std::vector<uint8_t> tags{0};
  wire::Reader r3(tags);
  EXPECT_EQ(decode_list_groups_request(r3, 3), ListGroupsRequest{});
  EXPECT_TRUE(r3.at_end());
  wire::Reader r2(tags);
  EXPECT_EQ(decode_list_groups_request(r2, 2), ListGroupsRequest{});
  EXPECT_EQ(r2.position(), 0u);
}

TEST(ListGroupsServer, HugeRequestCountsAreRefused) {
  const std::vector<uint8_t> states{0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0};
  wire::Reader a(states);
  EXPECT_THROW(decode_list_groups_request(a, 4), wire::DecodeError);
  const std::vector<uint8_t> types{1, 100, 2, 'a', 0};  // 99 types, 3 bytes left
  wire::Reader b(types);
  EXPECT_THROW(decode_list_groups_request(b, 5), wire::DecodeError);
  wire::Reader c(types);
  EXPECT_THROW(decode_list_groups_request(c, 6), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
