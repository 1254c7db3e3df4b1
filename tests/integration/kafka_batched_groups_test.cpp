// lagwatch's Kafka client on the batched group APIs of Kafka 3.0+: FindCoordinator v4 (every
// group key in one request, `coordinator_keys`) and OffsetFetch v8 (every group of one
// coordinator in one request, `groups`). The captured Kafka 2.4.0 cluster
// (tests/support/kafka_capture_cluster.hpp) stands in for the brokers, its ApiVersions answers
// patched to advertise FindCoordinator 0-4 and OffsetFetch 0-8; the fronts answer those two
// versions with bytes built here (the test's own encoding, independent of lagwatch's codec)
// from the README's coordinators (the captured FindCoordinator answers of the healthy phase)
// and committed offsets (tests/data/kafka-2.4.0/README.md). Everything else is the replay.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "collect/cluster_collector.hpp"
#include "kafka_capture_cluster.hpp"
#include "snapshot_probe.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using testing::errors_of;
using testing::requests;
using testing::requests_of;

using testing::KafkaCaptureCluster;
using testing::KafkaRequest;
namespace readme = testing::readme;
namespace replay = testing::replay;

constexpr auto kTimeout = std::chrono::milliseconds(2000);

// The test's reading of a FindCoordinator v4 request: key_type, coordinator_keys, tagged fields.
std::vector<std::string> read_find_coordinator_v4(replay::In& in) {
  const int8_t key_type = in.i8();
  if (key_type != 0) throw std::runtime_error("key_type " + std::to_string(key_type));
  std::vector<std::string> keys;
  const int32_t n = in.count(true);
  for (int32_t i = 0; i < n; ++i) keys.push_back(in.str(true));
  in.tagged();
  return keys;
}

// OffsetFetch v8 request: groups [group_id, topics (nullable) [name, partition_indexes, tagged
// fields], tagged fields], require_stable, tagged fields.
struct GroupAsked {
  std::string group;
  std::optional<std::map<std::string, std::vector<int32_t>>> topics;  // nullopt: all partitions
};
std::vector<GroupAsked> read_offset_fetch_v8(replay::In& in) {
  std::vector<GroupAsked> out;
  const int32_t n = in.count(true);
  for (int32_t i = 0; i < n; ++i) {
    GroupAsked g;
    g.group = in.str(true);
    const int32_t m = in.count(true);
    if (m >= 0) {
      g.topics.emplace();
      for (int32_t t = 0; t < m; ++t) {
        auto& partitions = (*g.topics)[in.str(true)];
        const int32_t k = in.count(true);
        for (int32_t p = 0; p < k; ++p) partitions.push_back(in.i32());
        in.tagged();
      }
    }
    in.tagged();
    out.push_back(std::move(g));
  }
  in.i8();  // require_stable
  in.tagged();
  return out;
}

class BatchedGroups : public ::testing::Test {
 protected:
  BatchedGroups() {
    cluster.advertise(replay::kFindCoordinator, 4);
    cluster.advertise(replay::kOffsetFetch, 8);
    cluster.set_override([this](int32_t broker, const KafkaRequest& r) { return answer(broker, r); });
  }
  void TearDown() override {
    for (const auto& gap : cluster.gaps()) ADD_FAILURE() << "the replay could not answer: " << gap;
    std::lock_guard lock(mu);
    for (const auto& p : problems) ADD_FAILURE() << p;
  }

  std::unique_ptr<collect::ClusterCollector> named_collector() {
    auto cfg = testing::test_config("kafka-3.0-batched", cluster.bootstraps(), readme::groups());
    cfg.poll.request_timeout = kTimeout;
    cfg.clusters[0].groups.discover = false;  // named groups: their coordinators are looked up
    return std::make_unique<collect::ClusterCollector>(cfg.clusters[0], cfg.poll);
  }

  // The keys of each FindCoordinator request, and the groups of each OffsetFetch request with
  // the broker it went to, in arrival order.
  std::vector<std::vector<std::string>> lookups() {
    std::lock_guard lock(mu);
    return lookups_;
  }
  std::vector<std::pair<int32_t, std::vector<std::string>>> offset_fetches() {
    std::lock_guard lock(mu);
    return offset_fetches_;
  }
  // The next OffsetFetch v8 that includes `group` answers it NOT_COORDINATOR (16) inside the batch.
  void not_coordinator_once(const std::string& group) {
    std::lock_guard lock(mu);
    not_coordinator_once_.insert(group);
  }

  std::mutex mu;  // guards problems and the records below
  std::vector<std::string> problems;

 private:
  using Answer = std::optional<std::vector<uint8_t>>;

  Answer problem(const std::string& what) {
    std::lock_guard lock(mu);
    problems.push_back(what);
    return std::nullopt;
  }

