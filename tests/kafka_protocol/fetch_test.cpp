#include "kafka/protocol/fetch.hpp"

#include <gtest/gtest.h>

#include <map>

#include "captures.hpp"
#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using test::CapturedFrame;

FetchResponse decode(const CapturedFrame& f) {
  auto r = test::response_reader(f);
  auto out = decode_fetch_response(r, f.api_version);
  EXPECT_TRUE(r.at_end()) << "seq " << f.seq;
  return out;
}

const CapturedFrame& frame(int seq) {
  for (const auto& f : test::captured_frames())
    if (f.seq == seq) return f;
  throw std::runtime_error("no frame " + std::to_string(seq));
}

const FetchResponsePartition& only_partition(const FetchResponse& r) {
  EXPECT_EQ(r.responses.size(), 1u);
  EXPECT_EQ(r.responses.at(0).partitions.size(), 1u);
  return r.responses.at(0).partitions.at(0);
}

TEST(Fetch, EveryCapturedResponseDecodesToTheLastByte) {
  const auto frames = test::frames_of(wire::ApiKey::fetch);
  ASSERT_EQ(frames.size(), 10u);  // 15 Fetch requests, 5 long polls unanswered
  for (const auto* f : frames) {
    SCOPED_TRACE(f->seq);
    const auto r = decode(*f);
    EXPECT_EQ(r.throttle_time_ms, 0);
    EXPECT_EQ(r.error_code, 0);
    EXPECT_EQ(r.session_id, 0);
    const auto& p = only_partition(r);
    EXPECT_EQ(p.error_code, 0);
    EXPECT_EQ(p.log_start_offset, 0);
    EXPECT_EQ(p.preferred_read_replica, -1);
    EXPECT_EQ(p.last_stable_offset, p.high_watermark);  // no open transaction
  }
}

TEST(Fetch, OrdersFromOffset42MatchesTheReadme) {
  const auto r = decode(frame(355));  // h24
  EXPECT_EQ(r.responses[0].topic, "orders");
  const auto& p = only_partition(r);
  EXPECT_EQ(p.partition_index, 0);
  EXPECT_EQ(p.high_watermark, 100);
  EXPECT_EQ(p.last_stable_offset, 100);
  EXPECT_EQ(p.log_start_offset, 0);
  ASSERT_TRUE(p.aborted_transactions.has_value());
  EXPECT_TRUE(p.aborted_transactions->empty());
  EXPECT_EQ(p.preferred_read_replica, -1);
  EXPECT_EQ(p.records.size(), 2826u);  // 6 batches of 471 bytes
}

TEST(Fetch, OneBatchWhenThePartitionMaxIs471) {
  for (int seq : {361, 362}) {  // h25: offsets 42 then 50
    const auto p_response = decode(frame(seq));
    const auto& p = only_partition(p_response);
    EXPECT_EQ(p.records.size(), 471u);
  }
}

TEST(Fetch, AuditRf1FromOffset5) {
  const auto r = decode(frame(366));  // h26
  EXPECT_EQ(r.responses[0].topic, "audit-rf1");
  const auto& p = only_partition(r);
  EXPECT_EQ(p.high_watermark, 20);
  EXPECT_EQ(p.records.size(), 861u);
}

TEST(Fetch, AbortedTransactionsReadCommittedAndNullWhenUncommitted) {
  const auto h27 = decode(frame(372));
  const auto& p1 = only_partition(h27);
  EXPECT_EQ(h27.responses[0].topic, "payments");
  EXPECT_EQ(p1.partition_index, 1);
  EXPECT_EQ(p1.high_watermark, 16);
  ASSERT_TRUE(p1.aborted_transactions.has_value());
  ASSERT_EQ(p1.aborted_transactions->size(), 1u);
  EXPECT_EQ((*p1.aborted_transactions)[0].producer_id, 14000);
  EXPECT_EQ((*p1.aborted_transactions)[0].first_offset, 10);
  EXPECT_EQ(p1.records.size(), 863u);

  const auto at_end_response = decode(frame(373));  // from 16: nothing left
  const auto& at_end = only_partition(at_end_response);
  EXPECT_TRUE(at_end.records.empty());
  ASSERT_TRUE(at_end.aborted_transactions.has_value());
  EXPECT_TRUE(at_end.aborted_transactions->empty());

  const auto p0_response = decode(frame(378));  // h28: committed transaction
  const auto& p0 = only_partition(p0_response);
  EXPECT_EQ(p0.partition_index, 0);
  ASSERT_TRUE(p0.aborted_transactions.has_value());
  EXPECT_TRUE(p0.aborted_transactions->empty());

  for (int seq : {385, 386}) {  // h29 read_uncommitted
    const auto u_response = decode(frame(seq));
    const auto& u = only_partition(u_response);
    EXPECT_FALSE(u.aborted_transactions.has_value()) << seq;
  }
}

