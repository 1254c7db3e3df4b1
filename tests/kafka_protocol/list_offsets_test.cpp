#include "kafka/protocol/list_offsets.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "captures.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;

ListOffsetsResponse decode(const test::CapturedFrame& f) {
  auto r = test::response_reader(f);
  auto resp = decode_list_offsets_response(r, f.api_version);
  EXPECT_TRUE(r.at_end()) << "seq " << f.seq;
  return resp;
}

std::vector<uint8_t> body_of(const test::CapturedFrame& f) {
  const auto b = test::request_body(f);
  return {b.begin(), b.end()};
}

std::vector<uint8_t> encoded(const ListOffsetsRequest& req, int16_t v) {
  wire::Writer w;
  encode(w, req, v);
  return w.take();
}

// The captured request read field by field here (non-flexible versions only), independently of
// the encoder, so that every captured body can be rebuilt from its values.
ListOffsetsRequest read_request(const test::CapturedFrame& f) {
  const auto b = test::request_body(f);
  wire::Reader r(b);
  ListOffsetsRequest req;
  req.replica_id = r.int32("replica_id");
  if (f.api_version >= 2) req.isolation_level = r.int8("isolation_level");
  const auto nt = r.count("topics", false);
  for (size_t i = 0; i < nt; ++i) {
    ListOffsetsTopic t;
    t.name = r.string("name", false);
    const auto np = r.count("partitions", false);
    for (size_t j = 0; j < np; ++j) {
      ListOffsetsPartition p;
      p.partition_index = r.int32("partition_index");
      if (f.api_version >= 4) p.current_leader_epoch = r.int32("current_leader_epoch");
      p.timestamp = r.int64("timestamp");
      t.partitions.push_back(p);
    }
    req.topics.push_back(std::move(t));
  }
  EXPECT_TRUE(r.at_end()) << "seq " << f.seq;
  return req;
}

// README "Records": end offsets (high watermark = last stable offset) per partition.
const std::map<std::pair<std::string, int32_t>, int64_t> kEndOffsets = {
    {{"orders", 0}, 100}, {{"orders", 1}, 100},  {{"orders", 2}, 100},  {{"orders", 3}, 100},   {{"orders", 4}, 100},
    {{"orders", 5}, 100}, {{"payments", 0}, 16}, {{"payments", 1}, 16}, {{"payments", 2}, 10},  {{"audit-rf1", 0}, 20},
    {{"strict", 0}, 10},  {{"strict", 1}, 10},   {{"strict", 2}, 10},   {{"compacted", 0}, 11},
};

TEST(ListOffsets, EveryCapturedResponseDecodesAndMatchesTheReadmeOffsets) {
  const auto frames = test::frames_of(ApiKey::list_offsets);
  ASSERT_GT(frames.size(), 800u);
  std::map<int16_t, int> per_version;
  int latest = 0, earliest = 0;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    const auto resp = decode(*f);
    ++per_version[f->api_version];
    EXPECT_EQ(resp.throttle_time_ms, 0);
    // Match each answer with the timestamp asked for.
    std::map<std::pair<std::string, int32_t>, int64_t> asked;
    for (const auto& t : read_request(*f).topics)
      for (const auto& p : t.partitions) asked[{t.name, p.partition_index}] = p.timestamp;
    for (const auto& t : resp.topics) {
      for (const auto& p : t.partitions) {
        EXPECT_EQ(p.error_code, 0);
        const auto key = std::make_pair(t.name, p.partition_index);
        ASSERT_TRUE(asked.count(key)) << t.name << " " << p.partition_index;
        if (f->api_version < 4) {
          EXPECT_EQ(p.leader_epoch, -1);
        }
        const int64_t ts = asked[key];
        if (ts == kLatestTimestamp || ts == kEarliestTimestamp) {
          EXPECT_EQ(p.timestamp, -1);
        }
        const auto end = kEndOffsets.find(key);
        if (end == kEndOffsets.end()) continue;  // internal topics
        if (ts == kLatestTimestamp) {
          EXPECT_EQ(p.offset, end->second) << t.name << " " << p.partition_index;
          ++latest;
        } else if (ts == kEarliestTimestamp) {
          EXPECT_EQ(p.offset, 0) << t.name << " " << p.partition_index;  // log start 0 everywhere
          ++earliest;
        }
      }
    }
  }
  EXPECT_EQ(per_version[1], 296 + 146 + 148);
  EXPECT_EQ(per_version[2], 136 + 54 + 5 + 1);
  EXPECT_EQ(per_version[5], 25 + 11 + 19);
  EXPECT_GT(latest, 100);
  EXPECT_GT(earliest, 50);
}

