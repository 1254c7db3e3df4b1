// The data-loss estimate (model/retention_risk.hpp) against records whose timestamps are known:
// librdkafka's mock cluster holds 100 records per topic stamped 51 to 41 minutes ago (CreateTime,
// 6 s apart), and a group committed at offset 10 has the record stamped exactly 50 minutes ago
// as its oldest unread one. With retention.ms one hour, retention may delete it in 600 s: below
// the KafkaConsumerDataLossImminent threshold (3600 s) while the record is still there (log
// start 0), so the alert fires before the data goes.
//
// The mock lacks DescribeConfigs, so the fronts (tests/support/kafka_fault_server.hpp) offer it:
// a response filter adds DescribeConfigs v0-1 to the mock's ApiVersions answers (and keeps the
// Metadata port rewrite KafkaFaultCluster installs, which a filter of our own replaces), and a
// responder answers DescribeConfigs with bytes built here from Kafka's DescribeConfigsResponse.json.
// Data already lost: the filter rewrites the ListOffsets earliest (timestamp -2) answer of
// orders-0 to log start 20, above the committed offset 10. Request and response bytes are
// parsed and built by this file's own code, not lagwatch's codec (the oracle must not share the
// code under test).
//
// Everything goes through collect::Poller::poll_once (lag, record-timestamp anchoring,
// retention risk) and publish::MetricsPage; the scraped values are then fed to promtool with
// the repository's recording, threshold and alert rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "collect/poller.hpp"
#include "demo/mock_cluster.hpp"
#include "kafka_fault_server.hpp"
#include "kafka_fixture.hpp"
#include "metrics_text.hpp"
#include "publish/metrics_page.hpp"
#include "snapshot_probe.hpp"
#include "test_config.hpp"

#ifndef LAGWATCH_PROMTOOL_PATH
#define LAGWATCH_PROMTOOL_PATH "/usr/bin/promtool"
#endif

