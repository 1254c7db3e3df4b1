#include "demo/incidents.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <optional>
#include <sstream>

namespace lagwatch::demo {
namespace {

constexpr int kSlowBrokerRttMs = 250;

std::string partition_name(const front::PartitionKey& p) { return p.first + "/" + std::to_string(p.second); }

std::string join(const std::vector<std::string>& items, size_t at_most = 6) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < at_most; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > at_most) out += ", and " + std::to_string(items.size() - at_most) + " more";
  return out.empty() ? "none" : out;
}

// `text` as a whole decimal number ("2"; not "2x", "", "+2"), or nothing.
std::optional<int32_t> whole_number(const std::string& text) {
  int32_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// The first replica not in `down`, or -1: where leadership goes when its broker falls.
int32_t first_live(const std::vector<int32_t>& replicas, const std::set<int32_t>& down) {
  for (int32_t r : replicas) {
    if (!down.count(r)) return r;
  }
  return -1;
}

}  // namespace

const std::vector<IncidentInfo>& incident_catalog() {
  static const std::vector<IncidentInfo> catalog = {
      {"broker-down", "N", "broker N stops: failover, URP, an offline RF-1 partition, coordinators move"},
      {"broker-up", "N", "broker N comes back and leads its partitions again"},
      {"broker-slow", "N", "broker N's followers fall behind: ISR shrinks, payments goes under min ISR"},
      {"consumer-stop", "GROUP", "every consumer of the group leaves: no members, STOP"},
      {"consumer-stall", "GROUP", "the group's consumers stay but fetch and commit nothing: STALL"},
      {"consumer-slow", "GROUP", "the group's consumers read 2 records/s each: lag grows, WARN"},
      {"consumer-scale", "GROUP N", "the group runs N consumers: analytics catches up with 3"},
      {"rewind", "GROUP", "the group goes 200 records back per partition: REWIND"},
      {"burst", "TOPIC", "3000 more records on the topic at once: a lag spike"},
      {"retention-risk", "GROUP", "the group's topic keeps 10 minutes: the data-loss estimate falls"},
      {"partition-offline", "TOPIC PARTITION", "the partition loses its leader, its brokers up: offline"},
      {"partition-online", "TOPIC PARTITION", "the partition gets its first live replica back as leader"},
      {"reset", "", "every incident undone: brokers, groups and topic configs as at start"},
  };
  return catalog;
}

Incidents::Incidents(DemoCluster& cluster, Traffic& traffic) : cluster_(cluster), traffic_(traffic) {}

std::vector<std::string> Incidents::active() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (int32_t b : down_) out.push_back("broker-down " + std::to_string(b));
  for (int32_t b : slow_) out.push_back("broker-slow " + std::to_string(b));
  for (const auto& g : changed_groups_) out.push_back("group " + g + " changed");
  for (const auto& p : offline_) {
    // Still without a leader: broker-up of its first leader gives it back too.
    if (const auto l = leader_.find(p); l != leader_.end() && l->second < 0) {
      out.push_back("partition " + partition_name(p) + " offline");
    }
  }
  return out;
}

int32_t Incidents::broker_argument(const std::string& name, const std::vector<std::string>& args) const {
  const auto& ids = cluster_.simulation().broker_ids();
  const std::string range = std::to_string(ids.front()) + " to " + std::to_string(ids.back());
  if (args.size() != 1) throw IncidentError(name + " takes one argument, a broker id (" + range + ")");
  const auto id = whole_number(args[0]);
  if (!id || std::find(ids.begin(), ids.end(), *id) == ids.end()) {
    throw IncidentError(name + ": \"" + args[0] + "\" is not a broker of the demo cluster (" + range + ")");
  }
  return *id;
}

