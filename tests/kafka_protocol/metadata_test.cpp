#include "kafka/protocol/metadata.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "captures.hpp"
#include "server_side.hpp"
#include "spec_bytes.hpp"
#include "truncation.hpp"

namespace lagwatch::kafka::protocol {
namespace {

using wire::ApiKey;
using Ids = std::vector<int32_t>;

MetadataResponse decode(const test::CapturedFrame& f) {
  auto r = test::response_reader(f);
  auto resp = decode_metadata_response(r, f.api_version);
  EXPECT_TRUE(r.at_end()) << "seq " << f.seq;
  return resp;
}

const MetadataResponseTopic* find_topic(const MetadataResponse& m, const std::string& name) {
  for (const auto& t : m.topics)
    if (t.name == name) return &t;
  return nullptr;
}

const MetadataResponsePartition* find_partition(const MetadataResponseTopic& t, int32_t index) {
  for (const auto& p : t.partitions)
    if (p.partition_index == index) return &p;
  return nullptr;
}

std::set<int32_t> broker_ids(const MetadataResponse& m) {
  std::set<int32_t> ids;
  for (const auto& b : m.brokers) ids.insert(b.node_id);
  return ids;
}

struct Row {
  const char* topic;
  int32_t partition;
  int32_t leader;
  Ids replicas;
  Ids isr;
};

// README "Topics (healthy phase)", replicas and ISR in wire order.
const std::vector<Row> kHealthy = {
    {"orders", 0, 2, {2, 3, 1}, {2, 3, 1}},   {"orders", 1, 3, {3, 1, 2}, {3, 1, 2}},
    {"orders", 2, 1, {1, 2, 3}, {1, 2, 3}},   {"orders", 3, 2, {2, 1, 3}, {2, 1, 3}},
    {"orders", 4, 3, {3, 2, 1}, {3, 2, 1}},   {"orders", 5, 1, {1, 3, 2}, {1, 3, 2}},
    {"payments", 0, 1, {1, 3, 2}, {1, 3, 2}}, {"payments", 1, 2, {2, 1, 3}, {2, 1, 3}},
    {"payments", 2, 3, {3, 2, 1}, {3, 2, 1}}, {"audit-rf1", 0, 3, {3}, {3}},
    {"strict", 0, 2, {2, 1, 3}, {2, 1, 3}},   {"strict", 1, 3, {3, 2, 1}, {3, 2, 1}},
    {"strict", 2, 1, {1, 3, 2}, {1, 3, 2}},   {"compacted", 0, 3, {3, 2}, {3, 2}},
};

// README: __consumer_offsets leaders and replicas per partition; ISR 1,2,3 on the wire for all.
const std::vector<std::pair<int32_t, Ids>> kOffsetsTopic = {
    {2, {2, 3, 1}}, {3, {3, 1, 2}}, {1, {1, 2, 3}}, {2, {2, 1, 3}}, {3, {3, 2, 1}},
    {3, {3, 1, 2}}, {2, {2, 3, 1}}, {3, {3, 1, 2}}, {1, {1, 2, 3}}, {3, {3, 2, 1}},
};

TEST(Metadata, EveryCapturedResponseDecodesToTheLastByte) {
  const auto frames = test::frames_of(ApiKey::metadata);
  ASSERT_GT(frames.size(), 300u);
  std::set<int16_t> versions;
  for (const auto* f : frames) {
    SCOPED_TRACE("seq " + std::to_string(f->seq));
    const auto m = decode(*f);
    versions.insert(f->api_version);
    EXPECT_EQ(m.throttle_time_ms, 0);
    EXPECT_EQ(m.cluster_id, "8JHCp0U4RHidtwDAY8oJiQ");  // every captured version is v2+
    EXPECT_EQ(m.controller_id, 1);
    const bool sasl = f->broker_port >= 9192;
    ASSERT_FALSE(m.brokers.empty());
    for (const auto& b : m.brokers) {
      EXPECT_EQ(b.host, "127.0.0.1");
      EXPECT_EQ(b.port, (sasl ? 9191 : 9091) + b.node_id) << b.node_id;
      EXPECT_EQ(b.rack, std::nullopt);
    }
    if (f->api_version >= 8) {
      // Not requested: Kafka 2.4 sends 0 (not the spec's INT32_MIN default).
      EXPECT_EQ(m.cluster_authorized_operations, 0);
      for (const auto& t : m.topics) EXPECT_EQ(t.topic_authorized_operations, 0);
    }
  }
  EXPECT_EQ(versions, (std::set<int16_t>{4, 5, 7, 9}));
}

TEST(Metadata, HealthyPhaseMatchesTheTopicTable) {
  int topics_checked = 0;
  for (const auto* f : test::frames_of(ApiKey::metadata)) {
    if (f->phase != "healthy") continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    const auto m = decode(*f);
    EXPECT_EQ(broker_ids(m), (std::set<int32_t>{1, 2, 3}));
    for (const auto& row : kHealthy) {
      const auto* t = find_topic(m, row.topic);
      if (!t) continue;
      EXPECT_EQ(t->error_code, 0);
      EXPECT_FALSE(t->is_internal);
      const auto* p = find_partition(*t, row.partition);
      ASSERT_NE(p, nullptr) << row.topic << " " << row.partition;
      EXPECT_EQ(p->error_code, 0);
      EXPECT_EQ(p->leader_id, row.leader) << row.topic << " " << row.partition;
      EXPECT_EQ(p->replica_nodes, row.replicas) << row.topic << " " << row.partition;
      EXPECT_EQ(p->isr_nodes, row.isr) << row.topic << " " << row.partition;
      EXPECT_EQ(p->leader_epoch, f->api_version >= 7 ? 0 : -1);
      EXPECT_TRUE(p->offline_replicas.empty());
      ++topics_checked;
    }
    if (const auto* t = find_topic(m, "orders")) {
      EXPECT_EQ(t->partitions.size(), 6u);
    }
    if (const auto* t = find_topic(m, "__consumer_offsets")) {
      EXPECT_TRUE(t->is_internal);
      ASSERT_EQ(t->partitions.size(), 10u);
      for (int32_t i = 0; i < 10; ++i) {
        const auto* p = find_partition(*t, i);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->leader_id, kOffsetsTopic[i].first) << i;
        EXPECT_EQ(p->replica_nodes, kOffsetsTopic[i].second) << i;
        EXPECT_EQ(p->isr_nodes, (Ids{1, 2, 3})) << i;
      }
    }
    if (const auto* t = find_topic(m, "__transaction_state")) {
      EXPECT_TRUE(t->is_internal);
      ASSERT_EQ(t->partitions.size(), 50u);
      std::map<int32_t, int> leaders;
      for (const auto& p : t->partitions) ++leaders[p.leader_id];
      EXPECT_EQ(leaders, (std::map<int32_t, int>{{1, 17}, {2, 16}, {3, 17}}));
    }
  }
  EXPECT_GT(topics_checked, 400);
}

TEST(Metadata, Broker3DownPhase) {
  // README "Fault phase": once broker 3 is gone from the broker list.
  const std::map<std::string, std::vector<int32_t>> leaders = {
      {"orders", {2, 1, 1, 2, 2, 1}}, {"payments", {1, 2, 2}}, {"strict", {2, 2, 1}}, {"compacted", {2}}};
  const std::map<std::string, std::vector<Ids>> isr = {{"orders", {{2, 1}, {1, 2}, {1, 2}, {2, 1}, {2, 1}, {1, 2}}},
                                                       {"payments", {{1, 2}, {2, 1}, {2, 1}}},
                                                       {"strict", {{2, 1}, {2, 1}, {1, 2}}},
                                                       {"compacted", {{2}}}};
  const std::vector<int32_t> orders_epochs = {1, 1, 2, 1, 1, 2};
  std::map<int16_t, int> audit_seen;
  for (const auto* f : test::frames_of(ApiKey::metadata)) {
    if (f->phase != "broker3-down") continue;
    const auto m = decode(*f);
    if (broker_ids(m) != std::set<int32_t>{1, 2}) continue;  // the first answers still listed broker 3
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version));
    EXPECT_EQ(m.controller_id, 1);
    for (const auto& [name, want] : leaders) {
      const auto* t = find_topic(m, name);
      if (!t) continue;
      for (size_t i = 0; i < want.size(); ++i) {
        const auto* p = find_partition(*t, static_cast<int32_t>(i));
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->error_code, 0) << name << " " << i;
        EXPECT_EQ(p->leader_id, want[i]) << name << " " << i;
        EXPECT_EQ(p->isr_nodes, isr.at(name)[i]) << name << " " << i;
        if (f->api_version >= 5) {
          EXPECT_EQ(p->offline_replicas, (Ids{3})) << name << " " << i;
        }
        if (f->api_version >= 7 && name == "orders") {
          EXPECT_EQ(p->leader_epoch, orders_epochs[i]) << i;
        }
      }
    }
    if (const auto* t = find_topic(m, "__consumer_offsets")) {
      const std::vector<int32_t> co_leaders = {2, 1, 1, 2, 2, 1, 2, 1, 1, 2};
      for (int32_t i = 0; i < 10; ++i) {
        const auto* p = find_partition(*t, i);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->leader_id, co_leaders[i]) << i;
        EXPECT_EQ(p->isr_nodes, (Ids{1, 2})) << i;
      }
    }
    if (const auto* t = find_topic(m, "audit-rf1")) {
      ASSERT_EQ(t->partitions.size(), 1u);
      const auto& p = t->partitions[0];
      EXPECT_EQ(t->error_code, 0);
      EXPECT_EQ(p.leader_id, -1);
      EXPECT_EQ(p.replica_nodes, (Ids{3}));
      EXPECT_EQ(p.isr_nodes, (Ids{3}));
      EXPECT_EQ(p.error_code, f->api_version >= 7 ? 72 : 5);  // LISTENER_NOT_FOUND v7+, else LEADER_NOT_AVAILABLE
      if (f->api_version >= 5) {
        EXPECT_EQ(p.offline_replicas, (Ids{3}));
      }
      if (f->api_version >= 7) {
        EXPECT_EQ(p.leader_epoch, -1);
      }
      ++audit_seen[f->api_version];
    }
  }
  EXPECT_GT(audit_seen[4], 0);
  EXPECT_GT(audit_seen[7], 0);
  EXPECT_GT(audit_seen[9], 0);
}

