#include "kafka/protocol/offset_fetch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "captures.hpp"
#include "kafka/wire/api.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;
using Offsets = std::map<std::pair<std::string, int32_t>, int64_t>;  // (topic, partition) -> offset

std::span<const uint8_t> response_body_of(const test::CapturedFrame& f) {
  auto r = test::response_reader(f);
  return std::span<const uint8_t>(f.response).subspan(r.position());
}

int broker_of(const test::CapturedFrame& f) { return f.broker_port % 100 - 91; }

// README "Committed offsets": every committed offset of every group.
const std::map<std::string, Offsets>& readme_offsets() {
  static const std::map<std::string, Offsets> o = [] {
    std::map<std::string, Offsets> m;
    for (int32_t p = 0; p < 6; ++p) {
      m["analytics"][{"orders", p}] = 10 * (p + 1);
      m["billing"][{"orders", p}] = 100;
    }
    m["audit"] = {{{"payments", 0}, 16}, {{"payments", 1}, 10}, {{"payments", 2}, 5}};
    m["partial"] = {{{"orders", 0}, 25}, {{"orders", 1}, 50}, {{"orders", 2}, 75}};
    m["rf1-reader"] = {{{"audit-rf1", 0}, 7}};
    m["shipping"] = {};
    m["no-such-group"] = {};
    return m;
  }();
  return o;
}

// The request a client sent, read back by a test-side reader (versions 1-7: one group).
// librdkafka's ListConsumerGroupOffsets adds 3 bytes after the body (README), hence `trailing`.
OffsetFetchRequest parse_request(std::span<const uint8_t> body, int16_t version, bool trailing = false) {
  const bool flexible = wire::is_flexible(ApiKey::offset_fetch, version);
  wire::Reader r(body);
  OffsetFetchRequestGroup g;
  g.group_id = r.string("group_id", flexible);
  const int32_t n = r.array_length("topics", flexible);
  if (n >= 0) {
    g.topics.emplace();
    for (int32_t i = 0; i < n; ++i) {
      OffsetFetchRequestTopic t;
      t.name = r.string("name", flexible);
      const size_t np = r.count("partition_indexes", flexible);
      for (size_t j = 0; j < np; ++j) t.partition_indexes.push_back(r.int32("p"));
      if (flexible) r.skip_tagged_fields();
      g.topics->push_back(std::move(t));
    }
  }
  OffsetFetchRequest req;
  req.groups.push_back(std::move(g));
  if (version >= 7) req.require_stable = r.boolean("require_stable");
  if (flexible) r.skip_tagged_fields();
  if (trailing) {
    EXPECT_EQ(r.remaining(), 3u);
  } else {
    EXPECT_TRUE(r.at_end());
  }
  return req;
}

OffsetFetchResponse decode_frame(const test::CapturedFrame& f, std::string* group_id = nullptr) {
  const auto req = parse_request(test::request_body(f), f.api_version, f.request_has_trailing_bytes);
  if (group_id) *group_id = req.groups[0].group_id;
  auto r = test::response_reader(f);
  auto resp = decode_offset_fetch_response(r, f.api_version, req.groups[0].group_id);
  EXPECT_TRUE(r.at_end()) << "seq " << f.seq;
  return resp;
}

TEST(OffsetFetch, EveryCapturedResponseDecodesToTheLastByte) {
  size_t seen = 0;
  for (int16_t v : {1, 6}) {
    const auto frames = test::frames_of(ApiKey::offset_fetch, v);
    ASSERT_FALSE(frames.empty()) << "v" << v;
    for (const auto* f : frames) {
      std::string group;
      const auto resp = decode_frame(*f, &group);
      ASSERT_EQ(resp.groups.size(), 1u);
      EXPECT_EQ(resp.groups[0].group_id, group);
      EXPECT_EQ(resp.throttle_time_ms, 0);
      for (const auto& t : resp.groups[0].topics)
        for (const auto& p : t.partitions) {
          EXPECT_EQ(p.error_code, 0) << "seq " << f->seq;
          EXPECT_EQ(p.metadata, "");
          EXPECT_EQ(p.committed_leader_epoch, -1);  // README: every commit carries epoch -1
        }
      ++seen;
    }
  }
  EXPECT_EQ(seen, 96u);  // README: 24 v1 + 72 v6
}

