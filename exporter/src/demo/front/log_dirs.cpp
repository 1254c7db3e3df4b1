#include "demo/front/log_dirs.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace lagwatch::demo::front {

namespace protocol = kafka::protocol;

protocol::DescribeLogDirsResponse describe_log_dirs(const Simulation& simulation,
                                                    const protocol::DescribeLogDirsRequest& request, int32_t broker) {
  const auto layout = simulation.layout();
  const auto sizes = simulation.log_sizes();
  const auto asked = [&](const PartitionKey& p) {
    if (!request.topics) return true;
    for (const auto& t : *request.topics) {
      if (t.topic == p.first && std::find(t.partitions.begin(), t.partitions.end(), p.second) != t.partitions.end()) {
        return true;
      }
    }
    return false;
  };
  protocol::DescribeLogDirsResult dir;
  dir.log_dir = kDemoLogDir;
  int64_t used = 0;
  std::map<std::string, protocol::DescribeLogDirsTopic> topics;
  for (const auto& [p, l] : layout) {
    if (std::find(l.replicas.begin(), l.replicas.end(), broker) == l.replicas.end()) continue;
    const auto s = sizes.find(p);
    const int64_t size = s == sizes.end() ? 0 : s->second;
    used += size;
    if (!asked(p)) continue;
    auto& t = topics[p.first];
    t.name = p.first;
    t.partitions.push_back({p.second, size, 0, false});
  }
  for (auto& [name, t] : topics) dir.topics.push_back(std::move(t));
  dir.total_bytes = kDemoLogDirBytes;
  dir.usable_bytes = std::max<int64_t>(0, kDemoLogDirBytes - used);
  protocol::DescribeLogDirsResponse out;
  out.results.push_back(std::move(dir));
  return out;
}

}  // namespace lagwatch::demo::front
