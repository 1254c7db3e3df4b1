#include "demo/front/simulation.hpp"

#include <algorithm>

namespace lagwatch::demo::front {

Simulation::Simulation(std::vector<int32_t> broker_ids, std::vector<TopicSettings> topics)
    : broker_ids_(std::move(broker_ids)), topics_(std::move(topics)) {}

std::optional<std::map<std::string, std::string>> Simulation::topic_configs(const std::string& name) const {
  for (const auto& t : topics_) {
    if (t.name != name) continue;
    auto out = t.configs;
    std::lock_guard lock(mu_);
    if (const auto c = config_changes_.find(name); c != config_changes_.end()) {
      for (const auto& [k, v] : c->second) out[k] = v;
    }
    return out;
  }
  return std::nullopt;
}

void Simulation::set_topic_config(const std::string& topic, const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  config_changes_[topic][key] = value;
}

void Simulation::reset_topic_configs() {
  std::lock_guard lock(mu_);
  config_changes_.clear();
}

void Simulation::set_down(int32_t broker, bool down) {
  std::lock_guard lock(mu_);
  if (down) {
    down_.insert(broker);
  } else {
    down_.erase(broker);
  }
}

void Simulation::set_slow(int32_t broker, bool slow) {
  std::lock_guard lock(mu_);
  if (slow) {
    slow_.insert(broker);
  } else {
    slow_.erase(broker);
  }
}

bool Simulation::down(int32_t broker) const {
  std::lock_guard lock(mu_);
  return down_.count(broker) > 0;
}

bool Simulation::slow(int32_t broker) const {
  std::lock_guard lock(mu_);
  return slow_.count(broker) > 0;
}

std::vector<int32_t> Simulation::live_brokers() const {
  std::lock_guard lock(mu_);
  std::vector<int32_t> out;
  for (int32_t id : broker_ids_) {
    if (!down_.count(id)) out.push_back(id);
  }
  return out;
}

int32_t Simulation::controller() const {
  const auto live = live_brokers();
  return live.empty() ? -1 : *std::min_element(live.begin(), live.end());
}

std::vector<int32_t> Simulation::assignment(const std::string& topic, int32_t partition) const {
  std::vector<int32_t> out;
  for (const auto& t : topics_) {
    if (t.name != topic || broker_ids_.empty() || partition < 0) continue;
    const size_t n = broker_ids_.size();
    const size_t rf = std::min(n, static_cast<size_t>(std::max(t.replication_factor, 1)));
    for (size_t k = 0; k < rf; ++k) out.push_back(broker_ids_[(static_cast<size_t>(partition) + k) % n]);
  }
  return out;
}

void Simulation::observe(const kafka::protocol::MetadataResponse& mock_answer) {
  std::map<PartitionKey, PartitionLayout> seen;
  for (const auto& t : mock_answer.topics) {
    if (!t.name) continue;
    for (const auto& p : t.partitions) {
      auto replicas = assignment(*t.name, p.partition_index);
      seen[{*t.name, p.partition_index}] = {p.leader_id, replicas.empty() ? p.replica_nodes : std::move(replicas)};
    }
  }
  std::lock_guard lock(mu_);
  if (mock_answer.cluster_id) cluster_id_ = mock_answer.cluster_id;
  for (auto& [key, layout] : seen) layout_[key] = std::move(layout);
}

std::map<PartitionKey, PartitionLayout> Simulation::layout() const {
  std::lock_guard lock(mu_);
  return layout_;
}

void Simulation::produced(const std::string& topic, int32_t partition, int64_t bytes) {
  std::lock_guard lock(mu_);
  const PartitionKey key{topic, partition};
  auto it = log_sizes_.find(key);
  if (it == log_sizes_.end()) {
    if (log_sizes_.size() >= kMaxSizedPartitions) return;
    it = log_sizes_.emplace(key, 0).first;
  }
  it->second += bytes;
}

std::map<PartitionKey, int64_t> Simulation::log_sizes() const {
  std::lock_guard lock(mu_);
  return log_sizes_;
}

std::optional<std::string> Simulation::cluster_id() const {
  std::lock_guard lock(mu_);
  return cluster_id_;
}

void Simulation::present(kafka::protocol::MetadataResponse& answer,
                         const std::map<int32_t, uint16_t>& front_ports) const {
  const int32_t controller_id = controller();
  std::lock_guard lock(mu_);
  std::erase_if(answer.brokers, [&](const auto& b) { return down_.count(b.node_id) > 0; });
  for (auto& b : answer.brokers) {
    if (const auto it = front_ports.find(b.node_id); it != front_ports.end()) b.port = it->second;
  }
  answer.controller_id = controller_id;
  for (auto& t : answer.topics) {
    for (auto& p : t.partitions) {
      if (t.name) {
        if (auto replicas = assignment(*t.name, p.partition_index); !replicas.empty()) {
          // The mock's ISR is its replica set: the demo's assignment is the ISR to start from.
          p.isr_nodes = replicas;
          p.replica_nodes = std::move(replicas);
        }
      }
      p.offline_replicas.clear();
      for (int32_t r : p.replica_nodes) {
        if (down_.count(r)) p.offline_replicas.push_back(r);
      }
      if (p.leader_id < 0) continue;  // offline: Kafka keeps the last ISR
      std::vector<int32_t> isr;
      for (int32_t r : p.isr_nodes) {
        const bool behind = down_.count(r) || (slow_.count(r) && r != p.leader_id);
        if (!behind) isr.push_back(r);
      }
      p.isr_nodes = std::move(isr);
    }
  }
}

}  // namespace lagwatch::demo::front
