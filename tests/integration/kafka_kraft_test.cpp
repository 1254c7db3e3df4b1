// lagwatch on a KRaft cluster (Kafka 4): the captured Kafka 2.4.0 cluster
// (tests/support/kafka_capture_cluster.hpp) made to look like one. Its ApiVersions answers are
// patched to offer DescribeQuorum 0-2, DescribeCluster 0-2 and ConsumerGroupDescribe 0-1, which
// Kafka 2.4 lacks, and the fronts answer those three APIs here (set_override) with responses
// built by lagwatch's own response encoders (kafka/protocol/*.hpp, the test brokers' side of
// the codec), each after decoding the request with lagwatch's request decoder. Everything else
// (Metadata, ListOffsets, ListGroups v3, OffsetFetch, DescribeConfigs, DescribeLogDirs) is the
// replay of the real brokers' bytes.
//
// Kafka 2.4's ListGroups goes only to v3, which has no group type (v5, KIP-848): a group of the
// new consumer protocol is found as Kafka 4 shows it to a classic DescribeGroups, with
// GROUP_ID_NOT_FOUND ("not a classic group"; the override answers that for the groups a test
// makes KIP-848 ones and splices the replay's captured entries in for the others), and is then
// described by ConsumerGroupDescribe.
//
// Each test goes through collect::ClusterCollector::poll() and then through the metrics page
// (publish::MetricsPage), as the poller publishes a view.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collect/cluster_collector.hpp"
#include "core/cluster_view.hpp"
#include "kafka/protocol/consumer_group_describe.hpp"
#include "kafka/protocol/describe_cluster.hpp"
#include "kafka/protocol/describe_quorum.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"
#include "kafka_capture_cluster.hpp"
#include "metrics_text.hpp"
#include "model/lag.hpp"
#include "publish/metrics_page.hpp"
#include "snapshot_probe.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using testing::errors_of;
using testing::find_group;
using testing::requests;

using testing::KafkaCaptureCluster;
using testing::KafkaRequest;
using testing::MetricsText;
namespace readme = testing::readme;
namespace replay = testing::replay;
namespace protocol = kafka::protocol;

constexpr auto kTimeout = std::chrono::milliseconds(2000);
constexpr const char* kCluster = "kraft";
constexpr int16_t kGroupIdNotFound = 69;  // GROUP_ID_NOT_FOUND (Kafka's Errors)

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A voter as the quorum leader reports it: the leader's own entry carries the leader's clock
// (Kafka's LeaderState reports the current time as its own last fetch and caught-up time).
protocol::DescribeQuorumReplicaState replica(int32_t id, int64_t log_end_offset, int64_t last_fetch_ms) {
  protocol::DescribeQuorumReplicaState r;
  r.replica_id = id;
  r.log_end_offset = log_end_offset;
  r.last_fetch_timestamp = last_fetch_ms;
  r.last_caught_up_timestamp = last_fetch_ms;
  return r;
}

// `__cluster_metadata` partition 0 led by `leader` (-1: none) with voters 1, 2, 3; the
// followers fetched `follower_fetch_age_ms` before the leader's clock (`followers_behind`: the
// voters that lag that much; the others fetched 200 ms ago).
protocol::DescribeQuorumResponse quorum(int32_t leader, int32_t epoch = 5, std::set<int32_t> followers_behind = {},
                                        int64_t follower_fetch_age_ms = 0) {
  const int64_t now = now_ms();
  protocol::DescribeQuorumResponsePartition p;
  p.partition_index = 0;
  p.leader_id = leader;
  p.leader_epoch = epoch;
  p.high_watermark = 4711;
  for (int32_t id = 1; id <= 3; ++id) {
    if (id == leader) {
      p.current_voters.push_back(replica(id, 4711, now));
    } else if (followers_behind.count(id)) {
      p.current_voters.push_back(replica(id, 4700, now - follower_fetch_age_ms));
    } else {
      p.current_voters.push_back(replica(id, 4711, now - 200));
    }
  }
  protocol::DescribeQuorumResponse q;
  q.topics.push_back({protocol::kClusterMetadataTopic, {p}});
  return q;
}

// A KIP-848 group as ConsumerGroupDescribe tells it.
struct Kip848Member {
  std::string member_id, client_id;
  std::vector<std::pair<std::string, std::vector<int32_t>>> assignment;
};
struct Kip848Group {
  std::string state = "Stable";
  int32_t epoch = 1;
  std::vector<Kip848Member> members;
};