// What kcat sent (README "Fetch requests"), per captured request.
struct SentFetch {
  std::string topic;
  int32_t partition;
  int64_t offset;
  int32_t partition_max;
  int8_t isolation;
};

TEST(Fetch, EncoderReproducesKcatsV11RequestsByteForByte) {
  const std::map<int, SentFetch> sent = {
      {355, {"orders", 0, 42, 1048576, kReadCommitted}},     {356, {"orders", 0, 100, 1048576, kReadCommitted}},
      {361, {"orders", 0, 42, 471, kReadCommitted}},         {362, {"orders", 0, 50, 471, kReadCommitted}},
      {366, {"audit-rf1", 0, 5, 1048576, kReadCommitted}},   {367, {"audit-rf1", 0, 20, 1048576, kReadCommitted}},
      {372, {"payments", 1, 0, 1048576, kReadCommitted}},    {373, {"payments", 1, 16, 1048576, kReadCommitted}},
      {374, {"payments", 1, 16, 1048576, kReadCommitted}},   {378, {"payments", 0, 10, 1048576, kReadCommitted}},
      {379, {"payments", 0, 16, 1048576, kReadCommitted}},   {380, {"payments", 0, 16, 1048576, kReadCommitted}},
      {385, {"payments", 1, 10, 1048576, kReadUncommitted}}, {386, {"payments", 1, 16, 1048576, kReadUncommitted}},
      {387, {"payments", 1, 16, 1048576, kReadUncommitted}},
  };
  int checked = 0;
  for (const auto& f : test::captured_frames()) {
    if (f.api_key != static_cast<int16_t>(wire::ApiKey::fetch)) continue;
    ASSERT_FALSE(f.request_has_trailing_bytes);
    SCOPED_TRACE(f.seq);
    const auto it = sent.find(f.seq);
    ASSERT_NE(it, sent.end());
    const auto& s = it->second;
    FetchRequest req;
    req.replica_id = -1;
    req.max_wait_ms = 500;
    req.min_bytes = 1;
    req.max_bytes = 52428800;
    req.isolation_level = s.isolation;
    req.session_id = 0;
    req.session_epoch = -1;
    FetchRequestPartition p;
    p.partition = s.partition;
    p.current_leader_epoch = -1;
    p.fetch_offset = s.offset;
    p.log_start_offset = -1;
    p.partition_max_bytes = s.partition_max;
    req.topics.push_back({s.topic, {p}});
    req.rack_id = "";
    wire::Writer w;
    encode(w, req, f.api_version);
    const auto body = test::request_body(f);
    EXPECT_EQ(w.bytes(), std::vector<uint8_t>(body.begin(), body.end()));
    ++checked;
  }
  EXPECT_EQ(checked, 15);
}

FetchRequest one_partition_request() {
  FetchRequest req;
  req.max_wait_ms = 100;
  req.max_bytes = 1000;
  req.isolation_level = kReadCommitted;
  FetchRequestPartition p;
  p.partition = 2;
  p.fetch_offset = 7;
  p.partition_max_bytes = 500;
  req.topics.push_back({"t", {p}});
  return req;
}

