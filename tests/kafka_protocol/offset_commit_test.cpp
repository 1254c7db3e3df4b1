// OffsetCommit: the captures hold librdkafka 2.0.2's v7 (the members' auto-commits and two
// commits from outside the group) and the Java tool's flexible v8 (three offset resets of
// `partial`). v2-4's retention time, v5's plain layout and v10's topic ids are checked against
// bodies written by hand from OffsetCommitRequest.json / OffsetCommitResponse.json.
#include "kafka/protocol/offset_commit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
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

using Offsets = std::map<int32_t, int64_t>;

// README "How the offsets got there", by step/client.
struct Commit {
  std::string group, topic;
  Offsets offsets;
};

TEST(OffsetCommit, EveryCapturedPairDecodesReEncodesAndMatchesTheReadmeOffsets) {
  std::map<int16_t, int> checked;
  std::map<std::string, Offsets> committed;  // group/topic -> last offset per partition
  for (const auto* f : test::frames_of(ApiKey::offset_commit)) {
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    ASSERT_FALSE(f->request_has_trailing_bytes);
    const int16_t v = f->api_version;
    const auto body = test::request_bytes(*f);
    wire::Reader r(body);
    const auto req = decode_offset_commit_request(r, v);
    EXPECT_TRUE(r.at_end());
    wire::Writer w;
    encode(w, req, v);
    EXPECT_EQ(w.bytes(), body);
    EXPECT_EQ(req.group_instance_id, std::nullopt);
    EXPECT_EQ(req.retention_time_ms, -1);  // not on the wire from v5
    const auto client = test::live_client(*f);
    if (!client.empty()) {
      // A member commits with its generation and id.
      const auto& m = test::live_member_of(*f);
      EXPECT_EQ(req.group_id, m.group);
      EXPECT_EQ(req.member_id, m.member_id);
      EXPECT_EQ(req.generation_id_or_member_epoch,
                m.group == "analytics" && (client == "analytics-2" || req.topics.at(0).partitions.size() == 3) ? 2 : 1);
    } else {
      // audit, rf1-reader (librdkafka, v7) and partial (the Java tool, v8): from outside the group.
      EXPECT_EQ(req.generation_id_or_member_epoch, -1);
      EXPECT_EQ(req.member_id, "");
      EXPECT_EQ(v, req.group_id == "partial" ? 8 : 7);
    }
    ASSERT_EQ(req.topics.size(), 1u);
    std::vector<int32_t> asked;
    for (const auto& p : req.topics[0].partitions) {
      EXPECT_EQ(p.committed_leader_epoch, -1);
      EXPECT_EQ(p.commit_timestamp, -1);
      EXPECT_EQ(p.committed_metadata, "");
      committed[req.group_id + "/" + req.topics[0].name][p.partition_index] = p.committed_offset;
      asked.push_back(p.partition_index);
    }

    const auto rbody = test::response_bytes(*f);
    wire::Reader rr(rbody);
    const auto resp = decode_offset_commit_response(rr, v);
    EXPECT_TRUE(rr.at_end());
    wire::Writer rw;
    encode(rw, resp, v);
    EXPECT_EQ(rw.bytes(), rbody);
    EXPECT_EQ(resp.throttle_time_ms, 0);
    ASSERT_EQ(resp.topics.size(), 1u);
    EXPECT_EQ(resp.topics[0].name, req.topics[0].name);
    std::vector<int32_t> answered;
    for (const auto& p : resp.topics[0].partitions) {
      EXPECT_EQ(p.error_code, 0);
      answered.push_back(p.partition_index);
    }
    std::sort(answered.begin(), answered.end());
    EXPECT_EQ(answered, asked);  // Kafka answers in its own order
    ++checked[v];
  }
  EXPECT_EQ(checked[7], 6);
  EXPECT_EQ(checked[8], 3);
  // README's committed offsets table.
  EXPECT_EQ(committed["billing/orders"], (Offsets{{0, 100}, {1, 100}, {2, 100}, {3, 100}, {4, 100}, {5, 100}}));
  EXPECT_EQ(committed["analytics/orders"], (Offsets{{0, 10}, {1, 20}, {2, 30}, {3, 40}, {4, 50}, {5, 60}}));
  EXPECT_EQ(committed["audit/payments"], (Offsets{{0, 16}, {1, 10}, {2, 5}}));
  EXPECT_EQ(committed["rf1-reader/audit-rf1"], (Offsets{{0, 7}}));
  EXPECT_EQ(committed["partial/orders"], (Offsets{{0, 25}, {1, 50}, {2, 75}}));
  EXPECT_EQ(committed.size(), 5u);  // shipping never commits
}