TEST(Metadata, RecoveryFinalState) {
  // README "Recovery": ISR complete in a new order, leader epochs moved on. The last v9 answer
  // that lists orders.
  std::optional<MetadataResponse> last;
  for (const auto* f : test::frames_of(ApiKey::metadata, 9)) {
    if (f->phase != "recovery") continue;
    auto m = decode(*f);
    if (find_topic(m, "orders")) last = std::move(m);
  }
  ASSERT_TRUE(last.has_value());
  const auto& m = *last;
  const auto* orders = find_topic(m, "orders");
  ASSERT_NE(orders, nullptr);
  const std::vector<Ids> isr = {{2, 1, 3}, {1, 2, 3}, {1, 2, 3}, {2, 1, 3}, {2, 1, 3}, {1, 2, 3}};
  const std::vector<int32_t> epochs = {1, 2, 2, 1, 2, 2};
  const std::vector<int32_t> leaders = {2, 3, 1, 2, 3, 1};
  for (int32_t i = 0; i < 6; ++i) {
    const auto* p = find_partition(*orders, i);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->isr_nodes, isr[i]) << i;
    EXPECT_EQ(p->leader_epoch, epochs[i]) << i;
    EXPECT_EQ(p->leader_id, leaders[i]) << i;
    EXPECT_TRUE(p->offline_replicas.empty());
  }
  if (const auto* co = find_topic(m, "__consumer_offsets")) {
    const std::vector<int32_t> co_epochs = {14, 21, 13, 14, 21, 15, 14, 21, 13, 17};
    for (int32_t i = 0; i < 10; ++i) EXPECT_EQ(find_partition(*co, i)->leader_epoch, co_epochs[i]) << i;
  }
}