TEST(OffsetFetch, AllPartitionsRequestsReturnExactlyTheCommittedOffsets) {
  // Java AdminClient (kafka-consumer-groups), topics null: only committed partitions come back.
  std::set<std::string> groups;
  for (const auto* f : test::frames_of(ApiKey::offset_fetch, 6)) {
    if (f->client.rfind("kafka-consumer-groups", 0) != 0) continue;
    std::string group;
    const auto resp = decode_frame(*f, &group);
    ASSERT_FALSE(parse_request(test::request_body(*f), 6).groups[0].topics.has_value());
    EXPECT_EQ(resp.groups[0].error_code, 0);
    Offsets got;
    for (const auto& t : resp.groups[0].topics)
      for (const auto& p : t.partitions) got[{t.name, p.partition_index}] = p.committed_offset;
    EXPECT_EQ(got, readme_offsets().at(group)) << "seq " << f->seq << " " << group;
    groups.insert(group);
  }
  EXPECT_EQ(groups.size(), 7u);  // the six groups and no-such-group
}

TEST(OffsetFetch, NamedPartitionsWithoutAnOffsetComeBackMinusOne) {
  // confluent-kafka Consumer.committed (step h52): partial 3, 4, 5 and shipping 0, 1, 2 are -1.
  size_t checked = 0;
  for (const auto* f : test::frames_of(ApiKey::offset_fetch)) {
    if (f->step.rfind("h52", 0) != 0) continue;
    std::string group;
    const auto resp = decode_frame(*f, &group);
    const auto& want = readme_offsets().at(group);
    for (const auto& t : resp.groups[0].topics)
      for (const auto& p : t.partitions) {
        const auto it = want.find({t.name, p.partition_index});
        EXPECT_EQ(p.committed_offset, it == want.end() ? -1 : it->second) << group << " " << t.name;
        EXPECT_EQ(p.metadata, "");
        EXPECT_EQ(p.error_code, 0);
        ++checked;
      }
  }
  EXPECT_GT(checked, 0u);
}

TEST(OffsetFetch, SaramaVersionOneAgreesWithTheTable) {
  // kafka_exporter names every partition of every topic; the committed ones match the table.
  size_t frames = 0;
  for (const auto* f : test::frames_of(ApiKey::offset_fetch, 1)) {
    if (f->phase != "healthy" && f->phase != "sasl") continue;
    std::string group;
    const auto resp = decode_frame(*f, &group);
    EXPECT_EQ(resp.groups[0].error_code, 0);
    Offsets got;
    for (const auto& t : resp.groups[0].topics)
      for (const auto& p : t.partitions) {
        EXPECT_EQ(p.committed_leader_epoch, -1);  // not on the wire before v5
        if (p.committed_offset != -1) got[{t.name, p.partition_index}] = p.committed_offset;
      }
    EXPECT_EQ(got, readme_offsets().at(group)) << "seq " << f->seq;
    ++frames;
  }
  EXPECT_EQ(frames, 18u);
}

TEST(OffsetFetch, RecoveryOldCoordinatorsAnswerNotCoordinator) {
  // README: billing (to broker 2) and audit, partial, rf1-reader (to broker 1) got top-level
  // NOT_COORDINATOR (16) with an empty topic list.
  std::map<std::string, int> got;
  for (const auto* f : test::frames_of(ApiKey::offset_fetch, 6)) {
    std::string group;
    const auto resp = decode_frame(*f, &group);
    if (resp.groups[0].error_code == 0) continue;
    EXPECT_EQ(f->phase, "recovery");
    EXPECT_EQ(resp.groups[0].error_code, 16);
    EXPECT_TRUE(resp.groups[0].topics.empty());
    got[group] = broker_of(*f);
  }
  EXPECT_EQ(got, (std::map<std::string, int>{{"billing", 2}, {"audit", 1}, {"partial", 1}, {"rf1-reader", 1}}));
}

TEST(OffsetFetch, EncoderReproducesCapturedRequests) {
  std::set<int16_t> versions;
  size_t compared = 0;
  for (const auto* f : test::frames_of(ApiKey::offset_fetch)) {
    if (f->request_has_trailing_bytes) continue;
    const auto body = test::request_body(*f);
    wire::Writer w;
    encode(w, parse_request(body, f->api_version), f->api_version);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end())) << "seq " << f->seq;
    versions.insert(f->api_version);
    ++compared;
  }
  EXPECT_EQ(versions, (std::set<int16_t>{1, 6}));
  EXPECT_EQ(compared, 86u);  // 96 less apicheck's 10 with trailing bytes
}

TEST(OffsetFetch, JavaToolRequestBuiltByHand) {
  // kafka-consumer-groups asks for all of billing's partitions: v6, topics null.
  const auto frames = test::frames_of(ApiKey::offset_fetch, 6);
  const auto it = std::find_if(frames.begin(), frames.end(), [](auto* f) {
    return f->client.rfind("kafka-consumer-groups", 0) == 0 &&
           parse_request(test::request_body(*f), 6).groups[0].group_id == "billing";
  });
  ASSERT_NE(it, frames.end());
  wire::Writer w;
  encode(w, OffsetFetchRequest{{{"billing", std::nullopt, -1, std::nullopt}}, false}, 6);
  const auto body = test::request_body(**it);
  EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
}