TEST(OffsetCommit, V2HasRetentionTimeAndNoEpochOrThrottle) {
  // group "g", generation 3, member "m", retention 1000, topic "t" partition 1 offset 42 "x".
  const std::vector<uint8_t> v2{0, 1, 'g', 0, 0, 0, 3, 0, 1, 'm', 0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0,  0, 0, 1,
                                0, 1, 't', 0, 0, 0, 1, 0, 0, 0,   1, 0, 0, 0, 0, 0, 0,    0,    42, 0, 1, 'x'};
  wire::Reader r(v2);
  const auto req = decode_offset_commit_request(r, 2);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req.generation_id_or_member_epoch, 3);
  EXPECT_EQ(req.retention_time_ms, 1000);
  ASSERT_EQ(req.topics.size(), 1u);
  ASSERT_EQ(req.topics[0].partitions.size(), 1u);
  EXPECT_EQ(req.topics[0].partitions[0].committed_offset, 42);
  EXPECT_EQ(req.topics[0].partitions[0].committed_leader_epoch, -1);
  EXPECT_EQ(req.topics[0].partitions[0].committed_metadata, "x");
  wire::Writer w;
  encode(w, req, 2);
  EXPECT_EQ(w.bytes(), v2);
  test::expect_every_truncation_fails(v2, [](wire::Reader& x) { decode_offset_commit_request(x, 2); });
  // v5 drops the retention time (the same body without those 8 bytes); v6 adds the epoch.
  auto v5 = v2;
  v5.erase(v5.begin() + 10, v5.begin() + 18);
  wire::Writer w5;
  encode(w5, req, 5);
  EXPECT_EQ(w5.bytes(), v5);
  // Response v2: topics only (no throttle time), a null metadata is fine in requests.
  const std::vector<uint8_t> resp2{0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 1, 0, 0, 0, 1, 0, 12};
  wire::Reader rr(resp2);
  const auto resp = decode_offset_commit_response(rr, 2);
  EXPECT_TRUE(rr.at_end());
  EXPECT_EQ(resp.topics.at(0).partitions.at(0).error_code, 12);
  test::expect_every_truncation_fails(resp2, [](wire::Reader& x) { decode_offset_commit_response(x, 2); });
}

const std::string kTopicId = "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f";

TEST(OffsetCommit, V10NamesTopicsById) {
  Bytes req;
  req.str("grp").i32(5).str("member").null_str();
  req.arr(1).raw(kTopicId).arr(1);
  req.i32(2).i64(77).i32(4).null_str().no_tags();
  req.no_tags().one_tag(9, {1});
  wire::Reader r(req.b);
  const auto a = decode_offset_commit_request(r, 10);
  EXPECT_TRUE(r.at_end());
  ASSERT_EQ(a.topics.size(), 1u);
  EXPECT_EQ(a.topics[0].topic_id, kTopicId);
  EXPECT_EQ(a.topics[0].name, "");
  EXPECT_EQ(a.topics[0].partitions.at(0).committed_leader_epoch, 4);
  EXPECT_EQ(a.topics[0].partitions.at(0).committed_metadata, std::nullopt);
  test::expect_every_truncation_fails(req.b, [](wire::Reader& x) { decode_offset_commit_request(x, 10); });

  Bytes resp;
  resp.i32(0).arr(1).raw(kTopicId).arr(1).i32(2).i16(0).no_tags().no_tags().no_tags();
  wire::Reader rr(resp.b);
  const auto b = decode_offset_commit_response(rr, 10);
  EXPECT_TRUE(rr.at_end());
  EXPECT_EQ(b.topics.at(0).topic_id, kTopicId);
  wire::Writer w;
  encode(w, b, 10);
  EXPECT_EQ(w.bytes(), resp.b);
  test::expect_every_truncation_fails(resp.b, [](wire::Reader& x) { decode_offset_commit_response(x, 10); });
  // v9: the same, with names.
  OffsetCommitResponse named;
  named.topics.push_back({"orders", "", {{0, 0}}});
  Bytes v9;
  v9.i32(0).arr(1).str("orders").arr(1).i32(0).i16(0).no_tags().no_tags().no_tags();
  wire::Writer w9;
  encode(w9, named, 9);
  EXPECT_EQ(w9.bytes(), v9.b);
  EXPECT_THROW(encode(w9, named, 10), std::invalid_argument);  // no topic id
  EXPECT_TRUE(wire::is_flexible(ApiKey::offset_commit, 8));
  EXPECT_FALSE(wire::is_flexible(ApiKey::offset_commit, 7));
}

TEST(OffsetCommit, TruncatedCapturesHugeCountsAndBadVersionsAreRefused) {
  for (int16_t v : {7, 8}) {
    const auto frames = test::frames_of(ApiKey::offset_commit, v);
    const auto* longest = *std::max_element(frames.begin(), frames.end(),
                                            [](auto* a, auto* b) { return a->request.size() < b->request.size(); });
    test::expect_every_truncation_fails(test::request_bytes(*longest),
                                        [v](wire::Reader& r) { decode_offset_commit_request(r, v); });
    test::expect_every_truncation_fails(test::response_bytes(*longest),
                                        [v](wire::Reader& r) { decode_offset_commit_response(r, v); });
  }
  const std::vector<uint8_t> huge{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 't', 0x10, 0, 0, 0, 0, 0, 0, 0};
  wire::Reader r(huge);
  EXPECT_THROW(decode_offset_commit_response(r, 7), wire::DecodeError);
  wire::Writer w;
  OffsetCommitRequest with_instance;
  with_instance.group_instance_id = "i";
  EXPECT_THROW(encode(w, with_instance, 6), std::invalid_argument);
  // Kafka 4 removed v0-1.
  EXPECT_THROW(encode(w, OffsetCommitRequest{}, 1), std::invalid_argument);
  EXPECT_THROW(encode(w, OffsetCommitRequest{}, 11), std::invalid_argument);
  wire::Reader empty(std::span<const uint8_t>{});
  EXPECT_THROW(decode_offset_commit_request(empty, 0), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