std::vector<MetadataRequest> candidate_requests() {
  const std::vector<std::optional<std::vector<std::string>>> lists = {
      std::nullopt,
      std::vector<std::string>{},
      std::vector<std::string>{"orders"},
      std::vector<std::string>{"payments"},
      std::vector<std::string>{"audit-rf1"},
      std::vector<std::string>{"strict"},
      std::vector<std::string>{"compacted"},
      std::vector<std::string>{"audit-rf1", "orders"},
      std::vector<std::string>{"orders", "payments", "audit-rf1", "compacted", "strict"},
      std::vector<std::string>{"__consumer_offsets", "__transaction_state", "audit-rf1", "compacted", "orders",
                               "payments", "strict"},
  };
  std::vector<MetadataRequest> out;
  for (const auto& l : lists)
    for (bool allow : {false, true}) out.push_back(MetadataRequest{l, allow, false, false});
  return out;
}

TEST(Metadata, EncoderReproducesEveryCapturedRequest) {
  // Each captured body must be the encoding of exactly one of the requests the clients sent
  // (topic lists and auto-creation flags read from the README steps and the decoded copy).
  const auto candidates = candidate_requests();
  std::map<int16_t, int> checked;
  for (const auto* f : test::frames_of(ApiKey::metadata)) {
    if (f->request_has_trailing_bytes) continue;
    SCOPED_TRACE("seq " + std::to_string(f->seq) + " v" + std::to_string(f->api_version) + " " + f->client);
    const auto body = test::request_body(*f);
    const std::vector<uint8_t> want(body.begin(), body.end());
    int matches = 0;
    for (const auto& c : candidates) {
      wire::Writer w;
      encode(w, c, f->api_version);
      if (w.bytes() == want) ++matches;
    }
    EXPECT_EQ(matches, 1);
    ++checked[f->api_version];
  }
  EXPECT_GT(checked[4], 100);
  EXPECT_GT(checked[5], 0);
  EXPECT_GT(checked[7], 0);
  EXPECT_GT(checked[9], 50);
}