std::string Incidents::trigger(const std::string& name, const std::vector<std::string>& args) {
  std::lock_guard lock(mu_);
  if (name == "broker-down") return broker_down(broker_argument(name, args));
  if (name == "broker-up") return broker_up(broker_argument(name, args));
  if (name == "broker-slow") return broker_slow(broker_argument(name, args));
  if (name.starts_with("consumer-") || name == "rewind" || name == "retention-risk") {
    for (const auto& i : incident_catalog()) {
      if (i.name == name) return consumer_incident(name, args);
    }
  }
  if (name == "burst") return burst(args);
  if (name == "partition-offline" || name == "partition-online") {
    return partition_leader(name, args, name == "partition-offline");
  }
  if (name == "reset") {
    if (!args.empty()) throw IncidentError("reset takes no argument");
    return reset();
  }
  std::string names;
  for (const auto& i : incident_catalog()) names += (names.empty() ? "" : ", ") + i.name;
  throw IncidentError("unknown incident \"" + name + "\"; the demo knows " + names);
}

int32_t Incidents::leader_now(const front::PartitionKey& partition, const front::PartitionLayout& layout) const {
  const auto it = leader_.find(partition);
  return it == leader_.end() ? layout.leader : it->second;
}

void Incidents::set_leader(const front::PartitionKey& partition, int32_t leader) {
  cluster_.mock().set_partition_leader(partition.first, partition.second, leader);
  leader_[partition] = leader;
}

std::string Incidents::broker_down(int32_t broker) {
  if (down_.count(broker)) throw IncidentError("broker " + std::to_string(broker) + " is already down");
  auto& sim = cluster_.simulation();
  if (down_.size() + 1 >= sim.broker_ids().size()) {
    throw IncidentError("broker-down " + std::to_string(broker) +
                        ": the demo keeps at least one broker up (lagwatch would have nothing to ask)");
  }
  const auto layout = sim.layout();
  if (layout.empty())
    throw IncidentError("the demo has not seen the cluster's partitions yet; try again in a few seconds");
  const int32_t old_controller = sim.controller();

  down_.insert(broker);
  sim.set_down(broker, true);
  cluster_.fronts().set_down(broker, true);
  cluster_.mock().set_broker_up(broker, false);

  std::vector<std::string> moved, offline;
  for (const auto& [p, l] : layout) {
    if (leader_now(p, l) != broker) continue;
    first_leader_.try_emplace(p, l.leader);
    const int32_t next = first_live(l.replicas, down_);
    set_leader(p, next);
    if (next < 0) {
      offline.push_back(partition_name(p));
    } else {
      moved.push_back(partition_name(p) + " -> " + std::to_string(next));
    }
  }
  const int32_t controller = sim.controller();
  std::vector<std::string> coordinators;
  for (const auto& [group, c] : cluster_.groups().coordinators()) {
    if (c != broker) continue;
    rd_kafka_mock_coordinator_set(cluster_.mock().get(), "group", group.c_str(), controller);
    cluster_.groups().move_coordinator(group, controller);
    coordinators.push_back(group + " -> " + std::to_string(controller));
  }
  spdlog::info("demo incident: broker {} is down ({} leaders moved, {} partitions offline)", broker, moved.size(),
               offline.size());

  std::ostringstream out;
  out << "broker " << broker << " is down: its listener refuses connections, as a stopped broker's does.\n"
      << "  leaders moved to a surviving replica: " << join(moved) << "\n"
      << "  offline (no replica left): " << join(offline) << "\n"
      << "  group coordinators moved: " << join(coordinators) << "\n"
      << "  controller: broker " << controller
      << (controller != old_controller ? " (was " + std::to_string(old_controller) + ")" : std::string()) << "\n"
      << "Watch (module 10, failover; within a poll or two):\n"
      << "  lagwatch_broker_up{broker=\"" << broker << "\"} 0 and kafka_brokers " << sim.live_brokers().size() << "\n"
      << "  kafka_topic_partition_under_replicated_partition 1 on the partitions broker " << broker << " held\n"
      << "  kafka_controller_kafkacontroller_offlinepartitionscount > 0 (clickstream has one replica)\n"
      << "  kafka_controller_kafkacontroller_activecontrollercount 1 on broker " << controller << "\n"
      << "  alerts: KafkaBrokerDown (2m), KafkaUnderReplicatedPartitions (5m), KafkaOfflinePartitions (1m)\n"
      << "Undo: lagwatch demo incident broker-up " << broker << "  (or: reset)\n";
  return out.str();
}