// A made-up topic id per topic (Kafka 2.4 has none; lagwatch reads the names).
std::string topic_id(const std::string& topic) {
  std::string id(16, '\0');
  for (size_t i = 0; i < topic.size() && i < 16; ++i) id[i] = topic[i];
  id[15] = '\x48';
  return id;
}

class KraftCluster : public ::testing::Test {
 protected:
  // `kraft` false: the plain Kafka 2.4 (ZooKeeper) ApiVersions answers.
  // `list_groups_v5`: the brokers answer ListGroups v5 (Kafka 3.8+), which types each group
  // "classic" or "consumer".
  void start(bool kraft = true, bool list_groups_v5 = false) {
    if (kraft) {
      cluster.advertise(replay::kDescribeQuorum, 2);
      cluster.advertise(replay::kDescribeCluster, 2);
      cluster.advertise(replay::kConsumerGroupDescribe, 1);
    }
    if (list_groups_v5) cluster.advertise(replay::kListGroups, 5);
    cluster.set_override([this](int32_t broker, const KafkaRequest& r) { return answer(broker, r); });
    auto cfg = testing::test_config(kCluster, cluster.bootstraps(), {});
    cfg.poll.request_timeout = kTimeout;
    cfg.clusters[0].groups.discover = true;  // ListGroups v3 per broker, as in the replay test
    collector = std::make_unique<collect::ClusterCollector>(cfg.clusters[0], cfg.poll, cfg.log_dirs);
  }

  void TearDown() override {
    for (const auto& gap : cluster.gaps()) ADD_FAILURE() << "the replay could not answer: " << gap;
    std::lock_guard lock(mu);
    for (const auto& p : problems) ADD_FAILURE() << p;
  }

  // One poll, published as the poller does and rendered.
  model::ClusterSnapshot poll() {
    auto snap = std::make_shared<model::ClusterSnapshot>(collector->poll());
    auto view = std::make_shared<core::ClusterView>();
    view->lag = model::compute_lag(*snap, nullptr);
    view->stats.up = snap->metadata_ok;
    view->stats.polls = ++polls;
    view->snapshot = snap;
    page.update(view);
    metrics.emplace(page.scrape(false).data());
    std::cout << "poll " << polls << ":";
    for (const auto& [api, n] : snap->requests) std::cout << " " << api << " " << n;
    std::cout << "\n";
    return *snap;
  }

  std::optional<double> metric(const std::string& name, std::vector<std::pair<std::string, std::string>> labels = {}) {
    labels.emplace_back("cluster", kCluster);
    return metrics->get(name, labels);
  }

  void set_quorum(protocol::DescribeQuorumResponse q) {
    std::lock_guard lock(mu);
    quorum_ = std::move(q);
  }
  void set_fenced(std::set<int32_t> fenced) {
    std::lock_guard lock(mu);
    fenced_ = std::move(fenced);
  }
  // `group` becomes a KIP-848 group: DescribeGroups answers GROUP_ID_NOT_FOUND for it and
  // ConsumerGroupDescribe describes it (from its coordinator in the healthy phase).
  void set_kip848(const std::string& group, Kip848Group g) {
    std::lock_guard lock(mu);
    kip848_[group] = std::move(g);
  }

  // What the override saw.
  std::vector<std::pair<int32_t, std::vector<std::string>>> consumer_group_describes() {
    std::lock_guard lock(mu);
    return consumer_group_describes_;
  }
  std::vector<std::pair<int16_t, bool>> describe_clusters() {  // version, include_fenced_brokers
    std::lock_guard lock(mu);
    return describe_clusters_;
  }
  std::vector<std::string> describe_groups_asked() {  // every group named in a DescribeGroups
    std::lock_guard lock(mu);
    return describe_groups_asked_;
  }

  std::mutex mu;  // guards problems and everything the override reads or records
  std::vector<std::string> problems;
  std::unique_ptr<collect::ClusterCollector> collector;
  publish::MetricsPage page;
  std::optional<MetricsText> metrics;  // of the last poll
  uint64_t polls = 0;

 private:
  using Answer = std::optional<std::vector<uint8_t>>;

  Answer problem(const std::string& what) {
    std::lock_guard lock(mu);
    problems.push_back(what);
    return std::nullopt;
  }

