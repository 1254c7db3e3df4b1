// A replay cluster: three KafkaFaultServers standing in for brokers 1, 2 and 3 of the captured
// Kafka 2.4.0 cluster (tests/data/kafka-2.4.0; its README.md is the ground truth). Each front
// answers a client's requests with what *that* broker answered in the chosen phase (`healthy`,
// `broker3-down`, `recovery`), so a client under test meets real Kafka bytes for the APIs
// librdkafka's mock lacks (ListGroups, DescribeGroups, DescribeConfigs, DescribeLogDirs).
//
// What each front answers (the versions a client picks from Kafka 2.4's ApiVersions ranges):
//   ApiVersions v3      the captured answer of that broker (any broker of the phase if none).
//   Metadata v9         the last captured all-topics answer of the phase, broker ports rewritten
//                       to the fronts.
//   FindCoordinator v3  the last captured answer for that key in the phase, port rewritten.
//   ListGroups v3       the last captured answer of that broker in the phase.
//   DescribeGroups v5   a captured answer of that broker for the same set of groups, else one
//                       spliced from the captured per-group entries; a group this broker does
//                       not coordinate in the phase (per the phase's FindCoordinator answers)
//                       gets NOT_COORDINATOR (16), as a real broker answers.
//   OffsetFetch v6      all partitions (topics null): the captured answer for that group; named
//                       partitions: built from the README's committed offsets (-1 for none);
//                       NOT_COORDINATOR from a broker that is not the group's coordinator.
//   ListOffsets v1-v3   built from the README's end offsets (log start 0); NOT_LEADER_FOR_PARTITION
//                       (6) for a partition this broker does not lead in the phase.
//   DescribeConfigs v2  built from the captured per-topic results (only the keys asked for; a
//                       key asked for that the captured results lack is a gap).
//   DescribeLogDirs v1  all topics (topics null): the last captured answer of that broker in
//                       the phase (steps h09/h10, f12, r11: the README's sizes; brokers 1 and
//                       2 only in broker3-down). Named topics are a gap (none were captured).
//   Fetch v11           per partition: the captured partition answer for the same offset, else
//                       an empty record set (error 0).
// A request it cannot answer gets no answer (the client times out) and is recorded in gaps(),
// which a test must check is empty: a gap is a hole in the replay, not a client failure.
// advertise() raises an API's max version in the ApiVersions answers (or adds an API Kafka 2.4
// lacks, from version 0) and set_override() answers before the replay: together they make a
// newer broker (e.g. Kafka 3.x's batched FindCoordinator v4 and OffsetFetch v8,
// tests/integration/kafka_batched_groups_test.cpp; a KRaft Kafka 4 with DescribeQuorum,
// DescribeCluster and ConsumerGroupDescribe, tests/integration/kafka_kraft_test.cpp).
//
// The encoders and decoders here are the test's own, independent of lagwatch's codec (the
// oracle must not share the code under test); they know only the versions above.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kafka_captures.hpp"
#include "kafka_fault_server.hpp"