TEST(OffsetFetch, VersionsSevenToNineByHand) {
  OffsetFetchRequest req;
  req.groups.push_back({"g", std::nullopt, -1, std::vector<OffsetFetchRequestTopic>{{"t", {0, 2}}}});
  req.require_stable = true;
  wire::Writer w7;
  encode(w7, req, 7);
  EXPECT_EQ(w7.bytes(), (std::vector<uint8_t>{2, 'g', 2, 2, 't', 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0}));
  req.groups.push_back({"h", std::string("m"), 5, std::nullopt});
  wire::Writer w8;
  encode(w8, req, 8);
  EXPECT_EQ(w8.bytes(), (std::vector<uint8_t>{3, 2,   'g', 2, 2, 't', 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0,  // group g
                                              2, 'h', 0,   0,                                           // group h, null
                                              1, 0}));
  wire::Writer w9;
  encode(w9, req, 9);
  EXPECT_EQ(w9.bytes(), (std::vector<uint8_t>{3, 2, 'g', 0, 0xff, 0xff, 0xff, 0xff, 2,   2, 't', 3, 0, 0, 0, 0, 0,
                                              0, 0, 2,   0, 0,    2,    'h',  2,    'm', 0, 0,   0, 5, 0, 0, 1, 0}));
  wire::Writer bad;
  EXPECT_THROW(encode(bad, req, 7), std::invalid_argument);  // two groups below v8
  EXPECT_THROW(encode(bad, OffsetFetchRequest{{}, false}, 6), std::invalid_argument);
  EXPECT_THROW(encode(bad, OffsetFetchRequest{{{"g", std::nullopt, -1, std::nullopt}}, true}, 6),
               std::invalid_argument);
  EXPECT_THROW(encode(bad, OffsetFetchRequest{{{"g", std::nullopt, -1, std::nullopt}}, false}, 1),
               std::invalid_argument);  // null topics need v2
  EXPECT_THROW(encode(bad, OffsetFetchRequest{{{"g", std::nullopt, -1, std::nullopt}}, false}, 10),
               std::invalid_argument);

  for (int16_t v : {8, 9}) {
    wire::Writer w;
    w.int32(3);               // throttle
    w.array_length(2, true);  // groups
    w.string("g", true);      //
    w.array_length(1, true);  // topics
    w.string("t", true);      //
    w.array_length(1, true);  // partitions
    w.int32(4);               //
    w.int64(99);              //
    w.int32(7);               // leader epoch
    w.nullable_string(std::nullopt, true);
    w.int16(0);
    w.no_tagged_fields();  // partition
    w.no_tagged_fields();  // topic
    w.int16(0);
    w.no_tagged_fields();  // group
    w.string("h", true);
    w.array_length(0, true);
    w.int16(16);
    w.no_tagged_fields();
    w.no_tagged_fields();
    wire::Reader r(w.bytes());
    const auto resp = decode_offset_fetch_response(r, v, "ignored");
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.throttle_time_ms, 3);
    ASSERT_EQ(resp.groups.size(), 2u);
    EXPECT_EQ(resp.groups[0].group_id, "g");
    ASSERT_EQ(resp.groups[0].topics.size(), 1u);
    const auto& p = resp.groups[0].topics[0].partitions.at(0);
    EXPECT_EQ(p.partition_index, 4);
    EXPECT_EQ(p.committed_offset, 99);
    EXPECT_EQ(p.committed_leader_epoch, 7);
    EXPECT_EQ(p.metadata, std::nullopt);
    EXPECT_EQ(resp.groups[1].group_id, "h");
    EXPECT_EQ(resp.groups[1].error_code, 16);
  }
}

TEST(OffsetFetch, TruncatedResponsesAndHugeCountsAreRefused) {
  for (int16_t v : {1, 6}) {
    const auto frames = test::frames_of(ApiKey::offset_fetch, v);
    const auto* longest = *std::max_element(frames.begin(), frames.end(),
                                            [](auto* a, auto* b) { return a->response.size() < b->response.size(); });
    test::expect_every_truncation_fails(response_body_of(*longest),
                                        [v](wire::Reader& r) { decode_offset_fetch_response(r, v, "g"); });
  }
  wire::Writer w;
  w.int32(1);
  w.string("t", false);
  w.int32(0x7fffffff);  // partitions
  wire::Reader r(w.bytes());
  EXPECT_THROW(decode_offset_fetch_response(r, 1), wire::DecodeError);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