  Answer answer(int32_t broker, const KafkaRequest& r) {
    const std::string what =
        replay::api_name(r.api_key) + " v" + std::to_string(r.api_version) + " to broker " + std::to_string(broker);
    try {
      replay::In in(r.bytes);
      replay::read_header(in);  // knows that DescribeQuorum, DescribeCluster and ConsumerGroupDescribe are flexible
      const auto body = std::span<const uint8_t>(r.bytes).subspan(in.pos());
      kafka::wire::Reader reader(body);
      kafka::wire::Writer w;
      switch (r.api_key) {
        case replay::kDescribeQuorum: {
          if (protocol::decode_describe_quorum_request(reader, r.api_version) !=
              protocol::cluster_metadata_quorum_request()) {
            return problem(what + ": not a request for __cluster_metadata partition 0");
          }
          std::lock_guard lock(mu);
          protocol::encode(w, quorum_, r.api_version);
          break;
        }
        case replay::kDescribeCluster: {
          const auto q = protocol::decode_describe_cluster_request(reader, r.api_version);
          protocol::DescribeClusterResponse resp;
          resp.cluster_id = "8JHCp0U4RHidtwDAY8oJiQ";
          resp.controller_id = 2;  // KRaft: a random live broker, not the active controller
          for (int32_t id = 1; id <= 3; ++id) {
            resp.brokers.push_back({id, "127.0.0.1", static_cast<int32_t>(cluster.front(id).port()), std::nullopt});
          }
          std::lock_guard lock(mu);
          describe_clusters_.emplace_back(r.api_version, q.include_fenced_brokers);
          // A fenced broker is listed only to a v2+ request that asks for it (as Kafka 4 does).
          if (q.include_fenced_brokers) {
            for (int32_t id : fenced_) resp.brokers.push_back({id, "127.0.0.1", 9099, std::nullopt, true});
          }
          protocol::encode(w, resp, r.api_version);
          break;
        }
        case replay::kConsumerGroupDescribe: {
          const auto q = protocol::decode_consumer_group_describe_request(reader, r.api_version);
          protocol::ConsumerGroupDescribeResponse resp;
          std::lock_guard lock(mu);
          consumer_group_describes_.emplace_back(broker, q.group_ids);
          for (const auto& id : q.group_ids) resp.groups.push_back(describe(broker, id));
          protocol::encode(w, resp, r.api_version);
          break;
        }
        case replay::kDescribeGroups:
          return describe_groups(broker, r, in);
        case replay::kListGroups:
          if (r.api_version < 5) return std::nullopt;  // the replay's captured v3 answers
          list_groups_v5(broker, w);                   // its filters (states, types) are left unread: none is sent
          return testing::kafka_response(r.correlation_id, true, w.bytes());
        default:
          return std::nullopt;  // the replay
      }
      if (!reader.at_end()) return problem(what + ": request has bytes after its body");
      return testing::kafka_response(r.correlation_id, true, w.bytes());
    } catch (const std::exception& e) {
      return problem(what + " does not parse: " + e.what());
    }
  }

  // ConsumerGroupDescribe's entry for `id`, asked of `broker`; mu held.
  protocol::ConsumerGroupDescribeGroup describe(int32_t broker, const std::string& id) {
    protocol::ConsumerGroupDescribeGroup out;
    out.group_id = id;
    const auto it = kip848_.find(id);
    if (it == kip848_.end()) {
      out.error_code = kGroupIdNotFound;  // a classic group: "not a consumer group"
      return out;
    }
    if (KafkaCaptureCluster::coordinator("healthy", id) != broker) {
      out.error_code = replay::kNotCoordinator;
      return out;
    }
    out.group_state = it->second.state;
    out.group_epoch = it->second.epoch;
    out.assignment_epoch = it->second.epoch;
    out.assignor_name = "uniform";
    for (const auto& m : it->second.members) {
      protocol::ConsumerGroupDescribeMember member;
      member.member_id = m.member_id;
      member.member_epoch = it->second.epoch;
      member.client_id = m.client_id;
      member.client_host = "/127.0.0.1";
      for (const auto& [topic, partitions] : m.assignment) {
        member.subscribed_topic_names.push_back(topic);
        member.assignment.topic_partitions.push_back({topic_id(topic), topic, partitions});
      }
      member.target_assignment = member.assignment;
      member.member_type = 1;
      out.members.push_back(std::move(member));
    }
    return out;
  }