namespace lagwatch::testing {

// The README's ground truth, shared by the replay and the tests' assertions.
namespace readme {

inline const std::vector<std::string>& groups() {
  static const std::vector<std::string> g{"analytics", "audit", "billing", "partial", "rf1-reader", "shipping"};
  return g;
}

// High watermark per partition ("Records"); log start offset 0 everywhere.
inline const std::map<std::string, std::vector<int64_t>>& end_offsets() {
  static const std::map<std::string, std::vector<int64_t>> m{{"orders", {100, 100, 100, 100, 100, 100}},
                                                             {"payments", {16, 16, 10}},
                                                             {"audit-rf1", {20}},
                                                             {"strict", {10, 10, 10}},
                                                             {"compacted", {11}}};
  return m;
}

// Committed offsets per group ("Committed offsets, log end offsets and lag"); shipping has none.
inline const std::map<std::string, std::map<std::pair<std::string, int32_t>, int64_t>>& committed() {
  static const std::map<std::string, std::map<std::pair<std::string, int32_t>, int64_t>> m{
      {"analytics",
       {{{"orders", 0}, 10},
        {{"orders", 1}, 20},
        {{"orders", 2}, 30},
        {{"orders", 3}, 40},
        {{"orders", 4}, 50},
        {{"orders", 5}, 60}}},
      {"audit", {{{"payments", 0}, 16}, {{"payments", 1}, 10}, {{"payments", 2}, 5}}},
      {"billing",
       {{{"orders", 0}, 100},
        {{"orders", 1}, 100},
        {{"orders", 2}, 100},
        {{"orders", 3}, 100},
        {{"orders", 4}, 100},
        {{"orders", 5}, 100}}},
      {"partial", {{{"orders", 0}, 25}, {{"orders", 1}, 50}, {{"orders", 2}, 75}}},
      {"rf1-reader", {{{"audit-rf1", 0}, 7}}},
      {"shipping", {}},
  };
  return m;
}

// Leader per partition: the healthy topic table (also the recovery's final state), and the
// broker3-down phase's moves (orders 1 -> 1, 4 -> 2, payments 2 -> 2, strict 1 -> 2,
// compacted 0 -> 2, audit-rf1 0 offline).
inline const std::map<std::string, std::vector<int32_t>>& leaders(const std::string& phase) {
  static const std::map<std::string, std::vector<int32_t>> healthy{{"orders", {2, 3, 1, 2, 3, 1}},
                                                                   {"payments", {1, 2, 3}},
                                                                   {"audit-rf1", {3}},
                                                                   {"strict", {2, 3, 1}},
                                                                   {"compacted", {3}}};
  static const std::map<std::string, std::vector<int32_t>> down{{"orders", {2, 1, 1, 2, 2, 1}},
                                                                {"payments", {1, 2, 2}},
                                                                {"audit-rf1", {-1}},
                                                                {"strict", {2, 2, 1}},
                                                                {"compacted", {2}}};
  return phase == "broker3-down" ? down : healthy;
}

// "Log directories (DescribeLogDirs v1, step h09)": each broker's one log dir and the size in
// bytes of each user-topic replica on it (the same in every phase a broker answered in).
inline std::string log_dir(int32_t broker) { return "/var/lib/kafka/data/broker-" + std::to_string(broker); }
inline const std::map<std::pair<std::string, int32_t>, int64_t>& log_dir_sizes(int32_t broker) {
  static const std::map<std::pair<std::string, int32_t>, int64_t> common{
      {{"orders", 0}, 4690},  {{"orders", 1}, 4800}, {{"orders", 2}, 4800},  {{"orders", 3}, 4800},
      {{"orders", 4}, 4800},  {{"orders", 5}, 4800}, {{"payments", 0}, 873}, {{"payments", 1}, 863},
      {{"payments", 2}, 421}, {{"strict", 0}, 261},  {{"strict", 1}, 380},   {{"strict", 2}, 261},
  };
  static const std::map<int32_t, std::map<std::pair<std::string, int32_t>, int64_t>> by_broker = [] {
    std::map<int32_t, std::map<std::pair<std::string, int32_t>, int64_t>> m{{1, common}, {2, common}, {3, common}};
    m[2][{"compacted", 0}] = 242;
    m[3][{"compacted", 0}] = 242;
    m[3][{"audit-rf1", 0}] = 861;
    return m;
  }();
  return by_broker.at(broker);
}
// The internal topics' totals on every broker: (partitions, bytes).
inline const std::map<std::string, std::pair<size_t, int64_t>>& log_dir_internal_totals() {
  static const std::map<std::string, std::pair<size_t, int64_t>> m{{"__consumer_offsets", {10, 307356}},
                                                                   {"__transaction_state", {50, 923}}};
  return m;
}

}  // namespace readme

namespace replay {

inline constexpr int16_t kFetch = 1;
inline constexpr int16_t kListOffsets = 2;
inline constexpr int16_t kMetadata = 3;
inline constexpr int16_t kOffsetFetch = 9;
inline constexpr int16_t kFindCoordinator = 10;
inline constexpr int16_t kDescribeGroups = 15;
inline constexpr int16_t kListGroups = 16;
inline constexpr int16_t kApiVersions = 18;
inline constexpr int16_t kDescribeConfigs = 32;
inline constexpr int16_t kDescribeLogDirs = 35;
// Newer than Kafka 2.4 (no replay; a test answers them through set_override()).
inline constexpr int16_t kDescribeQuorum = 55;
inline constexpr int16_t kDescribeCluster = 60;
inline constexpr int16_t kConsumerGroupDescribe = 69;

inline constexpr int16_t kNotLeader = 6;
inline constexpr int16_t kNotCoordinator = 16;

inline std::string api_name(int16_t key) {
  switch (key) {
    case kFetch:
      return "Fetch";
    case kListOffsets:
      return "ListOffsets";
    case kMetadata:
      return "Metadata";
    case kOffsetFetch:
      return "OffsetFetch";
    case kFindCoordinator:
      return "FindCoordinator";
    case kDescribeGroups:
      return "DescribeGroups";
    case kListGroups:
      return "ListGroups";
    case kApiVersions:
      return "ApiVersions";
    case kDescribeConfigs:
      return "DescribeConfigs";
    case kDescribeLogDirs:
      return "DescribeLogDirs";
    case kDescribeQuorum:
      return "DescribeQuorum";
    case kDescribeCluster:
      return "DescribeCluster";
    case kConsumerGroupDescribe:
      return "ConsumerGroupDescribe";
    default:
      return "ApiKey(" + std::to_string(key) + ")";
  }
}

// First flexible version of the APIs above (Kafka's message specs).
inline bool flexible(int16_t key, int16_t version) {
  switch (key) {
    case kFetch:
      return version >= 12;
    case kListOffsets:
      return version >= 6;
    case kMetadata:
      return version >= 9;
    case kOffsetFetch:
      return version >= 6;
    case kFindCoordinator:
      return version >= 3;
    case kDescribeGroups:
      return version >= 5;
    case kListGroups:
      return version >= 3;
    case kApiVersions:
      return version >= 3;
    case kDescribeConfigs:
      return version >= 4;
    case kDescribeLogDirs:
      return version >= 2;
    case kDescribeQuorum:
    case kDescribeCluster:
    case kConsumerGroupDescribe:
      return true;  // flexible from v0
    default:
      return false;
  }
}

// A bounded big-endian reader; std::runtime_error when short.
class In {
 public:
  explicit In(std::span<const uint8_t> b, size_t pos = 0) : b_(b), pos_(pos) {}
  size_t pos() const { return pos_; }
  bool at_end() const { return pos_ == b_.size(); }
  void skip(size_t n) {
    need(n);
    pos_ += n;
  }
  int8_t i8() {
    need(1);
    return static_cast<int8_t>(b_[pos_++]);
  }
  int16_t i16() { return static_cast<int16_t>(be(2)); }
  int32_t i32() { return static_cast<int32_t>(be(4)); }
  int64_t i64() { return static_cast<int64_t>(be(8)); }
  uint32_t uvarint() {
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      need(1);
      const uint8_t byte = b_[pos_++];
      v |= uint32_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    throw std::runtime_error("varint too long at byte " + std::to_string(pos_));
  }
  // An array's element count; -1 for a null array.
  int32_t count(bool compact) {
    if (compact) return static_cast<int32_t>(uvarint()) - 1;
    return i32();
  }
  std::optional<std::string> nstr(bool compact) {
    const int64_t len = compact ? int64_t(uvarint()) - 1 : int64_t(i16());
    if (len < 0) return std::nullopt;
    need(static_cast<size_t>(len));
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return s;
  }
  std::string str(bool compact) {
    auto s = nstr(compact);
    if (!s) throw std::runtime_error("null string at byte " + std::to_string(pos_));
    return *s;
  }
  void skip_bytes(bool compact) {  // nullable bytes
    const int64_t len = compact ? int64_t(uvarint()) - 1 : int64_t(i32());
    if (len > 0) skip(static_cast<size_t>(len));
  }
  void tagged() {
    const uint32_t n = uvarint();
    for (uint32_t i = 0; i < n; ++i) {
      uvarint();
      skip(uvarint());
    }
  }
  std::span<const uint8_t> since(size_t start) const { return b_.subspan(start, pos_ - start); }