TEST(ListOffsets, OffsetsForTimesStepH22) {
  // README "Offsets for times": partition -> (requested timestamp, answer offset, answer timestamp).
  const std::map<int32_t, std::tuple<int64_t, int64_t, int64_t>> table = {
      {0, {1796083242000, 42, 1796083242000}},
      {1, {1796086842500, 43, 1796086843000}},
      {2, {1796090499000, 99, 1796090499000}},
      {3, {1796094100000, -1, -1}},
      {4, {0, 0, 1796097600000}},
      {5, {1796101242000, 42, 1796101242000}},
  };
  std::set<int32_t> seen;
  for (const auto* f : test::frames_of(ApiKey::list_offsets, 2)) {
    if (f->step.rfind("h22", 0) != 0) continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    // kcat groups the partitions by leader: rebuild each request from the README table.
    const auto resp = decode(*f);
    ASSERT_EQ(resp.topics.size(), 1u);
    ASSERT_EQ(resp.topics[0].name, "orders");
    ListOffsetsRequest req{-1, kReadCommitted, {{"orders", {}}}};
    for (const auto& p : resp.topics[0].partitions) {
      const auto& [ts, offset, answer_ts] = table.at(p.partition_index);
      EXPECT_EQ(p.offset, offset) << p.partition_index;
      EXPECT_EQ(p.timestamp, answer_ts) << p.partition_index;
      req.topics[0].partitions.push_back({p.partition_index, -1, ts});
      seen.insert(p.partition_index);
    }
    EXPECT_EQ(encoded(req, 2), body_of(*f));
  }
  EXPECT_EQ(seen, (std::set<int32_t>{0, 1, 2, 3, 4, 5}));
}

TEST(ListOffsets, LogicalOffsetsStepH23) {
  // README: orders 0 latest 100, orders 1 earliest 0, payments 0/1 latest 16, payments 2
  // earliest 0, audit-rf1 latest 20, compacted latest 11, strict 0 earliest 0; timestamp -1.
  const std::map<std::pair<std::string, int32_t>, std::pair<int64_t, int64_t>> table = {
      {{"orders", 0}, {kLatestTimestamp, 100}},   {{"orders", 1}, {kEarliestTimestamp, 0}},
      {{"payments", 0}, {kLatestTimestamp, 16}},  {{"payments", 1}, {kLatestTimestamp, 16}},
      {{"payments", 2}, {kEarliestTimestamp, 0}}, {{"audit-rf1", 0}, {kLatestTimestamp, 20}},
      {{"compacted", 0}, {kLatestTimestamp, 11}}, {{"strict", 0}, {kEarliestTimestamp, 0}},
  };
  size_t seen = 0;
  for (const auto* f : test::frames_of(ApiKey::list_offsets, 2)) {
    if (f->step.rfind("h23", 0) != 0) continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    for (const auto& t : decode(*f).topics) {
      for (const auto& p : t.partitions) {
        const auto& [ts, offset] = table.at({t.name, p.partition_index});
        EXPECT_EQ(p.offset, offset) << t.name << " " << p.partition_index;
        EXPECT_EQ(p.timestamp, -1);
        ++seen;
      }
    }
  }
  EXPECT_EQ(seen, table.size());
  // The request kcat sent to broker 2: orders 0 latest, payments 1 latest, strict 0 earliest.
  const ListOffsetsRequest to_broker2{-1,
                                      kReadCommitted,
                                      {{"orders", {{0, -1, kLatestTimestamp}}},
                                       {"payments", {{1, -1, kLatestTimestamp}}},
                                       {"strict", {{0, -1, kEarliestTimestamp}}}}};
  bool found = false;
  for (const auto* f : test::frames_of(ApiKey::list_offsets, 2))
    if (f->step.rfind("h23", 0) == 0 && body_of(*f) == encoded(to_broker2, 2)) found = true;
  EXPECT_TRUE(found);
}

TEST(ListOffsets, JavaConsumerV5GetsLeaderEpochs) {
  // kafka-consumer-groups' consumer: isolation 0, current leader epoch 0 (healthy), answer
  // orders 0 latest 100 with leader epoch 0.
  const ListOffsetsRequest req{-1, kReadUncommitted, {{"orders", {{0, 0, kLatestTimestamp}}}}};
  int found = 0;
  for (const auto* f : test::frames_of(ApiKey::list_offsets, 5)) {
    if (body_of(*f) != encoded(req, 5)) continue;
    const auto resp = decode(*f);
    ASSERT_EQ(resp.topics.size(), 1u);
    ASSERT_EQ(resp.topics[0].partitions.size(), 1u);
    const auto& p = resp.topics[0].partitions[0];
    EXPECT_EQ(p.offset, 100);
    EXPECT_EQ(p.timestamp, -1);
    EXPECT_EQ(p.leader_epoch, 0);
    ++found;
  }
  EXPECT_GT(found, 0);
  // Healthy phase: every v5 answer carries leader epoch 0.
  for (const auto* f : test::frames_of(ApiKey::list_offsets, 5)) {
    if (f->phase != "healthy") continue;
    for (const auto& t : decode(*f).topics)
      for (const auto& p : t.partitions) EXPECT_EQ(p.leader_epoch, 0) << "seq " << f->seq;
  }
}