  // DescribeGroups v5 naming a KIP-848 group: GROUP_ID_NOT_FOUND for it, the replay's captured
  // entries for the classic ones; a request without one falls through to the replay.
  // ListGroups v5, flexible, from the spec's field list: throttle_time_ms, error_code, groups
  // [group_id, protocol_type, group_state, group_type, tags], tags. Each broker lists the groups
  // it coordinates in the healthy phase, typed by whether the test made them KIP-848 groups.
  void list_groups_v5(int32_t broker, kafka::wire::Writer& w) {
    std::lock_guard lock(mu);
    w.int32(0);
    w.int16(0);
    std::vector<std::string> mine;
    for (const auto& g : readme::groups()) {
      if (KafkaCaptureCluster::coordinator("healthy", g) == broker) mine.push_back(g);
    }
    w.array_length(mine.size(), true);
    for (const auto& g : mine) {
      const bool kip848 = kip848_.count(g) > 0;
      w.string(g, true);
      w.string("consumer", true);
      w.string(kip848 ? kip848_.at(g).state : "Stable", true);
      w.string(kip848 ? "consumer" : "classic", true);
      w.no_tagged_fields();
    }
    w.no_tagged_fields();
  }

  Answer describe_groups(int32_t broker, const KafkaRequest& r, replay::In& in) {
    const auto asked = replay::read_describe_groups_request(in, r.api_version);
    {
      std::lock_guard lock(mu);
      describe_groups_asked_.insert(describe_groups_asked_.end(), asked.begin(), asked.end());
    }
    std::vector<std::vector<uint8_t>> entries;
    bool any = false;
    {
      std::lock_guard lock(mu);
      for (const auto& g : asked) any = any || kip848_.count(g);
    }
    if (!any) return std::nullopt;
    for (const auto& g : asked) {
      bool kip848 = false;
      {
        std::lock_guard lock(mu);
        kip848 = kip848_.count(g) > 0;
      }
      if (KafkaCaptureCluster::coordinator("healthy", g) != broker) {
        return problem("DescribeGroups for " + g + " to broker " + std::to_string(broker) + ", not its coordinator");
      }
      if (kip848) {
        entries.push_back(replay::describe_groups_error_entry(g, kGroupIdNotFound));
        continue;
      }
      auto entry = KafkaCaptureCluster::describe_groups_entry("healthy", broker, g);
      if (!entry) return problem("no captured DescribeGroups entry for " + g);
      entries.push_back(std::move(*entry));
    }
    return replay::response_frame(replay::kDescribeGroups, 5, r.correlation_id, replay::describe_groups_body(entries));
  }

  protocol::DescribeQuorumResponse quorum_ = quorum(1);
  std::set<int32_t> fenced_;
  std::map<std::string, Kip848Group> kip848_;
  std::vector<std::pair<int32_t, std::vector<std::string>>> consumer_group_describes_;
  std::vector<std::pair<int16_t, bool>> describe_clusters_;
  std::vector<std::string> describe_groups_asked_;

 protected:
  // Last: destroyed first, so the fronts' I/O threads stop before the members answer() uses.
  KafkaCaptureCluster cluster{"healthy"};
};

// analytics as a KIP-848 group: the README's two members (their client ids and assignments of
// orders), now of the consumer protocol.
Kip848Group analytics(int32_t epoch) {
  return {"Stable",
          epoch,
          {{"analytics-1-kip848", "analytics-1", {{"orders", {0, 1, 2}}}},
           {"analytics-2-kip848", "analytics-2", {{"orders", {3, 4, 5}}}}}};
}