TEST(Fetch, RequestShapePerVersion) {
  const auto req = one_partition_request();
  // v4: four int32 and the isolation level, then topic count, "t", partition count and
  // the partition (index, fetch_offset, partition_max_bytes).
  std::map<int16_t, size_t> sizes;
  for (int16_t v = 4; v <= 12; ++v) {
    wire::Writer w;
    encode(w, req, v);
    sizes[v] = w.size();
  }
  EXPECT_EQ(sizes[4], 17u + 4 + 3 + 4 + 16);
  EXPECT_EQ(sizes[5], sizes[4] + 8);  // log_start_offset
  EXPECT_EQ(sizes[6], sizes[5]);
  EXPECT_EQ(sizes[7], sizes[6] + 12);  // session id, epoch, forgotten count
  EXPECT_EQ(sizes[8], sizes[7]);
  EXPECT_EQ(sizes[9], sizes[8] + 4);  // current_leader_epoch
  EXPECT_EQ(sizes[10], sizes[9]);
  EXPECT_EQ(sizes[11], sizes[10] + 2);  // rack_id ""

  wire::Writer w;
  encode(w, req, 12);
  const std::vector<uint8_t> want = {
      0xff, 0xff, 0xff, 0xff,                          // replica_id -1
      0,    0,    0,    100,                           // max_wait_ms
      0,    0,    0,    1,                             // min_bytes
      0,    0,    0x03, 0xe8,                          // max_bytes 1000
      1,                                               // read_committed
      0,    0,    0,    0,                             // session_id
      0xff, 0xff, 0xff, 0xff,                          // session_epoch -1
      2,                                               // one topic (compact)
      2,    't',                                       // compact string "t"
      2,                                               // one partition
      0,    0,    0,    2,                             // partition
      0xff, 0xff, 0xff, 0xff,                          // current_leader_epoch
      0,    0,    0,    0,    0,    0,    0,    7,     // fetch_offset
      0xff, 0xff, 0xff, 0xff,                          // last_fetched_epoch
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // log_start_offset
      0,    0,    0x01, 0xf4,                          // partition_max_bytes 500
      0,                                               // partition tags
      0,                                               // topic tags
      1,                                               // no forgotten topics
      1,                                               // rack_id ""
      0,                                               // top-level tags
  };
  EXPECT_EQ(w.bytes(), want);
}

TEST(Fetch, ForgottenTopicsAreWrittenFromV7) {
  auto req = one_partition_request();
  req.forgotten_topics_data.push_back({"old", {1, 3}});
  wire::Writer w6, w7;
  encode(w6, req, 6);
  encode(w7, req, 7);
  // v7 adds session (8) and the forgotten list: count 4, "old" 5, partitions 4 + 8.
  EXPECT_EQ(w7.size(), w6.size() + 8 + 4 + 5 + 12);
}

TEST(Fetch, VersionsOutsideTheRangeAreRefused) {
  wire::Writer w;
  EXPECT_THROW(encode(w, FetchRequest{}, 3), std::invalid_argument);
  EXPECT_THROW(encode(w, FetchRequest{}, 13), std::invalid_argument);
  const std::vector<uint8_t> none;
  wire::Reader r(none);
  EXPECT_THROW(decode_fetch_response(r, 13), std::invalid_argument);
}

