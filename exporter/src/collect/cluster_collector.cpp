#include "collect/cluster_collector.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "kafka/client_properties.hpp"
#include "kafka/requests/cluster_description.hpp"
#include "kafka/requests/group_offsets.hpp"
#include "kafka/requests/groups.hpp"
#include "kafka/requests/log_dirs.hpp"
#include "kafka/requests/log_offsets.hpp"
#include "kafka/requests/metadata.hpp"
#include "kafka/requests/quorum.hpp"
#include "kafka/requests/topic_configs.hpp"
#include "kafka/wire/api.hpp"
#include "model/rebalances.hpp"

namespace lagwatch::collect {
namespace {

std::unique_ptr<kafka::ClusterClient> make_client(const config::ClusterConfig& c, const config::PollConfig& p) {
  try {
    kafka::ClientSettings s;
    s.cluster = c.name;
    s.bootstrap_servers = c.bootstrap_servers;
    s.connection = kafka::connection_options(c.name, c.properties, p.request_timeout);
    return std::make_unique<kafka::ClusterClient>(s);
  } catch (const std::invalid_argument& e) {
    throw kafka::KafkaError("cluster " + c.name + ": " + e.what());
  }
}

void add_error(model::ClusterSnapshot& snap, model::ErrorKind kind, std::string message) {
  snap.errors.push_back({kind, std::move(message)});
}

}  // namespace

ClusterCollector::ClusterCollector(const config::ClusterConfig& cluster, const config::PollConfig& poll,
                                   const config::LogDirsConfig& log_dirs)
    : cluster_(cluster),
      poll_(poll),
      log_dirs_config_(log_dirs),
      client_(make_client(cluster, poll)),
      group_filter_(cluster.groups.allow, cluster.groups.deny, "clusters." + cluster.name + ".groups"),
      topic_filter_(cluster.topics.allow, cluster.topics.deny, "clusters." + cluster.name + ".topics") {}

bool ClusterCollector::topic_selected(const std::string& topic) const {
  if (!cluster_.topics.include_internal && topic.rfind("__", 0) == 0) return false;
  return topic_filter_.passes(topic);
}

model::ClusterSnapshot ClusterCollector::poll() {
  model::ClusterSnapshot snap;
  snap.cluster = cluster_.name;
  snap.started = model::Clock::now();
  const auto abandon = [&] {
    add_error(snap, model::ErrorKind::metadata, "poll abandoned: lagwatch is stopping");
    snap.finished = snap.offsets_read_at = model::Clock::now();
    return snap;
  };
  if (cancelled()) return abandon();
  try {
    auto md = kafka::fetch_metadata(*client_);
    snap.metadata_ok = true;
    snap.brokers = std::move(md.brokers);
    snap.controller_id = md.controller_id;
    snap.cluster_id = md.cluster_id;
    for (auto& t : md.topics) {
      if (topic_selected(t.name)) snap.topics.push_back(std::move(t));
    }
  } catch (const std::exception& e) {
    add_error(snap, model::ErrorKind::metadata, e.what());
    snap.finished = snap.offsets_read_at = model::Clock::now();
    return snap;
  }

  leaders_.clear();
  for (const auto& t : snap.topics) {
    for (const auto& p : t.partitions) leaders_[{t.name, p.id}] = p.leader;
  }

  if (cancelled()) return abandon();
  collect_quorum(snap);
  if (cancelled()) return abandon();
  auto offsets = kafka::fetch_log_offsets(*client_, snap.topics);
  snap.offsets_read_at = model::Clock::now();
  for (auto& e : offsets.errors) add_error(snap, model::ErrorKind::list_offsets, std::move(e));

  if (cancelled()) return abandon();
  collect_groups(snap);
  if (cancelled()) return abandon();
  collect_topic_configs(snap);
  if (cancelled()) return abandon();
  collect_log_dirs(snap);
  if (cancelled()) return abandon();
  // What went on the wire since the last poll: this poll's requests, the record reads that
  // followed the last one, and every connection's ApiVersions (and SASL).
  for (const auto& [key, n] : client_->pool().take_request_counts()) snap.requests[kafka::wire::api_name(key)] += n;
  snap.finished = model::Clock::now();
  return snap;
}

void ClusterCollector::collect_quorum(model::ClusterSnapshot& snap) {
  // Asked every poll, not learned once: on a ZooKeeper-mode cluster the client knows from
  // ApiVersions that no broker offers DescribeQuorum and sends nothing, and a cluster migrated
  // from ZooKeeper to KRaft while lagwatch runs is seen as KRaft from its next poll.
  auto answer = kafka::describe_quorum(*client_);
  if (answer.unsupported) {
    snap.kraft = false;  // ZooKeeper mode: Metadata's controller id is the controller
    return;
  }
  snap.kraft = true;
  // On KRaft the active controller is the quorum's leader; Metadata's controller id is a
  // random live broker there, so without the quorum it is not known at all.
  snap.controller_id.reset();
  if (answer.refused) {
    // No ACL for it: the controller is unknown (not "none"), which is not a poll failure.
    snap.unsupported_apis.push_back("DescribeQuorum");
  } else if (!answer.error.empty()) {
    // Brokers forward DescribeQuorum to the active controller: without one, this fails.
    add_error(snap, model::ErrorKind::cluster, std::move(answer.error));
  } else {
    if (answer.quorum->leader_id >= 0) snap.controller_id = answer.quorum->leader_id;
    snap.quorum = std::move(answer.quorum);
  }

  if (cancelled()) return;
  auto described = kafka::describe_cluster(*client_);
  if (!described.error.empty()) add_error(snap, model::ErrorKind::cluster, std::move(described.error));
  if (snap.cluster_id.empty()) snap.cluster_id = described.cluster_id;
  snap.fenced_brokers = std::move(described.fenced_brokers);
}

void ClusterCollector::collect_log_dirs(model::ClusterSnapshot& snap) {
  if (!log_dirs_config_.enabled) return;
  std::set<int32_t> brokers;
  for (const auto& b : snap.brokers) brokers.insert(b.id);
  // A broker that left the cluster is forgotten at once, not at the next refresh.
  for (auto it = log_dirs_.begin(); it != log_dirs_.end();) {
    it = brokers.count(it->first) ? std::next(it) : log_dirs_.erase(it);
  }
  for (auto it = log_dirs_asked_.begin(); it != log_dirs_asked_.end();) {
    it = brokers.count(*it) ? std::next(it) : log_dirs_asked_.erase(it);
  }
  // Every broker when the interval is up; in between only brokers not asked since they
  // (re)joined, so a new broker's sizes do not wait for the next round, while one that failed
  // or refused waits for it like the rest.
  const auto now = std::chrono::steady_clock::now();
  std::vector<int32_t> ask;
  if (now >= next_log_dirs_) {
    next_log_dirs_ = now + log_dirs_config_.interval;
    ask.assign(brokers.begin(), brokers.end());
  } else if (!log_dirs_unsupported_) {
    for (int32_t id : brokers) {
      if (!log_dirs_asked_.count(id)) ask.push_back(id);
    }
  }
  if (!ask.empty()) {
    auto answer = kafka::describe_log_dirs(*client_, ask);
    log_dirs_unsupported_ = answer.unsupported;
    log_dirs_refused_ = !answer.refused.empty();
    for (auto& e : answer.errors) add_error(snap, model::ErrorKind::log_dirs, std::move(e));
    // A broker that did not answer keeps its last answer.
    for (int32_t id : answer.answered) log_dirs_[id].clear();
    for (auto& d : answer.dirs) log_dirs_[d.broker].push_back(std::move(d));
    log_dirs_asked_.insert(ask.begin(), ask.end());
  }
  if (log_dirs_unsupported_ || log_dirs_refused_) snap.unsupported_apis.push_back("DescribeLogDirs");
  snap.log_dirs_known = !log_dirs_.empty();
  for (const auto& [id, dirs] : log_dirs_) snap.log_dirs.insert(snap.log_dirs.end(), dirs.begin(), dirs.end());
}

void ClusterCollector::collect_topic_configs(model::ClusterSnapshot& snap) {
  // Configs change rarely: ask every 10 polls, and in between serve the last answer. A topic
  // that appeared since the last ask is asked at once, so that its min-ISR, checklist and
  // data-loss series do not wait up to 10 polls (a topic that was asked and not answered
  // waits for the next round, so a refused one costs no request per poll).
  constexpr int kRefreshEveryPolls = 10;
  std::vector<std::string> names;
  for (const auto& t : snap.topics) names.push_back(t.name);
  std::vector<std::string> ask;
  const bool refresh = --polls_until_config_refresh_ <= 0;
  if (refresh) {
    polls_until_config_refresh_ = kRefreshEveryPolls;
    ask = names;
  } else if (!topic_configs_unsupported_) {
    for (const auto& n : names) {
      if (!config_topics_asked_.count(n)) ask.push_back(n);
    }
  }
  if (!ask.empty()) {
    auto answer = kafka::describe_topic_configs(*client_, ask);
    topic_configs_unsupported_ = answer.unsupported;
    // Topics that answered replace their old entries; a failed batch keeps what it had.
    for (auto& [name, cfg] : answer.topics) topic_configs_[name] = std::move(cfg);
    if (!answer.error.empty() && answer.error != topic_configs_error_) {
      spdlog::warn("cluster {}: topic configs unavailable, min-ISR and checklist metrics that need them are absent: {}",
                   cluster_.name, answer.error);
    }
    if (refresh || !answer.error.empty()) topic_configs_error_ = std::move(answer.error);
    config_topics_asked_.insert(ask.begin(), ask.end());
  }
  // Forget deleted topics.
  std::set<std::string> live(names.begin(), names.end());
  for (auto it = topic_configs_.begin(); it != topic_configs_.end();) {
    it = live.count(it->first) ? std::next(it) : topic_configs_.erase(it);
  }
  for (auto it = config_topics_asked_.begin(); it != config_topics_asked_.end();) {
    it = live.count(*it) ? std::next(it) : config_topics_asked_.erase(it);
  }
  if (topic_configs_unsupported_ || (!topic_configs_error_.empty() && topic_configs_.empty())) {
    snap.unsupported_apis.push_back("DescribeConfigs");
  }
  for (const auto& t : snap.topics) {
    if (auto it = topic_configs_.find(t.name); it != topic_configs_.end()) snap.topic_configs.emplace(*it);
  }
}

void ClusterCollector::collect_groups(model::ClusterSnapshot& snap) {
  std::map<std::string, model::Group> groups;
  // Groups named in the config are always polled: the filters select among discovered ones.
  for (const auto& name : cluster_.groups.names) groups[name].name = name;

  // ListGroups once per broker, when discovering. A broker that did not answer hides the
  // groups it coordinates: keep last poll's groups rather than dropping their series for the
  // duration of a broker restart.
  bool listing_unsupported = false;
  std::map<std::string, std::string> listed_types;  // ListGroups v5+: "classic" or "consumer" (KIP-848)
  if (cluster_.groups.discover) {
    std::vector<int32_t> brokers;
    for (const auto& b : snap.brokers) brokers.push_back(b.id);
    auto listing = kafka::list_groups(*client_, brokers);
    listing_unsupported = listing.unsupported;
    if (listing.unsupported) snap.unsupported_apis.push_back("ListGroups");
    for (auto& e : listing.errors) add_error(snap, model::ErrorKind::list_groups, std::move(e));
    if (!listing.errors.empty()) {
      for (const auto& name : known_groups_) groups[name].name = name;
    }
    for (const auto& g : listing.groups) {
      if (!group_filter_.passes(g.name)) continue;
      // Share groups (KIP-932) have no committed offsets and no consumer-group description.
      if (g.group_type == "share") continue;
      groups[g.name].name = g.name;
      if (!g.group_type.empty()) listed_types[g.name] = g.group_type;
    }
  }
  if (cancelled()) return;

  describe_groups(snap, groups, listed_types);
  (void)listing_unsupported;
  if (cancelled()) return;

  known_groups_.clear();
  for (auto& [name, g] : groups) {
    known_groups_.push_back(name);
    snap.groups.push_back(std::move(g));
  }
  count_rebalances(snap.groups);
  fetch_offsets(snap);
}

void ClusterCollector::describe_groups(model::ClusterSnapshot& snap, std::map<std::string, model::Group>& groups,
                                       const std::map<std::string, std::string>& listed_types) {
  auto take = [&](kafka::GroupDescriptions& described, const char* protocol) {
    for (auto& d : described.groups) {
      auto& group = groups[d.name];
      group.state = d.state;
      group.members = std::move(d.members);
      group.described = true;
      group.protocol = protocol;
      group.epoch = d.epoch;
    }
  };
  // KIP-848 groups: those ListGroups v5+ types "consumer" (its type wins), and those learned
  // on an earlier poll, so that a broker without ListGroups v5 does not get a DescribeGroups
  // for them every poll. The rest are classic: DescribeGroups, batched per coordinator.
  std::set<std::string> consumer;
  for (const auto& [name, g] : groups) {
    auto listed = listed_types.find(name);
    if (listed != listed_types.end() ? listed->second == "consumer" : consumer_protocol_groups_.count(name) > 0) {
      consumer.insert(name);
    }
  }
  std::vector<std::string> classic;
  for (const auto& [name, g] : groups) {
    if (!consumer.count(name)) classic.push_back(name);
  }
  std::vector<std::string> others(consumer.begin(), consumer.end());
  if (!classic.empty()) {
    auto described = kafka::describe_groups(*client_, classic);
    if (described.unsupported) {
      snap.unsupported_apis.push_back("DescribeGroups");
    } else {
      for (auto& e : described.errors) add_error(snap, model::ErrorKind::list_groups, std::move(e));
    }
    take(described, "classic");
    // Dead or unknown to DescribeGroups: a KIP-848 group, unless ConsumerGroupDescribe said
    // lately that it is not one (a Dead classic group, or a named group that does not exist),
    // which is then not asked again for a while.
    for (const auto& name : described.not_classic) {
      if (!not_consumer_groups_.count(name)) others.push_back(name);
    }
  }
  for (auto it = not_consumer_groups_.begin(); it != not_consumer_groups_.end();) {
    it = (--it->second <= 0 || !groups.count(it->first)) ? not_consumer_groups_.erase(it) : std::next(it);
  }
  if (cancelled() || others.empty()) return;
  // KIP-848 groups (Kafka 4.0+): ConsumerGroupDescribe. Where a broker lacks it, such a group
  // keeps DescribeGroups' answer (Dead, no members), as before.
  auto described = kafka::describe_consumer_groups(*client_, others);
  if (described.unsupported) {
    consumer_protocol_groups_.clear();
    return;
  }
  for (auto& e : described.errors) add_error(snap, model::ErrorKind::list_groups, std::move(e));
  take(described, "consumer");
  // Remember the groups it described; one it says is not a consumer group (it went back to
  // the classic protocol) is asked with DescribeGroups again from the next poll on.
  std::set<std::string> learned;
  for (const auto& d : described.groups) learned.insert(d.name);
  consumer_protocol_groups_.swap(learned);
  constexpr int kNotConsumerPolls = 10;
  for (const auto& name : described.not_classic) not_consumer_groups_[name] = kNotConsumerPolls;
}

void ClusterCollector::count_rebalances(std::vector<model::Group>& groups) {
  std::map<std::string, model::Group> described;
  for (auto& g : groups) {
    if (auto it = last_described_.find(g.name); it != last_described_.end() && model::rebalanced(it->second, g)) {
      ++rebalances_[g.name];
    }
    g.rebalances = rebalances_[g.name];
    if (model::comparable(g)) {
      described[g.name] = g;
    } else if (auto it = last_described_.find(g.name); it != last_described_.end()) {
      described.insert(*it);  // mid-rebalance, or not described: the last baseline stays
    }
  }
  last_described_.swap(described);
  // Forget the counters of groups that are gone.
  std::set<std::string> live;
  for (const auto& g : groups) live.insert(g.name);
  for (auto it = rebalances_.begin(); it != rebalances_.end();) {
    it = live.count(it->first) ? std::next(it) : rebalances_.erase(it);
  }
}

model::RecordTimes ClusterCollector::record_timestamps(
    const std::vector<std::tuple<std::string, int32_t, int64_t>>& wanted) {
  // Bounds one poll's extra work when many consumers are far behind; the rest follow on later
  // polls, since what was read stays cached.
  constexpr size_t kMaxReadsPerPoll = 500;
  model::RecordTimes kept, result;
  std::vector<kafka::RecordKey> missing;
  for (const auto& key : wanted) {
    if (auto it = record_times_.find(key); it != record_times_.end()) {
      kept.insert(*it);
    } else if (missing.size() < kMaxReadsPerPoll) {
      missing.push_back(key);
    }
  }
  // Only offsets whose record timestamp is not known yet go on the wire.
  if (!missing.empty() && !cancelled()) {
    for (auto& [k, ts] : kafka::fetch_record_timestamps(*client_, missing, leaders_)) kept.emplace(k, ts);
  }
  record_times_.swap(kept);
  return record_times_;
}

void ClusterCollector::fetch_offsets(model::ClusterSnapshot& snap) {
  using kafka::PartitionNames;
  auto all_partitions = std::make_shared<PartitionNames>();
  std::set<std::string> new_topics;
  for (const auto& t : snap.topics) {
    for (const auto& p : t.partitions) all_partitions->emplace_back(t.name, p.id);
    if (!last_topics_.count(t.name)) new_topics.insert(t.name);
  }
  auto request_for = [&](const std::string& group, bool named) {
    kafka::GroupOffsetsRequest r{group, nullptr};
    if (!named) return r;
    auto known = committed_topics_.find(group);
    if (known == committed_topics_.end() || known->second.empty()) {
      r.partitions = all_partitions;
      return r;
    }
    auto own = std::make_shared<PartitionNames>();
    for (const auto& t : snap.topics) {
      if (!known->second.count(t.name) && !new_topics.count(t.name)) continue;
      for (const auto& p : t.partitions) own->emplace_back(t.name, p.id);
    }
    r.partitions = std::move(own);
    return r;
  };

  std::vector<kafka::GroupOffsetsRequest> requests;
  for (const auto& g : snap.groups) requests.push_back(request_for(g.name, name_partitions_));
  auto results = kafka::fetch_group_offsets(*client_, requests).results;
  if (!name_partitions_) {
    for (const auto& r : results) all_partitions_answered_ = all_partitions_answered_ || !r.offsets.empty();
  }

  // A group that answered "no commits at all" to an empty partition list is asked again
  // with the partitions named; if that finds commits, the cluster needs them named. Not once
  // some group's empty list came back with commits: the cluster then answers that form, and
  // an empty answer means the group has none (else every group without commits, e.g. a
  // consumer that never commits, would cost a second OffsetFetch every poll).
  if (!name_partitions_ && !all_partitions_answered_ && !all_partitions->empty()) {
    std::vector<kafka::GroupOffsetsRequest> retry;
    std::vector<size_t> where;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].error.empty() && results[i].offsets.empty()) {
        retry.push_back(request_for(results[i].group, true));
        where.push_back(i);
      }
    }
    if (!retry.empty()) {
      auto second = kafka::fetch_group_offsets(*client_, retry).results;
      for (size_t i = 0; i < second.size(); ++i) {
        if (!second[i].offsets.empty()) name_partitions_ = true;
        results[where[i]] = std::move(second[i]);
      }
    }
  }

  last_topics_.clear();
  for (const auto& t : snap.topics) last_topics_.insert(t.name);
  std::map<std::string, std::set<std::string>> committed_topics;
  for (size_t i = 0; i < results.size(); ++i) {
    auto& g = snap.groups[i];
    g.offsets = std::move(results[i].offsets);
    if (name_partitions_) {
      auto& topics = committed_topics[g.name];
      if (!results[i].error.empty()) topics = committed_topics_[g.name];  // keep what a failed request hid
      for (const auto& o : g.offsets) topics.insert(o.topic);
    }
    if (!results[i].error.empty()) {
      g.error = results[i].error;
      add_error(snap, model::ErrorKind::group_offsets, "OffsetFetch " + g.name + ": " + results[i].error);
    }
  }
  committed_topics_.swap(committed_topics);
}

}  // namespace lagwatch::collect
