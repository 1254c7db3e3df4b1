// DescribeQuorum is newer than the Kafka 2.4.0 captures (KRaft, Kafka 3.3+), so these bodies
// are written by hand, field by field, from DescribeQuorumRequest.json and
// DescribeQuorumResponse.json: every version is flexible; v1 adds the two replica timestamps;
// v2 adds error_message (top level and per partition, both nullable), replica_directory_id and
// nodes with their listeners (port: uint16).
#include "kafka/protocol/describe_quorum.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
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

const std::string kDir1 = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10";
const std::string kDir2 = std::string("\xaa\xbb\xcc\xdd", 4) + std::string(12, '\x5a');
const std::string kZeroUuid(16, '\0');

// One replica, as the spec lays it out at `version`; `tagged` closes it with an unknown tag.
void replica(Bytes& b, int16_t version, int32_t id, const std::string& dir, int64_t leo, int64_t fetch,
             int64_t caught_up, bool tagged = false) {
  b.i32(id);
  if (version >= 2) b.raw(dir);
  b.i64(leo);
  if (version >= 1) b.i64(fetch).i64(caught_up);
  if (tagged) {
    b.one_tag(7, {0xde, 0xad, 0xbe});
  } else {
    b.no_tags();
  }
}

// A three-controller quorum on __cluster_metadata: leader 1, voters 1-3, one observer (broker
// 4); top-level error message null, the partition's non-null at v2; unknown tags at the end of
// voter 2 and of the whole response.
std::vector<uint8_t> response_bytes(int16_t version) {
  Bytes b;
  b.i16(0);
  if (version >= 2) b.null_str();
  b.arr(1).str("__cluster_metadata");
  b.arr(1);
  b.i32(0).i16(0);
  if (version >= 2) b.str("fine");
  b.i32(1).i32(7).i64(1234);
  b.arr(3);
  replica(b, version, 1, kDir1, 1234, -1, 1700000000000);
  replica(b, version, 2, kDir2, 1200, 1699999999000, 1699999998000, true);
  replica(b, version, 3, kZeroUuid, -1, -1, -1);
  b.arr(1);
  replica(b, version, 4, kDir1, 1234, 1699999999500, 1699999999400);
  b.no_tags();  // partition
  b.no_tags();  // topic
  if (version >= 2) {
    b.arr(2);
    b.i32(1).arr(1).str("CONTROLLER").str("c1.example").be(9093, 2).no_tags().no_tags();
    // A port above 32767 must come back unsigned.
    b.i32(2).arr(2);
    b.str("CONTROLLER").str("c2.example").be(40000, 2).no_tags();
    b.str("SSL").str("c2.example").be(65535, 2).one_tag(0, {0x01});
    b.no_tags();
  }
  b.one_tag(3, {0x00, 0x00});
  return b.b;
}

DescribeQuorumReplicaState expected_replica(int16_t version, int32_t id, const std::string& dir, int64_t leo,
                                            int64_t fetch, int64_t caught_up) {
  DescribeQuorumReplicaState s;
  s.replica_id = id;
  if (version >= 2) s.replica_directory_id = dir;
  s.log_end_offset = leo;
  if (version >= 1) {
    s.last_fetch_timestamp = fetch;
    s.last_caught_up_timestamp = caught_up;
  }
  return s;
}

DescribeQuorumResponse expected_response(int16_t version) {
  DescribeQuorumResponse r;
  DescribeQuorumResponsePartition p;
  p.partition_index = 0;
  if (version >= 2) p.error_message = "fine";
  p.leader_id = 1;
  p.leader_epoch = 7;
  p.high_watermark = 1234;
  p.current_voters = {expected_replica(version, 1, kDir1, 1234, -1, 1700000000000),
                      expected_replica(version, 2, kDir2, 1200, 1699999999000, 1699999998000),
                      expected_replica(version, 3, kZeroUuid, -1, -1, -1)};
  p.observers = {expected_replica(version, 4, kDir1, 1234, 1699999999500, 1699999999400)};
  r.topics = {{"__cluster_metadata", {p}}};
  if (version >= 2) {
    r.nodes = {{1, {{"CONTROLLER", "c1.example", 9093}}},
               {2, {{"CONTROLLER", "c2.example", 40000}, {"SSL", "c2.example", 65535}}}};
  }
  return r;
}