// A v12 response built by hand: compact forms and the partition's tagged fields.
TEST(Fetch, V12ResponseWithTaggedFields) {
  wire::Writer w;
  w.int32(5);   // throttle
  w.int16(0);   // error
  w.int32(77);  // session
  w.array_length(1, true);
  w.string("orders", true);
  w.array_length(1, true);
  w.int32(3);
  w.int16(6);  // NOT_LEADER_OR_FOLLOWER
  w.int64(100);
  w.int64(90);
  w.int64(1);
  w.array_length(1, true);  // aborted
  w.int64(14000);
  w.int64(10);
  w.no_tagged_fields();
  w.int32(2);  // preferred read replica
  const std::vector<uint8_t> recs = {1, 2, 3};
  w.bytes(recs, true);
  w.uvarint(3);  // three tagged fields
  w.uvarint(1);  // current_leader
  w.uvarint(9);
  w.int32(2);
  w.int32(4);
  w.no_tagged_fields();
  w.uvarint(0);  // diverging_epoch
  w.uvarint(13);
  w.int32(3);
  w.int64(88);
  w.no_tagged_fields();
  w.uvarint(9);  // unknown
  w.uvarint(2);
  w.int16(0);
  w.no_tagged_fields();  // topic
  w.no_tagged_fields();  // top level
  wire::Reader r(w.bytes());
  const auto out = decode_fetch_response(r, 12);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(out.throttle_time_ms, 5);
  EXPECT_EQ(out.session_id, 77);
  const auto& p = out.responses.at(0).partitions.at(0);
  EXPECT_EQ(p.partition_index, 3);
  EXPECT_EQ(p.error_code, 6);
  EXPECT_EQ(p.high_watermark, 100);
  EXPECT_EQ(p.last_stable_offset, 90);
  EXPECT_EQ(p.log_start_offset, 1);
  ASSERT_TRUE(p.aborted_transactions && p.aborted_transactions->size() == 1);
  EXPECT_EQ(p.preferred_read_replica, 2);
  EXPECT_EQ(p.records, recs);
  ASSERT_TRUE(p.current_leader);
  EXPECT_EQ(p.current_leader->leader_id, 2);
  EXPECT_EQ(p.current_leader->leader_epoch, 4);
  ASSERT_TRUE(p.diverging_epoch);
  EXPECT_EQ(p.diverging_epoch->epoch, 3);
  EXPECT_EQ(p.diverging_epoch->end_offset, 88);
  EXPECT_FALSE(p.snapshot_id);

  // A tagged field whose declared size is smaller than its struct is refused.
  auto bytes = w.bytes();
  for (size_t i = 0; i + 2 < bytes.size(); ++i) {
    if (bytes[i] == 1 && bytes[i + 1] == 9 && bytes[i + 2] == 0) {
      bytes[i + 1] = 4;
      break;
    }
  }
  wire::Reader bad(bytes);
  EXPECT_THROW(decode_fetch_response(bad, 12), wire::DecodeError);
}

TEST(Fetch, OldVersionsLackTheirFields) {
  // v4: no log_start_offset, no top-level error/session, no preferred replica.
  wire::Writer w;
  w.int32(0);
  w.array_length(1, false);
  w.string("t", false);
  w.array_length(1, false);
  w.int32(0);
  w.int16(0);
  w.int64(5);
  w.int64(5);
  w.null_array(false);
  w.int32(0);  // empty records
  wire::Reader r(w.bytes());
  const auto out = decode_fetch_response(r, 4);
  EXPECT_TRUE(r.at_end());
  const auto& p = out.responses.at(0).partitions.at(0);
  EXPECT_EQ(p.high_watermark, 5);
  EXPECT_EQ(p.log_start_offset, -1);
  EXPECT_EQ(p.preferred_read_replica, -1);
  EXPECT_FALSE(p.aborted_transactions);
  EXPECT_TRUE(p.records.empty());
}

TEST(Fetch, EveryTruncationOfACapturedResponseIsADecodeError) {
  for (const auto* f : test::frames_of(wire::ApiKey::fetch)) {
    const auto full = test::response_reader(*f);
    const size_t header = f->response.size() - full.remaining();
    for (size_t n = header; n < f->response.size(); ++n) {
      const std::vector<uint8_t> cut(f->response.begin() + static_cast<long>(header),
                                     f->response.begin() + static_cast<long>(n));
      wire::Reader r(cut);
      EXPECT_THROW(decode_fetch_response(r, f->api_version), wire::DecodeError) << f->seq << " at " << n;
    }
  }
}

TEST(Fetch, HugeCountsAreRefusedBeforeAllocation) {
  for (int32_t which = 0; which < 3; ++which) {
    wire::Writer w;
    w.int32(0);
    w.int16(0);
    w.int32(0);
    if (which == 0) {
      w.int32(0x7fffffff);
    } else {
      w.array_length(1, false);
      w.string("t", false);
      if (which == 1) {
        w.int32(0x7fffffff);
      } else {
        w.array_length(1, false);
        w.int32(0);
        w.int16(0);
        w.int64(0);
        w.int64(0);
        w.int64(0);
        w.int32(0x10000000);  // aborted transactions
      }
    }
    for (int i = 0; i < 40; ++i) w.int8(0);
    wire::Reader r(w.bytes());
    EXPECT_THROW(decode_fetch_response(r, 11), wire::DecodeError) << which;
  }
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