// a. A healthy quorum: leader 1, voters 1, 2, 3 all fetched within the last second.
TEST_F(KraftCluster, HealthyQuorumNamesTheActiveController) {
  start();
  auto snap = poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.kraft, true);
  EXPECT_EQ(snap.controller_id, 1);
  ASSERT_TRUE(snap.quorum);
  EXPECT_EQ(snap.quorum->leader_id, 1);
  EXPECT_EQ(snap.quorum->leader_epoch, 5);
  EXPECT_EQ(snap.quorum->high_watermark, 4711);
  ASSERT_EQ(snap.quorum->voters.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(snap.quorum->voters[i].id, static_cast<int32_t>(i + 1));
    EXPECT_TRUE(snap.quorum->voters[i].last_fetch_ms);  // DescribeQuorum v1+ (v2 here)
  }
  EXPECT_TRUE(snap.quorum->observers.empty());
  EXPECT_TRUE(snap.fenced_brokers.empty());
  EXPECT_EQ(requests(snap, "DescribeQuorum"), 1u);
  EXPECT_EQ(requests(snap, "DescribeCluster"), 1u);
  EXPECT_EQ(describe_clusters(), (std::vector<std::pair<int16_t, bool>>{{2, true}}));

  EXPECT_EQ(metrics->count("kafka_controller_kafkacontroller_activecontrollercount"), 3u);  // one per voter
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "1"}}), 1);
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "2"}}), 0);
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "3"}}), 0);
  EXPECT_EQ(metric("lagwatch_cluster_controller_id"), 1);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_leader_id"), 1);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_leader_epoch"), 5);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_high_watermark"), 4711);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_voters"), 3);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_voters_live"), 3);
  EXPECT_EQ(metric("lagwatch_cluster_info", {{"cluster_id", "8JHCp0U4RHidtwDAY8oJiQ"}, {"kraft", "true"}}), 1);
  EXPECT_EQ(metrics->count("lagwatch_cluster_info"), 1u);
  EXPECT_EQ(metrics->count("lagwatch_broker_fenced"), 0u);

  // The leader moves to 3: the active controller follows the quorum, not Metadata (whose
  // captured controller id stays 1) nor DescribeCluster (which names 2).
  set_quorum(quorum(3, 6));
  snap = poll();
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.controller_id, 3);
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "3"}}), 1);
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "1"}}), 0);
  EXPECT_EQ(metric("lagwatch_cluster_controller_id"), 3);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_leader_epoch"), 6);
  EXPECT_EQ(requests(snap, "DescribeQuorum"), 1u);  // every poll
  EXPECT_EQ(requests(snap, "DescribeCluster"), 1u);
}

// b. No leader (leader_id -1, an election in progress): no active controller anywhere.
TEST_F(KraftCluster, QuorumWithoutLeaderHasNoActiveController) {
  set_quorum(quorum(-1));
  start();
  const auto snap = poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.kraft, true);
  EXPECT_FALSE(snap.controller_id);  // not Metadata's 1: on KRaft that is a random broker
  ASSERT_TRUE(snap.quorum);
  EXPECT_EQ(snap.quorum->leader_id, -1);

  double active = 0;
  for (int32_t id = 1; id <= 3; ++id) {
    const auto v = metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", std::to_string(id)}});
    ASSERT_TRUE(v) << id;
    active += *v;
  }
  EXPECT_EQ(active, 0);
  EXPECT_EQ(metrics->count("kafka_controller_kafkacontroller_activecontrollercount"), 3u);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_leader_id"), -1);
  EXPECT_EQ(metric("lagwatch_cluster_controller_id"), -1);
  // Liveness is measured on the leader's clock: without a leader it is not published at all.
  EXPECT_FALSE(metric("lagwatch_kraft_quorum_voters_live"));
}

// b. Two voters last fetched 60 s before the leader's clock: one live voter (the leader), below
// the majority of 2 that a quorum of 3 needs.
TEST_F(KraftCluster, StaleVotersAreNotLive) {
  set_quorum(quorum(1, 5, {2, 3}, 60'000));
  start();
  const auto snap = poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.controller_id, 1);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_voters"), 3);
  EXPECT_EQ(metric("lagwatch_kraft_quorum_voters_live"), 1);
  EXPECT_LT(*metric("lagwatch_kraft_quorum_voters_live"), 3 / 2 + 1);
  for (const char* node : {"2", "3"}) {
    const std::vector<std::pair<std::string, std::string>> l{{"node", node}, {"role", "voter"}};
    EXPECT_EQ(metric("lagwatch_kraft_quorum_replica_last_fetch_age_seconds", l), 60) << node;
    EXPECT_EQ(metric("lagwatch_kraft_quorum_replica_lag", l), 11) << node;  // 4711 - 4700
  }
  EXPECT_EQ(metric("lagwatch_kraft_quorum_replica_last_fetch_age_seconds", {{"node", "1"}, {"role", "voter"}}), 0);
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "1"}}), 1);
}

// c. A broker registered but fenced (DescribeCluster v2 with include_fenced_brokers): reported,
// though Metadata does not list it.
TEST_F(KraftCluster, FencedBrokerFromDescribeCluster) {
  set_fenced({4});
  start();
  auto snap = poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.fenced_brokers, (std::vector<int32_t>{4}));
  EXPECT_EQ(snap.brokers.size(), 3u);  // Metadata's brokers: 1, 2, 3
  EXPECT_EQ(describe_clusters(), (std::vector<std::pair<int16_t, bool>>{{2, true}}));
  EXPECT_EQ(metric("lagwatch_broker_fenced", {{"broker", "4"}}), 1);
  EXPECT_EQ(metrics->count("lagwatch_broker_fenced"), 1u);

  // Unfenced: the series goes.
  set_fenced({});
  snap = poll();
  EXPECT_TRUE(snap.fenced_brokers.empty());
  EXPECT_EQ(metrics->count("lagwatch_broker_fenced"), 0u);
}