// What lagwatch sends, byte by byte: [topics] = one topic "__cluster_metadata" with one
// partition, index 0.
std::vector<uint8_t> request_bytes() {
  Bytes b;
  b.arr(1).str("__cluster_metadata").arr(1).i32(0).no_tags().no_tags().no_tags();
  return b.b;
}

TEST(DescribeQuorum, ImplementedVersionsFollowTheSpec) {
  const auto range = wire::implemented_versions(ApiKey::describe_quorum);
  EXPECT_EQ(range.min, 0);
  EXPECT_EQ(range.max, 2);
  for (int16_t v = 0; v <= 2; ++v) EXPECT_TRUE(wire::is_flexible(ApiKey::describe_quorum, v)) << v;
  wire::Writer w;
  EXPECT_THROW(encode(w, cluster_metadata_quorum_request(), 3), std::invalid_argument);
  std::vector<uint8_t> empty;
  wire::Reader r(empty);
  EXPECT_THROW(decode_describe_quorum_response(r, -1), std::invalid_argument);
  EXPECT_THROW(decode_describe_quorum_request(r, 3), std::invalid_argument);
  EXPECT_THROW(encode(w, DescribeQuorumResponse{}, 3), std::invalid_argument);
}

TEST(DescribeQuorum, HandBuiltResponsesDecodeAtEveryVersion) {
  for (int16_t v = 0; v <= 2; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    const auto body = response_bytes(v);
    wire::Reader r(body);
    const auto got = decode_describe_quorum_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(got, expected_response(v));
    // Spot checks that do not lean on operator==.
    ASSERT_EQ(got.topics.size(), 1u);
    const auto& p = got.topics[0].partitions.at(0);
    EXPECT_EQ(p.leader_id, 1);
    EXPECT_EQ(p.high_watermark, 1234);
    ASSERT_EQ(p.current_voters.size(), 3u);
    EXPECT_EQ(p.current_voters[1].log_end_offset, 1200);
    EXPECT_FALSE(got.error_message.has_value());
    if (v == 0) {
      // Fields v0 lacks keep their spec defaults.
      EXPECT_EQ(p.current_voters[1].last_fetch_timestamp, -1);
      EXPECT_EQ(p.current_voters[1].last_caught_up_timestamp, -1);
      EXPECT_EQ(p.current_voters[1].replica_directory_id, kZeroUuid);
    } else {
      EXPECT_EQ(p.current_voters[1].last_fetch_timestamp, 1699999999000);
    }
    if (v >= 2) {
      EXPECT_EQ(p.error_message, std::optional<std::string>("fine"));
      EXPECT_EQ(p.current_voters[1].replica_directory_id, kDir2);
      ASSERT_EQ(got.nodes.size(), 2u);
      EXPECT_EQ(got.nodes[1].listeners[0].port, 40000);
      EXPECT_EQ(got.nodes[1].listeners[1].port, 65535);
    } else {
      EXPECT_FALSE(p.error_message.has_value());
      EXPECT_TRUE(got.nodes.empty());
    }
  }
}

TEST(DescribeQuorum, NonNullTopLevelErrorMessageAtV2) {
  Bytes b;
  b.i16(100).str("not the leader").arr(0).arr(0).no_tags();
  wire::Reader r(b.b);
  const auto got = decode_describe_quorum_response(r, 2);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(got.error_code, 100);
  EXPECT_EQ(got.error_message, std::optional<std::string>("not the leader"));
  EXPECT_TRUE(got.topics.empty());
}