TEST(Metadata, RequestLayoutsOfUncapturedVersions) {
  const auto bytes = [](const MetadataRequest& req, int16_t v) {
    wire::Writer w;
    encode(w, req, v);
    return w.take();
  };
  // v0: all topics is an empty array; v1-3: a null array; v0 cannot ask for no topics.
  EXPECT_EQ(bytes({}, 0), (std::vector<uint8_t>{0, 0, 0, 0}));
  for (int16_t v : {1, 2, 3}) EXPECT_EQ(bytes({}, v), (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff})) << v;
  {
    wire::Writer w;
    EXPECT_THROW(encode(w, MetadataRequest{std::vector<std::string>{}}, 0), std::invalid_argument);
  }
  EXPECT_EQ(bytes({std::vector<std::string>{"ab"}}, 0), (std::vector<uint8_t>{0, 0, 0, 1, 0, 2, 'a', 'b'}));
  // v8: include_cluster / include_topic authorized operations after allow_auto_topic_creation.
  EXPECT_EQ(bytes({std::nullopt, false, true, true}, 8), (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0, 1, 1}));
  // v10: compact array, zero topic id before each name, both include flags, tagged fields.
  std::vector<uint8_t> v10{0x02};
  v10.insert(v10.end(), 16, 0);
  v10.insert(v10.end(), {0x03, 'a', 'b', 0x00, 0x00, 0x00, 0x00, 0x00});
  EXPECT_EQ(bytes({std::vector<std::string>{"ab"}}, 10), v10);
  // v11, v12: no include_cluster_authorized_operations.
  std::vector<uint8_t> v11 = v10;
  v11.erase(v11.end() - 3);
  EXPECT_EQ(bytes({std::vector<std::string>{"ab"}}, 11), v11);
  EXPECT_EQ(bytes({std::vector<std::string>{"ab"}}, 12), v11);
  EXPECT_EQ(bytes({std::nullopt}, 12), (std::vector<uint8_t>{0x00, 0x00, 0x00, 0x00}));
}