std::string Incidents::broker_up(int32_t broker) {
  if (!down_.count(broker)) throw IncidentError("broker " + std::to_string(broker) + " is not down");
  down_.erase(broker);
  auto& sim = cluster_.simulation();
  cluster_.mock().set_broker_up(broker, true);
  cluster_.fronts().set_down(broker, false);
  sim.set_down(broker, false);
  // Preferred leader election: partitions return to the leader they had before the incidents;
  // offline ones whose replica came back get their leader again.
  std::vector<std::string> back;
  for (auto it = first_leader_.begin(); it != first_leader_.end();) {
    if (it->second == broker) {
      set_leader(it->first, broker);
      back.push_back(partition_name(it->first));
      it = first_leader_.erase(it);
    } else {
      ++it;
    }
  }
  spdlog::info("demo incident over: broker {} is up ({} partitions led by it again)", broker, back.size());
  std::ostringstream out;
  out << "broker " << broker << " is up and leads its partitions again: " << join(back) << "\n"
      << "Watch: lagwatch_broker_up{broker=\"" << broker
      << "\"} 1, under-replicated and offline partitions back to 0; the alerts resolve.\n";
  return out.str();
}

std::string Incidents::broker_slow(int32_t broker) {
  if (slow_.count(broker)) throw IncidentError("broker " + std::to_string(broker) + " is already slow");
  if (down_.count(broker)) throw IncidentError("broker " + std::to_string(broker) + " is down");
  slow_.insert(broker);
  cluster_.simulation().set_slow(broker, true);
  rd_kafka_mock_broker_set_rtt(cluster_.mock().get(), broker, kSlowBrokerRttMs);
  spdlog::info("demo incident: broker {} is slow (out of the ISR it follows)", broker);
  std::ostringstream out;
  out << "broker " << broker << " is slow: it leaves the ISR of every partition it follows, and answers "
      << kSlowBrokerRttMs << " ms late.\n"
      << "Watch (module 7, replication health; within a poll or two):\n"
      << "  kafka_topic_partition_under_replicated_partition 1 on the partitions it follows\n"
      << "  kafka_server_replicamanager_underminisrpartitioncount > 0: payments has min.insync.replicas = RF = 3\n"
      << "  alerts: KafkaUnderReplicatedPartitions (5m), KafkaUnderMinIsrPartitions (2m)\n"
      << "Undo: lagwatch demo incident reset\n";
  return out.str();
}

std::string Incidents::reset() {
  std::vector<int32_t> down(down_.begin(), down_.end());
  for (int32_t b : down) broker_up(b);
  for (int32_t b : slow_) {
    cluster_.simulation().set_slow(b, false);
    rd_kafka_mock_broker_set_rtt(cluster_.mock().get(), b, 0);
  }
  slow_.clear();
  for (const auto& [p, l] : first_leader_) set_leader(p, l);
  first_leader_.clear();
  offline_.clear();
  traffic_.restore_all();
  changed_groups_.clear();
  cluster_.simulation().reset_topic_configs();
  spdlog::info("demo incidents reset: every broker up and in sync");
  return "every incident is undone: all brokers up, in every ISR, leading their partitions; every group\n"
         "back to its own behaviour; every topic config as at start.\n"
         "Watch: under-replicated, under-min-ISR and offline partitions back to 0; the alerts resolve.\n";
}