  Answer answer(int32_t broker, const KafkaRequest& r) {
    if (r.api_key != replay::kFindCoordinator && r.api_key != replay::kOffsetFetch) return std::nullopt;
    const std::string what = replay::api_name(r.api_key) + " v" + std::to_string(r.api_version);
    const int16_t expected = r.api_key == replay::kFindCoordinator ? 4 : 8;
    if (r.api_version != expected) return problem(what + ": expected v" + std::to_string(expected));
    try {
      replay::In in(r.bytes);
      replay::read_header(in);
      auto body = r.api_key == replay::kFindCoordinator ? find_coordinator(in) : offset_fetch(broker, in);
      if (!in.at_end()) return problem(what + ": request has bytes after its body");
      return replay::response_frame(r.api_key, r.api_version, r.correlation_id, body);
    } catch (const std::exception& e) {
      return problem(what + " does not parse: " + e.what());
    }
  }

  // FindCoordinator v4 response: throttle_time_ms, coordinators [key, node_id, host, port,
  // error_code, error_message (nullable), tagged fields], tagged fields.
  std::vector<uint8_t> find_coordinator(replay::In& in) {
    const auto keys = read_find_coordinator_v4(in);
    {
      std::lock_guard lock(mu);
      lookups_.push_back(keys);
    }
    replay::Out o;
    o.i32(0).count(true, static_cast<int32_t>(keys.size()));
    for (const auto& key : keys) {
      const int32_t node = KafkaCaptureCluster::coordinator("healthy", key);
      o.str(true, key);
      if (node < 0) {
        o.i32(-1).str(true, "").i32(-1).i16(15).uvarint(0).no_tags();  // COORDINATOR_NOT_AVAILABLE
        continue;
      }
      o.i32(node).str(true, "127.0.0.1").i32(cluster.front(node).port()).i16(0).uvarint(0).no_tags();
    }
    return o.no_tags().take();
  }

  // OffsetFetch v8 response: throttle_time_ms, groups [group_id, topics [name, partitions
  // [partition_index, committed_offset, committed_leader_epoch, metadata (nullable),
  // error_code, tagged fields], tagged fields], error_code, tagged fields], tagged fields.
  // A group this broker does not coordinate gets NOT_COORDINATOR, as a real broker answers.
  std::vector<uint8_t> offset_fetch(int32_t broker, replay::In& in) {
    const auto asked = read_offset_fetch_v8(in);
    std::vector<std::string> names;
    for (const auto& g : asked) names.push_back(g.group);
    std::set<std::string> moved;
    {
      std::lock_guard lock(mu);
      offset_fetches_.emplace_back(broker, names);
      for (const auto& g : names) {
        if (not_coordinator_once_.erase(g)) moved.insert(g);
      }
    }
    replay::Out o;
    o.i32(0).count(true, static_cast<int32_t>(asked.size()));
    for (const auto& g : asked) {
      o.str(true, g.group);
      const auto known = readme::committed().find(g.group);
      if (moved.count(g.group) || KafkaCaptureCluster::coordinator("healthy", g.group) != broker ||
          known == readme::committed().end()) {
        o.count(true, 0).i16(replay::kNotCoordinator).no_tags();
        continue;
      }
      // Asked for all partitions: every committed one, by topic. Named: each one asked, -1
      // where nothing is committed.
      std::map<std::string, std::vector<std::pair<int32_t, int64_t>>> topics;
      if (!g.topics) {
        for (const auto& [tp, offset] : known->second) topics[tp.first].emplace_back(tp.second, offset);
      } else {
        for (const auto& [topic, partitions] : *g.topics) {
          for (int32_t p : partitions) {
            const auto it = known->second.find({topic, p});
            topics[topic].emplace_back(p, it == known->second.end() ? -1 : it->second);
          }
        }
      }
      o.count(true, static_cast<int32_t>(topics.size()));
      for (const auto& [topic, partitions] : topics) {
        o.str(true, topic).count(true, static_cast<int32_t>(partitions.size()));
        for (const auto& [p, offset] : partitions) o.i32(p).i64(offset).i32(-1).str(true, "").i16(0).no_tags();
        o.no_tags();
      }
      o.i16(0).no_tags();
    }
    return o.no_tags().take();
  }

  std::vector<std::vector<std::string>> lookups_;
  std::vector<std::pair<int32_t, std::vector<std::string>>> offset_fetches_;
  std::set<std::string> not_coordinator_once_;

 protected:
  // Last: destroyed first, so the fronts' I/O threads stop before the members answer() uses.
  KafkaCaptureCluster cluster{"healthy"};
};

void expect_committed_offsets(const model::ClusterSnapshot& snap) {
  std::vector<std::string> names;
  for (const auto& g : snap.groups) names.push_back(g.name);
  EXPECT_EQ(names, readme::groups());
  for (const auto& g : snap.groups) {
    SCOPED_TRACE(g.name);
    EXPECT_EQ(g.error, "");
    std::map<std::pair<std::string, int32_t>, int64_t> offsets;
    for (const auto& o : g.offsets) offsets[{o.topic, o.partition}] = o.offset;
    EXPECT_EQ(offsets, readme::committed().at(g.name));
  }
}