// d. A KIP-848 group: DescribeGroups says GROUP_ID_NOT_FOUND, ConsumerGroupDescribe describes
// it (Stable, epoch 7, two members); its committed offsets still come from OffsetFetch (the
// captured ones). The next poll sees epoch 8: one rebalance.
TEST_F(KraftCluster, ConsumerProtocolGroupIsDescribedAndItsRebalancesCounted) {
  set_kip848("analytics", analytics(7));
  start();
  auto snap = poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  const auto* g = find_group(snap, "analytics");
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->described);
  EXPECT_EQ(g->protocol, "consumer");
  EXPECT_EQ(g->state, "Stable");
  EXPECT_EQ(g->epoch, 7);
  EXPECT_EQ(g->rebalances, 0u);
  ASSERT_EQ(g->members.size(), 2u);
  auto members = g->members;
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.member_id < b.member_id; });
  EXPECT_EQ(members[0].member_id, "analytics-1-kip848");
  EXPECT_EQ(members[0].client_id, "analytics-1");
  EXPECT_EQ(members[0].host, "/127.0.0.1");
  EXPECT_EQ(members[0].assignment,
            (std::vector<std::pair<std::string, int32_t>>{{"orders", 0}, {"orders", 1}, {"orders", 2}}));
  EXPECT_EQ(members[1].client_id, "analytics-2");
  EXPECT_EQ(members[1].assignment,
            (std::vector<std::pair<std::string, int32_t>>{{"orders", 3}, {"orders", 4}, {"orders", 5}}));
  std::map<std::pair<std::string, int32_t>, int64_t> offsets;
  for (const auto& o : g->offsets) offsets[{o.topic, o.partition}] = o.offset;
  EXPECT_EQ(offsets, readme::committed().at("analytics"));
  // The other groups stay classic, described by DescribeGroups as captured.
  for (const auto* name : {"billing", "shipping", "audit"}) {
    const auto* other = find_group(snap, name);
    ASSERT_NE(other, nullptr) << name;
    EXPECT_EQ(other->protocol, "classic") << name;
    EXPECT_TRUE(other->described) << name;
    EXPECT_FALSE(other->epoch) << name;
  }
  EXPECT_EQ(consumer_group_describes(),
            (std::vector<std::pair<int32_t, std::vector<std::string>>>{{2, {"analytics"}}}));

  const std::vector<std::pair<std::string, std::string>> group{{"consumergroup", "analytics"}};
  EXPECT_EQ(metric("kafka_consumergroup_members", group), 2);
  EXPECT_EQ(metric("lagwatch_consumergroup_info",
                   {{"consumergroup", "analytics"}, {"state", "Stable"}, {"protocol", "consumer"}}),
            1);
  EXPECT_EQ(metric("lagwatch_consumergroup_info",
                   {{"consumergroup", "billing"}, {"state", "Stable"}, {"protocol", "classic"}}),
            1);
  EXPECT_EQ(metric("lagwatch_consumergroup_epoch", group), 7);
  EXPECT_EQ(metric("lagwatch_consumergroup_rebalances_total", group), 0);
  EXPECT_EQ(
      metric("kafka_consumergroup_lag", {{"consumergroup", "analytics"}, {"topic", "orders"}, {"partition", "0"}}), 90);
  EXPECT_EQ(metric("lagwatch_consumergroup_assigned_partitions", {{"consumergroup", "analytics"}, {"topic", "orders"}}),
            6);

  set_kip848("analytics", analytics(8));
  snap = poll();
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  g = find_group(snap, "analytics");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->epoch, 8);
  EXPECT_EQ(g->rebalances, 1u);
  EXPECT_EQ(metric("lagwatch_consumergroup_epoch", group), 8);
  EXPECT_EQ(metric("lagwatch_consumergroup_rebalances_total", group), 1);
  EXPECT_EQ(metric("lagwatch_consumergroup_rebalances_total", {{"consumergroup", "billing"}}), 0);

  // The same epoch again: no new rebalance.
  snap = poll();
  EXPECT_EQ(metric("lagwatch_consumergroup_rebalances_total", group), 1);
}