std::string Incidents::consumer_incident(const std::string& name, const std::vector<std::string>& args) {
  const bool scale = name == "consumer-scale";
  const size_t wanted = scale ? 2 : 1;
  if (args.size() != wanted) {
    std::string groups;
    for (const auto& g : demo_groups()) groups += (groups.empty() ? "" : ", ") + g;
    throw IncidentError(name + " takes " + (scale ? "a group and a number of consumers" : "a group") + " (" + groups +
                        ")");
  }
  const std::string& group = args[0];
  std::string topic;
  try {
    topic = traffic_.topic_of(group);
  } catch (const std::invalid_argument& e) {
    throw IncidentError(name + ": " + e.what());
  }
  std::ostringstream out;
  const std::string g = "consumergroup=\"" + group + "\"";
  if (name == "consumer-stop") {
    traffic_.set_mode(group, ConsumerMode::stopped);
    out << "every consumer of " << group << " leaves the group; its committed offsets stay.\n"
        << "Watch: kafka_consumergroup_members{" << g << "} 0, kafka_consumergroup_lag_sum{" << g << "} growing,\n"
        << "  its partitions STOP once the window has passed (curl -s localhost:9721/v3/kafka/demo/consumer/" << group
        << "/status)\n"
        << "  alerts: KafkaConsumerGroupNoMembers (10m), KafkaConsumerGroupStatusErr (5m)\n";
  } else if (name == "consumer-stall") {
    traffic_.set_mode(group, ConsumerMode::stall);
    out << "the consumers of " << group << " stay in the group (heartbeats) but fetch and commit nothing.\n"
        << "Watch: kafka_consumergroup_members{" << g << "} unchanged, kafka_consumergroup_current_offset frozen,\n"
        << "  its partitions STALL (alive but stuck), lagwatch_consumergroup_status{" << g << ",status=\"ERR\"} 1\n"
        << "  alerts: KafkaConsumerGroupStatusErr (5m), KafkaConsumerGroupLagGrowing\n";
  } else if (name == "consumer-slow") {
    traffic_.set_rate(group, 2.0);
    out << "the consumers of " << group << " now read 2 records/s each.\n"
        << "Watch: kafka_consumergroup_lag_sum{" << g << "} and lagwatch_consumergroup_max_lag_seconds{" << g
        << "} growing: WARN\n"
        << "  alerts: KafkaConsumerGroupLagGrowing, then KafkaConsumerGroupLagHigh / LagSecondsHigh\n"
        << "Fix it (module 10): lagwatch demo incident consumer-scale " << group << " 3, or reset\n";
  } else if (name == "consumer-scale") {
    const auto parsed = whole_number(args[1]);
    if (!parsed) throw IncidentError("consumer-scale: \"" + args[1] + "\" is not a number of consumers");
    const int n = *parsed;
    try {
      traffic_.set_consumers(group, n);
    } catch (const std::invalid_argument& e) {
      throw IncidentError("consumer-scale: " + std::string(e.what()));
    }
    const auto b = traffic_.behaviour(group);
    const double rate = b.records_per_second;
    out << group << " runs " << n << " consumer" << (n == 1 ? "" : "s") << " on " << topic << " ("
        << traffic_.partitions_of(topic) << " partitions)"
        << (rate > 0 ? ", " + std::to_string(static_cast<int>(rate)) + " records/s each" : std::string()) << ".\n"
        << "Watch: kafka_consumergroup_members{" << g << "} " << n
        << ", the partitions' owners in the Burrow API, and kafka_consumergroup_lag_sum{" << g
        << "}: falling when the consumers together read faster than the topic is produced to\n";
  } else if (name == "rewind") {
    traffic_.rewind(group, 200);
    const auto b = traffic_.behaviour(group);
    if (b.records_per_second <= 0 || b.records_per_second > 10) traffic_.set_rate(group, 10);
    out << "the consumers of " << group << " go 200 records back on each partition and re-read at most 10/s each.\n"
        << "Watch: kafka_consumergroup_current_offset{" << g << "} falls, its partitions REWIND until they pass\n"
        << "  where they were; lagwatch_consumergroup_status{" << g << ",status=\"ERR\"} 1\n";
  } else {  // retention-risk
    cluster_.simulation().set_topic_config(topic, "retention.ms", "600000");
    out << topic << " (read by " << group << ") now keeps 10 minutes of records (retention.ms=600000).\n"
        << "Watch: lagwatch_consumergroup_seconds_until_data_loss{" << g << "} falls as its lag ages,\n"
        << "  lagwatch_topic_retention_seconds{topic=\"" << topic
        << "\"} 600 (after the next DescribeConfigs, within 10 polls)\n"
        << "  alerts: KafkaConsumerDataLossImminent. The demo deletes nothing: only the estimate moves.\n";
  }
  changed_groups_.insert(group);
  spdlog::info("demo incident: {} {}", name, group);
  out << "Undo: lagwatch demo incident reset\n";
  return out.str();
}