// A one-broker, one-topic, one-partition answer in the layout of `v`, built by hand.
std::vector<uint8_t> hand_built_response(int16_t v, bool null_name) {
  const bool flex = v >= 9;
  wire::Writer w;
  if (v >= 3) w.int32(5);
  w.array_length(1, flex);
  w.int32(7);
  w.string("h", flex);
  w.int32(9092);
  if (v >= 1) w.nullable_string(std::string("r1"), flex);
  if (flex) w.no_tagged_fields();
  if (v >= 2) w.nullable_string(std::nullopt, flex);
  if (v >= 1) w.int32(7);
  w.array_length(1, flex);
  w.int16(0);
  if (null_name) {
    w.nullable_string(std::nullopt, flex);
  } else {
    w.string("t", flex);
  }
  if (v >= 10) w.uuid(std::string("0123456789abcdef"));
  if (v >= 1) w.boolean(true);
  w.array_length(1, flex);
  w.int16(6);
  w.int32(3);
  w.int32(7);
  if (v >= 7) w.int32(4);
  w.array_length(1, flex);
  w.int32(7);
  w.array_length(0, flex);
  if (v >= 5) {
    w.array_length(1, flex);
    w.int32(8);
  }
  if (flex) w.no_tagged_fields();
  if (v >= 8) w.int32(0x1f8);
  if (flex) w.no_tagged_fields();
  if (v >= 8 && v <= 10) w.int32(0x2a);
  if (flex) w.no_tagged_fields();
  return w.take();
}

TEST(Metadata, EveryImplementedVersionDecodesItsLayout) {
  for (int16_t v = 0; v <= 12; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto body = hand_built_response(v, false);
    wire::Reader r(body);
    const auto m = decode_metadata_response(r, v);
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(m.throttle_time_ms, v >= 3 ? 5 : 0);
    ASSERT_EQ(m.brokers.size(), 1u);
    EXPECT_EQ(m.brokers[0].node_id, 7);
    EXPECT_EQ(m.brokers[0].host, "h");
    EXPECT_EQ(m.brokers[0].port, 9092);
    EXPECT_EQ(m.brokers[0].rack, v >= 1 ? std::optional<std::string>("r1") : std::nullopt);
    EXPECT_EQ(m.cluster_id, std::nullopt);
    EXPECT_EQ(m.controller_id, v >= 1 ? 7 : -1);
    ASSERT_EQ(m.topics.size(), 1u);
    const auto& t = m.topics[0];
    EXPECT_EQ(t.name, "t");
    EXPECT_EQ(t.topic_id, v >= 10 ? std::string("0123456789abcdef") : kZeroTopicId);
    EXPECT_EQ(t.is_internal, v >= 1);
    ASSERT_EQ(t.partitions.size(), 1u);
    const auto& p = t.partitions[0];
    EXPECT_EQ(p.error_code, 6);
    EXPECT_EQ(p.partition_index, 3);
    EXPECT_EQ(p.leader_id, 7);
    EXPECT_EQ(p.leader_epoch, v >= 7 ? 4 : -1);
    EXPECT_EQ(p.replica_nodes, (Ids{7}));
    EXPECT_TRUE(p.isr_nodes.empty());
    EXPECT_EQ(p.offline_replicas, v >= 5 ? Ids{8} : Ids{});
    EXPECT_EQ(t.topic_authorized_operations, v >= 8 ? 0x1f8 : INT32_MIN);
    EXPECT_EQ(m.cluster_authorized_operations, (v >= 8 && v <= 10) ? 0x2a : INT32_MIN);
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_metadata_response(x, v); });
  }
  // v12: a topic asked for by id that does not exist comes back with a null name.
  const auto body = hand_built_response(12, true);
  wire::Reader r(body);
  const auto m = decode_metadata_response(r, 12);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(m.topics.at(0).name, std::nullopt);
  // Before v12 a null name is malformed.
  const auto v11 = hand_built_response(11, true);
  wire::Reader r11(v11);
  EXPECT_THROW(decode_metadata_response(r11, 11), wire::DecodeError);
}