TEST(DescribeQuorum, ResponsesRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 2; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    const auto expected = expected_response(v);
    wire::Writer w;
    encode(w, expected, v);
    // The encoder writes empty tag sections where the hand-built body had unknown tags, so
    // compare through a decode.
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_describe_quorum_response(r, v), expected);
    EXPECT_TRUE(r.at_end());
    // Fields a version lacks are not written: a full v2 response encoded at v0/v1 decodes to
    // that version's view of it.
    wire::Writer w2;
    encode(w2, expected_response(2), v);
    EXPECT_EQ(w2.bytes(), w.bytes());
  }
}

TEST(DescribeQuorum, RequestEncodesAndDecodesAtEveryVersion) {
  const auto request = cluster_metadata_quorum_request();
  ASSERT_EQ(request.topics.size(), 1u);
  EXPECT_EQ(request.topics[0].topic_name, "__cluster_metadata");
  for (int16_t v = 0; v <= 2; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    wire::Writer w;
    encode(w, request, v);
    EXPECT_EQ(w.bytes(), request_bytes());
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_describe_quorum_request(r, v), request);
    EXPECT_TRUE(r.at_end());
    // Several topics and partitions, and an unknown tag on a partition the server must skip.
    DescribeQuorumRequest many{{{"a", {{0}, {5}}}, {"__cluster_metadata", {}}}};
    wire::Writer wm;
    encode(wm, many, v);
    wire::Reader rm(wm.bytes());
    EXPECT_EQ(decode_describe_quorum_request(rm, v), many);
    EXPECT_TRUE(rm.at_end());
    Bytes tagged;
    tagged.arr(1).str("t").arr(1).i32(9).one_tag(1, {0x42}).no_tags().no_tags();
    wire::Reader rt(tagged.b);
    EXPECT_EQ(decode_describe_quorum_request(rt, v), (DescribeQuorumRequest{{{"t", {{9}}}}}));
    EXPECT_TRUE(rt.at_end());
  }
}

TEST(DescribeQuorum, EveryTruncationIsADecodeError) {
  for (int16_t v = 0; v <= 2; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    const auto body = response_bytes(v);
    test::expect_every_truncation_fails(body, [v](wire::Reader& r) { decode_describe_quorum_response(r, v); });
    const auto req = request_bytes();
    test::expect_every_truncation_fails(req, [v](wire::Reader& r) { decode_describe_quorum_request(r, v); });
  }
}

TEST(DescribeQuorum, HostileCountsAreRefusedBeforeAllocation) {
  for (int16_t v = 0; v <= 2; ++v) {
    SCOPED_TRACE("version " + std::to_string(v));
    // topics: 2^32 - 2 elements in a body of a few bytes.
    Bytes huge;
    huge.i16(0);
    if (v >= 2) huge.null_str();
    huge.u8(0xff).u8(0xff).u8(0xff).u8(0xff).u8(0x0f);
    huge.b.resize(huge.b.size() + 64, 0);
    wire::Reader r(huge.b);
    try {
      decode_describe_quorum_response(r, v);
      ADD_FAILURE() << "a hostile topic count decoded";
    } catch (const wire::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("topics"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot fit"), std::string::npos) << e.what();
    }
    // current_voters: 100 voters claimed, with fewer bytes left than 100 of the smallest
    // replica: refused at the count, not after reading some.
    Bytes voters;
    voters.i16(0);
    if (v >= 2) voters.null_str();
    voters.arr(1).str("__cluster_metadata").arr(1).i32(0).i16(0);
    if (v >= 2) voters.null_str();
    voters.i32(1).i32(1).i64(0).arr(100);
    voters.b.resize(voters.b.size() + 200, 0);
    wire::Reader rv(voters.b);
    try {
      decode_describe_quorum_response(rv, v);
      ADD_FAILURE() << "a hostile voter count decoded";
    } catch (const wire::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("current_voters"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot fit"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