std::string Incidents::burst(const std::vector<std::string>& args) {
  std::string topics;
  for (const auto& t : demo_topics()) topics += (topics.empty() ? "" : ", ") + t.name;
  if (args.size() != 1) throw IncidentError("burst takes a topic (" + topics + ")");
  try {
    traffic_.burst(args[0], 3000);
  } catch (const std::invalid_argument& e) {
    throw IncidentError("burst: " + std::string(e.what()));
  }
  spdlog::info("demo incident: burst of 3000 records on {}", args[0]);
  return "3000 more records on " + args[0] +
         ", produced as fast as the producer can.\n"
         "Watch: kafka_topic_partition_current_offset jumps, and the lag of the groups reading " +
         args[0] + ": billing absorbs it within seconds, analytics (10 records/s) does not.\n";
}

std::string Incidents::partition_leader(const std::string& name, const std::vector<std::string>& args, bool offline) {
  if (args.size() != 2) throw IncidentError(name + " takes a topic and a partition (partition-offline inventory 2)");
  const auto parsed = whole_number(args[1]);
  const int32_t partition = parsed.value_or(-1);
  const front::PartitionKey p{args[0], partition};
  const auto layout = cluster_.simulation().layout();
  const auto l = layout.find(p);
  if (!parsed || l == layout.end()) {
    if (layout.empty())
      throw IncidentError("the demo has not seen the cluster's partitions yet; try again in a few seconds");
    throw IncidentError(name + ": the demo cluster has no partition " + args[0] + "/" + args[1]);
  }
  const std::string where = partition_name(p);
  const int32_t leader = leader_now(p, l->second);
  if (offline) {
    if (leader < 0) throw IncidentError(name + ": " + where + " is offline already");
    first_leader_.try_emplace(p, leader);
    set_leader(p, -1);
    offline_.insert(p);
    spdlog::info("demo incident: partition {} loses its leader", where);
    return where + " has no leader (was broker " + std::to_string(leader) +
           "): offline, though its brokers are up.\n"
           "Watch (module 7): kafka_controller_kafkacontroller_offlinepartitionscount 1,\n"
           "  kafka_topic_partition_leader{topic=\"" +
           p.first + "\",partition=\"" + std::to_string(partition) +
           "\"} -1; producers and consumers of it wait\n"
           "  alerts: KafkaOfflinePartitions (1m)\n"
           "Undo: lagwatch demo incident partition-online " +
           p.first + " " + std::to_string(partition) + "  (or: reset)\n";
  }
  if (leader >= 0) throw IncidentError(name + ": " + where + " has a leader (broker " + std::to_string(leader) + ")");
  const int32_t next = first_live(l->second.replicas, down_);
  if (next < 0)
    throw IncidentError(name + ": every replica of " + where + " is on a broker that is down; broker-up first");
  set_leader(p, next);
  offline_.erase(p);
  if (const auto f = first_leader_.find(p); f != first_leader_.end() && f->second == next) first_leader_.erase(f);
  spdlog::info("demo incident over: partition {} is led by broker {}", where, next);
  return where + " is led by broker " + std::to_string(next) +
         " again.\n"
         "Watch: kafka_controller_kafkacontroller_offlinepartitionscount back to 0; KafkaOfflinePartitions resolves.\n";
}

}  // namespace lagwatch::demo
