#include "collect/cluster_collector.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "kafka/client_properties.hpp"
#include "kafka/requests/group_offsets.hpp"
#include "kafka/requests/groups.hpp"
#include "kafka/requests/log_offsets.hpp"
#include "kafka/requests/metadata.hpp"
#include "kafka/requests/topic_configs.hpp"
#include "kafka/wire/api.hpp"

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

ClusterCollector::ClusterCollector(const config::ClusterConfig& cluster, const config::PollConfig& poll)
    : cluster_(cluster),
      poll_(poll),
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
  auto offsets = kafka::fetch_log_offsets(*client_, snap.topics);
  snap.offsets_read_at = model::Clock::now();
  for (auto& e : offsets.errors) add_error(snap, model::ErrorKind::list_offsets, std::move(e));

  if (cancelled()) return abandon();
  collect_groups(snap);
  if (cancelled()) return abandon();
  collect_topic_configs(snap);
  if (cancelled()) return abandon();
  // What went on the wire since the last poll: this poll's requests, the record reads that
  // followed the last one, and every connection's ApiVersions (and SASL).
  for (const auto& [key, n] : client_->pool().take_request_counts()) snap.requests[kafka::wire::api_name(key)] += n;
  snap.finished = model::Clock::now();
  return snap;
}

void ClusterCollector::collect_topic_configs(model::ClusterSnapshot& snap) {
  // Configs change rarely: ask every 10 polls, and in between serve the last answer.
  constexpr int kRefreshEveryPolls = 10;
  if (--polls_until_config_refresh_ <= 0) {
    polls_until_config_refresh_ = kRefreshEveryPolls;
    std::vector<std::string> names;
    for (const auto& t : snap.topics) names.push_back(t.name);
    auto answer = kafka::describe_topic_configs(*client_, names);
    topic_configs_unsupported_ = answer.unsupported;
    // Topics that answered replace their old entries; a failed batch keeps what it had.
    for (auto& [name, cfg] : answer.topics) topic_configs_[name] = std::move(cfg);
    if (!answer.error.empty() && answer.error != topic_configs_error_) {
      spdlog::warn("cluster {}: topic configs unavailable, min-ISR and checklist metrics that need them are absent: {}",
                   cluster_.name, answer.error);
    }
    topic_configs_error_ = std::move(answer.error);
    // Forget deleted topics.
    std::set<std::string> live(names.begin(), names.end());
    for (auto it = topic_configs_.begin(); it != topic_configs_.end();) {
      it = live.count(it->first) ? std::next(it) : topic_configs_.erase(it);
    }
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
      if (group_filter_.passes(g.name)) groups[g.name].name = g.name;
    }
  }
  if (cancelled()) return;

  // DescribeGroups, batched per coordinator: state and members.
  std::vector<std::string> names;
  for (const auto& [name, g] : groups) names.push_back(name);
  if (!names.empty()) {
    auto described = kafka::describe_groups(*client_, names);
    if (described.unsupported) {
      snap.unsupported_apis.push_back("DescribeGroups");
    } else {
      for (auto& e : described.errors) add_error(snap, model::ErrorKind::list_groups, std::move(e));
    }
    for (auto& d : described.groups) {
      auto& group = groups[d.name];
      group.state = d.state;
      group.members = std::move(d.members);
      group.described = true;
    }
  }
  (void)listing_unsupported;
  if (cancelled()) return;

  known_groups_.clear();
  for (auto& [name, g] : groups) {
    known_groups_.push_back(name);
    snap.groups.push_back(std::move(g));
  }
  fetch_offsets(snap);
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