namespace lagwatch {
namespace {

using testing::errors_of;

using testing::KafkaFaultCluster;
using testing::KafkaRequest;
using testing::MetricsText;
using Cursor = testing::fault_detail::Cursor;

constexpr const char* kCluster = "mock";
constexpr int16_t kApiListOffsets = 2;
constexpr int16_t kApiDescribeConfigs = 32;
constexpr int64_t kRetentionMs = 3'600'000;  // orders: one hour
constexpr int64_t kRecordSpacingMs = 6'000;
constexpr int kRecords = 100;
constexpr int64_t kCommitted = 10;
constexpr int64_t kLostLogStart = 20;              // the log start ListOffsets reports once data is lost
constexpr double kDefaultThresholdSeconds = 3600;  // lagwatch_threshold:data_loss_seconds

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- the test's own Kafka wire helpers ----------------------------------------------------

class Out {
 public:
  Out& i8(int8_t v) {
    b_.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  Out& i16(int16_t v) {
    for (int s = 8; s >= 0; s -= 8) b_.push_back(static_cast<uint8_t>(static_cast<uint16_t>(v) >> s));
    return *this;
  }
  Out& i32(int32_t v) {
    for (int s = 24; s >= 0; s -= 8) b_.push_back(static_cast<uint8_t>(static_cast<uint32_t>(v) >> s));
    return *this;
  }
  Out& uvarint(uint32_t v) {
    while (v >= 0x80) {
      b_.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    b_.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  Out& str(const std::string& s) {  // non-flexible STRING
    i16(static_cast<int16_t>(s.size()));
    b_.insert(b_.end(), s.begin(), s.end());
    return *this;
  }
  Out& null_str() { return i16(-1); }
  Out& boolean(bool v) { return i8(v ? 1 : 0); }
  Out& raw(std::span<const uint8_t> bytes) {
    b_.insert(b_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  std::vector<uint8_t> take() { return std::move(b_); }

 private:
  std::vector<uint8_t> b_;
};

void put64(std::vector<uint8_t>& frame, size_t at, int64_t v) {
  for (int i = 0; i < 8; ++i) frame.at(at + i) = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (56 - 8 * i));
}

// A request frame's cursor at the start of its body: api_key, api_version, correlation_id,
// client_id (a nullable non-compact string in every header version), and the header's tagged
// fields when the request header is v2 (`flexible`).
Cursor request_body(const KafkaRequest& r, bool flexible) {
  Cursor c(r.bytes);
  c.skip(8);
  c.skip_nullable_str(false);
  if (flexible) c.skip_tagged_fields();
  return c;
}

size_t array_length(Cursor& c, bool flexible) {
  if (flexible) {
    const uint32_t n = c.uvarint();
    return n == 0 ? 0 : n - 1;
  }
  const int32_t n = c.i32();
  return n < 0 ? 0 : static_cast<size_t>(n);
}

// ApiVersions response (header v0 in every version: only the correlation id; Kafka's
// ApiVersionsResponse.json): error_code, api_keys [api_key, min, max, tagged fields (v3+)],
// throttle_time_ms (v1+), tagged fields (v3+). Adds (or replaces) the range of `key`; answers
// with an error, or that do not parse, are left alone.
void offer_api(std::vector<uint8_t>& frame, int16_t version, int16_t key, int16_t min, int16_t max) {
  const bool flexible = version >= 3;
  try {
    Cursor c(frame);
    const int32_t correlation_id = c.i32();
    const int16_t error_code = c.i16();
    if (error_code != 0) return;
    const size_t n = array_length(c, flexible);
    std::map<int16_t, std::pair<int16_t, int16_t>> keys;
    for (size_t i = 0; i < n; ++i) {
      const int16_t k = c.i16();
      const int16_t lo = c.i16();
      const int16_t hi = c.i16();
      if (flexible) c.skip_tagged_fields();
      keys[k] = {lo, hi};
    }
    keys[key] = {min, max};
    Out o;
    o.i32(correlation_id).i16(error_code);
    if (flexible) {
      o.uvarint(static_cast<uint32_t>(keys.size() + 1));
    } else {
      o.i32(static_cast<int32_t>(keys.size()));
    }
    for (const auto& [k, range] : keys) {
      o.i16(k).i16(range.first).i16(range.second);
      if (flexible) o.uvarint(0);
    }
    o.raw(std::span<const uint8_t>(frame).subspan(c.pos()));  // throttle_time_ms, tagged fields
    frame = o.take();
  } catch (const std::runtime_error&) {
  }
}

// What one topic's DescribeConfigs answer says (config name -> value).
using TopicSettings = std::map<std::string, std::string>;

// DescribeConfigs v0-v1 (non-flexible; Kafka's DescribeConfigsRequest.json): resources
// [resource_type int8, resource_name, configuration_keys (nullable array of strings)],
// include_synonyms (v1+). The answer (DescribeConfigsResponse.json): throttle_time_ms, results
// [error_code, error_message, resource_type, resource_name, configs [name, value, read_only,
// is_default (v0), config_source (v1+), is_sensitive, synonyms (v1+)]].
std::vector<uint8_t> answer_describe_configs(const KafkaRequest& r, const std::map<std::string, TopicSettings>& topics,
                                             std::vector<std::string>& asked) {
  if (r.api_version > 1) throw std::runtime_error("DescribeConfigs v" + std::to_string(r.api_version) + " asked");
  Cursor c = request_body(r, false);
  struct Resource {
    int8_t type;
    std::string name;
    std::optional<std::vector<std::string>> keys;
  };
  std::vector<Resource> resources(array_length(c, false));
  for (auto& res : resources) {
    c.need(1);
    res.type = static_cast<int8_t>(r.bytes[c.pos()]);
    c.skip(1);
    res.name = c.str(false);
    const int32_t n = c.i32();
    if (n >= 0) {
      res.keys.emplace();
      for (int32_t i = 0; i < n; ++i) res.keys->push_back(c.str(false));
    }
  }
  if (r.api_version >= 1) c.skip(1);  // include_synonyms

  Out o;
  o.i32(0).i32(static_cast<int32_t>(resources.size()));
  for (const auto& res : resources) {
    asked.push_back(res.name);
    const auto it = topics.find(res.name);
    if (res.type != 2 || it == topics.end()) {
      o.i16(3).str("no such topic").i8(res.type).str(res.name).i32(0);  // UNKNOWN_TOPIC_OR_PARTITION
      continue;
    }
    std::vector<std::pair<std::string, std::string>> configs;
    for (const auto& [name, value] : it->second) {
      if (!res.keys || std::find(res.keys->begin(), res.keys->end(), name) != res.keys->end()) {
        configs.emplace_back(name, value);
      }
    }
    o.i16(0).null_str().i8(res.type).str(res.name).i32(static_cast<int32_t>(configs.size()));
    for (const auto& [name, value] : configs) {
      o.str(name).str(value).boolean(false);
      if (r.api_version == 0) {
        o.boolean(false);  // is_default
      } else {
        o.i8(1);  // config_source DYNAMIC_TOPIC_CONFIG
      }
      o.boolean(false);                  // is_sensitive
      if (r.api_version >= 1) o.i32(0);  // synonyms
    }
  }
  return testing::kafka_response(r.correlation_id, false, o.take());
}

// ListOffsets (Kafka's ListOffsetsRequest.json, flexible from v6): replica_id,
// isolation_level (v2+), topics [name, partitions [partition_index, current_leader_epoch (v4+),
// timestamp, max_num_offsets (v0)]]. The partitions asked for their earliest offset (-2).
std::set<std::pair<std::string, int32_t>> asked_earliest(const KafkaRequest& r) {
  const bool flexible = r.api_version >= 6;
  Cursor c = request_body(r, flexible);
  c.skip(4);
  if (r.api_version >= 2) c.skip(1);
  std::set<std::pair<std::string, int32_t>> out;
  const size_t topics = array_length(c, flexible);
  for (size_t t = 0; t < topics; ++t) {
    const std::string name = c.str(flexible);
    const size_t partitions = array_length(c, flexible);
    for (size_t p = 0; p < partitions; ++p) {
      const int32_t index = c.i32();
      if (r.api_version >= 4) c.skip(4);
      const size_t ts_at = c.pos();
      c.skip(8);
      int64_t ts = 0;
      for (int i = 0; i < 8; ++i) ts = (ts << 8) | r.bytes[ts_at + i];
      if (r.api_version == 0) c.skip(4);
      if (flexible) c.skip_tagged_fields();
      if (ts == -2) out.insert({name, index});
    }
    if (flexible) c.skip_tagged_fields();
  }
  return out;
}

// ListOffsets response v1+ (ListOffsetsResponse.json): [header tagged fields (v6+)],
// throttle_time_ms (v2+), topics [name, partitions [partition_index, error_code, timestamp,
// offset, leader_epoch (v4+)]]. Sets the offset of `which` partitions (error 0) to `offset`;
// returns how many it set.
size_t set_offsets(std::vector<uint8_t>& frame, int16_t version, const std::set<std::pair<std::string, int32_t>>& which,
                   int64_t offset) {
  if (version < 1) throw std::runtime_error("ListOffsets v0 answer");
  const bool flexible = version >= 6;
  Cursor c(frame);
  c.skip(4);
  if (flexible) c.skip_tagged_fields();
  if (version >= 2) c.skip(4);
  size_t set = 0;
  const size_t topics = array_length(c, flexible);
  for (size_t t = 0; t < topics; ++t) {
    const std::string name = c.str(flexible);
    const size_t partitions = array_length(c, flexible);
    for (size_t p = 0; p < partitions; ++p) {
      const int32_t index = c.i32();
      const int16_t error_code = c.i16();
      c.skip(8);  // timestamp
      const size_t offset_at = c.pos();
      c.skip(8);
      if (version >= 4) c.skip(4);
      if (flexible) c.skip_tagged_fields();
      if (error_code == 0 && which.count({name, index})) {
        put64(frame, offset_at, offset);
        ++set;
      }
    }
    if (flexible) c.skip_tagged_fields();
  }
  return set;
}

// ---- the cluster -------------------------------------------------------------------------

// Produces `count` records to partition 0 of each topic, record i stamped first_ms + i *
// spacing_ms (CreateTime), and waits until all are acknowledged.
void produce_stamped(const std::string& bootstrap, const std::vector<std::string>& topics, int count, int64_t first_ms,
                     int64_t spacing_ms) {
  auto producer = testing::new_client(RD_KAFKA_PRODUCER, bootstrap);
  for (const auto& topic : topics) {
    for (int i = 0; i < count; ++i) {
      std::string value = "record-" + std::to_string(i);
      auto err = rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                                   RD_KAFKA_V_VALUE(value.data(), value.size()),
                                   RD_KAFKA_V_TIMESTAMP(first_ms + i * spacing_ms),
                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
    }
  }
  if (rd_kafka_flush(producer.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("produce: flush timed out");
  }
}

// The mock with two topics of 100 stamped records each and three groups:
//   billing    orders-0 at 10: the record at offset 10 is 50 minutes old, retention 1 h
//   caught-up  orders-0 at 100, the log end: nothing unread
//   archive    forever-0 at 10: as far behind, but retention.ms -1
struct Lab {
  demo::MockCluster mock{3};
  std::unique_ptr<KafkaFaultCluster> fronts;
  int64_t t10_ms = 0;  // timestamp of the record at offset 10
  // -1: the mock's own log start; else what the orders-0 earliest ListOffsets answer says.
  std::atomic<int64_t> forced_log_start{-1};

  std::mutex mu;  // guards what follows (the fronts' I/O threads write it)
  std::vector<std::string> problems;
  std::vector<int16_t> describe_configs_versions;
  std::vector<std::string> described_topics;
  size_t apis_offered = 0;
  size_t log_starts_forced = 0;
  std::set<int16_t> list_offsets_versions;

  Lab() {
    mock.create_topic("orders", 1);
    mock.create_topic("forever", 1);
    const auto bootstrap = mock.bootstrap_servers();
    t10_ms = unix_ms() - 50 * 60 * 1000;
    const int64_t first_ms = t10_ms - kCommitted * kRecordSpacingMs;  // record 0: 51 minutes ago
    produce_stamped(bootstrap, {"orders", "forever"}, kRecords, first_ms, kRecordSpacingMs);
    testing::commit(bootstrap, "billing", {{"orders", 0, kCommitted}});
    testing::commit(bootstrap, "caught-up", {{"orders", 0, kRecords}});
    testing::commit(bootstrap, "archive", {{"forever", 0, kCommitted}});

    fronts = std::make_unique<KafkaFaultCluster>(bootstrap);
    // The filter below replaces KafkaFaultCluster's own, so it rewrites Metadata's ports too.
    auto ports = std::make_shared<std::map<int32_t, int32_t>>();
    {
      std::stringstream list(bootstrap);
      size_t i = 0;
      for (std::string one; std::getline(list, one, ','); ++i) {
        (*ports)[testing::fault_detail::split_host_port(one).second] = fronts->front(i).port();
      }
      if (i != fronts->size()) throw std::runtime_error("bootstrap list and fronts disagree");
    }
    const std::map<std::string, TopicSettings> configs{
        {"orders",
         {{"retention.ms", std::to_string(kRetentionMs)},
          {"retention.bytes", "-1"},
          {"cleanup.policy", "delete"},
          {"min.insync.replicas", "1"}}},
        {"forever",
         {{"retention.ms", "-1"},
          {"retention.bytes", "-1"},
          {"cleanup.policy", "delete"},
          {"min.insync.replicas", "1"}}},
    };
    for (size_t i = 0; i < fronts->size(); ++i) {
      auto& front = fronts->front(i);
      front.set_response_filter([this, ports](const KafkaRequest& r, std::vector<uint8_t>& frame) {
        try {
          if (r.api_key == testing::kApiMetadata) {
            testing::rewrite_metadata_ports(frame, r.api_version, *ports);
          } else if (r.api_key == testing::kApiApiVersions) {
            offer_api(frame, r.api_version, kApiDescribeConfigs, 0, 1);
            std::lock_guard lock(mu);
            ++apis_offered;
          } else if (r.api_key == kApiListOffsets) {
            const int64_t forced = forced_log_start.load();
            if (forced < 0) return;
            if (!asked_earliest(r).count({"orders", 0})) return;  // the latest offsets: left alone
            const size_t set = set_offsets(frame, r.api_version, {{"orders", 0}}, forced);
            std::lock_guard lock(mu);
            log_starts_forced += set;
            list_offsets_versions.insert(r.api_version);
          }
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          problems.push_back("api key " + std::to_string(r.api_key) + " v" + std::to_string(r.api_version) + ": " +
                             e.what());
        }
      });
      front.set_responder([this, configs](const KafkaRequest& r) -> std::optional<std::vector<uint8_t>> {
        if (r.api_key != kApiDescribeConfigs) return std::nullopt;  // everything else: the mock
        std::lock_guard lock(mu);
        describe_configs_versions.push_back(r.api_version);
        try {
          return answer_describe_configs(r, configs, described_topics);
        } catch (const std::exception& e) {
          problems.push_back(std::string("DescribeConfigs: ") + e.what());
          throw;
        }
      });
    }
  }

  // The filter and responder run on the fronts' I/O threads and use the members above: the
  // fronts go first.
  ~Lab() { fronts.reset(); }

  std::string problems_text() {
    std::lock_guard lock(mu);
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
  }
};

// One poller over the lab's fronts and the metrics page it publishes to.
struct Monitor {
  config::Config cfg;
  publish::MetricsPage page;
  std::shared_ptr<const core::ClusterView> published;
  std::unique_ptr<collect::Poller> poller;

  explicit Monitor(const Lab& lab) : cfg(testing::test_config(kCluster, lab.fronts->bootstraps(), {})) {
    cfg.clusters[0].groups.names = {"billing", "caught-up", "archive"};
    cfg.log_dirs.enabled = true;  // the mock has no DescribeLogDirs: marked unsupported
    poller =
        std::make_unique<collect::Poller>(cfg, cfg.clusters[0], [this](std::shared_ptr<const core::ClusterView> v) {
          published = v;
          page.update(std::move(v));
        });
  }

  MetricsText metrics() const { return MetricsText(page.scrape(false).data()); }
};

const model::PartitionLag* find_lag(const core::ClusterView& view, const std::string& group, const std::string& topic,
                                    int32_t partition) {
  for (const auto& g : view.lag) {
    if (g.group != group) continue;
    for (const auto& p : g.partitions) {
      if (p.topic == topic && p.partition == partition) return &p;
    }
  }
  return nullptr;
}

const model::Partition* find_partition(const model::ClusterSnapshot& snap, const std::string& topic,
                                       int32_t partition) {
  const model::Topic* t = snap.find_topic(topic);
  return t ? t->find(partition) : nullptr;
}

using Labels = std::vector<std::pair<std::string, std::string>>;
Labels group_labels(const std::string& group) { return {{"cluster", kCluster}, {"consumergroup", group}}; }
Labels partition_labels(const std::string& group, const std::string& topic) {
  return {{"cluster", kCluster}, {"consumergroup", group}, {"topic", topic}, {"partition", "0"}};
}

constexpr const char* kPartitionUntilLoss = "lagwatch_consumergroup_partition_seconds_until_data_loss";
constexpr const char* kGroupUntilLoss = "lagwatch_consumergroup_seconds_until_data_loss";
constexpr const char* kPartitionLost = "lagwatch_consumergroup_partition_data_lost";
constexpr const char* kGroupLost = "lagwatch_consumergroup_data_lost_partitions";

// One poll, timed: the wall clock before and after it bounds the poll's "now".
struct Poll {
  std::shared_ptr<const core::ClusterView> view;
  double before_s = 0, after_s = 0;  // unix seconds
  double seconds = 0;                // how long poll_once took
};

Poll poll(Monitor& monitor) {
  Poll p;
  p.before_s = static_cast<double>(unix_ms()) / 1000.0;
  const auto start = std::chrono::steady_clock::now();
  p.view = monitor.poller->poll_once();
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  p.after_s = static_cast<double>(unix_ms()) / 1000.0;
  return p;
}

// The measured values of the imminent-loss poll, for the promtool test.
struct Scraped {
  double group_until_loss = 0;
  double partition_until_loss = 0;
  double max_lag_seconds = 0;
  double cluster_up = 0;
};

// Polls the healthy lab and asserts the estimate; returns the scraped values.
Scraped expect_imminent_loss(Lab& lab, Monitor& monitor) {
  const Poll p = poll(monitor);
  Scraped out;
  EXPECT_TRUE(p.view);
  if (!p.view) return out;
  EXPECT_EQ(monitor.published, p.view);  // the publish callback got this poll's view
  const auto& snap = *p.view->snapshot;
  EXPECT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(lab.problems_text(), "");
  std::printf("[ poll     ] %.3f s\n", p.seconds);

  // DescribeConfigs: offered by the patched ApiVersions, answered by the responder at v1 (the
  // highest both sides speak), and the configs arrived.
  {
    std::lock_guard lock(lab.mu);
    EXPECT_GT(lab.apis_offered, 0u);
    EXPECT_EQ(lab.describe_configs_versions, std::vector<int16_t>{1});
    EXPECT_EQ(std::set<std::string>(lab.described_topics.begin(), lab.described_topics.end()),
              (std::set<std::string>{"orders", "forever"}));
  }
  const auto& u = snap.unsupported_apis;
  EXPECT_EQ(std::find(u.begin(), u.end(), "DescribeConfigs"), u.end());
  EXPECT_NE(std::find(u.begin(), u.end(), "DescribeLogDirs"), u.end());
  EXPECT_FALSE(snap.log_dirs_known);
  const auto orders_cfg = snap.topic_configs.find("orders");
  EXPECT_NE(orders_cfg, snap.topic_configs.end());
  if (orders_cfg != snap.topic_configs.end()) {
    EXPECT_EQ(orders_cfg->second.retention_ms, kRetentionMs);
    EXPECT_EQ(orders_cfg->second.retention_bytes, -1);
    EXPECT_EQ(orders_cfg->second.cleanup_policy, "delete");
    EXPECT_EQ(orders_cfg->second.min_insync_replicas, 1);
  }
  const auto forever_cfg = snap.topic_configs.find("forever");
  EXPECT_NE(forever_cfg, snap.topic_configs.end());
  if (forever_cfg != snap.topic_configs.end()) {
    EXPECT_EQ(forever_cfg->second.retention_ms, -1);
  }

  // The record is still there: log start 0 <= committed 10 < log end 100.
  const auto* orders0 = find_partition(snap, "orders", 0);
  EXPECT_TRUE(orders0);
  if (orders0) {
    EXPECT_EQ(orders0->log_start_offset, 0);
    EXPECT_EQ(orders0->log_end_offset, kRecords);
  }

  // Lag in seconds anchored on the record at offset 10 (the history is one poll old): its age,
  // now - T10, where now is the moment the offsets were read, within this poll.
  const double t10_s = static_cast<double>(lab.t10_ms) / 1000.0;
  const auto* billing = find_lag(*p.view, "billing", "orders", 0);
  EXPECT_TRUE(billing);
  if (!billing) return out;
  EXPECT_EQ(billing->committed_offset, kCommitted);
  EXPECT_EQ(billing->lag, kRecords - kCommitted);
  EXPECT_FALSE(billing->lag_seconds_lower_bound);
  EXPECT_GE(billing->lag_seconds, p.before_s - t10_s - 1.0);
  EXPECT_LE(billing->lag_seconds, p.after_s - t10_s + 1.0);
  // T10 is 50 minutes before the lab was set up, a moment before this poll.
  EXPECT_GE(billing->lag_seconds, 3000.0);
  EXPECT_LT(billing->lag_seconds, 3060.0);
  // By time: retention.ms / 1000 - lag seconds, about 600 s; below the default threshold.
  EXPECT_TRUE(billing->seconds_until_deleted);
  if (!billing->seconds_until_deleted) return out;
  const double until = *billing->seconds_until_deleted;
  EXPECT_NEAR(until, kRetentionMs / 1000.0 - billing->lag_seconds, 1e-6);
  EXPECT_GE(until, kRetentionMs / 1000.0 - (p.after_s - t10_s) - 1.0);
  EXPECT_LE(until, kRetentionMs / 1000.0 - (p.before_s - t10_s) + 1.0);
  EXPECT_LE(until, 600.0);
  EXPECT_GT(until, 540.0);
  EXPECT_LT(until, kDefaultThresholdSeconds);
  EXPECT_EQ(billing->deletion_limit, "time");
  EXPECT_FALSE(billing->data_lost);
  std::printf("[ measured ] lag_seconds %.3f (now - T10 in [%.3f, %.3f]), seconds_until_data_loss %.3f\n",
              billing->lag_seconds, p.before_s - t10_s, p.after_s - t10_s, until);

  // The page: both series carry the estimate; nothing is lost.
  const auto m = monitor.metrics();
  const auto partition_until = m.get(kPartitionUntilLoss, partition_labels("billing", "orders"));
  const auto group_until = m.get(kGroupUntilLoss, group_labels("billing"));
  EXPECT_TRUE(partition_until && group_until);
  if (partition_until) {
    EXPECT_NEAR(*partition_until, until, 1e-3);
  }
  if (group_until) {
    EXPECT_NEAR(*group_until, until, 1e-3);
  }
  const auto lag_seconds = m.get("lagwatch_consumergroup_lag_seconds", partition_labels("billing", "orders"));
  EXPECT_TRUE(lag_seconds);
  if (lag_seconds) {
    EXPECT_NEAR(*lag_seconds, billing->lag_seconds, 1e-3);
  }
  EXPECT_EQ(m.get("lagwatch_consumergroup_lag_seconds_is_lower_bound", partition_labels("billing", "orders")),
            std::nullopt);
  EXPECT_EQ(m.get(kPartitionLost, partition_labels("billing", "orders")), std::nullopt);
  EXPECT_EQ(m.get(kGroupLost, group_labels("billing")), 0);

  // caught-up: committed at the log end, nothing unread, so no estimate.
  const auto* caught_up = find_lag(*p.view, "caught-up", "orders", 0);
  EXPECT_TRUE(caught_up);
  if (caught_up) {
    EXPECT_EQ(caught_up->lag, 0);
    EXPECT_FALSE(caught_up->seconds_until_deleted);
  }
  EXPECT_EQ(m.get("kafka_consumergroup_lag", partition_labels("caught-up", "orders")), 0);
  EXPECT_EQ(m.get(kPartitionUntilLoss, partition_labels("caught-up", "orders")), std::nullopt);
  EXPECT_EQ(m.get(kGroupUntilLoss, group_labels("caught-up")), std::nullopt);
  EXPECT_EQ(m.get(kGroupLost, group_labels("caught-up")), 0);

  // archive: as far behind on a topic with retention.ms -1 (and retention.bytes -1): no limit.
  const auto* archive = find_lag(*p.view, "archive", "forever", 0);
  EXPECT_TRUE(archive);
  if (archive) {
    EXPECT_EQ(archive->lag, kRecords - kCommitted);
    EXPECT_NEAR(archive->lag_seconds, billing->lag_seconds, 2.0);
    EXPECT_FALSE(archive->seconds_until_deleted);
    EXPECT_FALSE(archive->data_lost);
  }
  EXPECT_TRUE(m.get("lagwatch_consumergroup_lag_seconds", partition_labels("archive", "forever")));
  EXPECT_EQ(m.get(kPartitionUntilLoss, partition_labels("archive", "forever")), std::nullopt);
  EXPECT_EQ(m.get(kGroupUntilLoss, group_labels("archive")), std::nullopt);
  EXPECT_EQ(m.count(kPartitionUntilLoss), 1u);
  EXPECT_EQ(m.count(kGroupUntilLoss), 1u);

  out.group_until_loss = group_until.value_or(0);
  out.partition_until_loss = partition_until.value_or(0);
  out.max_lag_seconds = m.get("lagwatch_consumergroup_max_lag_seconds", group_labels("billing")).value_or(0);
  out.cluster_up = m.get("lagwatch_cluster_up", {{"cluster", kCluster}}).value_or(0);
  EXPECT_NEAR(out.max_lag_seconds, billing->lag_seconds, 1e-3);
  EXPECT_EQ(out.cluster_up, 1);
  return out;
}

// Polls the lab once orders-0's log start (20) passed billing's committed offset (10).
void expect_data_lost(Lab& lab, Monitor& monitor) {
  lab.forced_log_start = kLostLogStart;
  const Poll p = poll(monitor);
  EXPECT_TRUE(p.view);
  if (!p.view) return;
  const auto& snap = *p.view->snapshot;
  EXPECT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(lab.problems_text(), "");
  std::string versions;
  {
    std::lock_guard lock(lab.mu);
    EXPECT_GT(lab.log_starts_forced, 0u);
    for (int16_t v : lab.list_offsets_versions) versions += " v" + std::to_string(v);
  }
  std::printf("[ poll     ] %.3f s (log start %lld, ListOffsets%s rewritten)\n", p.seconds,
              static_cast<long long>(kLostLogStart), versions.c_str());
  const auto* orders0 = find_partition(snap, "orders", 0);
  EXPECT_TRUE(orders0);
  if (orders0) {
    EXPECT_EQ(orders0->log_start_offset, kLostLogStart);
    EXPECT_EQ(orders0->log_end_offset, kRecords);
  }
  const auto* forever0 = find_partition(snap, "forever", 0);
  EXPECT_TRUE(forever0);
  if (forever0) {
    EXPECT_EQ(forever0->log_start_offset, 0);  // only orders-0 was rewritten
  }

  const auto* billing = find_lag(*p.view, "billing", "orders", 0);
  EXPECT_TRUE(billing);
  if (billing) {
    EXPECT_EQ(billing->committed_offset, kCommitted);
    EXPECT_TRUE(billing->data_lost);
    EXPECT_EQ(billing->deletion_limit, "deleted");
  }
  const auto* caught_up = find_lag(*p.view, "caught-up", "orders", 0);
  if (caught_up) {
    EXPECT_FALSE(caught_up->data_lost);
  }

  const auto m = monitor.metrics();
  EXPECT_EQ(m.get(kPartitionLost, partition_labels("billing", "orders")), 1);
  EXPECT_EQ(m.get(kGroupLost, group_labels("billing")), 1);
  EXPECT_EQ(m.get(kPartitionUntilLoss, partition_labels("billing", "orders")), std::nullopt);
  EXPECT_EQ(m.get(kGroupUntilLoss, group_labels("billing")), std::nullopt);
  EXPECT_EQ(m.get(kPartitionLost, partition_labels("caught-up", "orders")), std::nullopt);
  EXPECT_EQ(m.get(kGroupLost, group_labels("caught-up")), 0);
  EXPECT_EQ(m.get(kGroupLost, group_labels("archive")), 0);
  EXPECT_EQ(m.count(kPartitionLost), 1u);
}

TEST(KafkaDataLoss, EstimateFromTheRecordTimestampIsBelowTheThresholdWhileTheDataIsThere) {
  const auto start = std::chrono::steady_clock::now();
  Lab lab;
  Monitor monitor(lab);
  expect_imminent_loss(lab, monitor);
  std::printf("[ total    ] %.3f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

TEST(KafkaDataLoss, CommittedOffsetBelowTheLogStartIsDataLost) {
  Lab lab;
  lab.forced_log_start = kLostLogStart;
  Monitor monitor(lab);
  expect_data_lost(lab, monitor);
}

// ---- the alerts, end to end -----------------------------------------------------------------

std::string fixed(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// Runs `promtool test rules` on `test_yaml` (rule_files prepended); returns (exit code, output).
std::pair<int, std::string> promtool_test(const std::string& name, const std::string& test_yaml) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("lagwatch-data-loss-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::create_directories(dir);
  const std::string rules = std::string(LAGWATCH_SOURCE_DIR) + "/rules/";
  const auto file = dir / "test.yml";
  {
    std::ofstream out(file);
    out << "rule_files:\n"
        << "  - " << rules << "lagwatch-recording.yml\n"
        << "  - " << rules << "lagwatch-thresholds.yml\n"
        << "  - " << rules << "lagwatch-alerts.yml\n"
        << "evaluation_interval: 1m\n"
        << test_yaml;
  }
  testing::ChildProcess promtool(LAGWATCH_PROMTOOL_PATH, {"test", "rules", file.string()}, (dir / "out.log").string());
  const auto code = promtool.wait_exit(std::chrono::seconds(60));
  std::string output = promtool.output();
  std::filesystem::remove_all(dir);
  return {code.value_or(-1), output};
}

// The scraped series of billing as promtool input: `until` for minutes 0-10, then (minutes
// 11-20) what the page shows once the data is lost: no estimate, one lost partition.
std::string input_series(const Scraped& s, double until) {
  const std::string job = R"(job="lagwatch",instance="lagwatch:9721",cluster="mock")";
  const std::string group = job + R"(,consumergroup="billing")";
  const std::string partition = group + R"(,topic="orders",partition="0")";
  std::string y = "    input_series:\n";
  auto series = [&](const std::string& name, const std::string& labels, const std::string& values) {
    y += "      - series: '" + name + "{" + labels + "}'\n        values: '" + values + "'\n";
  };
  series("lagwatch_cluster_up", job, fixed(s.cluster_up) + "x20");
  series(kGroupUntilLoss, group, fixed(until) + "x10 _x10");
  series(kPartitionUntilLoss, partition, fixed(until) + "x10 _x10");
  series("lagwatch_consumergroup_max_lag_seconds", group, fixed(s.max_lag_seconds) + "+60x20");
  series(kGroupLost, group, "0x10 1x10");
  series(kPartitionLost, partition, "_x10 1x10");
  return y;
}

// ALERTS{alertname=...} at `minute`: the alert's state with the labels the rule gives it,
// or nothing. (alert_rule_test compares the annotations too, which quote the humanized
// estimate; the ALERTS series carries the state and labels alone.)
std::string alerts_at(const std::string& alert, int minute, const std::string& state) {
  std::string y = "      - expr: 'ALERTS{alertname=\"" + alert + "\"}'\n        eval_time: " + std::to_string(minute) +
                  "m\n        exp_samples:";
  if (state.empty()) return y + " []\n";
  return y + "\n          - labels: 'ALERTS{alertname=\"" + alert + "\",alertstate=\"" + state +
         "\",cluster=\"mock\",consumergroup=\"billing\",severity=\"critical\"}'\n            value: 1\n";
}

TEST(KafkaDataLoss, DataLossImminentFiresBeforeTheDataGoesAndDataLostAfter) {
  const auto start = std::chrono::steady_clock::now();
  Lab lab;
  Monitor monitor(lab);
  const Scraped s = expect_imminent_loss(lab, monitor);
  ASSERT_FALSE(::testing::Test::HasFailure());
  expect_data_lost(lab, monitor);
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_GT(s.group_until_loss, 540.0);
  EXPECT_LE(s.group_until_loss, 600.0);

  // The scraped estimate, about 600 s, for 10 minutes with the data there (log start 0), then
  // the data gone. KafkaConsumerDataLossImminent (for: 5m) is pending at 4m and firing at 10m,
  // while every record is still readable; once the estimate is gone (stale 5 minutes after
  // its last sample) it resolves, and KafkaConsumerDataLost (for: 1m) fires. (Not asserted at
  // 5m: the alert may become active one evaluation late, when its group is evaluated before
  // the threshold's recording rule at 0m; promtool orders groups of different files freely.)
  std::string firing = "tests:\n  - name: scraped estimate below the threshold\n    interval: 1m\n" +
                       input_series(s, s.group_until_loss) + "    promql_expr_test:\n";
  firing += alerts_at("KafkaConsumerDataLossImminent", 4, "pending");
  firing += alerts_at("KafkaConsumerDataLossImminent", 10, "firing");
  firing += alerts_at("KafkaConsumerDataLost", 10, "");
  firing += alerts_at("KafkaConsumerDataLossImminent", 20, "");
  firing += alerts_at("KafkaConsumerDataLost", 11, "pending");
  firing += alerts_at("KafkaConsumerDataLost", 12, "firing");
  firing +=
      "    alert_rule_test:\n"
      "      - eval_time: 10m\n"
      "        alertname: KafkaConsumerDataLost\n"
      "        exp_alerts: []\n";
  const auto [code, output] = promtool_test("firing", firing);
  EXPECT_EQ(code, 0) << output << "\n" << firing;

  // The same with 7200 s left: above the threshold, no KafkaConsumerDataLossImminent at all.
  std::string quiet =
      "tests:\n  - name: two hours left\n    interval: 1m\n" + input_series(s, 7200) + "    promql_expr_test:\n";
  for (int minute : {4, 5, 10, 20}) quiet += alerts_at("KafkaConsumerDataLossImminent", minute, "");
  quiet +=
      "    alert_rule_test:\n"
      "      - eval_time: 10m\n"
      "        alertname: KafkaConsumerDataLossImminent\n"
      "        exp_alerts: []\n";
  const auto [quiet_code, quiet_output] = promtool_test("quiet", quiet);
  EXPECT_EQ(quiet_code, 0) << quiet_output << "\n" << quiet;

  // And the check itself can fail: expecting no alert where the scraped estimate fires must.
  std::string wrong = "tests:\n  - name: must fail\n    interval: 1m\n" + input_series(s, s.group_until_loss) +
                      "    alert_rule_test:\n"
                      "      - eval_time: 10m\n"
                      "        alertname: KafkaConsumerDataLossImminent\n"
                      "        exp_alerts: []\n";
  const auto [wrong_code, wrong_output] = promtool_test("wrong", wrong);
  EXPECT_NE(wrong_code, 0) << wrong_output;
  EXPECT_NE(wrong_output.find("KafkaConsumerDataLossImminent"), std::string::npos) << wrong_output;
  std::printf("[ total    ] %.3f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace
}  // namespace lagwatch