 private:
  void need(size_t n) const {
    if (b_.size() - pos_ < n) throw std::runtime_error("cut short at byte " + std::to_string(pos_));
  }
  uint64_t be(size_t n) {
    need(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | b_[pos_ + i];
    pos_ += n;
    return v;
  }
  std::span<const uint8_t> b_;
  size_t pos_;
};

class Out {
 public:
  Out& i8(int8_t v) { return be(static_cast<uint8_t>(v), 1); }
  Out& i16(int16_t v) { return be(static_cast<uint16_t>(v), 2); }
  Out& i32(int32_t v) { return be(static_cast<uint32_t>(v), 4); }
  Out& i64(int64_t v) { return be(static_cast<uint64_t>(v), 8); }
  Out& uvarint(uint32_t v) {
    while (v >= 0x80) {
      b_.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    b_.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  Out& count(bool compact, int32_t n) { return compact ? uvarint(static_cast<uint32_t>(n + 1)) : i32(n); }
  Out& str(bool compact, const std::string& s) {
    if (compact) {
      uvarint(static_cast<uint32_t>(s.size() + 1));
    } else {
      i16(static_cast<int16_t>(s.size()));
    }
    b_.insert(b_.end(), s.begin(), s.end());
    return *this;
  }
  Out& raw(std::span<const uint8_t> bytes) {
    b_.insert(b_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Out& no_tags() { return uvarint(0); }
  std::vector<uint8_t> take() { return std::move(b_); }

 private:
  template <class U>
  Out& be(U v, size_t n) {
    for (size_t i = 0; i < n; ++i) b_.push_back(static_cast<uint8_t>(uint64_t(v) >> (8 * (n - 1 - i))));
    return *this;
  }
  std::vector<uint8_t> b_;
};

// A request frame's header; `in` is left at the body.
struct Header {
  int16_t key = 0;
  int16_t version = 0;
  int32_t correlation_id = 0;
};
inline Header read_header(In& in) {
  Header h;
  h.key = in.i16();
  h.version = in.i16();
  h.correlation_id = in.i32();
  in.nstr(false);  // client_id: never compact, even in header v2
  if (flexible(h.key, h.version)) in.tagged();
  return h;
}

// Where a response frame's body starts: after the correlation id and, in response header v1
// (flexible versions of every API but ApiVersions), the header's tagged fields.
inline size_t response_body_offset(std::span<const uint8_t> frame, int16_t key, int16_t version) {
  In in(frame);
  in.i32();
  if (flexible(key, version) && key != kApiVersions) in.tagged();
  return in.pos();
}

// The same frame answering `correlation_id`.
inline std::vector<uint8_t> with_correlation_id(std::vector<uint8_t> frame, int32_t correlation_id) {
  fault_detail::put32(frame.data(), static_cast<uint32_t>(correlation_id));
  return frame;
}

inline std::vector<uint8_t> response_frame(int16_t key, int16_t version, int32_t correlation_id,
                                           std::span<const uint8_t> body) {
  return kafka_response(correlation_id, flexible(key, version) && key != kApiVersions, body);
}

// --- requests -------------------------------------------------------------------------------

struct MetadataRequest {
  bool all_topics = false;
};
inline MetadataRequest read_metadata_request(In& in, int16_t version) {
  const bool c = flexible(kMetadata, version);
  MetadataRequest r;
  const int32_t n = in.count(c);
  r.all_topics = n < 0 || (version == 0 && n == 0);
  return r;
}

inline std::string read_find_coordinator_key(In& in, int16_t version) {
  return in.str(flexible(kFindCoordinator, version));
}

inline std::vector<std::string> read_describe_groups_request(In& in, int16_t version) {
  const bool c = flexible(kDescribeGroups, version);
  std::vector<std::string> groups;
  const int32_t n = in.count(c);
  for (int32_t i = 0; i < n; ++i) groups.push_back(in.str(c));
  return groups;
}

struct OffsetFetchRequest {
  std::string group;
  std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>> topics;  // nullopt: all
};
inline OffsetFetchRequest read_offset_fetch_request(In& in, int16_t version) {
  const bool c = flexible(kOffsetFetch, version);
  OffsetFetchRequest r;
  r.group = in.str(c);
  const int32_t n = in.count(c);
  if (n < 0) return r;
  r.topics.emplace();
  for (int32_t i = 0; i < n; ++i) {
    auto& [name, partitions] = r.topics->emplace_back();
    name = in.str(c);
    const int32_t m = in.count(c);
    for (int32_t k = 0; k < m; ++k) partitions.push_back(in.i32());
    if (c) in.tagged();
  }
  return r;
}

struct ListOffsetsPartition {
  std::string topic;
  int32_t partition = 0;
  int64_t timestamp = 0;
};
inline std::vector<ListOffsetsPartition> read_list_offsets_request(In& in, int16_t version) {
  if (version < 1 || version > 3) throw std::runtime_error("ListOffsets v" + std::to_string(version));
  in.i32();                   // replica_id
  if (version >= 2) in.i8();  // isolation_level
  std::vector<ListOffsetsPartition> out;
  const int32_t n = in.count(false);
  for (int32_t i = 0; i < n; ++i) {
    const std::string topic = in.str(false);
    const int32_t m = in.count(false);
    for (int32_t k = 0; k < m; ++k) {
      ListOffsetsPartition p;
      p.topic = topic;
      p.partition = in.i32();
      p.timestamp = in.i64();
      out.push_back(p);
    }
  }
  return out;
}

struct DescribeConfigsResource {
  int8_t type = 0;
  std::string name;
  std::optional<std::vector<std::string>> keys;  // nullopt: every entry
};
inline std::vector<DescribeConfigsResource> read_describe_configs_request(In& in, int16_t version) {
  if (version > 3) throw std::runtime_error("DescribeConfigs v" + std::to_string(version));
  std::vector<DescribeConfigsResource> out;
  const int32_t n = in.count(false);
  for (int32_t i = 0; i < n; ++i) {
    DescribeConfigsResource r;
    r.type = in.i8();
    r.name = in.str(false);
    const int32_t m = in.count(false);
    if (m >= 0) {
      r.keys.emplace();
      for (int32_t k = 0; k < m; ++k) r.keys->push_back(in.str(false));
    }
    out.push_back(std::move(r));
  }
  return out;
}

// DescribeLogDirs v0-v1 request: topics (nullable) [topic, partitions]; nullopt: all topics.
inline std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>> read_describe_log_dirs_request(
    In& in, int16_t version) {
  if (version > 1) throw std::runtime_error("DescribeLogDirs v" + std::to_string(version));
  const int32_t n = in.count(false);
  if (n < 0) return std::nullopt;
  std::vector<std::pair<std::string, std::vector<int32_t>>> out;
  for (int32_t i = 0; i < n; ++i) {
    auto& [topic, partitions] = out.emplace_back();
    topic = in.str(false);
    const int32_t m = in.count(false);
    for (int32_t k = 0; k < m; ++k) partitions.push_back(in.i32());
  }
  return out;
}

struct FetchPartition {
  std::string topic;
  int32_t partition = 0;
  int64_t fetch_offset = 0;
};
struct FetchRequest {
  int8_t isolation_level = 0;
  std::vector<FetchPartition> partitions;
};
inline FetchRequest read_fetch_request(In& in, int16_t version) {
  if (version != 11) throw std::runtime_error("Fetch v" + std::to_string(version));
  FetchRequest r;
  in.i32();  // replica_id
  in.i32();  // max_wait_ms
  in.i32();  // min_bytes
  in.i32();  // max_bytes
  r.isolation_level = in.i8();
  in.i32();  // session_id
  in.i32();  // session_epoch
  const int32_t n = in.count(false);
  for (int32_t i = 0; i < n; ++i) {
    const std::string topic = in.str(false);
    const int32_t m = in.count(false);
    for (int32_t k = 0; k < m; ++k) {
      FetchPartition p;
      p.topic = topic;
      p.partition = in.i32();
      in.i32();  // current_leader_epoch
      p.fetch_offset = in.i64();
      in.i64();  // log_start_offset
      in.i32();  // partition_max_bytes
      r.partitions.push_back(p);
    }
  }
  return r;
}

// --- responses ------------------------------------------------------------------------------

// DescribeGroups v5 body: each group's entry, as bytes, by group id.
inline std::vector<std::pair<std::string, std::vector<uint8_t>>> describe_groups_entries(
    std::span<const uint8_t> body) {
  In in(body);
  in.i32();  // throttle_time_ms
  std::vector<std::pair<std::string, std::vector<uint8_t>>> out;
  const int32_t n = in.count(true);
  for (int32_t i = 0; i < n; ++i) {
    const size_t start = in.pos();
    in.i16();  // error_code
    const std::string group = in.str(true);
    in.str(true);  // group_state
    in.str(true);  // protocol_type
    in.str(true);  // protocol_data
    const int32_t members = in.count(true);
    for (int32_t m = 0; m < members; ++m) {
      in.str(true);         // member_id
      in.nstr(true);        // group_instance_id
      in.str(true);         // client_id
      in.str(true);         // client_host
      in.skip_bytes(true);  // member_metadata
      in.skip_bytes(true);  // member_assignment
      in.tagged();
    }
    in.i32();  // authorized_operations
    in.tagged();
    const auto bytes = in.since(start);
    out.emplace_back(group, std::vector<uint8_t>(bytes.begin(), bytes.end()));
  }
  return out;
}

inline std::vector<uint8_t> describe_groups_body(const std::vector<std::vector<uint8_t>>& entries) {
  Out o;
  o.i32(0).count(true, static_cast<int32_t>(entries.size()));
  for (const auto& e : entries) o.raw(e);
  return o.no_tags().take();
}

inline std::vector<uint8_t> describe_groups_error_entry(const std::string& group, int16_t error) {
  Out o;
  o.i16(error).str(true, group).str(true, "").str(true, "").str(true, "").count(true, 0).i32(0).no_tags();
  return o.take();
}

// OffsetFetch v6 body: the top-level error code.
inline int16_t offset_fetch_error(std::span<const uint8_t> body) {
  In in(body);
  in.i32();  // throttle_time_ms
  const int32_t n = in.count(true);
  for (int32_t i = 0; i < n; ++i) {
    in.str(true);
    const int32_t m = in.count(true);
    for (int32_t k = 0; k < m; ++k) {
      in.i32();
      in.i64();
      in.i32();
      in.nstr(true);
      in.i16();
      in.tagged();
    }
    in.tagged();
  }
  return in.i16();
}

// FindCoordinator v3 body: the node id and where its port sits.
struct Coordinator {
  int16_t error_code = 0;
  int32_t node_id = -1;
  size_t port_offset = 0;
};
inline Coordinator find_coordinator_answer(std::span<const uint8_t> body) {
  In in(body);
  Coordinator c;
  in.i32();  // throttle_time_ms
  c.error_code = in.i16();
  in.nstr(true);  // error_message
  c.node_id = in.i32();
  in.str(true);  // host
  c.port_offset = in.pos();
  in.i32();
  return c;
}

// DescribeConfigs v1-v3 body: per resource, its head (error, message, type, name) and entries.
struct ConfigsResult {
  int16_t error_code = 0;
  std::string name;
  std::vector<uint8_t> head;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> entries;
};
inline std::vector<ConfigsResult> describe_configs_results(std::span<const uint8_t> body) {
  In in(body);
  in.i32();  // throttle_time_ms
  std::vector<ConfigsResult> out;
  const int32_t n = in.count(false);
  for (int32_t i = 0; i < n; ++i) {
    ConfigsResult r;
    const size_t start = in.pos();
    r.error_code = in.i16();
    in.nstr(false);  // error_message
    in.i8();         // resource_type
    r.name = in.str(false);
    const auto head = in.since(start);
    r.head.assign(head.begin(), head.end());
    const int32_t m = in.count(false);
    for (int32_t k = 0; k < m; ++k) {
      const size_t entry = in.pos();
      const std::string name = in.str(false);
      in.nstr(false);  // value
      in.i8();         // read_only
      in.i8();         // config_source
      in.i8();         // is_sensitive
      const int32_t synonyms = in.count(false);
      for (int32_t s = 0; s < synonyms; ++s) {
        in.str(false);
        in.nstr(false);
        in.i8();
      }
      const auto bytes = in.since(entry);
      r.entries.emplace_back(name, std::vector<uint8_t>(bytes.begin(), bytes.end()));
    }
    out.push_back(std::move(r));
  }
  return out;
}

// Fetch v11 body: each partition's entry, as bytes, by (topic, partition).
inline std::map<std::pair<std::string, int32_t>, std::vector<uint8_t>> fetch_partitions(std::span<const uint8_t> body) {
  In in(body);
  in.i32();  // throttle_time_ms
  in.i16();  // error_code
  in.i32();  // session_id
  std::map<std::pair<std::string, int32_t>, std::vector<uint8_t>> out;
  const int32_t n = in.count(false);
  for (int32_t i = 0; i < n; ++i) {
    const std::string topic = in.str(false);
    const int32_t m = in.count(false);
    for (int32_t k = 0; k < m; ++k) {
      const size_t start = in.pos();
      const int32_t partition = in.i32();
      in.i16();  // error_code
      in.i64();  // high_watermark
      in.i64();  // last_stable_offset
      in.i64();  // log_start_offset
      const int32_t aborted = in.count(false);
      for (int32_t a = 0; a < aborted; ++a) in.skip(16);
      in.i32();              // preferred_read_replica
      in.skip_bytes(false);  // records
      const auto bytes = in.since(start);
      out[{topic, partition}].assign(bytes.begin(), bytes.end());
    }
  }
  return out;
}

}  // namespace replay

class KafkaCaptureCluster {
 public:
  // The captured cluster's PLAINTEXT ports of brokers 1, 2, 3.
  static constexpr int kCapturedPort[3] = {9092, 9093, 9094};

  explicit KafkaCaptureCluster(std::string phase = "healthy") : phase_(std::move(phase)) {
    // Parsed here, not on a front's I/O thread at the first request: under the sanitizers that
    // takes longer than a client's request timeout.
    test::captured_frames();
    for (int i = 0; i < 3; ++i) fronts_.push_back(std::make_unique<KafkaFaultServer>());
    for (int i = 0; i < 3; ++i) ports_[kCapturedPort[i]] = fronts_[i]->port();
    for (int i = 0; i < 3; ++i) {
      const int32_t broker = i + 1;
      fronts_[i]->set_responder([this, broker](const KafkaRequest& r) { return answer(broker, r); });
    }
  }
  ~KafkaCaptureCluster() {
    // The servers' I/O threads call answer(): stop them before the members they read go away.
    fronts_.clear();
  }
  KafkaCaptureCluster(const KafkaCaptureCluster&) = delete;
  KafkaCaptureCluster& operator=(const KafkaCaptureCluster&) = delete;

  // The front of broker `id` (1, 2 or 3).
  KafkaFaultServer& front(int32_t id) { return *fronts_.at(static_cast<size_t>(id - 1)); }
  std::string bootstraps() const {
    std::string out;
    for (const auto& f : fronts_) out += (out.empty() ? "" : ",") + f->address();
    return out;
  }

  void set_phase(const std::string& phase) {
    std::lock_guard lock(mu_);
    phase_ = phase;
  }
  std::string phase() const {
    std::lock_guard lock(mu_);
    return phase_;
  }

  // The next OffsetFetch for `group` (on any front) gets the captured recovery-phase answer
  // NOT_COORDINATOR (16) that the old coordinator gave for it.
  void not_coordinator_once(const std::string& group) {
    std::lock_guard lock(mu_);
    not_coordinator_once_.insert(group);
  }

  // Answers consulted before the replay, e.g. for versions the captures lack (a Kafka 3.x
  // FindCoordinator v4 or OffsetFetch v8): the first non-empty answer wins; nullopt falls
  // through to the replay. Runs on the fronts' I/O threads; set it before a client connects.
  using Override = std::function<std::optional<std::vector<uint8_t>>(int32_t broker, const KafkaRequest&)>;
  void set_override(Override f) {
    std::lock_guard lock(mu_);
    override_ = std::move(f);
  }

  // The ApiVersions answers advertise `api_key` up to `max_version` (the captured minimum
  // kept; an API the capture lacks is added with minimum 0): a newer broker for the client's
  // version choice. Set it before a client connects.
  void advertise(int16_t api_key, int16_t max_version) {
    std::lock_guard lock(mu_);
    advertised_max_[api_key] = max_version;
  }

  // Requests the replay could not answer, one line each ("DescribeGroups v5 to broker 3: ...").
  std::vector<std::string> gaps() const {
    std::lock_guard lock(mu_);
    return gaps_;
  }

  size_t requests(int16_t api_key) const {
    size_t n = 0;
    for (const auto& f : fronts_) n += f->requests(api_key);
    return n;
  }

  // The captured DescribeGroups v5 entry (error code to tagged fields, as bytes) of `group` from
  // broker `broker` in `phase`, for a test that answers DescribeGroups itself and splices the
  // replay's entries in (describe_groups_body() frames them); nullopt when none was captured.
  static std::optional<std::vector<uint8_t>> describe_groups_entry(const std::string& phase, int32_t broker,
                                                                   const std::string& group) {
    const int port = kCapturedPort[broker - 1];
    std::optional<std::vector<uint8_t>> entry;
    last(replay::kDescribeGroups, 5, phase, port, [&](const Frame& c) {
      if (c.broker_port != port) return false;
      for (auto& [id, bytes] : replay::describe_groups_entries(body_of(c))) {
        if (id == group) entry = std::move(bytes);
      }
      return entry.has_value();
    });
    return entry;
  }

  // The broker that coordinates `group` in `phase`: the last captured FindCoordinator v3 answer
  // for it (-1 when none was captured).
  static int32_t coordinator(const std::string& phase, const std::string& group) {
    const auto* f = last(replay::kFindCoordinator, 3, phase, 0, [&](const test::CapturedFrame& c) {
      replay::In in(c.request);
      replay::read_header(in);
      return replay::read_find_coordinator_key(in, c.api_version) == group;
    });
    if (!f) return -1;
    return replay::find_coordinator_answer(body_of(*f)).node_id;
  }

 private:
  using Frame = test::CapturedFrame;
  using Answer = std::optional<std::vector<uint8_t>>;

  static std::span<const uint8_t> body_of(const Frame& f) {
    return std::span<const uint8_t>(f.response)
        .subspan(replay::response_body_offset(f.response, f.api_key, f.api_version));
  }

  // The last captured pair of (key, version, phase) that `match` accepts, preferring those sent
  // to `prefer_port` (0: any broker alike).
  template <class Match>
  static const Frame* last(int16_t key, int16_t version, const std::string& phase, int prefer_port, Match match) {
    const Frame* any = nullptr;
    const auto& frames = test::captured_frames();
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      const auto& f = *it;
      if (f.api_key != key || f.api_version != version || f.phase != phase || !f.has_response) continue;
      if (f.broker_port < 9092 || f.broker_port > 9094) continue;
      bool ok = false;
      try {
        ok = match(f);
      } catch (const std::exception&) {
        ok = false;  // a librdkafka request with trailing bytes, or another layout: not a match
      }
      if (!ok) continue;
      if (prefer_port == 0 || f.broker_port == prefer_port) return &f;
      if (!any) any = &f;
    }
    return any;
  }

  Answer gap(int32_t broker, const KafkaRequest& r, const std::string& why) {
    std::lock_guard lock(mu_);
    gaps_.push_back(replay::api_name(r.api_key) + " v" + std::to_string(r.api_version) + " to broker " +
                    std::to_string(broker) + " (phase " + phase_ + "): " + why);
    return std::nullopt;
  }

  Answer answer(int32_t broker, const KafkaRequest& r) {
    Override override_copy;
    {
      std::lock_guard lock(mu_);
      override_copy = override_;
    }
    if (override_copy) {
      if (auto a = override_copy(broker, r)) return a;
    }
    try {
      replay::In in(r.bytes);
      replay::read_header(in);
      const std::string phase = this->phase();
      const int port = kCapturedPort[broker - 1];
      switch (r.api_key) {
        case replay::kApiVersions:
          return api_versions(broker, r, phase, port);
        case replay::kMetadata:
          return metadata(broker, r, in, phase, port);
        case replay::kFindCoordinator:
          return find_coordinator(broker, r, in, phase, port);
        case replay::kListGroups:
          return list_groups(broker, r, phase, port);
        case replay::kDescribeGroups:
          return describe_groups(broker, r, in, phase, port);
        case replay::kOffsetFetch:
          return offset_fetch(broker, r, in, phase, port);
        case replay::kListOffsets:
          return list_offsets(broker, r, in, phase);
        case replay::kDescribeConfigs:
          return describe_configs(broker, r, in, phase, port);
        case replay::kDescribeLogDirs:
          return describe_log_dirs(broker, r, in, phase, port);
        case replay::kFetch:
          return fetch(broker, r, in);
        default:
          return gap(broker, r, "no replay for this API");
      }
    } catch (const std::exception& e) {
      return gap(broker, r, std::string("request does not parse: ") + e.what());
    }
  }

  Answer api_versions(int32_t broker, const KafkaRequest& r, const std::string& phase, int port) {
    if (r.api_version != 3) return gap(broker, r, "only v3 was captured on PLAINTEXT");
    const Frame* f = last(replay::kApiVersions, 3, phase, port, [](const Frame&) { return true; });
    if (!f) f = last(replay::kApiVersions, 3, "healthy", port, [](const Frame&) { return true; });
    if (!f) return gap(broker, r, "no captured answer");
    auto frame = replay::with_correlation_id(f->response, r.correlation_id);
    std::map<int16_t, int16_t> patch;
    {
      std::lock_guard lock(mu_);
      patch = advertised_max_;
    }
    if (!patch.empty()) {
      // ApiVersions v3 body (response header v0): error_code, api_keys [api_key, min, max,
      // tagged fields], throttle_time_ms, tagged fields; the max patched in place.
      replay::In in(frame, 4);
      const int16_t error_code = in.i16();
      const int32_t n = in.count(true);
      std::map<int16_t, std::vector<uint8_t>> entries;  // by key, for APIs to add
      for (int32_t i = 0; i < n; ++i) {
        const size_t entry_at = in.pos();
        const int16_t key = in.i16();
        in.i16();
        const size_t max_at = in.pos();
        in.i16();
        in.tagged();
        if (auto it = patch.find(key); it != patch.end()) {
          frame[max_at] = static_cast<uint8_t>(static_cast<uint16_t>(it->second) >> 8);
          frame[max_at + 1] = static_cast<uint8_t>(it->second & 0xff);
        }
        const auto bytes = in.since(entry_at);
        entries[key].assign(bytes.begin(), bytes.end());
      }
      bool added = false;
      for (const auto& [key, max] : patch) {
        if (entries.count(key)) continue;
        replay::Out e;
        e.i16(key).i16(0).i16(max).no_tags();
        entries[key] = e.take();
        added = true;
      }
      if (added) {
        // Rebuilt in key order (as brokers list them); the rest of the body kept as captured.
        replay::Out o;
        o.i32(r.correlation_id).i16(error_code).count(true, static_cast<int32_t>(entries.size()));
        for (const auto& [key, bytes] : entries) o.raw(bytes);
        o.raw(std::span<const uint8_t>(frame).subspan(in.pos()));
        frame = o.take();
      }
    }
    return frame;
  }

  Answer metadata(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase, int port) {
    if (r.api_version != 9) return gap(broker, r, "only v9 is replayed");
    if (!replay::read_metadata_request(in, r.api_version).all_topics) return gap(broker, r, "topics named");
    const Frame* f = last(replay::kMetadata, 9, phase, port, [](const Frame& c) {
      replay::In q(c.request);
      replay::read_header(q);
      return replay::read_metadata_request(q, c.api_version).all_topics;
    });
    if (!f) return gap(broker, r, "no captured all-topics answer");
    auto frame = replay::with_correlation_id(f->response, r.correlation_id);
    rewrite_metadata_ports(frame, 9, ports_);
    return frame;
  }

  Answer find_coordinator(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase, int port) {
    if (r.api_version != 3) return gap(broker, r, "only v3 is replayed");
    const std::string key = replay::read_find_coordinator_key(in, r.api_version);
    const Frame* f = last(replay::kFindCoordinator, 3, phase, port, [&](const Frame& c) {
      replay::In q(c.request);
      replay::read_header(q);
      return replay::read_find_coordinator_key(q, c.api_version) == key;
    });
    if (!f) return gap(broker, r, "no captured answer for key " + key);
    auto frame = replay::with_correlation_id(f->response, r.correlation_id);
    const size_t at = replay::response_body_offset(frame, replay::kFindCoordinator, 3);
    const auto c = replay::find_coordinator_answer(std::span<const uint8_t>(frame).subspan(at));
    if (c.error_code == 0) {
      const auto real = static_cast<int32_t>(fault_detail::be32(frame.data() + at + c.port_offset));
      const auto it = ports_.find(real);
      if (it == ports_.end()) return gap(broker, r, "coordinator port " + std::to_string(real) + " unknown");
      fault_detail::put32(frame.data() + at + c.port_offset, static_cast<uint32_t>(it->second));
    }
    return frame;
  }

  Answer list_groups(int32_t broker, const KafkaRequest& r, const std::string& phase, int port) {
    if (r.api_version != 3) return gap(broker, r, "only v3 is replayed");
    const Frame* f = last(replay::kListGroups, 3, phase, port, [&](const Frame& c) { return c.broker_port == port; });
    if (!f) return gap(broker, r, "no captured answer of this broker");
    return replay::with_correlation_id(f->response, r.correlation_id);
  }

  Answer describe_groups(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase, int port) {
    if (r.api_version != 5) return gap(broker, r, "only v5 is replayed");
    const auto asked = replay::read_describe_groups_request(in, r.api_version);
    const auto same_set = [&](const Frame& c) {
      if (c.broker_port != port) return false;
      replay::In q(c.request);
      replay::read_header(q);
      auto groups = replay::read_describe_groups_request(q, c.api_version);
      auto a = asked;
      std::sort(groups.begin(), groups.end());
      std::sort(a.begin(), a.end());
      return groups == a;
    };
    bool all_here = true;
    for (const auto& g : asked) all_here = all_here && coordinator(phase, g) == broker;
    if (all_here) {
      if (const Frame* f = last(replay::kDescribeGroups, 5, phase, port, same_set)) {
        return replay::with_correlation_id(f->response, r.correlation_id);
      }
    }
    std::vector<std::vector<uint8_t>> entries;
    for (const auto& g : asked) {
      const int32_t coordinator_id = coordinator(phase, g);
      if (coordinator_id < 0) return gap(broker, r, "no coordinator captured for group " + g);
      if (coordinator_id != broker) {
        entries.push_back(replay::describe_groups_error_entry(g, replay::kNotCoordinator));
        continue;
      }
      auto entry = describe_groups_entry(phase, broker, g);
      if (!entry) return gap(broker, r, "no captured entry for group " + g);
      entries.push_back(std::move(*entry));
    }
    return replay::response_frame(replay::kDescribeGroups, 5, r.correlation_id, replay::describe_groups_body(entries));
  }

  Answer offset_fetch(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase, int port) {
    if (r.api_version != 6) return gap(broker, r, "only v6 is replayed");
    const auto q = replay::read_offset_fetch_request(in, r.api_version);
    bool moved_once = false;
    {
      std::lock_guard lock(mu_);
      moved_once = not_coordinator_once_.erase(q.group) > 0;
    }
    if (moved_once) {
      const Frame* f = last(replay::kOffsetFetch, 6, "recovery", 0, [&](const Frame& c) {
        replay::In rq(c.request);
        replay::read_header(rq);
        return replay::read_offset_fetch_request(rq, c.api_version).group == q.group &&
               replay::offset_fetch_error(body_of(c)) == replay::kNotCoordinator;
      });
      if (!f) return gap(broker, r, "no captured NOT_COORDINATOR answer for group " + q.group);
      return replay::with_correlation_id(f->response, r.correlation_id);
    }
    const int32_t coordinator_id = coordinator(phase, q.group);
    if (coordinator_id < 0) return gap(broker, r, "no coordinator captured for group " + q.group);
    if (coordinator_id != broker) {
      replay::Out o;
      o.i32(0).count(true, 0).i16(replay::kNotCoordinator).no_tags();
      return replay::response_frame(replay::kOffsetFetch, 6, r.correlation_id, o.take());
    }
    if (!q.topics) {
      const Frame* f = last(replay::kOffsetFetch, 6, phase, port, [&](const Frame& c) {
        replay::In rq(c.request);
        replay::read_header(rq);
        const auto captured = replay::read_offset_fetch_request(rq, c.api_version);
        return captured.group == q.group && !captured.topics && replay::offset_fetch_error(body_of(c)) == 0;
      });
      if (!f) return gap(broker, r, "no captured all-partitions answer for group " + q.group);
      return replay::with_correlation_id(f->response, r.correlation_id);
    }
    const auto known = readme::committed().find(q.group);
    if (known == readme::committed().end()) return gap(broker, r, "the README has no offsets of group " + q.group);
    replay::Out o;
    o.i32(0).count(true, static_cast<int32_t>(q.topics->size()));
    for (const auto& [topic, partitions] : *q.topics) {
      o.str(true, topic).count(true, static_cast<int32_t>(partitions.size()));
      for (int32_t p : partitions) {
        const auto it = known->second.find({topic, p});
        o.i32(p).i64(it == known->second.end() ? -1 : it->second).i32(-1).str(true, "").i16(0).no_tags();
      }
      o.no_tags();
    }
    o.i16(0).no_tags();
    return replay::response_frame(replay::kOffsetFetch, 6, r.correlation_id, o.take());
  }

  Answer list_offsets(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase) {
    if (r.api_version < 1 || r.api_version > 3) return gap(broker, r, "only v1-v3 are replayed");
    const auto asked = replay::read_list_offsets_request(in, r.api_version);
    const auto& leaders = readme::leaders(phase);
    std::vector<std::pair<std::string, std::vector<std::vector<uint8_t>>>> topics;
    for (const auto& p : asked) {
      const auto end = readme::end_offsets().find(p.topic);
      if (end == readme::end_offsets().end() || p.partition < 0 ||
          static_cast<size_t>(p.partition) >= end->second.size()) {
        return gap(broker, r, "the README has no end offset of " + p.topic + " " + std::to_string(p.partition));
      }
      if (p.timestamp != -1 && p.timestamp != -2) return gap(broker, r, "timestamp " + std::to_string(p.timestamp));
      replay::Out e;
      e.i32(p.partition);
      if (leaders.at(p.topic)[static_cast<size_t>(p.partition)] != broker) {
        e.i16(replay::kNotLeader).i64(-1).i64(-1);
      } else {
        e.i16(0).i64(-1).i64(p.timestamp == -1 ? end->second[static_cast<size_t>(p.partition)] : 0);
      }
      if (topics.empty() || topics.back().first != p.topic)
        topics.emplace_back(p.topic, std::vector<std::vector<uint8_t>>{});
      topics.back().second.push_back(e.take());
    }
    replay::Out o;
    if (r.api_version >= 2) o.i32(0);  // throttle_time_ms
    o.count(false, static_cast<int32_t>(topics.size()));
    for (const auto& [name, partitions] : topics) {
      o.str(false, name).count(false, static_cast<int32_t>(partitions.size()));
      for (const auto& p : partitions) o.raw(p);
    }
    return replay::response_frame(replay::kListOffsets, r.api_version, r.correlation_id, o.take());
  }

  Answer describe_configs(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase, int port) {
    if (r.api_version != 2) return gap(broker, r, "only v2 is replayed");
    const auto asked = replay::read_describe_configs_request(in, r.api_version);
    replay::Out o;
    o.i32(0).count(false, static_cast<int32_t>(asked.size()));
    for (const auto& res : asked) {
      if (res.type != 2) return gap(broker, r, "resource type " + std::to_string(res.type) + " " + res.name);
      std::optional<replay::ConfigsResult> found;
      last(replay::kDescribeConfigs, 2, phase, port, [&](const Frame& c) {
        for (auto& result : replay::describe_configs_results(body_of(c))) {
          if (result.name == res.name && result.error_code == 0) found = std::move(result);
        }
        return found.has_value();
      });
      if (!found) return gap(broker, r, "no captured result for topic " + res.name);
      std::vector<const std::vector<uint8_t>*> entries;
      for (const auto& [name, bytes] : found->entries) {
        if (!res.keys || std::find(res.keys->begin(), res.keys->end(), name) != res.keys->end()) {
          entries.push_back(&bytes);
        }
      }
      // Kafka 2.4 answers every topic config it knows that was asked for (and leaves out only
      // unknown keys); each captured result holds all 26 of them, so a key asked for that the
      // capture lacks is a hole in the replay, not an answer.
      // Keys newer than Kafka 2.4 (tiered storage, KIP-405, Kafka 3.6) are unknown to it: left
      // out, as the broker leaves them out.
      static const std::vector<std::string> kNewerThan24 = {"remote.storage.enable"};
      for (const auto& key : res.keys.value_or(std::vector<std::string>{})) {
        if (std::find(kNewerThan24.begin(), kNewerThan24.end(), key) != kNewerThan24.end()) continue;
        const bool captured =
            std::any_of(found->entries.begin(), found->entries.end(), [&](const auto& e) { return e.first == key; });
        if (!captured) return gap(broker, r, "no captured entry " + key + " for topic " + res.name);
      }
      o.raw(found->head).count(false, static_cast<int32_t>(entries.size()));
      for (const auto* e : entries) o.raw(*e);
    }
    return replay::response_frame(replay::kDescribeConfigs, 2, r.correlation_id, o.take());
  }

  Answer describe_log_dirs(int32_t broker, const KafkaRequest& r, replay::In& in, const std::string& phase, int port) {
    if (r.api_version != 1) return gap(broker, r, "only v1 is replayed");
    if (replay::read_describe_log_dirs_request(in, r.api_version)) return gap(broker, r, "topics named");
    // Each broker answers for its own directories only: never another broker's answer.
    const Frame* f = last(replay::kDescribeLogDirs, 1, phase, port, [&](const Frame& c) {
      if (c.broker_port != port) return false;
      replay::In q(c.request);
      replay::read_header(q);
      return !replay::read_describe_log_dirs_request(q, c.api_version).has_value();
    });
    if (!f) return gap(broker, r, "no captured all-topics answer of this broker");
    return replay::with_correlation_id(f->response, r.correlation_id);
  }

  Answer fetch(int32_t broker, const KafkaRequest& r, replay::In& in) {
    if (r.api_version != 11) return gap(broker, r, "only v11 is replayed");
    const auto q = replay::read_fetch_request(in, r.api_version);
    std::vector<std::pair<std::string, std::vector<std::vector<uint8_t>>>> topics;
    for (const auto& p : q.partitions) {
      // The captured answer to a Fetch of the same partition and offset (the records do not
      // change between phases); the same isolation level preferred.
      std::optional<std::vector<uint8_t>> entry;
      for (int pass = 0; pass < 2 && !entry; ++pass) {
        for (const auto& c : test::captured_frames()) {
          if (c.api_key != replay::kFetch || c.api_version != 11 || !c.has_response) continue;
          try {
            replay::In cq(c.request);
            replay::read_header(cq);
            const auto captured = replay::read_fetch_request(cq, c.api_version);
            if (pass == 0 && captured.isolation_level != q.isolation_level) continue;
            const bool same = std::any_of(captured.partitions.begin(), captured.partitions.end(), [&](const auto& cp) {
              return cp.topic == p.topic && cp.partition == p.partition && cp.fetch_offset == p.fetch_offset;
            });
            if (!same) continue;
            auto parts = replay::fetch_partitions(body_of(c));
            if (auto it = parts.find({p.topic, p.partition}); it != parts.end()) entry = std::move(it->second);
          } catch (const std::exception&) {
            continue;
          }
          if (entry) break;
        }
      }
      if (!entry) {
        const auto end = readme::end_offsets().find(p.topic);
        const int64_t hw = end != readme::end_offsets().end() && p.partition >= 0 &&
                                   static_cast<size_t>(p.partition) < end->second.size()
                               ? end->second[static_cast<size_t>(p.partition)]
                               : -1;
        replay::Out e;
        e.i32(p.partition).i16(0).i64(hw).i64(hw).i64(0).i32(-1).i32(-1).i32(0);  // aborted null, records empty
        entry = e.take();
      }
      if (topics.empty() || topics.back().first != p.topic)
        topics.emplace_back(p.topic, std::vector<std::vector<uint8_t>>{});
      topics.back().second.push_back(std::move(*entry));
    }
    replay::Out o;
    o.i32(0).i16(0).i32(0).count(false, static_cast<int32_t>(topics.size()));
    for (const auto& [name, partitions] : topics) {
      o.str(false, name).count(false, static_cast<int32_t>(partitions.size()));
      for (const auto& p : partitions) o.raw(p);
    }
    (void)broker;
    return replay::response_frame(replay::kFetch, 11, r.correlation_id, o.take());
  }

  mutable std::mutex mu_;  // guards phase_, gaps_, not_coordinator_once_, override_, advertised_max_
  Override override_;
  std::map<int16_t, int16_t> advertised_max_;
  std::string phase_;
  std::vector<std::string> gaps_;
  std::set<std::string> not_coordinator_once_;
  std::map<int32_t, int32_t> ports_;  // captured port -> front port; set before the responders
  std::vector<std::unique_ptr<KafkaFaultServer>> fronts_;
};

}  // namespace lagwatch::testing