// e. Batching: analytics (coordinator 2) and billing and partial (coordinator 3, which also
// coordinates the classic audit and rf1-reader) use the consumer protocol: one
// ConsumerGroupDescribe per coordinator, naming all of its KIP-848 groups, on every poll.
TEST_F(KraftCluster, OneConsumerGroupDescribePerCoordinator) {
  ASSERT_EQ(KafkaCaptureCluster::coordinator("healthy", "analytics"), 2);
  ASSERT_EQ(KafkaCaptureCluster::coordinator("healthy", "billing"), 3);
  ASSERT_EQ(KafkaCaptureCluster::coordinator("healthy", "partial"), 3);
  set_kip848("analytics", analytics(7));
  set_kip848("billing", {"Stable", 3, {{"billing-1-kip848", "billing-1", {{"orders", {0, 1, 2, 3, 4, 5}}}}}});
  set_kip848("partial", {"Empty", 2, {}});
  start();
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round == 0 ? "first poll" : "warm poll");
    const size_t before = consumer_group_describes().size();
    const auto snap = poll();
    ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
    EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
    EXPECT_EQ(requests(snap, "ConsumerGroupDescribe"), 2u);
    auto seen = consumer_group_describes();
    ASSERT_EQ(seen.size(), before + 2);
    std::map<int32_t, std::set<std::string>> by_broker;
    for (size_t i = before; i < seen.size(); ++i) {
      EXPECT_TRUE(by_broker[seen[i].first].empty()) << "a second ConsumerGroupDescribe to broker " << seen[i].first;
      by_broker[seen[i].first].insert(seen[i].second.begin(), seen[i].second.end());
      EXPECT_EQ(std::set<std::string>(seen[i].second.begin(), seen[i].second.end()).size(), seen[i].second.size());
    }
    EXPECT_EQ(by_broker, (std::map<int32_t, std::set<std::string>>{{2, {"analytics"}}, {3, {"billing", "partial"}}}));
    EXPECT_EQ(cluster.front(1).requests(replay::kConsumerGroupDescribe), 0u);

    for (const auto* name : {"analytics", "billing", "partial"}) {
      const auto* g = find_group(snap, name);
      ASSERT_NE(g, nullptr) << name;
      EXPECT_TRUE(g->described) << name;
      EXPECT_EQ(g->protocol, "consumer") << name;
    }
    EXPECT_EQ(find_group(snap, "billing")->members.size(), 1u);
    EXPECT_EQ(find_group(snap, "partial")->state, "Empty");
    EXPECT_EQ(find_group(snap, "partial")->epoch, 2);
    for (const auto* name : {"audit", "rf1-reader", "shipping"}) {
      const auto* g = find_group(snap, name);
      ASSERT_NE(g, nullptr) << name;
      EXPECT_TRUE(g->described) << name;
      EXPECT_EQ(g->protocol, "classic") << name;
    }
    EXPECT_EQ(metric("kafka_consumergroup_members", {{"consumergroup", "billing"}}), 1);
    EXPECT_EQ(metric("kafka_consumergroup_members", {{"consumergroup", "partial"}}), 0);
  }
}

// f. ZooKeeper mode (Kafka 2.4's own ApiVersions): the client knows DescribeQuorum is not
// offered, so neither it nor DescribeCluster (nor ConsumerGroupDescribe) goes on the wire; the
// controller is Metadata's, and the page says kraft="false" with one active controller among
// the live brokers.
TEST_F(KraftCluster, ZooKeeperModeSendsNoQuorumRequests) {
  start(false);
  for (int round = 0; round < 2; ++round) {
    const auto snap = poll();
    ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
    EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
    EXPECT_EQ(snap.kraft, false);
    EXPECT_EQ(snap.controller_id, 1);
    EXPECT_FALSE(snap.quorum);
    EXPECT_TRUE(snap.fenced_brokers.empty());
    EXPECT_EQ(requests(snap, "DescribeQuorum"), 0u);
    EXPECT_EQ(requests(snap, "DescribeCluster"), 0u);
    EXPECT_EQ(requests(snap, "ConsumerGroupDescribe"), 0u);
  }
  for (int16_t key : {replay::kDescribeQuorum, replay::kDescribeCluster, replay::kConsumerGroupDescribe}) {
    EXPECT_EQ(cluster.requests(key), 0u) << replay::api_name(key);
  }
  EXPECT_TRUE(describe_clusters().empty());
  EXPECT_EQ(metric("lagwatch_cluster_info", {{"cluster_id", "8JHCp0U4RHidtwDAY8oJiQ"}, {"kraft", "false"}}), 1);
  EXPECT_EQ(metrics->count("kafka_controller_kafkacontroller_activecontrollercount"), 3u);  // live brokers
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "1"}}), 1);
  EXPECT_EQ(metric("kafka_controller_kafkacontroller_activecontrollercount", {{"broker", "2"}}), 0);
  EXPECT_EQ(metrics->count("lagwatch_kraft_quorum_leader_id"), 0u);
  EXPECT_EQ(metrics->count("lagwatch_kraft_quorum_voters_live"), 0u);
  EXPECT_EQ(metric("lagwatch_consumergroup_info",
                   {{"consumergroup", "analytics"}, {"state", "Stable"}, {"protocol", "classic"}}),
            1);
}