// The distinct coordinators of the README's groups in the healthy phase (brokers 1, 2, 3).
std::set<int32_t> coordinators() {
  std::set<int32_t> out;
  for (const auto& g : readme::groups()) out.insert(KafkaCaptureCluster::coordinator("healthy", g));
  return out;
}

std::set<std::string> sorted(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

// The first poll: one FindCoordinator for all six groups, one OffsetFetch per coordinator
// (three, not six); the warm poll: no FindCoordinator, the same OffsetFetch count.
TEST_F(BatchedGroups, OneLookupAndOneOffsetFetchPerCoordinator) {
  ASSERT_EQ(coordinators(), (std::set<int32_t>{1, 2, 3}));
  auto collector = named_collector();
  const auto first = collector->poll();
  ASSERT_TRUE(first.metadata_ok) << errors_of(first);
  EXPECT_TRUE(first.errors.empty()) << errors_of(first);
  std::cout << "first poll: " << requests_of(first) << "\n";
  expect_committed_offsets(first);

  EXPECT_EQ(requests(first, "FindCoordinator"), 1u);
  EXPECT_EQ(cluster.requests(replay::kFindCoordinator), 1u);
  const auto keys = lookups();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(sorted(keys[0]), sorted(readme::groups()));
  EXPECT_EQ(keys[0].size(), readme::groups().size());  // each key once

  EXPECT_EQ(requests(first, "OffsetFetch"), coordinators().size());
  EXPECT_EQ(cluster.requests(replay::kOffsetFetch), coordinators().size());
  // Each request went to its groups' coordinator and held all of them.
  std::map<int32_t, std::set<std::string>> expected, got;
  for (const auto& g : readme::groups()) expected[KafkaCaptureCluster::coordinator("healthy", g)].insert(g);
  for (const auto& [broker, groups] : offset_fetches()) {
    EXPECT_TRUE(got[broker].empty()) << "a second OffsetFetch to broker " << broker;
    got[broker].insert(groups.begin(), groups.end());
  }
  EXPECT_EQ(got, expected);

  const size_t find_before = cluster.requests(replay::kFindCoordinator);
  const size_t fetch_before = cluster.requests(replay::kOffsetFetch);
  const auto warm = collector->poll();
  ASSERT_TRUE(warm.metadata_ok) << errors_of(warm);
  EXPECT_TRUE(warm.errors.empty()) << errors_of(warm);
  std::cout << "warm poll:  " << requests_of(warm) << "\n";
  expect_committed_offsets(warm);
  EXPECT_EQ(requests(warm, "FindCoordinator"), 0u);
  EXPECT_EQ(cluster.requests(replay::kFindCoordinator) - find_before, 0u);
  EXPECT_EQ(requests(warm, "OffsetFetch"), coordinators().size());
  EXPECT_EQ(cluster.requests(replay::kOffsetFetch) - fetch_before, coordinators().size());
}

// Broker 3's batch (billing, audit, partial, rf1-reader) answers partial NOT_COORDINATOR and the
// others normally: the client looks up partial alone (one FindCoordinator, one key), asks its
// coordinator again for partial alone, and the same poll has every group's offsets.
TEST_F(BatchedGroups, NotCoordinatorInsideTheBatchIsRefoundInThePoll) {
  auto collector = named_collector();
  const auto first = collector->poll();
  ASSERT_TRUE(first.errors.empty()) << errors_of(first);
  expect_committed_offsets(first);
  ASSERT_EQ(KafkaCaptureCluster::coordinator("healthy", "partial"), 3);

  const size_t lookups_before = lookups().size();
  const size_t fetches_before = offset_fetches().size();
  const size_t find_before = cluster.requests(replay::kFindCoordinator);
  const size_t fetch_before = cluster.requests(replay::kOffsetFetch);
  not_coordinator_once("partial");
  const auto snap = collector->poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  std::cout << "poll with NOT_COORDINATOR for partial: " << requests_of(snap) << "\n";
  expect_committed_offsets(snap);

  EXPECT_EQ(requests(snap, "FindCoordinator"), 1u);
  EXPECT_EQ(cluster.requests(replay::kFindCoordinator) - find_before, 1u);
  const auto keys = lookups();
  ASSERT_EQ(keys.size(), lookups_before + 1);
  EXPECT_EQ(keys.back(), (std::vector<std::string>{"partial"}));

  EXPECT_EQ(requests(snap, "OffsetFetch"), coordinators().size() + 1);
  EXPECT_EQ(cluster.requests(replay::kOffsetFetch) - fetch_before, coordinators().size() + 1);
  const auto fetches = offset_fetches();
  ASSERT_EQ(fetches.size(), fetches_before + coordinators().size() + 1);
  EXPECT_EQ(fetches.back().first, 3);
  EXPECT_EQ(fetches.back().second, (std::vector<std::string>{"partial"}));
}

}  // namespace
}  // namespace lagwatch