TEST(Metadata, TruncatedAndHostileResponsesAreRefused) {
  for (int16_t v : {4, 5, 7, 9}) {
    const auto frames = test::frames_of(ApiKey::metadata, v);
    ASSERT_FALSE(frames.empty());
    auto r = test::response_reader(*frames.front());
    const auto body = r.raw(r.remaining(), "body");
    test::expect_every_truncation_fails(body, [v](wire::Reader& x) { decode_metadata_response(x, v); });
  }
  // v4: throttle, then a broker count of 2^31-1.
  const std::vector<uint8_t> brokers{0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  wire::Reader a(brokers);
  EXPECT_THROW(decode_metadata_response(a, 4), wire::DecodeError);
  // v9: no brokers, null cluster id, controller 1, 2^28 topics.
  const std::vector<uint8_t> topics{0, 0, 0, 0, 0x01, 0x00, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0};
  wire::Reader b(topics);
  EXPECT_THROW(decode_metadata_response(b, 9), wire::DecodeError);
}

TEST(Metadata, VersionsOutsideTheImplementedRangeAreRefused) {
  wire::Writer w;
  EXPECT_THROW(encode(w, MetadataRequest{}, 13), std::invalid_argument);
  EXPECT_THROW(encode(w, MetadataRequest{}, -1), std::invalid_argument);
  const std::vector<uint8_t> body(16, 0);
  wire::Reader r(body);
  EXPECT_THROW(decode_metadata_response(r, 13), std::invalid_argument);
}

// Server side (demo broker front): decode, edit, re-encode.

TEST(MetadataServer, EveryCapturedResponseReencodesToTheSameBytes) {
  std::map<int16_t, int> checked;
  for (int16_t v : {4, 5, 7, 9}) {
    checked[v] = test::expect_captured_responses_reencode(
        ApiKey::metadata, v, [](wire::Reader& r, int16_t ver) { return decode_metadata_response(r, ver); });
  }
  EXPECT_GT(checked[4], 100);
  EXPECT_GT(checked[5], 0);
  EXPECT_GT(checked[7], 0);
  EXPECT_GT(checked[9], 50);
}

TEST(MetadataServer, EveryCapturedRequestDecodesAndReencodes) {
  std::map<int16_t, int> checked;
  for (int16_t v : {4, 5, 7, 9}) {
    checked[v] = test::expect_captured_requests_reencode(
        ApiKey::metadata, v, [](wire::Reader& r, int16_t ver) { return decode_metadata_request(r, ver); });
  }
  EXPECT_GT(checked[4], 100);
  EXPECT_GT(checked[5], 0);
  EXPECT_GT(checked[7], 0);
  EXPECT_GT(checked[9], 50);
  // The Java tools' v9 requests: some ask for all topics (a null array).
  int all_topics = 0;
  for (const auto* f : test::frames_of(ApiKey::metadata, 9)) {
    wire::Reader r(test::request_body(*f));
    const auto req = decode_metadata_request(r, 9);
    EXPECT_FALSE(req.include_cluster_authorized_operations);
    if (!req.topics) ++all_topics;
  }
  EXPECT_GT(all_topics, 0);
}

// Every field `v` carries set to a value other than its default.
MetadataResponse full_response(int16_t v) {
  MetadataResponse m;
  if (v >= 3) m.throttle_time_ms = 25;
  m.brokers = {{1, "kafka-1", 19092, v >= 1 ? std::optional<std::string>("rack-a") : std::nullopt},
               {2, "kafka-2", 19093, std::nullopt}};
  if (v >= 2) m.cluster_id = "8JHCp0U4RHidtwDAY8oJiQ";
  if (v >= 1) m.controller_id = 2;
  MetadataResponseTopic t;
  t.error_code = 0;
  t.name = "orders";
  if (v >= 10) t.topic_id = "0123456789abcdef";
  if (v >= 1) t.is_internal = true;
  MetadataResponsePartition p0;
  p0.error_code = 9;  // REPLICA_NOT_AVAILABLE
  p0.partition_index = 0;
  p0.leader_id = 2;
  if (v >= 7) p0.leader_epoch = 5;
  p0.replica_nodes = {2, 3, 1};
  p0.isr_nodes = {2, 1};
  if (v >= 5) p0.offline_replicas = {3};
  MetadataResponsePartition p1 = p0;
  p1.error_code = 0;
  p1.partition_index = 1;
  p1.leader_id = 1;
  t.partitions = {p0, p1};
  if (v >= 8) t.topic_authorized_operations = 0x5f8;
  m.topics.push_back(t);
  MetadataResponseTopic unknown;
  unknown.error_code = v >= 12 ? 100 : 3;  // UNKNOWN_TOPIC_ID by id, UNKNOWN_TOPIC_OR_PARTITION by name
  unknown.name = v >= 12 ? std::nullopt : std::optional<std::string>("gone");
  if (v >= 12) unknown.topic_id = "fedcba9876543210";
  if (v >= 8) unknown.topic_authorized_operations = 0;
  m.topics.push_back(unknown);
  if (v >= 8 && v <= 10) m.cluster_authorized_operations = 0xbf8;
  return m;
}

TEST(MetadataServer, HandBuiltResponsesRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 12; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    const auto m = full_response(v);
    wire::Writer w;
    encode(w, m, v);
    wire::Reader r(w.bytes());
    EXPECT_EQ(decode_metadata_response(r, v), m);
    EXPECT_TRUE(r.at_end());
  }
}