// g. ListGroups v5 (Kafka 3.8+) says which groups use the consumer protocol: those go to
// ConsumerGroupDescribe only, never to DescribeGroups.
TEST_F(KraftCluster, ListGroupsV5TypesSendConsumerGroupsStraightToConsumerGroupDescribe) {
  set_kip848("analytics", analytics(7));
  start(true, true);
  for (int round = 0; round < 2; ++round) {
    const auto snap = poll();
    ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
    EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
    const auto* g = find_group(snap, "analytics");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->protocol, "consumer");
    EXPECT_EQ(g->members.size(), 2u);
    EXPECT_EQ(requests(snap, "ConsumerGroupDescribe"), 1u);
  }
  EXPECT_GT(cluster.front(1).requests(replay::kListGroups), 0u);
  const auto asked = describe_groups_asked();
  EXPECT_EQ(std::count(asked.begin(), asked.end(), "analytics"), 0) << "DescribeGroups named a consumer group";
  EXPECT_GT(std::count(asked.begin(), asked.end(), "billing"), 0);  // the classic ones still go there
}

// h. Without ListGroups v5 a KIP-848 group is found by DescribeGroups' GROUP_ID_NOT_FOUND on
// the first poll; later polls remember it and ask ConsumerGroupDescribe only.
TEST_F(KraftCluster, ConsumerGroupsLearnedOnceAreNotAskedWithDescribeGroupsAgain) {
  set_kip848("analytics", analytics(7));
  start();
  auto snap = poll();
  ASSERT_TRUE(snap.errors.empty()) << errors_of(snap);
  auto asked = describe_groups_asked();
  EXPECT_EQ(std::count(asked.begin(), asked.end(), "analytics"), 1);
  for (int round = 0; round < 2; ++round) {
    snap = poll();
    ASSERT_TRUE(snap.errors.empty()) << errors_of(snap);
    EXPECT_EQ(find_group(snap, "analytics")->protocol, "consumer");
    EXPECT_EQ(find_group(snap, "analytics")->members.size(), 2u);
  }
  asked = describe_groups_asked();
  EXPECT_EQ(std::count(asked.begin(), asked.end(), "analytics"), 1) << "asked with DescribeGroups after it was known";
}

// i. Without DESCRIBE on the cluster, DescribeQuorum is refused: the controller is unknown
// (no lagwatch_cluster_controller_id series, rather than a -1 that reads as "no leader"), the
// API is reported unavailable, and the poll has no error (so LagwatchNotPolling stays quiet).
TEST_F(KraftCluster, RefusedDescribeQuorumIsUnknownNotAFailure) {
  auto refused = quorum(1);
  refused.error_code = 31;  // CLUSTER_AUTHORIZATION_FAILED
  refused.topics.clear();
  set_quorum(refused);
  start();
  const auto snap = poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_EQ(snap.kraft, true);
  EXPECT_FALSE(snap.controller_id);
  EXPECT_FALSE(snap.quorum);
  EXPECT_NE(std::find(snap.unsupported_apis.begin(), snap.unsupported_apis.end(), "DescribeQuorum"),
            snap.unsupported_apis.end());
  EXPECT_FALSE(metric("lagwatch_cluster_controller_id"));
  EXPECT_EQ(metrics->count("kafka_controller_kafkacontroller_activecontrollercount"), 0u);
  EXPECT_EQ(metric("lagwatch_kafka_api_unsupported", {{"api", "DescribeQuorum"}}), 1);
}

}  // namespace
}  // namespace lagwatch