TEST(ListOffsets, KafkaExporterV1OnePartitionPerRequest) {
  const ListOffsetsRequest latest{-1, kReadUncommitted, {{"orders", {{3, -1, kLatestTimestamp}}}}};
  const ListOffsetsRequest earliest{-1, kReadUncommitted, {{"orders", {{3, -1, kEarliestTimestamp}}}}};
  int found_latest = 0, found_earliest = 0;
  for (const auto* f : test::frames_of(ApiKey::list_offsets, 1)) {
    const auto body = body_of(*f);
    if (body == encoded(latest, 1)) {
      EXPECT_EQ(decode(*f).topics.at(0).partitions.at(0).offset, 100);
      ++found_latest;
    }
    if (body == encoded(earliest, 1)) {
      EXPECT_EQ(decode(*f).topics.at(0).partitions.at(0).offset, 0);
      ++found_earliest;
    }
  }
  EXPECT_GT(found_latest, 0);
  EXPECT_GT(found_earliest, 0);
}

TEST(ListOffsets, EncoderReproducesEveryCapturedRequest) {
  std::map<int16_t, int> checked;
  for (const auto* f : test::frames_of(ApiKey::list_offsets)) {
    if (f->request_has_trailing_bytes) continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    const auto req = read_request(*f);
    EXPECT_EQ(req.replica_id, -1);
    EXPECT_EQ(encoded(req, f->api_version), body_of(*f));
    ++checked[f->api_version];
  }
  EXPECT_GT(checked[1], 0);
  EXPECT_GT(checked[2], 0);
  EXPECT_GT(checked[5], 0);
}

TEST(ListOffsets, FlexibleRequestLayout) {
  // v6+: compact strings and arrays, tagged fields after each partition, topic and the body.
  const ListOffsetsRequest req{-1, kReadCommitted, {{"ab", {{1, 7, kEarliestTimestamp}}}}};
  const std::vector<uint8_t> want{0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 'a',  'b',  0x02,
                                  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x00};
  for (int16_t v : {6, 7, 8}) EXPECT_EQ(encoded(req, v), want) << v;
  // v3 equals v2; v4 adds the current leader epoch.
  EXPECT_EQ(encoded(req, 3), encoded(req, 2));
  EXPECT_EQ(encoded(req, 4).size(), encoded(req, 3).size() + 4);
}

// One topic "t" with one partition in the layout of `v`.
std::vector<uint8_t> hand_built_response(int16_t v) {
  const bool flex = v >= 6;
  wire::Writer w;
  if (v >= 2) w.int32(3);
  w.array_length(1, flex);
  w.string("t", flex);
  w.array_length(1, flex);
  w.int32(4);
  w.int16(6);
  w.int64(1796083242000);
  w.int64(42);
  if (v >= 4) w.int32(9);
  if (flex) {
    w.no_tagged_fields();
    w.no_tagged_fields();
    w.no_tagged_fields();
  }
  return w.take();
}

TEST(ListOffsets, EveryImplementedVersionDecodesItsLayout) {
  for (int16_t v = 1; v <= 8; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto body = hand_built_response(v);
    wire::Reader r(body);
    const auto resp = decode_list_offsets_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(resp.throttle_time_ms, v >= 2 ? 3 : 0);
    ASSERT_EQ(resp.topics.size(), 1u);
    EXPECT_EQ(resp.topics[0].name, "t");
    ASSERT_EQ(resp.topics[0].partitions.size(), 1u);
    const auto& p = resp.topics[0].partitions[0];
    EXPECT_EQ(p.partition_index, 4);
    EXPECT_EQ(p.error_code, 6);
    EXPECT_EQ(p.timestamp, 1796083242000);
    EXPECT_EQ(p.offset, 42);
    EXPECT_EQ(p.leader_epoch, v >= 4 ? 9 : -1);
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_list_offsets_response(x, v); });
  }
}

TEST(ListOffsets, TruncatedAndHostileResponsesAreRefused) {
  for (int16_t v : {1, 2, 5}) {
    const test::CapturedFrame* biggest = nullptr;
    for (const auto* f : test::frames_of(ApiKey::list_offsets, v))
      if (!biggest || f->response.size() > biggest->response.size()) biggest = f;
    ASSERT_NE(biggest, nullptr);
    auto r = test::response_reader(*biggest);
    const auto body = r.raw(r.remaining(), "body");
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_list_offsets_response(x, v); });
  }
  // v2: throttle, one topic "t", then 2^31-1 partitions.
  const std::vector<uint8_t> huge{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 't', 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  wire::Reader r(huge);
  EXPECT_THROW(decode_list_offsets_response(r, 2), wire::DecodeError);
}

TEST(ListOffsets, VersionsOutsideTheImplementedRangeAreRefused) {
  wire::Writer w;
  EXPECT_THROW(encode(w, ListOffsetsRequest{}, 0), std::invalid_argument);
  EXPECT_THROW(encode(w, ListOffsetsRequest{}, 9), std::invalid_argument);
  const std::vector<uint8_t> body(8, 0);
  wire::Reader r(body);
  EXPECT_THROW(decode_list_offsets_response(r, 0), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