TEST(MetadataServer, FieldsAVersionLacksAreNotWritten) {
  // The v12 struct written at v0: no throttle, rack, cluster id, controller, topic id,
  // is_internal, leader epoch, offline replicas or operations (and no null name: refused).
  auto m = full_response(11);
  wire::Writer w0;
  encode(w0, m, 0);
  wire::Reader r(w0.bytes());
  EXPECT_EQ(decode_metadata_response(r, 0), full_response(0));
  EXPECT_TRUE(r.at_end());
  wire::Writer bad;
  EXPECT_THROW(encode(bad, full_response(12), 11), std::invalid_argument);
  EXPECT_THROW(encode(bad, m, 13), std::invalid_argument);
  EXPECT_THROW(encode(bad, m, -1), std::invalid_argument);
}

TEST(MetadataServer, V12ResponseBytesFromTheSpec) {
  // MetadataResponse v12 (flexible): throttle, brokers [node, host, port, rack], cluster id,
  // controller, topics [error, name (nullable), topic id, is_internal, partitions [error,
  // index, leader, leader epoch, replicas, isr, offline], topic operations]; no cluster
  // operations (v8-10 only).
  test_bytes::Bytes b;
  b.i32(7).arr(1).i32(1).str("h").i32(9092).null_str().no_tags();
  b.str("c").i32(1);
  b.arr(2);
  b.i16(0).str("t").raw("0123456789abcdef").u8(0).arr(1);
  b.i16(0).i32(0).i32(1).i32(3).arr(1).i32(1).arr(1).i32(1).arr(0).no_tags();
  b.i32(0x5f8).no_tags();
  b.i16(100).null_str().raw("fedcba9876543210").u8(0).arr(0).i32(INT32_MIN).no_tags();
  b.no_tags();
  MetadataResponse m;
  m.throttle_time_ms = 7;
  m.brokers = {{1, "h", 9092, std::nullopt}};
  m.cluster_id = "c";
  m.controller_id = 1;
  MetadataResponseTopic t;
  t.name = "t";
  t.topic_id = "0123456789abcdef";
  t.partitions = {{0, 0, 1, 3, {1}, {1}, {}}};
  t.topic_authorized_operations = 0x5f8;
  MetadataResponseTopic byid;
  byid.error_code = 100;
  byid.name = std::nullopt;
  byid.topic_id = "fedcba9876543210";
  m.topics = {t, byid};
  wire::Writer w;
  encode(w, m, 12);
  EXPECT_EQ(w.bytes(), b.b);
  wire::Reader r(b.b);
  EXPECT_EQ(decode_metadata_response(r, 12), m);
  EXPECT_TRUE(r.at_end());
}

TEST(MetadataServer, HandBuiltRequestsRoundTripAtEveryVersion) {
  for (int16_t v = 0; v <= 12; ++v) {
    SCOPED_TRACE("v" + std::to_string(v));
    MetadataRequest req;
    req.topics = std::vector<std::string>{"orders", "payments"};
    if (v >= 4) req.allow_auto_topic_creation = true;
    if (v >= 8 && v <= 10) req.include_cluster_authorized_operations = true;
    if (v >= 8) req.include_topic_authorized_operations = true;
    for (const auto& topics : {req.topics, std::optional<std::vector<std::string>>{},
                               std::optional<std::vector<std::string>>(std::vector<std::string>{})}) {
      if (v == 0 && topics && topics->empty()) continue;  // v0 cannot say "no topics"
      MetadataRequest x = req;
      x.topics = topics;
      wire::Writer w;
      encode(w, x, v);
      wire::Reader r(w.bytes());
      EXPECT_EQ(decode_metadata_request(r, v), x);
      EXPECT_TRUE(r.at_end());
      test::expect_every_truncation_fails(w.bytes(), [v](wire::Reader& rr) { decode_metadata_request(rr, v); });
    }
  }
}

TEST(MetadataServer, RequestBytesFromTheSpec) {
  // v12 (flexible): topics [topic id, name (nullable)], allow auto creation, include topic
  // operations; an unknown tagged field on the topic and the top level is skipped.
  test_bytes::Bytes b;
  b.arr(1).raw(std::string(16, '\0')).str("ab").one_tag(3, {1, 2});
  b.u8(1).u8(0).one_tag(0, {9});
  wire::Reader r(b.b);
  const auto req = decode_metadata_request(r, 12);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(req, (MetadataRequest{std::vector<std::string>{"ab"}, true, false, false}));
  // v0: an empty array is all topics; a null array is malformed.
  const std::vector<uint8_t> v0_all = {0, 0, 0, 0};
  wire::Reader r0(v0_all);
  EXPECT_EQ(decode_metadata_request(r0, 0).topics, std::nullopt);
  const std::vector<uint8_t> v0_null = {0xff, 0xff, 0xff, 0xff};
  wire::Reader r0n(v0_null);
  EXPECT_THROW(decode_metadata_request(r0n, 0), wire::DecodeError);
  // v1: a null array is all topics, an empty one none.
  wire::Reader r1(v0_null);
  EXPECT_EQ(decode_metadata_request(r1, 1).topics, std::nullopt);
  wire::Reader r1e(v0_all);
  EXPECT_EQ(decode_metadata_request(r1e, 1).topics, std::vector<std::string>{});
  // v10+: a topic by id (null name, or any non-zero id) cannot be represented: refused.
  test_bytes::Bytes by_id;
  by_id.arr(1).raw("0123456789abcdef").null_str().no_tags().u8(0).u8(0).no_tags();
  wire::Reader ri(by_id.b);
  EXPECT_THROW(decode_metadata_request(ri, 12), wire::DecodeError);
  test_bytes::Bytes null_name;
  null_name.arr(1).raw(std::string(16, '\0')).null_str().no_tags().u8(0).u8(0).no_tags();
  wire::Reader rn(null_name.b);
  EXPECT_THROW(decode_metadata_request(rn, 12), wire::DecodeError);
}

TEST(MetadataServer, HugeRequestCountsAreRefused) {
  const std::vector<uint8_t> v4{0x7f, 0xff, 0xff, 0xff, 0, 1, 'a', 0};
  wire::Reader a(v4);
  EXPECT_THROW(decode_metadata_request(a, 4), wire::DecodeError);
  // v10: 3 topics of at least 18 bytes cannot fit in 40.
  std::vector<uint8_t> v10{4};
  v10.resize(41, 0);
  wire::Reader b(v10);
  EXPECT_THROW(decode_metadata_request(b, 10), wire::DecodeError);
  const std::vector<uint8_t> v9{0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0};
  wire::Reader c(v9);
  EXPECT_THROW(decode_metadata_request(c, 9), wire::DecodeError);
  wire::Reader d(v9);
  EXPECT_THROW(decode_metadata_request(d, 13), std::invalid_argument);
}

}  // namespace
}  // namespace lagwatch::kafka::protocol
